"""The house style of every workbook lga_xl writes, defined once as plain data.

The style (fonts, fills, number formats, the colour key, print set-up,
charts) is data at the top of this module; two thin adapters put it on a
workbook: functions taking openpyxl objects (the templates officers fill in)
and :class:`XlsxWriterStyle` (the adviser's consolidated workbook).  Pure
helpers in between measure text in the house font, fit columns, wrap
formulas so empty rows stay blank, and work out where printed pages break.
``docs/house-style.md`` explains the choices.

Example:
    >>> from openpyxl import Workbook
    >>> wb = Workbook()
    >>> use_house_font(wb)
    >>> ws = wb.active
    >>> ws["A1"] = "Schools apprenticeship levy plan"
    >>> apply(ws["A1"], TITLE)
    >>> ws["A3"] = 1234.5
    >>> apply(ws["A3"], CALCULATED, MONEY)
    >>> (ws["A1"].font.name, ws["A1"].font.sz, ws["A3"].number_format)
    ('Arial', 16.0, '£#,##0.00')
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from weakref import WeakKeyDictionary

from openpyxl import Workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.chart.axis import ChartLines
from openpyxl.chart.data_source import AxDataSource, NumData, NumVal, StrData, StrRef, StrVal
from openpyxl.chart.legend import Legend
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText
from openpyxl.chart.title import title_maker
from openpyxl.drawing.line import LineProperties
from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, OneCellAnchor
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties
from openpyxl.drawing.text import Font as DrawingFont
from openpyxl.drawing.xdr import XDRPositiveSize2D
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, range_boundaries, range_to_tuple
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.utils.units import cm_to_EMU, pixels_to_EMU
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

# Public API: the style as data.

# Arial: installed with every copy of Windows and macOS, used by Excel and LibreOffice alike, and
# drawn on Linux by Liberation Sans, which has the same advance widths (so columns measured here fit
# everywhere). Calibri is not on a Mac without Office, nor in LibreOffice.
FONT_NAME = "Arial"
TITLE_SIZE = 16
HEADING_SIZE = 12
BODY_SIZE = 10
NOTE_SIZE = 10  # notes differ by colour, not by size: small grey italics are hard to read
FOOTER_SIZE = 9
CHART_TITLE_SIZE = 11
CHART_TEXT_SIZE = 9

# GOV.UK Design System colours (hex RGB). Text colours meet WCAG AA on white and on every fill below.
TEXT_COLOUR = "0B0C0C"
SECONDARY_TEXT_COLOUR = "505A5F"
BLUE = "1D70B8"
WHITE = "FFFFFF"
BORDER_COLOUR = "B1B4B6"
INPUT_COLOUR = "FFF7BF"  # pale yellow: type here
CALCULATED_COLOUR = "CCE2D8"  # pale green: worked out for you
CHECK_COLOUR = "FCD6C3"  # pale orange: a row to check
WARNING_COLOUR = "F4CDC6"  # pale red: needs attention

# Number formats: one per kind of figure, used by every workbook.
MONEY = "£#,##0.00"
MONEY_WHOLE = "£#,##0"  # large summary figures and chart axes
PERCENT = "0.0%"  # the one percentage style; the cell holds a fraction (0.25 shows 25.0%)
DATE = "dd/mm/yyyy"
MONTH = "mmm yyyy"
COUNT = "#,##0"
SCORE = "0.0"
RATIO = "0.00"  # a ratio as a share: 0.10 is 1 in 10

# The table style: none. Every look comes from the cells' own formats, so that Excel and
# LibreOffice (which does not draw table styles) print the same thing.
TABLE_STYLE: str | None = None


@dataclass(frozen=True)
class FontSpec:
    """A font of the house family: size, weight and colour."""

    size: float = BODY_SIZE
    bold: bool = False
    colour: str = TEXT_COLOUR
    name: str = FONT_NAME


@dataclass(frozen=True)
class CellStyle:
    """Everything the house style sets on a cell; the adapters turn it into formats.

    ``unlocked`` cells can be typed into on a protected sheet.
    """

    font: FontSpec = FontSpec()
    fill: str | None = None
    border: bool = False
    wrap: bool = False
    number_format: str | None = None
    unlocked: bool = False
    horizontal: str | None = None
    vertical: str = "top"

    def formatted(self, number_format: str | None) -> CellStyle:
        """The same style showing numbers as ``number_format``."""
        return replace(self, number_format=number_format)


TITLE = CellStyle(FontSpec(TITLE_SIZE, bold=True))
HEADING = CellStyle(FontSpec(HEADING_SIZE, bold=True))
BODY = CellStyle()
LABEL = CellStyle(FontSpec(bold=True))
NOTE = CellStyle(FontSpec(NOTE_SIZE, colour=SECONDARY_TEXT_COLOUR))
PARAGRAPH = CellStyle(wrap=True)  # running text, as on an Instructions sheet
TABLE_HEADER = CellStyle(FontSpec(bold=True, colour=WHITE), fill=BLUE, border=True, wrap=True)
TABLE_CELL = CellStyle(border=True, wrap=True)
INPUT = CellStyle(fill=INPUT_COLOUR, border=True, unlocked=True)
CALCULATED = CellStyle(fill=CALCULATED_COLOUR, border=True)
CHECK = CellStyle(fill=CHECK_COLOUR, border=True)
WARNING = CellStyle(FontSpec(bold=True), fill=WARNING_COLOUR, border=True)


@dataclass(frozen=True)
class KeyEntry:
    """One line of the colour key: a swatch showing ``colour_name`` and what it means."""

    colour_name: str
    meaning: str
    style: CellStyle


KEY = (
    KeyEntry("Yellow", "Type here", INPUT),
    KeyEntry("Green", "Worked out for you", CALCULATED),
)
# For sheets whose rows are checked: add these to KEY.
CHECK_KEY = KeyEntry("Orange", "A row to check: read its Check column", CHECK)
WARNING_KEY = KeyEntry("Red", "Needs attention", WARNING)


@dataclass(frozen=True)
class Margins:
    """Page margins in inches; the footer sits inside the bottom margin."""

    left: float = 0.4
    right: float = 0.4
    top: float = 0.5
    bottom: float = 0.65
    header: float = 0.25
    footer: float = 0.25


MARGINS = Margins()
A4_PORTRAIT_PT = (595.28, 841.89)  # width, height in points

# Ordered ratings (Early .. Mature): one hue, light to dark (ColorBrewer "Blues"), so the order
# reads without colour vision and in greyscale; the lightest still stands out on white.
RATING_PALETTE = ("C6DBEF", "9ECAE1", "6BAED6", "4292C6", "2171B5", "08519C", "08306B")
# Unordered series: the Okabe-Ito palette, distinguishable with the common colour-vision deficiencies.
SERIES_PALETTE = ("0072B2", "E69F00", "009E73", "D55E00", "CC79A7", "56B4E9", "000000")

BAR_GAP = 60  # percent of a bar's width between groups of bars

MAX_TEXT_WIDTH = 60.0  # characters: wider text wraps
MIN_COLUMN_WIDTH = 6.0
HEADER_ONE_LINE_WIDTH = 16.0  # a header up to this wide stays on one line rather than wrap
# Excel measures columns in widths of the digit 0 of the default font: 7 pixels for Arial 10
# (and Calibri 11), plus 5 pixels of cell padding.
DIGIT_PIXELS = 7
CELL_PADDING_PIXELS = 5
_SAFETY_PIXELS = 6  # room to spare: Excel and LibreOffice round text and column widths differently

# Excel's limits on data validation texts (MS-OI29500, dataValidation): longer ones make it repair the file.
MAX_VALIDATION_TITLE = 32
MAX_PROMPT = 255
MAX_ERROR = 224


# Public API: measuring text in the house font.

# Advance widths (thousandths of an em) of Arial, which Liberation Sans shares exactly.
_METRIC_CHARS = (" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"
                 "£€–—‘’“”•…éèáàâêôöüç×÷°±½")
_REGULAR_WIDTHS = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556,
    556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667,
    556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556,
    556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722,
    500, 500, 500, 334, 260, 334, 584, 556, 556, 556, 1000, 222, 222, 333, 333, 350, 1000, 556, 556, 556, 556, 556,
    556, 556, 556, 556, 500, 584, 549, 400, 549, 834,
)
_BOLD_WIDTHS = (
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556,
    556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722,
    611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556,
    611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778,
    556, 556, 500, 389, 280, 389, 584, 556, 556, 556, 1000, 278, 278, 500, 500, 350, 1000, 556, 556, 556, 556, 556,
    556, 611, 611, 611, 556, 584, 549, 400, 549, 834,
)
_WIDTHS = {False: dict(zip(_METRIC_CHARS, _REGULAR_WIDTHS)), True: dict(zip(_METRIC_CHARS, _BOLD_WIDTHS))}
_UNKNOWN_CHAR_WIDTH = 667  # a letter outside the table: as wide as a capital, to err on the wide side


def text_pixels(text: str, *, size: float = BODY_SIZE, bold: bool = False) -> float:
    """Width of one line of ``text`` in the house font, in pixels at 96 dpi.

    Example:
        >>> text_pixels("0")  # a digit of Arial 10: Excel's unit of column width is this, rounded
        7.413333333333333
        >>> text_pixels("Total", bold=True) > text_pixels("Total")
        True
    """
    widths = _WIDTHS[bold]
    thousandths = sum(widths.get(char, _UNKNOWN_CHAR_WIDTH) for char in text)
    return thousandths / 1000 * size * 96 / 72


def width_for_pixels(pixels: float) -> float:
    """The column width (in characters, as Excel's Column Width box shows it) that shows ``pixels`` of text.

    Rounded up to a quarter character.

    Example:
        >>> width_for_pixels(70)  # (70 + 6 pixels to spare) / 7 pixels a character
        11.0
    """
    return math.ceil((pixels + _SAFETY_PIXELS) / DIGIT_PIXELS * 4) / 4


def column_pixels(width: float) -> int:
    """Pixels a column of ``width`` characters takes on screen and paper (at 96 dpi).

    Example:
        >>> column_pixels(8.43)  # Excel's default column
        64
    """
    return int(width * DIGIT_PIXELS + 0.5) + CELL_PADDING_PIXELS


def line_height(size: float = BODY_SIZE) -> float:
    """Height in points of a row holding one line of the house font at ``size``.

    Matches Excel's automatic row heights for Arial (12.75 points at 10) to the pixel.

    Example:
        >>> line_height(10), line_height(16)
        (12.75, 20.25)
    """
    pixels = math.ceil((size * 1.2 + 0.75) * 4 / 3)
    return pixels * 0.75


def wrapped_lines(text: str, width: float, *, size: float = BODY_SIZE, bold: bool = False) -> int:
    """How many lines ``text`` takes in a column ``width`` characters wide when it wraps.

    Words move to the next line whole, as in Excel; a word wider than the
    column takes a line of its own.

    Example:
        >>> wrapped_lines("Transfer allowance at the statutory rate", 20)
        2
        >>> wrapped_lines("Score", 14)
        1
    """
    available = column_pixels(width) - CELL_PADDING_PIXELS - _SAFETY_PIXELS / 2  # err towards one line more
    space = text_pixels(" ", size=size, bold=bold)
    lines = 0
    for paragraph in str(text).split("\n"):
        lines += 1
        used = 0.0
        for word in paragraph.split():
            word_width = text_pixels(word, size=size, bold=bold)
            if used and used + space + word_width > available:
                lines += 1
                used = word_width
            else:
                used += (space if used else 0) + word_width
    return max(lines, 1)


_FORMATTERS: dict[str | None, Callable[[float], str]] = {
    MONEY: lambda v: ("-" if v < 0 else "") + f"£{abs(v):,.2f}",
    MONEY_WHOLE: lambda v: ("-" if v < 0 else "") + f"£{abs(v):,.0f}",
    PERCENT: lambda v: f"{v * 100:.1f}%",
    COUNT: lambda v: f"{v:,.0f}",
    SCORE: lambda v: f"{v:.1f}",
    "0": lambda v: f"{v:.0f}",
    RATIO: lambda v: f"{v:.2f}",
    "#,##0.00": lambda v: f"{v:,.2f}",
    "0%": lambda v: f"{v * 100:.0f}%",
}
_DATE_FORMATTERS = {DATE: "%d/%m/%Y", MONTH: "%b %Y", "mmm yy": "%b %y"}
# What a formula in a column of each format may show at its widest, to size columns of formulas.
WIDEST_VALUES: dict[str, object] = {
    MONEY: Decimal("-9999999.99"),
    MONEY_WHOLE: Decimal("-99999999"),
    PERCENT: Decimal("-1"),
    COUNT: 999_999,
    SCORE: Decimal("-4.0"),
    DATE: dt.date(2026, 12, 30),
    MONTH: dt.date(2026, 5, 1),  # May: the widest month abbreviation in Arial
}


def display_text(value: object, number_format: str | None = None) -> str:
    """What a cell holding ``value`` shows under one of the house number formats.

    Formats outside the house style show as Excel's General would (near enough
    to measure).

    Example:
        >>> display_text(Decimal("-1234.5"), MONEY), display_text(0.25, PERCENT)
        ('-£1,234.50', '25.0%')
        >>> display_text(dt.date(2026, 9, 1), MONTH)
        'Sep 2026'
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.date):
        return value.strftime(_DATE_FORMATTERS.get(number_format or "", "%d/%m/%Y"))
    if isinstance(value, int | float | Decimal):
        formatter = _FORMATTERS.get(number_format)
        if formatter is not None:
            return formatter(float(value))
        return str(value) if isinstance(value, int) else f"{float(value):.10g}"
    return str(value)


@dataclass(frozen=True)
class ColumnFit:
    """A column's width in characters (as Excel's Column Width box shows it) and whether its text wraps."""

    width: float
    wrap: bool = False


def fit_column(
    values: Iterable[object],
    *,
    number_format: str | None = None,
    header: str | None = None,
    size: float = BODY_SIZE,
    bold: bool = False,
    cap: float = MAX_TEXT_WIDTH,
    header_lines: int = 2,
) -> ColumnFit:
    """The width that shows every value whole: numbers always (never ``#####``), text up to ``cap``.

    Text wider than ``cap`` wraps at ``cap``; a bold ``header`` may wrap onto
    ``header_lines`` lines rather than widen a column of short numbers.

    Example:
        >>> fit_column([1250000, 99.5], number_format=MONEY, header="Pay bill")  # £1,250,000.00
        ColumnFit(width=13.25, wrap=False)
        >>> fit_column(["A very long note " * 10], cap=40)
        ColumnFit(width=40, wrap=True)
    """
    number_pixels = text = 0.0
    for value in values:
        shown = display_text(value, number_format)
        pixels = text_pixels(shown, size=size, bold=bold)
        if isinstance(value, str):
            text = max(text, pixels)
        else:
            number_pixels = max(number_pixels, pixels)
    width = max(width_for_pixels(number_pixels), min(width_for_pixels(text), cap), MIN_COLUMN_WIDTH)
    wrap = width_for_pixels(text) > width
    if header:
        width = max(width, _header_width(header, width, cap, header_lines))
    return ColumnFit(width, wrap)


def _header_width(header: str, at_least: float, cap: float, lines: int) -> float:
    """The width from ``at_least`` on that shows a bold header on one line if that costs little, else in ``lines``."""
    one_line = width_for_pixels(text_pixels(header, bold=True))
    if one_line <= max(at_least, HEADER_ONE_LINE_WIDTH):
        return max(at_least, one_line)
    longest_word = max((text_pixels(word, bold=True) for word in header.split()), default=0.0)
    width = max(at_least, width_for_pixels(longest_word))
    while width < cap and wrapped_lines(header, width, bold=True) > lines:
        width += 0.25
    return width


# Public API: formulas and headings.


def blank_when_empty(formula: str, inputs: Sequence[str]) -> str:
    """Wrap ``formula`` so it shows nothing until one of ``inputs`` (cells or ranges) is filled in.

    Use it on the visible calculated cells of a table's rows, so empty rows
    show blanks instead of columns of 0.00. The result is text ("") on an empty
    row: totals over such a column must use SUM, SUMIF(S) or COUNTIF(S) (which
    skip text), never ``+`` or SUMPRODUCT arithmetic, and hidden working
    columns that SUMPRODUCT reads should stay unwrapped.

    Example:
        >>> blank_when_empty("=ROUND(D6*2,2)", ["A6:C6", "E6"])
        '=IF(COUNTA(A6:C6,E6)=0,"",ROUND(D6*2,2))'
    """
    if not inputs:
        raise ValueError("blank_when_empty needs at least one input cell")
    body = formula[1:] if formula.startswith("=") else formula
    return f'=IF(COUNTA({",".join(inputs)})=0,"",{body})'


_RUN_TOGETHER = re.compile(r"[a-z][A-Z]|_")


def heading_problems(headings: Iterable[str]) -> list[str]:
    """Headings that read as code names (``PayBill``, ``org_type``) rather than plain English.

    Example:
        >>> for problem in heading_problems(["Pay bill", "LevyShare", "org_type", "URN"]):
        ...     print(problem)
        'LevyShare' runs words together: write it as words ('Levy share', not 'LevyShare')
        'org_type' runs words together: write it as words ('Levy share', not 'LevyShare')
    """
    return [
        f"{heading!r} runs words together: write it as words ('Levy share', not 'LevyShare')"
        for heading in headings
        if _RUN_TOGETHER.search(heading)
    ]


def check_validation_texts(title: str, prompt: str, error: str) -> None:
    """Raise ValueError when a validation's texts exceed Excel's limits (which make it repair the file)."""
    for what, text, limit in (("title", title, MAX_VALIDATION_TITLE), ("prompt", prompt, MAX_PROMPT),
                              ("error", error, MAX_ERROR)):
        if not text or len(text) > limit:
            raise ValueError(f"validation {what} must have 1 to {limit} characters: {text!r}")


# Public API: printing.


def footer_text(title: str) -> str:
    """The house footer in Excel's header/footer codes: title left, sheet centre, page right.

    Example:
        >>> footer = footer_text("Levy plan & forecast")
        >>> footer[:40]
        '&L&"Arial,Regular"&9&K505A5FLevy plan &&'
        >>> footer[-13:]
        'Page &P of &N'
    """
    font = f'&"{FONT_NAME},Regular"&{FOOTER_SIZE}&K{SECONDARY_TEXT_COLOUR}'
    return f"&L{font}{_footer_escape(title)}&C{font}&A&R{font}Page &P of &N"


def _footer_escape(text: str) -> str:
    # "&" starts a code in a footer; Excel allows 255 characters in the whole footer.
    return text.replace("&", "&&")[:120]


@dataclass(frozen=True)
class PrintedPage:
    """An A4 page, its orientation and margins: how much of a sheet fits on it."""

    landscape: bool = False
    margins: Margins = MARGINS

    @property
    def printable_width(self) -> float:
        """Points across between the side margins."""
        width = A4_PORTRAIT_PT[1] if self.landscape else A4_PORTRAIT_PT[0]
        return width - (self.margins.left + self.margins.right) * 72

    @property
    def printable_height(self) -> float:
        """Points down between the top and bottom margins."""
        height = A4_PORTRAIT_PT[0] if self.landscape else A4_PORTRAIT_PT[1]
        return height - (self.margins.top + self.margins.bottom) * 72

    def scale(self, content_width: float) -> float:
        """The fit-to-one-page-wide zoom for ``content_width`` points of columns (whole percent, at most 1).

        Example:
            >>> PrintedPage().scale(1000.0)
            0.53
        """
        if content_width <= self.printable_width:
            return 1.0
        return max(10, math.floor(100 * self.printable_width / content_width)) / 100


def wider_than_portrait(content_width: float) -> bool:
    """Whether ``content_width`` points of columns print better across a landscape page.

    Example:
        >>> wider_than_portrait(500.0), wider_than_portrait(700.0)
        (False, True)
    """
    return content_width > PrintedPage().printable_width


def page_starts(
    heights: Sequence[float], *, usable_height: float, repeated_height: float = 0.0, breaks: Iterable[int] = ()
) -> list[int]:
    """Indexes of the rows that begin each printed page after the first.

    ``heights`` are the printed rows' heights (points, already scaled),
    ``repeated_height`` the height of the header rows repeated on every page
    after the first, ``breaks`` indexes of rows that start a page by hand.

    Example:
        >>> page_starts([10.0] * 25, usable_height=100.0)
        [10, 20]
        >>> page_starts([10.0] * 25, usable_height=100.0, repeated_height=20.0, breaks=[5])
        [5, 13, 21]
    """
    manual = set(breaks)
    starts: list[int] = []
    used = 0.0
    for index, height in enumerate(heights):
        page_is_empty = used <= (repeated_height if starts else 0.0)
        if index in manual and index > 0 or used + height > usable_height and not page_is_empty:
            starts.append(index)
            used = repeated_height
        used += height
    return starts


# Public API: the openpyxl adapter (templates).


def use_house_font(wb: Workbook) -> None:
    """Make Arial 10 the workbook's default font; call it before styling any cell.

    Every cell without a font of its own, and Excel's measure of column widths,
    then use the house font rather than Calibri (which LibreOffice replaces).
    """
    font = _font(FontSpec())
    # openpyxl keeps the default font as entry 0 of its private font list; no public setter exists.
    # Replacing that entry keeps the other entries where styled cells expect them.
    wb._fonts = IndexedList([font, *list(wb._fonts)[1:]])
    wb._named_styles["Normal"].font = font


def apply(cells: Cell | Iterable[Cell], style: CellStyle, number_format: str | None = None) -> None:
    """Put ``style`` (showing numbers as ``number_format`` if given) on one cell or many.

    Example:
        >>> from openpyxl import Workbook
        >>> ws = Workbook().active
        >>> apply(ws["B2"], INPUT, DATE)
        >>> ws["B2"].fill.fgColor.rgb, ws["B2"].protection.locked, ws["B2"].number_format
        ('00FFF7BF', False, 'dd/mm/yyyy')
    """
    for cell in [cells] if isinstance(cells, Cell) else cells:
        known = _STYLE_IDS.setdefault(cell.parent.parent, {})
        ids = known.get((style, number_format))
        if ids is None:
            formatted = style if number_format is None else style.formatted(number_format)
            _put_style(cell, formatted)
            known[style, number_format] = {key: getattr(cell._style, key) for key in _ids_set_by(formatted)}
        else:
            if not cell._style:
                cell._style = StyleArray()
            for key, value in ids.items():
                setattr(cell._style, key, value)


# openpyxl files a style put on a cell by hashing it against every style of the workbook, which costs more
# than the rest of writing a workbook; so each style is filed once per workbook, and its ids in the
# workbook's lists are then set on further cells as openpyxl's own setters set them.
_STYLE_IDS: WeakKeyDictionary[Workbook, dict[tuple[CellStyle, str | None], dict[str, int]]] = WeakKeyDictionary()


def merge_cells(ws: Worksheet, range_string: str | None = None, *, start_row: int | None = None,
                start_column: int | None = None, end_row: int | None = None, end_column: int | None = None) -> None:
    """Merge a range of cells (``"F3:H3"``, or its first and last rows and columns from 1), as openpyxl's
    ``Worksheet.merge_cells`` does.

    openpyxl gives the cells on each edge of the range the top-left cell's border on that edge, and every
    cell its protection, filing each by hashing it against the workbook's own; for the few edges a
    workbook has, the border ids are kept (per workbook) and set on the cells, the same ids openpyxl
    would set, and the top-left cell's protection id is set on the others.

    Example:
        >>> from openpyxl import Workbook
        >>> ws = Workbook().active
        >>> ws["A1"].border = Border(bottom=Side(style="thin"))
        >>> merge_cells(ws, "A1:C1")
        >>> merge_cells(ws, start_row=2, start_column=1, end_row=2, end_column=2)
        >>> [merged.coord for merged in ws.merged_cells.ranges], ws["C1"].border.bottom.style
        (['A1:C1', 'A2:B2'], 'thin')
    """
    if range_string is None:
        range_string = CellRange(min_col=start_column, min_row=start_row, max_col=end_column, max_row=end_row).coord
    merged = MergedCellRange(ws, range_string)
    ws.merged_cells.add(merged)
    cells = merged.cells
    next(cells)  # the top-left cell keeps its value and style
    for row, column in cells:
        ws._cells[row, column] = MergedCell(ws, row, column)
    start = merged.start_cell
    known = _EDGE_BORDER_IDS.setdefault(ws.parent, {})
    for edge in ("top", "left", "right", "bottom"):
        side = getattr(start.border, edge)
        if side and side.style is None:
            continue  # as openpyxl: no border on that edge to carry
        for coordinate in getattr(merged, edge):
            cell = ws._cells[coordinate]
            if cell._style is None:  # a merged cell has no style until one is set
                cell._style = StyleArray()
            key = (cell._style.borderId, start._style.borderId, edge)
            if key not in known:
                cell.border += Border(**{edge: side})
                known[key] = cell._style.borderId
            cell._style.borderId = known[key]
    for row, column in merged.cells:  # and each cell the top-left cell's protection (its first equal's id)
        cell = ws._cells[row, column]
        if cell._style is None:
            cell._style = StyleArray()
        cell._style.protectionId = start._style.protectionId


# (a cell's border id, the top-left cell's, an edge) -> the border id of the one given the other's edge.
_EDGE_BORDER_IDS: WeakKeyDictionary[Workbook, dict[tuple[int, int, str], int]] = WeakKeyDictionary()


def _put_style(cell: Cell, style: CellStyle) -> None:
    cell.font = _font(style.font)
    cell.alignment = Alignment(horizontal=style.horizontal, vertical=style.vertical, wrap_text=style.wrap or None)
    cell.protection = Protection(locked=not style.unlocked)
    if style.fill is not None:
        cell.fill = _fill(style.fill)
    if style.border:
        cell.border = _border(style.border)
    if style.number_format is not None:
        cell.number_format = style.number_format


def _ids_set_by(style: CellStyle) -> list[str]:
    """The ids in a cell's style array that :func:`_put_style` sets: a style leaves the cell's other ones alone."""
    return ["fontId", "alignmentId", "protectionId", *(["fillId"] if style.fill is not None else []),
            *(["borderId"] if style.border else []), *(["numFmtId"] if style.number_format is not None else [])]


def _font(spec: FontSpec) -> Font:
    # family 2 (swiss) tells a reader without Arial to use a sans-serif font rather than a serif one.
    return Font(name=spec.name, size=spec.size, bold=spec.bold or None, color=spec.colour, family=2)


def _fill(colour: str | None) -> PatternFill | None:
    return None if colour is None else PatternFill("solid", fgColor=colour)


def _border(boxed: bool) -> Border | None:
    if not boxed:
        return None
    side = Side(style="thin", color=BORDER_COLOUR)
    return Border(left=side, right=side, top=side, bottom=side)


def add_key(ws: Worksheet, row: int, column: int = 1, entries: Sequence[KeyEntry] = KEY) -> int:
    """The colour key ("Yellow: type here", "Green: worked out for you") from ``row``; returns the next free row.

    Each entry is a swatch cell naming its colour (readable in greyscale and
    without colour vision) and its meaning in the next column.
    """
    ws.cell(row=row, column=column, value="Key to the colours")
    apply(ws.cell(row=row, column=column), LABEL)
    for offset, entry in enumerate(entries, start=1):
        swatch = ws.cell(row=row + offset, column=column, value=entry.colour_name)
        apply(swatch, replace(entry.style, unlocked=False, horizontal="center"))
        meaning = ws.cell(row=row + offset, column=column + 1, value=entry.meaning)
        apply(meaning, BODY)
    return row + len(entries) + 1


def explain(dv: DataValidation, *, title: str, prompt: str, error: str) -> DataValidation:
    """Give a validation its input prompt (shown on selecting the cell) and a stop error alert.

    openpyxl leaves the error alert off, which makes Excel accept any typed value.

    Example:
        >>> dv = explain(DataValidation(type="list", formula1="StatusList"), title="Status",
        ...              prompt="Pick Achieved, In progress, Not started or Not applicable.",
        ...              error="Pick a status from the list.")
        >>> dv.showInputMessage, dv.showErrorMessage, dv.promptTitle
        (True, True, 'Status')
    """
    check_validation_texts(title, prompt, error)
    dv.showErrorMessage, dv.errorStyle, dv.errorTitle, dv.error = True, "stop", title, error
    dv.showInputMessage, dv.promptTitle, dv.prompt = True, title, prompt
    return dv


def add_prompt(ws: Worksheet, cells: str, *, title: str, prompt: str) -> DataValidation:
    """An input prompt on cells that accept anything (a name, a note): a validation of type none."""
    check_validation_texts(title, prompt, "-")
    dv = DataValidation(allow_blank=True, showInputMessage=True, promptTitle=title, prompt=prompt)
    dv.add(cells)
    ws.add_data_validation(dv)
    return dv


def add_table(ws: Worksheet, name: str, ref: str) -> Table:
    """An Excel table without filter buttons (they do nothing on a protected sheet) and without a table style.

    The column names are the header cells' text, which must be filled in first.
    """
    min_col, min_row, max_col, _ = range_boundaries(ref)
    columns = []
    for index, col in enumerate(range(min_col, max_col + 1), start=1):
        header = ws.cell(row=min_row, column=col).value
        if not isinstance(header, str) or not header:
            raise ValueError(f"table {name}: header cell {get_column_letter(col)}{min_row} must be text")
        columns.append(TableColumn(id=index, name=header))
    # Given its columns, openpyxl does not add the autoFilter (the filter buttons) it otherwise forces.
    table = Table(displayName=name, ref=ref, tableColumns=columns, autoFilter=None)
    table.tableStyleInfo = TableStyleInfo(name=TABLE_STYLE, showRowStripes=False)
    ws.add_table(table)
    return table


def fit_columns(
    ws: Worksheet,
    first_row: int,
    last_row: int | None = None,
    *,
    header_row: int | None = None,
    samples: Mapping[str, object] | None = None,
    caps: Mapping[str, float] | None = None,
    columns: Iterable[str] | None = None,
) -> dict[str, ColumnFit]:
    """Size each column to what rows ``first_row``..``last_row`` show, and wrap text wider than the cap.

    Formula cells show values not known here: a column's width then comes
    from ``samples[letter]`` (its widest expected value) or, failing that, from
    :data:`WIDEST_VALUES` for the cell's number format. ``header_row`` cells
    wrap onto two lines at most. Leave the title rows out of the range: a
    title runs on across empty cells. Returns the fits it applied.
    """
    last_row = last_row or ws.max_row
    samples, caps = samples or {}, caps or {}
    letters = list(columns) if columns is not None else [get_column_letter(c) for c in range(1, ws.max_column + 1)]
    fits = {}
    format_of: dict[int, str] = {}  # a number format id -> the format: a sheet has a few, and thousands of cells
    bold_of: dict[int, bool] = {}  # a font id -> whether it is bold
    for letter in letters:
        col = column_index_from_string(letter)
        header = ws.cell(row=header_row, column=col).value if header_row else None
        values, number_format, bold = [], None, False
        for row in range(first_row, last_row + 1):
            if row == header_row:
                continue
            cell = ws.cell(row=row, column=col)
            if cell.value is None:
                continue
            ids = cell._style or _UNSTYLED
            if ids.numFmtId not in format_of:
                format_of[ids.numFmtId] = cell.number_format
            if ids.fontId not in bold_of:
                bold_of[ids.fontId] = bool(cell.font.b)
            cell_format = format_of[ids.numFmtId]
            number_format = number_format or (cell_format if cell_format != "General" else None)
            bold = bold or bold_of[ids.fontId]
            if cell.data_type == "f":
                sample = samples.get(letter, WIDEST_VALUES.get(cell_format))
                if sample is not None:
                    values.append(sample)
            else:
                values.append(cell.value)
        if letter in samples and not values:
            values.append(samples[letter])
        fit = fit_column(values, number_format=number_format, bold=bold, cap=caps.get(letter, MAX_TEXT_WIDTH),
                         header=header if isinstance(header, str) else None)
        ws.column_dimensions[letter].width = _stored_width(fit.width)
        if fit.wrap:
            for row in range(first_row, last_row + 1):
                cell = ws.cell(row=row, column=col)
                if isinstance(cell.value, str) and cell.data_type == "s":
                    cell.alignment = replace_alignment(cell.alignment, wrap_text=True, vertical="top")
        fits[letter] = fit
    return fits


def widen_column(ws: Worksheet, letter: str, texts: Iterable[str], *, bold: bool = False) -> None:
    """Widen a column, if need be, so that ``texts`` show whole: labels above a table, say, which a fit of the
    table's rows does not measure.

    Example:
        >>> from openpyxl import Workbook
        >>> ws = Workbook().active
        >>> ws.column_dimensions["A"].width = 8
        >>> widen_column(ws, "A", ["Standards list"], bold=True)
        >>> ws.column_dimensions["A"].width > 8
        True
    """
    fit = fit_column(list(texts), bold=bold)
    if fit.width > _display_width(ws.column_dimensions[letter].width):
        ws.column_dimensions[letter].width = _stored_width(fit.width)


def fit_rows(ws: Worksheet, first_row: int = 1, last_row: int | None = None) -> None:
    """Set the height of each row whose text is larger than the body font or wraps onto more lines.

    Excel sizes such rows itself when it edits them, but LibreOffice (and
    Excel opening a file) may not: without a height a title overlaps the row
    below and wrapped text runs over the next row. Rows already given a
    height keep it. Call after :func:`fit_columns`, which decides what wraps.
    """
    last_row = last_row or ws.max_row
    for row, height in zip(range(first_row, last_row + 1), estimated_row_heights(ws, first_row, last_row)):
        if height > line_height(BODY_SIZE):
            ws.row_dimensions[row].height = height


def replace_alignment(alignment: Alignment, **changes: object) -> Alignment:
    """A copy of an openpyxl alignment with some attributes changed."""
    values = {name: getattr(alignment, name) for name in ("horizontal", "vertical", "wrap_text", "indent")}
    return Alignment(**{**values, **changes})


def _stored_width(width: float) -> float:
    # The file stores widths with the 5 pixels of padding included, in 1/256 of a character.
    return math.floor(column_pixels(width) / DIGIT_PIXELS * 256) / 256


def _display_width(stored: float | None) -> float:
    return 8.43 if not stored else max(0.0, stored - CELL_PADDING_PIXELS / DIGIT_PIXELS)


def set_up_printing(
    ws: Worksheet,
    *,
    title: str,
    landscape: bool | None = None,
    area: str | None = None,
    repeat_rows: tuple[int, int] | None = None,
) -> None:
    """A4, one page wide, centred, margins, repeated table header, footer, no gridlines.

    ``title`` is the workbook's title for the footer's left; ``area`` the
    print area (default: A1 to the last used cell, and on to the right as far
    as a title runs); ``repeat_rows`` the first and last header rows printed
    at the top of every page; ``landscape`` None chooses landscape when the
    columns are wider than a portrait page. Call after :func:`fit_columns`.

    Example:
        >>> from openpyxl import Workbook
        >>> ws = Workbook().active
        >>> ws["D20"] = 1
        >>> set_up_printing(ws, title="Levy plan", landscape=True, repeat_rows=(5, 5))
        >>> ws.print_area, ws.print_title_rows, ws.page_setup.fitToWidth, ws.page_setup.fitToHeight
        ("'Sheet'!$A$1:$D$20", '$5:$5', 1, 0)
    """
    ws.print_area = area or f"A1:{get_column_letter(_last_printed_column(ws))}{ws.max_row}"
    if landscape is None:
        min_col, _, max_col, _ = _print_bounds(ws)
        landscape = wider_than_portrait(_printed_width(ws, min_col, max_col))
    setup = ws.page_setup
    setup.paperSize = ws.PAPERSIZE_A4
    setup.orientation = "landscape" if landscape else "portrait"
    setup.fitToWidth, setup.fitToHeight = 1, 0  # one page wide, as many pages down as needed
    if ws.sheet_properties.pageSetUpPr is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    m = MARGINS
    ws.page_margins = PageMargins(left=m.left, right=m.right, top=m.top, bottom=m.bottom, header=m.header,
                                  footer=m.footer)
    ws.print_options.horizontalCentered = True
    ws.print_options.gridLines = False
    if repeat_rows:
        ws.print_title_rows = f"{repeat_rows[0]}:{repeat_rows[1]}"
    ws.sheet_format.defaultRowHeight = line_height(BODY_SIZE)
    ws.HeaderFooter.scaleWithDoc = False  # the footer stays readable on a sheet shrunk to the page width
    font = f"{FONT_NAME},Regular"
    for part, text in ((ws.oddFooter.left, _footer_escape(title)), (ws.oddFooter.center, "&A"),
                       (ws.oddFooter.right, "Page &P of &N")):
        part.text, part.font, part.size, part.color = text, font, FOOTER_SIZE, SECONDARY_TEXT_COLOUR


def _last_printed_column(ws: Worksheet) -> int:
    """The last used column, or further right where a title or note runs on across empty cells."""
    last = ws.max_column
    for row in ws.iter_rows():
        for cell in row:
            if not isinstance(cell.value, str) or cell.data_type != "s" or cell.alignment.wrap_text:
                continue
            font = cell.font
            pixels = text_pixels(cell.value, size=font.sz or BODY_SIZE, bold=bool(font.b)) + CELL_PADDING_PIXELS
            widths = (_column_display_width(ws, col) for col in range(cell.column, cell.column + 500))
            last = max(last, cell.column + columns_to_cover(widths, pixels) - 1)
    return last


def _column_display_width(ws: Worksheet, col: int) -> float:
    dimension = ws.column_dimensions.get(get_column_letter(col))
    if dimension is not None and dimension.hidden:
        return 0.0
    return _display_width(dimension.width if dimension else None)


def _print_bounds(ws: Worksheet) -> tuple[int, int, int, int]:
    """(min_col, min_row, max_col, max_row) of the print area, or of the used range."""
    if ws.print_area:
        _, bounds = range_to_tuple(ws.print_area.split(",")[0])
        return bounds
    return 1, 1, ws.max_column, ws.max_row


def estimated_row_heights(ws: Worksheet, first_row: int, last_row: int) -> list[float]:
    """Each row's printed height in points: as set, or as Excel sizes it from its wrapped text."""
    spans = {(merged.min_row, merged.min_col): merged.max_col for merged in ws.merged_cells.ranges}
    widths: dict[tuple[int, int], float] = {}
    # One pass over the rows: openpyxl works out the sheet's extent afresh for every ws[row].
    cells_of_row = dict(zip(range(first_row, last_row + 1),
                            ws.iter_rows(min_row=first_row, max_row=min(last_row, ws.max_row))))
    # A sheet has a few fonts, alignments and columns, and thousands of cells: each is looked up once.
    shown = {}  # column -> whether it shows (is not hidden)
    font_of: dict[int, tuple[float, bool]] = {}  # font id -> (size, bold)
    wraps: dict[int, bool] = {}  # alignment id -> whether it wraps
    heights = []
    for row in range(first_row, last_row + 1):
        set_height = ws.row_dimensions[row].height if row in ws.row_dimensions else None
        if set_height:
            heights.append(set_height)
            continue
        height = line_height(BODY_SIZE)
        for cell in cells_of_row.get(row, ()):
            # A hidden column shows nothing; a formula shows a value not known here, one line in its font (a title).
            if cell.value is None:
                continue
            if cell.column not in shown:
                shown[cell.column] = bool(_column_display_width(ws, cell.column))
            if not shown[cell.column]:
                continue
            ids = cell._style or _UNSTYLED
            if ids.fontId not in font_of:
                font_of[ids.fontId] = (cell.font.sz or BODY_SIZE, bool(cell.font.b))
            if ids.alignmentId not in wraps:
                wraps[ids.alignmentId] = bool(cell.alignment.wrap_text)
            size, bold = font_of[ids.fontId]
            lines = 1
            if wraps[ids.alignmentId] and isinstance(cell.value, str) and cell.data_type != "f":
                span = (cell.column, spans.get((row, cell.column), cell.column))
                if span not in widths:
                    widths[span] = _span_width(ws, *span)
                lines = wrapped_lines(cell.value, widths[span], size=size, bold=bold)
            height = max(height, lines * line_height(size))
        heights.append(height)
    return heights


_UNSTYLED = StyleArray()  # the style ids of a cell never given a style: the workbook's first font and alignment


def _span_width(ws: Worksheet, first_col: int, last_col: int) -> float:
    """The width in characters of columns ``first_col``..``last_col`` taken together (as merged cells)."""
    pixels = sum(column_pixels(width) for col in range(first_col, last_col + 1)
                 if (width := _column_display_width(ws, col)))
    return max(0.0, (pixels - CELL_PADDING_PIXELS) / DIGIT_PIXELS)


def wrap_across(ws: Worksheet, cell: Cell, last_column: int) -> None:
    """Let a note or paragraph wrap across its row from ``cell`` to ``last_column`` (merging those cells).

    A long note under a title otherwise runs on to the right and widens the
    printed page. :func:`fit_rows` then gives the row the height of the
    wrapped text. Do not use it inside a table (tables cannot hold merged cells).
    """
    merge_cells(ws, start_row=cell.row, start_column=cell.column, end_row=cell.row, end_column=last_column)
    cell.alignment = replace_alignment(cell.alignment, wrap_text=True, vertical="top")


def _printed_width(ws: Worksheet, first_col: int, last_col: int) -> float:
    """Points across columns ``first_col``..``last_col`` at 100% (hidden columns take none)."""
    pixels = 0
    for col in range(first_col, last_col + 1):
        width = _column_display_width(ws, col)
        pixels += column_pixels(width) if width else 0
    return pixels * 0.75


def _page(ws: Worksheet) -> PrintedPage:
    return PrintedPage(landscape=ws.page_setup.orientation == "landscape")


_CHART_OFFSET = 4  # pixels
MIN_CHART_WIDTH_CM = 16.0  # a chart below a narrow table is still this wide (the print area grows)


def columns_to_cover(widths: Iterable[float], pixels: float) -> int:
    """How many columns of ``widths`` (characters, from the first) it takes to hold ``pixels``.

    Past the given widths, columns are Excel's default width.

    Example:
        >>> columns_to_cover([10.0, 10.0], 100)  # each column is 75 pixels
        2
        >>> columns_to_cover([10.0], 300)  # then 64-pixel default columns
        5
    """
    covered, count = 0, 0
    widths = iter(widths)
    while covered < pixels:
        covered += column_pixels(next(widths, 8.43))
        count += 1
    return max(count, 1)


def chart_rows(height_cm: float) -> int:
    """How many empty rows of the house font a chart ``height_cm`` tall covers.

    Example:
        >>> chart_rows(7.5)
        17
    """
    return math.ceil(height_cm / 2.54 * 72 / line_height(BODY_SIZE))


def chart_anchor_row(ws: Worksheet, last_row: int, chart_height_rows: int, *, gap: int = 1) -> int:
    """The row to anchor a chart below a table ending at ``last_row``, so it prints on one page.

    When the chart would cross a page break, a manual break goes before it
    (the chart then starts the next page). Call after :func:`set_up_printing`
    and :func:`fit_columns`: the breaks depend on the orientation, the column
    widths (the fit-to-width zoom) and the repeated header rows.
    """
    anchor = last_row + gap + 1
    min_col, first_row, max_col, _ = _print_bounds(ws)
    page = _page(ws)
    scale = page.scale(_printed_width(ws, min_col, max_col))
    heights = estimated_row_heights(ws, first_row, anchor - 1) + [line_height(BODY_SIZE)] * chart_height_rows
    repeated = 0.0
    if ws.print_title_rows:
        top, bottom = (int(part.strip("$")) for part in ws.print_title_rows.split(":"))
        repeated = sum(estimated_row_heights(ws, top, bottom))
    existing = [brk.id + 1 - first_row for brk in ws.row_breaks.brk]
    starts = page_starts([h * scale for h in heights], usable_height=page.printable_height,
                         repeated_height=repeated * scale, breaks=existing)
    chart_first, chart_last = anchor - first_row, anchor - first_row + chart_height_rows - 1
    if any(chart_first < start <= chart_last for start in starts):
        ws.row_breaks.append(Break(id=anchor - 1))  # the break follows row anchor - 1
    return anchor


def place_chart_below(
    ws: Worksheet, chart: object, last_row: int, *, gap: int = 1, column: int = 1, fill_width: bool = True
) -> int:
    """Anchor ``chart`` below a table ending at ``last_row``, inside the print area and on one page.

    With ``fill_width`` the chart spans the print area's columns from
    ``column`` (so it lines up with the table), and is at least
    :data:`MIN_CHART_WIDTH_CM` wide. The print area grows to the chart's
    columns and down to its last row, which is returned. Call after
    :func:`set_up_printing`.
    """
    min_col, min_row, max_col, max_row = _print_bounds(ws)
    if fill_width:
        chart.width = max(_printed_width(ws, column, max_col) / 72 * 2.54 - 0.1, MIN_CHART_WIDTH_CM)
    widths = (_column_display_width(ws, col) for col in range(column, column + 500))
    max_col = max(max_col, column + columns_to_cover(widths, chart.width / 2.54 * 96) - 1)
    ws.print_area = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{max_row}"
    rows = chart_rows(chart.height)
    anchor = chart_anchor_row(ws, last_row, rows, gap=gap)
    # A few points below the row's top edge: on the edge, LibreOffice draws the frame's top line on the page before.
    top_left = AnchorMarker(col=column - 1, row=anchor - 1, rowOff=pixels_to_EMU(_CHART_OFFSET))
    chart.anchor = OneCellAnchor(_from=top_left, ext=XDRPositiveSize2D(cm_to_EMU(chart.width), cm_to_EMU(chart.height)))
    ws.add_chart(chart)
    chart_last = anchor + rows
    ws.print_area = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{max(max_row, chart_last)}"
    return chart_last


def finish_chart(
    chart: object,
    *,
    title: str,
    y_title: str | None = None,
    x_title: str | None = None,
    y_number_format: str | None = None,
    palette: Sequence[str] = SERIES_PALETTE,
    legend: bool = True,
) -> None:
    """House look for an openpyxl chart, after its data is added.

    Titles and text in the house font; axes shown (``delete=False``); every
    line straight (openpyxl otherwise lets readers smooth them, drawing values
    between months that do not exist); series coloured from ``palette`` in
    order (:data:`RATING_PALETTE` for ordered ratings); the legend below the
    plot, where it reads left to right in the order of the series. Call it
    last (it reads the category axis's orientation).

    Side-by-side comparisons (current and target score per strand) are
    columns (``chart.type = "col"``): for clustered horizontal bars
    LibreOffice lists the legend bottom to top, against the bars' order.
    Horizontal bars suit stacked shares (councils at each rating per strand).

    Example:
        >>> from openpyxl import Workbook
        >>> from openpyxl.chart import LineChart, Reference
        >>> ws = Workbook().active
        >>> for row in [("Month", "Balance"), (1, 10), (2, 30)]:
        ...     ws.append(row)
        >>> chart = LineChart()
        >>> chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=3), titles_from_data=True)
        >>> finish_chart(chart, title="Balance", y_title="Pounds (£)", y_number_format=MONEY_WHOLE)
        >>> chart.series[0].smooth, chart.x_axis.delete, chart.y_axis.numFmt.formatCode
        (False, False, '£#,##0')
    """
    chart.title = _rich_title(title, CHART_TITLE_SIZE)
    for axis, axis_title in ((chart.x_axis, x_title), (chart.y_axis, y_title)):
        axis.delete = False
        axis.txPr = _rich_text(CHART_TEXT_SIZE)
        if axis_title:
            axis.title = _rich_title(axis_title, CHART_TEXT_SIZE)
    chart.y_axis.majorGridlines = ChartLines(spPr=GraphicalProperties(ln=LineProperties(solidFill=BORDER_COLOUR)))
    if chart.x_axis.scaling.orientation == "maxMin":
        chart.y_axis.crosses = "max"  # categories top to bottom: keep the value axis along the bottom
    if y_number_format:
        chart.y_axis.number_format = y_number_format
        chart.y_axis.numFmt.sourceLinked = False
    is_line = chart.tagname in ("lineChart", "line3DChart", "scatterChart")
    if chart.tagname == "barChart":
        chart.gapWidth = BAR_GAP  # bars wider than the gaps between them
    for index, series in enumerate(chart.series):
        colour = palette[index % len(palette)]
        if series.graphicalProperties is None:
            series.graphicalProperties = GraphicalProperties()
        if is_line:
            series.smooth = False
            series.graphicalProperties.line = LineProperties(solidFill=colour, w=28575)  # 2.25 points
        else:
            series.graphicalProperties.solidFill = colour
            series.graphicalProperties.line = LineProperties(solidFill=WHITE)  # a gap between stacked bars
    chart.legend = Legend(legendPos="b", overlay=False, txPr=_rich_text(CHART_TEXT_SIZE)) if legend else None


def _character_properties(size: float, bold: bool = False) -> CharacterProperties:
    return CharacterProperties(latin=DrawingFont(typeface=FONT_NAME), sz=int(size * 100), b=bold,
                               solidFill=TEXT_COLOUR)


def _rich_text(size: float) -> RichText:
    properties = _character_properties(size)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=properties), endParaRPr=properties)])


def _rich_title(text: str, size: float) -> object:
    title = title_maker(text)
    title.overlay = False
    for paragraph in title.tx.rich.p:
        paragraph.pPr = ParagraphProperties(defRPr=_character_properties(size, bold=True))
        for run in paragraph.r:
            run.rPr = _character_properties(size, bold=True)
    return title


def cache_chart_data(chart: object, wb: Workbook, known: Mapping[str, object] | None = None) -> None:
    """Store each series' values in the chart (numCache/strCache), as Excel does, for file previews.

    Values come from ``known`` (keyed ``"Sheet!A1"``: what the writer worked
    out for formula cells) or else from the cells themselves; a formula whose
    value is not known is left out (a gap until the workbook is recalculated).
    Categories that are text become a text reference. Call after adding the
    data, before saving.
    """
    known = known or {}

    def values(formula: str) -> list[object]:
        sheet, (min_col, min_row, max_col, max_row) = range_to_tuple(formula)
        ws = wb[sheet]
        found = []
        for row in range(min_row, max_row + 1):
            for col in range(min_col, max_col + 1):
                key = f"{sheet}!{get_column_letter(col)}{row}"
                cell = ws.cell(row=row, column=col)
                found.append(known[key] if key in known else None if cell.data_type == "f" else cell.value)
        return found

    for series in chart.series:
        if series.tx is not None and series.tx.strRef is not None:
            series.tx.strRef.strCache = _str_data(values(series.tx.strRef.f))
        for data in (series.val, series.yVal):  # a bar or line chart's values; a scatter chart's y values
            if data is not None and data.numRef is not None:
                data.numRef.numCache = _num_data(values(data.numRef.f))
        for axis in ("cat", "xVal"):  # its categories; a scatter chart's x values
            category = getattr(series, axis)
            if category is not None and category.numRef is not None:
                points = values(category.numRef.f)
                if any(isinstance(point, str) for point in points):
                    setattr(series, axis, AxDataSource(strRef=StrRef(f=category.numRef.f,
                                                                     strCache=_str_data(points))))
                else:
                    category.numRef.numCache = _num_data(points)


def _num_data(points: Sequence[object]) -> NumData:
    cached = [NumVal(idx=i, v=_number(p)) for i, p in enumerate(points) if _number(p) is not None]
    return NumData(formatCode="General", ptCount=len(points), pt=cached)


def _number(value: object) -> float | None:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return None
    if isinstance(value, dt.datetime | dt.date):
        return float(excel_serial(value))
    return float(value)


def excel_serial(day: dt.date) -> int:
    """The Excel serial number of a date (1900 date system).

    Example:
        >>> excel_serial(dt.date(2026, 4, 1))
        46113
    """
    if isinstance(day, dt.datetime):
        day = day.date()
    return (day - dt.date(1899, 12, 30)).days


def _str_data(points: Sequence[object]) -> StrData:
    cached = [StrVal(idx=i, v=display_text(p)) for i, p in enumerate(points) if p is not None]
    return StrData(ptCount=len(points), pt=cached)


# Public API: chart XML written by XlsxWriter.

_LINE_SERIES = re.compile(rb"(<c:(lineChart|line3DChart|scatterChart)>)(.*?)(</c:\2>)", re.S)
_SERIES = re.compile(rb"<c:ser>.*?</c:ser>", re.S)
_AXIS_WITHOUT_DELETE = re.compile(
    rb"(<c:(?:catAx|valAx|dateAx|serAx)>\s*<c:axId [^>]*/>\s*<c:scaling>.*?</c:scaling>)(?!\s*<c:delete)", re.S)


def explicit_chart_defaults(chart_xml: bytes) -> bytes:
    """A chart part with ``<c:smooth val="0"/>`` on every line series and ``<c:delete val="0"/>`` on every axis.

    XlsxWriter leaves both out; readers that take the schema's defaults
    then smooth the lines or hide the axes.

    Example:
        >>> xml = b'<c:lineChart><c:ser><c:idx val="0"/><c:val/></c:ser></c:lineChart>'
        >>> explicit_chart_defaults(xml)
        b'<c:lineChart><c:ser><c:idx val="0"/><c:val/><c:smooth val="0"/></c:ser></c:lineChart>'
    """
    def straighten(series: re.Match[bytes]) -> bytes:
        text = series.group(0)
        if b"<c:smooth" in text:
            return text
        before = b"<c:extLst>" if b"<c:extLst>" in text else b"</c:ser>"
        head, tail = text.rsplit(before, 1)
        return head + b'<c:smooth val="0"/>' + before + tail

    def lines(match: re.Match[bytes]) -> bytes:
        return match.group(1) + _SERIES.sub(straighten, match.group(3)) + match.group(4)

    chart_xml = _LINE_SERIES.sub(lines, chart_xml)
    return _AXIS_WITHOUT_DELETE.sub(rb'\1<c:delete val="0"/>', chart_xml)


def finish_xlsxwriter_package(path: str | Path) -> None:
    """Rewrite the chart parts of a saved XlsxWriter workbook with :func:`explicit_chart_defaults`."""
    path = Path(path)
    source = io.BytesIO(path.read_bytes())
    with zipfile.ZipFile(source) as package, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in package.infolist():
            data = package.read(info.filename)
            if re.fullmatch(r"xl/charts/chart\d+\.xml", info.filename):
                data = explicit_chart_defaults(data)
            target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)


# Public API: the XlsxWriter adapter (the consolidated workbook).


def xlsxwriter_options(**options: object) -> dict[str, object]:
    """Options for ``xlsxwriter.Workbook`` with the house font as default (plus any ``options`` given).

    Example:
        >>> xlsxwriter_options(in_memory=True)["default_format_properties"]
        {'font_name': 'Arial', 'font_size': 10}
    """
    return {
        "default_format_properties": {"font_name": FONT_NAME, "font_size": BODY_SIZE},
        "default_row_height": round(line_height(BODY_SIZE) * 4 / 3),  # pixels
        **options,
    }


def xlsxwriter_validation(options: Mapping[str, object], *, title: str, prompt: str, error: str) -> dict[str, object]:
    """XlsxWriter ``data_validation`` options with an input prompt and a stop error alert added.

    Example:
        >>> xlsxwriter_validation({"validate": "list", "source": "=StatusList"}, title="Status",
        ...                       prompt="Pick a status.", error="Pick a status from the list.")["input_title"]
        'Status'
    """
    check_validation_texts(title, prompt, error)
    return {**options, "input_title": title, "input_message": prompt, "show_input": True,
            "error_title": title, "error_message": error, "error_type": "stop", "show_error": True}


@dataclass
class _SheetLayout:
    """What the adapter set on one XlsxWriter sheet, for working out its pages."""

    widths: dict[int, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    page: PrintedPage = PrintedPage()
    area: tuple[int, int, int, int] | None = None  # first_row, first_col, last_row, last_col (0-based)
    repeat: tuple[int, int] | None = None
    breaks: list[int] = field(default_factory=list)
    texts: list[tuple[int, float]] = field(default_factory=list)  # column and pixels of text that runs on


class XlsxWriterStyle:
    """The house style on an XlsxWriter workbook: formats made once, print set-up, key, charts.

    Rows and columns are 0-based, as everywhere in XlsxWriter.

    Example:
        >>> import io, xlsxwriter
        >>> wb = xlsxwriter.Workbook(io.BytesIO(), xlsxwriter_options(in_memory=True))
        >>> house = XlsxWriterStyle(wb)
        >>> ws = wb.add_worksheet("Levy plans")
        >>> ws.write_number(1, 0, 1234.5, house.format(CALCULATED, MONEY))
        0
        >>> house.set_up_printing(ws, title="Consolidated returns", landscape=True, last_row=1, last_col=0)
        >>> wb.close()
    """

    def __init__(self, wb: object) -> None:
        self.wb = wb
        self._formats: dict[CellStyle, object] = {}
        self._layouts: dict[str, _SheetLayout] = {}

    def format(self, style: CellStyle, number_format: str | None = None) -> object:
        """The XlsxWriter Format for ``style`` (made once per workbook)."""
        if number_format is not None:
            style = style.formatted(number_format)
        if style not in self._formats:
            self._formats[style] = self.wb.add_format(self.format_properties(style))
        return self._formats[style]

    @staticmethod
    def format_properties(style: CellStyle) -> dict[str, object]:
        """The ``add_format`` properties of ``style`` (for table header formats and the like)."""
        properties: dict[str, object] = {
            "font_name": style.font.name, "font_size": style.font.size, "bold": style.font.bold,
            "font_color": "#" + style.font.colour, "valign": style.vertical, "text_wrap": style.wrap,
            "locked": not style.unlocked,
        }
        if style.fill:
            properties.update(pattern=1, bg_color="#" + style.fill)
        if style.border:
            properties.update(border=1, border_color="#" + BORDER_COLOUR)
        if style.number_format:
            properties["num_format"] = style.number_format
        if style.horizontal:
            properties["align"] = style.horizontal
        return properties

    def _layout(self, ws: object) -> _SheetLayout:
        return self._layouts.setdefault(ws.name, _SheetLayout())

    def set_column_widths(
        self, ws: object, fits: Mapping[int, ColumnFit], formats: Mapping[int, object] | None = None
    ) -> None:
        """Set each column ``index -> fit`` (and an optional default format per column)."""
        formats = formats or {}
        for col, fit in fits.items():
            ws.set_column(col, col, fit.width, formats.get(col))
            self._layout(ws).widths[col] = fit.width

    def set_row_height(self, ws: object, row: int, height: float) -> None:
        """Set a row's height in points (remembered for working out page breaks)."""
        ws.set_row(row, height)
        self._layout(ws).heights[row] = height

    def write_text(self, ws: object, row: int, col: int, text: str, style: CellStyle = BODY) -> None:
        """Write ``text`` (always as text, never a formula) in ``style``, keeping the print area and row height right.

        A title or note that runs on across empty cells is remembered, so that
        :meth:`set_up_printing` prints all of it; a row of larger text gets its height.
        """
        ws.write_string(row, col, text, self.format(style))
        layout = self._layout(ws)
        if not style.wrap:
            layout.texts.append((col, text_pixels(text, size=style.font.size, bold=style.font.bold)))
        if style.font.size > BODY_SIZE and line_height(style.font.size) > layout.heights.get(row, 0.0):
            self.set_row_height(ws, row, line_height(style.font.size))

    def write_paragraph(self, ws: object, row: int, first_col: int, last_col: int, text: str,
                        style: CellStyle = NOTE) -> None:
        """Write ``text`` wrapping across columns ``first_col``..``last_col`` (merged), as :func:`wrap_across`.

        The row's height is set from the wrapped text, so set the columns' widths first.
        """
        style = replace(style, wrap=True)
        ws.merge_range(row, first_col, row, last_col, "", self.format(style))
        ws.write_string(row, first_col, text, self.format(style))  # text, even when it starts with "="
        layout = self._layout(ws)
        pixels = sum(column_pixels(layout.widths.get(c, 8.43)) for c in range(first_col, last_col + 1))
        width = (pixels - CELL_PADDING_PIXELS) / DIGIT_PIXELS
        lines = wrapped_lines(text, width, size=style.font.size, bold=style.font.bold)
        self.set_row_height(ws, row, max(lines * line_height(style.font.size), layout.heights.get(row, 0.0)))

    def add_key(self, ws: object, row: int, col: int = 0, entries: Sequence[KeyEntry] = KEY) -> int:
        """The colour key from ``row``, as :func:`add_key`; returns the next free row."""
        ws.write_string(row, col, "Key to the colours", self.format(LABEL))
        for offset, entry in enumerate(entries, start=1):
            ws.write_string(row + offset, col, entry.colour_name,
                            self.format(replace(entry.style, unlocked=False, horizontal="center")))
            ws.write_string(row + offset, col + 1, entry.meaning, self.format(BODY))
        return row + len(entries) + 1

    def table_options(self, name: str, headers: Sequence[str], **options: object) -> dict[str, object]:
        """``add_table`` options: house header format, no filter buttons, no table style."""
        header = self.format(TABLE_HEADER)
        return {"name": name, "style": TABLE_STYLE, "autofilter": False,
                "columns": [{"header": text, "header_format": header} for text in headers], **options}

    def set_up_printing(
        self,
        ws: object,
        *,
        title: str,
        landscape: bool | None = None,
        last_row: int,
        last_col: int,
        repeat_rows: tuple[int, int] | None = None,
    ) -> None:
        """As :func:`set_up_printing`, for an XlsxWriter sheet printing A1 to (``last_row``, ``last_col``).

        Call after :meth:`set_column_widths` and the :meth:`write_text` of titles.
        """
        layout = self._layout(ws)
        for col, pixels in layout.texts:
            widths = (layout.widths.get(c, 8.43) for c in range(col, col + 500))
            last_col = max(last_col, col + columns_to_cover(widths, pixels + CELL_PADDING_PIXELS) - 1)
        if landscape is None:
            pixels = sum(column_pixels(layout.widths.get(c, 8.43)) for c in range(last_col + 1))
            landscape = wider_than_portrait(pixels * 0.75)
        layout.page = PrintedPage(landscape=landscape)
        layout.area, layout.repeat = (0, 0, last_row, last_col), repeat_rows
        ws.set_paper(9)  # A4
        ws.set_landscape() if landscape else ws.set_portrait()
        ws.fit_to_pages(1, 0)
        m = MARGINS
        ws.set_margins(left=m.left, right=m.right, top=m.top, bottom=m.bottom)
        ws.center_horizontally()
        ws.hide_gridlines(1)  # not printed; still shown on screen
        ws.print_area(0, 0, last_row, last_col)
        if repeat_rows:
            ws.repeat_rows(*repeat_rows)
        ws.set_footer(footer_text(title), {"margin": m.footer, "scale_with_doc": False})
        ws.set_header("", {"margin": m.header})

    def place_chart_below(
        self, ws: object, chart: object, last_row: int, *, height: int = 288, gap: int = 1, col: int = 0
    ) -> int:
        """Insert ``chart`` (``height`` pixels tall) below a table ending at ``last_row``, on one page.

        The chart spans the print area's columns from ``col`` and is at least
        :data:`MIN_CHART_WIDTH_CM` wide; a manual page break goes before it if
        it would cross one; the print area grows to the chart's columns and
        last row, which is returned. Call after :meth:`set_up_printing` and
        :meth:`set_column_widths`.
        """
        layout = self._layout(ws)
        if layout.area is None:
            raise ValueError(f"set up printing on {ws.name!r} before placing charts")
        first_row, first_col, area_last_row, last_col = layout.area
        chart_width = max(sum(column_pixels(layout.widths.get(c, 8.43)) for c in range(col, last_col + 1)) - 2,
                          round(MIN_CHART_WIDTH_CM / 2.54 * 96))
        last_col = max(last_col, col + columns_to_cover((layout.widths.get(c, 8.43) for c in range(col, col + 500)),
                                                        chart_width) - 1)
        pixels = [column_pixels(layout.widths.get(c, 8.43)) for c in range(first_col, last_col + 1)]
        scale = layout.page.scale(sum(pixels) * 0.75)
        default = line_height(BODY_SIZE)
        rows = chart_rows(height * 0.75 / 72 * 2.54)
        anchor = last_row + gap + 1
        heights = [layout.heights.get(r, default) for r in range(first_row, anchor)] + [default] * rows
        repeated = 0.0
        if layout.repeat:
            repeated = sum(layout.heights.get(r, default) for r in range(layout.repeat[0], layout.repeat[1] + 1))
        starts = page_starts([h * scale for h in heights], usable_height=layout.page.printable_height,
                             repeated_height=repeated * scale, breaks=[b - first_row for b in layout.breaks])
        if any(anchor - first_row < start <= anchor - first_row + rows - 1 for start in starts):
            layout.breaks.append(anchor)
            ws.set_h_pagebreaks(sorted(layout.breaks))
        chart.set_size({"width": chart_width, "height": height})
        ws.insert_chart(anchor, col, chart, {"object_position": 1, "y_offset": _CHART_OFFSET})
        chart_last = anchor + rows
        layout.area = (first_row, first_col, max(area_last_row, chart_last), last_col)
        ws.print_area(*layout.area)
        return chart_last

    @staticmethod
    def chart_text(size: float = CHART_TEXT_SIZE, bold: bool = False) -> dict[str, object]:
        """An XlsxWriter font dictionary in the house font."""
        return {"name": FONT_NAME, "size": size, "bold": bold, "color": "#" + TEXT_COLOUR}

    def finish_chart(
        self,
        chart: object,
        *,
        title: str,
        y_title: str | None = None,
        x_title: str | None = None,
        y_number_format: str | None = None,
        legend: bool = True,
        horizontal: bool = False,
        reverse_categories: bool = False,
        value_axis: Mapping[str, object] | None = None,
        category_axis: Mapping[str, object] | None = None,
    ) -> None:
        """As :func:`finish_chart` for an XlsxWriter chart (series colours go in :meth:`series`).

        ``horizontal``: a bar chart, whose value axis XlsxWriter calls x.
        ``reverse_categories`` lists categories top to bottom in table order
        and keeps the value axis along the bottom. ``value_axis`` and
        ``category_axis`` add XlsxWriter axis options (``min``, ``max``,
        ``major_unit``...): XlsxWriter keeps only the last options set on an axis.
        """
        chart.set_title({"name": title, "name_font": self.chart_text(CHART_TITLE_SIZE, bold=True)})
        values = {"name": y_title, "name_font": self.chart_text(bold=True), "num_font": self.chart_text(),
                  "num_format": y_number_format,
                  "major_gridlines": {"visible": True, "line": {"color": "#" + BORDER_COLOUR}}, **(value_axis or {})}
        categories = {"name": x_title, "name_font": self.chart_text(bold=True), "num_font": self.chart_text(),
                      **(category_axis or {})}
        if reverse_categories:
            categories.update(reverse=True, crossing="max")
        set_values, set_categories = (chart.set_x_axis, chart.set_y_axis) if horizontal else \
            (chart.set_y_axis, chart.set_x_axis)
        set_values({k: v for k, v in values.items() if v is not None})
        set_categories({k: v for k, v in categories.items() if v is not None})
        chart.set_legend({"position": "bottom", "font": self.chart_text()} if legend else {"none": True})

    @staticmethod
    def series(options: Mapping[str, object], index: int, *, line: bool = False,
               palette: Sequence[str] = SERIES_PALETTE) -> dict[str, object]:
        """``add_series`` options coloured from ``palette`` (straight lines for line charts)."""
        colour = "#" + palette[index % len(palette)]
        if line:
            return {**options, "smooth": False, "marker": {"type": "none"}, "line": {"color": colour, "width": 2.25}}
        return {**options, "fill": {"color": colour}, "border": {"color": "#" + WHITE}, "gap": BAR_GAP}
