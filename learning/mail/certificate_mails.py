"""The mail that announces a certificate, with its download and verification links."""

from __future__ import annotations

from datetime import datetime

from learning.core.i18n import local_date
from learning.mail.queue import queue_mail
from learning.mail.rendering import language_of
from learning.store import outbox
from learning.store.db import Transaction


async def mail_certificate(
    tx: Transaction,
    *,
    user_id: int,
    course_id: str,
    course_title: str,
    code: str,
    base_url: str,
    now: datetime,
) -> int | None:
    """Queue "certificate_issued" in the completion's transaction; None without an address."""
    recipient = await outbox.recipient(tx, user_id)
    if recipient is None:
        return None
    language = language_of(recipient.locale)
    return await queue_mail(
        tx,
        kind="certificate_issued",
        to_user_id=user_id,
        to_address=recipient.email,
        language=language,
        context={
            "name": recipient.name,
            "course": course_title,
            "date": local_date(now, language),
            "code": code,
            "verify_url": f"{base_url}/verify/{code}",
            "download_url": f"{base_url}/courses/{course_id}/zertifikat",
        },
        caused_by=user_id,
        now=now,
    )
