"""What the admin and trainer endpoints share: resolving path ids, the catalog, audit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from starlette.exceptions import HTTPException
from starlette.requests import Request

from learning.i18n import N_
from learning.store import privacy, users
from learning.store.audit import record
from learning.store.db import NotFound, Transaction
from learning.web.resolve import int_param
from learning.web.services import Services

if TYPE_CHECKING:
    from learning.content.model import Course


def services_of(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def courses(request: Request) -> Sequence[Course]:
    catalog = services_of(request).catalog
    return () if catalog is None else tuple(catalog.courses)


def course_or_404(request: Request, course_id: str) -> Course:
    catalog = services_of(request).catalog
    course = None if catalog is None else catalog.get(course_id)
    if course is None:
        raise HTTPException(404, N_("Diesen Kurs gibt es nicht."))
    return course


async def user_or_404(request: Request, name: str = "user_id") -> users.User:
    # A deleted account's tombstone only keeps the report counts right: to an admin it
    # does not exist, so nothing can re-activate, re-invite or edit it.
    db = services_of(request).db
    user_id = int_param(request, name)
    try:
        user = await users.get_user(db, user_id)
    except NotFound:
        user = None
    if user is None or await privacy.is_deleted(db, user_id):
        raise HTTPException(404, N_("Dieses Konto gibt es nicht."))
    return user


async def audit(
    request: Request,
    tx: Transaction,
    action: str,
    target_type: str | None = None,
    target_id: object = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Record an admin action in the caller's transaction."""
    actor = request.state.user
    await record(
        tx,
        now=services_of(request).clock(),
        actor_id=actor.id if actor else None,
        actor_email=actor.email if actor else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        details=details,
    )
