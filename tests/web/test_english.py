"""English mode: the UI speaks English, the German course content says it is German."""

from __future__ import annotations

import httpx
import pytest
from bs4 import BeautifulSoup

from learning.core.config import Settings
from learning.web.cookies import LANG_COOKIE
from learning.web.services import Services
from tests.admin_support import install_catalog, seed_known
from tests.conftest import CreateUser, LoginAs, attr, csrf_for, select_tag, soup, tag
from tests.web.learner_flow import COURSE, answer, enrol


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # Named reports, so the report page shows the learner table with its statuses.
    return settings.with_overrides(reports="named")


@pytest.fixture
def english(client: httpx.AsyncClient) -> httpx.AsyncClient:
    client.cookies.set(LANG_COOKIE, "en")
    return client


async def _lesson_page(client: httpx.AsyncClient, login_as: LoginAs, page_id: str) -> BeautifulSoup:
    await login_as("learner")
    await enrol(client)
    return soup(await client.get(f"/courses/{COURSE}/pages/{page_id}"))


async def test_lesson_content_is_marked_german_with_a_note(
    english: httpx.AsyncClient, login_as: LoginAs
) -> None:
    page = await _lesson_page(english, login_as, "was-ist-kultur")
    assert attr(tag(page, "html"), "lang") == "en"
    title = tag(page, "h1", id="page-title")
    assert [span["lang"] for span in title.find_all("span")] == ["de"]
    assert tag(page, "p", class_="content-note").get_text() == "The course content is in German."
    prose = page.select(".lesson-main .prose")
    assert prose and all(block.find(lang="de") for block in prose)


async def test_questions_mark_their_text_german_but_not_the_ui(
    english: httpx.AsyncClient, login_as: LoginAs
) -> None:
    page = await _lesson_page(english, login_as, "eisberg-fragen")
    question = page.select_one("section.question")
    assert question is not None
    # The question's own heading is English UI; its stem is German content.
    heading = tag(question, "h2")
    assert heading.get("lang") is None and heading.find(lang=True) is None
    assert question.select_one(".stem [lang=de], legend [lang=de]") is not None
    labels = question.select("label")
    assert labels and all(label.find("span", lang="de") for label in labels)


async def test_german_mode_adds_no_language_marks(
    client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    page = await _lesson_page(client, login_as, "was-ist-kultur")
    assert page.select_one(".content-note") is None
    assert page.select("main [lang=de]") == []


async def test_course_overview_and_catalogue_mark_titles(
    english: httpx.AsyncClient, login_as: LoginAs
) -> None:
    await login_as("learner")
    overview = soup(await english.get(f"/courses/{COURSE}"))
    assert tag(overview, "h1").find("span", lang="de") is not None
    assert overview.select_one(".content-note") is not None
    catalogue = soup(await english.get("/"))
    heading = tag(catalogue, "h2", id=f"course-{COURSE}")
    assert heading.find("span", lang="de") is not None


@pytest.mark.parametrize(
    ("path", "title", "text"),
    [
        ("/barrierefreiheit", "Accessibility statement", "Compliance status"),
        ("/datenschutz", "Privacy", "What is stored"),
        ("/leichte-sprache", "Information in Easy Read", "What is this?"),
    ],
)
async def test_information_pages_have_english_versions(
    english: httpx.AsyncClient, path: str, title: str, text: str
) -> None:
    page = soup(await english.get(path))
    assert tag(page, "h1").get_text(strip=True) == title
    assert text in [h.get_text(strip=True) for h in page.find_all("h2")]
    footer = [a.get_text(strip=True) for a in page.select("footer a")]
    assert "Easy Read" in footer and "Leichte Sprache" not in footer


async def test_import_errors_are_english(english: httpx.AsyncClient, login_as: LoginAs) -> None:
    await login_as("admin")
    token = await csrf_for(english, "/admin/import")
    csv = b"email,name,role\nnot-an-address,Ann,boss\n"
    response = await english.post(
        "/admin/import", data={"csrf_token": token}, files={"file": ("u.csv", csv, "text/csv")}
    )
    cells = [td.get_text(strip=True) for td in soup(response).select("#import-errors td")]
    assert cells == [
        "Invalid e-mail address: “not-an-address”.",
        "Unknown role “boss”: allowed are Lernende, Trainer/in and Admin (or learner, trainer, admin).",
    ]


async def test_an_answer_error_is_english(english: httpx.AsyncClient, login_as: LoginAs) -> None:
    await login_as("learner")
    await enrol(english)
    response = await answer(english, "eisberg-fragen", "eisberg-1", {"eisberg-1": "99"})
    if response.is_redirect:
        response = await english.get(response.headers["location"])
    shown = [
        p.get_text(strip=True) for p in soup(response).select(".field-error, .error-summary a")
    ]
    assert [text for text in shown if "Invalid choice: 99 (allowed 1 to" in text], shown


async def test_a_flash_with_values_survives_the_redirect_in_english(
    english: httpx.AsyncClient, login_as: LoginAs, create_user: CreateUser
) -> None:
    await login_as("admin")
    other = await create_user("learner")
    token = await csrf_for(english, f"/admin/users/{other.id}")
    response = await english.post(f"/admin/users/{other.id}/disable", data={"csrf_token": token})
    page = soup(await english.get(response.headers["location"]))
    assert "The account is disabled; all its sessions have ended." in [
        p.get_text(strip=True) for p in page.select(".flash")
    ]


async def test_report_headers_sort_options_and_statuses_are_english(
    english: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    install_catalog(services)
    await seed_known(services.db)
    await login_as("admin")
    page = soup(await english.get("/admin/reports/kurs-a?sort=nope&from=gestern"))
    learners = select_tag(page, "#learner-table")
    headers = [th.get_text(" ", strip=True) for th in learners.select("thead th")]
    assert "Progress %" in headers[4] and "Last activity" in headers[6], headers
    sort = [o.get_text(strip=True) for o in page.select("select#sort option")]
    assert "Last activity" in sort and "Letzte Aktivität" not in sort
    statuses = {row.select("td")[2].get_text(strip=True) for row in learners.select("tbody tr")}
    assert statuses <= {"not started", "started", "completed"} and statuses
    errors = [li.get_text(strip=True) for li in page.select(".error-summary li")]
    assert errors == ["“Last activity from” is not a valid date (YYYY-MM-DD)."]


async def test_exports_have_english_headers_and_statuses_in_english_mode(
    english: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    install_catalog(services)
    await seed_known(services.db)
    await login_as("admin")
    response = await english.get("/admin/reports/kurs-a/export", params={"format": "csv"})
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").splitlines()
    header = lines[0].split(";")
    assert header[:4] == ["Name", "Email", "Group", "Status"], header
    assert "Progress %" in header and "Fortschritt %" not in header
    statuses = {line.split(";")[3] for line in lines[1:] if line.count(";") > 4}
    assert statuses and statuses <= {"not started", "started", "completed"}, statuses
    audit = await english.get("/admin/audit/export")
    assert audit.content.decode("utf-8-sig").splitlines()[0].startswith("Time")


async def test_exports_stay_german_in_german_mode(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    install_catalog(services)
    await seed_known(services.db)
    await login_as("admin")
    response = await client.get("/admin/reports/kurs-a/export", params={"format": "csv"})
    header = response.content.decode("utf-8-sig").splitlines()[0].split(";")
    assert header[:4] == ["Name", "E-Mail", "Gruppe", "Status"], header
