"""The adviser's consolidated workbook, written from the returns store, in the house style.

Sheets: About (what the workbook is, from which store, and what each sheet
holds), Returns, one sheet per table of each workbook kind in the registry
(:mod:`lga_xl.kinds`), Issues and Benchmarks.  Each data sheet is one Excel
table under a title and a line saying what a row is; its columns are
formatted by their value kind (money £, percentages 0.0%, dates, counts,
scores, Yes or No), never by their names, so a new kind's sheets come out
right by themselves.  Every sheet prints on A4 with a footer; a table too
wide for a landscape page prints in blocks of columns, each one page wide,
with the return and organisation repeated at the left.

The workbook is built with XlsxWriter (tables, formats, charts), but the data
rows of the big sheets (the elements table alone is ~83 cells per return) are
written straight into the sheet XML afterwards: XlsxWriter spends a few
microseconds of Python per cell, which for 1,000 returns is seconds; one
string per row is a tenth of that.  The rows are built a chunk at a time
while a thread deflates the chunk before (zlib lets go of the interpreter),
so building and compressing share two cores.  Cells from returned files are
always text, never formulas, so an organisation called ``=HYPERLINK(...)``
stays text.

Example:
    >>> import tempfile, pathlib
    >>> from lga_xl.store import ReturnStore
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> ReturnStore(folder / "returns.sqlite").close()
    >>> write_consolidated(folder / "consolidated.xlsx", folder / "returns.sqlite").name
    'consolidated.xlsx'
"""

from __future__ import annotations

import datetime as dt
import io
import queue
import re
import threading
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from xml.sax.saxutils import escape

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from .. import __version__, cells
from ..consolidated_data import Section, load_sections, section_map
from ..rating import LABELS
from . import style

TITLE = "Consolidated apprenticeship returns"  # also its document title: how an import knows one it wrote
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_TEXT = 32_767
HEADER_ROW = 2  # 0-based: a data sheet's title, the line saying what a row is, then its table

HEADERS = {
    "return_id": "Return", "org_type": "Organisation type", "overall_score": "Overall score",
    "imported_at": "Imported at", "assessment_type": "Assessment type", "assessment_date": "Assessment date",
    "current": "Current rating", "score": "Current score", "target": "Target rating", "target_score": "Target score",
    "gap": "Gap to target", "plus_rule": "Plus rule", "unanswered": "Not answered", "regional_mean": "Regional mean",
    "national_mean": "National mean", "element_id": "Element", "english_percent": "English percentage",
    "transfer_allowance_10": "Transfer allowance at 10%", "transfer_allowance_25": "Transfer allowance at 25%",
    "transfer_allowance_statutory": "Transfer allowance at the statutory rate",
    "statutory_transfer_rate": "Statutory transfer rate",
    "headroom_10": "Headroom at 10%", "headroom_25": "Headroom at 25%",
    "headroom_statutory": "Headroom at the statutory rate",
    "spend_share": "Planned spend share", "urn": "URN", "in_council_levy": "In council levy",
    "public_sector_target_starts": "Public sector target starts", "duration_months": "Duration (months)",
    "median_spend_share": "Median planned spend share", "engaged_share": "Schools engaged share",
    "median_headroom_statutory": "Median headroom at the statutory rate", "levy_plans": "Levy plans",
    "overall_mean": "Overall mean", "councils": "Councils", "id": "ID", "rag": "RAG", "expected": "Expected now",
    "latest_value": "Latest value", "previous_value": "Previous value",
    "starts_share": "Starts as a share of headcount", "median_starts_share": "Median starts as a share of headcount",
}
# How each value kind shows (registry and contract kinds, and consolidated_data's own).
KIND_FORMATS = {"money": style.MONEY, "percent": style.PERCENT, "date": style.DATE, "month": style.MONTH,
                "whole": style.COUNT, "score": style.SCORE}
NUMBER_KINDS = frozenset({"money", "percent", "date", "month", "whole", "score", "number"})
DATE_KINDS = frozenset({"date", "month"})
# Errors and warnings (and rejected and skipped files) are told apart by colour; the About sheet's key says which.
ERROR_KEY = style.KeyEntry("Red", "An error: the return was rejected (not imported)", style.WARNING)
WARNING_KEY = style.KeyEntry("Orange", "A warning, or a file skipped (not a workbook)", style.CHECK)
VALUE_KEYS = {"severity": {"error": ERROR_KEY, "warning": WARNING_KEY},
              "status": {"rejected": ERROR_KEY, "skipped": WARNING_KEY}}
TEXT_CAP = 24.0  # characters: a name or code wraps beyond this
LONG_TEXT_CAP = 36.0  # for columns of sentences (messages, evidence)
MIN_PRINT_SCALE = 0.75  # a table prints across one landscape page down to this zoom; wider ones print in blocks
ROWS_PER_CHUNK = 2_000  # data rows built and deflated at a time (about a megabyte of sheet XML)
MAX_MEASURED_TEXTS = 400  # the longest texts of a column decide its width; measuring every one costs seconds
_WIDEST_CHARACTER_PIXELS = style.text_pixels("@", bold=True)  # no character is wider: a quick check of one line
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def header(column: str) -> str:
    """A column's heading: ``org_type`` -> ``Organisation type``; names that are already words (a strand,
    a rating label) are kept as they are.

    Example:
        >>> header("org_type"), header("schools_engaged"), header("Developing +")
        ('Organisation type', 'Schools engaged', 'Developing +')
    """
    if not re.fullmatch(r"[a-z0-9_]+", column):
        return column
    return HEADERS.get(column) or column.replace("_", " ").capitalize()


def data_sections(sections: Iterable[Section]) -> list[Section]:
    """The sections with a sheet of their own: returns, each kind's tables, issues (not the benchmarks)."""
    return [section for section in sections if section.title and not section.name.startswith("benchmark")]


def table_name(section: Section) -> str:
    """The Excel table of a section: ``planned_starts`` -> ``PlannedStarts``."""
    return "".join(part.capitalize() for part in section.name.split("_"))


@dataclass
class _Column:
    """How one column of a section is shown: its heading, format and width."""

    index: int  # in the section's rows
    header: str
    kind: str
    number_format: str | None
    fit: style.ColumnFit


@dataclass
class _PendingRows:
    """A data sheet whose rows are written into its XML after XlsxWriter has closed the workbook."""

    part: str  # the worksheet part inside the package
    sheet_index: int
    sheet: str
    table: str
    section: Section
    columns: list[_Column]
    formats: list[object]  # per column: the XlsxWriter format of its cells
    value_formats: dict[int, dict[str, object]]  # column -> cell value -> format (errors red, warnings orange)
    blocks: list[tuple[int, int]]  # first and last column of each printed block

    @property
    def first_row(self) -> int:
        """The worksheet row (1-based) of the first data row."""
        return HEADER_ROW + 2

    @property
    def last_row(self) -> int:
        return HEADER_ROW + 1 + len(self.section.rows)


def write_consolidated(path: str | Path, db: str | Path, *, skipped: Sequence = ()) -> Path:
    """Write the consolidated workbook for the store at ``db`` to ``path``.

    ``skipped`` lists files of the latest import that were not workbooks
    (:class:`~lga_xl.bulk.FileOutcome`); they are shown on the Issues sheet.
    """
    path = Path(path)
    sections = section_map(load_sections(db))
    issues = sections["issues"]
    issues.rows += [(Path(o.path).name, None, None, "warning", "skipped-file", o.reason, None, None, "skipped",
                     o.path) for o in skipped]

    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, style.xlsxwriter_options(
        in_memory=True, strings_to_formulas=False, strings_to_urls=False, strings_to_numbers=False))
    wb.set_properties({"title": TITLE, "author": f"lga_xl {__version__}"})
    house = style.XlsxWriterStyle(wb)
    shown = data_sections(sections.values())
    _about_sheet(wb, house, sections, shown, db)
    pending = [_data_sheet(wb, house, section) for section in shown]
    _benchmarks_sheet(wb, house, sections)
    wb.close()
    _splice(buffer.getvalue(), path, pending)
    return path


# The About sheet.


def _about_sheet(wb, house: style.XlsxWriterStyle, sections: Mapping[str, Section], shown: list[Section],
                 db: str | Path) -> None:
    ws = wb.add_worksheet("About")
    returns = sections["returns"]
    status = returns.columns.index("status")
    imported = sum(1 for r in returns.rows if r[status] == "imported")
    house.set_column_widths(ws, {0: style.ColumnFit(24), 1: style.ColumnFit(62, wrap=True), 2: style.ColumnFit(9)})
    house.write_text(ws, 0, 0, TITLE, style.TITLE)
    facts = [
        ("Written", dt.datetime.now().strftime("%d %B %Y at %H:%M"), None),
        ("From the store", Path(db).name, None),  # the file's name: its folder is the adviser's own business
        ("Returns in the store", len(returns.rows), style.COUNT),
        ("Imported", imported, style.COUNT),
        ("Rejected (see Issues)", len(returns.rows) - imported, style.COUNT),
    ]
    for row, (label, value, number_format) in enumerate(facts, start=2):
        house.write_text(ws, row, 0, label, style.LABEL)
        if number_format:
            ws.write_number(row, 1, value, house.format(replace(style.BODY, horizontal="left"), number_format))
        else:
            house.write_text(ws, row, 1, value)
    row = 2 + len(facts) + 1
    house.write_paragraph(ws, row, 0, 2, "Every figure was recomputed by lga_xl from what was typed into each "
                          "return. Returns and Issues list every file, rejected ones included; the other sheets "
                          "show imported returns only. 'Latest' is Yes for the newest return of each council and "
                          "kind: the one counted in the Benchmarks. A strand with no answer yet is Not rated and "
                          "has no score; it is not counted in any mean.", style.PARAGRAPH)
    row = house.add_key(ws, row + 2, entries=(ERROR_KEY, WARNING_KEY)) + 1
    house.write_text(ws, row, 0, "What each sheet holds", style.HEADING)
    contents = [(section.title, section.description, len(section.rows)) for section in shown]
    contents.append(("Benchmarks", "Benchmarks: England and each region compared: mean maturity scores, the "
                     "councils at each rating with charts, and levy plan figures.", None))
    first = row + 1
    ws.add_table(first, 0, first + len(contents), 2, house.table_options(
        "Contents", ["Sheet", "What it holds", "Rows"],
        data=[list(item) for item in contents],
        columns=[{"header": "Sheet", "header_format": house.format(style.TABLE_HEADER),
                  "format": house.format(style.TABLE_CELL)},
                 {"header": "What it holds", "header_format": house.format(style.TABLE_HEADER),
                  "format": house.format(style.TABLE_CELL)},
                 {"header": "Rows", "header_format": house.format(style.TABLE_HEADER),
                  "format": house.format(style.TABLE_CELL, style.COUNT)}]))
    for offset, (_, description, _) in enumerate(contents, start=1):
        house.set_row_height(ws, first + offset, style.wrapped_lines(description, 62) * style.line_height())
    house.set_up_printing(ws, title=TITLE, landscape=False, last_row=first + len(contents), last_col=2,
                          repeat_rows=(first, first))


# The data sheets.


def _data_sheet(wb, house: style.XlsxWriterStyle, section: Section) -> _PendingRows:
    ws = wb.add_worksheet(section.title)
    empty = not section.rows
    section.rows = section.rows[: EXCEL_MAX_ROWS - HEADER_ROW - 1] or [(None,) * len(section.columns)]
    columns = _layout(section)
    formats = [house.format(replace(style.TABLE_CELL, wrap=c.fit.wrap), c.number_format) for c in columns]
    house.set_column_widths(ws, {i: c.fit for i, c in enumerate(columns)})
    for col, cell_format in enumerate(formats):  # a placeholder row, so XlsxWriter writes the formats; _splice drops it
        ws.write_blank(HEADER_ROW + 1, col, None, cell_format)
    house.write_text(ws, 0, 0, section.title, style.TITLE)
    # The identity columns (whose and which a row is) come first: they stay in view on screen and are
    # printed at the left of every block of columns of a wide table.
    identity = _identity_count(section, columns)
    blocks = _print_blocks([c.fit.width for c in columns], identity)
    if empty:
        blocks = blocks[:1]  # no rows: one page of headings says so; the other blocks would be blank pages
    house.write_paragraph(ws, 1, 0, max(blocks[0][1], min(len(columns) - 1, 3)), section.description)
    headers = [c.header for c in columns]
    # Declared over one data row: XlsxWriter visits every cell of a table's range, which for the
    # elements table costs more than writing it; _splice widens it.
    ws.add_table(HEADER_ROW, 0, HEADER_ROW + 1, len(columns) - 1,
                 house.table_options(table_name(section), headers, autofilter=True))  # filters: the sheet is open
    house.set_row_height(ws, HEADER_ROW, _header_height(columns))
    ws.freeze_panes(HEADER_ROW + 1, min(identity, len(columns) - 1))
    last_row = HEADER_ROW + len(section.rows)
    widest = max(_block_points([c.fit.width for c in columns], block) for block in blocks)
    house.set_up_printing(ws, title=TITLE, landscape=style.wider_than_portrait(widest), last_row=last_row,
                          last_col=blocks[-1][1], repeat_rows=(HEADER_ROW, HEADER_ROW))
    if len(blocks) > 1:
        ws.repeat_columns(0, identity - 1)
    value_formats = {
        i: {value: house.format(_swatch(entry)) for value, entry in VALUE_KEYS[c.kind].items()}
        for i, c in enumerate(columns) if c.kind in VALUE_KEYS
    }
    return _PendingRows(part=f"xl/worksheets/sheet{ws.index + 1}.xml", sheet_index=ws.index, sheet=section.title,
                        table=table_name(section), section=section, columns=columns, formats=formats,
                        value_formats=value_formats, blocks=blocks)


def _swatch(entry: style.KeyEntry) -> style.CellStyle:
    """A key entry's cell style, exactly as the About sheet's key draws it (so XlsxWriter writes the format)."""
    return replace(entry.style, unlocked=False, horizontal="center")


def _layout(section: Section) -> list[_Column]:
    """The columns the workbook shows, the identity first (a file's path stays on the importing machine), sized."""
    order = [section.columns.index(name) for name in section.identity if name in section.columns]
    order += [index for index in range(len(section.columns)) if index not in order]
    columns = []
    for index in order:
        name = section.columns[index]
        kind = section.kind_of(name)
        if kind == "path":
            continue
        values = [row[index] for row in section.rows if row[index] not in (None, "")]
        number_format = KIND_FORMATS.get(kind)
        columns.append(_Column(index, header(name), kind, number_format,
                               _fit(values, kind, number_format, header(name))))
    return columns


def _fit(values: list[object], kind: str, number_format: str | None, heading: str) -> style.ColumnFit:
    """The column's width: numbers whole, text up to a cap and wrapped beyond, the heading on at most two lines."""
    if kind in DATE_KINDS:
        measured: list[object] = [style.WIDEST_VALUES[number_format]]
    elif values and all(isinstance(v, int | float) for v in values):
        measured = [max(values), min(values)]  # the widest number is the largest or the most negative
    else:
        texts = sorted({str(v) for v in values}, key=len, reverse=True)[:MAX_MEASURED_TEXTS]
        measured = list(texts)
    longest = max((len(v) for v in measured if isinstance(v, str)), default=0)
    cap = LONG_TEXT_CAP if longest > 2 * TEXT_CAP else TEXT_CAP
    return style.fit_column(measured, number_format=number_format, header=heading, cap=cap)


def _header_height(columns: Sequence[_Column]) -> float:
    lines = max(style.wrapped_lines(c.header, c.fit.width, bold=True) for c in columns)
    return lines * style.line_height()


def _identity_count(section: Section, columns: Sequence[_Column]) -> int:
    """How many of the first columns are the section's identity (at least one)."""
    shown = {header(name) for name in section.identity}
    return max(1, sum(1 for c in columns[:len(section.identity)] if c.header in shown))


def _print_blocks(widths: Sequence[float], identity: int) -> list[tuple[int, int]]:
    """Columns printed together, first and last: all of them when they fit a landscape page, else blocks that do.

    Each block after the first is printed with the ``identity`` columns at
    its left, and is at most a landscape page wide with them (at the zoom
    :data:`MIN_PRINT_SCALE`); the blocks are as even as their columns allow,
    so that no page holds a lone column.

    Example:
        >>> _print_blocks([10.0] * 8, 2)
        [(0, 7)]
        >>> _print_blocks([20.0] * 30, 2)
        [(0, 8), (9, 15), (16, 22), (23, 29)]
        >>> _print_blocks([20.0] * 12, 2)  # 7 columns, then 5 beside the 2 repeated: not 11 and then 1
        [(0, 6), (7, 11)]
    """
    page = style.PrintedPage(landscape=True).printable_width / MIN_PRINT_SCALE
    if _block_points(widths, (0, len(widths) - 1)) <= page:
        return [(0, len(widths) - 1)]
    repeated = _block_points(widths, (0, identity - 1))
    fewest = len(_blocks_within(widths, page, repeated))
    total = _block_points(widths, (0, len(widths) - 1)) + (fewest - 1) * repeated
    room = total / fewest  # the even share; widened a column at a time until the blocks are that few
    while len(blocks := _blocks_within(widths, room, repeated)) > fewest:
        room += 5.0
    return blocks


def _blocks_within(widths: Sequence[float], room: float, repeated: float) -> list[tuple[int, int]]:
    """Greedy blocks of at most ``room`` points, the blocks after the first with ``repeated`` points of identity."""
    blocks, first, used = [], 0, 0.0
    for col, width in enumerate(widths):
        points = style.column_pixels(width) * 0.75
        if col > first and used + points > room - (repeated if blocks else 0.0):
            blocks.append((first, col - 1))
            first, used = col, 0.0
        used += points
    blocks.append((first, len(widths) - 1))
    return blocks


def _block_points(widths: Sequence[float], block: tuple[int, int]) -> float:
    return sum(style.column_pixels(w) for w in widths[block[0]:block[1] + 1]) * 0.75


# The Benchmarks sheet.


def _benchmarks_sheet(wb, house: style.XlsxWriterStyle, sections: Mapping[str, Section]) -> None:
    ws = wb.add_worksheet("Benchmarks")
    tables = [("benchmark_scores", "BenchmarkScores", "Mean maturity score by strand (1 = Early, 4 = Mature)"),
              ("rating_distribution", "RatingDistribution", "Councils at each rating, by strand"),
              ("levy_benchmarks", "LevyBenchmarks", "Levy plans: planned spend and schools engaged")]
    layouts = {name: _layout(sections[name]) for name, _, _ in tables}
    widths: dict[int, float] = {}
    for columns in layouts.values():
        for col, column in enumerate(columns):
            widths[col] = max(widths.get(col, 0.0), column.fit.width)
    house.set_column_widths(ws, {col: style.ColumnFit(width) for col, width in widths.items()})
    last_col = max(widths)
    house.write_text(ws, 0, 0, "National and regional benchmarks", style.TITLE)
    house.write_paragraph(ws, 1, 0, last_col, "Each council counts once: its latest self-assessment (Self) and "
                          "its latest levy plan. A strand not rated yet is not counted in its mean or its ratings.")
    row = 3
    placed = {}
    for name, name_of_table, title in tables:
        section = sections[name]
        house.write_text(ws, row, 0, title, style.HEADING)
        first = row + 1
        columns = layouts[name]
        ws.add_table(first, 0, first + len(section.rows), len(columns) - 1, house.table_options(
            name_of_table, [c.header for c in columns], data=[[r[c.index] for c in columns] for r in section.rows],
            columns=[{"header": c.header, "header_format": house.format(style.TABLE_HEADER),
                      "format": house.format(replace(style.TABLE_CELL, wrap=True), c.number_format)}
                     for c in columns]))
        house.set_row_height(ws, first, max(style.wrapped_lines(c.header, widths[i], bold=True)
                                            for i, c in enumerate(columns)) * style.line_height())
        for offset, values in enumerate(section.rows, start=1):
            lines = max((style.wrapped_lines(values[c.index], widths[i]) for i, c in enumerate(columns)
                         if isinstance(values[c.index], str)), default=1)
            if lines > 1:
                house.set_row_height(ws, first + offset, lines * style.line_height())
        placed[name] = (first, section)
        last = first + len(section.rows)
        house.set_up_printing(ws, title=TITLE, last_row=last, last_col=last_col)
        chart = {"benchmark_scores": _regional_chart, "rating_distribution": _distribution_chart}.get(name)
        if chart is not None:
            last = house.place_chart_below(ws, chart(wb, house, first, section), last, height=300)
        row = last + 2


def _regional_chart(wb, house: style.XlsxWriterStyle, header_row: int, section: Section):
    """Bars: the mean overall score of England and of each region, top to bottom in the table's order."""
    overall = section.columns.index("overall_mean")
    first, last = header_row + 1, header_row + len(section.rows)
    chart = wb.add_chart({"type": "bar"})
    chart.add_series(house.series({
        "name": "Mean overall score",
        "categories": ["Benchmarks", first, 0, last, 0],
        "values": ["Benchmarks", first, overall, last, overall],
    }, 0))
    house.finish_chart(chart, title="Mean overall maturity score by area", y_title="Score (1 = Early, 4 = Mature)",
                       y_number_format="0", legend=False, horizontal=True, reverse_categories=True,
                       value_axis={"min": 0, "max": 4, "major_unit": 1})
    return chart


def _distribution_chart(wb, house: style.XlsxWriterStyle, header_row: int, section: Section):
    """Stacked bars: how many councils (England) sit at each rating, strand by strand, Early lightest."""
    england = [i for i, r in enumerate(section.rows) if r[0] == "England"]
    first, last = header_row + 1 + england[0], header_row + 1 + england[-1]
    chart = wb.add_chart({"type": "bar", "subtype": "stacked"})
    for offset, label in enumerate(LABELS):
        col = section.columns.index(label)
        chart.add_series(house.series({
            "name": ["Benchmarks", header_row, col],
            "categories": ["Benchmarks", first, 1, last, 1],
            "values": ["Benchmarks", first, col, last, col],
        }, offset, palette=style.RATING_PALETTE))
    house.finish_chart(chart, title="Councils at each rating by strand, England", y_title="Councils",
                       y_number_format="0", horizontal=True, reverse_categories=True,
                       value_axis={"min": 0})
    return chart


# Writing the data rows into the package.


def _splice(package: bytes, path: Path, pending: list[_PendingRows]) -> None:
    """Copy the XlsxWriter package to ``path``, filling in the data rows.

    Text cells go through the shared-string table, as Excel itself writes
    them: a strand or a status recurs thousands of times but is stored once.
    """
    by_part = {p.part: p for p in pending}
    by_table = {p.table: p for p in pending}
    with zipfile.ZipFile(io.BytesIO(package)) as source, _PackageWriter(path) as target:
        strings = _SharedStrings(source.read("xl/sharedStrings.xml"))
        for info in source.infolist():
            if info.filename == "xl/sharedStrings.xml":
                continue  # written last, once the data rows have added theirs
            data = source.read(info.filename)
            if info.filename in by_part:
                target.streamed(info, _sheet_chunks(data, by_part[info.filename], strings))
                continue
            if re.fullmatch(r"xl/charts/chart\d+\.xml", info.filename):
                data = style.explicit_chart_defaults(data)
            elif info.filename.startswith("xl/tables/table"):
                data = _table_widened(data, by_table)
            elif info.filename == "xl/workbook.xml":
                data = _print_areas(data, pending)
            target.streamed(info, [data])
        target.streamed(source.getinfo("xl/sharedStrings.xml"), [strings.xml()])


class _PackageWriter:
    """The zip being written, by a thread of its own: deflating a sheet (zlib lets go of the interpreter
    while it works) goes on beside the building of the next rows, on a second core when there is one.

    Parts are written in the order given; a part's chunks may be a generator, consumed here (building
    rows) while the thread deflates the chunks before them.
    """

    _DONE = object()

    def __init__(self, path: Path):
        self._chunks: queue.Queue = queue.Queue(maxsize=8)  # a few chunks ahead: memory stays small
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._write, args=(path,), name="consolidated-zip", daemon=True)
        self._thread.start()

    def streamed(self, info: zipfile.ZipInfo, chunks: Iterable[bytes]) -> None:
        """Write the part ``info`` names (with its date), deflated, from ``chunks``."""
        self._put(info)
        for chunk in chunks:
            self._put(chunk)
        self._put(None)  # the end of this part

    def __enter__(self) -> _PackageWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self._put(self._DONE, raise_failure=exc_type is None)
        self._thread.join()
        if self._failure is not None and exc_type is None:
            raise self._failure

    def _put(self, item, raise_failure: bool = True) -> None:
        """Queue ``item`` for the thread; its failure, if it failed, is raised here instead."""
        while self._thread.is_alive() and self._failure is None:
            try:
                self._chunks.put(item, timeout=0.5)
                return
            except queue.Full:
                continue
        if self._failure is not None and raise_failure:
            raise self._failure

    def _write(self, path: Path) -> None:
        try:
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
                while (item := self._chunks.get()) is not self._DONE:
                    info = zipfile.ZipInfo(item.filename, item.date_time)
                    info.compress_type = zipfile.ZIP_DEFLATED  # at zlib's default level
                    with target.open(info, "w") as stream:
                        while (chunk := self._chunks.get()) is not None:
                            if chunk is self._DONE:  # the building failed part way: its error is raised there
                                return
                            stream.write(chunk)
        except BaseException as exc:  # noqa: B036 - handed to the building thread, which raises it
            self._failure = exc


class _SharedStrings:
    """XlsxWriter's shared-string table, extended with the data rows' text."""

    def __init__(self, sst_xml: bytes):
        self._head, body = sst_xml.split(b">", 2)[:2], sst_xml.split(b">", 2)[2]
        counts = re.search(rb'count="(\d+)" uniqueCount="(\d+)"', sst_xml)
        self.count, self._unique = int(counts.group(1)), int(counts.group(2))
        self._existing = body.rsplit(b"</sst>", 1)[0]
        self._added: dict[str, int] = {}

    def index(self, text: str) -> int:
        found = self._added.get(text)
        if found is None:
            found = self._added[text] = self._unique + len(self._added)
        return found

    def indexes(self, texts) -> dict[str, int]:
        """The index of every text in ``texts``, adding those not there yet."""
        for text in texts:
            self.index(text)
        return self._added

    def xml(self) -> bytes:
        added = "".join(f"<si>{_text(text)}</si>" for text in self._added).encode("utf-8")
        head = b">".join(self._head) + b">"
        head = re.sub(rb'count="\d+" uniqueCount="\d+"',
                      f'count="{self.count}" uniqueCount="{self._unique + len(self._added)}"'.encode(), head)
        return head + self._existing + added + b"</sst>"


def _table_widened(table_xml: bytes, by_table: dict[str, _PendingRows]) -> bytes:
    name = re.search(rb'displayName="([^"]+)"', table_xml)
    pending = by_table.get(name.group(1).decode()) if name else None
    if pending is None:
        return table_xml
    ref = _full_ref(pending).encode()
    return re.sub(rb'(<(?:table|autoFilter)\b[^>]*?\bref=")[^"]*"', rb'\g<1>' + ref + b'"', table_xml)


def _full_ref(pending: _PendingRows) -> str:
    last_col = xl_col_to_name(len(pending.columns) - 1)
    return f"A{HEADER_ROW + 1}:{last_col}{pending.last_row}"


def _print_areas(workbook_xml: bytes, pending: list[_PendingRows]) -> bytes:
    """A wide sheet's print area as one range per block of columns (XlsxWriter writes one range only).

    The first block prints from the title down; the others from the table's
    header, the identity columns repeated at their left (its print titles).
    """
    for sheet in pending:
        if len(sheet.blocks) == 1:
            continue
        quoted = "'" + sheet.sheet.replace("'", "''") + "'"
        ranges = []
        for number, (first, last) in enumerate(sheet.blocks):
            top = 0 if number == 0 else HEADER_ROW
            ranges.append(f"{quoted}!{_absolute(top, first)}:{_absolute(sheet.last_row - 1, last)}")
        pattern = (rf'(<definedName name="_xlnm\.Print_Area" localSheetId="{sheet.sheet_index}">)[^<]*'
                   r"(</definedName>)").encode()
        text = escape(",".join(ranges)).encode()
        workbook_xml = re.sub(pattern, lambda match, text=text: match.group(1) + text + match.group(2), workbook_xml,
                              count=1)
    return workbook_xml


# lga_xl/mot/report_xlsx.py imports this name for its own XlsxWriter charts; the house style's function
# shows the axes and straightens the lines. (The MOT could call style.explicit_chart_defaults itself.)
_axes_shown = style.explicit_chart_defaults


def _absolute(row: int, col: int) -> str:
    return xl_rowcol_to_cell(row, col, row_abs=True, col_abs=True)


def _sheet_chunks(sheet_xml: bytes, pending: _PendingRows, strings: _SharedStrings) -> Iterator[bytes]:
    """The sheet's XML with the data rows appended after the header row, in chunks of rows."""
    head, tail = sheet_xml.split(b"</sheetData>", 1)
    head = re.sub(rf'<row r="{pending.first_row}"[ >].*'.encode(), b"", head, flags=re.S)  # the placeholder row
    head = re.sub(rb'<dimension ref="[^"]*"/>',
                  f'<dimension ref="A1:{xl_col_to_name(len(pending.columns) - 1)}{pending.last_row}"/>'.encode(),
                  head, count=1)
    yield head
    # Each chunk of rows is built column by column (one comprehension per column), then joined row by row:
    # while it is built, the package writer deflates the chunk before it.
    layout = [(xl_col_to_name(position), column.index, column.kind in DATE_KINDS,
               _style_attribute(pending.formats[position]),
               {value: _style_attribute(fmt) for value, fmt in pending.value_formats.get(position, {}).items()})
              for position, column in enumerate(pending.columns)]
    wrapped = [(c.index, c.fit.width, (style.column_pixels(c.fit.width) - 8) / _WIDEST_CHARACTER_PIXELS)
               for c in pending.columns if c.fit.wrap]
    rows, lines_of = pending.section.rows, {}
    for start in range(0, len(rows), ROWS_PER_CHUNK):
        block, first = rows[start:start + ROWS_PER_CHUNK], pending.first_row + start
        columns = []
        for letter, index, dated, style_of, by_value in layout:
            values = [row[index] for row in block]
            if dated:
                values = [_serial(v) if isinstance(v, str) else v for v in values]
            columns.append(_column_cells(letter, values, first, style_of, by_value, strings))
        heights = _row_heights(wrapped, block, first, lines_of)
        yield "".join(f'<row r="{r}"{heights.get(r, "")}>{"".join(row_cells)}</row>'
                      for r, row_cells in zip(range(first, first + len(block)), zip(*columns))).encode("utf-8")
    yield b"</sheetData>" + tail


def _style_attribute(cell_format: object) -> str:
    index = cell_format.xf_index  # numbered by XlsxWriter when the workbook is closed, if it was used
    if index is None:
        raise RuntimeError("a consolidated cell format was never used, so XlsxWriter did not write it")
    return f' s="{index}"'


def _row_heights(wrapped: Sequence[tuple[int, float, float]], rows: Sequence[tuple], first_row: int,
                 lines_of: dict[tuple[str, float], int]) -> dict[int, str]:
    """Row -> the height attribute of each data row whose wrapped text takes more than one line.

    ``wrapped``: (index in the rows, width, characters that surely fit on a line) of each wrapping
    column; ``lines_of`` keeps the lines of each text and width measured, from chunk to chunk.
    Excel and LibreOffice keep a row at one line unless the file says otherwise.
    """
    numbers = range(first_row, first_row + len(rows))
    most: dict[int, int] = {}  # row -> lines, for rows with a text that may not fit on one line
    for index, width, sure_fit in wrapped:
        for number, text in [(n, t) for n, t in zip(numbers, [row[index] for row in rows])
                             if t.__class__ is str and len(t) > sure_fit]:
            key = (text, width)
            if key not in lines_of:
                lines_of[key] = style.wrapped_lines(text, width)
            if lines_of[key] > most.get(number, 1):
                most[number] = lines_of[key]
    return {number: f' ht="{lines * style.line_height()}" customHeight="1"' for number, lines in most.items()}


def _column_cells(letter: str, values: list, first: int, style_of: str, by_value: dict[str, str],
                  strings: _SharedStrings) -> list[str]:
    """One column's cells; all-text and all-number columns take a fast path
    without a function call per cell (most columns are one or the other)."""
    refs = range(first, first + len(values))
    types = {type(v) for v in values if v is not None and v != ""}
    if str in types:  # every text cell is one use of a shared string
        strings.count += len(values) - values.count(None) - values.count("") if types == {str} else \
            sum(1 for v in values if isinstance(v, str) and v)
    if types <= {str}:
        ids = strings.indexes(dict.fromkeys(v for v in values if v))  # in order, so that a file is the same each run
        return [f'<c r="{letter}{r}"{by_value.get(v, style_of)} t="s"><v>{ids[v]}</v></c>' if v
                else f'<c r="{letter}{r}"{style_of}/>' for r, v in zip(refs, values)]
    if types <= {int, float}:
        return [f'<c r="{letter}{r}"{style_of}><v>{v!r}</v></c>' if v is not None else f'<c r="{letter}{r}"{style_of}/>'
                for r, v in zip(refs, values)]
    return [_cell(f"{letter}{r}", v, style_of, strings) for r, v in zip(refs, values)]


def _cell(ref: str, value, style_of: str, strings: _SharedStrings) -> str:
    if value is None or value == "":
        return f'<c r="{ref}"{style_of}/>'
    if isinstance(value, str):
        return f'<c r="{ref}"{style_of} t="s"><v>{strings.index(value)}</v></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}"{style_of} t="b"><v>{int(value)}</v></c>'
    return f'<c r="{ref}"{style_of}><v>{value!r}</v></c>'


def _text(value: str) -> str:
    value = _ILLEGAL_XML.sub("", value)[:EXCEL_MAX_TEXT]
    space = ' xml:space="preserve"' if value != value.strip() else ""
    return f"<t{space}>{escape(value)}</t>"


def _serial(iso: str) -> float | str:
    try:
        return cells.serial(dt.date.fromisoformat(iso))
    except ValueError:
        return iso
