"""Charts for hotspots and trends (issue 18 part 3), drawn by matplotlib as SVG and shown as an image with alt text
and a data table beside it (the table is the accessible alternative; the chart never holds a figure the table does
not). matplotlib is imported when a chart is drawn, not at start-up (tests/core/test_startup.py).

The SVG is shown as a `data:` image: matplotlib's SVG carries style attributes, which the Content-Security-Policy
refuses inline but which an image keeps to itself.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from dataclasses import dataclass

# GOV.UK colours: the bars in blue, text in black on white (contrast well above 4.5:1).
BAR = "#1d70b8"
TEXT = "#0b0c0c"
GRID = "#b1b4b6"


@dataclass(frozen=True)
class BarChart:
    """A drawn chart: its SVG as a data URI, and the words that stand for it."""

    data_uri: str
    alt: str


def bar_chart(labels: Sequence[str], values: Sequence[int], *, title: str, horizontal: bool = False) -> BarChart | None:
    """A bar chart of `values` under `labels` (None when there is nothing to draw)."""
    if not labels or not any(values):
        return None
    from matplotlib.figure import Figure  # heavy (with PIL): only when a chart is drawn
    from matplotlib.ticker import MaxNLocator

    count = len(labels)
    height = max(2.0, 0.32 * count + 0.9) if horizontal else 3.4
    figure = Figure(figsize=(6.4, height))
    axes = figure.add_subplot()
    positions = list(range(count))
    if horizontal:
        axes.barh(positions, values, color=BAR)
        axes.set_yticks(positions, labels=list(labels), fontsize=9, color=TEXT)
        axes.invert_yaxis()
        axes.xaxis.grid(True, color=GRID, linewidth=0.5)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))  # counts: no 0.5 of a case
    else:
        axes.bar(positions, values, color=BAR)
        step = max(1, count // 12)  # at most about a dozen date labels, so they stay readable
        shown = positions[::step]
        axes.set_xticks(shown, labels=[labels[i] for i in shown], fontsize=8, color=TEXT, rotation=45, ha="right")
        axes.yaxis.grid(True, color=GRID, linewidth=0.5)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_axisbelow(True)
    axes.tick_params(colors=TEXT)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.set_title(title, fontsize=11, color=TEXT, loc="left")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return BarChart(data_uri=f"data:image/svg+xml;base64,{encoded}", alt=_alt(title, labels, values))


def _alt(title: str, labels: Sequence[str], values: Sequence[int]) -> str:
    """A sentence for the chart: what it shows, how many bars, and the largest. The table beside it has the rest."""
    top = max(range(len(values)), key=lambda i: values[i])
    return (
        f"Bar chart: {title}. {len(labels)} bars, {sum(values):,} in all; the largest is {labels[top]} "
        f"with {values[top]:,}. The table that follows gives every figure."
    )
