"""Login throttling policy: how long a caller must wait, from counts of failures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

WINDOW = timedelta(minutes=15)
ACCOUNT_WINDOW = timedelta(hours=1)
PAIR_FREE_FAILURES = 5
ADDRESS_FREE_FAILURES = 20
ACCOUNT_MAX_FAILURES = 100
BASE_DELAY = 15
MAX_DELAY = 15 * 60


@dataclass(frozen=True, slots=True)
class Verdict:
    wait_seconds: int

    @property
    def allowed(self) -> bool:
        return self.wait_seconds <= 0


# "Passwort vergessen?": from one address a few requests per WINDOW, then growing waits;
# per account at most this many reset mails per ACCOUNT_WINDOW, whoever asks.
RESET_ADDRESS_FREE = 5
RESET_ACCOUNT_MAX = 3


def reset_wait(address: tuple[int, datetime | None], now: datetime) -> int:
    """Seconds the address must wait before it may ask for another reset link."""
    count, last = address
    return remaining(last, growing_delay(count, RESET_ADDRESS_FREE), now)


def growing_delay(failures: int, free: int) -> int:
    """Zero for the first `free` failures, then 15 s doubling per failure up to 15 min."""
    if failures < free:
        return 0
    delay: int = BASE_DELAY * 2 ** min(failures - free, 16)
    return min(delay, MAX_DELAY)


def remaining(last: datetime | None, delay: int, now: datetime) -> int:
    if last is None or delay <= 0:
        return 0
    left = (last + timedelta(seconds=delay) - now).total_seconds()
    return max(0, int(left + 0.999))


def verdict(
    *,
    now: datetime,
    pair: tuple[int, datetime | None],
    address: tuple[int, datetime | None],
    account: tuple[int, datetime | None],
) -> Verdict:
    """Per (account, address) and per address: growing delays. Per account: a hard cap.

    Throttled attempts are refused before the password is checked and are not counted,
    so an attacker hammering from one address cannot push the account over its cap and
    lock out the real user, who logs in from another address.
    """
    waits = [
        remaining(pair[1], growing_delay(pair[0], PAIR_FREE_FAILURES), now),
        remaining(address[1], growing_delay(address[0], ADDRESS_FREE_FAILURES), now),
    ]
    count, oldest = account
    if count >= ACCOUNT_MAX_FAILURES and oldest is not None:
        waits.append(max(1, int((oldest + ACCOUNT_WINDOW - now).total_seconds() + 0.999)))
    return Verdict(max(waits))
