"""Rendering safety and link handling of the shared markdown-it instance."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from learning.content.markdown import Target, classify_url, markdown, parse
from tests.helpers import compile_files, page


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("https://example.org/a", Target("external", "https://example.org/a")),
        ("mailto:a@b.de", Target("mailto", "mailto:a@b.de")),
        ("#oben", Target("anchor", "#oben")),
        ("glossar:kultur", Target("glossar", "kultur")),
        ("media/bild.svg", Target("media", "bild.svg")),
        ("media/%C3%BC.svg", Target("media", "ü.svg")),
    ],
)
def test_allowed_urls(url: str, target: Target) -> None:
    assert classify_url(url) == target


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,x",
        "vbscript:x",
        "../geheim.md",
        "/absolute",
        "//evil.example",
        "media/../course.md",
        "http:foo",
        "java%09script:x",
    ],
)
def test_forbidden_urls(url: str) -> None:
    assert classify_url(url) is None


def test_markdown_instance_is_built_once() -> None:
    assert markdown() is markdown()


def test_raw_html_is_escaped() -> None:
    tokens, _ = parse("<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n")
    html = markdown().renderer.render(tokens, markdown().options, {})
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_forbidden_link_never_renders_an_href(tmp_path: Path) -> None:
    # The compiler refuses the course; the renderer must still drop the href on its own.
    tokens, _ = parse("[x](javascript:alert(1))\n")
    html = markdown().renderer.render(tokens, markdown().options, {"course_id": "k"})
    link = BeautifulSoup(html, "html.parser").find("a")
    assert link is not None and link.get("href") is None
    result = compile_files(tmp_path, {"01-a.md": page("[x](javascript:alert(1))\n")})
    assert result.course is None


def test_mailto_and_anchor_links_are_kept(tmp_path: Path) -> None:
    result = compile_files(tmp_path, {"01-a.md": page("[M](mailto:a@b.de) [A](#oben)\n")})
    assert result.course is not None
    html = result.course.pages[0].blocks[0].html  # type: ignore[union-attr]
    links = BeautifulSoup(html, "html.parser").find_all("a")
    assert [(a["href"], a.get("rel")) for a in links] == [("mailto:a@b.de", None), ("#oben", None)]


def test_media_link_to_a_document(tmp_path: Path) -> None:
    files: dict[str, str | bytes | None] = {
        "media/info.pdf": b"%PDF-1.4",
        "01-a.md": page("[Merkblatt](media/info.pdf)\n"),
    }
    result = compile_files(tmp_path, files)
    assert result.course is not None
    assert 'href="/courses/k/media/info.pdf"' in result.course.pages[0].blocks[0].html  # type: ignore[union-attr]


def test_footnote_numbers_restart_on_each_page(tmp_path: Path) -> None:
    body = (
        "## Eins {#eins}\n\nA[^a] und B[^b] und wieder A[^a].\n\n"
        "## Zwei {#zwei}\n\nNur B[^b].\n\n[^a]: Fußnote A.\n[^b]: Fußnote B.\n"
    )
    result = compile_files(tmp_path, {"01-a.md": f"---\nid: a\ntitle: A\n---\n\n{body}"})
    assert result.course is not None
    first, second = result.course.lessons[0].pages
    notes = BeautifulSoup(first.footnotes_html, "html.parser")
    assert [li["id"] for li in notes.find_all("li")] == ["fn-1", "fn-2"]
    backs = [a["href"] for a in notes.select("li#fn-1 a.footnote-backref")]
    assert backs == ["#fnref-1", "#fnref-1-2"]
    text = BeautifulSoup(second.footnotes_html, "html.parser").get_text()
    assert "Fußnote B." in text and "Fußnote A." not in text
    assert 'href="#fn-1"' in second.blocks[0].html  # type: ignore[union-attr]


def test_hinweis_with_title_and_details_without(tmp_path: Path) -> None:
    body = "::: hinweis Achtung\nText.\n:::\n\n::: details\nMehr.\n:::\n"
    result = compile_files(tmp_path, {"01-a.md": page(body)})
    assert result.course is not None
    parsed = BeautifulSoup(result.course.pages[0].blocks[0].html, "html.parser")  # type: ignore[union-attr]
    title = parsed.select_one("aside.hinweis p.hinweis-titel")
    assert title is not None and title.get_text() == "Achtung"
    summary = parsed.select_one("details summary")
    assert summary is not None and summary.get_text() == "Details"


def test_a_file_ending_in_an_empty_quoted_line_parses() -> None:
    # The container plugin read past the end of such a file and raised IndexError,
    # which stopped `learning check` and the server's start with a stack trace.
    tokens, _env = parse("> ::: question {#q}\n> ")
    assert [t.type for t in tokens][:2] == ["blockquote_open", "container_block_open"]
