"""Opening a returned workbook safely and finding things in it by name.

Returned files come from anywhere: empty, truncated, encrypted, an old
``.xls`` or a CSV renamed ``.xlsx``, another tool's workbook, a zip bomb, or a
valid return damaged part by part.  :func:`open_package` looks at the bytes
before any parser does and turns each of those into a
:class:`~lga_xl.issues.WorkbookError` naming the file (and the part at fault).

Cell values come from python-calamine (a Rust reader, far faster than
openpyxl for values); defined names come from ``xl/workbook.xml``, which
calamine does not expose, through the standard library's expat parser:
expat 2.4.1 and later refuse entity-expansion bombs and ElementTree never
fetches external entities (Python docs, "XML vulnerabilities").  Macros are
never run: nothing here executes anything in the file.

calamine trusts the sizes a file declares: it allocates a table's whole
``ref``, the shared-string count and a sheet's grid from its first to its last
cell before it reads a value, and when that allocation fails the process
aborts (no exception to catch); a reversed range makes it panic.  So every
size that reaches calamine is checked here first, against Excel's grid and
the template's own sizes (:attr:`lga_xl.contract.Table.row_limit`, through the
kind registry), and anything calamine still raises (its errors, a Rust panic)
becomes a ``corrupt-file`` issue naming the part, with calamine's words kept
for a bug report.

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
import operator
import posixpath
import re
import struct
import threading
import zipfile
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar
from xml.etree import ElementTree
from xml.parsers import expat

import python_calamine

from .. import a1
from ..contract import META_SHEET, Contract
from ..issues import Issue, WorkbookError

T = TypeVar("T")

# Limits far above any real return (ours are ~30 KB) and far below what would
# exhaust memory.  calamine holds each sheet as a dense grid, so the cell
# extent of a sheet is checked as well as the bytes.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_MEMBER_RATIO = 200  # unpacked/packed size of one part, past which it is a bomb
MAX_ZIP_MEMBERS = 10_000
MAX_SHEET_CELLS = 2_000_000  # ~100 MB as calamine holds it
# A table may be a little wider or longer than its template allows (a blank row
# or a notes column added by hand reads the same); past that it is damage.
TABLE_ROW_SLACK = 100
TABLE_COLUMN_SLACK = 20
_MIN_SHARED_STRING_BYTES = 5  # "<si/>": a shared-strings part cannot hold more strings than this allows

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_WORKBOOK = "xl/workbook.xml"
_WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
_SHARED_STRINGS = "xl/sharedStrings.xml"  # calamine reads these two by name, not through the relationships
_STYLES = "xl/styles.xml"
_TABLE_RELATIONSHIP = "/table"

# The fast path of the extent check, for sheets as Excel, LibreOffice and lga_xl write them: a search
# for any cell tag that is not <c r="A1"> to <c r="Z9999"> (a letter-led tag such as <col> is not a
# cell), and for a namespace prefix, which calamine would read as well.  Anything found: cell by cell.
_NOT_NEAR_CELL = re.compile(rb'<c(?! r="[A-Z][1-9][0-9]{0,3}")[^a-zA-Z]')
_PREFIXED = re.compile(rb":c")  # a search, not `in`: re's literal search is three times faster on a sheet
# The slow path: row and cell tags in order, any namespace prefix, attribute values quoted either way.
_SHEET_TAG = re.compile(rb"""<(/?)(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])((?:[^>"']|"[^"]*"|'[^']*')*?)(/?)>""")
_R_ATTRIBUTE = re.compile(rb"""\sr\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ADDRESS = re.compile(rb"([A-Za-z]+)([0-9]+)")
_DIMENSION = re.compile(rb"""<(?:[A-Za-z_][\w.-]*:)?dimension\s+ref\s*=\s*["']([^"']*)["']""")
_SHARED_COUNT = re.compile(rb"""\suniqueCount\s*=\s*["']\s*([0-9]+)""")
# Every return made from one template carries byte-identical workbook, relationship and table parts, so
# what is parsed from them is kept per process, keyed by the part's bytes as stored in the zip with its
# method, size and checksum: the same stored bytes unpack to the same part, which was checked against
# that checksum when first parsed, so a hit needs no unpacking and a damaged part is never mistaken for
# a good one.  Only parts this small are kept: ours are a few KB, and a cache must not hold a large part.
_MEMO_PART_BYTES = 64 * 1024
_MEMO_PARTS = 256
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, then the name and extra field lengths
_UTF8_NAME = 0x800  # general purpose flag: the part name is UTF-8, not code page 437
_PARSED: OrderedDict[tuple, Any] = OrderedDict()  # (parse, base, stored bytes, method, size, checksum) -> parsed
_PARSED_LOCK = threading.Lock()  # a library caller may read returns from several threads at once


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
        return self._positions.get(column.strip().casefold())

    @cached_property
    def _positions(self) -> dict[str, int]:
        """Column name (trimmed, case-folded) -> the position of the first column of that name."""
        positions: dict[str, int] = {}
        for i, name in enumerate(self.columns):
            positions.setdefault(str(name).strip().casefold(), i)
        return positions

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


@dataclass(frozen=True)
class _TablePart:
    """A table as its part declares it (attributes as written, checked before calamine sees them)."""

    part: str
    ref: str
    header_rows: str
    totals_rows: str
    sheet: str
    columns: tuple[str, ...]  # the tableColumn names, which Excel keeps equal to the header cells


class Package:
    """An opened workbook: metadata, defined names, tables and cell values."""

    def __init__(self, path: Path, display: str, archive: zipfile.ZipFile):
        self.path = path
        self.display = display
        self._zip = archive
        self.has_macros = any(name.lower().endswith("vbaproject.bin") for name in archive.namelist())
        # The contract of the file's template version, once known (lga_xl.readers.read_package sets
        # it): the sizes a table may have come from it.
        self.contract: Contract | None = None
        self._grids: dict[str, list[list[Any]]] = {}
        self._tables: dict[str, TableData] = {}
        self._check_shared_strings()
        self._book = self._calamine(
            lambda: python_calamine.CalamineWorkbook.from_path(str(path)))

    # Context manager so the zip and calamine handles are closed promptly.
    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()
        book = self.__dict__.get("_book")
        if book is not None:
            with contained(self.display):
                book.close()

    def issue(self, code: str, message: str, sheet: str | None = None, cell: str | None = None, **kw: Any) -> Issue:
        """An issue located in this file."""
        return Issue.make(code, message, file=self.display, sheet=sheet, cell=cell, **kw)

    def _fatal(self, code: str, message: str, sheet: str | None = None, cell: str | None = None,
               **kw: Any) -> WorkbookError:
        return WorkbookError(self.issue(code, message, sheet, cell, **kw))

    # ----------------------------------------------------------------- parts
    def _read_part(self, part: str) -> bytes:
        """A part's bytes (its checksum checked); ``corrupt-file`` naming it when the zip cannot give them."""
        try:
            return self._zip.read(part)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError,
                ValueError) as exc:
            raise self._damaged(part, "it cannot be unpacked", report=exc) from None

    def _damaged(self, part: str | None, why: str, sheet: str | None = None, *, report: BaseException | None = None,
                 **kw: Any) -> WorkbookError:
        """``corrupt-file`` naming the part at fault, and what the reading library said (for a bug report)."""
        where = f"the part {part}" if part else "the workbook"
        if sheet:
            where += f" (sheet {sheet!r})"
        said = f" {_for_report(report)}" if report is not None else ""
        return self._fatal("corrupt-file", f"the file is damaged: {where}: {why}; open it in Excel, save it "
                           f"and send it again{said}", sheet, **kw)

    def _calamine(self, call: Callable[[], T], parts: tuple[str, ...] = (), sheet: str | None = None,
                  unreadable: str = "it cannot be read") -> T:
        """``call()`` into calamine; whatever it raises (a panic too) is ``corrupt-file`` naming the part.

        The part blamed is the first of ``parts`` (those the call reads) that
        is missing or not well-formed XML, else the first of them; without
        ``parts`` (opening the workbook reads many) it is looked for.  ``unreadable``
        says what failed when no part is missing or ill-formed.
        """
        try:
            return call()
        except (KeyboardInterrupt, SystemExit):
            raise
        except MemoryError:
            raise self._fatal("too-large", "reading the file needs more memory than there is", sheet) from None
        except BaseException as exc:  # noqa: B036 - a Rust panic derives from BaseException
            part, reason = self._culprit(parts, unreadable) if parts else self._culprit()
            raise self._damaged(part, reason, sheet, report=exc) from None

    def _culprit(self, parts: tuple[str, ...] | None = None,
                 unreadable: str = "it cannot be read") -> tuple[str | None, str]:
        """The part at fault among ``parts``, and why: missing, or not well-formed XML; else the first.

        Without ``parts``, the part that keeps the workbook from opening:
        missing, not well-formed, a table whose range is not one, or a sheet
        the workbook does not link; (None, why) when no part can be blamed.
        """
        if parts is None:
            candidates = [_WORKBOOK_RELS, _WORKBOOK, "_rels/.rels", "[Content_Types].xml", _SHARED_STRINGS, _STYLES]
            candidates += sorted(name for name in self._zip.NameToInfo if name.endswith((".xml", ".rels")))
        else:
            candidates = list(parts)
        for part in dict.fromkeys(candidates):
            if part not in self._zip.NameToInfo:
                if parts is not None or part in (_WORKBOOK_RELS, _WORKBOOK):
                    return part, "it is missing"
            elif problem := _ill_formed(self._read_part(part)):
                return part, f"it is not well-formed XML ({problem})"
        if parts is not None:
            return parts[0], unreadable
        for name, table in self._table_parts.items():
            if _table_span(table.ref) is None:
                return table.part, f"the table {name!r} has the range {table.ref!r}, which is not a range of cells"
        linked = self._sheet_targets
        for name, _ in self._workbook_sheets:
            if name not in linked:
                return _WORKBOOK_RELS, f"it does not say where the sheet {name!r} is"
        return None, "it cannot be read"

    def _parsed(self, part: str, parse: Callable[[ElementTree.Element, str], T], base: str = "") -> T:
        """``parse(root of part, base)``, memoised by the part's bytes (see ``_MEMO_PART_BYTES``);
        ``corrupt-file`` naming the part when it is not well-formed XML.  ``parse`` must be a module
        function returning an immutable value that depends on nothing but its arguments."""
        info = self._zip.NameToInfo.get(part)
        stored = self._stored_bytes(info) if info is not None else None
        key = (parse, base, stored, info.compress_type, info.file_size, info.CRC) if stored is not None else None
        if key is not None:
            with _PARSED_LOCK:
                if key in _PARSED:
                    _PARSED.move_to_end(key)
                    return _PARSED[key]
        data = self._read_part(part)  # unpacked and checked against its checksum
        try:
            parsed = parse(ElementTree.fromstring(data), base)
        except ElementTree.ParseError as exc:
            raise self._damaged(part, f"it is not well-formed XML ({_short(exc)})") from None
        if key is not None:
            with _PARSED_LOCK:
                _PARSED[key] = parsed
                if len(_PARSED) > _MEMO_PARTS:
                    _PARSED.popitem(last=False)
        return parsed

    def _stored_bytes(self, info: zipfile.ZipInfo) -> bytes | None:
        """A small part's bytes as stored (still compressed), read straight from the file; None when it is
        larger than ``_MEMO_PART_BYTES`` or its local header is not the one the zip's directory promises."""
        if info.compress_size > _MEMO_PART_BYTES or info.flag_bits & 0x1:  # encrypted parts are never ours
            return None
        try:
            handle = self._zip.fp
            handle.seek(info.header_offset)
            header = handle.read(_LOCAL_HEADER.size)
            if len(header) < _LOCAL_HEADER.size:
                return None
            signature, name_length, extra_length = _LOCAL_HEADER.unpack(header)
            name = info.orig_filename.encode("utf-8" if info.flag_bits & _UTF8_NAME else "cp437")
            if signature != b"PK\x03\x04" or handle.read(name_length) != name:
                return None
            handle.seek(extra_length, 1)
            stored = handle.read(info.compress_size)
        except (OSError, ValueError, UnicodeError):
            return None
        return stored if len(stored) == info.compress_size else None

    @cached_property
    def _workbook_sheets(self) -> tuple[tuple[str, str], ...]:
        """The sheets as ``xl/workbook.xml`` lists them, in order: (name, relationship id)."""
        return self._parsed(_WORKBOOK, _parse_sheets)

    def _relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """The relationships of ``part``: id -> (type, target part); none when it has no relationships part."""
        rels = _rels_part(part)
        if rels not in self._zip.NameToInfo:
            return {}
        return dict(self._parsed(rels, _parse_relationships, part))

    @cached_property
    def _sheet_targets(self) -> dict[str, str]:
        """Sheet name -> its part, as the workbook lists it (the part may be missing from a damaged file)."""
        relationships = self._relationships(_WORKBOOK)
        targets = {}
        for name, relationship_id in self._workbook_sheets:
            relationship = relationships.get(relationship_id)
            if relationship is not None:
                targets[name] = relationship[1]
        return targets

    @cached_property
    def _sheet_parts(self) -> dict[str, str]:
        """Sheet name -> zip part, for the sheets whose part is there."""
        return {sheet: part for sheet, part in self._sheet_targets.items() if part in self._zip.NameToInfo}

    @cached_property
    def _table_parts(self) -> dict[str, _TablePart]:
        """Table name (and display name) -> its part, range, header and totals rows and sheet, from the
        sheets' relationships."""
        tables: dict[str, _TablePart] = {}
        for sheet, part in self._sheet_targets.items():  # a sheet's part may be gone, its relationships not
            for kind, target in self._relationships(part).values():
                if kind.endswith(_TABLE_RELATIONSHIP) and target in self._zip.NameToInfo:
                    names, ref, header_rows, totals_rows, columns = self._parsed(target, _parse_table)
                    table = _TablePart(target, ref, header_rows, totals_rows, sheet, columns)
                    for name in names:
                        tables.setdefault(name, table)
        return tables

    def _check_shared_strings(self) -> None:
        """Refuse a shared-strings part that declares more strings than it can hold (calamine allocates them)."""
        info = self._zip.NameToInfo.get(_SHARED_STRINGS)
        if info is None:
            return
        try:
            with self._zip.open(info) as part:
                head = part.read(4096)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError,
                ValueError) as exc:
            raise self._damaged(_SHARED_STRINGS, "it cannot be unpacked", report=exc) from None
        declared = _SHARED_COUNT.search(head)
        if declared and int(declared.group(1)) > info.file_size // _MIN_SHARED_STRING_BYTES:
            raise self._damaged(_SHARED_STRINGS, f"it declares {int(declared.group(1)):,} strings in "
                                f"{info.file_size:,} bytes")

    @cached_property
    def sheet_names(self) -> list[str]:
        return self._calamine(lambda: list(self._book.sheet_names), (_WORKBOOK,))

    @cached_property
    def defined_names(self) -> dict[str, tuple[str, str]]:
        """Workbook-level names that point at one range inside the grid: name -> (sheet, ref)."""
        return dict(self._parsed(_WORKBOOK, _parse_defined_names))

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
            part = self._sheet_part(sheet)
            self._check_extent(part, sheet)
            self._grids[sheet] = self._calamine(
                lambda: self._book.get_sheet_by_name(sheet).to_python(skip_empty_area=False), (part,), sheet)
        return self._grids[sheet]

    def _sheet_part(self, sheet: str) -> str:
        """The part of a listed sheet; ``missing-sheet`` naming it when a damaged file lacks it."""
        part = self._sheet_parts.get(sheet)
        if part is None:
            target = self._sheet_targets.get(sheet)
            where = f"its part {target} is missing" if target else "the workbook does not say where it is"
            raise self._fatal("missing-sheet", f"the sheet {sheet!r} is listed but {where}: the file is damaged; "
                              "open it in Excel, save it and send it again", sheet)
        return part

    def value(self, sheet: str, cell: str) -> Any:
        """The value of one cell (None when empty or outside the used area)."""
        row, col, _, _ = a1.parse_ref(cell)
        grid = self.grid(sheet)
        if 0 <= row < len(grid) and 0 <= col < len(grid[row]):
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
        """A table found through its sheet's relationships, its values sliced from the sheet's grid.

        Slicing the grid calamine reads for the sheet anyway costs far less
        than calamine's own table reading, and a table part is parsed here,
        checked, before anything reads the cells it covers.
        """
        located = self._table_parts.get(name)
        if located is None:
            raise self._fatal("missing-table", f"the table {name!r} is missing (renamed or deleted?)")
        part, sheet = located.part, located.sheet
        self._sheet_part(sheet)
        first_row, first_col, last_row, last_col = self._table_bounds(name, located)
        width = last_col - first_col + 1
        if len(located.columns) != width:
            raise self._damaged(part, f"the table {name!r} names {len(located.columns)} columns for the "
                                f"{width} of {located.ref}", sheet, table=name)
        grid = self.grid(sheet)
        last_data_row = last_row - int(located.totals_rows.strip() or 0)
        blank = [""] * width
        rows = []
        for index in range(first_row + 1, last_data_row + 1):
            values = grid[index][first_col:last_col + 1] if index < len(grid) else []
            rows.append(values + blank[len(values):] if len(values) < width else values)
        return TableData(name=name, sheet=sheet, columns=list(located.columns), rows=rows,
                         first_row=first_row + 2, first_col=first_col)

    def _table_bounds(self, name: str, table: _TablePart) -> tuple[int, int, int, int]:
        """A table's range, refused unless it lies in the grid, first cell first, within the template's size,
        with one header row and at most one totals row inside it (calamine panics otherwise)."""
        part, ref, sheet = table.part, table.ref, table.sheet
        span = _table_span(ref)
        if span is None:
            raise self._damaged(part, f"the table {name!r} has the range {ref!r}, which is not a range of "
                                "cells", sheet, table=name)
        first_row, first_col, last_row, last_col = span
        if table.header_rows.strip() != "1" or table.totals_rows.strip() not in ("0", "1") or \
                last_row - first_row - int(table.totals_rows) < 1:  # a header row, then at least one data row
            raise self._damaged(part, f"the table {name!r} says it has {table.header_rows!r} header rows and "
                                f"{table.totals_rows!r} totals rows in {ref}", sheet, table=name)
        rows, columns = last_row - first_row, last_col - first_col + 1  # data rows: the header is the first
        most_rows, most_columns = self._table_limit(name)
        if rows > most_rows or columns > most_columns or rows * columns > MAX_SHEET_CELLS:
            raise self._damaged(part, f"the table {name!r} covers {ref} ({rows:,} rows x {columns:,} columns), "
                                f"far more than its template allows ({most_rows:,} x {most_columns:,})", sheet,
                                table=name)
        return span

    def _table_limit(self, name: str) -> tuple[int, int]:
        """The most data rows and columns table ``name`` may have: its template's size and some slack.

        From the contract of the file's template version when known, else the
        widest table of that name in any kind's contract (lga_xl.kinds), else
        only the sheet limit.
        """
        from ..kinds import KINDS

        if self.contract is not None and name in {t.name for t in self.contract.tables}:
            specs = [self.contract.table(name)]
        else:
            specs = [t for k in KINDS.values() for c in k.contracts.values() for t in c.tables if t.name == name]
        if not specs:
            return MAX_SHEET_CELLS, a1.MAX_COLUMNS
        return (max(t.row_limit for t in specs) + TABLE_ROW_SLACK,
                max(len(t.columns) for t in specs) + TABLE_COLUMN_SLACK)

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
            if indexes and None not in indexes and min(map(len, table.rows), default=0) > max(indexes):
                pick = operator.itemgetter(*indexes)  # every column there, every row long enough: the same, faster
                typed = list(map(pick, table.rows)) if len(indexes) > 1 else [(pick(row),) for row in table.rows]
            else:  # a column renamed away reads as blank; the reader reports it
                typed = [tuple(row[i] if i is not None and i < len(row) else None for i in indexes)
                         for row in table.rows]
            rows.append(sorted(map(repr, filter(any, typed))))
        # repr is exact and stable for the values cells hold (text, numbers, dates, None).
        payload = repr((self.meta.get("kind"), named, rows))
        return hashlib.sha256(payload.encode()).hexdigest()

    def _check_extent(self, part: str, sheet: str) -> None:
        """Refuse a sheet whose dense grid would not fit in memory, before calamine loads it.

        calamine holds a sheet as a grid from A1 to its last cell and aborts
        the whole process when that cannot be allocated: one value at
        XFD1048576 would take 400 GB.  Only sheets that are read are checked;
        calamine loads no other.
        """
        data = self._read_part(part)
        try:
            rows, columns = sheet_extent(data)
        except ValueError as exc:
            raise self._damaged(part, f"it holds {exc}, which is not one", sheet) from None
        # The dimension calamine reads too: a version that reserved room by it must not be able to abort.
        declared_rows, declared_columns = _dimension_extent(data)
        if max(rows * columns, declared_rows * declared_columns) > MAX_SHEET_CELLS:
            last = a1.cell(rows, columns - 1) if rows * columns > MAX_SHEET_CELLS else \
                a1.cell(declared_rows, declared_columns - 1)
            raise self._fatal(
                "too-large",
                f"the sheet uses cells up to {last}, over {MAX_SHEET_CELLS:,} cells; "
                "clear the cells far from the table and save again", sheet)


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

    if path.is_dir():
        raise fail("file-not-found", "this is a folder, not a file")
    if not path.is_file():
        raise fail("file-not-found", "no such file")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise fail("cannot-open", f"the file cannot be opened ({exc.strerror or exc})") from None
    if size == 0:
        raise fail("empty-file", "the file is empty (0 bytes): it was probably not saved properly; send it again")
    if size > MAX_FILE_BYTES:
        raise fail("too-large", f"the file is {size / 2**20:.0f} MB, over the {MAX_FILE_BYTES // 2**20} MB limit")
    try:
        with path.open("rb") as handle:
            head = handle.read(2048)
            # Encrypted xlsx files and old .xls files are both OLE compound files.
            encrypted = head.startswith(_CFB_MAGIC) and _ENCRYPTION_INFO in head + handle.read()
    except OSError as exc:
        raise fail("cannot-open", f"the file cannot be opened ({exc.strerror or exc})") from None
    if encrypted:
        raise fail("encrypted", "the workbook is password-protected: remove the password (File > Info) and "
                   "send it again")
    if head.startswith(_CFB_MAGIC):
        raise fail("legacy-xls", "this is an old .xls workbook: open it in Excel, save as .xlsx and send it again")
    if not head.startswith(b"PK"):
        raise fail("not-xlsx", f"this is not an Excel workbook ({_describe_bytes(head)})")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        # Python's words ("File is not a zip file") would mean nothing to an officer.
        raise fail("corrupt-file", "the file is damaged or incomplete: an .xlsx file is a zip package and this "
                   "one is cut short or garbled; save it again and send it again") from None
    try:
        _check_archive(archive, fail)
        return Package(path, display, archive)
    except BaseException:
        archive.close()
        raise


def sheet_extent(data: bytes) -> tuple[int, int]:
    """Rows and columns of the grid calamine would build for a worksheet part (an upper bound).

    calamine places a cell at its ``r`` address, or after the previous cell
    of its row when it has none, and sizes the grid from A1 to the furthest
    cell.  A sheet whose cells all lie within A1:Z9999 gives that box, which
    is all a check needs (one search finds out); any other is scanned cell by
    cell.  Raises ValueError for a cell address that is not one.

    Example:
        >>> sheet_extent(b'<row r="2"><c r="B2"><v>1</v></c></row><row r="20000"><c r="AB20000"><v>2</v></c></row>')
        (20000, 28)
        >>> sheet_extent(b'<row r="7"><c><v>1</v></c><c><v>2</v></c></row>')
        (7, 2)
    """
    if not _PREFIXED.search(data) and not _NOT_NEAR_CELL.search(data):
        return 9_999, 26  # every cell in A1:Z9999
    return _scanned_extent(data)


def escaped_issue(exc: BaseException, display: str) -> Issue:
    """The issue for an exception a reader did not expect, kept with its words for a bug report.

    What python-calamine raises (its errors, a Rust panic) means a damaged
    file; running out of memory, a file too large; an OSError, a file that
    cannot be opened; anything else is a bug of lga_xl (``internal-error``).

    Example:
        >>> escaped_issue(ZeroDivisionError("division by zero"), "a.xlsx").code
        'internal-error'
    """
    if isinstance(exc, MemoryError):
        return Issue.make("too-large", "reading the file needs more memory than there is: it is far larger "
                          "inside than a return", file=display)
    if isinstance(exc, OSError):
        return Issue.make("cannot-open", f"the file cannot be opened ({exc.strerror or _short(exc)})", file=display)
    if type(exc).__module__.split(".")[0] in ("python_calamine", "pyo3_runtime", "zipfile", "zlib"):
        return Issue.make("corrupt-file", "the file is damaged and cannot be read; open it in Excel, save it and "
                          f"send it again {_for_report(exc)}", file=display)
    return Issue.make("internal-error", "lga_xl failed on this file; please report it with the file "
                      f"{_for_report(exc)}", file=display)


@contextmanager
def contained(display: str) -> Iterator[None]:
    """Turn anything but a WorkbookError raised inside into the WorkbookError of :func:`escaped_issue`.

    A Rust panic in calamine is a ``BaseException``, so that is what is
    caught; only an interrupt (Ctrl+C) or an exit goes through.

    Example:
        >>> try:
        ...     with contained("a.xlsx"):
        ...         raise KeyError("Assessment")
        ... except WorkbookError as err:
        ...     err.issue.code
        'internal-error'
    """
    try:
        yield
    except (WorkbookError, KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: B036 - a calamine panic derives from BaseException, not Exception
        raise WorkbookError(escaped_issue(exc, display)) from exc


# Private API.


def _check_archive(archive: zipfile.ZipFile, fail: Callable[[str, str], WorkbookError]) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        raise fail("too-large", f"the file holds {len(infos):,} parts, over the {MAX_ZIP_MEMBERS:,} limit")
    if len({info.filename for info in infos}) < len(infos):
        # Readers disagree on which of two parts of one name counts: refuse rather than check one, read the other.
        raise fail("corrupt-file", "the file is damaged: it holds two parts of the same name; save it again in "
                   "Excel and send it again")
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


def _describe_bytes(sample: bytes) -> str:
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError:
        return "its content is not a spreadsheet format lga_xl knows"
    if "<html" in text.lower():
        return "it is a web page saved with an .xlsx name"
    if "," in text or "\t" in text:
        return "it looks like a CSV or text file renamed .xlsx; open it in Excel and save as .xlsx"
    return "it is a text file"


def _for_report(exc: BaseException) -> str:
    """What a library said, kept in the message for a bug report: the officer's words come first."""
    return f"[for a bug report: {type(exc).__name__}: {_short(exc)}]"


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


def _scanned_extent(data: bytes) -> tuple[int, int]:
    """:func:`sheet_extent` cell by cell, following calamine's placement of cells without an address."""
    row = column = rows = columns = 0  # row and column 0-based, as calamine counts
    for match in _SHEET_TAG.finditer(data):
        closing, tag, attributes, empty = match.groups()
        if tag == b"row":
            if closing:
                row, column = row + 1, 0
            elif not empty and (found := _R_ATTRIBUTE.search(attributes)):
                number = (found.group(1) if found.group(1) is not None else found.group(2)).strip()
                if not number.isdigit():
                    raise ValueError(f"a row number {number.decode(errors='replace')!r}")
                row = max(int(number) - 1, 0)
            continue
        if closing or empty:
            continue  # an empty <c/> holds no value: calamine skips it
        found = _R_ATTRIBUTE.search(attributes)
        if found:
            address = found.group(1) if found.group(1) is not None else found.group(2)
            parts = _ADDRESS.fullmatch(address.strip())
            if parts is None:
                raise ValueError(f"a cell address {address.decode(errors='replace')!r}")
            cell_row, column = int(parts.group(2)) - 1, a1.column_index(parts.group(1).decode())
        else:
            cell_row = row
        rows, columns = max(rows, cell_row + 1), max(columns, column + 1)
        column += 1
    return rows, columns


def _dimension_extent(data: bytes) -> tuple[int, int]:
    """Rows and columns from A1 to the end of a worksheet's ``<dimension ref>``; (0, 0) if none or not a range."""
    found = _DIMENSION.search(data, 0, 4096)
    if found is None or not a1.is_ref(found.group(1).decode("ascii", "replace")):
        return 0, 0
    _, _, last_row, last_column = a1.parse_ref(found.group(1).decode("ascii"))
    return last_row + 1, last_column + 1


def _table_span(ref: str) -> tuple[int, int, int, int] | None:
    """A table's ``ref`` as 0-based (first row, first column, last row, last column); None if it is not a
    range inside Excel's grid, first cell first."""
    if not a1.is_ref(ref) or "$" in ref:
        return None
    row1, col1, row2, col2 = a1.parse_ref(ref)
    if not (0 <= row1 <= row2 < a1.MAX_ROWS and 0 <= col1 <= col2 < a1.MAX_COLUMNS):
        return None
    return row1, col1, row2, col2


def _in_grid(ref: str) -> bool:
    row1, col1, row2, col2 = a1.parse_ref(ref)
    return 0 <= min(row1, row2) and max(row1, row2) < a1.MAX_ROWS and 0 <= min(col1, col2) and \
        max(col1, col2) < a1.MAX_COLUMNS


def _ill_formed(data: bytes) -> str | None:
    """Why ``data`` is not well-formed XML (expat's words), or None."""
    parser = expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        return expat.ErrorString(exc.code)
    return None


def _parse_sheets(root: ElementTree.Element, _base: str) -> tuple[tuple[str, str], ...]:
    """``xl/workbook.xml``'s sheets: (name, relationship id)."""
    return tuple((sheet.get("name", ""), _attribute(sheet, "id", "")) for sheet in _children(root, "sheets", "sheet"))


def _parse_defined_names(root: ElementTree.Element, _base: str) -> tuple[tuple[str, tuple[str, str]], ...]:
    """``xl/workbook.xml``'s workbook-level names that point at one range inside the grid: (name, (sheet, ref))."""
    names: dict[str, tuple[str, str]] = {}
    for node in _children(root, "definedNames", "definedName"):
        if node.get("localSheetId") is not None or not node.text or "!" not in node.text:
            continue
        sheet, _, ref = node.text.rpartition("!")
        sheet = sheet.strip()
        if sheet.startswith("'") and sheet.endswith("'"):
            sheet = sheet[1:-1].replace("''", "'")
        if a1.is_ref(ref) and _in_grid(ref):
            names[node.get("name", "")] = (sheet, ref.replace("$", "").strip())
    return tuple(names.items())


def _parse_relationships(root: ElementTree.Element, base: str) -> tuple[tuple[str, tuple[str, str]], ...]:
    """A relationships part of ``base``: (id, (type, target part))."""
    return tuple({rel.get("Id", ""): (rel.get("Type", ""), _resolve(base, rel.get("Target", "")))
                  for rel in _children(root, "Relationship")}.items())


def _parse_table(root: ElementTree.Element, _base: str) -> tuple[tuple[str, ...], str, str, str, tuple[str, ...]]:
    """A table part: its names (name and display name), ref, header and totals row counts, column names."""
    names = tuple(sorted({root.get("name"), root.get("displayName")} - {None}))
    columns = tuple(column.get("name", "") for column in _children(root, "tableColumns", "tableColumn"))
    return names, root.get("ref", ""), root.get("headerRowCount", "1"), root.get("totalsRowCount", "0"), columns


def _resolve(base: str, target: str) -> str:
    """A relationship's target as a part name: absolute, or relative to the folder of ``base``."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def _children(root: ElementTree.Element, *path: str) -> Iterator[ElementTree.Element]:
    """Elements below ``root`` along ``path``, by local name whatever their namespace (as calamine finds them)."""
    nodes = [root]
    for name in path:
        nodes = [child for node in nodes for child in node if child.tag.rpartition("}")[2] == name]
    yield from nodes


def _attribute(node: ElementTree.Element, name: str, default: str) -> str:
    """A namespaced attribute by local name (``r:id``), whatever the namespace."""
    return next((value for key, value in node.attrib.items() if key.startswith("{") and
                 key.rpartition("}")[2] == name), default)


def _rels_part(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")
