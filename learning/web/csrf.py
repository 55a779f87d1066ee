"""CSRF: a token bound to the browser key and the session, checked on every POST.

The Origin header, when the browser sends one, must be this site: a second layer.
"""

from __future__ import annotations

import hmac

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request

from learning.core.i18n import N_
from learning.web.services import Services

FIELD = "csrf_token"
UNREADABLE = N_("Das Formular konnte nicht gelesen werden.")


def csrf_token(request: Request) -> str:
    services: Services = request.app.state.services
    session = request.state.session
    return services.signer.csrf_token(request.state.browser_key, session.id_hash if session else "")


def origin_ok(request: Request) -> bool:
    origin = request.headers.get("origin")
    if origin is None:
        return True
    services: Services = request.app.state.services
    expected = {f"{request.url.scheme}://{request.url.netloc}"}
    if services.settings.base_url:
        expected.add(services.settings.base_url.rstrip("/"))
    return origin in expected


class TokenRefused(HTTPException):
    """The form's token is wrong or stale (an old tab, a new session); holds the form so
    its input can be kept (web/kept_forms.py)."""

    def __init__(self, form: FormData) -> None:
        super().__init__(403, EXPIRED)
        self.form = form


EXPIRED = N_("Das Formular ist abgelaufen. Bitte laden Sie die Seite neu.")


async def checked_form(request: Request) -> FormData:
    """Parse the form and refuse it (403) unless the token and origin are right."""
    if not origin_ok(request):
        raise HTTPException(403, N_("Ungültige Herkunft der Anfrage."))
    try:
        # One file at most: the admin CSV import is the only form that uploads one. A text
        # field above 1 MiB is refused while it streams; shorter over-long text reaches the
        # endpoint, which says which field is too long.
        form = await request.form(max_files=1, max_fields=2000, max_part_size=1024 * 1024)
    except HTTPException as exc:
        if exc.status_code == 413:  # the body limit's 413 stays a 413
            raise
        raise HTTPException(400, UNREADABLE) from None
    except Exception:
        raise HTTPException(400, UNREADABLE) from None
    sent = form.get(FIELD)
    # compare_digest raises on non-ASCII str; a forged token may be anything, so compare bytes.
    if not isinstance(sent, str) or not hmac.compare_digest(
        sent.encode("utf-8", "replace"), csrf_token(request).encode("ascii")
    ):
        raise TokenRefused(form)
    return form
