"""Session replay, fixation, password change and throttling under a long attack."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette

from learning.store import users
from learning.web.cookies import SESSION_COOKIE
from learning.web.services import Services
from tests.conftest import PASSWORD, CreateUser, csrf_for, log_in, new_client, soup, tag

NEW_PASSWORD = "ein ganz neues Passwort"


def replay(app: Starlette, cookie: str) -> httpx.AsyncClient:
    """Another machine holding a copy of the cookie, as a thief would."""
    client = new_client(app, "203.0.113.66")
    client.cookies.set(SESSION_COOKIE, cookie)
    return client


async def change_password(
    client: httpx.AsyncClient, current: str, new: str, confirm: str | None = None
) -> httpx.Response:
    token = await csrf_for(client, "/konto/passwort")
    return await client.post(
        "/konto/passwort",
        data={
            "current_password": current,
            "password": new,
            "password_confirm": new if confirm is None else confirm,
            "csrf_token": token,
        },
    )


async def set_active(services: Services, user_id: int, active: bool) -> None:
    async with services.db.transaction() as tx:
        await tx.execute("UPDATE users SET active = ? WHERE id = ?", (int(active), user_id))


async def test_replayed_cookie_refused_after_logout(
    app: Starlette, client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    user = await create_user()
    await log_in(client, user.email)
    stolen = client.cookies[SESSION_COOKIE]
    async with replay(app, stolen) as thief:
        assert (await thief.get("/")).status_code == 200  # the copy works while signed in
        token = await csrf_for(client, "/")
        assert (await client.post("/logout", data={"csrf_token": token})).status_code == 303
        refused = await thief.get("/")
    assert refused.status_code == 303
    assert refused.headers["location"].startswith("/login")


async def test_replayed_cookie_refused_after_disabling_and_after_reenabling(
    app: Starlette, client: httpx.AsyncClient, create_user: CreateUser, services: Services
) -> None:
    user = await create_user()
    await log_in(client, user.email)
    stolen = client.cookies[SESSION_COOKIE]
    await set_active(services, user.id, False)
    async with replay(app, stolen) as thief:
        assert (await thief.get("/")).status_code == 303
    # Enabling the account again must not bring the old session back to life.
    await set_active(services, user.id, True)
    async with replay(app, stolen) as thief:
        assert (await thief.get("/")).status_code == 303


async def test_password_change_ends_other_sessions_and_renews_own(
    app: Starlette, client: httpx.AsyncClient, create_user: CreateUser, services: Services
) -> None:
    user = await create_user()
    await log_in(client, user.email)
    async with new_client(app, "192.0.2.7") as other_device:
        await log_in(other_device, user.email)
        own_before = client.cookies[SESSION_COOKIE]

        response = await change_password(client, PASSWORD, NEW_PASSWORD)
        assert response.status_code == 303
        page = soup(await client.get(response.headers["location"]))
        assert "Ihr Passwort wurde geändert" in tag(page, class_="flash").get_text()
        assert client.cookies[SESSION_COOKIE] != own_before  # a new id for this browser
        assert (await client.get("/")).status_code == 200  # and still signed in
        assert (await other_device.get("/")).status_code == 303
    async with replay(app, own_before) as thief:
        assert (await thief.get("/")).status_code == 303
    rows = await services.db.fetchall("SELECT 1 FROM sessions WHERE user_id = ?", (user.id,))
    assert len(rows) == 1

    async with new_client(app, "192.0.2.8") as fresh:
        assert (await log_in(fresh, user.email, PASSWORD)).status_code == 401
        assert (await log_in(fresh, user.email, NEW_PASSWORD)).status_code == 303


async def test_password_change_refuses_wrong_current_password(
    client: httpx.AsyncClient, create_user: CreateUser, services: Services
) -> None:
    user = await create_user()
    await log_in(client, user.email)
    before = await users.get_user(services.db, user.id)
    response = await change_password(client, "nicht mein Passwort", NEW_PASSWORD)
    assert response.status_code == 400
    error = soup(response).find(id="f-current_password-error")
    assert error is not None and "nicht korrekt" in error.get_text()
    assert (await users.get_user(services.db, user.id)).password_hash == before.password_hash


async def test_password_change_applies_policy_and_confirmation(
    client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    user = await create_user()
    await log_in(client, user.email)
    short = await change_password(client, PASSWORD, "kurz")
    assert short.status_code == 400
    assert "mindestens 12 Zeichen" in tag(soup(short), id="f-password-error").get_text()
    common = await change_password(client, PASSWORD, "123456789012")
    assert "Datenlecks" in tag(soup(common), id="f-password-error").get_text()
    mismatch = await change_password(client, PASSWORD, NEW_PASSWORD, "ein anderes Passwort")
    assert "stimmen nicht überein" in tag(soup(mismatch), id="f-password_confirm-error").get_text()
    # Nothing changed: the old password still works.
    assert (await client.get("/")).status_code == 200


async def test_guessing_current_password_is_throttled(
    client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    user = await create_user()
    await log_in(client, user.email)
    statuses = [
        (await change_password(client, f"falsch geraten {n}", NEW_PASSWORD)).status_code
        for n in range(8)
    ]
    assert statuses[:5] == [400] * 5
    assert set(statuses[5:]) == {429}
    throttled = await change_password(client, PASSWORD, NEW_PASSWORD)
    assert throttled.status_code == 429  # even the right one waits


async def test_planted_cookie_is_replaced_at_login(
    app: Starlette, client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    attacker, victim = await create_user(), await create_user()
    async with new_client(app, "198.51.100.1") as evil:
        await log_in(evil, attacker.email)
        planted = evil.cookies[SESSION_COOKIE]
    client.cookies.set(SESSION_COOKIE, planted, domain="testserver.local")
    assert (await log_in(client, victim.email)).status_code == 303
    after = client.cookies[SESSION_COOKIE]
    assert after != planted
    # The planted id does not lead into the victim's account, nor any longer the attacker's.
    async with replay(app, planted) as evil:
        assert (await evil.get("/")).status_code == 303
    home = soup(await client.get("/"))
    assert tag(home, class_="user-name").get_text() == victim.name


async def test_forged_cookie_is_not_adopted(
    client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    user = await create_user()
    client.cookies.set(SESSION_COOKIE, "von-aussen-gesetzt", domain="testserver.local")
    assert (await log_in(client, user.email)).status_code == 303
    assert client.cookies[SESSION_COOKIE] != "von-aussen-gesetzt"
    assert "von-aussen-gesetzt" not in client.cookies[SESSION_COOKIE]


async def test_throttling_holds_under_1000_attempts_and_real_user_gets_in(
    app: Starlette, create_user: CreateUser, services: Services
) -> None:
    user = await create_user()
    statuses: dict[int, int] = {}
    async with new_client(app, "10.66.66.66") as attacker:
        token = await csrf_for(attacker)
        for n in range(1000):
            # The attacker even tries the right password now and then: it must not help.
            guess = PASSWORD if n % 100 == 99 else f"rate mal {n:04d}"
            response = await attacker.post(
                "/login", data={"email": user.email, "password": guess, "csrf_token": token}
            )
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    assert statuses.get(303, 0) == 0
    assert statuses[401] == 5  # passwords checked before the growing delay starts
    assert statuses[429] == 995
    async with new_client(app, "192.0.2.10") as real:
        assert (await log_in(real, user.email)).status_code == 303


async def test_disabling_through_the_admin_page_ends_a_stolen_session(
    app: Starlette, client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    learner = await create_user()
    async with new_client(app, "192.0.2.20") as victim:
        await log_in(victim, learner.email)
        stolen = victim.cookies[SESSION_COOKIE]
    admin = await create_user("admin")
    await log_in(client, admin.email)
    token = await csrf_for(client, f"/admin/users/{learner.id}")
    response = await client.post(f"/admin/users/{learner.id}/disable", data={"csrf_token": token})
    assert response.status_code == 303
    async with replay(app, stolen) as thief:
        assert (await thief.get("/")).status_code == 303
