"""While the database cannot be reached: 503 with a German page, and no stack trace.

PostgreSQL restarting (or a network cut) makes the store raise DatabaseUnavailable.
Nothing was acknowledged to the caller, the store reconnects by itself, and the caller
may simply try again in a moment; so the answer is 503 with Retry-After, not 500.
Outermost of the app's middleware, so a failure while loading the session is covered.
"""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from learning.core.i18n import N_
from learning.store.db import DatabaseUnavailable
from learning.web.errors import outside_page

log = logging.getLogger("learning.web")

DATABASE_AWAY = N_(
    "Die Datenbank ist gerade nicht erreichbar. Bitte versuchen Sie es in einigen"
    " Sekunden noch einmal; was Ihnen als gespeichert bestätigt wurde, bleibt erhalten."
)
RETRY_AFTER = "5"


class DatabaseAwayMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except DatabaseUnavailable:
            if started:  # half a page is out: only closing the connection is left
                raise
            log.warning("database unavailable on %s %s", scope["method"], scope["path"])
            response = outside_page(Request(scope), 503, DATABASE_AWAY)
            response.headers["retry-after"] = RETRY_AFTER
            await response(scope, receive, send)
