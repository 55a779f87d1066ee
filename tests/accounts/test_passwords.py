"""The password policy: length and a list of common passwords, no composition rules."""

from __future__ import annotations

import pytest

from learning.accounts.passwords import COMMON_PASSWORDS, MIN_LENGTH, password_problem


def test_ten_characters_is_the_minimum() -> None:
    assert MIN_LENGTH == 10
    assert password_problem("kurz9zeic") == "Das Passwort muss mindestens 10 Zeichen lang sein."
    assert password_problem("zehnzeichn") is None


@pytest.mark.parametrize(
    "password",
    [
        "nurkleinbuchstaben",  # no capitals, digits or symbols: still fine
        "ALLES GROSS UND LANG",
        "1928374655",  # digits only, not a common sequence
        "Straßenbahn fährt um acht",
        "ünïcødé-pässwört",
    ],
)
def test_no_composition_rules(password: str) -> None:
    assert password_problem(password) is None


@pytest.mark.parametrize("password", sorted(COMMON_PASSWORDS))
def test_common_passwords_are_refused_in_any_case(password: str) -> None:
    for variant in (password, password.upper()):
        problem = password_problem(variant)
        assert problem == "Dieses Passwort ist zu leicht zu erraten. Bitte wählen Sie ein anderes."


def test_common_list_is_short_and_only_holds_long_enough_entries() -> None:
    # Shorter entries would be refused by the length rule anyway: they would be dead weight.
    assert len(COMMON_PASSWORDS) <= 100
    assert all(len(p) >= MIN_LENGTH for p in COMMON_PASSWORDS)


def test_repeated_characters_are_refused() -> None:
    assert password_problem("abababababab") is not None
    assert password_problem("zzzzzzzzzzzzzz") is not None


def test_password_may_not_be_email_or_name() -> None:
    assert password_problem("anna@example.org", email="Anna@Example.org") is not None
    assert password_problem("Anna Beispiel", name="anna beispiel") is not None


def test_overlong_and_nul_are_refused_in_german() -> None:
    assert password_problem("x" * 1025) == "Das Passwort darf höchstens 1024 Zeichen lang sein."
    assert password_problem("gut genug\x00lang") == (
        "Das Passwort enthält ein unzulässiges Steuerzeichen."
    )
