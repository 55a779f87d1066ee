"""Passwort ändern: the signed-in user replaces their own password.

A change ends every other session of the user (a stolen cookie stops working) and
gives the current browser a new session id.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from learning.accounts.passwords import HashingBusy, check_password
from learning.store import audit, login_attempts, sessions, users
from learning.web.account import (
    BUSY,
    busy,
    reserve_password_check,
    set_session_cookie,
    throttled_message,
)
from learning.web.flash import redirect
from learning.web.forms import field
from learning.web.resolve import current_user, services_of
from learning.web.templating import render

TEMPLATE = "password_change.html"


async def change_form(request: Request) -> Response:
    return render(request, TEMPLATE, {"errors": {}})


async def change(request: Request) -> Response:
    services = services_of(request)
    user = current_user(request)
    form = await request.form()
    current = field(form, "current_password", max_length=1024, strip=False)
    new = field(form, "password", max_length=1024, strip=False)
    confirm = field(form, "password_confirm", max_length=1024, strip=False)
    now = services.clock()
    _ = services.translator.gettext

    # The current password is a password check like the login, and throttled like it:
    # otherwise a stolen session could guess the password here without limit.
    reservation = await reserve_password_check(request, user.email)
    if reservation.undecided:
        return busy(render(request, TEMPLATE, {"errors": {"current_password": BUSY}}, status=429))
    if reservation.attempt_id is None:
        wait = reservation.wait_seconds
        refused = render(
            request,
            TEMPLATE,
            {"errors": {"current_password": throttled_message(wait, services.translator.gettext)}},
            status=429,
        )
        refused.headers["Retry-After"] = str(wait)
        return refused
    stored = await users.find_user_by_email(services.db, user.email)
    try:
        ok, _needs_rehash = await services.hasher.verify(
            stored.password_hash if stored else None, current
        )
    except HashingBusy:
        await login_attempts.release_attempt(services.db, reservation.attempt_id)
        return busy(render(request, TEMPLATE, {"errors": {"current_password": BUSY}}, status=429))
    if not ok:
        await login_attempts.fail_attempt(services.db, reservation.attempt_id)
        errors = {"current_password": _("Das aktuelle Passwort ist nicht korrekt.")}
        return render(request, TEMPLATE, {"errors": errors}, status=400)

    errors = {}
    problem = await check_password(new, email=user.email, name=user.name)
    if problem:
        errors["password"] = _(problem)
    elif new != confirm:
        errors["password_confirm"] = _("Die beiden Passwörter stimmen nicht überein.")
    if errors:
        # The current password was right: this attempt is no failure.
        async with services.db.transaction() as tx:
            await login_attempts.settle_attempt(tx, reservation.attempt_id, success=True)
        return render(request, TEMPLATE, {"errors": errors}, status=400)

    try:
        password_hash = await services.hasher.hash(new)
    except HashingBusy:
        await login_attempts.release_attempt(services.db, reservation.attempt_id)
        return busy(render(request, TEMPLATE, {"errors": {"password": BUSY}}, status=429))
    async with services.db.transaction() as tx:
        await login_attempts.settle_attempt(tx, reservation.attempt_id, success=True)
        await users.set_password_hash(tx, user.id, password_hash, now)
        await sessions.delete_user_sessions(tx, user.id)
        session_id = await sessions.create_session(tx, user.id, now)
        await audit.record(
            tx,
            now=now,
            actor_id=user.id,
            actor_email=user.email,
            action="user.password_change",
            target_type="user",
            target_id=user.id,
        )
    response = redirect(
        request,
        "/",
        _("Ihr Passwort wurde geändert. Alle anderen Anmeldungen wurden beendet."),
        "success",
    )
    set_session_cookie(request, response, session_id)
    return response
