"""The account list: sign-in state, pages, filters, and bulk actions with a confirmation."""

from __future__ import annotations

import httpx
from bs4 import Tag
from starlette.applications import Starlette

from learning.store import audit
from learning.web.services import Services
from tests.admin_support import install_catalog
from tests.conftest import (
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


async def invite_new(client: httpx.AsyncClient, email: str, name: str) -> httpx.Response:
    token = await csrf_for(client, "/admin/users/new")
    data = {"csrf_token": token, "email": email, "name": name, "role": "learner"}
    return await client.post("/admin/users/new", data=data)


def form_data(form: Tag) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for field in form.find_all("input"):
        data.setdefault(attr(field, "name"), []).append(attr(field, "value"))
    return data


def states(response: httpx.Response) -> dict[str, str]:
    rows = soup(response).select("#user-table tbody tr")
    return {
        select_tag(row, "th a").get_text(): attr(select_tag(row, "td[data-state]"), "data-state")
        for row in rows
    }


async def test_list_shows_invited_never_signed_in_and_last_login(
    app: Starlette, client: httpx.AsyncClient, login_as: LoginAs, create_user: CreateUser
) -> None:
    await login_as("admin", name="Ada Admin")
    await invite_new(client, "eva@example.org", "Eva Eingeladen")
    await create_user("learner", name="Nina Nie")
    seen = await create_user("learner", name="Sam Schon")
    async with new_client(app, "10.9.9.9") as other:
        assert (await log_in(other, seen.email)).status_code == 303
    page = await client.get("/admin/users")
    assert states(page) == {
        "Ada Admin": "seen",
        "Eva Eingeladen": "invited",
        "Nina Nie": "never",
        "Sam Schon": "seen",
    }
    cells = {
        select_tag(row, "th a").get_text(): select_tag(row, "td[data-state]").get_text(" ", True)
        for row in soup(page).select("#user-table tbody tr")
    }
    assert cells["Eva Eingeladen"].startswith("eingeladen")
    assert "gültig bis" in cells["Eva Eingeladen"]
    assert cells["Nina Nie"] == "nie angemeldet"
    assert cells["Sam Schon"].startswith("zuletzt ")
    invited = await client.get("/admin/users?login=invited")
    assert list(states(invited)) == ["Eva Eingeladen"]
    never = await client.get("/admin/users?login=never")
    assert list(states(never)) == ["Eva Eingeladen", "Nina Nie"]


async def test_list_pages_through_many_accounts_and_sorts(
    client: httpx.AsyncClient, login_as: LoginAs, create_user: CreateUser
) -> None:
    await login_as("admin", name="Ada Admin")
    for n in range(60):
        await create_user("learner", name=f"Person {n:02d}")
    first = await client.get("/admin/users")
    assert len(soup(first).select("#user-table tbody tr")) == 50
    caption = tag(soup(first), id="user-table-caption").get_text()
    assert "61 Konten gefunden" in caption and "Seite 1 von 2" in caption
    pager = select_tag(soup(first), "nav.pager a")
    second = await client.get(attr(pager, "href"))
    assert len(soup(second).select("#user-table tbody tr")) == 11
    by_email = await client.get("/admin/users?sort=email&q=person&seite=2")
    emails = [td.get_text() for td in soup(by_email).select("#user-table td.email-cell")]
    assert len(emails) == 10 and emails == sorted(emails)


async def test_bulk_enrol_confirms_then_enrols_in_one_step_with_audit(
    client: httpx.AsyncClient, login_as: LoginAs, create_user: CreateUser, services: Services
) -> None:
    install_catalog(services)
    await login_as("admin")
    a = await create_user("learner", name="Anna")
    b = await create_user("learner", name="Ben")
    await client.get(f"/admin/users/{a.id}")  # nothing enrolled yet
    confirm = await client.get(
        f"/admin/users/bulk?action=enrol&course=kurs-a&user={a.id}&user={b.id}"
    )
    assert confirm.status_code == 200
    page = soup(confirm)
    assert [li.get_text(" ", True) for li in page.select("#bulk-todo li")] == [
        f"Anna ({a.email})",
        f"Ben ({b.email})",
    ]
    assert await services.db.scalar("SELECT count(*) FROM enrolments") == 0, "GET changes nothing"
    form = select_tag(page, "form[action='/admin/users/bulk']")
    data = form_data(form)
    done = await client.post("/admin/users/bulk", data=data)
    assert done.status_code == 303 and done.headers["location"] == "/admin/users"
    assert await services.db.scalar("SELECT count(*) FROM enrolments") == 2
    entries = [e for e in await audit.list_entries(services.db) if e.action == "enrolment.add"]
    assert sorted(int(str(e.target_id)) for e in entries) == [a.id, b.id]
    again = soup(await client.get(f"/admin/users/bulk?action=enrol&course=kurs-a&user={a.id}"))
    assert "bereits eingeschrieben" in select_tag(again, "#bulk-skipped").get_text()
    assert again.find(id="bulk-todo") is None


async def test_bulk_disable_skips_the_admin_and_ends_sessions(
    app: Starlette, client: httpx.AsyncClient, login_as: LoginAs, create_user: CreateUser
) -> None:
    me = await login_as("admin")
    target = await create_user("learner", name="Tina")
    async with new_client(app, "10.8.8.8") as learner:
        assert (await log_in(learner, target.email)).status_code == 303
        confirm = soup(
            await client.get(f"/admin/users/bulk?action=disable&user={target.id}&user={me.id}")
        )
        assert "eigenes Konto" in select_tag(confirm, "#bulk-skipped").get_text()
        form = select_tag(confirm, "form[action='/admin/users/bulk']")
        data = form_data(form)
        assert str(me.id) not in data["user"]
        assert (await client.post("/admin/users/bulk", data=data)).status_code == 303
        assert (await learner.get("/")).headers["location"].startswith("/login")
    assert states(await client.get("/admin/users?active=0")) == {"Tina": "disabled"}


async def test_bulk_invite_for_all_found_goes_to_the_links(
    client: httpx.AsyncClient, login_as: LoginAs, create_user: CreateUser, services: Services
) -> None:
    await login_as("admin")
    for name in ("Ida", "Ole"):
        await invite_new(client, f"{name.lower()}@example.org", name)
    await create_user("learner", name="Pia")  # has a password: a reset link is what she needs
    confirm = soup(await client.get("/admin/users/bulk?action=invite&scope=all&role=learner"))
    assert [li.get_text(" ", True).split(" (")[0] for li in confirm.select("#bulk-todo li")] == [
        "Ida",
        "Ole",
    ]
    assert "Passwort" in select_tag(confirm, "#bulk-skipped").get_text()
    form = select_tag(confirm, "form[action='/admin/users/bulk']")
    data = form_data(form)
    done = await client.post("/admin/users/bulk", data=data)
    assert done.status_code == 303 and done.headers["location"].startswith("/admin/links/")
    links = soup(await client.get(done.headers["location"]))
    fields = links.select("#link-table input.link-field")
    assert len(fields) == 2 and all("/einladung/" in attr(f, "value") for f in fields)
    open_links = "SELECT count(*) FROM invitations WHERE used_at IS NULL"
    assert await services.db.scalar(open_links) == 2, "the first invitations were replaced"


async def test_bulk_without_a_choice_keeps_the_selection_and_says_what_is_missing(
    client: httpx.AsyncClient, login_as: LoginAs, create_user: CreateUser
) -> None:
    await login_as("admin")
    target = await create_user("learner", name="Udo")
    response = await client.get(f"/admin/users/bulk?action=enrol&user={target.id}&q=Udo")
    assert response.status_code == 400
    page = soup(response)
    summary = select_tag(page, ".error-summary")
    assert [attr(a, "href") for a in summary.find_all("a")] == ["#f-bulk-course"]
    assert "checked" in select_tag(page, f"#pick-{target.id}").attrs
    assert attr(select_tag(page, "#f-bulk-action option[selected]"), "value") == "enrol"
    assert attr(select_tag(page, "#q"), "value") == "Udo"
    nothing = await client.get("/admin/users/bulk?action=disable")
    assert "mindestens ein Konto" in select_tag(soup(nothing), ".error-summary").get_text()


async def test_last_login_is_recorded_at_sign_in(
    app: Starlette, services: Services, create_user: CreateUser
) -> None:
    user = await create_user("learner")
    query = "SELECT last_login_at FROM users WHERE id = ?"
    assert await services.db.scalar(query, (user.id,)) is None
    async with new_client(app, "10.7.7.7") as learner:
        assert (await log_in(learner, user.email)).status_code == 303
    assert await services.db.scalar(query, (user.id,)) is not None


async def test_bulk_enrol_leaves_out_staff(
    client: httpx.AsyncClient, login_as: LoginAs, create_user: CreateUser, services: Services
) -> None:
    install_catalog(services)
    await login_as("admin", name="Ada Admin")
    await create_user("learner", name="Lea")
    confirm = soup(await client.get("/admin/users/bulk?action=enrol&course=kurs-a&scope=all"))
    assert [li.get_text(" ", True).split(" (")[0] for li in confirm.select("#bulk-todo li")] == [
        "Lea"
    ]
    assert "keine Lernende" in select_tag(confirm, "#bulk-skipped").get_text()
