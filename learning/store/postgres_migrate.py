"""Applying migrations to PostgreSQL, under a cluster-wide advisory lock."""

from __future__ import annotations

from typing import Any, cast

import asyncpg

from learning.core.clock import to_db, utc_now
from learning.store.backend import Database
from learning.store.migration_files import MIGRATE_LOCK, Migration, MigrationError, pending
from learning.store.postgres_db import PostgresDatabase


async def migrate_postgres(db: Database, *, until: int | None = None) -> list[str]:
    pg = cast(PostgresDatabase, db)
    applied: list[str] = []
    # Holding the lock while reading what is applied: a second instance that started
    # at the same moment waits here, then finds everything done.
    async with pg.session_lock(MIGRATE_LOCK) as conn:
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " name text PRIMARY KEY, applied_at text NOT NULL)"
        )
        done = {row[0] for row in await conn.fetch("SELECT name FROM schema_migrations")}
        for migration in pending(done, "postgresql", until):
            await _apply(conn, migration)
            applied.append(migration.name)
    return applied


async def _apply(conn: Any, migration: Migration) -> None:
    """One migration and its record, in one transaction."""
    try:
        async with conn.transaction():
            if _has_statements(migration.sql):
                await conn.execute(migration.sql)
            await conn.execute(
                "INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)",
                migration.name,
                to_db(utc_now()),
            )
    except asyncpg.PostgresError as exc:
        raise MigrationError(f"Migration {migration.name} fehlgeschlagen: {exc}") from exc


def _has_statements(sql: str) -> bool:
    # A twin that is only a comment ("part of 0001 here"): asyncpg trips over an
    # empty simple query, and there is nothing to run anyway.
    lines = (line.strip() for line in sql.splitlines())
    return any(line and not line.startswith("--") for line in lines)
