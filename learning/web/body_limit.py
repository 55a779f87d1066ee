"""Refuse oversized request bodies (413) before the application reads them.

Content-Length is checked up front; a chunked or lying body is counted as it streams
and stops at the limit, so no endpoint ever holds more than the limit in memory.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from learning.web.errors import error_page


class BodyTooLarge(HTTPException):
    def __init__(self) -> None:
        super().__init__(413)


class BodyLimitMiddleware:
    def __init__(
        self, app: ASGIApp, *, default: int, per_path: Mapping[str, int] | None = None
    ) -> None:
        self.app = app
        self.default = default
        self.per_path = dict(per_path or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.per_path.get(scope["path"], self.default)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            response = error_page(Request(scope), 413)
            await response(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # Raised inside the endpoint's read: the 413 page comes from the
                    # ordinary error handler, and nothing after the read runs.
                    raise BodyTooLarge()
            return message

        await self.app(scope, counted, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
