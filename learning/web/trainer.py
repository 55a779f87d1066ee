"""Trainer pages: compile status, page preview, orphaned ids, item analysis, retirement."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from learning.content.catalog import MISSING_CODE, Catalog
from learning.content.model import CompileResult, Course, Page, Question
from learning.content.orphans import find_orphans
from learning.core.i18n import N_
from learning.reports.items import AnswerKey, Choice, item_analysis
from learning.store import course_sources, course_trainers, reports
from learning.web import trainer_results
from learning.web.admin_common import audit
from learning.web.csrf import csrf_token
from learning.web.flash import redirect
from learning.web.lesson_page import with_page_parts
from learning.web.resolve import course_or_404, services_of
from learning.web.retirements import refresh_retirements
from learning.web.templating import render


def _compile_status(request: Request) -> list[dict[str, Any]]:
    catalog = services_of(request).catalog
    if catalog is None:
        return []
    status: list[dict[str, Any]] = []
    seen: set[str] = set()
    for course in catalog.courses:
        seen.add(course.id)
        status.append(_status(catalog, course.id, course))
    # Folders that never compiled have no live course, only a result.
    for folder, result in sorted(catalog.results.items()):
        if result.course is None and result.errors and not catalog.serves(folder):
            status.append(_status(catalog, folder, None, result))
    return status


def _status(
    catalog: Catalog, ident: str, course: Course | None, result: CompileResult | None = None
) -> dict[str, Any]:
    """What the trainer needs about one course: errors with first-seen, which version serves."""
    result = catalog.diagnostics(ident) if result is None else result
    folder = catalog.folder_of(ident) or ident
    retired_at = catalog.retired_at(ident) if course is not None else None
    if retired_at is not None:
        # Removing the folder of a retired course is expected, not an error.
        errors = tuple(d for d in result.errors if d.code != MISSING_CODE)
        result = CompileResult(result.course, errors, result.warnings)
    return {
        "id": ident,
        "course": course,
        "result": result,
        "since": {str(d): catalog.since(folder, d) for d in result.errors},
        "stored_at": catalog.stored_at(folder),
        "retired_at": retired_at,
    }


async def trainer_index(request: Request) -> Response:
    await refresh_retirements(services_of(request))
    own = await trainer_results.own_courses(request)
    return render(request, "trainer/index.html", {"status": _compile_status(request), "own": own})


async def trainer_course(request: Request) -> Response:
    services = services_of(request)
    await refresh_retirements(services)
    course = course_or_404(request, request.path_params["course_id"])
    stored = await reports.stored_ids(services.db, course.id)
    counts = {"page": stored.pages, "question": stored.questions}
    found = find_orphans(course, {kind: set(ids) for kind, ids in counts.items()})
    rows = []
    for entry in found:
        kind, _, ident = entry.partition(":")
        rows.append({"kind": kind, "id": ident, "learners": counts[kind][ident]})
    catalog = services.catalog
    status = _status(catalog, course.id, course) if catalog is not None else None
    visible = await trainer_results.visible_course_ids(request)
    admin = visible is None
    return render(
        request,
        "trainer/course.html",
        {
            "course": course,
            "orphans": rows,
            "status": status,
            "results": admin or course.id in (visible or ()),
            "trainers": await course_trainers.trainers_of(services.db, course.id) if admin else [],
            "candidates": await course_trainers.candidates(services.db, course.id) if admin else [],
        },
    )


async def _set_retired(request: Request, retire: bool) -> Response:
    """Take a course out of the offer (or back in): admins only, audited, effective at once."""
    services = services_of(request)
    course = course_or_404(request, request.path_params["course_id"])
    now = services.clock()
    async with services.db.transaction() as tx:
        if retire:
            changed = await course_sources.retire(tx, course.id, now)
        else:
            changed = await course_sources.reinstate(tx, course.id)
        if changed:
            action = "course.retire" if retire else "course.reinstate"
            await audit(request, tx, action, "course", course.id, {"via": "web"})
    if services.catalog is not None:
        services.catalog.set_retired(await course_sources.retirements(services.db))
    if retire:
        message = (
            N_("Der Kurs ist ausgemustert: er wird nicht mehr für neue Einschreibungen angeboten.")
            if changed
            else N_("Der Kurs war schon ausgemustert.")
        )
    else:
        message = (
            N_("Der Kurs wird wieder angeboten.")
            if changed
            else N_("Der Kurs war nicht ausgemustert.")
        )
    return redirect(request, f"/trainer/{course.id}", message, "success")


async def trainer_retire(request: Request) -> Response:
    return await _set_retired(request, True)


async def trainer_reinstate(request: Request) -> Response:
    return await _set_retired(request, False)


def _neighbours(pages: tuple[Page, ...], page: Page) -> tuple[Page | None, Page | None]:
    index = next(i for i, p in enumerate(pages) if p.id == page.id)
    previous = pages[index - 1] if index > 0 else None
    following = pages[index + 1] if index + 1 < len(pages) else None
    return previous, following


async def trainer_preview(request: Request) -> Response:
    """The learner's page template in preview mode: nothing is recorded, forms are inert."""
    course = course_or_404(request, request.path_params["course_id"])
    page = course.page(request.path_params["page_id"])
    lesson = None if page is None else course.lesson_of(page.id)
    if page is None or lesson is None:
        raise HTTPException(404, N_("Diese Seite gibt es in diesem Kurs nicht."))
    if lesson.kind == "test":
        # Learners never see a test page alone: the whole test, at this page's part.
        return redirect(request, f"/trainer/{course.id}/abschlusstest#teil-{page.id}")
    pages = course.content_pages if lesson.kind == "lesson" else lesson.pages
    prev_page, next_page = _neighbours(pages, page)
    services = services_of(request)
    context = {
        "course": course,
        "lesson": lesson,
        "page": page,
        "seen": set(),
        "index": lesson.pages.index(page) + 1,
        "prev_page": prev_page,
        "next_page": next_page,
        "is_last_of_lesson": lesson.pages[-1].id == page.id,
        "preview": True,
        "results": {},
        "notes": {},
        "runs": {},
    }
    parts = with_page_parts(
        services.templates,
        services.caches.questions,
        context,
        locale=request.state.locale,
        token=csrf_token(request),
    )
    return render(request, "page.html", parts)


async def trainer_test_preview(request: Request) -> Response:
    """The final test as learners' attempts show it: every part in one form, inert."""
    course = course_or_404(request, request.path_params["course_id"])
    test = course.test
    if test is None:
        raise HTTPException(404, N_("Dieser Kurs hat keinen Abschlusstest."))
    sections = [{"page": p, "drawn": test.draw_count(p)} for p in test.pages]
    count = sum(test.draw_count(p) for p in test.pages)
    context = {"course": course, "test": test, "sections": sections, "count": count}
    return render(request, "trainer/test_preview.html", context)


def _answer_key(question: Question, title: str) -> AnswerKey:
    """What the item analysis needs of a question: option texts, the right answer."""
    return AnswerKey(
        question.id,
        question.type,
        tuple(Choice(o.position, o.text, o.correct, o.order, o.match) for o in question.options),
        {c.position: c.text for c in question.match_choices},
        title,
    )


async def trainer_items(request: Request) -> Response:
    services = services_of(request)
    settings = services.settings
    course = await trainer_results.results_course(request)
    responses = await reports.item_responses(services.db, course.id)
    test = course.test
    # Course order: the test's pages in order, the questions of each page in order.
    keys = [
        _answer_key(q, page.title) for page in (test.pages if test else ()) for q in page.questions
    ]
    stems = {q.id: q.stem_html for page in (test.pages if test else ()) for q in page.questions}
    items = item_analysis(responses, keys)
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
