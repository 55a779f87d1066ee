"""The pages behind invitation and password-reset links: set a name and a password."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from learning.accounts.passwords import check_password
from learning.accounts.signing import Purpose, TokenInvalid
from learning.core.clock import from_db
from learning.core.i18n import N_
from learning.store import audit, sessions, user_admin, users
from learning.store.db import NotFound
from learning.store.tokens import TokenSpent, spend_nonce
from learning.store.users import User
from learning.web.account import hash_or_busy
from learning.web.flash import redirect
from learning.web.forms import field
from learning.web.resolve import services_of
from learning.web.templating import render

_GONE = N_(
    "Dieser Link ist abgelaufen oder wurde bereits verwendet. Bitte fragen Sie nach einem neuen."
)


async def _resolve(request: Request, purpose: Purpose) -> tuple[user_admin.Invitation, User]:
    services = services_of(request)
    try:
        link = services.signer.read_link_token(request.path_params["token"], purpose)
    except TokenInvalid as exc:
        if exc.expired:
            raise HTTPException(410, _GONE) from None
        raise HTTPException(404) from None
    invitation = await user_admin.invitation_by_nonce(services.db, link.nonce)
    if (
        invitation is None
        or invitation.purpose != purpose
        or link.data.get("uid") != invitation.user_id
    ):
        raise HTTPException(404)
    if invitation.used_at is not None or from_db(invitation.expires_at) <= services.clock():
        raise HTTPException(410, _GONE)
    try:
        user = await users.get_user(services.db, invitation.user_id)
    except NotFound:
        raise HTTPException(404) from None
    if not user.active:
        raise HTTPException(410, _GONE)
    return invitation, user


async def _form(request: Request, purpose: Purpose) -> Response:
    _invitation, user = await _resolve(request, purpose)
    return render(
        request,
        "admin/set_password.html",
        {"purpose": purpose, "values": {"name": user.name}, "errors": {}, "email": user.email},
    )


async def _submit(request: Request, purpose: Purpose) -> Response:
    services = services_of(request)
    invitation, user = await _resolve(request, purpose)
    form = await request.form()
    name = field(form, "name", max_length=200) if purpose == "invite" else user.name
    password = field(form, "password", max_length=1024, strip=False)
    confirm = field(form, "password_confirm", max_length=1024, strip=False)
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = N_("Bitte geben Sie Ihren Namen ein.")
    problem = await check_password(password, email=user.email, name=name)
    if problem:
        errors["password"] = problem
    elif password != confirm:
        errors["password_confirm"] = N_("Die beiden Passwörter stimmen nicht überein.")
    if errors:
        context = {
            "purpose": purpose,
            "values": {"name": name},
            "errors": errors,
            "email": user.email,
        }
        return render(request, "admin/set_password.html", context, status=400)
    password_hash = await hash_or_busy(services, password)
    now = services.clock()
    try:
        async with services.db.transaction() as tx:
            await spend_nonce(tx, invitation.nonce, purpose, now)
            if not await user_admin.mark_invitation_used(tx, invitation.id, now):
                raise TokenSpent(invitation.nonce)
            await user_admin.set_name(tx, user.id, name)
            await users.set_password_hash(tx, user.id, password_hash, now)
            # A new password ends every session of the account.
            await sessions.delete_user_sessions(tx, user.id)
            await audit.record(
                tx,
                now=now,
                actor_id=user.id,
                actor_email=user.email,
                action="user.accept_invite" if purpose == "invite" else "user.password_reset",
                target_type="user",
                target_id=user.id,
            )
    except TokenSpent:
        raise HTTPException(410, _GONE) from None
    return redirect(
        request, "/login", N_("Ihr Passwort ist gespeichert. Bitte melden Sie sich an."), "success"
    )


async def invite_form(request: Request) -> Response:
    return await _form(request, "invite")


async def invite_submit(request: Request) -> Response:
    return await _submit(request, "invite")


async def reset_form(request: Request) -> Response:
    return await _form(request, "reset")


async def reset_submit(request: Request) -> Response:
    return await _submit(request, "reset")
