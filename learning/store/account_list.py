"""The admin's account list: filter, sort, page, and what each account's sign-in state is."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from learning.core.clock import to_db
from learning.store import user_admin
from learning.store.db import Database
from learning.store.users import USER_SELECT, Role, User, user_from_row

PER_PAGE = 50

Sort = Literal["name", "email", "login", "created"]
SORTS: tuple[Sort, ...] = ("name", "email", "login", "created")
# Accounts that never signed in sort last by last login, whatever the direction.
_ORDER: dict[Sort, str] = {
    "name": "lower(u.name), u.id",
    "email": "lower(u.email), u.id",
    "login": "CASE WHEN u.last_login_at IS NULL THEN 1 ELSE 0 END, u.last_login_at DESC, u.id",
    "created": "u.created_at DESC, u.id DESC",
}

LoginState = Literal["invited", "never", "seen"]
LOGIN_STATES: tuple[LoginState, ...] = ("invited", "never", "seen")


@dataclass(frozen=True, slots=True)
class UserFilter:
    text: str = ""
    role: Role | None = None
    group_id: int | None = None
    active: bool | None = None
    login: LoginState | None = None


@dataclass(frozen=True, slots=True)
class Account:
    user: User
    last_login_at: str | None
    invited_until: str | None

    @property
    def state(self) -> str:
        """disabled, invited (an open invitation), invitation_expired, never or seen."""
        if not self.user.active:
            return "disabled"
        if self.user.password_hash is None:
            return "invited" if self.invited_until else "invitation_expired"
        return "seen" if self.last_login_at else "never"


@dataclass(frozen=True, slots=True)
class AccountPage:
    accounts: list[Account]
    total: int
    page: int
    pages: int


def _account(row: sqlite3.Row) -> Account:
    return Account(user_from_row(row), row["last_login_at"], row["invited_until"])


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


_OPEN_INVITE = (
    "(SELECT max(i.expires_at) FROM invitations i WHERE i.user_id = u.id"
    " AND i.purpose = 'invite' AND i.used_at IS NULL AND i.expires_at > ?)"
)

_SELECT = USER_SELECT.replace(
    " FROM users u", f", u.last_login_at, {_OPEN_INVITE} AS invited_until FROM users u", 1
)


def _where(flt: UserFilter, now: str) -> tuple[str, list[object]]:
    # Deleted accounts (tombstones, anonymised = 2) are not accounts any more.
    where: list[str] = ["u.anonymised < 2"]
    params: list[object] = []
    if flt.text:
        where.append("(lower(u.name) LIKE ? ESCAPE '\\' OR lower(u.email) LIKE ? ESCAPE '\\')")
        pattern = f"%{_escape_like(flt.text.lower())}%"
        params += [pattern, pattern]
    for column, value in (("u.role", flt.role), ("u.group_id", flt.group_id)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    if flt.active is not None:
        where.append("u.active = ?")
        params.append(int(flt.active))
    if flt.login == "invited":
        where.append(f"u.password_hash IS NULL AND {_OPEN_INVITE} IS NOT NULL")
        params.append(now)
    elif flt.login == "never":
        where.append("u.last_login_at IS NULL")
    elif flt.login == "seen":
        where.append("u.last_login_at IS NOT NULL")
    return " WHERE " + " AND ".join(where), params


async def search_accounts(
    db: Database,
    flt: UserFilter,
    *,
    now: datetime,
    sort: Sort = "name",
    page: int = 1,
    per_page: int = PER_PAGE,
) -> AccountPage:
    stamp = to_db(now)
    clause, params = _where(flt, stamp)
    total = int(await db.scalar(f"SELECT count(*) FROM users u{clause}", params) or 0)  # noqa: S608 - clause holds placeholders only
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    rows = await db.fetchall(
        f"{_SELECT}{clause} ORDER BY {_ORDER[sort]} LIMIT ? OFFSET ?",
        (stamp, *params, per_page, (page - 1) * per_page),
    )
    return AccountPage([_account(row) for row in rows], total, page, pages)


async def accounts_by_id(db: Database, user_ids: list[int], *, now: datetime) -> list[Account]:
    """The named accounts (deleted ones left out), in name order."""
    sql = _SELECT.replace("{", "{{").replace("}", "}}") + " WHERE u.anonymised < 2"
    rows = await user_admin.rows_in_chunks(
        db, sql + " AND u.id IN ({marks})", (to_db(now),), user_ids
    )
    return sorted(map(_account, rows), key=lambda a: (a.user.name.lower(), a.user.id))
