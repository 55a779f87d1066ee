"""The final test: start an attempt, answer all questions in one form, submit once."""

from __future__ import annotations

import random
import secrets
from datetime import datetime

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from learning.content.model import Course, Lesson, Question
from learning.core.clock import from_db
from learning.core.i18n import N_
from learning.rules import grading, timing
from learning.rules.progress import course_progress
from learning.rules.renewal import open_renewal
from learning.rules.reveal import may_reveal
from learning.store import attempts, drafts, renewals
from learning.store import page_views as progress
from learning.store.db import NotFound
from learning.web.certificates import complete_and_announce
from learning.web.flash import redirect
from learning.web.kept_forms import redirect_keeping
from learning.web.lesson import _multi
from learning.web.resolve import course_or_404, current_user, int_param, services_of
from learning.web.templating import render
from learning.web.test_answers import answers_only, invalid_answers, prefill, unanswered
from learning.web.test_items import TestItem, items_of, snapshot

__all__ = ["attempt_form", "intro", "result", "snapshot", "start", "submit"]


async def intro(request: Request) -> Response:
    services = services_of(request)
    user = current_user(request)
    course = course_or_404(request)
    if course.test is None or not await progress.is_enrolled(services.db, user.id, course.id):
        raise HTTPException(404)
    tries = await attempts.attempts(services.db, user.id, course.id)
    open_attempt = next((a for a in tries if not a.submitted), None)
    question_count = sum(course.test.draw_count(p) for p in course.test.pages)
    renewal = await open_renewal(
        services.db, user.id, course.id, services.clock(), services.settings.timezone
    )
    # A renewal starts afresh: its attempts are those after the certificate was issued.
    counted = (
        tries if renewal is None else [a for a in tries if from_db(a.started_at) > renewal.since]
    )
    return render(
        request,
        "test_intro.html",
        {
            "course": course,
            "tries": [a for a in tries if a.submitted],
            "open_attempt": open_attempt,
            "attempts_left": max(course.max_attempts - len(counted), 0),
            "question_count": question_count,
            "passed": any(a.passed for a in counted),
            "renewal": renewal,
        },
    )


async def start(request: Request) -> Response:
    services = services_of(request)
    user = current_user(request)
    course = course_or_404(request)
    if course.test is None or not await progress.is_enrolled(services.db, user.id, course.id):
        raise HTTPException(404)
    items, shuffle = snapshot(course, random.Random(secrets.randbits(64)))  # noqa: S311 - shuffling, not secrecy
    now = services.clock()
    extra = await drafts.extra_time(services.db, user.id)
    end = timing.deadline(now, course.test.time_limit, extra.minutes, extra.percent)
    renewal = await open_renewal(services.db, user.id, course.id, now, services.settings.timezone)
    async with services.db.transaction() as tx:
        existing = await attempts.open_attempt_in(tx, user.id, course.id)
        if existing is not None:
            attempt_id = existing
        else:
            used = (
                await attempts.count_attempts_in(tx, user.id, course.id)
                if renewal is None
                else await renewals.attempts_since(tx, user.id, course.id, renewal.since)
            )
            if used >= course.max_attempts:
                return redirect(
                    request,
                    f"/courses/{course.id}/test",
                    N_("Sie haben alle Versuche für diesen Test verbraucht."),
                    "error",
                )
            attempt_id = await attempts.create_attempt(
                tx,
                user_id=user.id,
                course_id=course.id,
                content_hash=course.content_hash,
                questions=items,
                shuffle=shuffle,
                now=now,
                deadline=end,
            )
    return RedirectResponse(f"/courses/{course.id}/test/{attempt_id}", status_code=303)


async def _own_attempt(request: Request) -> tuple[Course, attempts.Attempt]:
    services = services_of(request)
    user = current_user(request)
    course = course_or_404(request)
    try:
        attempt = await attempts.get_attempt(
            services.db, int_param(request, "attempt_id"), user_id=user.id, course_id=course.id
        )
    except NotFound:
        raise HTTPException(404) from None
    return course, attempt


async def attempt_form(request: Request) -> Response:
    services = services_of(request)
    course, attempt = await _own_attempt(request)
    if attempt.submitted:
        return RedirectResponse(f"/courses/{course.id}/test/{attempt.id}/ergebnis", status_code=303)
    items = items_of(attempt)
    saved = await drafts.draft(services.db, attempt.id, attempt.user_id)
    sections: list[tuple[str, list[tuple[TestItem, object]]]] = []
    for item in items:
        if not sections or sections[-1][0] != item.section:
            sections.append((item.section, []))
        sections[-1][1].append((item, prefill(item.question, saved)))
    return render(
        request,
        "test_attempt.html",
        {
            "course": course,
            "attempt": attempt,
            "sections": sections,
            "count": len(items),
            **_time_context(attempt, services.clock()),
        },
    )


def _time_context(attempt: attempts.Attempt, now: datetime) -> dict[str, object]:
    if attempt.deadline is None:
        return {"deadline": None}
    end = from_db(attempt.deadline)
    return {
        "deadline": attempt.deadline,
        "minutes_left": timing.minutes_left(end, now),
        "time_over": now > end,
    }


async def submit(request: Request) -> Response:
    services = services_of(request)
    user = current_user(request)
    course, attempt = await _own_attempt(request)
    result_url = f"/courses/{course.id}/test/{attempt.id}/ergebnis"
    if attempt.submitted:
        return redirect(request, result_url, N_("Dieser Versuch wurde bereits abgegeben."), "info")
    raw = _multi(await request.form())
    items = items_of(attempt)
    questions = [item.question for item in items]
    form = answers_only(questions, raw)
    now = services.clock()
    late = timing.is_late(None if attempt.deadline is None else from_db(attempt.deadline), now)
    if late:
        # Graded on what was saved in time, never on what arrived after the end.
        form = await drafts.draft(services.db, attempt.id, user.id)
    elif "save" not in raw and (
        invalid := invalid_answers(questions, form, services.translator.translate)
    ):
        async with services.db.transaction() as tx:
            await drafts.save_draft(tx, attempt.id, user.id, form, now)
        return await redirect_keeping(
            request,
            f"/courses/{course.id}/test/{attempt.id}",
            [(name, value) for name, values in form.items() for value in values],
            errors=invalid,
        )
    elif "save" in raw or ("confirm" not in raw and unanswered(questions, form)):
        async with services.db.transaction() as tx:
            await drafts.save_draft(tx, attempt.id, user.id, form, now)
        if "save" in raw:
            return redirect(
                request,
                f"/courses/{course.id}/test/{attempt.id}",
                N_("Ihre Antworten sind zwischengespeichert."),
                "success",
            )
        return _confirm(request, course, attempt, items, form)
    return await _grade(request, course, attempt, questions, form, late=late)


def _confirm(
    request: Request,
    course: Course,
    attempt: attempts.Attempt,
    items: list[TestItem],
    form: drafts.Form,
) -> Response:
    """The step between a submit with open questions and its grading: which ones, and
    a button to submit anyway; the answers ride along as hidden fields."""
    missing = [(index + 1, items[index]) for index in unanswered([i.question for i in items], form)]
    hidden = [(name, value) for name, values in form.items() for value in values]
    return render(
        request,
        "test_confirm.html",
        {"course": course, "attempt": attempt, "missing": missing, "hidden": hidden},
    )


async def _grade(
    request: Request,
    course: Course,
    attempt: attempts.Attempt,
    questions: list[Question],
    form: drafts.Form,
    *,
    late: bool,
) -> Response:
    services = services_of(request)
    user = current_user(request)
    result_url = f"/courses/{course.id}/test/{attempt.id}/ergebnis"
    scored = grading.score_test(questions, form)
    answers = [attempts.AttemptAnswer(a.question.id, a.response, a.correct) for a in scored.answers]
    score = scored.percent
    passed = score >= course.pass_mark
    now = services.clock()
    async with services.db.transaction() as tx:
        stored = await attempts.submit_attempt(
            tx, attempt.id, score=score, passed=passed, answers=answers, now=now
        )
        if stored:
            await drafts.delete_draft_in(tx, attempt.id)
        if stored and passed:
            await complete_and_announce(request, tx, course, user, now, renew=True)
    if not stored:
        return redirect(request, result_url, N_("Dieser Versuch wurde bereits abgegeben."), "info")
    if late:
        return redirect(
            request,
            result_url + "#ergebnis",
            N_(
                "Die Zeit war abgelaufen. Bewertet wurden die Antworten, die bis zum Ende der"
                " Zeit gespeichert waren."
            ),
            "info",
        )
    return RedirectResponse(result_url + "#ergebnis", status_code=303)


async def result(request: Request) -> Response:
    services = services_of(request)
    course, attempt = await _own_attempt(request)
    if not attempt.submitted:
        return RedirectResponse(f"/courses/{course.id}/test/{attempt.id}", status_code=303)
    stored = await attempts.attempt_answers(services.db, attempt.id)
    user = current_user(request)
    tries = await attempts.attempts(services.db, user.id, course.id)
    attempts_left = max(course.max_attempts - len(tries), 0)
    reveal = may_reveal(
        course.reveal, passed=any(a.passed for a in tries), attempts_left=attempts_left
    )
    items = items_of(attempt)
    rows = []
    # Until the answers may be revealed nothing about an option reaches the template.
    for item in items if reveal else ():
        answer = stored.get(item.question.id)
        response = answer.response if answer is not None and answer.response else {}
        # An open question is graded as an empty answer: the review then shows what was right.
        grade = grading.grade(item.question, response)
        rows.append({"item": item, "answer": answer, "grade": grade, "response": response})
    completion = (await attempts.completions(services.db, user.id)).get(course.id)
    views = await progress.page_views(services.db, user.id, course.id)
    state = course_progress(
        course, views.keys(), test_passed=bool(attempt.passed), completed=completion is not None
    )
    return render(
        request,
        "test_result.html",
        {
            "course": course,
            "attempt": attempt,
            "rows": rows,
            "reveal": reveal,
            "missed": _missed_topics(items, stored),
            "reread": _to_reread(course, items, stored),
            "attempts_left": attempts_left,
            "completion": completion,
            "all_seen": completion is not None,
            "first_unread": state.first_unread,
        },
    )


def _to_reread(
    course: Course, items: list[TestItem], stored: dict[str, attempts.AttemptAnswer]
) -> list[Lesson]:
    """The lessons behind the groups with a miss, as the test's `reread` names them.

    A missed group the trainer did not map (or an attempt from before pools) points to
    every lesson: better too much to re-read than nothing.
    """
    lessons = [lesson for lesson in course.lessons if lesson.kind == "lesson"]
    mapping = dict(course.test.reread) if course.test is not None else {}
    wanted: set[str] = set()
    for item in items:
        answer = stored.get(item.question.id)
        if answer is not None and answer.correct:
            continue
        mapped = mapping.get(item.page)
        if mapped is None:
            return lessons
        wanted.update(mapped)
    return [lesson for lesson in lessons if lesson.id in wanted]


def _missed_topics(
    items: list[TestItem], stored: dict[str, attempts.AttemptAnswer]
) -> list[tuple[str, int, int]]:
    """(group title, questions missed, questions drawn) for every group with a miss."""
    counts: dict[str, list[int]] = {}
    for item in items:
        answer = stored.get(item.question.id)
        entry = counts.setdefault(item.section, [0, 0])
        entry[0] += 0 if answer is not None and answer.correct else 1
        entry[1] += 1
    return [(title, wrong, total) for title, (wrong, total) in counts.items() if wrong]
