"""Authored course content keeps its language (German) when the UI is in another one.

Course text is written in German; in English mode every element that shows it says
so with `lang="de"`, so screen readers pronounce it as German (WCAG 3.1.2). The
filters wrap authored HTML or text in a `div` (block content) or `span` (inline
content) with the language, and leave it as it is when the UI speaks the same language.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markupsafe import Markup, escape

from learning.core.i18n import N_, current_locale

CONTENT_LANGUAGE = "de"
_BLOCK = re.compile(
    r"<(?:p|div|ul|ol|dl|h[1-6]|aside|details|table|blockquote|pre|figure|section|hr)\b"
)


def content_html(html: str, language: str = CONTENT_LANGUAGE) -> Markup:
    """Authored HTML from the course compiler (already safe), marked with its language."""
    if not html or current_locale.get() == language:
        return Markup(html)  # noqa: S704 - compiled course HTML, escaped by the content layer
    tag = "div" if _BLOCK.search(html) else "span"
    return Markup(f'<{tag} lang="{language}">{html}</{tag}>')  # noqa: S704 - as above


def content_text(text: str | None, language: str = CONTENT_LANGUAGE) -> Markup:
    """Authored plain text (a title, a term), escaped and marked with its language."""
    if not text:
        return Markup("")
    if current_locale.get() == language:
        return escape(text)
    return Markup('<span lang="{}">{}</span>').format(language, text)


def content_lang(language: str = CONTENT_LANGUAGE) -> Markup:
    """` lang="de"` for an element that holds authored content, when the UI differs."""
    if current_locale.get() == language:
        return Markup("")
    return Markup(' lang="{}"').format(language)


NOTE = N_("Die Kursinhalte sind auf Deutsch.")


def content_note(translate: Callable[[str], str], language: str = CONTENT_LANGUAGE) -> Markup:
    """A short note under a course page's title that its content is German, when the UI is not."""
    if current_locale.get() == language:
        return Markup("")
    return Markup('<p class="content-note">{}</p>').format(translate(NOTE))
