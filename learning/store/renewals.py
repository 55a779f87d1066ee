"""Renewed certificates: re-issue after a renewed pass, keep the replaced one verifiable.

A renewal replaces the learner's one `certificates` row for the course (new code,
issue time and validity) and moves the old one to `certificates_replaced`
(migration 0080), whose codes /verify still answers, as expired.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from learning.core.clock import to_db
from learning.store.attempts import new_certificate_code
from learning.store.db import Database, Transaction


@dataclass(frozen=True, slots=True)
class Replaced:
    code: str
    course_id: str
    learner_name: str
    course_title: str
    issued_at: str
    valid_until: str | None
    replaced_at: str


async def reissue(
    tx: Transaction,
    *,
    user_id: int,
    course_id: str,
    learner_name: str,
    course_title: str,
    valid_until: date | None,
    now: datetime,
) -> str | None:
    """Replace the learner's certificate for the course; its new code, None if none."""
    cur = await tx.execute(
        "INSERT INTO certificates_replaced (code, user_id, course_id, learner_name,"
        " course_title, issued_at, valid_until, replaced_at)"
        " SELECT code, user_id, course_id, learner_name, course_title, issued_at, valid_until, ?"
        " FROM certificates WHERE user_id = ? AND course_id = ?",
        (to_db(now), user_id, course_id),
    )
    moved = cur.rowcount == 1
    await cur.close()
    if not moved:
        return None
    code = new_certificate_code()
    await tx.execute(
        "UPDATE certificates SET code = ?, issued_at = ?, valid_until = ?, learner_name = ?,"
        " course_title = ? WHERE user_id = ? AND course_id = ?",
        (
            code,
            to_db(now),
            None if valid_until is None else valid_until.isoformat(),
            learner_name,
            course_title,
            user_id,
            course_id,
        ),
    )
    return code


async def attempts_since(
    tx: Transaction | Database, user_id: int, course_id: str, since: datetime
) -> int:
    """Final-test attempts started after `since` (the renewal's own tries)."""
    row = await tx.fetchone(
        "SELECT count(*) FROM test_attempts WHERE user_id = ? AND course_id = ? AND started_at > ?",
        (user_id, course_id, to_db(since)),
    )
    return int(row[0]) if row else 0


async def passed_since(tx: Transaction, user_id: int, course_id: str, since: datetime) -> bool:
    row = await tx.fetchone(
        "SELECT 1 FROM test_attempts WHERE user_id = ? AND course_id = ? AND passed = 1"
        " AND submitted_at > ? LIMIT 1",
        (user_id, course_id, to_db(since)),
    )
    return row is not None


async def replaced(db: Database, code: str) -> Replaced | None:
    """A replaced certificate by its code (as /verify reads it)."""
    row = await db.fetchone(
        "SELECT code, course_id, learner_name, course_title, issued_at, valid_until, replaced_at"
        " FROM certificates_replaced WHERE code = ?",
        (code.strip().upper(),),
    )
    if row is None:
        return None
    return Replaced(
        code=row["code"],
        course_id=row["course_id"],
        learner_name=row["learner_name"],
        course_title=row["course_title"],
        issued_at=row["issued_at"],
        valid_until=row["valid_until"],
        replaced_at=row["replaced_at"],
    )
