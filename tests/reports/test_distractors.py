"""The distractor view: each option's choices by the upper and the lower 27 % group."""

from __future__ import annotations

from learning.reports.items import AnswerKey, Choice, OptionGroups, item_analysis
from learning.store.reports import ItemResponse

CHOICES = (Choice(1, "Werte", True), Choice(2, "Kleidung", False), Choice(3, "Essen", False))
KEY = AnswerKey("q", "single", CHOICES)


def _answer(attempt: int, total: float, selected: list[int]) -> ItemResponse:
    return ItemResponse(attempt, attempt, total, "q", selected == [1], {"selected": selected})


def test_options_are_counted_by_upper_and_lower_group_and_an_unpicked_one_is_flagged() -> None:
    # Ten attempts: 27 % is three each. The upper three (scores 80-100) choose the right
    # answer but one; the lower three (0-20) choose "Kleidung"; nobody chooses "Essen".
    scores = [0, 10, 20, 30, 40, 50, 60, 80, 90, 100]
    picks = [[2], [2], [2], [1], [2], [1], [1], [2], [1], [1]]
    responses = [_answer(i, s, p) for i, (s, p) in enumerate(zip(scores, picks, strict=True))]
    [item] = item_analysis(responses, [KEY])
    assert (item.upper_n, item.lower_n) == (3, 3)
    assert item.distractors == (
        OptionGroups("Werte", True, upper=2, lower=0, total=5),
        OptionGroups("Kleidung", False, upper=1, lower=3, total=5),
        OptionGroups("Essen", False, upper=0, lower=0, total=0),
    )
    assert (
        "die falsche Antwort „Essen“ wählt niemand: sie lenkt nicht ab, ersetzen oder streichen"
        in item.flags
    )
    assert not any("Kleidung" in f or "Werte" in f for f in item.flags)


def test_multiple_choice_counts_every_option_chosen() -> None:
    responses = [
        ItemResponse(1, 1, 10, "q", False, {"selected": [2, 3]}),
        ItemResponse(2, 2, 90, "q", True, {"selected": [1]}),
    ]
    [item] = item_analysis(responses, [KEY])
    assert [(o.upper, o.lower, o.total) for o in item.distractors] == [
        (1, 0, 1),
        (0, 1, 1),
        (0, 1, 1),
    ]
    assert not any("wählt niemand" in f for f in item.flags)


def test_a_right_answer_nobody_picks_is_not_a_distractor_flag() -> None:
    responses = [_answer(i, 10 * i, [2]) for i in range(4)]
    [item] = item_analysis(responses, [KEY])
    flagged = [f for f in item.flags if "wählt niemand" in f]
    assert flagged == [
        "die falsche Antwort „Essen“ wählt niemand: sie lenkt nicht ab, ersetzen oder streichen"
    ]


def test_questions_without_choices_get_no_distractor_view() -> None:
    responses = [ItemResponse(1, 1, 10, "t", False, {"text": "Abwehr"})]
    [item] = item_analysis(responses, [KEY])
    assert item.distractors == ()
