"""Admin: CSV import of accounts. Upload -> preview -> confirm; all rows or none."""

from __future__ import annotations

import json

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from learning.accounts.links import import_users
from learning.accounts.user_import import (
    MAX_BYTES,
    ImportRow,
    Parsed,
    existing_problems,
    parse_users_csv,
)
from learning.store import user_admin, users
from learning.store.db import Transaction
from learning.web.admin_assignments import notify_joined
from learning.web.forms import field
from learning.web.resolve import services_of
from learning.web.templating import render

_PREVIEW_MAX_AGE = 3600


async def import_form(request: Request) -> Response:
    return render(request, "admin/import.html", {"parsed": None, "payload": ""})


async def validate_import(request: Request, data: bytes) -> Parsed:
    """Parse the file and check every address against the existing accounts."""
    parsed = parse_users_csv(data)
    if parsed.rows:
        existing = await user_admin.existing_emails(
            services_of(request).db, [row.email.lower() for row in parsed.rows]
        )
        problems = existing_problems(parsed.rows, existing)
        if problems:
            errors = sorted((*parsed.errors, *problems), key=lambda e: e.line)
            parsed = Parsed(parsed.rows, tuple(errors))
    return parsed


async def import_preview(request: Request) -> Response:
    services = services_of(request)
    form = await request.form()
    upload = form.get("file")
    data = b""
    if isinstance(upload, UploadFile):
        data = await upload.read(MAX_BYTES + 1)
        await upload.close()
    parsed = await validate_import(request, data)
    payload = ""
    status = 400 if parsed.errors else 200
    if not parsed.errors:
        payload = services.signer.sign(
            "import", json.dumps([row.to_json() for row in parsed.rows], ensure_ascii=True)
        )
    return render(
        request, "admin/import.html", {"parsed": parsed, "payload": payload}, status=status
    )


def _rows_from_payload(request: Request, payload: str) -> tuple[ImportRow, ...] | None:
    value = services_of(request).signer.unsign("import", payload, max_age=_PREVIEW_MAX_AGE)
    if value is None:
        return None
    try:
        return tuple(ImportRow.from_json(item) for item in json.loads(value))
    except (ValueError, KeyError, TypeError):
        return None


async def import_confirm(request: Request) -> Response:
    services = services_of(request)
    form = await request.form()
    rows = _rows_from_payload(request, field(form, "payload", max_length=2 * MAX_BYTES))
    if rows is None:
        return render(
            request,
            "admin/import.html",
            {
                "parsed": None,
                "payload": "",
                "problem": "Die Vorschau ist abgelaufen oder beschädigt. Bitte laden Sie die Datei erneut hoch.",
            },
            status=400,
        )
    existing = await user_admin.existing_emails(services.db, [r.email.lower() for r in rows])
    problems = existing_problems(rows, existing)
    if problems:
        return render(
            request,
            "admin/import.html",
            {"parsed": Parsed(rows, problems), "payload": ""},
            status=400,
        )
    actor = request.state.user
    try:
        async with services.db.transaction() as tx:
            created = await import_users(
                tx,
                services.signer,
                rows,
                base_url=services.settings.public_url,
                now=services.clock(),
                actor_id=actor.id,
                actor_email=actor.email,
            )
            await _notify_imported(request, tx, [row.email for row, _ in created if row.group])
    except users.DuplicateEmail as exc:
        return render(
            request,
            "admin/import.html",
            {
                "parsed": None,
                "payload": "",
                "problem": f"Für {exc} gibt es inzwischen ein Konto. Es wurde nichts importiert.",
            },
            status=400,
        )
    return render(request, "admin/import_done.html", {"created": created})


async def _notify_imported(request: Request, tx: Transaction, emails: list[str]) -> None:
    """Whoever lands in a group with assigned courses hears of them, as in the form."""
    for email in emails:
        person = await users.find_user_by_email(tx, email)
        if person is not None:
            await notify_joined(request, tx, person.id, None)
