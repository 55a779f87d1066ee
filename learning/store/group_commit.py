"""Group commit: writes of one kind that arrive together share one transaction.

Under load many learners open a page or answer a check in the same few milliseconds.
Each of those used to take the write lock for its own BEGIN ... COMMIT, several trips
to the writer thread each. Here a caller queues its item and waits; one drain task
writes everything queued so far with executemany in a single transaction, commits,
and only then tells each caller it is done. Durability is unchanged: nobody hears
"stored" before the COMMIT that holds their row has returned.

If the batch fails, each item is retried in a transaction of its own, so one bad row
(a user deleted a moment ago, say) fails only its own caller; when the database is
unreachable, every caller of the batch hears so at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

from learning.store.db import Database, DatabaseUnavailable, Transaction

T = TypeVar("T")
WriteBatch = Callable[[Transaction, Sequence[T]], Awaitable[None]]


class GroupCommit(Generic[T]):
    def __init__(self, db: Database, write: WriteBatch[T], *, max_batch: int = 256) -> None:
        self._db = db
        self._write = write
        self._max_batch = max_batch
        self._pending: list[tuple[T, asyncio.Future[None]]] = []
        self._drain_task: asyncio.Task[None] | None = None
        self.batches = 0  # transactions committed, for tests and the harness

    async def submit(self, item: T) -> None:
        """Return once `item` is committed; raise what its write raised otherwise."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((item, future))
        if self._drain_task is None or self._drain_task.done():
            self._drain_task = asyncio.create_task(self._drain())
        await future

    async def _drain(self) -> None:
        # Runs until the queue is empty; items that arrive while a batch is being
        # written form the next batch.
        while self._pending:
            batch = self._pending[: self._max_batch]
            del self._pending[: self._max_batch]
            await self._commit(batch)

    async def _commit(self, batch: list[tuple[T, asyncio.Future[None]]]) -> None:
        try:
            async with self._db.transaction() as tx:
                await self._write(tx, [item for item, _ in batch])
        except Exception as exc:
            if len(batch) == 1 or isinstance(exc, DatabaseUnavailable):
                # Unreachable is no bad row: one by one would only fail again.
                _fail(batch, exc)
                return
            for item, future in batch:
                await self._one(item, future)
            return
        self.batches += 1
        for _, future in batch:
            if not future.done():
                future.set_result(None)

    async def _one(self, item: T, future: asyncio.Future[None]) -> None:
        try:
            async with self._db.transaction() as tx:
                await self._write(tx, [item])
        except Exception as exc:
            if not future.done():
                future.set_exception(exc)
            return
        self.batches += 1
        if not future.done():
            future.set_result(None)

    async def close(self) -> None:
        """Wait for the writes already queued (callers are waiting for them anyway)."""
        if self._drain_task is not None:
            await self._drain_task


def _fail(batch: list[tuple[T, asyncio.Future[None]]], exc: Exception) -> None:
    for _, future in batch:
        if not future.done():
            future.set_exception(exc)
