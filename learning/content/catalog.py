"""The live set of compiled courses; a broken edit keeps the last good version of a course.

The last good version may come from this process's own compile or, after a restart,
from the stored sources (`learning/publishing/archive.py`): either way the course keeps
serving while its folder is broken or missing, and its current errors stay readable.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from learning.content.compiler import COURSE_FILE, compile_course
from learning.content.diagnostics import Diagnostics
from learning.content.model import CompileResult, Course, Diagnostic

MISSING_CODE = "E120"


class Catalog:
    def __init__(self, courses_dir: Path) -> None:
        self.courses_dir = courses_dir
        self._good: dict[str, Course] = {}  # folder -> last course that compiled
        self._results: dict[str, CompileResult] = {}  # folder -> latest compile result
        self._stored: dict[str, str] = {}  # folder -> when its served stored version was kept
        self._since: dict[str, Mapping[str, str]] = {}  # folder -> problem -> first seen
        self._retired: dict[str, str] = {}  # course id -> retired at

    def load(self) -> None:
        """Compile every course folder from scratch."""
        self._good.clear()
        self._results.clear()
        self._stored.clear()
        self._since.clear()
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
            if folder in self._good:
                # Deleted or half-copied: only `learning courses retire` removes a course.
                result = self.missing_result(folder)
                self._results[folder] = result
                return result
            # A folder without course.md is not a course (or not yet written).
            self._results.pop(folder, None)
            return CompileResult(None, (), ())
        result = compile_course(course_dir, root=self.courses_dir.parent)
        if result.course is not None:
            result = self._take(folder, result.course, result)
        self._results[folder] = result
        return result

    def _take(self, folder: str, course: Course, result: CompileResult) -> CompileResult:
        """Serve `course` from `folder`, unless another folder already serves its id (E108)."""
        owner = self._folder_of(course.id)
        if owner is not None and owner != folder and owner not in self._stored:
            diags = Diagnostics()
            diags.error(
                f"{self.courses_dir.name}/{folder}/{COURSE_FILE}",
                1,
                "E108",
                f"Kurs-ID '{course.id}' wird schon vom Ordner '{owner}' verwendet.",
            )
            result = CompileResult(None, tuple(diags.errors), result.warnings)
        else:
            if owner is not None and owner != folder:
                # A stored version stood in for this course; its folder now serves it.
                self._good.pop(owner)
                self._stored.pop(owner, None)
                if _only_missing(self._results.get(owner)):
                    self._results.pop(owner, None)
                    self._since.pop(owner, None)
            self._good[folder] = course
            self._stored.pop(folder, None)
        return result

    def missing_result(self, folder: str) -> CompileResult:
        diags = Diagnostics()
        diags.error(
            f"{self.courses_dir.name}/{folder}/{COURSE_FILE}",
            1,
            MISSING_CODE,
            "Kursordner oder course.md fehlt. Die letzte fehlerfreie Fassung wird weiter"
            " angeboten; ein Kurs wird mit 'learning courses retire ID' aus dem Angebot"
            " genommen.",
        )
        return CompileResult(None, tuple(diags.errors), ())

    def serve_stored(self, folder: str, course: Course, stored_at: str) -> None:
        """Serve a stored last good version for `folder`, whose own files do not compile."""
        self._good[folder] = course
        self._stored[folder] = stored_at
        if folder not in self._results:
            self._results[folder] = self.missing_result(folder)

    def serves(self, folder: str) -> bool:
        return folder in self._good

    def stored_at(self, folder: str) -> str | None:
        """When the stored version served for `folder` was kept; None if it is live."""
        return self._stored.get(folder)

    def set_since(self, folder: str, since: Mapping[str, str]) -> None:
        self._since[folder] = dict(since)

    def since(self, folder: str, diagnostic: Diagnostic) -> str | None:
        """When this error of the folder was first seen (kept across restarts)."""
        return self._since.get(folder, {}).get(problem_key(diagnostic))

    def set_retired(self, retired: Mapping[str, str]) -> None:
        self._retired = dict(retired)

    def retired_at(self, course_id: str) -> str | None:
        return self._retired.get(course_id)

    def _folder_of(self, course_id: str) -> str | None:
        return next((f for f, c in self._good.items() if c.id == course_id), None)

    def folder_of(self, course_id: str) -> str | None:
        return self._folder_of(course_id)

    def get(self, course_id: str) -> Course | None:
        folder = self._folder_of(course_id)
        return self._good[folder] if folder is not None else None

    @property
    def courses(self) -> tuple[Course, ...]:
        """Every course served, retired ones included (reports, Mein Lernstand)."""
        return tuple(self._good[f] for f in sorted(self._good))

    @property
    def offered(self) -> tuple[Course, ...]:
        """The courses open to new enrolment: not retired."""
        return tuple(c for c in self.courses if c.id not in self._retired)

    def diagnostics(self, course_id: str) -> CompileResult:
        """The latest compile result of a course (by id or folder), even if it is broken."""
        folder = self._folder_of(course_id) or course_id
        return self._results.get(folder, CompileResult(None, (), ()))

    @property
    def results(self) -> dict[str, CompileResult]:
        """Latest compile result per folder."""
        return dict(self._results)


def problem_key(diagnostic: Diagnostic) -> str:
    """An error's identity across edits: the line may move while the error stays."""
    return f"{diagnostic.path}|{diagnostic.code}|{diagnostic.message}"


def _only_missing(result: CompileResult | None) -> bool:
    return result is not None and all(d.code == MISSING_CODE for d in result.errors)
