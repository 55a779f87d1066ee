"""Reading form fields safely: bounded length, no control characters."""

from __future__ import annotations

from starlette.datastructures import FormData

from learning.core.text import clean_text


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
