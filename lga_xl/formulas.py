"""Writing policy numbers into Excel formulas from the constants the Python uses.

A formula never spells a policy number by hand: a date comes from
:func:`excel_date`, a rate from :func:`ratio` (exact integers, because
``x*23/1000`` stays exact in spreadsheet arithmetic where ``x*0.023`` may
not).  Pure standard library.

Example:
    >>> import datetime as dt
    >>> from decimal import Decimal
    >>> excel_date(dt.date(2026, 8, 1)), ratio(Decimal("0.023")), ratio(Decimal("0.10"))
    ('DATE(2026,8,1)', (23, 1000), (1, 10))
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction


def excel_date(day: dt.date) -> str:
    """``DATE(y,m,d)`` for a date."""
    return f"DATE({day.year},{day.month},{day.day})"


def ratio(rate: Decimal) -> tuple[int, int]:
    """A decimal rate as the smallest whole numerator and denominator."""
    fraction = Fraction(rate)
    return fraction.numerator, fraction.denominator


def whole(amount: Decimal) -> str:
    """A whole amount as a formula writes it (``3000000``)."""
    if amount != amount.to_integral_value():
        raise ValueError(f"{amount} is not a whole number")
    return str(int(amount))
