"""Assignment status in the reports: per learner (named mode) and counted per status.

The status of each assigned learner comes from `rules/assignments.py` (one standing per
learner and course: the assignment due first), computed by the caller
(`rules/standings.course_standings`) and handed in, since reports may not import rules. Learners without an assignment have
no assignment status and are not counted here.

Aggregate mode counts follow the rules of `figures.py`: no counts for a selection of
fewer than k learners with an assignment; a count that is, or whose complement in its
row is, 1..k-1 is suppressed, with complementary suppression down each column (then
the total), so no hidden count can be recomputed from the shown ones. Group rows use
the same partition as the group figures ("weitere" included).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from learning.reports.figures import (
    ONE_FILTER,
    TOO_CLOSE,
    TOO_FEW,
    Counted,
    Selection,
)
from learning.store.assignments import STATUS_LABELS, STATUSES, Status
from learning.store.reports import FigureRow, LearnerFilter

Counts = Mapping[Status, int | None]


class Standing(Protocol):
    """What the reports read of `rules.assignments.Standing` (handed in from above)."""

    @property
    def status(self) -> Status: ...
    @property
    def due(self) -> date: ...
    @property
    def valid_until(self) -> date | None: ...


Standings = Mapping[int, Standing]


@dataclass(frozen=True, slots=True)
class StatusCounts:
    """How many assigned learners have each status; None where suppressed."""

    assigned: int
    counts: Counts


def count(standings: Iterable[Standing]) -> dict[Status, int]:
    totals: dict[Status, int] = dict.fromkeys(STATUSES, 0)
    for item in standings:
        totals[item.status] += 1
    return totals


def _unsafe(value: int, people: int, k: int) -> bool:
    return 0 < value < k or 0 < people - value < k


Cell = tuple[int, dict[Status, int]]


def _column(key: Status, cells: Sequence[Cell], hidden: list[set[Status]], k: int) -> None:
    """Hide group cells of `key` until the hidden ones cannot be recomputed from the total."""
    groups = range(1, len(cells))
    if _unsafe(cells[0][1][key], cells[0][0], k):
        hidden[0].add(key)
    chosen = {i for i in groups if key in hidden[i] or _unsafe(cells[i][1][key], cells[i][0], k)}
    while chosen and key not in hidden[0]:
        covered = sum(cells[i][1][key] for i in chosen)
        people = sum(cells[i][0] for i in chosen)
        if len(chosen) >= 2 and not _unsafe(covered, people, k):
            break
        rest = [i for i in groups if i not in chosen]
        if not rest:
            hidden[0].add(key)
            break
        chosen.add(min(rest, key=lambda i: (cells[i][1][key], i)))
    for i in chosen:
        hidden[i].add(key)


def _row(cell: Cell, hidden: set[Status], k: int) -> None:
    """Within one row: a lone hidden cell could be recomputed from the row's learners."""
    n, counts = cell
    while hidden:
        covered = sum(counts[s] for s in hidden)
        if len(hidden) >= 2 and not _unsafe(covered, n, k):
            return
        rest = [s for s in STATUSES if s not in hidden]
        if not rest:
            return
        hidden.add(min(rest, key=lambda s: (counts[s], STATUSES.index(s))))


def suppressed(
    total: Sequence[Standing], groups: Sequence[Sequence[Standing]], *, min_group: int
) -> tuple[StatusCounts | None, list[StatusCounts | None]]:
    """The counts aggregate mode may show for the total and each group row."""
    k = min_group
    if len(total) < k:
        return None, [None for _ in groups]
    cells: list[Cell] = [(len(rows), count(rows)) for rows in (total, *groups)]
    # A row of fewer than k assigned learners shows nothing, so none of its cells may be
    # recoverable from the total either.
    hidden: list[set[Status]] = [set(STATUSES) if n < k else set() for n, _ in cells]
    # Hiding a cell for one rule can expose another under the other rule: repeat until
    # nothing changes (cells are only ever added, so this ends).
    while True:
        before = sum(len(h) for h in hidden)
        for key in STATUSES:
            _column(key, cells, hidden, k)
        for cell, cell_hidden in zip(cells, hidden, strict=True):
            _row(cell, cell_hidden, k)
        if sum(len(h) for h in hidden) == before:
            break
    shown = [
        None if n < k else StatusCounts(n, {s: None if s in h else c[s] for s in STATUSES})
        for (n, c), h in zip(cells, hidden, strict=True)
    ]
    return shown[0], shown[1:]


def exact(standings: Sequence[Standing]) -> StatusCounts:
    """Named mode: the counts as they are."""
    return StatusCounts(len(standings), dict(count(standings)))


def label(status: Status | None) -> str:
    return STATUS_LABELS[status] if status is not None else ""


def parse_status(text: str) -> Status | None:
    return next((s for s in STATUSES if s == text), None)


def with_status(
    rows: Sequence[FigureRow], standings: Mapping[int, Standing], status: str | None
) -> list[FigureRow]:
    """Named mode: the rows whose learner has that assignment status (all without one)."""
    if status is None:
        return list(rows)
    return [r for r in rows if (s := standings.get(r.user_id)) is not None and s.status == status]


def select_by_status(
    rows: Sequence[FigureRow],
    standings: Mapping[int, Standing],
    flt: LearnerFilter,
    *,
    min_group: int,
) -> Selection:
    """Aggregate mode: the assignment status as the one filter, under the same rules."""
    others = (flt.group_id, flt.status, flt.since or flt.until)
    if any(value is not None for value in others):
        return Selection([], flt.since, flt.until, ONE_FILTER)
    chosen: list[Counted] = list(with_status(rows, standings, flt.assignment))
    if len(chosen) < min_group:
        return Selection(chosen, None, None, TOO_FEW)
    if 0 < len(rows) - len(chosen) < min_group:
        return Selection(chosen, None, None, TOO_CLOSE)
    return Selection(chosen, None, None, None)


def standings_of(rows: Iterable[Counted], standings: Mapping[int, Standing]) -> list[Standing]:
    """The standings of the learners in `rows` who have an assignment."""
    found: list[Standing] = []
    for row in rows:
        standing = standings.get(row.user_id)
        if standing is not None:
            found.append(standing)
    return found
