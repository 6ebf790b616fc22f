"""Filled copies of a built template, made without rebuilding the workbook.

Building a workbook with openpyxl takes a few hundred milliseconds; an
adviser sending 350 councils their own copy, or ``lga-xl new`` writing one,
should not pay that each time.  A :class:`Template` keeps a built workbook's
package as its parts and writes a copy with values put into cells by editing
those cells' XML only: the rest of the package (styles, tables, validations,
charts, formulas) is copied as it is.

Values are written as the writers write them: text always as text (an inline
string, never a formula), numbers as numbers, dates as Excel serial numbers in
the cell's own (date) style, booleans as booleans, None as an empty cell that
keeps its style.  The template's formulas carry no cached values, so Excel and
LibreOffice work them out when the copy is opened.

Example:
    >>> import tempfile, pathlib
    >>> from lga_xl import new_self_assessment, read_workbook
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> template = Template.from_path(new_self_assessment(folder / "blank.xlsx"))
    >>> copy = template.fill(folder / "copy.xlsx", {("Cover", "B4"): "=Exampleshire", ("Assessment", "E5"): "Achieved"})
    >>> result = read_workbook(copy)
    >>> result.organisation, result.elements[0].status
    ('=Exampleshire', 'Achieved')
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
from bisect import insort
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from .. import a1, cells
from ..outputs import atomic_write

_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
# A cell element: self-closing, or with content up to its end tag (cells do not nest).
_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"([^>]*?)(?:/>|>.*?</c>)', re.S)
_STYLE = re.compile(rb'\ss="(\d+)"')
_ROW = re.compile(rb'<row r="(\d+)"[^>]*?(?:/>|>)')
_SHEET_DATA_END = b"</sheetData>"
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
EXCEL_MAX_TEXT = 32_767

Value = str | int | float | Decimal | bool | dt.date | dt.datetime | None


class FillError(ValueError):
    """A value that cannot be put in a template (no such sheet, an address that is not a cell)."""


@dataclass
class _Sheet:
    """One worksheet part: its XML, and where each cell is in it."""

    xml: bytes
    cells: dict[tuple[int, int], tuple[int, int, bytes]] = field(default_factory=dict)  # (row, col) -> span, style

    def __post_init__(self) -> None:
        for match in _CELL.finditer(self.xml):
            style = _STYLE.search(match.group(3))
            key = (int(match.group(2)), a1.column_index(match.group(1).decode()))
            self.cells[key] = (match.start(), match.end(), style.group(1) if style else b"")


@dataclass
class Template:
    """A built workbook, kept as its package's parts, to make filled copies of."""

    parts: dict[str, bytes]
    sheet_parts: dict[str, str]  # sheet name -> part
    _sheets: dict[str, _Sheet] = field(default_factory=dict, repr=False)

    @classmethod
    def from_path(cls, path: str | Path) -> Template:
        return cls.from_bytes(Path(path).read_bytes())

    @classmethod
    def from_bytes(cls, package: bytes) -> Template:
        with zipfile.ZipFile(io.BytesIO(package)) as archive:
            parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
        return cls(parts, _sheet_parts(parts))

    def _sheet(self, name: str) -> _Sheet:
        if name not in self._sheets:
            part = self.sheet_parts.get(name)
            if part is None:
                raise FillError(f"the template has no sheet {name!r}")
            self._sheets[name] = _Sheet(self.parts[part])
        return self._sheets[name]

    def filled_parts(self, values: Mapping[tuple[str, str], Value]) -> dict[str, bytes]:
        """The package's parts with ``(sheet, cell) -> value`` written in."""
        by_sheet: dict[str, dict[tuple[int, int], Value]] = {}
        for (sheet, ref), value in values.items():
            if not a1.is_ref(ref) or ":" in ref:
                raise FillError(f"{ref!r} is not a cell")
            row, column, _, _ = a1.parse_ref(ref)
            by_sheet.setdefault(sheet, {})[(row + 1, column)] = value
        parts = dict(self.parts)
        for sheet, sheet_values in by_sheet.items():
            parts[self.sheet_parts.get(sheet, "")] = _filled_sheet(self._sheet(sheet), sheet_values)
        return parts

    def to_bytes(self, values: Mapping[tuple[str, str], Value]) -> bytes:
        """A filled copy as the bytes of an .xlsx file."""
        return package_bytes(self.filled_parts(values))

    def fill(self, path: str | Path, values: Mapping[tuple[str, str], Value]) -> Path:
        """Write a filled copy to ``path``, all at once (the folder is created if needed)."""
        path = Path(path)
        data = self.to_bytes(values)
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(path) as partial:
            partial.write_bytes(data)
        return path


def package_bytes(parts: Mapping[str, bytes], *, compress: bool = True) -> bytes:
    """The bytes of an .xlsx file of these parts (``compress=False``: stored, quicker, for reading back at once)."""
    buffer = io.BytesIO()
    # Level 1: the parts are small and repetitive, and a send-out writes hundreds of copies.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED,
                         compresslevel=1 if compress else None) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def cell_xml(ref: str, value: Value, style: bytes = b"") -> bytes:
    """The XML of one cell holding ``value``, in style ``style`` (an index, or empty).

    Example:
        >>> cell_xml("B4", "=SUM(A1)", b"3")
        b'<c r="B4" s="3" t="inlineStr"><is><t>=SUM(A1)</t></is></c>'
        >>> cell_xml("C2", 2.5), cell_xml("D1", None, b"7")
        (b'<c r="C2"><v>2.5</v></c>', b'<c r="D1" s="7"/>')
    """
    head = f'<c r="{ref}"' + (f' s="{style.decode()}"' if style else "")
    if value is None:
        return (head + "/>").encode()
    if isinstance(value, bool):
        return f'{head} t="b"><v>{int(value)}</v></c>'.encode()
    if isinstance(value, dt.datetime):
        return f"{head}><v>{cells.serial_moment(value)!r}</v></c>".encode()
    if isinstance(value, dt.date):
        return f"{head}><v>{cells.serial(value)}</v></c>".encode()
    if isinstance(value, (int, float, Decimal)):
        return f"{head}><v>{value}</v></c>".encode()
    text = _ILLEGAL_XML.sub("", str(value))[:EXCEL_MAX_TEXT]
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    return f'{head} t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'.encode()


def _filled_sheet(sheet: _Sheet, values: dict[tuple[int, int], Value]) -> bytes:
    """The sheet's XML with the cells replaced, and any cell the sheet lacks added to its row."""
    edits: list[tuple[int, int, bytes]] = []  # (start, end, new bytes), replacing xml[start:end]
    missing: dict[int, list[tuple[int, bytes]]] = {}
    for (row, column), value in values.items():
        ref = a1.cell(row, column)
        found = sheet.cells.get((row, column))
        if found is None:
            insort(missing.setdefault(row, []), (column, cell_xml(ref, value)))
        else:
            start, end, style = found
            edits.append((start, end, cell_xml(ref, value, style)))
    if missing:
        edits += _row_insertions(sheet, missing)
    edits.sort()
    out, position = [], 0
    for start, end, data in edits:
        out += [sheet.xml[position:start], data]
        position = end
    out.append(sheet.xml[position:])
    return b"".join(out)


def _row_insertions(sheet: _Sheet, missing: dict[int, list[tuple[int, bytes]]]) -> list[tuple[int, int, bytes]]:
    """Edits that add cells the template has no element for: into their row, or as a new row."""
    rows = {int(m.group(1)): m for m in _ROW.finditer(sheet.xml)}
    edits = []
    for row, new_cells in missing.items():
        existing = sorted((column, start) for (r, column), (start, _, _) in sheet.cells.items() if r == row)
        match = rows.get(row)
        if match is None:
            later = [m.start() for r, m in rows.items() if r > row]
            at = min(later) if later else sheet.xml.index(_SHEET_DATA_END)
            edits.append((at, at, f'<row r="{row}">'.encode() + b"".join(x for _, x in new_cells) + b"</row>"))
            continue
        if match.group(0).endswith(b"/>"):  # an empty row element: open it
            body = match.group(0)[:-2] + b">" + b"".join(x for _, x in new_cells) + b"</row>"
            edits.append((match.start(), match.end(), body))
            continue
        for column, data in new_cells:
            after = [start for c, start in existing if c > column]
            at = after[0] if after else sheet.xml.index(b"</row>", match.end())
            edits.append((at, at, data))
    return edits


def _sheet_parts(parts: Mapping[str, bytes]) -> dict[str, str]:
    """Sheet name -> worksheet part, through the workbook's relationships."""
    workbook = ElementTree.fromstring(parts["xl/workbook.xml"])
    rels = ElementTree.fromstring(parts["xl/_rels/workbook.xml.rels"])
    targets = {}
    for rel in rels.iterfind("rel:Relationship", _NS):
        target = rel.get("Target", "")
        targets[rel.get("Id")] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join("xl", target))
    return {sheet.get("name"): targets[sheet.get(f"{{{_NS['r']}}}id")]
            for sheet in workbook.iterfind("m:sheets/m:sheet", _NS)}
