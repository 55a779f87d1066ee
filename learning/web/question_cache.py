"""Pre-rendered HTML of unanswered questions.

Most page views show questions the learner has not answered yet; their markup is the
same for everyone but the CSRF token. Rendering the question macros is the largest
part of a lesson request, so it is done once per (content version, question, locale).
"""

from __future__ import annotations

from jinja2 import Environment
from markupsafe import Markup

from learning.content.model import Course, Page, Question

_TOKEN = "\x00csrf-token\x00"  # noqa: S105 - a placeholder, not a secret
# Generous: both courses hold about 100 questions; a long --reload session adds versions.
_MAX_ENTRIES = 5000


class QuestionCache:
    def __init__(self, env: Environment) -> None:
        self._env = env
        self._html: dict[tuple[str, str, str, str], str] = {}

    def blank(
        self, course: Course, page: Page, question: Question, locale: str, token: str
    ) -> Markup:
        key = (course.content_hash, page.id, question.id, locale)
        html = self._html.get(key)
        if html is None:
            module = self._env.get_template("_question.html").module
            macro = getattr(module, "knowledge_check")  # noqa: B009 - macros are dynamic attributes
            html = str(macro(question, course, page, {}, {}, {}, False, _TOKEN))
            if len(self._html) >= _MAX_ENTRIES:
                self._html.clear()
            self._html[key] = html
        # The token is hex from an HMAC: nothing in it needs escaping.
        return Markup(html.replace(_TOKEN, token))  # noqa: S704 - cached markup is our own template's output
