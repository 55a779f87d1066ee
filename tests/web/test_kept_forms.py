"""Nothing typed is lost: a refused token, an expired session or an invalid answer sends
the user back to the form with the posted input in it (web/kept_forms.py)."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette

from learning.core.clock import FrozenClock
from learning.web.services import Services
from tests.conftest import (
    PASSWORD,
    CreateUser,
    LoginAs,
    attr,
    csrf_for,
    log_in,
    new_client,
    soup,
    tag,
)
from tests.web.learner_flow import COURSE, enrol, start_test

PAGE = f"/courses/{COURSE}/pages/stufen"
NOTE_URL = f"{PAGE}/answer/eigene-praegung"
NOTE = "Mein langer Gedanke <b>mit</b> Zeilen\nund Umlauten: äöü"
REFERER = {"referer": f"http://testserver{PAGE}"}


def _note(page: httpx.Response) -> str:
    return tag(soup(page), "textarea", attrs={"name": "eigene-praegung"}).get_text()


async def _reflections(services: Services) -> int:
    return int(await services.db.scalar("SELECT count(*) FROM reflections"))


async def test_a_refused_token_brings_the_text_back_and_saves_nothing(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    await login_as("learner")
    await enrol(client)
    response = await client.post(
        NOTE_URL, data={"eigene-praegung": NOTE, "csrf_token": "stale"}, headers=REFERER
    )
    assert response.status_code == 303
    assert response.headers["location"] == PAGE
    page = await client.get(PAGE)
    assert _note(page) == NOTE
    assert "wurde nicht gesendet" in tag(soup(page), class_="flash-list").get_text()
    assert await _reflections(services) == 0
    # Shown once; sent again with the fresh token of the refilled form, it is saved.
    assert _note(await client.get(PAGE)) == ""
    token = await csrf_for(client, PAGE)
    saved = await client.post(NOTE_URL, data={"eigene-praegung": NOTE, "csrf_token": token})
    assert saved.status_code == 303
    assert await _reflections(services) == 1


async def test_without_a_page_to_go_back_to_the_refusal_stays_a_403(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    await login_as("learner")
    await enrol(client)
    foreign = {"referer": "http://elsewhere.example/stufen"}
    for headers in ({}, foreign):
        response = await client.post(
            NOTE_URL, data={"eigene-praegung": NOTE, "csrf_token": "x"}, headers=headers
        )
        assert response.status_code == 403
    assert await services.db.scalar("SELECT count(*) FROM kept_forms") == 0


async def test_an_expired_session_keeps_the_text_for_after_the_login(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services, clock: FrozenClock
) -> None:
    user = await login_as("learner")
    await enrol(client)
    token = await csrf_for(client, PAGE)
    clock.advance(services.settings.idle_timeout + 60)
    response = await client.post(
        NOTE_URL, data={"eigene-praegung": NOTE, "csrf_token": token}, headers=REFERER
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/login?next={PAGE}"
    login = soup(await client.get(response.headers["location"]))
    assert "Ihre Sitzung ist abgelaufen" in tag(login, class_="flash-list").get_text()
    assert await _reflections(services) == 0
    login_token = await csrf_for(client, f"/login?next={PAGE}")
    back = await client.post(
        "/login",
        data={"email": user.email, "password": PASSWORD, "next": PAGE, "csrf_token": login_token},
    )
    assert back.status_code == 303 and back.headers["location"] == PAGE
    assert _note(await client.get(PAGE)) == NOTE


async def test_another_person_in_the_same_browser_never_sees_it(
    client: httpx.AsyncClient,
    login_as: LoginAs,
    create_user: CreateUser,
    services: Services,
    clock: FrozenClock,
) -> None:
    await login_as("learner")
    await enrol(client)
    token = await csrf_for(client, PAGE)
    clock.advance(services.settings.idle_timeout + 60)
    await client.post(
        NOTE_URL, data={"eigene-praegung": NOTE, "csrf_token": token}, headers=REFERER
    )
    other = await create_user("learner")
    assert (await log_in(client, other.email)).status_code == 303
    await enrol(client)
    assert NOTE not in (await client.get(PAGE)).text
    assert await services.db.scalar("SELECT count(*) FROM kept_forms") == 0


async def test_a_kept_form_belongs_to_its_browser(
    app: Starlette, client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    user = await login_as("learner")
    await enrol(client)
    await client.post(NOTE_URL, data={"eigene-praegung": NOTE, "csrf_token": "x"}, headers=REFERER)
    cookie = next(c for c in client.cookies.jar if c.name == "learning_kept")
    # The same person in a second browser that somehow got the cookie: a different
    # browser key, so nothing is shown there.
    async with new_client(app) as elsewhere:
        assert (await log_in(elsewhere, user.email)).status_code == 303
        elsewhere.cookies.set("learning_kept", cookie.value or "")
        assert NOTE not in (await elsewhere.get(PAGE)).text
    assert _note(await client.get(PAGE)) == NOTE


async def test_admin_forms_keep_their_input_on_a_refused_token(
    client: httpx.AsyncClient, login_as: LoginAs, create_user: CreateUser
) -> None:
    await login_as("admin")
    target = await create_user("learner", name="Alter Name")
    url = f"/admin/users/{target.id}"
    response = await client.post(
        url,
        data={"name": "Neuer Name", "role": "trainer", "group": "", "csrf_token": "old"},
        headers={"referer": f"http://testserver{url}"},
    )
    assert response.status_code == 303 and response.headers["location"] == url
    page = soup(await client.get(url))
    form = tag(page, "form", action=url)
    assert tag(form, "input", attrs={"name": "name"})["value"] == "Neuer Name"
    assert tag(form, "input", id="f-role-trainer").has_attr("checked")
    assert not tag(form, "input", id="f-role-learner").has_attr("checked")
    # The refilled form carries a fresh token, not the refused one.
    assert tag(form, "input", attrs={"name": "csrf_token"})["value"] != "old"


async def test_passwords_are_never_kept(
    client: httpx.AsyncClient, create_user: CreateUser, services: Services
) -> None:
    user = await create_user("learner")
    await client.get("/login")
    response = await client.post(
        "/login",
        data={"email": user.email, "password": "geheim-geheim-1", "csrf_token": "x"},
        headers={"referer": "http://testserver/login"},
    )
    assert response.status_code == 303
    fields = await services.db.scalar("SELECT fields FROM kept_forms")
    assert user.email in fields and "geheim" not in fields
    page = soup(await client.get("/login"))
    assert tag(page, "input", attrs={"name": "email"})["value"] == user.email
    assert not tag(page, "input", attrs={"name": "password"}).get("value")


async def test_an_invalid_ordering_is_reported_in_the_question_with_the_picks_kept(
    client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    await login_as("learner")
    await enrol(client)
    token = await csrf_for(client, PAGE)
    response = await client.post(
        f"{PAGE}/answer/dmis-1",
        data={"dmis-1.1": "1", "dmis-1.2": "1", "dmis-1.3": "2", "csrf_token": token},
    )
    assert response.headers["location"] == f"{PAGE}#error-summary"
    page = soup(await client.get(PAGE))
    summary = tag(page, id="error-summary")
    assert summary.has_attr("autofocus") and summary["tabindex"] == "-1"
    link = tag(summary, "a")
    assert "nur einmal" in link.get_text()
    # The link leads to the second use of the position, inside the question.
    assert link["href"] == "#dmis-1-2"
    question = tag(page, id="q-dmis-1")
    assert "nur einmal" in tag(question, class_="field-error").get_text()
    for field, value in (("dmis-1.1", "1"), ("dmis-1.2", "1"), ("dmis-1.3", "2")):
        select = tag(question, "select", attrs={"name": field})
        assert tag(select, "option", selected="")["value"] == value
    assert tag(question, "select", attrs={"name": "dmis-1.2"})["aria-invalid"] == "true"


async def test_an_empty_answer_is_reported_in_the_question(
    client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    await login_as("learner")
    await enrol(client)
    token = await csrf_for(client, f"/courses/{COURSE}/pages/eisberg-fragen")
    response = await client.post(
        f"/courses/{COURSE}/pages/eisberg-fragen/answer/eisberg-2", data={"csrf_token": token}
    )
    assert response.status_code == 303
    page = soup(await client.get(f"/courses/{COURSE}/pages/eisberg-fragen"))
    question = tag(page, id="q-eisberg-2")
    error = tag(question, class_="field-error")
    assert "Bitte wählen oder schreiben Sie eine Antwort." in error.get_text()
    fieldset = tag(question, "fieldset")
    assert error["id"] in attr(fieldset, "aria-describedby").split()
    assert tag(tag(page, id="error-summary"), "a")["href"] == "#eisberg-2-1"
    # Only the question at fault carries the message.
    assert tag(page, id="q-eisberg-1").find(class_="field-error") is None


async def test_final_test_reports_an_invalid_answer_and_keeps_every_answer(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    await login_as("learner")
    await enrol(client)
    attempt = await start_test(client)
    url = f"/courses/{COURSE}/test/{attempt}"
    token = await csrf_for(client, url)
    response = await client.post(
        url, data={"test-1": "7", "test-2": "1", "test-3": "Verleugnung", "csrf_token": token}
    )
    assert response.status_code == 303 and response.headers["location"] == f"{url}#error-summary"
    assert await services.db.scalar("SELECT submitted_at FROM test_attempts") is None
    page = soup(await client.get(url))
    assert "Frage 1: Ungültige Auswahl" in tag(page, id="error-summary").get_text()
    assert "Ungültige Auswahl" in tag(tag(page, id="q-test-1"), class_="field-error").get_text()
    assert tag(page, "input", id="test-2-1").has_attr("checked")
    assert tag(page, "input", attrs={"name": "test-3"})["value"] == "Verleugnung"


async def test_a_scenario_step_without_a_choice_is_reported_in_the_step(
    client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    await login_as("learner")
    await enrol(client)
    url = f"/courses/{COURSE}/pages/fall"
    page = soup(await client.get(url))
    step = attr(tag(page, "input", attrs={"name": "step"}), "value")
    token = await csrf_for(client, url)
    response = await client.post(
        f"{url}/scenario/fall-anerkennung", data={"step": step, "csrf_token": token}
    )
    assert response.headers["location"] == f"{url}#error-summary"
    page = soup(await client.get(url))
    assert "Bitte wählen Sie eine Möglichkeit." in tag(page, id="error-summary").get_text()
    step_form = tag(page, id="q-fall-anerkennung")
    assert "Bitte wählen Sie eine Möglichkeit." in tag(step_form, class_="field-error").get_text()


async def test_an_admin_form_survives_an_expired_session(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services, clock: FrozenClock
) -> None:
    admin = await login_as("admin")
    url = "/admin/groups"
    token = await csrf_for(client, url)
    clock.advance(services.settings.absolute_timeout + 60)
    response = await client.post(
        url,
        data={"name": "Beratungsstelle Nord", "csrf_token": token},
        headers={"referer": f"http://testserver{url}"},
    )
    assert response.headers["location"] == f"/login?next={url}"
    assert await services.db.scalar("SELECT count(*) FROM groups") == 0
    assert (await log_in(client, admin.email)).status_code == 303
    form = tag(soup(await client.get(url)), "form", action=url)
    assert tag(form, "input", attrs={"name": "name"})["value"] == "Beratungsstelle Nord"


async def test_without_a_known_owner_nothing_is_kept(
    client: httpx.AsyncClient, services: Services
) -> None:
    # No session at all (signed out in another tab): nobody to show the input to.
    response = await client.post(
        "/admin/groups",
        data={"name": "Geheim", "csrf_token": "x"},
        headers={"referer": "http://testserver/admin/groups"},
    )
    assert response.headers["location"] == "/login?next=/admin/groups"
    assert await services.db.scalar("SELECT count(*) FROM kept_forms") == 0
    assert "Ihre Eingaben" not in (await client.get(response.headers["location"])).text


async def test_a_scripts_refused_post_stays_a_403(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    await login_as("learner")
    await enrol(client)
    attempt = await start_test(client)
    url = f"/courses/{COURSE}/test/{attempt}"
    response = await client.post(
        f"{url}/entwurf",
        data={"test-3": "Verleugnung", "csrf_token": "alt"},
        headers={"referer": f"http://testserver{url}", "sec-fetch-mode": "cors"},
    )
    assert response.status_code == 403
    assert await services.db.scalar("SELECT count(*) FROM kept_forms") == 0
