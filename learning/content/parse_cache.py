"""Parsed files kept for the life of the process, so a recompile parses only what changed.

`learning serve --reload` recompiles a whole course folder after every edit, and
parsing is most of a compile. The cache is keyed by the text itself, so an edited
file is a miss and is parsed again, and a file that merely moved is a hit.

The tokens are handed out as they are, to every compile of the same text: the
compiler never changes a parsed token, it changes copies (`Renderer.drop_prefix`).
The environment is copied, because footnote references count their uses in it.
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from markdown_it.token import Token

Parsed = tuple[list[Token], dict[str, Any]]


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
        return list(tokens), copy.deepcopy(env)

    def __len__(self) -> int:
        return len(self._entries)
