"""The real server in a subprocess, on 127.0.0.1 and a free port, for crash and browser tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SECRET = "live-server-secret-key-for-tests"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def server_env(database: Path | str, courses: Path, log_level: str = "warning") -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LEARNING_DATABASE": str(database),
        "LEARNING_COURSES": str(courses),
        "LEARNING_SECRET_KEY": SECRET,
        "LEARNING_LOG_LEVEL": log_level,
    }


def start(
    database: Path | str,
    courses: Path,
    port: int,
    *,
    timeout: float = 30,
    log_level: str = "warning",
    log: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> subprocess.Popen[bytes]:
    """Serve `database` (a SQLite file, or a PostgreSQL URL with `log` given)."""
    if log is None:
        assert isinstance(database, Path), "a PostgreSQL URL needs a log file"
        log = database.parent / "server.log"
    # A file, not a pipe: a full pipe would stall a server that logs a lot.
    log_file = log.open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "learning", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env={**server_env(database, courses, log_level), **(env or {})},
        stdout=log_file,
        stderr=log_file,
    )
    log_file.close()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.1)
    stop(process)
    raise RuntimeError("server did not answer /healthz in time")


def stop(process: subprocess.Popen[bytes], *, sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextmanager
def running(database: Path, courses: Path, *, log_level: str = "warning") -> Iterator[str]:
    """Serve until the block ends; the server is stopped even when the block fails."""
    port = free_port()
    process = start(database, courses, port, log_level=log_level)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)
