"""Renewal: the certificate shows its validity, expires, and a new pass renews it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import httpx

from learning.core.clock import FrozenClock
from learning.store import assignments
from learning.store.assignments import DueRule
from learning.web.services import Services
from tests.conftest import LoginAs, log_in, soup, tag
from tests.web.learner_flow import (
    COURSE,
    RIGHT_TEST_ANSWERS,
    read_all_pages,
    start_test,
    submit_test,
)


async def _verify(client: httpx.AsyncClient, code: str) -> tuple[str, str]:
    page = soup(await client.get(f"/verify/{code}"))
    result = tag(page, "div", id="verify-result")
    heading = result.find("h2")
    assert heading is not None
    return heading.get_text(), tag(page, "dd", id="verify-until").get_text()


async def test_certificate_valid_then_expired_then_renewed(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services, clock: FrozenClock
) -> None:
    clock.now = datetime(2026, 1, 31, 10, 0, tzinfo=UTC)
    me = await login_as("learner")
    async with services.db.transaction() as tx:
        await assignments.create(
            tx,
            course_id=COURSE,
            user_id=me.id,
            due=DueRule(days=14),
            renew_months=1,
            by=None,
            now=clock.now,
        )
        await assignments.enrol_targets(tx, [me.id], COURSE, by=None, now=clock.now)
    await read_all_pages(client)
    attempt = await start_test(client)
    assert (await submit_test(client, attempt, RIGHT_TEST_ANSWERS)).status_code == 303
    first = await services.db.fetchone("SELECT code, valid_until FROM certificates")
    assert first is not None and first["valid_until"] == "2026-02-28"
    heading, until = await _verify(client, first["code"])
    assert "gültig" in heading and until == "Samstag, 28. Februar 2026"
    lines = tag(soup(await client.get("/")), "ul", id="deadlines").get_text()
    assert "gültig bis Samstag, 28. Februar 2026" in " ".join(lines.split())

    # 1 March: expired; the start page says so and the test may be taken again.
    clock.now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    assert (await log_in(client, me.email)).status_code == 303
    heading, _ = await _verify(client, first["code"])
    assert "abgelaufen" in heading
    lines = " ".join(tag(soup(await client.get("/")), "ul", id="deadlines").get_text().split())
    assert "Zertifikat abgelaufen, überfällig seit Sonntag, 1. März 2026" in lines
    intro = soup(await client.get(f"/courses/{COURSE}/test"))
    assert intro.find("p", id="renewal-notice") is not None
    again = await start_test(client)
    assert (await submit_test(client, again, RIGHT_TEST_ANSWERS)).status_code == 303
    renewed = await services.db.fetchone("SELECT code, valid_until FROM certificates")
    assert renewed is not None and renewed["code"] != first["code"]
    assert renewed["valid_until"] == "2026-04-01"
    heading, _ = await _verify(client, first["code"])
    assert "ersetzt" in heading
    heading, until = await _verify(client, renewed["code"])
    assert "gültig" in heading and until == "Mittwoch, 1. April 2026"
    rows = await assignments.learner_assignments(services.db, user_id=me.id)
    assert rows[0].previous_valid_until == date(2026, 2, 28)
