"""Online backup under writes, and a restore that refuses to clobber a live database."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from starlette.applications import Starlette

from learning.cli.main import main
from learning.core.clock import utc_now
from learning.core.config import Settings
from learning.store import audit
from learning.store.backup import BackupError, backup, restore
from learning.store.db import Database, open_database
from learning.store.lockfile import ServerLock, server_running
from learning.store.migrate import migrate
from tests.conftest import sqlite_of


def count_rows(path: Path, table: str = "audit_log") -> int:
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608 - table names are constants of the tests


async def write(db: Database, n: int) -> None:
    async with db.transaction() as tx:
        await audit.record(tx, now=utc_now(), actor_id=None, actor_email="t", action=f"w{n}")


@pytest.mark.sqlite_only
async def test_backup_under_writes_is_consistent_and_complete(db: Database, tmp_path: Path) -> None:
    target = tmp_path / "sicherung.sqlite3"
    for n in range(200):
        await write(db, n)
    stop = asyncio.Event()

    async def keep_writing() -> int:
        n = 0
        while not stop.is_set():
            await write(db, 1000 + n)
            n += 1
        return n

    writer = asyncio.create_task(keep_writing())
    await asyncio.sleep(0.05)
    committed_before = await db.scalar("SELECT max(id) FROM audit_log")
    await asyncio.to_thread(backup, sqlite_of(db).path, target)
    await asyncio.sleep(0.05)
    stop.set()
    written_during = await writer

    assert written_during > 0, "the writer was blocked by the backup"
    with closing(sqlite3.connect(target)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = {row[0] for row in conn.execute("SELECT id FROM audit_log")}
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert set(range(1, committed_before + 1)) <= ids
    assert target.stat().st_mode & 0o077 == 0  # personal data: owner only


async def test_restore_refuses_while_server_holds_the_lock(tmp_path: Path) -> None:
    live, saved = tmp_path / "live.sqlite3", tmp_path / "saved.sqlite3"
    await fill(live, rows=1)
    backup(live, saved)
    lock = ServerLock(live)
    lock.acquire()
    try:
        assert server_running(live)
        with pytest.raises(BackupError, match="Der Dienst läuft"):
            restore(saved, live)
    finally:
        lock.release()
    assert not server_running(live)
    restore(saved, live)
    assert count_rows(live) == 1


def test_restore_refuses_database_with_pending_wal(tmp_path: Path) -> None:
    live, saved = tmp_path / "live.sqlite3", tmp_path / "saved.sqlite3"
    make_database(saved, rows=3)
    make_database(live, rows=1)
    with closing(sqlite3.connect(live)) as holder:
        holder.execute("PRAGMA journal_mode=WAL")
        holder.execute("PRAGMA wal_autocheckpoint=0")
        holder.execute("INSERT INTO audit_log (at, action) VALUES ('2026-01-01 00:00:00', 'x')")
        holder.commit()
        with pytest.raises(BackupError, match="--force"):
            restore(saved, live)
    restore(saved, live, force=True)
    assert count_rows(live) == 3


def test_restore_checks_the_backup_first(tmp_path: Path) -> None:
    live = tmp_path / "live.sqlite3"
    make_database(live, rows=2)
    broken = tmp_path / "kaputt.sqlite3"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100 + b"kein echter Inhalt" * 300)
    with pytest.raises(BackupError, match="nicht eingespielt"):
        restore(broken, live, force=True)
    foreign = tmp_path / "fremd.sqlite3"
    with closing(sqlite3.connect(foreign)) as conn:
        conn.execute("CREATE TABLE x (y)")
    with pytest.raises(BackupError, match="keine Datenbank dieses Dienstes"):
        restore(foreign, live, force=True)
    assert count_rows(live) == 2  # untouched


async def fill(path: Path, *, rows: int) -> None:
    async with open_database(path, readers=1) as db:
        await migrate(db)
        for n in range(rows):
            await write(db, n)


def make_database(path: Path, *, rows: int) -> None:
    asyncio.run(fill(path, rows=rows))


@pytest.mark.sqlite_only
async def test_running_app_holds_the_server_lock(app: Starlette, settings: Settings) -> None:
    assert server_running(settings.database)
    with pytest.raises(BackupError, match="Der Dienst läuft"):
        restore(settings.database, settings.database)


def test_cli_backup_and_restore_round_trip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEARNING_SECRET_KEY", "a-secret-key-for-the-cli-test")
    live = tmp_path / "var" / "learning.sqlite3"
    make_database(live, rows=5)
    saved = tmp_path / "sicherung.sqlite3"
    assert main(["--database", str(live), "backup", str(saved)]) == 0
    assert "geprüft" in capsys.readouterr().out
    make_database(live, rows=2)  # more rows after the backup
    assert count_rows(live) == 7
    assert main(["--database", str(live), "restore", str(saved)]) == 0
    assert count_rows(live) == 5
    assert main(["--database", str(live), "restore", str(tmp_path / "fehlt")]) == 2
    assert "gibt es nicht" in capsys.readouterr().err
