"""Dates, times, numbers and percentages in the UI language, local to Europe/Berlin."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from learning.core.i18n import (
    current_locale,
    local_date,
    local_datetime,
    local_number,
    local_percent,
)

NBSP = "\u00a0"


@pytest.mark.parametrize(("locale", "expected"), [("de", "1. Dez. 2026"), ("en", "Dec 1, 2026")])
def test_dates_use_the_abbreviated_month_of_the_language(locale: str, expected: str) -> None:
    assert local_date(date(2026, 12, 1), locale) == expected
    assert local_date(datetime(2026, 12, 1, 9, 0, tzinfo=UTC), locale) == expected


def test_a_late_utc_time_is_the_next_day_in_berlin() -> None:
    moment = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)
    assert local_date(moment, "de") == "2. Dez. 2026"
    assert local_datetime(moment, "de") == "2. Dez. 2026, 00:30"
    assert local_datetime(moment, "en") == "Dec 2, 2026, 12:30\u202fAM"


def test_long_dates_spell_the_month_out() -> None:
    assert local_date(date(2026, 12, 1), "de", long=True) == "1. Dezember 2026"
    assert local_date(date(2026, 12, 1), "en", long=True) == "December 1, 2026"


@pytest.mark.parametrize(
    ("value", "de", "en"),
    [
        (80, f"80{NBSP}%", "80%"),
        (80.0, f"80{NBSP}%", "80%"),
        (200 / 3, f"66,7{NBSP}%", "66.7%"),
        (33.3, f"33,3{NBSP}%", "33.3%"),
        (0, f"0{NBSP}%", "0%"),
    ],
)
def test_percent_points_follow_the_language(value: float, de: str, en: str) -> None:
    assert local_percent(value, "de") == de
    assert local_percent(value, "en") == en


def test_numbers_and_missing_values() -> None:
    assert local_number(1234.5, "de") == "1.234,5"
    assert local_number(1234.5, "en") == "1,234.5"
    assert local_percent(None) == local_number(None) == local_date(None) == ""


def test_the_current_locale_is_the_default() -> None:
    token = current_locale.set("en")
    try:
        assert local_percent(50) == "50%"
    finally:
        current_locale.reset(token)
    assert local_percent(50) == f"50{NBSP}%"
