"""The schools apprenticeship levy plan workbook (template 2.0), laid out from its contract.

A council is the levy employer for the staff of its community, voluntary
controlled, community special and local authority nursery schools and pupil
referral units (see ``docs/levy.md``); this workbook plans how the council's
levy is spent, by the council and those schools, what may be transferred,
and forecasts the account month by month for 48 months: funds in, payments
to providers, transfers and pledges, co-investment when the account runs
short, and funds that expire.

The contract (sheets, names, tables, columns and row checks) is
:mod:`lga_xl.contracts.levy_plan`.  Every formula mirrors :mod:`lga_xl.levy`
and :mod:`lga_xl.forecast` with ``ROUND(x, 2)`` at the same points (the
formula plan is in ``docs/levy.md``), and every policy number in a formula is
rendered from :mod:`lga_xl.levy`'s constants; :mod:`lga_xl.readers.levy_plan`
recomputes everything in Python and the LibreOffice tests compare the two to
the penny.  The look is the house style (:mod:`lga_xl.writers.style`).

Example:
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "plan.xlsx"
    >>> new_levy_plan(path, org_name="Exampleshire County Council", tax_year="2026-27").name
    'plan.xlsx'
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from importlib import resources
from pathlib import Path

from openpyxl.chart import LineChart, Reference
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import PatternFill
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .. import a1, cells, levy
from ..contract import Block, Table
from ..contracts import levy_plan as spec
from ..contracts.levy_plan import (
    CONTRACT,
    EXPIRING_FUNDS,
    EXPIRY,
    FIGURES,
    FORECAST,
    FUNDING_BANDS,
    OPENING,
    OPENING_WORKINGS,
    PLANNED_STARTS,
    SCHOOLS,
    STANDARDS,
    TRANSFERS,
    USED,
    YEARS,
    plan_start_of,
)
from ..formulas import excel_date, ratio, whole
from ..readers.levy_plan import read_levy_plan_package
from ..reference import EMPLOYER_COUNCIL, establishment_type
from ..schools import SchoolEntry, SchoolsCsvError, load_schools_csv  # the CSV loader lives in lga_xl.schools
from ..standards import SAMPLE_EXPORT_FILE, Standard, sample_export
from . import common as c
from . import style
from .readback import UnsavedPackage

__all__ = [
    "SchoolEntry",
    "SchoolsCsvError",
    "StartEntry",
    "TransferEntry",
    "load_schools_csv",
    "new_levy_plan",
    "sample_levy_plan",
]

TITLE = "Schools apprenticeship levy plan"
Number = int | float | Decimal | str
_NO_BREAK_SPACE = "\u00a0"
_CHART_HEIGHT_CM = 8.5
_NOTE_CAP = 55.0  # characters: notes beside figures wrap at this width
_HIDDEN_HEADER = replace(style.TABLE_HEADER, wrap=False)
_MONTH_RESULT = replace(style.CALCULATED, horizontal="right")  # "None" lines up with the months it stands for
_LARGE_MONEY = Decimal("999999999.99")  # the widest amount a council's figures take (a pay bill)
# What an empty input column may come to hold, so that its width fits it (fit_columns measures the cells).
_INPUT_SAMPLES = {"money": _LARGE_MONEY, "date": dt.date(2026, 12, 30), "month": dt.date(2026, 5, 1),
                  "whole": 999_999}
# Widths (characters) of the costed tables' text columns: a school, a standard as its dropdown shows it.
_TEXT_WIDTHS = {"school": 26, "type": 11, "recipient": 28, "standard": 36, "title": 24}
# The Forecast columns the chart draws, month by month.
_CHARTED = ("funds_in", "transfers_out", "training_from_levy", "expired", "balance")


def _day(day: dt.date) -> str:
    """1 August 2026 (strftime's %-d is not portable)."""
    return f"{day.day} {day:%B %Y}"


INSTRUCTIONS = (
    (
        "What this workbook is",
        (
            "A plan for the council's apprenticeship levy: what the council pays, what enters its apprenticeship "
            "service account, how the council and its schools plan to spend it, what may be transferred, and a "
            "48-month forecast of the account: funds in, payments to providers, transfers and pledges, "
            "co-investment when the account runs short, and funds that would expire unspent.",
            "The council employs the staff of community, voluntary controlled, community special and local "
            "authority nursery schools and pupil referral units: their pay bill is in the council's levy and their "
            "apprenticeships are paid from its account. Other schools (foundation, voluntary aided, academies, free "
            "schools) employ their own staff and are flagged 'Not in council levy'.",
        ),
    ),
    (
        "How to fill it in",
        (
            "1. Plan: fill in the yellow cells; beside them is the value the figures use (95%, 0.95 and 95 all "
            "mean 95%). The tax year is fixed: a new tax year needs a new workbook.",
            "2. Schools: one row per school: URN, name, type (from the list), pay bill and headcount.",
            "3. Starts: one row per planned start. Pick the school (blank for the council's own staff) and the "
            "standard: the title, level and funding band fill in.",
            "4. Transfers: one row per transfer to another employer or approved pledge application.",
            "5. Expiry: list the funds your account's finance page shows as due to expire, if any.",
            "6. Read the Forecast, especially the funds expiring and the months funds run short.",
            "Only the yellow cells can be changed (the sheets are protected without a password). A row with a "
            "problem says so in its Check column. Do not rename sheets, tables or columns.",
        ),
    ),
    (
        "How the figures are worked out",
        (
            "Levy: 0.5% of the whole council's pay bill (schools included) less the levy allowance (15,000 unless "
            "shared with connected employers), never below 0, to the penny.",
            "Funds entering: each month a twelfth of the year's levy, to the penny, times the English percentage, "
            f"plus a 10% government top-up for funds entering before {_day(levy.TOP_UP_END)} and none from then. "
            "The plan year is April to March. In the forecast's later years the pay bill grows by the growth you "
            "give (0% holds the levy flat, as the apprenticeship service's own forecast does).",
            "Provider payments: 80% of the price, capped at the standard's funding band maximum on the start date, "
            "in equal monthly instalments from the month after the start month to the planned end month, the rest "
            "on completion the month after. A price above the band is the employer's. In-year cost is what falls "
            "in the plan year.",
            "Schools: a council-employed school's share of the levy paid and of the funds entering is in proportion "
            "to its pay bill; its planned spend is the in-year cost of its starts.",
            "Transfers: the allowance is a share (50% since 22 April 2024; 10% and 25% in earlier years, shown for "
            "comparison) of the funds that entered last tax year. Transfers, approved pledge applications and "
            "what is already committed count against it. Headroom is what is left, never below 0.",
            "Each month transfers and pledges are paid first, then the council's training, from the balance at the "
            "end of the month before; the month's funds arrive after. Training the balance cannot pay is "
            "co-invested: the employer pays 5% (10% for starts before April 2019; 25% for starts from 1 August "
            "2026 by a levy payer), the government the rest. A transfer it cannot pay is not made.",
            f"Expiry: funds expire 24 months after they enter, or 12 months from {_day(levy.SHORT_EXPIRY_FROM)}; "
            "the oldest are used first, as the apprenticeship service does. The opening balance, the newest "
            "funds, is placed in the months before the plan, a twelfth of last year's funds a month, newest first, "
            "unless the Expiry sheet lists what is due to expire. Without last year's funds it is all placed in "
            "March, the latest it can enter, so less may expire than will.",
            "2.3% of headcount, rounded up, is the former public sector target of starts, which ended on "
            "31 March 2022; councils still report their starts against headcount.",
            f"Minimum duration: {levy.MINIMUM_DURATION_MONTHS} months, or {levy.SHORT_MINIMUM_DURATION_MONTHS} for "
            f"starts from {_day(levy.SHORT_MINIMUM_DURATION_FROM)}. A start before the plan year is flagged; its "
            "payments from the plan start are forecast.",
        ),
    ),
    (
        "What to send back",
        (
            "Save the workbook as .xlsx (not .xls or PDF, no password) and send it to your adviser: the import "
            "recalculates every figure and says which cell needs fixing.",
        ),
    ),
)


@dataclass(frozen=True)
class StartEntry:
    """A row of the PlannedStarts table; ``urn`` None for the council's own staff.

    The standard and school are written as their dropdowns show them
    ("ST0454 Teaching assistant (level 3)", "100001 - Ash Primary") when the
    plan lists them, otherwise as given.
    """

    standard: str | None
    start_date: dt.date | None
    duration_months: int | None
    price: Number | None
    urn: int | str | None = None


@dataclass(frozen=True)
class TransferEntry:
    """A row of the Transfers table: a transfer or an approved pledge application (``type``)."""

    recipient: str | None
    standard: str | None
    start_date: dt.date | None
    duration_months: int | None
    price: Number | None
    type: str | None = spec.TRANSFER


# Public API.


def new_levy_plan(
    path: str | Path,
    *,
    org_name: str | None = None,
    region: str | None = None,
    tax_year: str = "2026-27",
    total_pay_bill: Number | None = None,
    english_percent: Number | None = None,
    levy_allowance: Number | None = levy.LEVY_ALLOWANCE,
    pay_bill_growth: Number | None = 0,
    headcount: Number | None = None,
    previous_year_funds: Number | None = None,
    opening_balance: Number | None = None,
    transfers_committed: Number | None = None,
    expiring_funds: Mapping[dt.date, Number] | Sequence[tuple[object, object]] = (),
    schools: Sequence[SchoolEntry] = (),
    starts: Sequence[StartEntry] = (),
    transfers: Sequence[TransferEntry] = (),
    standards: Sequence[Standard] | None = None,
    standards_source: str | None = None,
    rows: Mapping[str, int] | None = None,
) -> Path:
    """Write a levy plan workbook; blank, or pre-filled for demos and tests.

    Args:
        path: where to write the .xlsx file.
        org_name: the council's name (written as text, never as a formula).
        region: one of the nine English regions, or None.
        tax_year: the plan's tax year, like ``"2026-27"``, from 2018-19 to 2098-99.
        total_pay_bill ... transfers_committed: the Plan sheet's figures,
            written as given (None leaves the cell blank). Percentages as the
            cell holds them: 0.985 for 98.5% (98.5 is read as 98.5% too, with
            a warning).
        expiring_funds: ``{month: amount}`` (or pairs) for the ExpiringFunds table.
        schools, starts, transfers: rows for the input tables; each table
            keeps its standard size with at least SPARE_ROWS blank rows.
        standards: the standards list for the Standards sheet (every status:
            a start on a retired one is flagged); the illustrative sample,
            with a banner saying so, when None.
        standards_source: where ``standards`` came from, shown on the sheet.
        rows: data rows of the Schools, PlannedStarts and Transfers tables by
            table name (``{"PlannedStarts": 300}`` for a council planning
            more starts); each keeps at least its entries and SPARE_ROWS blank
            rows; the contract's sizes (60, 150 and 20) when not given.

    Raises:
        ValueError: a tax year not like ``2026-27``, or outside 2018-19 to 2098-99.

    Example:
        >>> import tempfile, pathlib, datetime
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "filled.xlsx"
        >>> new_levy_plan(out, org_name="Exampleshire", total_pay_bill=250_000_000, english_percent=1,
        ...               starts=[StartEntry("ST0070", datetime.date(2026, 9, 1), 12, 5000)]).exists()
        True
    """
    plan_start = plan_start_of(tax_year)
    sample_date = None
    if standards is None:
        standards, sample_date = sample_export(include_inactive=True), _sample_figures_date()
        standards_source = f"the illustrative sample shipped with lga_xl (figures as at {_day(sample_date)})"
    source = standards_source or "a file supplied when the workbook was made"
    banner = None if sample_date is None else (
        f"Illustrative funding bands: the standards and bands in this workbook are a sample, with figures as at "
        f"{_day(sample_date)}, for trying the plan out. Ask your adviser for a plan made with the current "
        "standards list before you rely on the figures.")
    wb = c.new_workbook(TITLE)
    style.use_house_font(wb)
    _instructions_sheet(wb)
    _plan_sheet(wb, banner, {
        "OrgName": org_name, "Region": region, "TaxYear": tax_year, "PlanStart": plan_start,
        "TotalPayBill": total_pay_bill, "EnglishPercent": english_percent, "LevyAllowance": levy_allowance,
        "PayBillGrowth": pay_bill_growth, "Headcount": headcount, "PreviousYearFunds": previous_year_funds,
        "OpeningBalance": opening_balance, "TransfersCommitted": transfers_committed,
    })
    sizes = {table.name: (rows or {}).get(table.name, table.rows) for table in (SCHOOLS, PLANNED_STARTS, TRANSFERS)}
    known_standards = {s.reference.casefold(): s for s in standards}
    school_names = {str(s.urn).strip(): s.name for s in schools}
    _schools_sheet(wb, schools, sizes[SCHOOLS.name])
    _costed_sheet(wb, PLANNED_STARTS, sizes[PLANNED_STARTS.name],
                  [_start_values(s, known_standards, school_names) for s in starts],
                  "Planned apprenticeship starts",
                  "One row per planned start. Pick the school (leave it blank for the council's own staff) and the "
                  "standard: its title, level and funding band fill in. Levy funds pay up to the band; any excess is "
                  "the employer's.", banner)
    _costed_sheet(wb, TRANSFERS, sizes[TRANSFERS.name], [_transfer_values(t, known_standards) for t in transfers],
                  "Transfers and pledges to other employers",
                  "One row per apprenticeship you plan to fund by a transfer, or an approved pledge application. "
                  "Their cost this year counts against the transfer allowance (see the headroom on the Plan sheet).",
                  None)
    _forecast_sheet(wb, tax_year)
    _expiry_sheet(wb, _expiring_rows(expiring_funds))
    _standards_sheet(wb, standards, source, banner)
    c.add_lists_sheet(wb, CONTRACT.lists)
    c.add_metadata_sheet(wb, CONTRACT.kind, CONTRACT.version, {"tax_year": tax_year, "standards_source": source})
    _cache_forecast_chart(wb)
    wb.active = 0  # opens on the Instructions
    return c.save(wb, path)


# Standards of the illustrative sample a plan is filled with: approved for delivery, banded by start date.
_SCHOOL_STANDARDS = ("ST0454", "ST0135", "ST0551", "ST0575", "ST0888", "ST0070", "ST0617", "ST0490")
_COUNCIL_STANDARDS = ("ST0070", "ST0005", "ST0006", "ST0008", "ST0384", "ST0385", "ST0002", "ST0118", "ST0310",
                      "ST0510", "ST0602", "ST0053", "ST0906", "ST0088", "ST0071", "ST0608")


def sample_levy_plan(path: str | Path, *, org_name: str | None = None, region: str | None = None,
                     seed: int = 0) -> Path:
    """A realistic, valid filled plan for 2026-27: for demos and benchmarks.

    A dozen council-employed schools, a few dozen starts either side of
    1 August 2026 (the council's own staff and the schools'), a transfer and
    a pledge within the headroom, and the expiring funds of its opening
    balance.  The same seed gives the same workbook; without ``org_name``,
    the fictional council of that seed (:func:`lga_xl.samples.council`) and
    its region.

    Example:
        >>> import tempfile, pathlib
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "sample.xlsx"
        >>> sample_levy_plan(out, org_name="Exampleshire County Council", seed=3).exists()
        True
    """
    if org_name is None:
        from ..samples import council

        org_name, _, region = council(seed)
    rng = random.Random(seed)
    standards = {s.reference: s for s in sample_export()}
    places = ["Ashby", "Brampton", "Calder", "Denholme", "Elmstead", "Fairfield", "Greystoke", "Hartwell",
              "Ivybridge", "Kingsley", "Langton", "Milford", "Northwick", "Oakham"]
    kinds = [("Primary School", "Community school"),
             ("Church of England Primary School", "Voluntary controlled school"),
             ("Infant School", "Community school"), ("Junior School", "Community school"),
             ("Nursery School", "Local authority nursery school"), ("Special School", "Community special school"),
             ("Learning Centre", "Pupil referral unit")]
    schools = []
    for urn, place in zip(rng.sample(range(100_000, 150_000), 12), rng.sample(places, 12), strict=True):
        suffix, school_type = rng.choice(kinds)
        schools.append(SchoolEntry(urn, f"{place} {suffix}", school_type, rng.randrange(600_000, 3_500_000, 1_000),
                                   rng.randrange(18, 95)))
    council_pay_bill = rng.randrange(15_000_000, 40_000_000, 10_000)
    total_pay_bill = council_pay_bill + sum(s.pay_bill for s in schools)
    english = rng.choice([Decimal("1"), Decimal("0.995"), Decimal("0.99"), Decimal("0.987")])
    annual_levy = levy.levy_due(total_pay_bill)
    previous_year_funds = levy.funds_entering(annual_levy * Decimal("0.97"), english, on=dt.date(2026, 1, 1))
    starts = []
    for _ in range(rng.randrange(30, 42)):
        school = rng.choice(schools) if rng.random() < 0.4 else None
        standard = standards[rng.choice(_SCHOOL_STANDARDS if school else _COUNCIL_STANDARDS)]
        start = dt.date(2026, rng.randrange(4, 13), 1) if rng.random() < 0.75 else dt.date(2027, rng.randrange(1, 4), 1)
        start = start.replace(day=rng.choice([1, 1, 1, 8, 15]))
        band = standard.band_on(start)
        price = band if rng.random() < 0.7 else band * rng.choice([Decimal("0.8"), Decimal("0.9")])
        starts.append(StartEntry(standard.reference, start,
                                 max(standard.typical_duration_months or 12, 12) + rng.choice([0, 0, 3, 6]),
                                 price, school.urn if school else None))
    starts.sort(key=lambda s: (s.start_date, s.standard))
    transfers = [
        TransferEntry("Northwick Care Homes Ltd", "ST0005", dt.date(2026, 9, 1), 15, standards["ST0005"].max_funding),
        TransferEntry("Calder Valley Community Transport CIC", "ST0070", dt.date(2026, 11, 1), 12,
                      standards["ST0070"].max_funding, spec.PLEDGE),
    ]
    opening_balance = (annual_levy * Decimal(rng.choice(["0.3", "0.45", "0.6"]))).quantize(Decimal("0.01"))
    return new_levy_plan(
        path, org_name=org_name, region=region, tax_year="2026-27",
        total_pay_bill=total_pay_bill, english_percent=english, pay_bill_growth=rng.choice([0, Decimal("0.02")]),
        headcount=total_pay_bill // rng.randrange(24_000, 31_000), previous_year_funds=previous_year_funds,
        opening_balance=opening_balance, transfers_committed=rng.choice([0, 15_000, 40_000]),
        expiring_funds={dt.date(2026, 7, 1): (opening_balance / 10).quantize(Decimal("0.01"))},
        schools=schools, starts=starts, transfers=transfers,
    )


# Private API: formulas that read what was typed.


def _cleaned(cell: str) -> str:
    """The text of a cell without pound signs, commas, spaces and no-break spaces (VALUE reads the rest)."""
    text = cell
    for noise in ("£", ",", " ", _NO_BREAK_SPACE):
        text = f'SUBSTITUTE({text},"{noise}","")'
    return text


def _parsed(cell: str, *, percent: bool) -> str:
    """A figure as a number: a number cell as it is, text through VALUE; a % sign only in a percentage."""
    if percent:
        return f"IF(ISNUMBER({cell}),{cell},VALUE({_cleaned(cell)}))"
    return f'IF(ISNUMBER({cell}),{cell},IF(ISNUMBER(FIND("%",{cell})),1/0,VALUE({_cleaned(cell)})))'


def _valid(cell: str, kind: str, maximum: Decimal | None) -> tuple[str, str]:
    """(condition that the parsed figure is usable, the value used when it is), as readers.levy_plan reads it."""
    number = _parsed(cell, percent=kind == "percent")
    if kind == "percent":
        with_sign = f'AND(NOT(ISNUMBER({cell})),ISNUMBER(FIND("%",{cell})))'
        valid = f"OR(AND({number}>=0,{number}<=1),AND(NOT({with_sign}),{number}>1,{number}<=100))"
        return valid, f"IF({number}<=1,{number},{number}/100)"
    conditions = [f"{number}>=0"]
    if kind == "whole":
        conditions.append(f"{number}=ROUND({number},0)")
    if maximum is not None:
        conditions.append(f"{number}<={whole(maximum)}")
    return f"AND({','.join(conditions)})", number


def _used_formula(cell: str, kind: str, default: Decimal, maximum: Decimal | None) -> str:
    """The "Used in the figures" formula of a Plan figure: blank or unusable gives ``default``."""
    valid, value = _valid(cell, kind, maximum)
    fallback = whole(default) if default == default.to_integral_value() else str(default)
    return f'=IF({_cleaned(cell)}="",{fallback},IFERROR(IF({valid},{value},{fallback}),{fallback}))'


def _unusable_condition(cell: str, kind: str, maximum: Decimal | None) -> str:
    """Conditional-format condition: something is typed that the figures cannot use."""
    valid, _ = _valid(cell, kind, maximum)
    return f'AND({_cleaned(cell)}<>"",IFERROR(NOT({valid}),TRUE))'


def _times(rate: Decimal) -> str:
    """Multiplying by a rate in exact integers: ``/10`` for 10%, ``*23/1000`` for 2.3%."""
    numerator, denominator = ratio(rate)
    return f"/{denominator}" if numerator == 1 else f"*{numerator}/{denominator}"


def _levy_formula(pay_bill: str) -> str:
    """levy.levy_due: 0.5% of the pay bill less the allowance, as ``(pay bill - 200*allowance)/200``.

    Dividing by 200 keeps spreadsheet arithmetic exact where multiplying by 0.005 may not.
    """
    numerator, denominator = ratio(levy.LEVY_RATE)
    if numerator != 1:
        raise ValueError("the levy rate must be 1/n for the workbook's exact levy formula")
    return f"MAX(0,ROUND(({pay_bill}-{denominator}*LevyAllowanceUsed)/{denominator},2))"


def _first_word(cell: str) -> str:
    """What a dropdown's text starts with: the reference or URN before the first space."""
    return f'LEFT(TRIM({cell}),FIND(" ",TRIM({cell})&" ")-1)'


def _statutory_rate_formula() -> str:
    """levy.statutory_transfer_rate: the rate in force on 5 May of the plan's tax year."""
    month, day = levy.TRANSFER_RATE_DAY
    on = f"DATE(YEAR(PlanStart),{month},{day})"
    formula = "0"
    for starts, rate in levy.TRANSFER_RATES:
        formula = f"IF({on}>={excel_date(starts)},{rate.normalize()},{formula})"
    return "=" + formula


def _in_plan_year(column: str, month: str) -> str:
    """The plan year's total of a Forecast column."""
    return f'=ROUND(SUMIFS({FORECAST.structured(column)},{FORECAST.structured(month)},"<="&PlanEnd),2)'


def _result_formulas() -> dict[str, str]:
    """Each named result's formula, rendered from the levy rules' constants."""
    (_, ten_percent), (_, quarter) = levy.TRANSFER_RATES[:2]
    employer = SCHOOLS.structured("employer")
    return {
        "PlanEnd": "=EDATE(PlanStart,12)-1",
        "AnnualLevy": "=" + _levy_formula("TotalPayBillUsed"),
        "MonthlyLevy": "=ROUND(AnnualLevy/12,2)",
        "MonthlyEnglishLevy": "=ROUND(MonthlyLevy*EnglishPercentUsed,2)",
        "MonthlyTopUp": f"=ROUND(MonthlyEnglishLevy{_times(levy.TOP_UP_RATE)},2)",
        "FundsIn": _in_plan_year("funds_in", "month"),
        "PlannedSpend": f"=ROUND(SUM({PLANNED_STARTS.structured('in_year_cost')}),2)",
        "PlannedStartsInYear": (f'=COUNTIFS({PLANNED_STARTS.structured("start_date")},">="&PlanStart,'
                                f'{PLANNED_STARTS.structured("start_date")},"<"&EDATE(PlanStart,12))'),
        "PublicSectorTargetStarts": f"=ROUNDUP(HeadcountUsed{_times(levy.PUBLIC_SECTOR_TARGET_RATE)},0)",
        "EmployerContribution": _in_plan_year("employer_contribution", "month"),
        "GovernmentContribution": _in_plan_year("government_contribution", "month"),
        "StatutoryTransferRate": _statutory_rate_formula(),
        "TransferAllowance10": f"=ROUND(PreviousYearFundsUsed{_times(ten_percent)},2)",
        "TransferAllowance25": f"=ROUND(PreviousYearFundsUsed{_times(quarter)},2)",
        "TransferAllowanceStatutory": "=ROUND(PreviousYearFundsUsed*StatutoryTransferRate,2)",
        "TransfersPlanned": f"=ROUND(SUM({TRANSFERS.structured('in_year_cost')}),2)",
        "TransfersTotal": "=ROUND(TransfersCommittedUsed+TransfersPlanned,2)",
        "Headroom10": "=MAX(0,ROUND(TransferAllowance10-TransfersTotal,2))",
        "Headroom25": "=MAX(0,ROUND(TransferAllowance25-TransfersTotal,2))",
        "HeadroomStatutory": "=MAX(0,ROUND(TransferAllowanceStatutory-TransfersTotal,2))",
        "OverCommitted": "=MAX(0,ROUND(TransfersTotal-TransferAllowanceStatutory,2))",
        "SchoolsPayBill": (f'=ROUND(SUMIFS({SCHOOLS.structured("pay_bill")},{employer},"{EMPLOYER_COUNCIL}",'
                           f'{SCHOOLS.structured("pay_bill")},">=0"),2)'),
        "SchoolsLevyShare": f"=ROUND(SUM({SCHOOLS.structured('levy_share')}),2)",
        "SchoolsFundsShare": f"=ROUND(SUM({SCHOOLS.structured('funds_share')}),2)",
        "SchoolsPlannedSpend": f"=ROUND(SUM({SCHOOLS.structured('planned_spend')}),2)",
        "FundsExpiringPlanYear": _in_plan_year("expired", "month"),
        "NextExpiryMonth": (f'=IF(FundsExpiring=0,"{spec.NO_MONTH}",INDEX({FORECAST.structured("month")},'
                            f'COUNTIF({FORECAST.structured("expired_so_far")},0)+1))'),
        "NextExpiryAmount": (f'=IF(FundsExpiring=0,0,INDEX({FORECAST.structured("expired")},'
                             f'COUNTIF({FORECAST.structured("expired_so_far")},0)+1))'),
        "FundsExpiring": f"=ROUND(SUM({FORECAST.structured('expired')}),2)",
        "ExpiryMonthCount": f'=COUNTIF({FORECAST.structured("expired")},">0")',
        "FirstShortfallMonth": (f'=IF(ShortfallMonths=0,"{spec.NO_MONTH}",INDEX({FORECAST.structured("month")},'
                                f'MATCH("{spec.SHORT}",{FORECAST.structured("short")},0)))'),
        "ShortfallMonths": f'=COUNTIF({FORECAST.structured("short")},"{spec.SHORT}")',
        "LowestBalance": f"=MIN({FORECAST.structured('balance')})",
        "ExpiringFundsTotal": (f"=ROUND(SUMIFS({EXPIRING_FUNDS.structured('amount')},"
                               f"{EXPIRING_FUNDS.structured('usable')},1),2)"),
        "OpeningBalanceRest": ("=IF(ExpiringFundsTotal<=OpeningBalanceUsed,"
                               "ROUND(OpeningBalanceUsed-ExpiringFundsTotal,2),OpeningBalanceUsed)"),
        "OpeningMonthCap": "=IF(PreviousYearFundsUsed>0,ROUND(PreviousYearFundsUsed/12,2),OpeningBalanceRest)",
        "Funds24Months": (f'=ROUND(SUMIF({OPENING.structured("entered")},"<"&{excel_date(levy.SHORT_EXPIRY_FROM)},'
                          f'{OPENING.structured("amount")})+SUMIF({FORECAST.structured("month")},"<"&'
                          f'{excel_date(levy.SHORT_EXPIRY_FROM)},{FORECAST.structured("funds_in")}),2)'),
    }


# Private API: writing cells in the house style.

def _text(ws: Worksheet, ref: str, text: str, cell_style: style.CellStyle = style.BODY) -> None:
    c.set_text(ws[ref], text)
    style.apply(ws[ref], cell_style)


def _sheet_title(ws: Worksheet, title: str, note: str, last_column: int, banner: str | None = None) -> None:
    """Title in A1, a note wrapping across the sheet's columns in A2, and the sample banner in A3."""
    _text(ws, "A1", title, style.TITLE)
    _text(ws, "A2", note, style.NOTE)
    style.wrap_across(ws, ws["A2"], last_column)
    if banner:
        _text(ws, "A3", banner, style.WARNING)
        style.wrap_across(ws, ws["A3"], last_column)


def _validate(ws: Worksheet, cells_range: str, *, title: str, prompt: str, error: str, **options: object) -> None:
    dv = DataValidation(allow_blank=True, **options)
    style.explain(dv, title=title, prompt=prompt, error=error)
    for part in cells_range.split():
        dv.add(part)
    ws.add_data_validation(dv)


def _list(ws: Worksheet, cells_range: str, source: str, *, title: str, prompt: str) -> None:
    _validate(ws, cells_range, type="list", formula1=source, title=title, prompt=prompt,
              error=f"{prompt} Pick from the list.")


def _number(ws: Worksheet, cells_range: str, kind: str, minimum: Number, maximum: Number | None = None, *,
            title: str, prompt: str) -> None:
    bounds = {"operator": "greaterThanOrEqual", "formula1": str(minimum)} if maximum is None else {
        "operator": "between", "formula1": str(minimum), "formula2": str(maximum)}
    _validate(ws, cells_range, type=kind, title=title, prompt=prompt, error=prompt, **bounds)


def _date(ws: Worksheet, cells_range: str, *, title: str, prompt: str) -> None:
    _validate(ws, cells_range, type="date", operator="greaterThanOrEqual", formula1="DATE(2000,1,1)", title=title,
              prompt=prompt, error=f"{prompt} Type a date like 01/09/2026.")


def _highlight(ws: Worksheet, cells_range: str, condition: str, cell_style: style.CellStyle = style.WARNING) -> None:
    fill = PatternFill("solid", fgColor=cell_style.fill, bgColor=cell_style.fill)
    ws.conditional_formatting.add(cells_range, FormulaRule(formula=[condition], fill=fill))


def _block(ws: Worksheet, wb: Workbook, block: Block, formulas: Mapping[str, str] | None = None,
           values: Mapping[str, object] | None = None, *, note_to: int = 0) -> None:
    """Labels, named cells and notes of a block: inputs yellow, results green; notes wrap up to column ``note_to``."""
    formulas, values = formulas or {}, values or {}
    for name in block.names:
        row = block.row(name.name)
        _text(ws, a1.cell(row, block.label_column), name.label, style.LABEL)
        if block.value_column - block.label_column > 1:  # a label across the columns up to its value
            style.merge_cells(ws, start_row=row, start_column=block.label_column + 1, end_row=row,
                              end_column=block.value_column)
        cell = ws[block.cell(name.name)]
        if name.name in formulas:
            cell.value = formulas[name.name]
        elif name.name in values:
            c.write_value(cell, values[name.name])
        calculated = _MONTH_RESULT if name.kind == "month" else style.CALCULATED
        style.apply(cell, style.INPUT if name.role == "input" else calculated, name.number_format)
        c.define_name(wb, name.name, ws, cell.coordinate)
        if name.note and block.note_column is not None:
            note = a1.cell(row, block.note_column)
            _text(ws, note, name.note, style.NOTE)
            if block.note_column < note_to:
                style.wrap_across(ws, ws[note], note_to + 1)


def _finish(ws: Worksheet, *, repeat: Table | None = None, landscape: bool | None = None) -> None:
    """Row heights, printing (one page wide, the table's header repeated) and protection.

    A table's rows are one line high (its text columns do not wrap), so only the rows down to its
    header are measured.
    """
    style.fit_rows(ws, 1, repeat.header_row if repeat else None)
    header = (repeat.header_row, repeat.header_row) if repeat else None
    style.set_up_printing(ws, title=TITLE, landscape=landscape, repeat_rows=header)
    c.protect(ws)


def _table_header(ws: Worksheet, table: Table) -> None:
    """The header row; a hidden working column's header does not wrap (in no width it would take many lines)."""
    for index, column in enumerate(table.columns):
        _text(ws, a1.cell(table.header_row, table.first_column + index), column.header,
              _HIDDEN_HEADER if column.hidden else style.TABLE_HEADER)


def _hide_workings(ws: Worksheet, table: Table) -> None:
    for column in table.columns:
        if column.hidden:
            ws.column_dimensions[table.letter(column.key)].hidden = True


_PADDING = style.CELL_PADDING_PIXELS / style.DIGIT_PIXELS  # a stored column width includes the cell padding


def _stored(width: float) -> float:
    """The width to store for a column that shows ``width`` characters (as fit_columns stores its fits)."""
    return style.column_pixels(width) / style.DIGIT_PIXELS


def _samples(table: Table, values: Mapping[str, object]) -> dict[str, object]:
    """fit_columns samples by column letter: the input columns' widest values, and ``values`` by column key."""
    inputs = {column.key: _INPUT_SAMPLES[column.kind] for column in table.columns
              if column.role == "input" and column.kind in _INPUT_SAMPLES}
    return {table.letter(key): value for key, value in {**inputs, **values}.items()}


# Private API: the sheets.


def _instructions_sheet(wb: Workbook) -> None:
    ws = wb.create_sheet("Instructions")
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 84
    _text(ws, "A1", TITLE, style.TITLE)
    row = style.add_key(ws, 3, entries=style.KEY + (style.CHECK_KEY, style.WARNING_KEY)) + 1
    for heading, paragraphs in INSTRUCTIONS:
        _text(ws, f"A{row}", heading, style.HEADING)
        row += 1
        for paragraph in paragraphs:
            _text(ws, f"A{row}", paragraph, style.PARAGRAPH)
            style.wrap_across(ws, ws[f"A{row}"], 2)
            row += 1
        row += 1
    ws.sheet_view.showGridLines = False
    _finish(ws, landscape=False)


def _plan_sheet(wb: Workbook, banner: str | None, values: dict[str, object]) -> None:
    ws = wb.create_sheet(FIGURES.sheet)
    _sheet_title(ws, TITLE, "Fill in the yellow cells; the green cells are worked out for you as you type.", 4,
                 banner)
    formulas = _result_formulas()
    _text(ws, a1.cell(spec.ABOUT.first_row - 1, 0), "About the plan", style.HEADING)
    _block(ws, wb, spec.ABOUT, formulas, values)
    c.lay_out_send_out(wb, ws, spec.SEND_OUT, FIGURES.note_column + 1)
    caption = spec.FIGURES_CAPTION_ROW
    _text(ws, a1.cell(caption, 0), "The council's figures", style.HEADING)
    _text(ws, a1.cell(caption, FIGURES.value_column), "You type", style.LABEL)
    _text(ws, a1.cell(caption, USED.value_column), "Used in the figures", style.LABEL)
    _block(ws, wb, FIGURES, values=values)
    for name, used in zip(FIGURES.names, USED.names, strict=True):
        cell = FIGURES.cell(name.name)
        maximum = spec.figure_maximum(name.name)
        ws[USED.cell(used.name)] = _used_formula(cell, name.kind, spec.figure_default(name.name), maximum)
        style.apply(ws[USED.cell(used.name)], style.CALCULATED, used.number_format)
        c.define_name(wb, used.name, ws, USED.cell(used.name))
        _highlight(ws, cell, _unusable_condition(cell, name.kind, maximum))
    for heading, block in (("The levy and the funds entering the account", spec.LEVY_RESULTS),
                           ("Planned starts", spec.START_RESULTS), ("Transfers and pledges", spec.TRANSFER_RESULTS),
                           ("Schools", spec.SCHOOL_RESULTS)):
        _text(ws, a1.cell(block.first_row - 1, 0), heading, style.HEADING)
        _block(ws, wb, block, formulas, note_to=FIGURES.note_column)
    _highlight(ws, spec.TRANSFER_RESULTS.cell("OverCommitted"), f"{spec.TRANSFER_RESULTS.cell('OverCommitted')}>0")
    for name in ("EmployerContribution", "GovernmentContribution"):
        _highlight(ws, spec.START_RESULTS.cell(name), f"{spec.START_RESULTS.cell(name)}>0")
    growth_notes = _forecast_summary(ws)
    _plan_validations(ws)
    # B and C show figures (C's cells beside the results hold notes running on to D, so C is not measured).
    style.fit_columns(ws, spec.ABOUT.first_row, caps={"D": _NOTE_CAP}, columns="AD")
    figures = style.fit_column([_LARGE_MONEY], number_format=spec.MONEY, header="Used in the figures", bold=True)
    for letter in "BC":
        ws.column_dimensions[letter].width = _stored(figures.width)
    # The notes beside the results span C and D: their width in characters, as a wrapped line sees it.
    pixels = sum(style.column_pixels(ws.column_dimensions[letter].width - _PADDING) for letter in "CD")
    note_width = (pixels - style.CELL_PADDING_PIXELS) / style.DIGIT_PIXELS
    for row in growth_notes:
        ws.row_dimensions[row].height = style.wrapped_lines(_GROWTH_NOTE, note_width) * style.line_height()
    ws.sheet_view.showGridLines = False
    _finish(ws)


# The growth note's widest text, to size its row (fit_rows measures text, not what a formula shows).
_GROWTH_NOTE = "Over the 48 months, with the pay bill growing by 12.35% a year after the plan year."


def _forecast_summary(ws: Worksheet) -> list[int]:
    """The forecast's key figures under the results, with the pay bill growth they assume beside them.

    Returns the rows of the growth notes, for sizing once the columns are.
    """
    row = spec.FORECAST_SUMMARY_ROW
    _text(ws, a1.cell(row - 1, 0), "The forecast (see the Forecast sheet)", style.HEADING)
    growth = ('="Over the 48 months, with the pay bill growing by "&ROUND(PayBillGrowthUsed*100,2)&"% a year '
              'after the plan year."')
    notes: list[int] = []
    lines = (
        ("Funds forecast to expire in the plan year", "=FundsExpiringPlanYear", spec.MONEY, None),
        ("First month funds expire", "=NextExpiryMonth", spec.MONTH, None),
        (f"Funds forecast to expire in the {spec.FORECAST_MONTHS} months", "=FundsExpiring", spec.MONEY, growth),
        ("First month funds run short", "=FirstShortfallMonth", spec.MONTH, growth),
    )
    for offset, (label, formula, number_format, note) in enumerate(lines):
        _text(ws, a1.cell(row + offset, 0), label, style.LABEL)
        cell = ws[a1.cell(row + offset, 1)]
        cell.value = formula
        style.apply(cell, _MONTH_RESULT if number_format == spec.MONTH else style.CALCULATED, number_format)
        if note:
            ws[a1.cell(row + offset, 2)] = note
            style.apply(ws[a1.cell(row + offset, 2)], style.NOTE)
            style.wrap_across(ws, ws[a1.cell(row + offset, 2)], FIGURES.note_column + 1)
            notes.append(row + offset)
    first = a1.cell(row, 1)
    _highlight(ws, first, f"{first}>0")
    third = a1.cell(row + 2, 1)
    _highlight(ws, third, f"{third}>0")
    fourth = a1.cell(row + 3, 1)
    _highlight(ws, fourth, f'{fourth}<>"{spec.NO_MONTH}"')
    return notes


def _plan_validations(ws: Worksheet) -> None:
    cell = spec.ABOUT.cell
    style.add_prompt(ws, cell("OrgName"), title="Council", prompt="Type the council's name as it should be reported.")
    _list(ws, cell("Region"), "RegionList", title="Region", prompt="Pick one of the nine English regions.")
    money = "Type an amount in pounds, 0 or more."
    for name, title in (("TotalPayBill", "Pay bill"), ("PreviousYearFunds", "Funds last tax year"),
                        ("OpeningBalance", "Opening balance"), ("TransfersCommitted", "Transfers committed")):
        _number(ws, FIGURES.cell(name), "decimal", 0, title=title, prompt=money)
    _number(ws, FIGURES.cell("EnglishPercent"), "decimal", 0, 100, title="English percentage",
            prompt="Type the percentage of the pay bill for staff living in England, for example 98.5%.")
    _number(ws, FIGURES.cell("LevyAllowance"), "decimal", 0, whole(levy.LEVY_ALLOWANCE), title="Levy allowance",
            prompt=f"Type the council's levy allowance in pounds, up to {levy.LEVY_ALLOWANCE:,}.")
    _number(ws, FIGURES.cell("PayBillGrowth"), "decimal", 0, 100, title="Pay bill growth",
            prompt="Type the yearly growth of the pay bill for the forecast's later years, for example 2%.")
    _number(ws, FIGURES.cell("Headcount"), "whole", 0, title="Headcount", prompt="Type a whole number of staff.")


def _write_rows(ws: Worksheet, table: Table, entries: Sequence[Mapping[str, object]], rows: int) -> None:
    """Input cells of a table: each entry's values by column key, the rest blank and yellow."""
    inputs = table.keys("input")
    for index, r in enumerate(range(table.first_row, table.last_row(rows) + 1)):
        for key in inputs:
            cell = ws[table.cell(key, r)]
            if index < len(entries):
                c.write_value(cell, entries[index].get(key))
            style.apply(cell, style.INPUT, table.column(key).number_format)


def _formula(ws: Worksheet, ref: str, formula: str, number_format: str | None, *, visible: bool = True) -> None:
    """A calculated cell: green when it shows; in a hidden working column unfilled, in its number format."""
    cell = ws[ref]
    cell.value = formula
    if visible:
        style.apply(cell, style.CALCULATED, number_format)
    elif number_format:
        style.apply(cell, style.BODY, number_format)


def _blank_when_empty(table: Table, r: int, formula: str) -> str:
    """A visible calculated cell of a table row: blank until one of the row's inputs is filled in."""
    return style.blank_when_empty(formula, [table.cell(key, r) for key in table.keys("input")])


def _schools_sheet(wb: Workbook, schools: Sequence[SchoolEntry], size: int) -> None:
    table = SCHOOLS
    ws = wb.create_sheet(table.sheet)
    _sheet_title(ws, "Schools: pay bills and shares of the levy",
                 "One row per school. Only schools whose staff the council employs (community, voluntary controlled, "
                 "community special and local authority nursery schools, and pupil referral units) are in the "
                 "council's levy; any other type is flagged 'Not in council levy'.", 11)
    rows = max(size, len(schools) + spec.SPARE_ROWS)
    _table_header(ws, table)
    _write_rows(ws, table, [_school_values(school) for school in schools], rows)
    planned = f"SUMIF({PLANNED_STARTS.structured('urn')},{{urn}},{PLANNED_STARTS.structured('in_year_cost')})"
    for r in range(table.first_row, table.last_row(rows) + 1):
        k = table.row_cells(r)
        employer = (f'=IF({k["type"]}="","",IFERROR(INDEX(SchoolEmployerList,MATCH({k["type"]},SchoolTypeList,0)),'
                    '""))')
        share = (f'IF(AND(ISNUMBER({k["pay_bill"]}),{k["pay_bill"]}>=0,{k["employer"]}="{EMPLOYER_COUNCIL}",'
                 f'TotalPayBillUsed>0),ROUND({{total}}*{k["pay_bill"]}/TotalPayBillUsed,2),0)')
        formulas = {
            "employer": employer,
            "levy_share": _blank_when_empty(table, r, share.format(total="AnnualLevy")),
            "funds_share": _blank_when_empty(table, r, share.format(total="FundsIn")),
            "planned_spend": _blank_when_empty(table, r,
                                               f'IF({k["urn"]}="",0,ROUND({planned.format(urn=k["urn"])},2))'),
            "funds_left": _blank_when_empty(table, r, f"ROUND({k['funds_share']}-{k['planned_spend']},2)"),
            "check": _blank_when_empty(table, r, table.check_formula(r)),
            "pick": f'=IF(OR({k["urn"]}="",{k["name"]}=""),"",{k["urn"]}&" - "&{k["name"]})',
        }
        for key, formula in formulas.items():
            _formula(ws, k[key], formula, table.column(key).number_format, visible=not table.column(key).hidden)
    style.add_table(ws, table.name, table.ref(rows))
    cells_of = lambda key: table.column_cells(key, rows)  # noqa: E731
    _number(ws, cells_of("urn"), "whole", 1, title="URN",
            prompt="Type the school's URN, a whole number (find it on Get Information about Schools).")
    style.add_prompt(ws, cells_of("name"), title="School", prompt="Type the school's name.")
    _list(ws, cells_of("type"), "SchoolTypeList", title="School type",
          prompt="Pick the school's establishment type, as Get Information about Schools lists it.")
    _number(ws, cells_of("pay_bill"), "decimal", 0, title="Pay bill",
            prompt="Type the school's pay bill for the year in pounds, 0 or more.")
    _number(ws, cells_of("headcount"), "whole", 0, title="Headcount", prompt="Type a whole number of staff.")
    _highlight(ws, cells_of("check"), f'{table.cell("check", table.first_row)}<>""', style.CHECK)
    c.define_name(wb, "SchoolList", ws, cells_of("pick"))
    _hide_workings(ws, table)
    style.fit_columns(ws, table.first_row, table.last_row(rows), header_row=table.header_row,
                      samples=_samples(table, {"employer": "Governing body", "check": spec.CHECK_UNKNOWN_TYPE,
                                               "type": "Local authority nursery school"}),
                      caps={table.letter("name"): 40})
    ws.freeze_panes = table.cell("urn", table.first_row)
    _finish(ws, repeat=table, landscape=False)


def _school_values(school: SchoolEntry) -> dict[str, object]:
    return {"urn": school.urn, "name": school.name, "type": establishment_type(school.type) or school.type,
            "pay_bill": school.pay_bill, "headcount": school.headcount}


def _standard_text(reference: str | None, known: Mapping[str, Standard]) -> str | None:
    """A standard as its dropdown shows it, when the plan lists it and it is open for starts."""
    standard = known.get(reference.casefold()) if isinstance(reference, str) else None
    if standard is None or not standard.approved:
        return reference
    return _pick_text(standard.reference, standard.title, standard.level)


def _pick_text(reference: str, title: str, level: object) -> str:
    return f"{reference} {title} (level {level})"


def _start_values(start: StartEntry, known: Mapping[str, Standard], schools: Mapping[str, str | None]
                  ) -> dict[str, object]:
    school: object = start.urn
    name = schools.get(str(start.urn).strip()) if start.urn is not None else None
    if name:
        school = f"{start.urn} - {name}"
    return {"school": school, "standard": _standard_text(start.standard, known), "start_date": start.start_date,
            "duration_months": start.duration_months, "price": start.price}


def _transfer_values(transfer: TransferEntry, known: Mapping[str, Standard]) -> dict[str, object]:
    return {"type": transfer.type, "recipient": transfer.recipient,
            "standard": _standard_text(transfer.standard, known), "start_date": transfer.start_date,
            "duration_months": transfer.duration_months, "price": transfer.price}


def _costed_sheet(wb: Workbook, table: Table, size: int, entries: Sequence[Mapping[str, object]], title: str,
                  note: str,
                  banner: str | None) -> None:
    """The Starts or Transfers sheet: input rows costed under the payment profile."""
    ws = wb.create_sheet(table.sheet)
    visible = sum(1 for column in table.columns if not column.hidden)
    _sheet_title(ws, title, note, visible, banner)
    rows = max(size, len(entries) + spec.SPARE_ROWS)
    _table_header(ws, table)
    _write_rows(ws, table, entries, rows)
    for r in range(table.first_row, table.last_row(rows) + 1):
        for key, formula in _costing_formulas(table, r).items():
            column = table.column(key)
            _formula(ws, table.cell(key, r), formula, column.number_format, visible=not column.hidden)
    style.add_table(ws, table.name, table.ref(rows))
    cells_of = lambda key: table.column_cells(key, rows)  # noqa: E731
    if "school" in table.keys("input"):
        _list(ws, cells_of("school"), "SchoolList", title="School",
              prompt="Pick the school from the Schools sheet, or leave it blank for the council's own staff.")
    else:
        _list(ws, cells_of("type"), "TransferTypeList", title="Transfer or pledge",
              prompt="Pick Transfer (to an employer you chose) or Pledge (an approved pledge application).")
        style.add_prompt(ws, cells_of("recipient"), title="Employer receiving it",
                         prompt="Type the name of the employer the funds go to.")
    _list(ws, cells_of("standard"), "StandardList", title="Standard",
          prompt="Pick the apprenticeship standard (the Standards sheet lists them).")
    _date(ws, cells_of("start_date"), title="Start date", prompt="Type the planned start date.")
    _number(ws, cells_of("duration_months"), "whole", 1, spec.MAX_DURATION_MONTHS, title="Duration (months)",
            prompt=f"Type the planned duration in whole months (at least {levy.SHORT_MINIMUM_DURATION_MONTHS} for "
                   f"starts from {_day(levy.SHORT_MINIMUM_DURATION_FROM)}, {levy.MINIMUM_DURATION_MONTHS} before).")
    _number(ws, cells_of("price"), "decimal", 0, title="Price", prompt="Type the agreed total price in pounds.")
    _highlight(ws, cells_of("check"), f'{table.cell("check", table.first_row)}<>""', style.CHECK)
    _hide_workings(ws, table)
    # Text columns take set widths and never wrap, so that every row is one line high.
    fixed = {key: width for key, width in _TEXT_WIDTHS.items() if key in table.keys()}
    style.fit_columns(ws, table.first_row, table.last_row(rows), header_row=table.header_row,
                      samples=_samples(table, {"level": 7, "check": spec.CHECK_STANDARD_DATES}),
                      columns=[table.letter(column.key) for column in table.columns
                               if not column.hidden and column.key not in fixed])
    for key, width in fixed.items():
        ws.column_dimensions[table.letter(key)].width = _stored(width)
    ws.freeze_panes = table.cell(table.columns[0].key, table.first_row)
    _finish(ws, repeat=table, landscape=True)


def _costing_formulas(table: Table, r: int) -> dict[str, str]:
    """Lookups, band, cap, payment schedule, in-year cost and checks of one row.

    Mirrors ``levy.payment_schedule`` of the capped price: the instalment
    ``ROUND(0.8 * price / duration, 2)`` (written 4*price/(5*duration) so
    spreadsheet arithmetic stays exact) paid from the month after the start
    month to the planned end month, the completion payment the month after.
    A row that cannot be costed (no date, a duration that is not a whole
    number of months, a negative price) has FirstPaymentMonth 0 and costs 0.
    The band is the one in force on the start date where the Standards sheet
    gives dated bands (``Standard.band_on``).
    """
    k = table.row_cells(r)
    std, start, dur, price, ref, row = (k[key] for key in ("standard", "start_date", "duration_months", "price",
                                                           "reference", "standard_row"))

    def lookup(column: str) -> str:
        return f"INDEX({STANDARDS.structured(column)},{row})"

    bands, band_ref = FUNDING_BANDS.structured("max_funding"), FUNDING_BANDS.structured("reference")
    in_force = (f'{band_ref},{ref},{FUNDING_BANDS.structured("effective_from")},"<="&{start},'
                f'{FUNDING_BANDS.structured("until")},">="&{start}')
    first, last = k["first_payment_month"], k["last_instalment_month"]
    share, whole_price = ratio(levy.INSTALMENT_SHARE)
    capped = f"({price}-{k['above_cap']})"
    months_in_plan = (f"MAX(0,(YEAR(MIN({last},PlanEnd))-YEAR(MAX({first},PlanStart)))*12"
                      f"+MONTH(MIN({last},PlanEnd))-MONTH(MAX({first},PlanStart))+1)")
    completion_in_plan = f"AND(EDATE({last},1)>=PlanStart,EDATE({last},1)<=PlanEnd)"
    formulas = {
        "reference": f'=IF({std}="","",{_first_word(std)})',
        "standard_row": f'=IF({ref}="",0,IFERROR(MATCH({ref},{spec.STANDARD_REFERENCES},0),0))',
        "status": f'=IF({row}=0,"",{lookup("status")}&"")',
        "first_start": f'=IF({row}=0,"",IF(ISNUMBER({lookup("earliest_start")}),{lookup("earliest_start")},""))',
        "last_start": f'=IF({row}=0,"",IF(ISNUMBER({lookup("latest_start")}),{lookup("latest_start")},""))',
        "title": _blank_when_empty(table, r, f'IF({ref}="","",IF({row}=0,"{spec.CHECK_UNKNOWN_STANDARD}",'
                                              f'{lookup("title")}&""))'),
        "level": _blank_when_empty(table, r, f'IF({row}=0,"",{lookup("level")})'),
        "band_max": _blank_when_empty(table, r, (
            f'IF({row}=0,"",IF(OR(COUNTIF({band_ref},{ref})=0,NOT(ISNUMBER({start}))),{lookup("max_funding")},'
            f'IF(COUNTIFS({in_force})=0,"",SUMIFS({bands},{in_force}))))')),
        "above_cap": _blank_when_empty(table, r, f"IF(AND(ISNUMBER({price}),ISNUMBER({k['band_max']})),"
                                                 f"ROUND(MAX(0,{price}-{k['band_max']}),2),0)"),
        "first_payment_month": (f"=IF(AND(ISNUMBER({start}),ISNUMBER({dur}),ISNUMBER({price})),"
                                f"IF(AND({dur}>=1,{dur}=ROUND({dur},0),{price}>=0),"
                                f"EDATE(DATE(YEAR({start}),MONTH({start}),1),1),0),0)"),
        "last_instalment_month": f"=IF({first}=0,0,EDATE({first},{dur}-1))",
        "instalment": f"=IF({first}=0,0,ROUND({share}*{capped}/({whole_price}*{dur}),2))",
        "completion_payment": f"=IF({first}=0,0,ROUND({capped}-{dur}*{k['instalment']},2))",
        "in_year_cost": _blank_when_empty(table, r, f"IF({first}=0,0,ROUND({k['instalment']}*{months_in_plan}"
                                                    f"+IF({completion_in_plan},{k['completion_payment']},0),2))"),
        "check": _blank_when_empty(table, r, table.check_formula(r)),
    }
    if "urn" in k:
        school = k["school"]
        formulas["urn"] = f'=IF({school}="","",IFERROR(VALUE({_first_word(school)}),{_first_word(school)}))'
        levy_payer_from = excel_date(levy.LEVY_PAYER_CO_INVESTMENT_FROM)
        reduced_from = excel_date(levy.REDUCED_CO_INVESTMENT_FROM)
        percent = {name: whole(rate * 100) for name, rate in (
            ("levy payer", levy.LEVY_PAYER_CO_INVESTMENT_RATE), ("reduced", levy.CO_INVESTMENT_RATE),
            ("original", levy.ORIGINAL_CO_INVESTMENT_RATE))}
        # levy.co_investment_rate by start date; whole percentages keep the products exact.
        formulas["co_investment_percent"] = (
            f"=IF({first}=0,0,IF(AND(AnnualLevy>0,{start}>={levy_payer_from}),{percent['levy payer']},"
            f"IF({start}>={reduced_from},{percent['reduced']},{percent['original']})))")
    return formulas


def _forecast_sheet(wb: Workbook, tax_year: str) -> None:
    ws = wb.create_sheet(FORECAST.sheet)
    visible = sum(1 for column in FORECAST.columns if not column.hidden)
    _sheet_title(ws, f"Forecast: the account month by month for {spec.FORECAST_MONTHS} months",
                 "Funds in, payments to training providers, transfers and pledges, co-investment when the account "
                 "cannot pay, and funds that expire. The balance never goes below 0: training it cannot pay is "
                 "co-invested and the month is marked as running short.", visible)
    ws["A3"] = ('="The pay bill grows by "&ROUND(PayBillGrowthUsed*100,2)&"% a year after the plan year (see the '
                'Years table). Funds entering from 1 August 2026 have no top-up and expire after 12 months."')
    style.apply(ws["A3"], style.NOTE)
    style.wrap_across(ws, ws["A3"], visible)
    formulas = _result_formulas()
    _block(ws, wb, EXPIRY, formulas)
    note = a1.cell(EXPIRY.row("FundsExpiring"), EXPIRY.note_column)
    ws[note] = ('=IF(FundsExpiring>0,"Levy funds will expire: plan more starts or transfers before the first '
                'month shown, or they are lost.","No funds expire in the forecast.")')
    style.apply(ws[note], style.LABEL)
    short = a1.cell(EXPIRY.row("ShortfallMonths"), EXPIRY.note_column)
    ws[short] = ('=IF(ShortfallMonths>0,"Funds run short: the training the account cannot pay needs co-investment '
                 'by the employer and the government.","The account pays for everything planned.")')
    style.apply(ws[short], style.LABEL)
    for name in ("FundsExpiringPlanYear", "NextExpiryAmount", "FundsExpiring", "ExpiryMonthCount", "ShortfallMonths"):
        _highlight(ws, EXPIRY.cell(name), f"{EXPIRY.cell(name)}>0")
    _highlight(ws, EXPIRY.cell("NextExpiryMonth"), f"{a1.absolute(EXPIRY.cell('FundsExpiring'))}>0")
    _highlight(ws, EXPIRY.cell("FirstShortfallMonth"), f"{a1.absolute(EXPIRY.cell('ShortfallMonths'))}>0")
    _years_table(ws, tax_year)
    _forecast_table(ws)
    _hide_workings(ws, FORECAST)
    money = Decimal("-9999999.99")
    style.fit_columns(ws, FORECAST.first_row, FORECAST.last_row(), header_row=FORECAST.header_row,
                      samples={FORECAST.letter(column.key): money for column in FORECAST.columns
                               if column.number_format == spec.MONEY} | {FORECAST.letter("short"): "Yes",
                                                                          YEARS.letter("pay_bill"): _LARGE_MONEY},
                      columns=[FORECAST.letter(column.key) for column in FORECAST.columns if not column.hidden])
    style.fit_rows(ws)
    style.set_up_printing(ws, title=TITLE, landscape=True, repeat_rows=(FORECAST.header_row, FORECAST.header_row))
    _forecast_chart(ws)
    ws.freeze_panes = FORECAST.cell("funds_in", FORECAST.first_row)
    c.protect(ws)


def _years_table(ws: Worksheet, tax_year: str) -> None:
    table = YEARS
    _table_header(ws, table)
    first_year = plan_start_of(tax_year).year
    month = FORECAST.structured("month")
    for k, r in enumerate(range(table.first_row, table.last_row() + 1)):
        cells_ = table.row_cells(r)
        c.set_text(ws[cells_["tax_year"]], levy.tax_year_of(dt.date(first_year + k, 4, 6)))
        style.apply(ws[cells_["tax_year"]], style.TABLE_CELL)
        start = f"EDATE(PlanStart,{12 * k})"
        previous = table.cell("pay_bill", r - 1)
        formulas = {
            "pay_bill": "=TotalPayBillUsed" if k == 0 else f"=ROUND({previous}*(1+PayBillGrowthUsed),2)",
            "levy": "=" + _levy_formula(cells_["pay_bill"]),
            "closing_balance": f"=INDEX({FORECAST.structured('balance')},{12 * (k + 1)})",
        }
        for key in ("funds_in", "cost_of_training", "completion_payments", "transfers_out", "expired",
                    "employer_contribution", "government_contribution"):
            formulas[key] = (f'=ROUND(SUMIFS({FORECAST.structured(key)},{month},">="&{start},{month},"<"&'
                             f"EDATE({start},12)),2)")
        for key, formula in formulas.items():
            _formula(ws, cells_[key], formula, table.column(key).number_format)
    style.add_table(ws, table.name, table.ref())


def _forecast_table(ws: Worksheet) -> None:
    """Forecast rows, one a month, as the formula plan of docs/levy.md."""
    table = FORECAST
    _table_header(ws, table)
    starts, transfers = PLANNED_STARTS, TRANSFERS

    def due(costed: Table, month: str, *extra: str) -> str:
        first, last, instalment = (costed.structured(key) for key in ("first_payment_month",
                                                                      "last_instalment_month", "instalment"))
        return f"SUMPRODUCT(({first}<={month})*({last}>={month})*{'*'.join((instalment, *extra))})"

    def completing(costed: Table, month: str) -> str:
        return (f"SUMIF({costed.structured('last_instalment_month')},EDATE({month},-1),"
                f"{costed.structured('completion_payment')})")

    top_up_end, short_from = excel_date(levy.TOP_UP_END), excel_date(levy.SHORT_EXPIRY_FROM)
    opening_entered, opening_amount = OPENING.structured("entered"), OPENING.structured("amount")
    co_percent = starts.structured("co_investment_percent")
    for i, r in enumerate(range(table.first_row, table.last_row() + 1)):
        k = table.row_cells(r)
        m = k["month"]

        def above(key: str, r: int = r, i: int = i) -> str:  # the row above; 0 above the first row
            return "0" if i == 0 else table.cell(key, r - 1)

        # levy.funds_entering of the year's monthly levy: the English share, and the top-up before it ended.
        monthly = f"ROUND({YEARS.cell('levy', YEARS.first_row + i // 12)}/12,2)"
        english = f"ROUND({monthly}*EnglishPercentUsed,2)"
        training = f"({k['cost_of_training']}+{k['completion_payments']})"
        weighted_completions = (f"SUMPRODUCT(({starts.structured('last_instalment_month')}=EDATE({m},-1))"
                                f"*{starts.structured('completion_payment')}*{co_percent})")
        due_24 = (f"SUMIF({opening_entered},EDATE({m},-24),{opening_amount})" if i < levy.EXPIRY_MONTHS
                  else table.cell("funds_in", r - levy.EXPIRY_MONTHS))
        due_12 = (f"SUMIF({opening_entered},EDATE({m},-12),{opening_amount})" if i < levy.SHORT_EXPIRY_MONTHS
                  else table.cell("funds_in", r - levy.SHORT_EXPIRY_MONTHS))
        formulas = {
            "month": f"=EDATE(PlanStart,{i})",
            "funds_in": f"={english}+IF({m}<{top_up_end},ROUND({english}{_times(levy.TOP_UP_RATE)},2),0)",
            "cost_of_training": f"=ROUND({due(starts, m)},2)",
            "completion_payments": f"=ROUND({completing(starts, m)},2)",
            "transfers_due": f"=ROUND({due(transfers, m)}+{completing(transfers, m)},2)",
            "weighted": f"={due(starts, m, co_percent)}+{weighted_completions}",
            "brought_forward": "=OpeningBalanceUsed" if i == 0 else f"={table.cell('balance', r - 1)}",
            "transfers_out": f"=MIN({k['transfers_due']},{k['brought_forward']})",
            "training_from_levy": f"=MIN({training},ROUND({k['brought_forward']}-{k['transfers_out']},2))",
            "shortfall": f"=ROUND({training}-{k['training_from_levy']},2)",
            "employer_contribution": (f"=IF({k['shortfall']}=0,0,ROUND({k['shortfall']}*{k['weighted']}/"
                                      f"(100*{training}),2))"),
            "government_contribution": f"=ROUND({k['shortfall']}-{k['employer_contribution']},2)",
            "spent_so_far": f"=ROUND({above('spent_so_far')}+{k['transfers_out']}+{k['training_from_levy']},2)",
            "due_24": f"=IF(EDATE({m},-{levy.EXPIRY_MONTHS})>={short_from},0,{due_24})",
            "used_24": (f"=ROUND({above('used_24')}+MIN({k['due_24']},MAX(0,{k['spent_so_far']}-"
                        f"{above('used_24')})),2)"),
            "expired_24_so_far": (f"=ROUND({above('expired_24_so_far')}+{k['due_24']}-({k['used_24']}-"
                                  f"{above('used_24')}),2)"),
            "due_12": f"=IF(EDATE({m},-{levy.SHORT_EXPIRY_MONTHS})<{short_from},0,{due_12})",
            "held_24": (f"=MIN(ROUND(Funds24Months-{k['expired_24_so_far']},2),"
                        f"MAX({k['used_24']},{k['spent_so_far']}))"),
            "used_12": (f"=ROUND({above('used_12')}+MIN({k['due_12']},MAX(0,ROUND({k['spent_so_far']}-"
                        f"{k['held_24']}-{above('used_12')},2))),2)"),
            "expired": (f"=ROUND({k['due_24']}-({k['used_24']}-{above('used_24')})+{k['due_12']}-({k['used_12']}-"
                        f"{above('used_12')}),2)"),
            "balance": (f"=ROUND({k['brought_forward']}-{k['transfers_out']}-{k['training_from_levy']}-"
                        f"{k['expired']}+{k['funds_in']},2)"),
            "expired_so_far": f"=ROUND({above('expired_so_far')}+{k['expired']},2)",
            "short": (f'=IF(OR({k["shortfall"]}>0,{k["transfers_out"]}<{k["transfers_due"]}),'
                      f'"{spec.SHORT}","")'),
        }
        for key, formula in formulas.items():
            column = table.column(key)
            _formula(ws, k[key], formula, column.number_format, visible=not column.hidden)
    style.add_table(ws, table.name, table.ref())
    visible_last = table.letter("short")
    rows = f"{table.cell('month', table.first_row)}:{visible_last}{table.last_row()}"
    _highlight(ws, rows, f'${visible_last}{table.first_row}="{spec.SHORT}"')
    _highlight(ws, table.column_cells("expired"), f"{table.cell('expired', table.first_row)}>0")


def _forecast_chart(ws: Worksheet) -> None:
    """Straight lines of the money that moves through the account, above the monthly table."""
    chart = LineChart()
    for key in _CHARTED:
        column = FORECAST.first_column + FORECAST.index(key) + 1
        chart.add_data(Reference(ws, min_col=column, min_row=FORECAST.header_row, max_row=FORECAST.last_row()),
                       titles_from_data=True)
    month = FORECAST.first_column + FORECAST.index("month") + 1
    chart.set_categories(Reference(ws, min_col=month, min_row=FORECAST.first_row, max_row=FORECAST.last_row()))
    chart.x_axis.number_format = "mmm yy"
    chart.height = _CHART_HEIGHT_CM
    style.finish_chart(chart, title="The account month by month", y_title="Pounds (£)",
                       y_number_format=style.MONEY_WHOLE)
    last = style.place_chart_below(ws, chart, YEARS.last_row())
    if last >= FORECAST.header_row:
        raise AssertionError(f"the chart (to row {last}) runs into the Forecast table (row {FORECAST.header_row})")


def _cache_forecast_chart(wb: Workbook) -> None:
    """The chart's data as the Forecast's formulas will give it, so that file previews draw it.

    The figures are the reader's: it recomputes this very workbook from what
    was typed in it, as it recomputes a returned plan.
    """
    plan = read_levy_plan_package(UnsavedPackage(wb), CONTRACT)
    known = {f"{FORECAST.sheet}!{FORECAST.cell(key, month.row)}": getattr(month, key)
             for month in plan.forecast for key in ("month", *_CHARTED)}
    (chart,) = wb[FORECAST.sheet]._charts
    style.cache_chart_data(chart, wb, known)


def _expiring_rows(expiring: Mapping[dt.date, Number] | Sequence[tuple[object, object]]) -> list[dict[str, object]]:
    pairs: Iterable[tuple[object, object]] = expiring.items() if isinstance(expiring, Mapping) else expiring
    return [{"month": month, "amount": amount} for month, amount in pairs]


def _expiry_sheet(wb: Workbook, expiring: Sequence[Mapping[str, object]]) -> None:
    ws = wb.create_sheet(EXPIRING_FUNDS.sheet)
    last_column = OPENING.first_column + sum(1 for column in OPENING.columns if not column.hidden)
    _sheet_title(ws, "Expiry: when the opening balance entered the account",
                 "Funds expire 24 months after they enter, or 12 months for funds entering from "
                 f"{_day(levy.SHORT_EXPIRY_FROM)}, oldest first. If the account's finance page shows funds due to "
                 "expire, list them by month on the left: they replace the estimate for those months. The rest of "
                 "the opening balance is spread over the months before the plan, newest first.", last_column)
    formulas = _result_formulas()
    _block(ws, wb, OPENING_WORKINGS, formulas)
    _expiring_table(ws, expiring)
    _opening_table(ws)
    style.fit_columns(ws, EXPIRING_FUNDS.first_row, OPENING.last_row(), header_row=EXPIRING_FUNDS.header_row,
                      samples={**_samples(EXPIRING_FUNDS, {"check": spec.CHECK_ENTERED_AFTER_PLAN}),
                               **{OPENING.letter(key): Decimal("-9999999.99") for key in ("known", "estimate",
                                                                                          "amount")}},
                      columns=[a1.column_letter(col) for col in range(last_column)
                               if col != EXPIRING_FUNDS.first_column + EXPIRING_FUNDS.index("usable")])
    _hide_workings(ws, EXPIRING_FUNDS)
    _hide_workings(ws, OPENING)
    ws.column_dimensions[a1.column_letter(OPENING.first_column - 1)].width = 2
    _finish(ws, repeat=EXPIRING_FUNDS, landscape=False)


def _expiring_table(ws: Worksheet, expiring: Sequence[Mapping[str, object]]) -> None:
    table = EXPIRING_FUNDS
    _table_header(ws, table)
    _write_rows(ws, table, expiring, table.rows)
    for r in range(table.first_row, table.last_row() + 1):
        k = table.row_cells(r)
        month, amount = k["month"], k["amount"]
        first = f"DATE(YEAR({month}),MONTH({month}),1)"
        # levy.entered_for_expiry: the month whose funds expire in this one.
        entered = (f"IF(EDATE({first},-{levy.EXPIRY_MONTHS})<{excel_date(levy.SHORT_EXPIRY_FROM)},"
                   f"EDATE({first},-{levy.EXPIRY_MONTHS}),EDATE({first},-{levy.SHORT_EXPIRY_MONTHS}))")
        formulas = {
            "entered": _blank_when_empty(table, r, f'IF(ISNUMBER({month}),{entered},"")'),
            "check": _blank_when_empty(table, r, table.check_formula(r)),
            "usable": (f"=IF(AND(ISNUMBER({month}),ISNUMBER({amount})),IF(AND({amount}>=0,{first}>=PlanStart,"
                       f"{k['entered']}<PlanStart),1,0),0)"),
        }
        for key, formula in formulas.items():
            column = table.column(key)
            _formula(ws, k[key], formula, column.number_format, visible=not column.hidden)
    style.add_table(ws, table.name, table.ref())
    _date(ws, table.column_cells("month"), title="Month", prompt="Type the month the funds expire, as 01/06/2026.")
    _number(ws, table.column_cells("amount"), "decimal", 0, title="Amount",
            prompt="Type the amount due to expire that month, in pounds.")
    _highlight(ws, table.column_cells("check"), f'{table.cell("check", table.first_row)}<>""', style.CHECK)


def _opening_table(ws: Worksheet) -> None:
    table = OPENING
    _table_header(ws, table)
    known_valid = "ExpiringFundsTotal<=OpeningBalanceUsed"
    listed = (f"{EXPIRING_FUNDS.structured('entered')},{{entered}},{EXPIRING_FUNDS.structured('usable')},1")
    candidates = table.column_cells("candidate")
    for j, r in enumerate(range(table.first_row, table.last_row() + 1), start=1):
        k = table.row_cells(r)
        later_estimates = f"{table.cell('estimate', table.first_row)}:{table.cell('estimate', r - 1)}"
        formulas = {
            "entered": f"=EDATE(PlanStart,-{j})",
            "expires": (f"=EDATE({k['entered']},IF({k['entered']}<{excel_date(levy.SHORT_EXPIRY_FROM)},"
                        f"{levy.EXPIRY_MONTHS},{levy.SHORT_EXPIRY_MONTHS}))"),
            "known": (f"=IF({known_valid},SUMIFS({EXPIRING_FUNDS.structured('amount')},"
                      f"{listed.format(entered=k['entered'])}),0)"),
            "covered": f"=IF({known_valid},COUNTIFS({listed.format(entered=k['entered'])}),0)",
            "candidate": f"=IF(AND({k['expires']}>=PlanStart,{k['covered']}=0),1,0)",
            "older": ("=0" if j == table.rows else
                      f"=SUM({table.cell('candidate', r + 1)}:{table.cell('candidate', table.last_row())})"),
            "rest_before": "=OpeningBalanceRest" if j == 1 else f"=ROUND(OpeningBalanceRest-SUM({later_estimates}),2)",
            "estimate": (f"=IF({k['candidate']}=0,0,IF({k['older']}=0,{k['rest_before']},"
                         f"MIN(OpeningMonthCap,{k['rest_before']})))"),
            "extra": f"=IF(SUM({candidates})=0,OpeningBalanceRest,0)" if j == 1 else "=0",
            "amount": f"=ROUND({k['known']}+{k['estimate']}+{k['extra']},2)",
        }
        for key, formula in formulas.items():
            column = table.column(key)
            _formula(ws, k[key], formula, column.number_format, visible=not column.hidden)
    style.add_table(ws, table.name, table.ref())


def _standards_sheet(wb: Workbook, standards: Sequence[Standard], source: str, banner: str | None) -> None:
    """Standards open for starts, rows for the officer to add more, then those closed to new starts; their bands."""
    table, bands_table = STANDARDS, FUNDING_BANDS
    ws = wb.create_sheet(table.sheet)
    visible = sum(1 for column in table.columns if not column.hidden)
    _sheet_title(ws, "Apprenticeship standards and funding bands",
                 f"From {source}. Add a standard that is missing in the yellow rows; a standard that is retired, "
                 "withdrawn or not yet approved cannot be started. Dated funding bands, on the right, apply by "
                 "start date.", visible + len(bands_table.columns), banner)
    _table_header(ws, table)
    _table_header(ws, bands_table)
    open_for_starts = sorted((s for s in standards if s.approved), key=lambda s: s.reference)
    closed = sorted((s for s in standards if not s.approved), key=lambda s: s.reference)
    rows = len(open_for_starts) + spec.SPARE_STANDARD_ROWS + len(closed)
    ordered: list[Standard | None] = [*open_for_starts, *[None] * spec.SPARE_STANDARD_ROWS, *closed]
    for r, standard in zip(range(table.first_row, table.last_row(rows) + 1), ordered, strict=True):
        k = table.row_cells(r)
        if standard is None:
            for key in table.keys("input"):
                style.apply(ws[k[key]], style.INPUT, table.column(key).number_format)
        else:
            values = {"reference": standard.reference, "title": standard.title, "level": standard.level,
                      "status": standard.status, "max_funding": standard.max_funding,
                      "typical_duration_months": standard.typical_duration_months,
                      "earliest_start": standard.earliest_start_date, "latest_start": standard.latest_start_date}
            for key, value in values.items():
                c.write_value(ws[k[key]], value)
                style.apply(ws[k[key]], style.TABLE_CELL, table.column(key).number_format)
        open_status = f'OR({k["status"]}="",{k["status"]}="{spec.APPROVED_FOR_DELIVERY}")'
        _formula(ws, k["pick"], (f'=IF(AND({k["reference"]}<>"",{k["title"]}<>"",{open_status}),'
                                 f'{k["reference"]}&" "&{k["title"]}&" (level "&{k["level"]}&")","")'), None,
                 visible=False)
    style.add_table(ws, table.name, table.ref(rows))
    dated = [(s.reference, band) for s in standards for band in s.funding_bands]
    band_rows = len(dated) + spec.SPARE_BAND_ROWS
    for index, r in enumerate(range(bands_table.first_row, bands_table.last_row(band_rows) + 1)):
        k = bands_table.row_cells(r)
        if index < len(dated):
            reference, band = dated[index]
            for key, value in (("reference", reference), ("effective_from", band.effective_from),
                               ("effective_to", band.effective_to), ("max_funding", band.max_funding)):
                c.write_value(ws[k[key]], value)
                style.apply(ws[k[key]], style.TABLE_CELL, bands_table.column(key).number_format)
        else:
            for key in bands_table.keys("input"):
                style.apply(ws[k[key]], style.INPUT, bands_table.column(key).number_format)
        _formula(ws, k["until"], (f'=IF({k["reference"]}="","",IF({k["effective_to"]}="",{cells.LAST_SERIAL},'
                                  f'{k["effective_to"]}))'), spec.DATE, visible=False)
    style.add_table(ws, bands_table.name, bands_table.ref(band_rows))
    spare_first = table.first_row + len(open_for_starts)
    spare_last = spare_first + spec.SPARE_STANDARD_ROWS - 1

    def spare(key: str) -> str:
        return f"{table.cell(key, spare_first)}:{table.cell(key, spare_last)}"

    for key, title in (("reference", "Reference"), ("title", "Title")):
        style.add_prompt(ws, spare(key), title=title, prompt=f"Type the standard's {title.lower()}, as the "
                         "standards list gives it (a reference is like ST0454).")
    style.add_prompt(ws, spare("status"), title="Status",
                     prompt="Leave blank for a standard approved for delivery.")
    _number(ws, spare("level"), "whole", 1, 8, title="Level", prompt="Type the level, 2 to 7.")
    _number(ws, spare("max_funding"), "decimal", 0, title="Funding band maximum",
            prompt="Type the funding band maximum in pounds.")
    _number(ws, spare("typical_duration_months"), "whole", 1, spec.MAX_DURATION_MONTHS, title="Typical duration",
            prompt="Type the typical duration in whole months.")
    _date(ws, f"{spare('earliest_start')} {spare('latest_start')}", title="Start dates",
          prompt="Type the first or last day starts can be made, if the list gives one.")
    band_spare = (f"{bands_table.cell('reference', bands_table.first_row + len(dated))}:"
                  f"{bands_table.cell('reference', bands_table.last_row(band_rows))}")
    style.add_prompt(ws, band_spare, title="Reference", prompt="Type the reference of a standard with dated bands.")
    dates = " ".join(f"{bands_table.cell(key, bands_table.first_row + len(dated))}:"
                     f"{bands_table.cell(key, bands_table.last_row(band_rows))}" for key in ("effective_from",
                                                                                            "effective_to"))
    _date(ws, dates, title="Band dates", prompt="Type the first and last day the band is in force (To may be blank).")
    _number(ws, f"{bands_table.cell('max_funding', bands_table.first_row + len(dated))}:"
                f"{bands_table.cell('max_funding', bands_table.last_row(band_rows))}", "decimal", 0,
            title="Funding band maximum", prompt="Type the band's maximum in pounds.")
    c.define_name(wb, "StandardList", ws, f"{table.cell('pick', table.first_row)}:{table.cell('pick', spare_last)}")
    _hide_workings(ws, table)
    _hide_workings(ws, bands_table)
    ws.column_dimensions[a1.column_letter(bands_table.first_column - 1)].width = 2
    style.fit_columns(ws, table.first_row, max(table.last_row(rows), bands_table.last_row(band_rows)),
                      header_row=table.header_row, caps={table.letter("title"): 45},
                      samples={**_samples(table, {}), **_samples(bands_table, {})},
                      columns=[a1.column_letter(col) for col in range(bands_table.first_column + 4)
                               if col not in (table.first_column + table.index("pick"),
                                              bands_table.first_column - 1)])
    ws.freeze_panes = table.cell("reference", table.first_row)
    _finish(ws, repeat=table, landscape=True)


def _sample_figures_date() -> dt.date:
    """The day the shipped sample's figures come from (its ``figuresAsAt``)."""
    text = (resources.files("lga_xl") / "data" / SAMPLE_EXPORT_FILE).read_text(encoding="utf-8")
    return dt.date.fromisoformat(json.loads(text)["figuresAsAt"])
