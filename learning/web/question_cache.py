"""Knowledge checks as a learner sees them: the one place that decides how one is shown.

Most page views show questions the learner has not answered yet; their markup is the
same for everyone but the CSRF token. Rendering the question macros is the largest
part of a lesson request, so it is done once per (content version, question, locale).

An answered check shows the learner's answer, its grade and the number of tries: the
same markup for everyone who gave that answer as often. Learners give few distinct
answers to choice questions, so those renders are kept too, keyed by the answer.
Free text (text answers, reflections) and scenario paths are rendered per request: a
learner's own words are never a cache key.

Each learner sees the options in one of a few orders per question (web/option_order.py,
in `state["orders"]`). Renders mark the items of those lists and are kept in source
order; each request puts them in the learner's order, so no key holds the order.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from learning.content.model import Course, Page, Question
from learning.core.lru import LRU
from learning.web.option_order import MARKS, Order, arrange, shuffles

_TOKEN = "\x00csrf-token\x00"  # noqa: S105 - a placeholder, not a secret
# Both courses hold about 100 questions; a long session of content edits adds versions.
_MAX_BLANK = 5000
# A handful of answers per choice question, times tries shown.
_MAX_ANSWERED = 20000
# Answered states rendered per request: the response holds the learner's own text.
_PER_REQUEST = frozenset({"text", "reflection", "scenario"})


class QuestionCache:
    def __init__(self, env: Environment, *, enabled: bool = True) -> None:
        self._env = env
        self._enabled = enabled
        self._blank: LRU[Hashable, str] = LRU(_MAX_BLANK)
        self._answered: LRU[Hashable, str] = LRU(_MAX_ANSWERED)

    def _cached(
        self,
        table: LRU[Hashable, str],
        key: Hashable,
        render: Callable[[], str],
        token: str,
        order: Order | None,
    ) -> Markup:
        html = table.get(key) if self._enabled else None
        if html is None:
            html = render()
            if self._enabled:
                table.put(key, html)
        # The token is hex from an HMAC: nothing in it needs escaping.
        return Markup(arrange(html, order).replace(_TOKEN, token))  # noqa: S704 - cached markup is our own template's output

    def _render(
        self,
        question: Question,
        course: Course,
        page: Page,
        state: dict[str, Any],
        *,
        preview: bool = False,
        token: str = _TOKEN,
    ) -> str:
        module = self._env.get_template("_question.html").module
        macro = getattr(module, "knowledge_check")  # noqa: B009 - macros are dynamic attributes
        return str(
            macro(
                question,
                course,
                page,
                state.get("results", {}),
                state.get("notes", {}),
                state.get("runs", {}),
                preview,
                token,
                None if preview or not shuffles(question) else MARKS,
            )
        )

    def check(
        self,
        course: Course,
        page: Page,
        question: Question,
        locale: str,
        token: str,
        state: dict[str, Any],
        *,
        preview: bool = False,
    ) -> Markup:
        """A question as this learner sees it; `state` holds page_state's results, notes, runs."""
        results, notes, runs = state["results"], state["notes"], state["runs"]
        answered = question.id in results or question.id in notes or question.id in runs
        if preview or (answered and question.type in _PER_REQUEST):
            html = self._render(question, course, page, state, preview=preview, token=token)
            return Markup(arrange(html, _order(state, question)))  # noqa: S704 - our own template's output, autoescaped
        if answered:
            return self._answered_check(
                course, page, question, locale, token, results[question.id], _order(state, question)
            )
        key = (course.content_hash, page.id, question.id, locale)
        return self._cached(
            self._blank,
            key,
            lambda: self._render(question, course, page, {}),
            token,
            _order(state, question),
        )

    def _answered_check(
        self,
        course: Course,
        page: Page,
        question: Question,
        locale: str,
        token: str,
        result: dict[str, Any],
        order: Order | None,
    ) -> Markup:
        # The grade is a function of question and answer, so the chosen options and the
        # number of tries identify the markup.
        answer = json.dumps(result["response"], sort_keys=True, ensure_ascii=False)
        key = (course.content_hash, page.id, question.id, locale, answer, int(result["count"]))
        return self._cached(
            self._answered,
            key,
            lambda: self._render(question, course, page, {"results": {question.id: result}}),
            token,
            order,
        )


def _order(state: dict[str, Any], question: Question) -> Order | None:
    order: Order | None = state.get("orders", {}).get(question.id)
    return order
