"""A1 cell arithmetic: the only place that turns rows and columns into addresses.

Rows are worksheet rows (1-based, as Excel shows them); columns are 0-based
indexes (A is 0), as in XlsxWriter's ``utility`` module.  Pure standard
library, so the writers, the readers, the tests and the Excel functions share it.

Example:
    >>> column_letter(0), column_letter(27), column_index("AB")
    ('A', 'AB', 27)
    >>> cell(5, 1), cells(5, 1, 9, 2), absolute("B5:C9")
    ('B5', 'B5:C9', '$B$5:$C$9')
    >>> parse_ref("$B$5:$C$9"), sheet_ref("Kim's sheet", "A1")
    ((4, 1, 8, 2), "'Kim''s sheet'!$A$1")
"""

from __future__ import annotations

import re

_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)(?::\$?([A-Za-z]{1,3})\$?(\d+))?$")

MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """A -> 0, AA -> 26 (case-insensitive)."""
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number - 1


def cell(row: int, column: int) -> str:
    """The address of a worksheet row (1-based) and column index (0-based)."""
    return f"{column_letter(column)}{row}"


def cells(first_row: int, first_column: int, last_row: int, last_column: int) -> str:
    """A rectangular range, ``B5:C9``."""
    return f"{cell(first_row, first_column)}:{cell(last_row, last_column)}"


def is_ref(text: str) -> bool:
    """True for ``B3``, ``$B$3`` or ``B3:C9``."""
    return bool(_REF.match(text.strip()))


def parse_ref(ref: str) -> tuple[int, int, int, int]:
    """``B3`` or ``$B$3:$C$9`` -> 0-based (row1, col1, row2, col2).

    Raises:
        ValueError: not a cell or range reference.
    """
    match = _REF.match(ref.strip())
    if not match:
        raise ValueError(f"not a cell reference: {ref!r}")
    c1, r1, c2, r2 = match.groups()
    row1, col1 = int(r1) - 1, column_index(c1)
    if c2 is None:
        return row1, col1, row1, col1
    return row1, col1, int(r2) - 1, column_index(c2)


def absolute(ref: str) -> str:
    """``B5:C9`` -> ``$B$5:$C$9``."""
    row1, col1, row2, col2 = parse_ref(ref)
    first = f"${column_letter(col1)}${row1 + 1}"
    if (row1, col1) == (row2, col2) and ":" not in ref:
        return first
    return f"{first}:${column_letter(col2)}${row2 + 1}"


def quote_sheet(sheet: str) -> str:
    """A sheet name as a formula writes it: always quoted, which is valid for any name."""
    return "'" + sheet.replace("'", "''") + "'"


def sheet_ref(sheet: str, ref: str) -> str:
    """An absolute reference on a sheet, as a defined name holds it."""
    return f"{quote_sheet(sheet)}!{absolute(ref)}"
