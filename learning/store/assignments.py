"""Assignments of a course to a group or one user, with a due rule and optional renewal.

The store side of issue 17 (migration 0080). An assignment is live while `removed_at`
is NULL; removing it keeps the row (history), and never touches what learners did.

For reminders, reports and the start page, `learner_assignments` lists one
`LearnerAssignment` per (live assignment, learner it applies to): an active learner,
enrolled in the course, who is the assigned user or a current member of the assigned
group. It carries every fact that `rules/assignments.py` needs to compute the due
date and the status (pure functions, no SQL): read them there, not here.

    from learning.rules.assignments import effective, first_due
    from learning.store import assignments
    rows = await assignments.learner_assignments(db, course_id="ikk")  # or user_id=...
    for facts, standing in effective(rows, today, tz):  # one per (learner, course)
        standing.status, standing.due, standing.valid_until, standing.overdue_since

`learner_assignments` and its types live in `store/assignment_facts.py` and are
re-exported here. Writers: `create`, `target_learners` + `enrol_targets`, `remove`;
readers for the admin: `get`, `list_assignments`. The status vocabulary (`STATUSES`,
`STATUS_LABELS`) is here so that rules and reports share it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from learning.core.clock import from_db, to_db
from learning.core.i18n import N_
from learning.store.assignment_facts import DueRule, LearnerAssignment, due_of, learner_assignments
from learning.store.db import INTEGRITY_ERRORS, Database, Row, Transaction

__all__ = ["DueRule", "LearnerAssignment", "learner_assignments"]

# The assignment statuses `rules/assignments.standing` computes, in report order.
Status = Literal[
    "not_started", "in_progress", "completed_on_time", "completed_late", "overdue", "expired"
]
STATUSES: tuple[Status, ...] = (
    "not_started",
    "in_progress",
    "completed_on_time",
    "completed_late",
    "overdue",
    "expired",
)
STATUS_LABELS: dict[Status, str] = {
    "not_started": N_("Nicht begonnen"),
    "in_progress": N_("In Bearbeitung"),
    "completed_on_time": N_("Fristgerecht abgeschlossen"),
    "completed_late": N_("Verspätet abgeschlossen"),
    "overdue": N_("Überfällig"),
    "expired": N_("Abgelaufen"),
}


class AlreadyAssigned(Exception):
    """The course already has a live assignment to that group or user."""


@dataclass(frozen=True, slots=True)
class Assignment:
    id: int
    course_id: str
    group_id: int | None
    group_name: str | None
    user_id: int | None
    user_name: str | None
    due: DueRule
    renew_months: int | None
    reminders: str | None
    created_by: int | None
    created_at: datetime
    removed_at: datetime | None
    # Learners it applies to now (active, enrolled, in the group or the user).
    learners: int


async def create(
    tx: Transaction,
    *,
    course_id: str,
    group_id: int | None = None,
    user_id: int | None = None,
    due: DueRule,
    renew_months: int | None,
    reminders: str | None = None,
    by: int | None,
    now: datetime,
) -> int:
    """Insert a live assignment; AlreadyAssigned if the target has one for the course.

    The caller validates (the group exists and has learners, renew_months > 0) and
    enrols the learners (`enrol_targets`) in the same transaction.
    """
    try:
        async with tx.savepoint():
            return await tx.insert(
                "INSERT INTO assignments (course_id, group_id, user_id, due_on, due_days,"
                " renew_months, reminders, created_by, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    course_id,
                    group_id,
                    user_id,
                    None if due.on is None else due.on.isoformat(),
                    due.days,
                    renew_months,
                    reminders,
                    by,
                    to_db(now),
                ),
            )
    except INTEGRITY_ERRORS as exc:
        if "UNIQUE" in str(exc) or "duplicate key" in str(exc):
            raise AlreadyAssigned(course_id) from exc
        raise


async def target_learners(
    tx: Transaction, *, group_id: int | None = None, user_id: int | None = None
) -> list[int]:
    """The active learners an assignment to this group or user reaches."""
    column = "group_id" if group_id is not None else "id"
    rows = await tx.fetchall(
        f"SELECT id FROM users WHERE {column} = ? AND role = 'learner'"  # noqa: S608 - a constant
        " AND active = 1 AND anonymised = 0 ORDER BY id",
        (group_id if group_id is not None else user_id,),
    )
    return [int(row["id"]) for row in rows]


async def enrol_targets(
    tx: Transaction, user_ids: list[int], course_id: str, *, by: int | None, now: datetime
) -> list[int]:
    """Enrol the learners who are not yet; return those newly enrolled."""
    new: list[int] = []
    for uid in user_ids:
        cur = await tx.execute(
            "INSERT INTO enrolments (user_id, course_id, enrolled_at, enrolled_by)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (user_id, course_id) DO NOTHING",
            (uid, course_id, to_db(now), by),
        )
        if cur.rowcount == 1:
            new.append(uid)
        await cur.close()
    return new


async def remove(tx: Transaction, assignment_id: int, *, by: int | None, now: datetime) -> bool:
    """Soft-remove a live assignment; False if there is none with that id.

    Enrolments, progress, completions and certificates stay as they are.
    """
    cur = await tx.execute(
        "UPDATE assignments SET removed_at = ?, removed_by = ? WHERE id = ? AND removed_at IS NULL",
        (to_db(now), by, assignment_id),
    )
    changed = cur.rowcount == 1
    await cur.close()
    return changed


_ASSIGNMENT_SELECT = (
    "SELECT a.*, g.name AS group_name, u.name AS user_name,"
    " (SELECT count(*) FROM users l JOIN enrolments e"
    "   ON e.user_id = l.id AND e.course_id = a.course_id"
    "  WHERE l.role = 'learner' AND l.active = 1 AND l.anonymised = 0"
    "   AND (l.id = a.user_id OR l.group_id = a.group_id)) AS learners"
    " FROM assignments a LEFT JOIN groups g ON g.id = a.group_id"
    " LEFT JOIN users u ON u.id = a.user_id"
)


def _assignment(row: Row) -> Assignment:
    return Assignment(
        id=row["id"],
        course_id=row["course_id"],
        group_id=row["group_id"],
        group_name=row["group_name"],
        user_id=row["user_id"],
        user_name=row["user_name"],
        due=due_of(row),
        renew_months=row["renew_months"],
        reminders=row["reminders"],
        created_by=row["created_by"],
        created_at=from_db(row["created_at"]),
        removed_at=None if row["removed_at"] is None else from_db(row["removed_at"]),
        learners=int(row["learners"]),
    )


async def get(db: Database | Transaction, assignment_id: int) -> Assignment | None:
    row = await db.fetchone(f"{_ASSIGNMENT_SELECT} WHERE a.id = ?", (assignment_id,))
    return None if row is None else _assignment(row)


async def list_assignments(
    db: Database, *, course_id: str | None = None, include_removed: bool = False
) -> list[Assignment]:
    """Assignments, newest first; removed ones only when asked for (history)."""
    where = ["true"]
    params: list[object] = []
    if course_id is not None:
        where.append("a.course_id = ?")
        params.append(course_id)
    if not include_removed:
        where.append("a.removed_at IS NULL")
    rows = await db.fetchall(
        f"{_ASSIGNMENT_SELECT} WHERE {' AND '.join(where)} ORDER BY a.created_at DESC, a.id DESC",
        params,
    )
    return [_assignment(row) for row in rows]


async def version(db: Database) -> tuple[int, int, str]:
    """Changes whenever an assignment is created or removed (a cache key)."""
    row = await db.fetchone(
        "SELECT count(*), coalesce(max(id), 0), coalesce(max(removed_at), '') FROM assignments"
    )
    return (0, 0, "") if row is None else (int(row[0]), int(row[1]), str(row[2]))


async def set_validity(
    tx: Transaction, user_id: int, course_id: str, valid_until: date | None
) -> None:
    """Record the last valid day on the learner's current certificate for the course."""
    await tx.execute(
        "UPDATE certificates SET valid_until = ? WHERE user_id = ? AND course_id = ?",
        (None if valid_until is None else valid_until.isoformat(), user_id, course_id),
    )
