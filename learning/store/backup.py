"""Online backup and restore with SQLite's backup API.

The backup copies in one step on its own connection: in WAL mode that is one read
transaction, so it sees exactly what was committed when it began, and the server's
writer goes on committing meanwhile (readers never block the writer in WAL).
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

from learning.store.lockfile import server_running


class BackupError(Exception):
    """Backup or restore refused; the message says why, in German."""


def integrity_problem(path: Path) -> str | None:
    """None when `path` is a sound database of this service, else what is wrong with it."""
    if not path.is_file():
        return f"{path} gibt es nicht."
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            if result != ["ok"]:
                return f"{path} ist beschädigt: {'; '.join(map(str, result[:5]))}"
            known = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
            ).fetchone()
    except sqlite3.DatabaseError as exc:
        return f"{path} ist keine lesbare SQLite-Datenbank ({exc})."
    if known is None:
        return f"{path} ist keine Datenbank dieses Dienstes."
    return None


def _private_file(path: Path) -> None:
    # A backup holds the same personal data as the database: only the owner may read it.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)


def backup(database: Path, target: Path) -> None:
    """Copy the live database to `target` (replaced atomically), checked before it counts."""
    if not database.is_file():
        raise BackupError(f"Die Datenbank {database} gibt es nicht.")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    _private_file(partial)
    try:
        with (
            closing(sqlite3.connect(database, timeout=30)) as source,
            closing(sqlite3.connect(partial)) as copy,
        ):
            source.execute("PRAGMA query_only=ON")
            source.backup(copy)
            # A self-contained file: no -wal beside it to lose when copying it elsewhere.
            copy.execute("PRAGMA journal_mode=DELETE")
        problem = integrity_problem(partial)
        if problem:
            raise BackupError(f"Die Sicherung ist nicht in Ordnung: {problem}")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def database_live(database: Path) -> str | None:
    """Why `database` must not be overwritten now, or None when it is safe to."""
    if server_running(database):
        return "Der Dienst läuft mit dieser Datenbank. Bitte halten Sie ihn zuerst an."
    wal = database.with_name(database.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return (
            f"{wal.name} enthält noch nicht übernommene Änderungen: die Datenbank ist in "
            "Gebrauch oder wurde nicht sauber geschlossen."
        )
    return None


def restore(source: Path, database: Path, *, force: bool = False) -> None:
    """Replace `database` with the backup `source`, after checking the backup."""
    problem = integrity_problem(source)
    if problem:
        raise BackupError(f"Die Sicherung wird nicht eingespielt: {problem}")
    if database.exists() and not force:
        live = database_live(database)
        if live:
            raise BackupError(f"{live} Mit --force wird trotzdem überschrieben.")
    database.parent.mkdir(parents=True, exist_ok=True)
    with (
        closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as backup_conn,
        closing(sqlite3.connect(database, timeout=30)) as target,
    ):
        # The backup API writes through SQLite's own locking and journal, so even a
        # forced restore never leaves a half-copied file behind.
        backup_conn.backup(target)
        target.execute("PRAGMA wal_checkpoint(TRUNCATE)")
