"""Server-rendered bar charts: geometry only; the template draws the SVG with a title."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

BAR_HEIGHT = 24
GAP = 8
LABEL_WIDTH = 160
PLOT_WIDTH = 300


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float
    y: int
    width: float
    text: str


@dataclass(frozen=True, slots=True)
class BarChart:
    bars: tuple[Bar, ...]
    width: int
    height: int
    label_width: int


def bar_chart(
    data: Sequence[tuple[str, float]], *, maximum: float | None = None, unit: str = ""
) -> BarChart:
    top = maximum if maximum is not None else max((v for _l, v in data), default=0.0)
    scale = PLOT_WIDTH / top if top > 0 else 0.0
    bars = tuple(
        Bar(
            label=label[:30],
            value=value,
            y=i * (BAR_HEIGHT + GAP),
            width=round(max(value, 0.0) * scale, 1),
            text=f"{value:g}{unit}",
        )
        for i, (label, value) in enumerate(data)
    )
    height = max(len(bars) * (BAR_HEIGHT + GAP), BAR_HEIGHT)
    return BarChart(bars, LABEL_WIDTH + PLOT_WIDTH + 60, height, LABEL_WIDTH)
