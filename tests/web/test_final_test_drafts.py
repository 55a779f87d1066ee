"""Open questions are confirmed before grading; drafts keep answers; time limits hold."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
from bs4 import BeautifulSoup

from learning.content.catalog import Catalog
from learning.core.clock import FrozenClock
from learning.store import audit, drafts, privacy
from learning.web.services import Services
from tests.conftest import CreateUser, LoginAs, attr, csrf_for, log_in, soup, tag
from tests.helpers import FIXTURE_COURSES
from tests.web.learner_flow import COURSE, RIGHT_TEST_ANSWERS, enrol, start_test, submit_test


def _url(attempt: int) -> str:
    return f"/courses/{COURSE}/test/{attempt}"


async def _status(services: Services, attempt: int) -> tuple[object, object]:
    row = await services.db.fetchone(
        "SELECT submitted_at, score FROM test_attempts WHERE id = ?", (attempt,)
    )
    assert row is not None
    return row["submitted_at"], row["score"]


def _checked(page: BeautifulSoup, name: str) -> list[str]:
    return [attr(i, "value") for i in page.find_all("input", attrs={"name": name, "checked": True})]


async def test_open_questions_are_named_and_graded_only_after_confirmation(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    await login_as("learner")
    await enrol(client)
    attempt = await start_test(client)
    response = await submit_test(client, attempt, {"test-1": "1"})
    assert response.status_code == 200
    assert (await _status(services, attempt))[0] is None  # not graded yet
    page = soup(response)
    assert tag(page, "h1").get_text(strip=True) == "Test abgeben?"
    links = tag(page, "ul", class_="unanswered").find_all("a")
    assert [(a.get_text(strip=True), a["href"]) for a in links] == [
        ("Frage 2", f"{_url(attempt)}?offen#q-test-2"),
        ("Frage 3", f"{_url(attempt)}?offen#q-test-3"),
    ]
    form = tag(page, "form", action=_url(attempt))
    fields = {attr(el, "name"): attr(el, "value") for el in form.find_all("input", type="hidden")}
    assert fields["test-1"] == "1" and fields["confirm"] == "1"
    button = tag(form, "button", type="submit")
    assert button.get_text(strip=True) == "Trotzdem abgeben"
    graded = await client.post(_url(attempt), data=fields)
    assert graded.status_code == 303 and graded.headers["location"].endswith("/ergebnis#ergebnis")
    assert (await _status(services, attempt))[1] == 33.3


async def test_complete_submit_needs_no_confirmation(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    await login_as("learner")
    await enrol(client)
    attempt = await start_test(client)
    response = await submit_test(client, attempt, RIGHT_TEST_ANSWERS)
    assert response.status_code == 303
    assert (await _status(services, attempt))[1] == 100.0


async def test_save_button_keeps_a_draft_that_survives_an_expired_session(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services, clock: FrozenClock
) -> None:
    user = await login_as("learner")
    await enrol(client)
    attempt = await start_test(client)
    token = await csrf_for(client, _url(attempt))
    saved = await client.post(
        _url(attempt),
        data={"test-1": "2", "test-3": "Verleugnung", "save": "1", "csrf_token": token},
    )
    assert saved.status_code == 303 and saved.headers["location"] == _url(attempt)
    assert (await _status(services, attempt))[0] is None
    clock.advance(31 * 60)  # the session has been idle too long
    assert (await client.get(_url(attempt))).status_code == 303
    assert (await log_in(client, user.email)).status_code == 303
    page = soup(await client.get(_url(attempt)))
    assert _checked(page, "test-1") == ["2"]
    assert attr(tag(page, "input", attrs={"name": "test-3"}), "value") == "Verleugnung"
    # Grading uses the submitted form, not the draft.
    await submit_test(client, attempt, RIGHT_TEST_ANSWERS)
    assert (await _status(services, attempt))[1] == 100.0
    assert await services.db.scalar("SELECT count(*) FROM test_drafts") == 0


async def test_autosave_stores_only_the_own_open_attempt(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services, app: object
) -> None:
    learner = await login_as("learner")
    await enrol(client)
    attempt = await start_test(client)
    token = await csrf_for(client, _url(attempt))
    saved = await client.post(
        f"{_url(attempt)}/entwurf", data={"test-2": "1", "junk": "x", "csrf_token": token}
    )
    assert saved.status_code == 204
    assert await drafts.draft(services.db, attempt, learner.id) == {"test-2": ["1"]}
    await submit_test(client, attempt, RIGHT_TEST_ANSWERS)
    late = await client.post(f"{_url(attempt)}/entwurf", data={"test-2": "2", "csrf_token": token})
    assert late.status_code == 409


async def test_attempt_page_loads_the_autosave_script_and_a_save_button(
    client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    await login_as("learner")
    await enrol(client)
    page = soup(await client.get(_url(await start_test(client))))
    script = tag(page, "script")
    assert attr(script, "src") == "/static/test-autosave.js"
    assert (await client.get("/static/test-autosave.js")).status_code == 200
    form = tag(page, "form", class_="test-form")
    assert form.find("button", attrs={"name": "save"}, string="Zwischenspeichern") is not None
    assert page.find(id="time-left") is None  # no time limit in the fixture test


def _timed(services: Services, tmp_path: Path, minutes: int) -> None:
    root = tmp_path / "courses"
    shutil.copytree(FIXTURE_COURSES, root)
    test_md = root / "fixture-kurs" / "90-abschlusstest.md"
    text = test_md.read_text(encoding="utf-8")
    test_md.write_text(text.replace("kind: test\n", f"kind: test\ntime_limit: {minutes}\n"))
    catalog = Catalog(root)
    catalog.load()
    services.catalog = catalog


async def test_late_submit_is_graded_on_the_draft_saved_in_time(
    client: httpx.AsyncClient,
    login_as: LoginAs,
    services: Services,
    clock: FrozenClock,
    tmp_path: Path,
) -> None:
    _timed(services, tmp_path, 10)
    await login_as("learner")
    await enrol(client)
    intro = soup(await client.get(f"/courses/{COURSE}/test"))
    assert "Zeitbegrenzung: 10 Minuten je Versuch" in tag(intro, "ul", class_="facts").get_text()
    attempt = await start_test(client)
    page = soup(await client.get(_url(attempt)))
    assert "Noch 10 Minuten." in tag(page, id="time-left").get_text()
    assert tag(page, id="time-left").get("role") is None  # text, not a chattering live region
    token = await csrf_for(client, _url(attempt))
    await client.post(_url(attempt), data={"test-1": "1", "save": "1", "csrf_token": token})
    clock.advance(9 * 60)
    assert "Noch 1 Minute." in tag(soup(await client.get(_url(attempt))), id="time-left").get_text()
    clock.advance(2 * 60)  # past the end and the grace
    refused = await client.post(
        f"{_url(attempt)}/entwurf", data={**RIGHT_TEST_ANSWERS, "csrf_token": token}
    )
    assert refused.status_code == 409
    response = await submit_test(client, attempt, RIGHT_TEST_ANSWERS)
    assert response.status_code == 303
    assert (await _status(services, attempt))[1] == 33.3  # only test-1 was saved in time
    result = soup(await client.get(response.headers["location"].split("#")[0]))
    assert "Die Zeit war abgelaufen" in tag(result, class_="flash-list").get_text()


async def test_submit_in_time_is_graded_on_the_form(
    client: httpx.AsyncClient,
    login_as: LoginAs,
    services: Services,
    clock: FrozenClock,
    tmp_path: Path,
) -> None:
    _timed(services, tmp_path, 10)
    await login_as("learner")
    await enrol(client)
    attempt = await start_test(client)
    clock.advance(10 * 60 + 10)  # inside the grace for a submit already on its way
    await submit_test(client, attempt, RIGHT_TEST_ANSWERS)
    assert (await _status(services, attempt))[1] == 100.0


async def test_admin_extra_time_is_audited_and_lengthens_the_next_attempt(
    client: httpx.AsyncClient,
    login_as: LoginAs,
    create_user: CreateUser,
    services: Services,
    tmp_path: Path,
) -> None:
    _timed(services, tmp_path, 20)
    learner = await create_user("learner")
    await login_as("admin")
    url = f"/admin/users/{learner.id}"
    token = await csrf_for(client, url)
    bad = await client.post(
        f"{url}/zeitausgleich",
        data={"extra_minutes": "viel", "extra_percent": "50", "csrf_token": token},
    )
    assert bad.status_code == 400
    assert await services.db.scalar("SELECT count(*) FROM extra_time") == 0
    form = soup(bad)
    assert "ganze Zahl von 0 bis 600" in tag(form, id="f-extra_minutes-error").get_text()
    assert attr(tag(form, id="f-extra_minutes"), "value") == "viel", "what was typed stays"
    assert attr(tag(form, id="f-extra_percent"), "value") == "50"
    assert form.find(id="f-extra_percent-error") is None
    saved = await client.post(
        f"{url}/zeitausgleich",
        data={"extra_minutes": "5", "extra_percent": "50", "csrf_token": token},
    )
    assert saved.status_code == 303
    page = soup(await client.get(url))
    assert attr(tag(page, "input", attrs={"name": "extra_percent"}), "value") == "50"
    assert attr(tag(page, "label", attrs={"for": "f-extra_minutes"}), "for") == "f-extra_minutes"
    entries = [e for e in await audit.list_entries(services.db) if e.action == "user.extra_time"]
    assert [e.details["after"] for e in entries] == [{"minutes": 5, "percent": 50}]
    await client.post("/logout", data={"csrf_token": await csrf_for(client, "/")})
    assert (await log_in(client, learner.email)).status_code == 303
    await enrol(client)
    attempt = await start_test(client)
    text = tag(soup(await client.get(_url(attempt))), id="time-left").get_text()
    assert "Noch 35 Minuten." in text  # 20 minutes * 1.5 + 5


async def test_confirmation_step_in_english(client: httpx.AsyncClient, login_as: LoginAs) -> None:
    await login_as("learner")
    await enrol(client)
    attempt = await start_test(client)
    token = await csrf_for(client, _url(attempt))
    await client.post("/sprache", data={"lang": "en", "next": "/", "csrf_token": token})
    page = soup(await submit_test(client, attempt, {"test-1": "1"}))
    assert tag(page, "h1").get_text(strip=True) == "Submit the test?"
    assert page.find("button", string="Submit anyway") is not None
    assert "2 questions are unanswered." in page.get_text()


async def test_extra_time_is_in_the_export_and_gone_with_drafts_after_anonymising(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services, clock: FrozenClock
) -> None:
    learner = await login_as("learner")
    await enrol(client)
    attempt = await start_test(client)
    token = await csrf_for(client, _url(attempt))
    await client.post(f"{_url(attempt)}/entwurf", data={"test-1": "1", "csrf_token": token})
    async with services.db.transaction() as tx:
        await drafts.set_extra_time_in(tx, learner.id, drafts.ExtraTime(10, 25))
    exported = await privacy.export_learner(services.db, learner.id, now=clock())
    assert exported["extra_time"] == [{"minutes": 10, "percent": 25}]
    async with services.db.transaction() as tx:
        await privacy.anonymise(tx, learner.id)
    assert await services.db.scalar("SELECT count(*) FROM extra_time") == 0
    assert await services.db.scalar("SELECT count(*) FROM test_drafts") == 0
