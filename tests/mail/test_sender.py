"""The sender against a real SMTP server: headers, both parts, retries, refusals, crashes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from learning.core.clock import FrozenClock, from_db
from learning.core.config import Settings
from learning.core.mail_settings import MailSettings
from learning.mail.queue import queue_mail
from learning.mail.sender import MailSender
from learning.store import outbox
from learning.store.db import Database
from learning.store.outbox import OutboxMail
from tests.mail.conftest import smtp_settings
from tests.mail.smtp_server import Inbox, free_port, smtp_server

RESET = {"name": "Ana Öz", "link": "http://127.0.0.1:8000/passwort/t", "hours": 24, "until": "x"}


async def _queue(db: Database, clock: FrozenClock, address: str = "ana@example.org") -> int:
    async with db.transaction() as tx:
        return await queue_mail(
            tx,
            kind="password_reset",
            to_user_id=None,
            to_address=address,
            language="de",
            context=RESET,
            caused_by=None,
            now=clock(),
        )


async def _row(db: Database, mail_id: int) -> OutboxMail:
    mail = await outbox.get(db, mail_id)
    assert mail is not None
    return mail


def _sender(db: Database, settings: MailSettings, clock: FrozenClock) -> MailSender:
    return MailSender(db, settings, clock=clock)


async def test_mail_arrives_multipart_with_its_headers(
    db: Database, settings: Settings, clock: FrozenClock, inbox: Inbox
) -> None:
    mail_id = await _queue(db, clock)
    assert await _sender(db, settings.mail, clock).run_once() == 1
    [got] = await inbox.wait_for(1)
    row = await _row(db, mail_id)
    assert row.status == "sent" and row.attempts == 1
    assert got.sender == "lernen@example.org" and got.recipients == ["ana@example.org"]
    message = got.message
    assert message["To"] == "ana@example.org"
    assert message["From"] == "Lerndienst <lernen@example.org>"
    assert message["Reply-To"] == "Schulungsteam <schulung@example.org>"
    assert message["Subject"] == "Neues Passwort für den Lerndienst „Interkulturell beraten“"
    assert message["Message-ID"] == row.message_id
    assert str(row.message_id).endswith("@example.org>")
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Date"].datetime == from_db(row.created_at)
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    assert "Guten Tag Ana Öz," in text.get_content()
    assert "http://127.0.0.1:8000/passwort/t" in text.get_content()
    assert 'href="http://127.0.0.1:8000/passwort/t"' in html.get_content()
    # Sent is sent: a second round sends nothing.
    assert await _sender(db, settings.mail, clock).run_once() == 0
    assert len(inbox.received) == 1


async def test_temporary_refusal_waits_with_backoff_then_arrives_once(
    db: Database, settings: Settings, clock: FrozenClock, inbox: Inbox
) -> None:
    inbox.data_replies = ["451 4.3.0 Try again later", "452 4.3.1 Still busy"]
    mail_id = await _queue(db, clock)
    sender = _sender(db, settings.mail, clock)
    await sender.run_once()
    first = await _row(db, mail_id)
    assert first.status == "queued" and first.attempts == 1
    assert "vorläufig abgewiesen: 451 4.3.0 Try again later" in str(first.last_error)
    assert from_db(first.next_attempt_at) == clock() + timedelta(seconds=30)
    assert await sender.run_once() == 0  # not due yet
    clock.advance(30)
    await sender.run_once()
    second = await _row(db, mail_id)
    assert second.attempts == 2
    assert from_db(second.next_attempt_at) == clock() + timedelta(seconds=60)
    clock.advance(60)
    await sender.run_once()
    assert (await _row(db, mail_id)).status == "sent"
    assert len(await inbox.wait_for(1)) == 1
    clock.advance(3600)
    assert await sender.run_once() == 0
    assert len(inbox.received) == 1
    assert (await _row(db, mail_id)).message_id == first.message_id


async def test_permanent_refusal_fails_and_the_rest_of_the_batch_still_goes(
    db: Database, settings: Settings, clock: FrozenClock, inbox: Inbox
) -> None:
    inbox.refused["nobody@example.org"] = "550 5.1.1 Mailbox unavailable"
    bad = await _queue(db, clock, "nobody@example.org")
    good = await _queue(db, clock, "ana@example.org")
    await _sender(db, settings.mail, clock).run_once()
    failed = await _row(db, bad)
    assert failed.status == "failed"
    assert failed.last_error == (
        "Der Mailserver hat die E-Mail abgelehnt: 550 5.1.1 Mailbox unavailable"
    )
    assert (await _row(db, good)).status == "sent"
    assert [r.recipients for r in await inbox.wait_for(1)] == [["ana@example.org"]]
    assert await outbox.failed_count(db) == 1


async def test_rejected_data_is_permanent_too(
    db: Database, settings: Settings, clock: FrozenClock, inbox: Inbox
) -> None:
    inbox.data_replies = ["554 5.7.1 Message rejected as spam"]
    mail_id = await _queue(db, clock)
    await _sender(db, settings.mail, clock).run_once()
    assert (await _row(db, mail_id)).status == "failed"
    clock.advance(86400)
    assert await _sender(db, settings.mail, clock).run_once() == 0
    assert inbox.received == []


async def test_server_down_then_up_delivers_once(db: Database, clock: FrozenClock) -> None:
    port = free_port()
    mail = smtp_settings(port)
    mail_id = await _queue(db, clock)
    sender = _sender(db, mail, clock)
    await sender.run_once()
    waiting = await _row(db, mail_id)
    assert waiting.status == "queued" and waiting.attempts == 1
    assert str(waiting.last_error).startswith("Der Mailserver ist nicht erreichbar")
    with smtp_server(port) as (inbox, _port):
        clock.advance(29)
        assert await sender.run_once() == 0
        clock.advance(1)
        assert await sender.run_once() == 1
        assert len(await inbox.wait_for(1)) == 1
        clock.advance(3600)
        await sender.run_once()
        assert len(inbox.received) == 1
    assert (await _row(db, mail_id)).status == "sent"


async def test_slow_server_times_out_and_the_mail_waits(
    db: Database, settings: Settings, clock: FrozenClock, inbox: Inbox
) -> None:
    inbox.delay = 1.5
    mail_id = await _queue(db, clock)
    sender = _sender(db, smtp_settings(settings.mail.port, timeout=0.5), clock)
    await sender.run_once()
    waiting = await _row(db, mail_id)
    assert waiting.status == "queued"
    assert waiting.last_error == "Der Mailserver antwortet nicht rechtzeitig (Zeitüberschreitung)."
    inbox.delay = 0
    clock.advance(30)
    await sender.run_once()
    assert (await _row(db, mail_id)).status == "sent"
    assert len(await inbox.wait_for(1)) == 1


async def test_nothing_retries_forever(
    db: Database, settings: Settings, clock: FrozenClock, inbox: Inbox
) -> None:
    inbox.data_replies = ["421 4.7.0 Try later"] * 10
    mail_id = await _queue(db, clock)
    sender = _sender(db, smtp_settings(settings.mail.port, max_attempts=3, retry_base=1), clock)
    for _ in range(3):
        await sender.run_once()
        clock.advance(3600)
    failed = await _row(db, mail_id)
    assert failed.status == "failed" and failed.attempts == 3
    assert str(failed.last_error).startswith("Nach 3 Versuchen aufgegeben.")
    assert await sender.run_once() == 0


async def test_a_mail_too_old_is_given_up(
    db: Database, settings: Settings, clock: FrozenClock, inbox: Inbox
) -> None:
    inbox.data_replies = ["451 4.3.0 Try again later"] * 2
    mail_id = await _queue(db, clock)
    sender = _sender(db, smtp_settings(settings.mail.port, max_age=3600, retry_base=10), clock)
    await sender.run_once()
    clock.advance(3600)
    await sender.run_once()
    assert (await _row(db, mail_id)).status == "failed"


async def test_claims_of_a_dead_sender_are_taken_over_after_the_lease(
    db: Database, settings: Settings, clock: FrozenClock, inbox: Inbox
) -> None:
    mail_id = await _queue(db, clock)
    # A sender claims the mail and dies before it sends anything.
    [claimed] = await outbox.claim_due(
        db, now=clock(), lease_until=clock() + timedelta(minutes=5), limit=10, domain="example.org"
    )
    sender = _sender(db, settings.mail, clock)
    assert await sender.run_once() == 0
    clock.advance(5 * 60)
    assert await sender.run_once() == 1
    [got] = await inbox.wait_for(1)
    assert got.message["Message-ID"] == claimed.message_id
    row = await _row(db, mail_id)
    assert (row.status, row.attempts) == ("sent", 2)


async def test_failed_mail_can_be_queued_again(
    db: Database, settings: Settings, clock: FrozenClock, inbox: Inbox
) -> None:
    inbox.data_replies = ["550 5.2.2 Mailbox full"]
    mail_id = await _queue(db, clock)
    sender = _sender(db, settings.mail, clock)
    await sender.run_once()
    async with db.transaction() as tx:
        assert await outbox.requeue(tx, mail_id, clock())
        assert not await outbox.requeue(tx, mail_id, clock())  # queued now, not failed
    await sender.run_once()
    assert (await _row(db, mail_id)).status == "sent"
    assert len(await inbox.wait_for(1)) == 1


async def test_without_a_host_mails_go_to_the_log(
    db: Database, clock: FrozenClock, caplog: pytest.LogCaptureFixture
) -> None:
    mail_id = await _queue(db, clock)
    with caplog.at_level("INFO", logger="learning.mail"):
        await _sender(db, MailSettings(), clock).run_once()
    assert (await _row(db, mail_id)).status == "sent"
    assert "http://127.0.0.1:8000/passwort/t" in caplog.text
    assert "ana@example.org" in caplog.text
