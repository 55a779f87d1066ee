"""Time limits of the final test: when an attempt ends, and whether a submit is late."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

# A submit that leaves the browser in the last second still arrives a moment later; it
# counts as on time for this long after the deadline.
GRACE = timedelta(seconds=30)


def deadline(
    started: datetime, limit_minutes: int, extra_minutes: int = 0, extra_percent: int = 0
) -> datetime | None:
    """The end of an attempt started at `started`; None for a test without a limit.

    Extra time (Nachteilsausgleich) is the limit stretched by `extra_percent` plus
    `extra_minutes`, rounded up to whole minutes so the learner is never shortchanged.
    """
    if limit_minutes <= 0:
        return None
    minutes = math.ceil(limit_minutes * (100 + extra_percent) / 100) + extra_minutes
    return started + timedelta(minutes=minutes)


def is_late(end: datetime | None, now: datetime) -> bool:
    return end is not None and now > end + GRACE


def minutes_left(end: datetime, now: datetime) -> int:
    """Whole minutes left, rounded up (\"noch 1 Minute\" until the very end), never below 0."""
    return max(0, math.ceil((end - now).total_seconds() / 60))
