"""Property: no request built from the route table answers 5xx, whatever it carries.

Every route of `app.routes` is driven with hostile path parameters (huge, negative,
NUL, `..`, bidi, very long, or the real ids of the world) and, for POST, forms of
hostile values under the field names the app reads, each carrying a valid CSRF token,
as an anonymous caller, a learner, a trainer and an admin. The world is the one the
authorization matrix builds: learner A has worked through the course.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette
from starlette.routing import Mount, Route

from learning.core.clock import FrozenClock
from learning.web.app import create_app
from tests.conftest import csrf_for, fast_hasher, make_settings, new_client
from tests.test_authorization_matrix import ADMIN, ANON, DEFAULT_PARAMS, TRAINER, World, build_world

CALLERS = (ANON, "learner_b", TRAINER, ADMIN)  # B: a learner enrolled in the course

HOSTILE = [
    "9" * 30,
    str(2**63),
    str(2**63 - 1),
    "-1",
    "0",
    "00",
    "1e9",
    "..",
    "../../var/learning.sqlite3",
    "%2e%2e%2f",
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "\r\nSet-Cookie: x=1",
    "Ünïcödé",
    "😀",
    "\u202eevil",
    "\ud7ff",
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    " ",
    "",
    "x" * 5000,
    "1" * 300,
    "eisberg.svg/..",
    "eisberg.svg\x00.png",
]

FIELDS = [
    "email",
    "password",
    "password_confirm",
    "current_password",
    "name",
    "role",
    "group",
    "new_group",
    "course",
    "confirm",
    "lang",
    "next",
    "step",
    "restart",
    "payload",
    "invite",
    "code",
    "q",
    "page",
    "eisberg-1",
    "eisberg-2",
    "hall-1",
    "dmis-1",
    "zwiebel-2",
    "eigene-praegung",
    "fall-anerkennung",
    "test-1",
    "test-2",
    "test-3",
]

# Never sent: they end the caller's own session, which would leave the rest anonymous.
SKIPPED = {("POST", "/logout")}


@dataclass(frozen=True, slots=True)
class Target:
    method: str
    path: str
    params: tuple[str, ...]


def targets(app: Starlette) -> list[Target]:
    found = []
    for route in app.routes:
        if isinstance(route, Route):
            params = tuple(route.param_convertors)
            for method in sorted(route.methods or ()):
                if method != "HEAD" and (method, route.path) not in SKIPPED:
                    found.append(Target(method, route.path, params))
        elif isinstance(route, Mount):
            found.append(Target("GET", route.path + "/{path}", ("path",)))
        else:  # pragma: no cover - a new kind of route needs a rule here
            raise AssertionError(f"unknown route type {route!r}")
    return found


class Harness:
    """One app on a copy of the world, with a signed-in client and CSRF token per caller."""

    def __init__(self, world: World, database: Path) -> None:
        with (
            closing(sqlite3.connect(world.database)) as source,
            closing(sqlite3.connect(database)) as target,
        ):
            source.backup(target)
        self.world = world
        self.runner = asyncio.Runner()
        self.app = create_app(make_settings(database), clock=FrozenClock(), announce=False)
        self.app.state.services.hasher = fast_hasher()
        self.lifespan = self.app.router.lifespan_context(self.app)
        self.runner.run(self.lifespan.__aenter__())
        self.clients: dict[str, httpx.AsyncClient] = {}
        self.tokens: dict[str, str] = {}
        for n, caller in enumerate(CALLERS):
            client = new_client(self.app, f"10.1.0.{n + 1}")
            for name, value in world.cookies[caller].items():
                client.cookies.set(name, value)
            self.clients[caller] = client
            form_page = "/login" if caller == ANON else "/konto/passwort"
            self.tokens[caller] = self.runner.run(csrf_for(client, form_page))
        self.values = {
            **world.values,
            "setup_token": self.app.state.services.signer.make_link_token("setup"),
        }

    def real(self, param: str) -> str:
        return DEFAULT_PARAMS.get(param, "x").format(**self.values)

    def close(self) -> None:
        for client in self.clients.values():
            self.runner.run(client.aclose())
        self.runner.run(self.lifespan.__aexit__(None, None, None))
        self.runner.close()


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    folder = tmp_path_factory.mktemp("no5xx")
    world = asyncio.run(build_world(folder / "world.sqlite3"))
    built = Harness(world, folder / "app.sqlite3")
    yield built
    built.close()


hostile_text = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40))


Form: TypeAlias = dict[str, str | list[str]]


def fill(template: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: quote(values[m.group(1)], safe=""), template)


@st.composite
def requests(draw: st.DrawFn, harness: Harness, target: Target) -> tuple[str, str, Form]:
    caller = draw(st.sampled_from(CALLERS))
    values = {}
    for param in target.params:
        # Real ids too, so the endpoint's own code runs and not only its 404.
        values[param] = draw(st.one_of(hostile_text, st.just(harness.real(param))))
    form: Form = {}
    if target.method == "POST":
        for name in draw(st.lists(st.sampled_from(FIELDS), max_size=6, unique=True)):
            form[name] = draw(st.one_of(hostile_text, st.lists(hostile_text, max_size=3)))
    return caller, fill(target.path, values), form


# Collected from the app itself (building it opens nothing), so a new route is driven too.
TARGETS = targets(create_app(make_settings(Path("unused.sqlite3")), announce=False))
# Values that broke something once, sent to every parameter of every route by every caller.
SWEEP = ["9" * 30, "\x00", "..", "x" * 5000, "-1"]


def test_route_table_is_covered() -> None:
    paths = {(t.method, t.path) for t in TARGETS}
    assert ("GET", "/admin/users/{user_id:id}") in paths
    assert ("GET", "/static/{path}") in paths
    assert len(paths) > 60


def send(harness: Harness, caller: str, method: str, url: str, form: Form) -> httpx.Response:
    client = harness.clients[caller]
    if method == "GET":
        return harness.runner.run(client.get(url))
    body = {**form, "csrf_token": harness.tokens[caller]}
    return harness.runner.run(client.post(url, data=body))


@pytest.mark.parametrize("target", TARGETS, ids=[f"{t.method} {t.path}" for t in TARGETS])
def test_sweep_of_known_bad_values(harness: Harness, target: Target) -> None:
    for caller in CALLERS:
        for value in SWEEP:
            url = fill(target.path, dict.fromkeys(target.params, value))
            form: Form = dict.fromkeys(FIELDS, value) if target.method == "POST" else {}
            response = send(harness, caller, target.method, url, form)
            assert response.status_code < 500, (caller, url, value[:40], response.text[:300])


@pytest.mark.parametrize("target", TARGETS, ids=[f"{t.method} {t.path}" for t in TARGETS])
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
    derandomize=True,
)
@given(data=st.data())
def test_no_request_answers_5xx(harness: Harness, target: Target, data: st.DataObject) -> None:
    caller, path, form = data.draw(requests(harness, target))
    query = data.draw(st.sampled_from(["", "?q=%00", "?page=99999999999999999999", "?next=//x"]))
    response = send(harness, caller, target.method, path + query, form)
    assert response.status_code < 500, (caller, target.method, path, form, response.text[:300])
