"""The migration files of both backends, and which of them a database still lacks.

SQLite's migrations live in `migrations/`, PostgreSQL's twins of the same names in
`migrations/postgresql/`; every migration has both, and the two produce the same
logical schema (tests/store/test_schema_parity.py compares them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from importlib.abc import Traversable

from learning.store.backend import Database

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")

# pg_advisory_lock key for `learning migrate`: instances that start at the same
# moment migrate once, the others wait and then find nothing to do.
MIGRATE_LOCK = 0x6D696772


@dataclass(frozen=True, slots=True)
class Migration:
    number: int
    name: str
    sql: str


class MigrationError(Exception):
    pass


def _folder(backend: str) -> Traversable:
    folder = resources.files("learning.store").joinpath("migrations")
    return folder.joinpath("postgresql") if backend == "postgresql" else folder


def available_migrations(backend: str = "sqlite") -> list[Migration]:
    found: dict[int, Migration] = {}
    for entry in _folder(backend).iterdir():
        match = _NAME.match(entry.name)
        if not match:
            continue
        number = int(match.group(1))
        if number in found:
            raise MigrationError(f"Migration {number:04d} ist doppelt vergeben: {entry.name}")
        found[number] = Migration(number, entry.name, entry.read_text(encoding="utf-8"))
    return [found[n] for n in sorted(found)]


def missing_twins() -> list[str]:
    """SQLite migrations without a PostgreSQL twin of the same name (and the reverse)."""
    sqlite = {m.name for m in available_migrations("sqlite")}
    postgres = {m.name for m in available_migrations("postgresql")}
    return sorted(sqlite ^ postgres)


async def applied_migrations(db: Database) -> set[str]:
    async with db.transaction() as tx:
        await tx.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
    rows = await db.fetchall("SELECT name FROM schema_migrations")
    return {row[0] for row in rows}


def pending(done: set[str], backend: str, until: int | None) -> list[Migration]:
    return [
        m
        for m in available_migrations(backend)
        if m.name not in done and (until is None or m.number <= until)
    ]
