"""Loads the caller's session and user into request.state; sets the browser key."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from learning.core.i18n import current_locale, negotiate
from learning.store.sessions import SessionTouch, load_session
from learning.web.cookies import (
    BROWSER_COOKIE,
    LANG_COOKIE,
    SESSION_COOKIE,
    cookie_header,
    cookie_name,
    expire_header,
    parse_cookies,
)
from learning.web.services import Services

_BROWSER_KEY = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
# Writing last_seen on every request would make every page a write; a minute is
# precise enough for a 30-minute idle timeout.
TOUCH_INTERVAL = timedelta(seconds=60)


class SessionMiddleware:
    def __init__(self, app: ASGIApp, *, services: Services) -> None:
        self.app = app
        self.services = services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return
        services = self.services
        settings = services.settings
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        cookies = parse_cookies(headers.get("cookie", ""))
        now = services.clock()

        session = None
        expired_users: list[int] = []
        raw = cookies.get(cookie_name(SESSION_COOKIE, secure=settings.https))
        if raw:
            session_id = services.signer.unsign("session", raw, max_age=settings.absolute_timeout)
            if session_id:
                session = await load_session(
                    services.db,
                    session_id,
                    now,
                    idle=settings.idle_timeout,
                    absolute=settings.absolute_timeout,
                    expired_users=expired_users,
                )
            if session is not None and now - session.last_seen >= TOUCH_INTERVAL:
                # Group commit: sessions seen in the same moment share a transaction.
                await services.session_touches.submit(SessionTouch(session.id_hash, now))

        browser_key = cookies.get(cookie_name(BROWSER_COOKIE, secure=settings.https), "")
        new_browser_key = not _BROWSER_KEY.match(browser_key)
        if new_browser_key:
            browser_key = secrets.token_urlsafe(32)

        state = scope.setdefault("state", {})
        state["session"] = session
        state["user"] = session.user if session else None
        state["expired_user_id"] = expired_users[0] if expired_users else None
        state["browser_key"] = browser_key
        state["now"] = now
        user_locale = session.user.locale if session else None
        lang_cookie = cookies.get(cookie_name(LANG_COOKIE, secure=settings.https))
        locale = negotiate(headers.get("accept-language"), user_locale or lang_cookie)
        state["locale"] = locale
        token = current_locale.set(locale)

        drop_session_cookie = bool(raw) and session is None

        async def send_with_cookies(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                if new_browser_key:
                    out.append(
                        "set-cookie",
                        cookie_header(BROWSER_COOKIE, browser_key, secure=settings.https),
                    )
                if drop_session_cookie and not state.get("session_cookie_set"):
                    out.append("set-cookie", expire_header(SESSION_COOKIE, secure=settings.https))
            await send(message)

        try:
            await self.app(scope, receive, send_with_cookies)
        finally:
            current_locale.reset(token)
