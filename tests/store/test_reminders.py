"""The reminder record: each claim is taken once, and a run is finished per day."""

from __future__ import annotations

from datetime import UTC, date, datetime

from learning.store import reminders, users
from learning.store.db import Database
from learning.store.privacy import export_learner

NOW = datetime(2026, 6, 16, 5, 0, tzinfo=UTC)
DAY = date(2026, 6, 16)


async def test_claims_are_taken_once_per_learner_and_day(db: Database) -> None:
    async with db.transaction() as tx:
        uid = await users.insert_user(tx, email="a@example.org", name="A", role="learner", now=NOW)
        assert await reminders.claim_mail(tx, uid, DAY, "reminder", NOW)
        assert not await reminders.claim_mail(tx, uid, DAY, "overdue", NOW)
        assert await reminders.claim_mail(tx, uid, date(2026, 6, 17), "overdue", NOW)
        assert await reminders.claim_digest(tx, uid, DAY, NOW)
        assert not await reminders.claim_digest(tx, uid, DAY, NOW)
        await reminders.record_points(tx, uid, DAY, [(7, date(2026, 6, 30), DAY)])
        await reminders.record_points(tx, uid, DAY, [(7, date(2026, 6, 30), DAY)])
    assert await reminders.mailed_on(db, DAY) == {uid}
    assert await reminders.last_points(db) == {(uid, 7, date(2026, 6, 30)): DAY}


async def test_a_run_is_done_for_its_own_day_only(db: Database) -> None:
    later = date(2026, 7, 1)
    async with db.transaction() as tx:
        await reminders.finish_run(tx, later, NOW, mails=2, digests=0)
        await reminders.finish_run(tx, later, NOW, mails=1, digests=1)
    assert await reminders.run_done(db, later)
    assert not await reminders.run_done(db, DAY)
    row = await db.fetchone("SELECT mails, digests FROM reminder_runs")
    assert row is not None and (row["mails"], row["digests"]) == (3, 1)


async def test_reminders_are_part_of_the_learners_own_data(db: Database) -> None:
    async with db.transaction() as tx:
        uid = await users.insert_user(tx, email="a@example.org", name="A", role="learner", now=NOW)
        await reminders.claim_mail(tx, uid, DAY, "reminder", NOW)
    exported = await export_learner(db, uid, now=NOW)
    assert exported["reminder_mails"] == [
        {"day": "2026-06-16", "kind": "reminder", "queued_at": "2026-06-16 05:00:00"}
    ]
