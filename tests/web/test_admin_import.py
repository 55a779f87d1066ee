"""CSV import: upload, preview, confirm; one bad row means nothing is imported."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette

from learning.accounts.user_import import parse_users_csv
from learning.web.services import Services
from tests.conftest import CreateUser, LoginAs, attr, csrf_for, log_in, new_client, soup, tag

GOOD = "email;name;role;group\r\nanna@example.org;Anna Nord;learner;Amt Nord\r\ntom@example.org;Tom;trainer;\r\n"


async def upload(client: httpx.AsyncClient, content: bytes) -> httpx.Response:
    token = await csrf_for(client, "/admin/import")
    return await client.post(
        "/admin/import",
        data={"csrf_token": token},
        files={"file": ("konten.csv", content, "text/csv")},
        follow_redirects=True,
    )


def test_parser_detects_bom_and_delimiters() -> None:
    for text in (GOOD, GOOD.replace(";", ",")):
        parsed = parse_users_csv(("\ufeff" + text).encode())
        assert parsed.errors == ()
        assert [(r.line, r.email, r.role, r.group) for r in parsed.rows] == [
            (2, "anna@example.org", "learner", "Amt Nord"),
            (3, "tom@example.org", "trainer", ""),
        ]


def test_parser_lists_every_bad_row_with_its_line() -> None:
    text = "email,name,role,group\nok@example.org,Ok,learner,\nkaputt,Name,learner,\nok@example.org,Doppelt,admin,\nx@example.org,,chef,\n"
    parsed = parse_users_csv(text.encode())
    lines = [(e.line, e.message) for e in parsed.errors]
    assert [line for line, _ in lines] == [3, 4, 5, 5]
    assert "Ungültige E-Mail-Adresse" in lines[0][1]
    assert "schon in Zeile 2" in lines[1][1]
    assert "es fehlt" in parse_users_csv(b"foo;bar\n1;2\n").errors[0].message


async def test_preview_then_confirm_imports_and_shows_links(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    await login_as("admin")
    token = await csrf_for(client, "/admin/import")
    posted = await client.post(
        "/admin/import",
        data={"csrf_token": token},
        files={"file": ("konten.csv", ("\ufeff" + GOOD).encode(), "text/csv")},
    )
    assert posted.status_code == 303, "post/redirect/get: the preview is a page of its own"
    preview = await client.get(posted.headers["location"])
    assert preview.status_code == 200
    assert (await client.get(posted.headers["location"])).text == preview.text, "reload: same"
    page = soup(preview)
    assert [td.get_text() for td in page.select("#import-preview tbody tr td:nth-of-type(1)")] == [
        "anna@example.org",
        "tom@example.org",
    ]
    assert await services.db.scalar("SELECT count(*) FROM users") == 1, "preview imports nothing"
    form = tag(page, "form", action="/admin/import/confirm")
    data = {attr(i, "name"): attr(i, "value") for i in form.find_all("input")}
    done = await client.post("/admin/import/confirm", data=data)
    assert done.status_code == 303, "post/redirect/get: reloading the links imports nothing"
    done = await client.get(done.headers["location"])
    links = [i["value"] for i in soup(done).select("#link-table input.link-field")]
    assert len(links) == 2 and all("/einladung/" in link for link in links)
    assert await services.db.scalar("SELECT count(*) FROM users") == 3
    assert await services.db.scalar("SELECT count(*) FROM invitations") == 2
    again = await client.post("/admin/import/confirm", data=data)
    assert again.status_code == 400, "a confirmed preview is gone: a replay imports nothing"
    assert (await client.get(posted.headers["location"])).status_code == 404
    assert await services.db.scalar("SELECT count(*) FROM users") == 3


async def test_one_bad_row_imports_nothing(
    client: httpx.AsyncClient, login_as: LoginAs, create_user: CreateUser, services: Services
) -> None:
    await login_as("admin")
    await create_user("learner", email="schon@example.org")
    content = (GOOD + "schon@example.org;Schon da;learner;\r\n").encode()
    response = await upload(client, content)
    assert response.status_code == 400
    errors = soup(response).select("#import-errors tbody tr")
    assert [tag(tr, "th").get_text() for tr in errors] == ["4"]
    assert soup(response).find("form", action="/admin/import/confirm") is None
    assert await services.db.scalar("SELECT count(*) FROM users") == 2


async def test_tampered_preview_is_refused(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    await login_as("admin")
    token = await csrf_for(client, "/admin/import")
    response = await client.post(
        "/admin/import/confirm", data={"csrf_token": token, "payload": '[{"email": "x"}]'}
    )
    assert response.status_code == 400
    assert await services.db.scalar("SELECT count(*) FROM users") == 1


async def test_hostile_names_are_shown_inertly(
    client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    await login_as("admin")
    content = b'email,name,role,group\nx@example.org,"<img src=x onerror=alert(1)>",learner,"=cmd|\' /C calc\'!A0"\n'
    response = await upload(client, content)
    assert response.status_code == 200
    page = soup(response)
    assert page.find("img") is None
    cells = [td.get_text() for td in page.select("#import-preview td")]
    assert "<img src=x onerror=alert(1)>" in cells


def test_parser_reads_what_excel_writes() -> None:
    rows = "E-Mail;Name;Rolle;Gruppe\r\njörg@example.org;Jörg Weiß;Trainer/in;Amt Süd\r\n"
    for data, encoding in (
        (rows.encode("utf-8"), "utf-8"),
        (("\ufeff" + rows).encode("utf-8"), "utf-8"),
        (rows.encode("cp1252"), "windows-1252"),
    ):
        parsed = parse_users_csv(data)
        assert parsed.errors == (), encoding
        assert parsed.encoding == encoding and parsed.delimiter == ";"
        (row,) = parsed.rows
        assert (row.name, row.role, row.group) == ("Jörg Weiß", "trainer", "Amt Süd")
    comma = parse_users_csv(b"email,name,role\r\na@example.org,A,Lernende\r\n")
    assert comma.delimiter == "," and comma.rows[0].role == "learner"
    bad = parse_users_csv(b"email;name;role\nx@example.org;X;Chef\n")
    assert bad.errors[0].line == 2 and "Lernende, Trainer/in und Admin" in bad.errors[0].message


async def test_preview_names_roles_in_german_new_groups_and_the_encoding(
    client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    await login_as("admin", group="Amt Nord")
    text = "E-Mail;Name;Rolle;Gruppe\r\nb@example.org;Bär;admin;Amt Nord\r\nc@example.org;Çelik;;Amt Süd\r\n"
    page = soup(await upload(client, text.encode("cp1252")))
    roles = [td.get_text() for td in page.select("#import-preview tbody tr td:nth-of-type(3)")]
    assert roles == ["Admin", "Lernende"]
    assert "Amt Süd" in tag(page, id="new-groups").get_text()
    assert "Amt Nord" not in tag(page, id="new-groups").get_text(), "it exists already"
    assert "Windows-1252" in tag(page, id="encoding-note").get_text()
    utf8 = soup(await upload(client, text.encode("utf-8")))
    assert utf8.find(id="encoding-note") is None


async def test_preview_belongs_to_its_admin_and_rechecks_addresses(
    app: Starlette,
    client: httpx.AsyncClient,
    login_as: LoginAs,
    create_user: CreateUser,
    services: Services,
) -> None:
    await login_as("admin")
    preview = await upload(client, GOOD.encode())
    other = await create_user("admin")
    async with new_client(app, "10.4.4.4") as second:
        assert (await log_in(second, other.email)).status_code == 303
        assert (await second.get(str(preview.url))).status_code == 404
    await create_user("learner", email="tom@example.org")
    again = await client.get(str(preview.url))
    assert again.status_code == 400
    errors = soup(again).select("#import-errors tbody tr")
    assert [tag(tr, "th").get_text() for tr in errors] == ["3"]


async def test_imported_learner_in_an_assigned_group_gets_the_notice(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    from datetime import date, datetime

    from learning.store import assignments, users

    await login_as("admin")
    async with services.db.transaction() as tx:
        nord = await users.get_or_create_group(tx, "Amt Nord", services.clock())
        await assignments.create(
            tx,
            course_id="fixture-kurs",
            group_id=nord,
            due=assignments.DueRule(on=date(2099, 1, 15)),
            renew_months=None,
            by=None,
            now=datetime.now().astimezone(),
        )
    page = soup(await upload(client, GOOD.encode()))
    form = tag(page, "form", action="/admin/import/confirm")
    data = {attr(i, "name"): attr(i, "value") for i in form.find_all("input")}
    assert (await client.post("/admin/import/confirm", data=data)).status_code == 303
    mails = await services.db.fetchall(
        "SELECT kind, to_address FROM outbox WHERE kind = 'assignment_notice'"
    )
    # Everyone gets an invitation; only the one in the assigned group hears of the course.
    assert [(m["kind"], m["to_address"]) for m in mails] == [
        ("assignment_notice", "anna@example.org")
    ]
    enrolled = await services.db.scalar(
        "SELECT count(*) FROM enrolments e JOIN users u ON u.id = e.user_id"
        " WHERE u.email = 'anna@example.org' AND e.course_id = 'fixture-kurs'"
    )
    assert enrolled == 1
