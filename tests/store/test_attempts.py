"""Attempts as the catalogue reads them."""

from __future__ import annotations

from learning.clock import FrozenClock
from learning.store import attempts, users
from learning.store.db import Database


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
