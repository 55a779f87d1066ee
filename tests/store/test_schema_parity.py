"""Both backends build the same logical schema from their migrations."""

from __future__ import annotations

import pytest

from learning.store.db import Database, open_database
from learning.store.migrate import migrate, missing_twins
from learning.store.schema import describe
from tests.postgres_server import PostgresServer


def test_every_migration_has_a_postgresql_twin() -> None:
    assert missing_twins() == []


@pytest.mark.sqlite_only
async def test_tables_columns_types_keys_and_indexes_match(
    sqlite_db: Database, postgres: PostgresServer
) -> None:
    async with open_database(postgres.create_database(), readers=1) as pg:
        applied = await migrate(pg)
        assert applied, "the PostgreSQL migrations ran"
        assert await migrate(pg) == []  # a second run finds nothing to do
        postgres_schema = await describe(pg)
    sqlite_schema = await describe(sqlite_db)
    assert sorted(postgres_schema) == sorted(sqlite_schema)
    for name, table in sqlite_schema.items():
        other = postgres_schema[name]
        assert other.columns == table.columns, name
        assert other.primary_key == table.primary_key, name
        assert other.indexes == table.indexes, name
