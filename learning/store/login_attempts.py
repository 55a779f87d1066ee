"""Login attempts, counted for throttling."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from learning.core.clock import from_db, to_db
from learning.store.db import Database


@dataclass(frozen=True, slots=True)
class FailureCount:
    count: int
    last: datetime | None
    first: datetime | None


async def record_attempt(
    db: Database, email: str, address: str, now: datetime, *, success: bool
) -> None:
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO login_attempts (email, address, at, success) VALUES (?, ?, ?, ?)",
            (email.strip().lower(), address, to_db(now), int(success)),
        )


def _count(row: tuple[int, str | None, str | None]) -> FailureCount:
    count, first, last = row
    return FailureCount(
        int(count), from_db(last) if last else None, from_db(first) if first else None
    )


async def pair_failures(db: Database, email: str, address: str, since: datetime) -> FailureCount:
    """Failures for this account from this address since the window start or the last success."""
    row = await db.fetchone(
        "SELECT count(*), min(at), max(at) FROM login_attempts"
        " WHERE email = ? AND address = ? AND success = 0 AND at >= max(?, coalesce("
        "  (SELECT max(at) FROM login_attempts"
        "   WHERE email = ? AND address = ? AND success = 1), ''))",
        (email.strip().lower(), address, to_db(since), email.strip().lower(), address),
    )
    return _count((row[0], row[1], row[2]) if row else (0, None, None))


async def address_failures(db: Database, address: str, since: datetime) -> FailureCount:
    row = await db.fetchone(
        "SELECT count(*), min(at), max(at) FROM login_attempts"
        " WHERE address = ? AND success = 0 AND at >= ?",
        (address, to_db(since)),
    )
    return _count((row[0], row[1], row[2]) if row else (0, None, None))


async def account_failures(db: Database, email: str, since: datetime) -> FailureCount:
    row = await db.fetchone(
        "SELECT count(*), min(at), max(at) FROM login_attempts"
        " WHERE email = ? AND success = 0 AND at >= ?",
        (email.strip().lower(), to_db(since)),
    )
    return _count((row[0], row[1], row[2]) if row else (0, None, None))
