from __future__ import annotations

import time

import httpx
import pytest

from learning.web.app import setup_link
from learning.web.services import Services
from tests.conftest import csrf_for, soup, tag


def _path(services: Services) -> str:
    return "/setup/" + setup_link(services).rsplit("/setup/", 1)[1]


def _form(token: str) -> dict[str, str]:
    return {
        "email": "chefin@example.org",
        "name": "Erste Admin",
        "password": "ein sehr langes Passwort",
        "password_confirm": "ein sehr langes Passwort",
        "csrf_token": token,
    }


async def test_setup_link_creates_first_admin_once(
    client: httpx.AsyncClient, services: Services
) -> None:
    path = _path(services)
    page = await client.get(path)
    assert page.status_code == 200
    response = await client.post(path, data=_form(csrf_from_page(page)))
    assert response.status_code == 303
    row = await services.db.fetchone("SELECT role FROM users WHERE email = 'chefin@example.org'")
    assert row is not None and row["role"] == "admin"
    assert (await client.get("/")).status_code == 200  # logged in as the new admin
    again = await client.get(path)
    assert again.status_code == 410
    token = await csrf_for(client, "/")
    second = await client.post(path, data={**_form(token), "email": "zweite@example.org"})
    assert second.status_code == 410
    count = await services.db.scalar("SELECT count(*) FROM users")
    assert count == 1


def csrf_from_page(response: httpx.Response) -> str:
    return str(tag(soup(response), "input", attrs={"name": "csrf_token"})["value"])


async def test_setup_link_expires_after_24_hours(
    client: httpx.AsyncClient, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_time = time.time
    # Sign the link as the server would have 25 hours ago (itsdangerous reads time.time()).
    monkeypatch.setattr(time, "time", lambda: real_time() - 25 * 3600)
    path = _path(services)
    monkeypatch.setattr(time, "time", real_time)
    response = await client.get(path)
    assert response.status_code == 410
    assert "abgelaufen" in tag(soup(response), "main").get_text()


async def test_forged_setup_link_is_not_found(client: httpx.AsyncClient) -> None:
    response = await client.get("/setup/not-a-real-token")
    assert response.status_code == 404


async def test_setup_validates_password_policy(
    client: httpx.AsyncClient, services: Services
) -> None:
    path = _path(services)
    page = await client.get(path)
    form = _form(csrf_from_page(page))
    form["password"] = form["password_confirm"] = "123456789012"
    response = await client.post(path, data=form)
    assert response.status_code == 400
    error = soup(response).find(id="f-password-error")
    assert error is not None and "Datenlecks" in error.get_text()
    assert await services.db.scalar("SELECT count(*) FROM users") == 0
