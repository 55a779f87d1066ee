"""Mein Lernstand, the learner's own data export (Art. 15 DSGVO) and private notes."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import Response

from learning.rules.progress import STATUS_LABELS, course_progress
from learning.store import answers, attempts, privacy
from learning.store import page_views as progress
from learning.web.resolve import current_user, services_of
from learning.web.templating import render


async def overview(request: Request) -> Response:
    services = services_of(request)
    user = current_user(request)
    db = services.db
    enrolled = await progress.enrolled_courses(db, user.id)
    seen = await progress.seen_pages_by_course(db, user.id)
    spent = await progress.time_spent(db, user.id)
    done = await attempts.completions(db, user.id)
    tries = await attempts.attempts(db, user.id)
    certificates = {c.course_id: c for c in await attempts.certificates(db, user.id)}
    rows = []
    for course in services.catalog.courses if services.catalog else ():
        if course.id not in enrolled:
            continue
        mine = [a for a in tries if a.course_id == course.id and a.submitted]
        state = course_progress(
            course,
            seen.get(course.id, set()),
            test_passed=any(a.passed for a in mine),
            completed=course.id in done,
        )
        rows.append(
            {
                "course": course,
                "progress": state,
                "minutes": round(spent.get(course.id, 0) / 60),
                "best": max((a.score or 0.0 for a in mine), default=None),
                "attempts": len(mine),
                "completion": done.get(course.id),
                "certificate": certificates.get(course.id),
            }
        )
    return render(request, "my_progress.html", {"rows": rows, "labels": STATUS_LABELS})


async def export(request: Request) -> Response:
    """Everything stored about the caller (Art. 15 DSGVO): the admin's export, same function."""
    services = services_of(request)
    user = current_user(request)
    data = await privacy.export_learner(services.db, user.id, now=services.clock())
    body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    return Response(
        body,
        media_type="application/json",
        headers={"content-disposition": 'attachment; filename="meine-lerndaten.json"'},
    )


async def notes(request: Request) -> Response:
    services = services_of(request)
    user = current_user(request)
    entries = []
    catalog = services.catalog
    for note in await answers.reflections(services.db, user.id):
        course = catalog.get(note.course_id) if catalog else None
        question = course.question(note.question_id) if course else None
        page = None
        if course is not None:
            page = next((p for p in course.content_pages if question in p.questions), None)
        entries.append({"note": note, "course": course, "question": question, "page": page})
    return render(request, "notes.html", {"entries": entries})
