"""The record of reminders sent: one mail per learner and day, the points each stood for.

Every claim is an `INSERT ... ON CONFLICT DO NOTHING` on a unique key, made in the
transaction that queues the mail: a second run (or a second server) on the same day
finds the key taken and sends nothing, and a run that fails leaves no trace.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from learning.core.clock import to_db
from learning.store.db import Database, Transaction

# (assignment id, due date of the cycle) -> the latest point reminded of.
CycleKey = tuple[int, date]


async def claim_mail(tx: Transaction, user_id: int, day: date, kind: str, now: datetime) -> bool:
    """Take the learner's one reminder mail of `day`; False if it is already taken."""
    cur = await tx.execute(
        "INSERT INTO reminder_mails (user_id, day, kind, queued_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (user_id, day) DO NOTHING",
        (user_id, day.isoformat(), kind, to_db(now)),
    )
    return cur.rowcount == 1


async def note_mail(tx: Transaction, user_id: int, day: date, outbox_id: int) -> None:
    await tx.execute(
        "UPDATE reminder_mails SET outbox_id = ? WHERE user_id = ? AND day = ?",
        (outbox_id, user_id, day.isoformat()),
    )


async def record_points(
    tx: Transaction, user_id: int, day: date, points: Iterable[tuple[int, date, date]]
) -> None:
    """Record (assignment id, due date, point) for each assignment the mail reminded of."""
    await tx.executemany(
        "INSERT INTO reminders_sent (user_id, assignment_id, day, due_on, point)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id, assignment_id, day) DO NOTHING",
        [
            (user_id, assignment_id, day.isoformat(), due.isoformat(), point.isoformat())
            for assignment_id, due, point in points
        ],
    )


async def last_points(db: Database) -> dict[tuple[int, int, date], date]:
    """(user, assignment, due date) -> the latest point a reminder was sent for."""
    rows = await db.fetchall(
        "SELECT user_id, assignment_id, due_on, max(point) AS point FROM reminders_sent"
        " GROUP BY user_id, assignment_id, due_on"
    )
    return {
        (int(r["user_id"]), int(r["assignment_id"]), date.fromisoformat(r["due_on"])): (
            date.fromisoformat(r["point"])
        )
        for r in rows
    }


async def mailed_on(db: Database, day: date) -> set[int]:
    """The learners who already had their reminder mail of `day`."""
    rows = await db.fetchall("SELECT user_id FROM reminder_mails WHERE day = ?", (day.isoformat(),))
    return {int(r["user_id"]) for r in rows}


async def claim_digest(tx: Transaction, admin_id: int, day: date, now: datetime) -> bool:
    cur = await tx.execute(
        "INSERT INTO reminder_digests (admin_id, day, queued_at) VALUES (?, ?, ?)"
        " ON CONFLICT (admin_id, day) DO NOTHING",
        (admin_id, day.isoformat(), to_db(now)),
    )
    return cur.rowcount == 1


async def note_digest(tx: Transaction, admin_id: int, day: date, outbox_id: int) -> None:
    await tx.execute(
        "UPDATE reminder_digests SET outbox_id = ? WHERE admin_id = ? AND day = ?",
        (outbox_id, admin_id, day.isoformat()),
    )


async def digested_on(db: Database, day: date) -> set[int]:
    rows = await db.fetchall(
        "SELECT admin_id FROM reminder_digests WHERE day = ?", (day.isoformat(),)
    )
    return {int(r["admin_id"]) for r in rows}


async def finish_run(
    tx: Transaction, day: date, now: datetime, *, mails: int, digests: int
) -> None:
    """Record a finished run of `day`; a later run of the same day adds what it sent."""
    await tx.execute(
        "INSERT INTO reminder_runs (day, finished_at, mails, digests) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (day) DO UPDATE SET finished_at = excluded.finished_at,"
        " mails = reminder_runs.mails + excluded.mails,"
        " digests = reminder_runs.digests + excluded.digests",
        (day.isoformat(), to_db(now), mails, digests),
    )


async def run_done(db: Database, day: date) -> bool:
    """Whether a run of `day` finished (a run --as-of another day does not count)."""
    return bool(
        await db.scalar(
            "SELECT EXISTS(SELECT 1 FROM reminder_runs WHERE day = ?)", (day.isoformat(),)
        )
    )


@dataclass(frozen=True, slots=True)
class Admin:
    id: int
    email: str
    name: str
    locale: str | None
    group_id: int | None


async def active_admins(db: Database) -> list[Admin]:
    """Admins who can sign in: an anonymised or disabled account gets no digest."""
    rows = await db.fetchall(
        "SELECT id, email, name, locale, group_id FROM users"
        " WHERE role = 'admin' AND active = 1 AND anonymised = 0 ORDER BY id"
    )
    return [Admin(r["id"], r["email"], r["name"], r["locale"], r["group_id"]) for r in rows]
