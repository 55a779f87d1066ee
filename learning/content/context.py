"""What every stage compiling one source file needs to hand around."""

from __future__ import annotations

from dataclasses import dataclass

from learning.content.diagnostics import Diagnostics
from learning.content.markdown import Renderer


@dataclass
class FileContext:
    path: str
    diags: Diagnostics
    renderer: Renderer

    def error(self, line: int, code: str, message: str) -> None:
        self.diags.error(self.path, line, code, message)

    def warning(self, line: int, code: str, message: str) -> None:
        self.diags.warning(self.path, line, code, message)
