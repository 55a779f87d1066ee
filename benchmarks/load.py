"""Drive the server: wrk with bench.lua, or a Python generator in its own process.

Both read the same request file (method, path, cookie, body, tab-separated) and
report the same figures: requests/s, p50, p99 and errors.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class LoadResult:
    name: str
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    tool: str

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def ensure_wrk() -> str | None:
    """wrk from Debian's packages, installed when missing; None when apt cannot."""
    found = shutil.which("wrk")
    if found:
        return found
    if shutil.which("apt-get") is None:
        return None
    print("wrk fehlt: installiere es mit apt-get ...", flush=True)
    try:
        subprocess.run(["apt-get", "update", "-qq"], check=True, timeout=300)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"],
            check=True,
            timeout=300,
            env={"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},
        )
    except (subprocess.SubprocessError, OSError) as exc:
        print(f"apt-get ging nicht ({exc}); nehme den Python-Lastgenerator.", flush=True)
        return None
    return shutil.which("wrk")


def write_requests(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    path.write_text("".join("\t".join(row) + "\n" for row in rows), encoding="utf-8")
    return path


def run_load(
    name: str,
    base: str,
    request_file: Path,
    *,
    connections: int,
    seconds: float,
    wrk: str | None,
    offered_rps: float | None = None,
) -> LoadResult:
    """Closed loop (each connection sends as soon as it has its answer), or paced.

    With `offered_rps`, each connection waits an exponentially distributed time with a
    mean of connections / offered_rps between requests: about that many requests per
    second arrive, as from many people reading, and latency is measured below saturation.
    """
    delay_ms = connections * 1000 / offered_rps if offered_rps else 0.0
    if wrk is not None:
        return _run_wrk(name, base, request_file, connections, seconds, wrk, delay_ms)
    return _run_python(name, base, request_file, connections, seconds, delay_ms)


def _run_wrk(
    name: str,
    base: str,
    request_file: Path,
    connections: int,
    seconds: float,
    wrk: str,
    delay_ms: float,
) -> LoadResult:
    command = [
        wrk,
        "-t2",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(HERE / "bench.lua"),
        base + "/",
        "--",
        str(request_file),
    ]
    env = {**os.environ, "BENCH_DELAY_MS": f"{delay_ms:.3f}"}
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, env=env)
    return _parse(name, done.stdout + done.stderr, "wrk")


def _run_python(
    name: str,
    base: str,
    request_file: Path,
    connections: int,
    seconds: float,
    delay_ms: float,
) -> LoadResult:
    command = [
        sys.executable,
        str(HERE / "pyload.py"),
        base,
        str(request_file),
        str(connections),
        str(seconds),
        str(delay_ms),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    return _parse(name, done.stdout + done.stderr, "python")


def _parse(name: str, output: str, tool: str) -> LoadResult:
    line = next((x for x in output.splitlines() if x.startswith("BENCH_JSON ")), None)
    if line is None:
        raise RuntimeError(f"{tool} printed no result:\n{output[-2000:]}")
    data = json.loads(line.removeprefix("BENCH_JSON "))
    errors = sum(data[k] for k in ("connect", "read", "write", "status", "timeout"))
    return LoadResult(
        name=name,
        requests=int(data["requests"]),
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        errors=int(errors),
        tool=tool,
    )
