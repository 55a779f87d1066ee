"""One learner's whole way through the fixture course, for tests that need real ids."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from tests.conftest import soup
from tests.web.learner_flow import (
    COURSE,
    RIGHT_TEST_ANSWERS,
    enrol,
    read_all_pages,
    start_test,
    submit_test,
)


@dataclass(frozen=True, slots=True)
class Journey:
    """What the learner left behind: a submitted attempt, an open one, a certificate."""

    submitted_attempt: int
    open_attempt: int
    certificate_code: str


async def complete_course(client: httpx.AsyncClient) -> Journey:
    """Enrol, see every page, pass the test, and leave a second attempt open."""
    assert (await enrol(client)).status_code == 303
    await read_all_pages(client)
    submitted = await start_test(client)
    assert (await submit_test(client, submitted, RIGHT_TEST_ANSWERS)).status_code == 303
    open_attempt = await start_test(client)
    assert open_attempt != submitted
    return Journey(submitted, open_attempt, await certificate_code(client))


async def certificate_code(client: httpx.AsyncClient) -> str:
    page = soup(await client.get(f"/courses/{COURSE}"))
    link = page.find("a", href=f"/courses/{COURSE}/zertifikat")
    assert link is not None, "the course overview offers no certificate"
    code = link.find_next("code")
    assert code is not None
    return code.get_text(strip=True)
