"""Which learner gets which reminder mail on a day: one mail per learner, pure.

The schedule (`rules/reminders.py`) decides per assignment; this combines a learner's
assignments into the one mail of the day, so nobody gets more than one reminder a day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

from learning.core.i18n import DEFAULT, SUPPORTED
from learning.rules.reminders import Reminder, Schedule, reminder_for

Kind = Literal["reminder", "overdue", "renewal_due"]


@dataclass(frozen=True, slots=True)
class DueItem:
    """One learner's current cycle of one assignment."""

    user_id: int
    email: str
    name: str
    locale: str | None
    group_id: int | None
    assignment_id: int
    course_id: str
    # The assignment's own schedule text; None: the default.
    plan: str | None
    due: date
    # The day the cycle began: the assignment (or joining), or the certificate's issue.
    start: date
    completed: bool
    renewal: bool


@dataclass(frozen=True, slots=True)
class Notice:
    """One assignment in a reminder mail."""

    item: DueItem
    reminder: Reminder


@dataclass(frozen=True, slots=True)
class LearnerMail:
    user_id: int
    email: str
    name: str
    language: str
    kind: Kind
    notices: tuple[Notice, ...]


def kind_of(notices: Iterable[Notice]) -> Kind:
    """Overdue wins (the learner is late), then a renewal, then a plain reminder."""
    listed = list(notices)
    if any(n.reminder.state == "overdue" for n in listed):
        return "overdue"
    if any(n.item.renewal for n in listed):
        return "renewal_due"
    return "reminder"


def plan_mails(
    items: Iterable[DueItem],
    *,
    day: date,
    schedule: Callable[[str | None], Schedule],
    sent: Mapping[tuple[int, int, date], date],
    mailed: set[int],
) -> list[LearnerMail]:
    """The reminder mails of `day`: learners already mailed that day are left out.

    `schedule` reads an assignment's schedule text (None: the default), `sent` holds
    the latest point reminded of per (learner, assignment, due date).
    """
    by_learner: dict[int, list[Notice]] = defaultdict(list)
    people: dict[int, DueItem] = {}
    for item in items:
        if item.user_id in mailed:
            continue
        reminder = reminder_for(
            schedule(item.plan),
            due=item.due,
            day=day,
            start=item.start,
            completed=item.completed,
            last_sent=sent.get((item.user_id, item.assignment_id, item.due)),
        )
        if reminder is not None:
            by_learner[item.user_id].append(Notice(item, reminder))
            people[item.user_id] = item
    mails = []
    for user_id in sorted(by_learner):
        notices = tuple(sorted(by_learner[user_id], key=lambda n: (n.item.due, n.item.course_id)))
        person = people[user_id]
        mails.append(
            LearnerMail(
                user_id=user_id,
                email=person.email,
                name=person.name,
                language=person.locale if person.locale in SUPPORTED else DEFAULT,
                kind=kind_of(notices),
                notices=notices,
            )
        )
    return mails
