"""The course's scope for the certificate: `scope: 4 UE` or `scope: 2,5 Stunden`."""

from __future__ import annotations

from pathlib import Path

import pytest

from learning.content.scope import parse_scope
from tests.helpers import COURSE_MD, compile_files


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("4 UE", "4 Unterrichtseinheiten (UE, je 45 Minuten)"),
        ("1 Unterrichtseinheit", "1 Unterrichtseinheit (UE, je 45 Minuten)"),
        ("2,5 Stunden", "2,5 Zeitstunden"),
        ("2.5 h", "2,5 Zeitstunden"),
        ("1 Stunde", "1 Zeitstunde"),
        ("3 Std.", "3 Zeitstunden"),
    ],
)
def test_good_values_are_normalised(value: str, text: str) -> None:
    assert parse_scope(value) == (text, None)


@pytest.mark.parametrize("value", ["vier Stunden", "4", "4 Tage", "0 UE", "900 h", "UE 4", True])
def test_bad_values_say_what_is_expected(value: object) -> None:
    text, problem = parse_scope(value)
    assert text is None and problem is not None


def test_the_compiled_course_carries_the_scope(tmp_path: Path) -> None:
    result = compile_files(
        tmp_path, {"course.md": COURSE_MD.replace("duration: 10", "duration: 10\nscope: 4 UE")}
    )
    assert result.course is not None and not result.errors
    assert result.course.scope == "4 Unterrichtseinheiten (UE, je 45 Minuten)"
    plain = compile_files(tmp_path / "b", {})
    assert plain.course is not None and plain.course.scope == ""


@pytest.mark.parametrize("folder", ["alles-nur-kultur", "kultursensible-beratung"])
def test_the_bundled_courses_state_their_scope(folder: str) -> None:
    text = (Path(__file__).resolve().parents[2] / "courses" / folder / "course.md").read_text(
        encoding="utf-8"
    )
    scope = next(line for line in text.splitlines() if line.startswith("scope:"))
    assert parse_scope(scope.split(":", 1)[1].strip().strip('"'))[1] is None
