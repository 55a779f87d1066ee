"""Time in one place: UTC, injectable for tests, one text form for the database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]

DB_FORMAT = "%Y-%m-%d %H:%M:%S"


def utc_now() -> datetime:
    return datetime.now(UTC)


def to_db(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(DB_FORMAT)


def from_db(text: str) -> datetime:
    # fromisoformat reads DB_FORMAT (space separator) and is far faster than strptime.
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


class FrozenClock:
    """A clock that stands still until told to move: tests use it instead of sleep."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or utc_now()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        from datetime import timedelta

        self.now = self.now + timedelta(seconds=seconds)
