"""Password hashing (argon2id) in a fair, bounded pool off the event loop; the policy."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections import deque
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from argon2 import PasswordHasher as _Argon2
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from zxcvbn import zxcvbn

from learning.core.i18n import N_

MIN_LENGTH = 12
MAX_LENGTH = 1024

# OWASP Password Storage Cheat Sheet, first argon2id configuration: 19 MiB, two passes,
# one lane. One lane, because the pool already runs one hash per core side by side;
# 19 MiB, so two hashes at once cost under 40 MiB of the server's memory budget. On the
# 2-core server one check takes about 30 ms (docs/operations.md, benchmarks/README.md).
TIME_COST = 2
MEMORY_COST = 19 * 1024
PARALLELISM = 1


def argon2_hasher() -> _Argon2:
    return _Argon2(time_cost=TIME_COST, memory_cost=MEMORY_COST, parallelism=PARALLELISM)


# zxcvbn scores 0-4; 3 means about 10^8 guesses or more, "safely unguessable" against
# an online attack and a delay for an offline one. zxcvbn reads at most 72 characters:
# a longer password is judged by its start, which is as strong as the whole or weaker.
MIN_SCORE = 3
_ZXCVBN_LENGTH = 72

# zxcvbn's lists are English (its password list comes from leaked password dumps, so it
# covers breached passwords). These German and job-centre words are what people here
# build passwords from; zxcvbn treats them like its own dictionary words.
LOCAL_WORDS = (
    "passwort",
    "kennwort",
    "geheim",
    "hallo",
    "willkommen",
    "sommer",
    "winter",
    "frühling",
    "fruehling",
    "herbst",
    "schatz",
    "liebe",
    "fussball",
    "fußball",
    "deutschland",
    "berlin",
    "hamburg",
    "münchen",
    "muenchen",
    "köln",
    "koeln",
    "leipzig",
    "schalke",
    "bayern",
    "borussia",
    "jobcenter",
    "arbeitsagentur",
    "agentur",
    "beratung",
    "schulung",
    "lernen",
    "kurs",
    "test",
    "januar",
    "februar",
    "dezember",
)

_LOCAL_SET = frozenset(LOCAL_WORDS)

TOO_SHORT = N_("Das Passwort muss mindestens 12 Zeichen lang sein.")
TOO_LONG = N_("Das Passwort darf höchstens 1024 Zeichen lang sein.")
CONTROL = N_("Das Passwort enthält ein unzulässiges Steuerzeichen.")
IS_EMAIL = N_("Das Passwort darf nicht Ihre E-Mail-Adresse sein.")
IS_NAME = N_("Das Passwort darf nicht Ihr Name sein.")
# Why zxcvbn refused it, by the kind of its longest guessable part.
LEAKED = N_(
    "Dieses Passwort steht in Listen häufig verwendeter oder bei Datenlecks"
    " veröffentlichter Passwörter und wird deshalb zuerst ausprobiert."
    " Bitte wählen Sie ein anderes, zum Beispiel mehrere Wörter, die nicht zusammengehören."
)
PERSONAL = N_(
    "Das Passwort enthält Ihren Namen oder Ihre E-Mail-Adresse und ist deshalb leicht"
    " zu erraten. Bitte wählen Sie ein anderes."
)
COMMON_WORD = N_(
    "Das Passwort beruht auf einem Wort, das in Passwörtern sehr häufig vorkommt (etwa"
    " Passwort, Sommer oder Jobcenter), und ist deshalb leicht zu erraten. Bitte wählen"
    " Sie ein anderes."
)
WORDS = N_(
    "Das Passwort besteht aus einem Wort oder Namen, den man im Wörterbuch findet,"
    " und ist deshalb leicht zu erraten. Bitte fügen Sie weitere ungewöhnliche Wörter hinzu."
)
PATTERN = N_(
    "Das Passwort besteht aus einem Muster (Wiederholungen, Folgen wie abc oder 1234,"
    " Tastaturreihen wie qwertz) und ist deshalb leicht zu erraten. Bitte wählen Sie ein"
    " anderes."
)
DATES = N_(
    "Das Passwort besteht vor allem aus einem Datum oder einer Jahreszahl und ist deshalb"
    " leicht zu erraten. Bitte wählen Sie ein anderes."
)
GUESSABLE = N_(
    "Dieses Passwort ist zu leicht zu erraten. Bitte wählen Sie ein längeres, zum Beispiel"
    " mehrere Wörter, die nicht zusammengehören."
)

_PATTERN_REASON = {
    "spatial": PATTERN,
    "repeat": PATTERN,
    "sequence": PATTERN,
    "bruteforce": GUESSABLE,
    "date": DATES,
    "regex": DATES,
}

# zxcvbn keeps the user inputs of a call in a module-level dictionary: one call at a time.
_zxcvbn_lock = threading.Lock()


def _personal_words(email: str, name: str) -> list[str]:
    words = [email.strip().lower(), name.strip().lower(), "".join(name.lower().split())]
    local, _, domain = email.strip().lower().partition("@")
    words.append(local)
    for text in (local, domain, name.lower()):
        for separator in ".-_+ ":
            text = text.replace(separator, " ")
        words.extend(part for part in text.split() if len(part) >= 3)
    return [w for w in words if w]


def _reason(sequence: Sequence[Mapping[str, Any]]) -> str:
    """The German reason for a weak score: what its longest guessable part is."""
    if not sequence:
        return GUESSABLE
    longest = max(sequence, key=lambda match: len(match["token"]))
    pattern = longest["pattern"]
    if pattern == "dictionary":
        dictionary = longest.get("dictionary_name")
        if dictionary == "passwords":
            return LEAKED
        if dictionary == "user_inputs":
            return COMMON_WORD if longest.get("matched_word") in _LOCAL_SET else PERSONAL
        return WORDS
    return _PATTERN_REASON.get(pattern, GUESSABLE)


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """A German sentence saying why the password is refused, or None when it is fine."""
    if len(password) < MIN_LENGTH:
        return TOO_SHORT
    if len(password) > MAX_LENGTH:
        return TOO_LONG
    if "\x00" in password:
        return CONTROL
    lowered = password.strip().lower()
    if email and lowered == email.strip().lower():
        return IS_EMAIL
    if name and lowered == name.strip().lower():
        return IS_NAME
    inputs = [*_personal_words(email, name), *LOCAL_WORDS]
    with _zxcvbn_lock:
        result = zxcvbn(password[:_ZXCVBN_LENGTH], user_inputs=inputs)
    if int(result["score"]) >= MIN_SCORE:
        return None
    return _reason(result["sequence"])


async def check_password(password: str, *, email: str = "", name: str = "") -> str | None:
    """password_problem off the event loop: zxcvbn needs up to about 0.7 s for a long
    random password, which would otherwise stall every request in flight."""
    return await asyncio.to_thread(password_problem, password, email=email, name=name)


class HashingBusy(Exception):
    """More callers wait for the hashing pool than it may queue, or one waited too long."""


T = TypeVar("T")


class FairSlots:
    """At most `size` holders; the rest wait first come, first served, with bounds.

    A released slot is handed straight to the longest waiter, so a newcomer can never
    overtake the queue. `max_waiting` bounds the queue, `max_wait` the time in it (None:
    no limit); beyond either the caller gets HashingBusy instead of a place.
    """

    def __init__(self, size: int, *, max_waiting: int, max_wait: float | None) -> None:
        self._free = size
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._max_waiting = max_waiting
        self._max_wait = max_wait

    @property
    def waiting(self) -> int:
        return len(self._waiters)

    async def acquire(self) -> None:
        if self._free > 0 and not self._waiters:
            self._free -= 1
            return
        if len(self._waiters) >= self._max_waiting:
            raise HashingBusy
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            async with asyncio.timeout(self._max_wait):
                await waiter
        except BaseException as exc:
            if waiter.done() and not waiter.cancelled():
                # The slot was handed over just as the wait ended: pass it on.
                self.release()
            else:
                waiter.cancel()
                if waiter in self._waiters:
                    self._waiters.remove(waiter)
            if isinstance(exc, TimeoutError):
                raise HashingBusy from None
            raise

    def release(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)  # the slot passes on without becoming free
                return
        self._free += 1


class PasswordHasher:
    """argon2id in a small thread pool: a burst of logins queues here, not on the loop.

    Every hash or check takes a slot from FairSlots; the slot comes back when the thread
    has finished, even if the waiting request was cancelled meanwhile, so the pool never
    holds more work than it has threads.
    """

    def __init__(
        self,
        concurrency: int = 2,
        *,
        hasher: _Argon2 | None = None,
        max_waiting: int = 256,
        max_wait: float | None = 10.0,
    ) -> None:
        self._hasher = hasher or argon2_hasher()
        self._pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="argon2")
        self.slots = FairSlots(concurrency, max_waiting=max_waiting, max_wait=max_wait)

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one place in the pool (the queue's fairness and bounds apply)."""
        await self.slots.acquire()
        try:
            yield
        finally:
            self.slots.release()

    async def _run(self, work: Callable[..., T], *args: Any) -> T:
        await self.slots.acquire()
        loop = asyncio.get_running_loop()
        try:
            job = self._pool.submit(work, *args)
        except BaseException:
            self.slots.release()
            raise
        job.add_done_callback(lambda _: self._give_back(loop))
        return await asyncio.wrap_future(job)

    def _give_back(self, loop: asyncio.AbstractEventLoop) -> None:
        # Runs in the pool's thread; after shutdown the loop may already be closed.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(self.slots.release)

    async def hash(self, password: str) -> str:
        """Raises HashingBusy when the pool's queue is full or the wait too long."""
        return await self._run(self._hasher.hash, password)

    def hash_sync(self, password: str) -> str:
        return self._hasher.hash(password)

    async def verify(self, password_hash: str | None, password: str) -> tuple[bool, bool]:
        """(matches, needs_rehash). An account without a hash still costs one hash.

        Raises HashingBusy when the pool's queue is full or the wait too long.
        """
        return await self._run(self._verify, password_hash, password)

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
