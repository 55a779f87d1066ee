from __future__ import annotations

import json
import shutil
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from learning.content.catalog import Catalog
from learning.core.clock import FrozenClock
from learning.web.services import Services
from tests.conftest import LoginAs, attr, csrf_for, log_in, new_client, soup, tag
from tests.helpers import FIXTURE_COURSES
from tests.web.learner_flow import (
    COURSE,
    RIGHT_TEST_ANSWERS,
    WRONG_TEST_ANSWERS,
    answer,
    enrol,
    read_all_pages,
    start_test,
    submit_test,
)


@pytest.fixture
def editable_catalog(services: Services, tmp_path: Path) -> tuple[Catalog, Path]:
    """The fixture course copied to a folder the test may edit, served by the app."""
    root = tmp_path / "courses"
    shutil.copytree(FIXTURE_COURSES, root)
    catalog = Catalog(root)
    catalog.load()
    services.catalog = catalog
    return catalog, root


async def test_catalogue_lists_courses_with_own_progress(
    client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    await login_as("learner")
    page = soup(await client.get("/"))
    card = page.find("li", class_="course-card")
    assert card is not None
    assert tag(card, "h2").get_text(strip=True) == "Fixture-Kurs"
    assert "ca. 30 Minuten" in tag(card, class_="meta").get_text()
    assert card.find("button", string="Einschreiben und beginnen") is not None
    await enrol(client)
    await client.get(f"/courses/{COURSE}/pages/was-ist-kultur")
    card = tag(soup(await client.get("/")), "li", class_="course-card")
    bar = card.find("progress")
    assert bar is not None and int(attr(bar, "value")) == round(100 * 1 / 6)


async def test_pages_need_enrolment(client: httpx.AsyncClient, login_as: LoginAs) -> None:
    await login_as("learner")
    response = await client.get(f"/courses/{COURSE}/pages/was-ist-kultur")
    assert response.status_code == 403
    assert (await client.get(f"/courses/{COURSE}/pages/gibt-es-nicht")).status_code == 404
    assert (await client.get("/courses/gibt-es-nicht")).status_code == 404


async def test_lesson_page_shows_toc_pager_and_position(
    client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    await login_as("learner")
    await enrol(client)
    await client.get(f"/courses/{COURSE}/pages/was-ist-kultur")
    page = soup(await client.get(f"/courses/{COURSE}/pages/eisberg-fragen"))
    assert tag(page, "h1").get_text(strip=True) == "Eisberg-Fragen"
    assert tag(page, class_="page-count").get_text(strip=True) == "Seite 2 von 3"
    toc = tag(page, "nav", class_="lesson-toc")
    current = tag(toc, "a", attrs={"aria-current": "page"})
    assert attr(current, "href").endswith("/eisberg-fragen")
    seen = [
        attr(tag(li, "a"), "href").rsplit("/", 1)[1] for li in toc.find_all("li", class_="seen")
    ]
    assert seen == ["was-ist-kultur", "eisberg-fragen"]
    pager = tag(page, "nav", class_="pager")
    assert attr(tag(pager, "a", rel="prev"), "href").endswith("/was-ist-kultur")
    assert attr(tag(pager, "a", rel="next"), "href").endswith("/zeit")


async def test_page_view_records_first_last_and_capped_time(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services, clock: FrozenClock
) -> None:
    user = await login_as("learner")
    await enrol(client)
    await client.get(f"/courses/{COURSE}/pages/was-ist-kultur")
    clock.advance(90)
    await client.get(f"/courses/{COURSE}/pages/eisberg-fragen")
    clock.advance(25 * 60)  # a tab left open: only the cap counts
    await client.get(f"/courses/{COURSE}/pages/zeit")
    rows = {
        r["page_id"]: r
        for r in await services.db.fetchall(
            "SELECT * FROM page_views WHERE user_id = ?", (user.id,)
        )
    }
    assert rows["was-ist-kultur"]["seconds"] == 90
    assert rows["eisberg-fragen"]["seconds"] == 600
    assert rows["zeit"]["seconds"] == 0
    assert rows["was-ist-kultur"]["first_seen"] < rows["zeit"]["first_seen"]


async def test_knowledge_check_feedback_retries_and_storage(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    user = await login_as("learner")
    await enrol(client)
    wrong = await answer(client, "eisberg-fragen", "eisberg-1", {"eisberg-1": "1"})
    assert wrong.status_code == 303
    assert wrong.headers["location"].endswith("#result-eisberg-1")
    page = soup(await client.get(f"/courses/{COURSE}/pages/eisberg-fragen"))
    result = tag(page, id="result-eisberg-1")
    assert result.get_text(strip=True) == "Noch nicht richtig"
    box = result.find_parent(class_="result")
    assert box is not None, "the result has no enclosing .result box"
    assert box["role"] == "status"
    chosen = box.find("li", class_="is-chosen")
    assert chosen is not None and chosen.find(class_="feedback") is not None
    assert box.find(class_="explanation") is not None
    right = await answer(client, "eisberg-fragen", "eisberg-1", {"eisberg-1": "2"})
    assert right.status_code == 303
    page = soup(await client.get(f"/courses/{COURSE}/pages/eisberg-fragen"))
    assert tag(page, id="result-eisberg-1").get_text(strip=True) == "Richtig"
    # The previous choice stays selected in the form for the next try.
    assert tag(page, "input", attrs={"name": "eisberg-1", "value": "2"}).has_attr("checked")
    stored = await services.db.fetchall(
        "SELECT correct FROM answers WHERE user_id = ? AND question_id = 'eisberg-1' ORDER BY id",
        (user.id,),
    )
    assert [r["correct"] for r in stored] == [0, 1]


async def test_form_contract_for_every_graded_type(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    user = await login_as("learner")
    await enrol(client)
    cases: list[tuple[str, str, dict[str, str | list[str]]]] = [
        ("eisberg-fragen", "eisberg-2", {"eisberg-2": ["1", "2"]}),
        ("zeit", "zwiebel-1", {"zwiebel-1": "1"}),
        ("zeit", "hall-1", {"hall-1": "  Polychrone   ZEIT "}),
        ("stufen", "dmis-1", {"dmis-1.1": "3", "dmis-1.2": "1", "dmis-1.3": "2"}),
        ("stufen", "zwiebel-2", {"zwiebel-2.1": "1", "zwiebel-2.2": "2", "zwiebel-2.3": "3"}),
    ]
    for page_id, question, data in cases:
        response = await answer(client, page_id, question, data)
        assert response.status_code == 303, question
    rows = await services.db.fetchall(
        "SELECT question_id, correct FROM answers WHERE user_id = ?", (user.id,)
    )
    assert {r["question_id"]: r["correct"] for r in rows} == {
        "eisberg-2": 1,
        "zwiebel-1": 1,
        "hall-1": 1,
        "dmis-1": 1,
        "zwiebel-2": 1,
    }


async def test_invalid_answer_gets_german_message_and_stores_nothing(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    await login_as("learner")
    await enrol(client)
    response = await answer(client, "eisberg-fragen", "eisberg-1", {"eisberg-1": "99"})
    assert response.status_code == 303
    page = soup(await client.get(response.headers["location"].split("#")[0]))
    flash = page.find(class_="flash-error")
    assert flash is not None and "Ungültige Auswahl" in flash.get_text()
    assert await services.db.scalar("SELECT count(*) FROM answers") == 0


async def test_reflection_is_private_editable_and_on_notes_page(
    app: Starlette, client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    await login_as("learner")
    await enrol(client)
    await answer(client, "stufen", "eigene-praegung", {"eigene-praegung": "Erste Gedanken"})
    await answer(client, "stufen", "eigene-praegung", {"eigene-praegung": "Überarbeitet <b>"})
    page = soup(await client.get(f"/courses/{COURSE}/pages/stufen"))
    assert tag(page, "textarea", attrs={"name": "eigene-praegung"}).get_text() == "Überarbeitet <b>"
    notes = soup(await client.get("/notizen"))
    texts = [q.get_text() for q in notes.find_all("blockquote", class_="note-text")]
    assert texts == ["Überarbeitet <b>"]
    async with new_client(app) as other_client:
        other = await log_in_new(app, other_client)
        assert other
        notes_b = soup(await other_client.get("/notizen"))
        assert notes_b.find("blockquote", class_="note-text") is None


async def log_in_new(app: Starlette, client: httpx.AsyncClient) -> bool:
    services: Services = app.state.services
    from learning.store import users

    password_hash = await services.hasher.hash("ein langes Testpasswort")
    async with services.db.transaction() as tx:
        await users.insert_user(
            tx,
            email="b@example.org",
            name="B",
            role="learner",
            now=services.clock(),
            password_hash=password_hash,
        )
    return (await log_in(client, "b@example.org")).status_code == 303


async def test_scenario_step_by_step_path_and_replay(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    user = await login_as("learner")
    await enrol(client)
    url = f"/courses/{COURSE}/pages/fall"
    page = soup(await client.get(url))
    step_field = tag(page, "input", attrs={"name": "step"})
    assert step_field["value"] == "start"
    token = await csrf_for(client, url)
    first = await client.post(
        f"{url}/scenario/fall-anerkennung",
        data={"step": "start", "fall-anerkennung": "2", "csrf_token": token},
    )
    assert first.status_code == 303
    page = soup(await client.get(url))
    path = page.find("ol", class_="scenario-path")
    assert path is not None and len(path.find_all("li", recursive=False)) == 1
    current = page.find("input", attrs={"name": "step"})
    assert current is not None and current["value"] != "start"
    # A stale form for the first step does not move the run.
    stale = await client.post(
        f"{url}/scenario/fall-anerkennung",
        data={"step": "start", "fall-anerkennung": "1", "csrf_token": token},
    )
    assert stale.status_code == 303
    runs = await services.db.fetchall(
        "SELECT path FROM scenario_runs WHERE user_id = ?", (user.id,)
    )
    assert len(json.loads(runs[0]["path"])) == 1
    restart = await client.post(
        f"{url}/scenario/fall-anerkennung", data={"restart": "1", "csrf_token": token}
    )
    assert restart.status_code == 303
    page = soup(await client.get(url))
    assert tag(page, "input", attrs={"name": "step"})["value"] == "start"
    assert await services.db.scalar("SELECT count(*) FROM scenario_runs") == 2


async def test_final_test_fail_then_pass_completes_course_once(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    user = await login_as("learner", name="Lea Lernend")
    await enrol(client)
    first = await start_test(client)
    failed = await submit_test(client, first, WRONG_TEST_ANSWERS)
    assert failed.status_code == 303
    result = soup(await client.get(failed.headers["location"].split("#")[0]))
    assert tag(result, "h1").get_text(strip=True).startswith("Nicht bestanden")
    second = await start_test(client)
    assert second != first
    passed = await submit_test(client, second, RIGHT_TEST_ANSWERS)
    result = soup(await client.get(passed.headers["location"].split("#")[0]))
    assert tag(result, "h1").get_text(strip=True).startswith("Bestanden")
    # Test passed, but pages are not all seen: not complete yet.
    assert await services.db.scalar("SELECT count(*) FROM completions") == 0
    await read_all_pages(client)
    rows = await services.db.fetchall("SELECT * FROM completions WHERE user_id = ?", (user.id,))
    assert len(rows) == 1
    course = services.catalog.get(COURSE) if services.catalog else None
    assert course is not None and rows[0]["content_hash"] == course.content_hash
    await read_all_pages(client)  # more views never add a second completion
    assert await services.db.scalar("SELECT count(*) FROM completions") == 1
    assert await services.db.scalar("SELECT count(*) FROM certificates") == 1
    overview = soup(await client.get(f"/courses/{COURSE}"))
    assert overview.find("h2", string="Kurs abgeschlossen") is not None


async def test_double_submit_never_creates_second_result(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    await login_as("learner")
    await enrol(client)
    attempt = await start_test(client)
    token = await csrf_for(client, f"/courses/{COURSE}/test/{attempt}")
    url = f"/courses/{COURSE}/test/{attempt}"
    first = await client.post(url, data={**RIGHT_TEST_ANSWERS, "csrf_token": token})
    again = await client.post(url, data={**WRONG_TEST_ANSWERS, "csrf_token": token})
    assert first.status_code == again.status_code == 303
    row = await services.db.fetchone(
        "SELECT score, passed FROM test_attempts WHERE id = ?", (attempt,)
    )
    assert row is not None and row["score"] == 100.0 and row["passed"] == 1
    assert await services.db.scalar("SELECT count(*) FROM test_attempts") == 1
    assert await services.db.scalar("SELECT count(*) FROM test_answers") == 3


async def test_attempt_limit(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    await login_as("learner")
    await enrol(client)
    for _ in range(3):
        attempt = await start_test(client)
        await submit_test(client, attempt, WRONG_TEST_ANSWERS)
    token = await csrf_for(client, f"/courses/{COURSE}/test")
    response = await client.post(f"/courses/{COURSE}/test/start", data={"csrf_token": token})
    assert response.headers["location"] == f"/courses/{COURSE}/test"
    assert await services.db.scalar("SELECT count(*) FROM test_attempts") == 3
    intro = soup(await client.get(f"/courses/{COURSE}/test"))
    assert intro.find("button", string="Neuen Versuch starten") is None


async def test_shuffle_is_stable_within_attempt(
    client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    await login_as("learner")
    await enrol(client)
    attempt = await start_test(client)
    url = f"/courses/{COURSE}/test/{attempt}"

    def order(response: httpx.Response) -> list[str]:
        return [
            attr(i, "value") for i in soup(response).find_all("input", attrs={"name": "test-1"})
        ]

    first = order(await client.get(url))
    assert sorted(first) == [str(n) for n in range(1, len(first) + 1)] and len(first) >= 2
    assert order(await client.get(url)) == first
    # Every field of the test posts in one form.
    form = tag(soup(await client.get(url)), "form", class_="test-form")
    names = {el["name"] for el in form.find_all(["input", "select"]) if el.get("name")}
    assert {"test-1", "test-2", "test-3", "csrf_token"} <= names


async def test_attempt_is_graded_against_the_version_it_started_on(
    client: httpx.AsyncClient,
    login_as: LoginAs,
    services: Services,
    editable_catalog: tuple[Catalog, Path],
) -> None:
    catalog, root = editable_catalog
    await login_as("learner")
    await enrol(client)
    attempt = await start_test(client)
    test_file = root / "fixture-kurs" / "90-abschlusstest.md"
    text = test_file.read_text(encoding="utf-8")
    # The trainer changes the accepted answer of test-3 while the attempt is open.
    edited = text.replace("[x] Verleugnung", "[x] Leugnung").replace(
        "[ ] Leugnung", "[ ] Verleugnung"
    )
    assert edited != text
    test_file.write_text(edited, encoding="utf-8")
    result = catalog.reload("fixture-kurs")
    assert result.ok, result.errors
    response = await submit_test(client, attempt, RIGHT_TEST_ANSWERS)
    assert response.status_code == 303
    row = await services.db.fetchone("SELECT score, content_hash FROM test_attempts")
    assert row is not None and row["score"] == 100.0
    assert row["content_hash"] != catalog.get("fixture-kurs").content_hash  # type: ignore[union-attr]


async def test_other_learner_gets_404_on_attempts(
    app: Starlette, client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    await login_as("learner")
    await enrol(client)
    attempt = await start_test(client)
    await submit_test(client, attempt, RIGHT_TEST_ANSWERS)
    async with new_client(app) as other:
        assert await log_in_new(app, other)
        await enrol(other)
        for url in (
            f"/courses/{COURSE}/test/{attempt}",
            f"/courses/{COURSE}/test/{attempt}/ergebnis",
        ):
            assert (await other.get(url)).status_code == 404, url
        token = await csrf_for(other, f"/courses/{COURSE}/test")
        post = await other.post(
            f"/courses/{COURSE}/test/{attempt}", data={**WRONG_TEST_ANSWERS, "csrf_token": token}
        )
        assert post.status_code == 404
        assert (await other.get(f"/courses/{COURSE}/zertifikat")).status_code == 404


async def test_certificate_pdf_and_public_verification(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    await login_as("learner", name="Jürgen Öztürk-Weiß")
    await enrol(client)
    await read_all_pages(client)
    attempt = await start_test(client)
    await submit_test(client, attempt, RIGHT_TEST_ANSWERS)
    pdf = await client.get(f"/courses/{COURSE}/zertifikat")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert f"/Author ({services.settings.org_name})".encode() in pdf.content, "the issuer"
    code = await services.db.scalar("SELECT code FROM certificates")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=client._transport.app),  # type: ignore[attr-defined]
        base_url="http://testserver",
    ) as anonymous:
        page = soup(await anonymous.get(f"/verify/{code}"))
        facts = [dd.get_text(strip=True) for dd in tag(page, "dl").find_all("dd")]
        assert facts[0] == "Jürgen Öztürk-Weiß" and facts[1] == "Fixture-Kurs"
        assert len(facts) == 3  # name, course, date: nothing else
        missing = await anonymous.get("/verify/AAAA-BBBB-CCCC")
        assert missing.status_code == 404
        # Typed as people type it from paper: lower case, spaces, no hyphens.
        typed = code.lower().replace("-", " ", 1).replace("-", "")
        form = await anonymous.get("/verify", params={"code": typed})
        assert form.status_code == 303 and form.headers["location"] == f"/verify/{code}"
        direct = soup(await anonymous.get(f"/verify/{code.replace('-', '').lower()}"))
        assert "Dieses Zertifikat ist echt." in direct.get_text()


async def test_changed_pages_shown_after_completion_without_revoking(
    client: httpx.AsyncClient,
    login_as: LoginAs,
    services: Services,
    editable_catalog: tuple[Catalog, Path],
) -> None:
    catalog, root = editable_catalog
    await login_as("learner")
    await enrol(client)
    await read_all_pages(client)
    await submit_test(client, await start_test(client), RIGHT_TEST_ANSWERS)
    assert await services.db.scalar("SELECT count(*) FROM completions") == 1
    lesson = next((root / "fixture-kurs").glob("01-*.md"))
    lesson.write_text(
        lesson.read_text(encoding="utf-8") + "\nEin neuer Absatz.\n", encoding="utf-8"
    )
    assert catalog.reload("fixture-kurs").ok
    page = soup(await client.get(f"/courses/{COURSE}"))
    heading = page.find("h3", string="Seit Ihrem Abschluss geändert")
    assert heading is not None
    changes = heading.find_next("ul")
    assert changes is not None, "no list follows the heading"
    changed = [a.get_text() for a in changes.find_all("a")]
    assert changed == ["Das Eisbergmodell"] or len(changed) == 1
    assert page.find("h2", string="Kurs abgeschlossen") is not None
    assert await services.db.scalar("SELECT count(*) FROM completions") == 1


async def test_my_progress_and_data_export(client: httpx.AsyncClient, login_as: LoginAs) -> None:
    user = await login_as("learner")
    await enrol(client)
    await client.get(f"/courses/{COURSE}/pages/was-ist-kultur")
    await answer(client, "stufen", "eigene-praegung", {"eigene-praegung": "Meine Notiz"})
    page = soup(await client.get("/lernstand"))
    assert tag(page, "h2").get_text(strip=True) == "Fixture-Kurs"
    export = await client.get("/lernstand/export.json")
    data = export.json()
    assert data["account"]["email"] == user.email
    assert [e["course_id"] for e in data["enrolments"]] == [COURSE]
    assert data["reflections"][0]["text"] == "Meine Notiz"
    assert {v["page_id"] for v in data["page_views"]} == {"was-ist-kultur", "stufen"}


async def test_every_post_form_on_learner_pages_carries_a_valid_token(
    client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    await login_as("learner")
    await enrol(client)
    attempt = await start_test(client)
    paths = [
        "/",
        f"/courses/{COURSE}",
        *(f"/courses/{COURSE}/pages/{p}" for p in ("eisberg-fragen", "zeit", "stufen", "fall")),
        f"/courses/{COURSE}/test",
        f"/courses/{COURSE}/test/{attempt}",
    ]
    expected = await csrf_for(client, "/")
    for path in paths:
        forms = soup(await client.get(path)).find_all("form", method="post")
        assert forms, path
        for form in forms:
            token = form.find("input", attrs={"name": "csrf_token"})
            assert token is not None and token["value"] == expected, (path, form.get("action"))


BUNDLED_COURSES = Path(__file__).resolve().parents[2] / "courses"


async def test_overview_shows_its_opening_section_once(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    # The bundled courses open their overview with their own "## Worum es ..." heading.
    catalog = Catalog(BUNDLED_COURSES)
    catalog.load()
    services.catalog = catalog
    await login_as("learner")
    for course_id in ("alles-nur-kultur", "kultursensible-beratung"):
        page = soup(await client.get(f"/courses/{course_id}"))
        headings = [h.get_text(strip=True) for h in page.find_all("h2")]
        opening = [h for h in headings if h.startswith("Worum es")]
        assert len(opening) == 1, (course_id, headings)
