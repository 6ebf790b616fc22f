"""What a cell holds, read the ways people type it: one module for every reader.

The workbook readers, the Excel functions and the CSV loaders all read values
through these functions, so ``£1,250.00`` in a return, in a UDF argument and
in a schools CSV is the same number, and a TRUE in a date cell is the same
error everywhere.  Pure standard library (the Excel functions run under
xlwings Lite).

Each reader returns ``None`` for a blank cell, a :class:`Typed` value for a
usable one (``as_text`` says the number or date was typed as text, which the
workbook's own formulas may not count), and raises :class:`CellValueError`
with an issue code and a short description for anything else.

Example:
    >>> number("£1,250.00")
    Typed(value=Decimal('1250.00'), as_text=True)
    >>> percent(95).value, percent("95%").value, percent(0.95).value
    (Decimal('0.95'), Decimal('0.95'), Decimal('0.95'))
    >>> date(46265).value
    datetime.date(2026, 8, 31)
    >>> date(True)
    Traceback (most recent call last):
    ...
    lga_xl.cells.CellValueError: TRUE is not a date; type it like 14/11/2026
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Generic, TypeVar

T = TypeVar("T")

EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 is 1 Jan 1900 (Excel's leap-year bug makes 1900-02-29 exist)
LAST_SERIAL = 2_958_465  # 31 Dec 9999
# Separators people type inside numbers: thousands commas, spaces (also the
# no-break and thin spaces Excel and Word put in), and the pound sign.
_NUMBER_NOISE = re.compile(r"[£,\s\u00a0\u2009\u202f]")
_TEXT_DATE_LAYOUTS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y", "%d/%m/%y")
_MONTH_ABBREVIATIONS = {"sept": "sep"}  # "1 Sept 2026": strptime knows only "Sep"
_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}
_HUNDRED = Decimal(100)


class CellValueError(ValueError):
    """A value that cannot be read as what was asked for.

    ``code`` is the issue code (``not-a-number``, ``bad-date``,
    ``negative-amount``, ``percent-out-of-range``, ``not-a-whole-number``);
    the message describes the value, for the caller to prefix with what it was.
    """

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Typed(Generic[T]):
    """A value read from a cell; ``as_text`` when it was typed as text."""

    value: T
    as_text: bool = False


def is_blank(value: Any) -> bool:
    """None, an empty string or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def shown(value: Any) -> str:
    """A value as the officer typed it, for messages: text quoted, TRUE as TRUE.

    Example:
        >>> shown(" Yes "), shown(True), shown(1.0), shown(2.5)
        ("' Yes '", 'TRUE', '1', '2.5')
    """
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, dt.datetime):
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def text(value: Any) -> str | None:
    """A cell as trimmed text (whole numbers without a spurious .0), None if blank.

    Example:
        >>> text("  Exampleshire "), text(100001.0), text(None)
        ('Exampleshire', '100001', None)
    """
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.date, dt.datetime)):
        value = value.isoformat()
    stripped = str(value).strip()
    return stripped or None


def number(value: Any, *, minimum: Decimal | int | None = None) -> Typed[Decimal] | None:
    """A number from a number cell or text like ``£1,250.00`` or `` 1 250 ``.

    Floats are read through their shortest repr, so 2.675 is the decimal
    2.675 as a spreadsheet treats it.

    Raises:
        CellValueError: ``not-a-number`` (text, TRUE/FALSE, a date) or
            ``negative-amount`` (below ``minimum``).

    Example:
        >>> number(" 1 250 "), number(2.5)
        (Typed(value=Decimal('1250'), as_text=True), Typed(value=Decimal('2.5'), as_text=False))
    """
    if is_blank(value):
        return None
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.datetime)):
        raise CellValueError("not-a-number", f"{shown(value)} is not a number")
    if isinstance(value, (int, float, Decimal)):
        amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        typed = Typed(amount)
    else:
        try:
            amount = Decimal(_NUMBER_NOISE.sub("", str(value)))
        except InvalidOperation:
            raise CellValueError("not-a-number", f"{shown(value)} is not a number") from None
        typed = Typed(amount, as_text=True)
    if not amount.is_finite():
        raise CellValueError("not-a-number", f"{shown(value)} is not a number")
    if minimum is not None and amount < minimum:
        raise CellValueError("negative-amount", f"is {_plain(amount)}; it cannot be below {minimum}")
    return typed


def whole(value: Any, *, minimum: int | None = 0) -> Typed[int] | None:
    """A whole number (a count, a duration in months, a level).

    Raises:
        CellValueError: as :func:`number`, or ``not-a-whole-number``.

    Example:
        >>> whole(12.0).value, whole("1,000").value
        (12, 1000)
    """
    read = number(value, minimum=minimum)
    if read is None:
        return None
    if read.value != read.value.to_integral_value():
        raise CellValueError("not-a-whole-number", f"{_plain(read.value)} is not a whole number")
    return Typed(int(read.value), read.as_text)


def percent(value: Any) -> Typed[Decimal] | None:
    """A percentage as a fraction from 0 to 1, however it was typed.

    In a percentage cell Excel stores 95% as 0.95.  A number above 1 and up
    to 100 is a percentage typed without its sign (95 is 95%); text like
    ``"95%"`` or ``"95"`` is read the same way.  Exactly 1 is 100%.

    Raises:
        CellValueError: ``not-a-number``, or ``percent-out-of-range`` below 0
            or above 100%.

    Example:
        >>> [str(percent(v).value) for v in (0.955, 95.5, "95.5%", 1, 100)]
        ['0.955', '0.955', '0.955', '1', '1']
    """
    if isinstance(value, str) and value.strip().endswith("%"):
        read = number(value.strip()[:-1])
        if read is None:
            raise CellValueError("not-a-number", f"{shown(value)} is not a percentage")
        fraction, as_text = read.value / _HUNDRED, True
    else:
        read = number(value)
        if read is None:
            return None
        fraction, as_text = read.value, read.as_text
        if 1 < fraction <= _HUNDRED:
            fraction = fraction / _HUNDRED
    if not 0 <= fraction <= 1:
        raise CellValueError("percent-out-of-range", f"{shown(value)} is outside 0% to 100%")
    return Typed(fraction, as_text)


def typed_without_sign(value: Any) -> bool:
    """True when a percentage cell holds a number above 1: 95 typed for 95%.

    Example:
        >>> typed_without_sign(95), typed_without_sign(0.95), typed_without_sign("95%")
        (True, False, False)
    """
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) and 1 < value <= 100


def date(value: Any) -> Typed[dt.date] | None:
    """A date from a date cell, an Excel serial number or text like 01/09/2026.

    Text is read day first (the UK way), as ``2026-09-01`` or ``1 Sept 2026``.

    Raises:
        CellValueError: ``bad-date`` for anything else (TRUE included).

    Example:
        >>> date("1 Sept 2026"), date(dt.datetime(2026, 9, 1, 12, 0)).value
        (Typed(value=datetime.date(2026, 9, 1), as_text=True), datetime.date(2026, 9, 1))
    """
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return Typed(value.date())
    if isinstance(value, dt.date):
        return Typed(value)
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        if 1 <= value <= LAST_SERIAL:
            return Typed(EXCEL_EPOCH + dt.timedelta(days=int(value)))
        raise CellValueError("bad-date", f"{shown(value)} is not a date; type it like 14/11/2026")
    if isinstance(value, str):
        typed = " ".join(value.split())
        for word, replacement in _MONTH_ABBREVIATIONS.items():
            typed = re.sub(rf"\b{word}\b", replacement, typed, flags=re.IGNORECASE)
        for layout in _TEXT_DATE_LAYOUTS:
            try:
                return Typed(dt.datetime.strptime(typed, layout).date(), as_text=True)
            except ValueError:
                continue
    raise CellValueError("bad-date", f"{shown(value)} is not a date; type it like 14/11/2026")


def serial(day: dt.date) -> int:
    """The Excel serial number of a date.

    Example:
        >>> serial(dt.date(2026, 8, 31))
        46265
    """
    return (day - EXCEL_EPOCH).days


def serial_moment(moment: dt.datetime) -> float:
    """The Excel serial number of a date and time of day (to the second).

    Example:
        >>> serial_moment(dt.datetime(2026, 8, 31, 18))
        46265.75
    """
    return serial(moment.date()) + (moment - dt.datetime.combine(moment.date(), dt.time())).seconds / 86400


def boolean(value: Any) -> Typed[bool] | None:
    """TRUE/FALSE, or text Yes/No, True/False, Y/N, 1/0.

    Raises:
        CellValueError: ``not-a-number`` for anything else.

    Example:
        >>> boolean("Yes").value, boolean(False).value
        (True, False)
    """
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return Typed(value)
    folded = str(int(value) if isinstance(value, float) and value.is_integer() else value).strip().casefold()
    if folded in _TRUE:
        return Typed(True, as_text=not isinstance(value, (int, float)))
    if folded in _FALSE:
        return Typed(False, as_text=not isinstance(value, (int, float)))
    raise CellValueError("not-a-number", f"{shown(value)} is not Yes or No")


def _plain(amount: Decimal) -> str:
    """A Decimal as a person writes it: 1250, 2.5 (no exponent, no trailing .0)."""
    text_form = format(amount, "f")
    return text_form.rstrip("0").rstrip(".") if "." in text_form else text_form
