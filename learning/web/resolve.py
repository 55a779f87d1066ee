"""Resolvers: URL parameters to objects, or a 404 that does not say whether it exists."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request

from learning.content.model import Course, Page
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


def course_or_404(request: Request) -> Course:
    catalog = services_of(request).catalog
    course = catalog.get(request.path_params["course_id"]) if catalog else None
    if course is None:
        raise HTTPException(404)
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
