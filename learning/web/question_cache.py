"""Pre-rendered HTML of knowledge checks.

Most page views show questions the learner has not answered yet; their markup is the
same for everyone but the CSRF token. Rendering the question macros is the largest
part of a lesson request, so it is done once per (content version, question, locale).

An answered check shows the learner's answer, its grade and the number of tries: the
same markup for everyone who gave that answer as often. Learners give few distinct
answers (a handful of options), so those renders are kept too, keyed by the answer.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from learning.content.model import Course, Page, Question

_TOKEN = "\x00csrf-token\x00"  # noqa: S105 - a placeholder, not a secret
# Generous: both courses hold about 100 questions; a long --reload session adds versions.
_MAX_ENTRIES = 5000


class QuestionCache:
    def __init__(self, env: Environment) -> None:
        self._env = env
        self._html: dict[Hashable, str] = {}
        self._answered: dict[Hashable, str] = {}

    @staticmethod
    def _cached(
        table: dict[Hashable, str], key: Hashable, render: Callable[[], str], token: str
    ) -> Markup:
        html = table.get(key)
        if html is None:
            html = render()
            if len(table) >= _MAX_ENTRIES:
                table.clear()
            table[key] = html
        # The token is hex from an HMAC: nothing in it needs escaping.
        return Markup(html.replace(_TOKEN, token))  # noqa: S704 - cached markup is our own template's output

    def _render(
        self,
        question: Question,
        course: Course,
        page: Page,
        results: dict[str, Any],
        notes: dict[str, Any] | None = None,
        runs: dict[str, Any] | None = None,
        token: str = _TOKEN,
    ) -> str:
        module = self._env.get_template("_question.html").module
        macro = getattr(module, "knowledge_check")  # noqa: B009 - macros are dynamic attributes
        return str(macro(question, course, page, results, notes or {}, runs or {}, False, token))

    def check(
        self,
        course: Course,
        page: Page,
        question: Question,
        locale: str,
        token: str,
        state: dict[str, Any],
    ) -> Markup:
        """A question as this learner sees it; `state` holds page_state's results, notes, runs."""
        results, notes, runs = state["results"], state["notes"], state["runs"]
        if question.type in ("reflection", "scenario"):
            if question.id in notes or question.id in runs:
                # Free text and paths: rendered per request, never cached.
                html = self._render(question, course, page, results, notes, runs, token)
                return Markup(html)  # noqa: S704 - our own template's output, autoescaped
        elif question.id in results:
            return self.answered(course, page, question, locale, token, results[question.id])
        return self.blank(course, page, question, locale, token)

    def blank(
        self, course: Course, page: Page, question: Question, locale: str, token: str
    ) -> Markup:
        key = (course.content_hash, page.id, question.id, locale)
        return self._cached(
            self._html, key, lambda: self._render(question, course, page, {}), token
        )

    def answered(
        self,
        course: Course,
        page: Page,
        question: Question,
        locale: str,
        token: str,
        result: dict[str, Any],
    ) -> Markup:
        """A graded check with the learner's last answer; `result` as page_state gives it.

        The grade is a function of question and answer, so the answer and the number of
        tries identify the markup. Reflections and scenarios hold free text and paths:
        they are not cached here.
        """
        answer = json.dumps(result["response"], sort_keys=True, ensure_ascii=False)
        key = (course.content_hash, page.id, question.id, locale, answer, int(result["count"]))
        return self._cached(
            self._answered,
            key,
            lambda: self._render(question, course, page, {question.id: result}),
            token,
        )
