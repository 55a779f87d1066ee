"""Every admin and trainer route against anonymous, learner, trainer and admin callers."""

from __future__ import annotations

import re

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Route

from learning.core.config import settings_from_env
from learning.web.routes import routes
from learning.web.services import Services
from tests.admin_support import assign_trainer, install_catalog
from tests.conftest import CreateUser, csrf_for, log_in, new_client


def _routes() -> list[tuple[str, str, frozenset[str] | None]]:
    result = []
    for route in routes(settings_from_env({"LEARNING_SECRET_KEY": "k" * 32})):
        if not isinstance(route, Route) or not route.path.startswith(("/admin", "/trainer")):
            continue
        roles: frozenset[str] | None = route.endpoint.roles  # type: ignore[attr-defined]
        for method in sorted(route.methods or ()):
            if method == "HEAD":
                continue
            result.append((method, route.path, roles))
    return result


ROUTES = _routes()


def concrete(path: str, ids: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: ids[m.group(1)], path)


async def _client_as(
    app: Starlette, create_user: CreateUser, role: str | None
) -> httpx.AsyncClient:
    client = new_client(app, address=f"10.0.0.{len(role or 'x')}")
    if role is not None:
        user = await create_user(role)
        response = await log_in(client, user.email)
        assert response.status_code == 303
    return client


@pytest.mark.parametrize("caller", [None, "learner", "trainer", "admin"])
async def test_every_route_guards_its_role(
    app: Starlette, services: Services, create_user: CreateUser, caller: str | None
) -> None:
    install_catalog(services)
    target = await create_user("learner", group="Amt Nord")
    group_id = await services.db.scalar("SELECT id FROM groups WHERE name = 'Amt Nord'")
    ids = {
        "user_id": str(target.id),
        "group_id": str(group_id),
        "assignment_id": "1",
        "course_id": "kurs-a",
        "page_id": "p1",
        "token": "kein-gueltiger-token",
    }
    client = await _client_as(app, create_user, caller)
    if caller == "trainer":
        # The results of a course go to its own trainers (tests/web/test_trainer_results.py):
        # here the role is the point, so the trainer owns the course.
        trainer_id = await services.db.scalar("SELECT id FROM users WHERE role = 'trainer'")
        await assign_trainer(services.db, int(trainer_id), "kurs-a")
    try:
        token = await csrf_for(client, "/login" if caller is None else "/")
        for method, path, roles in ROUTES:
            url = concrete(path, ids)
            if method == "GET":
                response = await client.get(url)
            else:
                response = await client.post(url, data={"csrf_token": token})
            status = response.status_code
            if roles is None:
                assert status in (200, 303, 400, 404, 410), (method, url, status)
            elif caller is None:
                assert status == 303, (method, url, status)
                assert response.headers["location"].startswith("/login"), (method, url)
            elif caller not in roles:
                assert status == 403, (method, url, caller, status)
            else:
                assert status < 500 and status != 403, (method, url, caller, status)
    finally:
        await client.aclose()


def test_admin_pages_are_admin_only_and_trainer_pages_staff() -> None:
    for _method, path, roles in ROUTES:
        if path.startswith("/admin"):
            assert roles == frozenset({"admin"}), path
        elif path.startswith("/trainer"):
            assert roles == frozenset({"trainer", "admin"}), path
        else:
            assert roles is None, path
