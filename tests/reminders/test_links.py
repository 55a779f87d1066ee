"""The links in reminder and digest mails work when followed, for the right person only."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import httpx
from bs4 import BeautifulSoup
from starlette.applications import Starlette

from learning.reminders.run import run_reminders
from learning.web.services import Services
from tests.conftest import LoginAs, add_user, log_in, new_client
from tests.reminders.seed import TITLES, assign, morning


def links(html: str) -> list[str]:
    page = BeautifulSoup(html, "html.parser")
    return sorted({str(a["href"]) for a in page.find_all("a", href=True)})


async def test_reminder_and_digest_links_open_their_pages(
    app: Starlette, client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    learner = await login_as("learner", group="Team Nord")
    due = services.clock().date() + timedelta(days=20)
    assert learner.group_id is not None
    await assign(services.db, group_id=learner.group_id, due=due, now=services.clock())
    settings = services.settings.with_overrides(reminder_digest="daily", reports="named")
    admin_email = "ada@example.org"
    await add_user(services, services.clock(), "admin", email=admin_email, name="Ada")
    day = due - timedelta(days=14)
    await run_reminders(services.db, settings, TITLES, day=day, now=morning(day))
    late = due + timedelta(days=7)
    await run_reminders(services.db, settings, TITLES, day=late, now=morning(late))
    rows = await services.db.fetchall("SELECT kind, body_html FROM outbox ORDER BY id")
    assert [r["kind"] for r in rows] == ["reminder", "overdue", "digest"]
    base = services.settings.public_url
    reminder_links = links(rows[0]["body_html"])
    assert reminder_links == [f"{base}/", f"{base}/courses/fixture-kurs"]
    for url in reminder_links:
        response = await client.get(urlsplit(url).path)
        assert response.status_code == 200, url
    page = BeautifulSoup((await client.get("/courses/fixture-kurs")).text, "html.parser")
    heading = page.find("h1")
    assert heading is not None and "Fixture-Kurs" in heading.get_text()
    # The digest leads the admin to the reports; a learner following it is refused.
    (reports_url,) = [u for u in links(rows[2]["body_html"]) if "/admin/" in u]
    assert (await client.get(urlsplit(reports_url).path)).status_code == 403
    async with new_client(app) as admin_client:
        assert (await log_in(admin_client, admin_email)).status_code == 303
        assert (await admin_client.get(urlsplit(reports_url).path)).status_code == 200
