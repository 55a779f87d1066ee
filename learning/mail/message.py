"""An outbox row as the e-mail that goes out: multipart text and HTML, with its headers."""

from __future__ import annotations

from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, parseaddr

from learning.core.clock import from_db
from learning.core.mail_settings import MailSettings
from learning.store.outbox import OutboxMail


def envelope_sender(settings: MailSettings) -> str:
    """The bare address of LEARNING_MAIL_FROM, for MAIL FROM."""
    return parseaddr(settings.mail_from)[1]


def build_message(mail: OutboxMail, settings: MailSettings) -> EmailMessage:
    """The mail as sent: the same bytes every attempt (Date is when it was queued)."""
    if mail.message_id is None:  # pragma: no cover - claim_due sets it before any send
        raise ValueError(f"outbox {mail.id}: no Message-ID")
    message = EmailMessage(policy=SMTP)
    message["From"] = settings.mail_from
    message["To"] = mail.to_address
    if settings.reply_to:
        message["Reply-To"] = settings.reply_to
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(from_db(mail.created_at))
    message["Message-ID"] = mail.message_id
    # RFC 3834: no vacation replies or other auto-answers to this mail.
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    message["Content-Language"] = mail.language
    message.set_content(mail.body_text)
    message.add_alternative(mail.body_html, subtype="html")
    return message
