"""When a learner is reminded of an assignment: the schedule, as pure functions on days.

A schedule is a list of days before the due date (0 is the due date itself) and an
interval for overdue reminders. Everything here works on local calendar days
(`datetime.date` in `config.timezone`), so a daylight-saving change cannot move a
reminder to another day; `local_day` is the one place an instant becomes a day.

A run on day D sends the latest scheduled point on or before D that has not been sent
yet: a day the server was down is caught up once, never in a burst, and a run twice on
the same day finds nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

State = Literal["upcoming", "today", "overdue"]

# The longest lead time and overdue interval a schedule may name: about a year.
MAX_DAYS = 366


class ScheduleError(ValueError):
    """A schedule text that cannot be used; the message says why, in German."""


@dataclass(frozen=True, slots=True)
class Schedule:
    """Days before the due date to remind on, and every how many days while overdue."""

    before: tuple[int, ...] = (14, 3, 0)
    overdue_every: int = 7

    @property
    def text(self) -> str:
        """The written form `parse_schedule` reads back: "14,3,0,+7"."""
        if not self.before and not self.overdue_every:
            return "aus"
        parts = [str(days) for days in self.before]
        if self.overdue_every:
            parts.append(f"+{self.overdue_every}")
        return ",".join(parts)


DEFAULT = Schedule()
OFF = Schedule(before=(), overdue_every=0)


def _days(part: str, text: str) -> int:
    if not part.isdigit():
        raise ScheduleError(
            f"Erinnerungsplan {text!r}: {part!r} ist keine Zahl von Tagen (Beispiel: 14,3,0,+7)."
        )
    days = int(part)
    if days > MAX_DAYS:
        raise ScheduleError(f"Erinnerungsplan {text!r}: höchstens {MAX_DAYS} Tage, nicht {days}.")
    return days


def parse_schedule(text: str) -> Schedule:
    """Read "14,3,0,+7": remind 14 and 3 days before, on the due date, weekly when late.

    An empty text is the default schedule; "aus" (or "off") sends no reminders at all.
    """
    cleaned = text.strip().lower()
    if not cleaned:
        return DEFAULT
    if cleaned in ("aus", "off", "keine", "none"):
        return OFF
    before: set[int] = set()
    overdue_every = 0
    for raw in cleaned.split(","):
        part = raw.strip()
        if part.startswith("+"):
            if overdue_every:
                raise ScheduleError(f"Erinnerungsplan {text!r}: nur ein Abstand mit + erlaubt.")
            overdue_every = _days(part[1:], text)
            if overdue_every == 0:
                raise ScheduleError(f"Erinnerungsplan {text!r}: +0 ist kein Abstand.")
        else:
            before.add(_days(part, text))
    return Schedule(before=tuple(sorted(before, reverse=True)), overdue_every=overdue_every)


def latest_point(schedule: Schedule, due: date, day: date) -> date | None:
    """The latest day on or before `day` on which the schedule reminds; None if none yet."""
    if day > due and schedule.overdue_every:
        late = (day - due).days
        steps = late // schedule.overdue_every
        if steps:
            return due + timedelta(days=steps * schedule.overdue_every)
    points = [due - timedelta(days=days) for days in schedule.before]
    passed = [point for point in points if point <= day]
    return max(passed) if passed else None


@dataclass(frozen=True, slots=True)
class Reminder:
    """A reminder to send on `day` for the scheduled point `point`."""

    point: date
    day: date
    due: date

    @property
    def state(self) -> State:
        if self.day < self.due:
            return "upcoming"
        return "today" if self.day == self.due else "overdue"

    @property
    def days(self) -> int:
        """Days until the due date (upcoming) or since it (overdue); 0 on the day."""
        return abs((self.due - self.day).days)


def reminder_for(
    schedule: Schedule,
    *,
    due: date,
    day: date,
    start: date,
    completed: bool,
    last_sent: date | None,
) -> Reminder | None:
    """The reminder a learner gets on `day`, or None.

    `start` is the day the learner was assigned (or joined the group): the assignment
    notice of that day says everything a reminder would, so only points after it count.
    `last_sent` is the point of the last reminder sent for this assignment and cycle.
    Nothing is sent after completion, or twice for one point.
    """
    if completed:
        return None
    point = latest_point(schedule, due, day)
    if point is None or point <= start:
        return None
    if last_sent is not None and last_sent >= point:
        return None
    return Reminder(point=point, day=day, due=due)


def local_day(moment: datetime, zone: ZoneInfo) -> date:
    """The calendar day an instant falls on where the service runs."""
    return moment.astimezone(zone).date()


def daily_run_due(
    moment: datetime, zone: ZoneInfo, hour: int, last_run: date | None
) -> date | None:
    """The day to run the daily reminders for at `moment`, or None if not (yet) due.

    Due once the local wall clock has reached `hour` on a day without a run: a server
    that was down at that hour runs as soon as it is back, and never twice a day. On the
    spring-forward day an hour that does not exist is reached at the first hour after it.
    """
    local = moment.astimezone(zone)
    today = local.date()
    if last_run is not None and last_run >= today:
        return None
    return today if local.hour >= hour else None


def next_check(moment: datetime, zone: ZoneInfo, hour: int) -> datetime:
    """The next instant after `moment` at which the local clock shows `hour`:00 (UTC-aware)."""
    local = moment.astimezone(zone)
    day = local.date()
    for offset in range(3):
        candidate_day = day + timedelta(days=offset)
        wall = datetime(
            candidate_day.year, candidate_day.month, candidate_day.day, hour, tzinfo=zone
        )
        # A wall time in the spring-forward gap normalises to the first hour after it.
        candidate = wall.astimezone(moment.tzinfo)
        if candidate > moment:
            return candidate
    raise AssertionError("unreachable: a day has an hour after any moment two days earlier")
