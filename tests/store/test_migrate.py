from __future__ import annotations

import json
from pathlib import Path

import pytest

from learning.store import attempts
from learning.store.db import Database, open_database
from learning.store.migrate import available_migrations, migrate
from tests.conftest import sqlite_of


async def test_migrations_applied_twice_are_a_noop(db: Database) -> None:
    # The fixture already migrated once.
    assert await migrate(db) == []
    names = [row["name"] for row in await db.fetchall("SELECT name FROM schema_migrations")]
    assert names == [m.name for m in available_migrations()]


async def test_fresh_database_gets_every_table(tmp_path: Path) -> None:
    path = tmp_path / "fresh.sqlite3"
    async with open_database(path, readers=1) as database:
        applied = await migrate(database)
        assert applied == [m.name for m in available_migrations()]
        tables = {
            row["name"]
            for row in await database.fetchall("SELECT name FROM sqlite_master WHERE type='table'")
        }
    for table in ("users", "groups", "sessions", "login_attempts", "audit_log", "enrolments"):
        assert table in tables


@pytest.mark.sqlite_only
async def test_pragmas(db: Database) -> None:
    assert await db.scalar("PRAGMA journal_mode") == "wal"
    assert await db.scalar("PRAGMA foreign_keys") == 1
    assert await db.scalar("PRAGMA busy_timeout") == 5000
    assert await db.scalar("PRAGMA synchronous") == 1  # NORMAL


async def test_migrating_leaves_the_writer_with_temp_store_in_memory(tmp_path: Path) -> None:
    async with open_database(tmp_path / "fresh.sqlite3", readers=1) as opened:
        database = sqlite_of(opened)
        await migrate(database)  # spools its statement journals to disk meanwhile
        async with database.writer.execute("PRAGMA temp_store") as cur:
            row = await cur.fetchone()
        assert row is not None and row[0] == 2  # MEMORY, as db.PRAGMAS set it


async def test_transaction_rolls_back_on_error(db: Database) -> None:
    try:
        async with db.transaction() as tx:
            await tx.execute(
                "INSERT INTO groups (name, created_at) VALUES ('A', '2026-01-01 00:00:00')"
            )
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert await db.scalar("SELECT count(*) FROM groups") == 0


def _old_snapshot(text: str) -> str:
    return json.dumps([{"section": "Teil", "question": {"id": "q", "text": text}}])


async def test_0040_moves_each_attempts_questions_into_a_shared_snapshot(tmp_path: Path) -> None:
    async with open_database(tmp_path / "old.sqlite3", readers=1) as database:
        await migrate(database, until=35)
        # Old-style rows: every attempt carries its own copy of the questions. The third has
        # the same hash as the first two but other JSON, and must keep its own text.
        old = [
            ("k", "h1", _old_snapshot("Was?")),
            ("k", "h1", _old_snapshot("Was?")),
            ("k", "h1", _old_snapshot("Wie?")),
            ("k", "h2", _old_snapshot("Was?")),
            ("m", "h1", _old_snapshot("Was?")),
        ]
        async with database.transaction() as tx:
            uid = await tx.insert(
                "INSERT INTO users (email, name, role, created_at)"
                " VALUES ('a@example.org', 'A', 'learner', '2026-01-01 00:00:00')"
            )
            ids = [
                await tx.insert(
                    "INSERT INTO test_attempts (user_id, course_id, content_hash, questions,"
                    " shuffle, started_at, submitted_at, score, passed)"
                    " VALUES (?, ?, ?, ?, '{\"q\": [1]}', '2026-01-02 00:00:00',"
                    " '2026-01-02 00:10:00', 80, 1)",
                    (uid, course, content_hash, questions),
                )
                for course, content_hash, questions in old
            ]
            await tx.execute(
                "INSERT INTO test_answers (attempt_id, question_id, response, correct)"
                " VALUES (?, 'q', '{}', 1)",
                (ids[0],),
            )
            await tx.execute(
                "INSERT INTO completions (user_id, course_id, completed_at, content_hash,"
                " attempt_id, score) VALUES (?, 'k', '2026-01-02 00:10:00', 'h1', ?, 80)",
                (uid, ids[0]),
            )

        assert await migrate(database, until=40) == ["0040_test_snapshots.sql"]

        assert await database.scalar("SELECT count(*) FROM test_snapshots") == 4
        for attempt_id, (course, content_hash, questions) in zip(ids, old, strict=True):
            attempt = await attempts.get_attempt(
                database, attempt_id, user_id=uid, course_id=course
            )
            assert attempt.questions == json.loads(questions)
            assert (attempt.content_hash, attempt.shuffle) == (content_hash, {"q": [1]})
        columns = {
            row["name"] for row in await database.fetchall("PRAGMA table_info(test_attempts)")
        }
        assert "questions" not in columns
        # Rebuilding nothing: answers, completions and the activity summary are untouched.
        assert await database.scalar("SELECT count(*) FROM test_answers") == 1
        assert await database.scalar("SELECT attempt_id FROM completions") == ids[0]
        assert await database.scalar("SELECT sum(attempts) FROM course_activity") == 5
        assert await database.scalar("PRAGMA foreign_key_check") is None


async def test_a_transaction_cancelled_at_begin_leaves_the_write_lock_free(
    sqlite_db: Database,
) -> None:
    import asyncio
    import contextlib
    import sqlite3

    db = sqlite_of(sqlite_db)

    async def write() -> None:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO groups (name, created_at) VALUES ('A', '')")

    for _ in range(20):
        task = asyncio.create_task(write())
        await asyncio.sleep(0)  # the task now waits for BEGIN on the writer's thread
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await db.writer.execute("SELECT 1")  # let the writer's thread finish its queue
        assert not db.writer.in_transaction
    # Another connection (the CLI, a checkpoint) can take the write lock at once.
    other = sqlite3.connect(db.path, timeout=0.2)
    try:
        other.execute("INSERT INTO groups (name, created_at) VALUES ('B', '')")
        other.commit()
    finally:
        other.close()
