"""Reading course files: text with `\\n` line ends, or a diagnostic that says why not."""

from __future__ import annotations

import re
from pathlib import Path

from learning.content.diagnostics import Diagnostics


def relative_path(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


# Control characters other than tab and line end: invisible in an editor, invalid in HTML.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def read_text(path: Path, rel: str, diags: Diagnostics) -> str | None:
    """The file as text with `\\n` line ends, or None (reported as E101)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        diags.error(rel, 1, "E101", f"Datei nicht lesbar: {exc.strerror or exc}.")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        diags.error(rel, line, "E101", "Datei ist nicht UTF-8-kodiert (als UTF-8 speichern).")
        return None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    control = _CONTROL_RE.search(text)
    if control is not None:
        line = text.count("\n", 0, control.start()) + 1
        diags.error(
            rel,
            line,
            "E115",
            f"Steuerzeichen U+{ord(control.group()):04X} in der Datei: bitte entfernen"
            " (oft beim Kopieren aus einem anderen Programm mitgekommen).",
        )
        return None
    return text
