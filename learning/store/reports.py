"""Completion reports and item statistics: the SQL behind /admin/reports and /trainer.

Only learners count (role = 'learner'): trainers and admins are left out of every figure.
Participants of a course are the learners who are enrolled in it, viewed a page of it or
completed it.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, NamedTuple

from learning.store.db import Database, Row

Status = Literal["not_started", "started", "completed"]
STATUSES: tuple[Status, ...] = ("not_started", "started", "completed")

# Sortable columns: the key in the URL -> the SQL expression it orders by.
SORT_COLUMNS: dict[str, str] = {
    "name": "name COLLATE NOCASE",
    "group": "group_name COLLATE NOCASE",
    "status": "status_rank",
    "progress": "progress",
    "last_activity": "last_activity",
    "best_score": "best_score",
    "attempts": "attempts",
    "completed_at": "completed_at",
}


@dataclass(frozen=True, slots=True)
class LearnerFilter:
    group_id: int | None = None
    status: Status | None = None
    since: date | None = None  # last activity on or after
    until: date | None = None  # last activity on or before
    sort: str = "name"
    descending: bool = False
    # An assignment status (rules/assignments.STATUSES): applied after reading, in
    # reports/export.py, because it is computed from dates in Python.
    assignment: str | None = None


@dataclass(frozen=True, slots=True)
class LearnerRow:
    user_id: int
    name: str
    email: str
    group_id: int | None
    group_name: str | None
    enrolled: bool
    started: bool
    status: Status
    progress: float  # percent 0..100 of the current content pages
    seconds: int
    last_activity: str | None
    best_score: float | None
    final_score: float | None  # the score of the completion
    attempts: int
    completed_at: str | None
    certificate: str | None


# course_activity is the per-(learner, course) summary the triggers of migrations 0030
# and 0035 keep current (views, attempts, enrolment, completion), so a report reads one
# index range of it instead of every fact. A participant is enrolled, has seen a page
# or has completed the course.
_LEARNERS = """
WITH r AS (
    SELECT u.id AS user_id, u.name, u.email, u.group_id, g.name AS group_name,
           a.enrolled AS enrolled,
           a.pages_seen > 0 AS started,
           CASE WHEN a.completed_at IS NOT NULL THEN 'completed'
                WHEN a.pages_seen > 0 THEN 'started'
                ELSE 'not_started' END AS status,
           CASE WHEN a.completed_at IS NOT NULL THEN 2
                WHEN a.pages_seen > 0 THEN 1 ELSE 0 END AS status_rank,
           CASE WHEN :npages > 0
                THEN round(100.0 * min(a.pages_seen, :npages) / :npages, 1)
                ELSE 0.0 END AS progress,
           a.seconds AS seconds,
           nullif(max(coalesce(a.last_activity, ''), coalesce(a.completed_at, '')), '')
               AS last_activity,
           a.best_score AS best_score, a.final_score AS final_score,
           a.attempts AS attempts,
           a.completed_at AS completed_at,
           -- A column subquery, not a join: the figures do not select it, so they skip
           -- the lookup (a LEFT JOIN was done for every row regardless).
           (SELECT code FROM certificates
            WHERE user_id = a.user_id AND course_id = :course) AS certificate
    FROM course_activity a INDEXED BY course_activity_report
    JOIN users u ON u.id = a.user_id AND u.role = 'learner'
    LEFT JOIN groups g ON g.id = u.group_id
    WHERE a.course_id = :course
      AND (a.enrolled = 1 OR a.pages_seen > 0 OR a.completed_at IS NOT NULL)
)
SELECT * FROM r
"""


class FigureRow(NamedTuple):
    """What the course and group figures need of a learner: no names, cheap to build."""

    group_id: int | None
    group_name: str | None
    enrolled: bool
    started: bool
    status: Status
    seconds: int
    best_score: float | None
    completed_at: str | None
    last_activity: str | None
    user_id: int = 0


# The figures read the same rows as the learner table, with the filters applied, but
# only the columns they count: no names, no certificate, no sort.
_FIGURES = (
    "SELECT group_id, group_name, enrolled, started, status, seconds, best_score,"
    " completed_at, last_activity, user_id FROM r"
)


def _learner_query(
    course_id: str, page_ids: Sequence[str], flt: LearnerFilter, *, select: str = "SELECT * FROM r"
) -> tuple[str, dict[str, object]]:
    # Progress counts the distinct pages seen against today's number of pages; after an
    # edit that removes a page, an earlier view of it still counts (capped at 100 %).
    params: dict[str, object] = {"course": course_id, "npages": len(page_ids)}
    where: list[str] = []
    if flt.group_id is not None:
        where.append("group_id = :group_id")
        params["group_id"] = flt.group_id
    if flt.status is not None:
        where.append("status = :status")
        params["status"] = flt.status
    if flt.since is not None:
        where.append("last_activity >= :since")
        params["since"] = flt.since.isoformat()
    if flt.until is not None:
        # The day after, computed here: both backends compare the text as is.
        where.append("last_activity < :until")
        params["until"] = (flt.until + timedelta(days=1)).isoformat()
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    base = _LEARNERS.replace("SELECT * FROM r", select)
    if select != "SELECT * FROM r":
        return f"{base}{clause}", params
    order = SORT_COLUMNS.get(flt.sort, SORT_COLUMNS["name"])
    direction = "DESC" if flt.descending else "ASC"
    # Empty values sort last in both directions.
    sql = f"{base}{clause} ORDER BY {order.split()[0]} IS NULL, {order} {direction}, user_id"
    return sql, params


def _row(row: Row) -> LearnerRow:
    # Positional access: thousands of rows per report, and names cost a lookup each.
    # The order is the SELECT list of _LEARNERS (status_rank, index 8, is skipped).
    best, final = row[12], row[13]
    return LearnerRow(
        user_id=row[0],
        name=row[1],
        email=row[2],
        group_id=row[3],
        group_name=row[4],
        enrolled=bool(row[5]),
        started=bool(row[6]),
        status=row[7],
        progress=float(row[9]),
        seconds=int(row[10]),
        last_activity=row[11],
        best_score=None if best is None else float(best),
        final_score=None if final is None else float(final),
        attempts=int(row[14]),
        completed_at=row[15],
        certificate=row[16],
    )


async def iterate_learners(
    db: Database, course_id: str, page_ids: Sequence[str], flt: LearnerFilter
) -> AsyncIterator[LearnerRow]:
    """Stream the per-learner rows in batches: exports never hold them all."""
    sql, params = _learner_query(course_id, page_ids, flt)
    async for row in db.iterate(sql, params):
        yield _row(row)


async def snapshot_learners(
    db: Database, course_id: str, page_ids: Sequence[str], flt: LearnerFilter
) -> list[LearnerRow]:
    """The sorted learner table for an export, read in one go on a connection of its own."""
    sql, params = _learner_query(course_id, page_ids, flt)
    return [_row(row) for row in await db.snapshot(sql, params)]


async def learners(
    db: Database,
    course_id: str,
    page_ids: Sequence[str],
    flt: LearnerFilter,
    *,
    limit: int | None = None,
    offset: int = 0,
) -> list[LearnerRow]:
    """The learner table, sorted; `limit` and `offset` cut one screen page in SQL."""
    if limit is None:
        return [row async for row in iterate_learners(db, course_id, page_ids, flt)]
    sql, params = _learner_query(course_id, page_ids, flt)
    params = {**params, "limit": limit, "offset": offset}
    return [_row(row) for row in await db.fetchall(f"{sql} LIMIT :limit OFFSET :offset", params)]


async def figure_rows(
    db: Database, course_id: str, page_ids: Sequence[str], flt: LearnerFilter
) -> list[FigureRow]:
    sql, params = _learner_query(course_id, page_ids, flt, select=_FIGURES)
    return [
        FigureRow(r[0], r[1], bool(r[2]), bool(r[3]), r[4], int(r[5]), r[6], r[7], r[8], r[9])
        for r in await db.fetchall(sql, params)
    ]


@dataclass(frozen=True, slots=True)
class ItemResponse:
    attempt_id: int
    user_id: int
    total: float  # the attempt's score
    question_id: str
    correct: bool
    response: object


async def item_responses(db: Database, course_id: str) -> list[ItemResponse]:
    """Every answer of every submitted final-test attempt by a learner in this course."""
    rows = await db.fetchall(
        "SELECT a.id AS attempt_id, a.user_id, a.score, t.question_id, t.correct, t.response"
        " FROM test_attempts a JOIN test_answers t ON t.attempt_id = a.id"
        " JOIN users u ON u.id = a.user_id AND u.role = 'learner'"
        " WHERE a.course_id = ? AND a.submitted_at IS NOT NULL"
        " ORDER BY a.id, t.question_id",
        (course_id,),
    )
    result: list[ItemResponse] = []
    for row in rows:
        try:
            response: object = json.loads(row["response"]) if row["response"] else None
        except ValueError:
            response = None
        result.append(
            ItemResponse(
                attempt_id=row["attempt_id"],
                user_id=row["user_id"],
                total=float(row["score"] or 0.0),
                question_id=row["question_id"],
                correct=bool(row["correct"]),
                response=response,
            )
        )
    return result


@dataclass(frozen=True, slots=True)
class StoredIds:
    pages: dict[str, int]  # page id -> learners with a stored view
    questions: dict[str, int]  # question id -> learners with a stored answer


async def stored_ids(db: Database, course_id: str) -> StoredIds:
    """The page and question ids progress is stored against, with how many learners."""
    page_rows = await db.fetchall(
        "SELECT page_id, count(DISTINCT user_id) FROM page_views WHERE course_id = ?"
        " GROUP BY page_id",
        (course_id,),
    )
    question_rows = await db.fetchall(
        "SELECT question_id, count(DISTINCT user_id) FROM ("
        " SELECT question_id, user_id FROM answers WHERE course_id = :c"
        " UNION ALL SELECT question_id, user_id FROM reflections WHERE course_id = :c"
        " UNION ALL SELECT question_id, user_id FROM scenario_runs WHERE course_id = :c"
        " UNION ALL SELECT t.question_id, a.user_id FROM test_answers t"
        "  JOIN test_attempts a ON a.id = t.attempt_id WHERE a.course_id = :c"
        ") AS touched GROUP BY question_id",
        {"c": course_id},
    )
    return StoredIds(
        pages={str(r[0]): int(r[1]) for r in page_rows},
        questions={str(r[0]): int(r[1]) for r in question_rows},
    )


async def group_id_by_name(db: Database, name: str) -> int | None:
    value = await db.scalar("SELECT id FROM groups WHERE name = ?", (name.strip(),))
    return None if value is None else int(value)
