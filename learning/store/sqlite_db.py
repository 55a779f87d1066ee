"""SQLite: one long-lived writer with writes serialised, a few long-lived readers."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from learning.store.backend import EXPORT_SLOTS, Database, Params, Row, Transaction, sqlite_path

PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
    "PRAGMA temp_store=MEMORY",
)

# sqlite3 keeps this many prepared statements per connection. The app has a few
# hundred distinct SQL texts (IN lists vary in length); re-preparing one costs more
# than running the point queries it serves, so the cache holds them all.
CACHED_STATEMENTS = 1024


async def connect(path: Path, *, readonly: bool) -> aiosqlite.Connection:
    # isolation_level=None: we issue BEGIN/COMMIT ourselves, so a transaction
    # covers exactly the statements we say it does.
    conn = await aiosqlite.connect(path, isolation_level=None, cached_statements=CACHED_STATEMENTS)
    conn.row_factory = sqlite3.Row
    for pragma in PRAGMAS:
        await conn.execute(pragma)
    if readonly:
        await conn.execute("PRAGMA query_only=ON")
    return conn


class SqliteTransaction(Transaction):
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Params = ()) -> aiosqlite.Cursor:
        return await self._conn.execute(sql, params)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        await self._conn.executemany(sql, rows)

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        # One trip to the connection's thread (execute and fetch together), not three
        # (execute, fetch, close): each trip costs a thread hand-off and a loop wake-up,
        # and inside a transaction it also holds the write lock longer.
        return list(await self._conn.execute_fetchall(sql, params))

    async def insert(self, sql: str, params: Params = ()) -> int:
        cur = await self._conn.execute(sql, params)
        rowid = cur.lastrowid
        await cur.close()
        if rowid is None:  # pragma: no cover - sqlite always sets it for INSERT
            raise RuntimeError("INSERT without rowid")
        return rowid


class SqliteDatabase(Database):
    backend = "sqlite"

    def __init__(
        self, target: str | Path, *, readers: int = 3, exports: int = EXPORT_SLOTS
    ) -> None:
        super().__init__(target, readers=readers, exports=exports)
        self.path = sqlite_path(target)
        self._reader_count = readers
        self._writer: aiosqlite.Connection | None = None
        self._readers: list[aiosqlite.Connection] = []
        self._pool: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        self._write_lock = asyncio.Lock()

    async def open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._writer = await connect(self.path, readonly=False)
        for _ in range(self._reader_count):
            conn = await connect(self.path, readonly=True)
            self._readers.append(conn)
            self._pool.put_nowait(conn)

    async def close(self) -> None:
        # aiosqlite keeps a thread per connection; one left open hangs the process at exit.
        for conn in self._readers:
            await conn.close()
        self._readers.clear()
        self._pool = asyncio.Queue()
        if self._writer is not None:
            await self._writer.close()
            self._writer = None

    @property
    def writer(self) -> aiosqlite.Connection:
        if self._writer is None:
            raise RuntimeError("database is not open")
        return self._writer

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        async with self._write_lock:
            conn = self.writer
            try:
                await conn.execute("BEGIN IMMEDIATE")
            except BaseException:
                # Cancelled while BEGIN waited for the connection's thread: it still runs
                # there, and would keep the write lock taken. A ROLLBACK queued behind it
                # ends that transaction (and fails harmlessly if BEGIN itself failed).
                with contextlib.suppress(sqlite3.OperationalError):
                    await conn.execute("ROLLBACK")
                raise
            try:
                yield SqliteTransaction(conn)
            except BaseException:
                await conn.execute("ROLLBACK")
                raise
            else:
                await conn.execute("COMMIT")
                self.generation += 1

    @asynccontextmanager
    async def reader(self) -> AsyncIterator[aiosqlite.Connection]:
        conn = await self._pool.get()
        try:
            yield conn
        finally:
            self._pool.put_nowait(conn)

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        # execute_fetchall: one trip to the reader's thread instead of three.
        async with self.reader() as conn:
            return list(await conn.execute_fetchall(sql, params))

    async def snapshot(self, sql: str, params: Params = ()) -> list[Row]:
        # The read snapshot lasts as long as the query, not as long as the download
        # that streams the rows afterwards: WAL checkpoints are never held up by a
        # slow client.
        conn = await connect(self.path, readonly=True)
        try:
            return list(await conn.execute_fetchall(sql, params))
        finally:
            await conn.close()

    async def iterate(
        self, sql: str, params: Params = (), *, batch: int = 500
    ) -> AsyncIterator[Row]:
        async with self.reader() as conn, conn.execute(sql, params) as cur:
            while True:
                rows = await cur.fetchmany(batch)
                if not rows:
                    return
                for row in rows:
                    yield row

    async def run_script(self, script: str) -> None:
        """Several statements at once, outside the app's transactions (migrations)."""
        await self.writer.executescript(script)

    def raw(self) -> Any:
        return self.writer
