"""`/path/` <-> `/path` redirects, with a Location that never comes from the Host header.

Starlette's own slash redirect rebuilds the absolute URL from the request, Host header
included, so a forged Host turned it into a redirect to any site. Here the target is
the configured public address (LEARNING_BASE_URL) or, without one, a path on this site.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Match

from learning.web.resolve import services_of


def slash_redirect(request: Request) -> Response | None:
    """The redirect to the other spelling of an unmatched path, if that one matches."""
    path: str = request.scope["path"]
    if request.method not in ("GET", "HEAD") or path == "/":
        return None
    other = path.rstrip("/") if path.endswith("/") else path + "/"
    if not other or other.startswith("//"):
        return None
    # Only a path that no route knows: an endpoint's own 404 stays a 404 (and cannot loop).
    if _matches(request, path) or not _matches(request, other):
        return None
    settings = services_of(request).settings
    origin = settings.public_url if settings.base_url else ""
    location = origin + quote(other, safe="/")
    query = request.scope.get("query_string", b"").decode("latin-1")
    if query:
        location += "?" + quote(query, safe="=&%+")
    return RedirectResponse(location, status_code=307)


def _matches(request: Request, path: str) -> bool:
    scope = {**request.scope, "path": path}
    return any(route.matches(scope)[0] != Match.NONE for route in request.app.router.routes)
