"""Learners who start signed in: session rows and signed cookies, without argon2 logins.

Shared by the crash test and the soak (benchmarks/soak.py imports it too), which both
need many learners mid-session before the first request.
"""

from __future__ import annotations

from pathlib import Path

from learning.accounts.signing import Signer
from learning.core.clock import utc_now
from learning.core.config import Secret
from learning.store import sessions, users
from learning.store.db import open_database
from learning.store.migrate import migrate


async def seed_signed_in_learners(
    database: Path | str,
    count: int,
    *,
    secret: str,
    email: str = "lernende{n}@example.org",
    name: str = "Lernende {n}",
    password_hash: str | None = None,
) -> list[str]:
    """Migrate `database` (a SQLite file or a PostgreSQL URL), add `count` learners with a session each; their signed cookies."""
    signer = Signer(Secret(secret))
    cookies = []
    async with open_database(database, readers=1) as db:
        await migrate(db)
        async with db.transaction() as tx:
            for n in range(count):
                user_id = await users.insert_user(
                    tx,
                    email=email.format(n=n),
                    name=name.format(n=n),
                    role="learner",
                    now=utc_now(),
                    password_hash=password_hash,
                )
                session_id = await sessions.create_session(tx, user_id, utc_now())
                cookies.append(signer.sign("session", session_id))
    return cookies
