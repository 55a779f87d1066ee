"""Signed-in sessions for many learners, and the request lists that use them.

Session rows are inserted directly (the server stores only the SHA-256 of the id, and
the cookie is the id signed with the app's key), because logging 2,000 learners in over
HTTP would spend the run on argon2. A few real logins check that path still works, and
the CSRF token of every answering session is read from a page the server rendered.
"""

from __future__ import annotations

import hashlib
import random
import re
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import httpx
from server import SECRET

from learning.accounts.signing import Signer
from learning.content.model import Course
from learning.core.clock import to_db
from learning.core.config import Secret

_CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


@dataclass(frozen=True)
class BenchSession:
    user_id: int
    cookie: str  # the whole Cookie header value
    csrf: str = ""


def create_sessions(database: Path, user_ids: list[int]) -> list[BenchSession]:
    signer = Signer(Secret(SECRET))
    now = to_db(datetime.now(UTC))
    rows = []
    result = []
    for uid in user_ids:
        session_id = secrets.token_urlsafe(32)
        id_hash = hashlib.sha256(session_id.encode()).hexdigest()
        rows.append((id_hash, uid, now, now))
        browser = secrets.token_urlsafe(32)
        cookie = (
            f"learning_session={signer.sign('session', session_id)}; learning_browser={browser}"
        )
        result.append(BenchSession(uid, cookie))
    conn = sqlite3.connect(database)
    with conn:
        conn.executemany(
            "INSERT INTO sessions (id_hash, user_id, created_at, last_seen) VALUES (?, ?, ?, ?)",
            rows,
        )
    conn.close()
    return result


def check_logins(base: str, emails: list[str], password: str) -> int:
    """Log in over HTTP as each account (distinct, so throttling does not apply)."""
    ok = 0
    for email in emails:
        with httpx.Client(base_url=base, timeout=10) as client:
            form = client.get("/login")
            match = _CSRF.search(form.text)
            if match is None:
                continue
            response = client.post(
                "/login", data={"email": email, "password": password, "csrf_token": match[1]}
            )
            if response.status_code == 303 and "learning_session" in client.cookies:
                ok += 1
    return ok


def with_csrf(base: str, sessions: list[BenchSession], path: str) -> list[BenchSession]:
    """Read each session's CSRF token from a rendered page, as a browser would."""
    result = []
    with httpx.Client(base_url=base, timeout=10) as client:
        for session in sessions:
            page = client.get(path, headers={"cookie": session.cookie})
            match = _CSRF.search(page.text)
            if page.status_code != 200 or match is None:
                raise RuntimeError(f"no CSRF token for user {session.user_id}: {page.status_code}")
            result.append(BenchSession(session.user_id, session.cookie, match[1]))
    return result


Row = tuple[str, str, str, str]


def static_rows(sessions: list[BenchSession]) -> list[Row]:
    return [("GET", "/_bench/static", s.cookie, "") for s in sessions]


def lesson_rows(
    sessions: list[BenchSession], courses: tuple[Course, ...], rng: random.Random, per: int = 4
) -> list[Row]:
    rows = []
    for session in sessions:
        for _ in range(per):
            course = rng.choice(courses)
            page = rng.choice(course.content_pages)
            rows.append(("GET", f"/courses/{course.id}/pages/{page.id}", session.cookie, ""))
    return rows


def answer_targets(courses: tuple[Course, ...]) -> list[tuple[str, str, str, int]]:
    """(course, page, question, option count) of every single-choice or true/false check."""
    return [
        (course.id, page.id, q.id, len(q.options))
        for course in courses
        for page in course.content_pages
        for q in page.questions
        if q.type in ("single", "truefalse")
    ]


def answer_rows(
    sessions: list[BenchSession],
    targets: list[tuple[str, str, str, int]],
    rng: random.Random,
    per: int = 4,
) -> list[Row]:
    rows = []
    for session in sessions:
        for _ in range(per):
            course_id, page_id, question_id, options = rng.choice(targets)
            body = urlencode(
                {"csrf_token": session.csrf, question_id: str(rng.randrange(1, options + 1))}
            )
            path = f"/courses/{course_id}/pages/{page_id}/answer/{question_id}"
            rows.append(("POST", path, session.cookie, body))
    return rows
