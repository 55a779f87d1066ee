"""Signed, expiring links and cookie values (itsdangerous)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any, Literal

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from learning.config import Secret

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


class Signer:
    def __init__(self, secret: Secret) -> None:
        self._secret = secret.reveal().encode()
        self._links = URLSafeTimedSerializer(self._secret, salt="learning.link")
        self._cookies = URLSafeTimedSerializer(self._secret, salt="learning.cookie")

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
        try:
            value = self._cookies.loads(signed, max_age=max_age)
        except BadSignature:
            return None
        return value if isinstance(value, str) else None

    def csrf_token(self, browser_key: str, session_hash: str) -> str:
        message = f"{browser_key}|{session_hash}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def __repr__(self) -> str:
        return "Signer(<secret>)"
