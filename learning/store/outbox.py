"""The outbox table: queued mails, their claims by a sender, and how each attempt ended."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from learning.core.clock import to_db
from learning.store.db import Database, Row, Transaction

STATUSES = ("queued", "sending", "sent", "failed")

_COLUMNS = (
    "id, kind, to_user_id, to_address, language, subject, body_text, body_html, caused_by,"
    " status, attempts, created_at, next_attempt_at, claimed_until, message_id, sent_at,"
    " failed_at, last_error"
)


@dataclass(frozen=True, slots=True)
class OutboxMail:
    id: int
    kind: str
    to_user_id: int | None
    to_address: str
    language: str
    subject: str
    body_text: str
    body_html: str
    caused_by: int | None
    status: str
    attempts: int
    created_at: str
    next_attempt_at: str
    claimed_until: str | None
    message_id: str | None
    sent_at: str | None
    failed_at: str | None
    last_error: str | None
    # Only in listings: the address of whoever caused the mail.
    caused_by_email: str | None = None


def _mail(row: Row) -> OutboxMail:
    return OutboxMail(**{key: row[key] for key in row.keys()})


async def insert(
    tx: Transaction,
    *,
    kind: str,
    to_user_id: int | None,
    to_address: str,
    language: str,
    subject: str,
    body_text: str,
    body_html: str,
    caused_by: int | None,
    now: datetime,
) -> int:
    """One queued mail, due at once, inside the caller's transaction."""
    stamp = to_db(now)
    return await tx.insert(
        "INSERT INTO outbox (kind, to_user_id, to_address, language, subject, body_text,"
        " body_html, caused_by, status, attempts, created_at, next_attempt_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?)",
        (
            kind,
            to_user_id,
            to_address,
            language,
            subject,
            body_text,
            body_html,
            caused_by,
            stamp,
            stamp,
        ),
    )


async def claim_due(
    db: Database, *, now: datetime, lease_until: datetime, limit: int, domain: str
) -> list[OutboxMail]:
    """Claim up to `limit` mails that are due, oldest first, in one transaction.

    Due means queued and never tried (whatever the clocks of the queueing and the
    sending process say) or with next_attempt_at reached, or claimed by a sender whose lease
    ran out (it crashed or hung). Each claim counts as an attempt, so a mail that kills
    its sender every time still ends as failed. The Message-ID is fixed at the first
    claim and kept for every later one.
    """
    stamp = to_db(now)
    async with db.transaction() as tx:
        rows = await tx.fetchall(
            "SELECT id FROM outbox WHERE"
            " (status = 'queued' AND (attempts = 0 OR next_attempt_at <= ?))"
            " OR (status = 'sending' AND claimed_until <= ?) ORDER BY id LIMIT ?",
            (stamp, stamp, limit),
        )
        claimed: list[OutboxMail] = []
        for row in rows:
            message_id = f"<{row['id']}.{secrets.token_hex(12)}@{domain}>"
            await tx.execute(
                "UPDATE outbox SET status = 'sending', claimed_until = ?,"
                " attempts = attempts + 1, message_id = coalesce(message_id, ?)"
                " WHERE id = ?",
                (to_db(lease_until), message_id, row["id"]),
            )
            found = await tx.fetchone(
                f"SELECT {_COLUMNS} FROM outbox WHERE id = ?",  # noqa: S608 - fixed columns
                (row["id"],),
            )
            if found is not None:
                claimed.append(_mail(found))
        return claimed


async def mark_sent(tx: Transaction, mail_id: int, now: datetime) -> None:
    await tx.execute(
        "UPDATE outbox SET status = 'sent', sent_at = ?, claimed_until = NULL,"
        " last_error = NULL WHERE id = ?",
        (to_db(now), mail_id),
    )


async def mark_retry(tx: Transaction, mail_id: int, *, next_attempt: datetime, error: str) -> None:
    await tx.execute(
        "UPDATE outbox SET status = 'queued', next_attempt_at = ?, claimed_until = NULL,"
        " last_error = ? WHERE id = ? AND status = 'sending'",
        (to_db(next_attempt), error, mail_id),
    )


async def mark_failed(tx: Transaction, mail_id: int, *, now: datetime, error: str) -> None:
    await tx.execute(
        "UPDATE outbox SET status = 'failed', failed_at = ?, claimed_until = NULL,"
        " last_error = ? WHERE id = ? AND status = 'sending'",
        (to_db(now), error, mail_id),
    )


async def requeue(tx: Transaction, mail_id: int, now: datetime) -> bool:
    """A failed mail queued again with fresh attempts (the admin's retry); False if not failed."""
    cur = await tx.execute(
        "UPDATE outbox SET status = 'queued', attempts = 0, next_attempt_at = ?,"
        " created_at = ?, failed_at = NULL WHERE id = ? AND status = 'failed'",
        (to_db(now), to_db(now), mail_id),
    )
    return bool(cur.rowcount)


async def get(db: Database, mail_id: int) -> OutboxMail | None:
    row = await db.fetchone(
        f"SELECT {_COLUMNS} FROM outbox WHERE id = ?",  # noqa: S608 - fixed columns
        (mail_id,),
    )
    return None if row is None else _mail(row)


_LISTED = (
    "SELECT o.id, o.kind, o.to_user_id, o.to_address, o.language, o.subject, o.body_text,"
    " o.body_html, o.caused_by, o.status, o.attempts, o.created_at, o.next_attempt_at,"
    " o.claimed_until, o.message_id, o.sent_at, o.failed_at, o.last_error,"
    " c.email AS caused_by_email FROM outbox o LEFT JOIN users c ON c.id = o.caused_by"
)


async def page(
    db: Database, *, status: str | None, limit: int, offset: int, to_user_id: int | None = None
) -> list[OutboxMail]:
    """Mails newest first, optionally of one status or to one account."""
    where: list[str] = []
    params: list[object] = []
    if status is not None:
        where.append("o.status = ?")
        params.append(status)
    if to_user_id is not None:
        where.append("o.to_user_id = ?")
        params.append(to_user_id)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    rows = await db.fetchall(
        f"{_LISTED}{clause} ORDER BY o.id DESC LIMIT ? OFFSET ?",
        (*params, limit, offset),
    )
    return [_mail(row) for row in rows]


async def counts(db: Database) -> dict[str, int]:
    """How many mails are in each status (every status present, 0 if none)."""
    rows = await db.fetchall("SELECT status, count(*) AS n FROM outbox GROUP BY status")
    found = {row["status"]: row["n"] for row in rows}
    return {status: int(found.get(status, 0)) for status in STATUSES}


async def failed_count(db: Database) -> int:
    return int(await db.scalar("SELECT count(*) FROM outbox WHERE status = 'failed'") or 0)


async def forget_recipient(tx: Transaction, user_id: int, *, address: str) -> None:
    """Blank the mails to a user whose identity is removed (anonymise, delete)."""
    await tx.execute(
        "UPDATE outbox SET to_address = ?, subject = '', body_text = '', body_html = ''"
        " WHERE to_user_id = ?",
        (address, user_id),
    )


async def email_of(tx: Transaction, user_id: int | None) -> str | None:
    """The address of the user who caused a mail, for the audit log."""
    if user_id is None:
        return None
    row = await tx.fetchone("SELECT email FROM users WHERE id = ?", (user_id,))
    return None if row is None else str(row["email"])


@dataclass(frozen=True, slots=True)
class Recipient:
    id: int
    email: str
    name: str
    locale: str | None


async def recipient(tx: Transaction, user_id: int) -> Recipient | None:
    """Address, name and language of an account that can receive mail (not anonymised)."""
    row = await tx.fetchone(
        "SELECT id, email, name, locale FROM users WHERE id = ? AND anonymised = 0", (user_id,)
    )
    if row is None:
        return None
    return Recipient(row["id"], row["email"], row["name"], row["locale"])


async def recipient_by_email(tx: Transaction, email: str) -> Recipient | None:
    """The active, not anonymised account with this address (any case), if there is one."""
    row = await tx.fetchone(
        "SELECT id, email, name, locale FROM users"
        " WHERE lower(email) = lower(?) AND active = 1 AND anonymised = 0",
        (email.strip(),),
    )
    if row is None:
        return None
    return Recipient(row["id"], row["email"], row["name"], row["locale"])


async def purge_finished(tx: Transaction, before: datetime) -> int:
    """Delete sent and failed mails older than `before` (`learning purge`); queued stay."""
    cur = await tx.execute(
        "DELETE FROM outbox WHERE status IN ('sent', 'failed')"
        " AND coalesce(sent_at, failed_at, created_at) < ?",
        (to_db(before),),
    )
    return int(cur.rowcount)
