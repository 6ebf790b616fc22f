"""What every reader does the same way: find named cells and table columns by contract.

A reader gets a :class:`Reading` (the opened package, the contract of its
template version, and the issues found so far), asks it for named cells and
tables by the names the contract declares, and reads each table row through
a :class:`Row`, which knows the cell of every column for locating issues.
Columns are found by header, so moved tables and re-ordered columns read the
same; a column the reader needs but the table has lost is ``missing-column``.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .. import cells
from ..contract import Contract, Table
from ..issues import WorkbookError
from .fields import NOWHERE, Collector, PlaceOf
from .package import Package, Place, TableData

PENNY_TOLERANCE = 0.005  # a cached float keeps 15 significant digits; money is to the penny


@dataclass(frozen=True)
class Named:
    """A named cell's value and place (value None and place NOWHERE when the name is gone)."""

    value: Any = None
    place: Place = NOWHERE

    @property
    def found(self) -> bool:
        return self.place is not NOWHERE


class Row:
    """One data row of a table, its values by column key."""

    def __init__(self, table: TableRows, index: int, values: list[Any]):
        self._table = table
        self.index = index  # 0-based data row
        self._values = values

    @property
    def number(self) -> int:
        """The worksheet row."""
        return self._table.data.first_row + self.index

    def get(self, key: str) -> Any:
        """The cell's value, None when blank or when the column is missing."""
        position = self._table.positions.get(key)
        if position is None or position >= len(self._values):
            return None
        value = self._values[position]
        return None if value == "" else value

    def text(self, key: str) -> str | None:
        return cells.text(self.get(key))

    @property
    def empty(self) -> bool:
        """True when every cell of the row is empty (calamine's ""): no column of it holds anything."""
        return self._values.count("") == len(self._values)

    def place(self, key: str | None = None) -> Place:
        """Where a column's cell is (the row's first cell when the column is missing)."""
        position = self._table.positions.get(key) if key else None
        return self._table.data.place(self.index, position)

    def cell(self, key: str) -> str:
        return self.place(key).cell or ""

    def entered(self, keys: Iterable[str]) -> bool:
        """True when any of these columns holds something."""
        return any(self.text(key) is not None for key in keys)


class TableRows:
    """A table read from the package, its columns found by the contract's headers."""

    def __init__(self, spec: Table, data: TableData):
        self.spec = spec
        self.data = data
        self.positions = {c.key: i for c in spec.columns if (i := data.column_index(c.header)) is not None}

    @property
    def sheet(self) -> str:
        return self.data.sheet

    def __iter__(self) -> Iterator[Row]:
        for index, values in enumerate(self.data.rows):
            yield Row(self, index, values)

    def row_at(self, worksheet_row: int) -> Row:
        index = worksheet_row - self.data.first_row
        return Row(self, index, self.data.rows[index])


class Reading:
    """One package being read against the contract of its template version."""

    def __init__(self, pkg: Package, contract: Contract):
        self.pkg = pkg
        self.contract = contract
        self.found = Collector(pkg.display)
        if pkg.has_macros:
            self.found.add("has-macros", "the workbook contains macros; they were ignored and not run")

    def named(self, name: str) -> Named:
        """A named cell of the contract; ``missing-name`` when the name was deleted."""
        target = self.pkg.name_value(name)
        if target is None:
            self.found.add("missing-name", f"the named cell {name} is missing (deleted?)", Place(name=name))
            return Named()
        return Named(target.value, target.place)

    def table(self, name: str, required: Iterable[str] = ()) -> TableRows:
        """A table of the contract; raises ``missing-column`` when a required column is gone."""
        spec = self.contract.table(name)
        rows = TableRows(spec, self.pkg.table(name))
        for key in required:
            if key not in rows.positions:
                raise WorkbookError(self.pkg.issue(
                    "missing-column", f"the {name} table has no {spec.column(key).header} column (renamed or "
                    "deleted?)", rows.sheet, table=name, column=spec.column(key).header))
        return rows

    def compare_cached_rows(self, table_name: str, expected_for: Callable[[int], Any],
                            keys: Iterable[str] | Mapping[str, str | Callable[[Any], Any]], *,
                            tolerance: float = PENNY_TOLERANCE) -> None:
        """:func:`compare_cached` for each column of ``keys`` in each row ``expected_for(worksheet row)`` gives.

        ``keys`` maps a column key to the expected row's attribute (or a function
        of the row); a plain list of keys names attributes of the same names.
        """
        sources = keys if isinstance(keys, Mapping) else {key: key for key in keys}
        table = self.table(table_name)
        for row in table:
            expected_row = expected_for(row.number)
            if expected_row is None:
                continue  # a blank row: its formulas give blanks
            for key, source in sources.items():
                if key in table.positions:
                    expected = source(expected_row) if callable(source) else getattr(expected_row, source)
                    compare_cached(self.found, f"{table_name} {table.spec.column(key).header}", row.get(key),
                                   expected, functools.partial(row.place, key), tolerance=tolerance)

    @property
    def input_hash(self) -> str:
        return self.pkg.input_hash(self.contract)


def compare_cached(found: Collector, what: str, cached: Any, expected: Any, place: PlaceOf, *,
                   tolerance: float = PENNY_TOLERANCE) -> None:
    """A ``cached-value-mismatch`` warning when the value a formula shows is not the one recomputed from the inputs."""
    if _shows(cached, expected, tolerance):
        return
    shown = "(blank)" if cached in (None, "") else repr(cached)
    found.add("cached-value-mismatch", f"{what}: the workbook shows {shown} but the inputs give "
              f"{_display(expected)}; has the formula been typed over?", place)


def formula_date(value: Any) -> dt.date | None:
    """A date as a formula sees it: a date cell or a serial number; text is not a date to a formula."""
    if isinstance(value, str):
        return None
    try:
        read = cells.date(value)
    except cells.CellValueError:
        return None
    return None if read is None else read.value


def _shows(cached: Any, expected: Any, tolerance: float) -> bool:
    if expected is None or expected == "":
        return cached in (None, "")
    if isinstance(expected, str):
        return isinstance(cached, str) and cached == expected
    if isinstance(expected, dt.date):
        return formula_date(cached) == expected
    if isinstance(cached, bool) or not isinstance(cached, (int, float)):
        return False
    return abs(float(cached) - float(expected)) < tolerance


def _display(value: Any) -> str:
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return str(value)
