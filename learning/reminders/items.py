"""Each learner's current cycle of each assignment, as the reminder run needs it.

The facts and their arithmetic belong to the assignments (`store/assignments.py`,
`rules/assignments.py`); this only reads the standing of the day:

- not completed (not started, in progress, overdue): remind of the due date, counted
  from the day the assignment began for the learner;
- completed, certificate without expiry: nothing;
- completed, certificate expires: the renewal is the next cycle, due on the
  certificate's last valid day, counted from the day it was issued;
- expired: the renewal is overdue since the day after that last valid day.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from zoneinfo import ZoneInfo

from learning.reminders.plan import DueItem
from learning.rules.assignments import DONE, effective, local_day
from learning.store.assignments import LearnerAssignment


def due_items(rows: Iterable[LearnerAssignment], day: date, zone: ZoneInfo) -> list[DueItem]:
    """One item per learner and course (the assignment due first counts)."""
    items = []
    for row, standing in effective(rows, day, zone):
        renewal = standing.status == "expired" or (
            standing.status in DONE and standing.valid_until is not None
        )
        if renewal and row.certified_at is not None:
            due = standing.valid_until or standing.due
            start = local_day(row.certified_at, zone)
            completed = False
        else:
            due, start = standing.due, local_day(row.assigned_at, zone)
            completed = standing.status in DONE
        items.append(
            DueItem(
                user_id=row.user_id,
                email=row.email,
                name=row.name,
                locale=row.locale,
                group_id=row.group_id,
                assignment_id=row.assignment_id,
                course_id=row.course_id,
                plan=row.reminders,
                due=due,
                start=start,
                completed=completed,
                renewal=renewal,
            )
        )
    return items
