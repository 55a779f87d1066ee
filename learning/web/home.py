"""The start page per role, the health check and the static information pages."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from learning.web.services import Services
from learning.web.templating import render


async def healthz(request: Request) -> Response:
    services: Services = request.app.state.services
    try:
        alive = await asyncio.wait_for(services.db.ping(), timeout=2)
    except Exception:
        alive = False
    if alive:
        return PlainTextResponse("ok")
    return PlainTextResponse("database unavailable", status_code=503)


def _page_in_language(request: Request, name: str) -> Response:
    """An information page written once per language: templates/<name>, templates/en/<name>."""
    locale = getattr(request.state, "locale", "de")
    return render(request, name if locale == "de" else f"{locale}/{name}")


async def accessibility(request: Request) -> Response:
    return _page_in_language(request, "accessibility.html")


async def easy_language(request: Request) -> Response:
    return _page_in_language(request, "easy_language.html")


async def privacy(request: Request) -> Response:
    return _page_in_language(request, "privacy.html")
