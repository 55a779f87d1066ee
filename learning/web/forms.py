"""Reading form fields safely: bounded length, no control characters.

Form fields are refused (`FieldError`, a German 400 page) rather than cleaned: a name
cut at 200 characters or a password with a NUL silently removed would store something
the person did not send. Query parameters only filter what is shown, so `clean_text`
cleans them instead.
"""

from __future__ import annotations

import unicodedata

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException

from learning.i18n import N_

# Bidi overrides and isolates can make stored text display differently from what it is.
_BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
_MULTILINE_CONTROLS = {"\n", "\t"}

CONTROL_CHARACTERS = N_(
    "Eine Eingabe enthält Steuerzeichen, die nicht erlaubt sind. Bitte prüfen Sie Ihre Eingaben."
)
TOO_LONG = N_("Eine Eingabe ist zu lang. Bitte kürzen Sie sie und senden Sie das Formular erneut.")


class FieldError(HTTPException):
    def __init__(self, message: str) -> None:
        super().__init__(400, message)


def _forbidden(ch: str, multiline: bool) -> bool:
    if ch in _BIDI_CONTROLS:
        return True
    return unicodedata.category(ch) == "Cc" and not (multiline and ch in _MULTILINE_CONTROLS)


def clean_text(value: str, *, max_length: int, strip: bool = True, multiline: bool = False) -> str:
    """Query text, cleaned: control and bidi characters dropped, cut to `max_length`."""
    text = unicodedata.normalize("NFC", value)
    if multiline:
        text = text.replace("\r\n", "\n")
    text = "".join(ch for ch in text if not _forbidden(ch, multiline))
    if strip:
        text = text.strip()
    return text[:max_length]


def checked_text(
    value: str, *, max_length: int, strip: bool = True, multiline: bool = False
) -> str:
    """Form text as sent, or FieldError: tab and line breaks only where `multiline`."""
    text = unicodedata.normalize("NFC", value)
    if multiline:
        # Browsers send a textarea's line breaks as CRLF and count them as one character.
        text = text.replace("\r\n", "\n")
    if any(_forbidden(ch, multiline) for ch in text):
        raise FieldError(CONTROL_CHARACTERS)
    if strip:
        text = text.strip()
    if len(text) > max_length:
        raise FieldError(TOO_LONG)
    return text


def field(
    form: FormData, name: str, *, max_length: int, strip: bool = True, multiline: bool = False
) -> str:
    value = form.get(name)
    if not isinstance(value, str):
        return ""
    return checked_text(value, max_length=max_length, strip=strip, multiline=multiline)


def safe_next(target: str | None) -> str:
    """Only a local path may be a redirect target: no scheme, no host, no backslash tricks."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return ""
    if "\\" in target or any(ord(ch) < 33 for ch in target):
        return ""
    return target
