"""The trainer's preview of the final test shows it as a learner's attempt does."""

from __future__ import annotations

from pathlib import Path

import httpx
from starlette.applications import Starlette

from learning.web.services import Services
from tests.admin_support import FakeCatalog
from tests.conftest import CreateUser, LoginAs, log_in, new_client, select_tag, soup, tag
from tests.helpers import TEST_MD, compile_files
from tests.web.learner_flow import enrol, read_all_pages, start_test


def _outline(page: httpx.Response) -> list[tuple[str, list[str]]]:
    """(part title, question ids) per section of the test form."""
    form = select_tag(soup(page), "form.test-form")
    return [
        (
            tag(section, "h2").get_text(strip=True),
            [str(q["id"]) for q in section.select(".question")],
        )
        for section in form.find_all("section")
    ]


async def test_the_preview_has_the_learners_parts_numbering_and_count(
    app: Starlette,
    client: httpx.AsyncClient,
    login_as: LoginAs,
    create_user: CreateUser,
    services: Services,
) -> None:
    assert services.catalog is not None
    course = services.catalog.get("fixture-kurs")
    assert course is not None and course.test is not None
    learner_email = (await create_user("learner")).email
    async with new_client(app) as other:
        assert (await log_in(other, learner_email)).status_code == 303
        await enrol(other)
        await read_all_pages(other)
        attempt = await start_test(other)
        learner = _outline(await other.get(f"/courses/fixture-kurs/test/{attempt}"))
    await login_as("trainer")
    preview = await client.get("/trainer/fixture-kurs/abschlusstest")
    assert preview.status_code == 200
    html = soup(preview)
    assert tag(html, "h1").get_text() == course.test.title
    shown = _outline(preview)
    # The same parts with the same questions in the same order, in one form.
    assert shown == learner and len(shown) >= 1
    assert len(html.select("form.test-form")) == 1
    assert all(i.has_attr("disabled") for i in html.select("form.test-form input"))
    assert html.select("form.test-form button") == [], "nothing to submit"
    assert (
        await services.db.scalar(
            "SELECT count(*) FROM test_attempts WHERE user_id = (SELECT id FROM users WHERE role = 'trainer')"
        )
        == 0
    )


POOL_TEST = TEST_MD.replace("kind: test\n", "kind: test\ndraw:\n  t1: 1\ntime_limit: 20\n").replace(
    ":::\n",
    ":::\n\n::: question {#tq2}\nZweite?\n\n- (x) Ja\n- ( ) Nein\n\nErklärung: so.\n:::\n",
    1,
)


async def test_a_pool_shows_every_question_and_how_many_are_drawn(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services, tmp_path: Path
) -> None:
    compiled = compile_files(tmp_path, {"90-test.md": POOL_TEST})
    assert compiled.course is not None, compiled.errors
    services.catalog = FakeCatalog([compiled.course])  # type: ignore[list-item, assignment]
    await login_as("trainer")
    html = soup(await client.get(f"/trainer/{compiled.course.id}/abschlusstest"))
    assert [str(q["id"]) for q in html.select(".question")] == ["q-tq", "q-tq2"]
    note = select_tag(html, ".pool-note").get_text(strip=True)
    assert note == "Fragenpool: jeder Versuch zieht 1 der 2 Fragen dieses Teils; hier stehen alle."
    assert "1 Frage." in html.get_text(), "the count a learner gets"
    assert select_tag(html, "#time-limit").get_text(strip=True) == (
        "Zeitbegrenzung: 20 Minuten je Versuch."
    )
