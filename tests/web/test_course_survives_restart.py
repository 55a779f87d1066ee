"""A course survives a typo and a restart: the last good version keeps serving.

End to end over the real app: a copy of the fixture course is completed, the app stops,
a file gets a typo (or the folder goes), the app starts again without --reload, and
everything a learner, a trainer and an admin relied on is still there. Then the course
is retired: it leaves the catalogue, and its certificate still verifies.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from learning.cli.main import main
from learning.core.clock import FrozenClock
from learning.core.config import Settings
from learning.core.i18n import local_datetime
from learning.store.users import Role
from learning.web.services import Services
from tests.conftest import TESTS, add_user, fast_hasher, log_in, make_settings, new_client, soup
from tests.journey import complete_course
from tests.web.learner_flow import CONTENT_PAGES, COURSE, enrol

LEARNER = "lerner@example.org"
TRAINER = "trainer@example.org"
ADMIN = "admin@example.org"
# The typo is in line 3 (`title`); YAML notices the missing colon in the line after it.
TYPO_LINE = 4


@pytest.fixture
def live_settings(tmp_path: Path) -> Settings:
    courses = tmp_path / "kurse"
    shutil.copytree(TESTS / "courses" / COURSE, courses / COURSE)
    return replace(make_settings(tmp_path / "var" / "test.sqlite3"), courses=courses)


@asynccontextmanager
async def running(settings: Settings, clock: FrozenClock) -> AsyncIterator[Starlette]:
    """One start of the server process: lifespan up, requests, lifespan down."""
    app = create(settings, clock)
    async with app.router.lifespan_context(app):
        yield app


def create(settings: Settings, clock: FrozenClock) -> Starlette:
    from learning.web.app import create_app

    app = create_app(settings, clock=clock, announce=False)
    app.state.services.hasher = fast_hasher()
    return app


@asynccontextmanager
async def signed_in(app: Starlette, email: str) -> AsyncIterator[httpx.AsyncClient]:
    async with new_client(app) as client:
        assert (await log_in(client, email)).status_code == 303
        yield client


def break_front_matter(settings: Settings) -> None:
    course_md = settings.courses / COURSE / "course.md"
    text = course_md.read_text(encoding="utf-8")
    # A typo: the colon after the key is missing, so the YAML is no longer a mapping.
    course_md.write_text(text.replace("title: Fixture-Kurs", "title Fixture-Kurs"), "utf-8")


async def assert_certificate_verifies_and_course_is_reported(app: Starlette, code: str) -> None:
    """What must survive whatever happens to the course's files."""
    async with new_client(app) as anyone:
        verify = soup(await anyone.get(f"/verify/{code}"))
    assert "Dieses Zertifikat ist echt." in verify.get_text()
    async with signed_in(app, ADMIN) as admin:
        reports = soup(await admin.get("/admin/reports"))
        assert reports.find("a", href=f"/admin/reports/{COURSE}") is not None


async def start_and_complete(settings: Settings, clock: FrozenClock) -> str:
    async with running(settings, clock) as app:
        services: Services = app.state.services
        people: tuple[tuple[Role, str], ...] = (
            ("learner", LEARNER),
            ("trainer", TRAINER),
            ("admin", ADMIN),
        )
        for role, email in people:
            await add_user(services, clock(), role, email=email, name=email.split("@")[0])
        async with signed_in(app, LEARNER) as learner:
            journey = await complete_course(learner)
    return journey.certificate_code


async def test_a_typo_and_a_restart_keep_the_course_online(
    live_settings: Settings, clock: FrozenClock
) -> None:
    code = await start_and_complete(live_settings, clock)
    clock.advance(3600)
    broken_at = clock()
    break_front_matter(live_settings)
    clock.advance(3600)
    async with running(live_settings, clock) as app:
        async with signed_in(app, LEARNER) as learner:
            catalogue = soup(await learner.get("/"))
            assert catalogue.find("a", href=f"/courses/{COURSE}") is not None
            for page in CONTENT_PAGES:
                response = await learner.get(f"/courses/{COURSE}/pages/{page}")
                assert response.status_code == 200, page
            pdf = await learner.get(f"/courses/{COURSE}/zertifikat")
            assert pdf.status_code == 200
            assert pdf.headers["content-type"] == "application/pdf"
            media = await learner.get(f"/courses/{COURSE}/media/eisberg.svg")
            assert media.status_code == 200
            original = TESTS / "courses" / COURSE / "media" / "eisberg.svg"
            assert media.content == original.read_bytes()
            mine = soup(await learner.get("/lernstand"))
            assert mine.find(string="Fixture-Kurs") is not None
        await assert_certificate_verifies_and_course_is_reported(app, code)
        async with signed_in(app, TRAINER) as trainer:
            status = soup(await trainer.get("/trainer"))
            (section,) = status.select("section.course-status")
            heading, note = section.find("h2"), section.select_one(".live-note")
            assert heading is not None and heading.get_text(strip=True) == "Fixture-Kurs"
            assert note is not None
            assert "letzte fehlerfreie Fassung vom" in note.get_text(" ", strip=True)
            errors = [
                li.get_text(" ", strip=True) for li in section.select(".diagnostics-error li")
            ]
            assert errors, "the trainer sees the current error"
            since = local_datetime(broken_at + timedelta(hours=1))
            for error in errors:
                assert error.startswith(f"kurse/{COURSE}/course.md:{TYPO_LINE} E10"), error
                assert error.endswith(f"(seit {since})"), error

    # Still broken at the next start: the error keeps the time it was first seen.
    clock.advance(3600)
    async with running(live_settings, clock) as app:
        async with signed_in(app, TRAINER) as trainer:
            status = soup(await trainer.get(f"/trainer/{COURSE}"))
            errors = [li.get_text(" ", strip=True) for li in status.select(".diagnostics-error li")]
            assert errors and all(e.endswith(f"(seit {since})") for e in errors), errors


async def test_a_missing_folder_keeps_serving_until_the_course_is_retired(
    live_settings: Settings, clock: FrozenClock, capsys: pytest.CaptureFixture[str]
) -> None:
    code = await start_and_complete(live_settings, clock)
    shutil.rmtree(live_settings.courses / COURSE)
    async with running(live_settings, clock) as app:
        async with signed_in(app, LEARNER) as learner:
            catalogue = soup(await learner.get("/"))
            assert catalogue.find("a", href=f"/courses/{COURSE}") is not None
            media = await learner.get(f"/courses/{COURSE}/media/eisberg.svg")
            assert media.status_code == 200
        async with signed_in(app, TRAINER) as trainer:
            page = soup(await trainer.get("/trainer"))
            errors = [li.get_text(" ", strip=True) for li in page.select(".diagnostics-error li")]
            assert len(errors) == 1 and errors[0].startswith(f"kurse/{COURSE}/course.md:1 E120")

    args = ["--database", str(live_settings.database), "courses", "retire", COURSE]
    # The command runs its own event loop, as it does from a shell.
    assert await asyncio.to_thread(main, args) == 0
    assert "ausgemustert" in capsys.readouterr().out

    async with running(live_settings, clock) as app:
        async with signed_in(app, LEARNER) as learner:
            catalogue = soup(await learner.get("/"))
            assert catalogue.find("a", href=f"/courses/{COURSE}") is None
            mine = soup(await learner.get("/lernstand"))
            assert mine.find(string="Fixture-Kurs") is not None
            assert (await learner.get(f"/courses/{COURSE}/zertifikat")).status_code == 200
        await assert_certificate_verifies_and_course_is_reported(app, code)
        async with signed_in(app, TRAINER) as trainer:
            status = soup(await trainer.get("/trainer"))
            note = status.select_one(".retired-note")
            assert note is not None and "Ausgemustert am" in note.get_text()
            # Its folder is gone on purpose now: that is no longer shown as an error.
            assert status.select(".diagnostics-error li") == []
        # Someone who never enrolled cannot join a retired course.
        services: Services = app.state.services
        await add_user(services, clock(), "learner", email="neu@example.org", name="Neu")
        async with signed_in(app, "neu@example.org") as newcomer:
            overview = soup(await newcomer.get(f"/courses/{COURSE}"))
            assert overview.find("form", action=f"/courses/{COURSE}/enrol") is None
            assert "Dieser Kurs wird nicht mehr angeboten." in overview.get_text()
            assert (await enrol(newcomer)).status_code == 403
        async with signed_in(app, ADMIN) as admin:
            audit = soup(await admin.get("/admin/audit")).get_text(" ", strip=True)
        assert "Kurs ausgemustert" in audit
