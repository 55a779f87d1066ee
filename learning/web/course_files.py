"""Course media files and the course glossary."""

from __future__ import annotations

import re

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from learning.store import course_sources
from learning.web.resolve import course_or_404, services_of
from learning.web.templating import render

_MEDIA_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$")
_TYPES = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
}


async def media(request: Request) -> Response:
    course = course_or_404(request)
    name = request.path_params["name"]
    if not _MEDIA_NAME.match(name) or ".." in name:
        raise HTTPException(404)
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    if suffix not in _TYPES:
        raise HTTPException(404)
    headers = {
        "cache-control": "public, max-age=3600",
        # An SVG opened directly must not run anything, whatever it contains.
        "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    }
    # The bytes of the version being served, not whatever the folder holds now: the
    # folder may be broken, gone, or edited without --reload.
    stored = await course_sources.version_file(
        services_of(request).db, course.id, course.content_hash, f"media/{name}"
    )
    if stored is not None:
        return Response(stored, media_type=_TYPES[suffix], headers=headers)
    path = course.media_dir / name
    if not path.is_file():
        raise HTTPException(404)
    return FileResponse(path, media_type=_TYPES[suffix], headers=headers)


async def glossary(request: Request) -> Response:
    course = course_or_404(request)
    return render(request, "glossary.html", {"course": course})
