"""Trainer pages: compile status, preview without progress, orphans, item analysis."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from learning.core.config import Settings
from learning.web.services import Services
from tests.admin_support import (
    FakeDiagnostic,
    FakeResult,
    assign_trainer,
    install_catalog,
    make_course,
    seed_known,
)
from tests.conftest import CreateUser, LoginAs, csrf_from, log_in, new_client, select_tag, soup, tag
from tests.content.test_item_checks import ALL_OF
from tests.helpers import compile_files, line_no
from tests.helpers import page as lesson_page


async def test_course_list_shows_errors_and_the_live_note(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    catalog = install_catalog(services)
    course = catalog.course_list[0]
    catalog.diags["kurs-a"] = FakeResult(
        None,
        errors=(FakeDiagnostic("kurs-a/01-start.md", 12, "E201", "Frage ohne richtige Antwort"),),
        warnings=(
            FakeDiagnostic("kurs-a/02.md", 3, "W100", "<b>Bild</b> ohne Alternativtext", "warning"),
        ),
    )
    catalog.broken["neu"] = FakeResult(
        None, errors=(FakeDiagnostic("neu/course.md", 1, "E100", "id fehlt"),)
    )
    await login_as("trainer")
    page = soup(await client.get("/trainer"))
    sections = page.select("section.course-status")
    assert tag(sections[0], "h2").get_text(strip=True) == course.title
    errors = [li.get_text(" ", strip=True) for li in sections[0].select(".diagnostics-error li")]
    assert errors == ["kurs-a/01-start.md:12 E201 Frage ohne richtige Antwort"]
    assert (
        "letzte fehlerfreie Fassung bleibt online"
        in select_tag(sections[0], ".live-note").get_text()
    )
    assert sections[0].select_one(".diagnostics-warning b") is None, "messages are escaped"
    assert tag(sections[1], "h2").get_text(strip=True) == "neu"
    assert "nicht online" in select_tag(sections[1], ".live-note").get_text()


async def test_preview_renders_the_page_and_records_nothing(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    """With the real compiled fixture course and the learner's page template."""
    await login_as("trainer")
    assert services.catalog is not None
    course = services.catalog.get("fixture-kurs")
    assert course is not None and course.test is not None
    page = course.content_pages[1]
    response = await client.get(f"/trainer/fixture-kurs/preview/{page.id}")
    assert response.status_code == 200, page.id
    html = soup(response)
    assert tag(html, "h1").get_text() == page.title
    assert "Vorschau" in select_tag(html, "p.notice").get_text()
    # A test page is never shown alone to learners: its preview is the whole test.
    part = course.test.pages[0]
    moved = await client.get(f"/trainer/fixture-kurs/preview/{part.id}")
    assert moved.status_code == 303
    assert moved.headers["location"] == f"/trainer/fixture-kurs/abschlusstest#teil-{part.id}"
    whole = await client.get("/trainer/fixture-kurs/abschlusstest")
    assert "Vorschau" in select_tag(soup(whole), "p.notice").get_text()
    assert await services.db.scalar("SELECT count(*) FROM page_views") == 0
    session = await services.db.fetchone("SELECT last_page_id FROM sessions")
    assert session is not None
    assert session["last_page_id"] is None
    assert (await client.get("/trainer/fixture-kurs/preview/nope")).status_code == 404
    assert (await client.get("/trainer/nope/preview/p1")).status_code == 404


async def test_real_catalog_course_list_and_items(
    client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    await login_as("admin")
    page = soup(await client.get("/trainer"))
    titles = [h2.get_text(strip=True) for h2 in page.select("section.course-status h2")]
    assert "Fixture-Kurs" in titles
    assert (await client.get("/trainer/fixture-kurs")).status_code == 200
    assert (await client.get("/trainer/fixture-kurs/items")).status_code == 200
    assert (await client.get("/admin/reports/fixture-kurs")).status_code == 200


async def test_course_page_lists_orphaned_ids(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    install_catalog(services)
    await seed_known(services.db)
    await login_as("trainer")
    page = soup(await client.get("/trainer/kurs-a"))
    rows = [
        [c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])]
        for tr in page.select("#orphan-table tbody tr")
    ]
    assert rows == [["Seite", "old-page", "1"], ["Frage", "old-q", "1"]]
    links = [a["href"] for a in page.select(".page-list a")]
    assert "/trainer/kurs-a/preview/p1" in links


async def test_item_analysis_shows_figures_and_flags(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    install_catalog(services)
    await seed_known(services.db)
    await login_as("admin")
    page = soup(await client.get("/trainer/kurs-a/items"))
    sections = page.select("section.item")
    items = {str(s["data-question"]): s for s in sections}
    assert list(items) == ["t-q1", "t-q2", "t-q3"], "5 learners reach the minimum of 5"
    assert [tag(s, "h2").get_text(strip=True) for s in sections] == [
        "Frage 1: Test",
        "Frage 2: Test",
        "Frage 3: Test",
    ]
    q1 = {dd["data-key"]: dd.get_text(strip=True) for dd in items["t-q1"].select("dd")}
    assert q1 == {"n": "6", "facility": "50", "discrimination": "1"}
    options = [
        [c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])]
        for tr in items["t-q1"].select("table.chosen tbody tr")
    ]
    assert options == [
        ["Werte", "✓ richtig", "3"],
        ["Kleidung", "✗ falsch", "2"],
        ["Essen", "✗ falsch", "1"],
    ]
    solution = select_tag(items["t-q1"], ".solution").get_text(" ", strip=True)
    assert solution == "Richtige Antwort: Werte"
    overview = [
        [c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])]
        for tr in page.select("#items-overview tbody tr")
    ]
    assert [row[0] for row in overview] == ["Frage 1", "Frage 2", "Frage 3"]
    assert overview[0][2] == "50" and overview[2][4] == "2"
    flags = [li.get_text() for li in items["t-q3"].select(".flags li")]
    assert "wird von 100% falsch beantwortet: Formulierung prüfen" in flags
    assert "trennt nicht zwischen starken und schwachen Teilnehmenden" in flags


class TestSmallGroups:
    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        return settings.with_overrides(min_group=6)

    async def test_items_hidden_below_the_minimum(
        self, client: httpx.AsyncClient, login_as: LoginAs, services: Services
    ) -> None:
        install_catalog(services, make_course())
        await seed_known(services.db)
        trainer = await login_as("trainer")
        await assign_trainer(services.db, trainer.id)
        page = soup(await client.get("/trainer/kurs-a/items"))
        assert page.select("section.item") == []
        assert "3 Fragen" in select_tag(page, "#items-hidden").get_text()


async def test_an_admin_retires_a_course_at_once_and_can_offer_it_again(
    app: Starlette,
    client: httpx.AsyncClient,
    login_as: LoginAs,
    create_user: CreateUser,
    services: Services,
) -> None:
    learner = (await create_user("learner")).email
    admin = await login_as("admin")
    page = await client.get("/trainer/fixture-kurs")
    form = soup(page).find("form", action="/admin/courses/fixture-kurs/retire")
    assert form is not None, "the admin is offered the retire button"
    response = await client.post(
        "/admin/courses/fixture-kurs/retire", data={"csrf_token": csrf_from(page)}
    )
    assert response.status_code == 303
    async with new_client(app) as other:
        assert (await log_in(other, learner)).status_code == 303
        catalogue = soup(await other.get("/"))
        assert catalogue.find("a", href="/courses/fixture-kurs") is None
    note = soup(await client.get("/trainer")).select_one(".retired-note")
    assert note is not None and "Ausgemustert am" in note.get_text()
    rows = await services.db.fetchall(
        "SELECT actor_id, action, target_id FROM audit_log WHERE action LIKE 'course.%'"
    )
    assert [tuple(r) for r in rows] == [(admin.id, "course.retire", "fixture-kurs")]
    page = await client.get("/trainer/fixture-kurs")
    response = await client.post(
        "/admin/courses/fixture-kurs/reinstate", data={"csrf_token": csrf_from(page)}
    )
    assert response.status_code == 303
    async with new_client(app) as other:
        assert (await log_in(other, learner)).status_code == 303
        catalogue = soup(await other.get("/"))
        assert catalogue.find("a", href="/courses/fixture-kurs") is not None


async def test_a_trainer_is_not_offered_the_retire_button(
    client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    await login_as("trainer")
    page = soup(await client.get("/trainer/fixture-kurs"))
    assert page.find("form", action="/admin/courses/fixture-kurs/retire") is None


async def test_course_list_shows_item_check_warnings_from_the_compiler(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services, tmp_path: Path
) -> None:
    text = lesson_page(ALL_OF)
    compiled = compile_files(tmp_path, {"01-a.md": text})
    catalog = install_catalog(services)
    catalog.diags["kurs-a"] = FakeResult(
        catalog.course_list[0],
        warnings=tuple(
            FakeDiagnostic(d.path, d.line, d.code, d.message, d.severity) for d in compiled.warnings
        ),
    )
    await login_as("trainer")
    section = soup(await client.get("/trainer")).select("section.course-status")[0]
    warnings = [li.get_text(" ", strip=True) for li in section.select(".diagnostics-warning li")]
    where = f"courses/k/01-a.md:{line_no(text, '{#alle}')} W504"
    assert any(w.startswith(where) and "Alle genannten" in w for w in warnings), warnings
