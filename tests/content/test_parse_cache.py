"""A recompile from cached parses gives what a fresh compile gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it.token import Token

from learning.content import frontmatter
from learning.content.catalog import Catalog
from learning.content.compiler import compile_course
from learning.content.markdown import _parse, parse
from learning.content.model import HtmlBlock
from learning.content.parse_cache import ParseCache
from tests.helpers import FIXTURE, write_course

BUNDLED = Path(__file__).parents[2] / "courses"


def test_recompiling_the_bundled_courses_gives_the_same_model() -> None:
    catalog = Catalog(BUNDLED)
    catalog.load()
    first = catalog.results
    catalog.load()  # every file is now a cache hit
    second = catalog.results
    assert [r.course.id for r in first.values() if r.course] == [
        "alles-nur-kultur",
        "kultursensible-beratung",
    ]
    # Every rendered fragment, id, line and warning: a compile that stripped an
    # option marker from a shared token would strip it again here, or fail.
    assert second == first


def test_an_edited_file_is_parsed_again(tmp_path: Path) -> None:
    course_dir = write_course(tmp_path)
    catalog = Catalog(tmp_path / "courses")
    catalog.load()
    lesson = course_dir / "01-a.md"
    lesson.write_text(lesson.read_text().replace("Text.", "Neuer *Text*."))
    course = catalog.reload("k").course
    assert course is not None
    block = course.lessons[0].pages[0].blocks[0]
    assert isinstance(block, HtmlBlock) and block.html == "<p>Neuer <em>Text</em>.</p>\n"


@pytest.mark.parametrize("folder", [*sorted(BUNDLED.iterdir()), FIXTURE], ids=lambda p: p.name)
def test_compiling_leaves_the_cached_tokens_as_parsed(folder: Path) -> None:
    compile_course(folder)
    for path in sorted(folder.glob("*.md")):
        body = frontmatter.split(path.read_text(encoding="utf-8")).body
        assert parse(body) == _parse(body), path.name  # cached (compiled) == fresh


def test_each_compile_gets_its_own_environment() -> None:
    text = "Text[^1]\n\n[^1]: Fußnote\n"
    _, env = parse(text)
    env["footnotes"]["list"][0]["count"] = 99  # what a later footnote reference does
    assert parse(text)[1]["footnotes"]["list"][0]["count"] == 1


def test_the_least_recently_used_text_is_dropped() -> None:
    parsed: list[str] = []

    def fake_parse(text: str) -> tuple[list[Token], dict[str, object]]:
        parsed.append(text)
        return [Token("paragraph_open", "p", 1)], {}

    cache = ParseCache(fake_parse, size=2)
    cache("a")
    cache("b")
    cache("a")  # hit: "b" is now the oldest
    cache("c")
    assert len(cache) == 2
    cache("a")
    cache("b")
    assert parsed == ["a", "b", "c", "b"]
