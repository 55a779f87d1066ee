"""Admin: the outbox. What is queued, sent and failed, and a retry for failed mails."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from learning.core.i18n import N_
from learning.store import outbox
from learning.web.admin_common import audit
from learning.web.flash import redirect
from learning.web.resolve import services_of
from learning.web.templating import render

PAGE_SIZE = 50

STATUS_LABELS = {
    "queued": N_("wartet"),
    "sending": N_("wird zugestellt"),
    "sent": N_("verschickt"),
    "failed": N_("fehlgeschlagen"),
}

# Every kind of mail, also those the assignment and reminder parts queue.
KIND_LABELS = {
    "invitation": N_("Einladung"),
    "password_reset": N_("Passwort zurücksetzen"),
    "certificate_issued": N_("Zertifikat"),
    "assignment_notice": N_("Zuweisung"),
    "reminder": N_("Erinnerung"),
    "overdue": N_("Überfällig"),
    "renewal_due": N_("Erneuerung fällig"),
    "digest": N_("Übersicht für Admins"),
}


async def failed_mail_figure(request: Request) -> dict[str, Any]:
    """The admin start page's figure of failed mails (the shape of admin_home.figures)."""
    failed = await outbox.failed_count(services_of(request).db)
    return {
        "key": "failed_mails",
        "label": N_("fehlgeschlagene E-Mails"),
        "value": failed,
        "href": "/admin/mail?status=failed",
        "alert": failed > 0,
    }


def _page_number(raw: str) -> int:
    return max(int(raw), 1) if raw.isdigit() and 0 < len(raw) < 6 else 1


async def outbox_list(request: Request) -> Response:
    services = services_of(request)
    raw_status = request.query_params.get("status", "")
    status = raw_status if raw_status in STATUS_LABELS else None
    page = _page_number(request.query_params.get("seite", "1"))
    mails = await outbox.page(
        services.db, status=status, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE
    )
    return render(
        request,
        "admin/mail.html",
        {
            "mails": mails[:PAGE_SIZE],
            "more": len(mails) > PAGE_SIZE,
            "page": page,
            "status": status,
            "counts": await outbox.counts(services.db),
            "status_labels": STATUS_LABELS,
            "kind_labels": KIND_LABELS,
        },
    )


async def outbox_retry(request: Request) -> Response:
    services = services_of(request)
    mail_id = int(request.path_params["mail_id"])
    mail = await outbox.get(services.db, mail_id)
    if mail is None:
        raise HTTPException(404)
    async with services.db.transaction() as tx:
        queued = await outbox.requeue(tx, mail_id, services.clock())
        if queued:
            await audit(request, tx, "mail.retry", "outbox", mail_id, {"to": mail.to_address})
    if not queued:
        return redirect(
            request,
            "/admin/mail",
            N_("Diese E-Mail ist nicht fehlgeschlagen und wird nicht erneut verschickt."),
            "error",
        )
    services.mail.wake()
    return redirect(request, "/admin/mail", N_("Die E-Mail wird erneut verschickt."), "success")
