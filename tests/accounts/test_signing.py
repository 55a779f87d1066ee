"""Signed values: a checked cookie is remembered, but still expires and never lets a
forged one through; each kind of value and each link purpose is signed apart."""

from __future__ import annotations

import hashlib
import hmac
import time

import pytest
from itsdangerous import URLSafeTimedSerializer

from learning.accounts.signing import KINDS, PURPOSES, Kind, Purpose, Signer, TokenInvalid
from learning.core.config import Secret


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


@pytest.mark.parametrize("signed_as", KINDS)
@pytest.mark.parametrize("read_as", KINDS)
def test_a_value_signed_for_one_kind_is_refused_as_another(signed_as: Kind, read_as: Kind) -> None:
    signer = _signer()
    value = signer.sign(signed_as, "wert")
    expected = "wert" if signed_as == read_as else None
    assert signer.unsign(read_as, value, max_age=60) == expected
    # Also when the value was checked (and remembered) as its own kind first.
    assert signer.unsign(signed_as, value, max_age=60) == "wert"
    assert signer.unsign(read_as, value, max_age=60) == expected


@pytest.mark.parametrize("made_for", PURPOSES)
@pytest.mark.parametrize("read_as", PURPOSES)
def test_a_link_for_one_purpose_is_refused_as_another(made_for: Purpose, read_as: Purpose) -> None:
    signer = _signer()
    token = signer.make_link_token(made_for, uid=7)
    if made_for == read_as:
        assert signer.read_link_token(token, read_as).data == {"uid": 7}
    else:
        with pytest.raises(TokenInvalid):
            signer.read_link_token(token, read_as)


def test_a_link_signed_for_one_purpose_cannot_claim_another_in_its_payload() -> None:
    # What the single shared link salt allowed: the signature is the invitation's,
    # only the payload says "reset".
    key = ("s" * 40).encode()
    forged = URLSafeTimedSerializer(key, salt="learning.link.invite").dumps(
        {"p": "reset", "n": "nonce", "d": {"uid": 7}}
    )
    with pytest.raises(TokenInvalid):
        _signer().read_link_token(forged, "reset")


def test_links_from_before_the_per_purpose_salts_keep_their_purpose() -> None:
    key = ("s" * 40).encode()
    legacy = URLSafeTimedSerializer(key, salt="learning.link").dumps(
        {"p": "invite", "n": "nonce", "d": {"uid": 7}}
    )
    assert _signer().read_link_token(legacy, "invite").nonce == "nonce"
    with pytest.raises(TokenInvalid):
        _signer().read_link_token(legacy, "reset")


def test_signed_values_are_not_signatures_of_one_another() -> None:
    signer = _signer()
    key = ("s" * 40).encode()
    token = signer.csrf_token("browser-key", "session-hash")
    # The CSRF HMAC has a key of its own, not the secret every other value derives from.
    assert token != hmac.new(key, b"browser-key|session-hash", hashlib.sha256).hexdigest()
    assert signer.unsign("session", token, max_age=60) is None
    assert signer.csrf_token("browser-key", "session-hash") == token
    assert Signer(Secret("t" * 40)).csrf_token("browser-key", "session-hash") != token
