"""Charts of the monthly report as SVG (matplotlib, Agg backend), each shown beside a table of the same figures.

matplotlib is imported inside `bar_chart_svg` (about half a second to load; `django.setup()` must not load it:
tests/core/test_startup.py). The SVG keeps its text as text (`svg.fonttype = none`), starts with a <title> and a
<desc> naming every figure, and is shown as an <img> with alternative text (an image document, so the page's
Content-Security-Policy has nothing inline to refuse) in the HTML page and the PDF alike.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

# GOV.UK colours with enough contrast against white and between each other, plus hatching so colour is not the only
# way to tell the months apart.
SERIES_STYLE = (("#1d70b8", ""), ("#505a5f", "//"), ("#f47738", ".."))
MAX_BARS = 12


@dataclass(frozen=True)
class Chart:
    """A drawn chart: the SVG, a data: URL of it for <img src>, and its alternative text."""

    svg: str
    alt: str

    @property
    def data_url(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


def _number(value: int | Decimal | float | None) -> float:
    return float(value) if value is not None else 0.0


def chart_description(
    title: str, categories: Sequence[str], series: Sequence[tuple[str, Sequence[int | Decimal | float | None]]]
) -> str:
    """Every figure in words, for the chart's alternative text and <desc>."""
    parts = []
    for index, category in enumerate(categories):
        figures = "; ".join(
            f"{name}: {'no figure' if values[index] is None else values[index]}" for name, values in series
        )
        parts.append(f"{category} — {figures}")
    return f"Bar chart, {title}. " + ". ".join(parts) + "."


def bar_chart_svg(
    title: str, categories: Sequence[str], series: Sequence[tuple[str, Sequence[int | Decimal | float | None]]]
) -> Chart:
    """Grouped horizontal bars: one group per category (at most MAX_BARS), one bar per series (the three months)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    categories = list(categories)[:MAX_BARS]
    description = chart_description(title, categories, [(n, list(v)[:MAX_BARS]) for n, v in series])
    height = 1.2 + 0.28 * len(categories) * max(1, len(series))
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "saferhomes", "font.size": 8}):
        figure, axes = plt.subplots(figsize=(4.4, height))
        try:
            bar = 0.8 / max(1, len(series))
            positions = list(range(len(categories)))
            for index, (name, values) in enumerate(series):
                colour, hatch = SERIES_STYLE[index % len(SERIES_STYLE)]
                axes.barh(
                    [p + (index - (len(series) - 1) / 2) * bar for p in positions],
                    [_number(v) for v in list(values)[: len(categories)]],
                    height=bar,
                    color=colour,
                    hatch=hatch,
                    edgecolor="white",
                    label=name,
                )
            axes.set_yticks(positions, [_short(c) for c in categories])
            axes.invert_yaxis()
            axes.set_title(title, loc="left", fontsize=10)
            axes.spines[["top", "right"]].set_visible(False)
            axes.legend(loc="lower right", fontsize=8, frameon=False)
            figure.tight_layout()
            buffer = io.StringIO()
            figure.savefig(buffer, format="svg", metadata={"Date": None, "Title": title})
        finally:
            plt.close(figure)
    svg = _with_title_and_desc(buffer.getvalue(), title, description)
    return Chart(svg=svg, alt=description)


def _short(label: str, limit: int = 26) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


_SVG_OPEN = re.compile(r"(<svg\b[^>]*>)")


def _with_title_and_desc(svg: str, title: str, description: str) -> str:
    """The SVG with role="img", a <title> and a <desc> first (read by assistive technology that opens it)."""
    head = f"<title>{escape(title)}</title><desc>{escape(description)}</desc>"
    return _SVG_OPEN.sub(lambda m: m.group(1).replace("<svg", '<svg role="img"', 1) + head, svg, count=1)
