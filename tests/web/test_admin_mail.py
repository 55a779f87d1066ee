"""The outbox page and retry (web/admin_mail.py), and mail without a mail server."""

from __future__ import annotations

import httpx
import pytest
from bs4 import BeautifulSoup, Tag

from learning.mail.queue import queue_mail
from learning.store import audit, outbox
from learning.web.services import Services
from tests.conftest import LoginAs, csrf_for, select_tag, soup, tag
from tests.mail.mail_flow import new_account, wait_sent

CONTEXT = {"name": "Ana", "link": "http://127.0.0.1:8000/passwort/x", "hours": 24, "until": "x"}


async def _queue(services: Services, count: int, *, address: str = "ana@example.org") -> None:
    """`count` mails that wait for a later attempt, so the app's sender leaves them alone."""
    async with services.db.transaction() as tx:
        for _ in range(count):
            await queue_mail(
                tx,
                kind="password_reset",
                to_user_id=None,
                to_address=address,
                language="de",
                context=CONTEXT,
                caused_by=None,
                now=services.clock(),
            )
        await tx.execute(
            "UPDATE outbox SET attempts = 1, next_attempt_at = '2099-01-01 00:00:00'"
            " WHERE status = 'queued'"
        )


def _rows(page: BeautifulSoup) -> list[Tag]:
    return list(select_tag(page, "#outbox tbody").find_all("tr"))


async def _fail(services: Services, mail_id: int) -> None:
    async with services.db.transaction() as tx:
        await tx.execute(
            "UPDATE outbox SET status = 'failed', last_error = 'Der Mailserver hat die E-Mail"
            " abgelehnt: 550 nein' WHERE id = ?",
            (mail_id,),
        )


async def test_without_a_mail_server_mails_go_to_the_log_and_links_stay_on_the_page(
    client: httpx.AsyncClient,
    login_as: LoginAs,
    services: Services,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await login_as("admin")
    with caplog.at_level("INFO", logger="learning.mail"):
        created = await new_account(client, "log@example.org", "Lou Log")
        assert created.status_code == 303
        page = soup(await client.get(created.headers["location"]))
        link = tag(page, "input", class_="link-field")["value"]
        assert "kein Mailserver" in tag(page, "p", class_="notice").get_text()
        await wait_sent(services.db, 1)
    assert str(link) in caplog.text
    assert "log@example.org" in caplog.text
    listing = soup(await client.get("/admin/mail"))
    assert "nur ins Serverprotokoll" in tag(listing, "p", class_="notice").get_text()
    assert tag(listing, "tr", id="mail-1").find(class_="badge-mail-sent") is not None


async def test_login_without_mail_server_says_ask_the_administration(
    client: httpx.AsyncClient,
) -> None:
    login = soup(await client.get("/login"))
    assert login.find("a", href="/passwort-vergessen") is None
    assert "Administration" in tag(login, "p", class_="hint").get_text()
    page = soup(await client.get("/passwort-vergessen"))
    assert page.find("form", action="/passwort-vergessen") is None
    assert "Administration Ihrer Einrichtung" in page.get_text()


async def test_outbox_is_paged_and_filtered_by_status(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    await login_as("admin")
    await _queue(services, 60)
    await _fail(services, 3)
    first = soup(await client.get("/admin/mail"))
    rows = _rows(first)
    assert len(rows) == 50
    assert rows[0]["id"] == "mail-60"
    assert tag(first, "span", id="count-queued").get_text() == "(59)"
    assert tag(first, "span", id="count-failed").get_text() == "(1)"
    older = tag(first, "a", href="/admin/mail?seite=2")
    second = soup(await client.get(str(older["href"])))
    assert len(_rows(second)) == 10
    failed = soup(await client.get("/admin/mail?status=failed"))
    [row] = _rows(failed)
    assert row["id"] == "mail-3"
    assert "550 nein" in row.get_text()
    assert tag(failed, "div", class_="table-scroll")["role"] == "region"


async def test_retry_queues_a_failed_mail_again_and_is_audited(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    admin = await login_as("admin")
    await _queue(services, 2)
    await _fail(services, 1)
    token = await csrf_for(client, "/admin/mail")
    done = await client.post("/admin/mail/1/retry", data={"csrf_token": token})
    assert done.status_code == 303
    flash = tag(soup(await client.get("/admin/mail")), "p", class_="flash")
    assert flash.get_text(strip=True) == "Die E-Mail wird erneut verschickt."
    mail = await outbox.get(services.db, 1)
    assert mail is not None and mail.status in ("queued", "sending", "sent")
    entry = next(e for e in await audit.list_entries(services.db) if e.action == "mail.retry")
    assert (entry.actor_id, entry.target_id) == (admin.id, "1")
    # A mail that has not failed is not sent again, and says so.
    again = await client.post("/admin/mail/2/retry", data={"csrf_token": token})
    assert again.status_code == 303
    flash = tag(soup(await client.get("/admin/mail")), "p", class_="flash")
    assert "nicht fehlgeschlagen" in flash.get_text()
    assert (
        await client.post("/admin/mail/99/retry", data={"csrf_token": token})
    ).status_code == 404
