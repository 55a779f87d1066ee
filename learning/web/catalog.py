"""The course catalogue, the course overview and self-enrolment."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from learning.core.i18n import N_
from learning.rules.assignments import deadlines, effective, local_day
from learning.rules.progress import STATUS_LABELS, changed_since, course_progress
from learning.store import assignments, attempts
from learning.store import page_views as progress
from learning.web.admin_home import admin_home
from learning.web.flash import redirect
from learning.web.resolve import course_or_404, current_user, services_of
from learning.web.retirements import refresh_retirements
from learning.web.templating import render


async def catalogue(request: Request) -> Response:
    services = services_of(request)
    user = current_user(request)
    if user.role == "admin":
        return await admin_home(request)
    if user.role != "learner":
        return render(request, f"home_{user.role}.html")
    db = services.db
    await refresh_retirements(services)
    enrolled = await progress.enrolled_courses(db, user.id)
    seen = await progress.seen_pages_by_course(db, user.id)
    done = await attempts.completions(db, user.id)
    passed = await attempts.passed_courses(db, user.id)
    entries = []
    # Retired courses are no longer offered; Mein Lernstand still lists them.
    for course in services.catalog.offered if services.catalog else ():
        state = course_progress(
            course,
            seen.get(course.id, set()),
            test_passed=course.id in passed,
            completed=course.id in done,
        )
        entries.append({"course": course, "progress": state, "enrolled": course.id in enrolled})
    return render(
        request,
        "catalogue.html",
        {"entries": entries, "labels": STATUS_LABELS, "deadlines": await _deadlines(request)},
    )


async def _deadlines(request: Request) -> list[dict[str, object]]:
    """The signed-in learner's own assignments: what is due, late or valid until when."""
    services = services_of(request)
    tz = services.settings.timezone
    today = local_day(services.clock(), tz)
    rows = await assignments.learner_assignments(services.db, user_id=current_user(request).id)
    titles = (
        {course.id: course.title for course in services.catalog.courses} if services.catalog else {}
    )
    return [
        {"item": item, "title": titles.get(item.course_id, item.course_id)}
        for item in deadlines(effective(rows, today, tz))
    ]


async def overview(request: Request) -> Response:
    services = services_of(request)
    user = current_user(request)
    course = course_or_404(request)
    db = services.db
    await refresh_retirements(services)
    enrolled = await progress.is_enrolled(db, user.id, course.id)
    views = await progress.page_views(db, user.id, course.id) if enrolled else {}
    tries = await attempts.attempts(db, user.id, course.id) if enrolled else []
    completion = (await attempts.completions(db, user.id)).get(course.id) if enrolled else None
    passed = any(a.passed for a in tries)
    state = course_progress(
        course, views.keys(), test_passed=passed, completed=completion is not None
    )
    last = await progress.last_page(db, user.id, course.id) if enrolled else None
    resume = course.page(last) if last else None
    submitted = [a for a in tries if a.submitted]
    open_attempt = next((a for a in tries if not a.submitted), None)
    changed = changed_since(course, completion.page_hashes) if completion else []
    certificate = await attempts.certificate_for(db, user.id, course.id) if completion else None
    return render(
        request,
        "course.html",
        {
            "course": course,
            "enrolled": enrolled,
            "progress": state,
            "labels": STATUS_LABELS,
            "resume": resume,
            "first_page": course.content_pages[0] if course.content_pages else None,
            "submitted": submitted,
            "best": max((a.score or 0 for a in submitted), default=None),
            "attempts_left": max(course.max_attempts - len(tries), 0),
            "open_attempt": open_attempt,
            "test_passed": passed,
            "completion": completion,
            "changed": changed,
            "certificate": certificate,
            "retired": services.catalog is not None
            and services.catalog.retired_at(course.id) is not None,
        },
    )


async def enrol(request: Request) -> Response:
    services = services_of(request)
    user = current_user(request)
    course = course_or_404(request)
    if user.role != "learner":
        raise HTTPException(403, N_("Nur Teilnehmende können sich in Kurse einschreiben."))
    await refresh_retirements(services)
    if services.catalog is not None and services.catalog.retired_at(course.id) is not None:
        raise HTTPException(403, N_("Dieser Kurs wird nicht mehr angeboten."))
    if not course.open:
        raise HTTPException(
            403, N_("Für diesen Kurs werden Sie von der Administration eingeschrieben.")
        )
    async with services.db.transaction() as tx:
        await progress.enrol(tx, user.id, course.id, services.clock())
    first = course.content_pages[0] if course.content_pages else None
    if first is None:
        return RedirectResponse(f"/courses/{course.id}", status_code=303)
    return redirect(
        request,
        f"/courses/{course.id}/pages/{first.id}",
        N_("Sie sind eingeschrieben. Viel Erfolg!"),
        "success",
    )
