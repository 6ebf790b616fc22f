"""Copies of workbooks carrying the values LibreOffice calculates, without LibreOffice saving each one.

LibreOffice spends ten to a hundred times longer loading and saving a workbook than recalculating
it.  The formula tests write hundreds of workbooks that differ only in what is typed into them,
so :func:`calculate` groups the files by everything that decides a value except the typed cells
(the formulas cell by cell, the workbook part with its defined names, the tables); LibreOffice
loads the first of each group once, and for every file of the group sets the cells typed
differently from the file before, recalculates in full and answers the values of the formula
cells.  Each file's copy is the file as written with LibreOffice's value put into every formula
cell, as a spreadsheet saves them, so the tests read it as they would read LibreOffice's own
save.  tests/test_libreoffice_harness.py proves the copies equal LibreOffice's saves cell for cell.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from lga_xl import a1
from lga_xl.writers.fill import Template, package_bytes
from tests.support.libreoffice import OutOfStep

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
# A formula cell as the writers write it: its formula, then an empty or cached value.
_FORMULA_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"([^>]*)>(<f[^>]*(?:/>|>[^<]*</f>))(?:<v>[^<]*</v>|<v\s*/>)?</c>')
_TYPE = re.compile(rb'\st="\w+"')

Typed = tuple[str, object]  # ("number", 2.5), ("text", "95%"), ("boolean", True)


class Office(Protocol):
    def calculate(self, base: Path, holding: Path, name: Path, changes: list[list[object]],
                  boxes: dict[str, list[int]]) -> dict: ...


@dataclass(frozen=True)
class SheetCells:
    """One worksheet part's formulas and typed cells."""

    formulas: str  # a digest of every formula cell and its formula
    formula_cells: frozenset[str]
    typed: dict[str, Typed]
    box: list[int] | None  # [first row, first column, last row, last column] of its formula cells, from 0

    @classmethod
    def read(cls, xml: bytes, shared: list[str]) -> SheetCells:
        digest = hashlib.sha256()
        typed: dict[str, Typed] = {}
        rows, columns, refs = [], [], []
        for cell in ElementTree.fromstring(xml).iter(f"{MAIN}c"):
            ref, kind = cell.get("r"), cell.get("t", "n")
            formula = cell.find(f"{MAIN}f")
            if formula is not None:
                digest.update(f"\0{ref}\0{sorted(formula.attrib.items())}\0{formula.text}".encode())
                row, column, _, _ = a1.parse_ref(ref)
                rows.append(row)
                columns.append(column)
                refs.append(ref)
                continue
            value = _constant(cell, kind, shared)
            if value is None:
                continue
            if value[0] == "other":  # an error or an ISO date typed in: only a file's own twin shares it
                digest.update(f"\0{ref}\0{value}".encode())
            typed[ref] = value
        box = [min(rows), min(columns), max(rows), max(columns)] if rows else None
        return cls(digest.hexdigest(), frozenset(refs), typed, box)


@dataclass
class Written:
    """What a workbook file holds that LibreOffice's values depend on."""

    template: Template  # the package's parts, kept for the copy
    signature: str  # the same for files that differ only in their typed cells
    sheets: dict[str, SheetCells]

    @classmethod
    def read(cls, path: Path, known: dict[bytes, SheetCells]) -> Written:
        """``known``: sheets already read, by their part's digest (most parts are the same in every file)."""
        template = Template.from_path(path)
        parts = template.parts
        strings = parts.get("xl/sharedStrings.xml", b"")
        shared = _shared_strings(strings)
        digest = hashlib.sha256(parts["xl/workbook.xml"])
        for name in sorted(p for p in parts if p.startswith("xl/tables/")):
            digest.update(name.encode() + parts[name])
        sheets = {}
        strings_digest = hashlib.sha256(strings).digest()  # the strings are the sheets' text
        for sheet, part in template.sheet_parts.items():
            key = hashlib.sha256(strings_digest + parts[part]).digest()
            if key not in known:
                known[key] = SheetCells.read(parts[part], shared)
            sheets[sheet] = known[key]
            digest.update(f"\0{sheet}\0{sheets[sheet].formulas}".encode())
        return cls(template, digest.hexdigest(), sheets)

    def changes_from(self, other: Written) -> list[list[object]]:
        """The cell settings that make ``other`` (a workbook of the same signature) this one.

        Changed numbers, texts and cleared cells go as ranges (["values", rows of values] for a
        range; "" clears a cell; see :func:`_ranges`): each setting costs LibreOffice a round trip,
        and the cells of a table change together.  Booleans go cell by cell, as formulas.
        """
        changes = []
        for sheet, cells in self.sheets.items():
            theirs = other.sheets[sheet].typed
            if cells.typed is theirs:
                continue
            in_ranges = []  # (worksheet row, column index) of each changed number, text or cleared cell
            for ref in cells.typed.keys() | theirs.keys():
                mine = cells.typed.get(ref)
                if _same(mine, theirs.get(ref)):
                    continue
                if _in_array(mine):
                    row, column, _, _ = a1.parse_ref(ref)
                    in_ranges.append((row + 1, column))
                else:
                    changes.append([sheet, ref, *_setting(mine)])
            changes += [[sheet, a1.cells(top, left, bottom, right), "values",
                         [[_array_value(cells.typed.get(a1.cell(row, column))) for column in range(left, right + 1)]
                          for row in range(top, bottom + 1)]]
                        for top, left, bottom, right in _ranges(cells, in_ranges)]
        return changes

    def boxes(self) -> dict[str, list[int]]:
        return {sheet: cells.box for sheet, cells in self.sheets.items() if cells.box}

    def copy_with(self, sheets: dict, target: Path) -> Path:
        """This file with LibreOffice's value in every formula cell, written to ``target``."""
        parts = dict(self.template.parts)
        for sheet, cells in self.sheets.items():
            if cells.box:
                part = self.template.sheet_parts[sheet]
                parts[part] = _with_values(parts[part], sheets[sheet], cells.box)
        target.write_bytes(package_bytes(parts, compress=False))
        return target


def calculate(paths: Sequence[Path], outdir: Path, office: Office) -> dict[Path, Path]:
    """``paths`` recalculated by ``office``: input path -> a copy in ``outdir`` holding LibreOffice's values."""
    outdir.mkdir(parents=True, exist_ok=True)
    bases: dict[str, tuple[Path, Written]] = {}  # signature -> the file LibreOffice keeps loaded for it
    holds: dict[str, tuple[Path, Written]] = {}  # signature -> the workbook whose typed cells that copy holds
    known: dict[bytes, SheetCells] = {}
    copies = {}
    for path in paths:
        written = Written.read(path, known)
        base = bases.setdefault(written.signature, (path, written))
        holding, held = holds.get(written.signature, base)
        try:
            sheets = office.calculate(base[0], holding, path, written.changes_from(held), written.boxes())
        except OutOfStep:  # LibreOffice was started afresh, and loaded the base again
            sheets = office.calculate(base[0], base[0], path, written.changes_from(base[1]), written.boxes())
        holds[written.signature] = path, written
        copies[path] = written.copy_with(sheets, outdir / (path.stem + ".xlsx"))
    return copies


def _shared_strings(xml: bytes) -> list[str]:
    if not xml:
        return []
    return ["".join(t.text or "" for t in item.iter(f"{MAIN}t")) for item in ElementTree.fromstring(xml)]


def _constant(cell: ElementTree.Element, kind: str, shared: list[str]) -> Typed | None:
    if kind == "inlineStr":
        return "text", "".join(t.text or "" for t in cell.iter(f"{MAIN}t"))
    value = cell.findtext(f"{MAIN}v")
    if value is None or value == "" and kind == "n":
        return None
    if kind == "n":
        return "number", float(value)
    if kind == "s":
        return "text", shared[int(value)]
    if kind == "str":
        return "text", value
    if kind == "b":
        return "boolean", value.strip() in ("1", "true")
    return "other", f"{kind}:{value}"


def _same(mine: Typed | None, theirs: Typed | None) -> bool:
    return mine == theirs and (mine is None or type(mine[1]) is type(theirs[1]))


def _ranges(cells: SheetCells, changed: list[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """Changed cells (worksheet row, column index) as ranges (first row, first column, last row, last column):
    runs down each column from a changed cell to the next across the cells between that may be set as they
    are (blank, a number or a text: never a formula or a boolean), then neighbouring columns of the same
    rows together (a table's typed columns)."""
    rows_of: dict[int, list[int]] = {}
    for row, column in sorted(changed):
        rows_of.setdefault(column, []).append(row)
    columns_of: dict[tuple[int, int], list[int]] = {}  # (first row, last row) -> its columns, in order
    for column, rows in sorted(rows_of.items()):
        runs = [[rows[0], rows[0]]]
        for row in rows[1:]:
            between = (a1.cell(r, column) for r in range(runs[-1][1] + 1, row))
            if all(ref not in cells.formula_cells and _in_array(cells.typed.get(ref)) for ref in between):
                runs[-1][1] = row
            else:
                runs.append([row, row])
        for top, bottom in runs:
            columns_of.setdefault((top, bottom), []).append(column)
    ranges = []
    for (top, bottom), columns in sorted(columns_of.items()):
        left = columns[0]
        for column, after in zip(columns, [*columns[1:], None]):
            if after != column + 1:
                ranges.append((top, left, bottom, column))
                left = after
    return ranges


def _in_array(value: Typed | None) -> bool:
    """Whether a cell is set by a range's values: blank, a number or a text (a boolean is a formula)."""
    return value is None or value[0] in ("number", "text")


def _array_value(value: Typed | None) -> object:
    return "" if value is None else value[1]


def _setting(value: Typed | None) -> list[object]:
    """How the bridge puts a typed value back into a cell, as LibreOffice loads it from a file."""
    if value is None:
        return ["empty", None]
    kind, content = value
    if kind == "boolean":  # LibreOffice loads a boolean cell as the formula =TRUE() or =FALSE()
        return ["formula", "=TRUE()" if content else "=FALSE()"]
    if kind == "other":
        raise ValueError(f"a cell of kind {content!r} is only ever in its own file")  # its signature is its own
    return [kind, content]


def _with_values(xml: bytes, values: dict, box: list[int]) -> bytes:
    """A sheet's XML with each formula cell's value from LibreOffice's answer for the sheet's box."""
    rows, errors = values["rows"], values["errors"]
    top, left = box[0], box[1]

    def cell(match: re.Match[bytes]) -> bytes:
        row, column = int(match.group(2)) - 1, a1.column_index(match.group(1).decode())
        value = rows[row - top][column - left]
        error = errors.get(f"{row},{column}")
        if error is not None:
            kind, shown = b' t="e"', escape(error)
        elif isinstance(value, str):
            kind, shown = b' t="str"', escape(value)
        else:  # as LibreOffice saves a number: to 15 significant digits
            kind, shown = b"", format(value, ".15g")
        return b'<c r="%s%s"%s%s>%s<v>%s</v></c>' % (match.group(1), match.group(2), _TYPE.sub(b"", match.group(3)),
                                                  kind, match.group(4), shown.encode())

    patched, found = _FORMULA_CELL.subn(cell, xml)
    formulas = xml.count(b"<f>") + xml.count(b"<f ")
    if found != formulas:  # a formula cell written some other way would keep no value
        raise ValueError(f"{found} of {formulas} formula cells could be given their values")
    return patched
