"""axe-core and page width on every admin and trainer page type, with hostile names seeded."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import LiveServer, axe_violations, log_in_by_keyboard

pytestmark = pytest.mark.browser

CSV = (
    "email;name;role;group\n"
    "xss1@example.org;<img src=x onerror=alert(1)>;learner;<script>alert(2)</script>\n"
    'formel@example.org;=HYPERLINK("http://x");learner;=1+1\n'
)


def test_admin_and_trainer_pages_pass_axe(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    live_server.add_user("axe-admin@example.org", role="admin", name="Axe Admin")
    source = tmp_path / "users.csv"
    source.write_text(CSV, encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "learning", "users", "import", str(source)],
        env=live_server.env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    log_in_by_keyboard(page, live_server, "axe-admin@example.org")
    page.goto(live_server.url + "/admin/users?q=xss1")
    page.click("#user-table tbody a")
    detail = page.url
    paths = [
        "/admin/users",
        detail.removeprefix(live_server.url),
        "/admin/users/new",
        "/admin/groups",
        "/admin/import",
        "/admin/reports",
        "/admin/reports/fixture-kurs",
        "/admin/audit",
        "/trainer",
        "/trainer/fixture-kurs",
        "/trainer/fixture-kurs/items",
        "/trainer/fixture-kurs/preview/was-ist-kultur",
        "/trainer/fixture-kurs/bericht",
        "/trainer/fixture-kurs/abschlusstest",
        "/admin/audit?aktion=user.import&person=axe",
    ]
    problems = {}
    for path in paths:
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        found = axe_violations(page)
        if found:
            problems[path] = found
    page.goto(detail)
    with page.expect_navigation():
        page.click("form[action$='/invite'] button")
    problems["link page"] = axe_violations(page)
    link = page.input_value("#link")
    page.goto(link)
    assert page.locator("h1").inner_text() == "Einladung annehmen"
    problems["invitation page"] = axe_violations(page)
    page.goto(live_server.url + "/admin/import")
    page.set_input_files("#f-file", str(source))
    with page.expect_navigation():
        page.click("form[action='/admin/import'] button")
    assert page.locator("#import-errors").count() == 1, "the accounts exist already"
    problems["import errors"] = axe_violations(page)
    assert {k: v for k, v in problems.items() if v} == {}
    # Every table scrolls inside its own region: no page is wider than the screen.
    too_wide = {}
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        for path in paths:
            page.goto(live_server.url + path)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 0:
                too_wide[(width, path)] = overflow
    assert too_wide == {}
