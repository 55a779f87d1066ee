"""Numbered SQL migrations, each applied in one transaction together with its record.

SQLite's migrations live in `migrations/`, PostgreSQL's twins of the same names in
`migrations/postgresql/` (see migration_files).
"""

from __future__ import annotations

from learning.store.backend import Database
from learning.store.migration_files import (
    Migration,
    MigrationError,
    applied_migrations,
    available_migrations,
    missing_twins,
)
from learning.store.postgres_migrate import migrate_postgres
from learning.store.sqlite_migrate import migrate_sqlite

__all__ = [
    "Migration",
    "MigrationError",
    "applied_migrations",
    "available_migrations",
    "migrate",
    "missing_twins",
]


async def migrate(db: Database, *, until: int | None = None) -> list[str]:
    """Apply what is missing; return the names applied. Running it twice is a no-op.

    `until` stops after that number: tests build an old schema with it, fill it the
    old way and then check what the later migrations make of the rows.
    """
    if db.backend == "postgresql":
        return await migrate_postgres(db, until=until)
    return await migrate_sqlite(db, until=until)
