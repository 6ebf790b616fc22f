"""The schools list a levy plan is pre-filled with: a CSV as the council saved it.

Councils keep their list of maintained schools in Excel or download it from
Get Information About Schools, so the CSV arrives however Excel saved it:
"CSV UTF-8" or "CSV (Comma delimited)" (Windows-1252), comma- or
semicolon-separated, with headers spelt the way the person likes ("School
Name", "School type", "Head count", "Pay Bill (£)").  :func:`load_schools_csv`
reads all of them through :mod:`lga_xl.usertext`; a file it cannot use is a
:class:`SchoolsCsvError` naming the file, each bad line and the school on it.

Pure (standard library only), so the writers, the command line and the Excel
functions can share it.

Example:
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "schools.csv"
    >>> _ = path.write_bytes("URN;School Name;School type;Pay Bill (£);Head count\\r\\n"
    ...                      "100001;Ash Primary;community school;1250000;42\\r\\n".encode("cp1252"))
    >>> load_schools_csv(path)
    [SchoolEntry(urn=100001, name='Ash Primary', type='Community school', pay_bill=Decimal('1250000'), headcount=42)]
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from . import cells
from .reference import COUNCIL_ESTABLISHMENT_TYPES, establishment_type
from .usertext import SCHOOLS_CSV_FIELDS, UserRow, UserRowsError, UserTextError, read_user_csv

__all__ = ["SchoolEntry", "SchoolsCsvError", "load_schools_csv"]

Number = int | float | Decimal | str
SAVE_AS = "in Excel use File > Save As > CSV UTF-8"


class SchoolsCsvError(UserTextError):
    """A schools CSV that cannot be used; the message names the file, its lines and their schools."""


@dataclass(frozen=True)
class SchoolEntry:
    """A row of the levy plan's Schools table; values are written as given (a type as its establishment type)."""

    urn: int | str
    name: str | None
    type: str
    pay_bill: Number | None = None
    headcount: int | None = None


def load_schools_csv(path: str | Path) -> list[SchoolEntry]:
    """Schools from a CSV with the columns URN, School, Type and optionally PayBill and Headcount.

    The file may be UTF-8 (with or without Excel's byte order mark) or
    Windows-1252, separated by commas, semicolons or tabs; headers are
    matched loosely, with other usual spellings (:data:`lga_xl.usertext.
    SCHOOLS_CSV_FIELDS`), and a missing one is named with the spellings
    accepted.  A type is any establishment type of Get Information about
    Schools, written loosely ("community", "VA", "PRU":
    :func:`lga_xl.reference.establishment_type`); types outside the
    council's levy load, and the workbook flags them.

    Raises:
        SchoolsCsvError: a missing or unreadable file, a missing column, or
            bad rows, each named by its line and school.

    Example:
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "schools.csv"
        >>> _ = path.write_text("urn,school,type,pay bill\\n100001,Ash Primary,Community,lots\\n")
        >>> try:
        ...     load_schools_csv(path)
        ... except SchoolsCsvError as exc:
        ...     print(exc.reason)
        1 bad row
          line 2: Ash Primary (URN 100001): PayBill 'lots' is not a number
    """
    try:
        table = read_user_csv(path, SCHOOLS_CSV_FIELDS, save_as=SAVE_AS)
        first_line: dict[int, int] = {}

        def school(row: UserRow) -> SchoolEntry:
            entry = _school_from_row(row, table.number)
            if entry.urn in first_line:
                raise ValueError(f"URN {entry.urn} is listed twice (first on line {first_line[entry.urn]})")
            first_line[entry.urn] = row.line
            return entry

        return table.parse_rows(school)
    except UserTextError as exc:  # each bad row says its line; the message does not repeat the first
        raise SchoolsCsvError(exc.source, exc.reason, None if isinstance(exc, UserRowsError) else exc.line) from None


def _school_from_row(row: UserRow, number: Callable[[str], str]) -> SchoolEntry:
    """A school from its row; ``number`` reads a number cell as the file writes numbers (decimal comma or point)."""
    typed_urn = row["urn"]
    urn = typed_urn.replace(" ", "")
    name = row["name"]
    if not re.fullmatch(r"\d{1,8}", urn):
        raise ValueError(f"{name or 'a school'}: URN {typed_urn!r} is not a number like 100001")
    subject = f"{name} (URN {urn})" if name else f"URN {urn}"
    if not name:
        raise ValueError(f"{subject}: the school name is blank")
    school_type = _school_type(row["type"], subject)
    pay_bill = _amount(number(row["pay_bill"]), row["pay_bill"], f"{subject}: PayBill")
    headcount = _amount(number(row["headcount"]), row["headcount"], f"{subject}: Headcount")
    if headcount is not None and headcount != headcount.to_integral_value():
        raise ValueError(f"{subject}: Headcount {row['headcount']!r} is not a whole number")
    return SchoolEntry(int(urn), name, school_type, pay_bill, None if headcount is None else int(headcount))


def _school_type(text: str, subject: str) -> str:
    school_type = establishment_type(text)
    if school_type is None:
        shown = repr(text) if text else "(blank)"
        raise ValueError(f"{subject}: type {shown} is not an establishment type of Get Information about Schools "
                         f"(such as {', '.join(COUNCIL_ESTABLISHMENT_TYPES)})")
    return school_type


def _amount(text: str, typed: str, what: str) -> Decimal | None:
    try:
        read = cells.number(text, minimum=0)
    except cells.CellValueError as err:
        problem = "must be 0 or more" if err.code == "negative-amount" else "is not a number"
        raise ValueError(f"{what} {typed!r} {problem}") from None
    return None if read is None else read.value
