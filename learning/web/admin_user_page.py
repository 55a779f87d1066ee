"""The admin's page of one account, shown again with the input and errors of any of its forms."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from learning.store import drafts, enrolment_history, outbox, privacy, user_admin, users
from learning.store.users import User
from learning.web.admin_accounts import ROLE_LABELS
from learning.web.admin_common import courses
from learning.web.admin_mail import KIND_LABELS, STATUS_LABELS
from learning.web.resolve import services_of, user_or_404
from learning.web.templating import render


async def _context(request: Request, user: User) -> dict[str, Any]:
    services = services_of(request)
    extra = await drafts.extra_time(services.db, user.id)
    return {
        "target": user,
        "enrolments": await user_admin.enrolments_of(services.db, user.id),
        "removals": await enrolment_history.removals_of(services.db, user.id),
        "invitations": await user_admin.open_invitations(services.db, user.id, services.clock()),
        "courses": courses(request),
        "course_titles": {course.id: course.title for course in courses(request)},
        "groups": await users.list_groups(services.db),
        "roles": ROLE_LABELS,
        "anonymised": await privacy.is_anonymised(services.db, user.id),
        # Whether the invitation or reset mail arrived, or why not.
        "mails": await outbox.page(services.db, status=None, limit=5, offset=0, to_user_id=user.id),
        "mail_kinds": KIND_LABELS,
        "mail_statuses": STATUS_LABELS,
        "values": {
            "name": user.name,
            "role": user.role,
            "group": str(user.group_id or ""),
            "new_group": "",
            "extra_percent": str(extra.percent),
            "extra_minutes": str(extra.minutes),
        },
    }


async def detail_page(
    request: Request,
    user: User,
    *,
    values: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
) -> Response:
    """The account page; with errors (status 400) every form keeps what was typed."""
    context = await _context(request, user)
    context["values"].update(values or {})
    context["errors"] = dict(errors or {})
    return render(request, "admin/user.html", context, status=400 if errors else 200)


async def user_detail(request: Request) -> Response:
    return await detail_page(request, await user_or_404(request))
