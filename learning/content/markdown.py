"""The one place that builds and configures markdown-it: parsing, safe rendering, link checks."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields
from html import escape
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote, unquote

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin

from learning.content.headings import HeadingLevels, leveled
from learning.content.parse_cache import ParseCache
from learning.content.tuning import tune

QUESTION_CONTAINERS = (
    "question",
    "truefalse",
    "text",
    "ordering",
    "matching",
    "reflection",
    "scenario",
)
PROSE_CONTAINERS = ("hinweis", "details")
CONTAINERS = frozenset((*QUESTION_CONTAINERS, *PROSE_CONTAINERS))
IMAGE_SUFFIXES = frozenset({".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp"})

_CONTAINER_NAME_RE = re.compile(r"[a-z]+")
_SCHEME_RE = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")

Env = dict[str, Any]
# Read from the class, so that a markdown-it release with another field is still copied whole.
_TOKEN_FIELDS = tuple(f.name for f in fields(Token))


class _MarkdownIt(MarkdownIt):
    def validateLink(self, url: str) -> bool:
        # Accept every link while parsing so the compiler can report forbidden ones
        # with a line number; rendering drops any href that fails `classify_url`.
        return True


@functools.cache
def markdown() -> MarkdownIt:
    """The process-wide parser; building it costs more than parsing a page."""
    md = configured()
    tune(md)
    return md


def configured() -> MarkdownIt:
    """A parser with the course format's syntax and rendering, before `tune`."""
    md = _MarkdownIt("default", {"html": False, "linkify": False, "typographer": False})
    md.use(footnote_plugin, inline=False)
    # One container rule for all block types: nine separate rules would each be
    # tried on every line, which dominated the compile time.
    md.use(container_plugin, "block", validate=_is_known_container, render=_render_container)
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("footnote_ref", _render_footnote_ref)
    return md


def _html_renderer(md: MarkdownIt) -> RendererHTML:
    renderer = md.renderer
    assert isinstance(renderer, RendererHTML)  # noqa: S101 - markdown() never swaps it
    return renderer


def parse(text: str) -> tuple[list[Token], Env]:
    """Tokens and environment of a whole file.

    The tokens come from a per-process cache and are shared with every later compile
    of the same text: never change one, change a copy (see `Renderer.drop_prefix`).
    """
    return _parse_cache()(text)


@functools.cache
def _parse_cache() -> ParseCache:
    return ParseCache(_parse)


def _parse(text: str) -> tuple[list[Token], Env]:
    env: Env = {}
    # The container plugin reads past the end of a file whose last line is an empty
    # blockquote line without a line end (`> ::: question` then `> `): give it one.
    tokens = markdown().parse(text if text.endswith("\n") else text + "\n", env)
    stack: list[Token] = []
    for token in tokens:
        if token.type == "container_block_open":
            stack.append(token)
        elif token.type == "container_block_close" and stack:
            # Close tokens carry no info; copy it so each can be rendered on its own.
            token.info = stack.pop().info
    return tokens, env


def container_kind(token: Token) -> str | None:
    """The block type (`question`, `hinweis`, ...) of a container open token."""
    if token.type != "container_block_open":
        return None
    match = _CONTAINER_NAME_RE.match(token.info.strip())
    return match.group(0) if match else None


def _is_known_container(params: str, markup: str) -> bool:
    match = _CONTAINER_NAME_RE.match(params.strip())
    return match is not None and match.group(0) in CONTAINERS


# -- URLs ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Target:
    kind: str  # "external", "mailto", "anchor", "glossar", "media"
    value: str  # the URL, anchor, term id or media file name


def classify_url(url: str) -> Target | None:
    """What a link points at, or None when the target is not allowed."""
    if url.startswith("#"):
        return Target("anchor", url)
    scheme = _SCHEME_RE.match(url)
    if scheme is not None:
        name, rest = scheme.group(1).lower(), url[scheme.end() :]
        if name in ("http", "https") and rest.startswith("//") and len(rest) > 2:
            return Target("external", url)
        if name == "mailto" and rest:
            return Target("mailto", url)
        if name == "glossar" and rest:
            return Target("glossar", rest)
        return None
    if url.startswith("media/"):
        file = unquote(url[len("media/") :])
        parts = PurePosixPath(file).parts
        if file and "\\" not in file and ".." not in parts and not file.startswith("/"):
            return Target("media", file)
    return None


def public_href(target: Target, course_id: str) -> str:
    if target.kind == "glossar":
        return f"/courses/{quote(course_id)}/glossar#{quote(target.value)}"
    if target.kind == "media":
        return f"/courses/{quote(course_id)}/media/{quote(target.value)}"
    return target.value


# -- render rules -------------------------------------------------------------------------


def _render_container(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Env) -> str:
    token = tokens[idx]
    match = _CONTAINER_NAME_RE.match(token.info.strip())
    kind = match.group(0) if match else ""
    if kind == "hinweis":
        return _render_hinweis(token)
    if kind == "details":
        return _render_details(token)
    # Questions are rendered by the web layer from model fields, never as prose.
    return ""


def _container_title(token: Token, name: str) -> str:
    return token.info.strip()[len(name) :].strip()


def _render_hinweis(token: Token) -> str:
    if token.nesting == -1:
        return "</aside>\n"
    title = _container_title(token, "hinweis")
    heading = f'<p class="hinweis-titel">{escape(title)}</p>\n' if title else ""
    return f'<aside class="hinweis">\n{heading}'


def _render_details(token: Token) -> str:
    if token.nesting == -1:
        return "</details>\n"
    title = _container_title(token, "details") or "Details"
    return f"<details>\n<summary>{escape(title)}</summary>\n"


def _render_link_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Env) -> str:
    token = tokens[idx]
    # Edit a copy: parsed tokens are shared by later compiles (see `parse`).
    original, token.attrs = token.attrs, dict(token.attrs)
    target = classify_url(str(token.attrGet("href") or ""))
    if target is None:
        token.attrs.pop("href", None)
    else:
        token.attrSet("href", public_href(target, env.get("course_id", "")))
        if target.kind == "external":
            token.attrSet("rel", "noopener noreferrer")
    try:
        result: str = self.renderToken(tokens, idx, options, env)
    finally:
        token.attrs = original
    return result


def _render_image(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Env) -> str:
    token = tokens[idx]
    original, token.attrs = token.attrs, dict(token.attrs)
    target = classify_url(str(token.attrGet("src") or ""))
    if target is None or target.kind != "media":
        token.attrSet("src", "")
    else:
        token.attrSet("src", public_href(target, env.get("course_id", "")))
    try:
        result: str = self.image(tokens, idx, options, env)
    finally:
        token.attrs = original
    return result


def _render_footnote_ref(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Env
) -> str:
    footnote_id = tokens[idx].meta["id"]
    numbers: dict[int, int] = env.setdefault("fn_numbers", {})
    number = numbers.setdefault(footnote_id, len(numbers) + 1)
    seen: dict[int, int] = env.setdefault("fn_seen", {})
    sub = seen.get(footnote_id, 0)
    seen[footnote_id] = sub + 1
    ref_id = _ref_id(number, sub)
    return f'<sup class="footnote-ref"><a href="#fn-{number}" id="{ref_id}">[{number}]</a></sup>'


def _ref_id(number: int, sub: int) -> str:
    return f"fnref-{number}" if sub == 0 else f"fnref-{number}-{sub + 1}"


# -- token helpers ------------------------------------------------------------------------


def blocks_of(tokens: Sequence[Token]) -> list[list[Token]]:
    """Split a balanced token run into its top-level blocks."""
    blocks: list[list[Token]] = []
    current: list[Token] = []
    depth = 0
    for token in tokens:
        current.append(token)
        depth += token.nesting
        if depth <= 0:
            blocks.append(current)
            current = []
            depth = 0
    if current:
        blocks.append(current)
    return blocks


def line_of(tokens: Sequence[Token], default: int = 1) -> int:
    """1-based source line of the first token that carries a map."""
    for token in tokens:
        if token.map is not None:
            return token.map[0] + 1
    return default


def plain_text(children: Sequence[Token] | None) -> str:
    parts: list[str] = []
    for token in children or ():
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.type == "image":
            parts.append(plain_text(token.children))
    return " ".join("".join(parts).split())


# -- rendering a page ---------------------------------------------------------------------


@dataclass
class Renderer:
    """Renders parts of one parsed file; footnotes are numbered per page."""

    course_id: str
    parse_env: Env
    tokens: Sequence[Token]
    env: Env = field(default_factory=dict)
    _footnotes: dict[int, list[Token]] = field(default_factory=dict)
    _levels: HeadingLevels = field(default_factory=HeadingLevels)

    def __post_init__(self) -> None:
        self.env = {"course_id": self.course_id}
        current: list[Token] | None = None
        for token in self.tokens:
            if token.type == "footnote_open":
                current = self._footnotes.setdefault(token.meta["id"], [])
            elif token.type == "footnote_close":
                current = None
            elif current is not None and token.type != "footnote_anchor":
                current.append(token)

    def start_page(self) -> None:
        self.env = {"course_id": self.course_id, "fn_numbers": {}, "fn_seen": {}}
        self._levels = HeadingLevels()

    def blocks(self, tokens: Sequence[Token]) -> str:
        """HTML of block tokens; headings continue the page's levels below its h1."""
        md = markdown()
        return _html_renderer(md).render(leveled(tokens, self._levels), md.options, self.env)

    def inline(self, children: Sequence[Token] | None) -> str:
        md = markdown()
        return _html_renderer(md).renderInline(list(children or ()), md.options, self.env)

    def reparse_inline(self, text: str) -> list[Token]:
        tokens = markdown().parseInline(text, self.parse_env)
        return list(tokens[0].children or ()) if tokens else []

    def drop_prefix(self, inline: Token, length: int) -> Token:
        """The inline token without its first `length` source characters (a marker)."""
        prefix, content = inline.content[:length], inline.content[length:]
        children = list(inline.children or ())
        first = children[0] if children else None
        if first is not None and first.type == "text" and first.content.startswith(prefix):
            # Cheaper than parsing again, and the usual case: the marker is plain text.
            if first.content == prefix:
                children.pop(0)
            else:
                children[0] = _edited(first, content=first.content[length:])
        else:
            children = self.reparse_inline(content)
        return _edited(inline, content=content, children=children)

    def drop_suffix(self, inline: Token, length: int) -> Token:
        """The inline token without its last `length` source characters (an `{#id}`)."""
        cut = len(inline.content) - length
        suffix, content = inline.content[cut:], inline.content[:cut]
        children = list(inline.children or ())
        last = children[-1] if children else None
        if last is not None and last.type == "text" and last.content.endswith(suffix):
            if last.content == suffix:
                children.pop()
            else:
                children[-1] = _edited(last, content=last.content[: len(last.content) - length])
        else:
            children = self.reparse_inline(content)
        return _edited(inline, content=content, children=children)

    def footnotes_html(self) -> str:
        numbers: dict[int, int] = self.env.get("fn_numbers", {})
        if not numbers:
            return ""
        seen: dict[int, int] = self.env.get("fn_seen", {})
        items = []
        for footnote_id, number in sorted(numbers.items(), key=lambda item: item[1]):
            body = self.blocks(self._footnotes.get(footnote_id, []))
            back = " ".join(
                f'<a href="#{_ref_id(number, sub)}" class="footnote-backref"'
                f' aria-label="Zurück zum Text">↩</a>'
                for sub in range(seen.get(footnote_id, 1))
            )
            items.append(f'<li id="fn-{number}">\n{body}<p class="footnote-back">{back}</p>\n</li>')
        return '<section class="footnotes">\n<ol>\n' + "\n".join(items) + "\n</ol>\n</section>\n"


def _edited(token: Token, **changes: Any) -> Token:
    """`token.copy(**changes)` without dataclasses.replace, at half its cost: it runs
    for every option marker and `{#id}` removed, over a thousand times per compile."""
    new = Token.__new__(Token)
    for name in _TOKEN_FIELDS:
        setattr(new, name, changes[name] if name in changes else getattr(token, name))
    return new


# -- checks -------------------------------------------------------------------------------


def stray_fences(tokens: Sequence[Token]) -> Iterator[tuple[int, str]]:
    """Lines that look like `:::` but are not a known container: (line, text)."""
    for token in tokens:
        if token.type != "inline" or token.map is None or ":::" not in token.content:
            continue
        for offset, text in enumerate(token.content.split("\n")):
            if text.strip().startswith(":::"):
                yield token.map[0] + 1 + offset, text.strip()
