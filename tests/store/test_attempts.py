"""Final-test attempts share one stored snapshot per distinct question text."""

from __future__ import annotations

from typing import Any

import pytest

from learning.core.clock import FrozenClock
from learning.store import attempts, users
from learning.store.db import INTEGRITY_ERRORS, Database

QUESTIONS: list[dict[str, Any]] = [
    {"section": "Teil 1", "question": {"id": "t-1", "type": "single", "text": "Was?"}},
]


async def _learner(db: Database, clock: FrozenClock, email: str) -> int:
    async with db.transaction() as tx:
        return await users.insert_user(tx, email=email, name=email, role="learner", now=clock())


async def _start(
    db: Database, clock: FrozenClock, uid: int, questions: list[dict[str, Any]], content: str = "h1"
) -> int:
    async with db.transaction() as tx:
        return await attempts.create_attempt(
            tx,
            user_id=uid,
            course_id="k",
            content_hash=content,
            questions=questions,
            shuffle={"t-1": [2, 1]},
            now=clock(),
        )


async def test_attempts_on_the_same_content_share_one_snapshot(
    db: Database, clock: FrozenClock
) -> None:
    first = await _start(db, clock, await _learner(db, clock, "a@example.org"), QUESTIONS)
    other = await _learner(db, clock, "b@example.org")
    second = await _start(db, clock, other, QUESTIONS)
    assert await db.scalar("SELECT count(*) FROM test_snapshots") == 1
    ids = await db.fetchall("SELECT DISTINCT snapshot_id FROM test_attempts")
    assert len(ids) == 1
    read = await attempts.get_attempt(db, second, user_id=other, course_id="k")
    assert read.questions == QUESTIONS and read.shuffle == {"t-1": [2, 1]}
    assert first != second


async def test_a_different_text_gets_its_own_snapshot_even_with_the_same_hash(
    db: Database, clock: FrozenClock
) -> None:
    uid = await _learner(db, clock, "a@example.org")
    changed = [{"section": "Teil 1", "question": {**QUESTIONS[0]["question"], "text": "Wie?"}}]
    await _start(db, clock, uid, QUESTIONS)
    await _start(db, clock, uid, changed)  # same content hash, other JSON
    await _start(db, clock, uid, QUESTIONS, content="h2")
    assert await db.scalar("SELECT count(*) FROM test_snapshots") == 3
    listed = await attempts.attempts(db, uid, "k")
    assert [a.questions for a in listed] == [QUESTIONS, changed, QUESTIONS]
    assert [a.content_hash for a in listed] == ["h1", "h1", "h2"]


async def test_an_attempt_without_a_snapshot_is_refused(db: Database, clock: FrozenClock) -> None:
    uid = await _learner(db, clock, "a@example.org")
    with pytest.raises(INTEGRITY_ERRORS, match="snapshot_id"):
        async with db.transaction() as tx:
            await tx.insert(
                "INSERT INTO test_attempts (user_id, course_id, content_hash, shuffle, started_at)"
                " VALUES (?, 'k', 'h', '{}', '2026-01-01 00:00:00')",
                (uid,),
            )


async def test_passed_courses_are_the_learners_own_passes_only(
    db: Database, clock: FrozenClock
) -> None:
    async with db.transaction() as tx:
        a = await users.insert_user(
            tx, email="a@example.org", name="A", role="learner", now=clock()
        )
        b = await users.insert_user(
            tx, email="b@example.org", name="B", role="learner", now=clock()
        )
        for user, course, passed in ((a, "k1", True), (a, "k2", False), (b, "k2", True)):
            attempt = await attempts.create_attempt(
                tx,
                user_id=user,
                course_id=course,
                content_hash="h",
                questions=[],
                shuffle={},
                now=clock(),
            )
            score = 90.0 if passed else 10.0
            await attempts.submit_attempt(
                tx, attempt, score=score, passed=passed, answers=[], now=clock()
            )
        await attempts.create_attempt(  # open: neither passed nor failed
            tx, user_id=a, course_id="k3", content_hash="h", questions=[], shuffle={}, now=clock()
        )
    assert await attempts.passed_courses(db, a) == {"k1"}
    assert await attempts.passed_courses(db, b) == {"k2"}
