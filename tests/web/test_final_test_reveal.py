"""The result page never shows correct answers before the course's reveal policy allows."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup

from learning.content.catalog import Catalog
from learning.web.services import Services
from tests.conftest import LoginAs, tag
from tests.helpers import FIXTURE_COURSES
from tests.web.learner_flow import (
    COURSE,
    RIGHT_TEST_ANSWERS,
    WRONG_TEST_ANSWERS,
    enrol,
    start_test,
    submit_test,
)

# Text only the answer key and its feedback carry (fixture-kurs/90-abschlusstest.md).
KEY_TEXTS = ("Das Eisbergmodell.", "So definiert es Hall.", "Richtig.", "Doch.")


def _with_reveal(services: Services, tmp_path: Path, reveal: str | None) -> None:
    root = tmp_path / "courses"
    shutil.copytree(FIXTURE_COURSES, root)
    if reveal is not None:
        course_md = root / "fixture-kurs" / "course.md"
        text = course_md.read_text(encoding="utf-8")
        course_md.write_text(text.replace("open: true\n", f"open: true\nreveal: {reveal}\n"))
    catalog = Catalog(root)
    catalog.load()
    services.catalog = catalog


async def _result_html(client: httpx.AsyncClient, attempt: int) -> str:
    response = await client.get(f"/courses/{COURSE}/test/{attempt}/ergebnis")
    assert response.status_code == 200
    return response.text


def _shows_key(html: str) -> bool:
    page = BeautifulSoup(html, "html.parser")
    return page.find(class_="result-list") is not None or any(t in html for t in KEY_TEXTS)


async def test_failed_attempt_shows_no_correct_answer_not_even_in_the_source(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services, tmp_path: Path
) -> None:
    _with_reveal(services, tmp_path, None)  # the default: after passing or the last attempt
    await login_as("learner")
    await enrol(client)
    first = await start_test(client)
    await submit_test(client, first, {"test-1": "2", "test-2": "1", "confirm": "1"})
    html = await _result_html(client, first)
    assert not _shows_key(html)
    page = BeautifulSoup(html, "html.parser")
    missed = tag(page, "ul", class_="missed-topics").get_text(" ", strip=True)
    assert "Abschlusstest: 2 von 3 Fragen nicht richtig" in missed
    links = [a["href"] for a in tag(page, "ul", class_="reread").find_all("a")]
    assert links == [f"/courses/{COURSE}/pages/was-ist-kultur", f"/courses/{COURSE}/pages/stufen"]
    second = await start_test(client)
    assert second != first
    assert not _shows_key(await _result_html(client, first))
    # Passing reveals the answers, on every attempt's page.
    await submit_test(client, second, RIGHT_TEST_ANSWERS)
    assert _shows_key(await _result_html(client, first))
    assert _shows_key(await _result_html(client, second))


async def test_default_reveals_after_the_last_attempt(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services, tmp_path: Path
) -> None:
    _with_reveal(services, tmp_path, None)
    await login_as("learner")
    await enrol(client)
    tries = []
    for _ in range(3):
        tries.append(await start_test(client))
        await submit_test(client, tries[-1], WRONG_TEST_ANSWERS)
        if len(tries) < 3:
            assert not _shows_key(await _result_html(client, tries[-1]))
    assert _shows_key(await _result_html(client, tries[-1]))


@pytest.mark.parametrize(
    ("reveal", "after_fail", "after_pass"),
    [
        ("after_attempt", True, True),
        ("after_pass", False, True),
        ("after_last_attempt", False, False),
    ],
)
async def test_each_policy(
    client: httpx.AsyncClient,
    login_as: LoginAs,
    services: Services,
    tmp_path: Path,
    reveal: str,
    after_fail: bool,
    after_pass: bool,
) -> None:
    _with_reveal(services, tmp_path, reveal)
    await login_as("learner")
    await enrol(client)
    first = await start_test(client)
    await submit_test(client, first, WRONG_TEST_ANSWERS)
    assert _shows_key(await _result_html(client, first)) is after_fail
    second = await start_test(client)
    await submit_test(client, second, RIGHT_TEST_ANSWERS)
    assert _shows_key(await _result_html(client, second)) is after_pass


async def test_reread_links_only_the_lessons_the_trainer_named_for_the_missed_group(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services, tmp_path: Path
) -> None:
    root = tmp_path / "courses"
    shutil.copytree(FIXTURE_COURSES, root)
    test_md = root / "fixture-kurs" / "90-abschlusstest.md"
    text = test_md.read_text(encoding="utf-8")
    test_md.write_text(text.replace("kind: test\n", "kind: test\nreread:\n  test: praxis\n"))
    catalog = Catalog(root)
    catalog.load()
    assert catalog.get(COURSE) is not None, catalog.results
    services.catalog = catalog
    await login_as("learner")
    await enrol(client)
    attempt = await start_test(client)
    await submit_test(client, attempt, {"test-1": "2", "test-2": "1", "confirm": "1"})
    page = BeautifulSoup(await _result_html(client, attempt), "html.parser")
    links = [a["href"] for a in tag(page, "ul", class_="reread").find_all("a")]
    # Only "praxis" (whose first page is "stufen"), not every lesson of the course.
    assert links == [f"/courses/{COURSE}/pages/stufen"]
