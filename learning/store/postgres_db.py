"""PostgreSQL through asyncpg: a pool of connections, writes serialised cluster-wide.

Each write transaction takes one transaction-level advisory lock first. Writes then
run one at a time across every instance, as they do on SQLite, so the rules built on
"read, decide, write" inside one transaction (throttling, single-use links, a final
test counted once) hold for N instances without SERIALIZABLE retries. Reads do not
take it and run in parallel.

Every write transaction also announces itself with NOTIFY; each instance listens and
bumps its generation, so caches keyed by generation see another instance's change
as soon as it is committed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Iterable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import asyncpg

if TYPE_CHECKING:
    from asyncpg.pool import PoolConnectionProxy

from learning.store.backend import (
    EXPORT_SLOTS,
    Database,
    DatabaseUnavailable,
    Params,
    Row,
    Transaction,
)
from learning.store.pg_dialect import arguments, translate

log = logging.getLogger("learning")

# pg_advisory_xact_lock key of the write lock ("learn" in ASCII), and the channel.
WRITE_LOCK = 0x6C6561726E
CHANNEL = "learning_generation"
CONNECT_TIMEOUT = 10.0


class Done:
    """asyncpg answers a statement with its status tag ("UPDATE 3")."""

    __slots__ = ("rowcount",)

    def __init__(self, status: str) -> None:
        last = status.rsplit(" ", 1)[-1]
        self.rowcount = int(last) if last.isdigit() else -1

    async def close(self) -> None:
        return None


if TYPE_CHECKING:
    Connection = asyncpg.Connection[asyncpg.Record] | PoolConnectionProxy[asyncpg.Record]


class PostgresTransaction(Transaction):
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Params = ()) -> Done:
        t = translate(sql)
        return Done(await self._conn.execute(t.sql, *arguments(t, params)))

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        t = translate(sql)
        await self._conn.executemany(t.sql, [arguments(t, row) for row in rows])

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        t = translate(sql)
        return list(await self._conn.fetch(t.sql, *arguments(t, params)))

    def savepoint(self) -> AbstractAsyncContextManager[None]:
        return _Savepoint(self._conn)

    async def insert(self, sql: str, params: Params = ()) -> int:
        t = translate(sql.rstrip().rstrip(";") + " RETURNING id")
        value = await self._conn.fetchval(t.sql, *arguments(t, params))
        if value is None:  # pragma: no cover - RETURNING id always answers
            raise RuntimeError("INSERT without id")
        return int(value)


class _Savepoint:
    """asyncpg's nested transaction is a SAVEPOINT: rolled back to on an error."""

    def __init__(self, conn: Any) -> None:
        self._inner = conn.transaction()

    async def __aenter__(self) -> None:
        await self._inner.__aenter__()

    async def __aexit__(self, *exc: Any) -> None:
        await self._inner.__aexit__(*exc)


class PostgresDatabase(Database):
    backend = "postgresql"

    def __init__(
        self, target: str | Path, *, readers: int = 3, exports: int = EXPORT_SLOTS
    ) -> None:
        super().__init__(target, readers=readers, exports=exports)
        self.url = str(target)
        self._size = readers + 2
        self._pool: asyncpg.Pool | None = None
        self._listener: asyncpg.Connection | None = None
        self._write_lock = asyncio.Lock()

    @property
    def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            raise RuntimeError("database is not open")
        return self._pool

    async def open(self) -> None:
        try:
            self._pool = await asyncpg.create_pool(
                self.url, min_size=1, max_size=self._size, timeout=CONNECT_TIMEOUT
            )
            self._listener = await asyncpg.connect(self.url, timeout=CONNECT_TIMEOUT)
        except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
            await self.close()
            raise DatabaseUnavailable(describe(self.url, exc)) from exc
        await self._listener.add_listener(CHANNEL, self._changed)

    def _changed(self, *_: object) -> None:
        self.generation += 1

    async def close(self) -> None:
        if self._listener is not None:
            with contextlib.suppress(Exception):
                await self._listener.close()
            self._listener = None
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        # One waiter per process on the cluster lock: the others queue here, without
        # holding a pooled connection.
        async with self._write_lock, self.pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", WRITE_LOCK)
            yield PostgresTransaction(conn)
            await conn.execute("SELECT pg_notify($1, '')", CHANNEL)
        self.generation += 1

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        t = translate(sql)
        async with self.pool.acquire() as conn:
            return list(await conn.fetch(t.sql, *arguments(t, params)))

    async def snapshot(self, sql: str, params: Params = ()) -> list[Row]:
        return await self.fetchall(sql, params)

    async def iterate(
        self, sql: str, params: Params = (), *, batch: int = 500
    ) -> AsyncIterator[Row]:
        t = translate(sql)
        async with self.pool.acquire() as conn, conn.transaction(readonly=True):
            async for row in conn.cursor(t.sql, *arguments(t, params), prefetch=batch):
                yield row

    async def run_script(self, script: str) -> None:
        async with self.pool.acquire() as conn:
            await conn.execute(script)

    @asynccontextmanager
    async def session_lock(self, key: int) -> AsyncIterator[Any]:
        """A cluster-wide lock held on one connection (migrations, housekeeping)."""
        async with self.pool.acquire() as conn:
            await conn.execute("SELECT pg_advisory_lock($1)", key)
            try:
                yield conn
            finally:
                await conn.execute("SELECT pg_advisory_unlock($1)", key)


def describe(url: str, exc: BaseException) -> str:
    """One German line for a database that cannot be used, without the password."""
    shown = url.split("@", 1)[-1] if "@" in url else url
    return f"Datenbank postgresql://…@{shown} nicht erreichbar: {exc}".replace("\n", " ")
