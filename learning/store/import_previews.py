"""Checked CSV imports waiting for confirmation, one row each, owned by the admin who uploaded."""

from __future__ import annotations

from datetime import datetime

from learning.core.clock import to_db
from learning.store.db import Database, Transaction


async def save(
    tx: Transaction,
    preview_id: str,
    *,
    created_by: int,
    now: datetime,
    payload: str,
    since: datetime,
) -> None:
    """Store a preview; previews older than `since` (anyone's) go at the same time."""
    await tx.execute("DELETE FROM import_previews WHERE created_at < ?", (to_db(since),))
    await tx.execute(
        "INSERT INTO import_previews (id, created_by, created_at, payload) VALUES (?, ?, ?, ?)",
        (preview_id, created_by, to_db(now), payload),
    )


async def load(db: Database, preview_id: str, *, created_by: int, since: datetime) -> str | None:
    value = await db.scalar(
        "SELECT payload FROM import_previews WHERE id = ? AND created_by = ? AND created_at >= ?",
        (preview_id, created_by, to_db(since)),
    )
    return None if value is None else str(value)


async def delete(tx: Transaction, preview_id: str) -> None:
    await tx.execute("DELETE FROM import_previews WHERE id = ?", (preview_id,))
