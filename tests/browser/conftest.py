"""A real server in a subprocess and Debian's chromium driven by Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Dialog, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "ein langes Testpasswort"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@dataclass(frozen=True)
class LiveServer:
    url: str
    database: Path
    env: dict[str, str]

    def add_user(self, email: str, role: str = "learner", name: str | None = None) -> None:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "learning",
                "users",
                "add",
                email,
                "--role",
                role,
                "--name",
                name or email.split("@")[0].title(),
            ],
            input=PASSWORD + "\n",
            text=True,
            env=self.env,
            check=True,
            capture_output=True,
            timeout=60,
        )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("live")
    port = _free_port()
    env = {
        **os.environ,
        "LEARNING_DATABASE": str(folder / "live.sqlite3"),
        "LEARNING_COURSES": str(ROOT / "tests" / "courses"),
        "LEARNING_SECRET_KEY": "browser-test-secret-key-0123456789",
        "LEARNING_LOG_LEVEL": "warning",
    }
    server = LiveServer(f"http://127.0.0.1:{port}", folder / "live.sqlite3", env)
    log = (folder / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "learning", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(server.url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("server did not start: " + (folder / "server.log").read_text())
            time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


# Module scope: Playwright's sync API keeps an event loop running in this thread while
# it is open, which the asyncio tests of later modules cannot share.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "chromium missing: run scripts/install-browser-deps"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    # bypass_csp lets the test inject axe-core; the app's own pages never need it.
    context = browser.new_context(bypass_csp=True, locale="de-DE", accept_downloads=True)
    tab = context.new_page()
    dialogs: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    tab.on("dialog", dismiss)
    yield tab
    context.close()
    assert dialogs == [], f"a dialog opened: {dialogs}"


def axe_violations(page: Page) -> list[dict[str, object]]:
    assert AXE.exists(), "axe-core missing: run scripts/install-browser-deps"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def press_until_focused(page: Page, selector: str, *, key: str = "Tab", limit: int = 150) -> None:
    """Move focus with the keyboard alone until the element matching `selector` has it."""
    targets = page.locator(selector)
    targets.first.wait_for(state="attached")
    for _ in range(limit):
        page.keyboard.press(key)
        if targets.evaluate_all("els => els.includes(document.activeElement)"):
            return
    raise AssertionError(f"{selector} not reachable by keyboard")


def log_in_by_keyboard(page: Page, server: LiveServer, email: str) -> None:
    page.goto(server.url + "/login")
    press_until_focused(page, "#f-email")
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
