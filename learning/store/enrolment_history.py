"""Un-enrolment by an admin, with its history (migration 0080: enrolment_removals).

The enrolment row goes, so the learner is no longer enrolled, assigned or reminded;
the removal keeps what the enrolment was and who ended it. Page views, answers,
attempts, completions and certificates stay: nothing the learner did is deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from learning.core.clock import to_db
from learning.store.db import Database, Transaction


@dataclass(frozen=True, slots=True)
class Removal:
    course_id: str
    enrolled_at: str
    removed_at: str


async def unenrol(
    tx: Transaction, user_id: int, course_id: str, *, by: int | None, now: datetime
) -> bool:
    """End the enrolment, recording it; False if the user was not enrolled."""
    cur = await tx.execute(
        "INSERT INTO enrolment_removals (user_id, course_id, enrolled_at, enrolled_by,"
        " removed_at, removed_by)"
        " SELECT user_id, course_id, enrolled_at, enrolled_by, ?, ? FROM enrolments"
        " WHERE user_id = ? AND course_id = ?",
        (to_db(now), by, user_id, course_id),
    )
    moved = cur.rowcount == 1
    await cur.close()
    if moved:
        await tx.execute(
            "DELETE FROM enrolments WHERE user_id = ? AND course_id = ?", (user_id, course_id)
        )
    return moved


async def removals_of(db: Database, user_id: int) -> list[Removal]:
    rows = await db.fetchall(
        "SELECT course_id, enrolled_at, removed_at FROM enrolment_removals WHERE user_id = ?"
        " ORDER BY removed_at DESC, id DESC",
        (user_id,),
    )
    return [Removal(r["course_id"], r["enrolled_at"], r["removed_at"]) for r in rows]


@dataclass(frozen=True, slots=True)
class Participant:
    user_id: int
    name: str
    email: str
    group_name: str | None
    enrolled_at: str


async def participants(db: Database, course_id: str) -> list[Participant]:
    """The active learners enrolled in the course, by name (for named mode only)."""
    rows = await db.fetchall(
        "SELECT u.id, u.name, u.email, g.name AS group_name, e.enrolled_at"
        " FROM enrolments e JOIN users u ON u.id = e.user_id"
        " LEFT JOIN groups g ON g.id = u.group_id"
        " WHERE e.course_id = ? AND u.role = 'learner' AND u.anonymised = 0"
        " ORDER BY lower(u.name), u.id",
        (course_id,),
    )
    return [
        Participant(r["id"], r["name"], r["email"], r["group_name"], r["enrolled_at"]) for r in rows
    ]
