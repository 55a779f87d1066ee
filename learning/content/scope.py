"""The course's scope as a certificate states it: `scope: 4 UE` or `scope: 2,5 Stunden`.

A teaching unit (Unterrichtseinheit, UE) is 45 minutes, as in German further education;
hours are clock hours. The value is normalised to one German wording.
"""

from __future__ import annotations

import re

from learning.content.diagnostics import Diagnostics
from learning.content.frontmatter import FrontMatter

SCOPE_CODE = "E137"
_SCOPE = re.compile(r"^\s*(\d{1,3}(?:[.,]\d{1,2})?)\s*([^\d\s].*?)\s*$")
_UNITS = {
    "ue": "ue",
    "unterrichtseinheit": "ue",
    "unterrichtseinheiten": "ue",
    "h": "h",
    "std": "h",
    "std.": "h",
    "stunde": "h",
    "stunden": "h",
    "zeitstunde": "h",
    "zeitstunden": "h",
}
EXAMPLES = "z. B. '4 UE' oder '2,5 Stunden'"


def _amount_text(amount: float) -> str:
    return str(int(amount)) if amount.is_integer() else f"{amount:g}".replace(".", ",")


def parse_scope(value: object) -> tuple[str | None, str | None]:
    """(the scope as printed, None) or (None, why the value is not usable)."""
    text = str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value
    if not isinstance(text, str):
        return None, f"muss ein Text sein, {EXAMPLES}"
    match = _SCOPE.match(text)
    unit = _UNITS.get(match.group(2).lower()) if match else None
    if match is None or unit is None:
        return None, f"'{text}' ist keine Zahl mit Einheit UE oder Stunden ({EXAMPLES})"
    amount = float(match.group(1).replace(",", "."))
    if not 0 < amount <= 500:
        return None, f"'{text}': der Umfang muss größer als 0 und höchstens 500 sein"
    number = _amount_text(amount)
    if unit == "ue":
        word = "Unterrichtseinheit" if amount == 1 else "Unterrichtseinheiten"
        return f"{number} {word} (UE, je 45 Minuten)", None
    return f"{number} {'Zeitstunde' if amount == 1 else 'Zeitstunden'}", None


def course_scope(front: FrontMatter, path: str, diags: Diagnostics) -> str:
    """The scope from course.md's `scope:`; a value without a usable unit is E137."""
    raw = front.values.get("scope")
    if not raw:
        return ""
    text, problem = parse_scope(raw)
    if problem is not None:
        diags.error(path, front.line("scope"), SCOPE_CODE, f"'scope' {problem}.")
    return text or ""
