"""Completion reports and item statistics: the SQL behind /admin/reports and /trainer.

Only learners count (role = 'learner'): trainers and admins are left out of every figure.
Participants of a course are the learners who are enrolled in it, viewed a page of it or
completed it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from learning.store.db import Database

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


# course_activity is the per-(learner, course) summary the triggers of migration 0030
# keep current, so a report reads one row per learner instead of every fact.
_LEARNERS = """
WITH people(user_id) AS (
    SELECT user_id FROM enrolments WHERE course_id = :course
    UNION SELECT user_id FROM course_activity WHERE course_id = :course AND pages_seen > 0
    UNION SELECT user_id FROM completions WHERE course_id = :course
),
r AS (
    SELECT u.id AS user_id, u.name, u.email, u.group_id, g.name AS group_name,
           e.user_id IS NOT NULL AS enrolled,
           coalesce(a.pages_seen, 0) > 0 AS started,
           CASE WHEN c.user_id IS NOT NULL THEN 'completed'
                WHEN coalesce(a.pages_seen, 0) > 0 THEN 'started'
                ELSE 'not_started' END AS status,
           CASE WHEN c.user_id IS NOT NULL THEN 2
                WHEN coalesce(a.pages_seen, 0) > 0 THEN 1 ELSE 0 END AS status_rank,
           CASE WHEN :npages > 0
                THEN round(100.0 * min(coalesce(a.pages_seen, 0), :npages) / :npages, 1)
                ELSE 0.0 END AS progress,
           coalesce(a.seconds, 0) AS seconds,
           nullif(max(coalesce(a.last_activity, ''), coalesce(c.completed_at, '')), '')
               AS last_activity,
           a.best_score AS best_score, c.score AS final_score,
           coalesce(a.attempts, 0) AS attempts,
           c.completed_at, cert.code AS certificate
    FROM people p
    JOIN users u ON u.id = p.user_id AND u.role = 'learner'
    LEFT JOIN groups g ON g.id = u.group_id
    LEFT JOIN enrolments e ON e.user_id = u.id AND e.course_id = :course
    LEFT JOIN course_activity a ON a.user_id = u.id AND a.course_id = :course
    LEFT JOIN completions c ON c.user_id = u.id AND c.course_id = :course
    LEFT JOIN certificates cert ON cert.user_id = u.id AND cert.course_id = :course
)
SELECT * FROM r
"""


def _learner_query(
    course_id: str, page_ids: Sequence[str], flt: LearnerFilter
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
        where.append("last_activity < date(:until, '+1 day')")
        params["until"] = flt.until.isoformat()
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    order = SORT_COLUMNS.get(flt.sort, SORT_COLUMNS["name"])
    direction = "DESC" if flt.descending else "ASC"
    # Empty values sort last in both directions.
    sql = f"{_LEARNERS}{clause} ORDER BY {order.split()[0]} IS NULL, {order} {direction}, user_id"
    return sql, params


def _row(row: sqlite3.Row) -> LearnerRow:
    return LearnerRow(
        user_id=row["user_id"],
        name=row["name"],
        email=row["email"],
        group_id=row["group_id"],
        group_name=row["group_name"],
        enrolled=bool(row["enrolled"]),
        started=bool(row["started"]),
        status=row["status"],
        progress=float(row["progress"]),
        seconds=int(row["seconds"]),
        last_activity=row["last_activity"],
        best_score=None if row["best_score"] is None else float(row["best_score"]),
        final_score=None if row["final_score"] is None else float(row["final_score"]),
        attempts=int(row["attempts"]),
        completed_at=row["completed_at"],
        certificate=row["certificate"],
    )


async def iterate_learners(
    db: Database, course_id: str, page_ids: Sequence[str], flt: LearnerFilter
) -> AsyncIterator[LearnerRow]:
    """Stream the per-learner rows in batches: exports never hold them all."""
    sql, params = _learner_query(course_id, page_ids, flt)
    async for row in db.iterate(sql, params):
        yield _row(row)


async def learners(
    db: Database, course_id: str, page_ids: Sequence[str], flt: LearnerFilter
) -> list[LearnerRow]:
    return [row async for row in iterate_learners(db, course_id, page_ids, flt)]


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
        ") GROUP BY question_id",
        {"c": course_id},
    )
    return StoredIds(
        pages={str(r[0]): int(r[1]) for r in page_rows},
        questions={str(r[0]): int(r[1]) for r in question_rows},
    )


async def group_id_by_name(db: Database, name: str) -> int | None:
    value = await db.scalar("SELECT id FROM groups WHERE name = ?", (name.strip(),))
    return None if value is None else int(value)
