"""Admin: completion reports per course, their exports, and the audit log."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from datetime import date

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.types import Receive, Scope, Send

from learning.content.model import Course
from learning.core.i18n import N_
from learning.core.text import clean_text
from learning.reports.assignment_status import parse_status
from learning.reports.documents import FORMATS, MEDIA_TYPES, export_stream
from learning.reports.export import (
    ASSIGNMENT_COLUMNS,
    GROUP_COLUMNS,
    LEARNER_COLUMNS,
    STATUS_COLUMNS,
    STATUS_LABELS,
    ReportView,
    export_filename,
    export_parts,
    filter_labels,
    report_view,
)
from learning.rules.assignments import STATUS_LABELS as ASSIGNMENT_LABELS
from learning.rules.assignments import Standing, local_day
from learning.rules.standings import course_standings
from learning.store import assignments, reports, users
from learning.store.db import ExportsBusy
from learning.web.admin_common import audit, courses
from learning.web.charts import bar_chart
from learning.web.export_language import translated_columns, translated_rows
from learning.web.report_cache import ResultCache
from learning.web.resolve import course_or_404, services_of
from learning.web.templating import render

log = logging.getLogger("learning.web")

# Ten minutes: a report of 10,000 learners is about 1.5 MB, so only a stalled client
# takes that long.
EXPORT_MAX_SECONDS = 600.0

EXPORTS_BUSY = N_("Gerade laufen zu viele Exporte, bitte gleich erneut versuchen.")

# 200 rows: a screenful to scan and sort, and cheap enough to render per request.
TABLE_PAGE = 200
SORT_LABELS = {
    "name": N_("Name"),
    "group": N_("Gruppe"),
    "status": N_("Status"),
    "progress": N_("Fortschritt"),
    "last_activity": N_("Letzte Aktivität"),
    "best_score": N_("Bestes Ergebnis"),
    "attempts": N_("Versuche"),
    "completed_at": N_("Abschlussdatum"),
}


def _date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def parse_filter(request: Request) -> tuple[reports.LearnerFilter, dict[str, str], list[str]]:
    """The filter from the query string, the values to echo, and German error messages."""
    query = request.query_params
    raw = {
        key: clean_text(query.get(key, ""), max_length=40)
        for key in ("group", "status", "pflicht", "from", "to", "sort", "dir")
    }
    errors: list[str] = []
    group_id = int(raw["group"]) if raw["group"].isdigit() and len(raw["group"]) < 12 else None
    if raw["group"] and group_id is None:
        errors.append(N_("Die gewählte Gruppe ist ungültig."))
        raw["group"] = ""
    status = next((s for s in reports.STATUSES if s == raw["status"]), None)
    if raw["status"] and status is None:
        errors.append(N_("Der gewählte Status ist ungültig."))
        raw["status"] = ""
    assignment = parse_status(raw["pflicht"])
    if raw["pflicht"] and assignment is None:
        errors.append("Der gewählte Pflicht-Status ist ungültig.")
        raw["pflicht"] = ""
    dates: dict[str, date | None] = {}
    bad_date = {
        "from": N_("„Letzte Aktivität von“ ist kein gültiges Datum (JJJJ-MM-TT)."),
        "to": N_("„bis“ ist kein gültiges Datum (JJJJ-MM-TT)."),
    }
    for key, problem in bad_date.items():
        try:
            dates[key] = _date(raw[key])
        except ValueError:
            errors.append(problem)
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
        assignment=assignment,
    )
    return flt, raw, errors


def _page_ids(course: Course) -> list[str]:
    return [page.id for page in course.content_pages]


async def _course_figures(
    request: Request, course: Course, flt: reports.LearnerFilter
) -> ReportView:
    services = services_of(request)
    page_ids = _page_ids(course)
    cache: ResultCache[ReportView] = services.caches.figures

    async def compute() -> ReportView:
        standings = await _standings(request, course)
        return await report_view(
            services.db, services.settings, course.id, page_ids, flt, standings
        )

    return await cache.get((course.id, tuple(page_ids), flt), compute)


async def _standings(request: Request, course: Course) -> dict[int, Standing]:
    """Each assigned learner's standing today (web/caches.py: for 30 s across commits)."""
    services = services_of(request)
    tz = services.settings.timezone
    today = local_day(services.clock(), tz)
    cache: ResultCache[dict[int, Standing]] = services.caches.standings
    return await cache.get(
        ("standings", course.id, today, await assignments.version(services.db)),
        lambda: course_standings(services.db, course.id, today, tz),
    )


async def _table_page(
    request: Request, course: Course, flt: reports.LearnerFilter, page: int
) -> list[reports.LearnerRow]:
    """One sorted page of the named learner table, cached like the figures."""
    services = services_of(request)
    page_ids = _page_ids(course)
    cache: ResultCache[list[reports.LearnerRow]] = services.caches.figures
    offset = (page - 1) * TABLE_PAGE

    async def compute() -> list[reports.LearnerRow]:
        if flt.assignment is None:
            return await reports.learners(
                services.db, course.id, page_ids, flt, limit=TABLE_PAGE, offset=offset
            )
        # The assignment status is computed in Python: filter all, then cut the page.
        standings = await _standings(request, course)
        every = await reports.learners(services.db, course.id, page_ids, flt)
        chosen = [
            r for r in every if (s := standings.get(r.user_id)) and s.status == flt.assignment
        ]
        return chosen[offset : offset + TABLE_PAGE]

    return await cache.get(("table", course.id, tuple(page_ids), flt, page, TABLE_PAGE), compute)


async def report_index(request: Request) -> Response:
    overview = []
    for course in courses(request):
        figures = await _course_figures(request, course, reports.LearnerFilter())
        overview.append((course, figures.total, figures.count))
    return render(request, "admin/reports.html", {"overview": overview})


async def report_course(request: Request) -> Response:
    course = course_or_404(request, request.path_params["course_id"])
    return await report_page(request, course, "admin/report.html", f"/admin/reports/{course.id}")


async def report_page(request: Request, course: Course, template: str, base: str) -> Response:
    """One course's report; the caller has checked that the user may see it."""
    services = services_of(request)
    settings = services.settings
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
    widened = False
    for key, value in (("from", figures.flt.since), ("to", figures.flt.until)):
        if value is not None and raw[key] != value.isoformat():
            raw[key], widened = value.isoformat(), True
    query = {k: v for k, v in raw.items() if v}
    standings = await _standings(request, course) if named else {}
    pages = max(1, -(-figures.count // TABLE_PAGE))
    if page > pages:
        page = pages
        rows = await _table_page(request, course, flt, page) if named else []
    return render(
        request,
        template,
        {
            "course": course,
            "report_base": base,
            "named": named,
            "total": total,
            "refusal": figures.refusal,
            "widened": widened,
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
                [
                    (g.label, g.completion_rate)
                    for g in groups.rows
                    if g.completion_rate is not None
                ],
                maximum=100,
                unit="%",
            ),
            "month_chart": bar_chart([(m.month, float(m.completed)) for m in months]),
            "learner_columns": (*LEARNER_COLUMNS, *ASSIGNMENT_COLUMNS)
            if standings
            else LEARNER_COLUMNS,
            "standings": standings,
            "assignment": figures.assignment,
            "group_status": figures.group_status,
            "assignment_statuses": ASSIGNMENT_LABELS,
            # The per-status columns only where someone in the course is assigned.
            "group_columns": GROUP_COLUMNS
            if figures.assignment
            else GROUP_COLUMNS[: -len(STATUS_COLUMNS)],
        },
    )


async def report_export(request: Request) -> Response:
    return await export_response(request, course_or_404(request, request.path_params["course_id"]))


async def export_response(request: Request, course: Course) -> Response:
    """One course's export; the caller has checked that the user may see it."""
    services = services_of(request)
    flt, raw, _errors = parse_filter(request)
    fmt = request.query_params.get("format", "csv")
    if fmt not in FORMATS:
        fmt = "csv"
    delimiter = "," if request.query_params.get("delimiter") == "comma" else ";"
    try:
        release = await services.db.export_slot()
    except ExportsBusy:
        raise HTTPException(503, EXPORTS_BUSY) from None
    now = services.clock()
    group_name = await _group_name(request, flt.group_id)
    try:
        info, columns, rows = await export_parts(
            services.db,
            services.settings,
            course_id=course.id,
            course_title=course.title,
            page_ids=_page_ids(course),
            flt=flt,
            filters=filter_labels(flt, group_name),
            now=now,
            standings=await _standings(request, course),
        )
        async with services.db.transaction() as tx:
            await audit(request, tx, "report.export", "course", course.id, {"format": fmt, **raw})
    except BaseException:
        release()
        raise
    filename = export_filename(
        "bericht",
        course.id,
        flt,
        group_name,
        day=now.astimezone(services.settings.timezone).date(),
        ext=fmt,
        variant="komma" if delimiter == "," and fmt == "csv" else "",
    )
    translate = services.translator.translate
    return SlotResponse(
        export_stream(
            fmt,
            info,
            translated_columns(columns, translate),
            translated_rows(rows, translate),
            delimiter=delimiter,
        ),
        release=release,
        media_type=MEDIA_TYPES[fmt],
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )


async def _group_name(request: Request, group_id: int | None) -> str | None:
    if group_id is None:
        return None
    groups = await users.list_groups(services_of(request).db)
    return next((g.name for g in groups if g.id == group_id), None)


class SlotResponse(StreamingResponse):
    """A download that gives its export slot back however it ends (done, dropped, failed)."""

    def __init__(
        self,
        content: AsyncIterator[bytes],
        *,
        release: Callable[[], None],
        media_type: str,
        headers: dict[str, str],
    ) -> None:
        super().__init__(content, media_type=media_type, headers=headers)
        self._release = release

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # A client that stops reading but keeps the connection open would hold its slot
        # for ever: after EXPORT_MAX_SECONDS the download is cut off and the slot freed.
        try:
            async with asyncio.timeout(EXPORT_MAX_SECONDS):
                await super().__call__(scope, receive, send)
        except TimeoutError:
            log.warning(
                "Export nach %s s abgebrochen: der Client liest zu langsam", EXPORT_MAX_SECONDS
            )
        finally:
            self._release()
