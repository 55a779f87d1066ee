"""Checkpoints run beside the writer, keep the WAL from growing, and end truncated."""

from __future__ import annotations

import asyncio
from pathlib import Path

from learning.store.checkpoints import BackgroundCheckpoints
from learning.store.db import Database, open_database
from tests.conftest import sqlite_of


async def _write_rows(db: Database, count: int) -> None:
    async with db.transaction() as tx:
        await tx.execute("CREATE TABLE IF NOT EXISTS filler (id INTEGER PRIMARY KEY, text TEXT)")
        await tx.executemany(
            "INSERT INTO filler (text) VALUES (?)", [("x" * 500,) for _ in range(count)]
        )


def _wal(path: Path) -> Path:
    return Path(f"{path}-wal")


async def test_commits_no_longer_checkpoint_and_the_background_does(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    async with open_database(path, readers=1) as opened:
        db = sqlite_of(opened)
        checkpoints = BackgroundCheckpoints(db, interval=0.05)
        await checkpoints.start()
        try:
            rows = await db.writer.execute_fetchall("PRAGMA wal_autocheckpoint")
            assert [tuple(r) for r in rows] == [(0,)]
            # About 2,500 pages: past the 1,000 at which a commit used to checkpoint.
            size_before = path.stat().st_size
            await _write_rows(db, 20_000)
            for _ in range(100):
                if path.stat().st_size > size_before + 5_000_000:
                    break
                await asyncio.sleep(0.05)
            # The pages reached the database file without any commit copying them.
            assert path.stat().st_size > size_before + 5_000_000
            busy, frames, copied = await checkpoints.run_once()
            assert busy == 0 and copied == frames
        finally:
            await checkpoints.stop()
        assert _wal(path).stat().st_size == 0
        assert await db.scalar("SELECT count(*) FROM filler") == 20_000


async def test_without_background_checkpoints_nothing_is_copied(tmp_path: Path) -> None:
    # The control: with automatic checkpoints off and no background task, the data stays
    # in the WAL. This is what makes the test above able to fail.
    path = tmp_path / "db.sqlite3"
    async with open_database(path, readers=1) as opened:
        db = sqlite_of(opened)
        await db.writer.execute("PRAGMA wal_autocheckpoint=0")
        size_before = path.stat().st_size
        await _write_rows(db, 20_000)
        await asyncio.sleep(0.3)
        assert path.stat().st_size < size_before + 1_000_000
        assert _wal(path).stat().st_size > 5_000_000
