from __future__ import annotations

import asyncio
import io
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from learning.cli.main import main
from learning.store.db import open_database


def _run_cli(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {
        "LEARNING_DATABASE": str(tmp_path / "cli.sqlite3"),
        "PATH": "/usr/bin:/bin",
    }
    return subprocess.run(
        [sys.executable, "-m", "learning", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_users_add_reads_password_from_stdin(tmp_path: Path) -> None:
    result = _run_cli(
        tmp_path,
        "users",
        "add",
        "admin@example.org",
        "--role",
        "admin",
        "--name",
        "Ada",
        stdin="ein sehr langes Passwort\n",
    )
    assert result.returncode == 0, result.stderr
    assert "admin@example.org" in result.stdout

    async def read() -> list[tuple[str, str, str]]:
        async with open_database(tmp_path / "cli.sqlite3", readers=1) as db:
            rows = await db.fetchall("SELECT email, name, role FROM users")
            return [(r["email"], r["name"], r["role"]) for r in rows]

    assert asyncio.run(read()) == [("admin@example.org", "Ada", "admin")]
    # The secret key was created next to the database, readable only by its owner.
    key = tmp_path / "secret_key"
    assert key.stat().st_mode & 0o777 == 0o600


def test_users_add_refuses_weak_password_and_duplicate(tmp_path: Path) -> None:
    weak = _run_cli(tmp_path, "users", "add", "a@example.org", "--role", "learner", stdin="kurz\n")
    assert weak.returncode == 2
    assert "mindestens 12 Zeichen" in weak.stderr
    assert "Traceback" not in weak.stderr
    ok = _run_cli(
        tmp_path, "users", "add", "a@example.org", "--role", "learner", stdin="lang genug und gut\n"
    )
    assert ok.returncode == 0
    dup = _run_cli(
        tmp_path, "users", "add", "A@example.org", "--role", "learner", stdin="lang genug und gut\n"
    )
    assert dup.returncode == 2
    assert "bereits vergeben" in dup.stderr


def test_migrate_twice(tmp_path: Path) -> None:
    first = _run_cli(tmp_path, "migrate")
    assert first.returncode == 0 and "angewendet" in first.stdout
    second = _run_cli(tmp_path, "migrate")
    assert second.returncode == 0 and "aktuell" in second.stdout


def test_unknown_command_exits_with_usage(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["frobnicate"])
    assert exc.value.code == 2
    _ = io.StringIO()


def test_check_without_a_folder_reads_learning_courses(tmp_path: Path) -> None:
    """`learning check` checks the folder the server serves, not ./courses."""
    from tests.helpers import LESSON_MD, write_course

    write_course(tmp_path / "elsewhere", {"01-a.md": LESSON_MD.replace("## Seite", "# Kaputt")})
    result = subprocess.run(
        [sys.executable, "-m", "learning", "check"],
        capture_output=True,
        text=True,
        env={
            "LEARNING_COURSES": str(tmp_path / "elsewhere" / "courses"),
            "LEARNING_DATABASE": str(tmp_path / "var" / "cli.sqlite3"),
            "PATH": "/usr/bin:/bin",
        },
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "courses/k/01-a.md:6: E204" in result.stdout
    # Checking needs no secret key, so it creates none.
    assert not (tmp_path / "var").exists()


def test_retiring_an_unknown_course_fails_and_records_nothing(tmp_path: Path) -> None:
    result = _run_cli(tmp_path, "courses", "retire", "gibt-es-nicht")
    assert result.returncode == 1
    assert "Kurs 'gibt-es-nicht' ist nicht bekannt" in result.stderr

    async def read() -> int:
        async with open_database(tmp_path / "cli.sqlite3", readers=1) as db:
            count: int = await db.scalar("SELECT count(*) FROM course_retirements")
            return count

    assert asyncio.run(read()) == 0


def test_serve_on_a_busy_port_says_so_in_one_german_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _run_cli(tmp_path, "serve", "--host", "127.0.0.1", "--port", str(port))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"Port {port} ist schon belegt" in lines[0]
    assert "Errno" not in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("command", [["migrate"], ["serve", "--port", "0"]])
def test_an_unreachable_postgresql_is_one_german_line_and_exit_1(
    tmp_path: Path, command: list[str]
) -> None:
    # A socket folder where no server listens: nothing answers.
    url = f"postgresql://learning@/learning?host={tmp_path}"
    result = _run_cli(tmp_path, "--database", url, *command)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Fehler: Datenbank postgresql://")
    assert "der Server ist nicht erreichbar" in lines[0]
    assert "Traceback" not in result.stderr


def test_a_postgresql_url_that_is_no_url_is_one_german_line(tmp_path: Path) -> None:
    result = _run_cli(tmp_path, "--database", "postgresql://learning@host:notaport/db", "migrate")
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "die Adresse ist ungültig" in lines[0], result.stderr
