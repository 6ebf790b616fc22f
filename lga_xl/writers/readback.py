"""A workbook being written, read by its kind's reader before it is saved.

A writer that stores what its formulas will show (the data of its charts,
so that file previews draw them: :func:`lga_xl.writers.style.cache_chart_data`)
needs the figures the formulas will give.  Its reader already recomputes
every figure from the cells typed in, exactly as the formulas read them;
:class:`UnsavedPackage` hands the reader the workbook still in memory, as
:class:`lga_xl.readers.package.Package` hands it a saved file.  Each cell
reads as calamine reads a saved one (numbers as floats, a date without a
time as a date) and a formula as blank, as in a file no spreadsheet has
calculated yet.  Nothing is computed twice and nothing is copied: the
figures come from the reader's own code.

Example:
    >>> from openpyxl import Workbook
    >>> from openpyxl.workbook.defined_name import DefinedName
    >>> wb = Workbook()
    >>> wb.active["B2"], wb.active["B3"] = 250, "=B2*2"
    >>> wb.defined_names["PayBill"] = DefinedName("PayBill", attr_text="'Sheet'!$B$2")
    >>> wb.defined_names["Twice"] = DefinedName("Twice", attr_text="'Sheet'!$B$3")
    >>> pkg = UnsavedPackage(wb)
    >>> pkg.name_value("PayBill").value, pkg.name_value("Twice").value, pkg.name_value("Gone")
    (250.0, None, None)
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.utils.cell import range_boundaries
from openpyxl.workbook.workbook import Workbook

from ..contract import Contract
from ..issues import Issue
from ..readers.package import NamedValue, TableData

__all__ = ["UnsavedPackage"]


class UnsavedPackage:
    """An openpyxl workbook in memory, offering a reader what a saved file's Package offers."""

    display = "(workbook being written)"
    has_macros = False

    def __init__(self, wb: Workbook):
        self._wb = wb
        self._tables = {name: ws for ws in wb.worksheets for name in ws.tables}

    def issue(self, code: str, message: str, sheet: str | None = None, cell: str | None = None, **kw: Any) -> Issue:
        return Issue.make(code, message, file=self.display, sheet=sheet, cell=cell, **kw)

    def name_value(self, name: str) -> NamedValue | None:
        """The value behind a single-cell defined name (None when blank), or None without the name."""
        defined = self._wb.defined_names.get(name)
        if defined is None:
            return None
        (sheet, ref), *_ = defined.destinations
        first_cell = ref.replace("$", "").split(":")[0]
        value = _as_read(self._wb[sheet][first_cell])
        return NamedValue(None if value == "" else value, sheet, first_cell, name)

    def table(self, name: str) -> TableData:
        """An Excel table's header and rows, as a saved file's Package gives them."""
        ws = self._tables[name]
        min_col, min_row, max_col, max_row = range_boundaries(ws.tables[name].ref)
        columns = range(min_col, max_col + 1)
        return TableData(
            name=name, sheet=ws.title, columns=[str(ws.cell(min_row, col).value) for col in columns],
            rows=[[_as_read(ws.cell(row, col)) for col in columns] for row in range(min_row + 1, max_row + 1)],
            first_row=min_row + 1, first_col=min_col - 1,
        )

    def input_hash(self, contract: Contract) -> str:
        """Nothing to identify: a workbook being written is not a return."""
        return ""


def _as_read(cell: Cell) -> Any:
    """A cell's value as calamine reads it from the saved file ('' for empty)."""
    value = cell.value
    if cell.data_type == "f" or value is None:
        return ""  # a formula no spreadsheet has calculated has no value yet
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal):
        return float(value)  # Excel holds every number as a double
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date()
    return value
