"""The Word report's charts: matplotlib, drawn off-screen (Agg) as PNG images.

No pyplot: each chart is drawn on a ``Figure`` of its own on an Agg canvas,
so drawing one changes no global state and needs no display.  The house font
is Arial, or Liberation Sans (the same letter widths) where Arial is not
installed; the colours are the GOV.UK ones the workbook's native charts use
too.

A chart is drawn in two parts: its frame (axes, scale, grid, category labels,
title and legend), laid out by matplotlib's constrained layout so that every
label fits, and its data (the bars, the target lines, the values written
beside bars).  The frame depends only on the labels and the scale, so it is
drawn once per kind of chart and kept as a picture; each chart then draws only
its data over a copy (matplotlib's "blitting").  ``lga-xl mot --all`` draws a
few hundred charts of a handful of kinds; laying out and drawing every text
again for each would take most of its time.

Example:
    >>> from lga_xl.mot.sections import Series
    >>> chart = Chart("Shares", ["One", "Two"], [Series("Council", [0.5, None], "#1d70b8")], "percent", True)
    >>> chart_png(chart)[:8]
    b'\\x89PNG\\r\\n\\x1a\\n'
"""

from __future__ import annotations

import io
import math
import textwrap
from collections import OrderedDict
from dataclasses import dataclass

from matplotlib import rc_context
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.text import Text
from matplotlib.ticker import PercentFormatter
from PIL import Image

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
FRAMES_KEPT = 16  # frames kept per process (each holds a picture of 2 to 3 MB)

# Public API.


def chart_png(chart: Chart, width_cm: float = 16.0, dpi: int = DPI) -> bytes:
    """The chart as a PNG image ``width_cm`` wide."""
    with rc_context(_STYLE):
        frame = _frame(chart, width_cm, dpi)
        data = _column_data(frame.ax, chart) if not chart.horizontal else _bar_data(frame.ax, chart)
        canvas = frame.figure.canvas
        canvas.restore_region(frame.background)
        # In the order a full drawing would take: bars, then the plot's edges over their ends, then lines and text.
        edges = [spine for spine in frame.ax.spines.values() if spine.get_visible()]
        for artist in sorted([*data, *edges], key=lambda a: a.get_zorder()):
            frame.ax.draw_artist(artist)
        width, height = canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        # Opaque, so RGB; flat colours compress about as well at the fastest level as at the best.
        image.convert("RGB").save(buffer, format="PNG", compress_level=1, dpi=(dpi, dpi))
    return buffer.getvalue()


# Private API.


@dataclass
class _Frame:
    figure: Figure
    ax: Axes
    background: object  # the canvas's picture of the frame alone


_FRAMES: OrderedDict[tuple, _Frame] = OrderedDict()  # by _frame_key, the most recently used last


def _frame_key(chart: Chart, width_cm: float, dpi: int) -> tuple:
    """Everything the frame shows.  For bars across, the scale runs 12% past the longest bar, so it is
    part of the frame, and the values written beside the bars stay inside the plot."""
    return (chart.horizontal, chart.title, tuple(chart.categories),
            tuple((s.name, s.colour, s.marker) for s in chart.series), width_cm, dpi,
            _scale_end(chart) if chart.horizontal else None)


def _frame(chart: Chart, width_cm: float, dpi: int) -> _Frame:
    key = _frame_key(chart, width_cm, dpi)
    frame = _FRAMES.get(key)
    if frame is None:
        figure, ax = _column_frame(chart, width_cm, dpi) if not chart.horizontal else _bar_frame(chart, width_cm, dpi)
        figure.set_layout_engine("constrained")
        canvas = FigureCanvasAgg(figure)
        canvas.draw()
        figure.set_layout_engine("none")  # keep the layout just worked out: the data never moves it
        frame = _FRAMES[key] = _Frame(figure, ax, canvas.copy_from_bbox(figure.bbox))
        while len(_FRAMES) > FRAMES_KEPT:
            _FRAMES.popitem(last=False)
    _FRAMES.move_to_end(key)
    return frame


def _column_frame(chart: Chart, width_cm: float, dpi: int) -> tuple[Figure, Axes]:
    """Grouped columns per category (the strands), targets as a bar-wide line, on the rating scale."""
    figure = Figure(figsize=(width_cm * _CM, 7.8 * _CM), dpi=dpi)
    ax = figure.add_subplot()
    ax.set_xticks(range(len(chart.categories)), [textwrap.fill(c, 19) for c in chart.categories])
    ax.set_xlim(-0.5, len(chart.categories) - 0.5)
    ax.set_ylim(0, 4.2)
    ax.set_yticks([t for t, _ in LEVEL_TICKS], [label for _, label in LEVEL_TICKS])
    ax.tick_params(axis="both", length=0)
    _finish(figure, ax, chart, axis="y")
    return figure, ax


def _column_data(ax: Axes, chart: Chart) -> list[Artist]:
    bars = [s for s in chart.series if not s.marker]
    width = 0.8 / len(bars)
    drawn: list[Artist] = []
    for index, series in enumerate(bars):
        offset = (index - (len(bars) - 1) / 2) * width
        drawn += [_on(ax, Rectangle((i + offset - width * 0.46, 0), width * 0.92, value, facecolor=series.colour,
                                    zorder=2)) for i, value in enumerate(series.values) if value is not None]
    for series in (s for s in chart.series if s.marker):
        lines = [((i - 0.43, value), (i + 0.43, value)) for i, value in enumerate(series.values) if value is not None]
        drawn.append(_on(ax, LineCollection(lines, colors=[series.colour], linewidths=2.2, zorder=3)))
    return drawn


def _bar_frame(chart: Chart, width_cm: float, dpi: int) -> tuple[Figure, Axes]:
    """Grouped bars across, categories top to bottom, shares on a 0 to 100% scale with the values written."""
    bars = [s for s in chart.series if not s.marker]
    height_cm = 1.8 + len(chart.categories) * (0.4 + 0.36 * len(bars))
    figure = Figure(figsize=(width_cm * _CM, height_cm * _CM), dpi=dpi)
    ax = figure.add_subplot()
    ax.set_yticks(range(len(chart.categories)), [textwrap.fill(c, 30) for c in chart.categories])
    ax.set_ylim(len(chart.categories) - 0.5, -0.5)  # the first category at the top, as in the table above the chart
    ax.set_xlim(0, _scale_end(chart))
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.tick_params(axis="both", length=0)
    _finish(figure, ax, chart, axis="x")
    return figure, ax


def _bar_data(ax: Axes, chart: Chart) -> list[Artist]:
    bars = [s for s in chart.series if not s.marker]
    thickness = 0.8 / len(bars)
    drawn: list[Artist] = []
    for index, series in enumerate(bars):
        offset = (index - (len(bars) - 1) / 2) * thickness
        for i, value in enumerate(series.values):
            if value is not None:
                drawn.append(_on(ax, Rectangle((0, i + offset - thickness * 0.45), value, thickness * 0.9,
                                               facecolor=series.colour, zorder=2)))
                drawn.append(_on(ax, Text(value, i + offset, f" {percent(value)}", va="center", ha="left",
                                          fontsize=7.5, color=COLOURS["text"]), clip=False))
    return drawn


def _on(ax: Axes, artist: Artist, clip: bool = True) -> Artist:
    """An artist placed in the plot's coordinates without joining the plot, as the frame must not change:
    nothing is rescaled, and nothing is left to remove once it is drawn."""
    artist.set_figure(ax.get_figure(root=False))
    artist.set_transform(ax.transData)
    artist.axes = ax
    if clip:
        artist.set_clip_path(ax.patch)
    return artist


def _scale_end(chart: Chart) -> float:
    """Where a scale of shares ends: 12% past 100%, or past the longest bar rounded up to a quarter
    (so that charts share a few scales, and so their frames)."""
    longest = max([1.0] + [v for s in chart.series if not s.marker for v in s.values if v is not None])
    return 1.12 * math.ceil(longest * 4) / 4


def _finish(figure: Figure, ax: Axes, chart: Chart, axis: str) -> None:
    """Grid, no box, and the title and legend above the plot at the figure's left edge."""
    ax.grid(axis=axis, color=COLOURS["border"], linewidth=0.6, zorder=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    figure.suptitle(chart.title, x=0.0, ha="left", fontsize=10, fontweight="bold")
    if len(chart.series) > 1:
        # A key for each series, in the series' order: a swatch for bars, a line for the target.
        keys = [Line2D([], [], color=s.colour, linewidth=2.2) if s.marker else Patch(facecolor=s.colour)
                for s in chart.series]
        ax.legend(keys, [s.name for s in chart.series], loc="lower left", bbox_to_anchor=(0, 1.01),
                  ncol=len(chart.series), frameon=False, fontsize=8, handlelength=1.2, columnspacing=1.2,
                  borderaxespad=0)
