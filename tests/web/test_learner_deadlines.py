"""The learner's start page lists their own deadlines, sorted by date."""

from __future__ import annotations

from datetime import UTC, date, datetime

import httpx

from learning.core.clock import FrozenClock
from learning.store import assignments
from learning.store.assignments import DueRule
from learning.web.services import Services
from tests.conftest import CreateUser, LoginAs, log_in, soup, tag

COURSE = "fixture-kurs"


async def _assign(services: Services, user_id: int, due: DueRule, now: datetime) -> None:
    async with services.db.transaction() as tx:
        await assignments.create(
            tx, course_id=COURSE, user_id=user_id, due=due, renew_months=None, by=None, now=now
        )
        await assignments.enrol_targets(tx, [user_id], COURSE, by=None, now=now)


async def _lines(client: httpx.AsyncClient) -> list[str]:
    page = soup(await client.get("/"))
    return [
        " ".join(li.get_text().split()) for li in tag(page, "ul", id="deadlines").find_all("li")
    ]


async def test_due_then_overdue_with_weekday_and_only_own(
    client: httpx.AsyncClient,
    login_as: LoginAs,
    create_user: CreateUser,
    services: Services,
    clock: FrozenClock,
) -> None:
    clock.now = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    me = await login_as("learner")
    other = await create_user("learner")
    await _assign(services, me.id, DueRule(on=date(2026, 12, 5)), clock.now)  # a Saturday
    await _assign(services, other.id, DueRule(on=date(2026, 12, 3)), clock.now)
    assert await _lines(client) == ["Fixture-Kurs: fällig am Samstag, 5. Dezember 2026"]
    # Sunday 6 December, 00:30 in Berlin (23:30 UTC the day before): one day late.
    clock.now = datetime(2026, 12, 5, 23, 30, tzinfo=UTC)
    assert (await log_in(client, me.email)).status_code == 303
    assert await _lines(client) == ["Fixture-Kurs: überfällig seit Sonntag, 6. Dezember 2026"]


async def test_no_assignment_no_deadline_section(
    client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    await login_as("learner")
    page = soup(await client.get("/"))
    assert page.find("ul", id="deadlines") is None
