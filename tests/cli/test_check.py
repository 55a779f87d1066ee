from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from learning.cli.check import run_check
from learning.content.compiler import compile_course
from learning.content.orphans import find_orphans
from tests.helpers import FIXTURE, FIXTURE_COURSES, page, write_course


def check(courses: Path, *, as_json: bool) -> tuple[int, str]:
    out = io.StringIO()
    code = run_check(courses, as_json=as_json, out=out)
    return code, out.getvalue()


def test_clean_courses_exit_zero_with_german_summary() -> None:
    code, text = check(FIXTURE_COURSES, as_json=False)
    assert code == 0
    assert text == "OK: 1 Kurs fehlerfrei übersetzt, 0 Fehler, 0 Warnungen.\n"


def test_json_report_of_the_fixture() -> None:
    code, text = check(FIXTURE_COURSES, as_json=True)
    report = json.loads(text)
    assert code == 0
    assert (report["ok"], report["errors"], report["warnings"]) == (True, [], [])
    (course,) = report["courses"]
    assert (course["id"], course["title"], course["version"]) == (
        "fixture-kurs",
        "Fixture-Kurs",
        "1.0",
    )
    lessons = [(lesson["id"], lesson["kind"]) for lesson in course["lessons"]]
    assert lessons == [("grundlagen", "lesson"), ("praxis", "lesson"), ("abschlusstest", "test")]
    solutions = {
        q["id"]: (q["type"], q["solution"])
        for lesson in course["lessons"]
        for p in lesson["pages"]
        for q in p["questions"]
    }
    assert solutions["eisberg-1"] == ("single", 2)
    assert solutions["eisberg-2"] == ("multiple", [1, 2])
    assert solutions["zwiebel-1"] == ("truefalse", True)
    assert solutions["hall-1"] == ("text", ["polychron", "polychrone Zeit"])
    assert solutions["dmis-1"] == ("ordering", [2, 3, 1])
    assert solutions["zwiebel-2"] == ("matching", {"1": 1, "2": 2, "3": 3})
    assert solutions["eigene-praegung"] == ("reflection", None)
    assert solutions["fall-anerkennung"][1]["start"] == "start"
    first_page = course["lessons"][0]["pages"][0]
    assert (first_page["id"], first_page["title"]) == ("was-ist-kultur", "Was ist Kultur?")


def test_errors_are_all_printed_with_exit_one(tmp_path: Path) -> None:
    body = "![](media/fehlt.svg)\n\n[x](javascript:x)\n"
    write_course(tmp_path, {"01-a.md": page(body), "notiz.md": "x"})
    code, text = check(tmp_path / "courses", as_json=False)
    assert code == 1
    lines = text.splitlines()
    assert lines[:4] == [
        "courses/k/01-a.md:8: E403 Bild 'media/fehlt.svg' ohne Alternativtext: "
        "![Beschreibung](...).",
        "courses/k/01-a.md:8: E404 Mediendatei 'media/fehlt.svg' nicht gefunden.",
        "courses/k/01-a.md:10: E401 Unzulässiges Linkziel 'javascript:x': erlaubt sind "
        "http(s)://, mailto:, glossar:, #anker und media/.",
        "courses/k/notiz.md:1: W101 Datei wird nicht verwendet: Lektionsdateien heißen "
        "'NN-name.md'.",
    ]
    assert lines[-1] == "fehlerhaft: 0 Kurse fehlerfrei übersetzt, 3 Fehler, 1 Warnung."


def test_media_link_out_of_the_course_is_reported_with_its_line(tmp_path: Path) -> None:
    course = write_course(tmp_path, {"01-a.md": page("Text.\n\n![Ein Bild](media/a.png)\n")})
    (tmp_path / "learning.sqlite3").write_bytes(b"SQLite format 3")
    (course / "media" / "a.png").symlink_to(tmp_path / "learning.sqlite3")
    code, text = check(tmp_path / "courses", as_json=False)
    assert code == 1
    assert text.splitlines()[:2] == [
        "courses/k/01-a.md:10: E407 Mediendatei 'media/a.png' ist ein Link auf eine Datei "
        "außerhalb von media/; sie wird nicht ausgeliefert (Datei statt Link in media/ ablegen).",
        "courses/k/media/a.png:1: E407 'a.png' ist ein Link außerhalb von media/ (oder ins "
        "Leere); legen Sie die Datei selbst in media/ ab.",
    ]


def test_json_errors(tmp_path: Path) -> None:
    write_course(tmp_path, {"01-a.md": page("# H1\n")})
    code, text = check(tmp_path / "courses", as_json=True)
    report = json.loads(text)
    assert code == 1 and report["ok"] is False and report["courses"] == []
    assert report["errors"] == [
        {
            "path": "courses/k/01-a.md",
            "line": 8,
            "code": "E204",
            "message": "Überschrift der Ebene 1 ('#') ist nicht erlaubt: Seiten beginnen mit '##'.",
        }
    ]


def test_missing_courses_dir_is_e100(tmp_path: Path) -> None:
    code, text = check(tmp_path / "nirgends", as_json=True)
    report = json.loads(text)
    assert code == 1
    assert [(e["code"], e["line"]) for e in report["errors"]] == [("E100", 1)]


def test_folder_without_course_md_is_ignored(tmp_path: Path) -> None:
    write_course(tmp_path)
    (tmp_path / "courses" / "entwurf").mkdir()
    code, text = check(tmp_path / "courses", as_json=False)
    assert code == 0 and "1 Kurs fehlerfrei" in text


def test_find_orphans() -> None:
    course = compile_course(FIXTURE).course
    assert course is not None
    stored = {
        "page": {"was-ist-kultur", "alte-seite"},
        "question": {"eisberg-1", "geloescht", "alt-2"},
    }
    assert find_orphans(course, stored) == [
        "page:alte-seite",
        "question:alt-2",
        "question:geloescht",
    ]
    assert find_orphans(course, {"page": {"zeit"}}) == []
    with pytest.raises(ValueError, match="unknown id kind"):
        find_orphans(course, {"schritt": {"x"}})
