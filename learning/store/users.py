"""Users and groups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from learning.core.clock import to_db
from learning.store import memberships
from learning.store.db import INTEGRITY_ERRORS, Database, NotFound, Row, Transaction

Role = Literal["learner", "trainer", "admin"]
ROLES: tuple[Role, ...] = ("learner", "trainer", "admin")


@dataclass(frozen=True, slots=True)
class User:
    id: int
    email: str
    name: str
    role: Role
    group_id: int | None
    group_name: str | None
    password_hash: str | None
    locale: str | None
    active: bool
    created_at: str
    password_changed_at: str | None

    def __repr__(self) -> str:
        return f"User(id={self.id}, email={self.email!r}, role={self.role!r})"


@dataclass(frozen=True, slots=True)
class Group:
    id: int
    name: str
    created_at: str


USER_SELECT = (
    "SELECT u.id, u.email, u.name, u.role, u.group_id, g.name AS group_name,"
    " u.password_hash, u.locale, u.active, u.created_at, u.password_changed_at"
    " FROM users u LEFT JOIN groups g ON g.id = u.group_id"
)


def user_from_row(row: Row) -> User:
    return User(
        id=row["id"],
        email=row["email"],
        name=row["name"],
        role=row["role"],
        group_id=row["group_id"],
        group_name=row["group_name"],
        password_hash=row["password_hash"],
        locale=row["locale"],
        active=bool(row["active"]),
        created_at=row["created_at"],
        password_changed_at=row["password_changed_at"],
    )


class DuplicateEmail(Exception):
    pass


async def get_user(db: Database | Transaction, user_id: int) -> User:
    row = await db.fetchone(f"{USER_SELECT} WHERE u.id = ?", (user_id,))
    if row is None:
        raise NotFound(f"user {user_id}")
    return user_from_row(row)


async def find_user_by_email(db: Database | Transaction, email: str) -> User | None:
    row = await db.fetchone(f"{USER_SELECT} WHERE u.email = ?", (email.strip(),))
    return None if row is None else user_from_row(row)


async def admin_exists(db: Database | Transaction) -> bool:
    """Also inside a transaction, so that two setups at once cannot both create one."""
    row = await db.fetchone("SELECT EXISTS(SELECT 1 FROM users WHERE role = 'admin')")
    return bool(row and row[0])


async def insert_user(
    tx: Transaction,
    *,
    email: str,
    name: str,
    role: Role,
    now: datetime,
    password_hash: str | None = None,
    group_id: int | None = None,
    locale: str | None = None,
) -> int:
    try:
        async with tx.savepoint():
            user_id = await tx.insert(
                "INSERT INTO users (email, name, role, group_id, password_hash, locale,"
                " created_at, password_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    email.strip(),
                    name.strip(),
                    role,
                    group_id,
                    password_hash,
                    locale,
                    to_db(now),
                    to_db(now) if password_hash else None,
                ),
            )
    except INTEGRITY_ERRORS as exc:
        if "users.email" in str(exc) or "users_email_key" in str(exc):
            raise DuplicateEmail(email) from exc
        raise
    if group_id is not None:
        # A learner who joins a group is enrolled in the group's assigned courses.
        await memberships.change_group(tx, user_id, group_id, now=now, by=None)
    return user_id


async def set_password_hash(
    tx: Transaction, user_id: int, password_hash: str, now: datetime
) -> None:
    await tx.execute(
        "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?",
        (password_hash, to_db(now), user_id),
    )


async def rehash_password(tx: Transaction, user_id: int, password_hash: str) -> None:
    """Store a stronger hash of the same password: nothing else changes."""
    await tx.execute("UPDATE users SET password_hash = ? WHERE id = ?", (password_hash, user_id))


async def set_locale(db: Database, user_id: int, locale: str | None) -> None:
    async with db.transaction() as tx:
        await tx.execute("UPDATE users SET locale = ? WHERE id = ?", (locale, user_id))


async def get_or_create_group(tx: Transaction, name: str, now: datetime) -> int:
    row = await tx.fetchone("SELECT id FROM groups WHERE name = ?", (name.strip(),))
    if row is not None:
        return int(row["id"])
    return await tx.insert(
        "INSERT INTO groups (name, created_at) VALUES (?, ?)", (name.strip(), to_db(now))
    )


async def group_exists(tx: Transaction, group_id: int) -> bool:
    row = await tx.fetchone("SELECT 1 FROM groups WHERE id = ?", (group_id,))
    return row is not None


async def list_groups(db: Database) -> list[Group]:
    rows = await db.fetchall("SELECT id, name, created_at FROM groups ORDER BY name")
    return [Group(row["id"], row["name"], row["created_at"]) for row in rows]


async def record_login(tx: Transaction, user_id: int, now: datetime) -> None:
    """A sign-in (password, setup or invitation link): the account list shows the last."""
    await tx.execute("UPDATE users SET last_login_at = ? WHERE id = ?", (to_db(now), user_id))
