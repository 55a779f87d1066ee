"""What the admin and trainer endpoints share: the catalog, the chosen course, audit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from starlette.exceptions import HTTPException
from starlette.requests import Request

from learning.core.i18n import N_
from learning.store.audit import record
from learning.store.db import Transaction
from learning.web.forms import field
from learning.web.resolve import course_or_404, services_of

if TYPE_CHECKING:
    from learning.content.model import Course


def courses(request: Request) -> Sequence[Course]:
    catalog = services_of(request).catalog
    return () if catalog is None else tuple(catalog.courses)


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


async def course_from_form(request: Request) -> str:
    """The course chosen in an enrolment form: 400 without one, 404 for an unknown id."""
    form = await request.form()
    course_id = field(form, "course", max_length=200)
    if not course_id:
        raise HTTPException(400, N_("Bitte wählen Sie einen Kurs."))
    return course_or_404(request, course_id).id
