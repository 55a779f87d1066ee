"""Nothing typed is lost: posted fields kept across a redirect, refilled into the form.

Three paths end in a redirect that would throw away what was posted: a failed CSRF
check (a tab left open, a new session), an expired session (log in first), and an
invalid answer. Each keeps the posted text fields (never passwords, tokens or files)
server-side (store/kept_forms.py) under a random key in a cookie, bound to the browser
key and the owner (the expired session's user when the session ran out), and redirects
to the page that holds the form. `KeptFormMiddleware` refills that form in the page's
HTML (web/form_fill.py) when this browser, as that owner, next shows the page, then
forgets the row. The action itself never runs without a valid token: the user sends the
refilled form again.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable, Sequence
from urllib.parse import quote, urlsplit

from starlette.datastructures import FormData, MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from learning.core.i18n import N_
from learning.store import kept_forms
from learning.web.cookies import cookie_header, cookie_name, expire_header, parse_cookies
from learning.web.flash import redirect
from learning.web.form_fill import SUMMARY_ID, Errors, refill
from learning.web.services import Services

KEPT_COOKIE = "learning_kept"
# Names whose values are never written down: secrets, and the token that failed.
_NEVER_KEPT = re.compile(r"^(csrf_token|token|secret)$|passw", re.IGNORECASE)
_MAX_KEPT_CHARS = 200_000
ERROR_TITLE = N_("Es gibt ein Problem")
ERROR_PREFIX = N_("Fehler:")
REFUSED = N_(
    "Das Formular war abgelaufen und wurde nicht gesendet. Ihre Eingaben sind wieder"
    " eingetragen: Bitte prüfen Sie sie und senden Sie das Formular noch einmal."
)
LOGIN_AGAIN = N_(
    "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an: Danach sind Ihre Eingaben"
    " wieder im Formular und Sie können es noch einmal senden."
)
LOGIN_FIRST = N_("Bitte melden Sie sich an. Danach geht es auf dieser Seite weiter.")


def posted_fields(form: FormData | Iterable[tuple[str, object]]) -> list[tuple[str, str]]:
    items = form.multi_items() if isinstance(form, FormData) else form
    kept: list[tuple[str, str]] = []
    size = 0
    for name, value in items:
        if isinstance(value, str) and not _NEVER_KEPT.search(name):
            size += len(name) + len(value)
            if size > _MAX_KEPT_CHARS:
                break
            kept.append((name, value))
    return kept


def page_of_form(request: Request) -> str | None:
    """The path of the page the form was sent from (its Referer), if it is this site."""
    referer = request.headers.get("referer")
    if not referer:
        return None
    parts = urlsplit(referer)
    services: Services = request.app.state.services
    ours = {request.url.netloc}
    if services.settings.base_url:
        ours.add(urlsplit(services.settings.base_url).netloc)
    if parts.netloc not in ours or not parts.path.startswith("/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("ascii", "replace")).hexdigest()


async def keep(
    request: Request,
    fields: Sequence[tuple[str, str]],
    *,
    page: str,
    owner: int | None,
    errors: Sequence[tuple[str, str]] = (),
) -> str:
    """Store the fields for the page at `page`; the Set-Cookie header that finds them."""
    services: Services = request.app.state.services
    key = secrets.token_urlsafe(32)
    row = kept_forms.NewKeptForm(
        _hash(key),
        request.state.browser_key,
        owner,
        urlsplit(page).path,
        request.url.path,
        list(fields),
        list(errors),
    )
    async with services.db.transaction() as tx:
        await kept_forms.keep(tx, row, services.clock())
    return cookie_header(
        KEPT_COOKIE,
        key,
        secure=services.settings.https,
        max_age=int(kept_forms.KEPT.total_seconds()),
    )


async def redirect_keeping(
    request: Request,
    url: str,
    form: FormData | Iterable[tuple[str, object]],
    *,
    errors: Sequence[tuple[str, str]] = (),
    message: str | None = None,
    kind: str = "error",
) -> Response:
    """Redirect to `url` (the page with the form); the form comes back filled, with
    `errors` (field name, message id or text) inside it and in a summary that takes the focus."""
    user = request.state.user
    services: Services = request.app.state.services
    # Translated now, in the request's language: a message may be put together here.
    errors = [(name, services.translator.translate(text)) for name, text in errors]
    target = url.split("#", 1)[0] + (f"#{SUMMARY_ID}" if errors else "")
    response = redirect(request, target, message, kind)
    header = await keep(
        request,
        posted_fields(form),
        page=url.split("#", 1)[0],
        owner=user.id if user else None,
        errors=errors,
    )
    response.headers.append("set-cookie", header)
    return response


async def after_refusal(request: Request, form: FormData, *, needs_login: bool) -> Response | None:
    """What a POST refused for its token (or its missing session) gets instead of a 403:
    back to its page with the input kept, or to the login first; None when the page it
    came from is unknown (no Referer from this site: nothing to go back to)."""
    page = page_of_form(request)
    # A script's request (the test autosave) is not a form the user sees: its 403 stays.
    if page is None or request.headers.get("sec-fetch-mode", "navigate") != "navigate":
        return None
    user = request.state.user
    if user is None and needs_login:
        owner = getattr(request.state, "expired_user_id", None)
        # Without the expired session's owner nobody may be shown the input: not kept.
        message = LOGIN_AGAIN if owner is not None else LOGIN_FIRST
        response = redirect(request, f"/login?next={quote(page, safe='/')}", message, "info")
    else:
        owner = user.id if user else None
        response = redirect(request, page, REFUSED, "error")
    if owner is not None or not needs_login:
        header = await keep(request, posted_fields(form), page=page, owner=owner)
        response.headers.append("set-cookie", header)
    return response


class KeptFormMiddleware:
    """Refill the kept form in the page it belongs to, for its browser and owner."""

    def __init__(self, app: ASGIApp, *, services: Services) -> None:
        self.app = app
        self.services = services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = self._key(scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        state = scope.get("state", {})
        kept = await kept_forms.peek(
            self.services.db, _hash(key), state.get("browser_key", ""), self.services.clock()
        )
        user = state.get("user")
        if kept is None or (user is not None and kept.user_id not in (None, user.id)):
            # Gone, expired, or another person's: nothing to show; drop the cookie.
            await self.app(scope, receive, self._dropping(send, _hash(key) if kept else None))
            return
        if kept.page_path != scope["path"] or kept.user_id != (user.id if user else None):
            await self.app(scope, receive, send)
            return
        await self._refilled(scope, receive, send, kept, _hash(key))

    def _key(self, scope: Scope) -> str | None:
        if scope["type"] != "http" or scope["method"] != "GET":
            return None
        if scope["path"].startswith("/static/"):
            return None
        headers = dict(scope["headers"])
        cookies = parse_cookies(headers.get(b"cookie", b"").decode("latin-1"))
        return cookies.get(cookie_name(KEPT_COOKIE, secure=self.services.settings.https))

    def _dropping(self, send: Send, key_hash: str | None) -> Send:
        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                if key_hash is not None:
                    async with self.services.db.transaction() as tx:
                        await kept_forms.forget(tx, key_hash)
                MutableHeaders(scope=message).append(
                    "set-cookie", expire_header(KEPT_COOKIE, secure=self.services.settings.https)
                )
            await send(message)

        return sending

    async def _refilled(
        self, scope: Scope, receive: Receive, send: Send, kept: kept_forms.KeptForm, key_hash: str
    ) -> None:
        start: Message = {}
        chunks: list[bytes] = []

        async def buffering(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                await self._send_filled(send, start, b"".join(chunks), kept, key_hash)

        await self.app(scope, receive, buffering)

    async def _send_filled(
        self, send: Send, start: Message, body: bytes, kept: kept_forms.KeptForm, key_hash: str
    ) -> None:
        headers = MutableHeaders(scope=start)
        html = None
        if start.get("status") == 200 and headers.get("content-type", "").startswith("text/html"):
            html = refill(body.decode("utf-8"), kept.action, kept.fields, self._errors(kept))
        if html is not None:
            body = html.encode("utf-8")
            headers["content-length"] = str(len(body))
            headers.append(
                "set-cookie", expire_header(KEPT_COOKIE, secure=self.services.settings.https)
            )
            async with self.services.db.transaction() as tx:
                await kept_forms.forget(tx, key_hash)
        await send(start)
        await send({"type": "http.response.body", "body": body, "more_body": False})

    def _errors(self, kept: kept_forms.KeptForm) -> Errors:
        t = self.services.translator.gettext
        return Errors(kept.errors, t(ERROR_TITLE), t(ERROR_PREFIX))
