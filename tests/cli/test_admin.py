"""`learning users import`, `learning report` and `learning purge` as subprocesses."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl

from learning.store import assignments
from learning.store.db import open_database
from learning.store.migrate import migrate
from tests.admin_support import add_user, complete, enrol, view
from tests.helpers import split_export

TESTS = Path(__file__).resolve().parent.parent


def run_cli(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "learning", *args],
        capture_output=True,
        env={
            "LEARNING_DATABASE": str(tmp_path / "cli.sqlite3"),
            "LEARNING_COURSES": str(TESTS / "courses"),
            "LEARNING_SECRET_KEY": "cli-test-secret-key-long-enough",
            "PATH": "/usr/bin:/bin",
            **(env or {}),
        },
        timeout=60,
        check=False,
    )


async def _count(path: Path, sql: str) -> int:
    async with open_database(path, readers=1) as db:
        return int(await db.scalar(sql))


def test_users_import_is_all_or_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        "\ufeffemail;name;role;group\na@example.org;A;learner;Nord\nkaputt;B;learner;\n".encode()
    )
    result = run_cli(tmp_path, "users", "import", str(bad))
    assert result.returncode == 1
    assert f"{bad}:3: Ungültige E-Mail-Adresse" in result.stderr.decode()
    assert asyncio.run(_count(tmp_path / "cli.sqlite3", "SELECT count(*) FROM users")) == 0

    good = tmp_path / "good.csv"
    good.write_text(
        "email,name,role,group\na@example.org,A,learner,Nord\nb@example.org,B,trainer,\n",
        encoding="utf-8",
    )
    result = run_cli(tmp_path, "users", "import", str(good))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert [line.split("\t")[0] for line in lines] == ["a@example.org", "b@example.org"]
    assert all("/einladung/" in line for line in lines)
    assert asyncio.run(_count(tmp_path / "cli.sqlite3", "SELECT count(*) FROM invitations")) == 2
    again = run_cli(tmp_path, "users", "import", str(good))
    assert again.returncode == 1 and "bereits ein Konto" in again.stderr.decode()


async def _seed(path: Path) -> None:
    async with open_database(path, readers=1) as db:
        await migrate(db)
        for i in range(6):
            user = await add_user(db, f"=Person {i}", group="Nord")
            await enrol(db, user, "fixture-kurs")
            await view(
                db, user, "was-ist-kultur", 60, course="fixture-kurs", at="2020-01-01 00:00:00"
            )
            if i < 3:
                await complete(db, user, 90, None, course="fixture-kurs")


def test_report_formats_and_modes(tmp_path: Path) -> None:
    asyncio.run(_seed(tmp_path / "cli.sqlite3"))
    out = tmp_path / "r.csv"
    result = run_cli(tmp_path, "report", "fixture-kurs", "--format", "csv", "-o", str(out))
    assert result.returncode == 0, result.stderr
    rows, facts = split_export(out.read_bytes())
    assert facts["Berichtsmodus"].startswith("aggregate")
    # 3 of 6 completed: both 3 and its complement are below 5, so the cell stays empty;
    # the one group would only repeat the total.
    assert [r[:5] for r in rows[1:]] == [["Gesamt", "6", "6", "6", ""]]

    named = run_cli(
        tmp_path,
        "report",
        "fixture-kurs",
        "--format",
        "xlsx",
        "--group",
        "Nord",
        "-o",
        str(tmp_path / "r.xlsx"),
        env={"LEARNING_REPORTS": "named"},
    )
    assert named.returncode == 0, named.stderr
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx")["Bericht"]
    names = sorted(row[0] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert names == [f"'=Person {i}" for i in range(6)]

    overview = run_cli(tmp_path, "report", "--format", "json")
    data = json.loads(overview.stdout)
    assert data["mode"] == "aggregate"
    assert data["rows"][0]["course"] == "fixture-kurs" and data["rows"][0]["completed"] is None
    assert run_cli(tmp_path, "report", "gibt-es-nicht").returncode == 2
    assert run_cli(tmp_path, "report", "fixture-kurs", "--group", "Süd").returncode == 2


def test_purge_removes_old_views_but_keeps_completions(tmp_path: Path) -> None:
    asyncio.run(_seed(tmp_path / "cli.sqlite3"))
    result = run_cli(tmp_path, "purge", "--older-than", "365")
    assert result.returncode == 0, result.stderr
    assert "page_views: 6" in result.stdout.decode()
    db = tmp_path / "cli.sqlite3"
    assert asyncio.run(_count(db, "SELECT count(*) FROM page_views")) == 0
    assert asyncio.run(_count(db, "SELECT count(*) FROM completions")) == 3
    assert (
        asyncio.run(_count(db, "SELECT count(*) FROM audit_log WHERE action = 'data.purge'")) == 1
    )
    assert run_cli(tmp_path, "purge", "--older-than", "0").returncode == 2


async def _assign_nord(path: Path) -> None:
    async with open_database(path, readers=1) as db:
        nord = await db.scalar("SELECT id FROM groups WHERE name = 'Nord'")
        async with db.transaction() as tx:
            await assignments.create(
                tx,
                course_id="fixture-kurs",
                group_id=nord,
                due=assignments.DueRule(on=date(2026, 3, 1)),
                renew_months=None,
                by=None,
                now=datetime(2026, 1, 1, tzinfo=UTC),
            )


def test_report_carries_due_date_and_assignment_status(tmp_path: Path) -> None:
    asyncio.run(_seed(tmp_path / "cli.sqlite3"))
    asyncio.run(_assign_nord(tmp_path / "cli.sqlite3"))
    named = {"LEARNING_REPORTS": "named"}
    result = run_cli(
        tmp_path, "report", "fixture-kurs", "--format", "json", "--pflicht", "overdue", env=named
    )
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)["rows"]
    # Three completed on 2 February (before the due date), three never did.
    assert sorted(r["name"] for r in rows) == [f"=Person {i}" for i in range(3, 6)]
    assert {(r["due"], r["assignment_status"]) for r in rows} == {("2026-03-01", "Überfällig")}
    everyone = json.loads(
        run_cli(tmp_path, "report", "fixture-kurs", "--format", "json", env=named).stdout
    )
    statuses = sorted(r["assignment_status"] for r in everyone["rows"])
    assert statuses == ["Fristgerecht abgeschlossen"] * 3 + ["Überfällig"] * 3
    assert run_cli(tmp_path, "report", "fixture-kurs", "--pflicht", "kaputt").returncode == 2
