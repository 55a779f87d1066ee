"""UI language: German first, English second; gettext catalogues read with Babel."""

from __future__ import annotations

import io
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from importlib import resources

from babel import Locale
from babel.dates import format_date, format_skeleton, format_time, get_timezone
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
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

    def translate(self, text: str) -> str:
        """A message chosen at run time in the UI language; a `Message` gets its values."""
        if isinstance(text, Message):
            return self.gettext(text.msgid) % text.params
        return self.gettext(text)


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
def _date(moment: date, locale: str) -> str:
    # "1. Dez. 2026" / "Dec 1, 2026": the abbreviated month reads well in tables and text.
    if isinstance(moment, datetime):
        moment = moment.astimezone(_ZONE)
    return format_skeleton("yMMMd", moment, locale=_locale(locale))


@lru_cache(maxsize=4096)
def _long_date(moment: date, locale: str) -> str:
    if isinstance(moment, datetime):
        moment = moment.astimezone(_ZONE)
    return format_date(moment, format="long", locale=_locale(locale))


@lru_cache(maxsize=4096)
def _datetime(moment: datetime, locale: str) -> str:
    # "1. Dez. 2026, 10:05" / "Dec 1, 2026, 10:05 AM", always in the service's zone.
    parsed = _locale(locale)
    day = _date(moment, locale)
    time = format_time(moment, format="short", tzinfo=_ZONE, locale=parsed)
    pattern = str(parsed.datetime_formats["medium"])
    return pattern.replace("{1}", day).replace("{0}", time)


@lru_cache(maxsize=8192)
def _number(value: float, locale: str) -> str:
    return format_decimal(value, locale=_locale(locale))


@lru_cache(maxsize=4096)
def _percent(value: float, locale: str) -> str:
    # Percent points in, "80 %" (German, narrow space) or "80%" (English) out.
    # One decimal at most (66.7 %), none when the value is whole (80 %).
    share = Decimal(str(round(value, 1))) / 100
    return format_percent(share, locale=_locale(locale), decimal_quantization=False)


def local_date(moment: date | None, locale: str | None = None, *, long: bool = False) -> str:
    """A calendar date in the UI language; long=True spells the month out (certificates)."""
    if moment is None:
        return ""
    formatter = _long_date if long else _date
    return formatter(moment, locale or current_locale.get())


@lru_cache(maxsize=4096)
def _day(day: date, locale: str) -> str:
    return format_date(day, format="full", locale=_locale(locale))


def local_day(day: date | None, locale: str | None = None) -> str:
    """A calendar day (a due date, a last valid day) with its weekday: "Freitag, 4. Dezember 2026"."""
    return "" if day is None else _day(day, locale or current_locale.get())


def local_datetime(moment: datetime | None, locale: str | None = None) -> str:
    return "" if moment is None else _datetime(moment, locale or current_locale.get())


def local_number(value: float | None, locale: str | None = None) -> str:
    return "" if value is None else _number(value, locale or current_locale.get())


def local_percent(value: float | None, locale: str | None = None) -> str:
    """Percent points (0-100) as "80 %" / "80%"; None (no score yet) as ""."""
    return "" if value is None else _percent(value, locale or current_locale.get())


class Message(str):
    """A message with values, translated where it is shown (`Translator.translate`).

    As a str it is the German text with the values filled in, so code and logs that
    only need German can treat it as one; `msgid` and `params` let the page show it in
    the reader's language. Values are filled in after translation, never parsed as
    format strings, so a user's name with a "%" cannot break the message.
    """

    msgid: str
    params: dict[str, object]

    def __new__(cls, msgid: str, params: dict[str, object]) -> Message:
        text = super().__new__(cls, msgid % params)
        text.msgid = msgid
        text.params = params
        return text


def N_(message: str, **params: object) -> str:
    """Mark a message for extraction; it is translated where it is shown.

    With values (`N_("Zeile %(n)s", n=3)`) it is a `Message` that keeps them apart.
    """
    return Message(message, params) if params else message
