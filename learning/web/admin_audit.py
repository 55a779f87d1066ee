"""Admin: the audit log, filtered by action, person and days, and its CSV export."""

from __future__ import annotations

from datetime import date, datetime

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from learning.content.slug import slugify
from learning.core.text import clean_text
from learning.reports.audit_log import (
    ACTION_LABELS,
    AUDIT_COLUMNS,
    DateRange,
    action_label,
    actor_text,
    audit_filter,
    details_text,
    entry_rows,
    target_text,
)
from learning.reports.cells import ExportInfo
from learning.reports.documents import MEDIA_TYPES, export_stream
from learning.store import audit as audit_store
from learning.store import users
from learning.store.db import ExportsBusy
from learning.web.admin_common import audit, courses
from learning.web.admin_reports import EXPORTS_BUSY, SlotResponse
from learning.web.export_language import translated_columns
from learning.web.resolve import services_of
from learning.web.templating import render

PAGE_SIZE = 100
# An export holds at most this many entries (newest first); the facts say when cut.
EXPORT_LIMIT = 100_000


def _day(raw: str, label: str, errors: list[str]) -> date | None:
    if not raw:
        return None
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    errors.append(f"„{label}“ ist kein gültiges Datum (TT.MM.JJJJ oder JJJJ-MM-TT).")
    return None


def _query(request: Request) -> tuple[dict[str, str], DateRange, list[str]]:
    query = request.query_params
    raw = {
        k: clean_text(query.get(k, ""), max_length=120) for k in ("aktion", "person", "von", "bis")
    }
    errors: list[str] = []
    days = DateRange(_day(raw["von"], "Von", errors), _day(raw["bis"], "Bis", errors))
    # Echoed as the date field expects it (ISO), whichever way it was typed.
    raw["von"] = days.since.isoformat() if days.since else ""
    raw["bis"] = days.until.isoformat() if days.until else ""
    if days.since and days.until and days.since > days.until:
        errors.append("„Von“ liegt nach „Bis“: bitte den Zeitraum prüfen.")
    return raw, days, errors


def _course_titles(request: Request) -> dict[str, str]:
    return {c.id: c.title for c in courses(request)}


async def _names(request: Request) -> dict[str, dict[str, str]]:
    """Ids in the details, as names: courses by title, groups by name."""
    groups = {str(g.id): g.name for g in await users.list_groups(services_of(request).db)}
    return {"course": _course_titles(request), "group": groups, "group_id": groups}


async def audit_log(request: Request) -> Response:
    services = services_of(request)
    raw_page = request.query_params.get("seite", "1")
    page = max(int(raw_page) if raw_page.isdigit() and 0 < len(raw_page) < 6 else 1, 1)
    raw, days, errors = _query(request)
    flt = audit_filter(raw["aktion"], raw["person"], days, services.settings.timezone)
    entries = await audit_store.list_entries(
        services.db, flt, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE
    )
    gettext = services.translator.gettext
    titles = _course_titles(request)
    names = await _names(request)
    shown = [
        {
            "entry": e,
            "actor": actor_text(e, gettext),
            "action": action_label(e.action, gettext),
            "target": target_text(e, titles, gettext),
            "details": details_text(e.details, gettext, names),
        }
        for e in entries[:PAGE_SIZE]
    ]
    codes = sorted(set(ACTION_LABELS) | set(await audit_store.actions(services.db)))
    query = {k: v for k, v in raw.items() if v}
    return render(
        request,
        "admin/audit.html",
        {
            "entries": shown,
            "page": page,
            "more": len(entries) > PAGE_SIZE,
            "raw": raw,
            "query": query,
            "errors": errors,
            "actions": sorted(((c, action_label(c, gettext)) for c in codes), key=lambda p: p[1]),
        },
    )


async def audit_export(request: Request) -> Response:
    """The filtered log as a semicolon CSV for German Excel, newest entry first."""
    services = services_of(request)
    raw, days, errors = _query(request)
    if errors:
        raise HTTPException(400, " ".join(errors))
    settings = services.settings
    flt = audit_filter(raw["aktion"], raw["person"], days, settings.timezone)
    try:
        release = await services.db.export_slot()
    except ExportsBusy:
        raise HTTPException(503, EXPORTS_BUSY) from None
    now = services.clock()
    try:
        entries = await audit_store.list_entries(services.db, flt, limit=EXPORT_LIMIT + 1)
        names = await _names(request)
        async with services.db.transaction() as tx:
            await audit(
                request, tx, "audit.export", None, None, {k: v for k, v in raw.items() if v}
            )
    except BaseException:
        release()
        raise
    labels = {
        "Aktion": action_label(raw["aktion"], str) if raw["aktion"] else "",
        "Person": raw["person"],
        "von": days.since.strftime("%d.%m.%Y") if days.since else "",
        "bis": days.until.strftime("%d.%m.%Y") if days.until else "",
    }
    cut = len(entries) > EXPORT_LIMIT
    info = ExportInfo(
        title="Protokoll der Verwaltungsaktionen",
        mode="",
        min_group=0,
        filters=labels,
        generated_at=now,
        note=f"nur die neuesten {EXPORT_LIMIT} Einträge; bitte enger filtern" if cut else None,
        zone=settings.timezone,
    )
    name = _filename(raw, days, now.astimezone(settings.timezone).date())
    return SlotResponse(
        export_stream(
            "csv",
            info,
            translated_columns(AUDIT_COLUMNS, services_of(request).translator.translate),
            entry_rows(
                entries[:EXPORT_LIMIT],
                _course_titles(request),
                services_of(request).translator.translate,
                names,
            ),
        ),
        release=release,
        media_type=MEDIA_TYPES["csv"],
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


def _filename(raw: dict[str, str], days: DateRange, today: date) -> str:
    parts = [
        *([slugify(raw["aktion"])] if raw["aktion"] else []),
        *([f"person-{slugify(raw['person'])}"] if slugify(raw["person"]) else []),
        *([f"ab-{days.since.isoformat()}"] if days.since else []),
        *([f"bis-{days.until.isoformat()}"] if days.until else []),
    ]
    return "_".join(["protokoll", *(parts or ["alle"]), today.isoformat()]) + ".csv"
