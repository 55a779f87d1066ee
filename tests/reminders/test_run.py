"""The reminder run against the database: counts per learner over weeks, no duplicates."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest

from learning.core.config import Settings
from learning.reminders.run import run_reminders
from learning.store import audit, users
from learning.store.db import Database
from tests.reminders.seed import (
    START,
    TITLES,
    assign,
    complete,
    learners,
    morning,
    outbox_kinds,
)

DUE = date(2026, 6, 30)


async def run_days(
    db: Database, settings: Settings, first: date, last: date, *, times: int = 1
) -> None:
    day = first
    while day <= last:
        for _ in range(times):
            await run_reminders(db, settings, TITLES, day=day, now=morning(day))
        day += timedelta(days=1)


async def test_default_schedule_over_seven_weeks_twice_a_day(
    db: Database, settings: Settings
) -> None:
    group_id, (anna, ben) = await learners(db, 2)
    await assign(db, group_id=group_id, due=DUE)
    await run_days(db, settings, date(2026, 6, 1), date(2026, 7, 20), times=2)
    kinds = await outbox_kinds(db)
    expected = ["reminder", "reminder", "reminder", "overdue", "overdue"]
    assert kinds == {anna: expected, ben: expected}
    days = await db.fetchall(
        "SELECT day FROM reminder_mails WHERE user_id = ? ORDER BY day", (anna,)
    )
    assert [r["day"] for r in days] == [
        "2026-06-16",
        "2026-06-27",
        "2026-06-30",
        "2026-07-07",
        "2026-07-14",
    ]


async def test_completion_stops_reminders(db: Database, settings: Settings) -> None:
    group_id, (anna, ben) = await learners(db, 2)
    await assign(db, group_id=group_id, due=DUE)
    await run_days(db, settings, date(2026, 6, 1), date(2026, 6, 27))
    await complete(db, ben, datetime(2026, 6, 28, 10, 0, tzinfo=UTC))
    await run_days(db, settings, date(2026, 6, 28), date(2026, 8, 1))
    kinds = await outbox_kinds(db)
    assert len(kinds[anna]) == 7 and kinds[ben] == ["reminder", "reminder"]


async def test_dry_run_lists_and_writes_nothing(db: Database, settings: Settings) -> None:
    group_id, (anna,) = await learners(db, 1)
    await assign(db, group_id=group_id, due=DUE)
    day = date(2026, 6, 16)
    report = await run_reminders(db, settings, TITLES, day=day, now=morning(day), dry_run=True)
    assert [(m.user_id, m.kind) for m in report.mails] == [(anna, "reminder")]
    for table in ("outbox", "reminder_mails", "reminders_sent", "reminder_runs", "audit_log"):
        assert await db.scalar(f"SELECT count(*) FROM {table}") == 0, table  # noqa: S608 - table names from the fixed tuple above
    sent = await run_reminders(db, settings, TITLES, day=day, now=morning(day))
    assert sent.queued == 1
    again = await run_reminders(db, settings, TITLES, day=day, now=morning(day), dry_run=True)
    assert again.mails == []


async def test_one_mail_a_day_for_two_assignments_in_the_learners_language(
    db: Database, settings: Settings
) -> None:
    _, (anna,) = await learners(db, 1, group=None, locale="en")
    await assign(db, user_id=anna, due=DUE)
    await assign(db, user_id=anna, due=DUE, course_id="zweiter-kurs")
    day = date(2026, 6, 27)
    report = await run_reminders(db, settings, TITLES, day=day, now=morning(day))
    assert report.queued == 1
    row = await db.fetchone("SELECT subject, body_text, body_html, language FROM outbox")
    assert row is not None and row["language"] == "en"
    assert row["subject"] == "Reminder: 2 mandatory trainings are due soon"
    assert "Fixture-Kurs: due on June 30, 2026, in 3 days" in row["body_text"]
    assert "zweiter-kurs" in row["body_text"]
    assert f"{settings.public_url}/courses/fixture-kurs" in row["body_html"]


async def test_assignment_schedule_and_weekend_due_date(db: Database, settings: Settings) -> None:
    saturday = date(2026, 3, 28)  # the day before the clocks go forward
    start = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    group_id, (anna,) = await learners(db, 1, now=start)
    await assign(db, group_id=group_id, due=saturday, reminders="7,0", now=start)
    await run_days(db, settings, date(2026, 3, 2), date(2026, 4, 30))
    days = await db.fetchall("SELECT day, kind FROM reminder_mails ORDER BY day")
    assert [(r["day"], r["kind"]) for r in days] == [
        ("2026-03-21", "reminder"),
        ("2026-03-28", "reminder"),
    ]
    del anna


async def test_renewal_reminds_before_the_certificate_expires(
    db: Database, settings: Settings
) -> None:
    group_id, (anna,) = await learners(db, 1)
    await assign(db, group_id=group_id, due=DUE, renew_months=12)
    await complete(db, anna, datetime(2026, 6, 10, 9, 0, tzinfo=UTC))
    await run_days(db, settings, date(2026, 6, 1), date(2026, 7, 20))
    assert await outbox_kinds(db) == {}
    # Valid until 2027-06-10: renewal reminders 14 and 3 days before, then overdue.
    await run_days(db, settings, date(2027, 5, 20), date(2027, 6, 18))
    days = await db.fetchall("SELECT day, kind FROM reminder_mails ORDER BY day")
    assert [(r["day"], r["kind"]) for r in days] == [
        ("2027-05-27", "renewal_due"),
        ("2027-06-07", "renewal_due"),
        ("2027-06-10", "renewal_due"),
        ("2027-06-17", "overdue"),
    ]


async def test_a_mail_that_cannot_be_queued_leaves_no_trace_and_the_day_open(
    db: Database, settings: Settings
) -> None:
    group_id, (anna, ben) = await learners(db, 2)
    await assign(db, group_id=group_id, due=DUE)
    await db.writer.execute("UPDATE users SET email = 'kaputt' WHERE id = ?", (ben,))
    await db.writer.commit()
    day = date(2026, 6, 16)
    report = await run_reminders(db, settings, TITLES, day=day, now=morning(day))
    assert (report.queued, report.failed) == (1, ["kaputt"])
    assert await outbox_kinds(db) == {anna: ["reminder"]}
    assert await db.scalar("SELECT count(*) FROM reminder_mails WHERE user_id = ?", (ben,)) == 0
    assert await db.scalar("SELECT count(*) FROM reminder_runs") == 0
    entry = (await audit.list_entries(db, limit=1))[0]
    assert entry.action == "reminders.run" and entry.details["failed"] == 1


@pytest.mark.parametrize("mode", ["named", "aggregate"])
async def test_digest_to_group_admins(db: Database, settings: Settings, mode: str) -> None:
    settings = settings.with_overrides(reminder_digest="daily", reports=mode, min_group=2)
    group_id, (anna, ben, cem) = await learners(db, 3)
    await assign(db, group_id=group_id, due=DUE)
    await complete(db, cem, START)
    async with db.transaction() as tx:
        ada = await users.insert_user(
            tx, email="ada@example.org", name="Ada", role="admin", now=START
        )
    await run_days(db, settings, date(2026, 6, 29), date(2026, 7, 2), times=2)
    kinds = await outbox_kinds(db)
    # Nobody is late before July 1st; from then on one digest a day.
    assert kinds[ada] == ["digest", "digest"]
    body = await db.scalar("SELECT body_text FROM outbox WHERE kind = 'digest' LIMIT 1")
    assert "Team Nord: 2 überfällig (3 Personen mit Zuweisung)" in body
    assert ("Lernende 0" in body) == (mode == "named")
    del anna, ben


async def test_only_a_run_of_the_real_today_counts_as_the_days_run(
    db: Database, settings: Settings
) -> None:
    group_id, (anna,) = await learners(db, 1)
    await assign(db, group_id=group_id, due=DUE)
    day = date(2026, 6, 16)
    ahead = await run_reminders(db, settings, TITLES, day=day, now=morning(day - timedelta(days=5)))
    assert ahead.queued == 1
    assert await db.scalar("SELECT count(*) FROM reminder_runs") == 0
    # The server reaching that day runs it, and finds the mail already claimed.
    on_the_day = await run_reminders(db, settings, TITLES, day=day, now=morning(day))
    assert on_the_day.queued == 0
    assert await db.scalar("SELECT day FROM reminder_runs") == "2026-06-16"
    assert await outbox_kinds(db) == {anna: ["reminder"]}


async def test_a_stopped_run_leaves_the_day_open_and_goes_on_later(
    db: Database, settings: Settings
) -> None:
    group_id, (anna, ben) = await learners(db, 2)
    await assign(db, group_id=group_id, due=DUE)
    day = date(2026, 6, 16)
    stop = asyncio.Event()
    stop.set()
    stopped = await run_reminders(db, settings, TITLES, day=day, now=morning(day), stop=stop)
    assert stopped.stopped and stopped.queued == 0
    assert await db.scalar("SELECT count(*) FROM reminder_runs") == 0
    resumed = await run_reminders(db, settings, TITLES, day=day, now=morning(day))
    assert resumed.queued == 2
    assert await outbox_kinds(db) == {anna: ["reminder"], ben: ["reminder"]}
