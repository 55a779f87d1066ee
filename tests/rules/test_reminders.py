"""The reminder schedule across time: default points, catch-up, DST, weekends, completion."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from learning.core.clock import FrozenClock
from learning.rules.reminders import (
    DEFAULT,
    OFF,
    Schedule,
    ScheduleError,
    daily_run_due,
    latest_point,
    local_day,
    next_check,
    parse_schedule,
    reminder_for,
)

BERLIN = ZoneInfo("Europe/Berlin")


def simulate(
    schedule: Schedule,
    *,
    due: date,
    start: date,
    days: int,
    completed_on: date | None = None,
    skip: frozenset[date] = frozenset(),
    runs_per_day: int = 1,
) -> list[date]:
    """Run the daily reminders for `days` days after `start`; the days a reminder went out."""
    sent: list[date] = []
    last: date | None = None
    for offset in range(1, days + 1):
        day = start + timedelta(days=offset)
        if day in skip:
            continue
        for _ in range(runs_per_day):
            done = completed_on is not None and completed_on <= day
            reminder = reminder_for(
                schedule, due=due, day=day, start=start, completed=done, last_sent=last
            )
            if reminder is not None:
                sent.append(day)
                last = reminder.point
    return sent


def test_default_schedule_is_14_3_due_then_weekly() -> None:
    due = date(2026, 6, 30)
    sent = simulate(DEFAULT, due=due, start=date(2026, 6, 1), days=50)
    assert sent == [
        date(2026, 6, 16),
        date(2026, 6, 27),
        date(2026, 6, 30),
        date(2026, 7, 7),
        date(2026, 7, 14),
        date(2026, 7, 21),
    ]


def test_running_twice_a_day_sends_once() -> None:
    due = date(2026, 6, 30)
    once = simulate(DEFAULT, due=due, start=date(2026, 6, 1), days=40)
    assert simulate(DEFAULT, due=due, start=date(2026, 6, 1), days=40, runs_per_day=3) == once


def test_completion_stops_reminders() -> None:
    due = date(2026, 6, 30)
    sent = simulate(
        DEFAULT, due=due, start=date(2026, 6, 1), days=60, completed_on=date(2026, 7, 2)
    )
    assert sent == [date(2026, 6, 16), date(2026, 6, 27), date(2026, 6, 30)]


def test_missed_days_are_caught_up_once_not_in_a_burst() -> None:
    due = date(2026, 6, 30)
    down = frozenset(date(2026, 6, d) for d in range(10, 30))
    sent = simulate(DEFAULT, due=due, start=date(2026, 6, 1), days=31, skip=down)
    # The 14-day and 3-day points fell while the server was down: one reminder on the 30th.
    assert sent == [date(2026, 6, 30)]
    late = frozenset(date(2026, 6, d) for d in range(26, 31))
    sent = simulate(DEFAULT, due=due, start=date(2026, 6, 1), days=31, skip=late)
    assert sent == [date(2026, 6, 16), date(2026, 7, 1)]


def test_points_on_or_before_the_assignment_day_are_left_to_the_notice() -> None:
    due = date(2026, 6, 30)
    # Assigned 10 days before: the 14-day point is older than the notice.
    assert simulate(DEFAULT, due=due, start=date(2026, 6, 20), days=12) == [
        date(2026, 6, 27),
        date(2026, 6, 30),
    ]
    # Assigned on the due date itself: the notice is the reminder; weekly ones follow.
    assert simulate(DEFAULT, due=due, start=due, days=8) == [date(2026, 7, 7)]


def test_due_date_on_a_weekend() -> None:
    due = date(2026, 3, 28)  # a Saturday
    assert due.weekday() == 5
    sent = simulate(DEFAULT, due=due, start=date(2026, 3, 1), days=45)
    assert sent == [
        date(2026, 3, 14),
        date(2026, 3, 25),
        date(2026, 3, 28),
        date(2026, 4, 4),
        date(2026, 4, 11),
    ]
    reminder = reminder_for(
        DEFAULT,
        due=due,
        day=date(2026, 3, 28),
        start=date(2026, 3, 1),
        completed=False,
        last_sent=date(2026, 3, 25),
    )
    assert reminder is not None and reminder.state == "today" and reminder.days == 0


def test_state_and_days() -> None:
    due = date(2026, 6, 30)
    early = reminder_for(
        DEFAULT,
        due=due,
        day=date(2026, 6, 27),
        start=date(2026, 6, 1),
        completed=False,
        last_sent=None,
    )
    assert early is not None and (early.state, early.days) == ("upcoming", 3)
    late = reminder_for(
        DEFAULT,
        due=due,
        day=date(2026, 7, 8),
        start=date(2026, 6, 1),
        completed=False,
        last_sent=due,
    )
    assert late is not None and (late.state, late.days, late.point) == (
        "overdue",
        8,
        date(2026, 7, 7),
    )


def test_latest_point_without_overdue_interval() -> None:
    schedule = Schedule(before=(7,), overdue_every=0)
    due = date(2026, 6, 30)
    assert latest_point(schedule, due, date(2026, 6, 22)) is None
    assert latest_point(schedule, due, date(2026, 6, 23)) == date(2026, 6, 23)
    assert latest_point(schedule, due, date(2026, 9, 1)) == date(2026, 6, 23)
    assert simulate(OFF, due=due, start=date(2026, 6, 1), days=90) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", DEFAULT),
        ("14,3,0,+7", DEFAULT),
        (" 0 , 3,14, +7 ", DEFAULT),
        ("aus", OFF),
        ("7", Schedule(before=(7,), overdue_every=0)),
        ("+3", Schedule(before=(), overdue_every=3)),
    ],
)
def test_parse_schedule(text: str, expected: Schedule) -> None:
    assert parse_schedule(text) == expected
    assert parse_schedule(expected.text) == expected


@pytest.mark.parametrize("text", ["14,drei", "-3", "+0", "+7,+14", "400", "3;0"])
def test_parse_schedule_refuses_with_a_german_reason(text: str) -> None:
    with pytest.raises(ScheduleError, match="Erinnerungsplan"):
        parse_schedule(text)


def test_local_day_across_daylight_saving_changes() -> None:
    # Late evening UTC is already the next day in Berlin: +1 h in winter, +2 h in summer.
    clock = FrozenClock(datetime(2026, 3, 28, 23, 30, tzinfo=UTC))
    assert local_day(clock(), BERLIN) == date(2026, 3, 29)  # spring forward that night
    clock.advance(22 * 3600)  # 2026-03-29 21:30 UTC = 23:30 CEST
    assert local_day(clock(), BERLIN) == date(2026, 3, 29)
    clock.advance(3600)  # 22:30 UTC = 00:30 CEST on the 30th
    assert local_day(clock(), BERLIN) == date(2026, 3, 30)
    autumn = FrozenClock(datetime(2026, 10, 25, 22, 59, tzinfo=UTC))
    assert local_day(autumn(), BERLIN) == date(2026, 10, 25)  # 23:59 CET
    autumn.advance(60)
    assert local_day(autumn(), BERLIN) == date(2026, 10, 26)


def hourly_runs(start: datetime, hours: int, hour: int) -> list[datetime]:
    """Wake every hour with a FrozenClock; the instants at which the daily run fires."""
    clock = FrozenClock(start)
    last: date | None = None
    fired: list[datetime] = []
    for _ in range(hours):
        day = daily_run_due(clock(), BERLIN, hour, last)
        if day is not None:
            fired.append(clock())
            last = day
        clock.advance(3600)
    return fired


def test_daily_run_fires_once_a_day_at_the_local_hour_across_spring_forward() -> None:
    fired = hourly_runs(datetime(2026, 3, 27, 0, 0, tzinfo=UTC), 24 * 4, hour=7)
    local = [moment.astimezone(BERLIN) for moment in fired]
    assert [(m.date().day, m.hour) for m in local] == [(27, 7), (28, 7), (29, 7), (30, 7)]
    # 07:00 is 06:00 UTC before the change and 05:00 UTC after it.
    assert [m.hour for m in fired] == [6, 6, 5, 5]


def test_daily_run_across_fall_back_never_twice() -> None:
    # 02:00 happens twice on 2026-10-25 in Berlin; the run still fires once that day.
    fired = hourly_runs(datetime(2026, 10, 24, 0, 0, tzinfo=UTC), 24 * 3, hour=2)
    assert [m.astimezone(BERLIN).date().day for m in fired] == [24, 25, 26]


def test_hour_in_the_spring_forward_gap_fires_at_the_next_hour() -> None:
    fired = hourly_runs(datetime(2026, 3, 28, 12, 0, tzinfo=UTC), 24 * 2, hour=2)
    local = [m.astimezone(BERLIN) for m in fired]
    assert [(m.day, m.hour) for m in local] == [(28, 12 + 1), (29, 3), (30, 2)]


def test_server_down_at_the_hour_catches_up_on_start() -> None:
    moment = datetime(2026, 6, 10, 13, 0, tzinfo=UTC)  # 15:00 in Berlin
    assert daily_run_due(moment, BERLIN, 7, date(2026, 6, 8)) == date(2026, 6, 10)
    assert daily_run_due(moment, BERLIN, 7, date(2026, 6, 10)) is None
    early = datetime(2026, 6, 10, 4, 0, tzinfo=UTC)  # 06:00: yesterday's run waits for 07:00
    assert daily_run_due(early, BERLIN, 7, date(2026, 6, 8)) is None


def test_next_check_is_the_next_local_hour() -> None:
    before = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)
    assert next_check(before, BERLIN, 7) == datetime(2026, 3, 29, 5, 0, tzinfo=UTC)
    assert next_check(datetime(2026, 3, 29, 5, 0, tzinfo=UTC), BERLIN, 7) == datetime(
        2026, 3, 30, 5, 0, tzinfo=UTC
    )
    autumn = next_check(datetime(2026, 10, 24, 12, 0, tzinfo=UTC), BERLIN, 7)
    assert autumn == datetime(2026, 10, 25, 6, 0, tzinfo=UTC)
