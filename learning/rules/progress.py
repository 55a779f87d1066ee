"""A learner's progress through a course, derived from what the store recorded. Pure."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Literal

from learning.content.model import Course, Lesson, Page
from learning.core.i18n import N_

Status = Literal["not_started", "in_progress", "done"]

STATUS_LABELS: dict[Status, str] = {
    "not_started": N_("Nicht begonnen"),
    "in_progress": N_("In Bearbeitung"),
    "done": N_("Abgeschlossen"),
}


@dataclass(frozen=True, slots=True)
class LessonProgress:
    lesson: Lesson
    seen: int
    total: int
    status: Status
    first_unseen: Page | None


@dataclass(frozen=True, slots=True)
class CourseProgress:
    lessons: tuple[LessonProgress, ...]
    seen: int
    total: int
    test_passed: bool
    completed: bool

    @property
    def percent(self) -> int:
        """Pages seen plus the passed test, as a whole percentage."""
        units = self.total + 1
        done = self.seen + (1 if self.test_passed else 0)
        return round(100 * done / units) if units else 0

    @property
    def status(self) -> Status:
        if self.completed:
            return "done"
        if self.seen or self.test_passed:
            return "in_progress"
        return "not_started"

    @property
    def first_unread(self) -> Page | None:
        """The first content page not yet opened, in course order; None when all are read."""
        return next((item.first_unseen for item in self.lessons if item.first_unseen), None)

    @property
    def unread(self) -> int:
        return self.total - self.seen

    @property
    def waits_for_pages(self) -> bool:
        """The final test is passed but the course is not complete: pages are unread."""
        return self.test_passed and not self.completed and self.first_unread is not None


def lesson_status(seen: int, total: int) -> Status:
    if total and seen >= total:
        return "done"
    return "in_progress" if seen else "not_started"


def course_progress(
    course: Course, seen_pages: Collection[str], *, test_passed: bool, completed: bool
) -> CourseProgress:
    lessons = []
    seen_total = 0
    total = 0
    for lesson in course.lessons:
        if lesson.kind != "lesson":
            continue
        seen = sum(1 for page in lesson.pages if page.id in seen_pages)
        first_unseen = next((p for p in lesson.pages if p.id not in seen_pages), None)
        lessons.append(
            LessonProgress(
                lesson,
                seen,
                len(lesson.pages),
                lesson_status(seen, len(lesson.pages)),
                first_unseen,
            )
        )
        seen_total += seen
        total += len(lesson.pages)
    return CourseProgress(tuple(lessons), seen_total, total, test_passed, completed)


def all_pages_seen(course: Course, seen_pages: Collection[str]) -> bool:
    return all(page.id in seen_pages for page in course.content_pages)


def changed_since(course: Course, page_hashes: Mapping[str, str]) -> list[Page]:
    """Pages whose source changed (or which are new) since the completion was stored."""
    return [page for page in course.content_pages if page_hashes.get(page.id) != page.source_hash]


def neighbours(course: Course, page: Page) -> tuple[Page | None, Page | None]:
    pages = course.content_pages
    index = next(i for i, p in enumerate(pages) if p.id == page.id)
    previous = pages[index - 1] if index > 0 else None
    following = pages[index + 1] if index + 1 < len(pages) else None
    return previous, following
