"""The server's daily run: from the configured local hour, once a day, across restarts."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

from learning.core.clock import FrozenClock
from learning.core.config import Settings
from learning.reminders.daily import run_if_due, seconds_until_check
from learning.store.db import Database
from learning.web.app import create_app
from tests.conftest import fast_hasher
from tests.reminders.seed import TITLES, assign, learners, outbox_kinds

DUE = date(2026, 6, 30)


async def test_runs_from_the_local_hour_once_a_day(db: Database, settings: Settings) -> None:
    settings = settings.with_overrides(reminder_hour=7)
    group_id, (anna,) = await learners(db, 1)
    await assign(db, group_id=group_id, due=DUE)
    # 06:30 in Berlin (summer time, UTC+2) on the 14-day point: not yet.
    clock = FrozenClock(datetime(2026, 6, 16, 4, 30, tzinfo=UTC))
    assert await run_if_due(db, settings, TITLES, clock) is None
    clock.advance(3600)
    report = await run_if_due(db, settings, TITLES, clock)
    assert report is not None and report.day == date(2026, 6, 16) and report.queued == 1
    # Later the same day, or after a restart (nothing in memory): done already.
    clock.advance(6 * 3600)
    assert await run_if_due(db, settings, TITLES, clock) is None
    # The 3-day point (the 27th) passes while the server is down; back on the 28th at 15:00.
    clock.now = datetime(2026, 6, 28, 13, 0, tzinfo=UTC)
    caught_up = await run_if_due(db, settings, TITLES, clock)
    assert caught_up is not None and caught_up.queued == 1
    assert await outbox_kinds(db) == {anna: ["reminder", "reminder"]}


async def test_off_runs_nothing(db: Database, settings: Settings) -> None:
    clock = FrozenClock(datetime(2026, 6, 16, 12, 0, tzinfo=UTC))
    assert await run_if_due(db, settings, TITLES, clock) is None
    assert await db.scalar("SELECT count(*) FROM reminder_runs") == 0


def test_sleeps_until_the_hour_but_wakes_to_retry() -> None:
    settings = Settings(reminder_hour=7)
    clock = FrozenClock(datetime(2026, 6, 16, 4, 55, tzinfo=UTC))  # 06:55 in Berlin
    assert seconds_until_check(settings, clock) == 300
    clock.advance(600)
    assert seconds_until_check(settings, clock) == 900


async def start_and_wait(settings: Settings, clock: FrozenClock, day: str) -> dict[int, list[str]]:
    """Start the server, wait until its daily task has finished `day`; the mails queued."""
    app = create_app(settings, clock=clock, announce=False)
    app.state.services.hasher = fast_hasher()
    async with app.router.lifespan_context(app):
        db: Database = app.state.services.db
        for _ in range(200):
            if await db.scalar("SELECT count(*) FROM reminder_runs WHERE day = ?", (day,)):
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError(f"no run for {day}")
        return await outbox_kinds(db)


async def test_server_lifespan_runs_the_day_it_missed(db: Database, settings: Settings) -> None:
    settings = settings.with_overrides(reminder_hour=7)
    group_id, (anna,) = await learners(db, 1)
    await assign(db, group_id=group_id, due=DUE)
    await db.close()
    clock = FrozenClock(datetime(2026, 6, 15, 10, 0, tzinfo=UTC))
    assert await start_and_wait(settings, clock, "2026-06-15") == {}
    # Down from the 16th to the 27th, started again at 11:00: the 3-day point, once.
    clock.now = datetime(2026, 6, 27, 9, 0, tzinfo=UTC)
    assert await start_and_wait(settings, clock, "2026-06-27") == {anna: ["reminder"]}
    clock.advance(3600)
    assert await start_and_wait(settings, clock, "2026-06-27") == {anna: ["reminder"]}
