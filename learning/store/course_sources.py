"""The stored last good version of each course, its files, current problems, retirement."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime

from learning.core.clock import to_db
from learning.store.db import Database, Row, Transaction


@dataclass(frozen=True, slots=True)
class StoredVersion:
    id: int
    course_id: str
    folder: str
    content_hash: str
    stored_at: str
    confirmed_at: str


def _version(row: Row) -> StoredVersion:
    return StoredVersion(
        int(row[0]), str(row[1]), str(row[2]), str(row[3]), str(row[4]), str(row[5])
    )


async def latest_versions(db: Database) -> list[StoredVersion]:
    """The last version of every course that compiled without errors."""
    rows = await db.fetchall(
        "SELECT v.id, v.course_id, v.folder, v.content_hash, v.stored_at, v.confirmed_at"
        " FROM course_versions v WHERE v.id = ("
        " SELECT w.id FROM course_versions w WHERE w.course_id = v.course_id"
        " ORDER BY w.confirmed_at DESC, w.id DESC LIMIT 1) ORDER BY v.course_id"
    )
    return [_version(row) for row in rows]


async def is_latest(db: Database, course_id: str, content_hash: str) -> bool:
    value = await db.scalar(
        "SELECT content_hash FROM course_versions WHERE course_id = ?"
        " ORDER BY confirmed_at DESC, id DESC LIMIT 1",
        (course_id,),
    )
    return bool(value == content_hash)


async def keep_version(
    tx: Transaction,
    *,
    course_id: str,
    folder: str,
    content_hash: str,
    files: Mapping[str, bytes],
    now: datetime,
) -> None:
    """Make this version the course's latest good one; its files are stored once."""
    at = to_db(now)
    row = await tx.fetchone(
        "SELECT id FROM course_versions WHERE course_id = ? AND content_hash = ?",
        (course_id, content_hash),
    )
    if row is not None:
        await tx.execute(
            "UPDATE course_versions SET confirmed_at = ?, folder = ? WHERE id = ?",
            (at, folder, row[0]),
        )
        return
    version_id = await tx.insert(
        "INSERT INTO course_versions (course_id, folder, content_hash, stored_at, confirmed_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (course_id, folder, content_hash, at, at),
    )
    digests = {path: hashlib.sha256(data).hexdigest() for path, data in files.items()}
    await tx.executemany(
        "INSERT INTO course_blobs (sha256, data) VALUES (?, ?) ON CONFLICT DO NOTHING",
        [(digests[path], data) for path, data in files.items()],
    )
    await tx.executemany(
        "INSERT INTO course_version_files (version_id, path, sha256) VALUES (?, ?, ?)",
        [(version_id, path, digest) for path, digest in sorted(digests.items())],
    )


async def version_files(db: Database, version_id: int) -> dict[str, bytes]:
    """Every file of a stored version, by its path inside the course folder."""
    rows = await db.fetchall(
        "SELECT f.path, b.data FROM course_version_files f"
        " JOIN course_blobs b ON b.sha256 = f.sha256 WHERE f.version_id = ?",
        (version_id,),
    )
    return {str(row[0]): bytes(row[1]) for row in rows}


async def version_file(db: Database, course_id: str, content_hash: str, path: str) -> bytes | None:
    """One file of the stored version `content_hash` of a course, or None."""
    row = await db.fetchone(
        "SELECT b.data FROM course_versions v"
        " JOIN course_version_files f ON f.version_id = v.id"
        " JOIN course_blobs b ON b.sha256 = f.sha256"
        " WHERE v.course_id = ? AND v.content_hash = ? AND f.path = ?",
        (course_id, content_hash, path),
    )
    return None if row is None else bytes(row[0])


async def has_problems(db: Database, folder: str) -> bool:
    found = await db.scalar("SELECT 1 FROM course_problems WHERE folder = ? LIMIT 1", (folder,))
    return found is not None


async def note_problems(
    tx: Transaction, folder: str, problems: Collection[str], now: datetime
) -> dict[str, str]:
    """Replace a folder's current problems; return each with the time it was first seen."""
    rows = await tx.fetchall(
        "SELECT problem, first_seen FROM course_problems WHERE folder = ?", (folder,)
    )
    known = {str(row[0]): str(row[1]) for row in rows}
    gone = [(folder, problem) for problem in known if problem not in problems]
    if gone:
        await tx.executemany("DELETE FROM course_problems WHERE folder = ? AND problem = ?", gone)
    at = to_db(now)
    new = [(folder, problem, at) for problem in problems if problem not in known]
    if new:
        await tx.executemany(
            "INSERT INTO course_problems (folder, problem, first_seen) VALUES (?, ?, ?)", new
        )
    return {problem: known.get(problem, at) for problem in problems}


async def retirements(db: Database) -> dict[str, str]:
    """Retired course ids with the time they were retired."""
    rows = await db.fetchall("SELECT course_id, retired_at FROM course_retirements")
    return {str(row[0]): str(row[1]) for row in rows}


async def known_course(db: Database, course_id: str) -> bool:
    found = await db.scalar("SELECT 1 FROM course_versions WHERE course_id = ?", (course_id,))
    return found is not None


async def retire(tx: Transaction, course_id: str, now: datetime) -> bool:
    """Retire a course; False when it already was."""
    cursor = await tx.execute(
        "INSERT INTO course_retirements (course_id, retired_at) VALUES (?, ?)"
        " ON CONFLICT DO NOTHING",
        (course_id, to_db(now)),
    )
    return cursor.rowcount == 1


async def reinstate(tx: Transaction, course_id: str) -> bool:
    """Offer a retired course again; False when it was not retired."""
    cursor = await tx.execute("DELETE FROM course_retirements WHERE course_id = ?", (course_id,))
    return cursor.rowcount == 1
