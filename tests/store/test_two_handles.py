"""Two handles on one database behave like one: what two app instances rely on.

On SQLite two handles are two processes' worth of connections on one file; on
PostgreSQL they are two pools, as two instances have. Each handle's writes run
one at a time across both (SQLite's lock, PostgreSQL's advisory lock).
"""

from __future__ import annotations

import asyncio

from learning.core.clock import FrozenClock
from learning.core.config import Settings
from learning.store import attempts, users
from learning.store.db import Database, open_database


async def test_a_final_test_submitted_on_two_instances_at_once_counts_once(
    db: Database, settings: Settings, clock: FrozenClock
) -> None:
    async with db.transaction() as tx:
        uid = await users.insert_user(
            tx, email="a@example.org", name="A", role="learner", now=clock()
        )
        attempt = await attempts.create_attempt(
            tx, user_id=uid, course_id="k", content_hash="h", questions=[], shuffle={}, now=clock()
        )
    async with open_database(settings.database_target, readers=1) as other:

        async def submit(handle: Database) -> bool:
            async with handle.transaction() as tx:
                return await attempts.submit_attempt(
                    tx, attempt, score=90.0, passed=True, answers=[], now=clock()
                )

        results = await asyncio.gather(*(submit((db, other)[n % 2]) for n in range(20)))
    assert results.count(True) == 1
    assert await db.scalar("SELECT count(*) FROM test_attempts WHERE submitted_at IS NOT NULL") == 1
    assert await db.scalar("SELECT sum(attempts) FROM course_activity") == 1


async def test_read_then_write_holds_across_two_instances(
    db: Database, settings: Settings, clock: FrozenClock
) -> None:
    # The shape of every "check, then record" rule (throttling, single-use links):
    # count inside the write transaction, write only below the limit.
    async with open_database(settings.database_target, readers=1) as other:

        async def reserve(handle: Database, n: int) -> None:
            async with handle.transaction() as tx:
                taken = await tx.fetchone("SELECT count(*) FROM groups")
                assert taken is not None
                if int(taken[0]) < 5:
                    await asyncio.sleep(0.001)  # widen the window a race would need
                    await tx.execute(
                        "INSERT INTO groups (name, created_at) VALUES (?, ?)",
                        (f"g{n}", "2026-01-01 00:00:00"),
                    )

        await asyncio.gather(*(reserve((db, other)[n % 2], n) for n in range(30)))
    assert await db.scalar("SELECT count(*) FROM groups") == 5


async def test_a_commit_on_one_instance_moves_the_other_instances_generation(
    db: Database, settings: Settings, clock: FrozenClock
) -> None:
    # Caches keyed by the generation must see another instance's change: on SQLite
    # the other process's cache is per process (one server per file), so this is
    # the PostgreSQL promise; on SQLite the writer's own generation moves.
    async with open_database(settings.database_target, readers=1) as other:
        before = db.generation
        async with other.transaction() as tx:
            await tx.execute(
                "INSERT INTO groups (name, created_at) VALUES ('x', '2026-01-01 00:00:00')"
            )
        if db.backend == "postgresql":
            for _ in range(200):
                if db.generation != before:
                    break
                await asyncio.sleep(0.01)
            assert db.generation != before
        else:
            assert other.generation == 1
