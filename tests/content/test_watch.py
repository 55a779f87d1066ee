from __future__ import annotations

import asyncio
from pathlib import Path

from learning.content.catalog import Catalog
from learning.content.model import CompileResult
from learning.content.watch import changed_folders, watch_courses
from tests.helpers import LESSON_MD, write_course


def test_changed_folders(tmp_path: Path) -> None:
    root = tmp_path / "courses"
    paths = {str(root / "a" / "01-x.md"), str(root / "a" / "media" / "b.svg"), str(root / "b")}
    assert changed_folders(root, paths | {str(tmp_path / "elsewhere")}) == ["a", "b"]


async def test_watch_recompiles_the_changed_course(tmp_path: Path) -> None:
    course_dir = write_course(tmp_path)
    catalog = Catalog(tmp_path / "courses")
    catalog.load()
    seen: asyncio.Queue[tuple[str, CompileResult]] = asyncio.Queue()
    stop = asyncio.Event()

    async def on_change(folder: str, result: CompileResult) -> None:
        await seen.put((folder, result))

    task = asyncio.create_task(
        watch_courses(catalog, on_change, stop_event=stop, force_polling=True)
    )
    # The watcher's first snapshot happens in a thread at an unknown moment, so a
    # single early write could go unnoticed: write again until a change is reported.
    for attempt in range(20):
        text = LESSON_MD.replace("Text.", f"Geändert {attempt}.")
        (course_dir / "01-a.md").write_text(text)
        try:
            folder, result = await asyncio.wait_for(seen.get(), timeout=1)
            break
        except TimeoutError:
            continue
    else:
        raise AssertionError("no change reported")
    stop.set()
    await asyncio.wait_for(task, timeout=10)
    assert folder == "k"
    assert result.course is not None
    assert "Geändert" in result.course.pages[0].blocks[0].html  # type: ignore[union-attr]
    assert catalog.get("k") is result.course
