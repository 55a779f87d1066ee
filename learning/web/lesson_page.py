"""What `page.html` is given to show a lesson page: the page's values and two callables.

`show_question(q)` and `toc_entry(p)` are how the template asks for a knowledge check and
an item of the page list. Full renders pass the real ones; lesson shells pass ones that
leave a hole (web/lesson_shell.py). The template itself knows nothing of caching.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from learning.content.model import Page, Question
from learning.web.question_cache import QuestionCache


def toc_macro(env: Environment) -> Any:
    return getattr(env.get_template("_toc_item.html").module, "toc_item")  # noqa: B009 - macros are dynamic attributes


def with_page_parts(
    env: Environment,
    questions: QuestionCache,
    context: dict[str, Any],
    *,
    locale: str,
    token: str,
) -> dict[str, Any]:
    """`context` plus the callables a full render of `page.html` needs."""
    course, page, preview = context["course"], context["page"], context["preview"]
    toc_item = toc_macro(env)

    def show_question(question: Question) -> Markup:
        return questions.check(course, page, question, locale, token, context, preview=preview)

    def toc_entry(item: Page) -> Markup:
        return Markup(toc_item(item, course, page, context["seen"], preview))  # noqa: S704 - our own macro's output, autoescaped

    return {**context, "show_question": show_question, "toc_entry": toc_entry}
