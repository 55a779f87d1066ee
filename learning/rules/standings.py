"""Where each assigned learner of a course stands today: read, then computed by the rules."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from learning.rules.assignments import LATE, Standing, effective
from learning.store import assignments
from learning.store.db import Database


async def course_standings(
    db: Database, course_id: str, today: date, tz: ZoneInfo
) -> dict[int, Standing]:
    """Each assigned learner's standing in the course on `today`, by user id.

    The reports take this mapping (they may not import the rules themselves).
    """
    rows = await assignments.learner_assignments(db, course_id=course_id)
    return {facts.user_id: standing for facts, standing in effective(rows, today, tz)}


async def overdue_count(db: Database, today: date, tz: ZoneInfo) -> int:
    """Learners late with at least one course (overdue or expired): the admin's figure."""
    rows = await assignments.learner_assignments(db)
    late = {
        facts.user_id for facts, standing in effective(rows, today, tz) if standing.status in LATE
    }
    return len(late)
