"""The admin's setting of a learner's extra time in timed final tests (Nachteilsausgleich)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from learning.core.i18n import N_
from learning.store import drafts
from learning.web.admin_common import audit
from learning.web.admin_user_page import detail_page
from learning.web.flash import redirect
from learning.web.resolve import services_of, user_or_404

LIMITS = {"extra_minutes": 600, "extra_percent": 300}


def _typed(raw: object) -> str:
    """What was typed, for the form to show again (numbers only; the field is short)."""
    return "".join(ch for ch in raw[:12] if ch.isprintable()) if isinstance(raw, str) else ""


def _number(raw: object, maximum: int) -> int | None:
    text = raw.strip() if isinstance(raw, str) else ""
    if not text:
        return 0
    if not text.isdigit() or int(text) > maximum:
        return None
    return int(text)


async def extra_time_update(request: Request) -> Response:
    services = services_of(request)
    user = await user_or_404(request)
    form = await request.form()
    url = f"/admin/users/{user.id}"
    minutes = _number(form.get("extra_minutes"), LIMITS["extra_minutes"])
    percent = _number(form.get("extra_percent"), LIMITS["extra_percent"])
    if minutes is None or percent is None:
        errors = {
            key: message
            for key, value, message in (
                ("extra_percent", percent, N_("Prozent: bitte eine ganze Zahl von 0 bis 300.")),
                ("extra_minutes", minutes, N_("Minuten: bitte eine ganze Zahl von 0 bis 600.")),
            )
            if value is None
        }
        typed = {key: _typed(form.get(key)) for key in LIMITS}
        return await detail_page(request, user, values=typed, errors=errors)
    extra = drafts.ExtraTime(minutes, percent)
    async with services.db.transaction() as tx:
        before = await drafts.extra_time(tx, user.id)
        await drafts.set_extra_time_in(tx, user.id, extra)
        await audit(
            request,
            tx,
            "user.extra_time",
            "user",
            user.id,
            {
                "before": {"minutes": before.minutes, "percent": before.percent},
                "after": {"minutes": minutes, "percent": percent},
            },
        )
    return redirect(
        request,
        url,
        N_("Die zusätzliche Zeit ist gespeichert; sie gilt für Testversuche, die danach beginnen."),
        "success",
    )
