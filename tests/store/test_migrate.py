from __future__ import annotations

from learning.store.db import Database
from learning.store.migrate import available_migrations, migrate


async def test_migrations_applied_twice_are_a_noop(db: Database) -> None:
    # The fixture already migrated once.
    assert await migrate(db) == []
    names = [row["name"] for row in await db.fetchall("SELECT name FROM schema_migrations")]
    assert names == [m.name for m in available_migrations()]


async def test_fresh_database_gets_every_table(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "fresh.sqlite3"
    async with Database(path, readers=1) as database:
        applied = await migrate(database)
        assert applied == [m.name for m in available_migrations()]
        tables = {
            row["name"]
            for row in await database.fetchall("SELECT name FROM sqlite_master WHERE type='table'")
        }
    for table in ("users", "groups", "sessions", "login_attempts", "audit_log", "enrolments"):
        assert table in tables


async def test_pragmas(db: Database) -> None:
    assert await db.scalar("PRAGMA journal_mode") == "wal"
    assert await db.scalar("PRAGMA foreign_keys") == 1
    assert await db.scalar("PRAGMA busy_timeout") == 5000
    assert await db.scalar("PRAGMA synchronous") == 1  # NORMAL


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
