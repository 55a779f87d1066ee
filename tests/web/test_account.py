from __future__ import annotations

import httpx
from starlette.applications import Starlette

from learning.core.clock import FrozenClock
from learning.store import users
from learning.web.cookies import SESSION_COOKIE
from learning.web.services import Services
from tests.conftest import PASSWORD, CreateUser, csrf_for, log_in, new_client, soup, tag


async def test_login_page_has_labelled_fields(client: httpx.AsyncClient) -> None:
    page = soup(await client.get("/login"))
    assert page.html is not None and page.html["lang"] == "de"
    for name in ("email", "password"):
        control = page.find("input", attrs={"name": name})
        assert control is not None
        assert page.find("label", attrs={"for": control["id"]}) is not None


async def test_login_success_sets_session_and_shows_start(
    client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    user = await create_user("learner", name="Anna Beispiel")
    response = await log_in(client, user.email)
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    cookie = response.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookie if c.startswith(SESSION_COOKIE + "="))
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie
    assert "Secure" not in session_cookie  # plain http in tests
    home = await client.get("/")
    assert home.status_code == 200
    assert "Anna Beispiel" in tag(soup(home), class_="user-name").get_text()


async def test_login_failure_does_not_reveal_whether_account_exists(
    client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    user = await create_user()
    wrong_password = await log_in(client, user.email, "falsches Passwort 123")
    unknown_user = await log_in(client, "niemand@example.org", "falsches Passwort 123")
    assert wrong_password.status_code == unknown_user.status_code == 401
    message_a = tag(soup(wrong_password), class_="error-summary").get_text(strip=True)
    message_b = tag(soup(unknown_user), class_="error-summary").get_text(strip=True)
    assert message_a == message_b
    assert SESSION_COOKIE not in client.cookies


async def test_disabled_user_cannot_log_in(
    client: httpx.AsyncClient, create_user: CreateUser, services: Services
) -> None:
    user = await create_user()
    async with services.db.transaction() as tx:
        await tx.execute("UPDATE users SET active = 0 WHERE id = ?", (user.id,))
    response = await log_in(client, user.email)
    assert response.status_code == 401


async def test_logout_then_replayed_cookie_is_refused(
    client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    user = await create_user()
    await log_in(client, user.email)
    old_cookie = client.cookies[SESSION_COOKIE]
    token = csrf_from_home = await csrf_for(client, "/")
    assert csrf_from_home
    response = await client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 303
    client.cookies.set(SESSION_COOKIE, old_cookie)
    replay = await client.get("/")
    assert replay.status_code == 303
    assert replay.headers["location"].startswith("/login")


async def test_session_idle_timeout_uses_clock(
    client: httpx.AsyncClient, create_user: CreateUser, clock: FrozenClock, services: Services
) -> None:
    user = await create_user()
    await log_in(client, user.email)
    clock.advance(services.settings.idle_timeout - 120)
    assert (await client.get("/")).status_code == 200  # activity renews the idle window
    clock.advance(services.settings.idle_timeout - 120)
    assert (await client.get("/")).status_code == 200
    clock.advance(services.settings.idle_timeout + 1)
    expired = await client.get("/")
    assert expired.status_code == 303
    rows = await services.db.fetchall("SELECT * FROM sessions WHERE user_id = ?", (user.id,))
    assert rows == []


async def test_session_absolute_timeout(
    client: httpx.AsyncClient, create_user: CreateUser, clock: FrozenClock, services: Services
) -> None:
    user = await create_user()
    await log_in(client, user.email)
    step = services.settings.idle_timeout - 60
    elapsed = 0
    while elapsed + step < services.settings.absolute_timeout:
        clock.advance(step)
        elapsed += step
        assert (await client.get("/")).status_code == 200
    clock.advance(step)
    assert (await client.get("/")).status_code == 303


async def test_login_issues_new_session_id(
    client: httpx.AsyncClient, create_user: CreateUser, services: Services
) -> None:
    first = await create_user()
    await log_in(client, first.email)
    cookie_before = client.cookies[SESSION_COOKIE]
    second = await create_user()
    await log_in(client, second.email)
    assert client.cookies[SESSION_COOKIE] != cookie_before
    # The earlier session row is gone, not merely replaced in the browser.
    rows = await services.db.fetchall("SELECT user_id FROM sessions")
    assert [row["user_id"] for row in rows] == [second.id]


async def test_disabling_user_ends_sessions(
    client: httpx.AsyncClient, create_user: CreateUser, services: Services
) -> None:
    user = await create_user()
    await log_in(client, user.email)
    async with services.db.transaction() as tx:
        await tx.execute("UPDATE users SET active = 0 WHERE id = ?", (user.id,))
    response = await client.get("/")
    assert response.status_code == 303


async def test_next_parameter_only_allows_local_paths(
    client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    user = await create_user()
    token = await csrf_for(client)
    response = await client.post(
        "/login",
        data={
            "email": user.email,
            "password": PASSWORD,
            "csrf_token": token,
            "next": "//evil.example/",
        },
    )
    assert response.headers["location"] == "/"


async def test_language_switch_sets_english(app: Starlette) -> None:
    async with new_client(app) as client:
        token = await csrf_for(client)
        response = await client.post(
            "/sprache", data={"lang": "en", "next": "/login", "csrf_token": token}
        )
        assert response.status_code == 303
        page = soup(await client.get("/login"))
        assert page.html is not None and page.html["lang"] == "en"
        assert tag(page, "h1").get_text() == "Log in"


async def test_accept_language_english(client: httpx.AsyncClient) -> None:
    page = soup(await client.get("/login", headers={"accept-language": "en-GB,en;q=0.9"}))
    assert page.html is not None and page.html["lang"] == "en"


async def test_users_module_hides_hash_in_repr(create_user: CreateUser) -> None:
    user: users.User = await create_user()
    assert "argon2" not in repr(user)


def test_runtime_messages_are_translated_but_never_percent_formatted(
    services: Services,
) -> None:
    template = services.templates.from_string("{{ message|t }}")
    assert template.render(message="Ihr Ergebnis: 100 % für „50 %ig“") == (
        "Ihr Ergebnis: 100 % für „50 %ig“"
    )
    assert services.templates.from_string("{{ m|t }}").render(m="<b>") == "&lt;b&gt;"
