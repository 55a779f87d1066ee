from __future__ import annotations

import pytest

from learning.content.compiler import compile_course
from learning.content.model import Course, Question
from learning.rules import grading
from learning.rules.grading import AnswerError, grade, normalise_text, parse_answer, score_test
from tests.helpers import FIXTURE


@pytest.fixture(scope="module")
def course() -> Course:
    result = compile_course(FIXTURE)
    assert result.course is not None
    return result.course


def q(course: Course, qid: str) -> Question:
    question = course.question(qid)
    assert question is not None
    return question


def test_normalise_text() -> None:
    assert normalise_text("  Poly\u0308chron \t Zeit\n") == normalise_text("polÿchron zeit")
    assert normalise_text("STRASSE") == normalise_text("straße")


def test_single_choice(course: Course) -> None:
    question = q(course, "eisberg-1")
    assert parse_answer(question, {}) is None
    response = parse_answer(question, {"eisberg-1": ["2"]})
    assert response == {"selected": [2]}
    result = grade(question, response)
    assert (result.correct, result.score, result.selected) == (True, 1.0, (2,))
    assert "Richtig" in result.feedback_html[0]
    assert grade(question, {"selected": [1]}).correct is False


@pytest.mark.parametrize("value", ["0", "3", "x", "1.5"])
def test_invalid_choice_values(course: Course, value: str) -> None:
    with pytest.raises(AnswerError):
        parse_answer(q(course, "eisberg-1"), {"eisberg-1": [value]})


def test_single_choice_rejects_two_values(course: Course) -> None:
    with pytest.raises(AnswerError, match="nur eine"):
        parse_answer(q(course, "eisberg-1"), {"eisberg-1": ["1", "2"]})


def test_multiple_choice_needs_the_exact_set(course: Course) -> None:
    question = q(course, "eisberg-2")
    assert grade(question, parse_answer(question, {"eisberg-2": ["2", "1"]}) or {}).correct
    partial = parse_answer(question, {"eisberg-2": ["1"]})
    assert partial == {"selected": [1]}
    assert grade(question, partial).score == 0.0
    assert not grade(question, {"selected": [1, 2, 3]}).correct


def test_truefalse(course: Course) -> None:
    question = q(course, "zwiebel-1")
    assert grade(question, parse_answer(question, {"zwiebel-1": ["1"]}) or {}).correct
    assert not grade(question, parse_answer(question, {"zwiebel-1": ["2"]}) or {}).correct


def test_text_answers_are_normalised(course: Course) -> None:
    question = q(course, "hall-1")
    response = parse_answer(question, {"hall-1": ["  POLYCHRONE   zeit "]})
    assert response == {"text": "POLYCHRONE   zeit"}
    assert grade(question, response).correct
    wrong = grade(question, {"text": "Monochron"})
    assert wrong.correct is False and "Gegenteil" in wrong.feedback_html[0]
    assert parse_answer(question, {"hall-1": ["   "]}) is None
    with pytest.raises(AnswerError):
        parse_answer(question, {"hall-1": ["x" * (grading.MAX_TEXT_LENGTH + 1)]})


def test_ordering(course: Course) -> None:
    question = q(course, "dmis-1")
    form = {"dmis-1.1": ["3"], "dmis-1.2": ["1"], "dmis-1.3": ["2"]}
    response = parse_answer(question, form)
    assert response == {"positions": [3, 1, 2]}
    assert grade(question, response).correct
    swapped = grade(question, {"positions": [3, 2, 1]})
    assert swapped.correct is False
    assert swapped.feedback_html == ("<p>Verleugnung ist die erste Stufe.</p>\n",)
    assert parse_answer(question, {}) is None
    with pytest.raises(AnswerError, match="nur einmal"):
        parse_answer(question, {"dmis-1.1": ["1"], "dmis-1.2": ["1"], "dmis-1.3": ["2"]})
    with pytest.raises(AnswerError, match="jedes Element"):
        parse_answer(question, {"dmis-1.1": ["1"]})


def test_matching(course: Course) -> None:
    question = q(course, "zwiebel-2")
    form = {"zwiebel-2.1": ["1"], "zwiebel-2.2": ["2"], "zwiebel-2.3": ["3"]}
    response = parse_answer(question, form)
    assert response == {"matches": {"1": 1, "2": 2, "3": 3}}
    assert grade(question, response).correct
    wrong = grade(question, {"matches": {"1": 2, "2": 1, "3": 3}})
    assert wrong.correct is False and wrong.feedback_html == ("<p>Symbole liegen außen.</p>\n",)
    with pytest.raises(AnswerError):
        parse_answer(question, {**form, "zwiebel-2.3": ["9"]})


def test_reflection_is_ungraded(course: Course) -> None:
    question = q(course, "eigene-praegung")
    response = parse_answer(question, {"eigene-praegung": ["Meine Gedanken"]})
    assert response == {"text": "Meine Gedanken"}
    result = grade(question, response)
    assert (result.correct, result.score) == (None, 0.0)


def test_scenario_step(course: Course) -> None:
    question = q(course, "fall-anerkennung")
    response = parse_answer(question, {"fall-anerkennung": ["2"], "step": ["start"]})
    assert response == {"step": "start", "option": 2, "target": "ziel"}
    result = grade(question, response)
    assert result.correct is None and result.selected == (2,)
    assert "Gut:" in result.feedback_html[0]
    with pytest.raises(AnswerError):
        parse_answer(question, {"fall-anerkennung": ["1"], "step": ["ende-gut"]})
    with pytest.raises(AnswerError):
        parse_answer(question, {"fall-anerkennung": ["3"], "step": ["start"]})


def test_score_test_counts_each_question_right_or_wrong(course: Course) -> None:
    test = course.test
    assert test is not None
    questions = test.pages[0].questions
    ids = [q.id for q in questions]
    assert ids[:3] == ["test-1", "test-2", "test-3"]
    right = score_test(questions, {"test-1": ["1"], "test-3": ["Verleugnung"]})
    assert [a.correct for a in right.answers] == [True, False, True]
    assert right.percent == round(200 / 3, 1)
    # A damaged field is a wrong answer, not an error.
    damaged = score_test(questions, {"test-1": ["99"], "test-2": ["x"]})
    assert [a.correct for a in damaged.answers] == [False, False, False]
    assert damaged.percent == 0.0
    assert score_test((), {}).percent == 0.0
