"""Invitation and password-reset links, and the all-or-nothing import, for web and CLI."""

from __future__ import annotations

from datetime import datetime, timedelta

from learning.accounts.signing import MAX_AGE, Purpose, Signer
from learning.accounts.user_import import ImportRow
from learning.store import audit, user_admin, users
from learning.store.db import Transaction


async def issue_link(
    tx: Transaction,
    signer: Signer,
    *,
    base_url: str,
    user_id: int,
    purpose: Purpose,
    created_by: int | None,
    now: datetime,
) -> str:
    """A signed single-use link, recorded in invitations; returns the full URL."""
    token = signer.make_link_token(purpose, uid=user_id)
    nonce = signer.read_link_token(token, purpose).nonce
    # A reset link sent to the wrong address, then sent again, must stop working.
    await user_admin.supersede_invitations(tx, user_id, purpose, now)
    await user_admin.create_invitation(
        tx,
        nonce=nonce,
        purpose=purpose,
        user_id=user_id,
        created_by=created_by,
        now=now,
        expires=now + timedelta(seconds=MAX_AGE[purpose]),
    )
    path = "einladung" if purpose == "invite" else "passwort"
    return f"{base_url}/{path}/{token}"


async def import_users(
    tx: Transaction,
    signer: Signer,
    rows: tuple[ImportRow, ...],
    *,
    base_url: str,
    now: datetime,
    actor_id: int | None,
    actor_email: str | None,
) -> list[tuple[ImportRow, str]]:
    """Create every account with an invitation link inside the caller's transaction.

    Raises users.DuplicateEmail when an address is taken, so the whole import rolls back.
    """
    created: list[tuple[ImportRow, str]] = []
    for row in rows:
        group_id = await users.get_or_create_group(tx, row.group, now) if row.group else None
        user_id = await users.insert_user(
            tx, email=row.email, name=row.name, role=row.role, now=now, group_id=group_id
        )
        link = await issue_link(
            tx,
            signer,
            base_url=base_url,
            user_id=user_id,
            purpose="invite",
            created_by=actor_id,
            now=now,
        )
        created.append((row, link))
    await audit.record(
        tx,
        now=now,
        actor_id=actor_id,
        actor_email=actor_email,
        action="user.import",
        target_type="users",
        details={"count": len(rows), "emails": [r.email for r in rows]},
    )
    return created
