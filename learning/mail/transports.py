"""How a batch of mails leaves the process: over SMTP, or into the log (no SMTP host).

A transport reports each mail's outcome through `report` as soon as it is known, so a
mail the server accepted is recorded as sent before the next one goes and before the
conversation ends.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

import aiosmtplib

from learning.core.mail_settings import MailSettings
from learning.mail.message import build_message, envelope_sender
from learning.store.outbox import OutboxMail

log = logging.getLogger("learning.mail")

Verdict = Literal["sent", "retry", "failed"]


@dataclass(frozen=True, slots=True)
class Outcome:
    verdict: Verdict
    error: str = ""


Report = Callable[[OutboxMail, Outcome], Awaitable[None]]


class Transport(Protocol):
    async def deliver(self, batch: Sequence[OutboxMail], report: Report) -> None: ...


SENT = Outcome("sent")


def _reply(code: int, message: str) -> str:
    return f"{code} {' '.join(message.split())}"[:500]


def refusal(exc: aiosmtplib.SMTPException) -> Outcome:
    """A refusal of one mail: 5xx is permanent, anything else is tried again."""
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused) and exc.recipients:
        first = exc.recipients[0]
        code, text = first.code, first.message
    elif isinstance(exc, aiosmtplib.SMTPResponseException):
        code, text = exc.code, exc.message
    else:
        return Outcome("retry", f"Fehler im Gespräch mit dem Mailserver: {exc}"[:500])
    reply = _reply(code, text)
    if 500 <= code < 600:
        return Outcome("failed", f"Der Mailserver hat die E-Mail abgelehnt: {reply}")
    return Outcome("retry", f"Der Mailserver hat die E-Mail vorläufig abgewiesen: {reply}")


def unreachable(exc: BaseException) -> Outcome:
    if isinstance(exc, TimeoutError):
        return Outcome("retry", "Der Mailserver antwortet nicht rechtzeitig (Zeitüberschreitung).")
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        return Outcome(
            "retry", f"Der Mailserver verweigert die Verbindung: {_reply(exc.code, exc.message)}"
        )
    return Outcome("retry", f"Der Mailserver ist nicht erreichbar: {exc}"[:500])


class SmtpTransport:
    """One SMTP conversation per batch; each accepted mail is reported before the next."""

    def __init__(self, settings: MailSettings) -> None:
        self._settings = settings

    def _client(self) -> aiosmtplib.SMTP:
        mail = self._settings
        return aiosmtplib.SMTP(
            hostname=mail.smtp_host,
            port=mail.port,
            username=mail.smtp_user or None,
            password=mail.smtp_password.reveal() or None,
            use_tls=mail.tls,
            start_tls=mail.starttls,
            timeout=mail.timeout,
        )

    async def deliver(self, batch: Sequence[OutboxMail], report: Report) -> None:
        client = self._client()
        try:
            await client.connect()
        except (aiosmtplib.SMTPException, OSError) as exc:
            for mail in batch:
                await report(mail, unreachable(exc))
            return
        try:
            await self._send_all(client, batch, report)
        finally:
            try:
                await client.quit()
            except (aiosmtplib.SMTPException, OSError):
                client.close()

    async def _send_all(
        self, client: aiosmtplib.SMTP, batch: Sequence[OutboxMail], report: Report
    ) -> None:
        sender = envelope_sender(self._settings)
        for index, mail in enumerate(batch):
            try:
                await client.send_message(
                    build_message(mail, self._settings), sender=sender, recipients=[mail.to_address]
                )
            except (aiosmtplib.SMTPServerDisconnected, aiosmtplib.SMTPTimeoutError, OSError) as exc:
                # The conversation is gone: this mail and the rest wait for the next round.
                for rest in batch[index:]:
                    await report(rest, unreachable(exc))
                return
            except aiosmtplib.SMTPException as exc:
                await report(mail, refusal(exc))
                continue
            await report(mail, SENT)


class LogTransport:
    """No SMTP host: each mail is written to the server log, as the admin would read it."""

    async def deliver(self, batch: Sequence[OutboxMail], report: Report) -> None:
        for mail in batch:
            log.info(
                "E-Mail (kein SMTP-Server eingerichtet, nur im Protokoll) an %s, %s: %s\n%s",
                mail.to_address,
                mail.kind,
                mail.subject,
                mail.body_text,
            )
            await report(mail, SENT)


def transport_for(settings: MailSettings) -> Transport:
    return LogTransport() if settings.embedded else SmtpTransport(settings)
