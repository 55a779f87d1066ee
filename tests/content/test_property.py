"""Hostile and arbitrary input: the compiler reports, never crashes, never emits script."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learning.content.compiler import compile_course
from learning.content.model import Course, HtmlBlock
from tests.helpers import COURSE_MD, TEST_MD, write_course

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//x.example/a.js></SCRIPT>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x]( javascript:alert(1) )",
    "[x](<javascript:alert(1)>)",
    "![x](javascript:alert(1))",
    "<javascript:alert(1)>",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "<img src=x onerror=alert(1)>",
    '<a href="x" onclick="alert(1)">a</a>',
    '[a](https://x.example" onmouseover="alert(1))',
    '![a" onerror="alert(1)](media/bild.svg)',
    "[x][r]\n\n[r]: javascript:alert(1)",
    "::: details <script>alert(1)</script>\nx\n:::",
    '::: hinweis " onload="x\nx\n:::',
    "## <script>x</script> {#s9}",
    "[^1]\n\n[^1]: <script>x</script>",
    "`<script>`",
    "&lt;script&gt;",
    ":::",
    "::: question {#",
    "- (x) [x](javascript:x)\n  > <script>",
    "---",
    "\x00\ufeff\r\n",
]

TEMPLATE_LESSON = """\
---
id: a
title: {title}
---

## Seite {{#s1}}

{prose}

::: question {{#q1}}
{stem}

- (x) {option}
  > {feedback}
- ( ) Nein
  > Nein.

Erklärung: {explanation}
:::

::: matching {{#m1}}
Zuordnen.

- Links = {option}
- Anders = Rechts
:::

::: scenario {{#sz}}
{prose}

### Start {{#start}}
{stem}

- {option} -> ende
  > {feedback}

### Ende {{#ende}}
{explanation}
:::
"""

SLOTS = ["title", "prose", "stem", "option", "feedback", "explanation"]

texts = st.one_of(
    st.text(max_size=80),
    st.sampled_from(HOSTILE),
    st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=20)), max_size=4).map("\n".join),
)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "object", "embed", "style"):
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag} {name}=")
            squashed = "".join((value or "").split()).lower()
            if squashed.startswith(("javascript:", "data:", "vbscript:")):
                self.problems.append(f"{tag} {name}={value}")


def all_html(course: Course) -> Iterator[str]:
    yield course.overview_html
    for entry in course.glossary:
        yield entry.html
    for lesson in course.lessons:
        yield from lesson.sources_html
        for page in lesson.pages:
            yield page.footnotes_html
            for block in page.blocks:
                if isinstance(block, HtmlBlock):
                    yield block.html
                    continue
                yield from (block.stem_html, block.explanation_html, block.intro_html)
                for option in block.options:
                    yield from (option.html, option.feedback_html)
                yield from (choice.html for choice in block.match_choices)
                for step in block.steps.values():
                    yield step.html
                    for scenario_option in step.options:
                        yield from (scenario_option.html, scenario_option.feedback_html)


def assert_safe(course: Course) -> None:
    for html in all_html(course):
        assert "<script" not in html.lower()
        collector = _Collector()
        collector.feed(html)
        assert collector.problems == [], html


def compile_in_tmp(files: dict[str, str | bytes | None]) -> Course | None:
    with tempfile.TemporaryDirectory() as tmp:
        # Any exception fails the property: bad input is reported as diagnostics.
        result = compile_course(write_course(Path(tmp), files))
    if result.course is not None:
        assert result.errors == ()
    return result.course


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(slot=st.sampled_from(SLOTS), text=texts)
def test_arbitrary_text_in_any_position(slot: str, text: str) -> None:
    values = dict.fromkeys(SLOTS, "x")
    values[slot] = text
    course = compile_in_tmp({"01-a.md": TEMPLATE_LESSON.format(**values)})
    if course is not None:
        assert_safe(course)


@settings(max_examples=80, deadline=None)
@given(text=texts)
def test_arbitrary_course_overview_glossary_and_test(text: str) -> None:
    files: dict[str, str | bytes | None] = {
        "course.md": COURSE_MD + "\n" + text + "\n",
        "glossary.md": f"## Begriff {{#begriff}}\n\n{text}\n",
        "90-test.md": TEST_MD.replace("Frage?", text or "Frage?"),
    }
    course = compile_in_tmp(files)
    if course is not None:
        assert_safe(course)


@settings(max_examples=80, deadline=None)
@given(data=st.binary(max_size=300))
def test_arbitrary_bytes_as_a_file(data: bytes) -> None:
    compile_in_tmp({"01-a.md": data, "course.md": COURSE_MD.encode() + data})


@settings(max_examples=60, deadline=None)
@given(front=st.text(max_size=120))
def test_arbitrary_front_matter(front: str) -> None:
    compile_in_tmp({"01-a.md": f"---\n{front}\n---\n\n## Seite\n\nText.\n"})


def test_template_compiles_cleanly() -> None:
    # Guards the property tests above: with harmless text the template must compile.
    course = compile_in_tmp({"01-a.md": TEMPLATE_LESSON.format(**dict.fromkeys(SLOTS, "x"))})
    assert course is not None
    assert_safe(course)
