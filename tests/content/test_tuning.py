"""The tuned parser finds exactly the tokens the untuned one finds."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learning.content.markdown import configured, markdown
from tests.content.test_property import HOSTILE
from tests.helpers import FIXTURE_COURSES

ROOT = Path(__file__).parents[2]
SOURCES = sorted([*(ROOT / "courses").glob("*/*.md"), *FIXTURE_COURSES.glob("*/*.md")])

# Line starts that some block rule reacts to, and some it must not, so a wrong
# guard character or a rule switched off that still mattered shows as a difference.
LINE_PARTS = [
    "",
    "   ",
    "    ",
    "\t",
    "Text",
    "- ",
    "* ",
    "+ ",
    "1. ",
    "2) ",
    "10. ",
    "> ",
    ">",
    "## ",
    "#",
    "```",
    "~~~",
    "---",
    "***",
    "___",
    "===",
    "|a|b|",
    "|---|:-:|",
    "[a]: /ziel",
    "[^1]: ",
    "[^1]",
    "::: question {#q}",
    "::: hinweis Titel",
    ":::",
    "<div>",
    "<!-- x -->",
    "https://example.org",
    "*x* **y** ~~z~~ `c` \\* &amp; <a@b.de>",
    "[l](glossar:x) ![b](media/b.svg)",
    "(x) ",
    "[ ] ",
    "=",
]
lines = st.lists(st.sampled_from(LINE_PARTS), min_size=1, max_size=3).map("".join)
documents = st.lists(lines, max_size=12).map("\n".join)


def assert_same_tokens(text: str) -> None:
    assert markdown().parse(text, {}) == configured().parse(text, {})


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_course_files(path: Path) -> None:
    assert_same_tokens(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input(text: str) -> None:
    assert_same_tokens(text)


@settings(max_examples=300, deadline=None)
@given(documents)
def test_generated_markdown(text: str) -> None:
    assert_same_tokens(text)
