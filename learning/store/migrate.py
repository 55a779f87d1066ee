"""Numbered SQL migrations, each applied in one transaction together with its record."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

import aiosqlite

from learning.store.db import Database

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True, slots=True)
class Migration:
    number: int
    name: str
    sql: str


class MigrationError(Exception):
    pass


def available_migrations() -> list[Migration]:
    folder = resources.files("learning.store").joinpath("migrations")
    found: dict[int, Migration] = {}
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if not match:
            continue
        number = int(match.group(1))
        if number in found:
            raise MigrationError(f"Migration {number:04d} ist doppelt vergeben: {entry.name}")
        found[number] = Migration(number, entry.name, entry.read_text(encoding="utf-8"))
    return [found[n] for n in sorted(found)]


async def applied_migrations(db: Database) -> set[str]:
    conn = db.writer
    await conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " name TEXT PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT (datetime('now')))"
    )
    async with conn.execute("SELECT name FROM schema_migrations") as cur:
        return {row[0] for row in await cur.fetchall()}


async def migrate(db: Database, *, until: int | None = None) -> list[str]:
    """Apply what is missing; return the names applied. Running it twice is a no-op.

    `until` stops after that number: tests build an old schema with it, fill it the
    old way and then check what the later migrations make of the rows.
    """
    done = await applied_migrations(db)
    pending = [
        m
        for m in available_migrations()
        if m.name not in done and (until is None or m.number <= until)
    ]
    if not pending:
        return []
    conn = db.writer
    # A migration that rewrites every row of a table keeps a statement journal of the
    # pages it changes; with the app's temp_store=MEMORY that sits in RAM (about 2 GB
    # for 0040 on 87,000 old attempts). On disk it costs a few percent of the time.
    async with conn.execute("PRAGMA temp_store") as cur:
        row = await cur.fetchone()
    temp_store = int(row[0]) if row else 0
    await conn.execute("PRAGMA temp_store=FILE")
    try:
        return [await _apply(conn, migration) for migration in pending]
    finally:
        await conn.execute(f"PRAGMA temp_store={temp_store}")


async def _apply(conn: aiosqlite.Connection, migration: Migration) -> str:
    # executescript runs in autocommit mode here (isolation_level=None), so the
    # explicit BEGIN/COMMIT make the migration and its record one transaction.
    script = (
        "BEGIN IMMEDIATE;\n"
        f"{migration.sql}\n;\n"
        f"INSERT INTO schema_migrations (name) VALUES ('{migration.name}');\n"
        "COMMIT;"
    )
    try:
        await conn.executescript(script)
    except Exception as exc:
        if conn.in_transaction:
            await conn.execute("ROLLBACK")
        raise MigrationError(f"Migration {migration.name} fehlgeschlagen: {exc}") from exc
    return migration.name
