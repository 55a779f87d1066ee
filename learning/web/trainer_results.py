"""Results a trainer may see: the report and item analysis of the courses assigned to them.

The rule: admins see every course; a trainer sees the results of a course only when an
admin has assigned them to it (`course_trainers`), under the same report mode as admins.
Content, preview and errors of every course stay open to every trainer.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from learning.content.model import Course
from learning.core.i18n import N_
from learning.store import course_trainers
from learning.web.admin_common import audit, courses
from learning.web.admin_reports import export_response, report_page
from learning.web.flash import redirect
from learning.web.forms import field
from learning.web.resolve import course_or_404, services_of

NOT_YOURS = N_(
    "Die Ergebnisse dieses Kurses sehen nur die ihm zugeordneten Trainer:innen und Admins."
)


async def visible_course_ids(request: Request) -> frozenset[str] | None:
    """The courses whose results the user may see; None: all (admins)."""
    user = request.state.user
    if user is not None and user.role == "admin":
        return None
    if user is None or user.role != "trainer":
        return frozenset()
    return await course_trainers.course_ids_of(services_of(request).db, user.id)


async def results_course(request: Request) -> Course:
    """The course of the path, if the user may see its results: else 404 or 403."""
    course = course_or_404(request, request.path_params["course_id"])
    visible = await visible_course_ids(request)
    if visible is not None and course.id not in visible:
        raise HTTPException(403, NOT_YOURS)
    return course


async def own_courses(request: Request) -> list[Course]:
    visible = await visible_course_ids(request)
    return [c for c in courses(request) if visible is None or c.id in visible]


async def trainer_report(request: Request) -> Response:
    course = await results_course(request)
    return await report_page(
        request, course, "trainer/report.html", f"/trainer/{course.id}/bericht"
    )


async def trainer_report_export(request: Request) -> Response:
    return await export_response(request, await results_course(request))


async def _trainer_id(request: Request) -> int:
    form = await request.form()
    raw = field(form, "trainer", max_length=18)
    if not raw.isdigit():
        raise HTTPException(400, N_("Bitte wählen Sie eine Trainerin oder einen Trainer."))
    return int(raw)


async def assign_trainer(request: Request) -> Response:
    """Admins: give a trainer the results of this course (audited)."""
    services = services_of(request)
    course = course_or_404(request, request.path_params["course_id"])
    user_id = await _trainer_id(request)
    async with services.db.transaction() as tx:
        added = await course_trainers.assign(tx, course.id, user_id, services.clock())
        if added:
            await audit(
                request, tx, "course.trainer_assign", "user", user_id, {"course": course.id}
            )
    if not added:
        message = N_("Dieses Konto ist keine Trainerin / kein Trainer oder schon zugeordnet.")
        return redirect(request, f"/trainer/{course.id}#trainers-title", message, "error")
    return redirect(request, f"/trainer/{course.id}#trainers-title", N_("Zugeordnet."), "success")


async def unassign_trainer(request: Request) -> Response:
    services = services_of(request)
    course = course_or_404(request, request.path_params["course_id"])
    user_id = int(request.path_params["user_id"])
    async with services.db.transaction() as tx:
        removed = await course_trainers.unassign(tx, course.id, user_id)
        if removed:
            await audit(
                request, tx, "course.trainer_unassign", "user", user_id, {"course": course.id}
            )
    message = N_("Die Zuordnung ist aufgehoben.") if removed else N_("Das war nicht zugeordnet.")
    return redirect(request, f"/trainer/{course.id}#trainers-title", message, "success")
