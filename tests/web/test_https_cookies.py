"""With LEARNING_HTTPS every cookie is a __Host- cookie, and HSTS covers subdomains."""

from __future__ import annotations

from collections.abc import AsyncIterator
from http.cookies import SimpleCookie
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from learning.core.clock import FrozenClock
from learning.core.config import Settings
from learning.web.app import create_app
from learning.web.cookies import SESSION_COOKIE
from tests.conftest import CreateUser, csrf_from, fast_hasher, make_settings, soup, tag


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.with_overrides(https=True)


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    # Secure cookies only travel over https, as in a browser.
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as c:
        yield c


def _set_cookies(response: httpx.Response) -> dict[str, str]:
    """name -> the whole Set-Cookie line."""
    result = {}
    for line in response.headers.get_list("set-cookie"):
        name = line.split("=", 1)[0]
        result[name] = line
    return result


def _assert_host_cookie(line: str) -> None:
    jar: SimpleCookie = SimpleCookie()
    jar.load(line)
    ((name, morsel),) = jar.items()
    assert name.startswith("__Host-"), line
    assert morsel["secure"] is True and morsel["path"] == "/" and not morsel["domain"], line


async def _log_in(client: httpx.AsyncClient, email: str) -> httpx.Response:
    page = await client.get("/login")
    return await client.post(
        "/login",
        data={"email": email, "password": "ein langes Testpasswort", "csrf_token": csrf_from(page)},
    )


async def test_every_cookie_is_a_host_cookie(
    client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    user = await create_user()
    seen: dict[str, str] = {}
    first = await client.get("/login")
    seen.update(_set_cookies(first))
    login = await _log_in(client, user.email)
    assert login.status_code == 303
    seen.update(_set_cookies(login))
    token = csrf_from(await client.get("/"))
    language = await client.post("/sprache", data={"lang": "en", "csrf_token": token})
    seen.update(_set_cookies(language))
    logout = await client.post("/logout", data={"csrf_token": csrf_from(await client.get("/"))})
    seen.update(_set_cookies(logout))  # carries the flash message
    assert set(seen) == {
        "__Host-learning_browser",
        "__Host-learning_session",
        "__Host-learning_lang",
        "__Host-learning_flash",
    }
    for line in seen.values():
        _assert_host_cookie(line)


async def test_host_cookies_are_read_back_and_plain_names_are_ignored(
    client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    user = await create_user("learner", name="Anna Beispiel")
    assert (await _log_in(client, user.email)).status_code == 303
    home = await client.get("/")
    assert home.status_code == 200
    assert tag(soup(home), class_="user-name").get_text() == "Anna Beispiel"
    logout = await client.post("/logout", data={"csrf_token": csrf_from(home)})
    assert "Sie haben sich abgemeldet." in soup(await client.get("/login")).get_text()
    assert logout.status_code == 303
    assert (await _log_in(client, user.email)).status_code == 303
    # The same signed value under the plain name, as a planted cookie would come: ignored.
    signed = client.cookies["__Host-" + SESSION_COOKIE]
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, signed, domain="testserver")
    assert (await client.get("/")).status_code == 303


async def test_hsts_includes_subdomains(client: httpx.AsyncClient) -> None:
    response = await client.get("/login")
    assert response.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"


async def test_hsts_without_subdomains_when_switched_off(
    settings: Settings, clock: FrozenClock
) -> None:
    application = create_app(
        settings.with_overrides(hsts_subdomains=False), clock=clock, announce=False
    )
    application.state.services.hasher = fast_hasher()
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as c:
            response = await c.get("/login")
    assert response.headers["strict-transport-security"] == "max-age=31536000"


async def test_plain_http_has_no_hsts_and_no_prefix(tmp_path: Path, clock: FrozenClock) -> None:
    application = create_app(make_settings(tmp_path / "plain.sqlite3"), clock=clock, announce=False)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            response = await c.get("/login")
    assert "strict-transport-security" not in response.headers
    assert set(_set_cookies(response)) == {"learning_browser"}
