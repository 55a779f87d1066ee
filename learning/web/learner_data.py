"""Mein Lernstand, the learner's own data export (Art. 15 DSGVO) and private notes."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from learning.rules.progress import STATUS_LABELS, course_progress
from learning.store import answers, attempts
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
    """Everything stored about the caller, as JSON: only the caller's own rows."""
    services = services_of(request)
    user = current_user(request)
    db = services.db
    data: dict[str, Any] = {
        "format": "learning-personal-data/1",
        "exported_at": services.clock().isoformat(),
        "account": {
            "email": user.email,
            "name": user.name,
            "role": user.role,
            "group": user.group_name,
            "locale": user.locale,
            "created_at": user.created_at,
        },
        "enrolments": sorted(await progress.enrolled_courses(db, user.id)),
        "page_views": {},
        "reflections": [
            {
                "course": r.course_id,
                "question": r.question_id,
                "text": r.text,
                "updated_at": r.updated_at,
            }
            for r in await answers.reflections(db, user.id)
        ],
        "scenario_runs": [
            {
                "question": run.question_id,
                "path": run.path,
                "started_at": run.started_at,
                "finished_at": run.finished_at,
            }
            for run in await answers.scenario_paths(db, user.id)
        ],
        "test_attempts": [
            {
                "course": a.course_id,
                "started_at": a.started_at,
                "submitted_at": a.submitted_at,
                "score": a.score,
                "passed": a.passed,
            }
            for a in await attempts.attempts(db, user.id)
        ],
        "completions": [
            {"course": c.course_id, "completed_at": c.completed_at, "score": c.score}
            for c in (await attempts.completions(db, user.id)).values()
        ],
        "certificates": [
            {"code": c.code, "course": c.course_id, "issued_at": c.issued_at}
            for c in await attempts.certificates(db, user.id)
        ],
        "knowledge_checks": await answers.all_answers(db, user.id),
    }
    for course_id in data["enrolments"]:
        views = await progress.page_views(db, user.id, course_id)
        data["page_views"][course_id] = [
            {
                "page": v.page_id,
                "first_seen": v.first_seen,
                "last_seen": v.last_seen,
                "seconds": v.seconds,
                "views": v.views,
            }
            for v in views.values()
        ]
    body = json.dumps(data, ensure_ascii=False, indent=2)
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
