"""Signed cookies: a checked cookie is remembered, but still expires and never lets a
forged one through."""

from __future__ import annotations

import time

import pytest

from learning.config import Secret
from learning.signing import Signer


def _signer() -> Signer:
    return Signer(Secret("s" * 40))


def test_cookie_round_trip_and_tampering() -> None:
    signer = _signer()
    cookie = signer.sign("session", "session-id")
    assert signer.unsign("session", cookie, max_age=60) == "session-id"
    assert signer.unsign("session", cookie, max_age=60) == "session-id"  # remembered
    tampered = cookie[:-2] + ("AA" if not cookie.endswith("AA") else "BB")
    assert signer.unsign("session", tampered, max_age=60) is None
    assert _signer().unsign("session", cookie, max_age=60) == "session-id"
    assert Signer(Secret("t" * 40)).unsign("session", cookie, max_age=60) is None


@pytest.mark.parametrize("checked_before", [True, False])
def test_a_remembered_cookie_still_expires(
    monkeypatch: pytest.MonkeyPatch, checked_before: bool
) -> None:
    signer = _signer()
    start = time.time()
    monkeypatch.setattr(time, "time", lambda: start)
    cookie = signer.sign("session", "session-id")
    if checked_before:
        assert signer.unsign("session", cookie, max_age=60) == "session-id"
    monkeypatch.setattr(time, "time", lambda: start + 59)
    assert signer.unsign("session", cookie, max_age=60) == "session-id"
    monkeypatch.setattr(time, "time", lambda: start + 61)
    assert signer.unsign("session", cookie, max_age=60) is None
