"""Scoring answers against the course model: pure functions, no I/O."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from learning.content.model import Question
from learning.core.i18n import N_

MAX_TEXT_LENGTH = 10_000


class AnswerError(ValueError):
    """A submitted form does not fit the question; the message is shown to the learner,
    at `field` (the form field at fault; None: the question as a whole)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field

    @property
    def message(self) -> str:
        """The message as raised (a `Message` keeps its values for translation)."""
        first = self.args[0] if self.args else None
        return first if isinstance(first, str) else str(self)


@dataclass(frozen=True, slots=True)
class Grade:
    question_id: str
    correct: bool | None
    score: float
    selected: tuple[int, ...]
    response: dict[str, object]
    feedback_html: tuple[str, ...]


def normalise_text(s: str) -> str:
    return " ".join(unicodedata.normalize("NFC", s).casefold().split())


def _values(form: Mapping[str, Sequence[str]], name: str) -> list[str]:
    raw = form.get(name, ())
    values = [raw] if isinstance(raw, str) else list(raw)
    return [v for v in values if v.strip()]


def _position(value: str, maximum: int) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        raise AnswerError(N_("Ungültige Auswahl: „%(value)s“.", value=value[:20])) from None
    if not 1 <= number <= maximum:
        raise AnswerError(
            N_("Ungültige Auswahl: %(n)s (erlaubt 1 bis %(max)s).", n=number, max=maximum)
        )
    return number


def _single_value(form: Mapping[str, Sequence[str]], name: str) -> str | None:
    values = _values(form, name)
    if len(values) > 1:
        raise AnswerError(N_("Bitte nur eine Antwort wählen."))
    return values[0] if values else None


def parse_answer(q: Question, form: Mapping[str, Sequence[str]]) -> dict[str, object] | None:
    """The normalised response for `q` from a posted form; None when left unanswered."""
    if q.type in ("single", "truefalse"):
        value = _single_value(form, q.id)
        return None if value is None else {"selected": [_position(value, len(q.options))]}
    if q.type == "multiple":
        chosen = {_position(v, len(q.options)) for v in _values(form, q.id)}
        return {"selected": sorted(chosen)} if chosen else None
    if q.type in ("text", "reflection"):
        text = _single_value(form, q.id)
        if text is None:
            return None
        if len(text) > MAX_TEXT_LENGTH:
            raise AnswerError(
                N_("Die Antwort ist zu lang (höchstens %(n)s Zeichen).", n=MAX_TEXT_LENGTH)
            )
        return {"text": text.strip()}
    if q.type in ("ordering", "matching"):
        return _parse_fields(q, form)
    return _parse_scenario(q, form)


def _parse_fields(q: Question, form: Mapping[str, Sequence[str]]) -> dict[str, object] | None:
    names = [f"{q.id}.{o.position}" for o in q.options]
    values = [_single_value(form, name) for name in names]
    if all(v is None for v in values):
        return None
    missing = next((name for name, v in zip(names, values, strict=True) if v is None), None)
    if missing is not None:
        raise AnswerError(N_("Bitte für jedes Element eine Auswahl treffen."), missing)
    if q.type == "ordering":
        positions = [
            _field_position(v or "", len(q.options), n) for v, n in zip(values, names, strict=True)
        ]
        twice = next((n for i, n in enumerate(names) if positions[i] in positions[:i]), None)
        if twice is not None:
            raise AnswerError(N_("Jede Position darf nur einmal vergeben werden."), twice)
        return {"positions": positions}
    valid = {c.position for c in q.match_choices}
    matches: dict[str, int] = {}
    for option, value, name in zip(q.options, values, names, strict=True):
        number = _field_position(value or "", max(valid), name)
        if number not in valid:
            raise AnswerError(N_("Ungültige Auswahl: %(n)s.", n=number), name)
        matches[str(option.position)] = number
    return {"matches": matches}


def _field_position(value: str, maximum: int, name: str) -> int:
    try:
        return _position(value, maximum)
    except AnswerError as exc:
        raise AnswerError(exc.message, name) from None


def _parse_scenario(q: Question, form: Mapping[str, Sequence[str]]) -> dict[str, object] | None:
    value = _single_value(form, q.id)
    if value is None:
        return None
    step_id = _single_value(form, "step") or q.start_step
    step = q.steps.get(step_id)
    if step is None or step.is_end:
        raise AnswerError(N_("Unbekannter Schritt im Fall."))
    option = step.options[_position(value, len(step.options)) - 1]
    return {"step": step.id, "option": option.position, "target": option.target}


def grade(q: Question, response: Mapping[str, object]) -> Grade:
    """Score one normalised response (as returned by `parse_answer` or read from storage)."""
    if q.type in ("single", "multiple", "truefalse"):
        selected = tuple(_int_list(response.get("selected")))
        chosen = [o for o in q.options if o.position in selected]
        correct = {o.position for o in q.options if o.correct} == set(selected)
        feedback = tuple(o.feedback_html for o in chosen if o.feedback_html)
        return _grade(q, correct, selected, response, feedback)
    if q.type == "text":
        answer = normalise_text(str(response.get("text", "")))
        hit = next((o for o in q.options if normalise_text(o.text) == answer), None)
        correct = hit is not None and hit.correct
        feedback = (hit.feedback_html,) if hit is not None and hit.feedback_html else ()
        return _grade(q, correct, (), response, feedback)
    if q.type == "ordering":
        positions = _int_list(response.get("positions"))
        wrong = [o for o, p in zip(q.options, positions, strict=False) if o.order != p]
        correct = len(positions) == len(q.options) and not wrong
        feedback = tuple(o.feedback_html for o in wrong if o.feedback_html)
        return _grade(q, correct, tuple(positions), response, feedback)
    if q.type == "matching":
        raw = response.get("matches")
        matches = raw if isinstance(raw, Mapping) else {}
        wrong = [o for o in q.options if matches.get(str(o.position)) != o.match]
        feedback = tuple(o.feedback_html for o in wrong if o.feedback_html)
        return _grade(q, not wrong, (), response, feedback)
    if q.type == "scenario":
        step = q.steps.get(str(response.get("step", "")))
        position = response.get("option")
        option = next((o for o in step.options if o.position == position), None) if step else None
        feedback = (option.feedback_html,) if option is not None and option.feedback_html else ()
        selected = (option.position,) if option is not None else ()
        return Grade(q.id, None, 0.0, selected, dict(response), feedback)
    return Grade(q.id, None, 0.0, (), dict(response), ())


def _grade(
    q: Question,
    correct: bool,
    selected: tuple[int, ...],
    response: Mapping[str, object],
    feedback: tuple[str, ...],
) -> Grade:
    return Grade(q.id, correct, 1.0 if correct else 0.0, selected, dict(response), feedback)


def _int_list(value: object) -> list[int]:
    if not isinstance(value, list | tuple):
        return []
    return [v for v in value if isinstance(v, int) and not isinstance(v, bool)]


@dataclass(frozen=True, slots=True)
class ScoredAnswer:
    question: Question
    response: dict[str, object] | None
    correct: bool


@dataclass(frozen=True, slots=True)
class TestScore:
    answers: tuple[ScoredAnswer, ...]
    # 0..100, one decimal: what the result page and the reports show.
    percent: float


def score_test(questions: Sequence[Question], form: Mapping[str, Sequence[str]]) -> TestScore:
    """The final test's score: each question right or wrong, a share of all questions.

    A missing or damaged answer counts as wrong rather than failing the whole test.
    """
    answers: list[ScoredAnswer] = []
    for q in questions:
        try:
            response = parse_answer(q, form)
        except AnswerError:
            response = None
        correct = bool(response is not None and grade(q, response).correct)
        answers.append(ScoredAnswer(q, response, correct))
    right = sum(a.correct for a in answers)
    percent = round(100 * right / len(answers), 1) if answers else 0.0
    return TestScore(tuple(answers), percent)
