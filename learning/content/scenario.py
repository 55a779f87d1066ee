"""Branching case scenarios: `###` steps whose options jump to other steps."""

from __future__ import annotations

import re
from collections import deque
from types import MappingProxyType

from markdown_it.token import Token

from learning.content.context import FileContext
from learning.content.items import Item, item_blocks
from learning.content.markdown import line_of, plain_text
from learning.content.model import Question, ScenarioOption, ScenarioStep
from learning.content.slug import is_valid_id, slugify, split_id_attr

_ARROW_RE = re.compile(r"\s*(?:->|→)\s*(?P<target>[^\s]+)\s*$")


def parse_scenario(
    qid: str,
    line: int,
    blocks: list[list[Token]],
    explanation: str,
    ctx: FileContext,
) -> Question | None:
    intro: list[Token] = []
    steps: dict[str, ScenarioStep] = {}
    step_blocks: list[tuple[Token, list[list[Token]]]] = []
    for block in blocks:
        if block[0].type == "heading_open" and block[0].tag == "h3":
            step_blocks.append((block[1], []))
        elif block[0].type == "heading_open" and block[0].tag in ("h1", "h2"):
            ctx.error(
                line_of(block, line),
                "E312",
                "Überschrift in einem Szenario: Schritte beginnen mit '###'.",
            )
        elif step_blocks:
            step_blocks[-1][1].append(block)
        else:
            intro.extend(block)
    if not step_blocks:
        ctx.error(line, "E320", f"Szenario '{qid}' hat keine Schritte ('### Schritt {{#id}}').")
        return None
    option_lines: list[tuple[ScenarioOption, int]] = []
    step_lines: dict[str, int] = {}
    for heading, body in step_blocks:
        step = _step(heading, body, ctx, option_lines)
        if step is None:
            continue
        if step.id in steps:
            ctx.error(step.line, "E321", f"Schritt-ID '{step.id}' kommt im Szenario doppelt vor.")
            continue
        steps[step.id] = step
        step_lines[step.id] = step.line
    if not steps:
        return None
    for option, option_line in option_lines:
        if option.target not in steps:
            ctx.error(option_line, "E322", f"Sprungziel '{option.target}' gibt es nicht.")
    start = next(iter(steps))
    reachable = _reachable(start, steps)
    for step_id, step in steps.items():
        if step_id not in reachable:
            ctx.error(step.line, "E323", f"Schritt '{step_id}' ist vom Start aus nicht erreichbar.")
    if not any(steps[s].is_end for s in reachable):
        ctx.error(line, "E324", f"Szenario '{qid}': vom Start aus ist kein Ende erreichbar.")
    return Question(
        qid,
        "scenario",
        "",
        explanation_html=explanation,
        steps=MappingProxyType(steps),
        start_step=start,
        intro_html=ctx.renderer.blocks(intro),
        line=line,
    )


def _step(
    heading: Token,
    body: list[list[Token]],
    ctx: FileContext,
    option_lines: list[tuple[ScenarioOption, int]],
) -> ScenarioStep | None:
    step_line = line_of([heading])
    text, explicit = split_id_attr(heading.content)
    heading = ctx.renderer.drop_suffix(heading, len(heading.content) - len(text))
    title = plain_text(heading.children)
    step_id = explicit if explicit is not None else slugify(title)
    if not step_id:
        ctx.error(step_line, "E208", "Schrittüberschrift ergibt keine ID: '{#id}' ergänzen.")
        return None
    if not is_valid_id(step_id):
        ctx.error(
            step_line,
            "E107",
            f"Ungültige Schritt-ID '{step_id}': erlaubt sind a-z, 0-9 und Bindestriche.",
        )
        return None
    prose: list[Token] = []
    options: list[ScenarioOption] = []
    option_list_seen = False
    for block in body:
        if option_list_seen:
            ctx.error(
                line_of(block, step_line),
                "E312",
                "Unerwarteter Inhalt nach den Optionen eines Schritts.",
            )
            continue
        if block[0].type == "bullet_list_open":
            found = _options(block, ctx)
            if found is not None:
                option_list_seen = True
                options.extend(option for option, _line in found)
                option_lines.extend(found)
                continue
        prose.extend(block)
    return ScenarioStep(step_id, title, ctx.renderer.blocks(prose), tuple(options), step_line)


def _options(block: list[Token], ctx: FileContext) -> list[tuple[ScenarioOption, int]] | None:
    """A step's options with their lines, or None when the list is prose (no arrows)."""
    items = item_blocks(block, ctx)
    arrows = [_arrow(item) for item in items]
    if not any(arrows):
        return None
    found: list[tuple[ScenarioOption, int]] = []
    for item, arrow in zip(items, arrows, strict=True):
        if item is None:
            continue
        if arrow is None:
            ctx.error(
                item.line,
                "E325",
                "Szenario-Option ohne Sprungziel: Zeile mit '-> schritt-id' beenden.",
            )
            continue
        found.append((_option(item, arrow, ctx), item.line))
    return found


def _arrow(item: Item | None) -> re.Match[str] | None:
    if item is None:
        return None
    first_line = item.inline.content.split("\n", 1)[0]
    return _ARROW_RE.search(first_line)


def _option(item: Item, arrow: re.Match[str], ctx: FileContext) -> ScenarioOption:
    first, _, rest = item.inline.content.partition("\n")
    text = first[: arrow.start()] + ("\n" + rest if rest else "")
    children = ctx.renderer.reparse_inline(text)
    if not item.feedback_html:
        ctx.warning(item.line, "W302", f"Option {item.position} ohne Feedback ('> ...').")
    return ScenarioOption(
        position=item.position,
        html=ctx.renderer.inline(children),
        feedback_html=item.feedback_html,
        target=arrow.group("target"),
    )


def _reachable(start: str, steps: dict[str, ScenarioStep]) -> set[str]:
    seen = {start}
    queue = deque([start])
    while queue:
        for option in steps[queue.popleft()].options:
            if option.target in steps and option.target not in seen:
                seen.add(option.target)
                queue.append(option.target)
    return seen
