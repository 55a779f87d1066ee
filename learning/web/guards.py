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
from learning.web.csrf import checked_form

Endpoint = Callable[[Request], Awaitable[Response]]

ANYONE: frozenset[Role] | None = None
SIGNED_IN: frozenset[Role] = frozenset(ROLES)
STAFF: frozenset[Role] = frozenset({"trainer", "admin"})
ADMIN: frozenset[Role] = frozenset({"admin"})
LEARNER: frozenset[Role] = frozenset({"learner"})


def _guard(endpoint: Endpoint, roles: frozenset[Role] | None, *, post: bool) -> Endpoint:
    async def guarded(request: Request) -> Response:
        if post:
            await checked_form(request)
        if roles is not None:
            user = request.state.user
            if user is None:
                target = request.url.path
                if request.url.query:
                    target += "?" + request.url.query
                if post:
                    target = "/"
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
