"""Every route of the app against every kind of caller, from one table.

The table is checked against `app.routes`: a route added without a row fails
`test_every_route_has_a_row`. Each cell runs on a fresh app in which learner A
has worked through the fixture course, so that id-carrying URLs carry A's real ids.
Learner B asking for A's objects must get 404, never 403: a 403 would say they exist.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

import pytest
from starlette.applications import Starlette
from starlette.routing import Mount, Route

from learning.accounts import links as account_links
from learning.accounts.signing import Purpose
from learning.core.clock import FrozenClock
from learning.core.config import Settings
from learning.store import users
from learning.web.app import create_app
from learning.web.services import Services
from tests.conftest import add_user, csrf_for, fast_hasher, log_in, make_settings, new_client, soup
from tests.journey import complete_course
from tests.web.learner_flow import COURSE, enrol


@dataclass(frozen=True, slots=True)
class Expect:
    status: int
    location: str | None = None  # a prefix the Location header must start with


LOGIN = Expect(303, "/login?next=")
Outcome: TypeAlias = int | Expect

ANON, A, B, TRAINER, ADMIN = "anonymous", "learner_a", "learner_b", "trainer", "admin"
CALLERS = (ANON, A, B, TRAINER, ADMIN)

# Path parameters, filled from the world of each cell (see `World.values`).
DEFAULT_PARAMS = {
    "course_id": COURSE,
    "page_id": "eisberg-fragen",
    "question_id": "eisberg-1",
    "attempt_id": "{open_attempt}",
    "code": "{certificate_code}",
    "name": "eisberg.svg",
    "token": "{setup_token}",
    "path": "style.css",
    "user_id": "{a_id}",
    "group_id": "{group_id}",
    "assignment_id": "999",
}


@dataclass(frozen=True, slots=True)
class Row:
    outcomes: dict[str, Outcome]
    params: dict[str, str] = field(default_factory=dict)
    data: dict[str, str] = field(default_factory=dict)
    public: bool = False  # shows A's name to anyone by design


def row(
    anonymous: Outcome,
    a: Outcome,
    b: Outcome,
    trainer: Outcome,
    admin: Outcome,
    *,
    params: dict[str, str] | None = None,
    data: dict[str, str] | None = None,
    public: bool = False,
) -> Row:
    outcomes = dict(zip(CALLERS, (anonymous, a, b, trainer, admin), strict=True))
    return Row(outcomes, params or {}, data or {}, public)


def everyone(outcome: Outcome, **kwargs: Any) -> Row:
    return row(outcome, outcome, outcome, outcome, outcome, **kwargs)


def signed_in(outcome: Outcome, **kwargs: Any) -> Row:
    return row(LOGIN, outcome, outcome, outcome, outcome, **kwargs)


def learners(a: Outcome, b: Outcome, **kwargs: Any) -> Row:
    """Learner-only routes: staff get 403, anonymous callers go to the login."""
    return row(LOGIN, a, b, 403, 403, **kwargs)


def admin_only(outcome: Outcome, **kwargs: Any) -> Row:
    """Admin routes: everybody else is refused by role before any id is looked up."""
    return row(LOGIN, 403, 403, 403, outcome, **kwargs)


def staff(outcome: Outcome, **kwargs: Any) -> Row:
    return row(LOGIN, 403, 403, outcome, outcome, **kwargs)


U = "/admin/users/{user_id:id}"
# Admin routes act on learner A (user_id) and A's group; outcome for the admin caller.
ADMIN_ROUTES: dict[tuple[str, str], tuple[Outcome, dict[str, Any]]] = {
    ("GET", "/admin/users"): (200, {}),
    ("GET", "/admin/users/new"): (200, {}),
    # An invalid e-mail address: the form comes back with the error, nothing is created.
    ("POST", "/admin/users/new"): (
        400,
        {"data": {"email": "kaputt", "name": "X", "role": "learner"}},
    ),
    ("GET", U): (200, {}),
    ("POST", U): (
        303,
        {"data": {"email": "learner_a@example.org", "name": "Anna A", "role": "learner"}},
    ),
    ("POST", U + "/disable"): (303, {}),
    ("POST", U + "/enable"): (303, {}),
    ("POST", U + "/invite"): (200, {}),
    ("POST", U + "/reset-link"): (200, {}),
    ("POST", U + "/enrol"): (303, {"data": {"course": COURSE}}),
    ("POST", U + "/unenrol"): (303, {"data": {"course": COURSE}}),
    ("POST", U + "/zeitausgleich"): (303, {"data": {"extra_minutes": "10", "extra_percent": "0"}}),
    ("POST", U + "/reset-progress"): (303, {"data": {"course": COURSE, "confirm": "ja"}}),
    ("GET", U + "/export"): (200, {}),
    ("POST", U + "/anonymise"): (303, {"data": {"confirm": "ja"}}),
    ("POST", U + "/delete"): (303, {"data": {"confirm": "ja"}}),
    ("GET", "/admin/groups"): (200, {}),
    ("POST", "/admin/groups"): (303, {"data": {"name": "Neue Gruppe"}}),
    ("POST", "/admin/groups/{group_id:id}/enrol"): (303, {"data": {"course": COURSE}}),
    ("GET", "/admin/assignments"): (200, {}),
    ("GET", "/admin/courses/{course_id}/teilnehmende"): (200, {}),
    # No course, no due date: the form comes back with its errors, nothing is assigned.
    ("POST", "/admin/assignments"): (400, {}),
    ("POST", "/admin/assignments/{assignment_id:id}/remove"): (404, {}),
    ("GET", "/admin/import"): (200, {}),
    ("POST", "/admin/import"): (400, {}),  # no file: refused with a message
    ("POST", "/admin/import/confirm"): (400, {}),  # no signed preview: refused
    ("GET", "/admin/reports"): (200, {}),
    ("GET", "/admin/reports/{course_id}"): (200, {}),
    ("GET", "/admin/reports/{course_id}/export"): (200, {"params": {}}),
    ("GET", "/admin/audit"): (200, {}),
    ("GET", "/admin/audit/export"): (200, {}),
    ("POST", "/admin/courses/{course_id}/retire"): (303, {}),
    ("POST", "/admin/courses/{course_id}/reinstate"): (303, {}),
    # Learner A is no trainer: the assignment is refused with a message, nothing stored.
    ("POST", "/admin/courses/{course_id}/trainers"): (303, {"data": {"trainer": "{a_id}"}}),
    ("POST", "/admin/courses/{course_id}/trainers/{user_id:id}/remove"): (303, {}),
}

T = "/courses/{course_id}/test"
P = "/courses/{course_id}/pages/{page_id}"

# (method, path template) -> expected outcome per caller. B's column on A's
# attempt ids is 404: B is enrolled too, so only ownership can explain it.
MATRIX: dict[tuple[str, str], Row] = {
    ("GET", "/"): signed_in(200),
    ("GET", "/healthz"): everyone(200),
    ("GET", "/login"): row(200, 303, 303, 303, 303),
    ("POST", "/login"): everyone(
        401, data={"email": "niemand@example.org", "password": "falsch falsch falsch"}
    ),
    ("POST", "/logout"): row(LOGIN, *[Expect(303, "/login")] * 4),
    # An admin exists in every cell, so the setup link is spent for everyone.
    ("GET", "/setup/{token}"): everyone(410),
    ("POST", "/setup/{token}"): everyone(410),
    ("POST", "/sprache"): everyone(303, data={"lang": "de", "next": "/"}),
    ("GET", "/konto/passwort"): signed_in(200),
    # A wrong current password: the form answers, and nothing changes.
    ("POST", "/konto/passwort"): signed_in(
        400, data={"current_password": "falsch", "password": "x", "password_confirm": "x"}
    ),
    ("GET", "/barrierefreiheit"): everyone(200),
    ("GET", "/leichte-sprache"): everyone(200),
    ("GET", "/datenschutz"): everyone(200),
    ("GET", "/courses/{course_id}"): signed_in(200),
    ("POST", "/courses/{course_id}/enrol"): row(LOGIN, 303, 303, 403, 403),
    # Staff see pages in the trainer preview, not as learners.
    ("GET", P): row(LOGIN, 200, 200, 303, 303),
    ("POST", P + "/answer/{question_id}"): row(LOGIN, 303, 303, 403, 403, data={"eisberg-1": "2"}),
    ("POST", P + "/scenario/{question_id}"): row(
        LOGIN,
        303,
        303,
        403,
        403,
        params={"page_id": "fall", "question_id": "fall-anerkennung"},
        data={"step": "start", "fall-anerkennung": "1"},
    ),
    ("GET", "/courses/{course_id}/glossar"): signed_in(200),
    ("GET", "/courses/{course_id}/media/{name}"): signed_in(200),
    ("GET", T): learners(200, 200),
    ("POST", T + "/start"): learners(303, 303),
    ("GET", T + "/{attempt_id:id}"): learners(200, 404),
    ("POST", T + "/{attempt_id:id}"): learners(303, 404, data={"test-1": "1", "confirm": "1"}),
    ("POST", T + "/{attempt_id:id}/entwurf"): learners(204, 404, data={"test-1": "1"}),
    ("GET", T + "/{attempt_id:id}/ergebnis"): learners(
        200, 404, params={"attempt_id": "{submitted_attempt}"}
    ),
    # B has no certificate of their own: 404, and A's is never served to B.
    ("GET", "/courses/{course_id}/zertifikat"): learners(200, 404),
    ("GET", "/verify"): everyone(200),
    # Verification is public by design and shows only name, course and date.
    ("GET", "/verify/{code}"): everyone(200, public=True),
    ("GET", "/lernstand"): learners(200, 200),
    ("GET", "/lernstand/export.json"): signed_in(200),
    ("GET", "/notizen"): learners(200, 200),
    ("GET", "/static/{path}"): everyone(200),
    **{key: admin_only(outcome, **extra) for key, (outcome, extra) in ADMIN_ROUTES.items()},
    # Staff pages: trainers and admins, never learners.
    ("GET", "/trainer"): staff(200),
    ("GET", "/trainer/{course_id}"): staff(200),
    ("GET", "/trainer/{course_id}/preview/{page_id}"): staff(200),
    ("GET", "/trainer/{course_id}/abschlusstest"): staff(200),
    # Results only for admins and the course's own trainers; this trainer has none.
    ("GET", "/trainer/{course_id}/items"): row(LOGIN, 403, 403, 403, 200),
    ("GET", "/trainer/{course_id}/bericht"): row(LOGIN, 403, 403, 403, 200),
    ("GET", "/trainer/{course_id}/bericht/export"): row(LOGIN, 403, 403, 403, 200),
    # The links are the credential: everyone holding one gets the same answer. A short
    # password is refused, so the link stays unspent for the other cells.
    ("GET", "/einladung/{token}"): everyone(200, params={"token": "{invite_token}"}),
    ("POST", "/einladung/{token}"): everyone(
        400, params={"token": "{invite_token}"}, data={"name": "X", "password": "kurz"}
    ),
    ("GET", "/passwort/{token}"): everyone(200, params={"token": "{reset_token}"}),
    ("POST", "/passwort/{token}"): everyone(
        400, params={"token": "{reset_token}"}, data={"password": "kurz"}
    ),
}


def app_routes(app: Starlette) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for route in app.routes:
        if isinstance(route, Route):
            found.update((m, route.path) for m in route.methods or () if m != "HEAD")
        elif isinstance(route, Mount):
            found.add(("GET", route.path + "/{path}"))
        else:  # pragma: no cover - a new kind of route needs a new rule here
            raise AssertionError(f"unknown route type {route!r}")
    return found


def cells() -> Iterator[tuple[str, str, str]]:
    for (method, path), entry in MATRIX.items():
        for caller in entry.outcomes:
            yield method, path, caller


async def test_every_route_has_a_row(app: Starlette) -> None:
    assert set(MATRIX) == app_routes(app)


@dataclass(frozen=True, slots=True)
class World:
    """A database in which A has worked through the course, and every caller's cookies."""

    database: Path
    names: dict[str, str]
    cookies: dict[str, dict[str, str]]
    values: dict[str, str]


async def build_world(database: Path) -> World:
    app = create_app(make_settings(database), clock=FrozenClock(), announce=False)
    app.state.services.hasher = fast_hasher()
    services: Services = app.state.services
    people = {}
    cookies: dict[str, dict[str, str]] = {ANON: {}}
    accounts: list[tuple[str, users.Role]] = [
        (A, "learner"),
        (B, "learner"),
        (TRAINER, "trainer"),
        (ADMIN, "admin"),
    ]
    async with app.router.lifespan_context(app):
        for n, (caller, role) in enumerate(accounts):
            people[caller] = await add_user(
                services,
                services.clock(),
                role,
                email=f"{caller}@example.org",
                name=f"Name{n}X",
                group="Jobcenter Leipzig" if caller == A else None,
            )
            async with new_client(app, f"10.0.0.{n + 1}") as client:
                assert (await log_in(client, people[caller].email)).status_code == 303
                if caller == A:
                    journey = await complete_course(client)
                if caller == B:
                    assert (await enrol(client)).status_code == 303
                cookies[caller] = dict(client.cookies.items())
        links = {}
        async with services.db.transaction() as tx:
            issued: list[tuple[Purpose, str]] = [("invite", B), ("reset", A)]
            for purpose, who in issued:
                url = await account_links.issue_link(
                    tx,
                    services.signer,
                    base_url="",
                    user_id=people[who].id,
                    purpose=purpose,
                    created_by=people[ADMIN].id,
                    now=services.clock(),
                )
                links[f"{purpose}_token"] = url.rsplit("/", 1)[1]
        group_id = (await users.list_groups(services.db))[0].id
    return World(
        database=database,
        names={caller: user.name for caller, user in people.items()},
        cookies=cookies,
        values={
            "open_attempt": str(journey.open_attempt),
            "submitted_attempt": str(journey.submitted_attempt),
            "certificate_code": journey.certificate_code,
            "a_id": str(people[A].id),
            "group_id": str(group_id),
            **links,
        },
    )


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    # Built once: each cell starts its own app on a copy, so no cell sees another's writes.
    return asyncio.run(build_world(tmp_path_factory.mktemp("matrix") / "world.sqlite3"))


@pytest.fixture
def settings(settings: Settings, world: World) -> Settings:
    with (
        closing(sqlite3.connect(world.database)) as source,
        closing(sqlite3.connect(settings.database)) as target,
    ):
        source.backup(target)
    return settings


def fill(path: str, entry: Row, values: dict[str, str]) -> str:
    params = {**DEFAULT_PARAMS, **entry.params}

    def value(match: re.Match[str]) -> str:
        return params[match.group(1)].format(**values)

    return re.sub(r"\{(\w+)(?::\w+)?\}", value, path)


@pytest.mark.parametrize(("method", "path", "caller"), list(cells()))
async def test_cell(
    app: Starlette, services: Services, world: World, method: str, path: str, caller: str
) -> None:
    entry = MATRIX[(method, path)]
    expected = entry.outcomes[caller]
    expect = expected if isinstance(expected, Expect) else Expect(expected)
    values = {**world.values, "setup_token": services.signer.make_link_token("setup")}
    url = fill(path, entry, values)
    async with new_client(app, "10.0.0.9") as client:
        for name, value in world.cookies[caller].items():
            client.cookies.set(name, value)
        if method == "GET":
            response = await client.get(url)
        else:
            token = await csrf_for(client, "/login" if caller == ANON else "/")
            data = {k: v.format(**values) for k, v in entry.data.items()}
            response = await client.post(url, data={**data, "csrf_token": token})

    assert response.status_code == expect.status, (url, response.text[:500])
    location = response.headers.get("location", "")
    if expect.location is not None:
        assert location.startswith(expect.location), location
    elif response.status_code in (302, 303):
        assert not location.startswith("/login?next="), "a signed-in caller was sent to login"
    if response.status_code in (403, 404):
        heading = soup(response).find("h1")
        assert heading is not None
        assert (
            heading.get_text() == {403: "Kein Zugriff", 404: "Seite nicht gefunden"}[expect.status]
        )
    if caller == B and response.status_code == 200 and not entry.public:
        assert world.names[A] not in response.text, "B sees A's name"
