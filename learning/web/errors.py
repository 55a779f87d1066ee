"""One place that turns errors into German error pages, never a stack trace."""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response

from learning.core.i18n import N_
from learning.web.security_headers import STATIC_HEADERS
from learning.web.slash_redirect import slash_redirect
from learning.web.templating import render

log = logging.getLogger("learning.web")

TITLES = {
    400: N_("Ungültige Anfrage"),
    403: N_("Kein Zugriff"),
    404: N_("Seite nicht gefunden"),
    405: N_("Methode nicht erlaubt"),
    410: N_("Nicht mehr gültig"),
    413: N_("Anfrage zu groß"),
    429: N_("Zu viele Anfragen"),
    500: N_("Interner Fehler"),
    503: N_("Dienst nicht verfügbar"),
}

MESSAGES = {
    400: N_("Die Anfrage konnte nicht verarbeitet werden. Bitte prüfen Sie Ihre Eingaben."),
    403: N_("Sie haben keine Berechtigung für diese Seite oder Aktion."),
    404: N_("Diese Seite gibt es nicht, oder sie ist für Sie nicht sichtbar."),
    405: N_("Diese Aktion ist auf dieser Seite nicht möglich."),
    410: N_("Dieser Link ist nicht mehr gültig."),
    413: N_("Die gesendeten Daten sind zu groß."),
    429: N_("Bitte warten Sie einen Moment und versuchen Sie es dann erneut."),
    500: N_("Es ist ein Fehler aufgetreten. Bitte versuchen Sie es später noch einmal."),
    503: N_("Der Dienst ist gerade nicht erreichbar."),
}


def error_page(request: Request, status: int, detail: str | None = None) -> Response:
    title = TITLES.get(status, "Fehler")
    message = detail if detail and not detail.startswith(("Not Found", "Method")) else None
    try:
        return render(
            request,
            "error.html",
            {"status": status, "title": title, "message": message or MESSAGES.get(status, "")},
            status=status,
        )
    except Exception:  # the error page must never fail itself
        log.exception("error page failed")
        return PlainTextResponse(f"{status} {title}", status_code=status)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)  # noqa: S101 - registered only for HTTPException
    if exc.status_code == 404:
        redirect = slash_redirect(request)
        if redirect is not None:
            return redirect
    detail: str | None = exc.detail if isinstance(exc.detail, str) else None
    if detail in {"Not Found", "Method Not Allowed", "Forbidden", "Bad Request"}:
        detail = None
    response = error_page(request, exc.status_code, detail)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def server_error(request: Request, exc: Exception) -> Response:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return outside_page(request, 500)


def outside_page(request: Request, status: int, detail: str | None = None) -> Response:
    """An error page from outside the header middleware, so with its headers added."""
    try:
        response = error_page(request, status, detail)
    except Exception:
        response = HTMLResponse(f"{status} {TITLES[status]}", status_code=status)
    for name, value in STATIC_HEADERS:
        response.headers[name.decode()] = value.decode()
    response.headers["cache-control"] = "no-store"
    return response
