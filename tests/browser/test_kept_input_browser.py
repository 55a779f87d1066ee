"""In Chromium: errors take the focus and nothing typed is lost (web/kept_forms.py,
web/form_fill.py, static/keep-input.js), at 1280 and 375 px."""

from __future__ import annotations

import itertools

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import LiveServer, axe_violations, log_in_by_keyboard

pytestmark = pytest.mark.browser
COURSE = "fixture-kurs"
STUFEN = f"/courses/{COURSE}/pages/stufen"
NOTE = "Ein Gedanke, der nicht verloren gehen darf."
_emails = (f"kept{n}@example.org" for n in itertools.count(1))


def _enrolled_learner(page: Page, server: LiveServer) -> None:
    email = next(_emails)
    server.add_user(email)
    log_in_by_keyboard(page, server, email)
    page.goto(f"{server.url}/courses/{COURSE}")
    with page.expect_navigation():
        page.locator(f"form[action='/courses/{COURSE}/enrol'] button").first.click()


def _overflow(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


@pytest.mark.parametrize("width", [1280, 375])
def test_an_invalid_ordering_moves_focus_to_the_summary_and_keeps_the_picks(
    page: Page, live_server: LiveServer, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    _enrolled_learner(page, live_server)
    page.goto(live_server.url + STUFEN)
    for position, value in (("1", "1"), ("2", "1"), ("3", "2")):
        page.select_option(f"select[name='dmis-1.{position}']", value)
    with page.expect_navigation():
        page.locator(f"form[action^='{STUFEN}/answer/dmis-1'] button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    summary = page.locator("#error-summary")
    assert "nur einmal" in summary.inner_text()
    assert page.locator("#q-dmis-1 .field-error").is_visible()
    for position, value in (("1", "1"), ("2", "1"), ("3", "2")):
        assert page.locator(f"select[name='dmis-1.{position}']").input_value() == value
    # The summary's link leads to the field at fault.
    summary.locator("a").first.click()
    assert page.evaluate("document.activeElement.name") == "dmis-1.2"
    assert _overflow(page) <= 0, f"wider than {width}px"
    assert axe_violations(page) == []


@pytest.mark.parametrize("width", [1280, 375])
def test_a_note_survives_sending_another_question_of_the_page(
    page: Page, live_server: LiveServer, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    _enrolled_learner(page, live_server)
    page.goto(live_server.url + STUFEN)
    page.locator("textarea[name='eigene-praegung']").fill(NOTE)
    for position, value in (("1", "3"), ("2", "1"), ("3", "2")):
        page.select_option(f"select[name='dmis-1.{position}']", value)
    with page.expect_navigation():
        page.locator(f"form[action^='{STUFEN}/answer/dmis-1'] button[type=submit]").click()
    assert page.locator("#result-dmis-1").inner_text() == "Richtig"
    assert page.locator("textarea[name='eigene-praegung']").input_value() == NOTE
    # Once its own form is sent the note is saved: the page shows it from the server.
    with page.expect_navigation():
        page.locator(f"form[action^='{STUFEN}/answer/eigene-praegung'] button").click()
    assert page.locator("#result-eigene-praegung").is_visible()
    page.goto(live_server.url + STUFEN)
    assert page.locator("textarea[name='eigene-praegung']").input_value() == NOTE
    assert _overflow(page) <= 0


def test_a_note_survives_a_refused_token(page: Page, live_server: LiveServer) -> None:
    _enrolled_learner(page, live_server)
    page.goto(live_server.url + STUFEN)
    page.locator("textarea[name='eigene-praegung']").fill(NOTE)
    # As if the tab had been open across a new session: the token no longer fits.
    page.evaluate(
        "document.querySelectorAll('input[name=csrf_token]').forEach(i => i.value = 'alt')"
    )
    with page.expect_navigation():
        page.locator(f"form[action^='{STUFEN}/answer/eigene-praegung'] button").click()
    assert page.url.split("#")[0] == live_server.url + STUFEN
    assert "nicht gesendet" in page.locator(".flash-list").inner_text()
    assert page.locator("textarea[name='eigene-praegung']").input_value() == NOTE
    with page.expect_navigation():
        page.locator(f"form[action^='{STUFEN}/answer/eigene-praegung'] button").click()
    assert "gespeichert" in page.locator(".flash-list").inner_text()


def test_without_javascript_the_summary_still_takes_the_focus_and_the_text_comes_back(
    browser: Browser, live_server: LiveServer
) -> None:
    context = browser.new_context(java_script_enabled=False, locale="de-DE")
    page = context.new_page()
    try:
        _enrolled_learner(page, live_server)
        page.goto(live_server.url + STUFEN)
        page.locator("textarea[name='eigene-praegung']").fill("   ")
        with page.expect_navigation():
            page.locator(f"form[action^='{STUFEN}/answer/eigene-praegung'] button").click()
        assert page.evaluate("document.activeElement.id") == "error-summary"
        assert "Bitte schreiben Sie zuerst etwas" in page.locator("#error-summary").inner_text()
        # A refused token, with no script to keep a copy: the server brings the text back.
        page.locator("textarea[name='eigene-praegung']").fill(NOTE)
        form = page.locator(f"form[action^='{STUFEN}/answer/eigene-praegung']")
        form.locator("input[name=csrf_token]").evaluate("i => i.value = 'alt'")
        with page.expect_navigation():
            form.locator("button").click()
        assert "nicht gesendet" in page.locator(".flash-list").inner_text()
        assert page.locator("textarea[name='eigene-praegung']").input_value() == NOTE
    finally:
        context.close()
