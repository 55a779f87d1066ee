"""Ended sessions and old login attempts are removed; live ones stay."""

from __future__ import annotations

from datetime import timedelta

from learning.core.clock import FrozenClock, to_db
from learning.store import users
from learning.store.db import Database
from learning.store.housekeeping import claim_run, due, remove_stale
from learning.store.login_attempts import record_attempt
from learning.store.sessions import create_session


async def test_removes_expired_sessions_and_day_old_attempts(
    db: Database, clock: FrozenClock
) -> None:
    now = clock()
    async with db.transaction() as tx:
        uid = await users.insert_user(tx, email="a@example.org", name="A", role="learner", now=now)
        live = await create_session(tx, uid, now - timedelta(minutes=5))
        await create_session(tx, uid, now - timedelta(hours=2))  # idle for two hours
    for ago in (timedelta(days=2), timedelta(minutes=3)):
        await record_attempt(db, "a@example.org", "10.0.0.1", now - ago, success=False)
    # Active all along but opened 13 hours ago: past the 12-hour absolute limit.
    async with db.transaction() as tx:
        old = await create_session(tx, uid, now - timedelta(hours=13))
        await tx.execute(
            "UPDATE sessions SET last_seen = ? WHERE created_at = ?",
            (to_db(now), to_db(now - timedelta(hours=13))),
        )
    assert old != live
    async with db.transaction() as tx:
        removed = await remove_stale(tx, now, idle=30 * 60, absolute=12 * 60 * 60)
    assert removed == {"sessions": 2, "login_attempts": 1, "kept_forms": 0}
    rows = await db.fetchall("SELECT created_at FROM sessions")
    assert [r[0] for r in rows] == [to_db(now - timedelta(minutes=5))]
    assert await db.scalar("SELECT count(*) FROM login_attempts") == 1


async def test_one_run_per_interval_whoever_asks(db: Database, clock: FrozenClock) -> None:
    """Two instances that wake together: the second finds the first one's claim."""
    hour = timedelta(hours=1)
    now = clock()
    assert await due(db, "sessions", now, hour)
    async with db.transaction() as tx:
        assert await claim_run(tx, "sessions", now, hour)
    async with db.transaction() as tx:
        assert not await claim_run(tx, "sessions", now + timedelta(minutes=59), hour)
    assert not await due(db, "sessions", now + timedelta(minutes=59), hour)
    later = now + hour + timedelta(seconds=1)
    assert await due(db, "sessions", later, hour)
    async with db.transaction() as tx:
        assert await claim_run(tx, "sessions", later, hour)
    row = await db.fetchone("SELECT last_run, runs FROM housekeeping_runs WHERE task = 'sessions'")
    assert row is not None
    assert (row["last_run"], row["runs"]) == (to_db(later), 2)
