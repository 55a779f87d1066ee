"""Signed cookies: a checked cookie is remembered, but still expires and never lets a
forged one through."""

from __future__ import annotations

import time

import pytest

from learning.accounts.signing import Signer
from learning.core.config import Secret


def _signer() -> Signer:
    return Signer(Secret("s" * 40))


def test_cookie_round_trip_and_tampering() -> None:
    signer = _signer()
    cookie = signer.sign_cookie("session-id")
    assert signer.unsign_cookie(cookie, max_age=60) == "session-id"
    assert signer.unsign_cookie(cookie, max_age=60) == "session-id"  # remembered
    tampered = cookie[:-2] + ("AA" if not cookie.endswith("AA") else "BB")
    assert signer.unsign_cookie(tampered, max_age=60) is None
    assert _signer().unsign_cookie(cookie, max_age=60) == "session-id"
    assert Signer(Secret("t" * 40)).unsign_cookie(cookie, max_age=60) is None


@pytest.mark.parametrize("checked_before", [True, False])
def test_a_remembered_cookie_still_expires(
    monkeypatch: pytest.MonkeyPatch, checked_before: bool
) -> None:
    signer = _signer()
    start = time.time()
    monkeypatch.setattr(time, "time", lambda: start)
    cookie = signer.sign_cookie("session-id")
    if checked_before:
        assert signer.unsign_cookie(cookie, max_age=60) == "session-id"
    monkeypatch.setattr(time, "time", lambda: start + 59)
    assert signer.unsign_cookie(cookie, max_age=60) == "session-id"
    monkeypatch.setattr(time, "time", lambda: start + 61)
    assert signer.unsign_cookie(cookie, max_age=60) is None
