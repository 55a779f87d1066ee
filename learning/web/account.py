"""Login, logout, the first-admin setup link and the language switch."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import datetime

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from learning.accounts import throttling
from learning.accounts.emails import valid_email
from learning.accounts.passwords import HashingBusy, check_password
from learning.accounts.signing import TokenInvalid
from learning.core.i18n import N_, SUPPORTED
from learning.store import audit, login_attempts, sessions, users
from learning.store.db import Transaction
from learning.store.tokens import TokenSpent, nonce_spent, spend_nonce
from learning.web.cookies import LANG_COOKIE, SESSION_COOKIE, cookie_header, expire_header
from learning.web.flash import redirect
from learning.web.forms import field, safe_next
from learning.web.services import Services
from learning.web.templating import render

LOGIN_FAILED = N_("E-Mail-Adresse oder Passwort ist nicht korrekt.")
BUSY = N_(
    "Gerade melden sich sehr viele Personen an. Bitte versuchen Sie es in einer Minute erneut."
)
BUSY_RETRY_SECONDS = 60
SETUP_DONE = N_("Die Einrichtung ist abgeschlossen: es gibt bereits ein Admin-Konto.")


class _AdminExists(Exception):
    """Another setup link created the first admin while this one was being filled in."""


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def begin_session(tx: Transaction, request: Request, user_id: int, now: datetime) -> str:
    """Log in: always a new session id, and the caller's old session row is removed."""
    old = request.state.session
    if old is not None:
        await sessions.end_session(tx, old.id_hash)
    await users.record_login(tx, user_id, now)
    return await sessions.create_session(tx, user_id, now)


def session_redirect(request: Request, session_id: str, target: str) -> Response:
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(request, response, session_id)
    return response


def set_session_cookie(request: Request, response: Response, session_id: str) -> None:
    services = _services(request)
    response.headers.append(
        "set-cookie",
        cookie_header(
            SESSION_COOKIE,
            services.signer.sign("session", session_id),
            secure=services.settings.https,
        ),
    )
    request.state.session_cookie_set = True


def _wait_for(now: datetime) -> Callable[[login_attempts.Failures], int]:
    def wait(failures: login_attempts.Failures) -> int:
        return throttling.verdict(
            now=now,
            pair=(failures.pair.count, failures.pair.last),
            address=(failures.address.count, failures.address.last),
            account=(failures.account.count, failures.account.first),
        ).wait_seconds

    return wait


async def reserve_password_check(request: Request, email: str) -> login_attempts.Reservation:
    """Take a place for one password check of `email`, or learn how long to wait.

    The place counts as a failure for later callers until it is settled, so parallel
    requests cannot all pass the throttle before any of them is recorded. A caller whose
    verdict hangs on checks still in flight asks again shortly, for at most the hashing
    wait; if it is still open then, the reservation comes back undecided.
    """
    services = _services(request)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + services.settings.hash_wait
    pause = 0.01
    while True:
        now = services.clock()
        reservation = await login_attempts.reserve_attempt(
            services.db,
            email,
            client_address(request),
            now,
            windows=(
                now - throttling.WINDOW,
                now - throttling.WINDOW,
                now - throttling.ACCOUNT_WINDOW,
            ),
            wait_for=_wait_for(now),
        )
        if not reservation.undecided or loop.time() >= deadline:
            return reservation
        await asyncio.sleep(pause)
        pause = min(pause * 2, 0.1)


LOGIN_THROTTLED = N_(
    "Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie %(wait)s"
    " und versuchen Sie es erneut."
)


def throttled_message(
    wait_seconds: int, gettext: Callable[[str], str], message: str = LOGIN_THROTTLED
) -> str:
    return gettext(message) % {"wait": _wait_text(wait_seconds, gettext)}


async def login_form(request: Request) -> Response:
    if request.state.user is not None:
        return RedirectResponse("/", status_code=303)
    return render(request, "login.html", {"next": safe_next(request.query_params.get("next"))})


def _wait_text(seconds: int, gettext: Callable[[str], str]) -> str:
    if seconds < 90:
        return gettext("%(n)s Sekunden") % {"n": seconds}
    return gettext("%(n)s Minuten") % {"n": (seconds + 59) // 60}


async def login(request: Request) -> Response:
    services = _services(request)
    form = await request.form()
    email = field(form, "email", max_length=320)
    password = field(form, "password", max_length=1024, strip=False)
    target = safe_next(field(form, "next", max_length=2000))
    now = services.clock()
    context = {"next": target, "email": email}

    if not email or not password:
        context["error"] = N_("Bitte geben Sie E-Mail-Adresse und Passwort ein.")
        return render(request, "login.html", context, status=400)

    db = services.db
    reservation = await reserve_password_check(request, email)
    if reservation.undecided:
        context["error"] = BUSY
        return busy(render(request, "login.html", context, status=429))
    if reservation.attempt_id is None:
        context["error"] = throttled_message(reservation.wait_seconds, services.translator.gettext)
        response = render(request, "login.html", context, status=429)
        response.headers["Retry-After"] = str(reservation.wait_seconds)
        return response

    user = await users.find_user_by_email(db, email)
    usable = user is not None and user.active
    try:
        ok, needs_rehash = await services.hasher.verify(
            user.password_hash if user is not None and usable else None, password
        )
    except HashingBusy:
        # No password was checked: the place does not count against the caller.
        await login_attempts.release_attempt(db, reservation.attempt_id)
        context["error"] = BUSY
        return busy(render(request, "login.html", context, status=429))
    if not ok or user is None or not usable:
        await login_attempts.fail_attempt(db, reservation.attempt_id)
        context["error"] = LOGIN_FAILED
        return render(request, "login.html", context, status=401)

    new_hash = None
    if needs_rehash:
        # Parameters have changed since this hash was made: store one with today's.
        with contextlib.suppress(HashingBusy):  # if the pool is full, at a later login
            new_hash = await services.hasher.hash(password)
    async with db.transaction() as tx:
        await login_attempts.settle_attempt(tx, reservation.attempt_id, success=True)
        if new_hash is not None:
            await users.rehash_password(tx, user.id, new_hash)
        session_id = await begin_session(tx, request, user.id, now)
    return session_redirect(request, session_id, target or "/")


def busy(response: Response) -> Response:
    """A page that says the hashing pool is full; the browser may try again in a minute."""
    response.headers["Retry-After"] = str(BUSY_RETRY_SECONDS)
    return response


async def logout(request: Request) -> Response:
    services = _services(request)
    session = request.state.session
    if session is not None:
        await sessions.delete_session(services.db, session.id_hash)
    response = redirect(request, "/login", N_("Sie haben sich abgemeldet."), "success")
    response.headers.append(
        "set-cookie", expire_header(SESSION_COOKIE, secure=services.settings.https)
    )
    return response


async def _setup_token(request: Request) -> str:
    services = _services(request)
    token = request.path_params["token"]
    if await users.admin_exists(services.db):
        raise HTTPException(410, SETUP_DONE)
    try:
        link = services.signer.read_link_token(token, "setup")
    except TokenInvalid as exc:
        if exc.expired:
            raise HTTPException(
                410,
                N_(
                    "Dieser Einrichtungslink ist abgelaufen. Starten Sie den Dienst neu, um einen neuen zu erhalten."
                ),
            ) from None
        raise HTTPException(404) from None
    if await nonce_spent(services.db, link.nonce):
        raise HTTPException(410, N_("Dieser Einrichtungslink wurde bereits verwendet."))
    return link.nonce


async def setup_form(request: Request) -> Response:
    await _setup_token(request)
    return render(request, "setup.html", {"values": {}, "errors": {}})


async def setup(request: Request) -> Response:
    services = _services(request)
    nonce = await _setup_token(request)
    form = await request.form()
    values = {
        "email": field(form, "email", max_length=320),
        "name": field(form, "name", max_length=200),
    }
    password = field(form, "password", max_length=1024, strip=False)
    confirm = field(form, "password_confirm", max_length=1024, strip=False)
    errors = await validate_account(values["email"], values["name"], password, confirm)
    if errors:
        return render(request, "setup.html", {"values": values, "errors": errors}, status=400)
    now = services.clock()
    password_hash = await hash_or_busy(services, password)
    try:
        async with services.db.transaction() as tx:
            await spend_nonce(tx, nonce, "setup", now)
            if await users.admin_exists(tx):
                raise _AdminExists
            user_id = await users.insert_user(
                tx,
                email=values["email"],
                name=values["name"],
                role="admin",
                now=now,
                password_hash=password_hash,
            )
            await audit.record(
                tx,
                now=now,
                actor_id=user_id,
                actor_email=values["email"],
                action="setup.first_admin",
                target_type="user",
                target_id=user_id,
            )
            session_id = await begin_session(tx, request, user_id, now)
    except TokenSpent:
        raise HTTPException(410, N_("Dieser Einrichtungslink wurde bereits verwendet.")) from None
    except _AdminExists:
        raise HTTPException(410, SETUP_DONE) from None
    except users.DuplicateEmail:
        errors["email"] = N_("Diese E-Mail-Adresse ist bereits vergeben.")
        return render(request, "setup.html", {"values": values, "errors": errors}, status=400)
    return session_redirect(request, session_id, "/")


async def hash_or_busy(services: Services, password: str) -> str:
    """The new password's hash; a full hashing pool is a 429 page, nothing is written."""
    try:
        return await services.hasher.hash(password)
    except HashingBusy:
        raise HTTPException(429, BUSY, headers={"Retry-After": str(BUSY_RETRY_SECONDS)}) from None


async def validate_account(email: str, name: str, password: str, confirm: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not valid_email(email):
        errors["email"] = N_("Bitte geben Sie eine gültige E-Mail-Adresse ein.")
    if not name:
        errors["name"] = N_("Bitte geben Sie Ihren Namen ein.")
    problem = await check_password(password, email=email, name=name)
    if problem:
        errors["password"] = problem
    elif password != confirm:
        errors["password_confirm"] = N_("Die beiden Passwörter stimmen nicht überein.")
    return errors


async def set_language(request: Request) -> Response:
    services = _services(request)
    form = await request.form()
    lang = field(form, "lang", max_length=5)
    if lang not in SUPPORTED:
        raise HTTPException(400, N_("Diese Sprache wird nicht angeboten."))
    target = safe_next(field(form, "next", max_length=2000)) or "/"
    user = request.state.user
    if user is not None:
        await users.set_locale(services.db, user.id, lang)
    response = RedirectResponse(target, status_code=303)
    response.headers.append(
        "set-cookie",
        cookie_header(LANG_COOKIE, lang, secure=services.settings.https, max_age=365 * 24 * 3600),
    )
    return response
