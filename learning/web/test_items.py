"""The questions of a final-test attempt: drawn and frozen at its start, read back."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from learning.content.model import Course, Question
from learning.content.snapshot import question_from_json, question_to_json
from learning.store import attempts

SHUFFLED_TYPES = ("single", "multiple", "ordering")


@dataclass(frozen=True, slots=True)
class TestItem:
    """A question of an attempt, as frozen at its start, with its option order."""

    section: str
    question: Question
    order: list[int]
    # The test page (group) the question was drawn from; "" in attempts from before pools.
    page: str = ""


def snapshot(
    course: Course, rng: random.Random
) -> tuple[list[dict[str, Any]], dict[str, list[int]]]:
    test = course.test
    if test is None:
        return [], {}
    items: list[dict[str, Any]] = []
    shuffle: dict[str, list[int]] = {}
    for page in test.pages:
        count = test.draw_count(page)
        drawn = page.questions
        if count < len(drawn):
            # Sampled indices, kept in page order: a group reads as the trainer wrote it.
            drawn = tuple(drawn[i] for i in sorted(rng.sample(range(len(drawn)), count)))
        for q in drawn:
            items.append({"section": page.title, "page": page.id, "question": question_to_json(q)})
            positions = [o.position for o in q.options]
            if q.type in SHUFFLED_TYPES:
                rng.shuffle(positions)
            shuffle[q.id] = positions
    return items, shuffle


def items_of(attempt: attempts.Attempt) -> list[TestItem]:
    return [
        TestItem(
            str(entry["section"]),
            q := question_from_json(entry["question"]),
            attempt.shuffle.get(q.id, [o.position for o in q.options]),
            str(entry.get("page", "")),
        )
        for entry in attempt.questions
    ]
