"""Admin operations on accounts: search, edit, disable, enrol, reset progress, invitations."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from learning.core.clock import to_db
from learning.store.db import Database, NotFound, Transaction
from learning.store.users import Role


@dataclass(frozen=True, slots=True)
class Enrolment:
    course_id: str
    enrolled_at: str


@dataclass(frozen=True, slots=True)
class Invitation:
    id: int
    nonce: str
    purpose: str
    user_id: int
    created_at: str
    expires_at: str
    used_at: str | None


async def update_user(
    tx: Transaction, user_id: int, *, name: str, role: Role, group_id: int | None
) -> None:
    await tx.execute(
        "UPDATE users SET name = ?, role = ?, group_id = ? WHERE id = ?",
        (name, role, group_id, user_id),
    )


async def set_active(tx: Transaction, user_id: int, active: bool) -> None:
    # An anonymised or deleted account never becomes active again: nobody can sign in
    # to it, and re-activating it would only bring back a pseudonym.
    await tx.execute(
        "UPDATE users SET active = ? WHERE id = ? AND (anonymised = 0 OR ? = 0)",
        (int(active), user_id, int(active)),
    )
    if not active:
        await tx.execute("DELETE FROM sessions WHERE user_id = ?", (user_id,))


async def set_name(tx: Transaction, user_id: int, name: str) -> None:
    await tx.execute("UPDATE users SET name = ? WHERE id = ?", (name, user_id))


async def enrolments_of(db: Database, user_id: int) -> list[Enrolment]:
    rows = await db.fetchall(
        "SELECT course_id, enrolled_at FROM enrolments WHERE user_id = ? ORDER BY course_id",
        (user_id,),
    )
    return [Enrolment(row["course_id"], row["enrolled_at"]) for row in rows]


async def enrol(
    tx: Transaction, user_ids: list[int], course_id: str, *, by: int | None, now: datetime
) -> int:
    """Enrol each user once; return how many were newly enrolled."""
    added = 0
    for user_id in user_ids:
        cur = await tx.execute(
            "INSERT OR IGNORE INTO enrolments (user_id, course_id, enrolled_at, enrolled_by)"
            " VALUES (?, ?, ?, ?)",
            (user_id, course_id, to_db(now), by),
        )
        added += cur.rowcount
        await cur.close()
    return added


async def rows_in_chunks(
    db: Database, sql: str, before: tuple[object, ...], values: Sequence[object]
) -> list[sqlite3.Row]:
    """`sql` with `{marks}` for an IN list, run per 500 values (the SQLite variable limit)."""
    found: list[sqlite3.Row] = []
    for start in range(0, len(values), 500):
        chunk = values[start : start + 500]
        found += await db.fetchall(sql.format(marks=",".join("?" * len(chunk))), (*before, *chunk))
    return found


async def enrolled_among(db: Database, course_id: str, user_ids: list[int]) -> set[int]:
    """Which of these accounts are enrolled in the course."""
    sql = "SELECT user_id FROM enrolments WHERE course_id = ? AND user_id IN ({marks})"
    return {int(row[0]) for row in await rows_in_chunks(db, sql, (course_id,), user_ids)}


async def group_member_ids(tx: Transaction, group_id: int) -> list[int]:
    rows = await tx.fetchall(
        "SELECT id FROM users WHERE group_id = ? AND active = 1 ORDER BY id", (group_id,)
    )
    return [int(row["id"]) for row in rows]


# Progress a reset removes. Reflections stay: they are the learner's private notes.
_RESET_TABLES = ("page_views", "answers", "scenario_runs", "completions", "certificates")


async def reset_progress(tx: Transaction, user_id: int, course_id: str) -> dict[str, int]:
    """Delete the learner's progress in one course; return the rows removed per table."""
    removed: dict[str, int] = {}
    for table in _RESET_TABLES:
        cur = await tx.execute(
            f"DELETE FROM {table} WHERE user_id = ? AND course_id = ?",  # noqa: S608 - table names are constants
            (user_id, course_id),
        )
        removed[table] = cur.rowcount
        await cur.close()
    cur = await tx.execute(
        "DELETE FROM test_attempts WHERE user_id = ? AND course_id = ?", (user_id, course_id)
    )
    removed["test_attempts"] = cur.rowcount
    await cur.close()
    # The summary row's triggers cannot know the last activity once its facts are gone:
    # start it afresh, keeping only the enrolment, which a reset leaves in place.
    await tx.execute(
        "DELETE FROM course_activity WHERE user_id = ? AND course_id = ?", (user_id, course_id)
    )
    await tx.execute(
        "INSERT INTO course_activity (user_id, course_id, enrolled)"
        " SELECT user_id, course_id, 1 FROM enrolments WHERE user_id = ? AND course_id = ?",
        (user_id, course_id),
    )
    return removed


async def create_invitation(
    tx: Transaction,
    *,
    nonce: str,
    purpose: str,
    user_id: int,
    created_by: int | None,
    now: datetime,
    expires: datetime,
    signed_at: int | None = None,
    batch: str | None = None,
) -> int:
    return await tx.insert(
        "INSERT INTO invitations (nonce, purpose, user_id, created_by, created_at, expires_at,"
        " signed_at, batch) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (nonce, purpose, user_id, created_by, to_db(now), to_db(expires), signed_at, batch),
    )


@dataclass(frozen=True, slots=True)
class BatchLink:
    """One link of a batch, with what rebuilds its token (never the token itself)."""

    user_id: int
    name: str
    email: str
    purpose: str
    nonce: str
    signed_at: int | None
    expires_at: str
    used_at: str | None


async def batch_links(db: Database, batch: str, created_by: int) -> list[BatchLink]:
    """The links handed out together, to the admin who created them only."""
    rows = await db.fetchall(
        "SELECT i.user_id, u.name, u.email, i.purpose, i.nonce, i.signed_at, i.expires_at,"
        " i.used_at FROM invitations i JOIN users u ON u.id = i.user_id"
        " WHERE i.batch = ? AND i.created_by = ? ORDER BY lower(u.name), u.id",
        (batch, created_by),
    )
    return [
        BatchLink(
            r["user_id"],
            r["name"],
            r["email"],
            r["purpose"],
            r["nonce"],
            r["signed_at"],
            r["expires_at"],
            r["used_at"],
        )
        for r in rows
    ]


async def supersede_invitations(tx: Transaction, user_id: int, purpose: str, now: datetime) -> int:
    """Close the open links of this purpose: only the newest one handed out works."""
    cur = await tx.execute(
        "UPDATE invitations SET used_at = ? WHERE user_id = ? AND purpose = ? AND used_at IS NULL",
        (to_db(now), user_id, purpose),
    )
    count = cur.rowcount
    await cur.close()
    return count


def _invitation(row: sqlite3.Row) -> Invitation:
    return Invitation(
        id=row["id"],
        nonce=row["nonce"],
        purpose=row["purpose"],
        user_id=row["user_id"],
        created_at=row["created_at"],
        expires_at=row["expires_at"],
        used_at=row["used_at"],
    )


_INVITATION_SELECT = (
    "SELECT id, nonce, purpose, user_id, created_at, expires_at, used_at FROM invitations"
)


async def invitation_by_nonce(db: Database, nonce: str) -> Invitation | None:
    row = await db.fetchone(f"{_INVITATION_SELECT} WHERE nonce = ?", (nonce,))
    return None if row is None else _invitation(row)


async def mark_invitation_used(tx: Transaction, invitation_id: int, now: datetime) -> bool:
    """Mark it used; False when it already was (a concurrent second use)."""
    cur = await tx.execute(
        "UPDATE invitations SET used_at = ? WHERE id = ? AND used_at IS NULL",
        (to_db(now), invitation_id),
    )
    changed = cur.rowcount == 1
    await cur.close()
    return changed


async def open_invitations(db: Database, user_id: int, now: datetime) -> list[Invitation]:
    rows = await db.fetchall(
        f"{_INVITATION_SELECT} WHERE user_id = ? AND used_at IS NULL AND expires_at > ?"
        " ORDER BY id DESC",
        (user_id, to_db(now)),
    )
    return [_invitation(row) for row in rows]


async def existing_emails(db: Database, emails: list[str]) -> set[str]:
    """Which of these addresses already have an account (compared case-insensitively)."""
    sql = "SELECT lower(email) FROM users WHERE email IN ({marks})"
    return {str(row[0]) for row in await rows_in_chunks(db, sql, (), emails)}


@dataclass(frozen=True, slots=True)
class GroupSummary:
    id: int
    name: str
    members: int
    learners: int


async def groups_with_counts(db: Database) -> list[GroupSummary]:
    rows = await db.fetchall(
        "SELECT g.id, g.name, count(u.id) AS members,"
        " coalesce(sum(u.role = 'learner'), 0) AS learners"
        " FROM groups g LEFT JOIN users u ON u.group_id = g.id AND u.anonymised < 2"
        " GROUP BY g.id ORDER BY g.name"
    )
    return [GroupSummary(r["id"], r["name"], r["members"], r["learners"]) for r in rows]


async def group_name(db: Database, group_id: int) -> str:
    name = await db.scalar("SELECT name FROM groups WHERE id = ?", (group_id,))
    if name is None:
        raise NotFound(f"group {group_id}")
    return str(name)
