"""Authored headings start at h2 under the page's h1, keep their structure, never skip."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from markdown_it.token import Token

from learning.content.headings import HeadingLevels, leveled
from learning.content.markdown import parse
from learning.content.model import HtmlBlock
from tests.helpers import COURSE_MD, compile_files, page


def _levels(html: str) -> list[tuple[str, str]]:
    found = BeautifulSoup(html, "html.parser").find_all(["h1", "h2", "h3", "h4", "h5", "h6"])
    return [(h.name, h.get_text(strip=True)) for h in found]


def _page_html(tmp_path: Path, body: str) -> str:
    result = compile_files(tmp_path, {"01-a.md": page(body)})
    assert result.course is not None, result
    blocks = next(p for p in result.course.pages if p.id == "s1").blocks
    return "".join(b.html for b in blocks if isinstance(b, HtmlBlock))


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("### A\n\nx\n\n#### B\n\ny\n\n### C\n", [("h2", "A"), ("h3", "B"), ("h2", "C")]),
        ("#### A\n\n##### B\n", [("h2", "A"), ("h3", "B")]),
        ("### A\n\n##### B skips\n\n###### C\n", [("h2", "A"), ("h3", "B skips"), ("h4", "C")]),
        ("#### A\n\n### B above the first\n", [("h2", "A"), ("h2", "B above the first")]),
    ],
)
def test_lesson_headings_start_at_h2_and_never_skip(
    tmp_path: Path, body: str, expected: list[tuple[str, str]]
) -> None:
    assert _levels(_page_html(tmp_path, body)) == expected


def test_levels_continue_across_a_question(tmp_path: Path) -> None:
    body = (
        "### Vorher\n\nText.\n\n"
        "::: truefalse {#q1}\nStimmt das?\n\n- (x) richtig\n- ( ) falsch\n:::\n\n"
        "#### Danach\n\nText.\n"
    )
    assert _levels(_page_html(tmp_path, body)) == [("h2", "Vorher"), ("h3", "Danach")]


def test_each_page_starts_again(tmp_path: Path) -> None:
    text = "---\nid: a\ntitle: A\n---\n\n## Eins {#p1}\n\n### A\n\n## Zwei {#p2}\n\n#### B\n"
    result = compile_files(tmp_path, {"01-a.md": text})
    assert result.course is not None
    html = {
        p.id: "".join(b.html for b in p.blocks if isinstance(b, HtmlBlock))
        for p in result.course.pages
    }
    first, second = html["p1"], html["p2"]
    assert _levels(first) == [("h2", "A")]
    assert _levels(second) == [("h2", "B")]


def test_the_course_overview_starts_at_h2(tmp_path: Path) -> None:
    overview = COURSE_MD.replace("Übersicht.", "#### Ziele\n\nText.\n\n##### Ablauf\n")
    result = compile_files(tmp_path, {"course.md": overview})
    assert result.course is not None
    assert _levels(result.course.overview_html) == [("h2", "Ziele"), ("h3", "Ablauf")]


def test_the_cached_tokens_keep_the_authored_level() -> None:
    tokens, _env = parse("### A\n")
    shifted = leveled(tokens, HeadingLevels())
    assert [t.tag for t in shifted if t.type.startswith("heading")] == ["h2", "h2"]
    assert [t.tag for t in tokens if t.type.startswith("heading")] == ["h3", "h3"]
    assert all(isinstance(t, Token) for t in shifted)
