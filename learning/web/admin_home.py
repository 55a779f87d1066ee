"""The admin's start page: the figures an admin looks for first, then the way to each task."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from learning.core.i18n import N_
from learning.rules.assignments import local_day
from learning.rules.standings import overdue_count
from learning.store import admin_figures, assignments
from learning.web.admin_mail import failed_mail_figure
from learning.web.report_cache import ResultCache
from learning.web.resolve import services_of
from learning.web.templating import render


async def figures(request: Request) -> list[dict[str, Any]]:
    """The start page's figures, in order: each a label, a number and where it leads.

    The one place to add a figure (overdue enrolments, failed mails, ...): append a dict
    with "key", "label" (N_ text), "value" (int) and "href"; "alert" marks one needing work.
    """
    services = services_of(request)
    counts = await admin_figures.account_counts(services.db, services.clock())
    return [
        {
            "key": "learners",
            "label": N_("aktive Lernende"),
            "value": counts.learners,
            "href": "/admin/users?role=learner&active=1",
        },
        {
            "key": "enrolled",
            "label": N_("davon in mindestens einem Kurs eingeschrieben"),
            "value": counts.enrolled,
            "href": "/admin/reports",
        },
        {
            "key": "completed",
            "label": N_("abgeschlossene Kurse"),
            "value": counts.completed,
            "href": "/admin/reports",
        },
        {
            "key": "invited",
            "label": N_("offene Einladungen"),
            "value": counts.invited,
            "href": "/admin/users?role=learner&login=invited",
        },
        {
            "key": "never",
            "label": N_("Lernende, die sich nie angemeldet haben"),
            "value": counts.never,
            "href": "/admin/users?role=learner&login=never&active=1",
            "alert": counts.never > 0,
        },
        await _overdue(request),
        await failed_mail_figure(request),
    ]


async def _overdue(request: Request) -> dict[str, Any]:
    services = services_of(request)
    tz = services.settings.timezone
    today = local_day(services.clock(), tz)
    # Every learner's standing is the costly part: cached per day and assignment change.
    cache: ResultCache[int] = services.caches.standings
    late = await cache.get(
        ("overdue", today, await assignments.version(services.db)),
        lambda: overdue_count(services.db, today, tz),
    )
    return {
        "key": "overdue",
        "label": N_("Lernende mit überfälliger Pflichtschulung"),
        "value": late,
        "href": "/admin/assignments",
        "alert": late > 0,
    }


async def admin_home(request: Request) -> Response:
    return render(request, "home_admin.html", {"figures": await figures(request)})
