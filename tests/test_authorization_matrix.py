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

from learning.app import create_app
from learning.clock import FrozenClock
from learning.config import Settings
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
    ("GET", T + "/{attempt_id}"): learners(200, 404),
    ("POST", T + "/{attempt_id}"): learners(303, 404, data={"test-1": "1"}),
    ("GET", T + "/{attempt_id}/ergebnis"): learners(
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
    async with app.router.lifespan_context(app):
        for n, (caller, role) in enumerate(
            [(A, "learner"), (B, "learner"), (TRAINER, "trainer"), (ADMIN, "admin")]
        ):
            people[caller] = await add_user(
                services, services.clock(), role, email=f"{caller}@example.org", name=f"Name{n}X"
            )
            async with new_client(app, f"10.0.0.{n + 1}") as client:
                assert (await log_in(client, people[caller].email)).status_code == 303
                if caller == A:
                    journey = await complete_course(client)
                if caller == B:
                    assert (await enrol(client)).status_code == 303
                cookies[caller] = dict(client.cookies.items())
    return World(
        database=database,
        names={caller: user.name for caller, user in people.items()},
        cookies=cookies,
        values={
            "open_attempt": str(journey.open_attempt),
            "submitted_attempt": str(journey.submitted_attempt),
            "certificate_code": journey.certificate_code,
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
