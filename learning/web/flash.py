"""One-shot messages carried across a redirect in a signed cookie."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from learning.web.cookies import FLASH_COOKIE, cookie_header, cookie_name, expire_header
from learning.web.services import Services


def redirect(
    request: Request, url: str, message: str | None = None, kind: str = "info"
) -> Response:
    response = RedirectResponse(url, status_code=303)
    if message:
        services: Services = request.app.state.services
        value = services.signer.sign("flash", json.dumps([[kind, message]], ensure_ascii=True))
        response.headers.append(
            "set-cookie", cookie_header(FLASH_COOKIE, value, secure=services.settings.https)
        )
    return response


def _raw(request: Request) -> str | None:
    services: Services = request.app.state.services
    return request.cookies.get(cookie_name(FLASH_COOKIE, secure=services.settings.https))


def has_flash(request: Request) -> bool:
    return bool(_raw(request))


def take_messages(request: Request, response: Response) -> list[tuple[str, str]]:
    raw = _raw(request)
    if not raw:
        return []
    services: Services = request.app.state.services
    response.headers.append(
        "set-cookie", expire_header(FLASH_COOKIE, secure=services.settings.https)
    )
    value = services.signer.unsign("flash", raw, max_age=600)
    if value is None:
        return []
    try:
        items = json.loads(value)
        return [(str(kind), str(text)) for kind, text in items]
    except (ValueError, TypeError):
        return []
