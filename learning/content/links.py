"""Links and images in course text: every target checked at compile time, with its line."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from markdown_it.token import Token

from learning.content.diagnostics import Diagnostics
from learning.content.markdown import IMAGE_SUFFIXES, classify_url, plain_text
from learning.content.svg import svg_problem

# A footnote reference whose footnote is not defined stays as literal text.
_UNDEFINED_FOOTNOTE_RE = re.compile(r"\[\^([^\]\s]+)\]")


@dataclass
class LinkChecker:
    """Reports forbidden links, unknown glossary terms and bad images, with their line."""

    path: str
    diags: Diagnostics
    media_dir: Path
    glossary_ids: frozenset[str] | None  # None: glossary not compiled (it has errors)
    _svg_checked: dict[Path, str | None] = field(default_factory=dict)

    def check(self, tokens: Sequence[Token]) -> None:
        # Block tokens form a flat list; only inline tokens have (one level of) children.
        for token in tokens:
            if token.type == "inline" and token.map is not None:
                self._check_inline(token, token.map[0] + 1)

    def check_inline_children(self, children: Sequence[Token], line: int) -> None:
        token = Token("inline", "", 0)
        token.children = list(children)
        self._check_inline(token, line)

    def _check_inline(self, inline: Token, first_line: int) -> None:
        line = first_line
        for child in inline.children or ():
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "link_open":
                self._check_link(str(child.attrGet("href") or ""), line)
            elif child.type == "image":
                self._check_image(child, line)
            elif child.type == "text":
                for match in _UNDEFINED_FOOTNOTE_RE.finditer(child.content):
                    self.diags.warning(
                        self.path,
                        line,
                        "W401",
                        f"Fußnote '[^{match.group(1)}]' wird verwendet, aber nicht definiert.",
                    )

    def _check_link(self, url: str, line: int) -> None:
        target = classify_url(url)
        if target is None:
            self.diags.error(
                self.path,
                line,
                "E401",
                f"Unzulässiges Linkziel '{url}': erlaubt sind http(s)://, mailto:, "
                "glossar:, #anker und media/.",
            )
        elif target.kind == "glossar":
            if self.glossary_ids is not None and target.value not in self.glossary_ids:
                self.diags.error(
                    self.path,
                    line,
                    "E402",
                    f"Unbekannter Glossarbegriff '{target.value}' (glossary.md prüfen).",
                )
        elif target.kind == "media":
            file = self._check_media_file(target.value, line)
            is_svg = PurePosixPath(target.value).suffix.lower() == ".svg"
            problem = self._svg_problem(file) if file is not None and is_svg else None
            if problem is not None:
                self.diags.error(
                    self.path,
                    line,
                    "E406",
                    f"SVG-Datei '{target.value}' ist nicht erlaubt: {problem}.",
                )

    def _check_image(self, token: Token, line: int) -> None:
        src = str(token.attrGet("src") or "")
        target = classify_url(src)
        if target is None or target.kind != "media":
            self.diags.error(
                self.path,
                line,
                "E405",
                f"Unzulässiger Bildpfad '{src}': Bilder liegen im Ordner media/ des Kurses "
                "(media/datei.svg).",
            )
            return
        if not plain_text(token.children):
            self.diags.error(
                self.path, line, "E403", f"Bild '{src}' ohne Alternativtext: ![Beschreibung](...)."
            )
        suffix = PurePosixPath(target.value).suffix.lower()
        if suffix not in IMAGE_SUFFIXES:
            allowed = ", ".join(sorted(IMAGE_SUFFIXES))
            self.diags.error(
                self.path, line, "E405", f"Unzulässiges Bildformat '{suffix}' (erlaubt: {allowed})."
            )
            return
        file = self._check_media_file(target.value, line)
        problem = self._svg_problem(file) if file is not None and suffix == ".svg" else None
        if problem is not None:
            self.diags.error(
                self.path,
                line,
                "E406",
                f"SVG-Datei '{target.value}' ist nicht erlaubt: {problem}.",
            )

    def _check_media_file(self, name: str, line: int) -> Path | None:
        file = self.media_dir / name
        try:
            resolved = file.resolve(strict=True)
            inside = resolved.is_relative_to(self.media_dir.resolve(strict=True))
            exists = resolved.is_file()
        except (OSError, RuntimeError, ValueError):  # missing, or a link loop
            inside = exists = False
        if exists and not inside:
            self.diags.error(
                self.path,
                line,
                "E407",
                f"Mediendatei 'media/{name}' ist ein Link auf eine Datei außerhalb von media/; "
                "sie wird nicht ausgeliefert (Datei statt Link in media/ ablegen).",
            )
            return None
        if not exists:
            self.diags.error(self.path, line, "E404", f"Mediendatei 'media/{name}' nicht gefunden.")
            return None
        return file

    def _svg_problem(self, file: Path) -> str | None:
        if file not in self._svg_checked:
            try:
                self._svg_checked[file] = svg_problem(file.read_bytes())
            except OSError as exc:
                self._svg_checked[file] = f"nicht lesbar ({exc.strerror or exc})"
        return self._svg_checked[file]
