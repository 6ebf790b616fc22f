"""The Word report's charts: matplotlib, drawn off-screen (Agg) as PNG images.

No pyplot: each chart is its own ``Figure`` on an Agg canvas, so drawing one
changes no global state and needs no display.  The house font is Arial, or
Liberation Sans (the same letter widths) where Arial is not installed; the
colours are the GOV.UK ones the workbook's native charts use too.
"""

from __future__ import annotations

import io
import textwrap

from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from .sections import COLOURS, Chart
from .wording import percent

HOUSE_FONTS = ["Arial", "Liberation Sans", "DejaVu Sans"]
_CM = 1 / 2.54
_STYLE = {
    "font.family": "sans-serif",
    "font.sans-serif": HOUSE_FONTS,
    "font.size": 8.5,
    "text.color": COLOURS["text"],
    "axes.labelcolor": COLOURS["text"],
    "axes.edgecolor": COLOURS["border"],
    "xtick.color": COLOURS["text"],
    "ytick.color": COLOURS["text"],
    "svg.fonttype": "none",
}
LEVEL_TICKS = ((1, "Early"), (2, "Developing"), (3, "Maturing"), (4, "Mature"))

# Public API.


def chart_png(chart: Chart, width_cm: float = 16.0, dpi: int = 200) -> bytes:
    """The chart as a PNG image ``width_cm`` wide."""
    with rc_context(_STYLE):
        figure = _columns(chart, width_cm) if not chart.horizontal else _bars(chart, width_cm)
        FigureCanvasAgg(figure)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


# Private API.


def _columns(chart: Chart, width_cm: float) -> Figure:
    """Grouped columns per category (the strands), targets as a bar-wide line, on the rating scale."""
    figure = Figure(figsize=(width_cm * _CM, 7.8 * _CM), layout="constrained")
    ax = figure.add_subplot()
    bars = [s for s in chart.series if not s.marker]
    width = 0.8 / len(bars)
    for index, series in enumerate(bars):
        offset = (index - (len(bars) - 1) / 2) * width
        xs = [i + offset for i, v in enumerate(series.values) if v is not None]
        ax.bar(xs, [v for v in series.values if v is not None], width * 0.92, color=series.colour,
               label=series.name, zorder=2)
    for series in (s for s in chart.series if s.marker):
        xs = [i for i, v in enumerate(series.values) if v is not None]
        ax.hlines([v for v in series.values if v is not None], [x - 0.43 for x in xs], [x + 0.43 for x in xs],
                  colors=series.colour, linewidth=2.2, label=series.name, zorder=3)
    ax.set_xticks(range(len(chart.categories)), [textwrap.fill(c, 19) for c in chart.categories])
    ax.set_ylim(0, 4.2)
    ax.set_yticks([t for t, _ in LEVEL_TICKS], [label for _, label in LEVEL_TICKS])
    ax.tick_params(axis="both", length=0)
    _finish(figure, ax, chart, axis="y")
    return figure


def _bars(chart: Chart, width_cm: float) -> Figure:
    """Grouped bars across, categories top to bottom, shares on a 0 to 100% scale with the values written."""
    bars = [s for s in chart.series if not s.marker]
    height_cm = 1.8 + len(chart.categories) * (0.4 + 0.36 * len(bars))
    figure = Figure(figsize=(width_cm * _CM, height_cm * _CM), layout="constrained")
    ax = figure.add_subplot()
    thickness = 0.8 / len(bars)
    for index, series in enumerate(bars):
        offset = (index - (len(bars) - 1) / 2) * thickness
        points = [(i + offset, v) for i, v in enumerate(series.values) if v is not None]
        ax.barh([y for y, _ in points], [v for _, v in points], thickness * 0.9, color=series.colour,
                label=series.name, zorder=2)
        for y, value in points:
            ax.text(value, y, f" {percent(value)}", va="center", ha="left", fontsize=7.5, color=COLOURS["text"])
    ax.set_yticks(range(len(chart.categories)), [textwrap.fill(c, 30) for c in chart.categories])
    ax.invert_yaxis()  # the first category at the top, as in the table above the chart
    top = max([1.0] + [v for s in bars for v in s.values if v is not None])
    ax.set_xlim(0, top * 1.12)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.tick_params(axis="both", length=0)
    _finish(figure, ax, chart, axis="x")
    return figure


def _finish(figure: Figure, ax, chart: Chart, axis: str) -> None:
    """Grid, no box, and the title and legend above the plot at the figure's left edge."""
    ax.grid(axis=axis, color=COLOURS["border"], linewidth=0.6, zorder=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    figure.suptitle(chart.title, x=0.0, ha="left", fontsize=10, fontweight="bold")
    if len(chart.series) > 1:
        # In the series' order (matplotlib would put the target's lines before the bars).
        handles, labels = ax.get_legend_handles_labels()
        order = [labels.index(s.name) for s in chart.series]
        ax.legend([handles[i] for i in order], [labels[i] for i in order], loc="lower left",
                  bbox_to_anchor=(0, 1.01), ncol=len(chart.series), frameon=False, fontsize=8, handlelength=1.2,
                  columnspacing=1.2, borderaxespad=0)
