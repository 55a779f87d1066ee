"""The audit log page: German actions, names, filters that survive paging, a CSV export."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from learning.core.clock import FrozenClock
from learning.store import audit
from learning.web.services import Services
from tests.conftest import CreateUser, LoginAs, select_tag, soup
from tests.helpers import split_export


async def _record(services: Services, at: datetime, action: str, actor: int, target: int) -> None:
    async with services.db.transaction() as tx:
        await audit.record(
            tx,
            now=at,
            actor_id=actor,
            actor_email="admin@example.org",
            action=action,
            target_type="user",
            target_id=target,
            details={"course": "fixture-kurs"},
        )


def _rows(page: httpx.Response) -> list[list[str]]:
    return [
        [c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])]
        for tr in soup(page).select("#audit-table tbody tr")
    ]


async def test_the_log_names_people_and_actions_and_filters(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services, create_user: CreateUser
) -> None:
    admin = await login_as("admin", name="Ada Admin")
    lena = await create_user("learner", name="Lena Lernend", email="lena@example.org")
    omar = await create_user("learner", name="Omar Other", email="omar@example.org")
    await _record(
        services, datetime(2026, 11, 30, 23, 30, tzinfo=UTC), "enrolment.add", admin.id, lena.id
    )
    await _record(
        services, datetime(2026, 11, 29, 12, 0, tzinfo=UTC), "user.disable", admin.id, omar.id
    )
    rows = _rows(await client.get("/admin/audit"))
    # 23:30 UTC on 30 November is 00:30 on 1 December in Berlin.
    enrol = rows[0]
    assert "1. Dez. 2026" in enrol[0] or "01.12.2026" in enrol[0]
    assert enrol[1].startswith("Ada Admin")
    assert enrol[2:] == [
        "In Kurs eingeschrieben",
        "Konto Lena Lernend (lena@example.org)",
        "Kurs: Fixture-Kurs",
    ]
    assert not any("{" in cell for row in rows for cell in row), "no JSON"

    by_action = _rows(await client.get("/admin/audit", params={"aktion": "user.disable"}))
    assert [r[2] for r in by_action] == ["Konto gesperrt"]
    by_person = _rows(await client.get("/admin/audit", params={"person": "LENA"}))
    assert [r[2] for r in by_person] == ["In Kurs eingeschrieben"]
    by_day = _rows(
        await client.get("/admin/audit", params={"von": "2026-12-01", "bis": "2026-12-01"})
    )
    assert [r[2] for r in by_day] == ["In Kurs eingeschrieben"], "the local day counts"
    typed = _rows(await client.get("/admin/audit", params={"von": "01.12.2026"}))
    assert [r[2] for r in typed] == ["In Kurs eingeschrieben"], "German dates are read too"
    none = _rows(await client.get("/admin/audit", params={"person": "100%_"}))
    assert none == [["Keine Einträge für diesen Filter."]]
    bad = await client.get("/admin/audit", params={"von": "gestern"})
    assert bad.status_code == 200
    assert "kein gültiges Datum" in select_tag(soup(bad), ".error-summary").get_text()
    form = select_tag(
        soup(await client.get("/admin/audit", params={"person": "lena"})), "#audit-filter"
    )
    assert select_tag(form, "#person")["value"] == "lena" and form["method"] == "get"


async def test_paging_keeps_the_filter(
    client: httpx.AsyncClient, login_as: LoginAs, services: Services, create_user: CreateUser
) -> None:
    admin = await login_as("admin")
    lena = await create_user("learner", name="Lena Lernend")
    for minute in range(105):
        await _record(
            services,
            datetime(2026, 11, 1, 9, minute % 60, tzinfo=UTC),
            "user.update",
            admin.id,
            lena.id,
        )
    first = soup(await client.get("/admin/audit", params={"aktion": "user.update"}))
    older = select_tag(first, ".pager a")
    assert older["href"] == "/admin/audit?aktion=user.update&seite=2"
    second = await client.get(str(older["href"]))
    assert len(_rows(second)) == 5


async def test_the_export_is_the_filtered_log_for_german_excel(
    client: httpx.AsyncClient,
    login_as: LoginAs,
    services: Services,
    create_user: CreateUser,
    clock: FrozenClock,
) -> None:
    clock.now = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
    admin = await login_as("admin", name="Ada Admin")
    lena = await create_user("learner", name="Lena Lernend", email="lena@example.org")
    await _record(
        services, datetime(2026, 7, 1, 22, 30, tzinfo=UTC), "user.disable", admin.id, lena.id
    )
    await _record(
        services, datetime(2026, 7, 1, 10, 0, tzinfo=UTC), "user.enable", admin.id, lena.id
    )
    page = soup(await client.get("/admin/audit", params={"aktion": "user.disable"}))
    link = select_tag(page, "#audit-export")["href"]
    assert link == "/admin/audit/export?aktion=user.disable"
    export = await client.get(str(link))
    assert export.headers["content-disposition"] == (
        'attachment; filename="protokoll_user-disable_2026-12-02.csv"'
    )
    rows, facts = split_export(export.content)
    assert rows[0] == [
        "Zeitpunkt (Europe/Berlin)",
        "Wer",
        "E-Mail (wer)",
        "Aktion",
        "Aktionscode",
        "Betrifft",
        "Einzelheiten",
    ]
    assert rows[1:] == [
        [
            "02.07.2026 00:30",
            "Ada Admin",
            "admin@example.org",
            "Konto gesperrt",
            "user.disable",
            "Konto Lena Lernend (lena@example.org)",
            "Kurs: Fixture-Kurs",
        ]
    ]
    assert facts["Filter"] == "Aktion: Konto gesperrt"
    assert "Berichtsmodus" not in facts
    exported = await audit.list_entries(services.db, audit.AuditFilter(action="audit.export"))
    assert len(exported) == 1, "the export itself is logged"
