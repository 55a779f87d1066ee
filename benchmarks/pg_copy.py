"""Copy a seeded SQLite benchmark database into PostgreSQL, table by table.

The seed writes SQLite in seconds; COPY moves the same rows into a migrated
PostgreSQL database, so both backends are measured on identical data.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

import asyncpg

from learning.store.db import open_database
from learning.store.migrate import migrate
from learning.store.schema import describe

_CONVERT = {"integer": int, "real": float, "text": str, "blob": bytes}


def _convert(kind: str, value: Any) -> Any:
    if value is None:
        return None
    return _CONVERT.get(kind, lambda v: v)(value)


async def copy_into(sqlite_path: Path, url: str) -> dict[str, int]:
    async with open_database(url, readers=1) as pg:
        await migrate(pg)
        tables = await describe(pg)
    counts: dict[str, int] = {}
    source = sqlite3.connect(sqlite_path)
    conn = await asyncpg.connect(url)
    try:
        # The summary rows are copied as they are: no triggers, no key checks meanwhile.
        await conn.execute("SET session_replication_role = replica")
        citext = {
            str(r[0])
            for r in await conn.fetch(
                "SELECT DISTINCT table_name FROM information_schema.columns"
                " WHERE udt_name = 'citext' AND table_schema = current_schema()"
            )
        }
        for name, table in tables.items():
            if name == "schema_migrations":
                continue
            columns = list(table.columns)
            kinds = [table.columns[c] for c in columns]
            quoted = ", ".join(f'"{c}"' for c in columns)
            rows = source.execute(f'SELECT {quoted} FROM "{name}"').fetchall()  # noqa: S608 - names from the schema
            records = [
                tuple(_convert(k, v) for k, v in zip(kinds, row, strict=True)) for row in rows
            ]
            if records and name in citext:
                # Binary COPY has no codec for citext; these tables are small.
                marks = ", ".join(f"${i + 1}" for i in range(len(columns)))
                await conn.executemany(
                    f'INSERT INTO "{name}" ({quoted}) VALUES ({marks})',  # noqa: S608 - names from the schema
                    records,
                )
            elif records:
                await conn.copy_records_to_table(name, records=records, columns=columns)
            counts[name] = len(records)
            if table.primary_key == ("id",) and table.columns["id"] == "integer":
                await conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'),"  # noqa: S608 - names from the schema
                    f' coalesce((SELECT max(id) FROM "{name}"), 0) + 1, false)'
                )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
        source.close()
    return counts


def copy_sqlite_to_postgres(sqlite_path: Path, url: str) -> dict[str, int]:
    return asyncio.run(copy_into(sqlite_path, url))


def count(url: str, sql: str) -> int:
    async def run() -> int:
        conn = await asyncpg.connect(url)
        try:
            return int(await conn.fetchval(sql))
        finally:
            await conn.close()

    return asyncio.run(run())
