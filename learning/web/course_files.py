"""Course media files and the course glossary."""

from __future__ import annotations

import re
from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from learning.content.model import Course
from learning.store import course_sources
from learning.store import page_views as progress
from learning.web.lesson import NOT_ENROLLED
from learning.web.resolve import course_or_404, current_user, services_of
from learning.web.templating import render

_MEDIA_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$")
_TYPES = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
}


async def may_read(request: Request, course: Course) -> None:
    """Media and glossary go to whoever may read the course's pages, no one else.

    Staff read every course (trainer preview); a learner one they are enrolled in, or an
    open one, which they may enrol in themselves.
    """
    user = current_user(request)
    if user.role != "learner" or course.open:
        return
    if not await progress.is_enrolled(services_of(request).db, user.id, course.id):
        raise HTTPException(403, NOT_ENROLLED)


def confined(folder: Path, name: str) -> Path | None:
    """The file `name` in `folder`, resolved, unless it is missing or a link leads out."""
    try:
        root = folder.resolve(strict=True)
        path = (folder / name).resolve(strict=True)
    except (OSError, RuntimeError):  # missing, or a symlink loop
        return None
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


async def media(request: Request) -> Response:
    course = course_or_404(request)
    await may_read(request, course)
    name = request.path_params["name"]
    if not _MEDIA_NAME.match(name) or ".." in name:
        raise HTTPException(404)
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    if suffix not in _TYPES:
        raise HTTPException(404)
    headers = {
        # Private: whether a file may be shown depends on who asks (closed courses).
        "cache-control": "private, max-age=3600",
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
    # Served by its resolved path: a link swapped after this check changes nothing.
    path = confined(course.media_dir, name)
    if path is None:
        raise HTTPException(404)
    return FileResponse(path, media_type=_TYPES[suffix], headers=headers)


async def glossary(request: Request) -> Response:
    course = course_or_404(request)
    await may_read(request, course)
    return render(request, "glossary.html", {"course": course})
