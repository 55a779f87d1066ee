"""Cleaning text people type: one rule for forms, the CSV import and the command line."""

from __future__ import annotations

import unicodedata

# Bidi overrides and isolates can make stored text display differently from what it is.
_BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
_MULTILINE_CONTROLS = {"\n", "\t"}


def forbidden(ch: str, multiline: bool) -> bool:
    """Whether `ch` may not stand in typed text (tab and line break only where multi-line)."""
    if ch in _BIDI_CONTROLS:
        return True
    return unicodedata.category(ch) == "Cc" and not (multiline and ch in _MULTILINE_CONTROLS)


def clean_text(value: str, *, max_length: int, strip: bool = True, multiline: bool = False) -> str:
    """Query text, cleaned: control and bidi characters dropped, cut to `max_length`."""
    text = unicodedata.normalize("NFC", value)
    if multiline:
        text = text.replace("\r\n", "\n")
    text = "".join(ch for ch in text if not forbidden(ch, multiline))
    if strip:
        text = text.strip()
    return text[:max_length]
