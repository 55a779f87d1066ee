"""Fallback load generator when wrk cannot be installed: asyncio + httpx, own process.

Usage: pyload.py BASE REQUEST_FILE CONNECTIONS SECONDS [MEAN_DELAY_MS]. Prints one BENCH_JSON line like
bench.lua. It needs CPU itself, so on two cores its figures are lower than wrk's.
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
from pathlib import Path

import httpx


async def main(
    base: str, rows: list[list[str]], connections: int, seconds: float, delay_ms: float
) -> None:
    latencies: list[float] = []
    errors = {"connect": 0, "read": 0, "write": 0, "status": 0, "timeout": 0}
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    started = time.perf_counter()
    deadline = started + seconds

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=10) as client:

        async def worker(offset: int) -> None:
            index = offset
            while time.perf_counter() < deadline:
                if delay_ms > 0:
                    # Capped below uvicorn's 5 s keep-alive, as in bench.lua.
                    await asyncio.sleep(min(4.0, random.expovariate(1000 / delay_ms)))
                method, path, cookie, body = rows[index % len(rows)]
                index += 1
                headers = {"cookie": cookie}
                if body:
                    headers["content-type"] = "application/x-www-form-urlencoded"
                t0 = time.perf_counter()
                try:
                    response = await client.request(
                        method, path, headers=headers, content=body or None
                    )
                except httpx.TimeoutException:
                    errors["timeout"] += 1
                    continue
                except httpx.HTTPError:
                    errors["read"] += 1
                    continue
                latencies.append(time.perf_counter() - t0)
                if response.status_code >= 400:
                    errors["status"] += 1

        await asyncio.gather(*(worker(i * 7919) for i in range(connections)))
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> int:
        if not latencies:
            return 0
        return int(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1e6)

    result = {
        "requests": len(latencies),
        "duration_us": int(elapsed * 1e6),
        **errors,
        "p50_us": pct(0.50),
        "p99_us": pct(0.99),
        "max_us": pct(1.0),
    }
    print("BENCH_JSON " + json.dumps(result), flush=True)


if __name__ == "__main__":
    lines = Path(sys.argv[2]).read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t", 3) for line in lines if line]
    delay = float(sys.argv[5]) if len(sys.argv) > 5 else 0.0
    asyncio.run(main(sys.argv[1], rows, int(sys.argv[3]), float(sys.argv[4]), delay))
