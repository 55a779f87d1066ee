"""Parsed files kept for the life of the process, so a recompile parses only what changed.

`learning serve --reload` recompiles a whole course folder after every edit, and
parsing is most of a compile. The cache is keyed by the text itself, so an edited
file is a miss and is parsed again, and a file that merely moved is a hit.

The compiler edits tokens as it goes (it strips option markers and `{#id}`s, and
footnote references count their uses in the environment), so callers never get the
stored objects, only copies: copying is about a fifth of the cost of parsing.
"""

from __future__ import annotations

import copy
import dataclasses
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from markdown_it.token import Token

Parsed = tuple[list[Token], dict[str, Any]]

# Read from the class so a markdown-it release that adds a field is still copied whole.
_FIELDS = tuple(field.name for field in dataclasses.fields(Token))


class ParseCache:
    def __init__(self, parse: Callable[[str], Parsed], size: int = 64) -> None:
        self._parse = parse
        self._size = size  # two bundled courses have 22 files; edits push out old texts
        self._entries: OrderedDict[str, Parsed] = OrderedDict()

    def __call__(self, text: str) -> Parsed:
        entry = self._entries.get(text)
        if entry is None:
            entry = self._parse(text)
            self._entries[text] = entry
            if len(self._entries) > self._size:
                self._entries.popitem(last=False)
        else:
            self._entries.move_to_end(text)
        tokens, env = entry
        return copy_tokens(tokens), copy.deepcopy(env)

    def __len__(self) -> int:
        return len(self._entries)


def copy_tokens(tokens: list[Token]) -> list[Token]:
    return [_copy(token) for token in tokens]


def _copy(token: Token) -> Token:
    # Much faster than copy.copy or Token.copy (dataclasses.replace) on 15,000 tokens.
    new = Token.__new__(Token)
    for name in _FIELDS:
        setattr(new, name, getattr(token, name))
    new.attrs = dict(token.attrs)
    new.meta = dict(token.meta)
    new.map = None if token.map is None else list(token.map)
    if token.children is not None:
        new.children = [_copy(child) for child in token.children]
    return new
