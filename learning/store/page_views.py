"""Enrolments and page views: what a learner has opened and seen."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from learning.core.clock import to_db
from learning.store.db import Database, Transaction

# Time between two page requests counts for the earlier page, up to this cap:
# a tab left open over lunch is not ten minutes of reading.
TIME_ON_PAGE_CAP = 600


@dataclass(frozen=True, slots=True)
class PageView:
    page_id: str
    first_seen: str
    last_seen: str
    seconds: int
    views: int


async def is_enrolled(db: Database, user_id: int, course_id: str) -> bool:
    return bool(
        await db.scalar(
            "SELECT EXISTS(SELECT 1 FROM enrolments WHERE user_id = ? AND course_id = ?)",
            (user_id, course_id),
        )
    )


@dataclass(frozen=True, slots=True)
class LessonState:
    """What a lesson page needs to know before it renders, read in one query."""

    enrolled: bool
    # The test is passed but no completion is stored yet: only then can a page view
    # complete the course, so other views skip that check in the write lock.
    completion_due: bool
    seen: frozenset[str]


async def lesson_state(db: Database, user_id: int, course_id: str) -> LessonState:
    row = await db.fetchone(
        "SELECT EXISTS(SELECT 1 FROM enrolments WHERE user_id = :u AND course_id = :c),"
        " EXISTS(SELECT 1 FROM test_attempts WHERE user_id = :u AND course_id = :c AND passed = 1)"
        " AND NOT EXISTS(SELECT 1 FROM completions WHERE user_id = :u AND course_id = :c),"
        " coalesce((SELECT json_group_array(page_id) FROM page_views"
        "  WHERE user_id = :u AND course_id = :c), '[]')",
        {"u": user_id, "c": course_id},
    )
    if row is None:
        return LessonState(False, False, frozenset())
    return LessonState(bool(row[0]), bool(row[1]), frozenset(json.loads(row[2])))


async def enrolled_courses(db: Database, user_id: int) -> set[str]:
    rows = await db.fetchall("SELECT course_id FROM enrolments WHERE user_id = ?", (user_id,))
    return {row["course_id"] for row in rows}


async def enrol(
    tx: Transaction, user_id: int, course_id: str, now: datetime, by: int | None = None
) -> bool:
    cur = await tx.execute(
        "INSERT INTO enrolments (user_id, course_id, enrolled_at, enrolled_by)"
        " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (user_id, course_id, to_db(now), by),
    )
    return cur.rowcount == 1


async def page_views(db: Database, user_id: int, course_id: str) -> dict[str, PageView]:
    rows = await db.fetchall(
        "SELECT page_id, first_seen, last_seen, seconds, views FROM page_views"
        " WHERE user_id = ? AND course_id = ?",
        (user_id, course_id),
    )
    return {
        row["page_id"]: PageView(
            row["page_id"], row["first_seen"], row["last_seen"], row["seconds"], row["views"]
        )
        for row in rows
    }


async def seen_pages_by_course(db: Database, user_id: int) -> dict[str, set[str]]:
    rows = await db.fetchall(
        "SELECT course_id, page_id FROM page_views WHERE user_id = ?", (user_id,)
    )
    result: dict[str, set[str]] = {}
    for row in rows:
        result.setdefault(row["course_id"], set()).add(row["page_id"])
    return result


async def last_page(db: Database, user_id: int, course_id: str) -> str | None:
    value = await db.scalar(
        "SELECT page_id FROM page_views WHERE user_id = ? AND course_id = ?"
        " ORDER BY last_seen DESC, page_id LIMIT 1",
        (user_id, course_id),
    )
    return None if value is None else str(value)


@dataclass(frozen=True, slots=True)
class PageViewWrite:
    """One page request to record: the page, and the page the session showed before."""

    user_id: int
    session_hash: str
    course_id: str
    page_id: str
    now: datetime
    previous: tuple[str, str, datetime] | None


async def record_page_views(tx: Transaction, views: Sequence[PageViewWrite]) -> None:
    """Upsert each view and credit the time since the previous request to the previous page.

    Three statements, however many views: page views arrive through a group commit.
    """
    credits = []
    for v in views:
        if v.previous is None:
            continue
        prev_course, prev_page, prev_at = v.previous
        seconds = int(min(max((v.now - prev_at).total_seconds(), 0), TIME_ON_PAGE_CAP))
        if seconds:
            credits.append((seconds, v.user_id, prev_course, prev_page))
    if credits:
        await tx.executemany(
            "UPDATE page_views SET seconds = seconds + ?"
            " WHERE user_id = ? AND course_id = ? AND page_id = ?",
            credits,
        )
    await tx.executemany(
        "INSERT INTO page_views (user_id, course_id, page_id, first_seen, last_seen)"
        " VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (user_id, course_id, page_id)"
        " DO UPDATE SET last_seen = excluded.last_seen, views = page_views.views + 1",
        [(v.user_id, v.course_id, v.page_id, to_db(v.now), to_db(v.now)) for v in views],
    )
    await tx.executemany(
        "UPDATE sessions SET last_page_course = ?, last_page_id = ?, last_page_at = ?,"
        " last_seen = ? WHERE id_hash = ?",
        [(v.course_id, v.page_id, to_db(v.now), to_db(v.now), v.session_hash) for v in views],
    )


async def time_spent(db: Database, user_id: int) -> dict[str, int]:
    rows = await db.fetchall(
        "SELECT course_id, sum(seconds) AS s FROM page_views WHERE user_id = ? GROUP BY course_id",
        (user_id,),
    )
    return {row["course_id"]: int(row["s"] or 0) for row in rows}
