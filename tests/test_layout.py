"""The layout rules of docs/architecture.md, checked: where SQL lives, module size, nesting."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "learning"
MAX_LINES = 400
# Blocks inside a function; with the function body itself that is four levels deep.
MAX_DEPTH = 3
SQL = re.compile(r"""["'](?:SELECT|INSERT|UPDATE|DELETE|CREATE|PRAGMA|BEGIN)\s""")
_BLOCKS = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try, ast.Match)


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_only_store_holds_sql() -> None:
    outside = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _modules()
        if "store" not in path.relative_to(PACKAGE).parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if SQL.search(line)
    ]
    assert outside == []


def test_modules_stay_small() -> None:
    sizes = {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for path in _modules()
    }
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}


def _depth(node: ast.AST, level: int = 0) -> int:
    deepest = level
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue  # a nested function is measured on its own
        elif_ = isinstance(node, ast.If) and node.orelse == [child]
        # An `elif` reads as the same level as its `if`; every other block goes one deeper.
        inner = level + 1 if isinstance(child, _BLOCKS) and not elif_ else level
        deepest = max(deepest, _depth(child, inner))
    return deepest


def test_no_function_nests_four_blocks_deep() -> None:
    too_deep = []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                and _depth(node) > MAX_DEPTH
            ):
                too_deep.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert too_deep == []


def test_every_route_is_in_the_route_table() -> None:
    # web/routes.py is the URL map; no other module builds routes.
    builders = re.compile(r"\b(?:get|post)\(\"/|\bRoute\(|\bMount\(")
    elsewhere = [
        str(path.relative_to(ROOT))
        for path in _modules()
        if path.name not in {"routes.py", "guards.py"} and builders.search(path.read_text())
    ]
    assert elsewhere == []
