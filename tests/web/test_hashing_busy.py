"""A full hashing pool answers with a German "try again in a minute" page, never a 5xx
trace, and leaves nothing half done: no session, no counted attempt, no spent link."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette

from learning.accounts.links import issue_link
from learning.core.clock import FrozenClock
from learning.core.config import Settings
from learning.store import users
from learning.web.app import create_app
from learning.web.cookies import SESSION_COOKIE
from learning.web.services import Services
from tests.conftest import PASSWORD, CreateUser, csrf_for, log_in, new_client, soup

BUSY_TEXT = "Gerade melden sich sehr viele Personen an"


@pytest.fixture(
    params=[{"hash_queue": 0}, {"hash_queue": 5, "hash_wait": 0.01}],
    ids=["queue-full", "waited-too-long"],
)
def limits(request: pytest.FixtureRequest) -> dict[str, object]:
    result: dict[str, object] = request.param
    return result


@pytest.fixture
async def app(
    settings: Settings, clock: FrozenClock, limits: dict[str, object]
) -> AsyncIterator[Starlette]:
    # The pool as the settings build it: one slot, and the bounds under test.
    application = create_app(
        settings.with_overrides(hash_concurrency=1, **limits), clock=clock, announce=False
    )
    async with application.router.lifespan_context(application):
        yield application


def _assert_busy_page(response: httpx.Response) -> None:
    assert response.status_code == 429
    assert response.headers["retry-after"] == "60"
    assert BUSY_TEXT in soup(response).get_text()
    assert "Traceback" not in response.text


async def test_login_while_the_pool_is_full(
    client: httpx.AsyncClient, create_user: CreateUser, services: Services
) -> None:
    user = await create_user()
    token = await csrf_for(client)
    async with services.hasher.slot():
        response = await client.post(
            "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
        )
    _assert_busy_page(response)
    assert SESSION_COOKIE not in client.cookies
    # No password was checked, so nothing counts towards the throttle.
    assert await services.db.scalar("SELECT count(*) FROM login_attempts") == 0
    assert (await log_in(client, user.email)).status_code == 303


async def test_login_busy_page_in_english(
    client: httpx.AsyncClient, create_user: CreateUser, services: Services
) -> None:
    user = await create_user()
    token = await csrf_for(client)
    async with services.hasher.slot():
        response = await client.post(
            "/login",
            data={"email": user.email, "password": PASSWORD, "csrf_token": token},
            headers={"accept-language": "en"},
        )
    assert response.status_code == 429
    assert "a lot of people are signing in" in soup(response).get_text()


async def test_password_change_while_the_pool_is_full(
    client: httpx.AsyncClient, create_user: CreateUser, services: Services
) -> None:
    user = await create_user()
    await log_in(client, user.email)
    before = (await users.get_user(services.db, user.id)).password_hash
    token = await csrf_for(client, "/konto/passwort")
    form = {
        "current_password": PASSWORD,
        "password": "ein ganz neues Passwort",
        "password_confirm": "ein ganz neues Passwort",
        "csrf_token": token,
    }
    async with services.hasher.slot():
        response = await client.post("/konto/passwort", data=form)
    _assert_busy_page(response)
    assert (await users.get_user(services.db, user.id)).password_hash == before
    assert (await client.post("/konto/passwort", data=form)).status_code == 303


async def test_invitation_while_the_pool_is_full_keeps_the_link_usable(
    app: Starlette, create_user: CreateUser, services: Services
) -> None:
    invitee = await create_user()
    async with services.db.transaction() as tx:
        path = await issue_link(
            tx,
            services.signer,
            base_url="",
            user_id=invitee.id,
            purpose="invite",
            created_by=None,
            now=services.clock(),
        )
    async with new_client(app, "10.5.5.5") as visitor:
        token = await csrf_for(visitor, path)
        form = {
            "csrf_token": token,
            "name": "Neu Person",
            "password": "Kastanienbaum blüht spät",
            "password_confirm": "Kastanienbaum blüht spät",
        }
        async with services.hasher.slot():
            response = await visitor.post(path, data=form)
        _assert_busy_page(response)
        assert (await visitor.post(path, data=form)).status_code == 303
