"""A parsed Markdown file into pages (`##`), prose blocks and questions."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from markdown_it.token import Token

from learning.content.context import FileContext
from learning.content.markdown import (
    PROSE_CONTAINERS,
    QUESTION_CONTAINERS,
    blocks_of,
    container_kind,
    line_of,
    plain_text,
    stray_fences,
)
from learning.content.model import HtmlBlock, Page, PageBlock
from learning.content.questions import info_id, parse_question
from learning.content.slug import is_valid_id, slugify, split_id_attr

_FENCE_RE = re.compile(r":{3,}\s*")
_QUESTION_OPEN = {f"container_{name}_open": name for name in QUESTION_CONTAINERS}
_ALL_OPEN = {f"container_{name}_open": name for name in (*QUESTION_CONTAINERS, *PROSE_CONTAINERS)}


@dataclass
class IdRegistry:
    """Ids that must be unique across a whole course: where each was first seen."""

    pages: dict[str, tuple[str, int]] = field(default_factory=dict)
    questions: dict[str, tuple[str, int]] = field(default_factory=dict)


@dataclass
class Section:
    heading: Token
    line: int
    blocks: list[list[Token]] = field(default_factory=list)


def body_tokens(tokens: Sequence[Token]) -> list[Token]:
    """The document without the footnote definitions markdown-it moves to its end."""
    body: list[Token] = []
    for token in tokens:
        if token.type == "footnote_block_open":
            break
        body.append(token)
    return body


def check_fences(tokens: Sequence[Token], lines: Sequence[str], ctx: FileContext) -> None:
    """Report unknown `:::` blocks and containers that are never closed."""
    known = ", ".join((*QUESTION_CONTAINERS, *PROSE_CONTAINERS))
    for line, text in stray_fences(tokens):
        name = text.lstrip(":").strip()
        if name:
            ctx.error(line, "E205", f"Unbekannter Blocktyp '{text}' (erlaubt: {known}).")
        else:
            ctx.error(line, "E205", "':::' ohne öffnenden Block.")
    for token in tokens:
        kind = container_kind(token)
        if kind is not None and token.map is not None:
            end = token.map[1]
            if end >= len(lines) or _FENCE_RE.fullmatch(lines[end].strip()) is None:
                ctx.error(
                    token.map[0] + 1,
                    "E206",
                    f"Block '::: {kind}' wird nicht mit ':::' geschlossen.",
                )


def sections(body: Sequence[Token], ctx: FileContext, before_first: str) -> list[Section]:
    """Split the body at `##` headings; anything but blank lines before the first is an error."""
    result: list[Section] = []
    reported = False
    for block in blocks_of(body):
        first = block[0]
        if first.type == "heading_open" and first.tag == "h1":
            ctx.error(
                line_of(block),
                "E204",
                "Überschrift der Ebene 1 ('#') ist nicht erlaubt: Seiten beginnen mit '##'.",
            )
        elif first.type == "heading_open" and first.tag == "h2":
            result.append(Section(block[1], line_of(block)))
        elif result:
            result[-1].blocks.append(block)
        elif not reported:
            ctx.error(line_of(block), "E201", before_first)
            reported = True
    return result


def heading_id(section: Section, ctx: FileContext, what: str) -> tuple[str, str] | None:
    """(id, plain title) of a `## Title {#id}` heading; the section keeps it without `{#id}`."""
    text, explicit = split_id_attr(section.heading.content)
    section.heading = ctx.renderer.drop_suffix(
        section.heading, len(section.heading.content) - len(text)
    )
    title = plain_text(section.heading.children)
    ident = explicit if explicit is not None else slugify(title)
    if not ident:
        ctx.error(section.line, "E208", f"{what} '{title}' ergibt keine ID: '{{#id}}' anhängen.")
        return None
    if not is_valid_id(ident):
        ctx.error(
            section.line,
            "E107",
            f"Ungültige ID '{ident}': erlaubt sind a-z, 0-9 und Bindestriche.",
        )
        return None
    return ident, title


def prose(blocks: Sequence[list[Token]], ctx: FileContext, where: str) -> str:
    """Render blocks that may not contain questions."""
    tokens = [t for b in blocks for t in b]
    for token in tokens:
        if container_kind(token) in QUESTION_CONTAINERS:
            ctx.error(line_of([token]), "E207", f"Fragen sind {where} nicht erlaubt.")
    return ctx.renderer.blocks(tokens)


def build_pages(
    tokens: Sequence[Token],
    lines: Sequence[str],
    ctx: FileContext,
    lesson_id: str,
    registry: IdRegistry,
    first_number: int,
) -> list[Page]:
    body = body_tokens(tokens)
    found = sections(
        body, ctx, "Text vor der ersten Seitenüberschrift: jede Seite beginnt mit '## Titel'."
    )
    starts = [s.line for s in found] + [len(lines) + 1]
    pages: list[Page] = []
    for index, section in enumerate(found):
        ident = heading_id(section, ctx, "Seitenüberschrift")
        blocks = _page_blocks(section, ctx, registry)
        if ident is None:
            continue
        page_id, title = ident
        seen = registry.pages.get(page_id)
        if seen is not None:
            ctx.error(
                section.line,
                "E202",
                f"Seiten-ID '{page_id}' gibt es schon ({seen[0]}:{seen[1]}).",
            )
            continue
        registry.pages[page_id] = (ctx.path, section.line)
        source = "\n".join(lines[section.line - 1 : starts[index + 1] - 1])
        pages.append(
            Page(
                id=page_id,
                title=title,
                lesson_id=lesson_id,
                blocks=blocks,
                footnotes_html=ctx.renderer.footnotes_html(),
                number=first_number + len(pages),
                line=section.line,
                source_hash=hashlib.sha256(source.encode()).hexdigest()[:16],
            )
        )
    return pages


def _page_blocks(section: Section, ctx: FileContext, registry: IdRegistry) -> tuple[PageBlock, ...]:
    ctx.renderer.start_page()
    blocks: list[PageBlock] = []
    pending: list[list[Token]] = []

    def flush() -> None:
        if pending:
            html = prose(pending, ctx, "in Hinweisen, Details und Listen")
            if html.strip():
                blocks.append(HtmlBlock(html))
            pending.clear()

    for block in section.blocks:
        kind = container_kind(block[0])
        if kind not in QUESTION_CONTAINERS or kind is None:
            pending.append(block)
            continue
        flush()
        qid = info_id(block[0])
        line = line_of(block)
        if qid:
            seen = registry.questions.get(qid)
            if seen is not None:
                ctx.error(line, "E302", f"Frage-ID '{qid}' gibt es schon ({seen[0]}:{seen[1]}).")
                continue
            registry.questions[qid] = (ctx.path, line)
        question = parse_question(kind, block, ctx)
        if question is not None:
            blocks.append(question)
    flush()
    return tuple(blocks)
