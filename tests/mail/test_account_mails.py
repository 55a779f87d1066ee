"""Invitations and reset links arrive by mail over SMTP, and the links in them work."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette

from learning.store import audit, outbox, users
from learning.web.services import Services
from tests.conftest import (
    CreateUser,
    LoginAs,
    csrf_for,
    log_in,
    new_client,
    select_tag,
    soup,
    tag,
)
from tests.mail.mail_flow import html_of, links_in, new_account, path_of, text_of, wait_sent
from tests.mail.smtp_server import Inbox
from tests.web.test_admin_import import upload

NEW_PASSWORD = "ein ganz neues Passwort für den Test"


async def _set_password(client: httpx.AsyncClient, path: str, name: str | None = None) -> None:
    page = await client.get(path)
    assert page.status_code == 200, page.text
    token = tag(soup(page), "input", attrs={"name": "csrf_token"})["value"]
    data = {"csrf_token": str(token), "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    if name is not None:
        data["name"] = name
    response = await client.post(path, data=data)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/login"


async def test_invitation_arrives_and_its_link_sets_the_password(
    app: Starlette, client: httpx.AsyncClient, login_as: LoginAs, inbox: Inbox, services: Services
) -> None:
    admin = await login_as("admin", name="Ada Admin")
    response = await new_account(client, "neu@example.org", "Nora Neu")
    assert response.status_code == 303
    links_page = soup(await client.get(response.headers["location"]))
    notice = tag(links_page, "p", class_="notice")
    assert "per E-Mail" in notice.get_text()
    [mail] = await inbox.wait_for(1)
    assert mail.recipients == ["neu@example.org"]
    assert mail.message["Subject"] == "Ihre Einladung zum Lerndienst „Interkulturell beraten“"
    assert mail.message["Auto-Submitted"] == "auto-generated"
    assert "Guten Tag Nora Neu," in text_of(mail)
    assert "Eingeladen hat Sie: Ada Admin" in text_of(mail)
    [link] = [url for url in links_in(mail) if "/einladung/" in url]
    assert f'href="{link}"' in html_of(mail)
    # The audit log names the admin as the cause of the mail.
    entries = await audit.list_entries(services.db, limit=20)
    queued = [e for e in entries if e.action == "mail.queued"]
    assert [(e.actor_id, e.details["kind"]) for e in queued] == [(admin.id, "invitation")]
    # Follow the link over HTTP as the invited person.
    async with new_client(app, "127.0.0.9") as person:
        await _set_password(person, path_of(link), name="Nora Neu")
        assert (await log_in(person, "neu@example.org", NEW_PASSWORD)).status_code == 303
        # The link is spent.
        assert (await person.get(path_of(link))).status_code == 410


async def test_reset_link_by_admin_goes_to_the_user_in_english(
    client: httpx.AsyncClient,
    login_as: LoginAs,
    create_user: CreateUser,
    inbox: Inbox,
    services: Services,
) -> None:
    await login_as("admin")
    learner = await create_user("learner", email="en@example.org", name="Emma English")
    await users.set_locale(services.db, learner.id, "en")
    token = await csrf_for(client, f"/admin/users/{learner.id}")
    response = await client.post(
        f"/admin/users/{learner.id}/reset-link", data={"csrf_token": token}
    )
    assert response.status_code == 303
    [mail] = await inbox.wait_for(1)
    assert mail.message["Subject"] == (
        "New password for the learning service “Intercultural counselling”"
    )
    assert mail.message["Content-Language"] == "en"
    assert "Hello Emma English," in text_of(mail)
    assert '<html lang="en">' in html_of(mail)
    assert any("/passwort/" in url for url in links_in(mail))


async def test_csv_import_mails_every_new_account(
    client: httpx.AsyncClient, login_as: LoginAs, inbox: Inbox, services: Services
) -> None:
    await login_as("admin")
    csv_text = "email;name;role;group\nx1@example.org;Xaver Eins;learner;Nord\nx2@example.org;Xenia Zwei;learner;Nord\n"
    preview = await upload(client, csv_text.encode())
    assert preview.status_code == 200, preview.text
    form = tag(soup(preview), "form", action="/admin/import/confirm")
    data = {str(i["name"]): str(i.get("value", "")) for i in form.find_all("input")}
    done = await client.post("/admin/import/confirm", data=data)
    assert done.status_code == 303, done.text
    received = await inbox.wait_for(2)
    assert sorted(r.recipients[0] for r in received) == ["x1@example.org", "x2@example.org"]
    assert all("/einladung/" in text_of(r) for r in received)
    await wait_sent(services.db, 2)


async def test_unknown_address_at_the_mail_server_is_failed_for_the_admin(
    client: httpx.AsyncClient, login_as: LoginAs, inbox: Inbox, services: Services
) -> None:
    inbox.refused["weg@example.org"] = "550 5.1.1 <weg@example.org>: Recipient address rejected"
    await login_as("admin")
    response = await new_account(client, "weg@example.org", "Wim Weg")
    assert response.status_code == 303
    # The account and its link are saved; only the mail failed, and says why.
    for _ in range(200):
        if await outbox.failed_count(services.db):
            break
        await services.mail.run_once()
    page = soup(await client.get("/admin/mail?status=failed"))
    row = tag(page, "tr", id="mail-1")
    assert "weg@example.org" in row.get_text()
    assert "Der Mailserver hat die E-Mail abgelehnt: 550 5.1.1" in row.get_text()
    retry = tag(row, "form", action="/admin/mail/1/retry")
    assert tag(retry, "button").get_text(strip=True).startswith("Erneut senden")
    start = soup(await client.get("/"))
    figure = select_tag(start, '#admin-figures [data-figure="failed_mails"]')
    assert "figure-alert" in str(figure.get("class"))
    link = tag(figure, "a", href="/admin/mail?status=failed")
    assert tag(link, "span", class_="figure-value").get_text(strip=True) == "1"
    # The account's page says it too.
    account = await users.find_user_by_email(services.db, "weg@example.org")
    assert account is not None
    detail = soup(await client.get(f"/admin/users/{account.id}"))
    item = tag(detail, "li", id="user-mail-1")
    assert "fehlgeschlagen" in item.get_text()
    assert "550 5.1.1" in item.get_text()
    assert inbox.received == []
