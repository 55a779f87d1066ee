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
    actor_name: str | None = None  # the actor's current name (None: no account, e.g. "cli")
    target_name: str | None = None  # a user's or group's name, when the target is one
    target_email: str | None = None


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """What the log page asks for; times are UTC text, `until` exclusive."""

    action: str | None = None
    person: str | None = None  # part of a name or e-mail of the actor or the target
    since: str | None = None
    until: str | None = None


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


_SELECT = (
    "SELECT l.id, l.at, l.actor_id, l.actor_email, l.action, l.target_type, l.target_id,"
    " l.details, a.name AS actor_name, COALESCE(tu.name, tg.name) AS target_name,"
    " tu.email AS target_email FROM audit_log l"
    " LEFT JOIN users a ON a.id = l.actor_id"
    " LEFT JOIN users tu ON l.target_type = 'user' AND CAST(tu.id AS TEXT) = l.target_id"
    " LEFT JOIN groups tg ON l.target_type = 'group' AND CAST(tg.id AS TEXT) = l.target_id"
)


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _where(flt: AuditFilter) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if flt.action:
        clauses.append("l.action = ?")
        params.append(flt.action)
    if flt.since:
        clauses.append("l.at >= ?")
        params.append(flt.since)
    if flt.until:
        clauses.append("l.at < ?")
        params.append(flt.until)
    if flt.person:
        fields = ("a.name", "a.email", "l.actor_email", "tu.name", "tu.email", "tg.name")
        clauses.append("(" + " OR ".join(f"lower({f}) LIKE ? ESCAPE '\\'" for f in fields) + ")")
        params.extend([_like(flt.person)] * len(fields))
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


async def list_entries(
    db: Database, flt: AuditFilter | None = None, *, limit: int = 200, offset: int = 0
) -> list[AuditEntry]:
    """Newest first, with the names of actor and target as they are now."""
    where, params = _where(flt or AuditFilter())
    rows = await db.fetchall(
        _SELECT + where + " ORDER BY l.at DESC, l.id DESC LIMIT ? OFFSET ?",
        (*params, limit, offset),
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
            actor_name=row["actor_name"],
            target_name=row["target_name"],
            target_email=row["target_email"],
        )
        for row in rows
    ]


async def actions(db: Database) -> list[str]:
    """Every action code the log holds, for the filter."""
    rows = await db.fetchall("SELECT DISTINCT action FROM audit_log ORDER BY action")
    return [row["action"] for row in rows]
