"""Chart geometry: where each bar, point and tick goes in an SVG view box. The page turns this
into SVG markup and puts a table of the same figures beside it; nothing here is drawn."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

WIDTH = 720
HEIGHT = 300
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 64


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    x: float
    y: float
    width: float
    height: float
    text: str  # the value as shown above the bar


@dataclass(frozen=True)
class Line:
    name: str
    points: str  # SVG polyline points
    dots: list[tuple[float, float]]
    style: str  # "line" or "line-alt"


@dataclass(frozen=True)
class XLabel:
    x: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: float
    baseline: float
    right: float
    ticks: list[Tick]
    x_labels: list[XLabel]
    bars: list[Bar]
    lines: list[Line]


def nice_top(largest: float) -> tuple[float, float]:
    """A round upper limit for the axis and the step between its ticks (at most five steps)."""
    if largest <= 0:
        return 1.0, 1.0
    exponent = math.floor(math.log10(largest / 5))
    for multiple in (1, 2, 2.5, 5, 10):
        step = multiple * 10**exponent
        if largest <= step * 5:
            return step * math.ceil(largest / step), step
    step = 10 ** (exponent + 1)
    return step * math.ceil(largest / step), step


def _number(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}" if decimals else f"{value:,.0f}"


def _frame(largest: float, decimals: int) -> tuple[float, float, list[Tick], float]:
    top, step = nice_top(largest)
    baseline = HEIGHT - BOTTOM
    scale = (baseline - TOP) / top
    places = 0 if float(step).is_integer() else max(1, decimals)
    ticks = [
        Tick(round(baseline - i * step * scale, 1), _number(i * step, places))
        for i in range(round(top / step) + 1)
    ]
    return top, baseline, ticks, scale


def bar_chart(items: Sequence[tuple[str, float | None]], decimals: int = 0) -> Chart:
    """One bar per item; an item without a value (None) gets no bar but keeps its place."""
    largest = max((v for _, v in items if v is not None), default=0.0)
    _, baseline, ticks, scale = _frame(largest, decimals)
    slot = (WIDTH - LEFT - RIGHT) / max(len(items), 1)
    width = min(slot * 0.7, 64)
    bars, labels = [], []
    for i, (label, value) in enumerate(items):
        middle = LEFT + slot * (i + 0.5)
        labels.append(XLabel(round(middle, 1), label))
        if value is None:
            continue
        height = round(value * scale, 1)
        bars.append(
            Bar(
                label,
                value,
                round(middle - width / 2, 1),
                round(baseline - height, 1),
                round(width, 1),
                height,
                _number(value, decimals),
            )
        )
    return Chart(WIDTH, HEIGHT, LEFT, baseline, WIDTH - RIGHT, ticks, labels, bars, [])


def month_label(month: date, months: int) -> str:
    return month.strftime("%b %y") if months <= 24 else month.strftime("%b %Y")


def line_chart(months: Sequence[date], series: Sequence[tuple[str, Sequence[int]]]) -> Chart:
    """One line per series over the months; every month is a point, some months are labelled."""
    largest = max((v for _, values in series for v in values), default=0)
    _, baseline, ticks, scale = _frame(float(largest), 0)
    n = len(months)
    span = WIDTH - LEFT - RIGHT
    step_x = span / max(n - 1, 1)

    def x(i: int) -> float:
        return round(LEFT + (i * step_x if n > 1 else span / 2), 1)

    every = max(1, math.ceil(n / 12))
    labels = [XLabel(x(i), month_label(m, n)) for i, m in enumerate(months) if i % every == 0]
    lines = []
    for index, (name, values) in enumerate(series):
        dots = [(x(i), round(baseline - v * scale, 1)) for i, v in enumerate(values)]
        lines.append(
            Line(
                name,
                " ".join(f"{a},{b}" for a, b in dots),
                dots,
                "line" if index == 0 else "line-alt",
            )
        )
    return Chart(WIDTH, HEIGHT, LEFT, baseline, WIDTH - RIGHT, ticks, labels, [], lines)
