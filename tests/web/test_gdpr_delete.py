"""GDPR deletion deletes: no trace of the person in any table, no account left to revive.

Also: the learner's own Art. 15 download is the admin's personal-data export.
"""

from __future__ import annotations

import json

import httpx
from starlette.applications import Starlette

from learning.reports.figures import figures
from learning.store import reports
from learning.store.db import Database
from learning.web.services import Services
from tests.admin_support import attempt, complete, enrol, install_catalog, view
from tests.conftest import CreateUser, LoginAs, csrf_for, log_in, new_client, soup

NAME = "Erika Mustermann-Quast"
EMAIL = "erika.quast@example.org"


async def cells_containing(db: Database, needle: str) -> list[str]:
    """Every table.column (from sqlite_master) whose text holds `needle`, any case."""
    hits: list[str] = []
    tables = await db.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    for table in (str(t[0]) for t in tables):
        columns = await db.fetchall(f"SELECT name FROM pragma_table_info('{table}')")  # noqa: S608 - names from sqlite_master
        for column in (str(c[0]) for c in columns):
            count = await db.scalar(
                f'SELECT count(*) FROM "{table}"'  # noqa: S608 - names from sqlite_master
                f' WHERE instr(lower(CAST("{column}" AS TEXT)), lower(?))',
                (needle,),
            )
            if count:
                hits.append(f"{table}.{column}")
    return hits


async def seed_person(
    app: Starlette, client: httpx.AsyncClient, services: Services, create_user: CreateUser
) -> int:
    """A learner with every kind of row: login, session, links, notes, answers, test, audit."""
    install_catalog(services)
    learner = await create_user("learner", email=EMAIL, name="Erika Vorläufig", group="Amt Nord")
    async with new_client(app, "127.0.0.9") as own:
        assert (await log_in(own, EMAIL, "falsches Passwort")).status_code != 303
        assert (await log_in(own, EMAIL)).status_code == 303
    token = await csrf_for(client, f"/admin/users/{learner.id}")
    # A rename writes the old and the new name into the audit details.
    renamed = await client.post(
        f"/admin/users/{learner.id}",
        data={"csrf_token": token, "name": NAME, "role": "learner", "group": str(learner.group_id)},
    )
    assert renamed.status_code == 303
    assert (
        await client.post(f"/admin/users/{learner.id}/reset-link", data={"csrf_token": token})
    ).status_code == 303
    db = services.db
    await enrol(db, learner.id)
    await view(db, learner.id, "p1", 30)
    attempt_id = await attempt(db, learner.id, 90, {"t-q1": (True, {"text": NAME})})
    await complete(db, learner.id, 90, attempt_id, code="CERT-EQ")
    async with db.transaction() as tx:
        await tx.execute("UPDATE certificates SET learner_name = ? WHERE code = 'CERT-EQ'", (NAME,))
        await tx.execute(
            "INSERT INTO answers (user_id, course_id, question_id, content_hash, response,"
            " correct, created_at) VALUES (?, 'kurs-a', 'k-1', 'h', ?, 1, '2026-02-01 10:00:00')",
            (learner.id, json.dumps({"text": f"Ich bin {NAME}"})),
        )
        await tx.execute(
            "INSERT INTO reflections (user_id, course_id, question_id, text, created_at,"
            " updated_at) VALUES (?, 'kurs-a', 'r-1', ?, '2026-02-01', '2026-02-01')",
            (learner.id, f"Notiz von {NAME}, {EMAIL}"),
        )
        # An import's audit entry lists the addresses it created.
        await tx.execute(
            "INSERT INTO audit_log (at, actor_email, action, target_type, details)"
            " VALUES ('2026-01-01 00:00:00', 'cli', 'user.import', 'users', ?)",
            (json.dumps({"count": 2, "emails": [EMAIL, "other@example.org"]}),),
        )
    return learner.id


async def test_delete_leaves_no_name_or_email_in_any_table_and_no_account(
    app: Starlette,
    client: httpx.AsyncClient,
    login_as: LoginAs,
    create_user: CreateUser,
    services: Services,
) -> None:
    await login_as("admin")
    user_id = await seed_person(app, client, services, create_user)
    db = services.db
    assert await cells_containing(db, EMAIL), "the seed must put the address somewhere"
    assert await cells_containing(db, "Mustermann-Quast")
    before = figures("x", await reports.figure_rows(db, "kurs-a", ["p1"], reports.LearnerFilter()))

    token = await csrf_for(client, f"/admin/users/{user_id}")
    deleted = await client.post(
        f"/admin/users/{user_id}/delete", data={"csrf_token": token, "confirm": "ja"}
    )
    assert deleted.status_code == 303

    for needle in (EMAIL, "erika.quast", NAME, "Mustermann-Quast", "Erika Vorläufig"):
        assert await cells_containing(db, needle) == [], needle
    # Other people's data in the same audit entry stays.
    assert await cells_containing(db, "other@example.org") == ["audit_log.details"]

    # No account left: not listed, no page, nothing to re-activate or re-invite.
    listing = soup(await client.get("/admin/users"))
    assert not listing.find("a", href=f"/admin/users/{user_id}")
    assert (await client.get(f"/admin/users/{user_id}")).status_code == 404
    for action in ("enable", "invite", "reset-link"):
        response = await client.post(f"/admin/users/{user_id}/{action}", data={"csrf_token": token})
        assert response.status_code == 404, action
    assert await db.scalar("SELECT active FROM users WHERE id = ?", (user_id,)) == 0
    async with new_client(app, "127.0.0.10") as own:
        assert (await log_in(own, EMAIL)).status_code != 303

    # The report counts do not change.
    after = figures("x", await reports.figure_rows(db, "kurs-a", ["p1"], reports.LearnerFilter()))
    assert (after.participants, after.started, after.completed, after.median_score) == (
        before.participants,
        before.started,
        before.completed,
        before.median_score,
    )


async def test_anonymise_is_separate_and_cannot_be_reactivated(
    app: Starlette,
    client: httpx.AsyncClient,
    login_as: LoginAs,
    create_user: CreateUser,
    services: Services,
) -> None:
    await login_as("admin")
    user_id = await seed_person(app, client, services, create_user)
    page = soup(await client.get(f"/admin/users/{user_id}"))
    section = page.find("section", attrs={"aria-labelledby": "gdpr-title"})
    assert section is not None
    legends = [legend.get_text(strip=True) for legend in section.find_all("legend")]
    assert legends == ["Anonymisieren", "Konto löschen"]
    token = await csrf_for(client, f"/admin/users/{user_id}")
    done = await client.post(
        f"/admin/users/{user_id}/anonymise", data={"csrf_token": token, "confirm": "ja"}
    )
    assert done.status_code == 303
    assert await cells_containing(services.db, EMAIL) == []
    # Anonymising keeps what the learner typed into answers (only deleting removes it);
    # the name is gone from everything else.
    assert await cells_containing(services.db, "Mustermann-Quast") == [
        "answers.response",
        "test_answers.response",
    ]
    # Anonymised learning facts stay attached; the pseudonymous account stays listed.
    assert await services.db.scalar("SELECT count(*) FROM answers WHERE user_id = ?", (user_id,))
    page = soup(await client.get(f"/admin/users/{user_id}"))
    buttons = [b.get_text(strip=True) for b in page.find_all("button")]
    assert "Wieder aktivieren" not in buttons and "Anonymisieren" not in buttons
    enable = await client.post(f"/admin/users/{user_id}/enable", data={"csrf_token": token})
    assert enable.status_code == 400
    assert await services.db.scalar("SELECT active FROM users WHERE id = ?", (user_id,)) == 0


async def test_learner_download_is_the_admin_export(
    app: Starlette,
    client: httpx.AsyncClient,
    login_as: LoginAs,
    create_user: CreateUser,
    services: Services,
) -> None:
    await login_as("admin")
    user_id = await seed_person(app, client, services, create_user)
    admin_copy = (await client.get(f"/admin/users/{user_id}/export")).json()
    async with new_client(app, "127.0.0.11") as own:
        assert (await log_in(own, EMAIL)).status_code == 303
        response = await own.get("/lernstand/export.json")
    assert response.status_code == 200
    mine = response.json()
    # The admin's download is itself an audit entry about the person and the learner
    # signed in once more, so the learner's later copy holds one entry and one session
    # more; everything else is the same.
    assert mine["audit_log"][:-1] == admin_copy["audit_log"]
    assert mine["audit_log"][-1]["action"] == "user.export"
    assert len(mine["sessions"]) == len(admin_copy["sessions"]) + 1
    assert mine.keys() == admin_copy.keys()
    for key in admin_copy:
        if key not in ("audit_log", "sessions"):
            assert mine[key] == admin_copy[key], key
    for key in (
        "test_answers",
        "reflections",
        "certificates",
        "enrolments",
        "completions",
        "answers",
        "page_views",
    ):
        assert mine[key], key
    assert mine["account"]["group_name"] == "Amt Nord"
    assert mine["test_answers"][0]["response"] == {"text": NAME}
    assert {"user.update", "user.link.reset"} <= {e["action"] for e in mine["audit_log"]}
