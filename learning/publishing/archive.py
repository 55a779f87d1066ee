"""Keep the last good version of every course in the database and serve it when needed.

One mechanism for start-up and `--reload`: after every compile of a folder, `keep`
stores a good version (all files of the folder, media included) and notes the errors
of a broken one with the time each was first seen. At start-up, `load` serves the
stored version of every course whose folder is broken or missing, so a typo followed
by a restart does not take a course (its pages, reports and certificates) offline.
"""

from __future__ import annotations

import logging
from datetime import datetime

from learning.content.catalog import Catalog, problem_key
from learning.content.model import CompileResult, Course
from learning.content.sources import compile_sources, content_hash_of, read_sources
from learning.store import course_sources
from learning.store.db import Database

log = logging.getLogger("learning")


async def keep(
    db: Database, catalog: Catalog, folder: str, result: CompileResult, now: datetime
) -> None:
    """Record the outcome of compiling `folder`: store a good version, date the errors."""
    course = result.course
    if course is not None:
        await _store(db, catalog, folder, course, now)
    problems = [problem_key(d) for d in result.errors]
    if not problems and not await course_sources.has_problems(db, folder):
        catalog.set_since(folder, {})
        return  # the usual start: nothing to write
    async with db.transaction() as tx:
        since = await course_sources.note_problems(tx, folder, problems, now)
    catalog.set_since(folder, since)


async def _store(
    db: Database, catalog: Catalog, folder: str, course: Course, now: datetime
) -> None:
    if await course_sources.is_latest(db, course.id, course.content_hash):
        return
    files = read_sources(catalog.courses_dir / folder)
    if files is None:
        log.warning(
            "Kurs %s: eine Datei ist nicht lesbar oder verweist aus dem Kursordner hinaus;"
            " diese Fassung wird nicht gesichert.",
            folder,
        )
        return
    if content_hash_of(files) != course.content_hash:
        # Changed while it compiled: what was compiled is not what would be stored.
        # The change itself triggers the next compile (with --reload) or start-up does.
        log.warning("Kurs %s: Dateien während des Übersetzens geändert, nicht gesichert.", folder)
        return
    async with db.transaction() as tx:
        await course_sources.keep_version(
            tx,
            course_id=course.id,
            folder=folder,
            content_hash=course.content_hash,
            files=files,
            now=now,
        )


async def load(db: Database, catalog: Catalog, now: datetime) -> None:
    """Compile every folder; serve the stored version where a folder is broken or gone."""
    catalog.load()
    for folder, result in catalog.results.items():
        await keep(db, catalog, folder, result, now)
    versions = await course_sources.latest_versions(db)
    # The most recently good course of a folder keeps its folder's name.
    for version in sorted(versions, key=lambda v: v.confirmed_at, reverse=True):
        if catalog.get(version.course_id) is not None:
            continue
        # A folder that serves another course by now: show this one under its id.
        folder = version.folder if not catalog.serves(version.folder) else version.course_id
        if catalog.serves(folder):
            log.error("Kurs %s: kein freier Name für die gespeicherte Fassung.", version.course_id)
            continue
        files = await course_sources.version_files(db, version.id)
        stored = compile_sources(catalog.courses_dir.name, version.folder, files)
        if stored.course is None or stored.course.id != version.course_id:
            for diagnostic in stored.errors:
                log.error("gespeicherte Fassung: %s", diagnostic)
            log.error(
                "Kurs %s: die gespeicherte Fassung lässt sich nicht mehr übersetzen.",
                version.course_id,
            )
            continue
        dated = folder in catalog.results
        catalog.serve_stored(folder, stored.course, version.confirmed_at)
        if not dated:
            await keep(db, catalog, folder, catalog.results[folder], now)
        log.warning(
            "Kurs %s: Ordner %s fehlerhaft oder fehlt; die Fassung vom %s wird angeboten.",
            version.course_id,
            version.folder,
            version.confirmed_at,
        )
    catalog.set_retired(await course_sources.retirements(db))
