"""Which content ids the database holds progress or answers for: to find orphans."""

from __future__ import annotations

from learning.store.db import Database

# Each source of stored ids, with the kind of id it holds.
_SOURCES = (
    ("page", "SELECT DISTINCT course_id, page_id FROM page_views"),
    ("question", "SELECT DISTINCT course_id, question_id FROM answers"),
    ("question", "SELECT DISTINCT course_id, question_id FROM reflections"),
    ("question", "SELECT DISTINCT course_id, question_id FROM scenario_runs"),
)


async def stored_ids(db: Database) -> dict[str, dict[str, set[str]]]:
    """course id -> kind ("page", "question") -> ids with stored data."""
    result: dict[str, dict[str, set[str]]] = {}
    for kind, sql in _SOURCES:
        for row in await db.fetchall(sql):
            result.setdefault(row[0], {}).setdefault(kind, set()).add(row[1])
    return result
