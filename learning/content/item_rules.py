"""Item-writing checks on one question at a time: each yields (line, code, message)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from learning.content.item_settings import Thresholds
from learning.content.item_text import (
    distinctive_words,
    plain,
    starts_with_richtig,
    unemphasised_negation,
    words,
)
from learning.content.model import Question

Finding = tuple[int, str, str]

_ALL_NONE_RE = re.compile(
    r"\b(alle|keine)\s+(der\s+)?(oben\s+)?genannten\b"
    r"|\balle\s+(antworten|aussagen|optionen)\s+(sind\s+)?(richtig|korrekt|zutreffend)"
    r"|\bkeine\s+(antwort|aussage|option)\s+(ist\s+)?(richtig|korrekt|zutreffend)",
    re.IGNORECASE,
)
_CHOICE = ("single", "multiple")


def question_findings(q: Question, limits: Thresholds) -> Iterator[Finding]:
    yield from _longer_key(q, limits)
    yield from _all_or_none(q)
    yield from _negation(q)
    yield from _repeated_word(q, limits)
    yield from _one_wrong(q)
    yield from _richtig_feedback(q)


def much_longer(key: int, others: list[int], limits: Thresholds) -> bool:
    if not others:
        return False
    mean = sum(others) / len(others)
    return key >= limits.length_ratio * mean and key >= mean + limits.length_margin


def _longer_key(q: Question, limits: Thresholds) -> Iterator[Finding]:
    if q.type != "single":
        return
    key = next(len(o.text) for o in q.options if o.correct)
    others = [len(o.text) for o in q.options if not o.correct]
    if much_longer(key, others, limits):
        mean = round(sum(others) / len(others))
        yield (
            q.line,
            "W503",
            f"Frage '{q.id}': die richtige Option hat {key} Zeichen, die anderen im Mittel "
            f"{mean}; lange, genaue Optionen verraten die Lösung.",
        )


def _all_or_none(q: Question) -> Iterator[Finding]:
    if q.type not in _CHOICE:
        return
    for option in q.options:
        if _ALL_NONE_RE.search(option.text):
            yield (
                q.line,
                "W504",
                f"Frage '{q.id}', Option {option.position} „{option.text}“: "
                "„alle/keine der genannten“ prüft Ausschlussraten statt Wissen.",
            )


def _negation(q: Question) -> Iterator[Finding]:
    if q.type not in (*_CHOICE, "truefalse"):
        return
    word = unemphasised_negation(q.stem_html)
    if word is not None:
        yield (
            q.line,
            "W505",
            f"Frage '{q.id}': „{word}“ im Fragetext wird leicht überlesen; "
            f"heben Sie es hervor (**{word}**) oder formulieren Sie positiv.",
        )


def _repeated_word(q: Question, limits: Thresholds) -> Iterator[Finding]:
    if q.type not in _CHOICE:
        return
    # Only a key that echoes the stem gives the answer away; a distractor that does is a
    # deliberate lure for those who match words instead of thinking.
    option_words = [words(o.text) for o in q.options]
    for word in distinctive_words(plain(q.stem_html), limits.word_length):
        holders = [o for o, ws in zip(q.options, option_words, strict=True) if word in ws]
        if len(holders) == 1 and holders[0].correct:
            yield (
                q.line,
                "W506",
                f"Frage '{q.id}': nur die richtige Option {holders[0].position} wiederholt "
                f"„{word}“ aus dem Fragetext und verrät sich dadurch.",
            )
            return


def _one_wrong(q: Question) -> Iterator[Finding]:
    if q.type == "multiple" and sum(not o.correct for o in q.options) == 1:
        yield (
            q.line,
            "W507",
            f"Frage '{q.id}': Mehrfachauswahl mit nur einer falschen Option; wer alles "
            "ankreuzt, liegt fast richtig. Mehr falsche Optionen oder Einfachauswahl.",
        )


def _richtig_feedback(q: Question) -> Iterator[Finding]:
    # Matching and ordering show an item's feedback only when it was placed wrongly;
    # multiple choice shows a chosen key's feedback even when the answer as a whole is
    # wrong; any type shows a wrong option's feedback to those who chose it.
    always = q.type in ("matching", "ordering", "multiple")
    for option in q.options:
        if (always or not option.correct) and starts_with_richtig(option.feedback_html):
            yield (
                q.line,
                "W510",
                f"Frage '{q.id}', Option {option.position}: das Feedback beginnt mit "
                "„Richtig“, erscheint aber auch bei einer falschen Antwort.",
            )
            return
