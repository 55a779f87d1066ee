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

from learning.core.i18n import N_
from learning.core.text import forbidden

CONTROL_CHARACTERS = N_(
    "Eine Eingabe enthält Steuerzeichen, die nicht erlaubt sind. Bitte prüfen Sie Ihre Eingaben."
)
TOO_LONG = N_("Eine Eingabe ist zu lang. Bitte kürzen Sie sie und senden Sie das Formular erneut.")


class FieldError(HTTPException):
    def __init__(self, message: str) -> None:
        super().__init__(400, message)


def checked_text(
    value: str, *, max_length: int, strip: bool = True, multiline: bool = False
) -> str:
    """Form text as sent, or FieldError: tab and line breaks only where `multiline`."""
    text = unicodedata.normalize("NFC", value)
    if multiline:
        # Browsers send a textarea's line breaks as CRLF and count them as one character.
        text = text.replace("\r\n", "\n")
    if any(forbidden(ch, multiline) for ch in text):
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
