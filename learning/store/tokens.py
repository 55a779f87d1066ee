"""Single use of signed links: a nonce, once recorded, is spent."""

from __future__ import annotations

from datetime import datetime

from learning.core.clock import to_db
from learning.store.db import INTEGRITY_ERRORS, Database, Transaction


class TokenSpent(Exception):
    pass


async def spend_nonce(tx: Transaction, nonce: str, purpose: str, now: datetime) -> None:
    """Record the nonce inside the caller's transaction; a second spend raises TokenSpent."""
    try:
        async with tx.savepoint():
            await tx.execute(
                "INSERT INTO used_tokens (nonce, purpose, used_at) VALUES (?, ?, ?)",
                (nonce, purpose, to_db(now)),
            )
    except INTEGRITY_ERRORS as exc:
        raise TokenSpent(nonce) from exc


async def nonce_spent(db: Database, nonce: str) -> bool:
    return bool(
        await db.scalar("SELECT EXISTS(SELECT 1 FROM used_tokens WHERE nonce = ?)", (nonce,))
    )
