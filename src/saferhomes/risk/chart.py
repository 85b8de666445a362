"""The chart of risk over time on a case, drawn on the server as SVG geometry (no JavaScript, nothing inline for the
Content-Security-Policy to refuse: presentation attributes only). Pure: points in, coordinates out.

Every banded instrument is put on one scale by the rank of its band (lowest band at the bottom, highest at the top),
so a case assessed with two versions of an instrument still reads as one line. The template draws it with
role="img", a <title> and a <desc>, and a GOV.UK table with the same figures beneath it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.formats import date_format

# Drawn at about the width it is shown on a phone (a 390px screen's column is ~350px), so its 16-unit labels stay
# ~14px there; on a wider screen saferhomes.scss caps it at 30rem (labels ~19px) instead of letting it grow.
WIDTH, HEIGHT = 400, 220
LEFT, RIGHT, TOP, BOTTOM = 96, 16, 16, 44


@dataclass(frozen=True)
class ChartPoint:
    """One assessment on the chart: when, which band rank of how many, and its words."""

    on: dt.date
    rank: int
    ranks: int
    label: str


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Level:
    y: float
    label: str


@dataclass(frozen=True)
class Tick:
    x: float
    label: str
    anchor: str  # SVG text-anchor: the first date starts at its point, the last ends at it, so neither is cut off


@dataclass(frozen=True)
class Chart:
    """Everything the template needs to draw the chart."""

    width: int
    height: int
    left: int
    right: float
    label_x: int  # where the level labels end (right-aligned)
    tick_y: int  # the baseline of the date labels
    line: str  # the polyline's points attribute
    dots: list[Dot]
    levels: list[Level]
    ticks: list[Tick]
    summary: str


def _y(fraction: float) -> float:
    return round(TOP + (1 - fraction) * (HEIGHT - TOP - BOTTOM), 1)


def risk_chart(points: list[ChartPoint], *, level_labels: list[str]) -> Chart | None:
    """The chart for `points` (oldest first), with a labelled line for each of `level_labels` (lowest first)."""
    if not points or len(level_labels) < 2:
        return None
    plot_width = WIDTH - LEFT - RIGHT
    first, last = points[0].on, points[-1].on
    span = (last - first).days

    def x(on: dt.date) -> float:
        if span == 0:
            return round(LEFT + plot_width / 2, 1)
        return round(LEFT + plot_width * (on - first).days / span, 1)

    def fraction(point: ChartPoint) -> float:
        return (point.rank - 1) / (point.ranks - 1) if point.ranks > 1 else 0.0

    dots = [Dot(x=x(p.on), y=_y(fraction(p)), label=f"{date_format(p.on, 'j F Y')}: {p.label}") for p in points]
    steps = len(level_labels) - 1
    levels = [Level(y=_y(i / steps), label=label) for i, label in enumerate(level_labels)]
    if span == 0:
        ticks = [Tick(x=x(first), label=date_format(first, "j M Y"), anchor="middle")]
    else:
        ticks = [
            Tick(x=x(first), label=date_format(first, "j M Y"), anchor="start"),
            Tick(x=x(last), label=date_format(last, "j M Y"), anchor="end"),
        ]
    summary = (
        f"{len(points)} assessment{'s' if len(points) != 1 else ''} from {date_format(first, 'j F Y')} "
        f"to {date_format(last, 'j F Y')}; the latest is {points[-1].label.lower()}."
    )
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=WIDTH - RIGHT,
        label_x=LEFT - 8,
        tick_y=HEIGHT - BOTTOM + 28,
        line=" ".join(f"{dot.x},{dot.y}" for dot in dots),
        dots=dots,
        levels=levels,
        ticks=ticks,
        summary=summary,
    )
