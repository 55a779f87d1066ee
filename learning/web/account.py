"""Login, logout, the first-admin setup link and the language switch."""

from __future__ import annotations

from collections.abc import Callable

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from learning.accounts import throttling
from learning.accounts.emails import valid_email
from learning.accounts.passwords import password_problem
from learning.accounts.signing import TokenInvalid
from learning.core.i18n import N_, SUPPORTED
from learning.store import audit, login_attempts, sessions, users
from learning.store.tokens import TokenSpent, nonce_spent, spend_nonce
from learning.web.cookies import LANG_COOKIE, SESSION_COOKIE, cookie_header, expire_header
from learning.web.flash import redirect
from learning.web.forms import field, safe_next
from learning.web.services import Services
from learning.web.templating import render

LOGIN_FAILED = N_("E-Mail-Adresse oder Passwort ist nicht korrekt.")


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def start_session(request: Request, user_id: int, target: str) -> Response:
    """Log in: always a new session id, and the caller's old session row is removed."""
    services = _services(request)
    now = services.clock()
    old = request.state.session
    async with services.db.transaction() as tx:
        if old is not None:
            await sessions.end_session(tx, old.id_hash)
        session_id = await sessions.create_session(tx, user_id, now)
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(request, response, session_id)
    return response


def set_session_cookie(request: Request, response: Response, session_id: str) -> None:
    services = _services(request)
    response.headers.append(
        "set-cookie",
        cookie_header(
            SESSION_COOKIE,
            services.signer.sign_cookie(session_id),
            secure=services.settings.https,
        ),
    )
    request.state.session_cookie_set = True


async def throttle_wait(request: Request, email: str) -> int:
    """Seconds this caller must wait before another password check for `email`."""
    services = _services(request)
    db = services.db
    address = client_address(request)
    now = services.clock()
    pair = await login_attempts.pair_failures(db, email, address, now - throttling.WINDOW)
    by_address = await login_attempts.address_failures(db, address, now - throttling.WINDOW)
    by_account = await login_attempts.account_failures(db, email, now - throttling.ACCOUNT_WINDOW)
    return throttling.verdict(
        now=now,
        pair=(pair.count, pair.last),
        address=(by_address.count, by_address.last),
        account=(by_account.count, by_account.first),
    ).wait_seconds


def throttled_message(wait_seconds: int, gettext: Callable[[str], str]) -> str:
    return gettext(
        "Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie %(wait)s"
        " und versuchen Sie es erneut."
    ) % {"wait": _wait_text(wait_seconds, gettext)}


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
    address = client_address(request)
    now = services.clock()
    context = {"next": target, "email": email}

    if not email or not password:
        context["error"] = N_("Bitte geben Sie E-Mail-Adresse und Passwort ein.")
        return render(request, "login.html", context, status=400)

    db = services.db
    wait = await throttle_wait(request, email)
    if wait > 0:
        context["error"] = throttled_message(wait, services.translator.gettext)
        response = render(request, "login.html", context, status=429)
        response.headers["Retry-After"] = str(wait)
        return response

    user = await users.find_user_by_email(db, email)
    usable = user is not None and user.active
    ok, needs_rehash = await services.hasher.verify(
        user.password_hash if user is not None and usable else None, password
    )
    if not ok or user is None or not usable:
        await login_attempts.record_attempt(db, email, address, now, success=False)
        context["error"] = LOGIN_FAILED
        return render(request, "login.html", context, status=401)

    if needs_rehash:
        await users.rehash_password(db, user.id, await services.hasher.hash(password))
    await login_attempts.record_attempt(db, email, address, now, success=True)
    return await start_session(request, user.id, target or "/")


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
        raise HTTPException(
            410, N_("Die Einrichtung ist abgeschlossen: es gibt bereits ein Admin-Konto.")
        )
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
    errors = validate_account(values["email"], values["name"], password, confirm)
    if errors:
        return render(request, "setup.html", {"values": values, "errors": errors}, status=400)
    now = services.clock()
    password_hash = await services.hasher.hash(password)
    try:
        async with services.db.transaction() as tx:
            await spend_nonce(tx, nonce, "setup", now)
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
    except TokenSpent:
        raise HTTPException(410, N_("Dieser Einrichtungslink wurde bereits verwendet.")) from None
    except users.DuplicateEmail:
        errors["email"] = N_("Diese E-Mail-Adresse ist bereits vergeben.")
        return render(request, "setup.html", {"values": values, "errors": errors}, status=400)
    return await start_session(request, user_id, "/")


def validate_account(email: str, name: str, password: str, confirm: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not valid_email(email):
        errors["email"] = N_("Bitte geben Sie eine gültige E-Mail-Adresse ein.")
    if not name:
        errors["name"] = N_("Bitte geben Sie Ihren Namen ein.")
    problem = password_problem(password, email=email, name=name)
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
