"""Item analysis reads like the course: answers in words, right ones marked, course order."""

from __future__ import annotations

from learning.reports.answer_text import AnswerKey, Choice, answer_labels, solution_text
from learning.reports.items import OptionCount, item_analysis
from learning.store.reports import ItemResponse

MATCHING = AnswerKey(
    "zuordnen",
    "matching",
    (
        Choice(1, "Eisberg", True, match=2),
        Choice(2, "Zwiebel", True, match=1),
    ),
    {1: "Schichten", 2: "Sichtbares und Verborgenes"},
    "Modelle",
)
ORDERING = AnswerKey(
    "reihenfolge",
    "ordering",
    (Choice(1, "Begrüßen", True, order=1), Choice(2, "Anliegen klären", True, order=2)),
)
SINGLE = AnswerKey("wahl", "single", (Choice(1, "Werte", True), Choice(2, "Kleidung", False)))


def test_matching_answers_read_as_pairs_of_texts() -> None:
    [(text, right)] = answer_labels(MATCHING, {"matches": {"1": 1, "2": 2}}, False)
    assert text == "„Eisberg“ → „Schichten“; „Zwiebel“ → „Sichtbares und Verborgenes“"
    assert not right and "{" not in text
    assert solution_text(MATCHING) == (
        "„Eisberg“ → „Sichtbares und Verborgenes“; „Zwiebel“ → „Schichten“"
    )


def test_ordering_answers_read_as_numbered_steps() -> None:
    [(text, right)] = answer_labels(ORDERING, {"positions": [2, 1]}, False)
    assert text == "1. Anliegen klären; 2. Begrüßen" and not right
    assert solution_text(ORDERING) == "1. Begrüßen; 2. Anliegen klären"


def test_choice_answers_mark_each_option_right_or_wrong() -> None:
    assert answer_labels(SINGLE, {"selected": [2]}, False) == [("Kleidung", False)]
    assert answer_labels(SINGLE, {"selected": [1]}, True) == [("Werte", True)]
    assert answer_labels(SINGLE, None, False) == [("keine Antwort", False)]


def test_items_come_in_course_order_with_lost_questions_last() -> None:
    keys = [MATCHING, ORDERING, SINGLE]
    responses = [
        ItemResponse(1, 1, 50, "wahl", True, {"selected": [1]}),
        ItemResponse(1, 1, 50, "alt", False, {"selected": [1]}),
        ItemResponse(1, 1, 50, "reihenfolge", True, {"positions": [1, 2]}),
        ItemResponse(1, 1, 50, "zuordnen", True, {"matches": {"1": 2, "2": 1}}),
    ]
    items = item_analysis(responses, keys)
    assert [i.question_id for i in items] == ["zuordnen", "reihenfolge", "wahl", "alt"]
    assert [i.known for i in items] == [True, True, True, False]
    assert items[0].title == "Modelle"
    assert items[0].options == (
        OptionCount("„Eisberg“ → „Sichtbares und Verborgenes“; „Zwiebel“ → „Schichten“", 1, True),
    )
    assert items[1].solution == "1. Begrüßen; 2. Anliegen klären"
    assert items[2].options == (OptionCount("Werte", 1, True),)
