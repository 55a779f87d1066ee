"""One reminder run for one day: plan, then queue each mail in its own transaction.

The server's daily task and `learning reminders send` both call `run_reminders`. Each
learner's mail is claimed (`reminder_mails`, unique per learner and day), queued in the
outbox and recorded with the points it stands for in one transaction, so a run twice
on a day, two servers at once or a crash half-way never send a reminder twice. A
dry run plans the same mails and writes nothing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from learning.core.config import Settings
from learning.mail.queue import queue_mail
from learning.reminders.digest import DigestMail, digest_day, group_lines, plan_digests
from learning.reminders.items import due_items
from learning.reminders.mail_context import digest_context, learner_context
from learning.reminders.plan import LearnerMail, plan_mails
from learning.rules.reminders import DEFAULT, Schedule, ScheduleError, local_day, parse_schedule
from learning.store import assignments, audit
from learning.store import reminders as store
from learning.store.db import Database
from learning.store.users import list_groups

log = logging.getLogger("learning.reminders")


@dataclass(slots=True)
class RunReport:
    """What a run planned, and (unless a dry run) how much of it it queued."""

    day: date
    mails: list[LearnerMail]
    digests: list[DigestMail]
    dry_run: bool
    queued: int = 0
    digests_queued: int = 0
    failed: list[str] = field(default_factory=list)
    # Mails the command line handed to the SMTP server itself (None: left to the server).
    delivered: int | None = None
    # Ended early because the server is shutting down.
    stopped: bool = False


def schedule_of(text: str | None) -> Schedule:
    """An assignment's schedule; an unreadable one (refused when saved) is the default."""
    if text is None:
        return DEFAULT
    try:
        return parse_schedule(text)
    except ScheduleError as exc:
        log.warning("%s Es gilt der Standardplan.", exc)
        return DEFAULT


async def plan_run(db: Database, settings: Settings, *, day: date) -> RunReport:
    """The mails of `day` that have not gone out yet, without writing anything."""
    zone = settings.timezone
    items = due_items(await assignments.learner_assignments(db), day, zone)
    mails = plan_mails(
        items,
        day=day,
        schedule=schedule_of,
        sent=await store.last_points(db),
        mailed=await store.mailed_on(db, day),
    )
    digests: list[DigestMail] = []
    if digest_day(settings.reminder_digest, day):
        lines = group_lines(
            items,
            day=day,
            group_names={group.id: group.name for group in await list_groups(db)},
            named=settings.reports == "named",
            min_group=settings.min_group,
        )
        digests = plan_digests(
            lines, await store.active_admins(db), already=await store.digested_on(db, day)
        )
    return RunReport(day=day, mails=mails, digests=digests, dry_run=True)


async def _queue_reminder(
    db: Database, mail: LearnerMail, context: dict[str, object], day: date, now: datetime
) -> bool:
    async with db.transaction() as tx:
        if not await store.claim_mail(tx, mail.user_id, day, mail.kind, now):
            return False
        outbox_id = await queue_mail(
            tx,
            kind=mail.kind,
            to_user_id=mail.user_id,
            to_address=mail.email,
            language=mail.language,
            context=context,
            caused_by=None,
            now=now,
        )
        await store.note_mail(tx, mail.user_id, day, outbox_id)
        await store.record_points(
            tx,
            mail.user_id,
            day,
            [(n.item.assignment_id, n.item.due, n.reminder.point) for n in mail.notices],
        )
    return True


async def _queue_digest(
    db: Database, mail: DigestMail, context: dict[str, object], day: date, now: datetime
) -> bool:
    async with db.transaction() as tx:
        if not await store.claim_digest(tx, mail.admin.id, day, now):
            return False
        outbox_id = await queue_mail(
            tx,
            kind="digest",
            to_user_id=mail.admin.id,
            to_address=mail.admin.email,
            language=mail.language,
            context=context,
            caused_by=None,
            now=now,
        )
        await store.note_digest(tx, mail.admin.id, day, outbox_id)
    return True


async def run_reminders(
    db: Database,
    settings: Settings,
    titles: Mapping[str, str],
    *,
    day: date,
    now: datetime,
    dry_run: bool = False,
    actor: str = "system",
    stop: asyncio.Event | None = None,
) -> RunReport:
    """Send (or, dry, only list) the reminders and digests of `day`.

    `stop` (the server shutting down) ends the run between two mails; the day then
    stays unfinished and the next start goes on where this one stopped.
    """
    report = await plan_run(db, settings, day=day)
    if dry_run:
        return report
    report.dry_run = False
    base = settings.public_url
    for mail in report.mails:
        if stop is not None and stop.is_set():
            report.stopped = True
            break
        try:
            context = learner_context(mail, titles, base)
            report.queued += await _queue_reminder(db, mail, context, day, now)
        except Exception:
            log.exception("Erinnerung an Konto %s nicht eingereiht", mail.user_id)
            report.failed.append(mail.email)
    for digest in [] if report.stopped else report.digests:
        try:
            context = digest_context(digest, titles, base, named=settings.reports == "named")
            report.digests_queued += await _queue_digest(db, digest, context, day, now)
        except Exception:
            log.exception("Übersicht an Konto %s nicht eingereiht", digest.admin.id)
            report.failed.append(digest.admin.email)
    async with db.transaction() as tx:
        # A run with failures is not finished: the server tries the day again. Only a
        # run of the real today counts for the server; one --as-of another day does not.
        finished = not (report.failed or report.stopped)
        if finished and day == local_day(now, settings.timezone):
            await store.finish_run(tx, day, now, mails=report.queued, digests=report.digests_queued)
        if not (report.queued or report.digests_queued or report.failed):
            return report
        await audit.record(
            tx,
            now=now,
            actor_id=None,
            actor_email=actor,
            action="reminders.run",
            target_type="day",
            target_id=day.isoformat(),
            details={
                "mails": report.queued,
                "digests": report.digests_queued,
                "failed": len(report.failed),
            },
        )
    return report
