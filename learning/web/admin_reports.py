"""Admin: completion reports per course, their exports, and the audit log."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from learning.content.model import Course
from learning.core.text import clean_text
from learning.reports.documents import FORMATS, MEDIA_TYPES, export_stream
from learning.reports.export import (
    GROUP_COLUMNS,
    LEARNER_COLUMNS,
    STATUS_LABELS,
    export_parts,
    visible_total,
)
from learning.reports.figures import (
    Figures,
    GroupTable,
    MonthCount,
    completion_over_time,
    group_figures,
)
from learning.store import audit as audit_store
from learning.store import reports, users
from learning.web.admin_common import audit, courses
from learning.web.charts import bar_chart
from learning.web.report_cache import ResultCache
from learning.web.resolve import course_or_404, services_of
from learning.web.templating import render

# 200 rows: a screenful to scan and sort, and cheap enough to render per request.
TABLE_PAGE = 200
SORT_LABELS = {
    "name": "Name",
    "group": "Gruppe",
    "status": "Status",
    "progress": "Fortschritt",
    "last_activity": "Letzte Aktivität",
    "best_score": "Bestes Ergebnis",
    "attempts": "Versuche",
    "completed_at": "Abschlussdatum",
}


def _date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def parse_filter(request: Request) -> tuple[reports.LearnerFilter, dict[str, str], list[str]]:
    """The filter from the query string, the values to echo, and German error messages."""
    query = request.query_params
    raw = {
        key: clean_text(query.get(key, ""), max_length=40)
        for key in ("group", "status", "from", "to", "sort", "dir")
    }
    errors: list[str] = []
    group_id = int(raw["group"]) if raw["group"].isdigit() and len(raw["group"]) < 12 else None
    if raw["group"] and group_id is None:
        errors.append("Die gewählte Gruppe ist ungültig.")
        raw["group"] = ""
    status = next((s for s in reports.STATUSES if s == raw["status"]), None)
    if raw["status"] and status is None:
        errors.append("Der gewählte Status ist ungültig.")
        raw["status"] = ""
    dates: dict[str, date | None] = {}
    for key, label in (("from", "Von"), ("to", "Bis")):
        try:
            dates[key] = _date(raw[key])
        except ValueError:
            errors.append(f"„{label}“ ist kein gültiges Datum (JJJJ-MM-TT).")
            dates[key] = None
            raw[key] = ""
    sort = raw["sort"] if raw["sort"] in reports.SORT_COLUMNS else "name"
    raw["sort"] = sort
    raw["dir"] = "desc" if raw["dir"] == "desc" else "asc"
    flt = reports.LearnerFilter(
        group_id=group_id,
        status=status,
        since=dates["from"],
        until=dates["to"],
        sort=sort,
        descending=raw["dir"] == "desc",
    )
    return flt, raw, errors


def _page_ids(course: Course) -> list[str]:
    return [page.id for page in course.content_pages]


@dataclass(frozen=True, slots=True)
class CourseFigures:
    """Everything a report page computes from the learner rows of one selection."""

    count: int
    total: Figures | None
    groups: GroupTable
    months: list[MonthCount]


async def _course_figures(
    request: Request, course: Course, flt: reports.LearnerFilter
) -> CourseFigures:
    services = services_of(request)
    settings = services.settings
    page_ids = _page_ids(course)

    async def compute() -> CourseFigures:
        rows = await reports.figure_rows(services.db, course.id, page_ids, flt)
        total = visible_total(rows, settings)
        return CourseFigures(
            count=len(rows),
            total=total,
            groups=group_figures(
                rows, named=settings.reports == "named", min_group=settings.min_group
            ),
            months=completion_over_time(rows) if total is not None else [],
        )

    cache: ResultCache[CourseFigures] = services.caches.figures
    return await cache.get((course.id, tuple(page_ids), flt), compute)


async def _table_page(
    request: Request, course: Course, flt: reports.LearnerFilter, page: int
) -> list[reports.LearnerRow]:
    """One sorted page of the named learner table, cached like the figures."""
    services = services_of(request)
    page_ids = _page_ids(course)
    cache: ResultCache[list[reports.LearnerRow]] = services.caches.figures
    return await cache.get(
        ("table", course.id, tuple(page_ids), flt, page, TABLE_PAGE),
        lambda: reports.learners(
            services.db,
            course.id,
            page_ids,
            flt,
            limit=TABLE_PAGE,
            offset=(page - 1) * TABLE_PAGE,
        ),
    )


async def report_index(request: Request) -> Response:
    overview = []
    for course in courses(request):
        figures = await _course_figures(request, course, reports.LearnerFilter())
        overview.append((course, figures.total, figures.count))
    return render(request, "admin/reports.html", {"overview": overview})


async def report_course(request: Request) -> Response:
    services = services_of(request)
    settings = services.settings
    course = course_or_404(request, request.path_params["course_id"])
    flt, raw, errors = parse_filter(request)
    named = settings.reports == "named"
    page_raw = request.query_params.get("seite", "1")
    page = max(int(page_raw) if page_raw.isdigit() and 0 < len(page_raw) < 6 else 1, 1)
    # The figures and the table page are two independent reads of about 50 ms each at
    # 10,000 learners: run them side by side on two reader connections.
    if named:
        figures, rows = await asyncio.gather(
            _course_figures(request, course, flt), _table_page(request, course, flt, page)
        )
    else:
        figures, rows = await _course_figures(request, course, flt), []
    total, groups, months = figures.total, figures.groups, figures.months
    query = {k: v for k, v in raw.items() if v}
    pages = max(1, -(-figures.count // TABLE_PAGE))
    if page > pages:
        page = pages
        rows = await _table_page(request, course, flt, page) if named else []
    return render(
        request,
        "admin/report.html",
        {
            "course": course,
            "named": named,
            "total": total,
            "groups": groups,
            "months": months,
            "rows": rows,
            "row_count": figures.count,
            "page": page,
            "pages": pages,
            "sort_labels": SORT_LABELS,
            "raw": raw,
            "query": query,
            "errors": errors,
            "all_groups": await users.list_groups(services.db),
            "statuses": STATUS_LABELS,
            "sort_columns": reports.SORT_COLUMNS,
            "group_chart": bar_chart(
                [(g.label, g.completion_rate or 0.0) for g in groups.rows], maximum=100, unit="%"
            ),
            "month_chart": bar_chart([(m.month, float(m.completed)) for m in months]),
            "learner_columns": LEARNER_COLUMNS,
            "group_columns": GROUP_COLUMNS,
        },
    )


async def report_export(request: Request) -> Response:
    services = services_of(request)
    course = course_or_404(request, request.path_params["course_id"])
    flt, raw, _errors = parse_filter(request)
    fmt = request.query_params.get("format", "csv")
    if fmt not in FORMATS:
        fmt = "csv"
    delimiter = "," if request.query_params.get("delimiter") == "comma" else ";"
    info, columns, rows = await export_parts(
        services.db,
        services.settings,
        course_id=course.id,
        course_title=course.title,
        page_ids=_page_ids(course),
        flt=flt,
        filters={k: v for k, v in raw.items() if v and k not in ("sort", "dir")},
        now=services.clock(),
    )
    async with services.db.transaction() as tx:
        await audit(request, tx, "report.export", "course", course.id, {"format": fmt, **raw})
    filename = f"bericht-{course.id}.{fmt}".replace('"', "")
    return StreamingResponse(
        export_stream(fmt, info, columns, rows, delimiter=delimiter),
        media_type=MEDIA_TYPES[fmt],
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )


async def audit_log(request: Request) -> Response:
    services = services_of(request)
    raw = request.query_params.get("seite", "1")
    page = int(raw) if raw.isdigit() and 0 < len(raw) < 6 else 1
    page = max(page, 1)
    size = 100
    entries = await audit_store.list_entries(services.db, limit=size + 1, offset=(page - 1) * size)
    return render(
        request,
        "admin/audit.html",
        {"entries": entries[:size], "page": page, "more": len(entries) > size},
    )
