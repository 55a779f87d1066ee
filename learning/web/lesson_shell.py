"""Lesson pages rendered once per (content version, page, locale), with holes.

Almost all of a lesson page is the same for every learner: the header, the prose, the
footnotes, the pager, every translated label. Rendering that through Jinja on each
request was the largest part of a lesson request. Here `page.html` is rendered once
with markers where the learner's own values go, and a request only fills the holes:

- the learner's name and the CSRF token (plain values, escaped here);
- the items of the lesson's page list, whose "read" marks are per learner: both
  variants of each item (the template's `toc_item` block) are rendered with the shell;
- each question, from the question cache (web/question_cache.py), which knows which
  states it may keep and which it renders per request.

The template asks for questions and page-list items through `show_question` and
`toc_entry` (web/lesson_page.py); here both leave a hole.

What is not worth a shell falls back to the full render: pages with a flash message,
and request paths that are not the page's canonical path. The equivalence of both
ways is tested (tests/web/test_lesson_shell.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jinja2 import Environment
from markupsafe import Markup, escape

from learning.content.model import Course, Lesson, Page
from learning.core.lru import LRU
from learning.web.lesson_page import toc_macro
from learning.web.question_cache import QuestionCache

_MARK = "\x00"
_NAME = "name"
_TOKEN = "token"  # noqa: S105 - the name of a hole, not a secret
_TOC_ITEM = "toc:"
_QUESTION = "q:"
# Both courses hold about 70 pages in two locales; each content version adds its own.
_MAX_ENTRIES = 2000


def _hole(name: str) -> Markup:
    return Markup(f"{_MARK}{name}{_MARK}")  # noqa: S704 - a fixed marker, no outside text


@dataclass(frozen=True, slots=True)
class _ShellUser:
    name: Markup
    role: str = "learner"


@dataclass(frozen=True, slots=True)
class _ShellURL:
    path: str


@dataclass(frozen=True, slots=True)
class _ShellRequest:
    url: _ShellURL


@dataclass(frozen=True, slots=True)
class _Shell:
    # Literal text at even positions, hole names at odd positions.
    parts: list[str]
    # Page id -> (item when not read, item when read).
    toc_items: dict[str, tuple[str, str]]


def page_path(course: Course, page: Page) -> str:
    return f"/courses/{course.id}/pages/{page.id}"


class LessonShells:
    def __init__(self, env: Environment, questions: QuestionCache) -> None:
        self._env = env
        # The same question cache full renders use.
        self._questions = questions
        self._shells: LRU[tuple[str, str, str, str], _Shell] = LRU(_MAX_ENTRIES)

    def render(
        self,
        *,
        course: Course,
        lesson: Lesson,
        page: Page,
        locale: str,
        user_name: str,
        token: str,
        context: dict[str, Any],
    ) -> str:
        """The page for this learner; `context` is what `page.html` would be given."""
        key = (course.content_hash, course.id, page.id, locale)
        shell = self._shells.get(key)
        if shell is None:
            shell = self._build(course, lesson, page, locale, context)
            self._shells.put(key, shell)
        questions = {q.id: q for q in page.questions}
        seen = context["seen"]
        out = shell.parts[:]
        for i in range(1, len(out), 2):
            hole = out[i]
            if hole == _TOKEN:
                out[i] = token
            elif hole.startswith(_TOC_ITEM):
                page_id = hole[len(_TOC_ITEM) :]
                out[i] = shell.toc_items[page_id][page_id in seen]
            elif hole == _NAME:
                out[i] = str(escape(user_name))
            else:
                question = questions[hole[len(_QUESTION) :]]
                out[i] = str(self._questions.check(course, page, question, locale, token, context))
        return "".join(out)

    def _build(
        self, course: Course, lesson: Lesson, page: Page, locale: str, context: dict[str, Any]
    ) -> _Shell:
        values = {
            **context,
            "request": _ShellRequest(_ShellURL(page_path(course, page))),
            "user": _ShellUser(_hole(_NAME)),
            "locale": locale,
            "csrf_token": _hole(_TOKEN),
            "messages": [],
            "results": {},
            "notes": {},
            "runs": {},
            "seen": set(),
            "show_question": lambda q: _hole(_QUESTION + q.id),
            "toc_entry": lambda p: _hole(_TOC_ITEM + p.id),
        }
        toc_item = toc_macro(self._env)
        toc_items = {
            p.id: (
                str(toc_item(p, course, page, set(), False)),
                str(toc_item(p, course, page, {p.id}, False)),
            )
            for p in lesson.pages
        }
        html = self._env.get_template("page.html").render(values)
        parts = html.split(_MARK)
        known = {_NAME, _TOKEN}
        known |= {_TOC_ITEM + p.id for p in lesson.pages}
        known |= {_QUESTION + q.id for q in page.questions}
        if len(parts) % 2 == 0 or any(name not in known for name in parts[1::2]):
            raise ValueError(f"lesson shell of {course.id}/{page.id}: unexpected marker")
        return _Shell(parts, toc_items)
