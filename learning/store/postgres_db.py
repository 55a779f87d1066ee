"""PostgreSQL through asyncpg: a pool of connections, writes serialised cluster-wide.

Each write transaction takes one transaction-level advisory lock first. Writes then
run one at a time across every instance, as they do on SQLite, so the rules built on
"read, decide, write" inside one transaction (throttling, single-use links, a final
test counted once) hold for N instances without SERIALIZABLE retries. Reads do not
take it and run in parallel.

Every write transaction also announces itself with NOTIFY; each instance listens and
bumps its generation, so caches keyed by generation see another instance's change
as soon as it is committed. When the listening connection is lost (the database
restarts), notifications could be missed: until it is back, every read of the
generation is a new one, so nothing cached is trusted, and it reconnects by itself.

A database that goes away under a request raises DatabaseUnavailable (the web layer
answers 503); the pool opens new connections once the server is back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager
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
# Waits between attempts to listen again after the database went away.
RECONNECT_DELAYS = (0.2, 0.5, 1.0, 2.0)

# What asyncpg raises when the server is gone, restarting, or refuses connections.
UNREACHABLE: tuple[type[BaseException], ...] = (
    OSError,
    TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.CannotConnectNowError,
    asyncpg.InterfaceError,
    # "cannot switch to state ...; another operation is in progress": a pooled
    # connection whose server went away in the middle of a statement.
    asyncpg.exceptions.InternalClientError,
)
# Also a refusal (no such database, wrong password) or an unusable URL.
UNUSABLE: tuple[type[BaseException], ...] = (*UNREACHABLE, ValueError, asyncpg.PostgresError)
LOST = "Die Verbindung zur Datenbank ist unterbrochen."


@contextmanager
def reachable() -> Iterator[None]:
    """Turn "the server is not there" into DatabaseUnavailable; other errors pass."""
    try:
        yield
    except UNREACHABLE as exc:
        raise DatabaseUnavailable(LOST) from exc


class _CallerError:
    """Remembers what the body of a transaction raised, and lets it pass."""

    raised: BaseException | None = None

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        self.raised = exc


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
        with reachable():
            return Done(await self._conn.execute(t.sql, *arguments(t, params)))

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        t = translate(sql)
        with reachable():
            await self._conn.executemany(t.sql, [arguments(t, row) for row in rows])

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        t = translate(sql)
        with reachable():
            return list(await self._conn.fetch(t.sql, *arguments(t, params)))

    def savepoint(self) -> AbstractAsyncContextManager[None]:
        return _Savepoint(self._conn)

    async def insert(self, sql: str, params: Params = ()) -> int:
        t = translate(sql.rstrip().rstrip(";") + " RETURNING id")
        with reachable():
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
        self._relisten: asyncio.Task[None] | None = None
        self._closing = False
        self._write_lock = asyncio.Lock()

    @property
    def generation(self) -> int:
        if self._listener is None or self._listener.is_closed():
            # Deaf to other instances: a cached result may be stale at any moment.
            self._generation += 1
        return self._generation

    @generation.setter
    def generation(self, value: int) -> None:
        self._generation = value

    @property
    def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            raise RuntimeError("database is not open")
        return self._pool

    async def open(self) -> None:
        self._closing = False
        try:
            self._pool = await asyncpg.create_pool(
                self.url, min_size=1, max_size=self._size, timeout=CONNECT_TIMEOUT
            )
            await self._listen()
        except UNUSABLE as exc:
            await self.close()
            raise DatabaseUnavailable(describe(self.url, exc)) from exc

    async def _listen(self) -> None:
        listener = await asyncpg.connect(self.url, timeout=CONNECT_TIMEOUT)
        await listener.add_listener(CHANNEL, self._changed)
        listener.add_termination_listener(self._lost)
        self._listener = listener

    def _changed(self, *_: object) -> None:
        self._generation += 1

    def _lost(self, *_: object) -> None:
        if not self._closing and (self._relisten is None or self._relisten.done()):
            log.warning("Datenbankverbindung verloren; neuer Versuch läuft.")
            self._relisten = asyncio.get_running_loop().create_task(self._listen_again())

    async def _listen_again(self) -> None:
        attempt = 0
        while not self._closing:
            try:
                await self._listen()
            except UNUSABLE:
                await asyncio.sleep(RECONNECT_DELAYS[min(attempt, len(RECONNECT_DELAYS) - 1)])
                attempt += 1
                continue
            # Whatever was announced while we were deaf: everything cached is stale.
            self._generation += 1
            log.info("Datenbank wieder erreichbar.")
            return

    async def close(self) -> None:
        self._closing = True
        if self._relisten is not None:
            self._relisten.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._relisten
            self._relisten = None
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
        # An OSError of the caller's own (a file it reads) is no lost connection: only
        # what the connection raised becomes DatabaseUnavailable.
        caller = _CallerError()
        try:
            async with self._write_lock, self.pool.acquire() as conn, conn.transaction():
                await conn.execute("SELECT pg_advisory_xact_lock($1)", WRITE_LOCK)
                with caller:
                    yield PostgresTransaction(conn)
                await conn.execute("SELECT pg_notify($1, '')", CHANNEL)
        except UNREACHABLE as exc:
            if exc is caller.raised:
                raise
            raise DatabaseUnavailable(LOST) from exc
        self._generation += 1

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        t = translate(sql)
        with reachable():
            async with self.pool.acquire() as conn:
                return list(await conn.fetch(t.sql, *arguments(t, params)))

    async def snapshot(self, sql: str, params: Params = ()) -> list[Row]:
        return await self.fetchall(sql, params)

    async def iterate(
        self, sql: str, params: Params = (), *, batch: int = 500
    ) -> AsyncIterator[Row]:
        t = translate(sql)
        with reachable():
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
    shown = url.split("@", 1)[-1] if "@" in url else url.removeprefix("postgresql://")
    return f"Datenbank postgresql://…@{shown}: {reason(exc)} ({exc})".replace("\n", " ")


def reason(exc: BaseException) -> str:
    if isinstance(exc, asyncpg.InvalidCatalogNameError):
        return "diese Datenbank gibt es auf dem Server nicht"
    if isinstance(exc, asyncpg.InvalidAuthorizationSpecificationError):
        return "die Anmeldung wurde abgelehnt (Benutzer oder Passwort)"
    if isinstance(exc, ValueError) and not isinstance(exc, asyncpg.PostgresError):
        return "die Adresse ist ungültig"
    if isinstance(exc, UNREACHABLE):
        return "der Server ist nicht erreichbar"
    return "nicht nutzbar"
