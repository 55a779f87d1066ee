"""Admin: assign a course to a group or a person with a due date; list and remove.

Creating one enrols the learners it reaches and queues each an assignment notice,
all in one transaction with the audit row: a bad field, an empty or missing group or
a course already assigned writes nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from learning.core.i18n import N_
from learning.mail.queue import queue_mail
from learning.rules.assignments import due_from, first_due, local_day
from learning.store import assignments, user_admin, users
from learning.store.assignments import AlreadyAssigned, DueRule
from learning.store.db import Transaction
from learning.web.admin_common import audit, courses
from learning.web.assignment_form import AssignmentInput, read_form
from learning.web.flash import redirect
from learning.web.resolve import int_param, services_of
from learning.web.templating import render

DEFAULTS = {"target": "group", "due_kind": "date"}


async def _context(request: Request, form: AssignmentInput | None) -> dict[str, Any]:
    db = services_of(request).db
    every = await assignments.list_assignments(db, include_removed=True)
    titles = {course.id: course.title for course in courses(request)}
    return {
        "courses": courses(request),
        "titles": titles,
        "groups": await user_admin.groups_with_counts(db),
        "live": [a for a in every if a.removed_at is None],
        "removed": [a for a in every if a.removed_at is not None],
        "values": DEFAULTS if form is None else form.values,
        "errors": {} if form is None else form.errors,
    }


async def assignment_list(request: Request) -> Response:
    return render(request, "admin/assignments.html", await _context(request, None))


async def _check_target(request: Request, tx: Transaction, form: AssignmentInput) -> list[int]:
    """The learners the assignment reaches; an error on the form if there are none."""
    if form.group_id is not None:
        if not await users.group_exists(tx, form.group_id):
            form.errors["group"] = N_("Diese Gruppe gibt es nicht (mehr).")
            return []
        learners = await assignments.target_learners(tx, group_id=form.group_id)
        if not learners:
            form.errors["group"] = N_(
                "Die Gruppe hat keine aktiven Lernenden: niemand bekäme den Kurs zugewiesen."
            )
        return learners
    person = await users.find_user_by_email(services_of(request).db, form.values["email"])
    if person is None or person.role != "learner" or not person.active:
        form.errors["email"] = N_("Unter dieser Adresse gibt es kein aktives Konto als Lernende/r.")
        return []
    return [person.id]


async def assignment_create(request: Request) -> Response:
    services = services_of(request)
    now = services.clock()
    form = read_form(await request.form(), local_day(now, services.settings.timezone))
    course = services.catalog.get(form.values["course"]) if services.catalog else None
    if form.values["course"] and course is None:
        form.errors["course"] = N_("Diesen Kurs gibt es nicht.")
    me = request.state.user
    async with services.db.transaction() as tx:
        learners = await _check_target(request, tx, form)
        if form.errors or course is None or form.due is None:
            return await _refuse(request, form)
        try:
            aid = await assignments.create(
                tx,
                course_id=course.id,
                group_id=form.group_id,
                user_id=learners[0] if form.group_id is None else None,
                due=form.due,
                renew_months=form.renew_months,
                reminders=form.reminders,
                by=me.id,
                now=now,
            )
        except AlreadyAssigned:
            form.errors["course"] = N_(
                "Dieser Kurs ist hier schon zugewiesen. Entfernen Sie die bestehende Zuweisung"
                " zuerst, wenn Sie die Frist ändern möchten."
            )
            return await _refuse(request, form)
        await assignments.enrol_targets(tx, learners, course.id, by=me.id, now=now)
        await notify(request, tx, learners, course.id, form.due, form.renew_months)
        await audit(
            request,
            tx,
            "assignment.create",
            "assignment",
            aid,
            {"course": course.id, "learners": len(learners), **_rule(form)},
        )
    return redirect(request, "/admin/assignments", N_("Der Kurs ist zugewiesen."), "success")


def _rule(form: AssignmentInput) -> dict[str, object]:
    due = form.due
    return {
        "group_id": form.group_id,
        "due_on": None if due is None or due.on is None else due.on.isoformat(),
        "due_days": None if due is None else due.days,
        "renew_months": form.renew_months,
        "reminders": form.reminders,
    }


async def _refuse(request: Request, form: AssignmentInput) -> Response:
    # Raising inside the transaction would roll it back too; nothing was written yet.
    return render(request, "admin/assignments.html", await _context(request, form), status=400)


async def notify(
    request: Request,
    tx: Transaction,
    learners: list[int],
    course_id: str,
    due: DueRule,
    renew_months: int | None,
) -> None:
    """Queue an assignment notice to each learner of a new assignment."""
    services = services_of(request)
    due_on = due_from(due, services.clock(), services.settings.timezone)
    for uid in learners:
        await _notice(request, tx, uid, course_id, due_on, renew_months)


async def notify_joined(
    request: Request, tx: Transaction, user_id: int, course_ids: list[str] | None
) -> None:
    """Queue notices for the group courses a learner was just enrolled in by joining.

    `course_ids` None: every assignment the learner has (a new account).
    """
    if course_ids == []:
        return
    tz = services_of(request).settings.timezone
    rows = await assignments.learner_assignments(tx, user_id=user_id)
    for row in rows:
        if course_ids is None or row.course_id in course_ids:
            await _notice(request, tx, user_id, row.course_id, first_due(row, tz), row.renew_months)


async def _notice(
    request: Request,
    tx: Transaction,
    user_id: int,
    course_id: str,
    due: date,
    renew_months: int | None,
) -> None:
    services = services_of(request)
    course = services.catalog.get(course_id) if services.catalog else None
    person = await users.get_user(tx, user_id)
    await queue_mail(
        tx,
        kind="assignment_notice",
        to_user_id=user_id,
        to_address=person.email,
        language=person.locale or "de",
        context={
            "name": person.name,
            "course": course.title if course else course_id,
            "due": due,
            "renew_months": renew_months,
            "course_url": f"{services.settings.public_url}/courses/{course_id}",
        },
        caused_by=request.state.user.id if request.state.user else None,
        now=services.clock(),
    )


async def assignment_remove(request: Request) -> Response:
    services = services_of(request)
    aid = int_param(request, "assignment_id")
    async with services.db.transaction() as tx:
        found = await assignments.get(tx, aid)
        if found is None:
            raise HTTPException(404, N_("Diese Zuweisung gibt es nicht."))
        if not await assignments.remove(tx, aid, by=request.state.user.id, now=services.clock()):
            return redirect(
                request, "/admin/assignments", N_("Die Zuweisung war schon entfernt."), "info"
            )
        await audit(
            request,
            tx,
            "assignment.remove",
            "assignment",
            aid,
            {"course": found.course_id, "group_id": found.group_id, "user_id": found.user_id},
        )
    return redirect(
        request,
        "/admin/assignments",
        N_("Die Zuweisung ist entfernt. Abschlüsse und Fortschritt bleiben erhalten."),
        "success",
    )
