"""`make run` installs the service's dependencies only; test and lint add the dev tools."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _dry_run(target: str) -> str:
    make = shutil.which("make")
    assert make, "make is needed to run the service"
    # -B: as on a fresh machine, every stamp out of date; -n: print, do not run.
    result = subprocess.run(
        [make, "-n", "-B", target], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return result.stdout


def test_make_run_installs_without_the_dev_extra() -> None:
    commands = _dry_run("run")
    assert "pip install --quiet -e .\n" in commands
    assert "[dev]" not in commands
    assert "learning serve" in commands


def test_make_lint_and_test_install_the_dev_extra() -> None:
    for target in ("lint", "test"):
        assert "-e '.[dev]'" in _dry_run(target), target


def test_the_browser_deps_provide_java_and_the_html_checker() -> None:
    script = (ROOT / "scripts/install-browser-deps").read_text(encoding="utf-8")
    assert "default-jre-headless" in script
    assert "vnu-jar" in (ROOT / "package.json").read_text(encoding="utf-8")
