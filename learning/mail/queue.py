"""queue_mail: the one way to send an e-mail, written in the caller's transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from learning.core.clock import utc_now
from learning.mail.rendering import default_templates, language_of
from learning.store import audit, outbox
from learning.store.db import Transaction

# The senders running in this process (mail/sender.py): told about every queued mail,
# they look for it at once (after the caller's commit: the claim waits for the writer).
listeners: set[Callable[[], None]] = set()


class BadRecipient(ValueError):
    """The address cannot go into a mail header (empty, a line break, no @)."""


def _check_address(address: str) -> None:
    if "@" not in address or any(ch in address for ch in "\r\n<>,;") or address != address.strip():
        raise BadRecipient(address)


async def queue_mail(
    tx: Transaction,
    *,
    kind: str,
    to_user_id: int | None,
    to_address: str,
    language: str,
    context: dict[str, object],
    caused_by: int | None,
    now: datetime | None = None,
) -> int:
    """Render templates/mail/<kind>.txt and .html and queue the mail; return its outbox id.

    The row is inserted in `tx`, so the mail exists exactly when the event that causes it
    commits; the sender delivers it afterwards. `language` is the recipient's UI language
    (users.locale; anything but "en" gives German). Links in `context` must be absolute
    (build them from `settings.public_url`). `caused_by` is the user whose action caused
    the mail (None for the system), recorded in the row and in the audit log.
    """
    _check_address(to_address)
    moment = now or utc_now()
    rendered = default_templates().render(kind, language, dict(context))
    mail_id = await outbox.insert(
        tx,
        kind=kind,
        to_user_id=to_user_id,
        to_address=to_address,
        language=language_of(language),
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        caused_by=caused_by,
        now=moment,
    )
    await audit.record(
        tx,
        now=moment,
        actor_id=caused_by,
        actor_email=await outbox.email_of(tx, caused_by),
        action="mail.queued",
        target_type="outbox",
        target_id=mail_id,
        details={"kind": kind, "to": to_address, "to_user_id": to_user_id},
    )
    for wake in tuple(listeners):
        wake()
    return mail_id
