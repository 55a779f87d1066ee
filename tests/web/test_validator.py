"""Every page type, in German and English, passes the Nu HTML Checker and has ordered headings.

The checker is vnu.jar from the npm package vnu-jar (package.json; `make browser-deps`
installs it and a JRE); a missing java or jar fails the test instead of skipping it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup, Tag

from learning.core.config import Settings
from learning.web.services import Services
from tests.conftest import LoginAs
from tests.web.page_types import walk

VNU = Path(__file__).resolve().parents[2] / "node_modules/vnu-jar/build/dist/vnu.jar"
HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # Named reports with groups of one, so the report pages show every table they have.
    return settings.with_overrides(reports="named", min_group=1)


def validate(files: list[Path]) -> list[str]:
    """The checker's errors for the files, one run for all of them."""
    java = shutil.which("java")
    assert java, "java is missing: run `make browser-deps` (installs a JRE from Debian)"
    assert VNU.is_file(), f"{VNU} is missing: run `npm ci` (package.json lists vnu-jar)"
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.stderr.strip(), f"vnu printed nothing (exit {result.returncode})"
    messages = json.loads(result.stderr)["messages"]
    return [f"{Path(m['url']).name}:{m.get('lastLine')}: {m['message']}" for m in messages]


def _language(html: str) -> str:
    root = BeautifulSoup(html, "html.parser").find("html")
    return str(root.get("lang")) if isinstance(root, Tag) else ""


def skipped_levels(html: str) -> list[str]:
    """Headings that go more than one level deeper than the one before; the first is h1."""
    problems = []
    previous = 0
    for heading in BeautifulSoup(html, "html.parser").find_all(HEADINGS):
        level = int(heading.name[1])
        if level > previous + 1:
            problems.append(f"h{previous} -> {heading.name} {heading.get_text(strip=True)!r}")
        previous = level
    return problems


async def test_every_page_type_is_valid_html_with_ordered_headings(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services, tmp_path: Path
) -> None:
    pages = await walk(client, login_as, services)
    assert len(pages) > 70, sorted(pages)
    headings = {name: skipped_levels(html) for name, html in pages.items()}
    assert {name: found for name, found in headings.items() if found} == {}
    titles = {
        name: len(BeautifulSoup(html, "html.parser").find_all("h1")) for name, html in pages.items()
    }
    assert {name: count for name, count in titles.items() if count != 1} == {}
    languages = {name: _language(html) for name, html in pages.items()}
    wrong = {
        n: lang for n, lang in languages.items() if lang != ("en" if n.startswith("en-") else "de")
    }
    assert wrong == {}, "the English walk must show English pages, the German one German"
    files = []
    for name, html in pages.items():
        target = tmp_path / f"{name}.html"
        target.write_text(html, encoding="utf-8")
        files.append(target)
    problems = validate(files)
    assert problems == [], "\n".join(problems)


def test_the_heading_check_finds_a_skip() -> None:
    assert skipped_levels("<h1>A</h1><h3>B</h3>") == ["h1 -> h3 'B'"]
    assert skipped_levels("<h2>A</h2>") == ["h0 -> h2 'A'"]
    assert skipped_levels("<h1>A</h1><h2>B</h2><h3>C</h3><h2>D</h2>") == []


def test_the_checker_reports_an_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.html"
    broken.write_text("<!DOCTYPE html><html lang=de><title>x</title><p><div></p>", "utf-8")
    assert validate([broken]) != []
