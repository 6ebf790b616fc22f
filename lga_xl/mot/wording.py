"""How the MOT writes its figures: one place, so the report, the workbook and the findings agree.

Rounding is half away from zero (as Excel's ROUND), applied only when a
figure is written: percentages to whole numbers (one place below 10%),
money to whole pounds, scores to at most two places.

Example:
    >>> percent(0.375), percent(0.0125), money(142000.4), score(2.5), score(2.354), long_date(dt.date(2026, 3, 2))
    ('38%', '1.3%', '£142,000', '2.5', '2.35', '2 March 2026')
    >>> councils(1), councils(12)
    ('1 council', '12 councils')
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from ..reference import REGIONS


def half_up(value: float | Decimal, places: int = 0) -> Decimal:
    """``value`` rounded half away from zero.  A float is first cut to 9 places, so that binary noise
    (1 - (0.62 + 0.79) / 2 is 0.29499999999999993) cannot turn a true half (29.5%) into a round-down.

    Example:
        >>> half_up(100 * (1 - (0.62 + 0.79) / 2))
        Decimal('30')
    """
    exponent = Decimal(1).scaleb(-places)
    exact = Decimal(repr(value)).quantize(Decimal("1e-9")) if isinstance(value, float) else Decimal(value)
    return exact.quantize(exponent, rounding=ROUND_HALF_UP)


def percent(share: float | None, places: int | None = None) -> str:
    """A share (0.375) as a percentage ('38%'); one decimal place below 10% unless ``places`` is given."""
    if share is None:
        return "no figure"
    value = 100 * share
    if places is None:
        places = 1 if abs(value) < 10 and half_up(value, 1) != half_up(value) else 0
    return f"{half_up(value, places)}%"


def money(amount: float | Decimal | None) -> str:
    if amount is None:
        return "no figure"
    pounds = half_up(amount)
    return f"{'-' if pounds < 0 else ''}£{abs(pounds):,}"


def score(value: float | None) -> str:
    """A score on the 1 to 4 scale, to at most two places: '2.5', '2.35', '3'."""
    if value is None:
        return "no figure"
    text = f"{half_up(value, 2):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def mean(value: float | None) -> str:
    """A mean score as a table shows it: always two places ('2.30'), so a column lines up."""
    return "no figure" if value is None else f"{half_up(value, 2)}"


def count(value: float | None) -> str:
    if value is None:
        return "no figure"
    return f"{half_up(value):,}"


def long_date(day: dt.date | None) -> str:
    return "date not recorded" if day is None else f"{day.day} {day:%B %Y}"


def councils(n: int) -> str:
    return f"{n} council{'' if n == 1 else 's'}"


def plural(n: int, noun: str, many: str | None = None) -> str:
    """'1 strand', '3 strands'; ``many`` for irregular plurals."""
    return f"{n} {noun if n == 1 else many or noun + 's'}"


def listing(items: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'; semicolons when an item has a comma of its own
    ('Planning, Delivery Structures and Processes'), so the list still reads as a list."""
    if len(items) <= 1:
        return "".join(items)
    if any("," in item for item in items):
        return f"{'; '.join(items[:-1])}; and {items[-1]}" if len(items) > 2 else f"{items[0]}; and {items[1]}"
    return f"{', '.join(items[:-1])} and {items[-1]}"


def figure(value: float | None, unit: str) -> str:
    """A value written in its unit: 'score', 'mean' (a score to two places), 'money', 'percent' or 'count'."""
    return {"score": score, "mean": mean, "money": money, "percent": percent, "count": count}[unit](value)


def in_area(area: str) -> str:
    """'in the East of England', 'in London', 'in England'."""
    # Compass-point regions take "the"; London, Yorkshire and the Humber and England do not.
    the = area in REGIONS and area not in ("London", "Yorkshire and the Humber")
    return f"in {'the ' if the else ''}{area}"
