"""Heading levels of authored Markdown, fitted under the page's own h1.

A page's title is its `h1` (or the course's title on the overview), so the authored
headings below it start at `h2` whatever level the author wrote, keep their relative
structure, and never skip a level: `###` then `#####` becomes `h2` then `h3`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it.token import Token

TOP = 2  # the first level below the page title
DEEPEST = 6


@dataclass
class HeadingLevels:
    """The levels given out so far on one page; a new page starts a new instance."""

    offset: int | None = None  # author level minus rendered level, from the first heading
    last: int = TOP - 1  # the page title
    current: int = TOP

    def open(self, authored: int) -> int:
        if self.offset is None:
            self.offset = authored - TOP
        wanted = authored - self.offset
        self.current = max(TOP, min(wanted, self.last + 1, DEEPEST))
        self.last = self.current
        return self.current


def leveled(tokens: Sequence[Token], levels: HeadingLevels) -> list[Token]:
    """The tokens with heading tags renumbered; the shared (cached) tokens stay untouched."""
    result: list[Token] = []
    for token in tokens:
        if token.type == "heading_open":
            token = token.copy(tag=f"h{levels.open(int(token.tag[1:]))}")
        elif token.type == "heading_close":
            token = token.copy(tag=f"h{levels.current}")
        result.append(token)
    return result
