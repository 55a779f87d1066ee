"""`learning reminders send` as a subprocess, against a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import date
from email.message import EmailMessage
from pathlib import Path

import pytest

from learning.store.db import Database
from learning.store.migrate import migrate
from tests.cli.test_admin import run_cli
from tests.mail.smtp_server import Inbox, smtp_server
from tests.reminders.seed import START, assign, complete, learners

DUE = date(2026, 6, 30)


@pytest.fixture
def smtp() -> object:
    with smtp_server() as server:
        yield server


def seed(path: Path) -> list[int]:
    async def run() -> list[int]:
        async with Database(path, readers=1) as db:
            await migrate(db)
            group_id, ids = await learners(db, 3)
            await db.writer.execute("UPDATE users SET locale = 'en' WHERE id = ?", (ids[2],))
            await db.writer.commit()
            await assign(db, group_id=group_id, due=DUE)
            return ids

    return asyncio.run(run())


def finish(path: Path, user_id: int) -> None:
    async def run() -> None:
        async with Database(path, readers=1) as db:
            await complete(db, user_id, START.replace(month=7, day=2))

    asyncio.run(run())


def send(tmp_path: Path, port: int, *args: str) -> str:
    env = {
        "LEARNING_SMTP_HOST": "127.0.0.1",
        "LEARNING_SMTP_PORT": str(port),
        "LEARNING_MAIL_FROM": "Lerndienst <lernen@example.org>",
    }
    result = run_cli(tmp_path, "reminders", "send", *args, env=env)
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout.decode()


def parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


def test_reminders_over_several_days_arrive_once_each(
    tmp_path: Path, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    anna, ben, cem = seed(tmp_path / "cli.sqlite3")
    days = ["2026-06-15", "2026-06-16", "2026-06-16", "2026-06-27", "2026-06-30", "2026-07-01"]
    for day in days:
        send(tmp_path, port, "--as-of", day)
    finish(tmp_path / "cli.sqlite3", ben)
    for day in ["2026-07-07", "2026-07-07", "2026-07-14"]:
        send(tmp_path, port, "--as-of", day)
    per_learner = Counter(r.recipients[0] for r in inbox.received)
    assert per_learner == {
        "lernende0.team-nord@example.org": 5,
        "lernende1.team-nord@example.org": 3,
        "lernende2.team-nord@example.org": 5,
    }
    first = inbox.to("lernende0.team-nord@example.org")[0].message
    assert first["Subject"] == "Erinnerung: „Fixture-Kurs“ ist am 30. Juni 2026 fällig"
    assert first["Auto-Submitted"] == "auto-generated"
    text, html = parts(first)
    assert "fällig am 30. Juni 2026, in 14 Tagen" in text
    assert 'href="http://127.0.0.1:8000/courses/fixture-kurs"' in html
    english = inbox.to("lernende2.team-nord@example.org")
    assert english[-1].message["Subject"] == "Overdue: “Fixture-Kurs” was due on June 30, 2026"
    assert "overdue for 14 days" in parts(english[-1].message)[0]
    del anna, cem


def test_dry_run_lists_and_sends_nothing(tmp_path: Path, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    seed(tmp_path / "cli.sqlite3")
    out = send(tmp_path, port, "--as-of", "2026-06-16", "--dry-run")
    assert "Probelauf für 2026-06-16" in out
    assert "lernende0.team-nord@example.org: Erinnerung: fixture-kurs (fällig 2026-06-30)" in out
    assert "3 Erinnerungen und 0 Übersichten würden eingereiht." in out
    out = send(tmp_path, port, "--as-of", "2026-06-16")
    assert "3 Erinnerungen und 0 Übersichten eingereiht." in out
    assert len(asyncio.run(inbox.wait_for(3, within=5))) == 3
    again = send(tmp_path, port, "--as-of", "2026-06-16")
    assert "0 Erinnerungen" in again
    assert len(inbox.received) == 3


@pytest.mark.parametrize("value", ["2026-13-01", "morgen", "16.06.2026", "20260616"])
def test_bad_date_is_a_german_error(tmp_path: Path, value: str) -> None:
    result = run_cli(tmp_path, "reminders", "send", "--as-of", value)
    assert result.returncode == 2
    assert result.stderr.decode().strip() == (
        f"Fehler: --as-of: ein Datum als JJJJ-MM-TT erwartet, nicht {value!r}"
    )
    assert not (tmp_path / "cli.sqlite3").exists()


def test_dry_run_does_not_create_a_database(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "reminders", "send", "--dry-run")
    assert result.returncode == 2
    assert "Fehler: Datenbank nicht gefunden:" in result.stderr.decode()
    assert not (tmp_path / "cli.sqlite3").exists()
