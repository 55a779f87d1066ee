"""What a named export holds while it streams, and what building its XLSX costs.

    .venv/bin/python benchmarks/export_memory.py [--learners 10000]

Exports read every row first on a connection of their own (`Database.snapshot`), so
the rows sit in memory for the length of the download; XLSX is then built in a worker
thread. This prints the read time, the memory the rows hold (tracemalloc), and the
XLSX build time, for a fresh database with that many enrolled learners.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
import tracemalloc
from datetime import datetime
from pathlib import Path

from learning.reports.documents import ExportInfo
from learning.reports.export import LEARNER_COLUMNS, learner_dict
from learning.reports.workbook import write_xlsx as _write_xlsx
from learning.store import reports
from learning.store.db import Database
from learning.store.migrate import migrate


async def measure(learners: int) -> None:
    folder = Path(tempfile.mkdtemp())
    async with Database(folder / "export.sqlite3") as db:
        await migrate(db)
        async with db.transaction() as tx:
            await tx.executemany(
                "INSERT INTO users (email, name, role, created_at)"
                " VALUES (?, ?, 'learner', '2026-01-01 00:00:00')",
                [(f"p{i}@example.org", f"Person Nummer {i}") for i in range(learners)],
            )
            await tx.execute(
                "INSERT INTO enrolments (user_id, course_id, enrolled_at)"
                " SELECT id, 'k', '2026-01-02 00:00:00' FROM users"
            )
        tracemalloc.start()
        start = time.perf_counter()
        rows = await reports.snapshot_learners(db, "k", ["a", "b"], reports.LearnerFilter())
        read = time.perf_counter() - start
        held, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        info = ExportInfo("Bericht", "named", 5, {}, datetime(2026, 1, 1))
        start = time.perf_counter()
        _write_xlsx(str(folder / "x.xlsx"), info, LEARNER_COLUMNS, [learner_dict(r) for r in rows])
        build = time.perf_counter() - start
    print(f"{learners} learners: read {read * 1000:.0f} ms, rows hold {held / 2**20:.1f} MiB")
    print(f"(peak {peak / 2**20:.1f} MiB); XLSX built in {build * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=10_000)
    asyncio.run(measure(parser.parse_args().learners))


if __name__ == "__main__":
    main()
