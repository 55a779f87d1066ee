"""The SVG allow-list: what the bundled courses draw passes, everything that could run,
fetch or expand is refused with a German reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from learning.content.svg import svg_problem
from tests.helpers import FIXTURE, compile_files, line_no, page

ROOT = Path(__file__).parents[2]
BUNDLED = sorted([*(ROOT / "courses").glob("*/media/*.svg"), *FIXTURE.glob("media/*.svg")])
NS = 'xmlns="http://www.w3.org/2000/svg"'

HOSTILE = {
    "prefixed-script": (
        '<svg:svg xmlns:svg="http://www.w3.org/2000/svg"><svg:script>alert(1)</svg:script>'
        "</svg:svg>"
    ),
    "script": f"<svg {NS}><script>alert(1)</script></svg>",
    "onload": f'<svg {NS} onload="alert(1)"/>',
    "prefixed-onload": f'<svg {NS} xmlns:x="urn:x"><g x:onclick="alert(1)"/></svg>',
    "entity-javascript": (
        f'<svg {NS} xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:href="&#106;avascript:'
        'alert(1)"><text>x</text></a></svg>'
    ),
    "use-entity-javascript": (
        f'<svg {NS} xmlns:xlink="http://www.w3.org/1999/xlink"><use xlink:href="&#106;'
        'avascript:alert(1)"/></svg>'
    ),
    "use-external": f'<svg {NS}><use href="https://evil.example/x.svg#a"/></svg>',
    "foreign-object": (
        f'<svg {NS}><foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p>'
        "</foreignObject></svg>"
    ),
    "iframe-other-namespace": f'<svg {NS}><iframe xmlns="http://www.w3.org/1999/xhtml"/></svg>',
    "animate-href": f'<svg {NS}><set attributeName="href" to="javascript:alert(1)"/></svg>',
    "image": f'<svg {NS}><image href="https://evil.example/t.png"/></svg>',
    "style-element": f"<svg {NS}><style>@import url(https://evil.example/a.css);</style></svg>",
    "style-import": f"<svg {NS}><g style=\"@import 'x'\"/></svg>",
    "fill-url": f'<svg {NS}><rect fill="url(https://evil.example/p)"/></svg>',
    "doctype-entity": (
        f'<!DOCTYPE svg [<!ENTITY x "javascript:alert(1)">]><svg {NS}><use href="&x;"/></svg>'
    ),
    "billion-laughs": (
        '<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        f"<svg {NS}><text>&b;</text></svg>"
    ),
    "stylesheet-instruction": (f'<?xml-stylesheet href="https://evil.example/a.css"?><svg {NS}/>'),
    "no-namespace": "<svg><rect/></svg>",
    "not-xml": f"<svg {NS}><rect></svg>",
    "html-root": '<html xmlns="http://www.w3.org/2000/svg"/>',
}


@pytest.mark.parametrize("svg", BUNDLED, ids=[f"{p.parent.parent.name}/{p.name}" for p in BUNDLED])
def test_bundled_svgs_pass(svg: Path) -> None:
    assert svg_problem(svg.read_bytes()) is None


def test_local_references_and_text_pass() -> None:
    drawing = (
        f'<?xml version="1.0" encoding="UTF-8"?><svg {NS} '
        'xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10" xml:lang="de">'
        '<defs><marker id="m"><path d="M0 0L1 1"/></marker><linearGradient id="g">'
        '<stop offset="0" stop-color="#fff"/></linearGradient></defs>'
        '<line x1="0" y1="0" x2="5" y2="5" marker-end="url(#m)" fill="url(\'#g\')"/>'
        '<use xlink:href="#m"/><text style="font-weight: bold">&lt;Grüße&gt; &amp; mehr</text>'
        "</svg>"
    )
    assert svg_problem(drawing.encode()) is None


REASONS = {
    "prefixed-script": "Element 'script' ist nicht erlaubt",
    "script": "Element 'script' ist nicht erlaubt",
    "onload": "Attribut 'onload' an <svg> ist nicht erlaubt",
    "prefixed-onload": "Attribut '{urn:x}onclick' an <g> ist nicht erlaubt",
    "entity-javascript": "Element 'a' ist nicht erlaubt",
    "use-entity-javascript": "Attribut 'href' an <use>: nur ein Verweis '#id' ist erlaubt",
    "use-external": "Attribut 'href' an <use>: nur ein Verweis '#id' ist erlaubt",
    "foreign-object": "Element 'foreignObject' ist nicht erlaubt",
    "iframe-other-namespace": "Element '{http://www.w3.org/1999/xhtml}iframe' ist nicht erlaubt",
    "animate-href": "Element 'set' ist nicht erlaubt",
    "image": "Element 'image' ist nicht erlaubt",
    "style-element": "Element 'style' ist nicht erlaubt",
    "style-import": "Attribut 'style' an <g>: CSS mit @import",
    "fill-url": "Attribut 'fill' an <rect>: url() ist nur als Verweis '#id' erlaubt",
    "doctype-entity": "DOCTYPE- und ENTITY-Deklarationen sind nicht erlaubt",
    "billion-laughs": "DOCTYPE- und ENTITY-Deklarationen sind nicht erlaubt",
    "stylesheet-instruction": "Verarbeitungsanweisung '<?xml-stylesheet' ist nicht erlaubt",
    "no-namespace": "Element 'svg' ist nicht erlaubt",
    "not-xml": "kein wohlgeformtes XML (Zeile 1: mismatched tag)",
    "html-root": "Element 'html' ist nicht erlaubt",
}


@pytest.mark.parametrize(("name", "svg"), HOSTILE.items(), ids=HOSTILE.keys())
def test_hostile_svgs_are_refused(name: str, svg: str) -> None:
    problem = svg_problem(svg.encode())
    assert problem is not None
    assert problem.startswith(REASONS[name]), problem


@pytest.mark.parametrize("name", ["prefixed-script", "entity-javascript", "doctype-entity"])
def test_compiler_reports_e406_at_the_image_line(tmp_path: Path, name: str) -> None:
    body = "Text.\n\n![Ein Bild](media/boese.svg)\n"
    result = compile_files(tmp_path, {"media/boese.svg": HOSTILE[name], "01-a.md": page(body)})
    text = page(body)
    found = [(d.code, d.path, d.line) for d in result.errors]
    assert found == [("E406", "courses/k/01-a.md", line_no(text, "boese"))]
    assert result.course is None


def test_compiler_checks_svgs_that_are_linked_not_shown(tmp_path: Path) -> None:
    body = "Siehe [die Grafik](media/boese.svg).\n"
    result = compile_files(tmp_path, {"media/boese.svg": HOSTILE["script"], "01-a.md": page(body)})
    assert [(d.code, d.line) for d in result.errors] == [("E406", line_no(page(body), "Grafik"))]
