"""The live set of compiled courses; a broken edit keeps the last good version of a course."""

from __future__ import annotations

from pathlib import Path

from learning.content.compiler import COURSE_FILE, compile_course
from learning.content.diagnostics import Diagnostics
from learning.content.model import CompileResult, Course


class Catalog:
    def __init__(self, courses_dir: Path) -> None:
        self.courses_dir = courses_dir
        self._good: dict[str, Course] = {}  # folder -> last course that compiled
        self._results: dict[str, CompileResult] = {}  # folder -> latest compile result

    def load(self) -> None:
        """Compile every course folder from scratch."""
        self._good.clear()
        self._results.clear()
        try:
            folders = sorted(p.name for p in self.courses_dir.iterdir() if p.is_dir())
        except OSError:
            return
        for folder in folders:
            self.reload(folder)

    def reload(self, folder: str) -> CompileResult:
        """Recompile one course folder; on errors the previous good version stays live."""
        course_dir = self.courses_dir / folder
        if not (course_dir / COURSE_FILE).is_file():
            # A folder without course.md is not a course (deleted or not yet written).
            self._good.pop(folder, None)
            self._results.pop(folder, None)
            return CompileResult(None, (), ())
        result = compile_course(course_dir, root=self.courses_dir.parent)
        course = result.course
        if course is not None:
            owner = self._folder_of(course.id)
            if owner is not None and owner != folder:
                diags = Diagnostics()
                diags.error(
                    f"{self.courses_dir.name}/{folder}/{COURSE_FILE}",
                    1,
                    "E108",
                    f"Kurs-ID '{course.id}' wird schon vom Ordner '{owner}' verwendet.",
                )
                result = CompileResult(None, tuple(diags.errors), result.warnings)
            else:
                self._good[folder] = course
        self._results[folder] = result
        return result

    def _folder_of(self, course_id: str) -> str | None:
        return next((f for f, c in self._good.items() if c.id == course_id), None)

    def get(self, course_id: str) -> Course | None:
        folder = self._folder_of(course_id)
        return self._good[folder] if folder is not None else None

    @property
    def courses(self) -> tuple[Course, ...]:
        return tuple(self._good[f] for f in sorted(self._good))

    def diagnostics(self, course_id: str) -> CompileResult:
        """The latest compile result of a course (by id or folder), even if it is broken."""
        folder = self._folder_of(course_id) or course_id
        return self._results.get(folder, CompileResult(None, (), ()))

    @property
    def results(self) -> dict[str, CompileResult]:
        """Latest compile result per folder."""
        return dict(self._results)
