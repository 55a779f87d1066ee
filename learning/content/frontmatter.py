"""YAML front matter: splitting it off the Markdown body and checking it against a schema."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import yaml

from learning.content.diagnostics import Diagnostics
from learning.content.slug import is_valid_id

# libyaml's loader is several times faster; same safe constructors.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

FieldKind = Literal["str", "int", "bool", "strlist", "intmap", "mapping"]
_KIND_NAMES: dict[FieldKind, str] = {
    "str": "ein Text",
    "int": "eine ganze Zahl",
    "bool": "true oder false",
    "strlist": "eine Liste von Texten",
    "intmap": "eine Zuordnung 'id: Zahl'",
    "mapping": "eine Zuordnung 'schlüssel: wert'",
}


@dataclass(frozen=True, slots=True)
class Field:
    kind: FieldKind
    required: bool = False
    default: object = None
    check: Callable[[object], str | None] | None = None


def _id_check(value: object) -> str | None:
    if isinstance(value, str) and not is_valid_id(value):
        return "E107"
    return None


def _range(low: int, high: int | None = None) -> Callable[[object], str | None]:
    def check(value: object) -> str | None:
        if isinstance(value, int) and (value < low or (high is not None and value > high)):
            upper = f" bis {high}" if high is not None else " oder mehr"
            return f"muss {low}{upper} sein"
        return None

    return check


def _reveal_check(value: object) -> str | None:
    if value not in REVEAL_POLICIES:
        return "muss " + ", ".join(f"'{p}'" for p in REVEAL_POLICIES) + " sein"
    return None


def _kind_check(value: object) -> str | None:
    if value not in ("lesson", "test"):
        return "muss 'lesson' oder 'test' sein"
    return None


# When the result page of the final test may show the correct answers.
REVEAL_POLICIES = ("after_pass_or_last", "after_attempt", "after_pass", "after_last_attempt")

COURSE_SCHEMA: Mapping[str, Field] = {
    "id": Field("str", required=True, check=_id_check),
    "title": Field("str", required=True),
    "subtitle": Field("str", default=""),
    "language": Field("str", required=True),
    "duration": Field("int", required=True, check=_range(1)),
    "pass_mark": Field("int", required=True, check=_range(1, 100)),
    "max_attempts": Field("int", required=True, check=_range(1)),
    "version": Field("str", required=True),
    "open": Field("bool", default=True),
    "authors": Field("strlist", default=()),
    "description": Field("str", default=""),
    "reveal": Field("str", default=REVEAL_POLICIES[0], check=_reveal_check),
    "item_checks": Field("mapping", default=None),
    # The scope a certificate names ("4 UE", "2,5 Stunden"); checked in content/scope.py.
    "scope": Field("str", default=""),
}
LESSON_SCHEMA: Mapping[str, Field] = {
    "id": Field("str", required=True, check=_id_check),
    "title": Field("str", required=True),
    "kind": Field("str", default="lesson", check=_kind_check),
    "sources": Field("strlist", default=()),
    # Test only: how many questions each attempt draws from a page (page id: number).
    "draw": Field("intmap", default={}),
    "reread": Field("mapping", default={}),
    # Test only: minutes per attempt, enforced by the server; absent: no limit.
    "time_limit": Field("int", default=None, check=_range(1, 600)),
}
GLOSSARY_SCHEMA: Mapping[str, Field] = {
    "title": Field("str", default="Glossar"),
}


@dataclass(frozen=True, slots=True)
class FrontMatter:
    values: dict[str, object]
    key_lines: dict[str, int] = field(default_factory=dict)
    item_lines: dict[str, list[int]] = field(default_factory=dict)

    def line(self, key: str) -> int:
        return self.key_lines.get(key, 1)


@dataclass(frozen=True, slots=True)
class SplitSource:
    yaml_text: str | None  # None: the file has no front matter
    body: str  # front matter lines blanked, so token maps are file line numbers
    closed: bool = True


def split(text: str) -> SplitSource:
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return SplitSource(None, text)
    for end in range(1, len(lines)):
        if lines[end].rstrip() in ("---", "..."):
            body = "\n" * (end + 1) + "\n".join(lines[end + 1 :])
            return SplitSource("\n".join(lines[1:end]), body)
    return SplitSource("\n".join(lines[1:]), "", closed=False)


def parse(
    source: SplitSource,
    schema: Mapping[str, Field],
    path: str,
    diags: Diagnostics,
    *,
    required: bool = True,
) -> FrontMatter | None:
    """Check the front matter against `schema`; None when it cannot be used at all."""
    if source.yaml_text is None:
        if required:
            diags.error(path, 1, "E106", "Front Matter fehlt: die Datei muss mit '---' beginnen.")
            return None
        return _check({}, FrontMatter({}), schema, path, diags)
    if not source.closed:
        diags.error(path, 1, "E106", "Front Matter wird nicht mit '---' abgeschlossen.")
        return None
    try:
        node, data = _load(source.yaml_text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 2 if mark is not None else 1
        problem = exc.problem or "ungültiges YAML"
        diags.error(path, line, "E102", f"YAML-Syntaxfehler im Front Matter: {problem}.")
        return None
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError) as exc:
        # PyYAML raises plain ValueError for impossible dates such as 2024-13-45.
        diags.error(path, 1, "E102", f"YAML-Fehler im Front Matter: {exc}.")
        return None
    if data is None:
        data = {}
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode | type(None)):
        diags.error(
            path, 2, "E106", "Front Matter muss aus Zeilen der Form 'schlüssel: wert' bestehen."
        )
        return None
    front = FrontMatter({})
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value)
            front.key_lines[key] = key_node.start_mark.line + 2
            if isinstance(value_node, yaml.SequenceNode):
                front.item_lines[key] = [item.start_mark.line + 2 for item in value_node.value]
            elif isinstance(value_node, yaml.MappingNode):
                front.item_lines[key] = [k.start_mark.line + 2 for k, _ in value_node.value]
    return _check(data, front, schema, path, diags)


def _load(text: str) -> tuple[yaml.Node | None, object]:
    """The node tree (for line numbers) and its value, from a single parse."""
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


def _check(
    data: dict[object, object],
    front: FrontMatter,
    schema: Mapping[str, Field],
    path: str,
    diags: Diagnostics,
) -> FrontMatter | None:
    for key, value in data.items():
        name = str(key)
        spec = schema.get(name) if isinstance(key, str) else None
        if spec is None:
            allowed = ", ".join(schema)
            diags.error(
                path,
                front.line(name),
                "E103",
                f"Unbekannter Schlüssel '{name}' im Front Matter (erlaubt: {allowed}).",
            )
            continue
        problem = _type_problem(spec.kind, value)
        if problem is None and spec.check is not None:
            problem = spec.check(value)
        if problem == "E107":
            diags.error(
                path,
                front.line(name),
                "E107",
                f"Ungültige ID '{value}': erlaubt sind a-z, 0-9 und Bindestriche.",
            )
        elif problem is not None:
            diags.error(path, front.line(name), "E105", f"'{name}' {problem}.")
        else:
            front.values[name] = tuple(value) if spec.kind == "strlist" else value  # type: ignore[arg-type]
    for name, spec in schema.items():
        if name in data:
            continue
        if spec.required:
            diags.error(path, 1, "E104", f"Pflichtschlüssel '{name}' fehlt im Front Matter.")
        else:
            front.values[name] = spec.default
    return front


def _type_problem(kind: FieldKind, value: object) -> str | None:
    valid = {
        "str": isinstance(value, str),
        # bool is a subclass of int; `duration: true` must not pass as 1 minute
        "int": isinstance(value, int) and not isinstance(value, bool),
        "bool": isinstance(value, bool),
        "strlist": isinstance(value, list) and all(isinstance(v, str) for v in value),
        "intmap": isinstance(value, dict) and all(isinstance(k, str) for k in value),
        "mapping": isinstance(value, dict),
    }[kind]
    if valid:
        texts = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        for text in texts:
            if not isinstance(text, str):
                continue
            control = next((ch for ch in text if unicodedata.category(ch) == "Cc"), None)
            if control is not None:
                # Written as a YAML escape ("\\0"): the file itself is clean.
                return f"enthält das Steuerzeichen U+{ord(control):04X}; bitte entfernen"
        return None
    hint = ""
    if kind == "str" and isinstance(value, int | float) and not isinstance(value, bool):
        hint = f' (Zahlen in Anführungszeichen setzen, z. B. "{value}")'
    return f"muss {_KIND_NAMES[kind]} sein, ist aber {_describe(value)}{hint}"


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return "ein Wahrheitswert"
    if isinstance(value, int | float):
        return "eine Zahl"
    if isinstance(value, list):
        return "eine Liste"
    if isinstance(value, dict):
        return "eine Zuordnung"
    if value is None:
        return "leer"
    if isinstance(value, str):
        return "ein Text"
    return "ein anderer Wert"
