"""The chart of risk over time (risk/chart.py): band ranks on one scale, dates along the bottom, nothing cut off."""

from __future__ import annotations

import datetime as dt

from saferhomes.risk.chart import BOTTOM, HEIGHT, LEFT, RIGHT, TOP, WIDTH, ChartPoint, risk_chart

LEVELS = ["Low", "Medium", "High"]


def test_points_sit_on_their_band_and_date() -> None:
    chart = risk_chart(
        [
            ChartPoint(on=dt.date(2026, 1, 1), rank=1, ranks=3, label="Low"),
            ChartPoint(on=dt.date(2026, 1, 11), rank=3, ranks=3, label="High"),
            ChartPoint(on=dt.date(2026, 1, 21), rank=2, ranks=3, label="Medium"),
        ],
        level_labels=LEVELS,
    )
    assert chart is not None
    xs = [dot.x for dot in chart.dots]
    ys = [dot.y for dot in chart.dots]
    assert xs == [LEFT, LEFT + (WIDTH - LEFT - RIGHT) / 2, WIDTH - RIGHT]
    assert ys == [HEIGHT - BOTTOM, TOP, (TOP + HEIGHT - BOTTOM) / 2]
    assert [level.y for level in chart.levels] == [HEIGHT - BOTTOM, (TOP + HEIGHT - BOTTOM) / 2, TOP]
    assert [(tick.label, tick.anchor) for tick in chart.ticks] == [("1 Jan 2026", "start"), ("21 Jan 2026", "end")]
    assert chart.line.split() == [f"{x},{y}" for x, y in zip(xs, ys, strict=True)]
    assert chart.summary == "3 assessments from 1 January 2026 to 21 January 2026; the latest is medium."
    assert chart.dots[1].label == "11 January 2026: High"


def test_one_point_is_centred() -> None:
    chart = risk_chart([ChartPoint(on=dt.date(2026, 1, 1), rank=2, ranks=3, label="Medium")], level_labels=LEVELS)
    assert chart is not None
    assert chart.dots[0].x == LEFT + (WIDTH - LEFT - RIGHT) / 2
    assert [(tick.label, tick.anchor) for tick in chart.ticks] == [("1 Jan 2026", "middle")]
    assert chart.summary.startswith("1 assessment from")


def test_nothing_to_draw() -> None:
    assert risk_chart([], level_labels=LEVELS) is None
    only = ChartPoint(on=dt.date(2026, 1, 1), rank=1, ranks=1, label="Only")
    assert risk_chart([only], level_labels=["Only"]) is None
