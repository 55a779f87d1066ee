"""queue_mail: renders both parts in the recipient's language, in the caller's transaction."""

from __future__ import annotations

from datetime import timedelta

import pytest

from learning.core.clock import FrozenClock, to_db
from learning.mail.queue import BadRecipient, queue_mail
from learning.store import audit, outbox, privacy, users
from learning.store.db import Database, Transaction
from learning.store.outbox import OutboxMail

INVITE = {
    "name": "Ana <b>Öz</b>",
    "link": "http://127.0.0.1:8000/einladung/abc",
    "days": 7,
    "until": "9. Dezember 2026",
    "invited_by": "Ada Admin",
}


async def _queue(tx: Transaction, **changes: object) -> int:
    values: dict[str, object] = {
        "kind": "invitation",
        "to_user_id": None,
        "to_address": "ana@example.org",
        "language": "de",
        "context": INVITE,
        "caused_by": None,
    }
    values.update(changes)
    return await queue_mail(tx, **values)  # type: ignore[arg-type]


async def _queued(db: Database, **changes: object) -> OutboxMail:
    async with db.transaction() as tx:
        mail_id = await _queue(tx, **changes)
    mail = await outbox.get(db, mail_id)
    assert mail is not None
    return mail


async def test_queued_mail_is_rendered_in_german_and_audited(
    db: Database, clock: FrozenClock
) -> None:
    async with db.transaction() as tx:
        admin_id = await users.insert_user(
            tx, email="ada@example.org", name="Ada Admin", role="admin", now=clock()
        )
    mail = await _queued(db, caused_by=admin_id, now=clock())
    assert mail.status == "queued" and mail.attempts == 0 and mail.message_id is None
    assert mail.subject == "Ihre Einladung zum Lerndienst „Interkulturell beraten“"
    assert "Guten Tag Ana <b>Öz</b>," in mail.body_text
    assert "Ana &lt;b&gt;Öz&lt;/b&gt;" in mail.body_html
    assert 'href="http://127.0.0.1:8000/einladung/abc"' in mail.body_html
    assert '<html lang="de">' in mail.body_html
    assert mail.caused_by == admin_id
    entry = (await audit.list_entries(db, limit=1))[0]
    assert (entry.action, entry.actor_id, entry.actor_email) == (
        "mail.queued",
        admin_id,
        "ada@example.org",
    )
    assert entry.target_id == str(mail.id)
    assert entry.details["kind"] == "invitation"


async def test_english_recipient_gets_english_mail(db: Database) -> None:
    context = {"name": "Ana", "link": "http://x/passwort/t", "hours": 24, "until": "x"}
    mail = await _queued(db, kind="password_reset", language="en", context=context)
    assert mail.language == "en"
    assert mail.subject == "New password for the learning service “Intercultural counselling”"
    assert '<html lang="en">' in mail.body_html
    assert "Hello Ana," in mail.body_text
    assert "Guten Tag" not in mail.body_text + mail.body_html


async def test_unknown_language_falls_back_to_german(db: Database) -> None:
    mail = await _queued(db, language="fr")
    assert mail.language == "de"
    assert "Guten Tag" in mail.body_text


async def test_rolled_back_event_leaves_no_mail(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.transaction() as tx:
            await _queue(tx)
            raise RuntimeError("the event failed")
    assert await outbox.counts(db) == {"queued": 0, "sending": 0, "sent": 0, "failed": 0}


@pytest.mark.parametrize(
    "address", ["", "ana", "ana@x.org\r\nBcc: eve@x.org", "a@x.org, b@x.org", " a@x.org"]
)
async def test_address_that_breaks_a_header_is_refused(db: Database, address: str) -> None:
    with pytest.raises(BadRecipient):
        async with db.transaction() as tx:
            await _queue(tx, to_address=address)
    assert (await outbox.counts(db))["queued"] == 0


async def test_purge_removes_old_finished_mails_and_keeps_waiting_ones(
    db: Database, clock: FrozenClock
) -> None:
    async with db.transaction() as tx:
        for _ in range(3):
            await _queue(tx, now=clock())
    async with db.transaction() as tx:
        await outbox.mark_sent(tx, 1, clock())
        await tx.execute(
            "UPDATE outbox SET status = 'failed', failed_at = ? WHERE id = 2", (to_db(clock()),)
        )
    async with db.transaction() as tx:
        assert await outbox.purge_finished(tx, clock()) == 0
        assert await outbox.purge_finished(tx, clock() + timedelta(seconds=1)) == 2
    assert await outbox.counts(db) == {"queued": 1, "sending": 0, "sent": 0, "failed": 0}


async def test_the_persons_mails_are_in_their_export_and_go_with_them(
    db: Database, clock: FrozenClock
) -> None:
    async with db.transaction() as tx:
        user_id = await users.insert_user(
            tx, email="ana@example.org", name="Ana Öz", role="learner", now=clock()
        )
        await _queue(tx, to_user_id=user_id, now=clock())
        await _queue(tx, to_address="someone@example.org", now=clock())
    data = await privacy.export_learner(db, user_id, now=clock())
    assert [(m["kind"], m["to_address"]) for m in data["mails"]] == [
        ("invitation", "ana@example.org")
    ]
    async with db.transaction() as tx:
        await privacy.delete_learner(tx, user_id)
    left = await outbox.page(db, status=None, limit=10, offset=0)
    assert [m.to_address for m in left] == ["someone@example.org"]
