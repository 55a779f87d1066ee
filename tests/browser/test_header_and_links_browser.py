"""The header menu on a phone and a desktop, by keyboard; the copy button of a link."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import (
    LiveServer,
    axe_violations,
    log_in_by_keyboard,
    press_until_focused,
)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("role", ["learner", "trainer", "admin"])
def test_header_menu_folds_on_a_phone_and_opens_by_keyboard(
    page: Page, live_server: LiveServer, role: str
) -> None:
    email = f"menu-{role}@example.org"
    live_server.add_user(email, role=role)
    log_in_by_keyboard(page, live_server, email)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + "/")
    toggle = page.locator("#site-menu > summary")
    logout = page.locator("#site-menu button", has_text="Abmelden")
    assert toggle.is_visible() and toggle.inner_text().strip().endswith("Menü")
    assert not logout.is_visible(), "folded on a phone"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    press_until_focused(page, "#site-menu > summary")
    page.keyboard.press("Enter")
    assert logout.is_visible()
    assert page.locator("#site-menu").get_attribute("open") is not None
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.keyboard.press("Escape")
    assert not logout.is_visible()
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + "/")
    assert not toggle.is_visible(), "no menu button on a wide screen"
    assert logout.is_visible()


def test_header_shows_everything_on_a_wide_screen_without_javascript(
    browser: Browser, live_server: LiveServer
) -> None:
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    try:
        page.goto(live_server.url + "/login")
        assert page.locator("#site-menu button[name='lang']").is_visible()
        assert not page.locator("#site-menu > summary").is_visible()
        page.set_viewport_size({"width": 375, "height": 800})
        page.click("#site-menu > summary")
        assert page.locator("#site-menu button[name='lang']").is_visible(), "opens without JS"
    finally:
        context.close()


def test_copy_button_copies_the_link(page: Page, live_server: LiveServer) -> None:
    live_server.add_user("copy-admin@example.org", role="admin", name="Copy Admin")
    live_server.add_user("copy-target@example.org", role="learner", name="Copy Ziel")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    log_in_by_keyboard(page, live_server, "copy-admin@example.org")
    page.goto(live_server.url + "/admin/users?q=copy-target")
    page.click("#user-table tbody a")
    with page.expect_navigation():
        page.click("form[action$='/reset-link'] button")
    assert "/admin/links/" in page.url
    link = page.input_value("#link-table input.link-field")
    button = page.locator("#link-table button[data-copy]")
    assert button.is_visible(), "shown once JavaScript runs"
    button.click()
    page.wait_for_function("document.getElementById('copy-status').textContent.length > 0")
    assert page.locator("#copy-status").inner_text() == "Link kopiert."
    assert page.evaluate("navigator.clipboard.readText()") == link
    page.reload()
    assert page.input_value("#link-table input.link-field") == link, "reloading keeps the link"
    problems = {"links": axe_violations(page)}
    for path in ("/", "/admin/users?login=invited", "/admin/users/bulk?action=invite&scope=all"):
        page.goto(live_server.url + path)
        problems[path] = axe_violations(page)
    page.goto(live_server.url + "/admin/users/bulk?action=enrol&scope=all")
    problems["bulk errors"] = axe_violations(page)
    assert {k: v for k, v in problems.items() if v} == {}
