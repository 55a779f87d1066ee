""" "Passwort vergessen?" with a mail server: the link by mail, one answer, throttled."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette

from learning.store import outbox
from learning.store.db import Database
from learning.web.services import Services
from tests.conftest import CreateUser, csrf_for, log_in, new_client, soup, tag
from tests.mail.mail_flow import links_in, path_of, text_of
from tests.mail.smtp_server import Inbox

NEW_PASSWORD = "mein neues sicheres Passwort 2026"


async def _ask(client: httpx.AsyncClient, email: str) -> tuple[int, str]:
    """Request a link; the status and the answer the person then reads."""
    token = await csrf_for(client, "/passwort-vergessen")
    response = await client.post("/passwort-vergessen", data={"csrf_token": token, "email": email})
    if response.status_code != 303:
        return response.status_code, tag(soup(response), "div", class_="error-summary").get_text()
    assert response.headers["location"] == "/login"
    flash = tag(soup(await client.get("/login")), "p", class_="flash")
    return 303, flash.get_text(strip=True)


async def _sent(db: Database) -> int:
    counts = await outbox.counts(db)
    return counts["queued"] + counts["sending"] + counts["sent"]


async def test_login_page_offers_it_and_the_mailed_link_sets_a_new_password(
    app: Starlette, client: httpx.AsyncClient, create_user: CreateUser, inbox: Inbox
) -> None:
    await create_user("learner", email="lea@example.org", name="Lea Lernt")
    login = soup(await client.get("/login"))
    tag(login, "a", href="/passwort-vergessen")
    status, answer = await _ask(client, "LEA@example.org")
    assert status == 303
    assert answer.startswith("Wenn es zu dieser Adresse ein Konto gibt")
    [mail] = await inbox.wait_for(1)
    assert mail.recipients == ["lea@example.org"]
    assert "Guten Tag Lea Lernt," in text_of(mail)
    [link] = [url for url in links_in(mail) if "/passwort/" in url]
    async with new_client(app, "127.0.0.7") as person:
        form = await person.get(path_of(link))
        token = str(tag(soup(form), "input", attrs={"name": "csrf_token"})["value"])
        done = await person.post(
            path_of(link),
            data={"csrf_token": token, "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
        )
        assert done.status_code == 303
        assert (await log_in(person, "lea@example.org", NEW_PASSWORD)).status_code == 303


async def test_unknown_and_disabled_addresses_get_the_same_answer_and_no_mail(
    client: httpx.AsyncClient, create_user: CreateUser, inbox: Inbox, services: Services
) -> None:
    known = await create_user("learner", email="da@example.org")
    gone = await create_user("learner", email="aus@example.org")
    async with services.db.transaction() as tx:
        await tx.execute("UPDATE users SET active = 0 WHERE id = ?", (gone.id,))
    answers = {await _ask(client, address) for address in ("niemand@example.org", gone.email)}
    answers.add(await _ask(client, known.email))
    assert len(answers) == 1
    assert [r.recipients for r in await inbox.wait_for(1)] == [["da@example.org"]]
    await services.mail.run_once()
    assert len(inbox.received) == 1


async def test_each_account_gets_at_most_three_mails_an_hour(
    app: Starlette, create_user: CreateUser, inbox: Inbox, services: Services
) -> None:
    await create_user("learner", email="oft@example.org")
    answers = set()
    for n in range(5):
        async with new_client(app, f"10.1.0.{n}") as caller:
            answers.add(await _ask(caller, "oft@example.org"))
    assert len(answers) == 1 and next(iter(answers))[0] == 303
    assert await _sent(services.db) == 3
    assert len(await inbox.wait_for(3)) == 3


async def test_one_address_asking_too_often_must_wait(
    app: Starlette, client: httpx.AsyncClient, services: Services
) -> None:
    for n in range(5):
        assert (await _ask(client, f"person{n}@example.org"))[0] == 303
    status, message = await _ask(client, "person9@example.org")
    assert status == 429
    assert "Zu viele Anfragen von diesem Anschluss" in message
    # Another address is not held up by it.
    async with new_client(app, "10.2.0.1") as elsewhere:
        assert (await _ask(elsewhere, "person9@example.org"))[0] == 303
    assert await _sent(services.db) == 0


async def test_a_bad_address_is_a_german_message(client: httpx.AsyncClient) -> None:
    status, message = await _ask(client, "keine-adresse")
    assert status == 400
    assert "gültige E-Mail-Adresse" in message
