"""Pre-rendered lesson pages must be the very page a full render gives, for everyone."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette

from learning.web.caches import build_caches
from learning.web.lesson_shell import LessonShells
from learning.web.services import Services
from tests.conftest import LoginAs, csrf_from, log_in, new_client, select_tag, soup, tag
from tests.web.learner_flow import CONTENT_PAGES, COURSE, answer, enrol

HOSTILE_NAME = 'Ada <b>Ö</b> & "Lovelace" \x01'


async def _shell_and_full(
    client: httpx.AsyncClient, services: Services, path: str
) -> tuple[str, str]:
    caches = services.caches
    assert isinstance(caches.shells, LessonShells)
    # The first request records the view, so both renders below see the same state.
    await client.get(path)
    from_shell = await client.get(path)
    services.caches = build_caches(services.templates, services.db, ())
    try:
        full = await client.get(path)
    finally:
        services.caches = caches
    assert from_shell.status_code == full.status_code == 200
    return from_shell.text, full.text


async def test_every_page_equals_full_render_as_learner_works_through(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    await login_as("learner", name=HOSTILE_NAME)
    await enrol(client)
    for page in CONTENT_PAGES:
        shell, full = await _shell_and_full(client, services, f"/courses/{COURSE}/pages/{page}")
        assert shell == full, page
    # Answered checks of each kind, a private note and a scenario step change the page.
    await answer(client, "eisberg-fragen", "eisberg-1", {"eisberg-1": "1"})
    await answer(client, "eisberg-fragen", "eisberg-2", {"eisberg-2": ["1", "2"]})
    await answer(client, "zeit", "hall-1", {"hall-1": "<i>polychron</i>"})
    await answer(client, "stufen", "dmis-1", {"dmis-1.1": "3", "dmis-1.2": "1", "dmis-1.3": "2"})
    await answer(client, "stufen", "eigene-praegung", {"eigene-praegung": "Notiz <b>fett</b>"})
    scenario = await client.get(f"/courses/{COURSE}/pages/fall")
    await client.post(
        f"/courses/{COURSE}/pages/fall/scenario/fall-anerkennung",
        data={"step": "start", "fall-anerkennung": "2", "csrf_token": csrf_from(scenario)},
    )
    for page_id in CONTENT_PAGES:
        shell, full = await _shell_and_full(client, services, f"/courses/{COURSE}/pages/{page_id}")
        assert shell == full, page_id


async def test_english_page_equals_full_render(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    await login_as("learner")
    await enrol(client)
    client.headers["accept-language"] = "en"
    shell, full = await _shell_and_full(client, services, f"/courses/{COURSE}/pages/zeit")
    assert shell == full
    assert soup_text(shell, "html", "lang") == "en"


def soup_text(html: str, name: str, attribute: str) -> str:
    element = soup(httpx.Response(200, text=html)).find(name)
    assert element is not None
    return str(element[attribute])


async def test_shared_shell_carries_each_learners_own_name_token_and_marks(
    app: Starlette, client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    await login_as("learner", name=HOSTILE_NAME)
    await enrol(client)
    await client.get(f"/courses/{COURSE}/pages/was-ist-kultur")
    first = soup(await client.get(f"/courses/{COURSE}/pages/eisberg-fragen"))
    assert tag(first, class_="user-name").get_text() == HOSTILE_NAME
    assert tag(first, class_="site-header").find("b") is None
    seen_by_first = [tag(li, "a").get_text() for li in first.select(".lesson-toc li.seen")]

    async with new_client(app) as other:
        await login_as_other(app, other)
        await enrol(other)
        second_response = await other.get(f"/courses/{COURSE}/pages/eisberg-fragen")
        second = soup(second_response)
        assert tag(second, class_="user-name").get_text() == "Bea"
        assert HOSTILE_NAME not in second.get_text()
        # Only the page being read counts as seen for the second learner.
        assert [tag(li, "a").get_text() for li in second.select(".lesson-toc li.seen")] == [
            select_tag(second, ".lesson-toc li.current a").get_text()
        ]
        assert len(seen_by_first) == 2
        token = csrf_from(second_response)
        assert token != csrf_from(await client.get(f"/courses/{COURSE}/pages/eisberg-fragen"))
        # The token in the pre-rendered page is the second learner's own: it is accepted.
        posted = await other.post(
            f"/courses/{COURSE}/pages/eisberg-fragen/answer/eisberg-1",
            data={"eisberg-1": "2", "csrf_token": token},
        )
        assert posted.status_code == 303


async def login_as_other(app: Starlette, client: httpx.AsyncClient) -> None:
    from tests.conftest import add_user

    services: Services = app.state.services
    user = await add_user(
        services, services.clock(), "learner", email="bea@example.org", name="Bea"
    )
    assert (await log_in(client, user.email)).status_code == 303


async def test_page_with_a_flash_message_shows_it(
    client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    await login_as("learner")
    await enrol(client)
    # A saved note is confirmed with a message carried to the page in a cookie.
    saved = await answer(client, "stufen", "eigene-praegung", {"eigene-praegung": "Notiz"})
    assert saved.status_code == 303
    page = soup(await client.get(saved.headers["location"].split("#")[0]))
    flash = page.find(class_="flash-list")
    assert flash is not None
    assert "Ihre Notiz ist gespeichert" in flash.get_text()
    # Shown once: the next request renders the page without it.
    again = soup(await client.get(f"/courses/{COURSE}/pages/stufen"))
    assert again.find(class_="flash-list") is None


async def test_answered_checks_show_each_learners_own_answer_and_tries(
    app: Starlette, client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    url = f"/courses/{COURSE}/pages/eisberg-fragen"
    await login_as("learner")
    await enrol(client)
    await answer(client, "eisberg-fragen", "eisberg-1", {"eisberg-1": "1"})

    async with new_client(app) as other:
        await login_as_other(app, other)
        await enrol(other)
        for choice in ("1", "2"):
            page = await other.get(url)
            await other.post(
                f"{url}/answer/eisberg-1",
                data={"eisberg-1": choice, "csrf_token": csrf_from(page)},
            )
        second = soup(await other.get(url))

    first = soup(await client.get(url))
    assert tag(first, id="result-eisberg-1").get_text(strip=True) == "Noch nicht richtig"
    assert tag(first, "input", attrs={"name": "eisberg-1", "value": "1"}).has_attr("checked")
    assert tag(second, id="result-eisberg-1").get_text(strip=True) == "Richtig"
    assert tag(second, "input", attrs={"name": "eisberg-1", "value": "2"}).has_attr("checked")
    assert not tag(second, "input", attrs={"name": "eisberg-1", "value": "1"}).has_attr("checked")
    # The same answer after a different number of tries is not the same markup.
    await answer(client, "eisberg-fragen", "eisberg-1", {"eisberg-1": "2"})
    again = await client.get(url)
    assert tag(soup(again), id="result-eisberg-1").get_text(strip=True) == "Richtig"
    services: Services = app.state.services
    caches = services.caches
    services.caches = build_caches(services.templates, services.db, ())
    try:
        full = await client.get(url)
    finally:
        services.caches = caches
    assert again.text == full.text
