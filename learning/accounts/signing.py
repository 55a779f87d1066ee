"""Signed, expiring links and cookie values (itsdangerous)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Any, Literal

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from learning.core.config import Secret

Purpose = Literal["setup", "invite", "reset"]

MAX_AGE: dict[Purpose, int] = {
    "setup": 24 * 3600,
    "invite": 7 * 24 * 3600,
    "reset": 24 * 3600,
}


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


# Session cookies come back with every request; checking one costs a key derivation,
# an HMAC and a JSON decode each time. A cookie whose signature was checked once is
# remembered with its signing time, so later requests only check its age. Only short
# values (session ids) are kept; a forged or altered cookie is never in the table.
_VERIFIED_MAX = 20_000
_VERIFIED_LENGTH = 200


class Signer:
    def __init__(self, secret: Secret) -> None:
        self._secret = secret.reveal().encode()
        self._links = URLSafeTimedSerializer(self._secret, salt="learning.link")
        self._cookies = URLSafeTimedSerializer(self._secret, salt="learning.cookie")
        self._verified: dict[str, tuple[str, int]] = {}

    def make_link_token(self, purpose: Purpose, **data: Any) -> str:
        payload = {"p": purpose, "n": secrets.token_urlsafe(16), "d": data}
        return self._links.dumps(payload)

    def read_link_token(
        self, token: str, purpose: Purpose, *, now: float | None = None
    ) -> LinkToken:
        try:
            payload = self._links.loads(token, max_age=MAX_AGE[purpose])
        except SignatureExpired:
            raise TokenInvalid(expired=True) from None
        except BadSignature:
            raise TokenInvalid(expired=False) from None
        if not isinstance(payload, dict) or payload.get("p") != purpose:
            raise TokenInvalid(expired=False)
        return LinkToken(purpose, str(payload["n"]), dict(payload.get("d") or {}))

    def sign_cookie(self, value: str) -> str:
        return self._cookies.dumps(value)

    def unsign_cookie(self, signed: str, *, max_age: int) -> str | None:
        known = self._verified.get(signed)
        if known is not None:
            value, signed_at = known
            # The same rule as itsdangerous: whole seconds, not older than max_age.
            age = int(time.time()) - signed_at
            return value if 0 <= age <= max_age else None
        try:
            loaded, stamp = self._cookies.loads(signed, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return None
        if not isinstance(loaded, str):
            return None
        if len(signed) <= _VERIFIED_LENGTH:
            if len(self._verified) >= _VERIFIED_MAX:
                self._verified.clear()
            self._verified[signed] = (loaded, int(stamp.timestamp()))
        return loaded

    def csrf_token(self, browser_key: str, session_hash: str) -> str:
        message = f"{browser_key}|{session_hash}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def __repr__(self) -> str:
        return "Signer(<secret>)"
