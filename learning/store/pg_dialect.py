"""SQLite-flavoured SQL, as the store writes it, turned into PostgreSQL's.

The store keeps one text per query. The differences that matter are few and
mechanical, so they are translated here once per distinct text (and cached):

- `?` and `:name` placeholders become `$1, $2, ...`;
- `IS ?` / `IS NOT ?` become `IS [NOT] DISTINCT FROM`;
- `x COLLATE NOCASE` becomes `lower(x)`; `LIKE` becomes `ILIKE` (SQLite's LIKE
  ignores ASCII case);
- `instr(a, b)` becomes `strpos(a, b)`, `json_group_array` becomes `json_agg`,
  and the scalar (two or more argument) `max` / `min` become `greatest` / `least`;
- `INDEXED BY index` (a planner hint SQLite needs) is dropped.

String literals are copied untouched. Anything else must be written portably.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_WORDS = (
    (re.compile(r"\bIS\s+NOT\s+\?", re.IGNORECASE), "IS DISTINCT FROM ?"),
    (re.compile(r"\bIS\s+\?", re.IGNORECASE), "IS NOT DISTINCT FROM ?"),
    (re.compile(r"([\w.]+)\s+COLLATE\s+NOCASE", re.IGNORECASE), r"lower(\1)"),
    (re.compile(r"\bNOT\s+LIKE\b", re.IGNORECASE), "NOT ILIKE"),
    (re.compile(r"(?<!NOT )\bLIKE\b", re.IGNORECASE), "ILIKE"),
    (re.compile(r"\binstr\(", re.IGNORECASE), "strpos("),
    (re.compile(r"\bjson_group_array\(", re.IGNORECASE), "json_agg("),
    (re.compile(r"\s+INDEXED\s+BY\s+\w+", re.IGNORECASE), ""),
)
_MAX_MIN = re.compile(r"\b(max|min)\(", re.IGNORECASE)


def _scalar_max_min(code: str) -> str:
    """max(a, b) -> greatest(a, b); the aggregate max(a) stays."""
    out: list[str] = []
    last = 0
    for match in _MAX_MIN.finditer(code):
        depth, index, top_comma = 1, match.end(), False
        while index < len(code) and depth:
            char = code[index]
            depth += {"(": 1, ")": -1}.get(char, 0)
            top_comma = top_comma or (char == "," and depth == 1)
            index += 1
        if top_comma:
            out.append(code[last : match.start()])
            out.append("greatest(" if match.group(1).lower() == "max" else "least(")
            last = match.end()
    out.append(code[last:])
    return "".join(out)


_PLACEHOLDER = re.compile(r"\?|(?<![:\w]):([A-Za-z_]\w*)")


@dataclass(frozen=True, slots=True)
class Translated:
    sql: str
    # For `:name` placeholders: the name behind each $n, in order; empty for `?`.
    names: tuple[str, ...]


def _rewrite(code: str) -> str:
    for pattern, replacement in _WORDS:
        code = pattern.sub(replacement, code)
    return _scalar_max_min(code)


_LITERAL = re.compile(r"'(?:[^']|'')*'")
_MASKED = re.compile("\x00(\\d+)\x00")


@lru_cache(maxsize=4096)
def translate(sql: str) -> Translated:
    literals: list[str] = []

    def mask(match: re.Match[str]) -> str:
        literals.append(match.group(0))
        return f"\x00{len(literals) - 1}\x00"

    # String literals are set aside first, so nothing below rewrites inside them.
    code = _rewrite(_LITERAL.sub(mask, sql))
    names: list[str] = []
    positions: dict[str, int] = {}
    counter = 0

    def number(match: re.Match[str]) -> str:
        nonlocal counter
        name = match.group(1)
        if name is None:
            counter += 1
            return f"${counter}"
        if name not in positions:
            names.append(name)
            positions[name] = len(names)
        return f"${positions[name]}"

    code = _PLACEHOLDER.sub(number, code)
    code = _MASKED.sub(lambda m: literals[int(m.group(1))], code)
    return Translated(code, tuple(names))


def arguments(translated: Translated, params: Sequence[Any] | dict[str, Any]) -> list[Any]:
    if isinstance(params, dict):
        return [params[name] for name in translated.names]
    return list(params)
