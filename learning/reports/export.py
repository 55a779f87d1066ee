"""What a report export holds, shared by the web export and `learning report`.

Named mode exports the per-learner rows (streamed from the database); aggregate mode
exports the per-group figures, with small groups merged or left out as on screen.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime

from learning.core.config import Settings
from learning.reports.documents import Column, ExportInfo, Row
from learning.reports.figures import Counted, Figures, figures, group_figures
from learning.store.db import Database
from learning.store.reports import LearnerFilter, LearnerRow, iterate_learners, learners

STATUS_LABELS = {
    "not_started": "nicht begonnen",
    "started": "begonnen",
    "completed": "abgeschlossen",
}

LEARNER_COLUMNS = (
    Column("name", "Name"),
    Column("email", "E-Mail"),
    Column("group", "Gruppe"),
    Column("status", "Status"),
    Column("progress", "Fortschritt %", "number"),
    Column("minutes", "Lernzeit (Min.)", "number"),
    Column("last_activity", "Letzte Aktivität", "datetime"),
    Column("best_score", "Bestes Ergebnis %", "number"),
    Column("attempts", "Versuche", "integer"),
    Column("completed_at", "Abgeschlossen am", "datetime"),
    Column("certificate", "Zertifikat"),
)

GROUP_COLUMNS = (
    Column("group", "Gruppe"),
    Column("participants", "Teilnehmende", "integer"),
    Column("enrolled", "Eingeschrieben", "integer"),
    Column("started", "Begonnen", "integer"),
    Column("completed", "Abgeschlossen", "integer"),
    Column("completion_rate", "Abschlussquote %", "number"),
    Column("median_score", "Median Abschlusstest %", "number"),
    Column("median_minutes", "Median Lernzeit (Min.)", "number"),
)


def learner_dict(row: LearnerRow) -> Row:
    return {
        "name": row.name,
        "email": row.email,
        "group": row.group_name or "",
        "status": STATUS_LABELS[row.status],
        "progress": row.progress,
        "minutes": round(row.seconds / 60, 1),
        "last_activity": row.last_activity,
        "best_score": row.best_score,
        "attempts": row.attempts,
        "completed_at": row.completed_at,
        "certificate": row.certificate or "",
    }


def figures_dict(item: Figures) -> Row:
    return {
        "group": item.label,
        "participants": item.participants,
        "enrolled": item.enrolled,
        "started": item.started,
        "completed": item.completed,
        "completion_rate": item.completion_rate,
        "median_score": item.median_score,
        "median_minutes": item.median_minutes,
    }


def visible_total(rows: Sequence[Counted], settings: Settings) -> Figures | None:
    """The course figures, or None when aggregate mode must hide them (too few learners)."""
    total = figures("Gesamt", rows)
    if settings.reports == "aggregate" and total.participants < settings.min_group:
        return None
    return total


async def _aggregate_rows(rows: Sequence[Counted], settings: Settings) -> AsyncIterator[Row]:
    total = visible_total(rows, settings)
    if total is not None:
        yield figures_dict(total)
    table = group_figures(rows, named=False, min_group=settings.min_group)
    for item in table.rows:
        yield figures_dict(item)


async def _learner_rows(
    db: Database, course_id: str, page_ids: Sequence[str], flt: LearnerFilter
) -> AsyncIterator[Row]:
    async for row in iterate_learners(db, course_id, page_ids, flt):
        yield learner_dict(row)


async def export_parts(
    db: Database,
    settings: Settings,
    *,
    course_id: str,
    course_title: str,
    page_ids: Sequence[str],
    flt: LearnerFilter,
    filters: dict[str, str],
    now: datetime,
) -> tuple[ExportInfo, Sequence[Column], AsyncIterator[Row]]:
    info = ExportInfo(
        title=f"Abschlussbericht {course_title} ({course_id})",
        mode=settings.reports,
        min_group=settings.min_group,
        filters=filters,
        generated_at=now,
    )
    if settings.reports == "named":
        return info, LEARNER_COLUMNS, _learner_rows(db, course_id, page_ids, flt)
    rows = await learners(db, course_id, page_ids, flt)
    return info, GROUP_COLUMNS, _aggregate_rows(rows, settings)
