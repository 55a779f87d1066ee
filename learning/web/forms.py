"""Reading form fields safely: bounded length, no control characters."""

from __future__ import annotations

import unicodedata

from starlette.datastructures import FormData

# Bidi overrides and isolates can make stored text display differently from what it is.
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


def field(
    form: FormData, name: str, *, max_length: int, strip: bool = True, multiline: bool = False
) -> str:
    value = form.get(name)
    if not isinstance(value, str):
        return ""
    return clean_text(value, max_length=max_length, strip=strip, multiline=multiline)


def safe_next(target: str | None) -> str:
    """Only a local path may be a redirect target: no scheme, no host, no backslash tricks."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return ""
    if "\\" in target or any(ord(ch) < 33 for ch in target):
        return ""
    return target
