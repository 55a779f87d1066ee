"""The real server in a subprocess, on 127.0.0.1 and a free port, for crash and browser tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
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


def server_env(database: Path, courses: Path, log_level: str = "warning") -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LEARNING_DATABASE": str(database),
        "LEARNING_COURSES": str(courses),
        "LEARNING_SECRET_KEY": SECRET,
        "LEARNING_LOG_LEVEL": log_level,
    }


def start(
    database: Path,
    courses: Path,
    port: int,
    *,
    timeout: float = 30,
    log_level: str = "warning",
    env: dict[str, str] | None = None,
) -> subprocess.Popen[bytes]:
    """The server with `server_env`, plus `env` (e.g. the SMTP settings)."""
    # A file, not a pipe: a full pipe would stall a server that logs a lot.
    log = (database.parent / "server.log").open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "learning", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env={**server_env(database, courses, log_level), **(env or {})},
        stdout=log,
        stderr=log,
    )
    log.close()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"server exited: {process.stderr.read().decode() if process.stderr else ''}"
            )
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
