"""Connections: one long-lived writer with writes serialised, a few long-lived readers."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

Params = Sequence[Any] | dict[str, Any]

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


class NotFound(Exception):
    """A row that the caller asked for by key does not exist (or is not theirs)."""


class ExportsBusy(Exception):
    """Every export slot is taken: the caller should try again in a moment."""


# Exports run at most this many at a time, each on a connection of its own: a download
# is as slow as the client that reads it, and must hold neither a pooled reader (pages
# would queue behind it) nor a read snapshot (the WAL could not be checkpointed).
EXPORT_SLOTS = 2


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


class Transaction:
    """The writer connection while a transaction is open; only valid inside it."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Params = ()) -> aiosqlite.Cursor:
        return await self._conn.execute(sql, params)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        await self._conn.executemany(sql, rows)

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
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


class Database:
    """The app's handle on SQLite. Open in the lifespan, close in its shutdown."""

    def __init__(self, path: Path, *, readers: int = 3, exports: int = EXPORT_SLOTS) -> None:
        self.path = path
        self._reader_count = readers
        self._export_slots = asyncio.Semaphore(exports)
        self._writer: aiosqlite.Connection | None = None
        self._readers: list[aiosqlite.Connection] = []
        self._pool: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        self._write_lock = asyncio.Lock()
        # Bumped after every commit of this process: a reader may keep a computed result
        # for as long as the generation it was computed at is still current.
        self.generation = 0

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

    async def __aenter__(self) -> Database:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def writer(self) -> aiosqlite.Connection:
        if self._writer is None:
            raise RuntimeError("database is not open")
        return self._writer

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """One write transaction: all its statements commit together or not at all."""
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
                yield Transaction(conn)
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

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        # execute_fetchall: one trip to the reader's thread instead of three.
        async with self.reader() as conn:
            return list(await conn.execute_fetchall(sql, params))

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        # Callers ask by key or with LIMIT 1, so fetching "all" is one row.
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def scalar(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    async def ping(self) -> bool:
        """Whether a reader answers a trivial query: the health check's question."""
        value = await self.scalar("SELECT 1")
        return bool(value == 1)

    async def export_slot(self) -> Callable[[], None]:
        """Take an export slot without waiting; call the result to give it back.

        Raises ExportsBusy when all are taken: a queue would only make the admin wait
        behind downloads whose speed nobody here controls.
        """
        if self._export_slots.locked():
            raise ExportsBusy
        await self._export_slots.acquire()  # free: returns without waiting
        released = False

        def release() -> None:
            nonlocal released
            if not released:
                released = True
                self._export_slots.release()

        return release

    async def snapshot(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """All rows of one query, read on a connection of its own, which is then closed.

        The read snapshot lasts as long as the query, not as long as the download that
        streams the rows afterwards: WAL checkpoints are never held up by a slow client.
        """
        conn = await connect(self.path, readonly=True)
        try:
            return list(await conn.execute_fetchall(sql, params))
        finally:
            await conn.close()

    async def iterate(
        self, sql: str, params: Params = (), *, batch: int = 500
    ) -> AsyncIterator[sqlite3.Row]:
        """Stream rows in batches, so large exports never sit in memory whole."""
        async with self.reader() as conn, conn.execute(sql, params) as cur:
            while True:
                rows = await cur.fetchmany(batch)
                if not rows:
                    return
                for row in rows:
                    yield row
