"""Checks of a secret hold under parallel requests: throttling and single-use links."""

from __future__ import annotations

import asyncio

import httpx
from starlette.applications import Starlette

from learning.accounts.links import issue_link
from learning.accounts.signing import Purpose
from learning.store import audit, users
from learning.web.app import setup_link
from learning.web.services import Services
from tests.conftest import PASSWORD, CreateUser, csrf_for, log_in, new_client, soup


async def _burst(
    client: httpx.AsyncClient, path: str, forms: list[dict[str, str]]
) -> list[httpx.Response]:
    return list(await asyncio.gather(*(client.post(path, data=form) for form in forms)))


async def _failures(services: Services, email: str) -> int:
    count: int = await services.db.scalar(
        "SELECT count(*) FROM login_attempts WHERE email = ? AND success != 1", (email,)
    )
    return count


async def test_thirty_parallel_wrong_logins_get_five_password_checks(
    app: Starlette, create_user: CreateUser, services: Services
) -> None:
    user = await create_user()
    async with new_client(app, "10.7.7.7") as attacker:
        token = await csrf_for(attacker)
        forms = [
            {"email": user.email, "password": f"rate mal {n:02d} geraten", "csrf_token": token}
            for n in range(30)
        ]
        responses = await _burst(attacker, "/login", forms)
    statuses = [r.status_code for r in responses]
    assert statuses.count(401) == 5, statuses  # one password check per 401
    assert statuses.count(429) == 25
    assert await _failures(services, user.email) == 5
    refused = next(r for r in responses if r.status_code == 429)
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in soup(refused).get_text()


async def test_parallel_logins_with_the_right_password_all_get_in(
    app: Starlette, create_user: CreateUser, services: Services
) -> None:
    user = await create_user()
    async with new_client(app, "10.7.7.8") as browser:
        token = await csrf_for(browser)
        form = {"email": user.email, "password": PASSWORD, "csrf_token": token}
        responses = await _burst(browser, "/login", [form] * 10)
    # A success does not count as a failure, so ten at once do not throttle each other.
    assert [r.status_code for r in responses] == [303] * 10
    assert await _failures(services, user.email) == 0


async def test_thirty_parallel_guesses_of_the_current_password_get_five_checks(
    client: httpx.AsyncClient, create_user: CreateUser, services: Services
) -> None:
    user = await create_user()
    assert (await log_in(client, user.email)).status_code == 303
    before = (await users.get_user(services.db, user.id)).password_hash
    token = await csrf_for(client, "/konto/passwort")
    forms = [
        {
            "current_password": f"geraten {n:02d} falsch",
            "password": "ein ganz neues Passwort",
            "password_confirm": "ein ganz neues Passwort",
            "csrf_token": token,
        }
        for n in range(30)
    ]
    statuses = [r.status_code for r in await _burst(client, "/konto/passwort", forms)]
    assert statuses.count(400) == 5, statuses
    assert statuses.count(429) == 25
    assert (await users.get_user(services.db, user.id)).password_hash == before
    assert await _failures(services, user.email) == 5


async def _link(services: Services, user_id: int, purpose: Purpose) -> str:
    async with services.db.transaction() as tx:
        url = await issue_link(
            tx,
            services.signer,
            base_url="",
            user_id=user_id,
            purpose=purpose,
            created_by=None,
            now=services.clock(),
        )
    return url


async def _redeem_in_parallel(
    app: Starlette, services: Services, purpose: Purpose, user_id: int
) -> list[int]:
    path = await _link(services, user_id, purpose)
    async with new_client(app, "10.8.8.8") as visitor:
        token = await csrf_for(visitor, path)
        forms = [
            {
                "csrf_token": token,
                "name": f"Person {n}",
                "password": f"Kastanienbaum {n} blüht spät",
                "password_confirm": f"Kastanienbaum {n} blüht spät",
            }
            for n in range(8)
        ]
        return [r.status_code for r in await _burst(visitor, path, forms)]


async def test_an_invitation_link_is_redeemed_once_under_parallel_use(
    app: Starlette, create_user: CreateUser, services: Services
) -> None:
    invitee = await create_user()
    statuses = await _redeem_in_parallel(app, services, "invite", invitee.id)
    assert sorted(statuses) == [303] + [410] * 7
    entries = [e for e in await audit.list_entries(services.db) if e.target_id == str(invitee.id)]
    assert [e.action for e in entries] == ["user.accept_invite"]
    # The one password that was stored belongs to the name that was stored with it.
    stored = await users.get_user(services.db, invitee.id)
    n = stored.name.removeprefix("Person ")
    async with new_client(app, "10.8.8.9") as later:
        assert (
            await log_in(later, invitee.email, f"Kastanienbaum {n} blüht spät")
        ).status_code == 303


async def test_a_reset_link_is_redeemed_once_under_parallel_use(
    app: Starlette, create_user: CreateUser, services: Services
) -> None:
    learner = await create_user()
    statuses = await _redeem_in_parallel(app, services, "reset", learner.id)
    assert sorted(statuses) == [303] + [410] * 7
    entries = [e for e in await audit.list_entries(services.db) if e.target_id == str(learner.id)]
    assert [e.action for e in entries] == ["user.password_reset"]


def _setup_path(services: Services) -> str:
    return "/setup/" + setup_link(services).rsplit("/setup/", 1)[1]


async def test_two_setup_links_at_once_create_one_admin(app: Starlette, services: Services) -> None:
    # Each start of the server prints a new link; two people may open two of them.
    paths = [_setup_path(services), _setup_path(services)]
    clients = [new_client(app, "10.9.0.1"), new_client(app, "10.9.0.2")]
    try:
        tokens = [await csrf_for(c, p) for c, p in zip(clients, paths, strict=True)]
        forms = [
            {
                "email": f"chefin{n}@example.org",
                "name": f"Chefin {n}",
                "password": "Rotkehlchen singen im Mai",
                "password_confirm": "Rotkehlchen singen im Mai",
                "csrf_token": tokens[n],
            }
            for n in range(2)
        ]
        responses = await asyncio.gather(
            *(c.post(p, data=f) for c, p, f in zip(clients, paths, forms, strict=True))
        )
    finally:
        for c in clients:
            await c.aclose()
    assert sorted(r.status_code for r in responses) == [303, 410]
    refused = next(r for r in responses if r.status_code == 410)
    assert "es gibt bereits ein Admin-Konto" in soup(refused).get_text()
    assert await services.db.scalar("SELECT count(*) FROM users WHERE role = 'admin'") == 1


async def test_one_setup_link_used_in_parallel_creates_one_admin(
    client: httpx.AsyncClient, services: Services
) -> None:
    path = _setup_path(services)
    token = await csrf_for(client, path)
    forms = [
        {
            "email": f"chefin{n}@example.org",
            "name": f"Chefin {n}",
            "password": "Rotkehlchen singen im Mai",
            "password_confirm": "Rotkehlchen singen im Mai",
            "csrf_token": token,
        }
        for n in range(6)
    ]
    statuses = sorted(r.status_code for r in await _burst(client, path, forms))
    assert statuses == [303] + [410] * 5
    assert await services.db.scalar("SELECT count(*) FROM users") == 1
