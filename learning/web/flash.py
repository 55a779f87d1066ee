"""One-shot messages carried across a redirect in a signed cookie."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from learning.core.i18n import Message
from learning.web.cookies import FLASH_COOKIE, cookie_header, cookie_name, expire_header
from learning.web.services import Services


def redirect(
    request: Request, url: str, message: str | None = None, kind: str = "info"
) -> Response:
    response = RedirectResponse(url, status_code=303)
    if message:
        services: Services = request.app.state.services
        # A Message travels as its msgid and values, so it is shown in the reader's language.
        item = (
            [kind, message.msgid, message.params]
            if isinstance(message, Message)
            else [kind, message]
        )
        value = services.signer.sign("flash", json.dumps([item], ensure_ascii=True))
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
        return [_item(*item) for item in json.loads(value)]
    except (ValueError, TypeError, KeyError):
        return []


def _item(kind: object, text: object, params: object = None) -> tuple[str, str]:
    if isinstance(params, dict):
        return str(kind), Message(str(text), params)
    return str(kind), str(text)
