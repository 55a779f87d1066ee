"""Test questions frozen into an attempt, so later content edits never change a graded test."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import cast

from learning.content.model import (
    MatchChoice,
    Option,
    Question,
    QuestionType,
    ScenarioOption,
    ScenarioStep,
)


def question_to_json(q: Question) -> dict[str, object]:
    return {
        "id": q.id,
        "type": q.type,
        "stem_html": q.stem_html,
        "options": [
            {
                "position": o.position,
                "html": o.html,
                "feedback_html": o.feedback_html,
                "correct": o.correct,
                "text": o.text,
                "order": o.order,
                "match": o.match,
            }
            for o in q.options
        ],
        "explanation_html": q.explanation_html,
        "match_choices": [
            {"position": c.position, "html": c.html, "text": c.text} for c in q.match_choices
        ],
        "steps": [
            {
                "id": s.id,
                "title": s.title,
                "html": s.html,
                "line": s.line,
                "options": [
                    {
                        "position": o.position,
                        "html": o.html,
                        "feedback_html": o.feedback_html,
                        "target": o.target,
                    }
                    for o in s.options
                ],
            }
            for s in q.steps.values()
        ],
        "start_step": q.start_step,
        "intro_html": q.intro_html,
        "line": q.line,
        "silenced": sorted(q.silenced),
    }


def question_from_json(d: Mapping[str, object]) -> Question:
    """Inverse of `question_to_json`; raises KeyError/TypeError on a malformed snapshot."""
    options = tuple(
        Option(
            position=_int(o["position"]),
            html=str(o["html"]),
            feedback_html=str(o["feedback_html"]),
            correct=bool(o["correct"]),
            text=str(o["text"]),
            order=None if o["order"] is None else _int(o["order"]),
            match=None if o["match"] is None else _int(o["match"]),
        )
        for o in _dicts(d["options"])
    )
    choices = tuple(
        MatchChoice(_int(c["position"]), str(c["html"]), str(c["text"]))
        for c in _dicts(d["match_choices"])
    )
    steps = {
        str(s["id"]): ScenarioStep(
            id=str(s["id"]),
            title=str(s["title"]),
            html=str(s["html"]),
            options=tuple(
                ScenarioOption(
                    _int(o["position"]), str(o["html"]), str(o["feedback_html"]), str(o["target"])
                )
                for o in _dicts(s["options"])
            ),
            line=_int(s["line"]),
        )
        for s in _dicts(d["steps"])
    }
    return Question(
        id=str(d["id"]),
        type=cast(QuestionType, str(d["type"])),
        stem_html=str(d["stem_html"]),
        options=options,
        explanation_html=str(d["explanation_html"]),
        match_choices=choices,
        steps=MappingProxyType(steps),
        start_step=str(d["start_step"]),
        intro_html=str(d["intro_html"]),
        line=_int(d["line"]),
        # Snapshots written before item checks existed have no "silenced".
        silenced=frozenset(str(c) for c in _list(d.get("silenced"))),
    )


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


def _int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("snapshot: expected an integer")
    return value


def _dicts(value: object) -> list[dict[str, int | str | bool | None]]:
    if not isinstance(value, list):
        raise TypeError("snapshot: expected a list")
    return [cast(dict[str, int | str | bool | None], v) for v in value]
