"""Report pages and exports over HTTP: figures, privacy modes, filters, formula payloads."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import httpx
import openpyxl
import pytest
from bs4 import BeautifulSoup

from learning.core.clock import FrozenClock
from learning.core.config import Settings
from learning.web.services import Services
from tests.admin_support import add_user, enrol, install_catalog, seed_known, view
from tests.conftest import LoginAs, attr, select_tag, soup
from tests.helpers import split_export


def figures(page: BeautifulSoup) -> dict[str, str]:
    return {attr(dd, "data-key"): dd.get_text(strip=True) for dd in page.select("#overview dd")}


def table(page: BeautifulSoup, table_id: str) -> list[list[str]]:
    return [
        [cell.get_text(strip=True) for cell in tr.find_all(["th", "td"])]
        for tr in page.select(f"#{table_id} tbody tr")
    ]


class TestAggregateMode:
    async def test_overview_and_groups(
        self, client: httpx.AsyncClient, login_as: LoginAs, services: Services
    ) -> None:
        install_catalog(services)
        await seed_known(services.db)
        await login_as("admin", group="Amt Nord")
        page = soup(await client.get("/admin/reports/kurs-a"))
        assert select_tag(page, "#report-mode")["data-mode"] == "aggregate"
        # 9 of 10 enrolled, 8 started, 4 completed: each count or its complement is
        # below 5, so only the participants and the medians (5 and 8 values) show.
        assert figures(page) == {
            "participants": "10",
            "enrolled": "–",
            "started": "–",
            "completed": "–",
            "completion_rate": "–",
            "median_score": "80 %",
            "median_minutes": "1,8 Min.",
        }
        # Süd and Kammer (4 together) would be left over: they join Nord, and one group
        # would only repeat the total, so there is no group table.
        assert page.select_one("#group-table") is None
        assert page.select_one("#groups-suppressed") is None
        assert page.select_one("#learner-table") is None, "no names in aggregate mode"
        assert "Person n1" not in page.get_text()
        assert page.select_one("#month-table") is None, "the completed total is hidden"

    async def test_small_course_shows_no_figures(
        self, client: httpx.AsyncClient, login_as: LoginAs, services: Services
    ) -> None:
        install_catalog(services)
        for i in range(4):
            user = await add_user(services.db, f"Klein {i}", group="Winzig")
            await enrol(services.db, user)
            await view(services.db, user, "p1", 10)
        await login_as("admin")
        page = soup(await client.get("/admin/reports/kurs-a"))
        assert page.select_one("#overview") is None
        assert page.select_one("#overview-hidden") is not None
        assert page.select_one("#group-table") is None
        index = soup(await client.get("/admin/reports"))
        assert "Weniger als 5" in select_tag(index, "#course-overview tbody tr").get_text()
        export = await client.get("/admin/reports/kurs-a/export", params={"format": "json"})
        assert json.loads(export.content)["rows"] == []

    async def test_filter_can_not_reveal_a_small_group(
        self, client: httpx.AsyncClient, login_as: LoginAs, services: Services
    ) -> None:
        install_catalog(services)
        await seed_known(services.db)
        await login_as("admin")
        sued = await services.db.scalar("SELECT id FROM groups WHERE name = 'Amt Süd'")
        page = soup(await client.get("/admin/reports/kurs-a", params={"group": sued}))
        assert page.select_one("#overview") is None and page.select_one("#group-table") is None
        for fmt in ("csv", "json"):
            export = await client.get(
                "/admin/reports/kurs-a/export", params={"group": sued, "format": fmt}
            )
            assert (
                "Süd"
                not in export.content.decode("utf-8-sig").split("Filter")[-1].split("\n", 1)[-1]
            )

    async def test_exports_carry_the_mode_and_group_rows(
        self, client: httpx.AsyncClient, login_as: LoginAs, services: Services, clock: FrozenClock
    ) -> None:
        clock.now = datetime(2026, 2, 28, 23, 30, tzinfo=UTC)  # 1 March in Berlin
        install_catalog(services)
        await seed_known(services.db)
        await login_as("admin")
        export = await client.get("/admin/reports/kurs-a/export", params={"format": "csv"})
        rows, facts = split_export(export.content)
        assert facts["Berichtsmodus"].startswith("aggregate")
        assert export.headers["content-disposition"] == (
            'attachment; filename="bericht_kurs-a_alle_2026-03-01.csv"'
        )
        header = rows.index(
            [
                "Gruppe",
                "Teilnehmende",
                "Eingeschrieben",
                "Begonnen",
                "Abgeschlossen",
                "Abschlussquote %",
                "Median Abschlusstest %",
                "Median Lernzeit (Min.)",
            ]
        )
        assert [r[0] for r in rows[header + 1 :]] == ["Gesamt"]
        assert rows[header + 1][1:5] == ["10", "", "", ""]
        data = json.loads(
            (await client.get("/admin/reports/kurs-a/export", params={"format": "json"})).content
        )
        assert data["mode"] == "aggregate"
        assert [r["group"] for r in data["rows"]] == ["Gesamt"]
        assert data["rows"][0]["completed"] is None


class TestNamedMode:
    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        return settings.with_overrides(reports="named")

    async def test_learner_table_filter_and_sort(
        self, client: httpx.AsyncClient, login_as: LoginAs, services: Services, clock: FrozenClock
    ) -> None:
        clock.now = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
        install_catalog(services)
        await seed_known(services.db)
        await login_as("admin")
        page = soup(await client.get("/admin/reports/kurs-a"))
        assert select_tag(page, "#report-mode")["data-mode"] == "named"
        names = [row[0] for row in table(page, "learner-table")]
        assert len(names) == 10 and "Trainerin" not in names
        groups = [row[0] for row in table(page, "group-table")]
        assert groups == ["Amt Nord", "Amt Süd", "Kammer"]
        nord = await services.db.scalar("SELECT id FROM groups WHERE name = 'Amt Nord'")
        params = {"group": nord, "status": "completed", "sort": "best_score", "dir": "desc"}
        page = soup(await client.get("/admin/reports/kurs-a", params=params))
        rows = table(page, "learner-table")
        assert [r[0] for r in rows] == ["Person n2", "Person n1", "Person n3"]
        assert rows[1][3:5] == ["abgeschlossen", "100"] and rows[1][-1] == "CERT-N1"

        export = await client.get(
            "/admin/reports/kurs-a/export", params={**params, "format": "xlsx"}
        )
        sheet = openpyxl.load_workbook(io.BytesIO(export.content))["Bericht"]
        values = list(sheet.iter_rows(min_row=2, values_only=True))
        assert [v[0] for v in values] == ["Person n2", "Person n1", "Person n3"]
        n1 = values[1]
        assert isinstance(n1[4], int | float) and n1[4] == 100
        assert isinstance(n1[7], int | float) and n1[7] == 80
        assert n1[8] == 2
        assert isinstance(n1[9], datetime) and n1[9] == datetime(2026, 2, 10, 13, 0)
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:K4"

        export = await client.get(
            "/admin/reports/kurs-a/export", params={**params, "format": "csv"}
        )
        rows, facts = split_export(export.content)
        assert rows[0][-2] == "Abgeschlossen am (Europe/Berlin)"
        assert [r[0] for r in rows[1:]] == ["Person n2", "Person n1", "Person n3"]
        assert rows[2][4] == "100" and rows[2][-2] == "10.02.2026 13:00"
        assert facts["Berichtsmodus"].startswith("named")
        assert facts["Filter"] == "Gruppe: Amt Nord, Status: abgeschlossen"
        assert export.headers["content-disposition"] == (
            'attachment; filename="bericht_kurs-a_gruppe-amt-nord_status-abgeschlossen'
            '_2026-03-01.csv"'
        )
        comma = await client.get(
            "/admin/reports/kurs-a/export", params={**params, "format": "csv", "delimiter": "comma"}
        )
        assert "Person n2,Person" not in comma.text and ",abgeschlossen," in comma.text
        assert "_2026-03-01_komma.csv" in comma.headers["content-disposition"]

    async def test_formula_and_script_payloads(
        self, client: httpx.AsyncClient, login_as: LoginAs, services: Services
    ) -> None:
        install_catalog(services)
        payload = '=HYPERLINK("http://evil")'
        user = await add_user(
            services.db, payload, group="<script>alert(1)</script>", email="p@example.org"
        )
        await enrol(services.db, user)
        await login_as("admin")
        page = soup(await client.get("/admin/reports/kurs-a"))
        assert page.find("script") is None
        assert table(page, "learner-table")[0][:3] == [
            payload,
            "p@example.org",
            "<script>alert(1)</script>",
        ]
        rows, _ = split_export(
            (await client.get("/admin/reports/kurs-a/export", params={"format": "csv"})).content
        )
        assert rows[-1][0] == "'" + payload
        sheet = openpyxl.load_workbook(
            io.BytesIO(
                (
                    await client.get("/admin/reports/kurs-a/export", params={"format": "xlsx"})
                ).content
            )
        )["Bericht"]
        assert sheet["A2"].value == "'" + payload and sheet["A2"].data_type == "s"

    async def test_bad_filters_get_german_messages(
        self, client: httpx.AsyncClient, login_as: LoginAs, services: Services
    ) -> None:
        install_catalog(services)
        await login_as("admin")
        response = await client.get(
            "/admin/reports/kurs-a",
            params={"from": "gestern", "status": "x", "group": "-1", "sort": "x;DROP"},
        )
        assert response.status_code == 200
        errors = [li.get_text() for li in soup(response).select(".error-summary li")]
        assert len(errors) == 3 and any("kein gültiges Datum" in e for e in errors)
        assert (await client.get("/admin/reports/gibt-es-nicht")).status_code == 404
        export = await client.get("/admin/reports/kurs-a/export", params={"format": "exe"})
        assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")


class TestNamedTable:
    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        return settings.with_overrides(reports="named")

    async def test_header_links_sort_and_pages_split_the_table(
        self,
        client: httpx.AsyncClient,
        login_as: LoginAs,
        services: Services,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        from learning.web import admin_reports

        install_catalog(services)
        await seed_known(services.db)
        await login_as("admin")
        page = soup(await client.get("/admin/reports/kurs-a", params={"status": "completed"}))
        link = next(
            a for a in page.select("#learner-table thead a") if a.get_text().startswith("Bestes")
        )
        sorted_page = soup(await client.get("/admin/reports/kurs-a" + attr(link, "href")))
        header = next(
            th
            for th in sorted_page.select("#learner-table thead th")
            if th.get_text().strip().startswith("Bestes")
        )
        assert header["aria-sort"] == "ascending"
        assert [r[0] for r in table(sorted_page, "learner-table")] == [
            "Person n3",
            "Person n1",
            "Person n2",
            "Person s1",
        ]

        monkeypatch.setattr(admin_reports, "TABLE_PAGE", 4)
        first = soup(await client.get("/admin/reports/kurs-a"))
        assert len(table(first, "learner-table")) == 4
        assert select_tag(first, "#overview dd").get_text() == "10", "figures cover every page"
        last = soup(await client.get("/admin/reports/kurs-a", params={"seite": "3"}))
        assert len(table(last, "learner-table")) == 2
        assert (
            await client.get("/admin/reports/kurs-a", params={"seite": "99999"})
        ).status_code == 200
