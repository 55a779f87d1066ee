"""Cleaning text people type: one rule for forms, the CSV import and the command line."""

from __future__ import annotations

import unicodedata

# Bidirectional overrides can make a name display as something else (for example in the
# audit log); they have no place in names, titles or answers.
_BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def clean_text(value: str, *, max_length: int, strip: bool = True, multiline: bool = False) -> str:
    text = unicodedata.normalize("NFC", value)
    allowed_controls = {"\n", "\t"} if multiline else set()
    text = "".join(
        ch
        for ch in text
        if ch not in _BIDI_CONTROLS and (ch in allowed_controls or unicodedata.category(ch) != "Cc")
    )
    if multiline:
        text = text.replace("\r\n", "\n")
    if strip:
        text = text.strip()
    return text[:max_length]
