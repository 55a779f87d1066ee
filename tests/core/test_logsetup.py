"""The server's log lines: UTC time, level, source, message; access lines alike."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from tests import live_server
from tests.conftest import TESTS

STAMP = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"


def test_server_writes_timestamped_lines(tmp_path: Path) -> None:
    database = tmp_path / "log.sqlite3"
    with live_server.running(database, TESTS / "courses", log_level="info") as url:
        assert httpx.get(url + "/healthz", timeout=5).status_code == 200
        assert httpx.get(url + "/gibt-es-nicht", timeout=5).status_code == 404
    lines = (tmp_path / "server.log").read_text(encoding="utf-8").splitlines()
    access = [line for line in lines if " access: " in line]
    assert any(
        re.fullmatch(
            rf'{STAMP} INFO access: 127\.0\.0\.1:\d+ "GET /healthz HTTP/1\.1" 200 OK', line
        )
        for line in access
    ), access
    assert any(line.endswith('"GET /gibt-es-nicht HTTP/1.1" 404 Not Found') for line in access)
    # The setup link is printed for the operator, and nothing is logged without a time.
    logged = [line for line in lines if line and not line.startswith((" ", "Noch kein"))]
    assert all(re.match(rf"{STAMP} [A-Z]+ ", line) for line in logged), logged
