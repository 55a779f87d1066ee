"""The course_activity summary always equals what the fact tables say."""

from __future__ import annotations

from pathlib import Path

from learning.core.clock import FrozenClock
from learning.store import answers, attempts, users
from learning.store import page_views as progress
from learning.store.db import Database, open_database
from learning.store.migrate import migrate
from learning.store.user_admin import reset_progress


async def _summary(db: Database, user_id: int, course: str) -> dict[str, object] | None:
    row = await db.fetchone(
        "SELECT pages_seen, seconds, last_seen, last_activity, attempts, best_score"
        " FROM course_activity WHERE user_id = ? AND course_id = ?",
        (user_id, course),
    )
    return None if row is None else dict(row)


async def _from_facts(db: Database, user_id: int, course: str) -> dict[str, object]:
    row = await db.fetchone(
        "SELECT (SELECT count(*) FROM page_views WHERE user_id = :u AND course_id = :c),"
        " (SELECT coalesce(sum(seconds), 0) FROM page_views WHERE user_id = :u AND course_id = :c),"
        " (SELECT max(last_seen) FROM page_views WHERE user_id = :u AND course_id = :c),"
        " (SELECT count(*) FROM test_attempts WHERE user_id = :u AND course_id = :c"
        "  AND submitted_at IS NOT NULL),"
        " (SELECT max(score) FROM test_attempts WHERE user_id = :u AND course_id = :c"
        "  AND submitted_at IS NOT NULL)",
        {"u": user_id, "c": course},
    )
    assert row is not None
    return {
        "pages_seen": row[0],
        "seconds": row[1],
        "last_seen": row[2],
        "attempts": row[3],
        "best_score": row[4],
    }


async def test_summary_follows_views_answers_attempts_and_reset(
    db: Database, clock: FrozenClock
) -> None:
    async with db.transaction() as tx:
        uid = await users.insert_user(
            tx, email="a@example.org", name="A", role="learner", now=clock()
        )
        await progress.enrol(tx, uid, "k", clock())
        await tx.execute(
            "INSERT INTO sessions (id_hash, user_id, created_at, last_seen) VALUES ('h', ?, '', '')",
            (uid,),
        )

    async def view(page: str, previous: tuple[str, str] | None) -> None:
        async with db.transaction() as tx:
            since = None if previous is None else (*previous, clock.now.replace(second=0))
            view = progress.PageViewWrite(uid, "h", "k", page, clock(), since)
            await progress.record_page_views(tx, [view])

    await view("p1", None)
    clock.advance(70)
    await view("p2", ("k", "p1"))
    clock.advance(30)
    await view("p1", ("k", "p2"))
    summary = await _summary(db, uid, "k")
    facts = await _from_facts(db, uid, "k")
    assert summary is not None
    assert {k: summary[k] for k in facts} == facts
    assert summary["pages_seen"] == 2

    clock.advance(60)
    async with db.transaction() as tx:
        await answers.add_answers(
            tx,
            [answers.NewAnswer(uid, "k", "q", "h", {}, True, clock())],
        )
        first = await attempts.create_attempt(
            tx, user_id=uid, course_id="k", content_hash="h", questions=[], shuffle={}, now=clock()
        )
        await attempts.submit_attempt(tx, first, score=40.0, passed=False, answers=[], now=clock())
        second = await attempts.create_attempt(
            tx, user_id=uid, course_id="k", content_hash="h", questions=[], shuffle={}, now=clock()
        )
        await attempts.submit_attempt(tx, second, score=90.0, passed=True, answers=[], now=clock())
        await attempts.create_attempt(  # open, not submitted: does not count
            tx, user_id=uid, course_id="k", content_hash="h", questions=[], shuffle={}, now=clock()
        )
    summary = await _summary(db, uid, "k")
    assert summary is not None
    assert summary["attempts"] == 2 and summary["best_score"] == 90.0
    last_activity, last_seen = summary["last_activity"], summary["last_seen"]
    assert isinstance(last_activity, str) and isinstance(last_seen, str)
    assert last_activity > last_seen  # the answer came later

    async with db.transaction() as tx:
        await tx.execute("DELETE FROM test_attempts WHERE id = ?", (second,))
        await tx.execute("DELETE FROM page_views WHERE page_id = 'p2'")
    summary = await _summary(db, uid, "k")
    facts = await _from_facts(db, uid, "k")
    assert summary is not None and {k: summary[k] for k in facts} == facts

    async with db.transaction() as tx:
        await reset_progress(tx, uid, "k")
    # Nothing of the learner's activity is left; the enrolment stays.
    assert await _summary(db, uid, "k") == {
        "pages_seen": 0,
        "seconds": 0,
        "last_seen": None,
        "last_activity": None,
        "attempts": 0,
        "best_score": None,
    }


async def _participation(db: Database, user_id: int, course: str) -> tuple[object, ...] | None:
    row = await db.fetchone(
        "SELECT enrolled, completed_at, final_score FROM course_activity"
        " WHERE user_id = ? AND course_id = ?",
        (user_id, course),
    )
    return None if row is None else tuple(row)


async def test_summary_follows_enrolment_completion_and_reset(
    db: Database, clock: FrozenClock
) -> None:
    async with db.transaction() as tx:
        uid = await users.insert_user(
            tx, email="b@example.org", name="B", role="learner", now=clock()
        )
        await progress.enrol(tx, uid, "k", clock())
    assert await _participation(db, uid, "k") == (1, None, None)

    async with db.transaction() as tx:
        attempt = await attempts.create_attempt(
            tx, user_id=uid, course_id="k", content_hash="h", questions=[], shuffle={}, now=clock()
        )
        await attempts.submit_attempt(tx, attempt, score=80.0, passed=True, answers=[], now=clock())
        code = await attempts.complete(
            tx,
            user_id=uid,
            course_id="k",
            content_hash="h",
            attempt_id=attempt,
            score=80.0,
            page_hashes={},
            learner_name="B",
            course_title="K",
            duration=60,
            topics=[],
            now=clock(),
        )
    assert code is not None
    enrolled, completed_at, score = await _participation(db, uid, "k") or (None, None, None)
    assert (enrolled, score) == (1, 80.0) and completed_at is not None

    # A reset removes the completion but keeps the learner enrolled and in the report.
    async with db.transaction() as tx:
        await reset_progress(tx, uid, "k")
    assert await _participation(db, uid, "k") == (1, None, None)

    async with db.transaction() as tx:
        await tx.execute("DELETE FROM enrolments WHERE user_id = ?", (uid,))
    assert await _participation(db, uid, "k") == (0, None, None)


async def test_migration_fills_enrolment_and_completion_of_existing_rows(
    tmp_path: Path,
) -> None:
    async with open_database(tmp_path / "old.sqlite3", readers=1) as database:
        await migrate(database, until=31)
        async with database.transaction() as tx:
            enrolled_only = await users.insert_user(
                tx, email="e@example.org", name="E", role="learner", now=FrozenClock()()
            )
            finished = await users.insert_user(
                tx, email="f@example.org", name="F", role="learner", now=FrozenClock()()
            )
            await tx.execute(
                "INSERT INTO enrolments (user_id, course_id, enrolled_at) VALUES (?, 'k', '')",
                (enrolled_only,),
            )
            await tx.execute(
                "INSERT INTO completions (user_id, course_id, completed_at, content_hash, score)"
                " VALUES (?, 'k', '2026-05-01 10:00:00', 'h', 75.0)",
                (finished,),
            )
        assert (await migrate(database))[0] == "0035_report_participants.sql"
        assert await _participation(database, enrolled_only, "k") == (1, None, None)
        assert await _participation(database, finished, "k") == (
            0,
            "2026-05-01 10:00:00",
            75.0,
        )
