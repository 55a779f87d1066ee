"""The password policy: 12 characters, no composition rules, nothing easy to guess."""

from __future__ import annotations

import pytest

from learning.accounts import passwords
from learning.accounts.passwords import MIN_LENGTH, password_problem
from learning.core.i18n import Translator, current_locale

REFUSALS = (
    passwords.TOO_SHORT,
    passwords.TOO_LONG,
    passwords.CONTROL,
    passwords.IS_EMAIL,
    passwords.IS_NAME,
    passwords.LEAKED,
    passwords.PERSONAL,
    passwords.COMMON_WORD,
    passwords.WORDS,
    passwords.PATTERN,
    passwords.DATES,
    passwords.GUESSABLE,
)


def test_twelve_characters_is_the_minimum() -> None:
    assert MIN_LENGTH == 12
    assert password_problem("Tafel Ulme9") == "Das Passwort muss mindestens 12 Zeichen lang sein."
    assert password_problem("Tafel Ulme97") is None


@pytest.mark.parametrize(
    "password",
    [
        "nurkleinbuchstabenundmehr",  # no capitals, digits or symbols: still fine
        "ALLES GROSS UND LANG",
        "Straßenbahn fährt um acht",
        "ünïcødé-pässwört",
        "korrekt Pferd Batterie Heftklammer",
        "x" + "Ein sehr langer Satz, der weit über zweiundsiebzig Zeichen hinausgeht. " * 3,
    ],
)
def test_no_composition_rules(password: str) -> None:
    assert password_problem(password) is None


@pytest.mark.parametrize(
    "password",
    # Twelve characters and more, each among the most frequent in published leaks.
    ["password1234", "123456789012", "qwertyuiop12", "iloveyou1234", "1q2w3e4r5t6y"],
)
def test_leaked_passwords_are_refused_with_the_reason(password: str) -> None:
    assert password_problem(password) == passwords.LEAKED
    assert password_problem(password.upper()) is not None


@pytest.mark.parametrize("password", ["Passwort123456", "Jobcenter2024!", "Willkommen2025"])
def test_german_password_words_are_refused(password: str) -> None:
    assert password_problem(password) == passwords.COMMON_WORD


@pytest.mark.parametrize("password", ["abcabcabcabc", "zzzzzzzzzzzzzz", "abcdefghijklm"])
def test_patterns_are_refused(password: str) -> None:
    assert password_problem(password) == passwords.PATTERN


def test_password_may_not_be_or_contain_email_or_name() -> None:
    assert password_problem("anna@example.org", email="Anna@Example.org") == passwords.IS_EMAIL
    assert password_problem("Anna Beispiel", name="anna beispiel") == passwords.IS_NAME
    refused = password_problem("Annabeispiel99", email="a.b@example.org", name="Anna Beispiel")
    assert refused == passwords.PERSONAL
    # The same password is fine for someone else.
    assert password_problem("Annabeispiel99", name="Berta Muster") is None


def test_overlong_and_nul_are_refused_in_german() -> None:
    assert password_problem("x" * 1025) == "Das Passwort darf höchstens 1024 Zeichen lang sein."
    assert password_problem("gut genug\x00lang und mehr") == (
        "Das Passwort enthält ein unzulässiges Steuerzeichen."
    )


def test_every_refusal_has_an_english_translation() -> None:
    translator = Translator()
    token = current_locale.set("en")
    try:
        for message in REFUSALS:
            english = translator.gettext(message)
            assert english != message, message
    finally:
        current_locale.reset(token)
