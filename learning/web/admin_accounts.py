"""Admin: the account list (filter, sort, pages, sign-in state) and its bulk selection."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response

from learning.accounts.bulk import ACTION_LABELS, ACTIONS, Action
from learning.core.i18n import N_
from learning.core.text import clean_text
from learning.store import account_list, users
from learning.store.account_list import LOGIN_STATES, SORTS, Sort, UserFilter
from learning.store.users import ROLES, Role
from learning.web.admin_common import courses
from learning.web.resolve import services_of
from learning.web.templating import render

ROLE_LABELS = {"learner": N_("Lernende"), "trainer": N_("Trainer/in"), "admin": N_("Admin")}
LOGIN_LABELS = {
    "invited": N_("eingeladen (Einladung offen)"),
    "never": N_("nie angemeldet"),
    "seen": N_("schon angemeldet"),
}
SORT_LABELS: dict[Sort, str] = {
    "name": N_("Name"),
    "email": N_("E-Mail"),
    "login": N_("letzte Anmeldung"),
    "created": N_("neueste zuerst"),
}
_FILTER_KEYS = ("q", "role", "group", "active", "login", "sort")


def role_of(value: str) -> Role | None:
    return next((r for r in ROLES if r == value), None)


def optional_int(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 12 else None


def user_filter(query: Mapping[str, str]) -> UserFilter:
    return UserFilter(
        text=clean_text(query.get("q", ""), max_length=200),
        role=role_of(query.get("role", "")),
        group_id=optional_int(query.get("group", "")),
        active={"1": True, "0": False}.get(query.get("active", "")),
        login=next((s for s in LOGIN_STATES if s == query.get("login")), None),
    )


def sort_of(query: Mapping[str, str]) -> Sort:
    return next((s for s in SORTS if s == query.get("sort")), "name")


def bulk_action(value: str) -> Action | None:
    return next((a for a in ACTIONS if a == value), None)


def filter_query(query: QueryParams) -> str:
    """The filter and sort of this list as a query string (for pages and the bulk step)."""
    kept = [(k, clean_text(query[k], max_length=200)) for k in _FILTER_KEYS if query.get(k)]
    return str(QueryParams(kept))


async def list_context(
    request: Request,
    *,
    selected: set[int] | None = None,
    errors: dict[str, str] | None = None,
) -> dict[str, Any]:
    services = services_of(request)
    query = request.query_params
    flt = user_filter(query)
    page_no = optional_int(query.get("seite", "")) or 1
    found = await account_list.search_accounts(
        services.db, flt, now=services.clock(), sort=sort_of(query), page=page_no
    )
    return {
        "found": found,
        "flt": flt,
        "raw": {
            k: clean_text(query.get(k, ""), max_length=200)
            for k in (*_FILTER_KEYS, "action", "course", "scope")
        },
        "query": filter_query(query),
        "groups": await users.list_groups(services.db),
        "roles": ROLE_LABELS,
        "login_labels": LOGIN_LABELS,
        "sort_labels": SORT_LABELS,
        "actions": ACTION_LABELS,
        "courses": courses(request),
        "selected": selected or set(),
        "errors": errors or {},
    }


async def user_list(request: Request) -> Response:
    return render(request, "admin/users.html", await list_context(request))
