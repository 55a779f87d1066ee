from __future__ import annotations

from pathlib import Path

from learning.content import frontmatter
from learning.content.diagnostics import Diagnostics
from tests.helpers import LESSON_MD, compile_files


def parse(text: str) -> tuple[frontmatter.FrontMatter | None, Diagnostics]:
    diags = Diagnostics()
    result = frontmatter.parse(frontmatter.split(text), frontmatter.LESSON_SCHEMA, "x.md", diags)
    return result, diags


def test_split_keeps_line_numbers_of_the_body() -> None:
    split = frontmatter.split("---\nid: a\n---\n## Seite\n")
    assert split.yaml_text == "id: a"
    assert split.body.split("\n")[3] == "## Seite"


def test_defaults_and_item_lines() -> None:
    front, diags = parse('---\nid: a\ntitle: A\nsources:\n  - "Eins"\n  - "Zwei"\n---\n')
    assert diags.errors == []
    assert front is not None
    assert front.values["kind"] == "lesson"
    assert front.values["sources"] == ("Eins", "Zwei")
    assert front.item_lines["sources"] == [5, 6]


def test_bool_is_not_an_int() -> None:
    diags = Diagnostics()
    text = "---\nid: k\ntitle: K\nlanguage: de\nduration: true\npass_mark: 80\n"
    text += "max_attempts: 1\nversion: '1'\n---\n"
    frontmatter.parse(frontmatter.split(text), frontmatter.COURSE_SCHEMA, "c.md", diags)
    assert [(d.code, d.line) for d in diags.errors] == [("E105", 5)]


def test_numeric_version_gets_a_quoting_hint() -> None:
    diags = Diagnostics()
    text = "---\nid: k\ntitle: K\nlanguage: de\nduration: 5\npass_mark: 80\n"
    text += "max_attempts: 1\nversion: 1.0\n---\n"
    frontmatter.parse(frontmatter.split(text), frontmatter.COURSE_SCHEMA, "c.md", diags)
    (error,) = diags.errors
    assert (error.code, error.line) == ("E105", 8)
    assert 'Anführungszeichen setzen, z. B. "1.0"' in error.message


def test_pass_mark_range() -> None:
    diags = Diagnostics()
    text = "---\nid: k\ntitle: K\nlanguage: de\nduration: 5\npass_mark: 101\n"
    text += "max_attempts: 0\nversion: '1'\n---\n"
    frontmatter.parse(frontmatter.split(text), frontmatter.COURSE_SCHEMA, "c.md", diags)
    assert [(d.code, d.line) for d in diags.errors] == [("E105", 6), ("E105", 7)]


def test_unclosed_front_matter() -> None:
    _, diags = parse("---\nid: a\n")
    assert [(d.code, d.line) for d in diags.errors] == [("E106", 1)]


def test_front_matter_that_is_not_a_mapping() -> None:
    _, diags = parse("---\n- a\n- b\n---\n")
    assert [(d.code, d.line) for d in diags.errors] == [("E106", 2)]


def test_impossible_date_is_a_diagnostic() -> None:
    _, diags = parse("---\nid: a\ntitle: 2024-13-45\n---\n")
    assert [d.code for d in diags.errors] == ["E102"]


def test_a_control_character_escaped_in_yaml_is_refused_with_its_line(tmp_path: Path) -> None:
    # "\0" in a double-quoted YAML string is a NUL in the title: it would break the page.
    course = compile_files(tmp_path, {"01-a.md": LESSON_MD.replace("title: A", 'title: "A\\0B"')})
    assert course.course is None
    errors = [(Path(d.path).name, d.line, d.code) for d in course.errors]
    assert ("01-a.md", 3, "E105") in errors
    assert "U+0000" in next(d.message for d in course.errors if d.code == "E105")
