"""The trainer's item analysis shows each option by upper and lower group."""

from __future__ import annotations

import httpx
import pytest
from bs4 import Tag

from learning.core.config import Settings
from learning.web.services import Services
from tests.admin_support import (
    FakeCourse,
    FakeLesson,
    FakeOption,
    FakePage,
    FakeQuestion,
    assign_trainer,
    install_catalog,
    make_course,
    seed_known,
)
from tests.conftest import LoginAs, select_tag, soup


def _with_unpicked_option() -> FakeCourse:
    """kurs-a whose t-q1 has a fourth option nobody in the seeded attempts chose."""
    course = make_course()
    lesson, test = course.lessons
    [page] = test.pages
    q1, *others = page.blocks
    assert isinstance(q1, FakeQuestion)
    q1 = FakeQuestion(q1.id, (*q1.options, FakeOption(4, "Musik")))
    pages = (FakePage(page.id, page.title, page.lesson_id, (q1, *others)),)
    return FakeCourse(
        course.id, course.title, (lesson, FakeLesson(test.id, test.title, "test", pages))
    )


def _rows(section: Tag) -> list[list[str]]:
    table = select_tag(section, "table.distractors")
    return [
        [c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])]
        for tr in table.select("tbody tr")
    ]


async def test_items_page_shows_options_by_group_and_flags_an_unpicked_distractor(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    install_catalog(services, _with_unpicked_option())
    await seed_known(services.db)
    trainer = await login_as("trainer")
    await assign_trainer(services.db, trainer.id)
    page = soup(await client.get("/trainer/kurs-a/items"))
    items = {str(s["data-question"]): s for s in page.select("section.item")}
    q1 = items["t-q1"]
    # Six attempts: two in each 27 % group (scores 90 and 100; 40 and 50).
    headers = [
        th.get_text(strip=True) for th in select_tag(q1, "table.distractors").select("thead th")
    ]
    assert headers == ["Antwort", "richtig?", "Obere Gruppe (2)", "Untere Gruppe (2)", "Alle"]
    assert _rows(q1) == [
        ["Werte", "✓ richtig", "2", "0", "3"],
        ["Kleidung", "✗ falsch", "0", "2", "2"],
        ["Essen", "✗ falsch", "0", "0", "1"],
        ["Musik", "✗ falsch", "0", "0", "0"],
    ]
    flags = [li.get_text() for li in q1.select(".flags li")]
    assert (
        "die falsche Antwort „Musik“ wählt niemand: sie lenkt nicht ab, ersetzen oder streichen"
        in flags
    )
    assert not any("Essen" in f for f in flags)


class TestSmallGroups:
    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        return settings.with_overrides(min_group=6)

    async def test_no_distractor_view_of_a_question_below_the_minimum(
        self, client: httpx.AsyncClient, login_as: LoginAs, services: Services
    ) -> None:
        install_catalog(services, _with_unpicked_option())
        await seed_known(services.db)
        trainer = await login_as("trainer")
        await assign_trainer(services.db, trainer.id)
        page = soup(await client.get("/trainer/kurs-a/items"))
        assert page.select("table.distractors") == []
        assert "Musik" not in page.get_text()
