"""Two real `learning serve` processes on one PostgreSQL database, for the cluster tests.

Both get the same secret key (as two instances deployed from one configuration do) and
bind 127.0.0.1; `Cluster.stop()` ends them whatever state they are in.
"""

from __future__ import annotations

import asyncio
import re
import signal
import subprocess
from collections.abc import AsyncIterator, Coroutine, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import httpx
from argon2 import PasswordHasher as Argon2

from learning.core.clock import utc_now
from learning.store import users
from learning.store.db import open_database
from learning.store.migrate import migrate
from tests import live_server
from tests.conftest import PASSWORD, TESTS
from tests.postgres_server import PostgresServer
from tests.seeding import seed_signed_in_learners

T = TypeVar("T")
COURSES = TESTS / "courses"
# Real argon2id at test cost: the servers verify any parameters and rehash on login.
PASSWORD_HASH = Argon2(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)


@dataclass
class Cluster:
    url: str
    folder: Path
    env: Mapping[str, str]
    ids: Mapping[str, int] = field(default_factory=dict)  # seeded accounts by e-mail
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    ports: list[int] = field(default_factory=list)

    @property
    def bases(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.ports]

    def start(self, count: int = 2) -> Cluster:
        ports = [live_server.free_port() for _ in range(count)]
        with ThreadPoolExecutor(count) as pool:
            futures = [pool.submit(self._start_one, port) for port in ports]
        started = [f.result() for f in futures if f.exception() is None]
        self.processes.extend(started)
        self.ports.extend(port for port, f in zip(ports, futures, strict=True) if not f.exception())
        failed = [f.exception() for f in futures if f.exception() is not None]
        if failed:  # the ones that did start must not outlive the test
            self.stop()
            raise RuntimeError("an instance did not start") from failed[0]
        return self

    def _start_one(self, port: int) -> subprocess.Popen[bytes]:
        return live_server.start(
            self.url,
            COURSES,
            port,
            log=self.folder / f"server-{port}.log",
            env=self.env,
        )

    def kill(self, index: int) -> None:
        live_server.stop(self.processes[index], sig=signal.SIGKILL)

    def stop(self) -> None:
        for process in self.processes:
            live_server.stop(process)


async def with_learners(
    server: PostgresServer, folder: Path, instances: int, learners: int
) -> tuple[Cluster, list[str]]:
    """A new database with `learners` signed in (their cookies), served by `instances`."""
    url = server.create_database()
    cookies = await seed_signed_in_learners(url, learners, secret=live_server.SECRET)
    return await asyncio.to_thread(Cluster(url, folder, {}).start, instances), cookies


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine from synchronous fixture code, in a thread without a loop."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def seed_accounts(url: str, accounts: Mapping[str, users.Role]) -> dict[str, int]:
    """Migrate and add each e-mail with its role and PASSWORD; their ids."""
    ids = {}
    async with open_database(url, readers=1) as db:
        await migrate(db)
        async with db.transaction() as tx:
            for email, role in accounts.items():
                ids[email] = await users.insert_user(
                    tx,
                    email=email,
                    name=email.split("@")[0].title(),
                    role=role,
                    now=utc_now(),
                    password_hash=PASSWORD_HASH,
                )
    return ids


async def query(url: str, sql: str) -> list[asyncpg.Record]:
    """Read the database directly (asyncpg), as a check from outside the servers."""
    dsn, _, host = url.partition("?host=")
    conn = await asyncpg.connect(dsn, host=host)
    try:
        return list(await conn.fetch(sql))
    finally:
        await conn.close()


def csrf_of(response: httpx.Response) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', response.text)
    assert match, f"no CSRF token on {response.url}"
    return match.group(1)


async def log_in(
    client: httpx.AsyncClient, base: str, email: str, password: str = PASSWORD
) -> httpx.Response:
    token = csrf_of(await client.get(f"{base}/login"))
    return await client.post(
        f"{base}/login", data={"email": email, "password": password, "csrf_token": token}
    )


@asynccontextmanager
async def client_of(base: str, email: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client of its own, signed in on `base` as `email`."""
    async with httpx.AsyncClient(timeout=20) as client:
        assert (await log_in(client, base, email)).status_code == 303
        yield client


async def signed_in(client: httpx.AsyncClient, base: str) -> bool:
    """Whether the client's session cookie opens the catalogue on `base`."""
    response = await client.get(f"{base}/")
    if response.status_code == 200:
        return True
    assert response.status_code == 303, response.status_code
    assert response.headers["location"].startswith("/login")
    return False
