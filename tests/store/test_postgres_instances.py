"""How a PostgreSQL handle takes an outage (tests/store/test_two_handles.py: NOTIFY).

A lost listening connection makes every read of the generation new until it is back
(it comes back by itself); cut connections are reopened by the pool; a database that
cannot be reached is one German line (DatabaseUnavailable), never asyncpg's own.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from learning.store.backend import DatabaseUnavailable
from learning.store.db import Database, open_database
from learning.store.postgres_db import PostgresDatabase
from tests.conftest import SharedPostgres
from tests.postgres_server import PostgresServer


@pytest.fixture
async def pair(shared_postgres: SharedPostgres) -> AsyncIterator[tuple[Database, Database]]:
    url = shared_postgres.fresh()
    async with open_database(url, readers=1) as a, open_database(url, readers=1) as b:
        yield a, b


async def settled(db: Database, before: int) -> int:
    """The generation once it moved past `before`, polled for at most 2 s."""
    for _ in range(200):
        if db.generation != before:
            break
        await asyncio.sleep(0.01)
    return db.generation


async def insert_group(db: Database, name: str) -> None:
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO groups (name, created_at) VALUES (?, '2026-01-01 00:00:00')", (name,)
        )


async def test_a_lost_listener_distrusts_every_cache_until_it_is_back(
    pair: tuple[Database, Database],
) -> None:
    a, b = pair
    assert isinstance(b, PostgresDatabase)
    assert await a.scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        " WHERE query LIKE 'LISTEN%' AND datname = current_database()"
    )
    # Deaf for a moment: the generation is new on every read, so nothing cached is used.
    seen = {b.generation for _ in range(3)}
    listening = False
    for _ in range(200):
        await asyncio.sleep(0.02)
        first, second = b.generation, b.generation
        if first == second:
            listening = True
            break
    assert len(seen) == 3 or listening
    assert listening, "the listener did not come back"
    before = b.generation
    await insert_group(a, "after the reconnect")
    assert await settled(b, before) != before


async def test_no_such_database_is_one_german_line(postgres: PostgresServer) -> None:
    with pytest.raises(DatabaseUnavailable) as caught:
        async with open_database(postgres.url("gibt_es_nicht"), readers=1):
            pass
    message = str(caught.value)
    assert "diese Datenbank gibt es auf dem Server nicht" in message
    assert "\n" not in message


async def test_an_unreachable_server_is_one_german_line(tmp_path: object) -> None:
    url = f"postgresql://learning@/learning?host={tmp_path}"
    with pytest.raises(DatabaseUnavailable) as caught:
        async with open_database(url, readers=1):
            pass
    assert "der Server ist nicht erreichbar" in str(caught.value)


async def test_queries_after_the_connections_were_cut_recover_by_themselves(
    pair: tuple[Database, Database],
) -> None:
    a, b = pair
    await b.scalar("SELECT 1")
    await a.scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    outcomes = []
    for _ in range(3):
        try:
            outcomes.append(await b.scalar("SELECT 1"))
        except DatabaseUnavailable:
            outcomes.append("unavailable")
        await asyncio.sleep(0.05)
    assert outcomes[-1] == 1, outcomes


async def test_an_os_error_of_the_caller_inside_a_transaction_is_not_a_lost_database(
    pair: tuple[Database, Database],
) -> None:
    a, _ = pair
    with pytest.raises(FileNotFoundError):
        async with a.transaction() as tx:
            await tx.execute("INSERT INTO groups (name, created_at) VALUES ('G', 'x')")
            raise FileNotFoundError("kurs.md")
    assert await a.scalar("SELECT count(*) FROM groups") == 0  # rolled back
