"""Resolvers: URL parameters to objects, or a 404 that does not say whether it exists."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request

from learning.content.model import Course, Page
from learning.core.i18n import N_
from learning.store import privacy, users
from learning.store.db import NotFound
from learning.store.users import User
from learning.web.path_ids import in_range
from learning.web.services import Services


def services_of(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def current_user(request: Request) -> User:
    user: User | None = request.state.user
    if user is None:  # guards run first; this is a programming error, not a user's
        raise HTTPException(403)
    return user


def course_or_404(request: Request, course_id: str | None = None) -> Course:
    """The course named by `course_id`, or by the path's `course_id`."""
    catalog = services_of(request).catalog
    wanted = request.path_params["course_id"] if course_id is None else course_id
    course = catalog.get(wanted) if catalog else None
    if course is None:
        raise HTTPException(404, N_("Diesen Kurs gibt es nicht."))
    return course


def page_or_404(course: Course, page_id: str) -> Page:
    page = course.page(page_id)
    lesson = course.lesson_of(page_id)
    if page is None or lesson is None or lesson.kind != "lesson":
        raise HTTPException(404)
    return page


def int_param(request: Request, name: str) -> int:
    """A row id from the path: routes declare it `{name:id}`; anything else is a 404."""
    raw = request.path_params[name]
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise HTTPException(404) from None
    if not in_range(value):
        raise HTTPException(404)
    return value


async def user_or_404(request: Request, name: str = "user_id") -> User:
    # A deleted account's tombstone only keeps the report counts right: to an admin it
    # does not exist, so nothing can re-activate, re-invite or edit it.
    db = services_of(request).db
    user_id = int_param(request, name)
    try:
        user: User | None = await users.get_user(db, user_id)
    except NotFound:
        user = None
    if user is None or await privacy.is_deleted(db, user_id):
        raise HTTPException(404, N_("Dieses Konto gibt es nicht."))
    return user
