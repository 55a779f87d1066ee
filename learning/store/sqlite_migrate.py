"""Applying migrations to SQLite: executescript with its own BEGIN ... COMMIT."""

from __future__ import annotations

from typing import cast

import aiosqlite

from learning.core.clock import to_db, utc_now
from learning.store.backend import Database
from learning.store.migration_files import Migration, MigrationError, applied_migrations, pending
from learning.store.sqlite_db import SqliteDatabase


async def migrate_sqlite(db: Database, *, until: int | None = None) -> list[str]:
    todo = pending(await applied_migrations(db), "sqlite", until)
    if not todo:
        return []
    conn = cast(SqliteDatabase, db).writer
    # A migration that rewrites every row of a table keeps a statement journal of the
    # pages it changes; with the app's temp_store=MEMORY that sits in RAM (about 2 GB
    # for 0040 on 87,000 old attempts). On disk it costs a few percent of the time.
    async with conn.execute("PRAGMA temp_store") as cur:
        row = await cur.fetchone()
    temp_store = int(row[0]) if row else 0
    await conn.execute("PRAGMA temp_store=FILE")
    try:
        return [await _apply(conn, migration) for migration in todo]
    finally:
        await conn.execute(f"PRAGMA temp_store={temp_store}")


async def _apply(conn: aiosqlite.Connection, migration: Migration) -> str:
    # executescript runs in autocommit mode here (isolation_level=None), so the
    # explicit BEGIN/COMMIT make the migration and its record one transaction.
    script = (
        "BEGIN IMMEDIATE;\n"
        f"{migration.sql}\n;\n"
        "INSERT INTO schema_migrations (name, applied_at)"
        f" VALUES ('{migration.name}', '{to_db(utc_now())}');\n"
        "COMMIT;"
    )
    try:
        await conn.executescript(script)
    except Exception as exc:
        if conn.in_transaction:
            await conn.execute("ROLLBACK")
        raise MigrationError(f"Migration {migration.name} fehlgeschlagen: {exc}") from exc
    return migration.name
