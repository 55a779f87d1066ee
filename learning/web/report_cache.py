"""Report figures kept until the data changes.

Computing a course's figures reads one row per learner (about 0.1-0.2 s at 10,000
learners). An admin paging, sorting or exporting asks for the same figures again and
again; they are reused while no write has been committed since (the database's
generation, store/backend.py). On PostgreSQL that includes every commit of another
instance or of the CLI: each announces itself with NOTIFY, so a change made through
instance B is seen on A as soon as it is committed (tests/cluster checks within 2 s).
On SQLite a CLI purge in another process is not announced; MAX_AGE seconds bound that.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

from learning.core.lru import LRU
from learning.store.db import Database

T = TypeVar("T")
MAX_AGE = 30.0
MAX_ENTRIES = 64


class ResultCache(Generic[T]):
    """`follow_commits=False`: an entry lives MAX_AGE seconds whatever is committed
    (the assignment standings: they change by the day, the key carries the rest)."""

    def __init__(self, db: Database, *, enabled: bool = True, follow_commits: bool = True) -> None:
        self._db = db
        self._enabled = enabled
        self._follow = follow_commits
        self._entries: LRU[Hashable, tuple[int, float, T]] = LRU(MAX_ENTRIES)

    async def get(self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        if not self._enabled:
            return await compute()
        now = time.monotonic()
        entry = self._entries.get(key)
        if entry is not None:
            generation, stamp, value = entry
            fresh = generation == self._db.generation or not self._follow
            if fresh and now - stamp < MAX_AGE:
                return value
        generation = self._db.generation
        value = await compute()
        self._entries.put(key, (generation, now, value))
        return value
