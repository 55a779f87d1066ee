"""Item analysis of final-test questions: facility, discrimination, chosen options, flags."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from learning.store.reports import ItemResponse

HARD = 0.30  # facility below this: most learners get it wrong
EASY = 0.95
WEAK_DISCRIMINATION = 0.20
UPPER_LOWER = 0.27


@dataclass(frozen=True, slots=True)
class OptionCount:
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class ItemStats:
    question_id: str
    n: int  # submitted answers
    learners: int  # distinct learners who answered
    facility: float  # share correct, 0..1
    discrimination: float | None  # upper-lower 27 % index, -1..1
    options: tuple[OptionCount, ...]
    flags: tuple[str, ...] = field(default=())

    @property
    def facility_percent(self) -> float:
        return round(100 * self.facility, 1)


def _response_keys(response: object, labels: Mapping[int, str]) -> list[str]:
    if isinstance(response, dict):
        if isinstance(response.get("selected"), list):
            return [labels.get(int(p), f"Option {p}") for p in response["selected"] if _is_int(p)]
        if "text" in response:
            return [str(response["text"])[:80] or "(leer)"]
        if isinstance(response.get("positions"), list):
            return ["Reihenfolge " + "-".join(str(p) for p in response["positions"])]
        if "matches" in response:
            return ["Zuordnung " + json.dumps(response["matches"], sort_keys=True)[:80]]
    if response is None:
        return ["keine Antwort"]
    return [str(response)[:80]]


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


def item_analysis(
    responses: Sequence[ItemResponse],
    option_labels: Mapping[str, Mapping[int, str]] | None = None,
) -> list[ItemStats]:
    """Statistics per question over submitted attempts (upper and lower 27 % by total score)."""
    option_labels = option_labels or {}
    totals = {r.attempt_id: r.total for r in responses}
    ranked = sorted(totals, key=lambda a: (totals[a], a))
    k = max(1, round(UPPER_LOWER * len(ranked))) if len(ranked) >= 2 else 0
    lower = set(ranked[:k])
    upper = set(ranked[-k:]) if k else set()
    by_question: dict[str, list[ItemResponse]] = defaultdict(list)
    for r in responses:
        by_question[r.question_id].append(r)
    result: list[ItemStats] = []
    for question_id in sorted(by_question):
        items = by_question[question_id]
        n = len(items)
        facility = sum(r.correct for r in items) / n
        up = [r.correct for r in items if r.attempt_id in upper]
        low = [r.correct for r in items if r.attempt_id in lower]
        discrimination = (
            round(sum(up) / len(up) - sum(low) / len(low), 2) if up and low and k else None
        )
        counts: Counter[str] = Counter()
        labels = option_labels.get(question_id, {})
        for r in items:
            counts.update(_response_keys(r.response, labels))
        result.append(
            ItemStats(
                question_id=question_id,
                n=n,
                learners=len({r.user_id for r in items}),
                facility=facility,
                discrimination=discrimination,
                options=tuple(OptionCount(label, c) for label, c in counts.most_common()),
                flags=item_flags(facility, discrimination),
            )
        )
    return result
