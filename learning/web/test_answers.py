"""The answers of an open final-test attempt: drafts, what is unanswered, autosave."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from learning.content.model import Question
from learning.core.i18n import N_
from learning.rules import grading
from learning.store import drafts
from learning.store.attempts import get_attempt
from learning.store.db import NotFound
from learning.web.lesson import _multi
from learning.web.resolve import course_or_404, current_user, int_param, services_of
from learning.web.test_items import items_of

QUESTION_N = N_("Frage %(n)s")


class HasQuestion(Protocol):
    @property
    def question(self) -> Question: ...


def answers_only(questions: Sequence[Question], form: drafts.Form) -> drafts.Form:
    """The fields of `form` that answer these questions: no token, no button, nothing else."""
    names = {q.id for q in questions}
    names |= {f"{q.id}.{o.position}" for q in questions for o in q.options}
    return {name: values for name, values in form.items() if name in names}


def unanswered(questions: Sequence[Question], form: drafts.Form) -> list[int]:
    """The 0-based places of the questions left open (or half answered) in `form`."""
    missing = []
    for index, q in enumerate(questions):
        try:
            response = grading.parse_answer(q, form)
        except grading.AnswerError:
            response = None
        if response is None:
            missing.append(index)
    return missing


def prefill(q: Question, form: drafts.Form) -> dict[str, object] | None:
    """The response a saved draft gives `q`, for the form to show it again; a draft that
    is not a valid answer (a position given twice, half a matching) shows what it holds."""
    try:
        return grading.parse_answer(q, form)
    except grading.AnswerError:
        return _as_given(q, form)


def _number(values: Sequence[str]) -> int | None:
    return int(values[0]) if values and values[0].strip().isdigit() else None


def _as_given(q: Question, form: drafts.Form) -> dict[str, object] | None:
    if q.type == "ordering":
        return {"positions": [_number(form.get(f"{q.id}.{o.position}", ())) for o in q.options]}
    if q.type == "matching":
        given = {str(o.position): _number(form.get(f"{q.id}.{o.position}", ())) for o in q.options}
        return {"matches": {k: v for k, v in given.items() if v is not None}}
    return None


def invalid_answers(
    questions: Sequence[Question], form: drafts.Form, translate: Callable[[str], str]
) -> list[tuple[str, str]]:
    """(field, message) for every answer that cannot be graded as given: said inside the
    question, not counted as wrong behind the learner's back. Open questions are not here."""
    errors = []
    for number, q in enumerate(questions, start=1):
        try:
            grading.parse_answer(q, form)
        except grading.AnswerError as exc:
            label = translate(QUESTION_N) % {"n": number}
            errors.append((exc.field or q.id, f"{label}: {translate(exc.message)}"))
    return errors


async def autosave(request: Request) -> Response:
    """The script's save: 204 when stored, 409 when the attempt no longer takes answers."""
    services = services_of(request)
    user = current_user(request)
    course = course_or_404(request)
    try:
        attempt = await get_attempt(
            services.db, int_param(request, "attempt_id"), user_id=user.id, course_id=course.id
        )
    except NotFound:
        raise HTTPException(404) from None
    questions = [item.question for item in items_of(attempt)]
    form = answers_only(questions, _multi(await request.form()))
    async with services.db.transaction() as tx:
        saved = await drafts.save_draft(tx, attempt.id, user.id, form, services.clock())
    return Response(status_code=204 if saved else 409)
