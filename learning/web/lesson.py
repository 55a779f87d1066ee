"""Lesson pages: reading, knowledge checks, reflections and case scenarios."""

from __future__ import annotations

import sys
from datetime import datetime

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from learning.content.model import Course, Question
from learning.core.i18n import N_
from learning.rules import grading
from learning.rules.progress import neighbours
from learning.store import answers
from learning.store import page_views as progress
from learning.store.db import Transaction
from learning.store.users import User
from learning.web.certificates import complete_and_announce
from learning.web.csrf import csrf_token
from learning.web.flash import has_flash, redirect
from learning.web.forms import checked_text
from learning.web.kept_forms import redirect_keeping
from learning.web.lesson_page import with_page_parts
from learning.web.lesson_shell import page_path
from learning.web.option_order import orders_for
from learning.web.resolve import course_or_404, current_user, page_or_404, services_of
from learning.web.templating import render

MAX_REFLECTION = 10_000
NOT_ENROLLED = N_(
    "Sie sind in diesen Kurs nicht eingeschrieben. Bitte schreiben Sie sich zuerst ein."
)


async def _require_enrolment(request: Request, course: Course, user: User) -> None:
    if not await progress.is_enrolled(services_of(request).db, user.id, course.id):
        raise HTTPException(403, NOT_ENROLLED)


async def page_state(
    request: Request, course: Course, user_id: int, questions: tuple[Question, ...]
) -> dict[str, object]:
    db = services_of(request).db
    graded_ids = [q.id for q in questions if q.type not in ("scenario", "reflection")]
    scenario_ids = [q.id for q in questions if q.type == "scenario"]
    # Most pages hold no question of a kind: skip its query rather than ask for nothing.
    latest = await answers.latest_answers(db, user_id, course.id, graded_ids) if graded_ids else {}
    notes = (
        {r.question_id: r for r in await answers.reflections(db, user_id, course.id)}
        if any(q.type == "reflection" for q in questions)
        else {}
    )
    runs = await answers.latest_runs(db, user_id, course.id, scenario_ids) if scenario_ids else {}
    results = {}
    for q in questions:
        if q.id in latest:
            stored, count = latest[q.id]
            results[q.id] = {
                "grade": grading.grade(q, stored.response),
                "response": stored.response,
                "count": count,
            }
    steps = {qid: run.current_step for qid, run in runs.items()}
    # The order this learner sees each question's options in (web/option_order.py).
    orders = orders_for(services_of(request).signer, user_id, questions, steps)
    return {"results": results, "notes": notes, "runs": runs, "orders": orders}


async def show_page(request: Request) -> Response:
    services = services_of(request)
    user = current_user(request)
    course = course_or_404(request)
    page = page_or_404(course, request.path_params["page_id"])
    if user.role != "learner":
        return redirect(request, f"/trainer/{course.id}/preview/{page.id}")
    state = await progress.lesson_state(services.db, user.id, course.id)
    if not state.enrolled:
        raise HTTPException(403, NOT_ENROLLED)
    session = request.state.session
    now = services.clock()
    previous = None
    if session.last_page_id and session.last_page_at and session.last_page_course:
        previous = (session.last_page_course, session.last_page_id, session.last_page_at)
    # Group commit: this returns once the view is committed, together with the views
    # of whoever else asked in the same moment.
    await services.page_views.submit(
        progress.PageViewWrite(user.id, session.id_hash, course.id, page.id, now, previous)
    )
    if state.completion_due:
        async with services.db.transaction() as tx:
            await complete_and_announce(request, tx, course, user, now)
    lesson = course.lesson_of(page.id)
    assert lesson is not None  # noqa: S101 - page_or_404 guarantees it
    prev_page, next_page = neighbours(course, page)
    answered = await page_state(request, course, user.id, page.questions)
    context = {
        "course": course,
        "lesson": lesson,
        "page": page,
        # Read before this view was recorded: the page being read counts as seen.
        "seen": state.seen | {page.id},
        "index": lesson.pages.index(page) + 1,
        "prev_page": prev_page,
        "next_page": next_page,
        "is_last_of_lesson": lesson.pages[-1].id == page.id,
        "preview": False,
        **answered,
    }
    locale, token = request.state.locale, csrf_token(request)
    shells = services.caches.shells
    if shells is None or has_flash(request) or request.url.path != page_path(course, page):
        parts = with_page_parts(
            services.templates, services.caches.questions, context, locale=locale, token=token
        )
        return render(request, "page.html", parts)
    body = shells.render(
        course=course,
        lesson=lesson,
        page=page,
        locale=locale,
        user_name=user.name,
        token=token,
        context=context,
    )
    return HTMLResponse(body)


def _checked(
    question: Question, form: FormData, empty: str
) -> tuple[dict[str, object] | None, tuple[str, str] | None]:
    """The learner's answer, or (field, message) saying what is wrong with it."""
    try:
        response = grading.parse_answer(question, _multi(form))
    except grading.AnswerError as exc:
        return None, (exc.field or question.id, exc.message)
    if response is None:
        return None, (question.id, empty)
    return response, None


def _question(course: Course, page_id: str, question_id: str) -> Question:
    page = page_or_404(course, page_id)
    question = next((q for q in page.questions if q.id == question_id), None)
    if question is None:
        raise HTTPException(404)
    return question


async def _posted_question(request: Request) -> tuple[User, Course, Question, FormData, str]:
    """Resolve and authorise a question form post: who, which course and question, the form."""
    user = current_user(request)
    course = course_or_404(request)
    page_id = request.path_params["page_id"]
    question = _question(course, page_id, request.path_params["question_id"])
    await _require_enrolment(request, course, user)
    form = await request.form()
    return user, course, question, form, f"/courses/{course.id}/pages/{page_id}"


async def answer(request: Request) -> Response:
    services = services_of(request)
    user, course, question, form, page_url = await _posted_question(request)
    now = services.clock()

    if question.type == "reflection":
        raw = form.get(question.id)
        text = checked_text(
            raw if isinstance(raw, str) else "", max_length=MAX_REFLECTION, multiline=True
        )
        if not text:
            empty = (question.id, N_("Bitte schreiben Sie zuerst etwas in das Feld."))
            return await redirect_keeping(request, page_url, form, errors=[empty])
        async with services.db.transaction() as tx:
            await answers.save_reflection(
                tx,
                user_id=user.id,
                course_id=course.id,
                question_id=question.id,
                text=text,
                now=now,
            )
        return redirect(
            request,
            f"{page_url}#result-{question.id}",
            N_("Ihre Notiz ist gespeichert. Nur Sie können sie sehen."),
            "success",
        )

    if question.type == "scenario":
        raise HTTPException(404)

    response, error = _checked(question, form, N_("Bitte wählen oder schreiben Sie eine Antwort."))
    if response is None or error is not None:
        # Shown inside the question and in a summary; the learner's selections stay.
        return await redirect_keeping(request, page_url, form, errors=[error] if error else [])
    result = grading.grade(question, response)
    # Group commit: the redirect is sent only after the COMMIT that holds this answer.
    await services.answers.submit(
        answers.NewAnswer(
            user.id,
            course.id,
            question.id,
            course.content_hash,
            result.response,
            result.correct,
            now,
        )
    )
    return redirect(request, f"{page_url}#result-{question.id}")


def _multi(form: FormData) -> dict[str, list[str]]:
    """Every answer value, refused on control characters; grading says what is too long."""
    result: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if isinstance(value, str):
            # No length bound here: the body limit caps it, and grading's "zu lang" is clearer.
            text = checked_text(value, max_length=sys.maxsize, strip=False, multiline=True)
            result.setdefault(key, []).append(text)
    return result


async def scenario_choice(request: Request) -> Response:
    services = services_of(request)
    user, course, question, form, page_url = await _posted_question(request)
    if question.type != "scenario":
        raise HTTPException(404)
    now = services.clock()
    restart = form.get("restart") == "1"
    response, error = _checked(question, form, N_("Bitte wählen Sie eine Möglichkeit."))
    async with services.db.transaction() as tx:
        run = await answers.current_run_for_update(tx, user.id, course.id, question.id)
        if restart or run is None:
            run_id = await answers.start_run(
                tx,
                user_id=user.id,
                course_id=course.id,
                question_id=question.id,
                content_hash=course.content_hash,
                start_step=question.start_step,
                now=now,
            )
            if restart:
                return redirect(request, f"{page_url}#scenario-{question.id}-step")
            run = answers.ScenarioRun(
                run_id, question.id, [], question.start_step, "", None, course.content_hash
            )
        if run.finished_at is not None:
            return redirect(request, f"{page_url}#scenario-{question.id}-step")
        step_sent = form.get("step")
        if step_sent != run.current_step or run.current_step not in question.steps:
            # A stale form (back button, second tab): show where the run really is.
            return redirect(
                request,
                f"{page_url}#scenario-{question.id}-step",
                N_("Dieser Schritt wurde bereits beantwortet. Hier geht es weiter."),
                "info",
            )
        if response is None or error is not None:
            invalid = error
        else:
            invalid = None
            await _advance(tx, question, run, response, now)
    if invalid is not None:
        return await redirect_keeping(request, page_url, form, errors=[invalid])
    return redirect(request, f"{page_url}#scenario-{question.id}-step")


async def _advance(
    tx: Transaction,
    question: Question,
    run: answers.ScenarioRun,
    response: dict[str, object],
    now: datetime,
) -> None:
    target = str(response["target"])
    path = [*run.path, {"step": run.current_step, "option": response["option"], "target": target}]
    await answers.advance_run(
        tx, run.id, path=path, current_step=target, finished=question.steps[target].is_end, now=now
    )
