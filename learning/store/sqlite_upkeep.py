"""What a server does beside its SQLite file while it runs: the lock file and WAL
checkpoints. PostgreSQL needs neither, so for it both are no-ops."""

from __future__ import annotations

from learning.store.backend import Database
from learning.store.checkpoints import BackgroundCheckpoints
from learning.store.lockfile import ServerLock
from learning.store.sqlite_db import SqliteDatabase


class SqliteUpkeep:
    def __init__(self, db: Database) -> None:
        sqlite = db if isinstance(db, SqliteDatabase) else None
        self._lock = ServerLock(sqlite.path) if sqlite else None
        self._checkpoints = BackgroundCheckpoints(sqlite) if sqlite else None

    def claim(self) -> None:
        """Held while serving, so `learning restore` can tell the database is live."""
        if self._lock is not None:
            self._lock.acquire()

    async def start(self) -> None:
        if self._checkpoints is not None:
            await self._checkpoints.start()

    async def stop(self) -> None:
        if self._checkpoints is not None:
            await self._checkpoints.stop()

    def release(self) -> None:
        if self._lock is not None:
            self._lock.release()
