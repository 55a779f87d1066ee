"""Login attempts, counted for throttling, and reserved before a password is checked.

A check of a password first reserves its attempt: in one write transaction it counts
the attempts and, when the policy lets this one through even if every attempt still in
flight fails, inserts it as in flight. Parallel requests therefore each see the ones
before them, so a burst gets exactly as many password checks as the policy allows.
When the verdict depends on attempts still in flight (allowed if they succeed, refused
if they fail), the caller is told to ask again shortly. After the check the caller marks
the attempt a failure or a success, or releases it when no check happened after all.

`success` holds FAILED (0), SUCCEEDED (1) or IN_FLIGHT (2), or RESET_REQUEST (3) for a
"Passwort vergessen?" request, which the login counts never see (they read 0-2). An attempt left in flight
by a crashed process counts as a failure once it is older than IN_FLIGHT_MAX.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from learning.core.clock import from_db, to_db
from learning.store.db import Database, Transaction

FAILED = 0
SUCCEEDED = 1
IN_FLIGHT = 2
# A "Passwort vergessen?" request: counted only by the reset throttle, never as a login.
RESET_REQUEST = 3
IN_FLIGHT_MAX = timedelta(minutes=2)


@dataclass(frozen=True, slots=True)
class FailureCount:
    count: int
    last: datetime | None
    first: datetime | None


@dataclass(frozen=True, slots=True)
class Failures:
    """Failures per (account, address) since the last success, per address, per account."""

    pair: FailureCount
    address: FailureCount
    account: FailureCount


@dataclass(frozen=True, slots=True)
class Reservation:
    """An attempt id to settle; or the seconds to wait; or neither: ask again shortly."""

    attempt_id: int | None
    wait_seconds: int

    @property
    def undecided(self) -> bool:
        return self.attempt_id is None and self.wait_seconds <= 0


def _norm(email: str) -> str:
    return email.strip().lower()


async def record_attempt(
    db: Database, email: str, address: str, now: datetime, *, success: bool
) -> None:
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO login_attempts (email, address, at, success) VALUES (?, ?, ?, ?)",
            (_norm(email), address, to_db(now), int(success)),
        )


def _times(*values: str | None) -> list[str]:
    return [v for v in values if v]


def _scope(
    row: tuple[int, str | None, str | None, int, str | None, str | None],
) -> tuple[FailureCount, FailureCount]:
    """(settled failures, failures if everything in flight fails) of one scope."""
    failed, first, last, flying, first_flying, last_flying = row
    settled = FailureCount(
        int(failed), from_db(last) if last else None, from_db(first) if first else None
    )
    firsts = _times(first, first_flying)
    lasts = _times(last, last_flying)
    worst = FailureCount(
        int(failed) + int(flying),
        from_db(max(lasts)) if lasts else None,
        from_db(min(firsts)) if firsts else None,
    )
    return settled, worst


# Per scope: settled failures (count, first, last), then attempts in flight (the same).
# An in-flight attempt older than :stale counts as settled failure. Each part names its
# scope, so nothing depends on the order in which UNION ALL returns them.
_COUNTS = (
    " count(*) FILTER (WHERE success = 0 OR at < :stale),"
    " min(at) FILTER (WHERE success = 0 OR at < :stale),"
    " max(at) FILTER (WHERE success = 0 OR at < :stale),"
    " count(*) FILTER (WHERE success = 2 AND at >= :stale),"
    " min(at) FILTER (WHERE success = 2 AND at >= :stale),"
    " max(at) FILTER (WHERE success = 2 AND at >= :stale)"
    " FROM login_attempts WHERE success IN (0, 2)"
)
_FAILURES = (
    # The pair (account, address), since the window start or its last success.
    "SELECT 'pair',"  # noqa: S608 - joins constant SQL fragments; every value is bound
    + _COUNTS
    + " AND email = :email AND address = :address AND at >= max(:pair,"
    "  coalesce((SELECT max(at) FROM login_attempts"
    "   WHERE email = :email AND address = :address AND success = 1), ''))"
    # The address, across accounts.
    " UNION ALL SELECT 'address'," + _COUNTS + " AND address = :address AND at >= :by_address"
    # The account, across addresses.
    " UNION ALL SELECT 'account'," + _COUNTS + " AND email = :email AND at >= :by_account"
)


async def failures(
    tx: Transaction,
    email: str,
    address: str,
    now: datetime,
    *,
    pair_since: datetime,
    address_since: datetime,
    account_since: datetime,
) -> tuple[Failures, Failures]:
    """(settled failures, failures if every attempt in flight fails)."""
    rows = await tx.fetchall(
        _FAILURES,
        {
            "email": _norm(email),
            "address": address,
            "pair": to_db(pair_since),
            "by_address": to_db(address_since),
            "by_account": to_db(account_since),
            "stale": to_db(now - IN_FLIGHT_MAX),
        },
    )
    scopes = {row[0]: _scope((row[1], row[2], row[3], row[4], row[5], row[6])) for row in rows}
    (pair, pair_worst), (by_address, address_worst), (by_account, account_worst) = (
        scopes["pair"],
        scopes["address"],
        scopes["account"],
    )
    return Failures(pair, by_address, by_account), Failures(
        pair_worst, address_worst, account_worst
    )


async def reserve_attempt(
    db: Database,
    email: str,
    address: str,
    now: datetime,
    *,
    windows: tuple[datetime, datetime, datetime],
    wait_for: Callable[[Failures], int],
) -> Reservation:
    """Count and, if `wait_for` allows it (0), insert the attempt in flight: atomically.

    `windows` are the starts of the pair, address and account windows. A refused or
    undecided attempt is not recorded.
    """
    pair_since, address_since, account_since = windows
    async with db.transaction() as tx:
        settled, worst = await failures(
            tx,
            email,
            address,
            now,
            pair_since=pair_since,
            address_since=address_since,
            account_since=account_since,
        )
        if wait_for(worst) > 0:
            # Refused if what is in flight fails; if it is refused even when all of it
            # succeeds, the wait is certain. Otherwise only the outcomes can tell.
            return Reservation(None, wait_for(settled))
        attempt_id = await tx.insert(
            "INSERT INTO login_attempts (email, address, at, success) VALUES (?, ?, ?, ?)",
            (_norm(email), address, to_db(now), IN_FLIGHT),
        )
    return Reservation(attempt_id, 0)


async def settle_attempt(tx: Transaction, attempt_id: int, *, success: bool) -> None:
    """Inside the caller's transaction, e.g. the one that creates the session."""
    await tx.execute(
        "UPDATE login_attempts SET success = ? WHERE id = ?",
        (SUCCEEDED if success else FAILED, attempt_id),
    )


async def fail_attempt(db: Database, attempt_id: int) -> None:
    async with db.transaction() as tx:
        await settle_attempt(tx, attempt_id, success=False)


async def release_attempt(db: Database, attempt_id: int) -> None:
    """The password was not checked after all (the hashing pool was full): uncount it."""
    async with db.transaction() as tx:
        await tx.execute("DELETE FROM login_attempts WHERE id = ?", (attempt_id,))


@dataclass(frozen=True, slots=True)
class ResetRequests:
    by_address: FailureCount
    by_account: FailureCount


async def reset_requests(
    tx: Transaction, email: str, address: str, *, address_since: datetime, account_since: datetime
) -> ResetRequests:
    """Reset requests from this address, and for this account, since the window starts."""
    row = await tx.fetchone(
        "SELECT count(*) FILTER (WHERE address = :address AND at >= :by_address),"
        " min(at) FILTER (WHERE address = :address AND at >= :by_address),"
        " max(at) FILTER (WHERE address = :address AND at >= :by_address),"
        " count(*) FILTER (WHERE email = :email AND at >= :by_account),"
        " min(at) FILTER (WHERE email = :email AND at >= :by_account),"
        " max(at) FILTER (WHERE email = :email AND at >= :by_account)"
        " FROM login_attempts WHERE success = 3 AND (address = :address OR email = :email)",
        {
            "email": _norm(email),
            "address": address,
            "by_address": to_db(address_since),
            "by_account": to_db(account_since),
        },
    )
    values = tuple(row) if row is not None else (0, None, None, 0, None, None)

    def count(n: int, first: str | None, last: str | None) -> FailureCount:
        return FailureCount(
            int(n), from_db(last) if last else None, from_db(first) if first else None
        )

    return ResetRequests(count(*values[0:3]), count(*values[3:6]))


async def record_reset_request(tx: Transaction, email: str, address: str, now: datetime) -> None:
    await tx.execute(
        "INSERT INTO login_attempts (email, address, at, success) VALUES (?, ?, ?, ?)",
        (_norm(email), address, to_db(now), RESET_REQUEST),
    )
