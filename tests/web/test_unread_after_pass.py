"""A passed final test with pages still unread: the overview, the start page and the
result page say so and link the first unread page."""

from __future__ import annotations

import httpx

from tests.conftest import LoginAs, soup, tag
from tests.web.learner_flow import (
    CONTENT_PAGES,
    COURSE,
    RIGHT_TEST_ANSWERS,
    enrol,
    read_all_pages,
    start_test,
    submit_test,
)


async def _pass_test(client: httpx.AsyncClient) -> int:
    attempt = await start_test(client)
    response = await submit_test(client, attempt, RIGHT_TEST_ANSWERS)
    assert response.status_code == 303
    return attempt


async def test_pages_left_after_passing_are_named_where_the_learner_looks(
    client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    await login_as("learner")
    await enrol(client)
    # Read the first two pages only; the first unread one is the third.
    for page in CONTENT_PAGES[:2]:
        assert (await client.get(f"/courses/{COURSE}/pages/{page}")).status_code == 200
    attempt = await _pass_test(client)
    first_unread = f"/courses/{COURSE}/pages/{CONTENT_PAGES[2]}"
    unread = len(CONTENT_PAGES) - 2
    for url in (f"/courses/{COURSE}", "/"):
        notice = tag(soup(await client.get(url)), class_="unread-notice")
        text = " ".join(notice.get_text(" ").split())
        assert "Test bestanden – noch nicht abgeschlossen" in text
        assert f"öffnen Sie noch {unread} Seiten" in text
        assert tag(notice, "a")["href"] == first_unread
    result = soup(await client.get(f"/courses/{COURSE}/test/{attempt}/ergebnis"))
    assert tag(result, "a", href=first_unread)


async def test_no_notice_before_passing_or_once_complete(
    client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    await login_as("learner")
    await enrol(client)
    await client.get(f"/courses/{COURSE}/pages/{CONTENT_PAGES[0]}")
    assert soup(await client.get(f"/courses/{COURSE}")).find(class_="unread-notice") is None
    await _pass_test(client)
    await read_all_pages(client)
    for url in (f"/courses/{COURSE}", "/"):
        assert soup(await client.get(url)).find(class_="unread-notice") is None
