"""Reserving a password check: in flight counts as failed for the verdict, until settled."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from learning.accounts import throttling
from learning.core.clock import FrozenClock, to_db
from learning.store import login_attempts
from learning.store.db import Database
from learning.store.login_attempts import Failures, Reservation


def _wait_for(now: datetime) -> Callable[[Failures], int]:
    def wait(f: Failures) -> int:
        return throttling.verdict(
            now=now,
            pair=(f.pair.count, f.pair.last),
            address=(f.address.count, f.address.last),
            account=(f.account.count, f.account.first),
        ).wait_seconds

    return wait


async def _reserve(db: Database, now: datetime) -> Reservation:
    return await login_attempts.reserve_attempt(
        db,
        "a@example.org",
        "10.0.0.1",
        now,
        windows=(now - throttling.WINDOW, now - throttling.WINDOW, now - throttling.ACCOUNT_WINDOW),
        wait_for=_wait_for(now),
    )


async def test_in_flight_checks_hold_back_the_next_until_they_are_settled(
    db: Database, clock: FrozenClock
) -> None:
    now = clock()
    first = [await _reserve(db, now) for _ in range(5)]
    assert all(r.attempt_id is not None for r in first)
    # Five in flight: if they all fail the sixth must wait; if they succeed it may go.
    assert (await _reserve(db, now)).undecided
    for reservation in first:
        assert reservation.attempt_id is not None
        await login_attempts.fail_attempt(db, reservation.attempt_id)
    refused = await _reserve(db, now)
    assert refused.attempt_id is None and refused.wait_seconds == 15


async def test_a_success_settles_the_question(db: Database, clock: FrozenClock) -> None:
    now = clock()
    first = [await _reserve(db, now) for _ in range(5)]
    assert (await _reserve(db, now)).undecided
    last = first[-1].attempt_id
    assert last is not None
    async with db.transaction() as tx:
        await login_attempts.settle_attempt(tx, last, success=True)
    assert (await _reserve(db, now)).attempt_id is not None


async def test_an_attempt_left_in_flight_by_a_crash_counts_as_a_failure(
    db: Database, clock: FrozenClock
) -> None:
    start = clock()
    async with db.transaction() as tx:
        # Nine checks that were never settled: the process died meanwhile.
        await tx.executemany(
            "INSERT INTO login_attempts (email, address, at, success) VALUES (?, ?, ?, 2)",
            [("a@example.org", "10.0.0.1", to_db(start))] * 9,
        )
    assert (await _reserve(db, start + timedelta(seconds=30))).undecided
    # Past two minutes they are failures: nine of them mean 240 s from the last one.
    refused = await _reserve(db, start + timedelta(minutes=3))
    assert refused.attempt_id is None and refused.wait_seconds == 60


async def test_a_released_attempt_does_not_count(db: Database, clock: FrozenClock) -> None:
    now = clock()
    for _ in range(5):
        reservation = await _reserve(db, now)
        assert reservation.attempt_id is not None
        await login_attempts.release_attempt(db, reservation.attempt_id)
    assert await db.scalar("SELECT count(*) FROM login_attempts") == 0
    assert (await _reserve(db, now)).attempt_id is not None
