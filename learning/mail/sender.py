"""The background sender: claims due mails from the outbox and delivers them.

Every step is a transaction of its own, so a crash at any point loses nothing:
1. claim a batch (status sending, a lease, attempts + 1, the Message-ID fixed once);
2. deliver over the transport, which reports each mail as soon as its fate is known;
3. record that fate at once: sent, queued again with exponential backoff, or failed
   (a 5xx, too many attempts, too old).
A sender that dies after 1 leaves its claims to the next one once the lease ends. A
sender that dies between the server's acceptance and step 3 sends that one mail again,
with the same Message-ID; that window is one SQLite commit long.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta

from learning.core.clock import Clock, from_db, utc_now
from learning.core.mail_settings import MailSettings
from learning.mail import queue
from learning.mail.transports import Outcome, Transport, transport_for
from learning.store import outbox
from learning.store.db import Database
from learning.store.outbox import OutboxMail

log = logging.getLogger("learning.mail")

BATCH = 10


class MailSender:
    def __init__(
        self,
        db: Database,
        settings: MailSettings,
        *,
        clock: Clock = utc_now,
        transport: Transport | None = None,
    ) -> None:
        self._db = db
        self._settings = settings
        self._clock = clock
        self._transport = transport or transport_for(settings)
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Look for due mails now (queue_mail calls this for every sender in the process)."""
        self._wake.set()

    def _lease(self, now: datetime) -> datetime:
        # Long enough for a whole batch, each step of it up to the timeout.
        return now + timedelta(seconds=self._settings.timeout * (BATCH + 3) + 60)

    def _retry_or_fail(self, mail: OutboxMail, now: datetime) -> datetime | None:
        """When to try again, or None if the mail has had its last attempt."""
        age = (now - from_db(mail.created_at)).total_seconds()
        if mail.attempts >= self._settings.max_attempts or age >= self._settings.max_age:
            return None
        delay = self._settings.retry_base * 2 ** max(mail.attempts - 1, 0)
        return now + timedelta(seconds=min(delay, self._settings.retry_cap))

    async def _record(self, mail: OutboxMail, outcome: Outcome) -> None:
        now = self._clock()
        async with self._db.transaction() as tx:
            if outcome.verdict == "sent":
                await outbox.mark_sent(tx, mail.id, now)
                return
            next_attempt = self._retry_or_fail(mail, now) if outcome.verdict == "retry" else None
            if next_attempt is None:
                error = outcome.error
                if outcome.verdict == "retry":
                    error = f"Nach {mail.attempts} Versuchen aufgegeben. {error}"
                await outbox.mark_failed(tx, mail.id, now=now, error=error)
                log.warning("E-Mail %s an %s fehlgeschlagen: %s", mail.id, mail.to_address, error)
            else:
                await outbox.mark_retry(tx, mail.id, next_attempt=next_attempt, error=outcome.error)
                log.info("E-Mail %s wartet bis %s: %s", mail.id, next_attempt, outcome.error)

    async def run_once(self) -> int:
        """Deliver everything due now, batch by batch; return how many mails were claimed."""
        claimed = 0
        while True:
            now = self._clock()
            batch = await outbox.claim_due(
                self._db,
                now=now,
                lease_until=self._lease(now),
                limit=BATCH,
                domain=self._settings.from_domain,
            )
            if not batch:
                return claimed
            claimed += len(batch)
            await self._transport.deliver(batch, self._record)

    async def run(self, stop: asyncio.Event) -> None:
        """Send until `stop` is set: now, whenever woken, and every `poll` seconds."""
        queue.listeners.add(self.wake)
        try:
            while not stop.is_set():
                self._wake.clear()
                try:
                    await self.run_once()
                except Exception:
                    log.exception("Versand aus dem Postausgang fehlgeschlagen")
                await _first_of(stop, self._wake, self._settings.poll)
        finally:
            queue.listeners.discard(self.wake)


async def _first_of(stop: asyncio.Event, wake: asyncio.Event, seconds: float) -> None:
    waiters = [asyncio.create_task(stop.wait()), asyncio.create_task(wake.wait())]
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await waiter
