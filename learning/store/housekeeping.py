"""Rows that are past their use: ended sessions, old login attempts, expired kept forms.

An expired session row was removed only when its cookie came back, so abandoned
sessions (a closed browser) stayed forever; login attempts (address and e-mail) were
kept forever although throttling looks back one hour at most. Both are personal data
with no purpose left, so the server removes them hourly and `learning purge` does too.

Every instance of a cluster wakes on its own timer; `claim_run` lets only the first one
past the interval do the work, so it runs once per interval for the whole cluster. The
claim is made inside the write transaction, which runs alone on either backend.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from learning.core.clock import to_db
from learning.store import kept_forms
from learning.store.db import Database, Transaction

# Throttling reads the last hour; a day leaves room to look into an attack afterwards.
LOGIN_ATTEMPTS_KEPT = timedelta(days=1)


async def remove_stale(
    tx: Transaction, now: datetime, *, idle: int, absolute: int
) -> dict[str, int]:
    """Delete sessions past their idle or absolute timeout (seconds) and old attempts."""
    cur = await tx.execute(
        "DELETE FROM sessions WHERE last_seen < ? OR created_at < ?",
        (to_db(now - timedelta(seconds=idle)), to_db(now - timedelta(seconds=absolute))),
    )
    sessions = cur.rowcount
    await cur.close()
    cur = await tx.execute(
        "DELETE FROM login_attempts WHERE at < ?", (to_db(now - LOGIN_ATTEMPTS_KEPT),)
    )
    attempts = cur.rowcount
    await cur.close()
    kept = await kept_forms.remove_expired(tx, now)
    return {"sessions": sessions, "login_attempts": attempts, "kept_forms": kept}


async def due(db: Database, task: str, now: datetime, interval: timedelta) -> bool:
    """Whether `task` has not run for `interval`: a read, so a waking instance that
    finds it done recently does not queue for the write lock at all."""
    last = await db.scalar("SELECT last_run FROM housekeeping_runs WHERE task = ?", (task,))
    return last is None or str(last) < to_db(now - interval)


async def claim_run(tx: Transaction, task: str, now: datetime, interval: timedelta) -> bool:
    """Record a run of `task` unless one was recorded less than `interval` ago.

    Inside the write transaction: of two instances that wake together, the second
    finds the first one's row and returns False. Times are stored to the second, so
    "less than" keeps two runs at least `interval` apart.
    """
    cur = await tx.execute(
        "INSERT INTO housekeeping_runs (task, last_run, runs) VALUES (?, ?, 1)"
        " ON CONFLICT (task) DO UPDATE SET last_run = excluded.last_run,"
        " runs = housekeeping_runs.runs + 1 WHERE housekeeping_runs.last_run < ?",
        (task, to_db(now), to_db(now - interval)),
    )
    claimed = cur.rowcount == 1
    await cur.close()
    return claimed
