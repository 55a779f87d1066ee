"""Password hashing (argon2id) off the event loop, and the password policy."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher as _Argon2
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from learning.core.i18n import N_

MIN_LENGTH = 10
MAX_LENGTH = 1024

# A short list of passwords that pass the length rule but are guessed first.
COMMON_PASSWORDS = frozenset(
    {
        "1234567890",
        "12345678910",
        "0123456789",
        "1234567891",
        "qwertzuiop",
        "qwertyuiop",
        "passwort123",
        "password123",
        "password1234",
        "passwort1234",
        "hallo12345",
        "hallohallo",
        "sommer2024",
        "sommer2025",
        "sommer2026",
        "winter2025",
        "winter2026",
        "willkommen",
        "willkommen1",
        "willkommen123",
        "geheim1234",
        "iloveyou12",
        "abcdefghij",
        "aaaaaaaaaa",
        "0000000000",
        "1111111111",
        "passwortpasswort",
        "passwordpassword",
        "administrator",
        "changeme123",
        "letmein123",
        "fussball123",
        "schalke04!",
        "dragon1234",
        "monkey1234",
        "trustno1234",
        "leipzig123",
        "leipzig2025",
        "jobcenter1",
        "jobcenter123",
    }
)


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """A German sentence saying what is wrong with the password, or None when it is fine."""
    if len(password) < MIN_LENGTH:
        return N_("Das Passwort muss mindestens 10 Zeichen lang sein.")
    if len(password) > MAX_LENGTH:
        return N_("Das Passwort darf höchstens 1024 Zeichen lang sein.")
    if "\x00" in password:
        return N_("Das Passwort enthält ein unzulässiges Steuerzeichen.")
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or len(set(password)) < 3:
        return N_("Dieses Passwort ist zu leicht zu erraten. Bitte wählen Sie ein anderes.")
    if email and lowered == email.strip().lower():
        return N_("Das Passwort darf nicht Ihre E-Mail-Adresse sein.")
    if name and lowered == name.strip().lower():
        return N_("Das Passwort darf nicht Ihr Name sein.")
    return None


class PasswordHasher:
    """argon2id in a small thread pool: a burst of logins queues here, not on the loop."""

    def __init__(self, concurrency: int = 2, *, hasher: _Argon2 | None = None) -> None:
        self._hasher = hasher or _Argon2()
        self._pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="argon2")
        self._slots = asyncio.Semaphore(concurrency)

    async def hash(self, password: str) -> str:
        async with self._slots:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._pool, self._hasher.hash, password)

    def hash_sync(self, password: str) -> str:
        return self._hasher.hash(password)

    async def verify(self, password_hash: str | None, password: str) -> tuple[bool, bool]:
        """(matches, needs_rehash). An account without a hash still costs one hash."""
        async with self._slots:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._pool, self._verify, password_hash, password)

    def _verify(self, password_hash: str | None, password: str) -> tuple[bool, bool]:
        if password_hash is None:
            # Spend the same time as a real check, so timing does not reveal the account.
            self._hasher.hash(password)
            return False, False
        try:
            self._hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False, False
        return True, self._hasher.check_needs_rehash(password_hash)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
