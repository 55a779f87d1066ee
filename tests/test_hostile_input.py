"""Hostile input into every field a person can write: stored and shown inertly, or refused
with a German message; never a 500, never a live element from the payload."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from bs4 import BeautifulSoup
from starlette.applications import Starlette

from learning.cli.main import main
from learning.core.clock import FrozenClock
from learning.web.app import create_app
from learning.web.services import Services
from tests.conftest import (
    PASSWORD,
    CreateUser,
    LoginAs,
    add_user,
    csrf_for,
    fast_hasher,
    log_in,
    make_settings,
    new_client,
)
from tests.helpers import page as lesson_page
from tests.helpers import write_course
from tests.web.learner_flow import COURSE, answer, enrol, start_test, submit_test

OVERLONG = "Ü" * 100_000
PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    '\'><a href="javascript:alert(1)">klick</a>',
    "javascript:alert(1)",
    '=HYPERLINK("http://evil.example","klick")',
    "+cmd|' /C calc'!A0",
    "-1+1",
    "@SUM(1+1)",
    "{{ 7*7 }}{% raw %}",
    "Anna\u202eevil.exe",
    "Null\u200bbreite\u200dZeichen\ufeff",
    "NUL\x00Byte",
    OVERLONG,
]
IDS = [
    "script",
    "img-onerror",
    "svg-onload",
    "a-javascript",
    "javascript-url",
    "hyperlink",
    "plus-cmd",
    "minus",
    "at-sum",
    "jinja",
    "rtl",
    "zero-width",
    "nul",
    "overlong",
]
# Each with its answer: 403 where the body parses but holds no valid CSRF token, 400
# where it cannot be parsed at all.
MALFORMED = [
    ("application/x-www-form-urlencoded", b"email=%ZZ&password=%&csrf_token=%E0%A4%A", 403),
    ("application/x-www-form-urlencoded", b"email=\xff\xfe\xfd&password=\xc3\x28", 403),
    ("application/x-www-form-urlencoded", b"&&&===&%00=%00", 403),
    ("text/plain", b"email=a@example.org&password=x", 403),
    ("application/json", b'{"email": "a@example.org"}', 403),
    (
        "multipart/form-data; boundary=kaputt",
        b"--kaputt\r\nContent-Disposition: form-data\r\n",
        403,
    ),
    ("multipart/form-data", b"kein boundary", 400),
    ("application/x-www-form-urlencoded; charset=utf-7", b"email=+ADw-script+AD4-", 403),
]


URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}


def assert_inert(html: str) -> BeautifulSoup:
    """No element or attribute a payload could have made live."""
    page = BeautifulSoup(html, "html.parser")
    for element in page.find_all(True):
        assert element.name not in {"iframe", "object", "embed", "svg", "base"}, element
        if element.name == "script":
            src = element.get("src", "")
            assert isinstance(src, str) and src.startswith("/static/"), element
        if element.name == "img":
            assert element.get("src") != "x", element
        for name, value in element.attrs.items():
            assert not name.lower().startswith("on"), element
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower() in URL_ATTRIBUTES:
                assert not text.strip().lower().startswith(("javascript:", "data:")), element
            assert "alert(1)" not in text or name == "value", element
    return page


def assert_answered(response: httpx.Response) -> BeautifulSoup:
    assert response.status_code < 500, response.text[:300]
    page = assert_inert(response.text)
    if response.status_code >= 400 and "text/html" in response.headers.get("content-type", ""):
        heading = page.find("h1")
        assert heading is not None and heading.get_text(strip=True), "no German error page"
    return page


CONTROL = (
    "Eine Eingabe enthält Steuerzeichen, die nicht erlaubt sind. Bitte prüfen Sie Ihre Eingaben."
)
TOO_LONG = "Eine Eingabe ist zu lang. Bitte kürzen Sie sie und senden Sie das Formular erneut."


def refusal(payload: str, max_length: int) -> str | None:
    """The message a form field with this payload is refused with, if it is."""
    if "\x00" in payload or "\u202e" in payload:
        return CONTROL
    if len(payload) > max_length:
        return TOO_LONG
    return None


def assert_refused(response: httpx.Response, message: str) -> None:
    assert response.status_code == 400, response.status_code
    page = assert_answered(response)
    heading = page.find("h1")
    assert heading is not None and heading.get_text() == "Ungültige Anfrage"
    assert message in page.get_text()


def shown(text: str) -> str:
    """What the service may keep of a payload: control and bidi characters removed."""
    return "".join(ch for ch in text if ch not in "\x00\u202e")[:200]


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
async def test_login_fields_and_next(client: httpx.AsyncClient, payload: str) -> None:
    token = await csrf_for(client, "/login?next=" + quote(payload[:5000]))
    response = await client.post(
        "/login",
        data={"email": payload, "password": payload, "next": payload, "csrf_token": token},
    )
    problem = refusal(payload, 320)
    if problem is not None:
        assert_refused(response, problem)
        return
    assert response.status_code == 401
    page = assert_answered(response)
    error = page.find(class_="error-summary")
    assert error is not None
    assert error.get_text(strip=True) in {
        "E-Mail-Adresse oder Passwort ist nicht korrekt.",
        "Bitte geben Sie E-Mail-Adresse und Passwort ein.",
    }


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
async def test_query_parameters(client: httpx.AsyncClient, login_as: LoginAs, payload: str) -> None:
    await login_as("learner")
    quoted = quote(payload[:5000], safe="")
    for url in (
        f"/login?next={quoted}",
        f"/verify?code={quoted}",
        f"/verify/{quoted}",
        f"/courses/{quoted}",
        f"/courses/{COURSE}/pages/{quoted}",
        f"/courses/{COURSE}/media/{quoted}",
        f"/?q={quoted}&page={quoted}",
    ):
        response = await client.get(url)
        assert_answered(response)
        if response.is_redirect:
            location = response.headers["location"]
            assert location.startswith("/"), location  # never off-site, never javascript:


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
async def test_reflection_and_text_answers(
    client: httpx.AsyncClient, login_as: LoginAs, payload: str
) -> None:
    await login_as("learner")
    assert (await enrol(client)).status_code == 303
    saved = await answer(client, "stufen", "eigene-praegung", {"eigene-praegung": payload})
    problem = refusal(payload, 10_000)
    if problem is not None:
        assert_refused(saved, problem)
        notes = assert_answered(await client.get("/notizen"))
        assert shown(payload)[:20] not in notes.get_text(), "the refused note was stored"
        if problem is CONTROL:
            text = await answer(client, "zeit", "hall-1", {"hall-1": payload})
            assert_refused(text, CONTROL)
            return
    else:
        assert saved.status_code == 303
    reflection_page = assert_answered(await client.get(f"/courses/{COURSE}/pages/stufen"))
    notes = assert_answered(await client.get("/notizen"))
    if problem is None:
        textarea = reflection_page.find("textarea", attrs={"name": "eigene-praegung"})
        assert textarea is not None
        assert payload[:50] in textarea.get_text()
        assert payload[:50] in notes.get_text()

    text = await answer(client, "zeit", "hall-1", {"hall-1": payload})
    assert text.status_code == 303
    after = assert_answered(await client.get(text.headers["location"].split("#")[0]))
    if payload is OVERLONG:
        summary = after.find(id="error-summary")
        assert summary is not None and "zu lang" in summary.get_text()
    exported = await client.get("/lernstand/export.json")
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("application/json")


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
async def test_final_test_text_answer(
    client: httpx.AsyncClient, login_as: LoginAs, payload: str
) -> None:
    await login_as("learner")
    await enrol(client)
    attempt = await start_test(client)
    response = await submit_test(
        client, attempt, {"test-1": payload, "test-3": payload, "confirm": "1"}
    )
    # Length is the grading's to judge (the result says "zu lang"); control characters never.
    if refusal(payload, len(payload)) is CONTROL:
        assert_refused(response, CONTROL)
        again = await client.get(f"/courses/{COURSE}/test/{attempt}")
        assert again.status_code == 200, "the refused submission used up the attempt"
        return
    assert response.status_code == 303
    assert_answered(await client.get(response.headers["location"].split("#")[0]))


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
async def test_name_at_first_admin_setup(
    client: httpx.AsyncClient, services: Services, payload: str
) -> None:
    url = "/setup/" + services.signer.make_link_token("setup")
    token = await csrf_for(client, url)
    response = await client.post(
        url,
        data={
            "email": "ada@example.org",
            "name": payload,
            "password": PASSWORD,
            "password_confirm": PASSWORD,
            "csrf_token": token,
        },
    )
    page = assert_answered(response)
    problem = refusal(payload, 200)
    if problem is not None:
        assert_refused(response, problem)
        assert await services.db.scalar("SELECT count(*) FROM users") == 0
        return
    if response.status_code == 400:
        assert page.find(class_="error-summary") is not None  # refused, and said why
        return
    assert response.status_code == 303
    home = assert_answered(await client.get("/"))
    name = home.find(class_="user-name")
    assert name is not None and name.get_text() == shown(payload).strip()[:200]


# Three payloads: the CLI hashes with full argon2 cost, a second each.
@pytest.mark.parametrize(
    "payload", [PAYLOADS[0], PAYLOADS[1], PAYLOADS[10]], ids=[IDS[0], IDS[1], IDS[10]]
)
async def test_name_from_cli_users_add(
    app: Starlette, services: Services, monkeypatch: pytest.MonkeyPatch, payload: str
) -> None:
    monkeypatch.setenv("LEARNING_SECRET_KEY", "test-secret-key-that-is-long-enough")
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    database = str(services.settings.database)
    argv = ["--database", database, "users", "add", "cli@example.org", "--role", "learner"]
    # The CLI runs its own event loop, so it runs in a thread beside the test's loop.
    assert await asyncio.to_thread(main, [*argv, "--name", payload]) == 0
    async with new_client(app) as browser:
        assert (await log_in(browser, "cli@example.org")).status_code == 303
        page = assert_answered(await browser.get("/lernstand"))
        name = page.find(class_="user-name")
        assert name is not None and payload.replace("\u202e", "") in name.get_text()


@pytest.mark.parametrize(("content_type", "body", "status"), MALFORMED)
async def test_malformed_form_encodings(
    client: httpx.AsyncClient, create_user: CreateUser, content_type: str, body: bytes, status: int
) -> None:
    anonymous = await client.post("/login", content=body, headers={"content-type": content_type})
    assert anonymous.status_code == status
    assert_answered(anonymous)
    user = await create_user()
    await log_in(client, user.email)
    for path in (
        f"/courses/{COURSE}/pages/zeit/answer/hall-1",
        "/konto/passwort",
        "/sprache",
    ):
        response = await client.post(path, content=body, headers={"content-type": content_type})
        assert response.status_code == status, (path, response.status_code)
        assert_answered(response)


@pytest.mark.parametrize("payload", PAYLOADS[:5] + PAYLOADS[10:13], ids=IDS[:5] + IDS[10:13])
async def test_course_markdown_is_rendered_inertly(
    tmp_path: Path, create_user: CreateUser, payload: str
) -> None:
    body = (
        f"{payload}\n\n::: question {{#q1}}\n{payload}\n\n"
        f"- (x) {payload}\n  > {payload}\n- ( ) Nein\n\nErklärung: {payload}\n:::\n"
    )
    write_course(tmp_path, {"01-a.md": lesson_page(body)})
    settings = make_settings(tmp_path / "md.sqlite3").with_overrides(courses=tmp_path / "courses")
    application = create_app(settings, clock=FrozenClock(), announce=False)
    application.state.services.hasher = fast_hasher()
    async with application.router.lifespan_context(application), new_client(application) as c:
        services: Services = application.state.services
        catalog = services.catalog
        assert catalog is not None
        course = catalog.get("k")
        if "\x00" in payload:
            # A control character in a course file is refused where it stands (E115).
            assert course is None
            assert {d.code for d in catalog.results["k"].errors} == {"E115"}
            return
        assert course is not None, catalog.results["k"].errors
        user = await add_user(
            services, services.clock(), "learner", email="l@example.org", name="L"
        )
        await log_in(c, user.email)
        assert (await enrol(c, "k")).status_code == 303
        assert_answered(await c.get("/courses/k/pages/s1"))
