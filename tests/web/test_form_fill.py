"""Refilling a rendered form from posted fields (web/form_fill.py)."""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag

from learning.web.form_fill import Errors, refill
from tests.conftest import attr, tag

PAGE = """<!doctype html><html><body><main id="main">
<h1>Titel</h1>
<form method="get" action="/suche"><input type="text" name="q" value=""></form>
<form method="post" action="/ziel#anker">
  <input type="hidden" name="csrf_token" value="neu">
  <label for="f-name">Name</label>
  <input type="text" id="f-name" name="name" value="alt">
  <input type="password" name="password">
  <textarea name="notiz" id="f-notiz">alt</textarea>
  <fieldset aria-describedby="hint">
    <legend>Farben</legend>
    <input type="checkbox" id="c1" name="farbe" value="1" checked>
    <input type="checkbox" id="c2" name="farbe" value="2">
  </fieldset>
  <select id="s" name="wahl"><option value="">–</option><option value="a" selected>A</option><option value="b">B</option></select>
  <button type="submit">Senden</button>
</form>
</main></body></html>"""


def _refilled(fields: list[tuple[str, str]], errors: Errors | None = None) -> BeautifulSoup:
    html = refill(PAGE, "/ziel", fields, errors)
    assert html is not None
    return BeautifulSoup(html, "html.parser")


def test_every_kind_of_field_takes_the_posted_value() -> None:
    page = _refilled(
        [
            ("name", 'Ä "B" <c>'),
            ("notiz", "Zeile 1\n<b>Zeile 2</b>"),
            ("farbe", "2"),
            ("wahl", "b"),
            ("password", "geheim"),
            ("csrf_token", "alt"),
        ]
    )
    assert tag(page, id="f-name")["value"] == 'Ä "B" <c>'
    assert tag(page, id="f-notiz").get_text() == "Zeile 1\n<b>Zeile 2</b>"
    assert not tag(page, id="c1").has_attr("checked")
    assert tag(page, id="c2").has_attr("checked")
    assert tag(page, "option", value="b").has_attr("selected")
    assert not tag(page, "option", value="a").has_attr("selected")
    # What the form must bring itself stays as rendered.
    assert tag(page, "input", attrs={"name": "csrf_token"})["value"] == "neu"
    assert not tag(page, "input", attrs={"name": "password"}).get("value")
    # Another form of the page is left alone.
    assert tag(page, "input", attrs={"name": "q"})["value"] == ""


def test_a_page_without_the_form_is_not_touched() -> None:
    assert refill(PAGE, "/anderswo", [("name", "x")]) is None


def test_errors_go_into_the_form_and_into_a_summary_first_in_main() -> None:
    page = _refilled(
        [("name", "")],
        Errors([("name", "Bitte Namen angeben."), ("farbe", "Bitte Farbe wählen.")]),
    )
    main = tag(page, "main")
    first = main.find(True)
    assert isinstance(first, Tag) and first["id"] == "error-summary"
    links = [(a["href"], a.get_text()) for a in first.select("a")]
    assert links == [("#f-name", "Bitte Namen angeben."), ("#c1", "Bitte Farbe wählen.")]
    # A field's message stands before its label; the field says it is invalid.
    label = tag(page, "label", attrs={"for": "f-name"})
    message = label.find_previous_sibling("p")
    assert message is not None and "Bitte Namen angeben." in message.get_text()
    assert message.get_text().startswith("Fehler:")
    field = tag(page, id="f-name")
    assert field["aria-invalid"] == "true"
    assert message["id"] in attr(field, "aria-describedby").split()
    # A group's message stands after its legend and describes the fieldset.
    fieldset = tag(page, "fieldset")
    legend = tag(fieldset, "legend")
    after = legend.find_next_sibling()
    assert after is not None and "Bitte Farbe wählen." in after.get_text()
    assert attr(fieldset, "aria-describedby").split() == [after["id"], "hint"]


def test_posted_text_cannot_break_out_of_the_page() -> None:
    page = _refilled([("notiz", "</textarea><script>alert(1)</script>")])
    assert page.find("script") is None
    assert tag(page, id="f-notiz").get_text() == "</textarea><script>alert(1)</script>"
