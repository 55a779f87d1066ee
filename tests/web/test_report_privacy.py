"""Aggregate reports: every figure stands for at least `min_group` (5) people.

Cells below the minimum are suppressed, so are cells that the total minus the shown
ones would reveal, and no two answered filters differ by a single person.
"""

from __future__ import annotations

import json

import httpx
from bs4 import BeautifulSoup

from learning.web.services import Services
from tests.admin_support import add_user, attempt, complete, enrol, install_catalog, view
from tests.conftest import LoginAs, soup
from tests.web.test_reports import figures, table


async def seed_groups(services: Services, completed: dict[str, int], sizes: dict[str, int]) -> None:
    """Learners per group, all enrolled and started; the first `completed[g]` passed."""
    install_catalog(services)
    db = services.db
    for group, size in sizes.items():
        for i in range(size):
            user = await add_user(db, f"{group} {i}", group=group)
            await enrol(db, user)
            await view(db, user, "p1", 60)
            if i < completed[group]:
                attempt_id = await attempt(db, user, 80 + i)
                await complete(db, user, 80 + i, attempt_id)


def completed_column(page: BeautifulSoup) -> dict[str, str]:
    return {row[0]: row[4] for row in table(page, "group-table")}


async def test_small_cells_and_the_cells_that_would_reveal_them_are_suppressed(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    # A: 1 of 8 completed (too few). B: 5 of 7 (2 did not: too few). C: 5 of 10.
    await seed_groups(services, {"A": 1, "B": 5, "C": 5}, {"A": 8, "B": 7, "C": 10})
    await login_as("admin")
    page = soup(await client.get("/admin/reports/kurs-a"))
    assert figures(page)["completed"] == "11"
    # Hiding A and B leaves only their sum (11 - 5 = 6 of 15) to compute.
    assert completed_column(page) == {"A": "–", "B": "–", "C": "5"}
    rates = {row[0]: row[5] for row in table(page, "group-table")}
    assert rates == {"A": "–", "B": "–", "C": "50"}
    medians = {row[0]: row[6] for row in table(page, "group-table")}
    assert medians["A"] == "–", "one score is not a median of five"
    data = json.loads(
        (await client.get("/admin/reports/kurs-a/export", params={"format": "json"})).content
    )
    assert [(r["group"], r["completed"]) for r in data["rows"]] == [
        ("Gesamt", 11),
        ("A", None),
        ("B", None),
        ("C", 5),
    ]


async def test_one_hidden_cell_takes_others_with_it(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    # A: 1 of 8 completed; B: 0 of 7; C: 5 of 10. Hiding A alone, the total (6) minus
    # B and C would give A's 1; hiding B too leaves 1 for A and B: so C goes as well.
    await seed_groups(services, {"A": 1, "B": 0, "C": 5}, {"A": 8, "B": 7, "C": 10})
    await login_as("admin")
    page = soup(await client.get("/admin/reports/kurs-a"))
    assert figures(page)["completed"] == "6"
    assert completed_column(page) == {"A": "–", "B": "–", "C": "–"}
    rows = table(page, "month-table")
    assert [row[1] for row in rows] == ["6"], "one period of at least five completions"


async def test_two_overlapping_date_filters_do_not_single_out_one_person(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    install_catalog(services)
    for day in range(1, 21):  # one learner last active on each of 20 days
        user = await add_user(services.db, f"Tag {day}")
        await enrol(services.db, user)
        await view(services.db, user, "p1", 60, at=f"2026-02-{day:02d} 10:00:00")
    await login_as("admin")
    answers = []
    exports = []
    for since in ("2026-02-03", "2026-02-04"):  # differ by the learner of 3 February
        params = {"from": since, "to": "2026-02-15"}
        page = soup(await client.get("/admin/reports/kurs-a", params=params))
        answers.append(figures(page))
        assert page.select_one("#dates-widened") is not None
        field = page.select_one("#from")
        assert field is not None and field["value"] == "2026-02-01"
        export = await client.get(
            "/admin/reports/kurs-a/export", params={**params, "format": "json"}
        )
        exports.append(json.loads(export.content)["rows"])
    # Both ranges are widened to the blocks of five learners they touch (1-15 Feb).
    assert answers[0] == answers[1]
    assert answers[0]["participants"] == "15"
    assert exports[0] == exports[1] and exports[0][0]["participants"] == 15


async def test_a_group_filter_that_leaves_out_fewer_than_five_is_not_answered(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    # Group A (6) and group B (1): "all" minus "A" would be B's one learner.
    await seed_groups(services, {"A": 0, "B": 0}, {"A": 6, "B": 1})
    await login_as("admin")
    everyone = soup(await client.get("/admin/reports/kurs-a"))
    assert figures(everyone)["participants"] == "7"
    group_a = await services.db.scalar("SELECT id FROM groups WHERE name = 'A'")
    page = soup(await client.get("/admin/reports/kurs-a", params={"group": group_a}))
    assert page.select_one("#overview") is None
    hidden = page.select_one("#overview-hidden")
    assert hidden is not None and "lässt weniger als 5 Lernende" in hidden.get_text()
    export = await client.get(
        "/admin/reports/kurs-a/export", params={"group": group_a, "format": "json"}
    )
    exported = json.loads(export.content)
    assert exported["rows"] == []
    assert "lässt weniger als 5 Lernende" in exported["note"]


async def test_filters_cannot_be_combined_in_aggregate_mode(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services
) -> None:
    await seed_groups(services, {"A": 5, "B": 5}, {"A": 10, "B": 10})
    await login_as("admin")
    group_a = await services.db.scalar("SELECT id FROM groups WHERE name = 'A'")
    alone = soup(await client.get("/admin/reports/kurs-a", params={"group": group_a}))
    assert figures(alone)["participants"] == "10"
    both = soup(
        await client.get("/admin/reports/kurs-a", params={"group": group_a, "status": "completed"})
    )
    assert both.select_one("#overview") is None
    hidden = both.select_one("#overview-hidden")
    assert hidden is not None and "nur ein Filter" in hidden.get_text()
