"""Due dates, validity and assignment status, as pure functions on local calendar days.

The facts come from `store.assignments.LearnerAssignment`; everything here is
arithmetic on them, so the start page, the reports, the exports and the reminders
agree. Instants become days in one place (`local_day`, in `config.timezone`), so a
daylight-saving change never moves a due date.

- Due date: a fixed date as the admin chose it; or N days after the assignment began
  for the learner (its creation, or their joining of the group if later). A counted
  due date that falls on a Saturday or Sunday moves to the Monday after: a deadline
  the office cannot meet on the day it falls is not a deadline. A fixed date stays.
- A due date is met on the day itself: overdue from the day after.
- Renewal every N months: the certificate is valid up to and including the same day
  N months after it was issued (the end of a shorter month if that day is missing).
  From the day after, the status is "expired" and the certificate's last valid day is
  the due date of the renewal; passing the final test again re-issues the certificate.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal, Protocol, TypeVar
from zoneinfo import ZoneInfo

from learning.store.assignments import STATUS_LABELS, STATUSES, Status

__all__ = ["STATUSES", "STATUS_LABELS", "Standing", "Status", "effective", "standing"]

DONE: frozenset[Status] = frozenset({"completed_on_time", "completed_late"})
LATE: frozenset[Status] = frozenset({"overdue", "expired"})

F = TypeVar("F", bound="Facts")

# A renewal may be taken this many days before the certificate expires.
RENEWAL_WINDOW_DAYS = 30


class Due(Protocol):
    @property
    def on(self) -> date | None: ...
    @property
    def days(self) -> int | None: ...


class Facts(Protocol):
    """What `store.assignments.LearnerAssignment` carries (read-only)."""

    @property
    def due(self) -> Due: ...
    @property
    def renew_months(self) -> int | None: ...
    @property
    def assigned_at(self) -> datetime: ...
    @property
    def started(self) -> bool: ...
    @property
    def completed_at(self) -> datetime | None: ...
    @property
    def certified_at(self) -> datetime | None: ...
    @property
    def valid_until(self) -> date | None: ...
    @property
    def previous_valid_until(self) -> date | None: ...
    @property
    def user_id(self) -> int: ...
    @property
    def course_id(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Standing:
    """Where one learner stands in one assignment on one day."""

    status: Status
    # The due date of the current cycle: the first due date, or for a renewal the
    # last valid day of the certificate being renewed.
    due: date
    # The local day the current cycle was completed, if it was.
    completed_on: date | None
    # The last valid day of the current certificate; None: it does not expire.
    valid_until: date | None

    @property
    def overdue_since(self) -> date | None:
        """The first day the learner was late, while they are."""
        return self.due + timedelta(days=1) if self.status in LATE else None


def local_day(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the last day of that month if it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_workday(day: date) -> date:
    """Saturday and Sunday move to the Monday after; other days stay."""
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def due_from(due: Due, assigned_at: datetime, tz: ZoneInfo) -> date:
    """The first due date of a rule for a learner whose assignment began `assigned_at`."""
    if due.on is not None:
        return due.on
    return next_workday(local_day(assigned_at, tz) + timedelta(days=due.days or 0))


def first_due(facts: Facts, tz: ZoneInfo) -> date:
    return due_from(facts.due, facts.assigned_at, tz)


def valid_until(facts: Facts, tz: ZoneInfo) -> date | None:
    """The certificate's last valid day: as recorded on it, else from the renewal rule."""
    if facts.valid_until is not None:
        return facts.valid_until
    if facts.renew_months and facts.certified_at is not None:
        return add_months(local_day(facts.certified_at, tz), facts.renew_months)
    return None


def standing(facts: Facts, today: date, tz: ZoneInfo) -> Standing:
    first = first_due(facts, tz)
    if facts.completed_at is None:
        if today > first:
            return Standing("overdue", first, None, None)
        status: Status = "in_progress" if facts.started else "not_started"
        return Standing(status, first, None, None)
    until = valid_until(facts, tz) if facts.renew_months else None
    if until is not None and today > until:
        return Standing("expired", until, None, until)
    if facts.previous_valid_until is not None and facts.certified_at is not None:
        due, done = facts.previous_valid_until, local_day(facts.certified_at, tz)
    else:
        due, done = first, local_day(facts.completed_at, tz)
    return Standing("completed_on_time" if done <= due else "completed_late", due, done, until)


def renewal_open(standing_now: Standing, today: date) -> bool:
    """May the learner take the final test again to renew their certificate?"""
    if standing_now.status == "expired":
        return True
    until = standing_now.valid_until
    return until is not None and today >= until - timedelta(days=RENEWAL_WINDOW_DAYS)


def effective(rows: Iterable[F], today: date, tz: ZoneInfo) -> list[tuple[F, Standing]]:
    """One (facts, standing) per (learner, course): the assignment due first counts.

    A learner may be assigned a course twice (directly and through their group); the
    stricter (earlier) due date is the one they must meet.
    """
    best: dict[tuple[int, str], tuple[F, Standing]] = {}
    for row in rows:
        now = standing(row, today, tz)
        key = (row.user_id, row.course_id)
        if key not in best or now.due < best[key][1].due:
            best[key] = (row, now)
    return list(best.values())


def counts(standings: Iterable[Standing]) -> dict[Status, int]:
    """How many learners have each status (every status present, zeros included)."""
    totals: dict[Status, int] = dict.fromkeys(STATUSES, 0)
    for item in standings:
        totals[item.status] += 1
    return totals


DeadlineKind = Literal["due", "overdue", "valid"]


@dataclass(frozen=True, slots=True)
class Deadline:
    """One line of a learner's start page: "fällig am", "überfällig seit", "gültig bis"."""

    course_id: str
    kind: DeadlineKind
    day: date
    status: Status


def deadlines(chosen: Iterable[tuple[Facts, Standing]]) -> list[Deadline]:
    """What a learner has to keep in view, sorted by date (a completion without expiry drops out)."""
    found: list[Deadline] = []
    for facts, now in chosen:
        since = now.overdue_since
        if since is not None:
            found.append(Deadline(facts.course_id, "overdue", since, now.status))
        elif now.status in DONE and now.valid_until is not None:
            found.append(Deadline(facts.course_id, "valid", now.valid_until, now.status))
        elif now.status not in DONE:
            found.append(Deadline(facts.course_id, "due", now.due, now.status))
    return sorted(found, key=lambda item: (item.day, item.course_id))
