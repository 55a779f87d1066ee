"""A course folder's files as bytes, and compiling such a set of files again later.

The stored last good version of a course is a mapping of paths (inside the course
folder) to bytes. The compiler reads folders, so a stored version is written to a
temporary folder of the same name and compiled there: the same code, the same
checks, the same content hash.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from learning.content.compiler import compile_course
from learning.content.model import CompileResult


def read_sources(course_dir: Path) -> dict[str, bytes] | None:
    """Every file below `course_dir` by its relative path.

    None if one cannot be read or is a link to something outside the folder: stored
    files are served as media, and a link must not smuggle other files in.
    """
    files: dict[str, bytes] = {}
    try:
        inside = course_dir.resolve()
        for path in course_dir.rglob("*"):
            if not path.is_file():
                continue
            if not path.resolve().is_relative_to(inside):
                return None
            files[path.relative_to(course_dir).as_posix()] = path.read_bytes()
    except OSError:
        return None
    return files


def content_hash_of(files: Mapping[str, bytes]) -> str:
    """The compiler's content hash (`Course.content_hash`) of a set of files."""
    digest = hashlib.sha256()
    # The compiler sorts Path objects, which compare part by part, not as strings.
    for name in sorted(files, key=lambda p: PurePosixPath(p).parts):
        digest.update(name.encode() + b"\0")
        digest.update(hashlib.sha256(files[name]).digest())
    return digest.hexdigest()[:16]


def compile_sources(courses_name: str, folder: str, files: Mapping[str, bytes]) -> CompileResult:
    """Compile stored files as if they were `<courses_name>/<folder>/` on disk.

    Diagnostics name the same paths as for the real folder. The course's `media_dir`
    points into the temporary folder, which is gone afterwards: media of a stored
    version are served from the database (`web/course_files.py`).
    """
    with tempfile.TemporaryDirectory(prefix="learning-course-") as tmp:
        root = Path(tmp)
        course_dir = root / courses_name / folder
        for name, data in files.items():
            target = course_dir / PurePosixPath(name)
            if not target.resolve().is_relative_to(course_dir.resolve()):
                continue  # a stored path never leaves its folder; refuse one that would
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        course_dir.mkdir(parents=True, exist_ok=True)
        return compile_course(course_dir, root=root)
