"""Every render and report cache of the process, owned by one object on `Services`.

Each cache is an LRU with a bound, keyed by the content version (or the database's
commit generation) and never by anything a learner typed. `--reload` turns them all
off at once, so an edited template or course shows on the next request;
`LEARNING_CACHES` names the ones that are on (all by default), so each can be measured.

What each one saves, measured with `make bench` (figures in benchmarks/README.md):
- lesson shells (web/lesson_shell.py): the lesson page around the learner's values;
- question renders (web/question_cache.py): knowledge checks, blank or answered;
- report figures (web/report_cache.py): a course's figures until the next commit;
- assignment standings (the same class): each assigned learner's status per course and
  the admin's overdue count, for 30 s across commits, keyed by the day and the
  assignments' version (a new or removed assignment shows at once; an enrolment, a completion or a
  first page view within 30 s). Recomputing them costs about as much as the figures.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment

from learning.store.db import Database
from learning.web.lesson_shell import LessonShells
from learning.web.question_cache import QuestionCache
from learning.web.report_cache import ResultCache


@dataclass(frozen=True)
class Caches:
    questions: QuestionCache
    # None: every lesson page is rendered in full (--reload).
    shells: LessonShells | None
    figures: ResultCache[Any]
    standings: ResultCache[Any]


def build_caches(env: Environment, db: Database, enabled: Collection[str]) -> Caches:
    """The caches named in `enabled` (see Settings.caches); the others compute every time."""
    questions = QuestionCache(env, enabled="questions" in enabled)
    return Caches(
        questions=questions,
        shells=LessonShells(env, questions) if "shells" in enabled else None,
        figures=ResultCache(db, enabled="figures" in enabled),
        standings=ResultCache(db, enabled="figures" in enabled, follow_commits=False),
    )
