"""Item analysis of final-test questions: facility, discrimination, chosen options, flags.

The distractor view (as in Moodle) counts, for each option of a choice question, how
many answers of the upper and of the lower group (the same 27 % groups discrimination
uses) chose it. A wrong option nobody picks does not distract: it only makes the
question look harder than it is, and is flagged.
"""

from __future__ import annotations

__all__ = ["AnswerKey", "Choice", "ItemStats", "OptionCount", "OptionGroups", "item_analysis"]

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from learning.reports.answer_text import AnswerKey, Choice, answer_labels, solution_text
from learning.store.reports import ItemResponse

HARD = 0.30  # facility below this: most learners get it wrong
EASY = 0.95
WEAK_DISCRIMINATION = 0.20
UPPER_LOWER = 0.27
CHOICE_TYPES = ("single", "multiple")


@dataclass(frozen=True, slots=True)
class OptionCount:
    label: str
    count: int
    correct: bool = False  # the option is right (choice) or the whole answer was (others)


@dataclass(frozen=True, slots=True)
class OptionGroups:
    """How often one option was chosen: by the upper group, the lower group, everyone."""

    label: str
    correct: bool
    upper: int
    lower: int
    total: int


@dataclass(frozen=True, slots=True)
class ItemStats:
    question_id: str
    n: int  # submitted answers
    learners: int  # distinct learners who answered
    facility: float  # share correct, 0..1
    discrimination: float | None  # upper-lower 27 % index, -1..1
    options: tuple[OptionCount, ...]
    flags: tuple[str, ...] = field(default=())
    # The distractor view: answers in each group, and each option's choices.
    upper_n: int = 0
    lower_n: int = 0
    distractors: tuple[OptionGroups, ...] = field(default=())
    title: str = ""  # the test page the question stands on
    solution: str = ""  # the right answer in words
    known: bool = True  # False: the question is no longer in the course

    @property
    def facility_percent(self) -> float:
        return round(100 * self.facility, 1)


def _is_int(value: object) -> bool:
    try:
        int(str(value))
    except ValueError:
        return False
    return True


def item_flags(facility: float, discrimination: float | None) -> tuple[str, ...]:
    flags: list[str] = []
    wrong = round(100 * (1 - facility))
    if facility < HARD:
        flags.append(f"wird von {wrong}% falsch beantwortet: Formulierung prüfen")
    elif facility > EASY:
        flags.append("wird von fast allen richtig beantwortet: eventuell zu leicht")
    if discrimination is not None:
        if discrimination < 0:
            flags.append(
                "schwache Teilnehmende antworten häufiger richtig als starke: Lösung prüfen"
            )
        elif discrimination < WEAK_DISCRIMINATION:
            flags.append("trennt nicht zwischen starken und schwachen Teilnehmenden")
    return tuple(flags)


def _selected(response: object) -> set[int]:
    if isinstance(response, dict) and isinstance(response.get("selected"), list):
        return {int(p) for p in response["selected"] if _is_int(p)}
    return set()


def distractor_view(
    items: Sequence[ItemResponse],
    choices: Sequence[Choice],
    upper: set[int],
    lower: set[int],
) -> tuple[OptionGroups, ...]:
    """Each option's choices by the upper group, the lower group (attempt ids) and all."""
    picks = [(r.attempt_id, _selected(r.response)) for r in items]
    return tuple(
        OptionGroups(
            label=c.label,
            correct=c.correct,
            upper=sum(1 for a, chosen in picks if a in upper and c.position in chosen),
            lower=sum(1 for a, chosen in picks if a in lower and c.position in chosen),
            total=sum(1 for _, chosen in picks if c.position in chosen),
        )
        for c in choices
    )


def distractor_flags(options: Sequence[OptionGroups]) -> tuple[str, ...]:
    return tuple(
        f"die falsche Antwort „{o.label}“ wählt niemand: sie lenkt nicht ab, "
        "ersetzen oder streichen"
        for o in options
        if not o.correct and o.total == 0
    )


def _chosen(items: Sequence[ItemResponse], key: AnswerKey | None) -> tuple[OptionCount, ...]:
    counts: Counter[tuple[str, bool]] = Counter()
    for r in items:
        counts.update(answer_labels(key, r.response, r.correct))
    return tuple(OptionCount(label, c, right) for (label, right), c in counts.most_common())


def _course_order(ids: Sequence[str], keys: Sequence[AnswerKey]) -> list[str]:
    """The questions in course order (test page, then question); ids the course lost last."""
    known = [k.question_id for k in keys if k.question_id in ids]
    return known + sorted(set(ids) - set(known))


def item_analysis(
    responses: Sequence[ItemResponse], keys: Sequence[AnswerKey] = ()
) -> list[ItemStats]:
    """Statistics per question over submitted attempts (upper and lower 27 % by total score).

    `keys` are the test's questions in course order: they name the answers, mark the
    right ones and give single and multiple choice questions a distractor view.
    """
    by_key = {k.question_id: k for k in keys}
    totals = {r.attempt_id: r.total for r in responses}
    ranked = sorted(totals, key=lambda a: (totals[a], a))
    k = max(1, round(UPPER_LOWER * len(ranked))) if len(ranked) >= 2 else 0
    lower = set(ranked[:k])
    upper = set(ranked[-k:]) if k else set()
    by_question: dict[str, list[ItemResponse]] = defaultdict(list)
    for r in responses:
        by_question[r.question_id].append(r)
    result: list[ItemStats] = []
    for question_id in _course_order(list(by_question), keys):
        items = by_question[question_id]
        key = by_key.get(question_id)
        n = len(items)
        facility = sum(r.correct for r in items) / n
        up = [r.correct for r in items if r.attempt_id in upper]
        low = [r.correct for r in items if r.attempt_id in lower]
        discrimination = (
            round(sum(up) / len(up) - sum(low) / len(low), 2) if up and low and k else None
        )
        choices = key.choices if key is not None and key.kind in CHOICE_TYPES else ()
        distractors = distractor_view(items, choices, upper, lower)
        result.append(
            ItemStats(
                question_id=question_id,
                n=n,
                learners=len({r.user_id for r in items}),
                facility=facility,
                discrimination=discrimination,
                options=_chosen(items, key),
                flags=item_flags(facility, discrimination) + distractor_flags(distractors),
                upper_n=len(up),
                lower_n=len(low),
                distractors=distractors,
                title=key.title if key else "",
                solution=solution_text(key) if key else "",
                known=key is not None,
            )
        )
    return result
