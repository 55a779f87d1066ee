"""The thresholds of the item-writing checks, and the `item_checks:` key of course.md."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from learning.content.diagnostics import Diagnostics


@dataclass(frozen=True, slots=True)
class Thresholds:
    # Share of single-choice questions with the key in one position before W501 fires.
    position_share: float = 0.4
    # Share of single-choice questions and scenario decisions whose key is the longest (W502).
    longest_share: float = 0.4
    # One key "much longer" than the rest (W503): this many times the others' mean ...
    length_ratio: float = 1.5
    # ... and at least this many characters more.
    length_margin: int = 20
    # Share of true/false keys one way before W508 fires.
    truefalse_share: float = 0.8
    # Course-wide shares mean little on a handful of questions.
    min_questions: int = 5
    # difflib ratio between a final-test and a knowledge-check question text (W509).
    similarity: float = 0.85
    # A stem word this long (letters) that comes back in exactly one option (W506).
    word_length: int = 7


_SHARES = frozenset({"position_share", "longest_share", "truefalse_share", "similarity"})


def parse_thresholds(value: object, path: str, line: int, diags: Diagnostics) -> Thresholds:
    """Defaults with the course's overrides; each bad entry is an E105 at `item_checks:`."""
    if not isinstance(value, dict):
        return Thresholds()
    chosen: dict[str, Any] = {}
    known = {f.name: f for f in fields(Thresholds)}
    for key, raw in value.items():
        name = str(key)
        if name not in known:
            allowed = ", ".join(known)
            diags.error(
                path, line, "E105", f"'item_checks' kennt '{name}' nicht (erlaubt: {allowed})."
            )
            continue
        number = _number(name, raw)
        if number is None:
            kind = "eine Zahl zwischen 0 und 1" if name in _SHARES else "eine Zahl größer als 0"
            diags.error(path, line, "E105", f"'item_checks.{name}' muss {kind} sein.")
            continue
        chosen[name] = number
    return Thresholds(**chosen)


def _number(name: str, raw: object) -> float | int | None:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return None
    if name in _SHARES:
        return float(raw) if 0 < raw <= 1 else None
    if name == "length_ratio":
        return float(raw) if raw > 0 else None
    return int(raw) if isinstance(raw, int) and raw > 0 else None
