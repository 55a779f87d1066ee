"""Final-test attempts, completions and certificates."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from learning.core.clock import to_db
from learning.store.db import Database, NotFound, Transaction

# Unambiguous letters and digits: a code read aloud or typed from paper survives.
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True, slots=True)
class Attempt:
    id: int
    user_id: int
    course_id: str
    content_hash: str
    questions: list[dict[str, Any]]
    shuffle: dict[str, list[int]]
    started_at: str
    submitted_at: str | None
    score: float | None
    passed: bool | None
    # UTC text as stored; None when the test has no time limit.
    deadline: str | None = None

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None


@dataclass(frozen=True, slots=True)
class AttemptAnswer:
    question_id: str
    response: dict[str, Any] | None
    correct: bool


@dataclass(frozen=True, slots=True)
class Completion:
    course_id: str
    completed_at: str
    content_hash: str
    score: float
    page_hashes: dict[str, str]


@dataclass(frozen=True, slots=True)
class Certificate:
    code: str
    user_id: int | None
    course_id: str
    learner_name: str
    course_title: str
    duration: int
    topics: list[str]
    issued_at: str
    # The last valid local day (YYYY-MM-DD) under a renewal rule; None: no expiry.
    valid_until: str | None = None


def _attempt(row: Any, questions: list[dict[str, Any]] | None = None) -> Attempt:
    return Attempt(
        id=row["id"],
        user_id=row["user_id"],
        course_id=row["course_id"],
        content_hash=row["content_hash"],
        questions=json.loads(row["questions"]) if questions is None else questions,
        shuffle=json.loads(row["shuffle"]),
        started_at=row["started_at"],
        submitted_at=row["submitted_at"],
        score=row["score"],
        passed=None if row["passed"] is None else bool(row["passed"]),
        # Absent in rows read by code older than migration 0060 (its own tests).
        deadline=row["deadline"] if "deadline" in row.keys() else None,
    )


# An attempt row joined with the questions of its snapshot.
_SELECT_ATTEMPT = (
    "SELECT a.*, s.questions FROM test_attempts a JOIN test_snapshots s ON s.id = a.snapshot_id"
)


async def snapshot_id_in(
    tx: Transaction, course_id: str, content_hash: str, questions: list[dict[str, Any]]
) -> int:
    """The id of the stored snapshot with exactly this text, inserted if there is none.

    Matched on the text, not only the hash: an attempt must be graded against exactly
    the questions it was shown, even if a release changes how a snapshot is written.
    """
    text = json.dumps(questions, ensure_ascii=False)
    row = await tx.fetchone(
        "SELECT id FROM test_snapshots WHERE course_id = ? AND content_hash = ? AND questions = ?",
        (course_id, content_hash, text),
    )
    if row is not None:
        return int(row["id"])
    return await tx.insert(
        "INSERT INTO test_snapshots (course_id, content_hash, questions) VALUES (?, ?, ?)",
        (course_id, content_hash, text),
    )


async def create_attempt(
    tx: Transaction,
    *,
    user_id: int,
    course_id: str,
    content_hash: str,
    questions: list[dict[str, Any]],
    shuffle: dict[str, list[int]],
    now: datetime,
    deadline: datetime | None = None,
) -> int:
    snapshot_id = await snapshot_id_in(tx, course_id, content_hash, questions)
    return await tx.insert(
        "INSERT INTO test_attempts (user_id, course_id, content_hash, snapshot_id, shuffle,"
        " started_at, deadline) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            user_id,
            course_id,
            content_hash,
            snapshot_id,
            json.dumps(shuffle),
            to_db(now),
            None if deadline is None else to_db(deadline),
        ),
    )


async def get_attempt(db: Database, attempt_id: int, *, user_id: int, course_id: str) -> Attempt:
    """The attempt, only if it is this learner's: anyone else gets NotFound, never a hint."""
    row = await db.fetchone(
        f"{_SELECT_ATTEMPT} WHERE a.id = ? AND a.user_id = ? AND a.course_id = ?",
        (attempt_id, user_id, course_id),
    )
    if row is None:
        raise NotFound(f"attempt {attempt_id}")
    return _attempt(row)


async def open_attempt_in(tx: Transaction, user_id: int, course_id: str) -> int | None:
    row = await tx.fetchone(
        "SELECT id FROM test_attempts WHERE user_id = ? AND course_id = ? AND submitted_at IS NULL"
        " ORDER BY id DESC LIMIT 1",
        (user_id, course_id),
    )
    return None if row is None else int(row["id"])


async def count_attempts_in(tx: Transaction, user_id: int, course_id: str) -> int:
    row = await tx.fetchone(
        "SELECT count(*) FROM test_attempts WHERE user_id = ? AND course_id = ?",
        (user_id, course_id),
    )
    return int(row[0]) if row else 0


async def attempts(db: Database, user_id: int, course_id: str | None = None) -> list[Attempt]:
    sql = f"{_SELECT_ATTEMPT} WHERE a.user_id = ?"
    params: list[object] = [user_id]
    if course_id is not None:
        sql += " AND a.course_id = ?"
        params.append(course_id)
    # A learner's attempts mostly share one snapshot: parse each distinct one once (the
    # attempts then share that list; nothing mutates an Attempt's questions).
    parsed: dict[int, list[dict[str, Any]]] = {}
    result = []
    for row in await db.fetchall(sql + " ORDER BY a.id", params):
        questions = parsed.get(row["snapshot_id"])
        if questions is None:
            questions = parsed[row["snapshot_id"]] = json.loads(row["questions"])
        result.append(_attempt(row, questions))
    return result


async def passed_courses(db: Database, user_id: int) -> set[str]:
    """The courses whose final test this learner has passed, without reading snapshots."""
    rows = await db.fetchall(
        "SELECT DISTINCT course_id FROM test_attempts WHERE user_id = ? AND passed = 1",
        (user_id,),
    )
    return {str(row[0]) for row in rows}


async def submit_attempt(
    tx: Transaction,
    attempt_id: int,
    *,
    score: float,
    passed: bool,
    answers: list[AttemptAnswer],
    now: datetime,
) -> bool:
    """Mark submitted and store the answers; False (and nothing written) if already submitted."""
    cur = await tx.execute(
        "UPDATE test_attempts SET submitted_at = ?, score = ?, passed = ?"
        " WHERE id = ? AND submitted_at IS NULL",
        (to_db(now), score, int(passed), attempt_id),
    )
    if cur.rowcount != 1:
        return False
    await tx.executemany(
        "INSERT INTO test_answers (attempt_id, question_id, response, correct) VALUES (?, ?, ?, ?)",
        [
            (
                attempt_id,
                a.question_id,
                None if a.response is None else json.dumps(a.response, ensure_ascii=False),
                int(a.correct),
            )
            for a in answers
        ],
    )
    return True


async def attempt_answers(db: Database, attempt_id: int) -> dict[str, AttemptAnswer]:
    rows = await db.fetchall(
        "SELECT question_id, response, correct FROM test_answers WHERE attempt_id = ?",
        (attempt_id,),
    )
    return {
        row["question_id"]: AttemptAnswer(
            row["question_id"],
            None if row["response"] is None else json.loads(row["response"]),
            bool(row["correct"]),
        )
        for row in rows
    }


async def has_passed_in(tx: Transaction, user_id: int, course_id: str) -> tuple[int, float] | None:
    row = await tx.fetchone(
        "SELECT id, score FROM test_attempts WHERE user_id = ? AND course_id = ? AND passed = 1"
        " ORDER BY score DESC, id LIMIT 1",
        (user_id, course_id),
    )
    return None if row is None else (int(row["id"]), float(row["score"]))


async def seen_page_ids_in(tx: Transaction, user_id: int, course_id: str) -> set[str]:
    rows = await tx.fetchall(
        "SELECT page_id FROM page_views WHERE user_id = ? AND course_id = ?", (user_id, course_id)
    )
    return {row["page_id"] for row in rows}


async def completion_exists_in(tx: Transaction, user_id: int, course_id: str) -> bool:
    row = await tx.fetchone(
        "SELECT 1 FROM completions WHERE user_id = ? AND course_id = ?", (user_id, course_id)
    )
    return row is not None


def new_certificate_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
    return f"{raw[0:4]}-{raw[4:8]}-{raw[8:12]}"


async def complete(
    tx: Transaction,
    *,
    user_id: int,
    course_id: str,
    content_hash: str,
    attempt_id: int,
    score: float,
    page_hashes: dict[str, str],
    learner_name: str,
    course_title: str,
    duration: int,
    topics: list[str],
    now: datetime,
) -> str | None:
    """Store the completion and its certificate once; None if it already existed."""
    cur = await tx.execute(
        "INSERT INTO completions (user_id, course_id, completed_at, content_hash,"
        " attempt_id, score, page_hashes) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (
            user_id,
            course_id,
            to_db(now),
            content_hash,
            attempt_id,
            score,
            json.dumps(page_hashes, sort_keys=True),
        ),
    )
    if cur.rowcount != 1:
        return None
    code = new_certificate_code()
    await tx.execute(
        "INSERT INTO certificates (code, user_id, course_id, learner_name, course_title,"
        " duration, topics, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            code,
            user_id,
            course_id,
            learner_name,
            course_title,
            duration,
            json.dumps(topics, ensure_ascii=False),
            to_db(now),
        ),
    )
    return code


async def completions(db: Database, user_id: int) -> dict[str, Completion]:
    rows = await db.fetchall(
        "SELECT course_id, completed_at, content_hash, score, page_hashes FROM completions"
        " WHERE user_id = ?",
        (user_id,),
    )
    return {
        row["course_id"]: Completion(
            row["course_id"],
            row["completed_at"],
            row["content_hash"],
            float(row["score"]),
            json.loads(row["page_hashes"]),
        )
        for row in rows
    }


def _certificate(row: Any) -> Certificate:
    return Certificate(
        code=row["code"],
        user_id=row["user_id"],
        course_id=row["course_id"],
        learner_name=row["learner_name"],
        course_title=row["course_title"],
        duration=row["duration"],
        topics=json.loads(row["topics"]),
        issued_at=row["issued_at"],
        valid_until=row["valid_until"],
    )


async def certificate_for(db: Database, user_id: int, course_id: str) -> Certificate | None:
    row = await db.fetchone(
        "SELECT * FROM certificates WHERE user_id = ? AND course_id = ?", (user_id, course_id)
    )
    return None if row is None else _certificate(row)


async def certificates(db: Database, user_id: int) -> list[Certificate]:
    rows = await db.fetchall(
        "SELECT * FROM certificates WHERE user_id = ? ORDER BY issued_at", (user_id,)
    )
    return [_certificate(row) for row in rows]


async def certificate_by_code(db: Database, code: str) -> Certificate | None:
    row = await db.fetchone("SELECT * FROM certificates WHERE code = ?", (code.strip().upper(),))
    return None if row is None else _certificate(row)
