"""WAL checkpoints off the request path.

By default SQLite checkpoints inside the COMMIT that takes the WAL past 1,000 pages:
that commit copies pages into the database file and syncs it (10-15 ms measured under
the benchmark's load), and every request waiting for the writer waits with it. The
server turns that off for its writer and checkpoints from a connection of its own, in
that connection's thread, about once a second. A PASSIVE checkpoint never waits for
the writer or the readers; what it cannot copy yet it copies next time. At shutdown
the WAL is copied back completely and truncated.

Durability does not change: a commit is in the WAL before it returns, as before.
Other processes (the CLI) keep SQLite's automatic checkpoints.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import aiosqlite

from learning.store.sqlite_db import SqliteDatabase, connect

log = logging.getLogger("learning")

INTERVAL = 1.0


class BackgroundCheckpoints:
    def __init__(self, db: SqliteDatabase, *, interval: float = INTERVAL) -> None:
        self._db = db
        self._interval = interval
        self._conn: aiosqlite.Connection | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._conn = await connect(self._db.path, readonly=False)
        await self._db.writer.execute("PRAGMA wal_autocheckpoint=0")
        self._task = asyncio.create_task(self._loop())

    async def run_once(self, mode: str = "PASSIVE") -> tuple[int, int, int]:
        """(busy, WAL frames, frames copied), as `PRAGMA wal_checkpoint` reports them."""
        if self._conn is None:
            raise RuntimeError("checkpoints are not started")
        if mode not in ("PASSIVE", "TRUNCATE"):
            raise ValueError(mode)
        rows = list(await self._conn.execute_fetchall(f"PRAGMA wal_checkpoint({mode})"))
        busy, frames, copied = rows[0]
        return int(busy), int(frames), int(copied)

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            try:
                await self.run_once()
            except Exception:
                # A failed checkpoint loses nothing (the WAL holds every commit); the
                # next one tries again.
                log.exception("WAL-Checkpoint fehlgeschlagen")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._conn is not None:
            try:
                await self.run_once("TRUNCATE")
            except Exception:
                # Shutdown goes on: the next start (or any connection) checkpoints.
                log.exception("WAL-Checkpoint beim Beenden fehlgeschlagen")
            finally:
                await self._conn.close()
                self._conn = None
