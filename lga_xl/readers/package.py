"""Opening a returned workbook safely and finding things in it by name.

Returned files come from anywhere: empty, truncated, encrypted, an old
``.xls`` or a CSV renamed ``.xlsx``, another tool's workbook, a zip bomb.
:func:`open_package` looks at the bytes before any parser does and turns each
of those into a :class:`~lga_xl.issues.WorkbookError` naming the file.

Cell values come from python-calamine (a Rust reader, far faster than
openpyxl for values); defined names come from ``xl/workbook.xml``, which
calamine does not expose, through the standard library's expat parser:
expat 2.4.1 and later refuse entity-expansion bombs and ElementTree never
fetches external entities (Python docs, "XML vulnerabilities").  Macros are
never run: nothing here executes anything in the file.

Example:
    >>> from lga_xl import new_self_assessment
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "sa.xlsx"
    >>> _ = new_self_assessment(path, org_name="Exampleshire")
    >>> with open_package(path) as pkg:
    ...     pkg.meta["kind"], pkg.name_value("OrgName").value
    ('self-assessment', 'Exampleshire')
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import zipfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import python_calamine

from .. import a1
from ..contract import META_SHEET, Contract
from ..issues import Issue, WorkbookError

# Limits far above any real return (ours are ~30 KB) and far below what would
# exhaust memory.  calamine holds each sheet as a dense grid, so the cell
# extent of a sheet is checked as well as the bytes.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_MEMBER_RATIO = 200  # unpacked/packed size of one part, past which it is a bomb
MAX_ZIP_MEMBERS = 10_000
MAX_SHEET_CELLS = 2_000_000  # ~100 MB as calamine holds it

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
# Any cell beyond column Z or row 9999: only then is the exact extent worth computing.
_FAR_CELL = re.compile(rb'<c r="(?:[A-Z]{2,3}\d|[A-Z]\d{5})|<row r="\d{5}')
_CELL_COLUMNS = re.compile(rb'<c r="([A-Z]{1,3})')
_CELL_ROWS = re.compile(rb'<(?:c r="[A-Z]{1,3}|row r=")(\d+)"')


@dataclass(frozen=True)
class Place:
    """Where a value is: sheet and cell, and the table, column, data row (1-based) or name it belongs to."""

    sheet: str | None = None
    cell: str | None = None
    table: str | None = None
    column: str | None = None
    row: int | None = None
    name: str | None = None


@dataclass(frozen=True)
class NamedValue:
    """The value a single-cell defined name points at, and where that is."""

    value: Any
    sheet: str
    cell: str
    name: str

    @property
    def place(self) -> Place:
        return Place(self.sheet, self.cell, name=self.name)


@dataclass
class TableData:
    """An Excel table's header and rows as values, with cell addresses."""

    name: str
    sheet: str
    columns: list[str]
    rows: list[list[Any]]
    first_row: int  # worksheet row number (1-based) of the first data row
    first_col: int  # 0-based column index of the table's first column

    def column_index(self, column: str) -> int | None:
        """The position of ``column`` (case-insensitive, trimmed), or None."""
        wanted = column.strip().casefold()
        for i, name in enumerate(self.columns):
            if str(name).strip().casefold() == wanted:
                return i
        return None

    def cell(self, row_index: int, column_index: int) -> str:
        """The A1 address of a data cell."""
        return f"{self.letters[column_index]}{self.first_row + row_index}"

    def place(self, row_index: int, column_index: int | None = None) -> Place:
        """Where a data cell is (``column_index`` None: the row as a whole, at its first cell)."""
        if column_index is None:
            return Place(self.sheet, self.cell(row_index, 0), self.name, row=row_index + 1)
        return Place(self.sheet, self.cell(row_index, column_index), self.name, str(self.columns[column_index]),
                     row_index + 1)

    @cached_property
    def letters(self) -> list[str]:
        """Column letters of the table's columns, for cell addresses."""
        return [a1.column_letter(self.first_col + i) for i in range(len(self.columns))]


class Package:
    """An opened workbook: metadata, defined names, tables and cell values."""

    def __init__(self, path: Path, display: str, archive: zipfile.ZipFile):
        self.path = path
        self.display = display
        self._zip = archive
        self.has_macros = any(name.lower().endswith("vbaproject.bin") for name in archive.namelist())
        self._grids: dict[str, list[list[Any]]] = {}
        self._tables: dict[str, TableData] = {}
        self._extents_checked = False
        try:
            self._book = python_calamine.CalamineWorkbook.from_path(str(path), load_tables=True)
        except Exception as exc:  # calamine raises its own classes and plain ones for bad XML
            raise self._fatal("corrupt-file", f"the workbook cannot be opened ({_short(exc)})") from None

    # Context manager so the zip and calamine handles are closed promptly.
    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()
        self._book.close()

    def issue(self, code: str, message: str, sheet: str | None = None, cell: str | None = None, **kw: Any) -> Issue:
        """An issue located in this file."""
        return Issue.make(code, message, file=self.display, sheet=sheet, cell=cell, **kw)

    def _fatal(self, code: str, message: str, sheet: str | None = None, cell: str | None = None) -> WorkbookError:
        return WorkbookError(self.issue(code, message, sheet, cell))

    # ----------------------------------------------------------------- parts
    @cached_property
    def _workbook_xml(self):
        try:
            return ElementTree.fromstring(self._zip.read("xl/workbook.xml"))
        except Exception as exc:
            raise self._fatal("corrupt-file", f"xl/workbook.xml cannot be parsed ({_short(exc)})") from None

    @cached_property
    def sheet_names(self) -> list[str]:
        return list(self._book.sheet_names)

    @cached_property
    def defined_names(self) -> dict[str, tuple[str, str]]:
        """Workbook-level names that point at one range: name -> (sheet, ref)."""
        names: dict[str, tuple[str, str]] = {}
        for node in self._workbook_xml.iterfind("m:definedNames/m:definedName", _NS):
            if node.get("localSheetId") is not None or not node.text or "!" not in node.text:
                continue
            sheet, _, ref = node.text.rpartition("!")
            sheet = sheet.strip()
            if sheet.startswith("'") and sheet.endswith("'"):
                sheet = sheet[1:-1].replace("''", "'")
            if a1.is_ref(ref):
                names[node.get("name", "")] = (sheet, ref.replace("$", ""))
        return names

    @cached_property
    def meta(self) -> dict[str, str]:
        """Key/value pairs from the hidden ``lga_xl`` sheet (empty if absent)."""
        if META_SHEET not in self.sheet_names:
            return {}
        return {
            str(row[0]).strip(): str(row[1]).strip()
            for row in self.grid(META_SHEET)
            if len(row) >= 2 and row[0] not in (None, "")
        }

    @property
    def kind(self) -> str:
        """The kind the hidden ``lga_xl`` sheet names; raises ``not-lga-xl`` without one."""
        kind = self.meta.get("kind")
        if not kind:
            raise self._fatal(
                "not-lga-xl",
                "this workbook was not made by lga_xl (its hidden lga_xl sheet is missing); "
                "fill in a template from `lga-xl new` instead",
            )
        return kind

    def require_version(self, supported: tuple[str, ...]) -> str:
        """The template version, if it is one of ``supported``; raises otherwise."""
        version = self.meta.get("template_version", "")
        if version not in supported:
            raise self._fatal(
                "unsupported-template-version",
                f"template version {version or '(none)'} is not one this release reads "
                f"({', '.join(supported)}); copy the answers into a new template from `lga-xl new`",
                META_SHEET,
            )
        return version

    # ---------------------------------------------------------------- values
    def grid(self, sheet: str) -> list[list[Any]]:
        """All values of a sheet from A1, as calamine gives them ('' for empty)."""
        if sheet not in self._grids:
            if sheet not in self.sheet_names:
                raise self._fatal("missing-sheet", f"the sheet {sheet!r} is missing (renamed or deleted?)", sheet)
            self._check_extents()
            try:
                self._grids[sheet] = self._book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            except Exception as exc:
                raise self._fatal("corrupt-file", f"the sheet cannot be read ({_short(exc)})", sheet) from None
        return self._grids[sheet]

    def value(self, sheet: str, cell: str) -> Any:
        """The value of one cell (None when empty or outside the used area)."""
        row, col, _, _ = a1.parse_ref(cell)
        grid = self.grid(sheet)
        if row < len(grid) and col < len(grid[row]):
            value = grid[row][col]
            return None if value == "" else value
        return None

    def name_value(self, name: str) -> NamedValue | None:
        """The value behind a single-cell defined name, or None if the name is gone."""
        target = self.defined_names.get(name)
        if target is None or target[0] not in self.sheet_names:
            return None
        sheet, ref = target
        first_cell = ref.split(":")[0]
        return NamedValue(self.value(sheet, first_cell), sheet, first_cell, name)

    def table(self, name: str) -> TableData:
        """An Excel table by name, wherever it was moved; raises if it is gone."""
        if name not in self._tables:
            self._tables[name] = self._load_table(name)
        return self._tables[name]

    def _load_table(self, name: str) -> TableData:
        if name not in self._book.table_names:
            raise self._fatal("missing-table", f"the table {name!r} is missing (renamed or deleted?)")
        self._check_extents()  # before calamine loads the table's sheet
        table = self._book.get_table_by_name(name)
        (first_row, first_col), _ = table.start, table.end
        return TableData(
            name=name,
            sheet=table.sheet,
            columns=[str(c) for c in table.columns],
            rows=table.to_python(),
            first_row=first_row + 1,
            first_col=first_col,
        )

    def input_hash(self, contract: Contract) -> str:
        """A hash of what was typed into the input cells: the contract's hashed
        names and table columns, rows in sorted order so that re-sorting a
        table changes nothing.  Same hash, same return, however the file was
        re-saved or renamed.
        """
        named = [found.value if (found := self.name_value(n)) else None for n in contract.hashed_names()]
        rows = []
        for table_name, columns in contract.hashed_columns().items():
            table = self.table(table_name)
            indexes = [table.column_index(c) for c in columns]
            # A column renamed away reads as blank; the reader reports it.
            typed = [tuple(row[i] if i is not None else None for i in indexes) for row in table.rows]
            rows.append(sorted(map(repr, filter(any, typed))))
        # repr is exact and stable for the values cells hold (text, numbers, dates, None).
        payload = repr((self.meta.get("kind"), named, rows))
        return hashlib.sha256(payload.encode()).hexdigest()

    def _check_extents(self) -> None:
        """Refuse a workbook with a sheet whose dense grid would not fit in memory.

        calamine holds a sheet as a grid from its first to its last cell and
        aborts the whole process when that cannot be allocated, so this runs
        before any sheet is loaded: one value at XFD1048576 would take 400 GB.
        """
        if not self._extents_checked:
            for sheet, part in self._sheet_parts.items():
                self._check_extent(sheet, part)
            self._extents_checked = True

    def _check_extent(self, sheet: str, part: str) -> None:
        data = self._zip.read(part)
        if not _FAR_CELL.search(data):
            return  # at most 26 columns x 9,999 rows
        # Distinct values first: a sheet has thousands of cells but few rows and columns.
        max_row = max(map(int, set(_CELL_ROWS.findall(data))), default=0)
        max_col = max((a1.column_index(c.decode()) + 1 for c in set(_CELL_COLUMNS.findall(data))), default=0)
        if max_row * max_col > MAX_SHEET_CELLS:
            raise self._fatal(
                "too-large",
                f"the sheet uses cells up to {a1.cell(max_row, max_col - 1)}, "
                f"over {MAX_SHEET_CELLS:,} cells; clear the cells far from the table and save again",
                sheet,
            )

    @cached_property
    def _sheet_parts(self) -> dict[str, str]:
        """Sheet name -> zip part, through the workbook's relationships."""
        try:
            rels = ElementTree.fromstring(self._zip.read("xl/_rels/workbook.xml.rels"))
        except Exception:
            return {}
        targets = {}
        for rel in rels.iterfind("rel:Relationship", _NS):
            target = rel.get("Target", "")
            targets[rel.get("Id")] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join("xl", target)
            )
        parts = {}
        for sheet in self._workbook_xml.iterfind("m:sheets/m:sheet", _NS):
            part = targets.get(sheet.get(f"{{{_NS['r']}}}id"))
            if part in self._zip.NameToInfo:
                parts[sheet.get("name")] = part
        return parts


def open_package(path: str | Path, display: str | None = None) -> Package:
    """Open ``path`` as an xlsx workbook after checking what the bytes really are.

    ``display`` is how the file is named in issues (defaults to the path).
    Raises :class:`~lga_xl.issues.WorkbookError` for anything that is not a
    readable, reasonably sized xlsx.
    """
    path = Path(path)
    display = display or str(path)

    def fail(code: str, message: str) -> WorkbookError:
        return WorkbookError(Issue.make(code, message, file=display))

    if not path.is_file():
        raise fail("file-not-found", "no such file")
    size = path.stat().st_size
    if size == 0:
        raise fail("empty-file", "the file is empty (0 bytes): it was probably not saved properly; send it again")
    if size > MAX_FILE_BYTES:
        raise fail("too-large", f"the file is {size / 2**20:.0f} MB, over the {MAX_FILE_BYTES // 2**20} MB limit")
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise fail("cannot-open", f"the file cannot be opened ({exc.strerror or exc})") from None
    if head == _CFB_MAGIC:
        # Encrypted xlsx files and old .xls files are both OLE compound files.
        if _ENCRYPTION_INFO in path.read_bytes():
            raise fail("encrypted", "the workbook is password-protected: remove the password (File > Info) and "
                       "send it again")
        raise fail("legacy-xls", "this is an old .xls workbook: open it in Excel, save as .xlsx and send it again")
    if not head.startswith(b"PK"):
        raise fail("not-xlsx", f"this is not an Excel workbook ({_describe_bytes(path)})")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise fail("corrupt-file", f"the file is damaged or incomplete ({_short(exc)}); send it again") from None
    try:
        _check_archive(archive, fail)
        return Package(path, display, archive)
    except BaseException:
        archive.close()
        raise


def _check_archive(archive: zipfile.ZipFile, fail) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        raise fail("too-large", f"the file holds {len(infos):,} parts, over the {MAX_ZIP_MEMBERS:,} limit")
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_UNPACKED_BYTES:
        raise fail("too-large", f"the file unpacks to {unpacked / 2**20:.0f} MB, over the "
                   f"{MAX_UNPACKED_BYTES // 2**20} MB limit")
    for info in infos:
        if info.file_size > 1_000_000 and info.file_size > MAX_MEMBER_RATIO * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise fail("too-large", f"the part {info.filename} is compressed {ratio:,} to 1: refused as a possible "
                       "zip bomb")
    if "xl/workbook.xml" not in archive.NameToInfo:
        kind = "a Word document" if "word/document.xml" in archive.NameToInfo else "a zip file"
        raise fail("not-xlsx", f"this is {kind}, not an Excel workbook")


def _describe_bytes(path: Path) -> str:
    with path.open("rb") as handle:
        sample = handle.read(2048)
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError:
        return "its content is not a spreadsheet format lga_xl knows"
    if "<html" in text.lower():
        return "it is a web page saved with an .xlsx name"
    if "," in text or "\t" in text:
        return "it looks like a CSV or text file renamed .xlsx; open it in Excel and save as .xlsx"
    return "it is a text file"


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]
