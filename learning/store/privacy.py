"""GDPR: everything stored about one learner, anonymisation, deletion and retention purge.

Deletion keeps aggregate counts right: the account row stays as an anonymous tombstone
(role, group, enrolments, page views, test attempts and completions stay, so completion
counts and item statistics do not change), while every personal or free-text row goes.

`test_snapshots` is left alone by export, anonymisation and deletion: a snapshot holds
only the course's test questions, shared by every attempt on that content, and no
learner data (who answered what is in test_attempts and test_answers).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from learning.core.clock import to_db
from learning.store.db import Database, Transaction

# Table -> the columns exported for one learner (user_id scoped).
_EXPORT_TABLES: dict[str, str] = {
    "enrolments": "course_id, enrolled_at",
    "page_views": "course_id, page_id, first_seen, last_seen, seconds, views",
    "answers": "course_id, question_id, response, correct, created_at",
    "reflections": "course_id, question_id, text, created_at, updated_at",
    "scenario_runs": "course_id, question_id, path, current_step, started_at, finished_at",
    "test_attempts": "id, course_id, started_at, submitted_at, score, passed",
    "completions": "course_id, completed_at, score, attempt_id",
    "certificates": "code, course_id, learner_name, course_title, issued_at",
    "sessions": "created_at, last_seen",
}


async def export_learner(db: Database, user_id: int) -> dict[str, Any]:
    """All data stored about one person, as JSON-ready values."""
    account = await db.fetchone(
        "SELECT u.id, u.email, u.name, u.role, g.name AS group_name, u.locale, u.active,"
        " u.anonymised, u.created_at, u.password_changed_at"
        " FROM users u LEFT JOIN groups g ON g.id = u.group_id WHERE u.id = ?",
        (user_id,),
    )
    data: dict[str, Any] = {"account": dict(account) if account else None}
    for table, columns in _EXPORT_TABLES.items():
        rows = await db.fetchall(
            f"SELECT {columns} FROM {table} WHERE user_id = ? ORDER BY 1",  # noqa: S608 - constants
            (user_id,),
        )
        data[table] = [dict(row) for row in rows]
    answers = await db.fetchall(
        "SELECT t.attempt_id, t.question_id, t.response, t.correct FROM test_answers t"
        " JOIN test_attempts a ON a.id = t.attempt_id WHERE a.user_id = ?"
        " ORDER BY t.attempt_id, t.question_id",
        (user_id,),
    )
    data["test_answers"] = [dict(row) for row in answers]
    audit = await db.fetchall(
        "SELECT at, action, actor_email FROM audit_log"
        " WHERE target_type = 'user' AND target_id = ? ORDER BY id",
        (str(user_id),),
    )
    data["audit_log"] = [dict(row) for row in audit]
    for table in ("answers", "test_answers"):
        for row in data[table]:
            try:
                row["response"] = json.loads(row["response"]) if row["response"] else None
            except ValueError:
                pass
    return data


def pseudonym(user_id: int) -> tuple[str, str]:
    return f"Anonym {user_id}", f"anonym-{user_id}@invalid"


async def anonymise(tx: Transaction, user_id: int) -> None:
    """Replace name and e-mail with a pseudonym, clear the password, disable, end sessions."""
    name, email = pseudonym(user_id)
    await tx.execute(
        "UPDATE users SET name = ?, email = ?, password_hash = NULL, active = 0,"
        " anonymised = 1, locale = NULL WHERE id = ?",
        (name, email, user_id),
    )
    await tx.execute("UPDATE certificates SET learner_name = ? WHERE user_id = ?", (name, user_id))
    for table in ("sessions", "invitations", "reflections"):
        await tx.execute(f"DELETE FROM {table} WHERE user_id = ?", (user_id,))  # noqa: S608 - table names from a fixed tuple


async def delete_learner(tx: Transaction, user_id: int) -> None:
    """Anonymise, then remove every row that is not needed for the aggregate figures."""
    await anonymise(tx, user_id)
    for table in ("answers", "scenario_runs", "certificates"):
        await tx.execute(f"DELETE FROM {table} WHERE user_id = ?", (user_id,))  # noqa: S608 - table names from a fixed tuple
    await tx.execute(
        "UPDATE test_answers SET response = NULL WHERE attempt_id IN"
        " (SELECT id FROM test_attempts WHERE user_id = ?)",
        (user_id,),
    )


async def purge(tx: Transaction, before: datetime) -> dict[str, int]:
    """Remove page views, answers and test attempts older than `before`.

    Completions stay, and so does the attempt each completion points to. Snapshots no
    attempt points to any more go too (course content only; a new attempt on the same
    content simply stores its snapshot again).
    """
    cutoff = to_db(before)
    removed: dict[str, int] = {}
    cur = await tx.execute("DELETE FROM page_views WHERE last_seen < ?", (cutoff,))
    removed["page_views"] = cur.rowcount
    await cur.close()
    cur = await tx.execute("DELETE FROM answers WHERE created_at < ?", (cutoff,))
    removed["answers"] = cur.rowcount
    await cur.close()
    cur = await tx.execute(
        "DELETE FROM scenario_runs WHERE coalesce(finished_at, started_at) < ?", (cutoff,)
    )
    removed["scenario_runs"] = cur.rowcount
    await cur.close()
    cur = await tx.execute(
        "DELETE FROM test_attempts WHERE coalesce(submitted_at, started_at) < ?"
        " AND id NOT IN (SELECT attempt_id FROM completions WHERE attempt_id IS NOT NULL)",
        (cutoff,),
    )
    removed["test_attempts"] = cur.rowcount
    await cur.close()
    cur = await tx.execute(
        "DELETE FROM test_snapshots WHERE NOT EXISTS"
        " (SELECT 1 FROM test_attempts a WHERE a.snapshot_id = test_snapshots.id)"
    )
    removed["test_snapshots"] = cur.rowcount
    await cur.close()
    return removed
