"""Which courses a trainer looks after: the rule behind every trainer's view of results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from learning.core.clock import to_db
from learning.store.db import Database, Transaction


@dataclass(frozen=True, slots=True)
class CourseTrainer:
    user_id: int
    name: str
    email: str


async def course_ids_of(db: Database, user_id: int) -> frozenset[str]:
    rows = await db.fetchall("SELECT course_id FROM course_trainers WHERE user_id = ?", (user_id,))
    return frozenset(row["course_id"] for row in rows)


async def trainers_of(db: Database, course_id: str) -> list[CourseTrainer]:
    rows = await db.fetchall(
        "SELECT u.id, u.name, u.email FROM course_trainers ct JOIN users u ON u.id = ct.user_id"
        " WHERE ct.course_id = ? AND u.role = 'trainer' ORDER BY lower(u.name), u.id",
        (course_id,),
    )
    return [CourseTrainer(row["id"], row["name"], row["email"]) for row in rows]


async def candidates(db: Database, course_id: str) -> list[CourseTrainer]:
    """Active trainer accounts not yet assigned to the course."""
    rows = await db.fetchall(
        "SELECT u.id, u.name, u.email FROM users u WHERE u.role = 'trainer'"
        " AND u.active = 1 AND NOT EXISTS (SELECT 1 FROM course_trainers ct"
        " WHERE ct.course_id = ? AND ct.user_id = u.id) ORDER BY lower(u.name), u.id",
        (course_id,),
    )
    return [CourseTrainer(row["id"], row["name"], row["email"]) for row in rows]


async def assign(tx: Transaction, course_id: str, user_id: int, now: datetime) -> bool:
    """Assign a trainer account; False when the account is no trainer or already assigned."""
    cursor = await tx.execute(
        "INSERT INTO course_trainers (course_id, user_id, assigned_at)"
        " SELECT ?, id, ? FROM users WHERE id = ? AND role = 'trainer'"
        " ON CONFLICT (course_id, user_id) DO NOTHING",
        (course_id, to_db(now), user_id),
    )
    return cursor.rowcount > 0


async def unassign(tx: Transaction, course_id: str, user_id: int) -> bool:
    cursor = await tx.execute(
        "DELETE FROM course_trainers WHERE course_id = ? AND user_id = ?", (course_id, user_id)
    )
    return cursor.rowcount > 0
