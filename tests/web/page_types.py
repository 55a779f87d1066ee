"""Every page type of the service, rendered once per UI language, for the page-wide checks.

The first admin's setup form, anonymous pages, the learner's whole course (lessons with answered questions, the
final test, its confirmation and result), the trainer's start page, the admin's and
trainer's pages, link and
import pages, and the error pages. `walk` returns {name: html}; English pages are
the same pages again with the language cookie set, named "en-<name>".
"""

from __future__ import annotations

import httpx

from learning.web.app import setup_link
from learning.web.cookies import LANG_COOKIE, SESSION_COOKIE
from learning.web.services import Services
from tests.admin_support import seed_known
from tests.conftest import LoginAs, attr, csrf_for, log_in, soup, tag
from tests.web.learner_flow import (
    CONTENT_PAGES,
    COURSE,
    answer,
    enrol,
    start_test,
    submit_test,
)

PUBLIC = {
    "login": "/login",
    "a11y": "/barrierefreiheit",
    "easy": "/leichte-sprache",
    "privacy": "/datenschutz",
    "verify": "/verify",
    "verify-unknown": "/verify/ABCD-EFGH-JKLM",
    "404": "/nope",
    "invite-expired": "/einladung/nope",
}
ADMIN = {
    "users": "/admin/users",
    "new": "/admin/users/new",
    "groups": "/admin/groups",
    "import": "/admin/import",
    "reports": "/admin/reports",
    "report": f"/admin/reports/{COURSE}",
    "audit": "/admin/audit",
    "trainer": "/trainer",
    "trainer-course": f"/trainer/{COURSE}",
    "items": f"/trainer/{COURSE}/items",
    "preview": f"/trainer/{COURSE}/preview/{CONTENT_PAGES[1]}",
    "password": "/konto/passwort",
    "admin-home": "/",
}


# The error pages among the page types, with the status they must answer with.
ERRORS = {"404": 404, "verify-unknown": 404, "invite-expired": 404, "forbidden": 403}


async def _get_all(client: httpx.AsyncClient, paths: dict[str, str], prefix: str) -> dict[str, str]:
    pages = {}
    for name, path in paths.items():
        response = await client.get(path)
        assert response.status_code == ERRORS.get(name, 200), (path, response.status_code)
        pages[prefix + name] = response.text
    return pages


async def _attempt(client: httpx.AsyncClient) -> tuple[int, str]:
    attempt = await start_test(client)
    response = await client.get(f"/courses/{COURSE}/test/{attempt}")
    assert response.status_code == 200
    return attempt, response.text


async def _learner(client: httpx.AsyncClient) -> tuple[dict[str, str], dict[str, str]]:
    """Answer questions of each type, take the test: the learner's page paths, and the
    attempt and the confirmation it shows when questions are left open."""
    await enrol(client)
    await answer(client, "eisberg-fragen", "eisberg-1", {"eisberg-1": "1"})
    await answer(client, "stufen", "dmis-1", {"dmis-1.1": "1", "dmis-1.2": "2", "dmis-1.3": "3"})
    await answer(
        client, "stufen", "zwiebel-2", {"zwiebel-2.1": "2", "zwiebel-2.2": "1", "zwiebel-2.3": "3"}
    )
    await answer(client, "stufen", "eigene-praegung", {"eigene-praegung": "Notiz"})
    await answer(client, "zeit", "hall-1", {"hall-1": "monochron"})
    attempt, attempt_html = await _attempt(client)
    paths = {page: f"/courses/{COURSE}/pages/{page}" for page in CONTENT_PAGES}
    confirm = (await submit_test(client, attempt, {"test-1": "1"})).text
    await submit_test(client, attempt, {"test-1": "1", "confirm": "1"})
    paths |= {
        "catalogue": "/",
        "course": f"/courses/{COURSE}",
        "intro": f"/courses/{COURSE}/test",
        "result": f"/courses/{COURSE}/test/{attempt}/ergebnis",
        "glossary": f"/courses/{COURSE}/glossar",
        "progress": "/lernstand",
        "notes": "/notizen",
        "forbidden": "/admin/users",
    }
    return paths, {"attempt": attempt_html, "confirm": confirm}


async def _follow(client: httpx.AsyncClient, response: httpx.Response) -> httpx.Response:
    if response.is_redirect:
        return await client.get(response.headers["location"])
    return response


async def _posted(client: httpx.AsyncClient, user: int, prefix: str) -> dict[str, str]:
    """Pages that only a POST shows: a new link, an import preview and its errors."""
    token = await csrf_for(client, f"/admin/users/{user}")
    # Forms that create something redirect to a page showing it (post/redirect/get).
    link_page = await _follow(
        client, await client.post(f"/admin/users/{user}/invite", data={"csrf_token": token})
    )
    invite = httpx.URL(attr(tag(soup(link_page), "input", id="link-1"), "value")).path
    csv = b"email,name,role,group\nneu@example.org,Neu,learner,X\n"
    preview = await _follow(
        client,
        await client.post(
            "/admin/import", data={"csrf_token": token}, files={"file": ("u.csv", csv, "text/csv")}
        ),
    )
    bad = await client.post(
        "/admin/import",
        data={"csrf_token": token},
        files={"file": ("u.csv", b"email,name\nx,y\n", "text/csv")},
    )
    no_token = await client.post(f"/admin/users/{user}/invite", data={})
    pages = {"link": link_page, "preview": preview, "import-errors": bad, "csrf": no_token}
    result = {prefix + name: response.text for name, response in pages.items()}
    client.cookies.delete(SESSION_COOKIE)
    result[prefix + "invite"] = (await client.get(invite)).text
    return result


async def _admin_pages(
    client: httpx.AsyncClient, email: str, user: int, prefix: str
) -> dict[str, str]:
    assert (await log_in(client, email)).status_code == 303
    paths = ADMIN | {"user": f"/admin/users/{user}"}
    pages = await _get_all(client, paths, prefix)
    return pages | await _posted(client, user, prefix)


async def walk(client: httpx.AsyncClient, login_as: LoginAs, services: Services) -> dict[str, str]:
    # The first admin's setup form, while there is no admin yet.
    setup = "/setup/" + setup_link(services).rsplit("/setup/", 1)[1]
    pages = await _get_all(client, {"setup": setup}, "")
    client.cookies.set(LANG_COOKIE, "en")
    pages |= await _get_all(client, {"setup": setup}, "en-")
    client.cookies.delete(LANG_COOKIE)
    known = await seed_known(services.db)
    async with services.db.transaction() as tx:
        for table in ("page_views", "enrolments", "completions", "test_attempts"):
            await tx.execute(f"UPDATE {table} SET course_id = ?", (COURSE,))  # noqa: S608 - table names from the literal tuple, not input
    pages |= await _get_all(client, PUBLIC, "")
    learner = await login_as("learner")
    learner_paths, posted = await _learner(client)
    pages |= posted | await _get_all(client, learner_paths, "")
    admin = await login_as("admin")
    user = known.ids["n1"]
    pages |= await _admin_pages(client, admin.email, user, "")
    trainer = await login_as("trainer")
    pages |= await _get_all(client, {"trainer-home": "/"}, "")
    client.cookies.delete(SESSION_COOKIE)
    client.cookies.set(LANG_COOKIE, "en")
    pages |= await _get_all(client, PUBLIC, "en-")
    assert (await log_in(client, learner.email)).status_code == 303
    pages |= await _get_all(client, learner_paths, "en-")
    pages["en-attempt"] = (await _attempt(client))[1]
    pages |= await _admin_pages(client, admin.email, user, "en-")
    assert (await log_in(client, trainer.email)).status_code == 303
    pages |= await _get_all(client, {"trainer-home": "/"}, "en-")
    return pages
