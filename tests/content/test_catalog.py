from __future__ import annotations

from pathlib import Path

from learning.content.catalog import Catalog
from tests.helpers import LESSON_MD, write_course


def test_load_and_get(tmp_path: Path) -> None:
    write_course(tmp_path, folder="b")
    write_course(
        tmp_path,
        {"course.md": (tmp_path / "courses/b/course.md").read_text().replace("id: k", "id: z")},
        folder="a",
    )
    catalog = Catalog(tmp_path / "courses")
    catalog.load()
    assert [c.id for c in catalog.courses] == ["z", "k"]  # sorted by folder name
    course = catalog.get("k")
    assert course is not None and course.id == "k"
    assert catalog.get("fehlt") is None
    assert catalog.diagnostics("k").ok


def test_broken_edit_keeps_last_good_version(tmp_path: Path) -> None:
    course_dir = write_course(tmp_path)
    catalog = Catalog(tmp_path / "courses")
    catalog.load()
    good = catalog.get("k")
    assert good is not None
    (course_dir / "01-a.md").write_text(LESSON_MD.replace("## Seite", "# Kaputt"))
    result = catalog.reload("k")
    assert result.course is None
    assert [(e.code, e.line) for e in result.errors] == [("E203", 1), ("E204", 6), ("E201", 8)]
    assert catalog.get("k") is good
    assert catalog.diagnostics("k").errors == result.errors
    (course_dir / "01-a.md").write_text(LESSON_MD.replace("Text.", "Neuer Text."))
    fixed = catalog.reload("k")
    assert fixed.course is not None and catalog.get("k") is fixed.course
    assert fixed.course.content_hash != good.content_hash


def test_a_deleted_course_file_keeps_the_course_and_says_so(tmp_path: Path) -> None:
    course_dir = write_course(tmp_path)
    catalog = Catalog(tmp_path / "courses")
    catalog.load()
    good = catalog.get("k")
    (course_dir / "course.md").unlink()
    result = catalog.reload("k")
    assert catalog.get("k") is good and catalog.courses == (good,)
    assert [(e.code, e.path, e.line) for e in result.errors] == [("E120", "courses/k/course.md", 1)]
    assert catalog.diagnostics("k").errors == result.errors


def test_a_folder_that_never_compiled_and_is_deleted_is_forgotten(tmp_path: Path) -> None:
    course_dir = write_course(tmp_path, {"01-a.md": LESSON_MD.replace("## Seite", "# Kaputt")})
    catalog = Catalog(tmp_path / "courses")
    catalog.load()
    assert not catalog.results["k"].ok
    (course_dir / "course.md").unlink()
    catalog.reload("k")
    assert catalog.courses == () and "k" not in catalog.results


def test_duplicate_course_id_in_a_second_folder_is_refused(tmp_path: Path) -> None:
    write_course(tmp_path, folder="a")
    catalog = Catalog(tmp_path / "courses")
    catalog.load()
    write_course(tmp_path, folder="b")
    result = catalog.reload("b")
    assert [(e.code, e.path) for e in result.errors] == [("E108", "courses/b/course.md")]
    assert [c.id for c in catalog.courses] == ["k"]
