"""Mail tests run against a real SMTP server (tests/mail/smtp_server.py)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from learning.core.clock import FrozenClock
from learning.core.config import Settings
from learning.core.mail_settings import MailSettings
from tests.conftest import make_settings
from tests.mail.smtp_server import Inbox, smtp_server


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def inbox(smtp: tuple[Inbox, int]) -> Inbox:
    return smtp[0]


def smtp_settings(port: int, **changes: object) -> MailSettings:
    values: dict[str, object] = {
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "mail_from": "Lerndienst <lernen@example.org>",
        "reply_to": "Schulungsteam <schulung@example.org>",
        "timeout": 2.0,
        "retry_base": 30.0,
        "poll": 0.2,
    }
    values.update(changes)
    return MailSettings(**values)  # type: ignore[arg-type]


@pytest.fixture
def settings(tmp_path: Path, smtp: tuple[Inbox, int]) -> Settings:
    return replace(make_settings(tmp_path / "test.sqlite3"), mail=smtp_settings(smtp[1]))


@pytest.fixture
def clock() -> FrozenClock:
    # Whole seconds, as the database stores them, so times compare exactly.
    return FrozenClock(datetime(2026, 12, 2, 9, 0, 0, tzinfo=UTC))
