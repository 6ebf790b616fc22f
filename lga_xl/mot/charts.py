"""The Word report's charts: matplotlib, drawn off-screen (Agg) as PNG images.

No pyplot: each chart is its own ``Figure`` on an Agg canvas, so drawing one
changes no global state and needs no display.  The house font is Arial, or
Liberation Sans (the same letter widths) where Arial is not installed; the
colours are the GOV.UK ones the workbook's native charts use too.

Matplotlib's constrained layout places the plot so that every label fits; it
costs a second pass over the figure.  A chart's layout depends only on its
labels and axis limits, not on the heights of its bars, so it is worked out
once per kind of chart and reused (``lga-xl mot --all`` draws a few hundred
charts of a handful of kinds).
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass

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
DPI = 150  # sharp on screen and on an office printer, and a quarter of the pixels of 300

# Public API.


def chart_png(chart: Chart, width_cm: float = 16.0, dpi: int = DPI) -> bytes:
    """The chart as a PNG image ``width_cm`` wide."""
    with rc_context(_STYLE):
        figure, ax = _columns(chart, width_cm) if not chart.horizontal else _bars(chart, width_cm)
        key = _layout_key(figure, ax, chart)
        layout = _LAYOUTS.get(key)
        if layout is None:
            figure.set_layout_engine("constrained")
        else:
            ax.set_position(layout.axes)
            figure._suptitle.set_y(layout.title_y)
        FigureCanvasAgg(figure)
        buffer = io.BytesIO()
        # Flat colours compress as well at the fastest level.
        figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None}, pil_kwargs={"compress_level": 1})
        if layout is None:
            _LAYOUTS[key] = _Layout(tuple(ax.get_position().bounds), figure._suptitle.get_position()[1])
    return buffer.getvalue()


# Private API.


@dataclass(frozen=True)
class _Layout:
    axes: tuple[float, float, float, float]  # left, bottom, width, height: fractions of the figure
    title_y: float


_LAYOUTS: dict[tuple, _Layout] = {}  # by _layout_key, for the life of the process


def _layout_key(figure: Figure, ax, chart: Chart) -> tuple:
    """What the layout depends on: the figure's size, the texts around the plot and the axis limits.
    The values written beside horizontal bars stay inside the plot (its scale runs 12% past the
    longest bar), so they do not move it."""
    return (tuple(figure.get_size_inches()), chart.horizontal, chart.title, tuple(chart.categories),
            tuple((s.name, s.marker) for s in chart.series), ax.get_xlim(), ax.get_ylim())


def _columns(chart: Chart, width_cm: float) -> tuple[Figure, object]:
    """Grouped columns per category (the strands), targets as a bar-wide line, on the rating scale."""
    figure = Figure(figsize=(width_cm * _CM, 7.8 * _CM))
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
    return figure, ax


def _bars(chart: Chart, width_cm: float) -> tuple[Figure, object]:
    """Grouped bars across, categories top to bottom, shares on a 0 to 100% scale with the values written."""
    bars = [s for s in chart.series if not s.marker]
    height_cm = 1.8 + len(chart.categories) * (0.4 + 0.36 * len(bars))
    figure = Figure(figsize=(width_cm * _CM, height_cm * _CM))
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
    return figure, ax


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
