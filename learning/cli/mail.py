"""`learning mail send`: deliver what is due in the outbox, once (for cron, or by hand)."""

from __future__ import annotations

import argparse
import asyncio

from learning.cli.common import settings_for


def cmd_mail_send(args: argparse.Namespace) -> int:
    from learning.mail.sender import MailSender
    from learning.store import outbox
    from learning.store.db import open_database
    from learning.store.migrate import migrate

    settings = settings_for(args)

    async def run() -> tuple[int, dict[str, int]]:
        async with open_database(settings.database_target, readers=1) as db:
            await migrate(db)
            claimed = await MailSender(db, settings.mail).run_once()
            return claimed, await outbox.counts(db)

    claimed, counts = asyncio.run(run())
    where = "ins Protokoll geschrieben" if settings.mail.embedded else "bearbeitet"
    print(
        f"{claimed} E-Mails {where}. Im Postausgang: {counts['queued']} wartend,"
        f" {counts['sending']} in Zustellung, {counts['sent']} verschickt,"
        f" {counts['failed']} fehlgeschlagen."
    )
    return 0


def add_mail_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    mail = sub.add_parser("mail", help="den Postausgang bearbeiten")
    mail_sub = mail.add_subparsers(dest="mail_command", required=True)
    send = mail_sub.add_parser(
        "send", help="fällige E-Mails jetzt zustellen (wie der Dienst es von selbst tut)"
    )
    send.set_defaults(func=cmd_mail_send)
