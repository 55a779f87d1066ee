"""Admin assignments: create with a due date, notices queued, bad input, removal."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from learning.core.clock import FrozenClock
from learning.web.services import Services
from tests.conftest import CreateUser, LoginAs, csrf_for, log_in, select_tag, soup, tag

COURSE = "fixture-kurs"
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


async def _group_id(services: Services, name: str) -> int:
    return int(await services.db.scalar("SELECT id FROM groups WHERE name = ?", (name,)))


async def _post(client: httpx.AsyncClient, **fields: str) -> httpx.Response:
    token = await csrf_for(client, "/admin/assignments")
    data = {"csrf_token": token, "course": COURSE, "target": "group", "due_kind": "date"}
    return await client.post("/admin/assignments", data={**data, **fields})


async def _counts(services: Services) -> tuple[int, int, int]:
    row = await services.db.fetchone(
        "SELECT (SELECT count(*) FROM assignments), (SELECT count(*) FROM outbox),"
        " (SELECT count(*) FROM enrolments)"
    )
    assert row is not None
    return (row[0], row[1], row[2])


async def test_assign_to_group_enrols_and_queues_one_notice_each(
    client: httpx.AsyncClient,
    login_as: LoginAs,
    create_user: CreateUser,
    services: Services,
    clock: FrozenClock,
) -> None:
    clock.now = NOW
    await login_as("admin")
    await create_user(email="a@example.org", group="Team Nord")
    await create_user(email="b@example.org", group="Team Nord")
    await create_user("trainer", email="t@example.org", group="Team Nord")
    group = await _group_id(services, "Team Nord")
    response = await _post(client, group=str(group), due_on="2027-01-15", renew="12")
    assert response.status_code == 303
    assert await _counts(services) == (1, 2, 2)
    mails = await services.db.fetchall("SELECT to_address, subject, body_text FROM outbox")
    assert sorted(m["to_address"] for m in mails) == ["a@example.org", "b@example.org"]
    assert "Freitag, 15. Januar 2027" in mails[0]["subject"]
    assert f"/courses/{COURSE}" in mails[0]["body_text"]
    page = soup(await client.get("/admin/assignments"))
    row = tag(page, "table", id="assignment-list").find("tbody").find("tr")  # type: ignore[union-attr]
    assert "Team Nord" in row.get_text() and "12 Monate" in row.get_text()  # type: ignore[union-attr]
    audit = await services.db.scalar(
        "SELECT count(*) FROM audit_log WHERE action = 'assignment.create'"
    )
    assert audit == 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"due_on": "31.02.2027"}, "f-due_on-error", "gültiges Fälligkeitsdatum"),
        ({"due_on": "01.12.2026"}, "f-due_on-error", "Vergangenheit"),
        ({"due_on": "2027-01-15", "renew": "0"}, "f-renew-error", "ab 1"),
        ({"due_on": "2027-01-15", "renew": "-3"}, "f-renew-error", "ab 1"),
        ({"due_kind": "days", "due_days": "0"}, "f-due_days-error", "von 1 bis 3660"),
        ({"due_kind": "days", "due_days": "zwei"}, "f-due_days-error", "von 1 bis 3660"),
        ({"due_on": "2027-01-15", "reminders": "14,x"}, "f-reminders-error", "keine Zahl"),
        ({"due_on": "2027-01-15", "group": "999999"}, "f-group-error", "gibt es nicht"),
        ({"due_on": "2027-01-15", "group": "EMPTY"}, "f-group-error", "keine aktiven Lernenden"),
        ({"due_on": "2027-01-15", "course": "nope"}, "f-course-error", "gibt es nicht"),
        (
            {"due_on": "2027-01-15", "target": "user", "email": "x@example.org"},
            "f-email-error",
            "kein aktives Konto",
        ),
    ],
)
async def test_bad_input_gets_a_german_message_and_writes_nothing(
    client: httpx.AsyncClient,
    login_as: LoginAs,
    create_user: CreateUser,
    services: Services,
    clock: FrozenClock,
    fields: dict[str, str],
    field: str,
    message: str,
) -> None:
    clock.now = NOW
    await login_as("admin")
    await create_user(email="a@example.org", group="Team")
    await create_user("trainer", email="t@example.org", group="Leer")
    values = {"group": str(await _group_id(services, "Team")), **fields}
    if values["group"] == "EMPTY":
        values["group"] = str(await _group_id(services, "Leer"))
    before = await _counts(services)
    response = await _post(client, **values)
    assert response.status_code == 400
    assert message in tag(soup(response), "p", id=field).get_text()
    assert await _counts(services) == before


async def test_second_live_assignment_is_refused_and_removal_keeps_history(
    client: httpx.AsyncClient,
    login_as: LoginAs,
    create_user: CreateUser,
    services: Services,
    clock: FrozenClock,
) -> None:
    clock.now = NOW
    await login_as("admin")
    await create_user(email="a@example.org", group="Team")
    group = str(await _group_id(services, "Team"))
    assert (await _post(client, group=group, due_on="2027-01-15")).status_code == 303
    again = await _post(client, group=group, due_on="2027-02-15")
    assert again.status_code == 400
    assert "schon zugewiesen" in tag(soup(again), "p", id="f-course-error").get_text()
    aid = await services.db.scalar("SELECT id FROM assignments")
    token = await csrf_for(client, "/admin/assignments")
    removed = await client.post(f"/admin/assignments/{aid}/remove", data={"csrf_token": token})
    assert removed.status_code == 303
    page = soup(await client.get("/admin/assignments"))
    assert "Team" in tag(page, "ul", id="removed-assignments").get_text()
    assert await services.db.scalar("SELECT count(*) FROM enrolments") == 1
    missing = await client.post("/admin/assignments/99999/remove", data={"csrf_token": token})
    assert missing.status_code == 404


async def test_later_joiner_is_enrolled_with_a_due_date_from_joining(
    client: httpx.AsyncClient,
    login_as: LoginAs,
    create_user: CreateUser,
    services: Services,
    clock: FrozenClock,
) -> None:
    clock.now = NOW
    admin = await login_as("admin")
    await create_user(email="a@example.org", group="Team")
    group = str(await _group_id(services, "Team"))
    assert (await _post(client, group=group, due_kind="days", due_days="14")).status_code == 303
    clock.now = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
    assert (await log_in(client, admin.email)).status_code == 303  # the old session timed out
    joiner = await create_user(email="new@example.org")
    token = await csrf_for(client, f"/admin/users/{joiner.id}")
    moved = await client.post(
        f"/admin/users/{joiner.id}",
        data={"csrf_token": token, "name": joiner.name, "role": "learner", "group": group},
    )
    assert moved.status_code == 303, moved.text
    enrolled = await services.db.scalar(
        "SELECT enrolled_by FROM enrolments WHERE user_id = ?", (joiner.id,)
    )
    assert enrolled == admin.id
    notice = await services.db.fetchone(
        "SELECT subject FROM outbox WHERE to_user_id = ?", (joiner.id,)
    )
    assert notice is not None and "18. Januar 2027" in notice["subject"]


async def test_admin_start_page_counts_overdue_learners(
    client: httpx.AsyncClient,
    login_as: LoginAs,
    create_user: CreateUser,
    services: Services,
    clock: FrozenClock,
) -> None:
    clock.now = NOW
    admin = await login_as("admin")
    await create_user(email="a@example.org", group="Team")
    await create_user(email="b@example.org", group="Team")
    group = str(await _group_id(services, "Team"))
    assert (await _post(client, group=group, due_on="2026-12-04")).status_code == 303

    async def figure() -> str:
        page = soup(await client.get("/"))
        return select_tag(page, "#admin-figures li[data-figure='overdue'] .figure-value").get_text()

    assert await figure() == "0"
    clock.now = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
    assert (await log_in(client, admin.email)).status_code == 303
    assert await figure() == "2"
