"""Learners, a group assignment with a fixed due date, completions: what the reminder tests need."""

from __future__ import annotations

from datetime import UTC, date, datetime

from learning.core.clock import to_db
from learning.store import assignments, users
from learning.store.assignments import DueRule
from learning.store.db import Database

START = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
COURSE = "fixture-kurs"
TITLES = {COURSE: "Fixture-Kurs"}


async def learners(
    db: Database,
    count: int,
    *,
    group: str | None = "Team Nord",
    locale: str | None = None,
    now: datetime = START,
) -> tuple[int | None, list[int]]:
    async with db.transaction() as tx:
        group_id = await users.get_or_create_group(tx, group, now) if group else None
        ids = []
        for n in range(count):
            user_id = await users.insert_user(
                tx,
                email=f"lernende{n}.{group or 'solo'}@example.org".replace(" ", "-").lower(),
                name=f"Lernende {n}",
                role="learner",
                now=now,
                group_id=group_id,
            )
            ids.append(user_id)
        if locale:
            await tx.execute(
                "UPDATE users SET locale = ? WHERE group_id IS ? AND role = 'learner'",
                (locale, group_id),
            )
    return group_id, ids


async def assign(
    db: Database,
    *,
    due: date,
    group_id: int | None = None,
    user_id: int | None = None,
    course_id: str = COURSE,
    renew_months: int | None = None,
    reminders: str | None = None,
    now: datetime = START,
) -> int:
    async with db.transaction() as tx:
        assignment_id = await assignments.create(
            tx,
            course_id=course_id,
            group_id=group_id,
            user_id=user_id,
            due=DueRule(on=due),
            renew_months=renew_months,
            reminders=reminders,
            by=None,
            now=now,
        )
        if group_id is not None:
            targets = await assignments.target_learners(tx, group_id=group_id)
        else:
            targets = [user_id] if user_id is not None else []
        await assignments.enrol_targets(tx, targets, course_id, by=None, now=now)
    return assignment_id


async def complete(db: Database, user_id: int, at: datetime, course_id: str = COURSE) -> None:
    """A completion with its certificate, as the final test writes them."""
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO completions (user_id, course_id, completed_at, content_hash, score)"
            " VALUES (?, ?, ?, 'h', 1.0)",
            (user_id, course_id, to_db(at)),
        )
        await tx.execute(
            "INSERT INTO certificates (code, user_id, course_id, learner_name, course_title,"
            " duration, topics, issued_at) VALUES (?, ?, ?, 'L', 'K', 60, '[]', ?)",
            (f"CODE-{user_id}-{course_id}", user_id, course_id, to_db(at)),
        )


async def outbox_kinds(db: Database) -> dict[int, list[str]]:
    """Each recipient's queued mail kinds, in order."""
    rows = await db.fetchall("SELECT to_user_id, kind FROM outbox ORDER BY id")
    found: dict[int, list[str]] = {}
    for row in rows:
        found.setdefault(int(row["to_user_id"]), []).append(str(row["kind"]))
    return found


def morning(day: date) -> datetime:
    """07:30 in Berlin on `day`, summer or winter."""
    return datetime(day.year, day.month, day.day, 5, 30, tzinfo=UTC)
