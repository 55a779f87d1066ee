"""SIGKILL a real `learning serve` between queueing and sending: after a restart the mail
goes out, once, with the Message-ID it was given before the crash."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
from pathlib import Path

from learning.store import outbox
from learning.store.db import open_database
from learning.store.migrate import migrate
from tests import live_server
from tests.conftest import TESTS
from tests.mail.smtp_server import Inbox

CSV = "email;name;role;group\nkim@example.org;Kim Krash;learner;Nord\n"


def _env(smtp_port: int, poll: str) -> dict[str, str]:
    return {
        "LEARNING_SMTP_HOST": "127.0.0.1",
        "LEARNING_SMTP_PORT": str(smtp_port),
        "LEARNING_MAIL_FROM": "lernen@example.org",
        "LEARNING_SMTP_TIMEOUT": "1",
        "LEARNING_MAIL_RETRY": "1",
        "LEARNING_MAIL_POLL": poll,
    }


def _import(database: Path, tmp_path: Path, env: dict[str, str]) -> str:
    """Queue the invitation from another process: `learning users import`."""
    csv = tmp_path / "konten.csv"
    csv.write_text(CSV, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "learning", "users", "import", str(csv)],
        cwd=live_server.ROOT,
        env={**live_server.server_env(database, TESTS / "courses"), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


async def _mail(database: Path) -> outbox.OutboxMail:
    async with open_database(database, readers=1) as db:
        mail = await outbox.get(db, 1)
    assert mail is not None
    return mail


async def _until(database: Path, status: str, within: float = 20) -> outbox.OutboxMail:
    for _ in range(int(within / 0.1)):
        mail = await _mail(database)
        if mail.status == status:
            return mail
        await asyncio.sleep(0.1)
    raise AssertionError(f"mail not {status}: {await _mail(database)}")


async def _prepare(database: Path) -> None:
    async with open_database(database, readers=1) as db:
        await migrate(db)


def _start(database: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return live_server.start(database, TESTS / "courses", live_server.free_port(), env=env)


async def test_queued_mail_survives_a_kill_and_goes_out_once(
    tmp_path: Path, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    database = tmp_path / "crash.sqlite3"
    await _prepare(database)
    # The server looks at the outbox only once an hour by itself: the mail queued by
    # another process waits for it.
    env = _env(port, poll="3600")
    server = _start(database, env)
    try:
        assert "kim@example.org\tEinladung per E-Mail" in _import(database, tmp_path, env)
        await asyncio.sleep(1)
        assert (await _mail(database)).status == "queued"
        assert inbox.received == []
    finally:
        live_server.stop(server, sig=signal.SIGKILL)
    server = _start(database, env)
    try:
        sent = await _until(database, "sent")
        await asyncio.sleep(1.5)
        assert [r.message["Message-ID"] for r in inbox.received] == [sent.message_id]
    finally:
        live_server.stop(server)


async def test_mail_claimed_by_a_killed_server_is_sent_after_restart_once(
    tmp_path: Path, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    database = tmp_path / "crash.sqlite3"
    await _prepare(database)
    env = _env(port, poll="0.2")
    inbox.delay = 30  # the server hangs in the conversation: the kill comes mid-send
    server = _start(database, env)
    try:
        _import(database, tmp_path, env)
        claimed = await _until(database, "sending")
    finally:
        live_server.stop(server, sig=signal.SIGKILL)
    inbox.delay = 0
    server = _start(database, env)
    try:
        # The claim's lease (13 timeouts of 1 s) runs out, then the mail is sent again.
        sent = await _until(database, "sent", within=40)
        await asyncio.sleep(1)
        assert sent.message_id == claimed.message_id
        assert [r.message["Message-ID"] for r in inbox.received] == [claimed.message_id]
        assert sent.attempts >= 2
    finally:
        live_server.stop(server)
