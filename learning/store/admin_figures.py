"""The counts on the admin's start page: learners, enrolments, completions, sign-in state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from learning.core.clock import to_db
from learning.store.db import Database

# Learners only (staff are in no figure), deleted accounts (anonymised = 2) left out.


@dataclass(frozen=True, slots=True)
class AccountCounts:
    learners: int
    enrolled: int  # learners enrolled in at least one course
    enrolments: int
    completed: int  # course completions by learners
    invited: int  # open invitations not yet accepted
    never: int  # active accounts that never signed in


async def account_counts(db: Database, now: datetime) -> AccountCounts:
    row = await db.fetchone(
        "SELECT (SELECT count(*) FROM users WHERE role = 'learner' AND anonymised < 2"
        " AND active = 1) AS learners,"
        " (SELECT count(DISTINCT user_id) FROM enrolments WHERE user_id IN (SELECT id FROM users WHERE role = 'learner' AND anonymised < 2))"
        " AS enrolled,"
        " (SELECT count(*) FROM enrolments WHERE user_id IN (SELECT id FROM users WHERE role = 'learner' AND anonymised < 2)) AS enrolments,"
        " (SELECT count(*) FROM completions WHERE user_id IN (SELECT id FROM users WHERE role = 'learner' AND anonymised < 2)) AS completed,"
        " (SELECT count(DISTINCT i.user_id) FROM invitations i JOIN users u ON u.id = i.user_id"
        " WHERE i.purpose = 'invite' AND i.used_at IS NULL AND i.expires_at > ?"
        " AND u.password_hash IS NULL AND u.active = 1 AND u.role = 'learner') AS invited,"
        " (SELECT count(*) FROM users WHERE active = 1 AND anonymised = 0"
        " AND role = 'learner' AND last_login_at IS NULL) AS never",
        (to_db(now),),
    )
    if row is None:  # an aggregate without FROM always returns its one row
        return AccountCounts(0, 0, 0, 0, 0, 0)
    return AccountCounts(*(int(row[key] or 0) for key in AccountCounts.__slots__))
