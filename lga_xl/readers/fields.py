"""Reading typed values out of cells, reporting anything odd as an issue.

The values themselves are read by :mod:`lga_xl.cells` (the one cell-value
module); a :class:`Collector` turns what it finds into issues located at the
cell (sheet, cell, and the table, column, row or name it belongs to), and
returns the clean value: one bad cell never stops the rest of the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .. import cells
from ..issues import Issue
from ..text import loose_choice
from .package import Place

NOWHERE = Place()
# Where a value is, or how to find out: a table cell's place is worked out only when it has an issue.
PlaceOf = Place | Callable[[], Place]


@dataclass
class Collector:
    """Issues found in one file, each named with that file."""

    file: str
    issues: list[Issue] = field(default_factory=list)

    def add(self, code: str, message: str, place: PlaceOf = NOWHERE, **kw: Any) -> None:
        if callable(place):
            place = place()
        self.issues.append(Issue.make(code, message, file=self.file, sheet=place.sheet, cell=place.cell,
                                      table=place.table, column=place.column, row=place.row, name=place.name, **kw))

    def choice(self, value: Any, choices: Sequence[str], *, what: str, code: str, place: PlaceOf,
               required: bool = True, match: Callable[[str], str | None] | None = None) -> str | None:
        """One of ``choices``; loose spellings (as ``match`` finds them, by default case and spacing)
        accepted with a warning."""
        text = cells.text(value)
        if text is None:
            if required:
                self.add(code, f"{what} is blank; pick one of: {', '.join(choices)}", place)
            return None
        if text in choices:
            return text
        choice = (match or (lambda typed: loose_choice(typed, choices)))(text)
        if choice is not None:
            self.add("value-normalised", f"{what} {text!r} read as {choice!r}", place)
            return choice
        self.add(code, f"{what} {text!r} is not one of: {', '.join(choices)}", place)
        return None

    def date(self, value: Any, *, what: str, place: PlaceOf) -> dt.date | None:
        """A date from a date cell, an Excel serial number or text like 14/11/2026."""
        try:
            read = cells.date(value)
        except cells.CellValueError as err:
            self.add(err.code, f"{what} {err}", place)
            return None
        if read is not None and read.as_text:
            self.add("value-normalised", f"{what} {cells.shown(value)} was typed as text; read as "
                     f"{read.value:%d/%m/%Y}", place)
        return None if read is None else read.value

    def number(self, value: Any, *, what: str, place: PlaceOf, minimum: Decimal | int | None = 0,
               required: bool = False) -> Decimal | None:
        """A number; numbers typed as text ("1,250", "£3,000") read with a warning."""
        try:
            read = cells.number(value, minimum=minimum)
        except cells.CellValueError as err:
            self.add(err.code, f"{what} {err}", place)
            return None
        if read is None:
            if required:
                self.add("incomplete-row", f"{what} is blank", place)
            return None
        if read.as_text:
            self.add("number-as-text", f"{what} {cells.shown(value)} was typed as text; read as {read.value}", place)
        return read.value

    def whole(self, value: Any, *, what: str, place: PlaceOf, minimum: int | None = 0) -> int | None:
        """A whole number (a count, months); a fraction is ``not-a-number``."""
        number = self.number(value, what=what, place=place, minimum=minimum)
        if number is None:
            return None
        if number != number.to_integral_value():
            self.add("not-a-number", f"{what} {number} is not a whole number", place)
            return None
        return int(number)
