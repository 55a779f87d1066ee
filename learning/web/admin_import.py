"""Admin: CSV import of accounts. Upload -> preview (a GET page) -> confirm; all rows or none.

The upload is checked whole; without errors its rows are kept as a preview for an hour
and the browser is redirected to the preview's page, so reloading it resubmits nothing.
The confirmation imports the kept rows and redirects to the page of their links.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from typing import Any

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from learning.accounts.links import import_users, new_batch, valid_batch
from learning.accounts.user_import import (
    MAX_BYTES,
    WINDOWS_1252_NOTE,
    ImportRow,
    Parsed,
    existing_problems,
    parse_users_csv,
)
from learning.core.i18n import N_
from learning.mail.account_mails import mail_link
from learning.store import import_previews, user_admin, users
from learning.store.db import Transaction
from learning.web.admin_accounts import ROLE_LABELS
from learning.web.admin_assignments import notify_joined
from learning.web.admin_links import to_batch
from learning.web.forms import field
from learning.web.resolve import current_user, services_of
from learning.web.templating import render

_PREVIEW_MAX_AGE = timedelta(hours=1)
_EXPIRED = N_("Die Vorschau ist abgelaufen. Bitte laden Sie die Datei erneut hoch.")


async def import_form(request: Request) -> Response:
    return render(request, "admin/import.html", {"parsed": None})


async def _with_existing(request: Request, parsed: Parsed) -> Parsed:
    """The parse, plus an error for every address that already has an account."""
    if not parsed.rows:
        return parsed
    existing = await user_admin.existing_emails(
        services_of(request).db, [row.email.lower() for row in parsed.rows]
    )
    problems = existing_problems(parsed.rows, existing)
    if not problems:
        return parsed
    return replace(parsed, errors=tuple(sorted((*parsed.errors, *problems), key=lambda e: e.line)))


async def validate_import(request: Request, data: bytes) -> Parsed:
    """Parse the file and check every address against the existing accounts."""
    return await _with_existing(request, parse_users_csv(data))


async def _page(request: Request, parsed: Parsed | None, **extra: Any) -> Response:
    context: dict[str, Any] = {"parsed": parsed, "preview_id": "", **extra}
    if parsed is not None:
        existing = {g.name.lower() for g in await users.list_groups(services_of(request).db)}
        context["new_groups"] = [g for g in parsed.groups if g.lower() not in existing]
        context["role_names"] = ROLE_LABELS
        if parsed.encoding == "windows-1252":
            context["encoding_note"] = WINDOWS_1252_NOTE
    bad = extra.get("problem") or (parsed is not None and parsed.errors)
    return render(request, "admin/import.html", context, status=400 if bad else 200)


def _payload(parsed: Parsed) -> str:
    rows = [row.to_json() for row in parsed.rows]
    return json.dumps({"rows": rows, "encoding": parsed.encoding}, ensure_ascii=True)


def _parsed(payload: str) -> Parsed | None:
    try:
        data = json.loads(payload)
        rows = tuple(ImportRow.from_json(item) for item in data["rows"])
        return Parsed(rows, (), str(data["encoding"]))
    except (ValueError, KeyError, TypeError):
        return None


async def import_preview(request: Request) -> Response:
    services = services_of(request)
    form = await request.form()
    upload = form.get("file")
    data = b""
    if isinstance(upload, UploadFile):
        data = await upload.read(MAX_BYTES + 1)
        await upload.close()
    parsed = await validate_import(request, data)
    if parsed.errors:
        return await _page(request, parsed)
    preview_id = new_batch()
    now = services.clock()
    async with services.db.transaction() as tx:
        await import_previews.save(
            tx,
            preview_id,
            created_by=current_user(request).id,
            now=now,
            payload=_payload(parsed),
            since=now - _PREVIEW_MAX_AGE,
        )
    return RedirectResponse(f"/admin/import/{preview_id}", status_code=303)


async def _kept(request: Request, preview_id: str) -> Parsed | None:
    services = services_of(request)
    if not valid_batch(preview_id):
        return None
    payload = await import_previews.load(
        services.db,
        preview_id,
        created_by=current_user(request).id,
        since=services.clock() - _PREVIEW_MAX_AGE,
    )
    return None if payload is None else _parsed(payload)


async def import_show(request: Request) -> Response:
    preview_id = request.path_params["preview_id"]
    parsed = await _kept(request, preview_id)
    if parsed is None:
        raise HTTPException(404, _EXPIRED)
    # Checked again: an account may have been created since the upload.
    return await _page(request, await _with_existing(request, parsed), preview_id=preview_id)


async def import_confirm(request: Request) -> Response:
    services = services_of(request)
    form = await request.form()
    preview_id = field(form, "preview", max_length=40)
    parsed = await _kept(request, preview_id)
    if parsed is None:
        return await _page(request, None, problem=_EXPIRED)
    checked = await _with_existing(request, parsed)
    if checked.errors:
        return await _page(request, checked)
    actor = current_user(request)
    batch = new_batch()
    try:
        async with services.db.transaction() as tx:
            await import_users(
                tx,
                services.signer,
                parsed.rows,
                base_url=services.settings.public_url,
                now=services.clock(),
                actor_id=actor.id,
                actor_email=actor.email,
                batch=batch,
                notify=mail_link,
            )
            await import_previews.delete(tx, preview_id)
            await _notify_imported(request, tx, [row.email for row in parsed.rows if row.group])
    except users.DuplicateEmail as exc:
        problem = N_(
            "Für %(email)s gibt es inzwischen ein Konto. Es wurde nichts importiert.",
            email=str(exc),
        )
        return await _page(request, None, problem=problem)
    return to_batch(batch)


async def _notify_imported(request: Request, tx: Transaction, emails: list[str]) -> None:
    """Whoever lands in a group with assigned courses hears of them, as in the form."""
    for email in emails:
        person = await users.find_user_by_email(tx, email)
        if person is not None:
            await notify_joined(request, tx, person.id, None)
