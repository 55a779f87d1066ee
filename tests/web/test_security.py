from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from learning.core.clock import FrozenClock
from learning.web.guards import ADMIN, STAFF, get, post
from learning.web.services import Services
from tests.conftest import CreateUser, LoginAs, csrf_for, log_in, new_client, soup, tag


async def _ok(request: Request) -> Response:
    return PlainTextResponse("ok")


@pytest.fixture
def guarded_routes(app: Starlette) -> None:
    # Extra routes that exercise the guards the real routes are built with.
    app.router.routes[0:0] = [
        get("/_test/admin", _ok, ADMIN),
        get("/_test/staff", _ok, STAFF),
        post("/_test/change", _ok, ADMIN),
    ]


async def test_security_headers_on_every_response(client: httpx.AsyncClient) -> None:
    for path in ("/login", "/healthz", "/does-not-exist", "/static/style.css"):
        response = await client.get(path)
        csp = response.headers["content-security-policy"]
        for directive in (
            "default-src 'self'",
            "frame-ancestors 'none'",
            "form-action 'self'",
            "base-uri 'none'",
        ):
            assert directive in csp, (path, directive)
        assert "unsafe-inline" not in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"]


async def test_pages_behind_login_are_not_cached(
    client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    await login_as("learner")
    response = await client.get("/")
    assert response.headers["cache-control"] == "no-store"


async def test_post_without_csrf_token_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    user = await login_as("learner")
    response = await client.post("/sprache", data={"lang": "en"})
    assert response.status_code == 403
    assert tag(soup(response), "h1").get_text() == "Kein Zugriff"
    row = await services.db.fetchone("SELECT locale FROM users WHERE id = ?", (user.id,))
    assert row is not None and row["locale"] is None


async def test_post_with_token_of_other_session_is_refused(
    app: Starlette, client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    await login_as("learner")
    async with new_client(app) as other:
        foreign = await csrf_for(other)
    response = await client.post("/logout", data={"csrf_token": foreign})
    assert response.status_code == 403
    assert (await client.get("/")).status_code == 200  # still logged in


async def test_login_without_csrf_is_refused(
    client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    user = await create_user()
    response = await client.post(
        "/login", data={"email": user.email, "password": "ein langes Testpasswort"}
    )
    assert response.status_code == 403


async def test_foreign_origin_is_refused(client: httpx.AsyncClient, login_as: LoginAs) -> None:
    await login_as("learner")
    token = await csrf_for(client, "/")
    response = await client.post(
        "/sprache",
        data={"lang": "en", "csrf_token": token},
        headers={"origin": "https://evil.example"},
    )
    assert response.status_code == 403
    same = await client.post(
        "/sprache",
        data={"lang": "en", "csrf_token": token},
        headers={"origin": "http://testserver"},
    )
    assert same.status_code == 303


@pytest.mark.usefixtures("guarded_routes")
async def test_role_refusal(client: httpx.AsyncClient, login_as: LoginAs) -> None:
    anonymous = await client.get("/_test/admin")
    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == "/login?next=/_test/admin"
    await login_as("learner")
    assert (await client.get("/_test/admin")).status_code == 403
    assert (await client.get("/_test/staff")).status_code == 403
    token = await csrf_for(client, "/")
    assert (await client.post("/_test/change", data={"csrf_token": token})).status_code == 403


@pytest.mark.usefixtures("guarded_routes")
async def test_admin_passes_role_check(client: httpx.AsyncClient, login_as: LoginAs) -> None:
    await login_as("admin")
    assert (await client.get("/_test/admin")).text == "ok"
    assert (await client.get("/_test/staff")).text == "ok"


async def test_error_pages_are_german_without_trace(client: httpx.AsyncClient) -> None:
    response = await client.get("/gibt-es-nicht")
    assert response.status_code == 404
    page = soup(response)
    assert tag(page, "h1").get_text() == "Seite nicht gefunden"
    assert "Traceback" not in response.text


async def test_healthz(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.text == "ok"


async def test_healthz_fails_when_database_is_gone(
    client: httpx.AsyncClient, services: Services
) -> None:
    await services.db.close()
    try:
        response = await client.get("/healthz")
        assert response.status_code == 503
    finally:
        await services.db.open()


class TestThrottling:
    async def test_growing_delay_after_repeated_failures(
        self, client: httpx.AsyncClient, create_user: CreateUser, clock: FrozenClock
    ) -> None:
        user = await create_user()
        for _ in range(5):
            assert (await log_in(client, user.email, "falsch falsch falsch")).status_code == 401
        throttled = await log_in(client, user.email)  # even the right password waits
        assert throttled.status_code == 429
        assert int(throttled.headers["retry-after"]) == 15
        clock.advance(16)
        assert (await log_in(client, user.email, "falsch falsch falsch")).status_code == 401
        again = await log_in(client, user.email)
        assert again.status_code == 429
        assert int(again.headers["retry-after"]) == 30  # the delay doubles
        clock.advance(31)
        assert (await log_in(client, user.email)).status_code == 303

    async def test_hammering_does_not_lock_out_real_user_elsewhere(
        self, app: Starlette, create_user: CreateUser, services: Services
    ) -> None:
        user = await create_user()
        async with new_client(app, "10.9.9.9") as attacker:
            token = await csrf_for(attacker)
            statuses = []
            for _ in range(60):
                response = await attacker.post(
                    "/login",
                    data={
                        "email": user.email,
                        "password": "rate mal rate mal",
                        "csrf_token": token,
                    },
                )
                statuses.append(response.status_code)
        assert statuses.count(401) == 5
        assert set(statuses[5:]) == {429}
        async with new_client(app, "192.0.2.10") as real:
            assert (await log_in(real, user.email)).status_code == 303

    async def test_at_most_100_failures_per_account_per_hour(
        self, app: Starlette, create_user: CreateUser, services: Services
    ) -> None:
        user = await create_user()
        failures = 0
        for n in range(130):
            async with new_client(app, f"198.51.100.{n}") as c:
                response = await log_in(c, user.email, "rate mal rate mal")
                failures += response.status_code == 401
        assert failures == 100
        async with new_client(app, "203.0.113.1") as real:
            response = await log_in(real, user.email)
            assert response.status_code == 429
