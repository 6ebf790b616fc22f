"""Reading typed values out of cells, reporting anything odd as an issue.

Each reader takes a raw cell value (as calamine returns it) and a
:class:`Place` to blame, and returns the clean value, appending issues to a
list instead of raising: one bad cell never stops the rest of the file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from ..issues import Issue
from ..text import loose_choice

EXCEL_EPOCH = dt.date(1899, 12, 30)


def as_text(value: Any) -> str | None:
    """A cell as trimmed text (numbers without a spurious .0), None if blank."""
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.date, dt.datetime)):
        value = value.isoformat()
    text = str(value).strip()
    return text or None


@dataclass
class Collector:
    """Issues found in one file, each named with that file."""

    file: str
    issues: list[Issue] = field(default_factory=list)

    def add(self, code: str, message: str, sheet: str | None = None, cell: str | None = None, **kw: Any) -> None:
        self.issues.append(Issue.make(code, message, file=self.file, sheet=sheet, cell=cell, **kw))

    def choice(
        self, value: Any, choices: Sequence[str], *, what: str, code: str, sheet: str | None, cell: str | None,
        required: bool = True,
    ) -> str | None:
        """One of ``choices``; loose spellings accepted with a warning."""
        text = as_text(value)
        if text is None:
            if required:
                self.add(code, f"{what} is blank; pick one of: {', '.join(choices)}", sheet, cell)
            return None
        if text in choices:
            return text
        choice = loose_choice(text, choices)
        if choice is not None:
            self.add("value-normalised", f"{what} {text!r} read as {choice!r}", sheet, cell)
            return choice
        self.add(code, f"{what} {text!r} is not one of: {', '.join(choices)}", sheet, cell)
        return None

    def date(self, value: Any, *, what: str, sheet: str | None, cell: str | None) -> dt.date | None:
        """A date from a date cell, an Excel serial number or text like 14/11/2026."""
        if value is None or value == "":
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, (int, float)) and 1 <= value < 2958466:
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        text = str(value).strip()
        for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d %B %Y", "%d %b %Y", "%d.%m.%Y"):
            try:
                parsed = dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
            self.add("value-normalised", f"{what} {text!r} was typed as text; read as {parsed:%d/%m/%Y}", sheet, cell)
            return parsed
        self.add("bad-date", f"{what} {text!r} is not a date; type it like 14/11/2026", sheet, cell)
        return None

    def number(
        self, value: Any, *, what: str, sheet: str | None, cell: str | None, minimum: float | None = 0,
        required: bool = False,
    ) -> Decimal | None:
        """A number; numbers typed as text ("1,250", "£3,000") read with a warning."""
        if value is None or value == "" or (isinstance(value, str) and not value.strip()):
            if required:
                self.add("incomplete-row", f"{what} is blank", sheet, cell)
            return None
        if isinstance(value, bool):
            self.add("not-a-number", f"{what} {value!r} is not a number", sheet, cell)
            return None
        if isinstance(value, (int, float)):
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        else:
            cleaned = re.sub(r"[£,\s]", "", str(value))
            try:
                number = Decimal(cleaned)
                if not number.is_finite():
                    raise InvalidOperation
            except InvalidOperation:
                self.add("not-a-number", f"{what} {str(value)!r} is not a number", sheet, cell)
                return None
            self.add("number-as-text", f"{what} {str(value)!r} was typed as text; read as {number}", sheet, cell)
        if minimum is not None and number < minimum:
            self.add("negative-amount", f"{what} is {number}; it cannot be below {minimum}", sheet, cell)
            return None
        return number
