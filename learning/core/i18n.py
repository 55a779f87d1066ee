"""UI language: German first, English second; gettext catalogues read with Babel."""

from __future__ import annotations

import io
from contextvars import ContextVar
from datetime import date, datetime
from functools import lru_cache
from importlib import resources

from babel import Locale
from babel.dates import format_date, format_datetime, get_timezone
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

SUPPORTED = ("de", "en")
DEFAULT = "de"
TIMEZONE = "Europe/Berlin"

current_locale: ContextVar[str] = ContextVar("current_locale", default=DEFAULT)


def _load(locale: str) -> NullTranslations:
    po = resources.files("learning").joinpath(f"locale/{locale}/LC_MESSAGES/messages.po")
    if not po.is_file():
        return NullTranslations()
    # Compile the .po in memory at start-up: no build step, no stale .mo files.
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(buf)


class Translator:
    def __init__(self) -> None:
        self._catalogs: dict[str, NullTranslations] = {loc: _load(loc) for loc in SUPPORTED}

    def gettext(self, message: str) -> str:
        return self._catalogs[current_locale.get()].gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._catalogs[current_locale.get()].ngettext(singular, plural, n)


def negotiate(accept_language: str | None, preferred: str | None = None) -> str:
    """The user's own setting wins, then the browser's Accept-Language, then German."""
    if preferred in SUPPORTED:
        return preferred
    weighted = _weighted(accept_language) if accept_language else []
    for _quality, lang in sorted(weighted, key=lambda item: -item[0]):
        base = lang.split("-")[0]
        if base in SUPPORTED:
            return base
    return DEFAULT


def _weighted(accept_language: str) -> list[tuple[float, str]]:
    """(quality, language) pairs of an Accept-Language header; a bad q counts as 0."""
    weighted: list[tuple[float, str]] = []
    for part in accept_language.split(",")[:20]:
        lang, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        weighted.append((quality, lang.strip().lower()))
    return weighted


# Parsing a locale and formatting with Babel is slow enough to show in a report of
# thousands of cells; the same few locales, zones and values recur, so keep them.
_locale = lru_cache(maxsize=8)(Locale.parse)
_ZONE = get_timezone(TIMEZONE)


@lru_cache(maxsize=4096)
def _date(moment: datetime, locale: str) -> str:
    return format_date(moment, format="long", locale=_locale(locale))


@lru_cache(maxsize=4096)
def _datetime(moment: datetime, locale: str) -> str:
    return format_datetime(moment, format="medium", tzinfo=_ZONE, locale=_locale(locale))


@lru_cache(maxsize=8192)
def _number(value: float, locale: str) -> str:
    return format_decimal(value, locale=_locale(locale))


def local_date(moment: datetime | None, locale: str | None = None) -> str:
    return "" if moment is None else _date(moment, locale or current_locale.get())


@lru_cache(maxsize=4096)
def _day(day: date, locale: str) -> str:
    return format_date(day, format="full", locale=_locale(locale))


def local_day(day: date | None, locale: str | None = None) -> str:
    """A calendar day (a due date, a last valid day) with its weekday: "Freitag, 4. Dezember 2026"."""
    return "" if day is None else _day(day, locale or current_locale.get())


def local_datetime(moment: datetime | None, locale: str | None = None) -> str:
    return "" if moment is None else _datetime(moment, locale or current_locale.get())


def local_number(value: float, locale: str | None = None) -> str:
    return _number(value, locale or current_locale.get())


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where it is shown."""
    return message
