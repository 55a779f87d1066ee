"""Ids the database holds answers or progress for that the content no longer has."""

from __future__ import annotations

from collections.abc import Mapping

from learning.content.model import Course

ORPHAN_KINDS = ("lesson", "page", "question")


def find_orphans(course: Course, stored_ids: Mapping[str, set[str]]) -> list[str]:
    """Stored ids that the content no longer has, as sorted `kind:id` strings.

    `stored_ids` maps a kind ("page", "question", "lesson") to the ids the database
    holds answers or progress for.
    """
    current: dict[str, set[str]] = {
        "lesson": {lesson.id for lesson in course.lessons},
        "page": {page.id for page in course.pages},
        "question": {q.id for page in course.pages for q in page.questions},
    }
    orphans: list[str] = []
    for kind, ids in stored_ids.items():
        if kind not in current:
            raise ValueError(f"unknown id kind {kind!r}; expected one of {ORPHAN_KINDS}")
        orphans.extend(f"{kind}:{ident}" for ident in ids - current[kind])
    return sorted(orphans)
