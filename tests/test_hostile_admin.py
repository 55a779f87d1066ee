"""Hostile input through the admin side: names, group names, CSV import, report filters,
and CSV exports that a spreadsheet must not run as formulas."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import quote

import httpx
import pytest

from learning.core.config import Settings
from tests.conftest import LoginAs, csrf_for
from tests.test_hostile_input import (
    IDS,
    PAYLOADS,
    assert_answered,
    assert_refused,
    refusal,
    shown,
)
from tests.web.learner_flow import COURSE

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # Named reports with no minimum group, so exported rows carry the hostile names.
    return settings.with_overrides(reports="named", min_group=1)


async def post(client: httpx.AsyncClient, path: str, data: dict[str, str]) -> httpx.Response:
    token = await csrf_for(client, "/admin/users")
    return await client.post(path, data={**data, "csrf_token": token})


async def create_learner(client: httpx.AsyncClient, n: int, name: str, group: str) -> int | None:
    response = await post(
        client,
        "/admin/users/new",
        {"email": f"h{n}@example.org", "name": name, "role": "learner", "new_group": group},
    )
    page = assert_answered(response)
    if response.status_code == 400:
        assert page.find(class_="error-summary") is not None, "refused without saying why"
        return None
    assert response.status_code == 303, response.status_code  # to the invitation link page
    page = assert_answered(await client.get(response.headers["location"]))
    link = page.find("a", href=re.compile(r"^/admin/users/\d+$"))
    assert link is not None
    return int(str(link["href"]).rsplit("/", 1)[1])


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
async def test_names_and_group_names_are_shown_inertly(
    client: httpx.AsyncClient, login_as: LoginAs, payload: str
) -> None:
    await login_as("admin")
    problem = refusal(payload, 200)
    if problem is not None:
        for path, data in (
            ("/admin/users/new", {"email": "h1@example.org", "name": payload, "role": "learner"}),
            ("/admin/groups", {"name": "G " + payload}),
        ):
            assert_refused(await post(client, path, data), problem)
        page = assert_answered(await client.get("/admin/users"))
        assert "h1@example.org" not in page.get_text()
        return
    user_id = await create_learner(client, 1, payload, payload)
    group = await post(client, "/admin/groups", {"name": "G " + payload})
    assert_answered(group)
    for url in ("/admin/users", "/admin/groups", "/admin/audit"):
        assert_answered(await client.get(url))
    if user_id is None:
        return
    detail = assert_answered(await client.get(f"/admin/users/{user_id}"))
    assert shown(payload).strip()[:40] in detail.get_text()


async def test_csv_export_neutralises_formulas(
    client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    await login_as("admin")
    formulas = [p for p in PAYLOADS if p.startswith(("=", "+", "-", "@"))]
    for n, payload in enumerate(formulas):
        user_id = await create_learner(client, n, payload, payload)
        assert user_id is not None
        enrolled = await post(client, f"/admin/users/{user_id}/enrol", {"course": COURSE})
        assert enrolled.status_code == 303
    for delimiter in ("semicolon", "comma"):
        response = await client.get(
            f"/admin/reports/{COURSE}/export?format=csv&delimiter={delimiter}"
        )
        assert response.status_code == 200
        text = response.content.decode("utf-8-sig")
        sep = ";" if delimiter == "semicolon" else ","
        cells = [cell for row in csv.reader(io.StringIO(text), delimiter=sep) for cell in row]
        hostile = [c for c in cells if any(p.lstrip("=+-@")[:8] in c for p in formulas)]
        assert len(hostile) >= len(formulas), "the names are missing from the export"
        assert not [c for c in hostile if c.startswith(FORMULA_START)], hostile


CSV_ROWS = [
    "email;name;rolle;gruppe",
    'a1@example.org;"<script>alert(1)</script>";learner;"=HYPERLINK(""http://evil.example"")"',
    "a2@example.org;<img src=x onerror=alert(1)>;learner;+cmd",
    "a3@example.org;Anna\u202eevil;learner;@SUM(1+1)",
    "a4@example.org;-1+1;admin;Gruppe",
]


@pytest.mark.parametrize(
    "body",
    [
        "\n".join(CSV_ROWS).encode("utf-8"),
        "\n".join(CSV_ROWS).encode("utf-8") + b"\xff\xfe kaputt",
        b"\x00" * 100,
        ("email;name\n" + "x@example.org;" + "Ü" * 100_000).encode("utf-8"),
        b"",
    ],
    ids=["payloads", "invalid-utf8", "nul", "overlong", "empty"],
)
async def test_csv_import_of_hostile_files(
    client: httpx.AsyncClient, login_as: LoginAs, body: bytes
) -> None:
    await login_as("admin")
    token = await csrf_for(client, "/admin/import")
    preview = await client.post(
        "/admin/import",
        data={"csrf_token": token},
        files={"file": ("nutzer.csv", body, "text/csv")},
    )
    page = assert_answered(preview)
    if preview.status_code == 400:
        assert page.find(class_=re.compile("error")) is not None, "refused without a message"
        return
    assert preview.status_code == 303, "a clean file: redirected to its preview page"
    page = assert_answered(await client.get(preview.headers["location"]))
    kept = page.find("input", attrs={"name": "preview"})
    assert kept is not None
    confirmed = await client.post(
        "/admin/import/confirm",
        data={"csrf_token": await csrf_for(client, "/admin/import"), "preview": kept["value"]},
    )
    assert_answered(confirmed)
    listing = assert_answered(await client.get("/admin/users"))
    assert "<script>alert(1)</script>" in listing.get_text()


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
async def test_report_and_list_filters(
    client: httpx.AsyncClient, login_as: LoginAs, payload: str
) -> None:
    await login_as("admin")
    q = quote(payload[:600], safe="")
    for url in (
        f"/admin/users?q={q}&role={q}&group={q}&active={q}",
        f"/admin/reports/{COURSE}?group={q}&status={q}&from={q}&to={q}&sort={q}&dir={q}&seite={q}",
        f"/admin/reports/{COURSE}/export?format={q}&delimiter={q}&group={q}&from={q}",
        f"/admin/audit?seite={q}",
        f"/trainer/{COURSE}/items?{q}={q}",
    ):
        response = await client.get(url)
        if "text/html" in response.headers.get("content-type", ""):
            assert_answered(response)
        else:
            assert response.status_code == 200, (url, response.status_code)
