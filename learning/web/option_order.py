"""The order a learner sees the options of a knowledge check in: shuffled, stable, not stored.

Position must be no cue, and the same learner must see the same order on every visit,
so the order is a function of (learner id, question id) under a secret key
(`Signer.order_digest`); nothing is stored and nobody without the key can predict it.

The orders are a secret base permutation per question, its n rotations and, from three
options on, their reversals. Across these 2n orders every option stands at every
position equally often, so for learners spread evenly over them the position of the
right answer tells nothing.

Rendered questions are cached (web/question_cache.py) and shared by all learners, so
the order is not rendered in: the template marks each item of a shuffled list
(`MARKS`), and `arrange` puts the items of a cached render in the learner's order on
each request (a split and a join). Keying renders by order instead multiplied the
answered renders by 2n and measurably slowed lesson requests.

The form contract is untouched: inputs keep their source positions as values, so
grading, reports and item analysis see the same answers as before.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup

from learning.accounts.signing import Signer
from learning.content.model import Question

_ITEM = "\x02"
_KEY_END = "\x03"


class _Marks:
    """What the template writes before each item of a shuffled list, and after the list."""

    end = Markup(_ITEM + _KEY_END)  # noqa: S704 - a fixed marker

    def item(self, key: int) -> Markup:
        return Markup(f"{_ITEM}{key}{_KEY_END}")  # noqa: S704 - a fixed marker around an int


MARKS = _Marks()


def arrange(html: str, order: Order | None) -> str:
    """`html` rendered with MARKS, each marked list in `order` (source order when None)."""
    if _ITEM not in html:
        return html
    parts = html.split(_ITEM)
    out = [parts[0]]
    group: dict[str, str] = {}
    for part in parts[1:]:
        key, _, rest = part.partition(_KEY_END)
        if key:
            group[key] = rest
            continue
        keys = [str(p) for p in order.positions] if order else []
        if set(keys) != group.keys():
            # Not this order's list (or no order): the source order.
            keys = list(group)
        out.extend(group[k] for k in keys)
        out.append(rest)
        group = {}
    return "".join(out)


def shuffles(question: Question) -> bool:
    """Whether a learner sees this question's options (or choices) in an order of their own."""
    return question.type in _OPTIONS or question.type in ("matching", "scenario")


# What is shuffled: the options (ordering: the initial presentation order), or for
# matching the choices offered. True/false keeps "richtig" before "falsch".
_OPTIONS = frozenset({"single", "multiple", "ordering"})


@dataclass(frozen=True, slots=True)
class Order:
    index: int  # which of the question's few orders
    positions: tuple[int, ...]  # source positions in the order shown


# The orders of an item are the same for every learner; computing them (an HMAC and a
# shuffle) on each request cost more than the rest of the choice.
@lru_cache(maxsize=4096)
def _orders(signer: Signer, item: str, positions: tuple[int, ...]) -> tuple[tuple[int, ...], ...]:
    base = list(positions)
    seed = int.from_bytes(signer.order_digest(f"base|{item}"), "big")
    random.Random(seed).shuffle(base)  # noqa: S311 - seeded from a secret digest for stability
    n = len(base)
    rotations = [tuple(base[k:] + base[:k]) for k in range(n)]
    if n < 3:
        return tuple(rotations)
    return tuple(rotations + [tuple(reversed(r)) for r in rotations])


def pick(signer: Signer, learner_id: int, item: str, positions: Sequence[int]) -> Order | None:
    """The order of `positions` this learner sees for `item`; None when nothing to shuffle."""
    if len(positions) < 2:
        return None
    orders = _orders(signer, item, tuple(positions))
    choice = int.from_bytes(signer.order_digest(f"learner|{learner_id}|{item}"), "big")
    index = choice % len(orders)
    return Order(index, orders[index])


def _shuffled(question: Question, step: str | None) -> tuple[str, list[int]] | None:
    if question.type in _OPTIONS:
        return question.id, [o.position for o in question.options]
    if question.type == "matching":
        # Choice positions are those of the items that named them first and are not 1..m;
        # the order is over the choices' places in the (alphabetical) list offered.
        return question.id, list(range(1, len(question.match_choices) + 1))
    if question.type == "scenario" and step is not None and step in question.steps:
        return f"{question.id}|{step}", [o.position for o in question.steps[step].options]
    return None


def orders_for(
    signer: Signer,
    learner_id: int,
    questions: Sequence[Question],
    scenario_steps: Mapping[str, str],
) -> dict[str, Order]:
    """Question id -> the order this learner sees; a scenario's is that of its current step.

    `scenario_steps` holds the current step of each scenario the learner has started;
    the others are at their start step.
    """
    result: dict[str, Order] = {}
    for question in questions:
        step = scenario_steps.get(question.id, question.start_step)
        if step not in question.steps:
            # The template shows the start step then too.
            step = question.start_step
        shuffled = _shuffled(question, step if question.type == "scenario" else None)
        if shuffled is None:
            continue
        order = pick(signer, learner_id, *shuffled)
        if order is not None:
            result[question.id] = order
    return result
