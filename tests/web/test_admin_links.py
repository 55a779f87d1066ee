"""Handed-out links stay: a GET page after every POST, copyable, downloadable as CSV."""

from __future__ import annotations

import csv
import io

import httpx
from starlette.applications import Starlette

from learning.web.services import Services
from tests.admin_support import enrol, install_catalog
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


async def reset_link_page(client: httpx.AsyncClient, user_id: int) -> httpx.Response:
    token = await csrf_for(client, f"/admin/users/{user_id}")
    posted = await client.post(f"/admin/users/{user_id}/reset-link", data={"csrf_token": token})
    assert posted.status_code == 303, "post/redirect/get"
    return await client.get(posted.headers["location"])


async def test_reloading_the_link_page_creates_nothing_and_the_link_works(
    app: Starlette,
    client: httpx.AsyncClient,
    login_as: LoginAs,
    create_user: CreateUser,
    services: Services,
) -> None:
    await login_as("admin")
    target = await create_user("learner", name="Rita")
    page = await reset_link_page(client, target.id)
    url = str(page.url)
    field = select_tag(soup(page), "#link-table input.link-field")
    button = select_tag(soup(page), "button[data-copy]")
    assert attr(button, "data-copy") == attr(field, "id")
    assert "hidden" in button.attrs, "without JavaScript the link is only selectable text"
    assert "readonly" in field.attrs
    again = await client.get(url)
    assert select_tag(soup(again), "#link-table input.link-field")["value"] == field["value"]
    assert await services.db.scalar("SELECT count(*) FROM invitations") == 1
    async with new_client(app, "10.6.6.6") as visitor:
        form = await visitor.get(httpx.URL(attr(field, "value")).path)
    assert form.status_code == 200
    assert tag(soup(form), "h1").get_text() == "Neues Passwort festlegen"
    # A newer link replaces it: the page says so instead of showing a dead link.
    await reset_link_page(client, target.id)
    stale = soup(await client.get(url))
    assert stale.select("#link-table input.link-field") == []
    assert "nicht mehr gültig" in select_tag(stale, "#link-table tbody td.link-cell").get_text()


async def test_the_links_download_as_csv_for_excel(
    client: httpx.AsyncClient, login_as: LoginAs, create_user: CreateUser
) -> None:
    await login_as("admin")
    target = await create_user("learner", name="=Formel Frau", email="formel@example.org")
    page = soup(await reset_link_page(client, target.id))
    link = attr(select_tag(page, "#link-table input.link-field"), "value")
    download = await client.get(attr(select_tag(page, "a[href$='/csv']"), "href"))
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/csv")
    assert "attachment" in download.headers["content-disposition"]
    text = download.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0] == ["Name", "E-Mail", "Link", "Gültig bis"]
    assert rows[1][:3] == ["'=Formel Frau", "formel@example.org", link]
    assert rows[1][3], "valid until"


async def test_another_admin_does_not_see_the_links(
    app: Starlette, client: httpx.AsyncClient, login_as: LoginAs, create_user: CreateUser
) -> None:
    await login_as("admin")
    target = await create_user("learner")
    page = await reset_link_page(client, target.id)
    other = await create_user("admin")
    async with new_client(app, "10.5.5.5") as second:
        assert (await log_in(second, other.email)).status_code == 303
        assert (await second.get(str(page.url))).status_code == 404
        assert (await second.get(str(page.url) + "/csv")).status_code == 404
    assert (await client.get("/admin/links/keinBatchVorhand")).status_code == 404
    assert (await client.get("/admin/links/zu-kurz")).status_code == 404


async def test_start_page_shows_the_figures_an_admin_looks_for(
    client: httpx.AsyncClient, login_as: LoginAs, create_user: CreateUser, services: Services
) -> None:
    await login_as("admin")
    first = await create_user("learner")
    await create_user("learner")
    await create_user("trainer")
    await enrol(services.db, first.id)
    page = soup(await client.get("/"))
    figures = {
        attr(li, "data-figure"): select_tag(li, ".figure-value").get_text()
        for li in page.select("#admin-figures li")
    }
    assert figures == {
        "learners": "2",
        "enrolled": "1",
        "completed": "0",
        "invited": "0",
        "never": "2",
        "overdue": "0",
        "failed_mails": "0",  # the mail part's figure (web/admin_mail.failed_mail_figure)
    }
    never = select_tag(page, "#admin-figures li[data-figure='never'] a")
    listed = soup(await client.get(attr(never, "href")))
    assert len(listed.select("#user-table tbody tr")) == 2


async def test_account_page_names_courses_by_title(
    client: httpx.AsyncClient, login_as: LoginAs, create_user: CreateUser, services: Services
) -> None:
    install_catalog(services)
    await login_as("admin")
    learner = await create_user("learner")
    await enrol(services.db, learner.id, "kurs-a")
    await enrol(services.db, learner.id, "alter-kurs")
    page = soup(await client.get(f"/admin/users/{learner.id}"))
    cells = [th.get_text(" ", True) for th in page.select("#enrolment-table tbody th")]
    assert cells == ["alter-kurs (Kurs nicht mehr vorhanden)", "Kurs A"]
