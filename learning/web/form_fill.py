"""Put posted values back into a rendered form, and mark its errors (the GOV.UK pattern).

Works on the finished HTML of any page, so every form (learner and admin) gets its
input back without its template knowing: the form is found by its `action` path; text
fields, text areas, selects, checkboxes and radios take the posted values; hidden fields
(the fresh CSRF token among them), buttons, files and passwords stay as rendered.
Each error is shown inside the form, at the top of the fieldset holding the field (or
just before the field's label), the field is marked `aria-invalid`, and an error summary
at the top of `<main>` links to it; the summary takes the focus (`autofocus`, and the
redirect's `#error-summary`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from urllib.parse import urlsplit

_UNTOUCHED = frozenset({"hidden", "submit", "button", "reset", "image", "file", "password"})
_CONTROLS = frozenset({"input", "select", "textarea"})
SUMMARY_ID = "error-summary"


@dataclass
class _Tag:
    name: str
    attrs: dict[str, str | None]
    start: int
    end: int
    changed: bool = False


@dataclass
class _Scan:
    """The tags of a page in document order, with the offsets of their raw text."""

    tags: list[_Tag] = field(default_factory=list)
    # (offset of "</", offset after ">", name) of every end tag.
    ends: list[tuple[int, int, str]] = field(default_factory=list)


class _Scanner(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.scan = _Scan()
        self._line_starts = [0]
        for index, char in enumerate(html):
            if char == "\n":
                self._line_starts.append(index + 1)
        self._html = html

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._offset()
        raw = self.get_starttag_text() or ""
        self.scan.tags.append(_Tag(tag, dict(attrs), start, start + len(raw)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        start = self._offset()
        end = self._html.find(">", start) + 1
        self.scan.ends.append((start, end or len(self._html), tag))


def _scan(html: str) -> _Scan:
    scanner = _Scanner(html)
    scanner.feed(html)
    scanner.close()
    return scanner.scan


@dataclass
class _Form:
    """The target form: its tags, where it ends, and what the posted fields say."""

    tags: list[_Tag]
    end: int
    values: dict[str, list[str]]


def _find_form(scan: _Scan, action: str) -> _Form | None:
    for index, tag in enumerate(scan.tags):
        if tag.name == "form" and urlsplit(tag.attrs.get("action") or "").path == action:
            end = next((s for s, _, n in scan.ends if n == "form" and s > tag.start), 10**12)
            inner = [t for t in scan.tags[index + 1 :] if t.start < end]
            return _Form([tag, *inner], end, {})
    return None


def _set(tag: _Tag, name: str, value: str | None) -> None:
    tag.attrs[name] = value
    tag.changed = True


def _unset(tag: _Tag, name: str) -> None:
    if name in tag.attrs:
        del tag.attrs[name]
        tag.changed = True


def _fill_input(tag: _Tag, values: dict[str, list[str]], used: dict[str, int]) -> None:
    kind = (tag.attrs.get("type") or "text").lower()
    name = tag.attrs.get("name") or ""
    if kind in _UNTOUCHED or "disabled" in tag.attrs or not name:
        return
    if kind in ("checkbox", "radio"):
        if (tag.attrs.get("value") or "on") in values.get(name, ()):
            _set(tag, "checked", None)
        else:
            _unset(tag, "checked")
        return
    posted = values.get(name, [])
    index = used.get(name, 0)
    if index < len(posted):
        _set(tag, "value", posted[index])
        used[name] = index + 1


def _fill(html: str, scan: _Scan, form: _Form) -> list[tuple[int, int, str]]:
    """Set the values on the form's tags; returns the text-area edits."""
    edits: list[tuple[int, int, str]] = []
    used: dict[str, int] = {}
    select: list[str] | None = None
    for tag in form.tags:
        name = tag.attrs.get("name") or ""
        if tag.name == "input":
            _fill_input(tag, form.values, used)
        elif tag.name == "select":
            select = form.values.get(name) if "disabled" not in tag.attrs else None
        elif tag.name == "option" and select is not None and tag.attrs.get("value") is not None:
            if tag.attrs["value"] in select:
                _set(tag, "selected", None)
            else:
                _unset(tag, "selected")
        elif tag.name == "textarea" and name in form.values and "disabled" not in tag.attrs:
            close = next(s for s, _, n in scan.ends if n == "textarea" and s >= tag.end)
            text = form.values[name][0]
            edits.append((tag.end, close, ("\n" if text.startswith("\n") else "") + escape(text)))
    return edits


def _controls(form: _Form, name: str) -> list[_Tag]:
    """The controls an error about `name` concerns: that name, or its `name.N` parts."""
    return [
        t
        for t in form.tags
        if t.name in _CONTROLS
        and (
            (t.attrs.get("name") or "") == name
            or (t.attrs.get("name") or "").startswith(name + ".")
        )
    ]


def _error_place(html: str, scan: _Scan, form: _Form, control: _Tag) -> tuple[int, _Tag]:
    """Where the message goes, and the element that it describes: the fieldset holding
    the control (after its legend), else the control itself (before its label)."""
    fieldset = None
    for tag in form.tags:
        if tag.start >= control.start:
            break
        closed = any(n == "fieldset" and tag.end <= s < control.start for s, _, n in scan.ends)
        if tag.name == "fieldset" and not closed:
            fieldset = tag
    if fieldset is not None:
        legend = next(
            (e for s, e, n in scan.ends if n == "legend" and fieldset.end <= s < control.start),
            None,
        )
        return (legend if legend is not None else fieldset.end), fieldset
    control_id = control.attrs.get("id")
    label = next(
        (
            t
            for t in form.tags
            if t.name == "label" and control_id and t.attrs.get("for") == control_id
        ),
        None,
    )
    if label is not None and label.start < control.start:
        return label.start, control
    return control.start, control


def _describe(tag: _Tag, error_id: str) -> None:
    described = (tag.attrs.get("aria-describedby") or "").split()
    _set(tag, "aria-describedby", " ".join([error_id, *described]))


def _mark_errors(
    html: str, scan: _Scan, form: _Form, errors: Sequence[tuple[str, str]], prefix: str
) -> tuple[list[tuple[int, int, str]], list[tuple[str, str]]]:
    """The inline messages as edits, and (target id, message) for the summary."""
    edits: list[tuple[int, int, str]] = []
    links: list[tuple[str, str]] = []
    for number, (name, message) in enumerate(errors, start=1):
        controls = _controls(form, name) or [form.tags[0]]
        first = controls[0]
        if not first.attrs.get("id"):
            _set(first, "id", f"field-{number}-{name}")
        for control in controls:
            if control.name in _CONTROLS:
                _set(control, "aria-invalid", "true")
        error_id = f"error-{number}"
        at, described = _error_place(html, scan, form, first)
        _describe(described, error_id)
        text = f'<span class="visually-hidden">{escape(prefix)} </span>{escape(message)}'
        edits.append((at, at, f'<p class="field-error" id="{error_id}">{text}</p>'))
        links.append((str(first.attrs["id"]), message))
    return edits, links


def _summary(title: str, links: Sequence[tuple[str, str]]) -> str:
    items = "".join(f'<li><a href="#{escape(i)}">{escape(m)}</a></li>' for i, m in links)
    return (
        f'<div class="error-summary" id="{SUMMARY_ID}" tabindex="-1" autofocus'
        f' aria-labelledby="{SUMMARY_ID}-title"><h2 id="{SUMMARY_ID}-title">{escape(title)}</h2>'
        f"<ul>{items}</ul></div>"
    )


def _tag_text(tag: _Tag) -> str:
    parts = [tag.name]
    for key, value in tag.attrs.items():
        parts.append(key if value is None else f'{key}="{escape(value, quote=True)}"')
    return "<" + " ".join(parts) + ">"


@dataclass(frozen=True, slots=True)
class Errors:
    """The messages (field name, text), the summary's title and the hidden "Fehler:" prefix."""

    items: Sequence[tuple[str, str]] = ()
    title: str = "Es gibt ein Problem"
    prefix: str = "Fehler:"


def refill(
    html: str, action: str, fields: Sequence[tuple[str, str]], errors: Errors | None = None
) -> str | None:
    """`html` with the form posting to `action` filled from `fields`; None without it."""
    scan = _scan(html)
    form = _find_form(scan, action)
    if form is None:
        return None
    for name, value in fields:
        form.values.setdefault(name, []).append(value)
    edits = _fill(html, scan, form)
    if errors is not None and errors.items:
        inline, links = _mark_errors(html, scan, form, errors.items, errors.prefix)
        edits += inline
        main = next((t for t in scan.tags if t.name == "main"), None)
        body = next((t for t in scan.tags if t.name == "body"), None)
        anchor = main or body
        at = anchor.end if anchor is not None else 0
        edits.append((at, at, _summary(errors.title, links)))
    edits += [(t.start, t.end, _tag_text(t)) for t in scan.tags if t.changed]
    return _apply(html, edits)


def _apply(html: str, edits: list[tuple[int, int, str]]) -> str:
    # Later offsets first, so earlier ones stay valid; insertions at one offset keep order.
    ordered = sorted(enumerate(edits), key=lambda e: (e[1][0], e[1][1], e[0]), reverse=True)
    for _, (start, end, text) in ordered:
        html = html[:start] + text + html[end:]
    return html
