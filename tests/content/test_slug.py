from __future__ import annotations

import pytest

from learning.content.slug import is_valid_id, slugify, split_id_attr


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Was ist Kultur?", "was-ist-kultur"),
        ("Größe & Übermaß", "groesse-uebermass"),
        ("  Café -- Niño  ", "cafe-nino"),
        ("!!!", ""),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_split_id_attr() -> None:
    assert split_id_attr("Titel {#mein-id}") == ("Titel", "mein-id")
    assert split_id_attr("Titel ohne") == ("Titel ohne", None)


@pytest.mark.parametrize(("value", "ok"), [("a-1", True), ("A", False), ("-a", False), ("", False)])
def test_is_valid_id(value: str, ok: bool) -> None:
    assert is_valid_id(value) is ok
