"""Answers as a trainer reads them: option texts, pairings and orders, never stored JSON."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

NO_ANSWER = "keine Antwort"


@dataclass(frozen=True, slots=True)
class Choice:
    """An option of a question, as the analysis needs it: its text and what is right.

    `order` is the right place of an ordering item, `match` the right choice of a
    matching item (a position in `AnswerKey.match_labels`).
    """

    position: int
    label: str
    correct: bool
    order: int | None = None
    match: int | None = None


@dataclass(frozen=True, slots=True)
class AnswerKey:
    """One question of the final test, in course order, with what names its answers."""

    question_id: str
    kind: str  # the question type
    choices: tuple[Choice, ...] = ()
    match_labels: Mapping[int, str] = field(default_factory=dict)
    title: str = ""  # the test page the question stands on


def _quoted(text: str) -> str:
    return f"„{text}“"


def _label(key: AnswerKey, position: object) -> str:
    return next(
        (c.label for c in key.choices if str(c.position) == str(position)), f"Option {position}"
    )


def _place(value: object) -> int:
    text = str(value)
    return int(text) if text.isdigit() else 10**6


def _ordering(key: AnswerKey, positions: list[object]) -> str:
    placed = sorted(zip(positions, key.choices, strict=False), key=lambda pair: _place(pair[0]))
    return "; ".join(f"{place}. {choice.label}" for place, choice in placed)


def _matching(key: AnswerKey, matches: Mapping[str, object]) -> str:
    parts = []
    for choice in key.choices:
        picked = matches.get(str(choice.position))
        target = key.match_labels.get(int(str(picked))) if str(picked).isdigit() else None
        parts.append(f"{_quoted(choice.label)} → {_quoted(target) if target else '–'}")
    return "; ".join(parts)


def answer_labels(key: AnswerKey | None, response: object, correct: bool) -> list[tuple[str, bool]]:
    """What one answer chose, as (text, right?): each option of a choice question on its own."""
    if not isinstance(response, dict):
        return [(NO_ANSWER if response is None else str(response)[:80], correct)]
    key = key or AnswerKey("", "")
    selected = response.get("selected")
    if isinstance(selected, list):
        right = {c.position for c in key.choices if c.correct}
        return [(_label(key, p), str(p).isdigit() and int(str(p)) in right) for p in selected]
    positions = response.get("positions")
    if isinstance(positions, list):
        return [(_ordering(key, positions), correct)]
    matches = response.get("matches")
    if isinstance(matches, dict):
        return [(_matching(key, matches), correct)]
    if "text" in response:
        return [(str(response["text"])[:80] or "(leer)", correct)]
    return [(NO_ANSWER, correct)]


def solution_text(key: AnswerKey) -> str:
    """The right answer in the same words as the answers: the trainer compares them at a glance."""
    if key.kind == "ordering":
        return _ordering(key, [c.order for c in key.choices])
    if key.kind == "matching":
        return _matching(key, {str(c.position): c.match for c in key.choices})
    return "; ".join(c.label for c in key.choices if c.correct)
