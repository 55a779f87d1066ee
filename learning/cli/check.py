"""`learning check [COURSES_DIR] [--json]`: compile every course and report all problems."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from learning.content.compiler import compile_all
from learning.content.model import Course, Diagnostic
from learning.content.orphans import find_orphans


def run_check(
    courses_dir: Path,
    *,
    as_json: bool,
    out: TextIO,
    stored: Mapping[str, Mapping[str, set[str]]] | None = None,
) -> int:
    """Print the report for `courses_dir`; 0 when there are no errors, else 1.

    With `stored` (course id -> kind -> ids that have answers or progress in the
    database), ids that the content no longer has are reported as orphans. Orphans
    do not fail the check: the stored data stays, it is just no longer reachable.
    """
    errors: list[Diagnostic] = []
    warnings: list[Diagnostic] = []
    courses: list[Course] = []
    if not courses_dir.is_dir():
        errors.append(
            Diagnostic(
                courses_dir.as_posix(), 1, "E100", f"Kursordner '{courses_dir}' nicht gefunden."
            )
        )
    for result in compile_all(courses_dir).values():
        errors.extend(result.errors)
        warnings.extend(result.warnings)
        if result.course is not None:
            courses.append(result.course)
    orphans: dict[str, list[str]] = {}
    if stored is not None:
        for course in courses:
            found = find_orphans(course, {k: set(v) for k, v in stored.get(course.id, {}).items()})
            if found:
                orphans[course.id] = found
    if as_json:
        report: dict[str, object] = {
            "ok": not errors,
            "errors": [d.to_json() for d in errors],
            "warnings": [d.to_json() for d in warnings],
            "courses": [course_json(c) for c in courses],
        }
        if stored is not None:
            report["orphans"] = orphans
        json.dump(report, out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        for diagnostic in (*errors, *warnings):
            out.write(f"{diagnostic}\n")
        for course_id, ids in orphans.items():
            out.write(
                f"Hinweis: {course_id}: gespeicherte Antworten oder Fortschritt zu IDs, die es"
                f" nicht mehr gibt: {', '.join(ids)}\n"
            )
        out.write(_summary(len(courses), len(errors), len(warnings)) + "\n")
    return 1 if errors else 0


def _summary(courses: int, errors: int, warnings: int) -> str:
    course_word = "Kurs" if courses == 1 else "Kurse"
    error_word = "Fehler"
    warning_word = "Warnung" if warnings == 1 else "Warnungen"
    verdict = "OK" if errors == 0 else "fehlerhaft"
    return (
        f"{verdict}: {courses} {course_word} fehlerfrei übersetzt, "
        f"{errors} {error_word}, {warnings} {warning_word}."
    )


def course_json(course: Course) -> dict[str, object]:
    return {
        "id": course.id,
        "title": course.title,
        "version": course.version,
        "content_hash": course.content_hash,
        "lessons": [
            {
                "id": lesson.id,
                "title": lesson.title,
                "kind": lesson.kind,
                "pages": [
                    {
                        "id": page.id,
                        "title": page.title,
                        "questions": [
                            {"id": q.id, "type": q.type, "solution": q.solution()}
                            for q in page.questions
                        ],
                    }
                    for page in lesson.pages
                ],
            }
            for lesson in course.lessons
        ],
    }
