"""The server's daily reminder run: once a day from `LEARNING_REMINDER_HOUR` local time.

Whether a day has run is a row in `reminder_runs`, not a flag in memory, so a restart
neither repeats nor skips it: a server that was down at the hour runs as soon as it is
back, and a second instance finds the day done (and every mail claimed) already.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping

from learning.core.clock import Clock
from learning.core.config import Settings
from learning.reminders.run import RunReport, run_reminders
from learning.rules.reminders import daily_run_due, local_day, next_check
from learning.store import reminders as store
from learning.store.db import Database

log = logging.getLogger("learning.reminders")

# Woken at least this often (seconds): a run that failed is tried again, and a changed
# wall clock is noticed.
POLL = 900.0


async def run_if_due(
    db: Database,
    settings: Settings,
    titles: Mapping[str, str],
    clock: Clock,
    stop: asyncio.Event | None = None,
) -> RunReport | None:
    """Today's run if the hour has come and the day has not run yet; else None."""
    hour = settings.reminder_hour
    if hour is None:
        return None
    now = clock()
    today = local_day(now, settings.timezone)
    done = await store.run_done(db, today)
    day = daily_run_due(now, settings.timezone, hour, today if done else None)
    if day is None:
        return None
    report = await run_reminders(db, settings, titles, day=day, now=now, stop=stop)
    log.info(
        "Erinnerungen für %s: %d Erinnerungen, %d Übersichten eingereiht.",
        day.isoformat(),
        report.queued,
        report.digests_queued,
    )
    return report


def seconds_until_check(settings: Settings, clock: Clock) -> float:
    now = clock()
    wait = (next_check(now, settings.timezone, settings.reminder_hour or 0) - now).total_seconds()
    return max(1.0, min(POLL, wait))


async def daily_reminders(
    db: Database,
    settings: Settings,
    titles: Callable[[], Mapping[str, str]],
    clock: Clock,
    stop: asyncio.Event,
) -> None:
    """Run the reminders once a day until `stop` (set, never cancelled mid-transaction)."""
    if settings.reminder_hour is None:
        return
    while not stop.is_set():
        try:
            await run_if_due(db, settings, titles(), clock, stop)
        except Exception:
            log.exception("Tägliche Erinnerungen fehlgeschlagen")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), seconds_until_check(settings, clock))
