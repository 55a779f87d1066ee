"""The facts behind each (live assignment, learner): read for the due-date and status rules.

Re-exported by `store/assignments.py`, which is where callers import them from.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from learning.core.clock import from_db
from learning.store.db import Database, Row, Transaction


@dataclass(frozen=True, slots=True)
class DueRule:
    """A fixed local date, or a number of days after the assignment (or joining)."""

    on: date | None = None
    days: int | None = None

    def __post_init__(self) -> None:
        if (self.on is None) == (self.days is None):
            raise ValueError("exactly one of on and days")


@dataclass(frozen=True, slots=True)
class LearnerAssignment:
    """One learner under one live assignment: the facts its due date and status need."""

    assignment_id: int
    course_id: str
    user_id: int
    name: str
    email: str
    locale: str | None
    group_id: int | None
    due: DueRule
    renew_months: int | None
    reminders: str | None
    # When the assignment began for this learner: its creation, or the learner's
    # joining of the assigned group if that was later (UTC).
    assigned_at: datetime
    # Any page view, answer or submitted attempt in the course.
    started: bool
    # The first completion (UTC), kept for good.
    completed_at: datetime | None
    # The current certificate: issued (UTC, a renewal re-issues it) and its last
    # valid local day (None: no expiry recorded).
    certified_at: datetime | None
    valid_until: date | None
    # The last valid day of the certificate the current one replaced (renewals).
    previous_valid_until: date | None


def _date(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def due_of(row: Row) -> DueRule:
    return DueRule(on=_date(row["due_on"]), days=row["due_days"])


def _marks(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))


# The enrolled, active learners of the courses with their activity summary: one
# covering index range of course_activity (`enrolled` mirrors enrolments, kept by the
# triggers of migration 0035) and the users by primary key. At 10,000 learners this
# and two small ranges replaced a join over six tables that took several times as long.
_ENROLLED = (
    "SELECT a.user_id, a.course_id, u.name, u.email, u.locale, u.group_id,"
    " a.last_activity, a.completed_at FROM course_activity a {hint}"
    " JOIN users u ON u.id = a.user_id AND u.role = 'learner' AND u.active = 1"
    " AND u.anonymised = 0 WHERE a.course_id IN ({courses}) AND a.enrolled = 1{only}"
)


class _Facts:
    """What the live assignments' courses hold about their learners, keyed for a join."""

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.joined: dict[int, str] = {}
        self.certificates: dict[tuple[int, str], Row] = {}
        self.replaced: dict[tuple[int, str], str] = {}

    async def read(
        self, db: Database | Transaction, courses: list[str], user_id: int | None, groups: bool
    ) -> None:
        only = " AND user_id = ?" if user_id else ""
        narrow = [user_id] if user_id else []
        # One learner: their own rows by primary key; a course: the covering range.
        hint = "" if user_id else "INDEXED BY course_activity_report"
        sql = _ENROLLED.format(
            hint=hint, courses=_marks(courses), only=only.replace("user_id", "a.user_id")
        )
        self.rows = await db.fetchall(sql, [*courses, *narrow])
        if groups:
            joined = await db.fetchall(
                f"SELECT user_id, joined_at FROM group_memberships WHERE left_at IS NULL{only}",  # noqa: S608 - constants
                narrow,
            )
            self.joined = {r[0]: r[1] for r in joined}
        where = f"course_id IN ({_marks(courses)}){only}"
        certificates = await db.fetchall(
            f"SELECT user_id, course_id, issued_at, valid_until FROM certificates WHERE {where}",  # noqa: S608 - placeholders only
            [*courses, *narrow],
        )
        self.certificates = {(r[0], r[1]): r for r in certificates}
        latest = "SELECT user_id, course_id, max(valid_until) FROM certificates_replaced"
        replaced = await db.fetchall(
            f"{latest} WHERE {where} GROUP BY user_id, course_id",
            [*courses, *narrow],
        )
        self.replaced = {(r[0], r[1]): r[2] for r in replaced if r[2] is not None}


class _Times:
    """UTC text to datetime, each distinct text parsed once (many learners share one)."""

    def __init__(self) -> None:
        self._seen: dict[str, datetime] = {}

    def __call__(self, text: str | None) -> datetime | None:
        if text is None:
            return None
        found = self._seen.get(text)
        if found is None:
            found = self._seen[text] = from_db(text)
        return found


def _learners(
    a: Row, reached: list[tuple[Row, str]], facts: _Facts, times: _Times
) -> list[LearnerAssignment]:
    due = due_of(a)
    found: list[LearnerAssignment] = []
    for row, since in reached:
        key = (row[0], row[1])
        certificate = facts.certificates.get(key)
        found.append(
            LearnerAssignment(
                a["id"],
                row[1],
                row[0],
                row[2],
                row[3],
                row[4],
                row[5],
                due,
                a["renew_months"],
                a["reminders"],
                times(since) or from_db(since),
                row[6] is not None,
                times(row[7]),
                None if certificate is None else times(certificate[2]),
                None if certificate is None else _date(certificate[3]),
                _date(facts.replaced.get(key)),
            )
        )
    return found


async def learner_assignments(
    db: Database | Transaction,
    *,
    user_id: int | None = None,
    course_id: str | None = None,
    assignment_id: int | None = None,
) -> list[LearnerAssignment]:
    """Every (live assignment, learner) pair, narrowed by learner, course or assignment.

    A learner under two assignments of one course (their own and their group's) gets
    two rows; `rules.assignments.effective` picks the one that counts. Rows come per
    assignment, in no further order. Scope it: a learner's page passes their own
    user_id, nothing else.
    """
    where, params = ["removed_at IS NULL"], []
    for column, value in (("course_id", course_id), ("id", assignment_id)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    clause = " AND ".join(where)
    live = await db.fetchall(f"SELECT * FROM assignments WHERE {clause} ORDER BY id", params)  # noqa: S608 - constants
    if not live:
        return []
    facts = _Facts()
    groups = any(a["group_id"] is not None for a in live)
    await facts.read(db, sorted({a["course_id"] for a in live}), user_id, groups)
    by_user: dict[tuple[int, str], Row] = {}
    by_group: dict[tuple[int, str], list[Row]] = defaultdict(list)
    for row in facts.rows:
        by_user[(row[0], row[1])] = row
        by_group[(row[5], row[1])].append(row)
    found: list[LearnerAssignment] = []
    times = _Times()
    for a in live:
        created = a["created_at"]
        if a["user_id"] is not None:
            target = by_user.get((a["user_id"], a["course_id"]))
            reached = [] if target is None else [(target, created)]
        else:
            members = by_group.get((a["group_id"], a["course_id"]), [])
            reached = [(r, max(created, facts.joined.get(r[0], ""))) for r in members]
        found.extend(_learners(a, reached, facts, times))
    return found
