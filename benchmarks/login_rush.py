"""Login rush: many distinct learners log in within a minute against the real server.

Seeds a fresh database with N learners, each with their own argon2id hash made with the
app's parameters, starts `learning serve` (server.py: one uvicorn worker on 127.0.0.1),
and lets every learner arrive once at a random moment within the window: a fresh
client (its own connection and cookies, as a browser) reads /login for its CSRF token
and posts the form. The latency is that of the POST (the password check and the new
session); the run is bounded by the window plus a grace period.

    .venv/bin/python benchmarks/login_rush.py                  # 300 learners in 60 s
    .venv/bin/python benchmarks/login_rush.py --window 10      # the same 300 in 10 s
    .venv/bin/python benchmarks/login_rush.py --learners 50 --window 10 --json out.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import ssl
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx
from server import ROOT, Server

from learning.accounts.passwords import argon2_hasher
from learning.core.clock import utc_now
from learning.store import users
from learning.store.db import open_database
from learning.store.migrate import migrate

PASSWORD = "Rush-Passwort fuer den Lasttest"  # noqa: S105 - throw-away accounts
_CSRF = 'name="csrf_token" value="'


@dataclass
class Figures:
    learners: int
    window_s: float
    ok: int
    errors: int
    statuses: dict[str, int]
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    peak_rss_mb: float
    server_cpu_s: float
    client_cpu_s: float
    wall_s: float
    load_average: float


async def seed(database: Path, count: int) -> list[str]:
    hasher = argon2_hasher()
    emails = [f"rush{n:04d}@example.org" for n in range(count)]
    # One hash each, as real accounts have: a shared hash would hide nothing here, but
    # distinct salts are what the server sees in production.
    hashes = [hasher.hash(PASSWORD) for _ in emails]
    now = utc_now()
    async with open_database(database, readers=1) as db:
        await migrate(db)
        async with db.transaction() as tx:
            for n, (email, password_hash) in enumerate(zip(emails, hashes, strict=True)):
                await users.insert_user(
                    tx,
                    email=email,
                    name=f"Lernende {n}",
                    role="learner",
                    now=now,
                    password_hash=password_hash,
                )
    return emails


# One TLS context for all clients: httpx would build one per client (milliseconds of
# CPU each) although the server speaks plain http; it is the client's cost, not the
# server's, and on a 2-core machine it would be taken from the server.
_TLS = ssl.create_default_context()


async def log_in(base: str, email: str) -> tuple[str, float]:
    """(status of the POST or the error's name, its latency in ms)."""
    async with httpx.AsyncClient(base_url=base, timeout=30, verify=_TLS) as client:
        try:
            form = await client.get("/login")
            start = form.text.index(_CSRF) + len(_CSRF)
            token = form.text[start : form.text.index('"', start)]
            began = time.perf_counter()
            response = await client.post(
                "/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
            )
            elapsed = (time.perf_counter() - began) * 1000
        except (httpx.HTTPError, ValueError) as exc:
            return type(exc).__name__, 0.0
        return str(response.status_code), elapsed


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


async def rush(server: Server, emails: list[str], window: float, rng: random.Random) -> Figures:
    arrivals = sorted(rng.uniform(0, window) for _ in emails)
    began = time.perf_counter()
    cpu_before = server.cpu_seconds()
    client_before = time.process_time()

    async def one(email: str, at: float) -> tuple[str, float]:
        await asyncio.sleep(max(0.0, at - (time.perf_counter() - began)))
        return await log_in(server.base, email)

    tasks = [one(email, at) for email, at in zip(emails, arrivals, strict=True)]
    results = await asyncio.wait_for(asyncio.gather(*tasks), timeout=window + 120)
    wall = time.perf_counter() - began
    statuses: dict[str, int] = {}
    for status, _ in results:
        statuses[status] = statuses.get(status, 0) + 1
    latencies = [ms for status, ms in results if status == "303"]
    ok = statuses.get("303", 0)
    return Figures(
        learners=len(emails),
        window_s=window,
        ok=ok,
        errors=len(emails) - ok,
        statuses=statuses,
        p50_ms=round(statistics.median(latencies), 1) if latencies else 0.0,
        p95_ms=round(_percentile(latencies, 0.95), 1),
        p99_ms=round(_percentile(latencies, 0.99), 1),
        max_ms=round(max(latencies, default=0.0), 1),
        peak_rss_mb=round(server.peak_rss_mb(), 1),
        server_cpu_s=round(server.cpu_seconds() - cpu_before, 1),
        client_cpu_s=round(time.process_time() - client_before, 1),
        wall_s=round(wall, 1),
        # What else the machine ran meanwhile (1-minute load average at the end).
        load_average=round(os.getloadavg()[0], 2),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=300)
    parser.add_argument("--window", type=float, default=60.0, help="seconds")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="login-rush-") as tmp:
        database = Path(tmp) / "rush.sqlite3"
        seeded = time.perf_counter()
        emails = asyncio.run(seed(database, args.learners))
        print(f"seeded {len(emails)} learners in {time.perf_counter() - seeded:.1f} s")
        with Server(database, ROOT / "courses", extra_env={}) as server:
            figures = asyncio.run(rush(server, emails, args.window, random.Random(args.seed)))
    report = asdict(figures)
    print(json.dumps(report, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    targets_met = figures.errors == 0 and figures.p95_ms <= 1500 and figures.peak_rss_mb <= 200
    print("targets (p95 <= 1.5 s, no errors, RSS <= 200 MB):", "met" if targets_met else "MISSED")
    return 0 if targets_met else 1


if __name__ == "__main__":
    sys.exit(main())
