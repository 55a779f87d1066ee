"""`learning reminders send [--as-of YYYY-MM-DD] [--dry-run]`: the daily run, for cron and tests.

Without `--as-of` the run is today's in `LEARNING_TIMEZONE`, exactly what the server's
daily task does; with it, the run behaves as on that day. Mails go into the outbox; with
an SMTP server set up (`LEARNING_SMTP_HOST`) the command delivers what is due at once,
as the server's sender would (the outbox's claims keep the two from sending a mail
twice); without one the server writes them to its log. Exit code 0: done (also when there was nothing to send);
1: some mails could not be queued (each is logged, the rest went out); 2: bad input.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from datetime import date
from typing import TYPE_CHECKING

from learning.cli.common import fail, settings_for
from learning.core.clock import utc_now

if TYPE_CHECKING:
    from learning.reminders.run import RunReport

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_KINDS = {"reminder": "Erinnerung", "overdue": "Überfällig", "renewal_due": "Auffrischung"}


def _as_of(raw: str | None) -> date | None:
    if raw is None:
        return None
    problem = ValueError(f"--as-of: ein Datum als JJJJ-MM-TT erwartet, nicht {raw!r}")
    if not _DATE.fullmatch(raw.strip()):
        raise problem
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise problem from None


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def describe(report: RunReport) -> list[str]:
    """One line per planned mail, then the totals, in German."""
    lines = []
    for mail in report.mails:
        courses = ", ".join(
            f"{n.item.course_id} (fällig {n.item.due.isoformat()})" for n in mail.notices
        )
        lines.append(f"  {mail.email}: {_KINDS[mail.kind]}: {courses}")
    for digest in report.digests:
        lines.append(f"  {digest.admin.email}: Übersicht: {digest.overdue} überfällig")
    day = report.day.isoformat()
    if report.dry_run:
        head = f"Probelauf für {day}: nichts wird verschickt oder gespeichert."
        tail = (
            f"{_count(len(report.mails), 'Erinnerung', 'Erinnerungen')} und"
            f" {_count(len(report.digests), 'Übersicht', 'Übersichten')} würden eingereiht."
        )
    else:
        head = f"Erinnerungen für {day}:"
        tail = (
            f"{_count(report.queued, 'Erinnerung', 'Erinnerungen')} und"
            f" {_count(report.digests_queued, 'Übersicht', 'Übersichten')} eingereiht."
        )
        if report.delivered is not None:
            tail += f" Zustellung versucht für {_count(report.delivered, 'E-Mail', 'E-Mails')}."
        else:
            tail += " Der Dienst verschickt sie."
    return [head, *lines, tail]


def cmd_reminders_send(args: argparse.Namespace) -> int:
    from learning.content.catalog import Catalog
    from learning.mail.sender import MailSender
    from learning.publishing import archive as course_archive
    from learning.reminders.run import plan_run, run_reminders
    from learning.rules.reminders import local_day
    from learning.store.db import Database
    from learning.store.migrate import migrate

    try:
        as_of = _as_of(args.as_of)
    except ValueError as exc:
        return fail(str(exc))
    settings = settings_for(args)
    if args.dry_run and not settings.database.is_file():
        # A dry run writes nothing, not even a new database.
        return fail(f"Datenbank nicht gefunden: {settings.database}")
    now = utc_now()
    day = as_of or local_day(now, settings.timezone)

    async def run() -> RunReport:
        async with Database(settings.database, readers=1) as db:
            await migrate(db)
            if args.dry_run:
                return await plan_run(db, settings, day=day)
            # Course titles for the mails, from the folders or their stored versions.
            catalog = Catalog(settings.courses)
            catalog.load()
            await course_archive.load(db, catalog, now)
            titles = {course.id: course.title for course in catalog.courses}
            report = await run_reminders(db, settings, titles, day=day, now=now, actor="cli")
            if not settings.mail.embedded:
                report.delivered = await MailSender(db, settings.mail).run_once()
            return report

    report = asyncio.run(run())
    for line in describe(report):
        print(line)
    if report.failed:
        print(
            f"Fehler: {len(report.failed)} E-Mails nicht eingereiht: {', '.join(report.failed)}",
            file=sys.stderr,
        )
        return 1
    return 0


def add_reminder_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    reminders = sub.add_parser("reminders", help="Erinnerungen an Pflichtschulungen")
    reminders_sub = reminders.add_subparsers(dest="reminders_command", required=True)
    send = reminders_sub.add_parser(
        "send", help="fällige Erinnerungen und Übersichten einreihen (wie der Dienst täglich)"
    )
    send.add_argument("--as-of", metavar="JJJJ-MM-TT", help="so laufen, als wäre heute dieser Tag")
    send.add_argument(
        "--dry-run", action="store_true", help="nur auflisten, nichts verschicken oder speichern"
    )
    send.set_defaults(func=cmd_reminders_send)
