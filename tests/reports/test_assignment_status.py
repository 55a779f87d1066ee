"""Aggregate suppression of assignment status counts: no hidden count can be recomputed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from learning.reports.assignment_status import suppressed
from learning.store.assignments import STATUSES, Status


@dataclass(frozen=True, slots=True)
class S:
    status: Status
    due: date = date(2026, 1, 1)
    valid_until: date | None = None


def _people(**counts: int) -> list[S]:
    return [S(status) for status, n in counts.items() for _ in range(n)]  # type: ignore[arg-type]


def test_below_k_assigned_shows_nothing() -> None:
    total, groups = suppressed(_people(overdue=4), [], min_group=5)
    assert total is None and groups == []


def test_a_lone_small_cell_takes_a_second_one_with_it() -> None:
    people = _people(overdue=10, completed_on_time=10, completed_late=3)
    total, _ = suppressed(people, [], min_group=5)
    assert total is not None
    hidden = {s for s in STATUSES if total.counts[s] is None}
    assert "completed_late" in hidden and len(hidden) >= 2
    assert sum(c for c in total.counts.values() if c is not None) <= 23 - 5


def test_column_complement_hides_a_second_group_cell() -> None:
    nord = _people(overdue=2, completed_on_time=8)
    sued = _people(overdue=6, completed_on_time=6)
    total, (a, b) = suppressed([*nord, *sued], [nord, sued], min_group=5)
    assert total is not None and a is not None and b is not None
    # Nord's 2 overdue is unsafe; Süd's 6 would give it away as total minus Süd.
    assert a.counts["overdue"] is None and b.counts["overdue"] is None
    assert total.counts["overdue"] == 8


def test_a_group_row_below_k_is_hidden_in_every_column() -> None:
    small = _people(overdue=3)
    big = _people(overdue=6, completed_on_time=6)
    _total, (a, b) = suppressed([*small, *big], [small, big], min_group=5)
    assert a is None and b is not None
    assert b.counts["overdue"] is None  # else total minus big reveals the small row
