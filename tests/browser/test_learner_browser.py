"""One learner's whole path by keyboard, and axe-core on every learner page type."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import (
    LiveServer,
    axe_violations,
    log_in_by_keyboard,
    press_until_focused,
)

pytestmark = pytest.mark.browser
COURSE = "fixture-kurs"
_emails = (f"browser{n}@example.org" for n in itertools.count(1))


def _activate(page: Page, selector: str, key: str = "Enter") -> None:
    press_until_focused(page, selector)
    with page.expect_navigation():
        page.keyboard.press(key)


def _choose(page: Page, selector: str) -> None:
    """Select an option by keyboard: radios are one tab stop, arrows move within the group."""
    target = page.locator(selector).first
    if target.get_attribute("type") != "radio":
        press_until_focused(page, selector)
        page.keyboard.press("Space")
        return
    name = target.get_attribute("name")
    press_until_focused(page, f"input[type=radio][name='{name}']:not([disabled])")
    focused_is_target = "el => el === document.activeElement"
    for _ in range(20):
        if target.evaluate(focused_is_target):
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    assert target.is_checked()


def _take_test(page: Page, answers: dict[str, str]) -> None:
    _activate(page, "form[action$='/test/start'] button")
    for name, value in answers.items():
        field = page.locator(f"[name='{name}']").first
        if field.get_attribute("type") == "text":
            press_until_focused(page, f"input[name='{name}']")
            page.keyboard.type(value)
        else:
            _choose(page, f"input[name='{name}'][value='{value}']")
    _activate(page, ".test-form button[type=submit]:not([name=save])")


def test_whole_learner_path_by_keyboard(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    email = next(_emails)
    live_server.add_user(email, name="Kim Tastatur")
    log_in_by_keyboard(page, live_server, email)
    assert page.locator("h1").inner_text() == "Ihre Kurse"

    _activate(page, f"form[action='/courses/{COURSE}/enrol'] button")
    assert page.url.endswith(f"/courses/{COURSE}/pages/was-ist-kultur")

    # Every page, moving on with the "Weiter" link.
    for _ in range(4):
        _activate(page, "a[rel=next]")
    assert page.url.endswith("/pages/fall")

    # A knowledge check on the second page, answered by keyboard.
    page.goto(f"{live_server.url}/courses/{COURSE}/pages/eisberg-fragen")
    _choose(page, "input[name='eisberg-1'][value='2']")
    _activate(page, "#q-eisberg-1 button[type=submit]")
    result = page.locator("#result-eisberg-1")
    assert result.inner_text(timeout=5000) == "Richtig"
    assert result.evaluate("el => el === document.activeElement")  # announced by focus

    # The case scenario, step by step to an end.
    page.goto(f"{live_server.url}/courses/{COURSE}/pages/fall")
    for _ in range(10):
        if page.locator("input[name='step']").count() == 0:
            break
        _choose(page, "input[name='fall-anerkennung']")
        _activate(page, "#q-fall-anerkennung form:has(input[name='step']) button[type=submit]")
    assert page.locator("button:has-text('Fall noch einmal durchspielen')").count() == 1

    # The final test: failed first, then passed.
    page.goto(f"{live_server.url}/courses/{COURSE}/test")
    _take_test(page, {"test-1": "2", "test-2": "2", "test-3": "Abwehr"})
    assert page.locator("h1").inner_text().startswith("Nicht bestanden")
    page.goto(f"{live_server.url}/courses/{COURSE}/test")
    _take_test(page, {"test-1": "1", "test-2": "1", "test-3": "Verleugnung"})
    assert page.locator("h1").inner_text().startswith("Bestanden")

    # The certificate, downloaded by keyboard.
    press_until_focused(page, f"a[href='/courses/{COURSE}/zertifikat']")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    target = tmp_path / "zertifikat.pdf"
    download.value.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")

    _activate(page, "form[action='/logout'] button")
    assert page.url.endswith("/login")
    page.goto(f"{live_server.url}/lernstand")
    assert page.url.endswith("/login?next=/lernstand")


def _assert_accessible(page: Page, name: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{name}: {violations}"


def test_axe_on_every_learner_page_type(page: Page, live_server: LiveServer) -> None:
    base = live_server.url
    for path in (
        "/login",
        "/barrierefreiheit",
        "/leichte-sprache",
        "/datenschutz",
        "/verify",
        "/verify/AAAA-BBBB-CCCC",
        "/gibt-es-nicht",
    ):
        page.goto(base + path)
        _assert_accessible(page, path)

    email = next(_emails)
    live_server.add_user(email)
    log_in_by_keyboard(page, live_server, email)
    _assert_accessible(page, "catalogue")
    page.goto(f"{base}/courses/{COURSE}")
    _assert_accessible(page, "course overview, not enrolled")
    page.locator(f"form[action='/courses/{COURSE}/enrol'] button").first.click()
    for page_id in ("was-ist-kultur", "eisberg-fragen", "zeit", "stufen", "fall"):
        page.goto(f"{base}/courses/{COURSE}/pages/{page_id}")
        _assert_accessible(page, page_id)
    # Answered states: feedback, a saved reflection, a scenario under way.
    page.goto(f"{base}/courses/{COURSE}/pages/eisberg-fragen")
    page.locator("input[name='eisberg-1'][value='1']").check()
    page.locator("#q-eisberg-1 button[type=submit]").click()
    _assert_accessible(page, "knowledge check feedback")
    page.goto(f"{base}/courses/{COURSE}/pages/stufen")
    page.locator("select[name='dmis-1.1']").select_option("1")
    page.locator("select[name='dmis-1.2']").select_option("2")
    page.locator("select[name='dmis-1.3']").select_option("3")
    page.locator("#q-dmis-1 button[type=submit]").click()
    page.locator("textarea[name='eigene-praegung']").fill("Eine Notiz <script>alert(1)</script>")
    page.locator("#q-eigene-praegung button[type=submit]").click()
    _assert_accessible(page, "ordering feedback and reflection")
    page.goto(f"{base}/courses/{COURSE}/pages/fall")
    page.locator("input[name='fall-anerkennung']").first.check()
    page.locator("#q-fall-anerkennung form:has(input[name='step']) button[type=submit]").click()
    _assert_accessible(page, "scenario step")
    for path in ("/glossar", "", "/test"):
        page.goto(f"{base}/courses/{COURSE}{path}")
        _assert_accessible(page, path or "overview")
    page.locator("form[action$='/test/start'] button").click()
    _assert_accessible(page, "test attempt")
    page.locator(".test-form button[name=save]").click()
    _assert_accessible(page, "test attempt, saved")
    page.locator(".test-form button[type=submit]:not([name=save])").click()
    _assert_accessible(page, "confirmation of open questions")
    page.get_by_role("button", name="Trotzdem abgeben").click()
    _assert_accessible(page, "test result")
    for path in ("/lernstand", "/notizen"):
        page.goto(base + path)
        _assert_accessible(page, path)


def test_lesson_page_reflows_at_320_px(page: Page, live_server: LiveServer) -> None:
    email = next(_emails)
    live_server.add_user(email)
    log_in_by_keyboard(page, live_server, email)
    page.locator(f"form[action='/courses/{COURSE}/enrol'] button").first.click()
    page.set_viewport_size({"width": 320, "height": 640})
    for page_id in ("stufen", "fall"):
        page.goto(f"{live_server.url}/courses/{COURSE}/pages/{page_id}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{page_id} scrolls sideways by {overflow}px at 320px"


def test_autosave_keeps_answers_without_a_live_region_chattering(
    page: Page, live_server: LiveServer
) -> None:
    email = next(_emails)
    live_server.add_user(email)
    log_in_by_keyboard(page, live_server, email)
    page.goto(f"{live_server.url}/courses/{COURSE}")
    page.locator(f"form[action='/courses/{COURSE}/enrol'] button").first.click()
    page.goto(f"{live_server.url}/courses/{COURSE}/test")
    with page.expect_navigation():
        page.locator("form[action$='/test/start'] button").click()
    attempt_url = page.url
    _choose(page, "input[name='test-2'][value='2']")
    status = page.locator("#autosave-status")
    status.filter(has_text="Automatisch gespeichert um").wait_for(timeout=10_000)
    # The save is quiet: the status is no live region and the alert region stays empty.
    assert status.get_attribute("role") is None and status.get_attribute("aria-live") is None
    assert page.locator("#autosave-error").inner_text() == ""
    page.goto(attempt_url)
    assert page.locator("input[name='test-2'][value='2']").is_checked()
    # Submitting with open questions lands on the confirmation, which names them.
    _activate(page, ".test-form button[type=submit]:not([name=save])")
    assert page.locator("h1").inner_text() == "Test abgeben?"
    assert page.locator("ul.unanswered a").all_inner_texts() == ["Frage 1", "Frage 3"]
    with page.expect_navigation():
        page.locator("ul.unanswered a").first.click()
    assert page.url.endswith("?offen#q-test-1"), page.url
    assert page.locator("input[name='test-2'][value='2']").is_checked()
