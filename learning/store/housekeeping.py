"""Rows that are past their use: ended sessions, old login attempts, expired kept forms.

An expired session row was removed only when its cookie came back, so abandoned
sessions (a closed browser) stayed forever; login attempts (address and e-mail) were
kept forever although throttling looks back one hour at most. Both are personal data
with no purpose left, so the server removes them hourly and `learning purge` does too.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from learning.core.clock import to_db
from learning.store import kept_forms
from learning.store.db import Transaction

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
