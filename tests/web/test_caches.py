"""The cache layer: bounded, off under --reload, never keyed by what a learner typed."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import httpx

from learning.core.clock import utc_now
from learning.core.config import Settings
from learning.core.lru import LRU
from learning.web.app import create_app
from learning.web.services import Services
from tests.conftest import LoginAs, add_user, fast_hasher, log_in, new_client, soup
from tests.web.learner_flow import COURSE, answer, enrol

PAGE = f"/courses/{COURSE}/pages/zeit"


def test_lru_drops_the_least_recently_used_entry() -> None:
    cache: LRU[str, int] = LRU(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "a" is now the most recent
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)
    assert len(cache) == 2


async def test_a_typed_answer_is_never_part_of_a_cache_key(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    await login_as("learner")
    await enrol(client)
    typed = "meine-geheime-antwort-4711"
    await answer(client, "zeit", "hall-1", {"hall-1": typed})
    page = await client.get(PAGE)
    assert page.status_code == 200
    # The learner sees their own text in the field ...
    assert soup(page).find("input", attrs={"name": "hall-1"})["value"] == typed  # type: ignore[index]
    # ... but no cache holds it.
    questions = services.caches.questions
    keys = [repr(k) for table in (questions._blank, questions._answered) for k in table._items]
    assert keys and not any(typed in key for key in keys)


async def test_reload_shows_an_edited_question_template_at_once(
    settings: Settings, tmp_path: Path
) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(settings.templates, templates)
    app = create_app(replace(settings, templates=templates, reload=True), announce=False)
    app.state.services.hasher = fast_hasher()
    async with app.router.lifespan_context(app), new_client(app) as client:
        services = app.state.services
        user = await add_user(
            services, utc_now(), "learner", email="reload@example.org", name="Reload"
        )
        assert (await log_in(client, user.email)).status_code == 303
        await enrol(client)
        before = await client.get(PAGE)
        assert "Antwort prüfen" in before.text
        macro = templates / "_question.html"
        macro.write_text(macro.read_text().replace("Antwort prüfen", "Jetzt prüfen"))
        after = await client.get(PAGE)
    assert after.status_code == 200
    assert "Jetzt prüfen" in after.text and "Antwort prüfen" not in after.text
