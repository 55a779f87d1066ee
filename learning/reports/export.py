"""What a report export holds, shared by the web export and `learning report`.

Named mode exports the per-learner rows (read first, then streamed); aggregate mode
exports exactly the figures the report page shows (`report_view`), suppressed cells empty.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from learning.core.config import Settings
from learning.core.i18n import N_
from learning.reports.documents import Column, ExportInfo, Row
from learning.reports.figures import (
    TOO_FEW,
    Figures,
    GroupTable,
    MonthCount,
    aggregate_report,
    completion_over_time,
    figures,
    group_figures,
    select,
)
from learning.store.db import Database
from learning.store.reports import LearnerFilter, LearnerRow, figure_rows, snapshot_learners

STATUS_LABELS = {
    "not_started": N_("nicht begonnen"),
    "started": N_("begonnen"),
    "completed": N_("abgeschlossen"),
}

LEARNER_COLUMNS = (
    Column("name", N_("Name")),
    Column("email", N_("E-Mail")),
    Column("group", N_("Gruppe")),
    Column("status", N_("Status")),
    Column("progress", N_("Fortschritt %"), "number"),
    Column("minutes", N_("Lernzeit (Min.)"), "number"),
    Column("last_activity", N_("Letzte Aktivität"), "datetime"),
    Column("best_score", N_("Bestes Ergebnis %"), "number"),
    Column("attempts", N_("Versuche"), "integer"),
    Column("completed_at", N_("Abgeschlossen am"), "datetime"),
    Column("certificate", N_("Zertifikat")),
)

GROUP_COLUMNS = (
    Column("group", N_("Gruppe")),
    Column("participants", N_("Teilnehmende"), "integer"),
    Column("enrolled", N_("Eingeschrieben"), "integer"),
    Column("started", N_("Begonnen"), "integer"),
    Column("completed", N_("Abgeschlossen"), "integer"),
    Column("completion_rate", N_("Abschlussquote %"), "number"),
    Column("median_score", N_("Median Abschlusstest %"), "number"),
    Column("median_minutes", N_("Median Lernzeit (Min.)"), "number"),
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


@dataclass(frozen=True, slots=True)
class ReportView:
    """What a report shows for one filter, the same on screen, in exports and on the CLI."""

    count: int  # learners in the selection
    total: Figures | None
    groups: GroupTable
    months: list[MonthCount]
    flt: LearnerFilter  # the filter as applied (aggregate mode widens date ranges)
    refusal: str | None  # why aggregate mode shows no figures for this selection


async def report_view(
    db: Database,
    settings: Settings,
    course_id: str,
    page_ids: Sequence[str],
    flt: LearnerFilter,
) -> ReportView:
    k = settings.min_group
    if settings.reports == "named":
        rows = await figure_rows(db, course_id, page_ids, flt)
        return ReportView(
            len(rows),
            figures("Gesamt", rows),
            group_figures(rows, named=True, min_group=k),
            completion_over_time(rows),
            flt,
            None,
        )
    # Aggregate mode filters in Python over the whole course: the rules compare the
    # selection with the course (see reporting.py).
    everyone = await figure_rows(db, course_id, page_ids, LearnerFilter())
    chosen = select(
        everyone,
        group_id=flt.group_id,
        status=flt.status,
        since=flt.since,
        until=flt.until,
        min_group=k,
    )
    applied = dataclasses.replace(flt, since=chosen.since, until=chosen.until)
    if chosen.refusal is not None:
        return ReportView(len(chosen.rows), None, GroupTable((), 0), [], applied, chosen.refusal)
    unfiltered = applied == LearnerFilter(sort=flt.sort, descending=flt.descending)
    report = aggregate_report(chosen.rows, min_group=k, breakdown=unfiltered)
    refusal = None if report.total is not None else TOO_FEW
    return ReportView(
        len(chosen.rows), report.total, report.groups, report.months, applied, refusal
    )


async def _aggregate_rows(view: ReportView) -> AsyncIterator[Row]:
    if view.total is not None:
        yield figures_dict(view.total)
    for item in view.groups.rows:
        yield figures_dict(item)


async def _learner_rows(rows: Sequence[LearnerRow]) -> AsyncIterator[Row]:
    for row in rows:
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
        # The rows are read before the first byte goes out, on a connection of the
        # export's own (`Database.snapshot`): the download then takes as long as the
        # client likes without holding a reader or a read snapshot.
        rows = await snapshot_learners(db, course_id, page_ids, flt)
        return info, LEARNER_COLUMNS, _learner_rows(rows)
    view = await report_view(db, settings, course_id, page_ids, flt)
    if view.refusal is not None:
        info = dataclasses.replace(info, note=view.refusal % {"n": settings.min_group})
    return info, GROUP_COLUMNS, _aggregate_rows(view)
