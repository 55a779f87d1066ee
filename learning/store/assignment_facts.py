"""The facts behind each (live assignment, learner): read for the due-date and status rules.

Re-exported by `store/assignments.py`, which is where callers import them from.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from learning.core.clock import from_db
from learning.store.db import Database, Transaction


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


def due_of(row: sqlite3.Row) -> DueRule:
    return DueRule(on=_date(row["due_on"]), days=row["due_days"])


def _marks(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))


class _Facts:
    """The per-learner facts of the courses in question, read as whole index ranges.

    One query per table and a join in Python: at 10,000 learners a join in SQL did
    six b-tree lookups per row and took several times as long.
    """

    def __init__(self) -> None:
        self.enrolled: set[tuple[int, str]] = set()
        self.activity: dict[tuple[int, str], sqlite3.Row] = {}
        self.certificates: dict[tuple[int, str], sqlite3.Row] = {}
        self.replaced: dict[tuple[int, str], str] = {}

    async def read(
        self, db: Database | Transaction, courses: list[str], user_id: int | None
    ) -> None:
        where = f"course_id IN ({_marks(courses)})" + (" AND user_id = ?" if user_id else "")
        params = [*courses, *([user_id] if user_id else [])]

        async def rows(select: str, tail: str = "") -> list[sqlite3.Row]:
            return await db.fetchall(f"{select} WHERE {where}{tail}", params)

        enrolments = await rows("SELECT user_id, course_id FROM enrolments")
        self.enrolled = {(r[0], r[1]) for r in enrolments}
        activity = await rows(
            "SELECT user_id, course_id, last_activity, completed_at FROM course_activity"
        )
        self.activity = {(r[0], r[1]): r for r in activity}
        certificates = await rows(
            "SELECT user_id, course_id, issued_at, valid_until FROM certificates"
        )
        self.certificates = {(r[0], r[1]): r for r in certificates}
        replaced = await rows(
            "SELECT user_id, course_id, max(valid_until) FROM certificates_replaced",
            " GROUP BY user_id, course_id",
        )
        self.replaced = {(r[0], r[1]): r[2] for r in replaced if r[2] is not None}


_PERSON = (
    "SELECT id, name, email, locale, group_id FROM users"
    " WHERE role = 'learner' AND active = 1 AND anonymised = 0"
)


async def _people(
    db: Database | Transaction, live: list[sqlite3.Row], user_id: int | None
) -> tuple[dict[int, sqlite3.Row], dict[int, str]]:
    """The learners the live assignments reach, and when each joined their group."""
    groups = sorted({a["group_id"] for a in live if a["group_id"] is not None})
    direct = sorted({a["user_id"] for a in live if a["user_id"] is not None})
    narrow = [user_id] if user_id else []
    people: dict[int, sqlite3.Row] = {}
    joined: dict[int, str] = {}

    async def select(sql: str, ids: list[int], column: str) -> list[sqlite3.Row]:
        only = f" AND {column} = ?" if user_id else ""
        return await db.fetchall(f"{sql} IN ({_marks(ids)}){only}", [*ids, *narrow])

    if groups:
        rows = await select(f"{_PERSON} AND group_id", groups, "id")
        people.update((r["id"], r) for r in rows)
        rows = await select(
            "SELECT user_id, joined_at FROM group_memberships WHERE left_at IS NULL AND group_id",
            groups,
            "user_id",
        )
        joined = {r[0]: r[1] for r in rows}
    if direct:
        rows = await select(f"{_PERSON} AND id", direct, "id")
        people.update((r["id"], r) for r in rows)
    return people, joined


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
    a: sqlite3.Row,
    reached: list[tuple[sqlite3.Row, str]],
    facts: _Facts,
    times: _Times,
) -> list[LearnerAssignment]:
    course, due = a["course_id"], due_of(a)
    found: list[LearnerAssignment] = []
    for person, since in reached:
        key = (person[0], course)
        if key not in facts.enrolled:
            continue
        activity = facts.activity.get(key)
        certificate = facts.certificates.get(key)
        found.append(
            LearnerAssignment(
                a["id"],
                course,
                person[0],
                person[1],
                person[2],
                person[3],
                person[4],
                due,
                a["renew_months"],
                a["reminders"],
                times(since) or from_db(since),
                activity is not None and activity[2] is not None,
                None if activity is None else times(activity[3]),
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
    people, joined = await _people(db, live, user_id)
    by_group: dict[int, list[sqlite3.Row]] = defaultdict(list)
    for person in people.values():
        by_group[person[4]].append(person)
    facts = _Facts()
    await facts.read(db, sorted({a["course_id"] for a in live}), user_id)
    found: list[LearnerAssignment] = []
    times = _Times()
    for a in live:
        created = a["created_at"]
        if a["user_id"] is not None:
            target = people.get(a["user_id"])
            reached = [] if target is None else [(target, created)]
        else:
            members = by_group.get(a["group_id"], [])
            reached = [(p, max(created, joined.get(p[0], ""))) for p in members]
        found.extend(_learners(a, reached, facts, times))
    return found
