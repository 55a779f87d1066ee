"""Run the real server as a subprocess on 127.0.0.1, watch its memory, always stop it."""

from __future__ import annotations

import os
import socket
import subprocess
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
LEARNING = ROOT / ".venv" / "bin" / "learning"
SECRET = "benchmark-secret-key-not-for-production-use"  # noqa: S105 - benchmark only


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _status_kib(pid: int, field: str) -> int:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in text.splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


class Server:
    """`learning serve` with one uvicorn worker, as `make run` starts it."""

    def __init__(self, database: Path | str, courses: Path, *, extra_env: dict[str, str]) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "LEARNING_DATABASE": str(database),
            "LEARNING_COURSES": str(courses),
            "LEARNING_SECRET_KEY": SECRET,
            "LEARNING_LOG_LEVEL": "warning",
            "LEARNING_BENCH_CEILING": "1",
            **extra_env,
        }
        self.proc: subprocess.Popen[bytes] | None = None
        self.first_request_s = 0.0
        self._peak_rss_kib = 0
        self._window_peak_kib = 0
        self._stop = threading.Event()
        self._sampler: threading.Thread | None = None

    def start(self, timeout: float = 30.0) -> None:
        started = time.perf_counter()
        self.proc = subprocess.Popen(
            [str(LEARNING), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = started + timeout
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                err = self.proc.stderr.read().decode() if self.proc.stderr else ""
                raise RuntimeError(f"server exited early:\n{err}")
            try:
                if httpx.get(self.base + "/healthz", timeout=1).status_code == 200:
                    self.first_request_s = time.perf_counter() - started
                    break
            except httpx.HTTPError:
                time.sleep(0.02)
        else:
            raise RuntimeError("server did not answer within the timeout")
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()

    def _sample(self) -> None:
        # VmHWM is the kernel's own peak; sampling VmRSS as well shows what "now" is.
        while not self._stop.wait(0.02) and self.proc is not None:
            rss = _status_kib(self.proc.pid, "VmRSS")
            self._peak_rss_kib = max(self._peak_rss_kib, rss)
            self._window_peak_kib = max(self._window_peak_kib, rss)

    def window_start(self) -> float:
        """Start a new peak window; returns the RSS now, in MB."""
        now = self.rss_mb()
        self._window_peak_kib = int(now * 1024)
        return now

    def window_peak_mb(self) -> float:
        return self._window_peak_kib / 1024

    def cpu_seconds(self) -> float:
        """User + system CPU the server has used: unlike wall time, this does not
        depend on what else the machine is running."""
        if self.proc is None:
            return 0.0
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        ticks = int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")

    def rss_mb(self) -> float:
        return _status_kib(self.proc.pid, "VmRSS") / 1024 if self.proc else 0.0

    def peak_rss_mb(self) -> float:
        if self.proc is None:
            return 0.0
        hwm = _status_kib(self.proc.pid, "VmHWM")
        return max(hwm, self._peak_rss_kib) / 1024

    def stop(self) -> None:
        self._stop.set()
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()  # SIGTERM: uvicorn runs the lifespan shutdown
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)

    def __enter__(self) -> Server:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
