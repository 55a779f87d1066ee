"""Knowledge-check answers, private reflections and scenario play-throughs."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from learning.core.clock import to_db
from learning.store.db import Database, Transaction


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    id: int
    question_id: str
    response: dict[str, Any]
    correct: bool | None
    created_at: str


@dataclass(frozen=True, slots=True)
class Reflection:
    course_id: str
    question_id: str
    text: str
    created_at: str
    updated_at: str


@dataclass(frozen=True, slots=True)
class ScenarioRun:
    id: int
    question_id: str
    path: list[dict[str, Any]]
    current_step: str
    started_at: str
    finished_at: str | None
    content_hash: str


@dataclass(frozen=True, slots=True)
class NewAnswer:
    user_id: int
    course_id: str
    question_id: str
    content_hash: str
    response: dict[str, Any]
    correct: bool | None
    now: datetime


_INSERT_ANSWER = (
    "INSERT INTO answers (user_id, course_id, question_id, content_hash, response, correct,"
    " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
)


def _answer_row(a: NewAnswer) -> tuple[object, ...]:
    return (
        a.user_id,
        a.course_id,
        a.question_id,
        a.content_hash,
        json.dumps(a.response, ensure_ascii=False),
        None if a.correct is None else int(a.correct),
        to_db(a.now),
    )


async def add_answers(tx: Transaction, rows: Sequence[NewAnswer]) -> None:
    """Append many knowledge-check answers with one statement (see group_commit)."""
    await tx.executemany(_INSERT_ANSWER, [_answer_row(a) for a in rows])


async def latest_answers(
    db: Database, user_id: int, course_id: str, question_ids: list[str]
) -> dict[str, tuple[StoredAnswer, int]]:
    """The newest answer per question, with the number of attempts so far."""
    if not question_ids:
        return {}
    marks = ",".join("?" for _ in question_ids)
    rows = await db.fetchall(
        "SELECT a.id, a.question_id, a.response, a.correct, a.created_at, c.n"  # noqa: S608 - only "?" marks are interpolated
        " FROM (SELECT question_id, max(id) AS last_id, count(*) AS n FROM answers"
        f"  WHERE user_id = ? AND course_id = ? AND question_id IN ({marks})"
        "  GROUP BY question_id) c JOIN answers a ON a.id = c.last_id",
        (user_id, course_id, *question_ids),
    )
    return {
        row["question_id"]: (
            StoredAnswer(
                row["id"],
                row["question_id"],
                json.loads(row["response"]),
                None if row["correct"] is None else bool(row["correct"]),
                row["created_at"],
            ),
            int(row["n"]),
        )
        for row in rows
    }


async def save_reflection(
    tx: Transaction, *, user_id: int, course_id: str, question_id: str, text: str, now: datetime
) -> None:
    stamp = to_db(now)
    await tx.execute(
        "INSERT INTO reflections (user_id, course_id, question_id, text, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, course_id, question_id)"
        " DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
        (user_id, course_id, question_id, text, stamp, stamp),
    )


async def reflections(db: Database, user_id: int, course_id: str | None = None) -> list[Reflection]:
    sql = (
        "SELECT course_id, question_id, text, created_at, updated_at FROM reflections"
        " WHERE user_id = ?"
    )
    params: list[object] = [user_id]
    if course_id is not None:
        sql += " AND course_id = ?"
        params.append(course_id)
    rows = await db.fetchall(sql + " ORDER BY course_id, updated_at", params)
    return [
        Reflection(r["course_id"], r["question_id"], r["text"], r["created_at"], r["updated_at"])
        for r in rows
    ]


def _run(row: Any) -> ScenarioRun:
    return ScenarioRun(
        id=row["id"],
        question_id=row["question_id"],
        path=json.loads(row["path"]),
        current_step=row["current_step"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        content_hash=row["content_hash"],
    )


async def latest_runs(
    db: Database, user_id: int, course_id: str, question_ids: list[str]
) -> dict[str, ScenarioRun]:
    if not question_ids:
        return {}
    marks = ",".join("?" for _ in question_ids)
    rows = await db.fetchall(
        "SELECT r.* FROM scenario_runs r JOIN (SELECT max(id) AS id FROM scenario_runs"  # noqa: S608 - only "?" marks are interpolated
        f" WHERE user_id = ? AND course_id = ? AND question_id IN ({marks})"
        " GROUP BY question_id) m ON m.id = r.id",
        (user_id, course_id, *question_ids),
    )
    return {row["question_id"]: _run(row) for row in rows}


async def start_run(
    tx: Transaction,
    *,
    user_id: int,
    course_id: str,
    question_id: str,
    content_hash: str,
    start_step: str,
    now: datetime,
) -> int:
    return await tx.insert(
        "INSERT INTO scenario_runs (user_id, course_id, question_id, content_hash, path,"
        " current_step, started_at) VALUES (?, ?, ?, ?, '[]', ?, ?)",
        (user_id, course_id, question_id, content_hash, start_step, to_db(now)),
    )


async def current_run_for_update(
    tx: Transaction, user_id: int, course_id: str, question_id: str
) -> ScenarioRun | None:
    row = await tx.fetchone(
        "SELECT * FROM scenario_runs WHERE user_id = ? AND course_id = ? AND question_id = ?"
        " ORDER BY id DESC LIMIT 1",
        (user_id, course_id, question_id),
    )
    return None if row is None else _run(row)


async def advance_run(
    tx: Transaction,
    run_id: int,
    *,
    path: list[dict[str, Any]],
    current_step: str,
    finished: bool,
    now: datetime,
) -> None:
    await tx.execute(
        "UPDATE scenario_runs SET path = ?, current_step = ?, finished_at = ? WHERE id = ?",
        (
            json.dumps(path, ensure_ascii=False),
            current_step,
            to_db(now) if finished else None,
            run_id,
        ),
    )


async def scenario_paths(db: Database, user_id: int) -> list[ScenarioRun]:
    rows = await db.fetchall(
        "SELECT * FROM scenario_runs WHERE user_id = ? ORDER BY id", (user_id,)
    )
    return [_run(row) for row in rows]


async def all_answers(db: Database, user_id: int) -> list[dict[str, Any]]:
    rows = await db.fetchall(
        "SELECT course_id, question_id, response, correct, created_at FROM answers"
        " WHERE user_id = ? ORDER BY id",
        (user_id,),
    )
    return [
        {
            "course": row["course_id"],
            "question": row["question_id"],
            "response": json.loads(row["response"]),
            "correct": None if row["correct"] is None else bool(row["correct"]),
            "at": row["created_at"],
        }
        for row in rows
    ]
