from __future__ import annotations

import time

import pytest

from learning.store.db import Database
from learning.web import report_cache
from learning.web.report_cache import ResultCache


async def test_result_is_reused_until_the_next_commit(db: Database) -> None:
    cache: ResultCache[int] = ResultCache(db)
    calls: list[int] = []

    async def compute() -> int:
        calls.append(1)
        return len(calls)

    assert await cache.get("k", compute) == 1
    assert await cache.get("k", compute) == 1
    assert await cache.get("other", compute) == 2
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO groups (name, created_at) VALUES ('G', '2026-01-01 00:00:00')"
        )
    assert await cache.get("k", compute) == 3  # a commit makes every entry stale


async def test_result_expires_after_max_age(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    cache: ResultCache[str] = ResultCache(db)
    values = iter(["first", "second"])

    async def compute() -> str:
        return next(values)

    clock = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])  # the clock report_cache reads
    assert await cache.get("k", compute) == "first"
    clock[0] += report_cache.MAX_AGE + 1  # a write by another process is not seen by generation
    assert await cache.get("k", compute) == "second"


async def test_rolled_back_transaction_keeps_the_cache(db: Database) -> None:
    cache: ResultCache[int] = ResultCache(db)
    calls: list[int] = []

    async def compute() -> int:
        calls.append(1)
        return len(calls)

    assert await cache.get("k", compute) == 1
    generation = db.generation
    with pytest.raises(RuntimeError):
        async with db.transaction():
            raise RuntimeError("boom")
    assert db.generation == generation
    # Nothing was committed, so the figures computed before are still right.
    assert await cache.get("k", compute) == 1
    assert calls == [1]


async def test_a_disabled_cache_computes_every_time(db: Database) -> None:
    cache: ResultCache[int] = ResultCache(db, enabled=False)
    calls: list[int] = []

    async def compute() -> int:
        calls.append(1)
        return len(calls)

    assert [await cache.get("k", compute) for _ in range(3)] == [1, 2, 3]
