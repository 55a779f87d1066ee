"""Building small throw-away courses for tests."""

from __future__ import annotations

from pathlib import Path

from learning.content.compiler import compile_course
from learning.content.model import CompileResult, Diagnostic

FIXTURE_COURSES = Path(__file__).parent / "courses"
FIXTURE = FIXTURE_COURSES / "fixture-kurs"

COURSE_MD = """\
---
id: k
title: Kurs
language: de
duration: 10
pass_mark: 80
max_attempts: 3
version: "1.0"
---

Übersicht.
"""

LESSON_MD = """\
---
id: a
title: A
---

## Seite {#s1}

Text.
"""

TEST_MD = """\
---
id: t
title: Test
kind: test
---

## Test {#t1}

::: question {#tq}
Frage?

- (x) Ja
  > gut
- ( ) Nein
  > schlecht

Erklärung: so.
:::
"""

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>'


def lesson(body: str, front: str = "id: a\ntitle: A") -> str:
    return f"---\n{front}\n---\n\n{body}"


def page(body: str, front: str = "id: a\ntitle: A") -> str:
    """A lesson with one page whose content is `body`."""
    return lesson(f"## Seite {{#s1}}\n\n{body}", front)


def write_course(
    root: Path, files: dict[str, str | bytes | None] | None = None, folder: str = "k"
) -> Path:
    """A valid course in root/courses/<folder>; `files` overrides (None removes a file)."""
    course = root / "courses" / folder
    (course / "media").mkdir(parents=True, exist_ok=True)
    content: dict[str, str | bytes | None] = {
        "course.md": COURSE_MD,
        "01-a.md": LESSON_MD,
        "90-test.md": TEST_MD,
        "media/bild.svg": SVG,
    }
    content.update(files or {})
    for name, text in content.items():
        path = course / name
        if text is None:
            path.unlink(missing_ok=True)
        elif isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return course


def compile_files(root: Path, files: dict[str, str | bytes | None]) -> CompileResult:
    return compile_course(write_course(root, files))


def line_no(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the `occurrence`-th line containing `needle`."""
    seen = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if needle in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{needle!r} not in text")


def codes(diagnostics: tuple[Diagnostic, ...]) -> list[tuple[str, str, int]]:
    return [(d.code, d.path, d.line) for d in diagnostics]


def split_export(body: bytes, delimiter: str = ";") -> tuple[list[list[str]], dict[str, str]]:
    """A CSV export as (header and rows, facts): the facts follow the first empty line."""
    import csv
    import io

    records = list(
        csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=delimiter)
    )
    end = records.index([]) if [] in records else len(records)
    return records[:end], {r[0]: r[1] for r in records[end + 1 :] if len(r) >= 2}
