"""The merged plan's record of the requests it holds, and the package edits that add it.

A merge writes into a copy of the officer's own workbook, edited part by
part (:mod:`lga_xl.writers.fill`): re-saving it through openpyxl would drop
its chart and could lose what Excel wrote.  Besides the new rows of the Starts
sheet, the copy gains (or has rewritten) a protected sheet, *School
requests*, with table ``SchoolRequests``: one row per merged request, naming
its Starts row, the school, what was asked and the request file and row.  A
later merge reads it to tell a request already merged.  The copy's formulas
lose their cached values and recalculate when it is opened, so no figure
shows what the plan was before the merge.

Example:
    >>> styles = b'<styleSheet xmlns="x"><fonts count="1"><font/></fonts><fills count="1"><fill/></fills>' \\
    ...          b'<borders count="1"><border/></borders><cellXfs count="1"><xf/></cellXfs></styleSheet>'
    >>> new, [title, *_] = add_cell_styles(styles, RECORD_STYLES)
    >>> title, new.count(b"<xf"), b'<cellXfs count="8">' in new
    (1, 8, True)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from .. import a1
from ..writers import style
from ..writers.fill import _sheet_parts, cell_xml

__all__ = ["RECORD_COLUMNS", "RECORD_SHEET", "RECORD_STYLES", "RECORD_TABLE", "RecordRow", "XfSpec",
           "add_cell_styles", "put_record_sheet", "recalculate_on_load", "strip_cached_values"]

RECORD_SHEET = "School requests"
RECORD_TABLE = "SchoolRequests"
RECORD_COLUMNS = ("Starts row", "School URN", "School", "Role", "New hire or existing staff", "Standard",
                  "Start month", "Notes", "Request file", "Request row", "Requested by", "Merged on")
_HEADER_ROW = 4
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_CELL = re.compile(rb'<c r="[A-Z]{1,3}\d+"[^>]*?(?:/>|>.*?</c>)', re.S)


@dataclass(frozen=True)
class RecordRow:
    """A merged request: where it went in the plan and where it came from."""

    starts_row: int
    urn: str
    school: str | None
    role: str | None
    hire: str | None
    standard: str | None
    start_month: dt.date | None
    notes: str | None
    request_file: str
    request_row: int
    requested_by: str | None
    merged_on: dt.date

    def values(self) -> tuple[object, ...]:
        return (self.starts_row, self.urn, self.school, self.role, self.hire, self.standard, self.start_month,
                self.notes, self.request_file, self.request_row, self.requested_by, self.merged_on)


@dataclass(frozen=True)
class XfSpec:
    """A cell format to add to a package's styles: font, fill, border, number format and wrapping."""

    size: float = style.BODY_SIZE
    bold: bool = False
    colour: str = style.TEXT_COLOUR
    fill: str | None = None
    border: bool = False
    number_format: str | None = None
    wrap: bool = False


# The record sheet's formats, in the house style: title, note, header, text, whole number, month, date.
RECORD_STYLES = (
    XfSpec(style.TITLE_SIZE, bold=True),
    XfSpec(colour=style.SECONDARY_TEXT_COLOUR, wrap=True),
    XfSpec(bold=True, colour=style.WHITE, fill=style.BLUE, border=True, wrap=True),
    XfSpec(border=True, wrap=True),
    XfSpec(border=True),
    XfSpec(border=True, number_format=style.MONTH),
    XfSpec(border=True, number_format=style.DATE),
)
_TITLE, _NOTE, _HEADER, _TEXT, _WHOLE, _MONTH, _DATE = range(len(RECORD_STYLES))
_COLUMN_STYLES = (_WHOLE, _TEXT, _TEXT, _TEXT, _TEXT, _TEXT, _MONTH, _TEXT, _TEXT, _WHOLE, _TEXT, _DATE)
_CAPS = (8, 10, 26, 22, 14, 10, 10, 24, 48, 8, 22, 11)  # characters: wider text wraps


# Public API.


def strip_cached_values(parts: dict[str, bytes]) -> None:
    """Take every formula's cached value out of every worksheet (they are recalculated on opening)."""
    for part in _sheet_parts(parts).values():
        parts[part] = _CELL.sub(_uncached, parts[part])


def recalculate_on_load(parts: dict[str, bytes]) -> None:
    """Tell Excel to recalculate every formula when it opens the workbook."""
    xml = parts["xl/workbook.xml"]
    calc = re.search(rb"<calcPr\b[^>]*?/?>", xml)
    if calc is None:
        at = _after(xml, (rb"</definedNames>", rb"</sheets>"))
        parts["xl/workbook.xml"] = xml[:at] + b'<calcPr fullCalcOnLoad="1"/>' + xml[at:]
        return
    tag = re.sub(rb'\sfullCalcOnLoad="[^"]*"', b"", calc.group(0))
    tag = tag.replace(b"<calcPr", b'<calcPr fullCalcOnLoad="1"', 1)
    parts["xl/workbook.xml"] = xml[:calc.start()] + tag + xml[calc.end():]


def add_cell_styles(styles: bytes, specs: Sequence[XfSpec]) -> tuple[bytes, list[int]]:
    """``styles.xml`` with a cell format added for each spec; returns it and the formats' indexes."""
    indexes = []
    for spec in specs:
        number_format = 0
        if spec.number_format:
            styles, number_format = _number_format(styles, spec.number_format)
        styles, font = _append(styles, "fonts", "font", (
            f'<font>{"<b/>" if spec.bold else ""}<sz val="{spec.size:g}"/><color rgb="FF{spec.colour}"/>'
            f'<name val="{style.FONT_NAME}"/><family val="2"/></font>'))
        fill = 0
        if spec.fill:
            styles, fill = _append(styles, "fills", "fill", (
                f'<fill><patternFill patternType="solid"><fgColor rgb="FF{spec.fill}"/><bgColor rgb="FF{spec.fill}"/>'
                "</patternFill></fill>"))
        border = 0
        if spec.border:
            line = f'style="thin"><color rgb="FF{style.BORDER_COLOUR}"/>'
            styles, border = _append(styles, "borders", "border", (
                f"<border><left {line}</left><right {line}</right><top {line}</top><bottom {line}</bottom>"
                "<diagonal/></border>"))
        wrap = ' wrapText="1"' if spec.wrap else ""
        styles, xf = _append(styles, "cellXfs", "xf", (
            f'<xf numFmtId="{number_format}" fontId="{font}" fillId="{fill}" borderId="{border}" xfId="0" '
            'applyNumberFormat="1" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1">'
            f'<alignment vertical="top"{wrap}/></xf>'))
        indexes.append(xf)
    return styles, indexes


def put_record_sheet(parts: dict[str, bytes], rows: Sequence[RecordRow], *, title: str, note: str,
                     footer: str) -> None:
    """Write the record sheet with ``rows`` into the package: added at the end, or replacing the one there.

    ``footer`` is the workbook's title, for the left of the printed footer (as every sheet has it).
    """
    styles, xfs = add_cell_styles(parts["xl/styles.xml"], RECORD_STYLES)
    parts["xl/styles.xml"] = styles
    last = _HEADER_ROW + len(rows)
    ref = f"A{_HEADER_ROW}:{a1.column_letter(len(RECORD_COLUMNS) - 1)}{last}"
    sheet_part = _sheet_parts(parts).get(RECORD_SHEET)
    if sheet_part is None:
        sheet_part, table_part, index = _add_sheet(parts)
    else:
        table_part, index = _table_of(parts, sheet_part), _sheet_index(parts["xl/workbook.xml"], RECORD_SHEET)
    parts[sheet_part] = _sheet_xml(rows, xfs, title, note, footer)
    parts[table_part] = _table_xml(_table_id(parts, table_part), ref)
    last_col = a1.column_letter(len(RECORD_COLUMNS) - 1)
    _print_names(parts, index, f"{_quoted(RECORD_SHEET)}!$A$1:${last_col}${last}",
                 f"{_quoted(RECORD_SHEET)}!${_HEADER_ROW}:${_HEADER_ROW}")


# Private API: styles.


def _append(styles: bytes, section: str, element: str, xml: str) -> tuple[bytes, int]:
    """``styles`` with ``xml`` appended to ``section``; the index it has there."""
    match = re.search(rf"<{section}\b[^>]*?(?:/>|>(.*?)</{section}>)".encode(), styles, re.S)
    if match is None:
        raise ValueError(f"styles.xml has no {section}")
    body = match.group(1) or b""
    index = len(re.findall(rf"<{element}[\s/>]".encode(), body))
    start = re.sub(rb'\scount="\d+"', b"", re.match(rb"<[^>]*?(?=/?>)", match.group(0)).group(0))
    new = start + f' count="{index + 1}">'.encode() + body + xml.encode() + f"</{section}>".encode()
    return styles[:match.start()] + new + styles[match.end():], index


def _number_format(styles: bytes, code: str) -> tuple[bytes, int]:
    """The id of number format ``code``, added to ``numFmts`` if the package lacks it."""
    escaped = quoteattr(code).encode()
    for found in re.finditer(rb'<numFmt\b[^>]*?numFmtId="(\d+)"[^>]*?formatCode=("[^"]*")', styles):
        if found.group(2) == escaped:
            return styles, int(found.group(1))
    used = [int(n) for n in re.findall(rb'numFmtId="(\d+)"', styles)]
    number = max([163, *used]) + 1
    xml = f"<numFmt numFmtId=\"{number}\" formatCode={quoteattr(code)}/>"
    if re.search(rb"<numFmts\b", styles):
        styles, _ = _append(styles, "numFmts", "numFmt", xml)
        return styles, number
    at = re.search(rb"<styleSheet\b[^>]*>", styles).end()
    return styles[:at] + f'<numFmts count="1">{xml}</numFmts>'.encode() + styles[at:], number


# Private API: the sheet.


def _sheet_xml(rows: Sequence[RecordRow], xfs: list[int], title: str, note: str, footer_title: str) -> bytes:
    last_col = a1.column_letter(len(RECORD_COLUMNS) - 1)
    fits = [style.fit_column([row.values()[i] for row in rows], header=header, cap=cap,
                             number_format=style.MONTH if i == 6 else style.DATE if i == 11 else None)
            for i, (header, cap) in enumerate(zip(RECORD_COLUMNS, _CAPS))]
    widths = [fit.width for fit in fits]
    cols = "".join(f'<col min="{i}" max="{i}" width="{style.column_pixels(w) / style.DIGIT_PIXELS:.4f}" '
                   'customWidth="1"/>' for i, w in enumerate(widths, start=1))
    total = sum(widths)
    lines = [
        _row(1, [cell_xml("A1", title, str(xfs[_TITLE]).encode())], style.line_height(style.TITLE_SIZE)),
        _row(2, [cell_xml("A2", note, str(xfs[_NOTE]).encode())],
             style.wrapped_lines(note, total) * style.line_height()),
        _row(_HEADER_ROW, [cell_xml(f"{a1.column_letter(i)}{_HEADER_ROW}", header, str(xfs[_HEADER]).encode())
                           for i, header in enumerate(RECORD_COLUMNS)],
             max(style.wrapped_lines(h, w, bold=True) for h, w in zip(RECORD_COLUMNS, widths)) * style.line_height()),
    ]
    for r, row in enumerate(rows, start=_HEADER_ROW + 1):
        values = row.values()
        cells = [cell_xml(f"{a1.column_letter(i)}{r}", _cell_value(value), str(xfs[_COLUMN_STYLES[i]]).encode())
                 for i, value in enumerate(values)]
        height = max(style.wrapped_lines(value, w) if isinstance(value, str) else 1
                     for value, w in zip(values, widths)) * style.line_height()
        lines.append(_row(r, cells, height))
    footer = escape(style.footer_text(footer_title))
    m = style.MARGINS
    return (
        f'<worksheet xmlns="{_MAIN}" xmlns:r="{_RELS}"><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
        f'<dimension ref="A1:{last_col}{_HEADER_ROW + len(rows)}"/>'
        '<sheetViews><sheetView showGridLines="0" workbookViewId="0"/></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="{style.line_height():g}"/><cols>{cols}</cols>'
        f'<sheetData>{"".join(lines)}</sheetData>'
        '<sheetProtection sheet="1" objects="1" formatColumns="0" formatRows="0"/>'
        f'<mergeCells count="1"><mergeCell ref="A2:{last_col}2"/></mergeCells>'
        '<printOptions horizontalCentered="1"/>'
        f'<pageMargins left="{m.left}" right="{m.right}" top="{m.top}" bottom="{m.bottom}" header="{m.header}" '
        f'footer="{m.footer}"/><pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
        f'<headerFooter scaleWithDoc="0"><oddFooter>{footer}</oddFooter></headerFooter>'
        '<tableParts count="1"><tablePart r:id="rId1"/></tableParts></worksheet>'
    ).encode()


def _cell_value(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.datetime) else value


def _row(number: int, cells: list[bytes], height: float) -> str:
    return (f'<row r="{number}" ht="{height:g}" customHeight="1">' + b"".join(cells).decode() + "</row>")


def _table_xml(table_id: int, ref: str) -> bytes:
    columns = "".join(f'<tableColumn id="{i}" name={quoteattr(name)}/>' for i, name in enumerate(RECORD_COLUMNS, 1))
    return (f'<table xmlns="{_MAIN}" id="{table_id}" name="{RECORD_TABLE}" displayName="{RECORD_TABLE}" ref="{ref}" '
            f'headerRowCount="1"><tableColumns count="{len(RECORD_COLUMNS)}">{columns}</tableColumns>'
            '<tableStyleInfo showFirstColumn="0" showLastColumn="0" showRowStripes="0" showColumnStripes="0"/>'
            "</table>").encode()


# Private API: the package's parts.


def _uncached(match: re.Match[bytes]) -> bytes:
    cell = match.group(0)
    if b"<f" not in cell:
        return cell
    cell = re.sub(rb"<v>.*?</v>|<v/>", b"", cell, flags=re.S)
    end = cell.index(b">")
    return re.sub(rb'\st="[^"]*"', b"", cell[:end]) + cell[end:]


def _add_sheet(parts: dict[str, bytes]) -> tuple[str, str, int]:
    """Add the record sheet's parts (empty for now) at the end of the workbook: (sheet part, table part, index)."""
    sheet_number = 1 + max([0, *(int(n) for name in parts if (n := _number_of(name, "xl/worksheets/sheet")))])
    table_number = 1 + max([0, *(int(n) for name in parts if (n := _number_of(name, "xl/tables/table")))])
    sheet_part, table_part = f"xl/worksheets/sheet{sheet_number}.xml", f"xl/tables/table{table_number}.xml"
    parts[sheet_part], parts[table_part] = b"", b""
    parts[f"xl/worksheets/_rels/sheet{sheet_number}.xml.rels"] = (
        f'<Relationships xmlns="{_PACKAGE_RELS}"><Relationship Id="rId1" Type="{_RELS}/table" '
        f'Target="../tables/table{table_number}.xml"/></Relationships>').encode()
    rels = parts["xl/_rels/workbook.xml.rels"]
    rel_id = "rId" + str(1 + max([0, *(int(n) for n in re.findall(rb'Id="rId(\d+)"', rels))]))
    parts["xl/_rels/workbook.xml.rels"] = rels.replace(b"</Relationships>", (
        f'<Relationship Id="{rel_id}" Type="{_RELS}/worksheet" Target="worksheets/sheet{sheet_number}.xml"/>'
        "</Relationships>").encode())
    types = parts["[Content_Types].xml"]
    parts["[Content_Types].xml"] = types.replace(b"</Types>", (
        f'<Override PartName="/{sheet_part}" ContentType="{_CONTENT}.worksheet+xml"/>'
        f'<Override PartName="/{table_part}" ContentType="{_CONTENT}.table+xml"/></Types>').encode())
    book = parts["xl/workbook.xml"]
    sheets = re.search(rb"<sheets>(.*?)</sheets>", book, re.S)
    index = len(re.findall(rb"<sheet\b", sheets.group(1)))
    sheet_id = 1 + max(int(n) for n in re.findall(rb'sheetId="(\d+)"', sheets.group(1)))
    prefix = _relationships_prefix(book)
    entry = f'<sheet name={quoteattr(RECORD_SHEET)} sheetId="{sheet_id}" {prefix}:id="{rel_id}"/>'.encode()
    parts["xl/workbook.xml"] = book[:sheets.end(1)] + entry + book[sheets.end(1):]
    return sheet_part, table_part, index


def _table_of(parts: Mapping[str, bytes], sheet_part: str) -> str:
    folder, name = sheet_part.rsplit("/", 1)
    rels = parts.get(f"{folder}/_rels/{name}.rels", b"")
    target = re.search(rb'Type="[^"]*/table"[^>]*?Target="([^"]+)"|Target="([^"]+)"[^>]*?Type="[^"]*/table"', rels)
    if target is None:
        raise ValueError(f"the {RECORD_SHEET} sheet has lost its table; delete the sheet and merge again")
    path = (target.group(1) or target.group(2)).decode()
    if path.startswith("/"):
        return path.lstrip("/")
    return "/".join(_normalised(f"{folder}/{path}".split("/")))


def _normalised(segments: list[str]) -> list[str]:
    out: list[str] = []
    for segment in segments:
        if segment == "..":
            out.pop()
        elif segment not in ("", "."):
            out.append(segment)
    return out


def _table_id(parts: Mapping[str, bytes], table_part: str) -> int:
    """The table's own id when rewriting it; otherwise one no other table has."""
    mine = re.search(rb'<table\b[^>]*?\bid="(\d+)"', parts.get(table_part, b""))
    if mine:
        return int(mine.group(1))
    ids = [int(m.group(1)) for name, data in parts.items() if name.startswith("xl/tables/")
           if (m := re.search(rb'<table\b[^>]*?\bid="(\d+)"', data))]
    return 1 + max([0, *ids])


def _print_names(parts: dict[str, bytes], index: int, area: str, titles: str) -> None:
    """The sheet's print area and repeated header row, replacing any it had."""
    book = parts["xl/workbook.xml"]

    def printing_name(match: re.Match[bytes]) -> bytes:
        """Drop the sheet's print area and titles, whatever order another program wrote their attributes in."""
        start = match.group(1)
        ours = re.search(rb'\bname="_xlnm\.Print_(?:Area|Titles)"', start) and re.search(
            rf'\blocalSheetId="{index}"'.encode(), start)
        return b"" if ours else match.group(0)

    book = re.sub(rb"(<definedName\b[^>]*>).*?</definedName>", printing_name, book, flags=re.S)
    names = (f'<definedName name="_xlnm.Print_Area" localSheetId="{index}">{escape(area)}</definedName>'
             f'<definedName name="_xlnm.Print_Titles" localSheetId="{index}">{escape(titles)}</definedName>').encode()
    if b"<definedNames>" in book:
        book = book.replace(b"<definedNames>", b"<definedNames>" + names, 1)
    else:
        at = _after(book, (rb"</sheets>",))
        book = book[:at] + b"<definedNames>" + names + b"</definedNames>" + book[at:]
    parts["xl/workbook.xml"] = book


def _sheet_index(book: bytes, name: str) -> int:
    sheets = re.search(rb"<sheets>(.*?)</sheets>", book, re.S).group(1)
    names = [_unescaped(m) for m in re.findall(rb'<sheet\b[^>]*?name="([^"]*)"', sheets)]
    return names.index(name)


def _unescaped(raw: bytes) -> str:
    """An attribute's text without XML escapes."""
    return (raw.decode().replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'")
            .replace("&amp;", "&"))


def _relationships_prefix(book: bytes) -> str:
    found = re.search(rf'xmlns:(\w+)="{re.escape(_RELS)}"'.encode(), book)
    return found.group(1).decode() if found else "r"


def _after(xml: bytes, ends: Sequence[bytes]) -> int:
    for end in ends:
        at = xml.find(end)
        if at >= 0:
            return at + len(end)
    raise ValueError("workbook.xml has no sheets")


def _number_of(name: str, prefix: str) -> str | None:
    match = re.fullmatch(rf"{re.escape(prefix)}(\d+)\.xml", name)
    return match.group(1) if match else None


def _quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"

