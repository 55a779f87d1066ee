from __future__ import annotations

import random
from pathlib import Path

from learning.content.model import Course
from learning.web.final_test import snapshot
from tests.helpers import TEST_MD, codes, compile_files, line_no


def _question(qid: str) -> str:
    return f"::: question {{#{qid}}}\nFrage {qid}?\n\n- (x) Ja\n- ( ) Nein\n:::\n"


def pool_test(draw: str) -> str:
    """A test with a group of five questions and a page of two, with `draw` in front."""
    group = "\n".join(_question(f"d{n}") for n in range(1, 6))
    rest = "\n".join(_question(f"r{n}") for n in range(1, 3))
    front = f"---\nid: t\ntitle: Test\nkind: test\n{draw}---\n\n"
    return f"{front}## Dolmetschen {{#dolmetschen}}\n\n{group}\n## Recht {{#recht}}\n\n{rest}"


def _course(tmp_path: Path, draw: str) -> Course:
    result = compile_files(tmp_path, {"90-test.md": pool_test(draw)})
    assert result.errors == ()
    assert result.course is not None
    return result.course


def _drawn(course: Course, seed: int) -> list[str]:
    items, _ = snapshot(course, random.Random(seed))
    return [str(entry["question"]["id"]) for entry in items]


def test_draw_takes_n_of_a_group_and_all_of_pages_not_named(tmp_path: Path) -> None:
    course = _course(tmp_path, "draw:\n  dolmetschen: 2\n")
    draws = {tuple(_drawn(course, seed)) for seed in range(20)}
    for ids in draws:
        assert len([q for q in ids if q.startswith("d")]) == 2
        assert [q for q in ids if q.startswith("r")] == ["r1", "r2"]
        # Drawn questions keep the order the trainer wrote them in.
        assert list(ids) == sorted(ids, key=lambda q: (q[0] != "d", q))
    assert len(draws) > 1  # two attempts can differ


def test_without_draw_every_question_in_written_order(tmp_path: Path) -> None:
    course = _course(tmp_path, "")
    assert _drawn(course, 1) == ["d1", "d2", "d3", "d4", "d5", "r1", "r2"]


def test_bad_draw_values_are_reported_with_path_and_line(tmp_path: Path) -> None:
    text = pool_test("draw:\n  dolmetschen: 6\n  recht: 0\n  gibt-es-nicht: 1\n")
    result = compile_files(tmp_path, {"90-test.md": text})
    path = "courses/k/90-test.md"
    assert codes(result.errors) == [
        ("E132", path, line_no(text, "dolmetschen: 6")),
        ("E132", path, line_no(text, "recht: 0")),
        ("E131", path, line_no(text, "gibt-es-nicht")),
    ]
    assert "1 bis 5" in result.errors[0].message
    text = pool_test("draw:\n  recht: zwei\n")
    result = compile_files(tmp_path, {"90-test.md": text})
    assert codes(result.errors) == [("E132", path, line_no(text, "recht: zwei"))]


def test_draw_outside_the_test_is_an_error(tmp_path: Path) -> None:
    lesson = "---\nid: a\ntitle: A\ndraw:\n  s1: 1\n---\n\n## Seite {#s1}\n\nText.\n"
    result = compile_files(tmp_path, {"01-a.md": lesson, "90-test.md": TEST_MD})
    assert codes(result.errors) == [("E130", "courses/k/01-a.md", 4)]


def test_draw_must_be_a_mapping(tmp_path: Path) -> None:
    text = pool_test("draw: 2\n")
    result = compile_files(tmp_path, {"90-test.md": text})
    assert codes(result.errors) == [("E105", "courses/k/90-test.md", line_no(text, "draw: 2"))]


def test_reveal_policy_is_checked(tmp_path: Path) -> None:
    course_md = (
        "---\nid: k\ntitle: Kurs\nlanguage: de\nduration: 10\npass_mark: 80\n"
        'max_attempts: 3\nversion: "1.0"\nreveal: immer\n---\n\nÜbersicht.\n'
    )
    result = compile_files(tmp_path, {"course.md": course_md})
    assert codes(result.errors) == [("E105", "courses/k/course.md", 9)]
    assert "after_pass_or_last" in result.errors[0].message


def test_reveal_default_is_after_pass_or_last(tmp_path: Path) -> None:
    assert _course(tmp_path, "").reveal == "after_pass_or_last"


def test_reread_maps_a_group_to_the_lessons_to_re_read(tmp_path: Path) -> None:
    course = _course(tmp_path, "reread:\n  dolmetschen: a\n  recht: [a]\n")
    assert course.test is not None
    assert course.test.reread == (("dolmetschen", ("a",)), ("recht", ("a",)))


def test_bad_reread_entries_are_reported_with_path_and_line(tmp_path: Path) -> None:
    text = pool_test("reread:\n  gibt-es-nicht: a\n  recht: unbekannt\n")
    result = compile_files(tmp_path, {"90-test.md": text})
    path = "courses/k/90-test.md"
    assert codes(result.errors) == [
        ("E135", path, line_no(text, "gibt-es-nicht")),
        ("E136", path, line_no(text, "recht: unbekannt")),
    ]


def test_reread_outside_the_test_is_an_error(tmp_path: Path) -> None:
    lesson = "---\nid: a\ntitle: A\nreread:\n  s1: a\n---\n\n## Seite {#s1}\n\nText.\n"
    result = compile_files(tmp_path, {"01-a.md": lesson})
    assert codes(result.errors) == [("E134", "courses/k/01-a.md", 4)]
