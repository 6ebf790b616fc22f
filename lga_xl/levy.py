"""Apprenticeship Levy arithmetic for English employers (the rules and sources: ``docs/levy.md``).

Pure logic: standard library only, no Excel, pandas or file imports.  The levy
plan workbook implements the same formulas, and its tests compare the two to
the penny.

Money is ``decimal.Decimal``.  Amounts may be given as int, float, Decimal or a
numeric string; a float is read through ``repr`` so that ``2.675`` is the
decimal 2.675, as Excel and LibreOffice treat it.  Results are rounded half
away from zero to 0.01 (Excel's ``ROUND(x, 2)``) only at the points each
docstring names, and nowhere else.  Invalid input raises ``ValueError``.

Months are ``datetime.date`` values on the first of the month; functions that
take a month also accept any day of it, a ``datetime``, or an ISO string
(``"2026-08"`` or ``"2026-08-01"``).  Tax years are written ``"2026-27"``.

Example:
    >>> english_and_top_up = funds_entering(500_000, "0.9", on=date(2019, 3, 1))
    >>> english_and_top_up
    Decimal('495000.00')
    >>> transfer_allowance(english_and_top_up, transfer_rate(date(2019, 4, 6)))
    Decimal('123750.00')
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = [
    "CO_INVESTMENT_RATE",
    "EXPIRY_MONTHS",
    "FUNDING_RULES_START",
    "INSTALMENT_SHARE",
    "LEVY_ALLOWANCE",
    "LEVY_PAYER_CO_INVESTMENT_FROM",
    "LEVY_PAYER_CO_INVESTMENT_RATE",
    "LEVY_RATE",
    "LEVY_START",
    "MINIMUM_DURATION_MONTHS",
    "ORIGINAL_CO_INVESTMENT_RATE",
    "PUBLIC_SECTOR_TARGET_END",
    "PUBLIC_SECTOR_TARGET_RATE",
    "REDUCED_CO_INVESTMENT_FROM",
    "SHORT_EXPIRY_FROM",
    "SHORT_EXPIRY_MONTHS",
    "SHORT_MINIMUM_DURATION_FROM",
    "SHORT_MINIMUM_DURATION_MONTHS",
    "TOP_UP_END",
    "TOP_UP_RATE",
    "TRANSFER_RATES",
    "TRANSFER_RATE_DAY",
    "FundsCohort",
    "TransferPosition",
    "co_investment_rate",
    "entered_for_expiry",
    "even_monthly_levy",
    "expired_funds",
    "expiry_cohorts",
    "expiry_month",
    "funds_entering",
    "grown_pay_bill",
    "headroom_table",
    "levy_due",
    "minimum_duration_months",
    "monthly_levy",
    "normalise_tax_year",
    "opening_balance_cohorts",
    "parse_tax_year",
    "payment_schedule",
    "payments_between",
    "payments_in_tax_year",
    "pro_rata_share",
    "public_sector_target",
    "statutory_transfer_rate",
    "tax_year_of",
    "top_up_rate",
    "transfer_allowance",
    "transfer_headroom",
    "transfer_position",
    "transfer_rate",
]

Number = int | float | Decimal | str
DateLike = date | datetime | str

# Public API: rates and dates.  Each cites its public source (listed in docs/levy.md).

# HMRC "Pay Apprenticeship Levy": 0.5% of the annual pay bill, less a 15,000 GBP
# allowance that accrues 1/12 a month; the levy began with tax year 2017-18.
LEVY_RATE = Decimal("0.005")
LEVY_ALLOWANCE = Decimal("15000")
LEVY_START = date(2017, 4, 6)

# Government top-up on English levy: 10% for funds entering before 1 Aug 2026, none from
# then (DWP written answer 11 Feb 2026, PQ 110425; das-employer-finance
# CreateTopUpPercentages.sql).
TOP_UP_RATE = Decimal("0.10")
TOP_UP_END = date(2026, 8, 1)

# Funds expire 24 months after entering; funds entering from 1 Aug 2026 after 12 months
# (das-employer-finance ExpiredFunds.cs, EmployerFinanceConfiguration.cs and
# ExpireFundsExtensions.cs, which splits levy months at the policy change month).
EXPIRY_MONTHS = 24
SHORT_EXPIRY_MONTHS = 12
SHORT_EXPIRY_FROM = date(2026, 8, 1)

# Transfer allowance rates (GOV.UK "Transferring your apprenticeship levy to another
# business"; written answer 24 May 2024).  "April 2018" and "April 2019" are taken as the
# starts of tax years 2018-19 and 2019-20, because the allowance is set per tax year.
TRANSFER_RATES = (
    (date(2018, 4, 6), Decimal("0.10")),
    (date(2019, 4, 6), Decimal("0.25")),
    (date(2024, 4, 22), Decimal("0.50")),
)
# A tax year's allowance takes the rate in force at the end of its first tax month, 5 May
# (month, day): see statutory_transfer_rate.
TRANSFER_RATE_DAY = (5, 5)

# Provider payments: 80% of the price in equal monthly instalments, 20% on completion
# (help "Paying your training provider"; das-forecasting-tool EmployerCommitments.cs).
INSTALMENT_SHARE = Decimal("0.8")

# Minimum apprenticeship duration: 12 months; 8 months for starts from 1 Aug 2025
# (Skills England / DfE 2025 funding rules).
MINIMUM_DURATION_MONTHS = 12
SHORT_MINIMUM_DURATION_MONTHS = 8
SHORT_MINIMUM_DURATION_FROM = date(2025, 8, 1)

# Employer co-investment when levy funds run out, fixed by the apprenticeship's start
# date.  10% under the funding rules that began 1 May 2017 and 5% for starts from
# 1 April 2019 (GOV.UK "Apprenticeship funding"); 25% for levy payers from 1 Aug 2026
# (DWP written answer 11 Feb 2026).
FUNDING_RULES_START = date(2017, 5, 1)
ORIGINAL_CO_INVESTMENT_RATE = Decimal("0.10")
REDUCED_CO_INVESTMENT_FROM = date(2019, 4, 1)
CO_INVESTMENT_RATE = Decimal("0.05")
LEVY_PAYER_CO_INVESTMENT_FROM = date(2026, 8, 1)
LEVY_PAYER_CO_INVESTMENT_RATE = Decimal("0.25")

# Public sector apprenticeship target: starts of at least 2.3% of headcount, 2017-2021,
# extended to 31 March 2022; a voluntary benchmark since (SI 2017/513; GOV.UK "Public
# sector apprenticeship target").
PUBLIC_SECTOR_TARGET_RATE = Decimal("0.023")
PUBLIC_SECTOR_TARGET_END = date(2022, 3, 31)

_PENNY = Decimal("0.01")
_ZERO = Decimal("0")
_ZERO_PENCE = Decimal("0.00")  # a money result of nothing, shown to the penny
_ONE = Decimal("1")
_TAX_YEAR_LABEL = re.compile(r"^\s*(\d{4})\s*[-/]\s*(\d{2})\s*$")
# Loosely typed tax years: any dash (hyphen, en and em dashes, minus sign...), a slash or "to",
# then two or four digits.
_LOOSE_TAX_YEAR = re.compile(r"^\s*(\d{4})\s*(?:[-/\u2010-\u2015\u2212]|to)\s*(\d{4}|\d{2})\s*$", re.IGNORECASE)
_ISO_MONTH = re.compile(r"^\s*(\d{4})-(\d{2})(?:-(\d{2}))?\s*$")


# Public API: levy.


def levy_due(pay_bill: Number, allowance: Number = LEVY_ALLOWANCE) -> Decimal:
    """Annual Apprenticeship Levy due on an annual pay bill.

    Rounding: one point, ``ROUND(0.005 * pay_bill - allowance, 2)``, then floored
    at 0.  Excel: ``=MAX(0, ROUND(0.005*pay_bill - allowance, 2))``.

    Args:
        pay_bill: annual pay bill in GBP (earnings liable to Class 1 secondary
            NICs), 0 or more.
        allowance: this employer's share of the 15,000 GBP annual allowance
            (connected employers share one allowance), 0 to 15,000.

    Returns:
        The levy in GBP to the penny, never below 0.

    Raises:
        ValueError: a negative pay bill or an allowance outside 0 to 15,000.

    Example:
        >>> levy_due(3_000_000)
        Decimal('0.00')
        >>> levy_due(10_000_000)
        Decimal('35000.00')
    """
    pay_bill = _money(pay_bill, "pay_bill", minimum=_ZERO)
    allowance = _allowance(allowance)
    return max(_round_money(LEVY_RATE * pay_bill - allowance), _ZERO_PENCE)


def monthly_levy(
    monthly_pay_bills: Sequence[Number], annual_allowance: Number = LEVY_ALLOWANCE
) -> list[Decimal]:
    """Levy paid each tax month by HMRC's year-to-date method.

    Tax month 1 runs 6 April to 5 May.  For month m, the allowance to date is
    ``annual_allowance * m / 12`` (1,250 a month for the full 15,000), so unused
    allowance carries forward to later months of the same tax year; nothing
    carries into the next tax year (give each tax year its own list).

    ``levy to date(m) = max(0, ROUND(0.005 * pay bill to date(m) - allowance to date(m), 2))``
    and the month's payment is ``levy to date(m) - levy to date(m - 1)``.

    When the levy to date falls (a quiet month after a busy one), the payment is
    negative: HMRC's Apprenticeship Levy Manual ALM08300 shows such months as
    "-250", an amount the employer takes off its PAYE payment or holds as a
    credit.  The payments always sum to the levy to date of the last month.

    Rounding: the levy to date, once a month, as above; payments are exact
    differences of those rounded figures.

    Args:
        monthly_pay_bills: pay bill of each tax month from month 1, at most 12.
            A month may be negative (a correction) as long as the pay bill to
            date never is.
        annual_allowance: this PAYE scheme's share of the allowance, 0 to 15,000.

    Returns:
        The payment for each month given, in GBP.

    Raises:
        ValueError: more than 12 months, a negative pay bill to date, or an
            allowance outside 0 to 15,000.

    Example:
        >>> monthly_levy([200_000, 200_000, 500_000, 500_000, 200_000])
        [Decimal('0.00'), Decimal('0.00'), Decimal('750.00'), Decimal('1250.00'), Decimal('-250.00')]
    """
    if isinstance(monthly_pay_bills, (str, bytes)) or not isinstance(monthly_pay_bills, Sequence):
        raise ValueError("monthly_pay_bills must be a list of monthly pay bills")
    if len(monthly_pay_bills) > 12:
        raise ValueError(
            f"monthly_pay_bills has {len(monthly_pay_bills)} months; a tax year has 12 "
            "(unused allowance does not carry into the next tax year)"
        )
    annual_allowance = _allowance(annual_allowance, name="annual_allowance")
    payments = []
    pay_bill_to_date = _ZERO
    levy_before = _ZERO_PENCE
    for month, pay_bill in enumerate(monthly_pay_bills, start=1):
        pay_bill_to_date += _money(pay_bill, f"monthly_pay_bills[{month - 1}]")
        if pay_bill_to_date < 0:
            raise ValueError(f"the pay bill to tax month {month} is negative ({pay_bill_to_date})")
        allowance_to_date = annual_allowance * month / 12
        levy_to_date = max(_round_money(LEVY_RATE * pay_bill_to_date - allowance_to_date), _ZERO_PENCE)
        payments.append(levy_to_date - levy_before)
        levy_before = levy_to_date
    return payments


def even_monthly_levy(annual_levy: Number) -> Decimal:
    """A twelfth of an annual levy, to the penny: a level monthly forecast.

    Planning uses this when monthly pay bills are not known: the year's levy
    is spread evenly over its twelve months (the levy plan workbook's
    ``MonthlyLevy``).  The twelve months may differ from the year's levy by a
    few pence.

    Rounding: ``ROUND(annual_levy / 12, 2)``.

    Example:
        >>> even_monthly_levy(35_000), even_monthly_levy("0.06")
        (Decimal('2916.67'), Decimal('0.01'))
    """
    return _round_money(_money(annual_levy, "annual_levy") / 12)


def pro_rata_share(amount: Number, part: Number, whole: Number) -> Decimal:
    """A share of an amount in proportion ``part / whole``, to the penny.

    A school's share of its council's levy is taken pro rata to its pay bill
    (``docs/levy.md``, "Councils and schools"):
    ``pro_rata_share(council levy, school pay bill, council pay bill)``.

    Rounding: ``ROUND(amount * part / whole, 2)``; 0 when ``whole`` is 0.

    Raises:
        ValueError: a negative part or whole.

    Example:
        >>> pro_rata_share(235_000, 1_200_000, 50_000_000), pro_rata_share("0.01", 1, 2)
        (Decimal('5640.00'), Decimal('0.01'))
    """
    amount = _money(amount, "amount")
    part = _money(part, "part", minimum=_ZERO)
    whole = _money(whole, "whole", minimum=_ZERO)
    return _ZERO_PENCE if whole == 0 else _round_money(amount * part / whole)


# Public API: funds entering the account.


def top_up_rate(on: DateLike) -> Decimal:
    """Government top-up rate for levy funds entering an account on a date.

    Args:
        on: the date the funds enter the apprenticeship service account.

    Returns:
        ``Decimal('0.10')`` before 1 August 2026, ``Decimal('0')`` from then.

    Raises:
        ValueError: a date before the levy began (6 April 2017).

    Example:
        >>> top_up_rate(date(2026, 7, 31)), top_up_rate(date(2026, 8, 1))
        (Decimal('0.10'), Decimal('0'))
    """
    on = _as_date(on, "on")
    if on < LEVY_START:
        raise ValueError(f"no levy funds entered accounts before the levy began on {LEVY_START:%d %B %Y}")
    return TOP_UP_RATE if on < TOP_UP_END else _ZERO


def funds_entering(levy: Number, english_fraction: Number = 1, *, on: DateLike) -> Decimal:
    """Funds entering the apprenticeship service account for an amount of levy.

    ``english = ROUND(levy * english_fraction, 2)``, ``top_up = ROUND(english *
    top_up_rate(on), 2)``; the result is ``english + top_up``.  ``on`` is
    required: the top-up depends on when the funds enter.

    Rounding: the two points above, nothing else.

    Args:
        levy: levy paid in GBP; negative for an adjustment that takes funds back.
        english_fraction: share of the pay bill for staff living in England, 0 to 1.
        on: date the funds enter the account (keyword only).

    Returns:
        English levy plus top-up, in GBP.

    Raises:
        ValueError: an English fraction outside 0 to 1, or a date before the levy.

    Example:
        >>> funds_entering(500_000, "0.9", on=date(2025, 5, 1))
        Decimal('495000.00')
        >>> funds_entering(500_000, "0.9", on=date(2026, 8, 1))
        Decimal('450000.00')
    """
    levy = _money(levy, "levy")
    english_fraction = _fraction(english_fraction, "english_fraction")
    english = _round_money(levy * english_fraction)
    return english + _round_money(english * top_up_rate(on))


def grown_pay_bill(pay_bill: Number, growth: Number, years: int) -> Decimal:
    """A pay bill some tax years on, growing by the same share each year.

    Each year's pay bill is the year before's grown once and rounded:
    ``ROUND(previous * (1 + growth), 2)``, so a workbook can compute it one
    row (one year) from the last.  Excel: ``=ROUND(B5*(1+PayBillGrowth/100),2)``.

    Args:
        pay_bill: this tax year's pay bill in GBP, 0 or more.
        growth: yearly growth as a fraction (0.03 for 3%), -1 to 1.
        years: how many years on, 0 or more (0 gives the pay bill itself).

    Raises:
        ValueError: a negative pay bill or number of years, or growth outside -1 to 1.

    Example:
        >>> grown_pay_bill(50_000_000, "0.03", 2), grown_pay_bill("100.01", "0.5", 1)
        (Decimal('53045000.00'), Decimal('150.02'))
    """
    amount = _money(pay_bill, "pay_bill", minimum=_ZERO)
    growth = _money(growth, "growth")
    if not -_ONE <= growth <= _ONE:
        raise ValueError(f"growth must be a fraction between -1 and 1 (0.03 for 3%), not {growth}")
    for _ in range(_whole_number(years, "years", minimum=0)):
        amount = _round_money(amount * (_ONE + growth))
    return amount


# Public API: tax years.


def parse_tax_year(label: str) -> tuple[date, date]:
    """First and last day of a UK tax year written like ``"2026-27"``.

    A slash (``"2021/22"``, as in council strategies) is accepted too.

    Args:
        label: four-digit starting year, then the last two digits of the next year.

    Returns:
        ``(6 April of the first year, 5 April of the next)``.

    Raises:
        ValueError: a label not of that form, or years that do not follow on.

    Example:
        >>> parse_tax_year("2026-27")
        (datetime.date(2026, 4, 6), datetime.date(2027, 4, 5))
    """
    match = _TAX_YEAR_LABEL.match(label) if isinstance(label, str) else None
    if match is None:
        raise ValueError(f"tax year {label!r} is not written like '2026-27'")
    first_year, end_digits = int(match.group(1)), int(match.group(2))
    if (first_year + 1) % 100 != end_digits:
        raise ValueError(
            f"tax year {label!r}: {end_digits:02d} does not follow {first_year} "
            f"(expected '{first_year}-{(first_year + 1) % 100:02d}')"
        )
    return date(first_year, 4, 6), date(first_year + 1, 4, 5)


def tax_year_of(day: DateLike) -> str:
    """Label of the tax year (6 April to 5 April) that contains a date.

    Example:
        >>> tax_year_of(date(2027, 4, 5)), tax_year_of(date(2027, 4, 6))
        ('2026-27', '2027-28')
    """
    day = _as_date(day, "day")
    first_year = day.year if (day.month, day.day) >= (4, 6) else day.year - 1
    return f"{first_year}-{(first_year + 1) % 100:02d}"


def normalise_tax_year(text: str) -> str:
    """A tax year as typed by a person, written the one way lga_xl uses: ``"2026-27"``.

    Accepts the first year and then the next, as its last two digits or in
    full, separated by a hyphen, any dash (en dash, em dash, minus sign), a
    slash or the word "to" (GOV.UK writes "2026 to 2027"), with or without
    spaces.

    Raises:
        ValueError: naming what was typed, when it is not a tax year like that
            or the years do not follow on.

    Example:
        >>> [normalise_tax_year(t) for t in ("2026/27", " 2026 \\u2013 2027 ", "2026 to 2027", "2099-00")]
        ['2026-27', '2026-27', '2026-27', '2099-00']
    """
    match = _LOOSE_TAX_YEAR.match(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"tax year {text!r} is not written like '2026-27'")
    first_year, end = int(match.group(1)), match.group(2)
    following = first_year + 1 if len(end) == 4 else (first_year + 1) % 100
    if int(end) != following:
        raise ValueError(f"tax year {text!r}: {end} does not follow {first_year} "
                         f"(expected '{first_year}-{(first_year + 1) % 100:02d}')")
    return f"{first_year}-{(first_year + 1) % 100:02d}"


# Public API: transfers.


def transfer_rate(on: DateLike) -> Decimal:
    """Share of last tax year's funds that may be transferred, in force on a date.

    0 before transfers began (6 April 2018), then 10%; 25% from 6 April 2019;
    50% from 22 April 2024.

    Example:
        >>> transfer_rate(date(2024, 4, 21)), transfer_rate(date(2024, 4, 22))
        (Decimal('0.25'), Decimal('0.50'))
    """
    on = _as_date(on, "on")
    rate = _ZERO
    for starts, rate_from_then in TRANSFER_RATES:
        if on >= starts:
            rate = rate_from_then
    return rate


def statutory_transfer_rate(tax_year: str) -> Decimal:
    """Transfer rate that applies to a tax year's allowance.

    The rate in force at the end of the tax year's first tax month (5 May).
    This matters only for 2024-25: 25% applied from 6 to 21 April 2024 and 50%
    from 22 April, so the year counts as a 50% year, the rate that applied for
    all but its first 16 days.  Every other year has one rate throughout.

    Example:
        >>> statutory_transfer_rate("2023-24"), statutory_transfer_rate("2024-25")
        (Decimal('0.25'), Decimal('0.50'))
    """
    first_day, _ = parse_tax_year(tax_year)
    month, day = TRANSFER_RATE_DAY
    return transfer_rate(date(first_day.year, month, day))


def transfer_allowance(previous_year_funds: Number, rate: Number) -> Decimal:
    """Transfer allowance: a share of the funds that entered in the previous tax year.

    Rounding: ``ROUND(rate * previous_year_funds, 2)``.

    Args:
        previous_year_funds: English levy plus top-up that entered the account
            in the previous tax year, in GBP, 0 or more.
        rate: share that may be transferred, 0 to 1 (see ``transfer_rate``).

    Returns:
        The allowance in GBP.

    Example:
        >>> transfer_allowance(495_000, "0.25")
        Decimal('123750.00')
    """
    previous_year_funds = _money(previous_year_funds, "previous_year_funds", minimum=_ZERO)
    return _round_money(_fraction(rate, "rate") * previous_year_funds)


def transfer_headroom(previous_year_funds: Number, committed: Number, rate: Number) -> Decimal:
    """Transfer allowance still free: allowance minus commitments, never below 0.

    Rounding: only the allowance's (see ``transfer_allowance``); Excel:
    ``=MAX(0, ROUND(rate*funds, 2) - committed)``.  Use ``transfer_position``
    to see by how much commitments exceed the allowance.

    Args:
        previous_year_funds: funds that entered in the previous tax year, GBP.
        committed: transfer payments and pledges already committed this tax
            year, GBP, 0 or more.
        rate: transfer rate, 0 to 1.

    Example:
        >>> transfer_headroom(495_000, 100_000, "0.25")
        Decimal('23750.00')
    """
    return transfer_position(previous_year_funds, committed, rate).headroom


@dataclass(frozen=True)
class TransferPosition:
    """A tax year's transfer allowance against what is already committed.

    Attributes:
        rate: the transfer rate used.
        allowance: ``ROUND(rate * previous year's funds, 2)``.
        committed: transfers and pledges committed this tax year.
        headroom: ``max(0, allowance - committed)``.
        over_committed: ``max(0, committed - allowance)``; above 0 is an error
            to report (``docs/levy.md``: over-commitment).
    """

    rate: Decimal
    allowance: Decimal
    committed: Decimal
    headroom: Decimal
    over_committed: Decimal

    @property
    def is_over_committed(self) -> bool:
        """True when commitments exceed the allowance."""
        return self.over_committed > 0


def transfer_position(previous_year_funds: Number, committed: Number, rate: Number) -> TransferPosition:
    """Allowance, headroom and any over-commitment at one transfer rate.

    Rounding: only the allowance's; headroom and over-commitment are exact.

    Example:
        >>> position = transfer_position(495_000, 130_000, "0.25")
        >>> position.headroom, position.over_committed
        (Decimal('0.00'), Decimal('6250.00'))
    """
    rate = _fraction(rate, "rate")
    allowance = transfer_allowance(previous_year_funds, rate)
    committed = _money(committed, "committed", minimum=_ZERO)
    return TransferPosition(
        rate=rate,
        allowance=allowance,
        committed=committed,
        headroom=max(allowance - committed, _ZERO_PENCE),
        over_committed=max(committed - allowance, _ZERO_PENCE),
    )


def headroom_table(
    previous_year_funds: Number, committed: Number, tax_year: str
) -> dict[str, TransferPosition]:
    """Transfer positions at 10%, at 25% and at the statutory rate for a tax year.

    Args:
        previous_year_funds: funds that entered in the tax year before ``tax_year``.
        committed: transfers and pledges committed in ``tax_year``.
        tax_year: the year of the allowance, like ``"2026-27"``; its statutory
            rate is ``statutory_transfer_rate(tax_year)``.

    Returns:
        ``{"10%": ..., "25%": ..., "statutory": ...}`` in that order.

    Example:
        >>> table = headroom_table(495_000, 100_000, "2026-27")
        >>> [(key, position.headroom) for key, position in table.items()]
        [('10%', Decimal('0.00')), ('25%', Decimal('23750.00')), ('statutory', Decimal('147500.00'))]
    """
    return {
        "10%": transfer_position(previous_year_funds, committed, Decimal("0.10")),
        "25%": transfer_position(previous_year_funds, committed, Decimal("0.25")),
        "statutory": transfer_position(previous_year_funds, committed, statutory_transfer_rate(tax_year)),
    }


# Public API: paying training providers.


def payment_schedule(price: Number, start: DateLike, duration_months: int) -> dict[date, Decimal]:
    """Monthly payments to the provider for one apprenticeship, by month.

    ``instalment = ROUND(0.8 * price / duration_months, 2)`` is paid in each of
    the ``duration_months`` months after the start month, up to and including
    the planned end month (start month + duration).  The completion payment,
    ``price - duration_months * instalment``, is paid the month after the
    planned end month, so the payments add up to the price exactly.

    Rounding: the instalment only.

    Args:
        price: agreed total price in GBP, 0 or more.
        start: start date; only its month matters.
        duration_months: planned duration in whole months, 1 or more.

    Returns:
        ``{first day of month: amount}`` in date order, ``duration_months + 1``
        entries.

    Example:
        >>> for month, amount in payment_schedule(1000, date(2026, 1, 15), 3).items():
        ...     print(month, amount)
        2026-02-01 266.67
        2026-03-01 266.67
        2026-04-01 266.67
        2026-05-01 199.99
    """
    price = _money(price, "price", minimum=_ZERO)
    duration = _whole_number(duration_months, "duration_months", minimum=1)
    start_month = _as_month(start, "start")
    instalment = _round_money(INSTALMENT_SHARE * price / duration)
    schedule = {_add_months(start_month, offset): instalment for offset in range(1, duration + 1)}
    schedule[_add_months(start_month, duration + 1)] = price - duration * instalment
    return schedule


def payments_between(
    price: Number, start: DateLike, duration_months: int, first_month: DateLike, last_month: DateLike
) -> Decimal:
    """Sum of ``payment_schedule`` payments in the months first_month to last_month.

    Both ends are included and only their months matter.  No further rounding.

    Example:
        >>> payments_between(1000, date(2026, 1, 15), 3, date(2026, 4, 1), date(2026, 12, 1))
        Decimal('466.66')
    """
    first = _as_month(first_month, "first_month")
    last = _as_month(last_month, "last_month")
    if last < first:
        raise ValueError(f"last_month {last:%Y-%m} is before first_month {first:%Y-%m}")
    schedule = payment_schedule(price, start, duration_months)
    return sum((amount for month, amount in schedule.items() if first <= month <= last), _ZERO_PENCE)


def payments_in_tax_year(price: Number, start: DateLike, duration_months: int, tax_year: str) -> Decimal:
    """Sum of ``payment_schedule`` payments falling in a tax year.

    Payments are monthly, so a tax year is taken as its calendar months April
    to March (tax month 1, 6 April to 5 May, is mostly April).

    Example:
        >>> payments_in_tax_year(1000, date(2026, 1, 15), 3, "2025-26")
        Decimal('533.34')
    """
    first_day, last_day = parse_tax_year(tax_year)
    return payments_between(
        price, start, duration_months, date(first_day.year, 4, 1), date(last_day.year, 3, 1)
    )


# Public API: expiry of funds.


@dataclass(frozen=True)
class FundsCohort:
    """The funds that entered in one month, and what became of them.

    Attributes:
        entered: month the funds entered the account.
        expires: month they expire, ``entered`` + 24 or 12 months.
        amount: funds that entered, after negative levy months were taken off
            (never below 0).
        spent: spending matched against these funds.
        expiring: amount that expires in ``expires``: ``amount - spent``, or the
            recorded amount when the cohort is in ``already_expired``.
    """

    entered: date
    expires: date
    amount: Decimal
    spent: Decimal
    expiring: Decimal


def expiry_cohorts(
    funds_in: Mapping[DateLike, Number],
    spending: Mapping[DateLike, Number],
    expiry_months: int | None = None,
    *,
    already_expired: Mapping[DateLike, Number] | None = None,
) -> list[FundsCohort]:
    """Each month's funds matched against spending, oldest funds first.

    The Apprenticeship Service's calculation (das-employer-finance
    ``ExpiredFunds.GetExpiringFunds`` and ``ExpireFundsExtensions.GetExpiredFunds``):

    1. Refunds (negative spending months) reduce earlier positive spending,
       latest first; negative levy months likewise reduce earlier funds in.  An
       excess beyond the earlier positive months is dropped.
    2. Levy months form one group with ``expiry_months`` given, otherwise two:
       months before 1 Aug 2026 (24 months) and months from then (12 months).
       Negative levy months reduce only funds in their own group.  The 24-month
       group is matched against spending first.
    3. Within a group, each month's funds expire ``N`` months later and are
       reduced by spending dated up to and including that expiry month, oldest
       spending first; what is left expires.

    ``already_expired`` holds expiries already made, keyed by the month the
    funds entered (das keys them by expiry month: entered = expiry - N).  As in
    das, each such cohort first takes ``amount - recorded`` (if positive) from
    spending dated up to its expiry month, before the group's other cohorts, and
    its ``expiring`` is the recorded amount.

    Deliberately left out or different from das: das's ``today`` cut-off and its
    dropping of already-recorded months (filter the result instead); das reads
    spending in storage order, here it is sorted by date; under the 24/12 policy
    das applies refunds again in its 12-month run, here they count once; a
    non-zero recorded expiry for a month with no funds in raises ValueError (das
    ignores it; zero ones are ignored here too).  No rounding: amounts are used
    as given.

    Args:
        funds_in: ``{month: funds entering}`` (English levy plus top-up, and
            negative adjustments).
        spending: ``{month: payments from the account}``; negative for refunds.
        expiry_months: one expiry period for all funds; None for the 24/12 policy.
        already_expired: ``{month funds entered: amount already expired}``.

    Returns:
        One cohort per month of ``funds_in``: the 24-month group in date order,
        then the 12-month group.

    Example:
        >>> cohorts = expiry_cohorts({"2018-10": 10, "2018-11": 9}, {"2018-12": 12}, 2)
        >>> [(c.expires.isoformat(), c.spent, c.expiring) for c in cohorts]
        [('2018-12-01', Decimal('10'), Decimal('0')), ('2019-01-01', Decimal('2'), Decimal('7'))]
    """
    funds = _monthly_amounts(funds_in, "funds_in")
    recorded = _monthly_amounts(already_expired if already_expired is not None else {}, "already_expired")
    for month, amount in recorded.items():
        if amount < 0:
            raise ValueError(f"already_expired[{month:%Y-%m}] is negative ({amount})")
        if amount and month not in funds:
            raise ValueError(f"already_expired has {amount} for {month:%Y-%m}, a month with no funds in")
    spending_left = _SpendingQueue(_net_of_adjustments(_monthly_amounts(spending, "spending")))

    cohorts = []
    for months, period in _expiry_groups(funds, expiry_months):
        net_funds = _net_of_adjustments({month: funds[month] for month in months})
        amounts = {month: max(_ZERO, net) for month, net in net_funds.items()}
        # das settles cohorts already expired before any other cohort of the group.
        spent_by_recorded = {
            month: spending_left.take(
                max(_ZERO, amounts[month] - recorded[month]), _add_months(month, period)
            )
            for month in months
            if month in recorded
        }
        for month in months:
            expires = _add_months(month, period)
            if month in recorded:
                spent, expiring = spent_by_recorded[month], recorded[month]
            else:
                spent = spending_left.take(amounts[month], expires)
                expiring = amounts[month] - spent
            cohorts.append(FundsCohort(month, expires, amounts[month], spent, expiring))
    return cohorts


def expired_funds(
    funds_in: Mapping[DateLike, Number],
    spending: Mapping[DateLike, Number],
    expiry_months: int | None = None,
    *,
    already_expired: Mapping[DateLike, Number] | None = None,
) -> dict[date, Decimal]:
    """Funds expiring each month, as the Apprenticeship Service calculates them.

    See ``expiry_cohorts`` for the rules, the arguments and what differs from
    das.  Under the 24/12 policy, 24-month and 12-month funds can expire in the
    same month (August 2027 to July 2028); their amounts are added.

    For spending and funds that are never negative, the spending used is always
    a prefix of the spending in date order, so cohort k (in processing order,
    expiring in month x_k) uses ``min(F_k, max(0, S(<= x_k) - P))`` where S is
    cumulative spending and P what earlier cohorts used: the recurrence the
    levy plan workbook implements.

    Returns:
        ``{expiry month: amount expiring}`` in date order, months with nothing
        expiring left out.

    Example:
        >>> expired_funds({"2018-10": 10, "2018-11": 9}, {"2018-12": 12}, 2)
        {datetime.date(2019, 1, 1): Decimal('7')}
    """
    totals: dict[date, Decimal] = {}
    for cohort in expiry_cohorts(funds_in, spending, expiry_months, already_expired=already_expired):
        totals[cohort.expires] = totals.get(cohort.expires, _ZERO) + cohort.expiring
    return {month: totals[month] for month in sorted(totals) if totals[month] != 0}


def expiry_month(entered: DateLike) -> date:
    """Month in which funds entering in a month expire: 24 months on, 12 from August 2026.

    Excel: ``=EDATE(entered, IF(entered<DATE(2026,8,1),24,12))``.

    Example:
        >>> expiry_month("2026-07"), expiry_month("2026-08")
        (datetime.date(2028, 7, 1), datetime.date(2027, 8, 1))
    """
    month = _as_month(entered, "entered")
    return _add_months(month, EXPIRY_MONTHS if month < SHORT_EXPIRY_FROM else SHORT_EXPIRY_MONTHS)


def entered_for_expiry(expires: DateLike) -> date:
    """The month whose funds expire in ``expires``: 24 months before, or 12 when that is August 2026 or later.

    From August 2027 to July 2028 funds of both ages can expire in the same
    month; the older month is taken (a row of the account's expiring funds is
    read this way, see :func:`opening_balance_cohorts`). Excel:
    ``=IF(EDATE(M,-24)<DATE(2026,8,1),EDATE(M,-24),EDATE(M,-12))``.

    Example:
        >>> entered_for_expiry("2026-09"), entered_for_expiry("2028-09")
        (datetime.date(2024, 9, 1), datetime.date(2027, 9, 1))
    """
    return _entered_for_expiry(_as_month(expires, "expires"))


def opening_balance_cohorts(
    plan_start: DateLike,
    opening_balance: Number,
    previous_year_funds: Number | None,
    known_expiring: Mapping[DateLike, Number] | None = None,
) -> dict[date, Decimal]:
    """The months an opening balance entered the account, so that it can expire like any funds.

    The service spends the oldest funds first, so a balance is the newest
    funds.  The *live months* are the 24 months before the plan whose funds
    have not expired by the plan's first month (``expiry_month(m) >=
    plan_start``).  The balance is spread over them newest first, each month
    taking at most ``ROUND(previous_year_funds / 12, 2)`` (a month's funds
    last year), the oldest live month taking whatever is left.

    ``known_expiring`` holds what the account's finance page shows as due to
    expire: ``{expiry month: amount}``.  A row (M, A) says that A of the
    opening balance entered in the month whose funds expire in M: M - 24
    months, or M - 12 when M - 24 is August 2026 or later (from August 2027
    to July 2028 both could; the older month is taken).  Those months hold
    exactly the amounts given, and the rest of the balance is spread as above
    over the live months not covered.  If every live month is covered, the
    rest is placed in the month before the plan.

    With no previous-year funds (None or 0) there is nothing to size a month
    by: the whole uncovered balance is placed in the month before the plan,
    the latest it can expire.  The workbook's Instructions say so and the
    reader warns.

    Rounding: the monthly cap only; the oldest month takes an exact remainder,
    so the cohorts add up to the opening balance to the penny.

    Args:
        plan_start: the plan's first month (1 April of its tax year).
        opening_balance: funds in the account at the plan start, GBP, 0 or more.
        previous_year_funds: funds that entered in the previous tax year, or None.
        known_expiring: ``{month M: amount}`` of the opening balance due to
            expire in M, from the account's finance page.

    Returns:
        ``{month entered: amount}``, oldest first, months with nothing left out.

    Raises:
        ValueError: negative amounts; a known month before the plan start, or
            one whose funds entered after it; known amounts adding up to more
            than the opening balance (the workbook then ignores the table and
            the reader reports it).

    Example:
        >>> cohorts = opening_balance_cohorts("2026-04", 400_000, 258_000)
        >>> cohorts[date(2024, 9, 1)], cohorts[date(2026, 3, 1)], len(cohorts)
        (Decimal('13000.00'), Decimal('21500.00'), 19)
        >>> opening_balance_cohorts("2026-04", 1000, None, {"2026-05": 300})
        {datetime.date(2024, 5, 1): Decimal('300'), datetime.date(2026, 3, 1): Decimal('700')}
    """
    plan = _as_month(plan_start, "plan_start")
    balance = _money(opening_balance, "opening_balance", minimum=_ZERO)
    rest = balance
    cap = None
    if previous_year_funds is not None:
        funds = _money(previous_year_funds, "previous_year_funds", minimum=_ZERO)
        cap = _round_money(funds / 12) if funds > 0 else None
    cohorts = {}
    for expires, amount in _monthly_amounts(known_expiring or {}, "known_expiring").items():
        entered = _entered_for_expiry(expires)
        if expires < plan or entered >= plan:
            raise ValueError(
                f"known_expiring has {expires:%Y-%m}: no part of an opening balance at {plan:%Y-%m} can expire "
                f"then ({'it expired before the plan' if expires < plan else 'those funds enter after it starts'})"
            )
        if amount < 0:
            raise ValueError(f"known_expiring[{expires:%Y-%m}] is negative ({amount})")
        cohorts[entered] = amount
        rest -= amount
    if rest < 0:
        raise ValueError(f"known_expiring adds up to {sum(cohorts.values()):,} GBP, more than the opening "
                         f"balance of {balance:,} GBP")
    live = [_add_months(plan, -back) for back in range(1, EXPIRY_MONTHS + 1)]
    uncovered = [m for m in live if expiry_month(m) >= plan and m not in cohorts]
    if not uncovered:
        uncovered = [_add_months(plan, -1)]
    for index, month in enumerate(uncovered):  # newest first
        portion = rest if cap is None or index == len(uncovered) - 1 else min(cap, rest)
        cohorts[month] = cohorts.get(month, _ZERO) + portion
        rest -= portion
    return {month: cohorts[month] for month in sorted(cohorts) if cohorts[month] > 0}


# Public API: rules of the programme.


def public_sector_target(headcount: int, rate: Number = PUBLIC_SECTOR_TARGET_RATE) -> int:
    """Apprenticeship starts needed to meet the public sector target.

    ``ceil(headcount * rate)`` on the exact decimal product (Excel:
    ``=ROUNDUP(headcount*rate, 0)``), so a whole number of starts is never
    pushed up by binary float error.

    The statutory target (SI 2017/513) ran from 2017 to 31 March 2022; since
    then 2.3% is a benchmark for voluntary reporting.

    Args:
        headcount: staff in England at the start of the period, a whole number.
        rate: target share of headcount, 0 to 1.

    Example:
        >>> public_sector_target(1000), public_sector_target(1001)
        (23, 24)
    """
    headcount = _whole_number(headcount, "headcount", minimum=0)
    return math.ceil(headcount * _fraction(rate, "rate"))


def minimum_duration_months(start: DateLike) -> int:
    """Shortest planned duration allowed for an apprenticeship starting on a date.

    Example:
        >>> minimum_duration_months(date(2025, 7, 31)), minimum_duration_months(date(2025, 8, 1))
        (12, 8)
    """
    start = _as_date(start, "start")
    return SHORT_MINIMUM_DURATION_MONTHS if start >= SHORT_MINIMUM_DURATION_FROM else MINIMUM_DURATION_MONTHS


def co_investment_rate(start: DateLike, *, levy_payer: bool = True) -> Decimal:
    """Employer's share of training costs not covered by levy funds.

    Fixed by the apprenticeship's start date: 10% for starts from 1 May 2017,
    5% from 1 April 2019, and for levy payers 25% from 1 August 2026 (others
    stay at 5%).  Exemptions such as small employers' 16-18 year olds are not
    modelled.

    Raises:
        ValueError: a start before the levy funding rules (1 May 2017).

    Example:
        >>> co_investment_rate(date(2026, 8, 1)), co_investment_rate(date(2026, 8, 1), levy_payer=False)
        (Decimal('0.25'), Decimal('0.05'))
    """
    start = _as_date(start, "start")
    if start < FUNDING_RULES_START:
        raise ValueError(f"co-investment rules began on {FUNDING_RULES_START:%d %B %Y}; start is {start}")
    if start < REDUCED_CO_INVESTMENT_FROM:
        return ORIGINAL_CO_INVESTMENT_RATE
    if levy_payer and start >= LEVY_PAYER_CO_INVESTMENT_FROM:
        return LEVY_PAYER_CO_INVESTMENT_RATE
    return CO_INVESTMENT_RATE


# Private API.


class _SpendingQueue:
    """Positive spending by month, used oldest first."""

    def __init__(self, spending: Mapping[date, Decimal]) -> None:
        self._left = {month: amount for month, amount in sorted(spending.items()) if amount > 0}

    def take(self, wanted: Decimal, dated_up_to: date) -> Decimal:
        """Use up to ``wanted`` of the spending dated up to a month; return the amount used."""
        used = _ZERO
        for month, available in self._left.items():
            if month > dated_up_to or used == wanted:
                break
            portion = min(available, wanted - used)
            self._left[month] = available - portion
            used += portion
        return used


def _net_of_adjustments(flows: Mapping[date, Decimal]) -> dict[date, Decimal]:
    """Take each negative month off earlier positive months, latest first.

    Negative months are handled in date order and become 0; an excess beyond
    the earlier positive months is dropped, as in das.
    """
    net = dict(flows)
    for month in sorted(m for m, amount in flows.items() if amount < 0):
        remaining = -flows[month]
        for earlier in sorted((m for m in net if m < month and net[m] > 0), reverse=True):
            portion = min(net[earlier], remaining)
            net[earlier] -= portion
            remaining -= portion
            if remaining == 0:
                break
        net[month] = _ZERO
    return net


def _expiry_groups(funds: Mapping[date, Decimal], expiry_months: int | None) -> list[tuple[list[date], int]]:
    """Levy months in the order das matches them against spending, with their expiry period."""
    months = sorted(funds)
    if expiry_months is not None:
        return [(months, _whole_number(expiry_months, "expiry_months", minimum=1))]
    return [
        ([m for m in months if m < SHORT_EXPIRY_FROM], EXPIRY_MONTHS),
        ([m for m in months if m >= SHORT_EXPIRY_FROM], SHORT_EXPIRY_MONTHS),
    ]


def _entered_for_expiry(expires: date) -> date:
    """The month whose funds expire in ``expires``; the older one when two could (see expiry_month)."""
    entered = _add_months(expires, -EXPIRY_MONTHS)
    return entered if entered < SHORT_EXPIRY_FROM else _add_months(expires, -SHORT_EXPIRY_MONTHS)


def _monthly_amounts(amounts: Mapping[DateLike, Number], name: str) -> dict[date, Decimal]:
    if not isinstance(amounts, Mapping):
        raise ValueError(f"{name} must map months to amounts, not {type(amounts).__name__}")
    by_month: dict[date, Decimal] = {}
    for key, amount in amounts.items():
        month = _as_month(key, f"a month in {name}")
        if month in by_month:
            raise ValueError(f"{name} has more than one amount for {month:%Y-%m}")
        by_month[month] = _money(amount, f"{name}[{month:%Y-%m}]")
    return by_month


def _round_money(amount: Decimal) -> Decimal:
    """Excel's ROUND(amount, 2): to the penny, halves away from zero."""
    return amount.quantize(_PENNY, rounding=ROUND_HALF_UP)


def _money(value: Number, name: str, minimum: Decimal | None = None) -> Decimal:
    """An amount as an exact Decimal; floats by their shortest repr, like Excel."""
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a number, not {value!r}")
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            amount = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"{name} must be a number, not {value!r}") from None
    else:
        raise ValueError(f"{name} must be a number, not {type(value).__name__}")
    if not amount.is_finite():
        raise ValueError(f"{name} must be a finite number, not {value!r}")
    if minimum is not None and amount < minimum:
        raise ValueError(f"{name} must be {minimum} or more, not {value!r}")
    return amount


def _fraction(value: Number, name: str) -> Decimal:
    fraction = _money(value, name)
    if not _ZERO <= fraction <= _ONE:
        raise ValueError(f"{name} must be between 0 and 1 (e.g. 0.9 for 90%), not {value!r}")
    return fraction


def _allowance(value: Number, name: str = "allowance") -> Decimal:
    allowance = _money(value, name)
    if not _ZERO <= allowance <= LEVY_ALLOWANCE:
        raise ValueError(
            f"{name} must be between 0 and {LEVY_ALLOWANCE:,} GBP (connected employers share one "
            f"allowance), not {value!r}"
        )
    return allowance


def _whole_number(value: Number, name: str, minimum: int) -> int:
    number = _money(value, name)
    if number != number.to_integral_value():
        raise ValueError(f"{name} must be a whole number, not {value!r}")
    if number < minimum:
        raise ValueError(f"{name} must be {minimum} or more, not {value!r}")
    return int(number)


def _as_date(value: DateLike, name: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{name} {value!r} is not a date like '2026-08-01'") from None
    raise ValueError(f"{name} must be a date, not {type(value).__name__}")


def _as_month(value: DateLike, name: str) -> date:
    """First day of the month of a date, a datetime, or 'YYYY-MM' / 'YYYY-MM-DD'."""
    if isinstance(value, str):
        match = _ISO_MONTH.match(value)
        if match is None:
            raise ValueError(f"{name} {value!r} is not a month like '2026-08'")
        try:
            day = date(int(match.group(1)), int(match.group(2)), int(match.group(3) or 1))
        except ValueError:
            raise ValueError(f"{name} {value!r} is not a real date") from None
    else:
        day = _as_date(value, name)
    return day.replace(day=1)


@functools.lru_cache(maxsize=8192)  # a plan's forecast steps through the same few hundred months thousands of times
def _add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)
