"""The English catalogue: every entry translated, plural forms included."""

from __future__ import annotations

from pathlib import Path

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
