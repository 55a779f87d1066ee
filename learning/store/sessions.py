"""Server-side sessions: the cookie names a row, and deleting the row ends the session."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from learning.core.clock import from_db, to_db
from learning.store.db import Database, Transaction
from learning.store.users import USER_SELECT, User, user_from_row

_SESSION_SELECT = (
    "SELECT s.id_hash, s.created_at AS s_created, s.last_seen, s.last_page_course,"  # noqa: S608 - constant SQL, no input
    " s.last_page_id, s.last_page_at, u.* FROM sessions s"
    f" JOIN ({USER_SELECT}) u ON u.id = s.user_id WHERE s.id_hash = ?"
)


def hash_session_id(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("ascii", "replace")).hexdigest()


@dataclass(frozen=True, slots=True)
class Session:
    id_hash: str
    user: User
    created_at: datetime
    last_seen: datetime
    last_page_course: str | None
    last_page_id: str | None
    last_page_at: datetime | None


async def create_session(tx: Transaction, user_id: int, now: datetime) -> str:
    """Return the new random session id; only its hash is stored."""
    session_id = secrets.token_urlsafe(32)
    await tx.execute(
        "INSERT INTO sessions (id_hash, user_id, created_at, last_seen) VALUES (?, ?, ?, ?)",
        (hash_session_id(session_id), user_id, to_db(now), to_db(now)),
    )
    return session_id


async def load_session(
    db: Database,
    session_id: str,
    now: datetime,
    *,
    idle: int,
    absolute: int,
    expired_users: list[int] | None = None,
) -> Session | None:
    """The live session for this id, or None when unknown, expired or its user disabled.

    The user of a session that ran out is added to `expired_users`: a form posted into
    it is kept for that user to see again after logging in (web/kept_forms.py)."""
    id_hash = hash_session_id(session_id)
    row = await db.fetchone(_SESSION_SELECT, (id_hash,))
    if row is None:
        return None
    created = from_db(row["s_created"])
    last_seen = from_db(row["last_seen"])
    user = user_from_row(row)
    expired = (
        now - last_seen > timedelta(seconds=idle)
        or now - created > timedelta(seconds=absolute)
        or not user.active
    )
    if expired:
        if expired_users is not None and user.active:
            expired_users.append(user.id)
        async with db.transaction() as tx:
            await tx.execute("DELETE FROM sessions WHERE id_hash = ?", (id_hash,))
        return None
    return Session(
        id_hash=id_hash,
        user=user,
        created_at=created,
        last_seen=last_seen,
        last_page_course=row["last_page_course"],
        last_page_id=row["last_page_id"],
        last_page_at=from_db(row["last_page_at"]) if row["last_page_at"] else None,
    )


@dataclass(frozen=True, slots=True)
class SessionTouch:
    id_hash: str
    now: datetime


async def touch_sessions(tx: Transaction, touches: Sequence[SessionTouch]) -> None:
    """Record activity for the idle timeout; one statement for many sessions."""
    await tx.executemany(
        "UPDATE sessions SET last_seen = ? WHERE id_hash = ?",
        [(to_db(t.now), t.id_hash) for t in touches],
    )


async def delete_session(db: Database, id_hash: str) -> None:
    async with db.transaction() as tx:
        await end_session(tx, id_hash)


async def end_session(tx: Transaction, id_hash: str) -> None:
    await tx.execute("DELETE FROM sessions WHERE id_hash = ?", (id_hash,))


async def delete_user_sessions(tx: Transaction, user_id: int, *, keep: str | None = None) -> None:
    await tx.execute("DELETE FROM sessions WHERE user_id = ? AND id_hash IS NOT ?", (user_id, keep))
