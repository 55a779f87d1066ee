"""`learning serve|migrate|check|users|courses|report|backup|restore|purge|mail|reminders`."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from learning.cli.admin import add_admin_commands
from learning.cli.common import fail, settings_for
from learning.cli.mail import add_mail_commands
from learning.cli.reminders import add_reminder_commands
from learning.core.config import ConfigError, Settings, courses_from_env
from learning.store.db import DatabaseUnavailable

# Starts the web service with these settings; the command line does not import the web layer.
Server = Callable[[Settings], int]


def cmd_serve(args: argparse.Namespace, server: Server | None) -> int:
    if server is None:
        return fail("dieser Aufruf kann den Dienst nicht starten; bitte `learning serve` nutzen.")
    settings = settings_for(args, host=args.host, port=args.port, reload=args.reload or None)
    # A database that cannot be reached is one line and exit 1 here, not a traceback
    # from inside the server's start-up.
    asyncio.run(_probe_database(settings))
    return server(settings)


async def _probe_database(settings: Settings) -> None:
    from learning.store.db import open_database

    async with open_database(settings.database_target, readers=1):
        pass


def cmd_migrate(args: argparse.Namespace) -> int:
    from learning.store.db import open_database
    from learning.store.migrate import migrate

    settings = settings_for(args)

    async def run() -> list[str]:
        async with open_database(settings.database_target, readers=1) as db:
            return await migrate(db)

    applied = asyncio.run(run())
    if applied:
        print("Migrationen angewendet: " + ", ".join(applied))
    else:
        print("Datenbank ist aktuell.")
    return 0


def _read_password(stdin: TextIO) -> str:
    if stdin.isatty():
        first = getpass.getpass("Passwort: ")
        second = getpass.getpass("Passwort wiederholen: ")
        if first != second:
            raise ValueError("Die beiden Passwörter stimmen nicht überein.")
        return first
    return stdin.readline().rstrip("\r\n")


def cmd_users_add(args: argparse.Namespace) -> int:
    from learning.accounts.emails import valid_email
    from learning.accounts.passwords import PasswordHasher, password_problem
    from learning.core.clock import utc_now
    from learning.core.text import clean_text
    from learning.store import audit, users
    from learning.store.db import open_database
    from learning.store.migrate import migrate

    settings = settings_for(args)
    email = args.email.strip()
    # The same cleaning as the web forms: no control or bidi characters in a shown name.
    name = clean_text(args.name or email.split("@")[0], max_length=200)
    if not name:
        return fail("der Name ist leer.")
    if not valid_email(email):
        return fail(f"ungültige E-Mail-Adresse: {email!r}")
    try:
        password = _read_password(sys.stdin)
    except (ValueError, EOFError) as exc:
        return fail(str(exc))
    problem = password_problem(password, email=email, name=name)
    if problem:
        return fail(problem)
    hasher = PasswordHasher(1)
    password_hash = hasher.hash_sync(password)
    hasher.close()

    async def run() -> int:
        async with open_database(settings.database_target, readers=1) as db:
            await migrate(db)
            now = utc_now()
            async with db.transaction() as tx:
                group_id = (
                    await users.get_or_create_group(tx, args.group, now) if args.group else None
                )
                user_id = await users.insert_user(
                    tx,
                    email=email,
                    name=name,
                    role=args.role,
                    now=now,
                    password_hash=password_hash,
                    group_id=group_id,
                )
                await audit.record(
                    tx,
                    now=now,
                    actor_id=None,
                    actor_email="cli",
                    action="user.create",
                    target_type="user",
                    target_id=user_id,
                    details={"role": args.role, "via": "cli"},
                )
            return user_id

    try:
        user_id = asyncio.run(run())
    except users.DuplicateEmail:
        return fail(f"E-Mail-Adresse bereits vergeben: {email}")
    print(f"Konto angelegt: {email} ({args.role}), id {user_id}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from learning.cli.check import run_check

    stored = None
    if args.database:
        from learning.core.config import database_values
        from learning.store.content_ids import stored_ids
        from learning.store.db import open_database

        values = database_values(args.database)
        target = str(values.get("database_url") or values.get("database"))
        if not values.get("database_url") and not Path(target).is_file():
            return fail(f"Datenbank nicht gefunden: {target}")

        async def read() -> dict[str, dict[str, set[str]]]:
            async with open_database(target, readers=1) as db:
                return await stored_ids(db)

        stored = asyncio.run(read())
    # Without a folder: the one the server reads (LEARNING_COURSES, --courses).
    if args.courses_dir:
        courses_dir = Path(args.courses_dir)
    else:
        courses_dir = Path(args.courses) if args.courses else courses_from_env()
    code: int = run_check(courses_dir, as_json=args.json, out=sys.stdout, stored=stored)
    return code


def cmd_courses_retire(args: argparse.Namespace) -> int:
    from learning.core.clock import utc_now
    from learning.store import audit, course_sources
    from learning.store.db import open_database
    from learning.store.migrate import migrate

    settings = settings_for(args)
    retire = args.courses_command == "retire"

    async def run() -> str | None:
        async with open_database(settings.database_target, readers=1) as db:
            await migrate(db)
            if not await course_sources.known_course(db, args.course_id):
                return None
            now = utc_now()
            async with db.transaction() as tx:
                if retire:
                    changed = await course_sources.retire(tx, args.course_id, now)
                else:
                    changed = await course_sources.reinstate(tx, args.course_id)
                if changed:
                    await audit.record(
                        tx,
                        now=now,
                        actor_id=None,
                        actor_email="cli",
                        action="course.retire" if retire else "course.reinstate",
                        target_type="course",
                        target_id=args.course_id,
                        details={"via": "cli"},
                    )
            if retire:
                return "ausgemustert" if changed else "war schon ausgemustert"
            return "wieder im Angebot" if changed else "war nicht ausgemustert"

    outcome = asyncio.run(run())
    if outcome is None:
        print(
            f"Fehler: Kurs {args.course_id!r} ist nicht bekannt (noch nie fehlerfrei angeboten).",
            file=sys.stderr,
        )
        return 1
    # PostgreSQL announces the change to every running instance (web/retirements.py).
    when = (
        "sofort auf allen Instanzen"
        if settings.database_url
        else "beim nächsten Start des Dienstes"
    )
    print(f"Kurs {args.course_id}: {outcome}. Wirksam {when}.")
    return 0


POSTGRES_BACKUP = (
    "die Datenbank ist PostgreSQL: bitte mit pg_dump sichern und mit pg_restore"
    " einspielen (siehe docs/operations.md, Abschnitt PostgreSQL)."
)


def cmd_backup(args: argparse.Namespace) -> int:
    from learning.store.backup import BackupError, backup

    settings = settings_for(args)
    if settings.database_url:
        return fail(POSTGRES_BACKUP)
    target = Path(args.file)
    try:
        backup(settings.database, target)
    except BackupError as exc:
        return fail(str(exc))
    print(f"Sicherung geschrieben und geprüft: {target}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from learning.store.backup import BackupError, restore

    settings = settings_for(args)
    if settings.database_url:
        return fail(POSTGRES_BACKUP)
    try:
        restore(Path(args.file), settings.database, force=args.force)
    except BackupError as exc:
        return fail(str(exc))
    print(f"Sicherung {args.file} eingespielt in {settings.database}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="learning", description="Lerndienst für Beratungsfachkräfte"
    )
    parser.add_argument("--database", help="SQLite-Datei (Standard: var/learning.sqlite3)")
    parser.add_argument("--courses", help="Kursordner (Standard: courses)")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="den Dienst starten")
    serve.add_argument("--host", default=None)
    serve.add_argument("--port", type=int, default=None)
    serve.add_argument("--reload", action="store_true", help="Kurse bei Änderungen neu übersetzen")
    serve.set_defaults(func=cmd_serve)

    mig = sub.add_parser("migrate", help="Datenbank-Migrationen anwenden")
    mig.set_defaults(func=cmd_migrate)

    check = sub.add_parser("check", help="Kurse prüfen")
    check.add_argument(
        "courses_dir", nargs="?", default=None, help="Standard: LEARNING_COURSES bzw. courses"
    )
    check.add_argument("--json", action="store_true")
    check.add_argument(
        "--database",
        default=argparse.SUPPRESS,
        help="auch IDs melden, zu denen Antworten gespeichert sind, die es nicht mehr gibt",
    )
    check.set_defaults(func=cmd_check)

    users_parser = sub.add_parser("users", help="Konten verwalten")
    users_sub = users_parser.add_subparsers(dest="users_command", required=True)
    add = users_sub.add_parser("add", help="ein Konto anlegen (Passwort per Eingabe oder stdin)")
    add.add_argument("email")
    add.add_argument("--role", choices=["learner", "trainer", "admin"], required=True)
    add.add_argument("--group")
    add.add_argument("--name")
    add.set_defaults(func=cmd_users_add)

    courses = sub.add_parser("courses", help="Kurse aus dem Angebot nehmen oder zurückholen")
    courses_sub = courses.add_subparsers(dest="courses_command", required=True)
    for name, text in (
        (
            "retire",
            "einen Kurs ausmustern: keine neuen Einschreibungen, Zertifikate bleiben gültig",
        ),
        ("reinstate", "einen ausgemusterten Kurs wieder anbieten"),
    ):
        command = courses_sub.add_parser(name, help=text)
        command.add_argument("course_id")
        command.set_defaults(func=cmd_courses_retire)

    backup = sub.add_parser("backup", help="Online-Sicherung der Datenbank, auch im Betrieb")
    backup.add_argument("file", help="Zieldatei der Sicherung")
    backup.set_defaults(func=cmd_backup)

    restore = sub.add_parser("restore", help="eine Sicherung einspielen (Dienst vorher anhalten)")
    restore.add_argument("file", help="die Sicherungsdatei")
    restore.add_argument(
        "--force", action="store_true", help="auch eine Datenbank in Gebrauch überschreiben"
    )
    restore.set_defaults(func=cmd_restore)

    add_admin_commands(sub, users_sub)
    add_reminder_commands(sub)
    add_mail_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None, *, server: Server | None = None) -> int:
    """Run one command; `serve` runs `server`, which the program entry hands in (`learning.__main__`)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.func is cmd_serve:
            result: int = cmd_serve(args, server)
        else:
            result = args.func(args)
    except ConfigError as exc:
        return fail(str(exc))
    except DatabaseUnavailable as exc:
        return fail(str(exc), 1)
    except KeyboardInterrupt:
        return 130
    return result
