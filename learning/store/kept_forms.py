"""Posted form fields kept across one redirect (web/kept_forms.py); read once, then gone."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from learning.core.clock import to_db
from learning.store.db import Database, Transaction

# Long enough to log in again after an expired session; short enough to hold little.
KEPT = timedelta(minutes=60)


@dataclass(frozen=True, slots=True)
class KeptForm:
    user_id: int | None
    page_path: str
    action: str
    fields: list[tuple[str, str]]
    errors: list[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class NewKeptForm:
    key_hash: str
    browser_key: str
    user_id: int | None
    page_path: str
    action: str
    fields: list[tuple[str, str]]
    errors: list[tuple[str, str]]


async def keep(tx: Transaction, form: NewKeptForm, now: datetime) -> None:
    await tx.execute(
        "INSERT INTO kept_forms"
        " (key_hash, browser_key, user_id, page_path, action, fields, errors, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            form.key_hash,
            form.browser_key,
            form.user_id,
            form.page_path,
            form.action,
            json.dumps(form.fields, ensure_ascii=False),
            json.dumps(form.errors, ensure_ascii=False),
            to_db(now),
        ),
    )


async def peek(db: Database, key_hash: str, browser_key: str, now: datetime) -> KeptForm | None:
    """The kept form under this key for this browser, unless it has expired."""
    row = await db.fetchone(
        "SELECT user_id, page_path, action, fields, errors FROM kept_forms"
        " WHERE key_hash = ? AND browser_key = ? AND created_at >= ?",
        (key_hash, browser_key, to_db(now - KEPT)),
    )
    if row is None:
        return None
    return KeptForm(
        row["user_id"],
        str(row["page_path"]),
        str(row["action"]),
        [(str(n), str(v)) for n, v in json.loads(row["fields"])],
        [(str(n), str(m)) for n, m in json.loads(row["errors"])],
    )


async def forget(tx: Transaction, key_hash: str) -> None:
    await tx.execute("DELETE FROM kept_forms WHERE key_hash = ?", (key_hash,))


async def remove_expired(tx: Transaction, now: datetime) -> int:
    cur = await tx.execute("DELETE FROM kept_forms WHERE created_at < ?", (to_db(now - KEPT),))
    count = cur.rowcount
    await cur.close()
    return int(count)
