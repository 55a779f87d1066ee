"""Every exception to ruff's security rules says why, where it is made."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOQA = re.compile(r"#\s*noqa:\s*([A-Z0-9, ]+)(.*)$")


def test_security_rules_are_on() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "S" in config["tool"]["ruff"]["lint"]["select"]


def test_every_security_noqa_has_a_reason() -> None:
    unjustified = []
    for folder in ("learning", "tests", "benchmarks"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                match = NOQA.search(line)
                if not match or not any(c.strip().startswith("S") for c in match[1].split(",")):
                    continue
                reason = match[2].strip().lstrip("-–—:").strip()
                if len(reason) < 8:
                    unjustified.append(f"{path.relative_to(ROOT)}:{number}")
    assert unjustified == []


def test_per_file_security_ignores_are_explained() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    section = text.split("[tool.ruff.lint.per-file-ignores]", 1)[1].split("\n[", 1)[0]
    for line in section.strip().splitlines():
        if line.startswith('"'):
            assert "#" in line, f"no reason given for: {line}"
