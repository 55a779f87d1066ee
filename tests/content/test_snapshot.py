from __future__ import annotations

import json

import pytest

from learning.content.compiler import compile_course
from learning.content.snapshot import question_from_json, question_to_json
from tests.helpers import FIXTURE


def test_every_fixture_question_round_trips_through_json() -> None:
    course = compile_course(FIXTURE).course
    assert course is not None
    questions = [q for p in course.pages for q in p.questions]
    assert {q.type for q in questions} == {
        "single",
        "multiple",
        "truefalse",
        "text",
        "ordering",
        "matching",
        "reflection",
        "scenario",
    }
    for question in questions:
        stored = json.loads(json.dumps(question_to_json(question)))
        restored = question_from_json(stored)
        assert restored == question
        assert restored.solution() == question.solution()


def test_malformed_snapshot_raises_type_error() -> None:
    with pytest.raises(TypeError):
        question_from_json({"id": "x", "options": "kaputt"})
