"""Item-writing checks: warnings when a question gives its answer away (W501-W511).

Run once on a course that compiled; per-question rules live in item_rules, the
course-wide shares here. A question's `Prüfung aus:` codes take it out of both."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from learning.content.diagnostics import Diagnostics
from learning.content.item_rules import Finding, much_longer, question_findings
from learning.content.item_settings import Thresholds
from learning.content.item_text import acceptable, normalised, plain, sounds_good
from learning.content.model import Course, Question, ScenarioStep


@dataclass(frozen=True, slots=True)
class Placed:
    question: Question
    path: str
    in_test: bool


def check_items(
    course: Course,
    paths: Mapping[str, str],
    course_md: str,
    limits: Thresholds,
    diags: Diagnostics,
) -> None:
    """`paths`: lesson id to the path diagnostics name; course-wide findings go to course.md."""
    placed = [
        Placed(q, paths.get(lesson.id, lesson.path), lesson.kind == "test")
        for lesson in course.lessons
        for page in lesson.pages
        for q in page.questions
    ]
    for item in placed:
        for line, code, message in _own_findings(item.question, limits):
            if code not in item.question.silenced:
                diags.warning(item.path, line, code, message)
    for code, message in _course_findings(placed, limits):
        diags.warning(course_md, 1, code, message)
    for item, line, message in _repeats(placed, limits):
        diags.warning(item.path, line, "W509", message)


def _own_findings(q: Question, limits: Thresholds) -> Iterator[Finding]:
    yield from question_findings(q, limits)
    if q.type == "scenario":
        yield from _scenario_findings(q, limits)


def _decisions(q: Question) -> list[ScenarioStep]:
    return [step for step in q.steps.values() if len(step.options) >= 2]


def _scenario_findings(q: Question, limits: Thresholds) -> Iterator[Finding]:
    decisions = _decisions(q)
    for step in decisions:
        key = _scenario_key(step)
        if key is None:
            continue
        others = [len(plain(o.html)) for o in step.options if o.position != key]
        length = len(plain(step.options[key - 1].html))
        if much_longer(length, others, limits):
            yield (
                step.line or q.line,
                "W503",
                f"Szenario '{q.id}', Schritt '{step.id}': die gute Option ist viel länger "
                "als die anderen.",
            )
    if decisions and all(_one_way(step) for step in decisions):
        yield (
            q.line,
            "W511",
            f"Szenario '{q.id}': an jeder der {len(decisions)} Entscheidungen ist genau eine "
            "Option gut; ein Fall übt mehr, wenn auch zwei Wege vertretbar sind.",
        )


def _one_way(step: ScenarioStep) -> bool:
    """One praised option and nothing else defensible at this decision."""
    return (
        _scenario_key(step) is not None
        and sum(acceptable(o.feedback_html) for o in step.options) == 1
    )


def _scenario_key(step: ScenarioStep) -> int | None:
    """The one option whose feedback praises it, if exactly one does."""
    good = [o.position for o in step.options if sounds_good(o.feedback_html)]
    return good[0] if len(good) == 1 else None


def _course_findings(placed: list[Placed], limits: Thresholds) -> Iterator[tuple[str, str]]:
    questions = [p.question for p in placed]
    yield from _position(questions, limits)
    yield from _longest(questions, limits)
    yield from _truefalse(questions, limits)


def _share(count: int, total: int) -> str:
    return f"{round(100 * count / total)} %"


def _position(questions: list[Question], limits: Thresholds) -> Iterator[tuple[str, str]]:
    single = [q for q in questions if q.type == "single" and "W501" not in q.silenced]
    if len(single) < limits.min_questions:
        return
    keys = Counter(next(o.position for o in q.options if o.correct) for q in single)
    widest = max(len(q.options) for q in single)
    position, count = keys.most_common(1)[0]
    if count / len(single) > limits.position_share:
        spread = ", ".join(f"{n}: {keys.get(n, 0)}" for n in range(1, widest + 1))
        yield (
            "W501",
            f"Position der richtigen Antwort: {spread} ({_share(count, len(single))} der "
            f"{len(single)} Einfachauswahlfragen an Position {position}; Grenze "
            f"{round(100 * limits.position_share)} %).",
        )


def _longest(questions: list[Question], limits: Thresholds) -> Iterator[tuple[str, str]]:
    longest: list[bool] = []
    for q in questions:
        if "W502" in q.silenced:
            continue
        if q.type == "single":
            key = next(len(o.text) for o in q.options if o.correct)
            longest.append(key > max(len(o.text) for o in q.options if not o.correct))
        for step in _decisions(q):
            position = _scenario_key(step)
            if position is None:
                continue
            lengths = [len(plain(o.html)) for o in step.options]
            key = lengths.pop(position - 1)
            longest.append(key > max(lengths))
    hits = sum(longest)
    if len(longest) >= limits.min_questions and hits / len(longest) > limits.longest_share:
        yield (
            "W502",
            f"Die richtige Antwort ist in {hits} von {len(longest)} Einfachauswahlfragen und "
            f"Szenario-Entscheidungen die längste ({_share(hits, len(longest))}).",
        )


def _truefalse(questions: list[Question], limits: Thresholds) -> Iterator[tuple[str, str]]:
    chosen = [q for q in questions if q.type == "truefalse" and "W508" not in q.silenced]
    keys = [q.options[0].correct for q in chosen]
    if len(keys) < limits.min_questions:
        return
    true = sum(keys)
    major = max(true, len(keys) - true)
    if major / len(keys) >= limits.truefalse_share:
        side = "richtig" if true >= len(keys) - true else "falsch"
        yield (
            "W508",
            f"Richtig/Falsch-Fragen: {true} × richtig, {len(keys) - true} × falsch; "
            f"wer immer „{side}“ wählt, besteht ({_share(major, len(keys))}).",
        )


def _repeats(placed: list[Placed], limits: Thresholds) -> Iterator[tuple[Placed, int, str]]:
    checks = [(p, normalised(plain(p.question.stem_html))) for p in placed if not p.in_test]
    checks = [(p, text) for p, text in checks if p.question.graded and text]
    for item in placed:
        if not item.in_test or "W509" in item.question.silenced:
            continue
        # Compared word by word: a tenth of the cost of characters, and a changed word
        # is what an author changes.
        matcher = difflib.SequenceMatcher(None, b=normalised(plain(item.question.stem_html)))
        for other, text in checks:
            matcher.set_seq1(text)
            if matcher.real_quick_ratio() < limits.similarity:
                continue
            if matcher.quick_ratio() >= limits.similarity and matcher.ratio() >= limits.similarity:
                yield (
                    item,
                    item.question.line,
                    f"Frage '{item.question.id}' im Abschlusstest gleicht der Wissensfrage "
                    f"'{other.question.id}' ({other.path}:{other.question.line}); der Test "
                    "prüft dann Erinnerung statt Verständnis.",
                )
                break
