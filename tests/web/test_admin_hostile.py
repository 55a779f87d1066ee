"""Hostile input in every admin field: a German message or inert storage, never a 500."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest

from learning.web.services import Services
from tests.admin_support import install_catalog
from tests.conftest import LoginAs, csrf_for, only_own_scripts, select_tag, soup

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    '=HYPERLINK("http://evil")',
    "+1-1",
    "@SUM(A1)",
    "Anna\u202egnirts",
    "Zero\u200bwidth",
    "Nul\x00byte",
    "x" * 5000,
]


# Refused with a German 400: control and bidi characters, and names over 200 characters.
REFUSED = {"Anna\u202egnirts", "Nul\x00byte", "x" * 5000}


@pytest.mark.parametrize("payload", PAYLOADS)
async def test_names_and_groups(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services, payload: str
) -> None:
    refused = payload in REFUSED
    install_catalog(services)
    await login_as("admin")
    token = await csrf_for(client, "/admin/users/new")
    created = await client.post(
        "/admin/users/new",
        data={
            "csrf_token": token,
            "email": "h@example.org",
            "name": payload,
            "role": "learner",
            "new_group": payload,
        },
    )
    assert created.status_code == (400 if refused else 303)
    group = await client.post("/admin/groups", data={"csrf_token": token, "name": payload})
    assert group.status_code == (400 if refused else 303)
    for url in (
        "/admin/users",
        "/admin/groups",
        "/admin/audit",
        "/admin/reports/kurs-a",
        "/admin/users?q=" + quote(payload[:100]),
    ):
        response = await client.get(url)
        assert response.status_code == 200, url
        page = soup(response)
        assert only_own_scripts(page) and page.find("img") is None, url
        assert "\u202e" not in response.text and "\x00" not in response.text
    stored = await services.db.scalar("SELECT name FROM users WHERE email = 'h@example.org'")
    # Stored exactly as typed, or not at all.
    assert stored == (None if refused else payload)


@pytest.mark.parametrize(
    "params",
    [
        {"group": "1 OR 1=1"},
        {"status": "<script>"},
        {"from": "2026-13-45", "to": "\x00"},
        {"sort": "name; DROP TABLE users", "dir": "sideways"},
        {"format": "../../etc/passwd"},
        {"seite": "-1"},
    ],
)
async def test_report_query_parameters(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services, params: dict[str, str]
) -> None:
    install_catalog(services)
    await login_as("admin")
    for url in (
        "/admin/reports/kurs-a",
        "/admin/reports/kurs-a/export",
        "/admin/users",
        "/admin/audit",
    ):
        response = await client.get(url, params=params)
        assert response.status_code == 200, (url, params)
    assert await services.db.scalar("SELECT count(*) FROM users") == 1


async def test_malformed_form_encoding(client: httpx.AsyncClient, login_as: LoginAs) -> None:
    await login_as("admin")
    token = await csrf_for(client, "/admin/import")
    broken = await client.post(
        "/admin/import",
        content=b'--x\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
        + token.encode()
        + b"\r\n--x",
        headers={"content-type": "multipart/form-data; boundary=x"},
    )
    # Unparseable: its CSRF token cannot be read, so the request is refused as such.
    assert broken.status_code == 403
    empty = await client.post("/admin/import", data={"csrf_token": token})
    assert empty.status_code == 400
    assert soup(empty).select_one("#import-errors") is not None


async def test_percent_signs_in_names_do_not_break_messages(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    install_catalog(services)
    await login_as("admin")
    token = await csrf_for(client, "/admin/groups")
    assert (
        await client.post("/admin/groups", data={"csrf_token": token, "name": "100%s %(x)s %"})
    ).status_code == 303
    group_id = await services.db.scalar("SELECT id FROM groups")
    response = await client.post(
        f"/admin/groups/{group_id}/enrol", data={"csrf_token": token, "course": "kurs-a"}
    )
    assert response.status_code == 303
    page = await client.get("/admin/groups")
    assert page.status_code == 200
    assert (
        select_tag(soup(page), ".flash").get_text()
        == "Die aktiven Konten der Gruppe sind eingeschrieben."
    )
    assert select_tag(soup(page), "tbody th a").get_text() == "100%s %(x)s %"
