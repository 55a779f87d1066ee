"""The same password rule on every path that sets a password, with the reason shown."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher as Argon2
from argon2 import extract_parameters
from starlette.applications import Starlette

from learning.accounts.links import issue_link
from learning.accounts.passwords import PasswordHasher
from learning.accounts.signing import Purpose
from learning.store import users
from learning.web.app import setup_link
from learning.web.services import Services
from tests.conftest import PASSWORD, CreateUser, csrf_for, log_in, new_client, soup

# (password, words the German reason must contain): 11 characters, and a leaked one.
WEAK = [
    ("Tafel Ulme9", "mindestens 12 Zeichen"),
    ("123456789012", "Datenlecks"),
    ("qwertyuiop12", "Datenlecks"),
]


def _error(response: httpx.Response) -> str:
    field = soup(response).find(id="f-password-error")
    assert field is not None, response.text
    return str(field.get_text())


@pytest.mark.parametrize(("password", "reason"), WEAK)
async def test_setup_refuses_weak_passwords(
    client: httpx.AsyncClient, services: Services, password: str, reason: str
) -> None:
    path = "/setup/" + setup_link(services).rsplit("/setup/", 1)[1]
    token = await csrf_for(client, path)
    response = await client.post(
        path,
        data={
            "email": "chefin@example.org",
            "name": "Erste Admin",
            "password": password,
            "password_confirm": password,
            "csrf_token": token,
        },
    )
    assert response.status_code == 400
    assert reason in _error(response)
    assert await services.db.scalar("SELECT count(*) FROM users") == 0


async def _link(services: Services, user_id: int, purpose: Purpose) -> str:
    async with services.db.transaction() as tx:
        return await issue_link(
            tx,
            services.signer,
            base_url="",
            user_id=user_id,
            purpose=purpose,
            created_by=None,
            now=services.clock(),
        )


@pytest.mark.parametrize("purpose", ["invite", "reset"])
@pytest.mark.parametrize(("password", "reason"), WEAK)
async def test_link_pages_refuse_weak_passwords(
    app: Starlette,
    create_user: CreateUser,
    services: Services,
    purpose: Purpose,
    password: str,
    reason: str,
) -> None:
    user = await create_user()
    before = (await users.get_user(services.db, user.id)).password_hash
    path = await _link(services, user.id, purpose)
    async with new_client(app, "10.4.4.4") as visitor:
        token = await csrf_for(visitor, path)
        response = await visitor.post(
            path,
            data={
                "csrf_token": token,
                "name": "Neu Person",
                "password": password,
                "password_confirm": password,
            },
        )
        assert response.status_code == 400
        assert reason in _error(response)
        # Nothing was stored and the link still works.
        assert (await users.get_user(services.db, user.id)).password_hash == before
        assert (await visitor.get(path)).status_code == 200


@pytest.mark.parametrize(("password", "reason"), WEAK)
async def test_password_change_refuses_weak_passwords(
    client: httpx.AsyncClient,
    create_user: CreateUser,
    services: Services,
    password: str,
    reason: str,
) -> None:
    user = await create_user()
    await log_in(client, user.email)
    before = (await users.get_user(services.db, user.id)).password_hash
    token = await csrf_for(client, "/konto/passwort")
    response = await client.post(
        "/konto/passwort",
        data={
            "current_password": PASSWORD,
            "password": password,
            "password_confirm": password,
            "csrf_token": token,
        },
    )
    assert response.status_code == 400
    assert reason in _error(response)
    assert (await users.get_user(services.db, user.id)).password_hash == before


async def test_the_reason_is_shown_in_english_too(
    client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    user = await create_user()
    await log_in(client, user.email)
    token = await csrf_for(client, "/konto/passwort")
    response = await client.post(
        "/konto/passwort",
        data={
            "current_password": PASSWORD,
            "password": "123456789012",
            "password_confirm": "123456789012",
            "csrf_token": token,
        },
        headers={"accept-language": "en"},
    )
    assert response.status_code == 400
    assert "data breaches" in _error(response)


@pytest.mark.parametrize(("password", "reason"), WEAK)
def test_cli_users_add_refuses_weak_passwords(tmp_path: Path, password: str, reason: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "learning", "users", "add", "a@example.org", "--role", "learner"],
        input=password + "\n",
        capture_output=True,
        text=True,
        env={"LEARNING_DATABASE": str(tmp_path / "cli.sqlite3"), "PATH": "/usr/bin:/bin"},
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert reason in result.stderr
    assert "Traceback" not in result.stderr


async def test_login_rehashes_a_password_stored_with_older_parameters(
    app: Starlette, client: httpx.AsyncClient, create_user: CreateUser, services: Services
) -> None:
    user = await create_user()  # hashed with the test suite's cheap parameters
    # Today's parameters in the app (cheap ones too, but different).
    services.hasher = PasswordHasher(1, hasher=Argon2(time_cost=2, memory_cost=16, parallelism=1))
    assert (await log_in(client, user.email)).status_code == 303
    stored = (await users.get_user(services.db, user.id)).password_hash
    assert stored is not None
    parameters = extract_parameters(stored)
    assert (parameters.time_cost, parameters.memory_cost) == (2, 16)
    async with new_client(app, "10.4.4.5") as again:
        assert (await log_in(again, user.email)).status_code == 303
