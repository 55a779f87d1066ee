"""Group membership over time, and the rule that a group's courses follow its members.

`users.group_id` is the current group; `group_memberships` (migration 0080) keeps when
each membership began and ended. Every change of a user's group goes through
`change_group`, which writes both in the caller's transaction and enrols a learner who
joins in the courses assigned to the group (`enrol_in_group_courses`): group enrolment
is a rule, not a snapshot taken when the admin pressed the button.
"""

from __future__ import annotations

from datetime import datetime

from learning.core.clock import to_db
from learning.store.db import Transaction


async def change_group(
    tx: Transaction, user_id: int, group_id: int | None, *, now: datetime, by: int | None
) -> list[str]:
    """Move the user to `group_id` (None: no group) unless already there.

    Closes the open membership, opens the new one and enrols a learner in the new
    group's assigned courses. Returns the course ids newly enrolled in.
    """
    row = await tx.fetchone(
        "SELECT group_id FROM group_memberships WHERE user_id = ? AND left_at IS NULL",
        (user_id,),
    )
    current = None if row is None else int(row["group_id"])
    await tx.execute("UPDATE users SET group_id = ? WHERE id = ?", (group_id, user_id))
    if current == group_id:
        return []
    await tx.execute(
        "UPDATE group_memberships SET left_at = ? WHERE user_id = ? AND left_at IS NULL",
        (to_db(now), user_id),
    )
    if group_id is None:
        return []
    await tx.execute(
        "INSERT INTO group_memberships (user_id, group_id, joined_at) VALUES (?, ?, ?)",
        (user_id, group_id, to_db(now)),
    )
    return await enrol_in_group_courses(tx, user_id, group_id, now=now, by=by)


async def enrol_in_group_courses(
    tx: Transaction, user_id: int, group_id: int, *, now: datetime, by: int | None
) -> list[str]:
    """Enrol an active learner in every course with a live assignment to the group.

    Returns the course ids that were newly enrolled (an existing enrolment stays).
    """
    rows = await tx.fetchall(
        "SELECT DISTINCT a.course_id FROM assignments a"
        " JOIN users u ON u.id = ? AND u.role = 'learner' AND u.active = 1"
        " WHERE a.group_id = ? AND a.removed_at IS NULL"
        " AND NOT EXISTS (SELECT 1 FROM enrolments e"
        "  WHERE e.user_id = u.id AND e.course_id = a.course_id)"
        " ORDER BY a.course_id",
        (user_id, group_id),
    )
    courses = [str(row["course_id"]) for row in rows]
    await tx.executemany(
        "INSERT INTO enrolments (user_id, course_id, enrolled_at, enrolled_by)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (user_id, course_id) DO NOTHING",
        [(user_id, course, to_db(now), by) for course in courses],
    )
    return courses


async def joined_at(tx: Transaction, user_id: int) -> str | None:
    """When the user joined their current group (UTC text), None without a group."""
    row = await tx.fetchone(
        "SELECT joined_at FROM group_memberships WHERE user_id = ? AND left_at IS NULL",
        (user_id,),
    )
    return None if row is None else str(row["joined_at"])
