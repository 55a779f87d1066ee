"""Two real instances on one PostgreSQL database behave like one (issue 18, "Several
instances"), checked over HTTP: a session from A works on B and ends there as soon as
A logs it out or disables its user; failed logins spread over both are throttled as
one burst; a report on A shows a change made through B within 2 s; an invitation is
used once whichever instance gets it; housekeeping runs once per interval in all; a
course retired on A is no longer offered on B.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from bs4 import BeautifulSoup

from learning.accounts import throttling
from learning.store import users
from tests.cluster.instances import (
    Cluster,
    client_of,
    csrf_of,
    log_in,
    query,
    run_async,
    seed_accounts,
    signed_in,
)
from tests.conftest import PASSWORD
from tests.postgres_server import PostgresServer
from tests.web.learner_flow import COURSE

HOUSEKEEPING_EVERY = 1  # seconds
ACCOUNTS: dict[str, users.Role] = {
    "admin@example.org": "admin",
    "ada@example.org": "learner",
    "ben@example.org": "learner",
    "cem@example.org": "learner",
    "dora@example.org": "learner",
    "emil@example.org": "learner",
    "fritz@example.org": "learner",
}


@pytest.fixture(scope="module")
def cluster(
    postgres: PostgresServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cluster]:
    url = postgres.create_database()
    ids = run_async(seed_accounts(url, ACCOUNTS))
    env = {
        "LEARNING_HOUSEKEEPING_INTERVAL": str(HOUSEKEEPING_EVERY),
        "LEARNING_MIN_GROUP": "1",  # one enrolment shows in the report
    }
    instances = Cluster(url, tmp_path_factory.mktemp("cluster"), env, ids=ids)
    try:
        yield instances.start(2)
    finally:
        instances.stop()


@pytest.fixture
async def browser() -> AsyncIterator[httpx.AsyncClient]:
    # One cookie jar for both ports, as a browser behind a balancer has.
    async with httpx.AsyncClient(timeout=20) as client:
        yield client


async def signed_in_on_both(browser: httpx.AsyncClient, cluster: Cluster, email: str) -> None:
    """Log in on A; the same cookie opens B, where the session was not created."""
    a, b = cluster.bases
    assert (await log_in(browser, a, email)).status_code == 303
    assert await signed_in(browser, b)


async def test_a_session_from_a_is_valid_on_b_and_logout_on_a_ends_it_on_b(
    cluster: Cluster, browser: httpx.AsyncClient
) -> None:
    a, b = cluster.bases
    await signed_in_on_both(browser, cluster, "ada@example.org")
    kept = dict(browser.cookies)  # a copy that outlives the logout (a stolen cookie)
    token = csrf_of(await browser.get(f"{b}/"))
    assert (await browser.post(f"{a}/logout", data={"csrf_token": token})).status_code == 303
    async with httpx.AsyncClient(timeout=20, cookies=kept) as stolen:
        assert not await signed_in(stolen, b)


async def test_disabling_a_user_on_a_ends_their_session_on_b_at_once(
    cluster: Cluster, browser: httpx.AsyncClient
) -> None:
    a, b = cluster.bases
    await signed_in_on_both(browser, cluster, "ben@example.org")
    async with client_of(a, "admin@example.org") as admin:
        ben = cluster.ids["ben@example.org"]
        token = csrf_of(await admin.get(f"{a}/admin/users/{ben}"))
        disabled = await admin.post(f"{a}/admin/users/{ben}/disable", data={"csrf_token": token})
        assert disabled.status_code == 303
    assert not await signed_in(browser, b)
    assert (await log_in(browser, b, "ben@example.org")).status_code != 303


async def test_wrong_logins_spread_over_both_are_throttled_like_one_burst(
    cluster: Cluster, browser: httpx.AsyncClient
) -> None:
    a, b = cluster.bases
    statuses = []
    for n in range(throttling.PAIR_FREE_FAILURES):
        response = await log_in(browser, (a, b)[n % 2], "cem@example.org", "falsch falsch")
        statuses.append(response.status_code)
    assert statuses == [401] * throttling.PAIR_FREE_FAILURES
    # Each instance saw only two or three failures; together they are past the limit.
    for base in (a, b):
        throttled = await log_in(browser, base, "cem@example.org", "falsch falsch")
        assert throttled.status_code == 429, base
        assert int(throttled.headers["retry-after"]) > 0
    # The right password is refused too while the wait lasts, on either instance.
    assert (await log_in(browser, b, "cem@example.org", PASSWORD)).status_code == 429


async def test_a_parallel_burst_over_both_instances_gets_the_checks_of_one(
    cluster: Cluster,
) -> None:
    a, b = cluster.bases
    burst = 4 * throttling.PAIR_FREE_FAILURES

    async def attempt(n: int) -> int:
        async with httpx.AsyncClient(timeout=30) as attacker:
            response = await log_in(attacker, (a, b)[n % 2], "fritz@example.org", "falsch")
            return response.status_code

    statuses = await asyncio.gather(*(attempt(n) for n in range(burst)))
    # Reservations are made in the cluster-wide write transaction: two instances let
    # through exactly the password checks one would, the rest wait and are refused.
    assert statuses.count(401) == throttling.PAIR_FREE_FAILURES, statuses
    assert statuses.count(429) == burst - throttling.PAIR_FREE_FAILURES, statuses


def enrolled(page: httpx.Response) -> int:
    """The "Eingeschrieben" figure of the course's row in the report overview."""
    row = BeautifulSoup(page.text, "html.parser").select_one("#course-overview tbody tr")
    assert row is not None, page.text[:500]
    cells = [td.get_text(strip=True) for td in row.select("td")]
    if len(cells) == 1:  # "fewer than min_group learners": nobody enrolled yet
        assert "Weniger als 1" in cells[0], cells
        return 0
    return int(cells[1].replace(".", ""))


async def test_a_report_on_a_shows_a_change_made_through_b_within_two_seconds(
    cluster: Cluster, browser: httpx.AsyncClient
) -> None:
    a, b = cluster.bases
    async with client_of(a, "admin@example.org") as admin:
        before = enrolled(await admin.get(f"{a}/admin/reports"))
        assert enrolled(await admin.get(f"{a}/admin/reports")) == before  # now cached on A

        assert (await log_in(browser, b, "dora@example.org")).status_code == 303
        token = csrf_of(await browser.get(f"{b}/courses/{COURSE}"))
        enrol = await browser.post(f"{b}/courses/{COURSE}/enrol", data={"csrf_token": token})
        assert enrol.status_code == 303
        changed = time.monotonic()
        seen = before
        while seen == before and time.monotonic() - changed < 2.0:
            seen = enrolled(await admin.get(f"{a}/admin/reports"))
            await asyncio.sleep(0.05)
        assert seen == before + 1, f"A still shows {seen} after {time.monotonic() - changed:.1f} s"


async def invitation(admin: httpx.AsyncClient, base: str, email: str) -> str:
    """Create a learner account on `base`; the path of its invitation link."""
    token = csrf_of(await admin.get(f"{base}/admin/users/new"))
    form = {"csrf_token": token, "email": email, "name": "Neu", "role": "learner"}
    created = await admin.post(f"{base}/admin/users/new", data=form)
    assert created.status_code == 303  # to the page that shows the new link
    shown = await admin.get(f"{base}{created.headers['location']}")
    link = BeautifulSoup(shown.text, "html.parser").select_one("input#link-1")
    assert link is not None
    path = httpx.URL(str(link["value"])).path
    assert path.startswith("/einladung/")
    return path


async def test_an_invitation_link_works_once_across_both_instances(
    cluster: Cluster, browser: httpx.AsyncClient
) -> None:
    a, b = cluster.bases
    async with client_of(a, "admin@example.org") as admin:
        path = await invitation(admin, a, "neu@example.org")

    async def accept(base: str) -> int:
        async with httpx.AsyncClient(timeout=20) as invitee:
            form = await invitee.get(f"{base}{path}")
            assert form.status_code == 200
            data = {
                "csrf_token": csrf_of(form),
                "name": f"Neu über {base[-5:]}",
                "password": PASSWORD,
                "password_confirm": PASSWORD,
            }
            return (await invitee.post(f"{base}{path}", data=data)).status_code

    # Both instances get the link at the same moment: exactly one accepts it.
    outcomes = sorted(await asyncio.gather(accept(a), accept(b)))
    assert outcomes == [303, 410]
    for base in (a, b):
        assert (await browser.get(f"{base}{path}")).status_code == 410
    assert (await log_in(browser, b, "neu@example.org")).status_code == 303


async def test_housekeeping_runs_once_per_interval_for_the_whole_cluster(
    cluster: Cluster,
) -> None:
    sql = "SELECT runs FROM housekeeping_runs WHERE task = 'sessions'"
    start = (await query(cluster.url, sql))[0]["runs"]
    window = 5 * HOUSEKEEPING_EVERY
    await asyncio.sleep(window)
    runs = (await query(cluster.url, sql))[0]["runs"] - start
    # Two instances that each cleaned up on their own timer would have run about
    # 2 * window / interval = 10 times; one cluster-wide run per interval (stored to the
    # second, so runs are more than one interval apart) is at most 6.
    assert 2 <= runs <= window // HOUSEKEEPING_EVERY + 1, runs


async def test_a_course_retired_on_a_is_no_longer_offered_on_b(
    cluster: Cluster, browser: httpx.AsyncClient
) -> None:
    a, b = cluster.bases
    assert (await log_in(browser, b, "emil@example.org")).status_code == 303

    async def offered_on_b() -> bool:
        page = BeautifulSoup((await browser.get(f"{b}/")).text, "html.parser")
        return page.select_one(f'main a[href="/courses/{COURSE}"]') is not None

    assert await offered_on_b()
    async with client_of(a, "admin@example.org") as admin:
        token = csrf_of(await admin.get(f"{a}/trainer/{COURSE}"))
        retire = f"{a}/admin/courses/{COURSE}/retire"
        try:
            assert (await admin.post(retire, data={"csrf_token": token})).status_code == 303
            assert not await offered_on_b()
            token_b = csrf_of(await browser.get(f"{b}/courses/{COURSE}"))
            enrol = await browser.post(f"{b}/courses/{COURSE}/enrol", data={"csrf_token": token_b})
            assert enrol.status_code == 403
        finally:
            reinstate = f"{a}/admin/courses/{COURSE}/reinstate"
            assert (await admin.post(reinstate, data={"csrf_token": token})).status_code == 303
    assert await offered_on_b()
