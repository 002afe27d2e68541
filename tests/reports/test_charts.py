"""Chart geometry: round axis limits, bars in proportion, one point per month."""

from __future__ import annotations

from datetime import date

import pytest

from childfirst.reports.charts import HEIGHT, TOP, bar_chart, line_chart, nice_top


@pytest.mark.parametrize(
    ("largest", "top", "step"),
    [(0, 1, 1), (7, 8, 2), (10, 10, 2), (48, 50, 10), (1000, 1000, 200), (0.6, 0.6, 0.2)],
)
def test_the_axis_ends_at_a_round_number(largest: float, top: float, step: float) -> None:
    assert nice_top(largest) == pytest.approx((top, step))


def test_bars_are_in_proportion_and_a_missing_value_keeps_its_place() -> None:
    chart = bar_chart([("Asian", 2.0), ("Black", 8.0), ("Mixed", None), ("White", 4.0)])
    heights = {b.label: b.height for b in chart.bars}
    assert heights["Black"] == pytest.approx(2 * heights["White"], abs=0.2)
    assert heights["Black"] == pytest.approx(4 * heights["Asian"], abs=0.2)
    assert "Mixed" not in heights
    assert [x.label for x in chart.x_labels] == ["Asian", "Black", "Mixed", "White"]
    assert all(b.y + b.height == pytest.approx(chart.baseline, abs=0.1) for b in chart.bars)
    assert min(b.y for b in chart.bars) >= TOP


def test_a_line_has_a_point_for_every_month() -> None:
    months = [date(2025, m, 1) for m in range(1, 13)]
    chart = line_chart(months, [("Concerns", list(range(12)))])
    (line,) = chart.lines
    assert len(line.dots) == 12
    assert line.dots[0][1] == chart.baseline  # zero sits on the axis
    assert line.dots[-1][1] < line.dots[0][1]
    assert all(0 <= y <= HEIGHT for _, y in line.dots)
