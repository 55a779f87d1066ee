"""The mails about an account: the invitation and the password-reset link."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from learning.core.i18n import local_datetime
from learning.mail.queue import queue_mail
from learning.mail.rendering import language_of
from learning.store import outbox
from learning.store.db import Transaction


class LinkFacts(Protocol):
    """What accounts/links.IssuedLink says about a link just recorded."""

    @property
    def user_id(self) -> int: ...
    @property
    def purpose(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def expires(self) -> datetime: ...
    @property
    def created_by(self) -> int | None: ...
    @property
    def now(self) -> datetime: ...


async def mail_link(tx: Transaction, link: LinkFacts) -> int | None:
    """Queue the mail that carries an invitation ("invite") or reset ("reset") link.

    Handed to accounts.links as its notifier, so it runs in the link's transaction.
    None when the account has no usable address (it was anonymised meanwhile).
    """
    user_id, caused_by, now, expires = link.user_id, link.created_by, link.now, link.expires
    recipient = await outbox.recipient(tx, user_id)
    if recipient is None:
        return None
    language = language_of(recipient.locale)
    inviter = await outbox.recipient(tx, caused_by) if caused_by is not None else None
    hours = round((expires - now).total_seconds() / 3600)
    context: dict[str, object] = {
        "name": recipient.name,
        "link": link.url,
        "until": local_datetime(expires, language),
        "days": hours // 24,
        "hours": hours,
        "invited_by": inviter.name if inviter is not None and inviter.id != user_id else "",
    }
    return await queue_mail(
        tx,
        kind="invitation" if link.purpose == "invite" else "password_reset",
        to_user_id=user_id,
        to_address=recipient.email,
        language=language,
        context=context,
        caused_by=caused_by,
        now=now,
    )
