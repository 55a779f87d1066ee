"""Signed, expiring links and cookie values (itsdangerous), one key per kind of value.

Every kind of signed value has its own salt (itsdangerous derives a separate key from
it), and the CSRF HMAC and the option-order HMAC (web/option_order.py) their own
derived keys: a value signed for one purpose never passes the check for another, e.g.
a flash cookie pasted into the session cookie, or an invitation token opened as a
reset link.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Any, Literal, get_args

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from itsdangerous.encoding import base64_encode, int_to_bytes, want_bytes

from learning.core.config import Secret

Purpose = Literal["setup", "invite", "reset"]
# Values the app hands out and reads back: the session cookie and the flash cookie.
# (The admin import's preview is kept in the database now: store/import_previews.py.)
Kind = Literal["session", "flash"]

KINDS: tuple[Kind, ...] = get_args(Kind)
PURPOSES: tuple[Purpose, ...] = get_args(Purpose)

MAX_AGE: dict[Purpose, int] = {
    "setup": 24 * 3600,
    "invite": 7 * 24 * 3600,
    "reset": 24 * 3600,
}

# Links issued before each purpose had its own salt were all signed with this one; their
# payload names the purpose, which is still checked. They expire within MAX_AGE (at most
# 7 days), after which this fallback accepts nothing any more and can be removed.
_LEGACY_LINK_SALT = "learning.link"


class TokenInvalid(Exception):
    """The link is forged, damaged or expired; `expired` tells which for the message."""

    def __init__(self, *, expired: bool) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


@dataclass(frozen=True, slots=True)
class LinkToken:
    purpose: Purpose
    nonce: str
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: str
    nonce: str
    signed_at: int


# Session cookies come back with every request; checking one costs a key derivation,
# an HMAC and a JSON decode each time. A cookie whose signature was checked once is
# remembered with its signing time, so later requests only check its age. Only short
# values (session ids) are kept; a forged or altered cookie is never in the table.
# Each kind has its own table, so a value remembered as one kind is not taken as another.
_VERIFIED_MAX = 20_000
_VERIFIED_LENGTH = 200


class Signer:
    def __init__(self, secret: Secret) -> None:
        key = secret.reveal().encode()
        self._links = {
            purpose: URLSafeTimedSerializer(key, salt=f"learning.link.{purpose}")
            for purpose in PURPOSES
        }
        self._legacy_links = URLSafeTimedSerializer(key, salt=_LEGACY_LINK_SALT)
        self._values = {
            kind: URLSafeTimedSerializer(key, salt=f"learning.{kind}") for kind in KINDS
        }
        self._verified: dict[Kind, dict[str, tuple[str, int]]] = {kind: {} for kind in KINDS}
        self._csrf_key = hmac.new(key, b"learning.csrf", hashlib.sha256).digest()
        self._order_key = hmac.new(key, b"learning.option-order", hashlib.sha256).digest()

    def make_link_token(self, purpose: Purpose, **data: Any) -> str:
        return self.new_link_token(purpose, **data).token

    def new_link_token(self, purpose: Purpose, **data: Any) -> IssuedToken:
        """A fresh link token with the nonce and signing time that rebuild it later."""
        nonce = secrets.token_urlsafe(16)
        signed_at = int(time.time())
        return IssuedToken(self.link_token_at(purpose, nonce, signed_at, data), nonce, signed_at)

    def link_token_at(
        self, purpose: Purpose, nonce: str, signed_at: int, data: dict[str, Any]
    ) -> str:
        """The token signed at `signed_at`: the same bytes `new_link_token` handed out then.

        itsdangerous signs payload + "." + timestamp; fixing the timestamp makes the token
        a function of the secret and the stored nonce, so it needs not be stored.
        """
        serializer = self._links[purpose]
        payload = {"p": purpose, "n": nonce, "d": data}
        signer = serializer.make_signer()
        sep = want_bytes(signer.sep)
        value = serializer.dump_payload(payload) + sep + base64_encode(int_to_bytes(signed_at))
        return (value + sep + signer.get_signature(value)).decode()

    def read_link_token(self, token: str, purpose: Purpose) -> LinkToken:
        try:
            payload = self._load_link(token, purpose)
        except SignatureExpired:
            raise TokenInvalid(expired=True) from None
        except BadSignature:
            raise TokenInvalid(expired=False) from None
        if not isinstance(payload, dict) or payload.get("p") != purpose:
            raise TokenInvalid(expired=False)
        return LinkToken(purpose, str(payload["n"]), dict(payload.get("d") or {}))

    def _load_link(self, token: str, purpose: Purpose) -> Any:
        max_age = MAX_AGE[purpose]
        try:
            return self._links[purpose].loads(token, max_age=max_age)
        except SignatureExpired:
            raise
        except BadSignature:
            return self._legacy_links.loads(token, max_age=max_age)

    def sign(self, kind: Kind, value: str) -> str:
        return self._values[kind].dumps(value)

    def unsign(self, kind: Kind, signed: str, *, max_age: int) -> str | None:
        verified = self._verified[kind]
        known = verified.get(signed)
        if known is not None:
            value, signed_at = known
            # The same rule as itsdangerous: whole seconds, not older than max_age.
            age = int(time.time()) - signed_at
            return value if 0 <= age <= max_age else None
        try:
            loaded, stamp = self._values[kind].loads(signed, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return None
        if not isinstance(loaded, str):
            return None
        if len(signed) <= _VERIFIED_LENGTH:
            if len(verified) >= _VERIFIED_MAX:
                verified.clear()
            verified[signed] = (loaded, int(stamp.timestamp()))
        return loaded

    def csrf_token(self, browser_key: str, session_hash: str) -> str:
        message = f"{browser_key}|{session_hash}".encode()
        return hmac.new(self._csrf_key, message, hashlib.sha256).hexdigest()

    def order_digest(self, message: str) -> bytes:
        """A digest learners cannot compute: it picks the order a learner sees options in."""
        return hmac.new(self._order_key, message.encode(), hashlib.sha256).digest()

    def __repr__(self) -> str:
        return "Signer(<secret>)"
