"""Drafts of open final-test attempts, and the extra time a learner gets in timed tests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from learning.core.clock import to_db
from learning.store.db import Database, Transaction

Form = dict[str, list[str]]


@dataclass(frozen=True, slots=True)
class ExtraTime:
    minutes: int = 0
    percent: int = 0


async def save_draft(
    tx: Transaction, attempt_id: int, user_id: int, form: Form, now: datetime
) -> bool:
    """Store the draft; False (nothing written) unless the attempt is this learner's,
    still open and, when timed, not past its deadline: what is saved late never counts."""
    cur = await tx.execute(
        "INSERT INTO test_drafts (attempt_id, form, saved_at)"
        " SELECT id, ?, ? FROM test_attempts WHERE id = ? AND user_id = ?"
        " AND submitted_at IS NULL AND (deadline IS NULL OR deadline >= ?)"
        " ON CONFLICT(attempt_id) DO UPDATE SET form = excluded.form, saved_at = excluded.saved_at",
        (json.dumps(form, ensure_ascii=False), to_db(now), attempt_id, user_id, to_db(now)),
    )
    return cur.rowcount == 1


async def draft(db: Database, attempt_id: int, user_id: int) -> Form:
    """The saved answers of this learner's attempt; empty when there are none."""
    row = await db.fetchone(
        "SELECT d.form FROM test_drafts d JOIN test_attempts a ON a.id = d.attempt_id"
        " WHERE d.attempt_id = ? AND a.user_id = ?",
        (attempt_id, user_id),
    )
    if row is None:
        return {}
    loaded = json.loads(row["form"])
    return {str(k): [str(v) for v in vs] for k, vs in loaded.items()}


async def delete_draft_in(tx: Transaction, attempt_id: int) -> None:
    await tx.execute("DELETE FROM test_drafts WHERE attempt_id = ?", (attempt_id,))


async def extra_time(db: Database | Transaction, user_id: int) -> ExtraTime:
    row = await db.fetchone("SELECT minutes, percent FROM extra_time WHERE user_id = ?", (user_id,))
    return ExtraTime() if row is None else ExtraTime(int(row["minutes"]), int(row["percent"]))


async def set_extra_time_in(tx: Transaction, user_id: int, extra: ExtraTime) -> None:
    if extra == ExtraTime():
        await tx.execute("DELETE FROM extra_time WHERE user_id = ?", (user_id,))
        return
    await tx.execute(
        "INSERT INTO extra_time (user_id, minutes, percent) VALUES (?, ?, ?)"
        " ON CONFLICT(user_id) DO UPDATE SET minutes = excluded.minutes,"
        " percent = excluded.percent",
        (user_id, extra.minutes, extra.percent),
    )
