"""Links handed out together (invitation, reset, import, bulk): a page and a CSV, both GET.

Every form that creates links redirects here, so reloading the page creates nothing and
the links do not vanish with the POST's response.
"""

from __future__ import annotations

import csv
import io

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from learning.accounts import links as account_links
from learning.core.clock import from_db
from learning.core.i18n import N_, local_datetime
from learning.reports.documents import neutralise
from learning.web.resolve import current_user, services_of
from learning.web.templating import render


def batch_url(batch: str) -> str:
    return f"/admin/links/{batch}"


def to_batch(batch: str) -> Response:
    """The redirect after a POST that handed out the links of `batch`."""
    return RedirectResponse(batch_url(batch), status_code=303)


async def _links(request: Request) -> tuple[str, list[account_links.ShownLink]]:
    batch = request.path_params["batch"]
    if not account_links.valid_batch(batch):
        raise HTTPException(404)
    services = services_of(request)
    shown = await account_links.links_of_batch(
        services.db,
        services.signer,
        base_url=services.settings.public_url,
        batch=batch,
        viewer=current_user(request).id,
        now=services.clock(),
    )
    if not shown:
        raise HTTPException(404, N_("Diese Links gibt es nicht (mehr)."))
    return batch, shown


def _heading(purpose: str, count: int) -> str:
    if purpose == "invite":
        return N_("Einladungslink") if count == 1 else N_("Einladungslinks")
    return N_("Link zum Zurücksetzen des Passworts") if count == 1 else N_("Links")


async def link_batch(request: Request) -> Response:
    batch, shown = await _links(request)
    purposes = {link.purpose for link in shown}
    purpose = purposes.pop() if len(purposes) == 1 else "mixed"
    return render(
        request,
        "admin/links.html",
        {
            "links": shown,
            "batch": batch,
            "purpose": purpose,
            "heading": _heading(purpose, len(shown)),
            "live": sum(1 for link in shown if link.url),
        },
    )


async def link_batch_csv(request: Request) -> Response:
    _batch, shown = await _links(request)
    translate = services_of(request).translator.gettext
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [translate(title) for title in (N_("Name"), N_("E-Mail"), N_("Link"), N_("Gültig bis"))]
    )
    for link in shown:
        writer.writerow(
            [
                neutralise(link.name),
                neutralise(link.email),
                link.url or translate(N_("nicht mehr gültig")),
                local_datetime(from_db(link.expires_at)),
            ]
        )
    stamp = services_of(request).clock().strftime("%Y-%m-%d")
    return Response(
        buffer.getvalue().encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="einladungslinks-{stamp}.csv"'},
    )
