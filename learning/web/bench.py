"""The load harness's ceiling: a lesson-sized page that costs nothing to produce.

Mounted only when LEARNING_BENCH_CEILING=1. It passes through the same middleware and
guard as a lesson page, so the gap between the two is what a lesson really costs.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

# About the size of a rendered lesson page of the bundled courses.
BODY_BYTES = 24_000

_PARAGRAPH = (
    "<p>Kultur ist kein Eisberg, den man einmal vermisst: sie zeigt sich in Situationen, "
    "in denen Menschen einander begegnen und Erwartungen aushandeln.</p>\n"
)
_BODY = (
    "<!doctype html>\n<html lang=de><head><meta charset=utf-8><title>Ceiling</title></head>"
    "<body><main>\n" + _PARAGRAPH * (BODY_BYTES // len(_PARAGRAPH)) + "</main></body></html>\n"
).encode()


async def static_page(request: Request) -> Response:
    return HTMLResponse(_BODY)
