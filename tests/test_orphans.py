from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from learning.cli.main import main
from learning.core.clock import utc_now
from learning.store import answers, users
from learning.store import page_views as progress
from learning.store.db import open_database
from learning.store.migrate import migrate
from tests.helpers import FIXTURE_COURSES


def _seed(path: Path) -> None:
    async def run() -> None:
        async with open_database(path, readers=1) as db:
            await migrate(db)
            now = utc_now()
            async with db.transaction() as tx:
                uid = await users.insert_user(
                    tx, email="l@example.org", name="L", role="learner", now=now
                )
                await progress.enrol(tx, uid, "fixture-kurs", now)
                await answers.add_answers(
                    tx,
                    [
                        answers.NewAnswer(
                            uid,
                            "fixture-kurs",
                            "umbenannte-frage",
                            "x",
                            {"selected": [1]},
                            True,
                            now,
                        )
                    ],
                )
                await answers.add_answers(
                    tx,
                    [
                        answers.NewAnswer(
                            uid, "fixture-kurs", "eisberg-1", "x", {"selected": [2]}, True, now
                        )
                    ],
                )

    asyncio.run(run())


def test_check_reports_orphaned_ids_from_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "o.sqlite3"
    _seed(database)
    code = main(["check", str(FIXTURE_COURSES), "--json", "--database", str(database)])
    report = json.loads(capsys.readouterr().out)
    assert code == 0  # orphans are reported, they do not fail the check
    assert report["orphans"] == {"fixture-kurs": ["question:umbenannte-frage"]}
    main(["check", str(FIXTURE_COURSES), "--database", str(database)])
    text = capsys.readouterr().out
    assert "fixture-kurs" in text and "question:umbenannte-frage" in text


def test_check_without_database_has_no_orphan_key(capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", str(FIXTURE_COURSES), "--json"])
    assert "orphans" not in json.loads(capsys.readouterr().out)
