"""Recompile a course when its files change (`learning serve --reload`)."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from pathlib import Path

from watchfiles import awatch

from learning.content.catalog import Catalog
from learning.content.model import CompileResult

OnChange = Callable[[str, CompileResult], Awaitable[None] | None]


def changed_folders(courses_dir: Path, paths: set[str]) -> list[str]:
    """The course folders (first path component below `courses_dir`) touched by `paths`."""
    root = courses_dir.resolve()
    folders: set[str] = set()
    for raw in paths:
        try:
            relative = Path(raw).resolve().relative_to(root)
        except ValueError:
            continue
        if relative.parts:
            folders.add(relative.parts[0])
    return sorted(folders)


async def watch_courses(
    catalog: Catalog,
    on_change: OnChange | None = None,
    *,
    stop_event: asyncio.Event | None = None,
    force_polling: bool | None = None,
) -> None:
    """Run until cancelled (or `stop_event` is set), recompiling each changed course folder."""
    async for changes in awatch(
        catalog.courses_dir, stop_event=stop_event, force_polling=force_polling
    ):
        for folder in changed_folders(catalog.courses_dir, {path for _, path in changes}):
            await _recompile(catalog, folder, on_change)


async def _recompile(catalog: Catalog, folder: str, on_change: OnChange | None) -> None:
    result = catalog.reload(folder)
    if on_change is None:
        return
    outcome = on_change(folder, result)
    if inspect.isawaitable(outcome):
        await outcome
