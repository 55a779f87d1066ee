"""Admin: accounts and groups. List, create, edit, disable, enrol, reset, links, GDPR."""

from __future__ import annotations

import json

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from learning.accounts import links as account_links
from learning.accounts.emails import valid_email
from learning.accounts.signing import Purpose
from learning.core.i18n import N_
from learning.mail.account_mails import mail_link
from learning.store import privacy, user_admin, users
from learning.store.db import Transaction
from learning.web.admin_accounts import ROLE_LABELS, optional_int, role_of
from learning.web.admin_assignments import notify_joined
from learning.web.admin_common import audit, course_from_form
from learning.web.admin_links import to_batch
from learning.web.admin_user_page import detail_page
from learning.web.flash import redirect
from learning.web.forms import field
from learning.web.resolve import services_of, user_or_404
from learning.web.templating import render


async def _group_from_form(tx: Transaction, request: Request, form: FormData) -> int | None:
    new_group = field(form, "new_group", max_length=200)
    if new_group:
        return await users.get_or_create_group(tx, new_group, services_of(request).clock())
    group_id = optional_int(field(form, "group", max_length=12))
    if group_id is None:
        return None
    return group_id if await users.group_exists(tx, group_id) else None


async def _form_context(
    request: Request, values: dict[str, str], errors: dict[str, str]
) -> dict[str, object]:
    return {
        "values": values,
        "errors": errors,
        "groups": await users.list_groups(services_of(request).db),
        "roles": ROLE_LABELS,
    }


async def user_new_form(request: Request) -> Response:
    values = {"email": "", "name": "", "role": "learner", "group": "", "new_group": ""}
    return render(request, "admin/user_new.html", await _form_context(request, values, {}))


def _user_values(form: FormData) -> dict[str, str]:
    return {
        "email": field(form, "email", max_length=320),
        "name": field(form, "name", max_length=200),
        "role": field(form, "role", max_length=20),
        "group": field(form, "group", max_length=12),
        "new_group": field(form, "new_group", max_length=200),
    }


def _user_errors(values: dict[str, str], *, need_email: bool) -> dict[str, str]:
    errors: dict[str, str] = {}
    if need_email and not valid_email(values["email"]):
        errors["email"] = N_("Bitte geben Sie eine gültige E-Mail-Adresse ein.")
    if not values["name"]:
        errors["name"] = N_("Bitte geben Sie einen Namen ein.")
    if role_of(values["role"]) is None:
        errors["role"] = N_("Bitte wählen Sie eine Rolle.")
    return errors


async def issue_link(
    request: Request, tx: Transaction, user_id: int, purpose: Purpose, batch: str
) -> str:
    services = services_of(request)
    actor = request.state.user
    return await account_links.issue_link(
        tx,
        services.signer,
        base_url=services.settings.public_url,
        user_id=user_id,
        purpose=purpose,
        created_by=actor.id if actor else None,
        now=services.clock(),
        batch=batch,
        notify=mail_link,
    )


async def user_create(request: Request) -> Response:
    services = services_of(request)
    form = await request.form()
    values = _user_values(form)
    errors = _user_errors(values, need_email=True)
    if errors:
        context = await _form_context(request, values, errors)
        return render(request, "admin/user_new.html", context, status=400)
    role = role_of(values["role"]) or "learner"
    batch = account_links.new_batch()
    try:
        async with services.db.transaction() as tx:
            group_id = await _group_from_form(tx, request, form)
            user_id = await users.insert_user(
                tx,
                email=values["email"],
                name=values["name"],
                role=role,
                now=services.clock(),
                group_id=group_id,
            )
            await issue_link(request, tx, user_id, "invite", batch)
            await notify_joined(request, tx, user_id, None)
            await audit(
                request, tx, "user.create", "user", user_id, {"role": role, "group_id": group_id}
            )
    except users.DuplicateEmail:
        errors["email"] = N_("Für diese E-Mail-Adresse gibt es bereits ein Konto.")
        context = await _form_context(request, values, errors)
        return render(request, "admin/user_new.html", context, status=400)
    return to_batch(batch)


async def user_update(request: Request) -> Response:
    services = services_of(request)
    user = await user_or_404(request)
    form = await request.form()
    values = _user_values(form)
    errors = _user_errors(values, need_email=False)
    me = request.state.user
    if user.id == me.id and values["role"] != "admin":
        errors["role"] = N_("Sie können sich nicht selbst die Admin-Rolle entziehen.")
    if errors:
        return await detail_page(request, user, values=values, errors=errors)
    role = role_of(values["role"]) or user.role
    async with services.db.transaction() as tx:
        group_id = await _group_from_form(tx, request, form)
        joined = await user_admin.update_user(
            tx,
            user.id,
            name=values["name"],
            role=role,
            group_id=group_id,
            now=services.clock(),
            by=me.id,
        )
        await notify_joined(request, tx, user.id, joined)
        await audit(
            request,
            tx,
            "user.update",
            "user",
            user.id,
            {
                "before": {"name": user.name, "role": user.role, "group_id": user.group_id},
                "after": {"name": values["name"], "role": role, "group_id": group_id},
            },
        )
    return redirect(
        request, f"/admin/users/{user.id}", N_("Die Änderungen sind gespeichert."), "success"
    )


async def user_set_active(request: Request, active: bool) -> Response:
    services = services_of(request)
    user = await user_or_404(request)
    if user.id == request.state.user.id:
        raise HTTPException(400, N_("Sie können Ihr eigenes Konto nicht deaktivieren."))
    if active and await privacy.is_anonymised(services.db, user.id):
        raise HTTPException(400, N_("Ein anonymisiertes Konto lässt sich nicht wieder aktivieren."))
    async with services.db.transaction() as tx:
        await user_admin.set_active(tx, user.id, active)
        await audit(request, tx, "user.enable" if active else "user.disable", "user", user.id)
    message = (
        N_("Das Konto ist wieder aktiv.")
        if active
        else N_("Das Konto ist deaktiviert; alle Sitzungen sind beendet.")
    )
    return redirect(request, f"/admin/users/{user.id}", message, "success")


async def user_disable(request: Request) -> Response:
    return await user_set_active(request, False)


async def user_enable(request: Request) -> Response:
    return await user_set_active(request, True)


async def _user_link(request: Request, purpose: Purpose) -> Response:
    services = services_of(request)
    user = await user_or_404(request)
    if not user.active or await privacy.is_anonymised(services.db, user.id):
        raise HTTPException(400, N_("Für ein deaktiviertes Konto gibt es keine Links."))
    batch = account_links.new_batch()
    async with services.db.transaction() as tx:
        await issue_link(request, tx, user.id, purpose, batch)
        await audit(request, tx, f"user.link.{purpose}", "user", user.id)
    return to_batch(batch)


async def user_invite(request: Request) -> Response:
    return await _user_link(request, "invite")


async def user_reset_link(request: Request) -> Response:
    return await _user_link(request, "reset")


async def user_enrol(request: Request) -> Response:
    services = services_of(request)
    user = await user_or_404(request)
    form = await request.form()
    if not field(form, "course", max_length=200):
        errors = {"enrol-course": N_("Bitte wählen Sie einen Kurs.")}
        return await detail_page(request, user, errors=errors)
    course_id = await course_from_form(request)
    async with services.db.transaction() as tx:
        added = await user_admin.enrol(
            tx, [user.id], course_id, by=request.state.user.id, now=services.clock()
        )
        await audit(
            request, tx, "enrolment.add", "user", user.id, {"course": course_id, "added": added}
        )
    message = N_("Eingeschrieben.") if added else N_("Das Konto war bereits eingeschrieben.")
    return redirect(request, f"/admin/users/{user.id}", message, "success")


async def user_reset_progress(request: Request) -> Response:
    services = services_of(request)
    user = await user_or_404(request)
    form = await request.form()
    course_id = field(form, "course", max_length=200)
    if not course_id:
        raise HTTPException(400, N_("Bitte wählen Sie einen Kurs."))
    async with services.db.transaction() as tx:
        removed = await user_admin.reset_progress(tx, user.id, course_id)
        await audit(
            request,
            tx,
            "progress.reset",
            "user",
            user.id,
            {"course": course_id, "removed": removed},
        )
    return redirect(
        request,
        f"/admin/users/{user.id}",
        N_("Der Lernstand in diesem Kurs ist zurückgesetzt. Notizen bleiben erhalten."),
        "success",
    )


async def user_export(request: Request) -> Response:
    services = services_of(request)
    user = await user_or_404(request)
    data = await privacy.export_learner(services.db, user.id, now=services.clock())
    async with services.db.transaction() as tx:
        await audit(request, tx, "user.export", "user", user.id)
    body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    return Response(
        body,
        media_type="application/json",
        headers={"content-disposition": f'attachment; filename="konto-{user.id}.json"'},
    )


async def _erase(request: Request, *, delete: bool) -> Response:
    services = services_of(request)
    user = await user_or_404(request)
    form = await request.form()
    if user.id == request.state.user.id:
        raise HTTPException(
            400, N_("Sie können Ihr eigenes Konto nicht löschen oder anonymisieren.")
        )
    if field(form, "confirm", max_length=10) != "ja":
        key = "delete-confirm" if delete else "anon-confirm"
        errors = {key: N_("Bitte bestätigen Sie den Vorgang mit dem Kontrollkästchen.")}
        return await detail_page(request, user, errors=errors)
    async with services.db.transaction() as tx:
        if delete:
            await privacy.delete_learner(tx, user.id)
        else:
            await privacy.anonymise(tx, user.id)
        await audit(request, tx, "user.delete" if delete else "user.anonymise", "user", user.id)
    if delete:
        # The account is gone: its page answers 404 from now on.
        return redirect(
            request,
            "/admin/users",
            N_(
                "Das Konto und seine personenbezogenen Daten sind gelöscht; die Zählwerte der"
                " Berichte bleiben erhalten."
            ),
            "success",
        )
    return redirect(
        request,
        f"/admin/users/{user.id}",
        N_("Das Konto ist anonymisiert und dauerhaft deaktiviert."),
        "success",
    )


async def user_anonymise(request: Request) -> Response:
    return await _erase(request, delete=False)


async def user_delete(request: Request) -> Response:
    return await _erase(request, delete=True)
