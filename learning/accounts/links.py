"""Invitation and password-reset links, and the all-or-nothing import, for web and CLI."""

from __future__ import annotations

import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from learning.accounts.signing import MAX_AGE, PURPOSES, Purpose, Signer
from learning.accounts.user_import import ImportRow
from learning.core.clock import to_db
from learning.store import audit, user_admin, users
from learning.store.db import Database, Transaction

_BATCH = re.compile(r"[A-Za-z0-9_-]{16}")


def new_batch() -> str:
    """The id that groups links handed out together (one page, one CSV)."""
    return secrets.token_urlsafe(12)


def valid_batch(text: str) -> bool:
    return _BATCH.fullmatch(text) is not None


def _url(base_url: str, purpose: str, token: str) -> str:
    path = "einladung" if purpose == "invite" else "passwort"
    return f"{base_url}/{path}/{token}"


@dataclass(frozen=True, slots=True)
class IssuedLink:
    """A link just recorded, for whoever sends it on (the mail layer queues a mail)."""

    user_id: int
    purpose: Purpose
    url: str
    expires: datetime
    created_by: int | None
    now: datetime


# Called inside the transaction that records the link, so the mail exists exactly when
# the link does (mail/account_mails.mail_link).
LinkNotifier = Callable[[Transaction, IssuedLink], Awaitable[object]]


async def issue_link(
    tx: Transaction,
    signer: Signer,
    *,
    base_url: str,
    user_id: int,
    purpose: Purpose,
    created_by: int | None,
    now: datetime,
    batch: str | None = None,
    notify: LinkNotifier | None = None,
) -> str:
    """A signed single-use link, recorded in invitations; returns the full URL.

    The one function that creates an invitation or reset link: pages, the import, bulk
    actions and mail all come through here. With a `batch`, `links_of_batch` shows the
    link again later (rebuilt from the nonce and signing time, never stored). `notify`
    is called with the new link inside `tx`: the mail layer queues its mail there.
    """
    issued = signer.new_link_token(purpose, uid=user_id)
    # A reset link sent to the wrong address, then sent again, must stop working.
    await user_admin.supersede_invitations(tx, user_id, purpose, now)
    expires = now + timedelta(seconds=MAX_AGE[purpose])
    await user_admin.create_invitation(
        tx,
        nonce=issued.nonce,
        purpose=purpose,
        user_id=user_id,
        created_by=created_by,
        now=now,
        expires=expires,
        signed_at=issued.signed_at,
        batch=batch,
    )
    url = _url(base_url, purpose, issued.token)
    if notify is not None:
        await notify(tx, IssuedLink(user_id, purpose, url, expires, created_by, now))
    return url


@dataclass(frozen=True, slots=True)
class ShownLink:
    user_id: int
    name: str
    email: str
    purpose: str
    url: str | None  # None once used, replaced by a newer link, or expired
    expires_at: str


async def links_of_batch(
    db: Database, signer: Signer, *, base_url: str, batch: str, viewer: int, now: datetime
) -> list[ShownLink]:
    """The links of a batch the viewer handed out, each rebuilt while it still works."""
    shown: list[ShownLink] = []
    for link in await user_admin.batch_links(db, batch, viewer):
        purpose = next((p for p in PURPOSES if p == link.purpose), None)
        url = None
        live = link.used_at is None and link.expires_at > to_db(now)
        if purpose is not None and link.signed_at is not None and live:
            token = signer.link_token_at(purpose, link.nonce, link.signed_at, {"uid": link.user_id})
            url = _url(base_url, purpose, token)
        shown.append(
            ShownLink(link.user_id, link.name, link.email, link.purpose, url, link.expires_at)
        )
    return shown


async def import_users(
    tx: Transaction,
    signer: Signer,
    rows: tuple[ImportRow, ...],
    *,
    base_url: str,
    now: datetime,
    actor_id: int | None,
    actor_email: str | None,
    batch: str | None = None,
    notify: LinkNotifier | None = None,
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
            batch=batch,
            notify=notify,
        )
        created.append((row, link))
    await audit.record(
        tx,
        now=now,
        actor_id=actor_id,
        actor_email=actor_email,
        action="user.import",
        target_type="users",
        details={
            "count": len(rows),
            "emails": [r.email for r in rows],
            "groups": sorted({r.group for r in rows if r.group}),
        },
    )
    return created
