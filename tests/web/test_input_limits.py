"""Out-of-range ids and oversized bodies get a German 404/400/413 page, never a 500,
and an oversized body is refused before it is read."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from learning.core.clock import FrozenClock
from learning.web.app import create_app
from learning.web.services import Services
from tests.conftest import (
    LoginAs,
    add_user,
    csrf_for,
    fast_hasher,
    log_in,
    make_settings,
    new_client,
    soup,
)
from tests.web.learner_flow import COURSE, enrol

HUGE = "9" * 23
MB = 1024 * 1024


def german_error(response: httpx.Response, status: int, title: str) -> None:
    assert response.status_code == status, response.text[:300]
    heading = soup(response).find("h1")
    assert heading is not None and heading.get_text() == title


@pytest.mark.parametrize("user_id", [HUGE, str(2**63), "1" + "0" * 18, "0", "-1", "00"])
async def test_admin_ids_out_of_range_are_a_404(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services, user_id: str
) -> None:
    await login_as("admin")
    german_error(await client.get(f"/admin/users/{user_id}"), 404, "Seite nicht gefunden")
    token = await csrf_for(client, "/admin/users")
    before = await services.db.scalar("SELECT count(*) FROM audit_log")
    for action in ("", "/disable", "/delete"):
        response = await client.post(
            f"/admin/users/{user_id}{action}", data={"csrf_token": token, "confirm": "ja"}
        )
        german_error(response, 404, "Seite nicht gefunden")
    assert await services.db.scalar("SELECT count(*) FROM audit_log") == before


async def test_attempt_ids_out_of_range_are_a_404(
    client: httpx.AsyncClient, login_as: LoginAs
) -> None:
    await login_as("learner")
    await enrol(client)
    for path in (f"/courses/{COURSE}/test/{HUGE}", f"/courses/{COURSE}/test/{HUGE}/ergebnis"):
        german_error(await client.get(path), 404, "Seite nicht gefunden")


async def test_declared_oversized_body_is_refused_unread(client: httpx.AsyncClient) -> None:
    token = await csrf_for(client, "/login")
    sent = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal sent
        for _ in range(20):
            sent += 1
            yield b"x" * MB

    response = await client.post(
        "/login",
        content=body(),
        headers={
            "content-type": "multipart/form-data; boundary=grenze",
            "content-length": str(20 * MB),
            "cookie": f"csrf={token}",
        },
    )
    german_error(response, 413, "Anfrage zu groß")
    assert sent <= 1, "the body was read although its declared length is too large"


async def test_streamed_oversized_body_stops_at_the_limit(client: httpx.AsyncClient) -> None:
    token = await csrf_for(client, "/login")
    sent = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal sent
        yield (
            f'--grenze\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
            '--grenze\r\nContent-Disposition: form-data; name="datei"; filename="a.bin"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        for _ in range(20):
            sent += 1
            yield b"a" * (MB // 4)
        yield b"\r\n--grenze--\r\n"

    # No Content-Length: the file part arrives chunked and is counted as it streams.
    response = await client.post(
        "/login",
        content=body(),
        headers={"content-type": "multipart/form-data; boundary=grenze"},
    )
    german_error(response, 413, "Anfrage zu groß")
    assert sent <= 9, f"{sent} chunks of 256 KiB were read"


async def test_multipart_text_part_above_the_part_limit_is_a_400(
    client: httpx.AsyncClient,
) -> None:
    token = await csrf_for(client, "/login")
    response = await client.post(
        "/login",
        data={"csrf_token": token, "email": "a" * (MB + 1), "password": "x"},
        files={"leer": ("a.txt", b"", "text/plain")},
    )
    german_error(response, 400, "Ungültige Anfrage")
    assert "Das Formular konnte nicht gelesen werden." in response.text


async def test_import_has_its_larger_limit(client: httpx.AsyncClient, login_as: LoginAs) -> None:
    await login_as("admin")
    token = await csrf_for(client, "/admin/import")
    rows = "".join(f"person{n}@example.org;Person {n};learner;\r\n" for n in range(80_000))
    csv = ("email;name;role;group\r\n" + rows).encode()
    assert 2 * MB < len(csv) < 4 * MB
    response = await client.post(
        "/admin/import", data={"csrf_token": token}, files={"file": ("k.csv", csv, "text/csv")}
    )
    # Past the body limit: the import's own validation answers (too many rows).
    assert response.status_code == 400
    assert soup(response).select("#import-errors, .error-summary")
    token = await csrf_for(client, "/login")
    refused = await client.post("/sprache", data={"csrf_token": token, "next": "x" * (3 * MB)})
    german_error(refused, 413, "Anfrage zu groß")


CONTROL = (
    "Eine Eingabe enthält Steuerzeichen, die nicht erlaubt sind. Bitte prüfen Sie Ihre Eingaben."
)


async def test_multiline_fields_keep_line_breaks_and_tabs(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    await login_as("learner")
    await enrol(client)
    token = await csrf_for(client, f"/courses/{COURSE}/pages/stufen")
    url = f"/courses/{COURSE}/pages/stufen/answer/eigene-praegung"
    # A full textarea: the browser counts each CRLF it sends as one character.
    full = "a\r\n" * 3333 + "a"
    saved = await client.post(url, data={"eigene-praegung": full, "csrf_token": token})
    assert saved.status_code == 303
    stored = await services.db.scalar("SELECT text FROM reflections")
    assert stored == "a\n" * 3333 + "a"
    saved = await client.post(
        url, data={"eigene-praegung": "Zeile 1\r\nZeile 2\tEnde", "csrf_token": token}
    )
    assert saved.status_code == 303
    assert await services.db.scalar("SELECT text FROM reflections") == "Zeile 1\nZeile 2\tEnde"
    refused = await client.post(
        url, data={"eigene-praegung": "Escape \x1b[2J", "csrf_token": token}
    )
    german_error(refused, 400, "Ungültige Anfrage")
    assert CONTROL in refused.text
    assert await services.db.scalar("SELECT text FROM reflections") == "Zeile 1\nZeile 2\tEnde"


@pytest.mark.parametrize("name", ["Gruppe\tNord", "Gruppe\nNord", "Gruppe\x7f", "Gruppe\u2066"])
async def test_single_line_fields_refuse_every_control_character(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services, name: str
) -> None:
    await login_as("admin")
    token = await csrf_for(client, "/admin/groups")
    response = await client.post("/admin/groups", data={"name": name, "csrf_token": token})
    german_error(response, 400, "Ungültige Anfrage")
    assert CONTROL in response.text
    assert await services.db.scalar("SELECT count(*) FROM groups") == 0


async def test_overlong_name_is_refused_not_cut(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    admin = await login_as("admin")
    token = await csrf_for(client, f"/admin/users/{admin.id}")
    response = await client.post(
        f"/admin/users/{admin.id}",
        data={"email": admin.email, "name": "N" * 201, "role": "admin", "csrf_token": token},
    )
    german_error(response, 400, "Ungültige Anfrage")
    assert "Eine Eingabe ist zu lang." in response.text
    assert (
        await services.db.scalar("SELECT name FROM users WHERE id = ?", (admin.id,)) == admin.name
    )


async def test_import_limit_is_the_configured_one(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "t.sqlite3").with_overrides(max_import_body=8 * 1024)
    application = create_app(settings, clock=FrozenClock(), announce=False)
    application.state.services.hasher = fast_hasher()
    services: Services = application.state.services
    async with application.router.lifespan_context(application), new_client(application) as c:
        await add_user(services, services.clock(), "admin", email="a@example.org", name="A")
        assert (await log_in(c, "a@example.org")).status_code == 303
        token = await csrf_for(c, "/admin/import")
        csv = ("email;name;role;group\r\n" + "x@example.org;X;learner;\r\n" * 400).encode()
        response = await c.post(
            "/admin/import", data={"csrf_token": token}, files={"file": ("k.csv", csv, "text/csv")}
        )
        german_error(response, 413, "Anfrage zu groß")
