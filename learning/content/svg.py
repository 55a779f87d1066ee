"""Is an SVG file inert? An allow-list of elements and attributes over a namespace-aware parse.

A pattern search over the bytes let `<svg:script>` and an entity-encoded `javascript:`
through. Here expat resolves prefixes and character references first, and anything not
on the lists is refused: what is not known cannot turn out to be active. DOCTYPE,
entity declarations and processing instructions are refused before they take effect,
so no entity can expand (no billion laughs) and no stylesheet can be pulled in.
"""

from __future__ import annotations

import re
from xml.parsers import expat

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"

ELEMENTS = frozenset(
    {
        "svg", "g", "defs", "title", "desc", "symbol", "use", "switch",
        "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
        "text", "tspan", "textPath", "marker", "clipPath", "mask", "pattern",
        "linearGradient", "radialGradient", "stop",
    }
)  # fmt: skip

ATTRIBUTES = frozenset(
    {
        # structure, text and accessibility
        "id", "class", "lang", "role", "tabindex", "focusable",
        "aria-label", "aria-labelledby", "aria-describedby", "aria-hidden",
        "version", "baseProfile", "viewBox", "preserveAspectRatio",
        "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy",
        "width", "height", "d", "points", "pathLength", "transform",
        "dx", "dy", "rotate", "textLength", "lengthAdjust", "startOffset", "method", "spacing",
        "refX", "refY", "markerWidth", "markerHeight", "markerUnits", "orient",
        "gradientUnits", "gradientTransform", "spreadMethod", "offset",
        "patternUnits", "patternContentUnits", "patternTransform",
        "clipPathUnits", "maskUnits", "maskContentUnits",
        "href",
        # presentation attributes
        "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity",
        "stroke-dasharray", "stroke-dashoffset", "stroke-linecap", "stroke-linejoin",
        "stroke-miterlimit", "opacity", "color", "display", "visibility", "overflow",
        "clip-path", "clip-rule", "mask", "marker-start", "marker-mid", "marker-end",
        "stop-color", "stop-opacity", "vector-effect", "paint-order", "shape-rendering",
        "font-family", "font-size", "font-style", "font-weight", "font-variant",
        "text-anchor", "dominant-baseline", "alignment-baseline", "baseline-shift",
        "letter-spacing", "word-spacing", "text-decoration", "writing-mode", "direction",
        "style",
    }
)  # fmt: skip

NAMESPACED_ATTRIBUTES = frozenset({(XML_NS, "lang"), (XML_NS, "space"), (XLINK_NS, "href")})

# A reference may point into the same file only: `#id` or `url(#id)`.
_LOCAL_REF = re.compile(r"#[A-Za-z_][\w.:-]*")
_URL = re.compile(r"url\s*\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_CSS_ACTIVE = re.compile(r"@import|expression\s*\(|javascript:|\\", re.IGNORECASE)


class _Refused(Exception):
    pass


def svg_problem(data: bytes) -> str | None:
    """Why the SVG is refused, in German, or None when every part of it is on the lists."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    depth = 0

    def refuse(reason: str) -> None:
        raise _Refused(reason)

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal depth
        namespace, _, local = name.rpartition(" ")
        if namespace != SVG_NS or local not in ELEMENTS:
            refuse(f"Element '{_shown(namespace, local)}' ist nicht erlaubt")
        if depth == 0 and local != "svg":
            refuse("das Wurzelelement ist nicht <svg>")
        depth += 1
        for key, value in attributes.items():
            attr_ns, _, attr = key.rpartition(" ")
            allowed = (attr_ns, attr) in NAMESPACED_ATTRIBUTES if attr_ns else attr in ATTRIBUTES
            if not allowed:
                refuse(f"Attribut '{_shown(attr_ns, attr)}' an <{local}> ist nicht erlaubt")
            problem = _value_problem(attr, value)
            if problem:
                refuse(f"Attribut '{attr}' an <{local}>: {problem}")

    def end(name: str) -> None:
        nonlocal depth
        depth -= 1

    def doctype(*_: object) -> None:
        refuse("DOCTYPE- und ENTITY-Deklarationen sind nicht erlaubt")

    def instruction(target: str, _data: str) -> None:
        refuse(f"Verarbeitungsanweisung '<?{target}' ist nicht erlaubt")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.ProcessingInstructionHandler = instruction
    try:
        parser.Parse(data, True)
    except _Refused as refused:
        return str(refused)
    except expat.ExpatError as exc:
        return f"kein wohlgeformtes XML (Zeile {exc.lineno}: {expat.ErrorString(exc.code)})"
    return None


def _value_problem(attr: str, value: str) -> str | None:
    if attr == "href":
        return None if _LOCAL_REF.fullmatch(value.strip()) else "nur ein Verweis '#id' ist erlaubt"
    if attr == "style" and _CSS_ACTIVE.search(value):
        return "CSS mit @import, expression() oder Escapes ist nicht erlaubt"
    for match in _URL.finditer(value):
        if not _LOCAL_REF.fullmatch(match.group(2).strip()):
            return "url() ist nur als Verweis '#id' erlaubt"
    return None


def _shown(namespace: str, local: str) -> str:
    return f"{{{namespace}}}{local}" if namespace and namespace != SVG_NS else local
