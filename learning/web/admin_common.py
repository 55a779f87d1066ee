"""What the admin and trainer endpoints share: the catalog and the audit record."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from starlette.requests import Request

from learning.store.audit import record
from learning.store.db import Transaction
from learning.web.resolve import services_of

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
