"""The MOT report as a workbook (XlsxWriter): one sheet a section, native charts.

The same sections as the Word report (:mod:`lga_xl.mot.sections`), laid out
down each sheet: text across the sheet's width, tables with a header row,
numbers as numbers with their formats (a share is 0.38 shown as 38%), and
charts that Excel draws from the figures written beside them.  Each sheet
prints on A4, one page wide, with page numbers in the footer.  Text from
returns and surveys is always written as text, never as a formula.

Example:
    >>> import tempfile, pathlib
    >>> from lga_xl.mot.sample import sample_report
    >>> path = write_mot_xlsx(sample_report(), pathlib.Path(tempfile.mkdtemp()) / "mot.xlsx")
    >>> from openpyxl import load_workbook
    >>> load_workbook(path).sheetnames[:3]
    ['Cover', 'Summary', 'Maturity']
"""

from __future__ import annotations

import io
import math
import zipfile
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from .. import __version__
from ..writers.consolidated import _axes_shown
from .model import MotReport
from .sections import (
    COLOURS,
    Bullets,
    Cell,
    Chart,
    Column,
    Group,
    Paragraph,
    Section,
    Subheading,
    Table,
    build_sections,
)

FONT = "Arial"
CHARS_PER_CM = 5.0  # Excel column width units (characters of the default font) in a centimetre, near enough
PIXELS_PER_UNIT = 7  # pixels a column width unit takes on screen, as XlsxWriter reckons it
LINE_HEIGHT = 13.5  # points, one line of 10-point text
MAX_TEXT = 32_767  # characters in a cell
NUMBER_FORMATS = {"score": "0.0", "mean": "0.00", "percent": "0%", "money": "£#,##0", "count": "#,##0"}
CHART_ROWS = 18  # rows a chart takes (about 340 pixels)

# Public API.


def write_mot_xlsx(report: MotReport, path: str | Path) -> Path:
    """Write the council's MOT report to ``path`` (.xlsx); returns the path."""
    path = Path(path)
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {
        "in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
        "default_format_properties": {"font_name": FONT, "font_size": 10},
    })
    wb.set_properties({"title": f"Apprenticeship MOT: {report.council.name}", "subject": "LGA Apprenticeship MOT",
                       "author": report.prepared_by or "lga_xl", "comments": f"Written by lga_xl {__version__}"})
    formats = _Formats(wb)
    for section in build_sections(report):
        _Sheet(wb, formats, section, report.council.name).write()
    wb.close()
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/charts/chart"):
                data = _axes_shown(data)  # recent Excel draws no axis without <c:delete val="0"/>
            target.writestr(info, data)
    return path


# Private API.


class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook):
        text = COLOURS["text"]
        self.title = wb.add_format({"bold": True, "font_size": 20, "font_color": text})
        self.council = wb.add_format({"bold": True, "font_size": 14, "font_color": COLOURS["council"]})
        self.heading = wb.add_format({"bold": True, "font_size": 16, "font_color": text})
        self.subheading = wb.add_format({"bold": True, "font_size": 12, "font_color": text})
        self.body = wb.add_format({"text_wrap": True, "valign": "top", "font_color": text})
        self.note = wb.add_format({"text_wrap": True, "valign": "top", "font_color": COLOURS["secondary"],
                                   "font_size": 9})
        rule = {"bottom": 1, "bottom_color": COLOURS["border"], "valign": "top", "font_size": 9}
        self.header = wb.add_format({**rule, "bold": True, "bg_color": COLOURS["header"], "text_wrap": True})
        self.header_number = wb.add_format({**rule, "bold": True, "bg_color": COLOURS["header"], "text_wrap": True,
                                            "align": "right"})
        self.group = wb.add_format({**rule, "bold": True, "bg_color": COLOURS["group"], "text_wrap": True})
        self.label = wb.add_format({**rule, "bold": True, "text_wrap": True})
        self.cell = wb.add_format({**rule, "text_wrap": True})
        self.cell_right = wb.add_format({**rule, "text_wrap": True, "align": "right"})
        self.numbers = {kind: wb.add_format({**rule, "num_format": pattern})
                        for kind, pattern in NUMBER_FORMATS.items()}


class _Sheet:
    """One section laid out down one sheet."""

    def __init__(self, wb: xlsxwriter.Workbook, formats: _Formats, section: Section, council: str):
        self.wb, self.f, self.section = wb, formats, section
        self.ws = wb.add_worksheet(section.sheet)
        self.row = 0
        tables = [b for b in section.blocks if isinstance(b, Table)]
        count = max([len(t.columns) for t in tables] + [1])
        # Each column as wide as the widest table wants it; text spans the tables' width.
        self.widths = [max([t.columns[i].width for t in tables if i < len(t.columns)] + [2.5]) for i in range(count)]
        if not tables:
            self.widths = [17.0]
        self.span = len(self.widths) - 1
        self.data_column = len(self.widths) + 1  # charts' figures go to the right of the content
        self.ws.set_paper(9)  # A4
        self.ws.fit_to_pages(1, 0)
        self.ws.set_margins(left=0.6, right=0.6, top=0.7, bottom=0.7)
        self.ws.set_footer(f"&L&8Apprenticeship MOT: {_footer_text(council)}&R&8Page &P of &N")
        self.ws.hide_gridlines(2)

    def write(self) -> None:
        for index, width in enumerate(self.widths):
            self.ws.set_column(index, index, width * CHARS_PER_CM)
        if self.section.key == "cover":
            self.ws.write_string(0, 0, self.section.title, self.f.title)
            self.ws.set_row(0, 28)
            self.row = 1
        else:
            self.ws.write_string(0, 0, self.section.title, self.f.heading)
            self.ws.set_row(0, 24)
            self.row = 2
        for block in self.section.blocks:
            if isinstance(block, Paragraph):
                style = {"strong": self.f.council, "note": self.f.note}.get(block.style, self.f.body)
                self._text(block.text, style, height_factor=0.9 if block.style == "note" else 1.0)
                if block.style == "strong":
                    self.ws.set_row(self.row - 1, 22)
                self.row += block.style != "strong"
            elif isinstance(block, Subheading):
                self.row += 1
                self.ws.write_string(self.row, 0, _clip(block.text), self.f.subheading)
                self.ws.set_row(self.row, 18)
                self.row += 1
            elif isinstance(block, Bullets):
                for item in block.items:
                    self._text(f"• {item}", self.f.body)
                self.row += 1
            elif isinstance(block, Table):
                self._table(block)
                self.row += 1
            elif isinstance(block, Chart):
                self._chart(block)
            else:
                raise TypeError(f"no layout for {type(block).__name__}")
        self.ws.print_area(0, 0, max(self.row - 1, 0), self.span)  # the report, not the charts' figures

    def _text(self, text: str, style, height_factor: float = 1.0) -> None:
        """Text across the sheet's width, the row as tall as its lines."""
        if self.span:
            self.ws.merge_range(self.row, 0, self.row, self.span, "", style)
        self.ws.write_string(self.row, 0, _clip(text), style)
        self.ws.set_row(self.row, _height(text, sum(self.widths), size=10) * height_factor)
        self.row += 1

    def _table(self, table: Table) -> None:
        header = any(c.title for c in table.columns)
        if header:
            for col, column in enumerate(table.columns):
                style = self.f.header if column.kind == "text" else self.f.header_number
                self.ws.write_string(self.row, col, column.title, style)
            self.ws.set_row(self.row, max(_height(c.title, c.width) for c in table.columns))
            self.row += 1
        last = len(table.columns) - 1
        for row in table.rows:
            if isinstance(row, Group):
                if last:
                    self.ws.merge_range(self.row, 0, self.row, last, "", self.f.group)
                self.ws.write_string(self.row, 0, _clip(row.text), self.f.group)
                self.ws.set_row(self.row, _height(row.text, sum(c.width for c in table.columns)))
                self.row += 1
                continue
            heights = []
            for col, (value, column) in enumerate(zip(row, table.columns)):
                heights.append(self._cell(col, value, column, label=not header and col == 0))
            self.ws.set_row(self.row, max(heights))
            self.row += 1

    def _cell(self, col: int, value, column: Column, label: bool) -> float:
        """Write one table cell; returns the row height it needs."""
        kind = value.kind if isinstance(value, Cell) else column.kind
        number = value.value if isinstance(value, Cell) else value
        if isinstance(number, int | float) and not isinstance(number, bool) and kind in NUMBER_FORMATS:
            self.ws.write_number(self.row, col, number, self.f.numbers[kind])
            return LINE_HEIGHT
        text = "" if number is None else str(number)
        style = self.f.label if label else self.f.cell if kind == "text" and not isinstance(value, Cell) \
            else self.f.cell_right
        if text:
            self.ws.write_string(self.row, col, _clip(text), style)
        else:
            self.ws.write_blank(self.row, col, None, style)
        return _height(text, column.width)

    def _chart(self, chart: Chart) -> None:
        """A native chart of figures written to the right of the content, where Excel can find them."""
        sheet, first = self.section.sheet, self.row
        column = self.data_column
        self.ws.write_string(first, column, f"Figures for the chart: {chart.title}", self.f.label)
        self.ws.write_string(first + 1, column, "", self.f.header)
        for offset, series in enumerate(chart.series, start=1):
            self.ws.write_string(first + 1, column + offset, series.name, self.f.header)
        number = self.f.numbers["percent" if chart.unit == "percent" else "score"]
        for index, category in enumerate(chart.categories):
            row = first + 2 + index
            self.ws.write_string(row, column, category, self.f.cell)
            for offset, series in enumerate(chart.series, start=1):
                value = series.values[index]
                if value is None:
                    self.ws.write_blank(row, column + offset, None, number)
                else:
                    self.ws.write_number(row, column + offset, value, number)
        self.ws.set_column(column, column, 34)
        self.ws.set_column(column + 1, column + len(chart.series), 13)
        categories = [sheet, first + 2, column, first + 1 + len(chart.categories), column]

        def values(offset: int) -> list:
            return [sheet, first + 2, column + offset, first + 1 + len(chart.categories), column + offset]

        bars = self.wb.add_chart({"type": "bar" if chart.horizontal else "column"})
        for offset, series in enumerate(chart.series, start=1):
            if series.marker:
                continue
            options = {"name": [sheet, first + 1, column + offset], "categories": categories,
                       "values": values(offset), "fill": {"color": series.colour}, "border": {"none": True},
                       "gap": 60}
            if chart.horizontal:
                options["data_labels"] = {"value": True, "num_format": "0%", "font": {"name": FONT, "size": 8}}
            bars.add_series(options)
        markers = [(offset, s) for offset, s in enumerate(chart.series, start=1) if s.marker]
        if markers:
            line = self.wb.add_chart({"type": "line"})
            for offset, series in markers:
                line.add_series({"name": [sheet, first + 1, column + offset], "categories": categories,
                                 "values": values(offset), "line": {"none": True},
                                 "marker": {"type": "long_dash", "size": 20, "fill": {"color": series.colour},
                                            "border": {"color": series.colour}}})
            bars.combine(line)
        font = {"name": FONT, "size": 9, "color": COLOURS["text"]}
        bars.set_title({"name": chart.title, "name_font": {**font, "size": 11, "bold": True}})
        bars.set_legend({"position": "top", "font": font} if len(chart.series) > 1 else {"none": True})
        value_axis = {"min": 0, "major_gridlines": {"visible": True, "line": {"color": COLOURS["border"]}},
                      "num_font": font}
        if chart.unit == "percent":
            top = max([1.0] + [v for s in chart.series for v in s.values if v is not None])
            value_axis.update({"max": math.ceil(top * 10) / 10, "num_format": "0%"})
            value_axis["major_unit"] = 0.2
        else:
            value_axis.update({"max": 4, "major_unit": 1})
        # Categories top to bottom, as in the table; the values' axis then stays at the bottom.
        category_axis = {"reverse": True, "crossing": "max", "num_font": font} if chart.horizontal \
            else {"num_font": font}
        if chart.horizontal:
            bars.set_x_axis(value_axis)
            bars.set_y_axis(category_axis)
        else:
            bars.set_y_axis(value_axis)
            bars.set_x_axis(category_axis)
        rows = max(CHART_ROWS, 6 + len(chart.categories) * len(chart.series)) if chart.horizontal else CHART_ROWS
        pixels = sum(int(w * CHARS_PER_CM * PIXELS_PER_UNIT + 5) for w in self.widths)
        bars.set_size({"width": int(pixels * 0.97), "height": rows * 20})
        self.ws.insert_chart(xl_rowcol_to_cell(self.row, 0), bars, {"object_position": 1})
        self.row += rows + 1
        if chart.caption:
            self._text(chart.caption, self.f.note, height_factor=0.9)


def _height(text: str, width_cm: float, size: float = 9) -> float:
    """Points a wrapped cell needs; an average Arial letter is about half the font size wide."""
    characters = max(1, int(width_cm / 2.54 * 72 / (0.5 * size)))
    lines = sum(max(1, math.ceil(len(part) / characters)) for part in (text or "").split("\n"))
    return LINE_HEIGHT * lines + 3


def _clip(text: str) -> str:
    return text[:MAX_TEXT]


def _footer_text(text: str) -> str:
    return text.replace("&", "&&")  # & starts a header/footer code in Excel
