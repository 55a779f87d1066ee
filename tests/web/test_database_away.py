"""A database that goes away under a request: 503 with a German page, never a 500.

The server does not need a restart: the next request after the database is back
is served as usual.
"""

from __future__ import annotations

import httpx
import pytest

from learning.store.db import DatabaseUnavailable, Params, Row
from learning.web.services import Services
from tests.conftest import LoginAs, csrf_from, soup, tag


@pytest.fixture
def away(services: Services, monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """While the flag holds True, every read raises what an unreachable database raises."""
    flag = [False]
    real = services.db.fetchall

    async def fetchall(sql: str, params: Params = ()) -> list[Row]:
        if flag[0]:
            raise DatabaseUnavailable("Die Verbindung zur Datenbank ist unterbrochen.")
        return await real(sql, params)

    monkeypatch.setattr(services.db, "fetchall", fetchall)
    return flag


async def test_signed_in_page_answers_503_while_the_database_is_away(
    client: httpx.AsyncClient, login_as: LoginAs, away: list[bool]
) -> None:
    await login_as("learner")
    away[0] = True
    response = await client.get("/")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    page = soup(response)
    assert tag(page, "h1").get_text(strip=True) == "Dienst nicht verfügbar"
    assert "Datenbank ist gerade nicht erreichbar" in page.get_text()
    assert "Traceback" not in response.text

    away[0] = False
    assert (await client.get("/")).status_code == 200  # no restart needed


async def test_login_form_answers_503_not_500(client: httpx.AsyncClient, away: list[bool]) -> None:
    token = csrf_from(await client.get("/login"))
    away[0] = True
    response = await client.post(
        "/login", data={"email": "a@example.org", "password": "x", "csrf_token": token}
    )
    assert response.status_code == 503
    assert "Datenbank ist gerade nicht erreichbar" in soup(response).get_text()
