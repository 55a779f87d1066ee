"""Un-enrolment keeps history and progress; the participant list follows the privacy mode."""

from __future__ import annotations

from datetime import UTC, date, datetime

import httpx
import pytest

from learning.core.clock import FrozenClock
from learning.core.config import Settings
from learning.store import assignments
from learning.store.assignments import DueRule
from learning.web.services import Services
from tests.conftest import CreateUser, LoginAs, csrf_for, soup, tag

COURSE = "fixture-kurs"


async def test_unenrol_ends_the_assignment_and_keeps_history(
    client: httpx.AsyncClient,
    login_as: LoginAs,
    create_user: CreateUser,
    services: Services,
    clock: FrozenClock,
) -> None:
    clock.now = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    await login_as("admin")
    learner = await create_user(email="a@example.org", group="Team")
    async with services.db.transaction() as tx:
        await assignments.create(
            tx,
            course_id=COURSE,
            group_id=learner.group_id,
            due=DueRule(on=date(2026, 12, 10)),
            renew_months=None,
            by=None,
            now=clock.now,
        )
        await assignments.enrol_targets(tx, [learner.id], COURSE, by=None, now=clock.now)
        await tx.execute(
            "INSERT INTO page_views (user_id, course_id, page_id, first_seen, last_seen)"
            " VALUES (?, ?, 'zeit', '2026-12-02 09:00:00', '2026-12-02 09:00:00')",
            (learner.id, COURSE),
        )
    assert len(await assignments.learner_assignments(services.db, user_id=learner.id)) == 1
    token = await csrf_for(client, f"/admin/users/{learner.id}")
    done = await client.post(
        f"/admin/users/{learner.id}/unenrol", data={"csrf_token": token, "course": COURSE}
    )
    assert done.status_code == 303
    assert await assignments.learner_assignments(services.db, user_id=learner.id) == []
    assert await services.db.scalar("SELECT count(*) FROM page_views") == 1
    page = soup(await client.get(f"/admin/users/{learner.id}"))
    assert COURSE in tag(page, "ul", id="enrolment-removals").get_text()
    audit = await services.db.scalar(
        "SELECT count(*) FROM audit_log WHERE action = 'enrolment.remove'"
    )
    assert audit == 1


class TestNamed:
    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        return settings.with_overrides(reports="named")

    async def test_participants_by_name(
        self,
        client: httpx.AsyncClient,
        login_as: LoginAs,
        create_user: CreateUser,
        services: Services,
    ) -> None:
        await login_as("admin")
        learner = await create_user(name="Zoe Zahl")
        async with services.db.transaction() as tx:
            await assignments.enrol_targets(
                tx, [learner.id], COURSE, by=None, now=datetime.now(UTC)
            )
        page = soup(await client.get(f"/admin/courses/{COURSE}/teilnehmende"))
        assert "Zoe Zahl" in tag(page, "table", id="participant-table").get_text()


async def test_aggregate_participants_show_no_names_and_no_small_counts(
    client: httpx.AsyncClient, login_as: LoginAs, create_user: CreateUser, services: Services
) -> None:
    await login_as("admin")
    learner = await create_user(name="Zoe Zahl")
    async with services.db.transaction() as tx:
        await assignments.enrol_targets(tx, [learner.id], COURSE, by=None, now=datetime.now(UTC))
    response = await client.get(f"/admin/courses/{COURSE}/teilnehmende")
    assert "Zoe Zahl" not in response.text
    assert soup(response).find("p", id="participant-hidden") is not None
