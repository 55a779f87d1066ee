"""Admin pages for groups: the list, creating one, enrolling a whole group."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from learning.core.i18n import N_
from learning.store import user_admin, users
from learning.store.db import NotFound
from learning.web.admin_common import audit, course_from_form, courses
from learning.web.flash import redirect
from learning.web.forms import field
from learning.web.resolve import int_param, services_of
from learning.web.templating import render


async def _groups_page(request: Request, errors: dict[str, str] | None = None) -> Response:
    """The group list; with errors (status 400) beside the form that had them."""
    services = services_of(request)
    context = {
        "groups": await user_admin.groups_with_counts(services.db),
        "courses": courses(request),
        "errors": errors or {},
    }
    return render(request, "admin/groups.html", context, status=400 if errors else 200)


async def group_list(request: Request) -> Response:
    return await _groups_page(request)


async def group_create(request: Request) -> Response:
    services = services_of(request)
    form = await request.form()
    name = field(form, "name", max_length=200)
    if not name:
        return await _groups_page(request, {"name": N_("Bitte geben Sie einen Gruppennamen ein.")})
    async with services.db.transaction() as tx:
        group_id = await users.get_or_create_group(tx, name, services.clock())
        await audit(request, tx, "group.create", "group", group_id, {"name": name})
    return redirect(request, "/admin/groups", N_("Die Gruppe ist angelegt."), "success")


async def group_enrol(request: Request) -> Response:
    services = services_of(request)
    group_id = int_param(request, "group_id")
    try:
        name = await user_admin.group_name(services.db, group_id)
    except NotFound:
        raise HTTPException(404, N_("Diese Gruppe gibt es nicht.")) from None
    if not field(await request.form(), "course", max_length=200):
        errors = {f"enrol-{group_id}": N_("Bitte wählen Sie einen Kurs.")}
        return await _groups_page(request, errors)
    course_id = await course_from_form(request)
    async with services.db.transaction() as tx:
        members = await user_admin.group_member_ids(tx, group_id)
        added = await user_admin.enrol(
            tx, members, course_id, by=request.state.user.id, now=services.clock()
        )
        await audit(
            request,
            tx,
            "enrolment.group",
            "group",
            group_id,
            {"course": course_id, "group": name, "added": added},
        )
    return redirect(
        request,
        "/admin/groups",
        N_("Die aktiven Konten der Gruppe sind eingeschrieben."),
        "success",
    )
