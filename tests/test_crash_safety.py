"""SIGKILL the real server under 200 concurrent writes, restart it, and count what was lost.

An answer whose request got its success redirect must be in the database; an attempt
is either submitted with all its answers or not submitted with none.
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
from tests.conftest import TESTS
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


async def attack(learners: list[Learner], pid: int) -> tuple[set[str], set[int]]:
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
        assert answered <= stored, f"lost: {sorted(answered - stored)}"
        rows = conn.execute(
            "SELECT a.id, a.submitted_at IS NOT NULL, count(t.question_id) FROM test_attempts a"
            " LEFT JOIN test_answers t ON t.attempt_id = a.id GROUP BY a.id"
        ).fetchall()
    for attempt_id, is_submitted, answers in rows:
        assert answers == (TEST_QUESTIONS if is_submitted else 0), (attempt_id, answers)
    assert submitted <= {attempt_id for attempt_id, is_submitted, _ in rows if is_submitted}


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
