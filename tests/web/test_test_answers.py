"""Drafts and answers of an open final-test attempt (web/test_answers.py)."""

from __future__ import annotations

from learning.content.compiler import compile_course
from learning.content.model import Question
from learning.web.test_answers import invalid_answers, prefill
from tests.helpers import FIXTURE


def _question(question_id: str) -> Question:
    course = compile_course(FIXTURE).course
    assert course is not None
    return next(q for p in course.content_pages for q in p.questions if q.id == question_id)


def test_a_draft_that_is_not_a_valid_answer_still_shows_what_it_holds() -> None:
    ordering = _question("dmis-1")
    twice = {"dmis-1.1": ["1"], "dmis-1.2": ["1"], "dmis-1.3": ["2"]}
    assert prefill(ordering, twice) == {"positions": [1, 1, 2]}
    half = {"dmis-1.1": ["3"]}
    assert prefill(ordering, half) == {"positions": [3, None, None]}
    matching = _question("zwiebel-2")
    assert prefill(matching, {"zwiebel-2.2": ["1"]}) == {"matches": {"2": 1}}


def test_invalid_answers_name_the_question_and_the_field() -> None:
    questions = [_question("eisberg-1"), _question("dmis-1")]
    form = {"eisberg-1": ["1"], "dmis-1.1": ["2"], "dmis-1.2": ["2"], "dmis-1.3": ["1"]}
    assert invalid_answers(questions, form, lambda s: s) == [
        ("dmis-1.2", "Frage 2: Jede Position darf nur einmal vergeben werden.")
    ]
    assert invalid_answers(questions, {}, lambda s: s) == []
