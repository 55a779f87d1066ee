"""Renewal of certificates under an assignment with `renew_months`.

- A first completion under such an assignment records the certificate's last valid
  day (`record_validity`, called by `completion.try_complete`).
- From `RENEWAL_WINDOW_DAYS` before that day on, and after it, renewal is open: the
  learner takes the final test again with a fresh set of attempts (those started
  after the certificate was issued count); the course pages stay as read.
- A pass while renewal is open re-issues the certificate (`try_renew`): a new code,
  valid N months from the day of the pass; the old code still verifies, as expired.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from learning.content.model import Course
from learning.rules.assignments import add_months, effective, local_day, renewal_open
from learning.store import assignments, renewals
from learning.store.db import Database, Transaction
from learning.store.users import User


@dataclass(frozen=True, slots=True)
class OpenRenewal:
    # When the certificate being renewed was issued: attempts after it are the renewal's.
    since: datetime
    months: int


async def open_renewal(
    db: Database | Transaction, user_id: int, course_id: str, now: datetime, tz: ZoneInfo
) -> OpenRenewal | None:
    """The renewal the learner may take now in the course, if any."""
    rows = await assignments.learner_assignments(db, user_id=user_id, course_id=course_id)
    today = local_day(now, tz)
    for facts, standing in effective([r for r in rows if r.renew_months], today, tz):
        if facts.certified_at is not None and facts.renew_months and renewal_open(standing, today):
            return OpenRenewal(facts.certified_at, facts.renew_months)
    return None


async def record_validity(
    tx: Transaction, user_id: int, course_id: str, now: datetime, tz: ZoneInfo
) -> None:
    """Write the new certificate's last valid day if a renewal rule applies to it."""
    rows = await assignments.learner_assignments(tx, user_id=user_id, course_id=course_id)
    months = [row.renew_months for row in rows if row.renew_months]
    if months:
        until = add_months(local_day(now, tz), min(months))
        await assignments.set_validity(tx, user_id, course_id, until)


async def try_renew(
    tx: Transaction, course: Course, user: User, now: datetime, tz: ZoneInfo
) -> str | None:
    """Re-issue the certificate after a pass while renewal is open; the new code or None."""
    pending = await open_renewal(tx, user.id, course.id, now, tz)
    if pending is None or not await renewals.passed_since(tx, user.id, course.id, pending.since):
        return None
    return await renewals.reissue(
        tx,
        user_id=user.id,
        course_id=course.id,
        learner_name=user.name,
        course_title=course.title,
        valid_until=add_months(local_day(now, tz), pending.months),
        now=now,
    )
