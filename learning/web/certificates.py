"""Certificate download for its owner and public verification by code."""

from __future__ import annotations

import re
from datetime import date

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from learning.core.clock import from_db
from learning.rules.assignments import local_day
from learning.store import attempts, renewals
from learning.web.resolve import course_or_404, current_user, services_of
from learning.web.templating import render

_CODE = re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$")


async def download(request: Request) -> Response:
    services = services_of(request)
    user = current_user(request)
    course = course_or_404(request)
    certificate = await attempts.certificate_for(services.db, user.id, course.id)
    if certificate is None:
        raise HTTPException(404)
    # Imported here, not at start-up: fpdf and its fonts take most of a second to
    # import, and the server should answer its first request long before anyone
    # downloads a certificate.
    from learning.reports.certificate_pdf import Issuer, certificate_pdf

    settings = services.settings
    body = certificate_pdf(
        learner_name=certificate.learner_name,
        course_title=certificate.course_title,
        course_subtitle=course.subtitle,
        issued=from_db(certificate.issued_at),
        duration_minutes=certificate.duration,
        topics=certificate.topics,
        code=certificate.code,
        verify_url=f"{settings.public_url}/verify/{certificate.code}",
        valid_until=_day(certificate.valid_until),
        issuer=Issuer(settings.org_name, settings.org_logo),
        scope=course.scope,
    )
    return Response(
        body,
        media_type="application/pdf",
        headers={"content-disposition": f'attachment; filename="zertifikat-{course.id}.pdf"'},
    )


def normal_code(raw: str) -> str:
    """A code as printed (ABCD-EFGH-JKLM), from what someone typed: any case, spaces,
    hyphens or none. Anything that is not 12 code characters is returned cleaned only."""
    compact = "".join(ch for ch in raw.upper() if ch not in " -\t")
    if len(compact) == 12:
        return "-".join(compact[i : i + 4] for i in range(0, 12, 4))
    return raw.strip().upper()


async def verify(request: Request) -> Response:
    services = services_of(request)
    code = normal_code(request.path_params["code"])
    certificate = (
        await attempts.certificate_by_code(services.db, code) if _CODE.match(code) else None
    )
    if certificate is not None:
        until = _day(certificate.valid_until)
        today = local_day(services.clock(), services.settings.timezone)
        state = "expired" if until is not None and today > until else "current"
        context = {"certificate": certificate, "code": code, "state": state, "until": until}
        return render(request, "verify.html", context)
    old = await renewals.replaced(services.db, code) if _CODE.match(code) else None
    if old is not None:
        context = {
            "certificate": old,
            "code": code,
            "state": "replaced",
            "until": _day(old.valid_until),
        }
        return render(request, "verify.html", context)
    return render(request, "verify.html", {"certificate": None, "code": code[:20]}, status=404)


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


async def verify_form(request: Request) -> Response:
    code = normal_code(request.query_params.get("code", "")[:40])[:20]
    if code:
        from urllib.parse import quote

        from starlette.responses import RedirectResponse

        return RedirectResponse(f"/verify/{quote(code, safe='')}", status_code=303)
    return render(request, "verify.html", {"certificate": None, "code": "", "empty": True})
