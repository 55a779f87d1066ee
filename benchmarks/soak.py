"""Soak: 200 simulated learners work through the bundled courses for 2 minutes.

Run with `make soak`. Starts the real server on 127.0.0.1 and a free port with a
throw-away database, and passes when there was no 5xx (nor a dropped connection) and
the server's RSS grew by at most 10 % between the end of the warm-up and the end.
Every tenth learner logs in over HTTP with the real argon2 cost; the warm-up lasts
until all learners are in (and at least 30 s).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

from learning.accounts.passwords import argon2_hasher
from learning.web.cookies import SESSION_COOKIE

ROOT = Path(__file__).resolve().parent.parent
# The seeding helper lives with the tests, which share it (tests/seeding.py).
sys.path.insert(0, str(ROOT))
from tests.seeding import seed_signed_in_learners  # noqa: E402 - after the path it needs

LEARNERS = 200
DURATION = 120.0
MIN_WARMUP = 30.0
MAX_RSS_GROWTH = 0.10
# One in ten learners logs in over HTTP; the others start with a session seeded in the
# database. argon2id at its default cost takes about 0.5 s of CPU per login here, so
# 200 logins alone would fill the two minutes on two cores (see benchmarks/README.md).
LOGIN_EVERY = 10
SECRET = "soak-secret-key-0123456789abcdef"  # noqa: S105 - signs cookies of a temp database only
PASSWORD = "ein langes Soak-Passwort"  # noqa: S105 - throw-away accounts in a temp database
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')

Form = dict[str, str | list[str]]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def course_map() -> list[dict[str, object]]:
    """Pages, questions and solutions of the bundled courses: the form contract's source."""
    out = subprocess.run(
        [sys.executable, "-m", "learning", "check", str(ROOT / "courses"), "--json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    courses: list[dict[str, object]] = json.loads(out.stdout)["courses"]
    return courses


async def seed(database: Path) -> list[str]:
    """Learners, and signed session cookies for those who start already logged in."""
    return await seed_signed_in_learners(
        database,
        LEARNERS,
        secret=SECRET,
        email="soak{n}@example.org",
        name="Soak {n}",
        password_hash=argon2_hasher().hash(PASSWORD),  # the app's parameters: no rehash at login
    )


def answer_form(question: dict[str, object]) -> Form:
    qid = str(question["id"])
    kind, solution = question["type"], question.get("solution")
    if kind in ("single", "truefalse"):
        return {qid: str(solution if isinstance(solution, int) else 1)}
    if kind == "multiple" and isinstance(solution, list):
        return {qid: [str(s) for s in solution]}
    if kind == "text" and isinstance(solution, list):
        return {qid: str(solution[0])}
    if kind == "ordering" and isinstance(solution, list):
        return {f"{qid}.{n}": str(p) for n, p in enumerate(solution, start=1)}
    if kind == "matching" and isinstance(solution, dict):
        return {f"{qid}.{k}": str(v) for k, v in solution.items()}
    return {qid: f"Gedanken von {random.randint(1, 10**6)}"}


class Stats:
    def __init__(self) -> None:
        self.statuses: Counter[int] = Counter()
        self.errors: Counter[str] = Counter()
        self.logged_in = 0
        self.server_errors: list[str] = []


class Finished(Exception):
    """The run's time is up: the learner stops at their next request."""


class Learner:
    def __init__(self, base: str, n: int, stats: Stats, deadline: float, cookie: str) -> None:
        self.deadline = deadline
        self.cookie = cookie
        self.client = httpx.AsyncClient(base_url=base, timeout=60)
        self.email = f"soak{n}@example.org"
        self.stats = stats
        self.token = ""

    async def request(self, method: str, url: str, data: Form | None = None) -> httpx.Response:
        if time.monotonic() >= self.deadline:
            raise Finished
        if data is not None:
            data = {**data, "csrf_token": self.token}
        try:
            response = await self.client.request(method, url, data=data)
        except httpx.TransportError as exc:
            self.stats.errors[type(exc).__name__] += 1
            raise
        self.stats.statuses[response.status_code] += 1
        if response.status_code >= 500:
            self.stats.server_errors.append(f"{method} {url} {response.status_code}")
        found = TOKEN.search(response.text)
        if found:
            self.token = found.group(1)
        await asyncio.sleep(random.uniform(0.2, 1.0))
        return response

    async def start(self, by_login: bool) -> None:
        if not by_login:
            self.client.cookies.set(SESSION_COOKIE, self.cookie)
            await self.request("GET", "/")
            self.stats.logged_in += 1
            return
        await self.request("GET", "/login")
        response = await self.request("POST", "/login", {"email": self.email, "password": PASSWORD})
        if response.status_code != 303:
            raise RuntimeError(f"login of {self.email} failed: {response.status_code}")
        await self.request("GET", "/")
        self.stats.logged_in += 1

    async def work(self, courses: list[dict[str, object]]) -> None:
        for course in random.sample(courses, len(courses)):
            await self.course(course)
        await self.request("GET", "/lernstand")
        await self.request("GET", "/notizen")

    async def course(self, course: dict[str, object]) -> None:
        cid = course["id"]
        await self.request("GET", f"/courses/{cid}")
        await self.request("POST", f"/courses/{cid}/enrol", {})
        test_form: Form = {}
        for lesson in course["lessons"]:  # type: ignore[attr-defined]
            for page in lesson["pages"]:
                if lesson["kind"] == "test":
                    for q in page["questions"]:
                        test_form.update(answer_form(q))
                    continue
                base = f"/courses/{cid}/pages/{page['id']}"
                await self.request("GET", base)
                for q in page["questions"]:
                    if q["type"] == "scenario":
                        await self.scenario(base, q)
                    else:
                        await self.request("POST", f"{base}/answer/{q['id']}", answer_form(q))
        if test_form:
            started = await self.request("POST", f"/courses/{cid}/test/start", {})
            location = started.headers.get("location", "")
            if re.search(r"/test/\d+$", location):
                await self.request("GET", location)
                await self.request("POST", location, test_form)

    async def scenario(self, base: str, question: dict[str, object]) -> None:
        solution = question["solution"]
        assert isinstance(solution, dict)
        step = str(solution["start"])
        for _ in range(10):
            options = solution["steps"][step]["options"]
            if not options:
                return
            await self.request(
                "POST",
                f"{base}/scenario/{question['id']}",
                {"step": step, str(question["id"]): "1"},
            )
            step = str(options[0]["target"])


async def learner_loop(
    learner: Learner, courses: list[dict[str, object]], start_delay: float, by_login: bool
) -> None:
    await asyncio.sleep(start_delay)
    try:
        await learner.start(by_login)
        while True:
            await learner.work(courses)
    except Finished:
        pass
    except (httpx.TransportError, RuntimeError) as exc:
        learner.stats.errors[str(exc)[:80]] += 1
    finally:
        await learner.client.aclose()


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


async def sample_rss(
    pid: int, stats: Stats, samples: list[tuple[float, int, int]], start: float, deadline: float
) -> None:
    while time.monotonic() < deadline:
        elapsed = time.monotonic() - start
        samples.append((elapsed, rss_kib(pid), stats.logged_in))
        if len(samples) % 5 == 0:
            print(
                f"{elapsed:5.0f} s: {sum(stats.statuses.values())} requests,"
                f" {stats.logged_in} logged in, RSS {samples[-1][1] / 1024:.1f} MiB",
                flush=True,
            )
        await asyncio.sleep(2)


async def soak(
    base: str, pid: int, courses: list[dict[str, object]], cookies: list[str]
) -> tuple[Stats, list[tuple[float, int, int]]]:
    stats = Stats()
    samples: list[tuple[float, int, int]] = []
    start = time.monotonic()
    deadline = start + DURATION
    learners = [Learner(base, n, stats, deadline, cookies[n]) for n in range(LEARNERS)]
    tasks = [
        learner_loop(learner, courses, n * MIN_WARMUP / 2 / LEARNERS, n % LOGIN_EVERY == 0)
        for n, learner in enumerate(learners)
    ]
    # Hard bound: whatever hangs is cancelled a little after the deadline.
    await asyncio.wait_for(
        asyncio.gather(sample_rss(pid, stats, samples, start, deadline), *tasks),
        timeout=DURATION + 60,
    )
    return stats, samples


def report(stats: Stats, samples: list[tuple[float, int, int]]) -> bool:
    warm = next((t for t, _, n in samples if n >= LEARNERS and t >= MIN_WARMUP), None)
    total = sum(stats.statuses.values())
    fives = sum(c for s, c in stats.statuses.items() if s >= 500)
    print(f"requests: {total}, by status: {dict(sorted(stats.statuses.items()))}")
    print(f"5xx: {fives}, transport or login errors: {dict(stats.errors)}")
    print(f"learners logged in: {stats.logged_in} of {LEARNERS}")
    ok = fives == 0 and not stats.errors and stats.logged_in == LEARNERS
    if warm is None:
        print("warm-up did not end: not every learner was logged in by the end")
        return False
    after = [rss for t, rss, _ in samples if t >= warm]
    baseline = statistics.median(after[:3])
    final = statistics.median(after[-3:])
    growth = final / baseline - 1
    print(
        f"warm-up ended at {warm:.0f} s; RSS {baseline / 1024:.1f} MiB -> "
        f"{final / 1024:.1f} MiB ({growth:+.1%}, limit {MAX_RSS_GROWTH:.0%}); "
        f"peak {max(after) / 1024:.1f} MiB"
    )
    return ok and growth <= MAX_RSS_GROWTH


def main() -> int:
    courses = course_map()
    with tempfile.TemporaryDirectory(prefix="soak-") as folder:
        database = Path(folder) / "soak.sqlite3"
        port = free_port()
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LEARNING_DATABASE": str(database),
            "LEARNING_COURSES": str(ROOT / "courses"),
            "LEARNING_SECRET_KEY": SECRET,
            "LEARNING_LOG_LEVEL": "warning",
        }
        cookies = asyncio.run(seed(database))
        with (Path(folder) / "server.log").open("wb") as log:
            server = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "learning",
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(300):
                try:
                    if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            else:
                raise RuntimeError("server did not start")
            stats, samples = asyncio.run(soak(base, server.pid, courses, cookies))
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
        passed = report(stats, samples)
        if stats.server_errors:
            print("first 5xx:", stats.server_errors[:5])
            print((Path(folder) / "server.log").read_text(errors="replace")[-3000:])
    print("SOAK PASSED" if passed else "SOAK FAILED")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
