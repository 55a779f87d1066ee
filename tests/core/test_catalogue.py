"""The English catalogue: every entry translated, plural forms included."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

CATALOGUE = Path(__file__).resolve().parents[2] / "learning/locale/en/LC_MESSAGES/messages.po"


def _untranslated() -> list[str]:
    with CATALOGUE.open("rb") as fh:
        catalog = read_po(fh)
    missing = []
    for message in catalog:
        if not message.id:
            continue  # the header
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(forms):
            missing.append(str(message.id))
    return missing


def test_every_english_entry_is_translated() -> None:
    # A plural entry counts only when every form is there: an empty one shows German.
    assert _untranslated() == []


ROOT = CATALOGUE.parents[4]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def _extracted() -> set[str]:
    """The msgids that `make messages` would extract from the templates and the code now."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)  # type: ignore[no-untyped-call]
    found = extract_from_dir(str(ROOT), method_map, options_map, keywords=KEYWORDS)
    return {msg if isinstance(msg, str) else msg[0] for _file, _line, msg, _notes, _ctx in found}


def test_every_string_of_the_templates_and_code_is_in_the_catalogue() -> None:
    # A string added without `make messages` would show German in the English UI.
    with CATALOGUE.open("rb") as fh:
        catalog = read_po(fh)
    known = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}
    assert sorted(_extracted() - known) == []


# Text a template may show without gettext: the names of the two languages, each in itself.
OWN_NAMES = {"Deutsch", "English"}
# Pages written once per language (templates/<name>.html and templates/en/<name>.html).
PER_LANGUAGE = {"accessibility.html", "privacy.html", "easy_language.html"}
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_WORD = re.compile(r"[A-Za-zÄÖÜäöüß]{2}")
_SHOWN_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt", "aria-description"}


class _Text(HTMLParser):
    """Text and shown attribute values of a template with its Jinja parts removed."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [v for k, v in attrs if k in _SHOWN_ATTRIBUTES and v and _WORD.search(v)]

    def handle_data(self, data: str) -> None:
        if _WORD.search(data) and data.strip() not in OWN_NAMES:
            self.found.append(data.strip())


def hard_coded(source: str) -> list[str]:
    parser = _Text()
    parser.feed(_JINJA.sub(" ", source))
    return parser.found


def test_templates_show_no_text_outside_gettext() -> None:
    found = {}
    for path in sorted((ROOT / "templates").rglob("*.html")):
        if path.name in PER_LANGUAGE:
            continue
        text = hard_coded(path.read_text(encoding="utf-8"))
        if text:
            found[str(path.relative_to(ROOT))] = text
    assert found == {}


def test_the_text_check_finds_text_outside_gettext() -> None:
    assert hard_coded('<p>Hallo</p><img alt="Bild" src="x">') == ["Hallo", "Bild"]
    assert hard_coded('<p>{{ _("Hallo") }}</p><a aria-label="{{ _(\'x\') }}">x</a>') == []


def test_the_pages_written_per_language_exist_in_both() -> None:
    for name in PER_LANGUAGE:
        assert (ROOT / "templates" / name).is_file(), name
        assert (ROOT / "templates/en" / name).is_file(), name
