"""Files leave only their folder's contents, to those who may read them, with their own
sandbox; redirects never point where a forged Host header says."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from learning.core.clock import FrozenClock
from learning.core.config import Settings
from learning.store import page_views as progress
from learning.store.users import Role
from learning.web.app import create_app
from learning.web.services import Services
from tests.conftest import add_user, fast_hasher, log_in, make_settings, new_client, soup
from tests.helpers import COURSE_MD, SVG, write_course

SECRET = b"nur auf dem Server"
CLOSED_MD = COURSE_MD.replace("id: k", "id: zu").replace("---\n\n", "open: false\n---\n\n", 1)


@pytest.fixture
def file_settings(tmp_path: Path) -> Settings:
    courses = tmp_path / "courses"
    write_course(tmp_path, {"media/echt.png": b"\x89PNG echt"})
    write_course(tmp_path, {"course.md": CLOSED_MD, "media/plan.png": b"\x89PNG plan"}, "zu")
    (tmp_path / "geheim.txt").write_bytes(SECRET)
    static = tmp_path / "static"
    static.mkdir()
    (static / "ok.css").write_text("body {}", encoding="utf-8")
    (static / "geheim.css").symlink_to(tmp_path / "geheim.txt")
    return make_settings(tmp_path / "test.sqlite3").with_overrides(courses=courses, static=static)


@pytest.fixture
async def file_app(file_settings: Settings) -> AsyncIterator[Starlette]:
    application = create_app(file_settings, clock=FrozenClock(), announce=False)
    application.state.services.hasher = fast_hasher()
    async with application.router.lifespan_context(application):
        # Links placed after the courses were compiled (the compiler refuses them, E407).
        media = file_settings.courses / "k" / "media"
        (media / "db.png").symlink_to(file_settings.database)
        (media / "geheim.png").symlink_to(file_settings.database.parent / "geheim.txt")
        (media / "intern.png").symlink_to(media / "echt.png")
        yield application


def heading(response: httpx.Response) -> str:
    h1 = soup(response).find("h1")
    assert h1 is not None
    return h1.get_text()


@asynccontextmanager
async def signed_in(app: Starlette, role: Role, email: str) -> AsyncIterator[httpx.AsyncClient]:
    services: Services = app.state.services
    await add_user(services, services.clock(), role, email=email, name=email)
    async with new_client(app) as client:
        assert (await log_in(client, email)).status_code == 303
        yield client


async def test_media_links_leaving_the_folder_are_not_served(file_app: Starlette) -> None:
    async with signed_in(file_app, "learner", "l@example.org") as client:
        for name in ("db.png", "geheim.png"):
            response = await client.get(f"/courses/k/media/{name}")
            assert response.status_code == 404, name
            assert SECRET not in response.content and b"SQLite" not in response.content
            assert heading(response) == "Seite nicht gefunden"
        inside = await client.get("/courses/k/media/intern.png")
        assert (inside.status_code, inside.content) == (200, b"\x89PNG echt")


async def test_static_links_leaving_the_folder_are_not_served(file_app: Starlette) -> None:
    async with new_client(file_app) as client:
        assert (await client.get("/static/ok.css")).status_code == 200
        response = await client.get("/static/geheim.css")
        assert response.status_code == 404
        assert SECRET not in response.content


async def test_svg_keeps_its_own_sandbox_policy(file_app: Starlette) -> None:
    async with signed_in(file_app, "learner", "l@example.org") as client:
        response = await client.get("/courses/k/media/bild.svg")
        assert response.status_code == 200
        assert response.content == SVG.encode()
        policies = response.headers.get_list("content-security-policy")
        assert policies == ["default-src 'none'; style-src 'unsafe-inline'; sandbox"]


async def test_closed_course_files_only_for_those_who_may_read_it(file_app: Starlette) -> None:
    services: Services = file_app.state.services
    async with signed_in(file_app, "learner", "aussen@example.org") as outsider:
        for path in ("/courses/zu/media/plan.png", "/courses/zu/glossar"):
            response = await outsider.get(path)
            assert response.status_code == 403, path
            assert b"\x89PNG" not in response.content
            assert heading(response) == "Kein Zugriff"
        # The open course next to it stays readable without enrolment.
        assert (await outsider.get("/courses/k/media/echt.png")).status_code == 200
    async with signed_in(file_app, "learner", "innen@example.org") as insider:
        user = await services.db.fetchone(
            "SELECT id FROM users WHERE email = ?", ("innen@example.org",)
        )
        assert user is not None
        async with services.db.transaction() as tx:
            await progress.enrol(tx, int(user["id"]), "zu", services.clock())
        response = await insider.get("/courses/zu/media/plan.png")
        assert (response.status_code, response.content) == (200, b"\x89PNG plan")
        # A shared cache must not hand it to the outsider.
        assert response.headers["cache-control"] == "private, max-age=3600"
        assert (await insider.get("/courses/zu/glossar")).status_code == 200
    async with signed_in(file_app, "trainer", "t@example.org") as trainer:
        assert (await trainer.get("/courses/zu/media/plan.png")).status_code == 200


@pytest.mark.parametrize("path", ["/login/", "/courses/k/", "/static", "/admin/users/"])
async def test_slash_redirects_ignore_a_forged_host(app: Starlette, path: str) -> None:
    async with new_client(app) as client:
        response = await client.get(path + "?a=1", headers={"host": "evil.example"})
    assert response.status_code == 307
    location = response.headers["location"]
    assert location.startswith("/") and not location.startswith("//"), location
    assert "evil" not in location
    assert location == (path.rstrip("/") if path.endswith("/") else path + "/") + "?a=1"


async def test_slash_redirects_use_the_public_url(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "t.sqlite3").with_overrides(
        base_url="https://lernen.example.org/"
    )
    application = create_app(settings, clock=FrozenClock(), announce=False)
    async with application.router.lifespan_context(application), new_client(application) as c:
        response = await c.get("/login/", headers={"host": "evil.example"})
    assert response.status_code == 307
    assert response.headers["location"] == "https://lernen.example.org/login"


async def test_unknown_static_file_is_a_404_not_a_redirect(app: Starlette) -> None:
    async with new_client(app) as client:
        response = await client.get("/static/fehlt.css")
    assert response.status_code == 404
