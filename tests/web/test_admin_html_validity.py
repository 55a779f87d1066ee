"""Every admin and trainer page type is valid HTML according to the Nu validator."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from learning.core.config import Settings
from learning.web.services import Services
from tests.admin_support import seed_known
from tests.conftest import LoginAs, attr, csrf_for, soup, tag
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
        "trainer_report": "/trainer/fixture-kurs/bericht",
        "test_preview": "/trainer/fixture-kurs/abschlusstest",
        "audit_filtered": "/admin/audit?aktion=user.create&person=x&von=2026-01-01&bis=2026-12-31",
    }.items():
        response = await client.get(path)
        assert response.status_code == 200, path
        pages[name] = response.text
    token = await csrf_for(client, f"/admin/users/{user}")
    link_page = await client.post(f"/admin/users/{user}/invite", data={"csrf_token": token})
    pages["link"] = link_page.text
    invite = httpx.URL(attr(tag(soup(link_page), "input", id="link"), "value")).path
    pages["invite"] = (await client.get(invite)).text
    preview = await client.post(
        "/admin/import",
        data={"csrf_token": token},
        files={
            "file": ("u.csv", b"email,name,role,group\nneu@example.org,Neu,learner,X\n", "text/csv")
        },
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
