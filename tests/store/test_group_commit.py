from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Sequence

import pytest

from learning.store.db import INTEGRITY_ERRORS, Database, Transaction
from learning.store.group_commit import GroupCommit
from tests.conftest import sqlite_of


async def _write(tx: Transaction, names: Sequence[str]) -> None:
    await tx.executemany(
        "INSERT INTO groups (name, created_at) VALUES (?, 'now')", [(n,) for n in names]
    )


async def _names(db: Database) -> set[str]:
    return {row["name"] for row in await db.fetchall("SELECT name FROM groups")}


async def test_concurrent_writes_share_a_transaction_and_all_commit(db: Database) -> None:
    group = GroupCommit(db, _write)
    await asyncio.gather(*(group.submit(f"g{i}") for i in range(50)))
    assert await _names(db) == {f"g{i}" for i in range(50)}
    assert group.batches < 50  # they arrived together, so they were committed together


async def test_a_failing_write_fails_alone(db: Database) -> None:
    group = GroupCommit(db, _write)
    await group.submit("taken")
    results = await asyncio.gather(
        group.submit("a"), group.submit("taken"), group.submit("b"), return_exceptions=True
    )
    assert results[0] is None and results[2] is None
    assert isinstance(results[1], INTEGRITY_ERRORS)
    assert await _names(db) == {"taken", "a", "b"}


@pytest.mark.sqlite_only
async def test_a_write_is_committed_when_submit_returns(db: Database) -> None:
    group = GroupCommit(db, _write)
    await group.submit("durable")
    db = sqlite_of(db)
    # A separate connection sees it: the transaction is committed, not just pending.
    conn = sqlite3.connect(db.path)
    try:
        assert conn.execute("SELECT count(*) FROM groups WHERE name = 'durable'").fetchone()[0] == 1
    finally:
        conn.close()
    assert not db.writer.in_transaction


async def test_close_waits_for_queued_writes(db: Database) -> None:
    group = GroupCommit(db, _write)
    pending = [asyncio.create_task(group.submit(f"q{i}")) for i in range(5)]
    await asyncio.sleep(0)
    await group.close()
    await asyncio.gather(*pending)
    assert {f"q{i}" for i in range(5)} <= await _names(db)


@pytest.mark.parametrize("size", [1, 3])
async def test_batches_are_capped(db: Database, size: int) -> None:
    group = GroupCommit(db, _write, max_batch=size)
    await asyncio.gather(*(group.submit(f"c{i}") for i in range(6)))
    assert group.batches >= 6 // size
