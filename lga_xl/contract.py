"""The vocabulary of a workbook contract: what a kind of workbook holds, and where.

Each workbook kind declares its contract once, in a pure module of
``lga_xl.contracts`` (one per kind, one :class:`Contract` per template
version): its named cells (inputs, cells fixed when the workbook is made,
and results, each with the model field it fills), its Excel tables and their
columns (input, fixed or formula), and the checks each table row gets (the
text the workbook shows, the issue code, the Python test and the Excel
condition, in one ordered list).  The writer lays the workbook out from it,
the reader reads by it, the store's columns and the tests' cell addresses
come from it, so a cell is never addressed by hand anywhere else.  All A1
arithmetic is in :mod:`lga_xl.a1`.

Example:
    >>> scores = Table("Scores", "Sheet", header_row=4, rows=3, columns=(
    ...     Column("name", "Name", "text", role="fixed", hashed=True),
    ...     Column("score", "Score", "number")))
    >>> scores.letter("score"), scores.cell("score", 5), scores.ref(), scores.column_cells("score")
    ('B', 'B5', 'A4:B7', 'B5:B7')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from . import a1

# The hidden sheets every template has: the template's identity, and dropdown lists.
META_SHEET = "lga_xl"
LISTS_SHEET = "Lists"

Role = Literal["input", "fixed", "formula"]
ValueKind = Literal["text", "choice", "money", "number", "whole", "percent", "date", "month", "score", "bool"]


@dataclass(frozen=True)
class Name:
    """A single named cell.

    ``role``: ``input`` (the officer types it), ``fixed`` (written when the
    workbook is made, then locked) or ``formula`` (a result).  ``field`` is
    the model field it fills (None when it fills none).  ``hashed`` names the
    cells whose values identify a return (default: inputs).
    """

    name: str
    label: str
    kind: ValueKind
    role: Role = "input"
    field: str | None = None
    note: str = ""
    number_format: str | None = None
    choices: str | None = None  # the defined name of the dropdown list
    hashed: bool | None = None

    @property
    def in_hash(self) -> bool:
        return self.role == "input" if self.hashed is None else self.hashed


@dataclass(frozen=True)
class Block:
    """Named cells one under another on a sheet: label, value and note columns."""

    sheet: str
    first_row: int
    names: tuple[Name, ...]
    value_column: int = 1  # 0-based: B
    label_column: int = 0
    note_column: int | None = 2

    def row(self, name: str) -> int:
        for offset, item in enumerate(self.names):
            if item.name == name:
                return self.first_row + offset
        raise KeyError(name)

    def cell(self, name: str) -> str:
        return a1.cell(self.row(name), self.value_column)

    @property
    def last_row(self) -> int:
        return self.first_row + len(self.names) - 1


@dataclass(frozen=True)
class Column:
    """A column of an Excel table; ``key`` is how code names it (the model field)."""

    key: str
    header: str
    kind: ValueKind
    role: Role = "input"
    required: bool = False
    number_format: str | None = None
    hashed: bool | None = None
    hidden: bool = False  # workings a person need not see

    @property
    def in_hash(self) -> bool:
        return self.role == "input" if self.hashed is None else self.hashed


@dataclass(frozen=True)
class RowCheck:
    """One check of a table row, in the order the Check column tests them.

    ``text`` is what the workbook's Check column shows; ``condition`` the
    Excel condition, with ``{key}`` standing for the row's cell in that
    column; ``test`` the same condition in Python, on the reader's row;
    ``code`` the issue the reader raises (None: the row's other issues say
    it), at the cell of ``column``.
    """

    text: str
    condition: str
    test: Callable[[Any], bool]
    code: str | None = None
    column: str | None = None


@dataclass(frozen=True)
class Table:
    """An Excel table: its sheet, header row, first column and columns in order."""

    name: str
    sheet: str
    header_row: int
    columns: tuple[Column, ...]
    rows: int = 1  # data rows a blank template has
    first_column: int = 0
    checks: tuple[RowCheck, ...] = ()
    max_rows: int | None = None  # the most data rows a filled table may have; None: ``rows``, a fixed table
    _index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {column.key: i for i, column in enumerate(self.columns)})

    def column(self, key: str) -> Column:
        return self.columns[self._index[key]]

    def index(self, key: str) -> int:
        """0-based position of a column in the table."""
        return self._index[key]

    def letter(self, key: str) -> str:
        return a1.column_letter(self.first_column + self._index[key])

    def cell(self, key: str, row: int) -> str:
        """The cell of column ``key`` on worksheet row ``row``."""
        return f"{self.letter(key)}{row}"

    @property
    def row_limit(self) -> int:
        """The most data rows a return's table may have (readers refuse a damaged file's wider range)."""
        return self.rows if self.max_rows is None else max(self.rows, self.max_rows)

    @property
    def first_row(self) -> int:
        """Worksheet row of the first data row."""
        return self.header_row + 1

    def last_row(self, rows: int | None = None) -> int:
        return self.header_row + (self.rows if rows is None else rows)

    def ref(self, rows: int | None = None) -> str:
        """The table's range, header included, for ``rows`` data rows."""
        return a1.cells(self.header_row, self.first_column, self.last_row(rows),
                        self.first_column + len(self.columns) - 1)

    def structured(self, key: str) -> str:
        """A structured reference to a whole column, ``Table[Header]``."""
        return structured(self.name, self.column(key).header)

    def column_cells(self, key: str, rows: int | None = None) -> str:
        """The data cells of one column, ``B5:B7``."""
        return f"{self.cell(key, self.first_row)}:{self.cell(key, self.last_row(rows))}"

    def keys(self, role: Role | None = None) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns if role is None or c.role == role)

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    def row_cells(self, row: int, keys: Iterable[str] | None = None) -> dict[str, str]:
        """key -> cell on one worksheet row, for rendering formulas."""
        return {key: self.cell(key, row) for key in (keys if keys is not None else self._index)}

    def check_formula(self, row: int, blank: str = '""') -> str:
        """The nested IF that shows the first failing check's text (no leading '=')."""
        cells = self.row_cells(row)
        formula = blank
        for check in reversed(self.checks):
            formula = f'IF({check.condition.format(**cells)},"{check.text}",{formula})'
        return formula

    def first_failing(self, row: Any) -> str:
        """The text the Check column shows for a row read by Python."""
        return next((check.text for check in self.checks if check.test(row)), "")


def structured(table: str, header: str) -> str:
    """``Table[Header]``, with the characters Excel escapes in headers escaped."""
    escaped = "".join("'" + ch if ch in "[]#'" else ch for ch in header)
    return f"{table}[{escaped}]"


@dataclass(frozen=True)
class Contract:
    """Everything a template version promises its readers."""

    kind: str
    version: str
    blocks: tuple[Block, ...]
    tables: tuple[Table, ...]
    lists: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    _names: dict[str, tuple[Block, Name]] = field(init=False, repr=False, compare=False)
    _tables: dict[str, Table] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_names", {n.name: (b, n) for b in self.blocks for n in b.names})
        object.__setattr__(self, "_tables", {t.name: t for t in self.tables})

    def name(self, name: str) -> Name:
        return self._names[name][1]

    def block_of(self, name: str) -> Block:
        return self._names[name][0]

    def address(self, name: str) -> tuple[str, str]:
        """(sheet, cell) of a named cell, as the template places it."""
        block = self.block_of(name)
        return block.sheet, block.cell(name)

    def names(self, role: Role | None = None) -> tuple[Name, ...]:
        return tuple(n for b in self.blocks for n in b.names if role is None or n.role == role)

    def table(self, name: str) -> Table:
        return self._tables[name]

    def results(self) -> dict[str, str]:
        """Result defined name -> model field."""
        return {n.name: n.field for n in self.names("formula") if n.field}

    def hashed_names(self) -> tuple[str, ...]:
        """The named cells whose values identify a return, in contract order."""
        return tuple(n.name for n in self.names() if n.in_hash)

    def hashed_columns(self) -> dict[str, tuple[str, ...]]:
        """Table -> the headers of its columns that identify a return."""
        return {t.name: tuple(c.header for c in t.columns if c.in_hash)
                for t in self.tables if any(c.in_hash for c in t.columns)}


# The cover of a workbook sent to one council (lga_xl.sendout): who it is for, the deadline, whom to ask,
# and what was carried forward.  Fixed cells, never hashed: they do not make a return another one.
SEND_OUT_HEADING = "From your adviser"
SEND_OUT_NAMES = ("PreparedFor", "ReturnBy", "ReturnTo", "CarriedForward")
SEND_OUT_DATE_FORMAT = "dd/mm/yyyy"  # the house date format (lga_xl.writers.style.DATE)


def send_out_block(sheet: str, first_row: int, *, label_column: int = 0, value_column: int = 1) -> Block:
    """The send-out cover cells of a template, under a heading on row ``first_row - 1``.

    Left blank when the workbook is made; a personalised copy fills in the
    labels and values it has (:func:`lga_xl.sendout.send_out`).

    Example:
        >>> block = send_out_block("Cover", 12)
        >>> block.cell("ReturnBy"), [name.label for name in block.names][:2]
        ('B13', ['Prepared for', 'Please return by'])
    """
    return Block(sheet, first_row=first_row, label_column=label_column, value_column=value_column, note_column=None,
                 names=(
        Name("PreparedFor", "Prepared for", "text", role="fixed", note="The council's contact for this workbook."),
        Name("ReturnBy", "Please return by", "date", role="fixed", number_format=SEND_OUT_DATE_FORMAT),
        Name("ReturnTo", "Send it back to", "text", role="fixed", note="The adviser to send it to and ask."),
        Name("CarriedForward", "Carried forward", "text", role="fixed",
             note="The earlier return whose answers this workbook starts from."),
    ))
