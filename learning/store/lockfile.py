"""The running server's claim on its database: a lock file held with flock.

Servers hold it shared, so several may serve one file; `learning restore` asks for it
exclusively and so learns whether any server is running. The kernel drops the lock
when a process dies, even by SIGKILL, so a crash never leaves a stale claim.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


def lock_path(database: Path) -> Path:
    """var/learning.sqlite3 -> var/learning.lock"""
    return database.with_suffix(".lock")


class ServerLock:
    def __init__(self, database: Path) -> None:
        self.path = lock_path(database)
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._fd, fcntl.LOCK_SH)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases the flock
            self._fd = None


def server_running(database: Path) -> bool:
    """True while any process holds the server lock of this database."""
    path = lock_path(database)
    if not path.exists():
        return False
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)
