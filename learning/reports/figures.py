"""Pure report arithmetic: figures per course and group, privacy merging and suppression."""

from __future__ import annotations

import dataclasses
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from learning.core.i18n import N_
from learning.store.reports import FigureRow, LearnerRow

# Figures count either full learner rows or the lighter figure rows.
Counted = LearnerRow | FigureRow

OTHERS = "weitere"
NO_GROUP = "ohne Gruppe"


def median(values: Sequence[float]) -> float | None:
    return float(statistics.median(values)) if values else None


@dataclass(frozen=True, slots=True)
class Figures:
    """One row of figures. In aggregate mode a count is None where it is suppressed."""

    label: str
    participants: int
    enrolled: int | None
    started: int | None
    completed: int | None
    completion_rate: float | None  # percent of participants
    median_score: float | None  # median best final-test score of those who submitted one
    median_seconds: float | None  # median time spent of those who started

    @property
    def median_minutes(self) -> float | None:
        return None if self.median_seconds is None else round(self.median_seconds / 60, 1)


def figures(label: str, rows: Iterable[Counted]) -> Figures:
    participants = enrolled = started = completed = 0
    scores: list[float] = []
    seconds: list[float] = []
    for row in rows:
        participants += 1
        enrolled += row.enrolled
        started += row.started
        completed += row.status == "completed"
        if row.best_score is not None:
            scores.append(row.best_score)
        if row.started:
            seconds.append(row.seconds)
    rate = round(100.0 * completed / participants, 1) if participants else None
    return Figures(
        label, participants, enrolled, started, completed, rate, median(scores), median(seconds)
    )


@dataclass(frozen=True, slots=True)
class GroupTable:
    rows: tuple[Figures, ...]
    suppressed: int  # learners in groups too small to show, even merged


def group_figures(rows: Iterable[Counted], *, named: bool, min_group: int) -> GroupTable:
    """Figures per group, side by side, exact: for named mode only.

    Aggregate mode goes through `aggregate_report`, which merges and suppresses.
    """
    if not named:
        return aggregate_report(list(rows), min_group=min_group).groups
    by_group: dict[str, list[Counted]] = defaultdict(list)
    for row in rows:
        by_group[row.group_name or NO_GROUP].append(row)
    return GroupTable(
        tuple(figures(name, by_group[name]) for name in sorted(by_group, key=str.casefold)), 0
    )


@dataclass(frozen=True, slots=True)
class MonthCount:
    month: str  # YYYY-MM
    completed: int
    cumulative: int


def completion_over_time(rows: Iterable[Counted]) -> list[MonthCount]:
    months = Counter(row.completed_at[:7] for row in rows if row.completed_at)
    result: list[MonthCount] = []
    total = 0
    for month in sorted(months):
        total += months[month]
        result.append(MonthCount(month, months[month], total))
    return result


# ---- aggregate mode: what may be shown --------------------------------------------------
#
# Every figure in aggregate mode stands for at least `min_group` (k) people, and no figure
# can be computed from the others to stand for fewer:
#
# - groups below k are merged into "weitere"; if that is still below k, the smallest
#   groups join it until it is not, so the group rows always add up to the total;
# - a count is suppressed when it, or its complement in its row (participants minus
#   it), is between 1 and k-1 ("Abgeschlossen 1", or "Abgeschlossen 5 of 6");
# - complementary suppression: in each column, while the suppressed cells could be
#   recovered from the total minus the shown cells (one suppressed cell, or a sum that
#   is itself unsafe), the next smallest cell is suppressed too, and last the total;
# - a rate goes with its count; a median needs k values; months are merged into periods
#   of at least k completions, and are left out when the completed total is suppressed;
# - filters: one at a time; a date range is widened to whole blocks of at least k
#   learners by last activity; a selection must hold at least k learners and leave out
#   none or at least k of the course's learners; a filtered selection has no group
#   table. So two answered queries always differ by none or by at least k people.

COUNT_KEYS = ("enrolled", "started", "completed")


def unsafe(value: int, participants: int, min_group: int) -> bool:
    """A count that singles out fewer than k people, itself or as its row's complement."""
    return 0 < value < min_group or 0 < participants - value < min_group


def _partition(rows: Sequence[Counted], min_group: int) -> list[tuple[str, list[Counted]]]:
    by_group: dict[str, list[Counted]] = defaultdict(list)
    for row in rows:
        by_group[row.group_name or NO_GROUP].append(row)
    shown = sorted(
        ((name, members) for name, members in by_group.items() if len(members) >= min_group),
        key=lambda item: item[0].casefold(),
    )
    others = [row for members in by_group.values() if len(members) < min_group for row in members]
    while others and len(others) < min_group and shown:
        smallest = min(shown, key=lambda item: (len(item[1]), item[0].casefold()))
        shown.remove(smallest)
        others.extend(smallest[1])
    if others:
        shown.append((OTHERS, others))
    return shown


def _hidden_cells(
    total: Figures, groups: Sequence[Figures], min_group: int
) -> tuple[set[str], list[set[str]]]:
    hidden_total: set[str] = set()
    hidden_groups: list[set[str]] = [set() for _ in groups]
    for key in COUNT_KEYS:
        value = int(getattr(total, key))
        if unsafe(value, total.participants, min_group):
            hidden_total.add(key)
        cells = [int(getattr(g, key)) for g in groups]
        hidden = {i for i, g in enumerate(groups) if unsafe(cells[i], g.participants, min_group)}
        while hidden and key not in hidden_total:
            covered = sum(cells[i] for i in hidden)
            people = sum(groups[i].participants for i in hidden)
            if len(hidden) >= 2 and not unsafe(covered, people, min_group):
                break
            rest = [i for i in range(len(groups)) if i not in hidden]
            if not rest:
                hidden_total.add(key)
                break
            hidden.add(min(rest, key=lambda i: (cells[i], i)))
        for i in hidden:
            hidden_groups[i].add(key)
    return hidden_total, hidden_groups


def _suppress(item: Figures, hidden: set[str], rows: Sequence[Counted], min_group: int) -> Figures:
    scored = sum(row.best_score is not None for row in rows)
    timed = sum(bool(row.started) for row in rows)
    return dataclasses.replace(
        item,
        enrolled=None if "enrolled" in hidden else item.enrolled,
        started=None if "started" in hidden else item.started,
        completed=None if "completed" in hidden else item.completed,
        completion_rate=None if "completed" in hidden else item.completion_rate,
        median_score=item.median_score if scored >= min_group else None,
        median_seconds=item.median_seconds if timed >= min_group else None,
    )


PERIOD_DASH = " – "


def completion_periods(rows: Iterable[Counted], min_group: int) -> list[MonthCount]:
    """Completions over time, consecutive months merged until each period holds k."""
    months = completion_over_time(rows)
    periods: list[MonthCount] = []
    first: str | None = None
    count = 0
    for month in months:
        first = first or month.month
        count += month.completed
        if count >= min_group:
            # "2026-01 – 2026-03": a range that reads the same in German and English.
            label = first if first == month.month else f"{first}{PERIOD_DASH}{month.month}"
            periods.append(MonthCount(label, count, month.cumulative))
            first, count = None, 0
    if count and periods:  # a short tail joins the last period
        last = periods.pop()
        start = last.month.split(PERIOD_DASH)[0]
        periods.append(
            MonthCount(
                f"{start}{PERIOD_DASH}{months[-1].month}",
                last.completed + count,
                months[-1].cumulative,
            )
        )
    return periods


@dataclass(frozen=True, slots=True)
class AggregateReport:
    total: Figures | None
    groups: GroupTable
    months: list[MonthCount]


def aggregate_report(
    rows: Sequence[Counted], *, min_group: int, breakdown: bool = True
) -> AggregateReport:
    """The figures aggregate mode may show for this selection (rules above)."""
    if len(rows) < min_group:
        return AggregateReport(None, GroupTable((), 0), [])
    partition = _partition(rows, min_group) if breakdown else []
    if len(partition) < 2:  # one row would only repeat the total
        partition = []
    total = figures("Gesamt", rows)
    groups = [figures(label, members) for label, members in partition]
    hidden_total, hidden_groups = _hidden_cells(total, groups, min_group)
    shown_groups = tuple(
        _suppress(g, hidden, members, min_group)
        for g, hidden, (_, members) in zip(groups, hidden_groups, partition, strict=True)
    )
    months = [] if "completed" in hidden_total else completion_periods(rows, min_group)
    return AggregateReport(
        _suppress(total, hidden_total, rows, min_group), GroupTable(shown_groups, 0), months
    )


@dataclass(frozen=True, slots=True)
class Selection:
    """The learners a filtered aggregate report covers, or why it is not answered."""

    rows: list[Counted]
    since: date | None
    until: date | None
    refusal: str | None


def _day(row: Counted) -> str | None:
    return row.last_activity[:10] if row.last_activity else None


def _blocks(days: list[str], min_group: int) -> list[tuple[str, str]]:
    """Consecutive ranges of whole days, each with the last activity of at least k."""
    counts = Counter(days)
    blocks: list[tuple[str, str]] = []
    first: str | None = None
    count = 0
    ordered = sorted(counts)
    for day in ordered:
        first = first or day
        count += counts[day]
        if count >= min_group:
            blocks.append((first, day))
            first, count = None, 0
    if count and blocks:
        blocks[-1] = (blocks[-1][0], ordered[-1])
    return blocks


def select(
    rows: Sequence[Counted],
    *,
    group_id: int | None,
    status: str | None,
    since: date | None,
    until: date | None,
    min_group: int,
) -> Selection:
    """Apply one filter to the course's learners under the aggregate rules above."""
    used = sum((group_id is not None, status is not None, since is not None or until is not None))
    if used > 1:
        return Selection([], since, until, ONE_FILTER)
    chosen = list(rows)
    if group_id is not None:
        chosen = [r for r in rows if r.group_id == group_id]
    elif status is not None:
        chosen = [r for r in rows if r.status == status]
    elif since is not None or until is not None:
        blocks = _blocks([d for r in rows if (d := _day(r))], min_group)
        low = since.isoformat() if since else None
        high = until.isoformat() if until else None
        starts = [b for b in blocks if low is None or b[1] >= low]
        ends = [b for b in blocks if high is None or b[0] <= high]
        if since is not None:
            since = date.fromisoformat(starts[0][0]) if starts else since
        if until is not None:
            until = date.fromisoformat(ends[-1][1]) if ends else until
        low = since.isoformat() if since else ""
        high = until.isoformat() if until else "9999-12-31"
        chosen = [r for r in rows if (d := _day(r)) is not None and low <= d <= high]
    if len(chosen) < min_group:
        return Selection(chosen, since, until, TOO_FEW)
    if 0 < len(rows) - len(chosen) < min_group:
        return Selection(chosen, since, until, TOO_CLOSE)
    return Selection(chosen, since, until, None)


ONE_FILTER = N_(
    "Im aggregierten Modus gilt immer nur ein Filter (Gruppe, Status oder Zeitraum): "
    "aus zwei kombinierten Auswahlen ließen sich sonst Zahlen über Einzelne herausrechnen."
)
TOO_FEW = N_(
    "Weniger als %(n)s Lernende in dieser Auswahl: im aggregierten Modus werden keine Zahlen"
    " gezeigt."
)
TOO_CLOSE = N_(
    "Diese Auswahl lässt weniger als %(n)s Lernende des Kurses weg: im Vergleich mit dem "
    "Gesamtbericht ließen sich deren Zahlen errechnen, daher werden keine Zahlen gezeigt."
)
