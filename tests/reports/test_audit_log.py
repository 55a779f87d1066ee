"""Every audit action has a German label; entries read as names and words, not ids and JSON."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from learning.reports.audit_log import (
    ACTION_LABELS,
    DateRange,
    action_label,
    details_text,
    target_text,
)
from learning.store.audit import AuditEntry

SOURCE = Path(__file__).resolve().parents[2] / "learning"


def _strings(node: ast.AST, assigned: Mapping[str, ast.AST]) -> list[str]:
    """The action codes an expression can take: literals, both arms of `a if c else b`,
    names assigned in the same function, and an f-string's literal prefix + "*"."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _strings(node.body, assigned) + _strings(node.orelse, assigned)
    if isinstance(node, ast.Name) and node.id in assigned:
        return _strings(assigned[node.id], assigned)
    if isinstance(node, ast.JoinedStr):
        head = node.values[0]
        if isinstance(head, ast.Constant) and isinstance(head.value, str):
            return [head.value + "*"]
    return []


def _codes_in(tree: ast.AST) -> set[str]:
    codes: set[str] = set()
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        assigned = {
            t.id: n.value
            for n in ast.walk(func)
            if isinstance(n, ast.Assign)
            for t in n.targets
            if isinstance(t, ast.Name)
        }
        for call in ast.walk(func):
            if not isinstance(call, ast.Call):
                continue
            name = getattr(call.func, "id", getattr(call.func, "attr", ""))
            if name == "audit" and len(call.args) >= 3:
                codes.update(_strings(call.args[2], assigned))
            if name == "record":
                for kw in call.keywords:
                    if kw.arg == "action":
                        codes.update(_strings(kw.value, assigned))
    return codes


def test_every_action_code_written_has_a_label() -> None:
    codes: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        codes |= _codes_in(ast.parse(path.read_text(encoding="utf-8")))
    assert len(codes) > 15, codes
    missing = sorted(
        c
        for c in codes
        if not (c[:-1] and any(k.startswith(c[:-1]) for k in ACTION_LABELS))
        if c.endswith("*")
    ) + sorted(c for c in codes if not c.endswith("*") and c not in ACTION_LABELS)
    assert missing == [], "add a label in learning/reports/audit_log.py"


def _entry(**changes: object) -> AuditEntry:
    values: dict[str, object] = {
        "id": 1,
        "at": "2026-12-01 10:00:00",
        "actor_id": 1,
        "actor_email": "admin@example.org",
        "action": "enrolment.add",
        "target_type": "user",
        "target_id": "7",
        "details": {"course": "alles-nur-kultur", "added": True},
        "actor_name": "Ada Admin",
        "target_name": "Lena Lernend",
        "target_email": "lena@example.org",
    }
    values.update(changes)
    return AuditEntry(**values)  # type: ignore[arg-type]


def test_entries_read_as_labels_names_and_words() -> None:
    entry = _entry()
    assert action_label(entry.action, str) == "In Kurs eingeschrieben"
    assert action_label("neu.unbekannt", str) == "neu.unbekannt", "unknown codes stay visible"
    assert target_text(entry, {}, str) == "Konto Lena Lernend (lena@example.org)"
    assert details_text(entry.details, str) == "Kurs: alles-nur-kultur; neu eingeschrieben: ja"
    names = {"course": {"alles-nur-kultur": "Alles nur Kultur?"}}
    assert details_text(entry.details, str, names).startswith("Kurs: Alles nur Kultur?;")
    course = _entry(target_type="course", target_id="k", target_name=None, target_email=None)
    assert target_text(course, {"k": "Alles nur Kultur?"}, str) == "Kurs Alles nur Kultur?"


def test_a_day_range_is_local_midnight_to_midnight_in_utc() -> None:
    days = DateRange(date(2026, 7, 1), date(2026, 7, 1))
    assert days.bounds(ZoneInfo("Europe/Berlin")) == (
        "2026-06-30 22:00:00",
        "2026-07-01 22:00:00",
    )
    assert DateRange(None, None).bounds(ZoneInfo("Europe/Berlin")) == (None, None)
