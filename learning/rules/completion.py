"""The completion rule: every content page seen and the final test passed, stored once."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from learning.content.model import Course
from learning.rules.progress import all_pages_seen
from learning.rules.renewal import record_validity
from learning.store import attempts
from learning.store.db import Transaction
from learning.store.users import User


async def try_complete(
    tx: Transaction, course: Course, user: User, now: datetime, tz: ZoneInfo
) -> str | None:
    """Complete the course inside the caller's transaction if the rule is met.

    Returns the new certificate code, or None when not (yet, or no longer) due. Under
    an assignment with renewal the certificate gets its last valid day (local, `tz`).
    """
    passed = await attempts.has_passed_in(tx, user.id, course.id)
    if passed is None:
        return None
    if await attempts.completion_exists_in(tx, user.id, course.id):
        return None
    seen = await attempts.seen_page_ids_in(tx, user.id, course.id)
    if not all_pages_seen(course, seen):
        return None
    attempt_id, score = passed
    code = await attempts.complete(
        tx,
        user_id=user.id,
        course_id=course.id,
        content_hash=course.content_hash,
        attempt_id=attempt_id,
        score=score,
        page_hashes={page.id: page.source_hash for page in course.content_pages},
        learner_name=user.name,
        course_title=course.title,
        duration=course.duration,
        topics=[lesson.title for lesson in course.lessons if lesson.kind == "lesson"],
        now=now,
    )
    if code is not None:
        await record_validity(tx, user.id, course.id, now, tz)
    return code
