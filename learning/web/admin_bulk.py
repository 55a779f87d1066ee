"""Admin: bulk actions on chosen accounts. GET shows what will happen; POST does it at once.

The list's checkboxes submit by GET to the confirmation page (nothing changes yet); its
form posts the account ids it showed, with CSRF; everything runs in one transaction, with
an audit entry per account, and ends in a redirect (links: to their page, else the list).
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.datastructures import FormData, QueryParams
from starlette.requests import Request
from starlette.responses import Response

from learning.accounts import links as account_links
from learning.accounts.bulk import ACTION_LABELS, MAX_ACCOUNTS, Action, Plan, plan_bulk
from learning.core.i18n import N_
from learning.store import account_list, user_admin
from learning.store.account_list import Account
from learning.store.db import Transaction
from learning.web.admin_accounts import bulk_action, filter_query, list_context, optional_int
from learning.web.admin_accounts import user_filter as list_filter
from learning.web.admin_common import audit
from learning.web.admin_links import to_batch
from learning.web.admin_users import issue_link
from learning.web.flash import redirect
from learning.web.resolve import current_user, services_of
from learning.web.templating import render


def _ids(values: Sequence[str]) -> list[int]:
    ids = {n for n in (optional_int(v) for v in values[:MAX_ACCOUNTS]) if n is not None}
    return sorted(ids)


async def _chosen(request: Request, source: QueryParams | FormData) -> list[Account]:
    """The accounts ticked, or all the list's filter finds (none when more than the cap)."""
    services = services_of(request)
    if source.get("scope") == "all":
        found = await account_list.search_accounts(
            services.db,
            list_filter(request.query_params),
            now=services.clock(),
            per_page=MAX_ACCOUNTS,
        )
        return found.accounts if found.total <= MAX_ACCOUNTS else []
    ids = _ids([v for v in source.getlist("user") if isinstance(v, str)])
    return await account_list.accounts_by_id(services.db, ids, now=services.clock())


def _course_id(request: Request, raw: object) -> str | None:
    catalog = services_of(request).catalog
    course = catalog.get(raw) if catalog and isinstance(raw, str) and raw else None
    return course.id if course else None


def _problems(
    action: Action | None, course_id: str | None, chosen: list[Account]
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not chosen:
        errors["bulk-users"] = N_(
            "Bitte wählen Sie mindestens ein Konto (mit „alle gefundenen“ höchstens 1500;"
            " grenzen Sie die Liste sonst mit dem Filter ein)."
        )
    if action is None:
        errors["bulk-action"] = N_("Bitte wählen Sie eine Aktion.")
    elif action == "enrol" and course_id is None:
        errors["bulk-course"] = N_("Bitte wählen Sie einen Kurs.")
    return errors


async def _plan(
    request: Request, action: Action, course_id: str | None, chosen: list[Account]
) -> Plan:
    enrolled: set[int] = set()
    if action == "enrol" and course_id:
        enrolled = await user_admin.enrolled_among(
            services_of(request).db, course_id, [a.user.id for a in chosen]
        )
    return plan_bulk(action, chosen, actor_id=current_user(request).id, enrolled=enrolled)


async def bulk_confirm(request: Request) -> Response:
    query = request.query_params
    action = bulk_action(query.get("action", ""))
    course_id = _course_id(request, query.get("course"))
    chosen = await _chosen(request, query)
    errors = _problems(action, course_id, chosen)
    if errors or action is None:
        selected = {a.user.id for a in chosen}
        context = await list_context(request, selected=selected, errors=errors)
        return render(request, "admin/users.html", context, status=400)
    plan = await _plan(request, action, course_id, chosen)
    catalog = services_of(request).catalog
    course = catalog.get(course_id) if catalog and course_id else None
    return render(
        request,
        "admin/bulk_confirm.html",
        {
            "plan": plan,
            "label": ACTION_LABELS[action],
            "course": course,
            "back": "/admin/users?" + filter_query(query),
        },
    )


async def _apply(
    request: Request, tx: Transaction, plan: Plan, course_id: str | None
) -> str | None:
    services = services_of(request)
    now = services.clock()
    batch = account_links.new_batch() if plan.action == "invite" else None
    for account in plan.todo:
        user_id = account.user.id
        if plan.action == "disable":
            await user_admin.set_active(tx, user_id, False)
            await audit(request, tx, "user.disable", "user", user_id, {"bulk": True})
        elif plan.action == "invite" and batch:
            await issue_link(request, tx, user_id, "invite", batch)
            await audit(request, tx, "user.link.invite", "user", user_id, {"bulk": True})
        elif course_id:
            await user_admin.enrol(tx, [user_id], course_id, by=current_user(request).id, now=now)
            details = {"course": course_id, "added": 1, "bulk": True}
            await audit(request, tx, "enrolment.add", "user", user_id, details)
    return batch


async def bulk_apply(request: Request) -> Response:
    services = services_of(request)
    form = await request.form()
    action = bulk_action(str(form.get("action", "")))
    course_id = _course_id(request, form.get("course"))
    chosen = await _chosen(request, form)
    if _problems(action, course_id, chosen) or action is None:
        return redirect(
            request,
            "/admin/users",
            N_("Die Auswahl war unvollständig; es wurde nichts geändert."),
            "error",
        )
    # Planned again inside the request: an account disabled meanwhile is skipped now.
    plan = await _plan(request, action, course_id, chosen)
    async with services.db.transaction() as tx:
        batch = await _apply(request, tx, plan, course_id)
    if batch and plan.todo:
        return to_batch(batch)
    done = {
        "enrol": N_("Die ausgewählten Konten sind eingeschrieben."),
        "disable": N_("Die ausgewählten Konten sind deaktiviert; ihre Sitzungen sind beendet."),
        "invite": N_("Keines der ausgewählten Konten konnte eingeladen werden."),
    }
    message = done[action] if plan.todo else N_("Keines der ausgewählten Konten war betroffen.")
    return redirect(request, "/admin/users", message, "success" if plan.todo else "info")
