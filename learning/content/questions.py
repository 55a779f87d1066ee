"""Question containers: from the token stream of `::: TYPE {#id}` to a Question."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from markdown_it.token import Token

from learning.content.context import FileContext
from learning.content.diagnostics import SILENCEABLE
from learning.content.items import Item, item_blocks
from learning.content.markdown import blocks_of, line_of, plain_text
from learning.content.model import MatchChoice, Option, Question, QuestionType
from learning.content.scenario import parse_scenario
from learning.content.slug import is_valid_id

_INFO_RE = re.compile(r"(?P<type>\w+)\s*(?:\{#(?P<id>[^}]*)\})?\s*")
_EXPLANATION_RE = re.compile(r"Erklärung\s*:\s*")
_CHOICE_RE = re.compile(r"(?P<marker>\(\s?\)|\([xX]\)|\[\s?\]|\[[xX]\])(?:\s+|$)")
_ORDER_RE = re.compile(r"\[\s*(?P<n>\d{1,3})\s*\](?:\s+|$)")
_MATCH_RE = re.compile(r"\s+=\s+|=")
_SILENCE_RE = re.compile(
    r"Prüfung aus\s*:\s*(?P<codes>[A-Za-z]\d{3}(?:\s*,\s*[A-Za-z]\d{3})*)"
    r"\s*(?:[–—:-]\s*(?P<reason>.*))?",
    re.DOTALL,
)
_TRUE_LABELS = ("richtig", "wahr")
_FALSE_LABELS = ("falsch",)


def info_id(token: Token) -> str | None:
    """The `{#id}` of a container's info string, unchecked."""
    match = _INFO_RE.fullmatch(token.info.strip())
    qid = match.group("id") if match else None
    return qid.strip() if qid is not None else None


def question_id(token: Token, ctx: FileContext) -> str | None:
    match = _INFO_RE.fullmatch(token.info.strip())
    qid = match.group("id") if match else None
    line = line_of([token])
    if qid is None:
        ctx.error(line, "E301", "Frage ohne ID: '::: typ {#frage-id}'.")
        return None
    qid = qid.strip()
    if not is_valid_id(qid):
        ctx.error(
            line, "E301", f"Ungültige Frage-ID '{qid}': erlaubt sind a-z, 0-9 und Bindestriche."
        )
        return None
    return qid


def split_explanation(blocks: list[list[Token]], ctx: FileContext) -> tuple[list[list[Token]], str]:
    """Blocks before `Erklärung:` and the rendered explanation (label removed)."""
    for index, block in enumerate(blocks):
        if block[0].type != "paragraph_open" or len(block) < 2:
            continue
        inline = block[1]
        match = _EXPLANATION_RE.match(inline.content)
        if match is None:
            continue
        label_removed = [block[0], ctx.renderer.drop_prefix(inline, match.end()), *block[2:]]
        tokens = [t for b in (label_removed, *blocks[index + 1 :]) for t in b]
        return blocks[:index], ctx.renderer.blocks(tokens)
    return blocks, ""


def parse_question(kind: str, tokens: Sequence[Token], ctx: FileContext) -> Question | None:
    """Parse one question container (open token .. close token); None on errors."""

    errors_before = len(ctx.diags.errors)
    qid = question_id(tokens[0], ctx)
    line = line_of(tokens)
    blocks, silenced = split_silences(blocks_of(tokens[1:-1]), ctx)
    blocks, explanation = split_explanation(blocks, ctx)
    if kind == "scenario":
        question = parse_scenario(qid or "", line, blocks, explanation, ctx)
    elif kind == "reflection":
        question = _reflection(qid or "", line, blocks, explanation, ctx)
    else:
        question = _with_options(kind, qid or "", line, blocks, explanation, ctx)
    if question is not None and not explanation and question.graded:
        ctx.warning(line, "W301", f"Frage '{qid}' hat keine Erklärung ('Erklärung: ...').")
    if qid is None or len(ctx.diags.errors) > errors_before:
        return None
    return replace(question, silenced=silenced) if question is not None and silenced else question


def split_silences(
    blocks: list[list[Token]], ctx: FileContext
) -> tuple[list[list[Token]], frozenset[str]]:
    """Blocks without their `Prüfung aus: CODE – Grund` lines, and the codes they silence.

    A silence without a reason, or for a code that is no item check, is itself a warning
    (W512) and silences nothing: the next reader must learn why the check is off."""
    kept: list[list[Token]] = []
    silenced: set[str] = set()
    for block in blocks:
        match = None
        if block[0].type == "paragraph_open" and len(block) > 1:
            match = _SILENCE_RE.fullmatch(block[1].content.strip())
        if match is None:
            kept.append(block)
            continue
        line = line_of(block)
        codes = {c.strip().upper() for c in match.group("codes").split(",")}
        unknown = sorted(codes - SILENCEABLE)
        if unknown:
            ctx.warning(line, "W512", f"'Prüfung aus:' kennt {', '.join(unknown)} nicht.")
        elif not (match.group("reason") or "").strip():
            ctx.warning(
                line, "W512", "'Prüfung aus:' ohne Grund wirkt nicht: 'Prüfung aus: CODE – Grund'."
            )
        else:
            silenced |= codes
    return kept, frozenset(silenced)


def _reflection(
    qid: str, line: int, blocks: list[list[Token]], explanation: str, ctx: FileContext
) -> Question | None:
    if not blocks:
        ctx.error(line, "E313", f"Reflexionsfrage '{qid}' ohne Fragetext.")
        return None
    stem = ctx.renderer.blocks([t for b in blocks for t in b])
    return Question(qid, "reflection", stem, explanation_html=explanation, line=line)


def _with_options(
    kind: str,
    qid: str,
    line: int,
    blocks: list[list[Token]],
    explanation: str,
    ctx: FileContext,
) -> Question | None:
    list_index = next(
        (i for i, b in enumerate(blocks) if b[0].type == "bullet_list_open"),
        None,
    )
    if list_index is None:
        ctx.error(line, "E303", f"Frage '{qid}' hat keine Optionsliste ('- ...').")
        return None
    for extra in blocks[list_index + 1 :]:
        ctx.error(
            line_of(extra, line),
            "E312",
            "Unerwarteter Inhalt nach der Optionsliste: nur 'Erklärung: ...' darf folgen.",
        )
    stem_blocks = blocks[:list_index]
    if not stem_blocks:
        ctx.error(line, "E313", f"Frage '{qid}' ohne Fragetext vor der Optionsliste.")
    stem = ctx.renderer.blocks([t for b in stem_blocks for t in b])
    raw_items = item_blocks(blocks[list_index], ctx)
    items = [item for item in raw_items if item is not None]
    if len(items) != len(raw_items):
        return None
    minimum = 1 if kind == "text" else 2
    if len(items) < minimum:
        ctx.error(
            line, "E303", f"Frage '{qid}' braucht mindestens {minimum} Optionen, hat {len(items)}."
        )
        return None
    if kind in ("question", "truefalse"):
        return _choice(kind, qid, line, stem, items, explanation, ctx)
    if kind == "text":
        return _text(qid, line, stem, items, explanation, ctx)
    if kind == "ordering":
        return _ordering(qid, line, stem, items, explanation, ctx)
    return _matching(qid, line, stem, items, explanation, ctx)


def _strip(item: Item, length: int, ctx: FileContext) -> None:
    item.inline = ctx.renderer.drop_prefix(item.inline, length)


def _option(item: Item, ctx: FileContext, *, correct: bool, **extra: int | None) -> Option:
    return Option(
        position=item.position,
        html=ctx.renderer.inline(item.inline.children),
        feedback_html=item.feedback_html,
        correct=correct,
        text=plain_text(item.inline.children),
        order=extra.get("order"),
        match=extra.get("match"),
    )


def _choice(
    kind: str,
    qid: str,
    line: int,
    stem: str,
    items: list[Item],
    explanation: str,
    ctx: FileContext,
) -> Question | None:
    markers: list[str] = []
    for item in items:
        match = _CHOICE_RE.match(item.inline.content)
        if match is None:
            ctx.error(item.line, "E304", "Option ohne Markierung: '( )', '(x)', '[ ]' oder '[x]'.")
            return None
        markers.append(match.group("marker").lower().replace(" ", ""))
        _strip(item, match.end(), ctx)
    round_markers = [m for m in markers if m.startswith("(")]
    if round_markers and len(round_markers) != len(markers):
        ctx.error(line, "E304", "Gemischte Markierungen: '( )' und '[ ]' nicht mischen.")
        return None
    if kind == "truefalse" and not round_markers:
        ctx.error(line, "E307", "Richtig/Falsch-Frage: Optionen mit '( )' / '(x)' markieren.")
        return None
    correct = [m in ("(x)", "[x]") for m in markers]
    options = tuple(_option(i, ctx, correct=c) for i, c in zip(items, correct, strict=True))
    question_type: QuestionType
    if kind == "truefalse":
        question_type = "truefalse"
        labels = [o.text.casefold() for o in options]
        if len(options) != 2 or labels[0] not in _TRUE_LABELS or labels[1] not in _FALSE_LABELS:
            ctx.error(
                line,
                "E307",
                "Richtig/Falsch-Frage braucht genau zwei Optionen: '- ( ) richtig' und "
                "'- ( ) falsch'.",
            )
            return None
        if sum(correct) != 1:
            ctx.error(line, "E307", "Richtig/Falsch-Frage: genau eine Option mit '(x)' markieren.")
            return None
    elif round_markers:
        question_type = "single"
        if sum(correct) != 1:
            ctx.error(
                line,
                "E305",
                f"Einfachauswahl braucht genau eine richtige Option '(x)', hat {sum(correct)}.",
            )
            return None
    else:
        question_type = "multiple"
        if not any(correct):
            ctx.error(line, "E306", "Mehrfachauswahl braucht mindestens eine Option mit '[x]'.")
            return None
    for item, option in zip(items, options, strict=True):
        if not option.feedback_html:
            ctx.warning(item.line, "W302", f"Option {option.position} ohne Feedback ('> ...').")
    return Question(qid, question_type, stem, options, explanation, line=line)


def _text(
    qid: str, line: int, stem: str, items: list[Item], explanation: str, ctx: FileContext
) -> Question | None:
    correct: list[bool] = []
    for item in items:
        match = _CHOICE_RE.match(item.inline.content)
        if match is None or match.group("marker").startswith("("):
            ctx.error(item.line, "E304", "Antwort ohne Markierung '[x]' (richtig) oder '[ ]'.")
            return None
        correct.append(match.group("marker").lower() == "[x]")
        _strip(item, match.end(), ctx)
    if not any(correct):
        ctx.error(line, "E308", "Freitextfrage braucht mindestens eine Antwort mit '[x]'.")
        return None
    options = tuple(_option(i, ctx, correct=c) for i, c in zip(items, correct, strict=True))
    for item, option in zip(items, options, strict=True):
        if not option.text:
            ctx.error(item.line, "E304", "Leere Antwort.")
            return None
    return Question(qid, "text", stem, options, explanation, line=line)


def _ordering(
    qid: str, line: int, stem: str, items: list[Item], explanation: str, ctx: FileContext
) -> Question | None:
    orders: list[int] = []
    for item in items:
        match = _ORDER_RE.match(item.inline.content)
        if match is None:
            ctx.error(item.line, "E304", "Element ohne Position '[1]', '[2]', ...")
            return None
        orders.append(int(match.group("n")))
        _strip(item, match.end(), ctx)
    if sorted(orders) != list(range(1, len(items) + 1)):
        ctx.error(
            line,
            "E309",
            f"Positionen {orders} sind nicht genau 1 bis {len(items)}, jede einmal.",
        )
        return None
    options = tuple(
        _option(i, ctx, correct=True, order=o) for i, o in zip(items, orders, strict=True)
    )
    return Question(qid, "ordering", stem, options, explanation, line=line)


def _matching(
    qid: str, line: int, stem: str, items: list[Item], explanation: str, ctx: FileContext
) -> Question | None:
    options: list[Option] = []
    choices: dict[str, MatchChoice] = {}
    for item in items:
        content = item.inline.content
        match = _MATCH_RE.search(content)
        left = content[: match.start()].strip() if match else ""
        right = content[match.end() :].strip() if match else ""
        if not left or not right:
            ctx.error(item.line, "E310", "Element nicht in der Form 'links = rechts'.")
            return None
        right_tokens = ctx.renderer.reparse_inline(right)
        right_text = plain_text(right_tokens)
        # Equal right-hand values are one choice, so several left items may share it.
        key = " ".join(right_text.casefold().split())
        if key not in choices:
            choices[key] = MatchChoice(
                position=item.position, html=ctx.renderer.inline(right_tokens), text=right_text
            )
        item.inline = item.inline.copy(content=left, children=ctx.renderer.reparse_inline(left))
        options.append(_option(item, ctx, correct=True, match=choices[key].position))
    ordered = tuple(sorted(choices.values(), key=lambda c: (c.text.casefold(), c.position)))
    return Question(qid, "matching", stem, tuple(options), explanation, ordered, line=line)
