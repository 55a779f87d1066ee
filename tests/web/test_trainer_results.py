"""Trainers see the results of their own courses only, under the admins' report mode."""

from __future__ import annotations

import httpx
import pytest

from learning.core.config import Settings
from learning.store import course_trainers
from learning.web.services import Services
from tests.admin_support import assign_trainer, install_catalog, make_course, seed_known
from tests.conftest import CreateUser, LoginAs, csrf_for, select_tag, soup
from tests.helpers import split_export

OTHER = "kurs-b"


def _install(services: Services) -> None:
    install_catalog(services, make_course(), make_course(OTHER, "Kurs B"))


async def test_a_trainer_sees_only_the_results_of_their_own_course(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services, create_user: CreateUser
) -> None:
    _install(services)
    await seed_known(services.db)
    other = await create_user("trainer")
    await assign_trainer(services.db, other.id, OTHER)
    trainer = await login_as("trainer")
    await assign_trainer(services.db, trainer.id, "kurs-a")
    for path in ("bericht", "bericht/export?format=csv", "items"):
        assert (await client.get(f"/trainer/kurs-a/{path}")).status_code == 200, path
        refused = await client.get(f"/trainer/{OTHER}/{path}")
        assert refused.status_code == 403, path
        assert "zugeordneten Trainer:innen" in refused.text
    index = soup(await client.get("/trainer"))
    links = [a["href"] for a in select_tag(index, "#own-courses").find_all("a")]
    assert links == ["/trainer/kurs-a/bericht", "/trainer/kurs-a/items"]
    course_page = soup(await client.get(f"/trainer/{OTHER}"))
    assert course_page.find("a", href=f"/trainer/{OTHER}/bericht") is None
    assert course_page.select_one("#results-hint") is not None
    # Admin routes stay closed, including the report under /admin.
    assert (await client.get("/admin/reports/kurs-a")).status_code == 403


async def test_aggregate_mode_shows_a_trainer_no_learner_by_name(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    _install(services)
    await seed_known(services.db)
    trainer = await login_as("trainer")
    await assign_trainer(services.db, trainer.id, "kurs-a")
    page = await client.get("/trainer/kurs-a/bericht")
    html = soup(page)
    assert select_tag(html, "#report-mode")["data-mode"] == "aggregate"
    assert html.select_one("#learner-table") is None and "Person n1" not in page.text
    assert select_tag(html, "#overview dd[data-key=participants]").get_text(strip=True) == "10"
    rows, facts = split_export(
        (await client.get("/trainer/kurs-a/bericht/export", params={"format": "csv"})).content
    )
    assert facts["Berichtsmodus"].startswith("aggregate")
    assert "Person" not in str(rows) and rows[0][0] == "Gruppe"
    # A group below the minimum is refused for a trainer as for an admin.
    sued = await services.db.scalar("SELECT id FROM groups WHERE name = 'Amt Süd'")
    small = soup(await client.get("/trainer/kurs-a/bericht", params={"group": sued}))
    assert small.select_one("#overview") is None and small.select_one("#overview-hidden")


class TestNamedMode:
    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        return settings.with_overrides(reports="named")

    async def test_the_own_trainer_sees_what_an_admin_sees(
        self, client: httpx.AsyncClient, login_as: LoginAs, services: Services
    ) -> None:
        _install(services)
        await seed_known(services.db)
        trainer = await login_as("trainer")
        await assign_trainer(services.db, trainer.id, "kurs-a")
        page = soup(await client.get("/trainer/kurs-a/bericht"))
        names = [th.get_text(strip=True) for th in page.select("#learner-table tbody th")]
        assert len(names) == 10 and "Trainerin" not in names
        assert (await client.get(f"/trainer/{OTHER}/bericht")).status_code == 403
        form = select_tag(page, "form.filter-form")
        assert form["action"] == "/trainer/kurs-a/bericht"


async def test_an_admin_assigns_and_unassigns_a_trainer(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services, create_user: CreateUser
) -> None:
    _install(services)
    trainer = await create_user("trainer", name="Tara Trainer")
    learner = await create_user("learner")
    admin = await login_as("admin")
    page = soup(await client.get("/trainer/kurs-a"))
    options = [o.get_text(strip=True) for o in page.select("#trainer option")]
    assert options == [f"Tara Trainer ({trainer.email})"]
    token = await csrf_for(client, "/trainer/kurs-a")
    done = await client.post(
        "/admin/courses/kurs-a/trainers", data={"trainer": str(trainer.id), "csrf_token": token}
    )
    assert done.status_code == 303
    assert await course_trainers.course_ids_of(services.db, trainer.id) == {"kurs-a"}
    listed = soup(await client.get("/trainer/kurs-a")).select(".trainer-list li")
    assert [li.get_text(" ", strip=True).split(" Zuordnung")[0] for li in listed] == [
        f"Tara Trainer ({trainer.email})"
    ]
    # A learner can not be made a course's trainer.
    refused = await client.post(
        "/admin/courses/kurs-a/trainers", data={"trainer": str(learner.id), "csrf_token": token}
    )
    assert refused.status_code == 303
    assert await course_trainers.course_ids_of(services.db, learner.id) == frozenset()
    removed = await client.post(
        f"/admin/courses/kurs-a/trainers/{trainer.id}/remove", data={"csrf_token": token}
    )
    assert removed.status_code == 303
    assert await course_trainers.course_ids_of(services.db, trainer.id) == frozenset()
    actions = await services.db.fetchall(
        "SELECT actor_id, action, target_id FROM audit_log WHERE action LIKE 'course.trainer%'"
        " ORDER BY id"
    )
    assert [tuple(r) for r in actions] == [
        (admin.id, "course.trainer_assign", str(trainer.id)),
        (admin.id, "course.trainer_unassign", str(trainer.id)),
    ]
