"""Start-up cost of keeping and serving the last good course version (migration 0050).

    .venv/bin/python benchmarks/course_archive.py            # median of 5 each

Compares `Catalog.load()` (what start-up did before) with `course_archive.load()` on a
copy of the bundled courses: the first start, which stores both courses; a restart
with nothing changed; and a restart with one course broken, which compiles that course
from its stored files. All with a warm parse cache, so the difference is the archive.
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from run import COURSES

from learning.content.catalog import Catalog
from learning.core.clock import utc_now
from learning.publishing import archive as course_archive
from learning.store.db import open_database
from learning.store.migrate import migrate

RUNS = 5


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.0f} ms"


async def measure() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        courses = Path(tmp) / "courses"
        shutil.copytree(COURSES, courses)
        Catalog(courses).load()
        plain: list[float] = []
        first: list[float] = []
        again: list[float] = []
        broken: list[float] = []
        for n in range(RUNS):
            start = time.perf_counter()
            Catalog(courses).load()
            plain.append(time.perf_counter() - start)
            async with open_database(Path(tmp) / f"run{n}.sqlite3", readers=1) as db:
                await migrate(db)
                for into in (first, again):
                    start = time.perf_counter()
                    await course_archive.load(db, Catalog(courses), utc_now())
                    into.append(time.perf_counter() - start)
                course_md = next(courses.iterdir()) / "course.md"
                text = course_md.read_text(encoding="utf-8")
                course_md.write_text(text.replace("title:", "title", 1), encoding="utf-8")
                catalog = Catalog(courses)
                start = time.perf_counter()
                await course_archive.load(db, catalog, utc_now())
                broken.append(time.perf_counter() - start)
                assert len(catalog.courses) == 2, "the broken course is served from the store"
                course_md.write_text(text, encoding="utf-8")
        print(f"Catalog.load (before 0050):            {_ms(plain)}")
        print(f"course_archive.load, first start:      {_ms(first)}")
        print(f"course_archive.load, unchanged start:  {_ms(again)}")
        print(f"course_archive.load, one course broken: {_ms(broken)}")


if __name__ == "__main__":
    asyncio.run(measure())
