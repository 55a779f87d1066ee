"""Routes as data, with the guard each one needs: who may call it, and CSRF on POST."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from learning.store.users import ROLES, Role
from learning.web import path_ids  # noqa: F401 - registers the `{name:id}` convertor routes use
from learning.web.csrf import TokenRefused, checked_form
from learning.web.kept_forms import after_refusal

Endpoint = Callable[[Request], Awaitable[Response]]

ANYONE: frozenset[Role] | None = None
SIGNED_IN: frozenset[Role] = frozenset(ROLES)
STAFF: frozenset[Role] = frozenset({"trainer", "admin"})
ADMIN: frozenset[Role] = frozenset({"admin"})
LEARNER: frozenset[Role] = frozenset({"learner"})


def _guard(endpoint: Endpoint, roles: frozenset[Role] | None, *, post: bool) -> Endpoint:
    async def guarded(request: Request) -> Response:
        if post:
            try:
                form = await checked_form(request)
            except TokenRefused as refused:
                # The input is kept and the user sent back to it (after a login if the
                # session ran out); the action never runs on a refused token.
                kept = await after_refusal(request, refused.form, needs_login=roles is not None)
                if kept is None:
                    raise
                return kept
        if roles is not None:
            user = request.state.user
            if user is None:
                if post:
                    kept = await after_refusal(request, form, needs_login=True)
                    return kept or RedirectResponse("/login?next=/", status_code=303)
                target = request.url.path
                if request.url.query:
                    target += "?" + request.url.query
                return RedirectResponse(f"/login?next={quote(target, safe='/')}", status_code=303)
            if user.role not in roles:
                raise HTTPException(403)
        return await endpoint(request)

    guarded.__name__ = endpoint.__name__
    guarded.__doc__ = endpoint.__doc__
    guarded.roles = roles  # type: ignore[attr-defined]
    return guarded


def get(path: str, endpoint: Endpoint, roles: Iterable[Role] | None) -> Route:
    allowed = None if roles is None else frozenset(roles)
    return Route(path, _guard(endpoint, allowed, post=False), methods=["GET"])


def post(path: str, endpoint: Endpoint, roles: Iterable[Role] | None) -> Route:
    allowed = None if roles is None else frozenset(roles)
    return Route(path, _guard(endpoint, allowed, post=True), methods=["POST"])
