"""Accounts and groups: create, edit, disable, enrol, reset, links, GDPR, audit."""

from __future__ import annotations

import json

import httpx
from starlette.applications import Starlette

from learning.store import audit
from learning.web.services import Services
from tests.admin_support import attempt, complete, install_catalog, view
from tests.conftest import (
    PASSWORD,
    CreateUser,
    LoginAs,
    attr,
    csrf_for,
    log_in,
    new_client,
    select_tag,
    soup,
    tag,
)


async def actions(services: Services) -> list[str]:
    return [e.action for e in await audit.list_entries(services.db)]


async def test_list_search_and_filter(
    client: httpx.AsyncClient, login_as: LoginAs, create_user: CreateUser
) -> None:
    await login_as("admin")
    await create_user("learner", name="Anna Nord", group="Amt Nord")
    await create_user("trainer", name="Tom Süd", group="Amt Süd")
    page = soup(await client.get("/admin/users", params={"q": "anna"}))
    names = [th.get_text(strip=True) for th in page.select("#user-table tbody th")]
    assert names == ["Anna Nord"]
    page = soup(await client.get("/admin/users", params={"role": "trainer"}))
    assert [th.get_text(strip=True) for th in page.select("#user-table tbody th")] == ["Tom Süd"]
    page = soup(await client.get("/admin/users", params={"q": "%", "active": "0"}))
    assert page.select("#user-table tbody th") == []
    bad = await client.get("/admin/users", params={"group": "abc", "role": "kaiser"})
    assert bad.status_code == 200


async def test_create_user_shows_invitation_that_sets_name_and_password(
    app: Starlette, client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    await login_as("admin")
    token = await csrf_for(client, "/admin/users/new")
    response = await client.post(
        "/admin/users/new",
        data={
            "csrf_token": token,
            "email": "neu@example.org",
            "name": "Neu",
            "role": "learner",
            "new_group": "Amt Ost",
        },
    )
    assert response.status_code == 200
    link = attr(tag(soup(response), "input", id="link"), "value")
    path = httpx.URL(link).path
    assert path.startswith("/einladung/")
    assert "user.create" in await actions(services)

    async with new_client(app, "10.1.1.1") as invitee:
        form = soup(await invitee.get(path))
        assert tag(form, "input", attrs={"name": "name"})["value"] == "Neu"
        csrf = tag(form, "input", attrs={"name": "csrf_token"})["value"]
        short = await invitee.post(
            path,
            data={
                "csrf_token": csrf,
                "name": "Neu Person",
                "password": "kurz",
                "password_confirm": "kurz",
            },
        )
        assert short.status_code == 400
        assert soup(short).select_one(".error-summary") is not None
        done = await invitee.post(
            path,
            data={
                "csrf_token": csrf,
                "name": "Neu Person",
                "password": PASSWORD,
                "password_confirm": PASSWORD,
            },
        )
        assert done.status_code == 303 and done.headers["location"] == "/login"
        again = await invitee.get(path)
        assert again.status_code == 410, "single use"
        assert (await log_in(invitee, "neu@example.org")).status_code == 303
    row = await services.db.fetchone(
        "SELECT name, group_id FROM users WHERE email = 'neu@example.org'"
    )
    assert row is not None
    assert row["name"] == "Neu Person" and row["group_id"] is not None


async def test_create_user_rejects_bad_input_in_german(
    client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    admin = await login_as("admin")
    token = await csrf_for(client, "/admin/users/new")
    response = await client.post(
        "/admin/users/new",
        data={"csrf_token": token, "email": admin.email, "name": "", "role": "kaiser"},
    )
    assert response.status_code == 400
    errors = [a.get_text() for a in soup(response).select(".error-summary a")]
    assert "Bitte geben Sie einen Namen ein." in errors
    assert "Bitte wählen Sie eine Rolle." in errors
    dup = await client.post(
        "/admin/users/new",
        data={"csrf_token": token, "email": admin.email, "name": "X", "role": "learner"},
    )
    assert dup.status_code == 400
    assert "bereits ein Konto" in select_tag(soup(dup), ".error-summary").get_text()


async def test_forged_or_unknown_links_are_refused(
    client: httpx.AsyncClient, services: Services
) -> None:
    assert (await client.get("/einladung/abc")).status_code == 404
    token = services.signer.make_link_token("invite", uid=1)
    assert (await client.get(f"/einladung/{token}")).status_code == 404, "not in invitations"
    assert (await client.get(f"/passwort/{token}")).status_code == 404, "wrong purpose"


async def test_edit_user(
    client: httpx.AsyncClient, login_as: LoginAs, create_user: CreateUser, services: Services
) -> None:
    await login_as("admin")
    target = await create_user("learner")
    token = await csrf_for(client, f"/admin/users/{target.id}")
    response = await client.post(
        f"/admin/users/{target.id}",
        data={
            "csrf_token": token,
            "name": "<script>alert(1)</script>",
            "role": "trainer",
            "new_group": "Amt & Co",
        },
    )
    assert response.status_code == 303
    page = soup(await client.get(f"/admin/users/{target.id}"))
    assert tag(page, "h1").get_text() == "<script>alert(1)</script>"
    assert page.find("script") is None
    row = await services.db.fetchone("SELECT role FROM users WHERE id = ?", (target.id,))
    assert row is not None and row["role"] == "trainer"
    entries = await audit.list_entries(services.db)
    assert entries[0].action == "user.update" and entries[0].details["after"]["role"] == "trainer"


async def test_admin_cannot_demote_or_disable_self(
    client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    admin = await login_as("admin")
    token = await csrf_for(client, f"/admin/users/{admin.id}")
    demote = await client.post(
        f"/admin/users/{admin.id}", data={"csrf_token": token, "name": "A", "role": "learner"}
    )
    assert demote.status_code == 400
    disable = await client.post(f"/admin/users/{admin.id}/disable", data={"csrf_token": token})
    assert disable.status_code == 400


async def test_disable_ends_sessions_and_enable_restores(
    app: Starlette,
    client: httpx.AsyncClient,
    login_as: LoginAs,
    create_user: CreateUser,
    services: Services,
) -> None:
    target = await create_user("learner")
    async with new_client(app, "10.2.2.2") as learner:
        assert (await log_in(learner, target.email)).status_code == 303
        assert (await learner.get("/")).status_code == 200
        await login_as("admin")
        token = await csrf_for(client, f"/admin/users/{target.id}")
        assert (
            await client.post(f"/admin/users/{target.id}/disable", data={"csrf_token": token})
        ).status_code == 303
        assert (
            await services.db.scalar(
                "SELECT count(*) FROM sessions WHERE user_id = ?", (target.id,)
            )
            == 0
        )
        assert (await learner.get("/")).headers.get("location", "").startswith("/login")
        assert (await log_in(learner, target.email)).status_code == 401
        assert (
            await client.post(f"/admin/users/{target.id}/enable", data={"csrf_token": token})
        ).status_code == 303
        assert (await log_in(learner, target.email)).status_code == 303
    assert {"user.disable", "user.enable"} <= set(await actions(services))


async def test_password_reset_link_ends_all_sessions(
    app: Starlette,
    client: httpx.AsyncClient,
    login_as: LoginAs,
    create_user: CreateUser,
    services: Services,
) -> None:
    target = await create_user("learner")
    async with new_client(app, "10.3.3.3") as learner, new_client(app, "10.3.3.4") as visitor:
        assert (await log_in(learner, target.email)).status_code == 303
        await login_as("admin")
        token = await csrf_for(client, f"/admin/users/{target.id}")
        response = await client.post(
            f"/admin/users/{target.id}/reset-link", data={"csrf_token": token}
        )
        path = httpx.URL(attr(tag(soup(response), "input", id="link"), "value")).path
        assert path.startswith("/passwort/")
        csrf = await csrf_for(visitor, path)
        new_password = "ein ganz neues Passwort"
        done = await visitor.post(
            path,
            data={"csrf_token": csrf, "password": new_password, "password_confirm": new_password},
        )
        assert done.status_code == 303
        assert (await learner.get("/")).headers.get("location", "").startswith("/login"), (
            "old session ended"
        )
        assert (await log_in(visitor, target.email, new_password)).status_code == 303
        # The same link again, with a fresh form token: spent.
        fresh = await csrf_for(visitor, "/login")
        assert (await visitor.post(path, data={"csrf_token": fresh})).status_code == 410
    assert "user.password_reset" in await actions(services)


async def test_new_reset_link_cancels_the_older_one(
    app: Starlette, client: httpx.AsyncClient, login_as: LoginAs, create_user: CreateUser
) -> None:
    target = await create_user("learner")
    await login_as("admin")
    paths = []
    for _ in range(2):
        token = await csrf_for(client, f"/admin/users/{target.id}")
        response = await client.post(
            f"/admin/users/{target.id}/reset-link", data={"csrf_token": token}
        )
        paths.append(httpx.URL(attr(tag(soup(response), "input", id="link"), "value")).path)
    async with new_client(app, "10.3.3.5") as visitor:
        older = await visitor.get(paths[0])
        assert older.status_code == 410
        assert soup(older).find("form", attrs={"method": "post"}) is None or (
            soup(older).find("input", attrs={"name": "password"}) is None
        )
        newer = await visitor.get(paths[1])
        assert newer.status_code == 200
        assert soup(newer).find("input", attrs={"name": "password"}) is not None


async def test_enrol_user_and_group_and_reset_progress(
    client: httpx.AsyncClient, login_as: LoginAs, create_user: CreateUser, services: Services
) -> None:
    install_catalog(services)
    await login_as("admin")
    a = await create_user("learner", group="Amt Nord")
    b = await create_user("learner", group="Amt Nord")
    token = await csrf_for(client, f"/admin/users/{a.id}")
    assert (
        await client.post(
            f"/admin/users/{a.id}/enrol", data={"csrf_token": token, "course": "kurs-a"}
        )
    ).status_code == 303
    bad = await client.post(
        f"/admin/users/{a.id}/enrol", data={"csrf_token": token, "course": "gibt-es-nicht"}
    )
    assert bad.status_code == 404
    group_id = await services.db.scalar("SELECT id FROM groups WHERE name = 'Amt Nord'")
    page = soup(await client.get("/admin/groups"))
    assert select_tag(page, "tbody th a").get_text() == "Amt Nord"
    response = await client.post(
        f"/admin/groups/{group_id}/enrol", data={"csrf_token": token, "course": "kurs-a"}
    )
    assert response.status_code == 303
    enrolled = await services.db.fetchall("SELECT user_id FROM enrolments ORDER BY user_id")
    assert [r[0] for r in enrolled] == [a.id, b.id]

    await view(services.db, a.id, "p1", 30)
    attempt_id = await attempt(services.db, a.id, 90, {"t-q1": (True, {"selected": [1]})})
    await complete(services.db, a.id, 90, attempt_id, code="CERT-A")
    async with services.db.transaction() as tx:
        await tx.execute(
            "INSERT INTO reflections VALUES (?, 'kurs-a', 'r1', 'meine Notiz', '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
            (a.id,),
        )
    response = await client.post(
        f"/admin/users/{a.id}/reset-progress", data={"csrf_token": token, "course": "kurs-a"}
    )
    assert response.status_code == 303
    for table in ("page_views", "test_attempts", "completions", "certificates"):
        assert (
            await services.db.scalar(f"SELECT count(*) FROM {table} WHERE user_id = ?", (a.id,))  # noqa: S608 - table names from a fixed tuple
            == 0
        ), table
    assert (
        await services.db.scalar("SELECT count(*) FROM reflections WHERE user_id = ?", (a.id,)) == 1
    )
    entry = (await audit.list_entries(services.db))[0]
    assert entry.action == "progress.reset"
    assert entry.details["removed"]["completions"] == 1 and entry.details["course"] == "kurs-a"


async def test_gdpr_export_anonymise_and_delete(
    client: httpx.AsyncClient, login_as: LoginAs, create_user: CreateUser, services: Services
) -> None:
    await login_as("admin")
    target = await create_user("learner", name="Erika Muster")
    await view(services.db, target.id, "p1", 30)
    token = await csrf_for(client, f"/admin/users/{target.id}")
    export = await client.get(f"/admin/users/{target.id}/export")
    data = json.loads(export.content)
    assert data["account"]["name"] == "Erika Muster"
    assert data["page_views"][0]["page_id"] == "p1"
    unconfirmed = await client.post(
        f"/admin/users/{target.id}/anonymise", data={"csrf_token": token}
    )
    assert unconfirmed.status_code == 303
    assert (
        await services.db.scalar("SELECT name FROM users WHERE id = ?", (target.id,))
    ) == "Erika Muster"
    done = await client.post(
        f"/admin/users/{target.id}/anonymise", data={"csrf_token": token, "confirm": "ja"}
    )
    assert done.status_code == 303
    row = await services.db.fetchone(
        "SELECT name, email, password_hash, active FROM users WHERE id = ?", (target.id,)
    )
    assert row is not None
    assert (
        row["name"] == f"Anonym {target.id}" and row["password_hash"] is None and row["active"] == 0
    )
    assert (
        await services.db.scalar("SELECT count(*) FROM page_views WHERE user_id = ?", (target.id,))
        == 1
    )
    deleted = await client.post(
        f"/admin/users/{target.id}/delete", data={"csrf_token": token, "confirm": "ja"}
    )
    assert deleted.status_code == 303
    assert {"user.export", "user.anonymise", "user.delete"} <= set(await actions(services))


async def test_audit_page_lists_actions(client: httpx.AsyncClient, login_as: LoginAs) -> None:
    await login_as("admin")
    token = await csrf_for(client, "/admin/groups")
    await client.post("/admin/groups", data={"csrf_token": token, "name": "=HYPERLINK(1)<b>"})
    empty = await client.post("/admin/groups", data={"csrf_token": token, "name": " "})
    assert empty.status_code == 400
    page = soup(await client.get("/admin/audit"))
    rows = page.select("#audit-table tbody tr")
    assert rows[0].find_all("td")[1].get_text() == "Gruppe angelegt"
    assert rows[0]["data-action"] == "group.create"
    assert page.find("b") is None
