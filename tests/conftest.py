"""Fixtures: a fresh migrated database and app per test, a client, and login helpers."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher as Argon2
from bs4 import BeautifulSoup, Tag
from starlette.applications import Starlette

from learning.accounts.passwords import PasswordHasher
from learning.core.clock import FrozenClock
from learning.core.config import Secret, Settings
from learning.store import users
from learning.store.db import Database, open_database
from learning.store.migrate import migrate
from learning.store.sqlite_db import SqliteDatabase
from learning.web.app import create_app
from learning.web.services import Services
from tests.postgres_server import PostgresServer

TESTS = Path(__file__).parent
PASSWORD = "ein langes Testpasswort"


def make_settings(database: Path) -> Settings:
    return Settings(
        database=database,
        courses=TESTS / "courses",
        secret_key=Secret("test-secret-key-that-is-long-enough"),
        readers=2,
        # No daily reminder run racing a test; tests/reminders start it on purpose.
        reminder_hour=None,
    )


# The store and web tests run once per backend; LEARNING_TEST_BACKENDS=sqlite runs
# the SQLite half alone (no PostgreSQL needed).
BACKENDS = tuple(
    name.strip()
    for name in os.environ.get("LEARNING_TEST_BACKENDS", "sqlite,postgresql").split(",")
    if name.strip()
)
BOTH_BACKENDS = (TESTS / "store", TESTS / "web")
TEMPLATE = "learning_template"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" not in metafunc.fixturenames:
        return
    path = Path(str(metafunc.definition.path))
    if metafunc.definition.get_closest_marker("sqlite_only"):
        metafunc.parametrize("backend", ["sqlite"], indirect=True)
    elif any(path.is_relative_to(folder) for folder in BOTH_BACKENDS):
        metafunc.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    return str(getattr(request, "param", "sqlite"))


class SharedPostgres:
    """One server and one migrated database for the whole run, emptied before each test."""

    def __init__(self, server: PostgresServer) -> None:
        self.server = server
        self.url = server.url(TEMPLATE)
        self._emptying = server.emptying_sql(TEMPLATE)

    def fresh(self) -> str:
        self.server.psql(self._emptying, TEMPLATE)
        return self.url


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    if "postgresql" not in BACKENDS:
        pytest.skip("LEARNING_TEST_BACKENDS leaves PostgreSQL out")
    server = PostgresServer().start()
    try:
        server.psql(f"CREATE DATABASE {TEMPLATE}")

        async def prepare() -> None:
            async with open_database(server.url(TEMPLATE), readers=1) as database:
                await migrate(database)

        with ThreadPoolExecutor(1) as pool:  # no event loop may run in this thread
            pool.submit(asyncio.run, prepare()).result()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def shared_postgres(postgres: PostgresServer) -> SharedPostgres:
    return SharedPostgres(postgres)


@pytest.fixture
def settings(tmp_path: Path, backend: str, request: pytest.FixtureRequest) -> Settings:
    base = make_settings(tmp_path / "test.sqlite3")
    if backend != "postgresql":
        return base
    shared: SharedPostgres = request.getfixturevalue("shared_postgres")
    return base.with_overrides(database_url=shared.fresh())


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[Database]:
    async with open_database(settings.database_target, readers=1) as database:
        await migrate(database)
        yield database


@pytest.fixture
async def sqlite_db(tmp_path: Path) -> AsyncIterator[Database]:
    """A SQLite database whatever the backend: for tests of what only SQLite has."""
    async with open_database(tmp_path / "sqlite-only.sqlite3", readers=1) as database:
        await migrate(database)
        yield database


def sqlite_of(db: Database) -> SqliteDatabase:
    """The SQLite handle behind `db`, for tests of what only SQLite has (WAL, files)."""
    assert isinstance(db, SqliteDatabase), "this test is about SQLite"
    return db


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


def fast_hasher() -> PasswordHasher:
    # Real argon2id, with test-sized cost so a suite can create many accounts.
    return PasswordHasher(2, hasher=Argon2(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
async def app(settings: Settings, clock: FrozenClock) -> AsyncIterator[Starlette]:
    application = create_app(settings, clock=clock, announce=False)
    application.state.services.hasher = fast_hasher()
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
def services(app: Starlette) -> Services:
    result: Services = app.state.services
    return result


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


def new_client(app: Starlette, address: str = "127.0.0.2") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 50001))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


def soup(response: httpx.Response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def tag(
    node: Tag,
    name: str | list[str] | None = None,
    attrs: Mapping[str, str] | None = None,
    *,
    string: str | None = None,
    **kwargs: str,
) -> Tag:
    """The first element `node.find(...)` matches; fails the test when none does."""
    # Every positional parameter is spelled out so that mypy knows **kwargs only holds
    # attribute filters; an empty attrs dict filters on nothing, just like None.
    if name is None:
        found = node.find(None, {**(attrs or {})}, True, string, **kwargs)
    else:
        found = node.find(name, {**(attrs or {})}, True, string, **kwargs)
    assert isinstance(found, Tag), f"no element matches {_query(name, attrs, string, kwargs)}"
    return found


def _query(name: object, attrs: object, string: str | None, kwargs: Mapping[str, str]) -> str:
    args = [repr(a) for a in (name, attrs) if a is not None]
    args += [f"{k}={v!r}" for k, v in {"string": string, **kwargs}.items() if v is not None]
    return f"find({', '.join(args)})"


def select_tag(node: Tag, selector: str) -> Tag:
    """The first element the CSS `selector` matches; fails the test when none does."""
    found = node.select_one(selector)
    assert found is not None, f"no element matches the CSS selector {selector!r}"
    return found


def only_own_scripts(page: BeautifulSoup) -> bool:
    """No script but the app's own files (the menu, the copy buttons): nothing injected."""
    return all(
        str(script.get("src", "")).startswith("/static/") and not script.get_text()
        for script in page.find_all("script")
    )


def attr(element: Tag, name: str) -> str:
    """The value of a single-valued attribute; fails the test when it is missing or a list."""
    value = element.get(name)
    assert value is not None, f"<{element.name}> has no {name!r} attribute"
    assert isinstance(value, str), f"<{element.name}> {name!r} is a list of values: {value!r}"
    return value


def csrf_from(response: httpx.Response) -> str:
    field = soup(response).find("input", attrs={"name": "csrf_token"})
    assert field is not None, "page has no CSRF token"
    return str(field["value"])


async def csrf_for(client: httpx.AsyncClient, path: str = "/login") -> str:
    response = await client.get(path)
    if response.status_code in (302, 303):
        response = await client.get(response.headers["location"])
    return csrf_from(response)


CreateUser = Callable[..., Awaitable[users.User]]


async def add_user(
    services: Services,
    now: datetime,
    role: users.Role,
    *,
    email: str,
    name: str,
    group: str | None = None,
    password: str = PASSWORD,
) -> users.User:
    password_hash = await services.hasher.hash(password)
    async with services.db.transaction() as tx:
        group_id = await users.get_or_create_group(tx, group, now) if group else None
        user_id = await users.insert_user(
            tx,
            email=email,
            name=name,
            role=role,
            now=now,
            password_hash=password_hash,
            group_id=group_id,
        )
    return await users.get_user(services.db, user_id)


@pytest.fixture
def create_user(services: Services, clock: FrozenClock) -> CreateUser:
    counter = iter(range(1, 10_000))

    async def make(
        role: users.Role = "learner",
        *,
        email: str | None = None,
        name: str | None = None,
        group: str | None = None,
        password: str = PASSWORD,
    ) -> users.User:
        n = next(counter)
        return await add_user(
            services,
            clock(),
            role,
            email=email or f"{role}{n}@example.org",
            name=name or f"{role.title()} {n}",
            group=group,
            password=password,
        )

    return make


async def log_in(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> httpx.Response:
    token = await csrf_for(client, "/login")
    return await client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token}
    )


LoginAs = Callable[..., Awaitable[users.User]]


@pytest.fixture
def login_as(client: httpx.AsyncClient, create_user: CreateUser) -> LoginAs:
    async def do(role: users.Role = "learner", **kwargs: object) -> users.User:
        user = await create_user(role, **kwargs)
        response = await log_in(client, user.email)
        assert response.status_code == 303, response.text
        return user

    return do
