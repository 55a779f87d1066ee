"""Every admin and trainer page type is valid HTML according to the Nu validator."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from learning.core.config import Settings
from learning.web.services import Services
from tests.admin_support import seed_known
from tests.conftest import LoginAs, attr, csrf_for, select_tag, soup
from tests.web.test_html_validity import _validate


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.with_overrides(reports="named", min_group=1)


async def test_admin_and_trainer_pages_are_valid_html(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services, tmp_path: Path
) -> None:
    known = await seed_known(services.db)
    async with services.db.transaction() as tx:
        await tx.execute("UPDATE page_views SET course_id = 'fixture-kurs'")
        await tx.execute("UPDATE enrolments SET course_id = 'fixture-kurs'")
        await tx.execute("UPDATE completions SET course_id = 'fixture-kurs'")
        await tx.execute("UPDATE test_attempts SET course_id = 'fixture-kurs'")
    await login_as("admin")
    user = known.ids["n1"]
    pages: dict[str, str] = {}
    for name, path in {
        "users": "/admin/users",
        "user": f"/admin/users/{user}",
        "new": "/admin/users/new",
        "groups": "/admin/groups",
        "import": "/admin/import",
        "reports": "/admin/reports",
        "report": "/admin/reports/fixture-kurs",
        "audit": "/admin/audit",
        "trainer": "/trainer",
        "course": "/trainer/fixture-kurs",
        "items": "/trainer/fixture-kurs/items",
        "start": "/",
        "bulk": f"/admin/users/bulk?action=disable&user={user}",
    }.items():
        response = await client.get(path)
        assert response.status_code == 200, path
        pages[name] = response.text
    bulk_errors = await client.get(f"/admin/users/bulk?action=enrol&user={user}")
    assert bulk_errors.status_code == 400
    pages["bulk-errors"] = bulk_errors.text
    extra = await client.post(
        f"/admin/users/{user}/zeitausgleich",
        data={"csrf_token": await csrf_for(client, "/admin/users"), "extra_minutes": "x"},
    )
    assert extra.status_code == 400
    pages["user-errors"] = extra.text
    token = await csrf_for(client, f"/admin/users/{user}")
    link_page = await client.post(
        f"/admin/users/{user}/invite", data={"csrf_token": token}, follow_redirects=True
    )
    pages["link"] = link_page.text
    link = select_tag(soup(link_page), "#link-table input.link-field")
    invite = httpx.URL(attr(link, "value")).path
    pages["invite"] = (await client.get(invite)).text
    preview = await client.post(
        "/admin/import",
        data={"csrf_token": token},
        files={
            "file": ("u.csv", b"email,name,role,group\nneu@example.org,Neu,learner,X\n", "text/csv")
        },
        follow_redirects=True,
    )
    pages["preview"] = preview.text
    bad = await client.post(
        "/admin/import",
        data={"csrf_token": token},
        files={"file": ("u.csv", b"email,name\nx,y\n", "text/csv")},
    )
    pages["import-errors"] = bad.text
    files = []
    for name, html in pages.items():
        target = tmp_path / f"{name}.html"
        target.write_text(html, encoding="utf-8")
        files.append(target)
    problems = _validate(files)
    assert problems == [], "\n".join(problems)
