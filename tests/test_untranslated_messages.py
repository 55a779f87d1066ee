"""Messages a user sees are marked for translation where the code makes them.

A message handed to an error, a flash or a form error as a literal or f-string shows
German in the English UI; `N_("... %(x)s", x=...)` goes through the catalogue.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Calls whose message argument is shown to the user, and its position.
SHOWN = {"HTTPException": 1, "redirect": 2, "AnswerError": 0, "RowError": 1, "FieldError": 0}
MARKERS = {"N_", "_", "gettext", "ngettext"}


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else ""


def _literal(node: ast.expr) -> bool:
    """A string the catalogue never sees: a literal, an f-string, or a sum of them."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and any(ch.isalpha() for ch in node.value)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.IfExp):
        return _literal(node.body) or _literal(node.orelse)
    return isinstance(node, ast.BinOp) and (_literal(node.left) or _literal(node.right))


def unmarked(source: str) -> list[int]:
    """Lines where a shown message is not marked for translation."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _name(node.func) in SHOWN:
            position = SHOWN[_name(node.func)]
            if len(node.args) > position and _literal(node.args[position]):
                lines.append(node.lineno)
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant | ast.JoinedStr):
            target = node.targets[0]
            shown = isinstance(target, ast.Subscript) and _name(target.value) == "errors"
            if shown and _literal(node.value):
                lines.append(node.lineno)
    return sorted(lines)


def test_shown_messages_are_marked_for_translation() -> None:
    found = {}
    for path in sorted((ROOT / "learning").rglob("*.py")):
        lines = unmarked(path.read_text(encoding="utf-8"))
        if lines:
            found[str(path.relative_to(ROOT))] = lines
    assert found == {}


def test_the_check_finds_unmarked_messages() -> None:
    source = (
        'raise HTTPException(400, "Kaputt")\n'
        'redirect(request, "/", f"Hallo {name}")\n'
        'errors["name"] = "Bitte ausfüllen."\n'
        'raise AnswerError(N_("Gut %(n)s", n=1))\n'
        'redirect(request, "/x")\n'
    )
    assert unmarked(source) == [1, 2, 3]
