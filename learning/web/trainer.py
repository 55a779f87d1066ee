"""Trainer pages: compile status, page preview, orphaned ids and item analysis."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from learning.reporting import item_analysis, orphans
from learning.store import reports
from learning.web.admin_common import course_or_404, services_of
from learning.web.templating import render


def _compile_status(request: Request) -> list[dict[str, Any]]:
    catalog = services_of(request).catalog
    if catalog is None:
        return []
    status: list[dict[str, Any]] = []
    seen: set[str] = set()
    for course in catalog.courses:
        seen.add(course.id)
        result = catalog.diagnostics(course.id)
        status.append({"id": course.id, "course": course, "result": result})
    # Folders that never compiled have no live course, only a result.
    for folder, result in sorted(getattr(catalog, "results", {}).items()):
        if result.course is None and result.errors and folder not in seen:
            status.append({"id": folder, "course": None, "result": result})
    return status


async def trainer_index(request: Request) -> Response:
    return render(request, "trainer/index.html", {"status": _compile_status(request)})


def _question_ids(course: Any) -> list[str]:
    ids: list[str] = []
    for lesson in course.lessons:
        for page in lesson.pages:
            ids.extend(q.id for q in page.questions)
    return ids


async def trainer_course(request: Request) -> Response:
    services = services_of(request)
    course = course_or_404(request, request.path_params["course_id"])
    stored = await reports.stored_ids(services.db, course.id)
    page_ids = [p.id for lesson in course.lessons for p in lesson.pages]
    found = orphans(stored, page_ids, _question_ids(course))
    return render(
        request,
        "trainer/course.html",
        {"course": course, "orphans": found, "result": services.catalog.diagnostics(course.id)},  # type: ignore[union-attr]
    )


async def trainer_preview(request: Request) -> Response:
    course = course_or_404(request, request.path_params["course_id"])
    page = course.page(request.path_params["page_id"])
    if page is None:
        raise HTTPException(404, "Diese Seite gibt es in diesem Kurs nicht.")
    # Nothing is written here: a preview never records progress.
    return render(
        request,
        "trainer/preview.html",
        {"course": course, "page": page, "lesson": course.lesson_of(page.id)},
    )


async def trainer_items(request: Request) -> Response:
    services = services_of(request)
    settings = services.settings
    course = course_or_404(request, request.path_params["course_id"])
    responses = await reports.item_responses(services.db, course.id)
    labels: dict[str, dict[int, str]] = {}
    stems: dict[str, str] = {}
    test = course.test
    if test is not None:
        for page in test.pages:
            for q in page.questions:
                labels[q.id] = {o.position: o.text for o in q.options}
                stems[q.id] = q.stem_html
    items = item_analysis(responses, labels)
    aggregate = settings.reports == "aggregate"
    shown = [i for i in items if not aggregate or i.learners >= settings.min_group]
    return render(
        request,
        "trainer/items.html",
        {
            "course": course,
            "items": shown,
            "hidden": len(items) - len(shown),
            "stems": stems,
            "aggregate": aggregate,
        },
    )
