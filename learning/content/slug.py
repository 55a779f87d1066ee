"""Ids: heading slugs and `{#id}` attributes."""

from __future__ import annotations

import re
import unicodedata

ID_RE = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")
_ATTR_RE = re.compile(r"\s*\{#([^}]*)\}\s*$")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """Lowercase ASCII slug; German umlauts are spelled out, other accents dropped."""
    text = unicodedata.normalize("NFC", text).lower().translate(_UMLAUTS)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NON_ALNUM.sub("-", text).strip("-")


def is_valid_id(value: str) -> bool:
    return ID_RE.fullmatch(value) is not None


def split_id_attr(text: str) -> tuple[str, str | None]:
    """Split `Title {#id}` into ("Title", "id"); the id is None when absent."""
    match = _ATTR_RE.search(text)
    if match is None:
        return text, None
    return text[: match.start()], match.group(1).strip()
