"""One test per error and warning code, each asserting the exact file and line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from learning.content.compiler import compile_all
from learning.content.diagnostics import CODES
from tests.content.test_item_checks import ITEM_CODES
from tests.helpers import (
    COURSE_MD,
    LESSON_MD,
    TEST_MD,
    compile_files,
    lesson,
    line_no,
    page,
    write_course,
)


@dataclass
class Case:
    code: str
    files: dict[str, str | bytes | None]
    file: str  # the file the diagnostic must point at
    needle: str | int  # text on the expected line, or the line number itself
    occurrence: int = 1

    def expected_line(self, files: dict[str, str | bytes | None]) -> int:
        if isinstance(self.needle, int):
            return self.needle
        text = files[self.file]
        assert isinstance(text, str)
        return line_no(text, self.needle, self.occurrence)


def _q(body: str, kind: str = "question", qid: str = "q1") -> str:
    return f"::: {kind} {{#{qid}}}\n{body}\n:::\n"


CHOICE_OK = "- (x) Ja\n  > gut\n- ( ) Nein\n  > schlecht\n\nErklärung: so."
SCENARIO_HEAD = "Einführung.\n\n"
TEST_REFLECTION = TEST_MD.replace(":::\n", ":::\n\n" + _q("Was denken Sie?", "reflection", "r1"))

CASES = [
    Case("E101", {"01-a.md": b"---\nid: a\n\xff\xfe\n---\n"}, "01-a.md", 3),
    Case(
        "E102",
        {"course.md": COURSE_MD.replace("title: Kurs", "title: Kurs: x")},
        "course.md",
        "title: Kurs: x",
    ),
    Case(
        "E103",
        {"course.md": COURSE_MD.replace("language: de", "language: de\ncolour: red")},
        "course.md",
        "colour",
    ),
    Case("E104", {"course.md": COURSE_MD.replace("language: de\n", "")}, "course.md", 1),
    Case(
        "E105",
        {"course.md": COURSE_MD.replace("duration: 10", 'duration: "10"')},
        "course.md",
        "duration",
    ),
    Case("E106", {"01-a.md": "## Seite\n\nText.\n"}, "01-a.md", 1),
    Case("E107", {"01-a.md": LESSON_MD.replace("id: a", "id: Bad_Id")}, "01-a.md", "Bad_Id"),
    Case(
        "E109",
        {"02-b.md": LESSON_MD.replace("{#s1}", "{#s2}")},
        "02-b.md",
        "id: a",
    ),
    Case("E110", {"01-a.md": None, "90-test.md": None}, "course.md", 1),
    Case("E111", {"90-test.md": None}, "course.md", 1),
    Case(
        "E112",
        {
            "91-test.md": TEST_MD.replace("id: t", "id: t2")
            .replace("{#t1}", "{#t2}")
            .replace("{#tq}", "{#tq2}")
        },
        "91-test.md",
        "kind: test",
    ),
    Case(
        "E113",
        {"95-extra.md": LESSON_MD.replace("id: a", "id: x").replace("{#s1}", "{#s9}")},
        "90-test.md",
        "kind: test",
    ),
    Case(
        "E114",
        {"90-test.md": lesson("## Test {#t1}\n\nNur Text.\n", "id: t\ntitle: T\nkind: test")},
        "90-test.md",
        1,
    ),
    Case(
        "E115",
        {"01-a.md": LESSON_MD.replace("{#s1}", "{#s1}\n\nText\x00mit NUL.")},
        "01-a.md",
        "mit NUL",
    ),
    Case(
        "E130",
        {"01-a.md": LESSON_MD.replace("title: A\n", "title: A\ndraw:\n  s1: 1\n")},
        "01-a.md",
        "draw:",
    ),
    Case(
        "E131",
        {"90-test.md": TEST_MD.replace("kind: test\n", "kind: test\ndraw:\n  t9: 1\n")},
        "90-test.md",
        "t9: 1",
    ),
    Case(
        "E132",
        {"90-test.md": TEST_MD.replace("kind: test\n", "kind: test\ndraw:\n  t1: 2\n")},
        "90-test.md",
        "t1: 2",
    ),
    Case(
        "E133",
        {"01-a.md": LESSON_MD.replace("title: A\n", "title: A\ntime_limit: 30\n")},
        "01-a.md",
        "time_limit",
    ),
    Case(
        "E137",
        {"course.md": COURSE_MD.replace("duration: 10", "duration: 10\nscope: vier Stunden")},
        "course.md",
        "scope:",
    ),
    Case("E201", {"01-a.md": lesson("Einleitung ohne Seite.\n\n## Seite\n")}, "01-a.md", "Einl"),
    Case(
        "E202",
        {"02-b.md": LESSON_MD.replace("id: a", "id: b")},
        "02-b.md",
        "## Seite",
    ),
    Case("E203", {"01-a.md": lesson("")}, "01-a.md", 1),
    Case("E204", {"01-a.md": page("# Groß\n")}, "01-a.md", "# Groß"),
    Case("E205", {"01-a.md": page("Text.\n\n::: warnung\nVorsicht\n:::\n")}, "01-a.md", "warnung"),
    Case("E206", {"01-a.md": page("::: hinweis\nOffen bis zum Ende.\n")}, "01-a.md", "hinweis"),
    Case(
        "E207",
        {"course.md": COURSE_MD + "\n" + _q("Frage?\n\n" + CHOICE_OK)},
        "course.md",
        "::: question",
    ),
    Case("E208", {"01-a.md": lesson("## !!!\n\nText.\n")}, "01-a.md", "## !!!"),
    Case(
        "E209",
        {"glossary.md": "## Kultur\n\nA.\n\n## Kultur\n\nB.\n"},
        "glossary.md",
        "## Kultur",
        2,
    ),
    Case(
        "E301",
        {"01-a.md": page("::: question\nFrage?\n\n" + CHOICE_OK + "\n:::\n")},
        "01-a.md",
        ":::",
    ),
    Case(
        "E302",
        {"01-a.md": page(_q("Frage?\n\n" + CHOICE_OK, qid="tq"))},
        "90-test.md",
        "::: question",
    ),
    Case("E303", {"01-a.md": page(_q("Nur ein Fragetext.\n\nErklärung: so."))}, "01-a.md", ":::"),
    Case(
        "E304",
        {"01-a.md": page(_q("Frage?\n\n- (x) Ja\n  > gut\n- Nein\n  > schlecht"))},
        "01-a.md",
        "- Nein",
    ),
    Case(
        "E305",
        {"01-a.md": page(_q("Frage?\n\n- (x) Ja\n  > a\n- (x) Nein\n  > b"))},
        "01-a.md",
        "::: question",
    ),
    Case(
        "E306",
        {"01-a.md": page(_q("Frage?\n\n- [ ] Ja\n  > a\n- [ ] Nein\n  > b"))},
        "01-a.md",
        "::: question",
    ),
    Case(
        "E307",
        {"01-a.md": page(_q("Stimmt das?\n\n- (x) ja\n  > a\n- ( ) nein\n  > b", "truefalse"))},
        "01-a.md",
        "::: truefalse",
    ),
    Case(
        "E308",
        {"01-a.md": page(_q("Wie heißt das?\n\n- [ ] falsch", "text"))},
        "01-a.md",
        "::: text",
    ),
    Case(
        "E309",
        {"01-a.md": page(_q("Ordnen Sie.\n\n- [1] A\n- [1] B", "ordering"))},
        "01-a.md",
        "::: ordering",
    ),
    Case(
        "E310",
        {"01-a.md": page(_q("Ordnen Sie zu.\n\n- A = 1\n- B ohne Gleich", "matching"))},
        "01-a.md",
        "- B ohne",
    ),
    Case("E311", {"90-test.md": TEST_REFLECTION}, "90-test.md", "::: reflection"),
    Case(
        "E312",
        {"01-a.md": page(_q("Frage?\n\n- (x) Ja\n  > a\n- ( ) Nein\n  > b\n\nNachsatz."))},
        "01-a.md",
        "Nachsatz",
    ),
    Case("E313", {"01-a.md": page(_q("- (x) Ja\n  > a\n- ( ) Nein\n  > b"))}, "01-a.md", ":::"),
    Case("E320", {"01-a.md": page(_q("Nur Text.", "scenario"))}, "01-a.md", "::: scenario"),
    Case(
        "E321",
        {
            "01-a.md": page(
                _q("### Start {#s}\nA\n\n- weiter -> s\n  > f\n\n### Zwei {#s}\nEnde.", "scenario")
            )
        },
        "01-a.md",
        "### Zwei",
    ),
    Case(
        "E322",
        {"01-a.md": page(_q("### Start {#s}\nA\n\n- weiter -> nirgends\n  > f", "scenario"))},
        "01-a.md",
        "- weiter",
    ),
    Case(
        "E323",
        {"01-a.md": page(_q("### Start {#s}\nEnde.\n\n### Insel {#i}\nNie erreicht.", "scenario"))},
        "01-a.md",
        "### Insel",
    ),
    Case(
        "E324",
        {
            "01-a.md": page(
                _q(
                    "### Eins {#a}\nA\n\n- x -> b\n  > f\n\n### Zwei {#b}\nB\n\n- y -> a\n  > f",
                    "scenario",
                )
            )
        },
        "01-a.md",
        "::: scenario",
    ),
    Case(
        "E325",
        {
            "01-a.md": page(
                _q(
                    "### Start {#s}\nA\n\n- weiter -> e\n  > f\n- ohne Ziel\n\n### E {#e}\nEnde.",
                    "scenario",
                )
            )
        },
        "01-a.md",
        "- ohne Ziel",
    ),
    Case(
        "E401",
        {"01-a.md": page("Erste Zeile\nzweite [böse](javascript:alert(1)) Zeile.\n")},
        "01-a.md",
        "javascript",
    ),
    Case("E402", {"01-a.md": page("Siehe [X](glossar:unbekannt).\n")}, "01-a.md", "glossar:"),
    Case("E403", {"01-a.md": page("Bild:\n\n![](media/bild.svg)\n")}, "01-a.md", "!["),
    Case("E404", {"01-a.md": page("![Ein Bild](media/fehlt.svg)\n")}, "01-a.md", "fehlt"),
    Case("E405", {"01-a.md": page("![Ein Bild](https://example.org/x.png)\n")}, "01-a.md", "!["),
    Case(
        "E406",
        {
            "media/boese.svg": '<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>',
            "01-a.md": page("Text.\n\n![Ein Bild](media/boese.svg)\n"),
        },
        "01-a.md",
        "boese",
    ),
    Case("W101", {"notizen.md": "Notizen"}, "notizen.md", 1),
    Case(
        "W301",
        {"01-a.md": page(_q("Frage?\n\n- (x) Ja\n  > a\n- ( ) Nein\n  > b"))},
        "01-a.md",
        "::: question",
    ),
    Case(
        "W302",
        {"01-a.md": page(_q("Frage?\n\n- (x) Ja\n  > a\n- ( ) Nein\n\nErklärung: so."))},
        "01-a.md",
        "- ( ) Nein",
    ),
    Case("W401", {"01-a.md": page("Text\nmit Fußnote[^fehlt].\n")}, "01-a.md", "[^fehlt]"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.code for c in CASES])
def test_code_is_reported_at_exact_line(tmp_path: Path, case: Case) -> None:
    files = dict(case.files)
    if case.file not in files:
        base = {"course.md": COURSE_MD, "01-a.md": LESSON_MD, "90-test.md": TEST_MD}
        files[case.file] = base.get(case.file, "")
    result = compile_files(tmp_path, case.files)
    found = result.warnings if case.code.startswith("W") else result.errors
    expected = (case.code, f"courses/k/{case.file}", case.expected_line(files))
    assert expected in [(d.code, d.path, d.line) for d in found], [str(d) for d in found]
    if case.code.startswith("E"):
        assert result.course is None
    else:
        assert result.course is not None


def test_e108_duplicate_course_id_across_folders(tmp_path: Path) -> None:
    write_course(tmp_path, folder="k1")
    write_course(tmp_path, folder="k2")
    results = compile_all(tmp_path / "courses")
    assert results["k1"].course is not None
    assert [(d.code, d.path, d.line) for d in results["k2"].errors] == [
        ("E108", "courses/k2/course.md", 1)
    ]


def test_e407_media_link_leaving_the_folder(tmp_path: Path) -> None:
    body = "Text.\n\n![Die Datenbank](media/db.png)\n\n[Notiz](media/notiz.png)\n"
    course = write_course(tmp_path, {"01-a.md": page(body)})
    (tmp_path / "geheim.sqlite3").write_bytes(b"SQLite format 3")
    (course / "media" / "db.png").symlink_to(tmp_path / "geheim.sqlite3")
    (course / "media" / "notiz.png").symlink_to(course / "course.md")
    (course / "media" / "ins-leere.png").symlink_to(tmp_path / "fehlt")
    (course / "media" / "echt.png").symlink_to(course / "media" / "bild.svg")  # stays inside
    result = compile_all(tmp_path / "courses")["k"]
    assert [(d.code, d.path, d.line) for d in result.errors] == [
        ("E407", "courses/k/01-a.md", line_no(page(body), "Datenbank")),
        ("E407", "courses/k/01-a.md", line_no(page(body), "Notiz")),
        ("E407", "courses/k/media/db.png", 1),
        ("E407", "courses/k/media/ins-leere.png", 1),
        ("E407", "courses/k/media/notiz.png", 1),
    ]
    assert result.course is None


def test_every_code_has_a_test() -> None:
    # E100: tests/test_check.py; E120: tests/content/test_catalog.py; E134-E136:
    # tests/content/test_pools.py; E407 (a symlink) in
    # test_e407_media_link_leaving_the_folder; W501-W512: tests/content/test_item_checks.py.
    tested = (
        {c.code for c in CASES}
        | {"E108", "E100", "E120", "E407", "E134", "E135", "E136"}
        | ITEM_CODES
    )
    assert tested == set(CODES)


def test_all_errors_are_collected_not_only_the_first(tmp_path: Path) -> None:
    body = "Vorweg.\n\n## Seite {#s1}\n\n![](media/x.svg)\n\n[a](javascript:x)\n"
    result = compile_files(tmp_path, {"01-a.md": lesson(body)})
    assert {d.code for d in result.errors} >= {"E201", "E403", "E404", "E401"}


def test_messages_are_german_and_formatted(tmp_path: Path) -> None:
    result = compile_files(tmp_path, {"01-a.md": page("# Groß\n")})
    (error,) = result.errors
    assert str(error) == (
        "courses/k/01-a.md:8: E204 Überschrift der Ebene 1 ('#') ist nicht erlaubt: "
        "Seiten beginnen mit '##'."
    )


def test_authoring_guide_lists_every_code() -> None:
    guide = (Path(__file__).parents[2] / "docs" / "authoring.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| ([EW]\d{3}) \|", guide, flags=re.MULTILINE))
    assert listed == set(CODES)
