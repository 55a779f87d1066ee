"""The audit log: who did what to whom, and when."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from learning.core.clock import to_db
from learning.store.db import Database, Transaction


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: str
    actor_id: int | None
    actor_email: str | None
    action: str
    target_type: str | None
    target_id: str | None
    details: dict[str, Any]


async def record(
    tx: Transaction,
    *,
    now: datetime,
    actor_id: int | None,
    actor_email: str | None,
    action: str,
    target_type: str | None = None,
    target_id: object = None,
    details: dict[str, Any] | None = None,
) -> None:
    await tx.execute(
        "INSERT INTO audit_log (at, actor_id, actor_email, action, target_type, target_id,"
        " details) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            to_db(now),
            actor_id,
            actor_email,
            action,
            target_type,
            None if target_id is None else str(target_id),
            json.dumps(details or {}, ensure_ascii=False, sort_keys=True),
        ),
    )


async def list_entries(db: Database, *, limit: int = 200, offset: int = 0) -> list[AuditEntry]:
    rows = await db.fetchall(
        "SELECT id, at, actor_id, actor_email, action, target_type, target_id, details"
        " FROM audit_log ORDER BY id DESC LIMIT ? OFFSET ?",
        (limit, offset),
    )
    return [
        AuditEntry(
            id=row["id"],
            at=row["at"],
            actor_id=row["actor_id"],
            actor_email=row["actor_email"],
            action=row["action"],
            target_type=row["target_type"],
            target_id=row["target_id"],
            details=json.loads(row["details"]),
        )
        for row in rows
    ]
