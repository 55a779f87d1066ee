"""Slow export downloads do not starve the other requests, nor hold back WAL checkpoints.

A download is driven at the ASGI level by a client that takes the first chunk of the
body and then stops reading, as a slow or stalled browser does: the app's `send` for
the next chunk does not return until the test lets it.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, MutableMapping
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from learning.core.config import Settings
from learning.store.checkpoints import BackgroundCheckpoints
from learning.web import admin_reports
from learning.web.services import Services
from tests.conftest import CreateUser, LoginAs, log_in, new_client, soup, sqlite_of
from tests.web.learner_flow import CONTENT_PAGES, COURSE, enrol

LEARNERS = 1500  # about 150 kB of CSV: more than one 64 kB chunk


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # Named mode streams one row per learner; two pooled readers, as in production-small.
    return settings.with_overrides(reports="named", readers=2)


@dataclass
class StalledDownload:
    """One GET whose client reads the first body chunk and then stops reading."""

    app: Starlette
    path: str
    cookie: str
    status: int | None = None
    body: bytearray = field(default_factory=bytearray)
    holding: asyncio.Event = field(default_factory=asyncio.Event)
    answered: asyncio.Event = field(default_factory=asyncio.Event)
    resume: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        path, _, query = self.path.partition("?")
        scope: dict[str, Any] = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": query.encode(),
            "root_path": "",
            "headers": [(b"host", b"testserver"), (b"cookie", self.cookie.encode())],
            "client": ("127.0.0.7", 50007),
            "server": ("testserver", 80),
        }
        requested = False

        async def receive() -> dict[str, Any]:
            nonlocal requested
            if not requested:
                requested = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await self.resume.wait()
            await asyncio.Event().wait()  # the client never goes away on its own
            return {"type": "http.disconnect"}  # pragma: no cover

        async def send(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                self.status = int(message["status"])
                self.answered.set()
            elif message["type"] == "http.response.body":
                self.body += message.get("body", b"")
                if message.get("more_body") and not self.holding.is_set():
                    self.holding.set()
                    await self.resume.wait()

        await self.app(scope, receive, send)

    async def finish(self) -> None:
        self.resume.set()
        await self.wait()

    async def wait(self) -> None:
        assert self.task is not None
        await asyncio.wait_for(self.task, timeout=60)

    @property
    def running(self) -> bool:
        return self.task is not None and not self.task.done()


async def seed_learners(services: Services, count: int) -> None:
    async with services.db.transaction() as tx:
        await tx.executemany(
            "INSERT INTO users (email, name, role, created_at)"
            " VALUES (?, ?, 'learner', '2026-01-01 00:00:00')",
            [(f"person{i}@example.org", f"Person Nummer {i}") for i in range(count)],
        )
        await tx.execute(
            "INSERT INTO enrolments (user_id, course_id, enrolled_at)"
            " SELECT id, ?, '2026-01-02 00:00:00' FROM users WHERE email LIKE 'person%'",
            (COURSE,),
        )


@pytest.fixture
async def admin_cookie(app: Starlette, create_user: CreateUser) -> AsyncIterator[str]:
    admin = await create_user("admin")
    async with new_client(app, "127.0.0.3") as staff:
        assert (await log_in(staff, admin.email)).status_code == 303
        yield "; ".join(f"{name}={value}" for name, value in staff.cookies.items())


async def test_three_stalled_downloads_leave_lesson_pages_served(
    app: Starlette,
    client: httpx.AsyncClient,
    login_as: LoginAs,
    services: Services,
    admin_cookie: str,
) -> None:
    await seed_learners(services, LEARNERS)
    await login_as("learner")
    assert (await enrol(client)).status_code == 303
    path = f"/admin/reports/{COURSE}/export?format=csv"
    downloads = [StalledDownload(app, path, admin_cookie) for _ in range(3)]
    for download in downloads[:2]:
        download.start()
        await asyncio.wait_for(download.holding.wait(), timeout=60)
    third = downloads[2]
    third.start()

    async def page_through() -> list[int]:
        statuses = []
        for i in range(20):
            page = CONTENT_PAGES[i % len(CONTENT_PAGES)]
            statuses.append((await client.get(f"/courses/{COURSE}/pages/{page}")).status_code)
        return statuses

    # A bound, not a stopwatch: the 20 pages must come back at all while two downloads
    # stand still mid-body (before, they held both pooled readers and every page waited).
    assert await asyncio.wait_for(page_through(), timeout=60) == [200] * 20
    assert [d.running for d in downloads] == [True, True, False]

    # The third export is told to come back later, in German, instead of queueing.
    await third.wait()
    assert third.status == 503
    message = soup(httpx.Response(503, content=bytes(third.body))).find("main")
    assert message is not None
    assert "Gerade laufen zu viele Exporte, bitte gleich erneut versuchen." in message.get_text()

    for download in downloads[:2]:
        await download.finish()
        text = bytes(download.body).decode("utf-8-sig")
        assert download.status == 200
        assert text.count("@example.org") == LEARNERS + 1  # the learners and the reader

    # Both slots are free again: a fourth export goes through.
    again = StalledDownload(app, path, admin_cookie)
    again.resume.set()
    again.start()
    await again.wait()
    assert again.status == 200


def wal_size(settings: Settings) -> int:
    return os.path.getsize(f"{settings.database}-wal")


@pytest.mark.sqlite_only
async def test_a_stalled_download_does_not_keep_the_wal_growing(
    app: Starlette, services: Services, settings: Settings, admin_cookie: str
) -> None:
    await seed_learners(services, LEARNERS)
    checkpoints = BackgroundCheckpoints(sqlite_of(services.db), interval=3600)
    await checkpoints.start()
    try:
        await checkpoints.run_once("TRUNCATE")
        download = StalledDownload(app, f"/admin/reports/{COURSE}/export?format=csv", admin_cookie)
        download.start()
        await asyncio.wait_for(download.holding.wait(), timeout=60)

        async def write_round(n: int) -> int:
            for i in range(200):
                async with services.db.transaction() as tx:
                    await tx.execute(
                        "UPDATE users SET locale = ? WHERE email = ?",
                        (f"r{n}", f"person{(i * 7) % LEARNERS}@example.org"),
                    )
            await checkpoints.run_once()
            return wal_size(settings)

        sizes = [await write_round(n) for n in range(4)]
        # While the download stands still, a checkpoint copies every frame back, so the
        # next writes reuse the WAL from its start: it stays the size of one round.
        assert sizes[-1] <= sizes[0], sizes
        await download.finish()
        assert download.status == 200
    finally:
        await checkpoints.stop()


async def test_a_download_that_stalls_too_long_is_cut_off_and_frees_its_slot(
    app: Starlette, services: Services, admin_cookie: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    await seed_learners(services, LEARNERS)
    monkeypatch.setattr(admin_reports, "EXPORT_MAX_SECONDS", 0.5)
    path = f"/admin/reports/{COURSE}/export?format=csv"
    stalled = [StalledDownload(app, path, admin_cookie) for _ in range(2)]
    for download in stalled:
        download.start()
        await asyncio.wait_for(download.holding.wait(), timeout=60)
    # Neither client reads on; both downloads end at the limit, and a new one runs.
    for download in stalled:
        await download.wait()
        assert download.status == 200
        assert bytes(download.body).decode("utf-8-sig").count("@example.org") < LEARNERS
    again = StalledDownload(app, path, admin_cookie)
    again.resume.set()
    again.start()
    await again.wait()
    assert again.status == 200
