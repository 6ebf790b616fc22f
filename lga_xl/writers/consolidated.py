"""The adviser's consolidated workbook, written from the returns store.

The workbook is built with XlsxWriter (tables, formats, charts), but the data
rows of the big sheets (the elements table alone is ~83 cells per return) are
written straight into the sheet XML afterwards: XlsxWriter spends a few
microseconds of Python per cell, which for 1,000 returns is seconds; one
string per row is a tenth of that.  Cells from returned files are always
inline strings, never formulas, so an organisation called
``=HYPERLINK(...)`` stays text.

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
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from .. import __version__, cells
from ..consolidated_data import Section, load_sections, section_map
from ..rating import LABELS

TITLE = "Consolidated apprenticeship returns"  # also its document title: how an import knows one it wrote
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_TEXT = 32_767

HEADERS = {
    "return_id": "Return", "org_type": "Organisation type", "overall_score": "Overall score",
    "file_path": "Path", "imported_at": "Imported at", "target_score": "Target score",
    "gap": "Gap to target", "unanswered": "Not answered", "regional_mean": "Regional mean",
    "national_mean": "National mean", "element_id": "Element", "english_percent": "English %",
    "transfer_allowance_10": "Transfer allowance 10%", "transfer_allowance_25": "Transfer allowance 25%",
    "transfer_allowance_statutory": "Transfer allowance (statutory)",
    "statutory_transfer_rate": "Statutory transfer rate",
    "headroom_10": "Headroom 10%", "headroom_25": "Headroom 25%", "headroom_statutory": "Headroom (statutory)",
    "spend_share": "Planned spend share", "urn": "URN", "in_council_levy": "In council levy",
    "public_sector_target_starts": "Public sector target starts", "duration_months": "Duration (months)",
    "median_spend_percent": "Median planned spend %", "engaged_percent": "Schools engaged %",
    "median_headroom_statutory": "Median headroom (statutory)", "levy_plans": "Levy plans",
}
FORMATTED_KINDS = ("date", "money")  # value kinds with a number format of their own
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def header(column: str) -> str:
    """A column's display name: ``org_type`` -> ``Organisation type``; names
    that are already words (a strand, a rating label) are kept as they are."""
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
class _PendingRows:
    part: str  # the worksheet part inside the package
    table: str
    section: Section
    kinds: list[str]  # per column: "date", "money" or ""


def write_consolidated(path: str | Path, db: str | Path, *, skipped: Sequence = ()) -> Path:
    """Write the consolidated workbook for the store at ``db`` to ``path``.

    ``skipped`` lists files of the latest import that were not workbooks
    (:class:`~lga_xl.bulk.FileOutcome`); they are shown on the Issues sheet.
    """
    path = Path(path)
    sections = section_map(load_sections(db))
    issues = sections["issues"]
    issues.rows += [(o.path, None, None, "warning", "skipped-file", o.reason, None, None, "skipped") for o in skipped]

    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                      "strings_to_numbers": False})
    wb.set_properties({"title": TITLE, "author": f"lga_xl {__version__}"})
    formats = {
        "date": wb.add_format({"num_format": "dd/mm/yyyy"}),
        "money": wb.add_format({"num_format": "#,##0.00"}),
        "title": wb.add_format({"bold": True, "font_size": 14, "font_color": "#1F3864"}),
        "note": wb.add_format({"italic": True, "font_color": "#595959"}),
        "bold": wb.add_format({"bold": True}),
    }
    _about_sheet(wb, formats, sections, db)
    pending = []
    for section in data_sections(sections.values()):
        ws = wb.add_worksheet(section.title)
        pending.append(_data_sheet(ws, section, table_name(section), formats))
    _benchmarks_sheet(wb, formats, sections)
    wb.close()

    # XlsxWriter numbers its formats only when the workbook is closed.
    style_attributes = {kind: f' s="{formats[kind].xf_index}"' for kind in FORMATTED_KINDS}
    _splice(buffer.getvalue(), path, pending, style_attributes)
    return path


def _about_sheet(wb, formats, sections, db) -> None:
    ws = wb.add_worksheet("About")
    returns = sections["returns"]
    status = returns.columns.index("status")
    imported = sum(1 for r in returns.rows if r[status] == "imported")
    ws.write_string(0, 0, TITLE, formats["title"])
    lines = [
        ("Written", dt.datetime.now().strftime("%d/%m/%Y %H:%M")),
        ("From the store", str(Path(db).resolve())),
        ("Returns in the store", str(len(returns.rows))),
        ("Imported", str(imported)),
        ("Rejected (see Issues)", str(len(returns.rows) - imported)),
    ]
    for row, (label, value) in enumerate(lines, start=2):
        ws.write_string(row, 0, label, formats["bold"])
        ws.write_string(row, 1, value)
    notes = [
        "Ratings, Elements, Levy plans, Schools, Planned starts and Transfers show imported returns only;",
        "Returns and Issues show every file, rejected ones included. 'Latest' marks the newest return of each",
        "organisation, which is the one counted in Benchmarks. Every figure was recomputed from the entries.",
    ]
    for row, note in enumerate(notes, start=len(lines) + 3):
        ws.write_string(row, 0, note, formats["note"])
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 60)


def _data_sheet(ws, section: Section, table_name: str, formats) -> _PendingRows:
    rows = section.rows[: EXCEL_MAX_ROWS - 1]
    section.rows = rows or [(None,) * len(section.columns)]  # a table needs one data row
    kinds = [kind if (kind := section.kinds.get(c)) in FORMATTED_KINDS else "" for c in section.columns]
    # Declared over one row: XlsxWriter visits every cell of a table's range,
    # which for the elements table costs more than writing it; _splice widens it.
    ws.add_table(0, 0, 1, len(section.columns) - 1, {
        "name": table_name,
        "style": "Table Style Light 9",
        "columns": [{"header": header(c)} for c in section.columns],
    })
    for col, (column, kind) in enumerate(zip(section.columns, kinds)):
        width = 60 if column in ("message", "evidence", "file_path") else 14 if kind else 18
        ws.set_column(col, col, width, formats.get(kind))
    ws.freeze_panes(1, 0)
    return _PendingRows(part=f"xl/worksheets/sheet{ws.index + 1}.xml", table=table_name, section=section,
                        kinds=kinds)


def _benchmarks_sheet(wb, formats, sections) -> None:
    ws = wb.add_worksheet("Benchmarks")
    ws.write_string(0, 0, "National and regional benchmarks", formats["title"])
    ws.write_string(1, 0, "Each council counts once: its latest self-assessment (Self) and its latest levy plan.",
                    formats["note"])
    row = 3
    placed = {}
    for name, table_name, title in (
        ("benchmark_scores", "BenchmarkScores", "Mean maturity score by strand (1 = Early, 4 = Mature)"),
        ("rating_distribution", "RatingDistribution", "Number of councils at each rating, by strand"),
        ("levy_benchmarks", "LevyBenchmarks", "Levy plans: planned spend and schools engaged"),
    ):
        section = sections[name]
        ws.write_string(row, 0, title, formats["bold"])
        first = row + 1
        ws.add_table(first, 0, first + len(section.rows), len(section.columns) - 1, {
            "name": table_name,
            "style": "Table Style Light 9",
            "columns": [{"header": header(c)} for c in section.columns],
            "data": [list(r) for r in section.rows],
        })
        placed[name] = (first, section)
        row = first + len(section.rows) + 3
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 42)  # Councils, then the strand names of the distribution
    ws.set_column(2, 12, 14)
    # Both charts to the right of the widest table, so that neither hides a number.
    chart_column = max(len(section.columns) for _, section in placed.values()) + 1
    _distribution_chart(wb, ws, *placed["rating_distribution"], chart_column)
    _regional_chart(wb, ws, *placed["benchmark_scores"], chart_column)


def _distribution_chart(wb, ws, header_row: int, section: Section, column: int) -> None:
    """Stacked bars: how many councils (England) sit at each rating, strand by strand."""
    england = [i for i, r in enumerate(section.rows) if r[0] == "England"]
    first, last = header_row + 1 + england[0], header_row + 1 + england[-1]
    chart = wb.add_chart({"type": "bar", "subtype": "stacked"})
    for offset in range(len(LABELS)):
        col = 2 + offset
        chart.add_series({
            "name": ["Benchmarks", header_row, col],
            "categories": ["Benchmarks", first, 1, last, 1],
            "values": ["Benchmarks", first, col, last, col],
        })
    chart.set_title({"name": "Ratings by strand, England"})
    chart.set_x_axis({"name": "Councils"})
    chart.set_size({"width": 720, "height": 360})
    chart.set_y_axis({"reverse": True})  # strands top to bottom, in the model's order
    ws.insert_chart(3, column, chart)


def _regional_chart(wb, ws, header_row: int, section: Section, column: int) -> None:
    """Bars: the mean overall score of each region beside England's."""
    overall = len(section.columns) - 1
    first, last = header_row + 1, header_row + len(section.rows)
    chart = wb.add_chart({"type": "bar"})
    chart.add_series({
        "name": "Mean overall score",
        "categories": ["Benchmarks", first, 0, last, 0],
        "values": ["Benchmarks", first, overall, last, overall],
    })
    chart.set_title({"name": "Mean overall maturity score by area"})
    chart.set_x_axis({"min": 0, "max": 4, "major_unit": 1})
    chart.set_y_axis({"reverse": True})
    chart.set_legend({"none": True})
    chart.set_size({"width": 720, "height": 360})
    ws.insert_chart(23, column, chart)


def _splice(package: bytes, path: Path, pending: list[_PendingRows], style_attributes: dict[str, str]) -> None:
    """Copy the XlsxWriter package to ``path``, filling in the data rows.

    Text cells go through the shared-string table, as Excel itself writes
    them: a strand or a status recurs thousands of times but is stored once.
    """
    by_part = {p.part: p for p in pending}
    by_table = {p.table: p for p in pending}
    with zipfile.ZipFile(io.BytesIO(package)) as source, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        strings = _SharedStrings(source.read("xl/sharedStrings.xml"))
        for info in source.infolist():
            if info.filename == "xl/sharedStrings.xml":
                continue  # written last, once the data rows have added theirs
            data = source.read(info.filename)
            if info.filename in by_part:
                # Level 1 for the big, repetitive sheets: nearly as small, several times faster.
                streamed = zipfile.ZipInfo(info.filename, info.date_time)
                streamed.compress_type = zipfile.ZIP_DEFLATED
                with target.open(streamed, "w") as stream:
                    _write_sheet(stream, data, by_part[info.filename], style_attributes, strings)
                continue
            if info.filename.startswith("xl/charts/chart"):
                data = _axes_shown(data)
            elif info.filename.startswith("xl/tables/table"):
                data = _table_widened(data, by_table)
            target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
        target.writestr("xl/sharedStrings.xml", strings.xml(), compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)


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


def _axes_shown(chart_xml: bytes) -> bytes:
    # Recent Excel hides an axis that has no explicit <c:delete val="0"/> (docs/excel-compatibility.md, the checklist).
    return re.sub(rb"(<c:(?:catAx|valAx|dateAx|serAx)>\s*<c:axId [^>]*/>\s*<c:scaling>.*?</c:scaling>)"
                  rb"(?!\s*<c:delete)", rb'\1<c:delete val="0"/>', chart_xml, flags=re.S)


def _table_widened(table_xml: bytes, by_table: dict[str, _PendingRows]) -> bytes:
    name = re.search(rb'displayName="([^"]+)"', table_xml)
    pending = by_table.get(name.group(1).decode()) if name else None
    if pending is None:
        return table_xml
    ref = _full_ref(pending).encode()
    return re.sub(rb'(<(?:table|autoFilter)\b[^>]*?\bref=")[^"]*"', rb'\g<1>' + ref + b'"', table_xml)


def _full_ref(pending: _PendingRows) -> str:
    return f"A1:{xl_col_to_name(len(pending.section.columns) - 1)}{len(pending.section.rows) + 1}"


def _write_sheet(stream, sheet_xml: bytes, pending: _PendingRows, style_attributes: dict[str, str],
                 strings: _SharedStrings) -> None:
    """The sheet's XML with the data rows appended after the header row, streamed."""
    head, tail = sheet_xml.split(b"</sheetData>", 1)
    head = re.sub(rb'<dimension ref="[^"]*"/>', f'<dimension ref="{_full_ref(pending)}"/>'.encode(), head, count=1)
    stream.write(head)
    section = pending.section
    first, last = 2, len(section.rows) + 1
    # Column by column: each column's cells in one comprehension, then the rows.
    columns = []
    for index, (letter, kind) in enumerate(zip((xl_col_to_name(i) for i in range(len(section.columns))),
                                               pending.kinds, strict=True)):
        style = style_attributes.get(kind, "")
        values = [row[index] for row in section.rows]
        if kind == "date":
            values = [_serial(v) if isinstance(v, str) else v for v in values]
        columns.append(_column_cells(letter, values, first, style, strings))
    rows = zip(*columns)
    for start in range(first, last + 1, 5000):
        chunk = "".join(f'<row r="{r}">{"".join(cells)}</row>'
                        for r, cells in zip(range(start, min(start + 5000, last + 1)), rows))
        stream.write(chunk.encode("utf-8"))
    stream.write(b"</sheetData>" + tail)
    strings.count += sum(1 for row in section.rows for v in row if isinstance(v, str) and v)


def _column_cells(letter: str, values: list, first: int, style: str, strings: _SharedStrings) -> list[str]:
    """One column's cells; all-text and all-number columns take a fast path
    without a function call per cell (most columns are one or the other)."""
    refs = range(first, first + len(values))
    types = {type(v) for v in values if v is not None and v != ""}
    if types <= {str}:
        ids = strings.indexes({v for v in values if v})
        return [f'<c r="{letter}{r}" t="s"><v>{ids[v]}</v></c>' if v else "" for r, v in zip(refs, values)]
    if types <= {int, float}:
        return [f'<c r="{letter}{r}"{style}><v>{v!r}</v></c>' if v is not None else "" for r, v in zip(refs, values)]
    return [_cell(f"{letter}{r}", v, style, strings) for r, v in zip(refs, values)]


def _cell(ref: str, value, style: str, strings: _SharedStrings) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return f'<c r="{ref}" t="s"><v>{strings.index(value)}</v></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    return f'<c r="{ref}"{style}><v>{value!r}</v></c>'


def _text(value: str) -> str:
    value = _ILLEGAL_XML.sub("", value)[:EXCEL_MAX_TEXT]
    space = ' xml:space="preserve"' if value != value.strip() else ""
    return f"<t{space}>{escape(value)}</t>"


def _serial(iso: str) -> float | str:
    try:
        return cells.serial(dt.date.fromisoformat(iso))
    except ValueError:
        return iso
