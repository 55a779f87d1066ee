"""What a report export holds, shared by the web export and `learning report`.

Named mode exports the per-learner rows (read first, then streamed); aggregate mode
exports exactly the figures the report page shows (`report_view`), suppressed cells empty.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from learning.content.slug import slugify
from learning.core.config import Settings
from learning.core.i18n import N_
from learning.reports.assignment_status import (
    Standing,
    Standings,
    StatusCounts,
    exact,
    label,
    select_by_status,
    standings_of,
    suppressed,
    with_status,
)
from learning.reports.documents import Column, ExportInfo, Row
from learning.reports.figures import (
    NO_GROUP,
    TOO_FEW,
    Counted,
    Figures,
    GroupTable,
    MonthCount,
    aggregate_report,
    completion_over_time,
    figures,
    group_figures,
    select,
)
from learning.reports.figures import (
    _partition as partition,
)
from learning.store.assignments import STATUS_LABELS as STATUS_LABELS_ASSIGNED
from learning.store.assignments import STATUSES
from learning.store.db import Database
from learning.store.reports import LearnerFilter, LearnerRow, figure_rows, snapshot_learners

STATUS_LABELS = {
    "not_started": N_("nicht begonnen"),
    "started": N_("begonnen"),
    "completed": N_("abgeschlossen"),
}

# The columns of each export, in order: adding a column is one line here and one key in
# learner_dict / figures_dict. Time columns get the zone in their header when written.
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

# Added to the learner columns when someone in the course is assigned it.
ASSIGNMENT_COLUMNS = (
    Column("due", N_("Frist"), "date"),
    Column("assignment_status", N_("Pflichtschulung")),
    Column("valid_until", N_("Gültig bis"), "date"),
)

# Assigned learners per assignment status (rules/assignments.STATUSES).
STATUS_COLUMNS = tuple(
    Column(f"status_{status}", f"Pflicht: {STATUS_LABELS_ASSIGNED[status]}", "integer")
    for status in STATUSES
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


def _day(value: date) -> str:
    return value.strftime("%d.%m.%Y")


def _assignment_label(status: str) -> str:
    labels: dict[str, str] = {str(k): v for k, v in STATUS_LABELS_ASSIGNED.items()}
    return labels.get(status, status)


def filter_labels(flt: LearnerFilter, group_name: str | None) -> dict[str, str]:
    """The filter as a reader says it, for the export's facts: {"Gruppe": "Jobcenter Nord"}."""
    labels: dict[str, str] = {}
    if flt.group_id is not None:
        labels["Gruppe"] = group_name or str(flt.group_id)
    if flt.status is not None:
        labels["Status"] = STATUS_LABELS[flt.status]
    if flt.assignment is not None:
        labels["Pflichtschulung"] = _assignment_label(flt.assignment)
    if flt.since is not None:
        labels["Letzte Aktivität von"] = _day(flt.since)
    if flt.until is not None:
        labels["Letzte Aktivität bis"] = _day(flt.until)
    return labels


def export_filename(
    stem: str,
    course_id: str,
    flt: LearnerFilter,
    group_name: str | None,
    *,
    day: date,
    ext: str,
    variant: str = "",
) -> str:
    """A distinct, ASCII-safe name: bericht_alles-nur-kultur_gruppe-jobcenter-nord_2026-12-02.csv."""
    parts = []
    if flt.group_id is not None:
        parts.append("gruppe-" + (slugify(group_name or "") or str(flt.group_id)))
    if flt.status is not None:
        parts.append("status-" + slugify(STATUS_LABELS[flt.status]))
    if flt.assignment is not None:
        parts.append("pflicht-" + slugify(_assignment_label(flt.assignment)))
    if flt.since is not None:
        parts.append(f"ab-{flt.since.isoformat()}")
    if flt.until is not None:
        parts.append(f"bis-{flt.until.isoformat()}")
    pieces = [
        stem,
        slugify(course_id),
        *(parts or ["alle"]),
        day.isoformat(),
        *filter(None, [variant]),
    ]
    return "_".join(pieces) + f".{ext}"


def learner_dict(row: LearnerRow, standing: Standing | None = None) -> Row:
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
        "due": standing.due.isoformat() if standing else "",
        "assignment_status": label(standing.status) if standing else "",
        "valid_until": standing.valid_until.isoformat()
        if standing and standing.valid_until
        else "",
    }


def figures_dict(item: Figures, status: StatusCounts | None = None) -> Row:
    counts = {f"status_{s}": None if status is None else status.counts[s] for s in STATUSES}
    return {
        "group": item.label,
        "participants": item.participants,
        "enrolled": item.enrolled,
        "started": item.started,
        "completed": item.completed,
        "completion_rate": item.completion_rate,
        "median_score": item.median_score,
        "median_minutes": item.median_minutes,
        **counts,
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
    # Assigned learners per assignment status, for the total and each group row;
    # None where nobody in the course is assigned or aggregate mode hides them.
    assignment: StatusCounts | None = None
    group_status: tuple[StatusCounts | None, ...] = ()


async def report_view(
    db: Database,
    settings: Settings,
    course_id: str,
    page_ids: Sequence[str],
    flt: LearnerFilter,
    standings: Standings,
) -> ReportView:
    """The figures for one filter; `standings`: each assigned learner's, by user id."""
    k = settings.min_group
    if settings.reports == "named":
        rows = with_status(
            await figure_rows(db, course_id, page_ids, flt), standings, flt.assignment
        )
        groups = group_figures(rows, named=True, min_group=k)
        by_group: dict[str, list[Counted]] = defaultdict(list)
        for row in rows:
            by_group[row.group_name or NO_GROUP].append(row)
        status = (
            (
                exact(standings_of(rows, standings)),
                tuple(exact(standings_of(by_group[g.label], standings)) for g in groups.rows),
            )
            if standings
            else (None, ())
        )
        return ReportView(
            len(rows),
            figures("Gesamt", rows),
            groups,
            completion_over_time(rows),
            flt,
            None,
            *status,
        )
    # Aggregate mode filters in Python over the whole course: the rules compare the
    # selection with the course (see reporting.py).
    everyone = await figure_rows(db, course_id, page_ids, LearnerFilter())
    chosen = (
        select_by_status(everyone, standings, flt, min_group=k)
        if flt.assignment is not None
        else select(
            everyone,
            group_id=flt.group_id,
            status=flt.status,
            since=flt.since,
            until=flt.until,
            min_group=k,
        )
    )
    applied = dataclasses.replace(flt, since=chosen.since, until=chosen.until)
    if chosen.refusal is not None:
        return ReportView(len(chosen.rows), None, GroupTable((), 0), [], applied, chosen.refusal)
    unfiltered = applied == LearnerFilter(sort=flt.sort, descending=flt.descending)
    report = aggregate_report(chosen.rows, min_group=k, breakdown=unfiltered)
    refusal = None if report.total is not None else TOO_FEW
    members = [rows for _, rows in partition(chosen.rows, k)] if report.groups.rows else []
    total_status, group_status = suppressed(
        standings_of(chosen.rows, standings),
        [standings_of(rows, standings) for rows in members],
        min_group=k,
    )
    return ReportView(
        len(chosen.rows),
        report.total,
        report.groups,
        report.months,
        applied,
        refusal,
        total_status if standings else None,
        tuple(group_status) if standings else (),
    )


async def _aggregate_rows(view: ReportView) -> AsyncIterator[Row]:
    if view.total is not None:
        yield figures_dict(view.total, view.assignment)
    statuses = view.group_status or (None,) * len(view.groups.rows)
    for item, status in zip(view.groups.rows, statuses, strict=True):
        yield figures_dict(item, status)


async def _learner_rows(rows: Sequence[LearnerRow], standings: Standings) -> AsyncIterator[Row]:
    for row in rows:
        yield learner_dict(row, standings.get(row.user_id))


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
    standings: Standings,
) -> tuple[ExportInfo, Sequence[Column], AsyncIterator[Row]]:
    info = ExportInfo(
        title=f"Abschlussbericht {course_title} ({course_id})",
        mode=settings.reports,
        min_group=settings.min_group,
        filters=filters,
        generated_at=now,
        zone=settings.timezone,
    )
    if settings.reports == "named":
        # The rows are read before the first byte goes out, on a connection of the
        # export's own (`Database.snapshot`): the download then takes as long as the
        # client likes without holding a reader or a read snapshot.
        rows = await snapshot_learners(db, course_id, page_ids, flt)
        if flt.assignment is not None:
            rows = [
                r for r in rows if (s := standings.get(r.user_id)) and s.status == flt.assignment
            ]
        named: tuple[Column, ...] = (*LEARNER_COLUMNS, *ASSIGNMENT_COLUMNS)
        return info, named if standings else LEARNER_COLUMNS, _learner_rows(rows, standings)
    view = await report_view(db, settings, course_id, page_ids, flt, standings)
    if view.refusal is not None:
        info = dataclasses.replace(info, note=view.refusal % {"n": settings.min_group})
    counted: tuple[Column, ...] = (*GROUP_COLUMNS, *STATUS_COLUMNS)
    return info, counted if standings else GROUP_COLUMNS, _aggregate_rows(view)
