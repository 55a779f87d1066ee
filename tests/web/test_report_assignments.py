"""Assignment status in the reports, their filters and exports, in both privacy modes."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime

import httpx
import pytest

from learning.core.clock import FrozenClock
from learning.core.config import Settings
from learning.store import assignments
from learning.store.assignments import DueRule
from learning.web.services import Services
from tests.admin_support import install_catalog, seed_known
from tests.conftest import LoginAs, soup

# Nord (n1..n6) must finish by 12 February 2026; the reports are read on 10 March.
# n1 completed 10 Feb (on time), n2 15 Feb and n3 1 March (late), n4 started, n5 n6 not.
DUE = date(2026, 2, 12)
READ_ON = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


async def _seeded(services: Services, clock: FrozenClock) -> None:
    """The known ten learners, Nord assigned, the clock on the reading day."""
    clock.now = READ_ON
    install_catalog(services)
    await seed_known(services.db)
    await _assign_nord(services)


async def _assign_nord(services: Services) -> None:
    nord = await services.db.scalar("SELECT id FROM groups WHERE name = 'Amt Nord'")
    async with services.db.transaction() as tx:
        await assignments.create(
            tx,
            course_id="kurs-a",
            group_id=nord,
            due=DueRule(on=DUE),
            renew_months=None,
            by=None,
            now=datetime(2026, 1, 5, tzinfo=UTC),
        )


def _status_figures(page: object) -> dict[str, str]:
    return {dd["data-key"]: dd.get_text(strip=True) for dd in page.select("#assignment-status dd")}  # type: ignore[attr-defined]


def _csv(response: httpx.Response) -> list[dict[str, str]]:
    lines = [
        line
        for line in response.content.decode("utf-8-sig").splitlines()
        if not line.startswith("#")
    ]
    return list(csv.DictReader(io.StringIO("\n".join(lines)), delimiter=";"))


class TestNamed:
    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        return settings.with_overrides(reports="named")

    async def test_status_per_learner_filter_and_exports(
        self, client: httpx.AsyncClient, login_as: LoginAs, services: Services, clock: FrozenClock
    ) -> None:
        await _seeded(services, clock)
        await login_as("admin")
        page = soup(await client.get("/admin/reports/kurs-a"))
        assert _status_figures(page) == {
            "assigned": "6",
            "not_started": "0",
            "in_progress": "0",
            "completed_on_time": "1",
            "completed_late": "2",
            "overdue": "3",
            "expired": "0",
        }
        overdue = soup(await client.get("/admin/reports/kurs-a", params={"pflicht": "overdue"}))
        names = [
            tr.th.get_text() if tr.th else "" for tr in overdue.select("#learner-table tbody tr")
        ]
        assert names == ["Person n4", "Person n5", "Person n6"]
        rows = _csv(await client.get("/admin/reports/kurs-a/export", params={"format": "csv"}))
        by_name = {r["Name"]: r for r in rows}
        assert by_name["Person n1"]["Pflichtschulung"] == "Fristgerecht abgeschlossen"
        assert by_name["Person n2"]["Pflichtschulung"] == "Verspätet abgeschlossen"
        assert by_name["Person n5"]["Frist"] == "12.02.2026"  # German CSV dates
        # Not assigned (another group): no due date, no status.
        assert by_name["Person s1"]["Frist"] == "" and by_name["Person s1"]["Pflichtschulung"] == ""
        data = json.loads(
            (
                await client.get(
                    "/admin/reports/kurs-a/export",
                    params={"format": "json", "pflicht": "completed_late"},
                )
            ).content
        )
        assert sorted(r["name"] for r in data["rows"]) == ["Person n2", "Person n3"]
        assert {r["due"] for r in data["rows"]} == {"2026-02-12"}

    async def test_bad_status_filter_is_a_german_message(
        self, client: httpx.AsyncClient, login_as: LoginAs, services: Services
    ) -> None:
        install_catalog(services)
        await login_as("admin")
        page = soup(await client.get("/admin/reports/kurs-a", params={"pflicht": "kaputt"}))
        alert = page.select_one("div.error-summary")
        assert alert is not None and "Pflicht-Status ist ungültig" in alert.get_text()


class TestAggregate:
    async def test_small_counts_are_hidden_and_no_names(
        self, client: httpx.AsyncClient, login_as: LoginAs, services: Services, clock: FrozenClock
    ) -> None:
        await _seeded(services, clock)
        await login_as("admin")
        page = soup(await client.get("/admin/reports/kurs-a"))
        shown = _status_figures(page)
        # 1, 2 and 3 of 6 each single out fewer than 5 (themselves or their complement).
        assert shown["assigned"] == "6"
        assert {shown[k] for k in ("completed_on_time", "completed_late", "overdue")} == {"–"}
        assert page.select_one("#learner-table") is None
        rows = _csv(await client.get("/admin/reports/kurs-a/export", params={"format": "csv"}))
        assert rows[0]["Gruppe"] == "Gesamt" and rows[0]["Pflicht: Überfällig"] == ""
        # The status filter is one filter: 3 overdue are too few to show anything.
        refused = soup(await client.get("/admin/reports/kurs-a", params={"pflicht": "overdue"}))
        assert refused.select_one("#overview-hidden") is not None
