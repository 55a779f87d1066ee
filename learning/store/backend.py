"""The store's handle on its database: one interface, two backends.

`open_database(target)` (store/db.py) opens SQLite for a path (or `sqlite:PATH`) and PostgreSQL for a
`postgresql://` URL; store modules use only what is declared here, so the same SQL
runs on both. SQL is written for SQLite with `?` placeholders and the few
differences are translated by the PostgreSQL backend (see `pg_dialect`).

Both backends keep one meaning for a write transaction: it runs alone. SQLite has a
single writer; PostgreSQL takes one cluster-wide advisory lock per write transaction,
so "count the attempts, then reserve one" and the other read-then-write rules hold
across instances exactly as in one process.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any, Protocol

Params = Sequence[Any] | dict[str, Any]

# Exports run at most this many at a time, each on a connection of its own: a download
# is as slow as the client that reads it, and must hold neither a pooled reader (pages
# would queue behind it) nor a read snapshot (the WAL could not be checkpointed).
EXPORT_SLOTS = 2


class NotFound(Exception):
    """A row that the caller asked for by key does not exist (or is not theirs)."""


class ExportsBusy(Exception):
    """Every export slot is taken: the caller should try again in a moment."""


class DatabaseUnavailable(Exception):
    """The database cannot be reached; the message says which and why, in German."""


class Row(Protocol):
    """A result row: by position or by column name (sqlite3.Row, asyncpg.Record)."""

    def __getitem__(self, key: Any, /) -> Any: ...
    def keys(self) -> Any: ...
    def __iter__(self) -> Iterator[Any]: ...
    def __len__(self) -> int: ...


class Executed(Protocol):
    """What a statement returns: how many rows it changed."""

    @property
    def rowcount(self) -> int: ...
    async def close(self) -> None: ...


def _integrity_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [sqlite3.IntegrityError]
    try:
        import asyncpg
    except ImportError:  # pragma: no cover - asyncpg is a dependency
        return tuple(errors)
    errors.append(asyncpg.IntegrityConstraintViolationError)
    return tuple(errors)


# A unique or foreign key rule refused the write, whichever backend said so.
INTEGRITY_ERRORS = _integrity_errors()


def is_postgres_url(target: str | Path) -> bool:
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def sqlite_path(target: str | Path) -> Path:
    if isinstance(target, str) and target.startswith("sqlite:"):
        return Path(target.removeprefix("sqlite:").removeprefix("//"))
    return Path(target)


class Transaction(ABC):
    """The writer while a transaction is open; only valid inside it."""

    @abstractmethod
    async def execute(self, sql: str, params: Params = ()) -> Executed: ...

    @abstractmethod
    async def executemany(self, sql: str, rows: Iterable[Params]) -> None: ...

    @abstractmethod
    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]: ...

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    @abstractmethod
    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run an INSERT into a table with an `id` key; return the new row's id."""

    def savepoint(self) -> AbstractAsyncContextManager[None]:
        """Around a statement whose failure the caller catches and then goes on.

        On SQLite a failed statement leaves the transaction usable, so this does
        nothing; PostgreSQL aborts the whole transaction unless the statement ran
        inside a savepoint, which its backend opens here.
        """
        return contextlib.nullcontext()


class Database(ABC):
    """The app's handle on its database. Open in the lifespan, close in its shutdown."""

    backend: str = ""
    # Bumped after every commit this process sees (and, on PostgreSQL, every commit
    # another instance announces): a reader may keep a computed result for as long
    # as the generation it was computed at is still current.
    generation: int = 0

    def __init__(
        self, target: str | Path, *, readers: int = 3, exports: int = EXPORT_SLOTS
    ) -> None:
        self._export_slots = asyncio.Semaphore(exports)
        self.generation = 0

    @abstractmethod
    async def open(self) -> None: ...

    @abstractmethod
    async def close(self) -> None: ...

    async def __aenter__(self) -> Database:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @abstractmethod
    def transaction(self) -> AbstractAsyncContextManager[Transaction]:
        """One write transaction: all its statements commit together or not at all."""

    @abstractmethod
    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]: ...

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
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

    @abstractmethod
    async def snapshot(self, sql: str, params: Params = ()) -> list[Row]:
        """All rows of one query, read on a connection of its own."""

    @abstractmethod
    def iterate(self, sql: str, params: Params = (), *, batch: int = 500) -> AsyncIterator[Row]:
        """Stream rows in batches, so large exports never sit in memory whole."""

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
