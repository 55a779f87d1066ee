"""SIGKILL the real server under 200 concurrent writes, restart it, and count what was lost.

An answer whose request got its success redirect must be in the database; an attempt
is either submitted with all its answers or not submitted with none. On SQLite one
server is killed and restarted; on PostgreSQL one of two instances on the same
database is killed while the other keeps serving.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import httpx

from learning.web.cookies import SESSION_COOKIE
from tests import live_server
from tests.cluster.instances import query, with_learners
from tests.conftest import TESTS
from tests.postgres_server import PostgresServer
from tests.seeding import seed_signed_in_learners
from tests.web.learner_flow import COURSE, RIGHT_TEST_ANSWERS

LEARNERS = 20
REQUESTS = 200
KILL_AFTER = 40  # responses received before the kill
TEST_QUESTIONS = len(RIGHT_TEST_ANSWERS)


@dataclass
class Learner:
    client: httpx.AsyncClient
    token: str
    attempt_id: int


def token_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


async def prepare(base: str, cookie: str) -> Learner:
    client = httpx.AsyncClient(base_url=base, timeout=20, cookies={SESSION_COOKIE: cookie})
    token = token_of((await client.get("/")).text)
    assert (await client.post(f"/courses/{COURSE}/enrol", data={"csrf_token": token})).is_redirect
    started = await client.post(f"/courses/{COURSE}/test/start", data={"csrf_token": token})
    attempt_id = int(started.headers["location"].rsplit("/", 1)[1])
    return Learner(client, token, attempt_id)


async def attack(
    learners: list[Learner], pid: int, *, clean_errors: bool = False
) -> tuple[set[str], set[int]]:
    """Fire all requests at once; kill the server after KILL_AFTER responses."""
    answered: set[str] = set()
    submitted: set[int] = set()
    done = 0

    async def one(n: int) -> None:
        nonlocal done
        learner = learners[n % LEARNERS]
        try:
            if n % 10 < 3:  # 60 submissions: each attempt is sent three times at once
                response = await learner.client.post(
                    f"/courses/{COURSE}/test/{learner.attempt_id}",
                    data={**RIGHT_TEST_ANSWERS, "csrf_token": learner.token},
                )
                if response.status_code == 303 and "/ergebnis" in response.headers["location"]:
                    submitted.add(learner.attempt_id)
            else:
                text = f"antwort-{n}"
                response = await learner.client.post(
                    f"/courses/{COURSE}/pages/zeit/answer/hall-1",
                    data={"hall-1": text, "csrf_token": learner.token},
                )
                if response.status_code == 303 and "#result-" in response.headers["location"]:
                    answered.add(text)
        except httpx.TransportError:
            pass  # the server died under this request: no success was promised
        else:
            # The instance that lives on answers every request, none with a 5xx.
            assert not clean_errors or response.status_code < 500, response.status_code
        finally:
            done += 1
            if done == KILL_AFTER:
                os.kill(pid, signal.SIGKILL)

    await asyncio.gather(*(one(n) for n in range(REQUESTS)))
    return answered, submitted


def check_database(database: Path, answered: set[str], submitted: set[int]) -> None:
    with closing(sqlite3.connect(database)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {
            row[0]
            for row in conn.execute(
                "SELECT json_extract(response, '$.text') FROM answers WHERE question_id = 'hall-1'"
            )
        }
        rows = conn.execute(
            "SELECT a.id, a.submitted_at IS NOT NULL, count(t.question_id) FROM test_attempts a"
            " LEFT JOIN test_answers t ON t.attempt_id = a.id GROUP BY a.id"
        ).fetchall()
    check_rows(stored, [(a, bool(done), n) for a, done, n in rows], answered, submitted)


async def test_sigkill_under_load_loses_nothing_confirmed(tmp_path: Path) -> None:
    database = tmp_path / "crash.sqlite3"
    courses = TESTS / "courses"
    cookies = await seed_signed_in_learners(database, LEARNERS, secret=live_server.SECRET)
    port = live_server.free_port()
    process = await asyncio.to_thread(live_server.start, database, courses, port)
    learners: list[Learner] = []
    try:
        base = f"http://127.0.0.1:{port}"
        learners = list(await asyncio.gather(*(prepare(base, cookie) for cookie in cookies)))
        answered, submitted = await asyncio.wait_for(attack(learners, process.pid), 60)
        assert process.wait(timeout=10) == -signal.SIGKILL
        assert answered or submitted, "nothing succeeded before the kill: the test proves nothing"
        assert len(answered) + len(submitted) < REQUESTS

        # The restart must find the database usable: migrations, lock and /healthz.
        restarted = await asyncio.to_thread(live_server.start, database, courses, port)
        try:
            async with httpx.AsyncClient(base_url=base) as probe:
                assert (await probe.get("/healthz")).status_code == 200
        finally:
            live_server.stop(restarted)
        check_database(database, answered, submitted)
    finally:
        for learner in learners:
            await learner.client.aclose()
        live_server.stop(process, sig=signal.SIGKILL)


def check_rows(
    stored: set[str], attempts: list[tuple[int, bool, int]], answered: set[str], submitted: set[int]
) -> None:
    assert answered <= stored, f"lost: {sorted(answered - stored)}"
    for attempt_id, is_submitted, answers in attempts:
        assert answers == (TEST_QUESTIONS if is_submitted else 0), (attempt_id, answers)
    assert submitted <= {attempt_id for attempt_id, is_submitted, _ in attempts if is_submitted}


async def read_postgres(url: str) -> tuple[set[str], list[tuple[int, bool, int]]]:
    texts = await query(
        url, "SELECT response::json->>'text' AS text FROM answers WHERE question_id = 'hall-1'"
    )
    rows = await query(
        url,
        "SELECT a.id, a.submitted_at IS NOT NULL AS done, count(t.question_id) AS n"
        " FROM test_attempts a LEFT JOIN test_answers t ON t.attempt_id = a.id GROUP BY a.id",
    )
    return {r["text"] for r in texts}, [(r["id"], r["done"], r["n"]) for r in rows]


async def test_sigkill_of_one_of_two_postgres_instances_loses_nothing_confirmed(
    postgres: PostgresServer, tmp_path: Path
) -> None:
    cluster, cookies = await with_learners(postgres, tmp_path, 2, LEARNERS)
    url = cluster.url
    learners: list[Learner] = []
    try:
        bases = cluster.bases
        # Learners alternate between the two instances, as behind a balancer.
        learners = list(
            await asyncio.gather(
                *(prepare(bases[n % 2], cookie) for n, cookie in enumerate(cookies))
            )
        )
        doomed = cluster.processes[0]
        answered, submitted = await asyncio.wait_for(
            attack(learners, doomed.pid, clean_errors=True), 60
        )
        assert doomed.wait(timeout=10) == -signal.SIGKILL
        assert answered or submitted, "nothing succeeded: the test proves nothing"
        assert cluster.processes[1].poll() is None, "the other instance must live on"
        async with httpx.AsyncClient(base_url=bases[1]) as probe:
            assert (await probe.get("/healthz")).status_code == 200
        stored, attempts = await read_postgres(url)
        check_rows(stored, attempts, answered, submitted)
        # The survivor's learners were all served: what went to B succeeded.
        assert {f"antwort-{n}" for n in range(REQUESTS) if n % 10 >= 3 and n % 2 == 1} <= stored
    finally:
        for learner in learners:
            await learner.client.aclose()
        cluster.stop()
