"""The stored last good version: what is kept, which version serves, dated errors."""

from __future__ import annotations

import asyncio
import shutil
from dataclasses import replace
from pathlib import Path

from learning.content.catalog import Catalog
from learning.content.compiler import compile_course
from learning.content.sources import compile_sources, content_hash_of, read_sources
from learning.core.clock import FrozenClock, to_db
from learning.core.config import Settings
from learning.publishing import archive as course_archive
from learning.store import course_sources
from learning.store.db import Database
from tests.conftest import TESTS, fast_hasher, make_settings
from tests.helpers import LESSON_MD, write_course

FIXTURE_DIR = TESTS / "courses" / "fixture-kurs"


def test_stored_files_have_the_compilers_content_hash() -> None:
    files = read_sources(FIXTURE_DIR)
    assert files is not None and "media/eisberg.svg" in files
    compiled = compile_course(FIXTURE_DIR, root=TESTS)
    assert compiled.course is not None
    assert content_hash_of(files) == compiled.course.content_hash
    again = compile_sources("courses", "fixture-kurs", files)
    assert again.course is not None and again.course.content_hash == compiled.course.content_hash


async def test_a_broken_folder_serves_the_stored_version_after_a_restart(
    db: Database, tmp_path: Path, clock: FrozenClock
) -> None:
    course_dir = write_course(tmp_path)
    first = Catalog(tmp_path / "courses")
    await course_archive.load(db, first, clock())
    good = first.get("k")
    assert good is not None and first.stored_at("k") is None
    (course_dir / "01-a.md").write_text(LESSON_MD.replace("## Seite", "# Kaputt"))
    clock.advance(60)
    restarted = Catalog(tmp_path / "courses")
    await course_archive.load(db, restarted, clock())
    served = restarted.get("k")
    assert served is not None and served.content_hash == good.content_hash
    assert restarted.stored_at("k") is not None
    errors = restarted.diagnostics("k").errors
    assert [e.code for e in errors] == ["E203", "E204", "E201"]
    assert {restarted.since("k", e) for e in errors} == {to_db(clock())}


async def test_a_reverted_edit_serves_the_version_it_went_back_to(
    db: Database, tmp_path: Path, clock: FrozenClock
) -> None:
    course_dir = write_course(tmp_path)
    hashes = []
    for text in (LESSON_MD, LESSON_MD.replace("Text.", "Anders."), LESSON_MD):
        (course_dir / "01-a.md").write_text(text)
        clock.advance(60)
        catalog = Catalog(tmp_path / "courses")
        await course_archive.load(db, catalog, clock())
        course = catalog.get("k")
        assert course is not None
        hashes.append(course.content_hash)
    assert hashes[0] == hashes[2] != hashes[1]
    (course_dir / "course.md").unlink()
    catalog = Catalog(tmp_path / "courses")
    await course_archive.load(db, catalog, clock())
    course = catalog.get("k")
    assert course is not None and course.content_hash == hashes[0]
    assert await db.scalar("SELECT count(*) FROM course_versions") == 2


async def test_errors_keep_their_first_seen_time_until_they_are_fixed(
    db: Database, clock: FrozenClock
) -> None:
    async with db.transaction() as tx:
        first = await course_sources.note_problems(tx, "k", ["a", "b"], clock())
    clock.advance(600)
    async with db.transaction() as tx:
        later = await course_sources.note_problems(tx, "k", ["b", "c"], clock())
    assert later == {"b": first["b"], "c": to_db(clock())}
    async with db.transaction() as tx:
        assert await course_sources.note_problems(tx, "k", [], clock()) == {}
    assert await db.scalar("SELECT count(*) FROM course_problems") == 0


async def test_reload_keeps_the_new_good_version_for_the_next_start(
    tmp_path: Path, clock: FrozenClock
) -> None:
    from learning.web.app import create_app

    courses = tmp_path / "kurse"
    shutil.copytree(FIXTURE_DIR, courses / "fixture-kurs")
    settings: Settings = replace(make_settings(tmp_path / "test.sqlite3"), courses=courses)
    lesson = courses / "fixture-kurs" / "01-grundlagen.md"
    original = lesson.read_text(encoding="utf-8")
    app = create_app(replace(settings, reload=True), clock=clock, announce=False)
    app.state.services.hasher = fast_hasher()
    async with app.router.lifespan_context(app):
        catalog = app.state.services.catalog
        db = app.state.services.db
        before = catalog.get("fixture-kurs").content_hash
        # The watcher starts in a thread at an unknown moment: write until it reacts.
        for attempt in range(30):
            lesson.write_text(original + f"\nNeuer Absatz {attempt}.\n", encoding="utf-8")
            await asyncio.sleep(1)
            edited = catalog.get("fixture-kurs").content_hash
            if edited != before and await course_sources.is_latest(db, "fixture-kurs", edited):
                break
        else:
            raise AssertionError("the edit was not recompiled and kept")
    lesson.write_text(original.replace("---\n", "--\n", 1), encoding="utf-8")
    app = create_app(settings, clock=clock, announce=False)
    async with app.router.lifespan_context(app):
        served = app.state.services.catalog.get("fixture-kurs")
        assert served is not None and served.content_hash == edited


async def test_a_link_out_of_the_course_folder_is_never_stored(
    db: Database, tmp_path: Path, clock: FrozenClock
) -> None:
    secret = tmp_path / "geheim.png"
    secret.write_bytes(b"nicht fuer Lernende")
    course_dir = write_course(tmp_path)
    (course_dir / "media" / "geheim.png").symlink_to(secret)
    catalog = Catalog(tmp_path / "courses")
    await course_archive.load(db, catalog, clock())
    # Such a link is an error (E407), so there is no good version to keep.
    assert catalog.get("k") is None
    assert "E407" in {d.code for r in catalog.results.values() for d in r.errors}
    assert await db.scalar("SELECT count(*) FROM course_blobs") == 0


async def test_a_course_moved_to_a_new_folder_is_served_from_there(
    db: Database, tmp_path: Path, clock: FrozenClock
) -> None:
    old = write_course(tmp_path, folder="alt")
    await course_archive.load(db, Catalog(tmp_path / "courses"), clock())
    shutil.rmtree(old)
    catalog = Catalog(tmp_path / "courses")
    await course_archive.load(db, catalog, clock())
    assert catalog.folder_of("k") == "alt" and catalog.stored_at("alt") is not None
    # With --reload the new folder appears while the stored version stands in.
    write_course(tmp_path, folder="neu")
    result = catalog.reload("neu")
    assert result.ok, result.errors
    assert catalog.folder_of("k") == "neu" and catalog.stored_at("neu") is None
    assert "alt" not in catalog.results and len(catalog.courses) == 1
