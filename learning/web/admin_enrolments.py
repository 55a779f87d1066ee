"""Admin: un-enrol a learner (history kept) and a course's participants.

The participant list names people only in named report mode; aggregate mode shows
the counts per group under the same k rules as the reports.
"""

from __future__ import annotations

from collections import Counter

from starlette.requests import Request
from starlette.responses import Response

from learning.core.i18n import N_
from learning.store import enrolment_history
from learning.web.admin_common import audit, course_from_form
from learning.web.flash import redirect
from learning.web.resolve import course_or_404, services_of, user_or_404
from learning.web.templating import render


async def user_unenrol(request: Request) -> Response:
    services = services_of(request)
    user = await user_or_404(request)
    course_id = await course_from_form(request)
    async with services.db.transaction() as tx:
        removed = await enrolment_history.unenrol(
            tx, user.id, course_id, by=request.state.user.id, now=services.clock()
        )
        if removed:
            await audit(request, tx, "enrolment.remove", "user", user.id, {"course": course_id})
    message = (
        N_("Abgemeldet. Was die Person im Kurs erreicht hat, bleibt erhalten.")
        if removed
        else N_("Die Person war in diesem Kurs nicht eingeschrieben.")
    )
    return redirect(request, f"/admin/users/{user.id}", message, "success" if removed else "info")


async def course_participants(request: Request) -> Response:
    services = services_of(request)
    course = course_or_404(request)
    people = await enrolment_history.participants(services.db, course.id)
    named = services.settings.reports == "named"
    k = services.settings.min_group
    counts = Counter(p.group_name or "" for p in people)
    # Aggregate mode: groups below k are not listed, only counted together.
    shown = sorted((g, n) for g, n in counts.items() if n >= k)
    hidden = sum(n for g, n in counts.items() if n < k)
    return render(
        request,
        "admin/participants.html",
        {
            "course": course,
            "named": named,
            "people": people if named else [],
            "total": len(people) if named or len(people) >= k else None,
            "groups": shown,
            "hidden": hidden,
            "min_group": k,
        },
    )
