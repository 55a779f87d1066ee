"""PostgreSQL restarts under load: the server answers 503 meanwhile and recovers by itself.

A real instance takes answer submits from many learners while `pg_ctl restart` cuts
every connection. Each request gets its success redirect or a German 503 page with
Retry-After, never a 500 or a dropped connection; once the database is back the
same instance serves again without a restart; every acknowledged answer is stored.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from learning.web.cookies import SESSION_COOKIE
from tests.cluster.instances import csrf_of, query, with_learners
from tests.postgres_server import PostgresServer
from tests.web.learner_flow import COURSE

LEARNERS = 10
RESTART_AFTER = 1.0  # seconds of load before the restart
LOAD_FOR = 6.0  # seconds of load in all
ANSWER = f"/courses/{COURSE}/pages/zeit/answer/hall-1"


@pytest.fixture
def own_postgres() -> Iterator[PostgresServer]:
    # A server of its own: restarting the shared one would cut other tests' handles.
    server = PostgresServer().start()
    try:
        yield server
    finally:
        server.stop()


async def submit_answers(
    client: httpx.AsyncClient, token: str, worker: int, stop: float
) -> list[tuple[int, str, httpx.Response]]:
    """Answer again and again until `stop`; every response with its answer text."""
    outcomes = []
    n = 0
    while time.monotonic() < stop:
        text = f"w{worker}-{n}"
        n += 1
        response = await client.post(
            ANSWER,
            data={"hall-1": text, "csrf_token": token},
        )
        outcomes.append((response.status_code, text, response))
        if response.status_code == 503:
            await asyncio.sleep(0.1)  # as a person would: a moment, then again
    return outcomes


async def test_a_database_restart_is_503_meanwhile_and_loses_no_acknowledged_write(
    own_postgres: PostgresServer, tmp_path: Path
) -> None:
    cluster, cookies = await with_learners(own_postgres, tmp_path, 1, LEARNERS)
    url = cluster.url
    clients = [
        httpx.AsyncClient(base_url=cluster.bases[0], timeout=30, cookies={SESSION_COOKIE: c})
        for c in cookies
    ]
    try:
        tokens = []
        for client in clients:
            page = await client.get("/")
            token = csrf_of(page)
            enrol = await client.post(f"/courses/{COURSE}/enrol", data={"csrf_token": token})
            assert enrol.status_code == 303
            tokens.append(token)
        stop = time.monotonic() + LOAD_FOR
        load = asyncio.gather(
            *(
                submit_answers(c, t, n, stop)
                for n, (c, t) in enumerate(zip(clients, tokens, strict=True))
            )
        )
        await asyncio.sleep(RESTART_AFTER)
        await asyncio.to_thread(own_postgres.restart)
        workers = await load
        results = [outcome for worker in workers for outcome in worker]

        statuses = {status for status, _, _ in results}
        assert statuses <= {303, 503}, statuses
        unavailable = [response for status, _, response in results if status == 503]
        assert unavailable, "the restart was not noticed: the test proves nothing"
        assert unavailable[0].headers["retry-after"] == "5"
        assert "Datenbank ist gerade nicht erreichbar" in unavailable[0].text
        # Recovered by itself: each learner's last answer of the run went through.
        assert all(worker[-1][0] == 303 for worker in workers)
        after = await clients[0].post(
            ANSWER,
            data={"hall-1": "nach dem Neustart", "csrf_token": tokens[0]},
        )
        assert after.status_code == 303
        acknowledged = {text for status, text, _ in results if status == 303}
        stored = {
            r["text"]
            for r in await query(url, "SELECT response::json->>'text' AS text FROM answers")
        }
        assert acknowledged <= stored, sorted(acknowledged - stored)[:5]
        assert cluster.processes[0].poll() is None, "the server must not exit"
    finally:
        for client in clients:
            await client.aclose()
        cluster.stop()
