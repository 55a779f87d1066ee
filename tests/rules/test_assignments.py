"""Due dates, validity and status across time: weekends, daylight saving, renewal."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from learning.core.clock import FrozenClock
from learning.rules import assignments as rules
from learning.store.assignments import DueRule

BERLIN = ZoneInfo("Europe/Berlin")


@dataclass(frozen=True, slots=True)
class Facts:
    due: DueRule
    assigned_at: datetime
    renew_months: int | None = None
    started: bool = False
    completed_at: datetime | None = None
    certified_at: datetime | None = None
    valid_until: date | None = None
    previous_valid_until: date | None = None
    user_id: int = 1
    course_id: str = "k"


def _today(clock: FrozenClock) -> date:
    return rules.local_day(clock(), BERLIN)


def test_counted_due_date_uses_the_local_day_across_the_dst_change() -> None:
    # 23:30 UTC on 28 March is already 29 March in Berlin (CET, +1); the clocks go
    # forward that night. 7 days later is 5 April, a Sunday: it moves to Monday 6 April.
    facts = Facts(DueRule(days=7), datetime(2026, 3, 28, 23, 30, tzinfo=UTC))
    assert rules.first_due(facts, BERLIN) == date(2026, 4, 6)
    # In October the clocks go back: 22:30 UTC on 24 October is 00:30 on the 25th (CEST).
    autumn = Facts(DueRule(days=3), datetime(2026, 10, 24, 22, 30, tzinfo=UTC))
    assert rules.first_due(autumn, BERLIN) == date(2026, 10, 28)


def test_fixed_due_date_on_a_weekend_stays_and_is_met_on_the_day() -> None:
    saturday = date(2026, 5, 16)
    facts = Facts(DueRule(on=saturday), datetime(2026, 5, 1, 8, tzinfo=UTC))
    clock = FrozenClock(datetime(2026, 5, 16, 21, 59, tzinfo=UTC))  # 23:59 in Berlin
    assert rules.standing(facts, _today(clock), BERLIN).status == "not_started"
    clock.advance(60)  # midnight in Berlin, still 16 May in UTC
    now = rules.standing(facts, _today(clock), BERLIN)
    assert (now.status, now.due, now.overdue_since) == ("overdue", saturday, date(2026, 5, 17))


def test_counted_due_date_on_saturday_moves_to_monday() -> None:
    facts = Facts(DueRule(days=4), datetime(2026, 5, 12, 10, tzinfo=UTC))  # Tue + 4 = Sat
    assert rules.first_due(facts, BERLIN) == date(2026, 5, 18)


@pytest.mark.parametrize(
    ("change", "today", "status"),
    [
        ({}, date(2026, 3, 10), "not_started"),
        ({"started": True}, date(2026, 3, 10), "in_progress"),
        ({"started": True}, date(2026, 3, 17), "overdue"),
        (
            {"completed_at": datetime(2026, 3, 16, 20, tzinfo=UTC)},
            date(2026, 4, 1),
            "completed_on_time",
        ),
        (
            {"completed_at": datetime(2026, 3, 16, 23, 30, tzinfo=UTC)},
            date(2026, 4, 1),
            "completed_late",
        ),
    ],
)
def test_each_status(change: dict[str, Any], today: date, status: str) -> None:
    base = Facts(DueRule(on=date(2026, 3, 16)), datetime(2026, 3, 1, tzinfo=UTC))
    facts = replace(base, **change)
    assert rules.standing(facts, today, BERLIN).status == status


def test_renewal_expires_and_renewing_counts_against_the_old_expiry() -> None:
    done = datetime(2026, 1, 31, 10, tzinfo=UTC)
    facts = Facts(
        DueRule(days=30),
        datetime(2026, 1, 5, tzinfo=UTC),
        renew_months=1,
        completed_at=done,
        certified_at=done,
    )
    # 31 January + 1 month: the last day of February.
    assert rules.valid_until(facts, BERLIN) == date(2026, 2, 28)
    valid = rules.standing(facts, date(2026, 2, 28), BERLIN)
    assert (valid.status, valid.valid_until) == ("completed_on_time", date(2026, 2, 28))
    assert rules.renewal_open(valid, date(2026, 2, 28))
    expired = rules.standing(facts, date(2026, 3, 1), BERLIN)
    assert (expired.status, expired.due) == ("expired", date(2026, 2, 28))
    renewed = replace(
        facts,
        certified_at=datetime(2026, 3, 3, 9, tzinfo=UTC),
        valid_until=date(2026, 4, 3),
        previous_valid_until=date(2026, 2, 28),
    )
    after = rules.standing(renewed, date(2026, 3, 4), BERLIN)
    assert (after.status, after.completed_on, after.valid_until) == (
        "completed_late",
        date(2026, 3, 3),
        date(2026, 4, 3),
    )


def test_without_renewal_a_completion_never_expires() -> None:
    done = datetime(2026, 1, 10, tzinfo=UTC)
    facts = Facts(
        DueRule(days=30), datetime(2026, 1, 5, tzinfo=UTC), completed_at=done, certified_at=done
    )
    later = rules.standing(facts, date(2030, 1, 1), BERLIN)
    assert (later.status, later.valid_until) == ("completed_on_time", None)
    assert not rules.renewal_open(later, date(2030, 1, 1))


def test_effective_takes_the_earlier_due_date_and_counts_every_status() -> None:
    start = datetime(2026, 3, 2, tzinfo=UTC)
    direct = Facts(DueRule(on=date(2026, 3, 5)), start)
    group = Facts(DueRule(on=date(2026, 4, 5)), start)
    other = Facts(DueRule(on=date(2026, 4, 5)), start, user_id=2)
    chosen = rules.effective([group, direct, other], date(2026, 3, 10), BERLIN)
    assert [(f.user_id, s.due) for f, s in chosen] == [(1, date(2026, 3, 5)), (2, date(2026, 4, 5))]
    totals = rules.counts(s for _, s in chosen)
    assert totals["overdue"] == 1 and totals["not_started"] == 1 and sum(totals.values()) == 2
