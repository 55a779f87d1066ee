"""`learning users import`, `learning report` and `learning purge`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from learning.cli.common import fail, settings_for
from learning.core.clock import utc_now
from learning.reports.documents import FORMATS, Column, ExportInfo, Row, export_stream
from learning.reports.export import (
    GROUP_COLUMNS,
    export_parts,
    figures_dict,
    filter_labels,
    report_view,
)
from learning.rules.assignments import local_day
from learning.rules.standings import course_standings
from learning.store.assignments import STATUSES

if TYPE_CHECKING:
    from learning.content.catalog import Catalog
    from learning.core.config import Settings
    from learning.store.db import Database
    from learning.store.reports import LearnerFilter


def cmd_users_import(args: argparse.Namespace) -> int:
    from learning.accounts.links import import_users
    from learning.accounts.signing import Signer
    from learning.accounts.user_import import existing_problems, parse_users_csv
    from learning.mail.account_mails import mail_link
    from learning.store import user_admin, users
    from learning.store.db import open_database
    from learning.store.migrate import migrate

    settings = settings_for(args)
    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        return fail(f"Datei nicht lesbar: {exc}")
    parsed = parse_users_csv(data)

    async def run() -> list[tuple[Any, str]] | None:
        async with open_database(settings.database_target, readers=1) as db:
            await migrate(db)
            existing = await user_admin.existing_emails(db, [r.email.lower() for r in parsed.rows])
            errors = sorted(
                (*parsed.errors, *existing_problems(parsed.rows, existing)), key=lambda e: e.line
            )
            if errors:
                for error in errors:
                    print(f"{args.file}:{error.line}: {error.message}", file=sys.stderr)
                return None
            async with db.transaction() as tx:
                return await import_users(
                    tx,
                    Signer(settings.secret_key),
                    parsed.rows,
                    base_url=settings.public_url,
                    now=utc_now(),
                    actor_id=None,
                    actor_email="cli",
                    notify=mail_link,
                )

    try:
        created = asyncio.run(run())
    except users.DuplicateEmail as exc:
        return fail(f"E-Mail-Adresse inzwischen vergeben: {exc}. Es wurde nichts importiert.")
    if created is None:
        print("Es wurde nichts importiert.", file=sys.stderr)
        return 1
    for row, link in created:
        # With a mail server the link goes by mail only: the terminal need not see it.
        print(f"{row.email}\t{link if settings.mail.embedded else 'Einladung per E-Mail'}")
    print(f"{len(created)} Konten angelegt.", file=sys.stderr)
    return 0


_OVERVIEW_COLUMNS = (Column("course", "Kurs"), *GROUP_COLUMNS[1:])


async def _write(stream: AsyncIterator[bytes], out: BinaryIO) -> None:
    async for chunk in stream:
        out.write(chunk)


def cmd_report(args: argparse.Namespace) -> int:
    from learning.content.catalog import Catalog
    from learning.publishing import archive as course_archive
    from learning.store import reports
    from learning.store.db import open_database
    from learning.store.migrate import migrate

    settings = settings_for(args)
    catalog = Catalog(settings.courses)
    catalog.load()
    delimiter = "," if args.delimiter == "comma" else ";"

    async def run(out: BinaryIO) -> int:
        async with open_database(settings.database_target, readers=1) as db:
            await migrate(db)
            # As the server does: a broken or missing folder reports its stored version.
            await course_archive.load(db, catalog, utc_now())
            if args.course_id and catalog.get(args.course_id) is None:
                return fail(f"Kurs {args.course_id!r} gibt es nicht.")
            group_id = None
            if args.group:
                group_id = await reports.group_id_by_name(db, args.group)
                if group_id is None:
                    return fail(f"Gruppe {args.group!r} gibt es nicht.")
            flt = reports.LearnerFilter(group_id=group_id, assignment=args.pflicht)
            filters = filter_labels(flt, args.group)
            now = utc_now()
            course = catalog.get(args.course_id) if args.course_id else None
            if course is not None:
                info, columns, rows = await export_parts(
                    db,
                    settings,
                    course_id=course.id,
                    course_title=course.title,
                    page_ids=[p.id for p in course.content_pages],
                    flt=flt,
                    filters=filters,
                    now=now,
                    standings=await course_standings(
                        db, course.id, local_day(now, settings.timezone), settings.timezone
                    ),
                )
            else:
                overview = await _overview(db, settings, catalog, flt)
                info = ExportInfo(
                    "Kursübersicht",
                    settings.reports,
                    settings.min_group,
                    filters,
                    now,
                    zone=settings.timezone,
                )
                columns, rows = _OVERVIEW_COLUMNS, _iterate(overview)
            await _write(export_stream(args.format, info, columns, rows, delimiter=delimiter), out)
            return 0

    if args.output:
        with open(args.output, "wb") as fh:
            return asyncio.run(run(fh))
    return asyncio.run(run(sys.stdout.buffer))


async def _overview(
    db: Database, settings: Settings, catalog: Catalog, flt: LearnerFilter
) -> list[Row]:
    """One row per course whose figures may be shown in this mode."""
    overview: list[Row] = []
    tz = settings.timezone
    today = local_day(utc_now(), tz)
    for item in catalog.courses:
        standings = await course_standings(db, item.id, today, tz)
        pages = [p.id for p in item.content_pages]
        view = await report_view(db, settings, item.id, pages, flt, standings)
        if view.total is not None:
            overview.append({**figures_dict(view.total), "course": item.id})
    return overview


async def _iterate(rows: list[Row]) -> AsyncIterator[Row]:
    for row in rows:
        yield row


def cmd_purge(args: argparse.Namespace) -> int:
    from learning.store import audit, outbox, privacy
    from learning.store.db import open_database
    from learning.store.housekeeping import remove_stale
    from learning.store.migrate import migrate

    settings = settings_for(args)
    now = utc_now()
    cutoff = now - timedelta(days=args.older_than)

    async def run() -> dict[str, int]:
        async with open_database(settings.database_target, readers=1) as db:
            await migrate(db)
            async with db.transaction() as tx:
                removed = await privacy.purge(tx, cutoff)
                removed["outbox"] = await outbox.purge_finished(tx, cutoff)
                removed |= await remove_stale(
                    tx, now, idle=settings.idle_timeout, absolute=settings.absolute_timeout
                )
                await audit.record(
                    tx,
                    now=now,
                    actor_id=None,
                    actor_email="cli",
                    action="data.purge",
                    details={"older_than_days": args.older_than, "removed": removed},
                )
            return removed

    removed = asyncio.run(run())
    print(", ".join(f"{table}: {count}" for table, count in removed.items()))
    return 0


def _days(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError("ganze Zahl von Tagen erwartet") from None
    if value < 1:
        raise argparse.ArgumentTypeError("mindestens 1 Tag")
    return value


def add_admin_commands(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    users_sub: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    imp = users_sub.add_parser(
        "import", help="Konten aus einer CSV-Datei anlegen (alle oder keine)"
    )
    imp.add_argument("file", help="CSV mit den Spalten email, name, role, group")
    imp.set_defaults(func=cmd_users_import)

    report = sub.add_parser("report", help="Abschlussbericht exportieren")
    report.add_argument("course_id", nargs="?", help="ohne Angabe: Übersicht aller Kurse")
    report.add_argument("--format", choices=FORMATS, default="csv")
    report.add_argument("--group", help="nur diese Gruppe (Name)")
    report.add_argument(
        "--pflicht",
        choices=STATUSES,
        help="nur Lernende mit diesem Status der Pflichtschulung (Spalten Frist, Pflichtschulung)",
    )
    report.add_argument("--delimiter", choices=["semicolon", "comma"], default="semicolon")
    report.add_argument("-o", "--output", help="Zieldatei (Standard: Standardausgabe)")
    report.set_defaults(func=cmd_report)

    purge = sub.add_parser(
        "purge", help="Seitenaufrufe und Versuche nach Ablauf der Aufbewahrungsfrist löschen"
    )
    purge.add_argument("--older-than", type=_days, required=True, metavar="TAGE")
    purge.set_defaults(func=cmd_purge)
