"""Stored hostile input opened in chromium: no payload ever runs (no dialog opens).

The `page` fixture fails the test if any dialog opened; the test also checks its own
list after every page, so a failure names the page.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from playwright.sync_api import Dialog, Page

from tests.browser.conftest import PASSWORD, LiveServer

pytestmark = pytest.mark.browser
COURSE = "fixture-kurs"
NAME = "<img src=x onerror=alert('name')>"
NOTE = "<script>alert('note')</script><img src=x onerror=alert('note2')> javascript:alert(1)"
GROUP = "<svg onload=alert('gruppe')>"
TEXT = '"><svg onload=alert(\'text\')>=HYPERLINK("http://evil.example")'


def submit(page: Page, form: str) -> None:
    with page.expect_navigation():
        page.locator(f"{form} button[type=submit]").first.click()


def test_stored_payloads_never_run(page: Page, live_server: LiveServer) -> None:
    dialogs: list[str] = []

    def opened(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", opened)
    live_server.add_user("hostile@example.org", name=NAME)
    url = live_server.url

    page.goto(f"{url}/login?next={quote('javascript:alert(1)')}")
    page.fill("#f-email", "hostile@example.org")
    page.fill("#f-password", PASSWORD)
    submit(page, "form[action='/login']")
    assert page.url.startswith(url), page.url

    page.goto(f"{url}/courses/{COURSE}")
    submit(page, f"form[action='/courses/{COURSE}/enrol']")

    page.goto(f"{url}/courses/{COURSE}/pages/stufen")
    page.fill("textarea[name='eigene-praegung']", NOTE)
    submit(page, "form:has(textarea[name='eigene-praegung'])")

    page.goto(f"{url}/courses/{COURSE}/pages/zeit")
    page.fill("input[name='hall-1']", TEXT)
    submit(page, "form:has(input[name='hall-1'])")

    for path in (
        f"/courses/{COURSE}/pages/stufen",
        f"/courses/{COURSE}/pages/zeit",
        "/notizen",
        "/lernstand",
        "/",
        "/verify?code=" + quote("<script>alert('code')</script>"),
        "/verify/" + quote("<img src=x onerror=alert('code2')>", safe=""),
        "/courses/" + quote("<script>alert('kurs')</script>", safe=""),
    ):
        page.goto(url + path)
        page.wait_for_load_state("load")
        assert dialogs == [], f"{path}: {dialogs}"

    # The payloads are there, as text.
    page.goto(f"{url}/notizen")
    assert "<script>alert('note')</script>" in page.inner_text("main")
    assert NAME in page.inner_text(".user-name")

    # An admin stores a hostile name and group, then opens every page that shows them.
    submit(page, "form[action='/logout']")
    live_server.add_user("hostile-admin@example.org", role="admin", name="Admin")
    page.fill("#f-email", "hostile-admin@example.org")
    page.fill("#f-password", PASSWORD)
    submit(page, "form[action='/login']")
    page.goto(f"{url}/admin/users/new")
    page.fill("#f-email", "hostile2@example.org")
    page.fill("#f-name", NAME)
    page.fill("input[name='new_group']", GROUP)
    submit(page, "form[action='/admin/users/new']")
    for path in (
        "/admin/users",
        "/admin/groups",
        "/admin/audit",
        f"/admin/reports/{COURSE}",
        "/admin/users?q=" + quote("<script>alert('q')</script>"),
    ):
        page.goto(url + path)
        page.wait_for_load_state("load")
        assert dialogs == [], f"{path}: {dialogs}"
    page.goto(f"{url}/admin/groups")
    assert GROUP in page.inner_text("main")
