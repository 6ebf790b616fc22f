"""The schools apprenticeship levy plan workbook.

A council is the levy employer for its community, voluntary controlled,
community special and maintained nursery schools (domain.md, "Councils and
schools"); this workbook plans how the council's levy is spent, by the
council and by those schools, how much may be transferred, and forecasts the
account month by month for three years, including funds that will expire.

Contract (readers, the bulk import and tests rely on it):

* Workbook-level names for the inputs on the ``Plan`` sheet: OrgName, Region,
  TaxYear and PlanStart (locked: a new tax year is a new workbook), PlanEnd,
  TotalPayBill, EnglishPercent, Headcount, PreviousYearFunds, OpeningBalance,
  TransfersCommitted; and for the results: AnnualLevy, MonthlyLevy,
  MonthlyEnglishLevy, MonthlyTopUp, FundsIn, PlannedSpend,
  PlannedStartsInYear, PublicSectorTargetStarts, StatutoryTransferRate,
  TransferAllowance10, TransferAllowance25, TransferAllowanceStatutory,
  TransfersPlanned, TransfersTotal, Headroom10, Headroom25,
  HeadroomStatutory, OverCommitted, SchoolsPayBill, SchoolsLevyShare,
  SchoolsPlannedSpend.  On the ``Forecast`` sheet: FundsExpiring,
  ExpiryMonthCount, FirstExpiryMonth, LowestBalance, ShortfallMonths.
* Tables, columns in this order (inputs first where the contract says so):
  ``Schools`` (SCHOOL_COLUMNS), ``PlannedStarts`` (START_COLUMNS),
  ``Transfers`` (TRANSFER_COLUMNS), ``Forecast`` (FORECAST_COLUMNS, 36
  months from the plan start), ``Cohorts`` (COHORT_COLUMNS, the expiry
  workings) and ``Standards`` (STANDARD_COLUMNS).
* Dropdowns through names: SchoolTypeList, CouncilSchoolTypeList and
  RegionList on the hidden ``Lists`` sheet, StandardList (the Standards
  table's references) and SchoolURNList (the Schools table's URNs).
* Hidden ``lga_xl`` sheet: kind ``levy-plan``, template version, tax year,
  standards source.

Every formula mirrors :mod:`lga_xl.levy` with ``ROUND(x, 2)`` at the same
points; :mod:`lga_xl.readers.levy_plan` recomputes everything in Python and
the LibreOffice tests compare the two to the penny.  The modelling decisions
are listed in INSTRUCTIONS, which the workbook shows to the officer.

Example:
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "plan.xlsx"
    >>> new_levy_plan(path, org_name="Exampleshire County Council", tax_year="2026-27").name
    'plan.xlsx'
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from openpyxl.chart import LineChart, Reference
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import PatternFill

from .. import levy
from ..reference import COUNCIL_SCHOOL_TYPES, REGIONS, SCHOOL_TYPES
from ..standards import Standard, read_user_text, sample_standards
from ..text import squash
from . import common as c

__all__ = [
    "FIRST_TAX_YEAR",
    "FORECAST_MONTHS",
    "KIND",
    "LAST_TAX_YEAR",
    "MAX_DURATION_MONTHS",
    "NO_EXPIRY",
    "TEMPLATE_VERSION",
    "SchoolEntry",
    "SchoolsCsvError",
    "StartEntry",
    "TransferEntry",
    "load_schools_csv",
    "new_levy_plan",
    "plan_start_of",
    "sample_levy_plan",
]

KIND = "levy-plan"
TEMPLATE_VERSION = "1.0"

# Transfers began in April 2018 (domain.md section 2); earlier plans would need the levy's
# first year, which this workbook does not model.
FIRST_TAX_YEAR = "2018-19"
LAST_TAX_YEAR = "2098-99"
MAX_DURATION_MONTHS = 120  # the Duration validation's maximum
FORECAST_MONTHS = 36

SCHOOL_ROWS = 60
START_ROWS = 150
TRANSFER_ROWS = 20
SPARE_ROWS = 10  # blank rows left below a pre-filled table
SPARE_STANDARD_ROWS = 30  # for standards the officer adds by hand

SCHOOL_COLUMNS = ("URN", "School", "Type", "PayBill", "Headcount", "LevyShare", "PlannedSpend", "Balance", "Check")
_SCHEDULE_COLUMNS = ("Instalment", "CompletionPayment", "FirstPaymentMonth", "LastInstalmentMonth")
START_COLUMNS = ("URN", "Standard", "Title", "Level", "StartDate", "DurationMonths", "Price",
                 "BandMax", "AboveCap", "InYearCost", "Check", *_SCHEDULE_COLUMNS)
TRANSFER_COLUMNS = ("Recipient", "Standard", "StartDate", "DurationMonths", "Price", "InYearCost",
                    "Title", "Level", "BandMax", "AboveCap", "Check", *_SCHEDULE_COLUMNS)
FORECAST_COLUMNS = ("Month", "FundsIn", "Spending", "TransfersOut", "Expired", "Balance", "Shortfall", "ExpiredSoFar")
COHORT_COLUMNS = ("Entered", "Amount", "Expires", "SpentByExpiry", "UsedByEarlier", "Used", "Expiring")
STANDARD_COLUMNS = ("Reference", "Title", "Level", "MaxFunding", "TypicalDurationMonths")

# Texts of the Check columns: the reader produces the same ones.
CHECK_INCOMPLETE = "Incomplete row"
CHECK_NOT_IN_LEVY = "Not in council levy"
CHECK_URN_TWICE = "URN listed twice"
CHECK_UNKNOWN_STANDARD = "Unknown standard"
CHECK_UNKNOWN_SCHOOL = "Unknown school"
CHECK_NOT_COSTED = "Check the date, duration and price"
CHECK_TOO_SHORT = "Shorter than the minimum"
CHECK_OUTSIDE_PLAN = "Starts outside the plan year"
CHECK_ABOVE_CAP = "Price above the funding band"
NO_EXPIRY = "None"  # FirstExpiryMonth when nothing expires in the forecast

HEADER_ROW = 5  # header row of the Schools, PlannedStarts, Transfers tables
FORECAST_HEADER_ROW = 11
COHORT_HEADER_ROW = 6
STANDARDS_HEADER_ROW = 4

MONEY = "#,##0.00"
DATE = "dd/mm/yyyy"
MONTH = "mmm yyyy"
_WARN_FILL = PatternFill("solid", fgColor="F8CBAD")  # pale red: needs attention
_CHECK_FILL = PatternFill("solid", fgColor="FFD966")  # amber: a row to look at

Number = int | float | Decimal | str

INSTRUCTIONS = (
    (
        "What this workbook is",
        (
            "A plan for the council's apprenticeship levy: what the council pays, how much enters its "
            "apprenticeship service account, how the council and its schools plan to spend it, how much may "
            "be transferred to other employers, and a month-by-month forecast of the account for three years, "
            "including any funds that would expire unspent.",
            "The council is the levy employer for community, voluntary controlled, community special and "
            "maintained nursery schools: their staff are in the council's pay bill and their apprenticeships "
            "are paid from the council's account. Foundation and voluntary aided schools, academies and free "
            "schools employ their own staff and are not in the council's levy: list them and they are flagged "
            "'Not in council levy'.",
        ),
    ),
    (
        "How to fill it in",
        (
            "1. Plan sheet: fill in the yellow cells. The tax year and plan dates are fixed when the workbook "
            "is made; a new tax year needs a new workbook.",
            "2. Schools sheet: one row per school with its URN, name, type, annual pay bill and headcount.",
            "3. Starts sheet: one row per planned apprenticeship start. Leave URN blank for the council's own "
            "staff. Pick the standard from the list: its title, level and funding band maximum fill in.",
            "4. Transfers sheet: one row per transfer you plan to another employer this year.",
            "5. Read the Forecast sheet, especially the expiry warning at the top.",
            "Only the yellow cells can be changed; the sheets are protected without a password. Rows with a "
            "problem show it in their Check column. Do not rename sheets, tables or columns.",
        ),
    ),
    (
        "How the figures are worked out",
        (
            "Levy: 0.5% of the whole council's annual pay bill (schools included) less the 15,000 allowance, "
            "never below 0, to the penny. The workbook writes this as (pay bill - 3,000,000) / 200, which is "
            "the same amount and stays exact in spreadsheet arithmetic.",
            "Monthly funds: the year's levy is spread evenly, a twelfth a month rounded to the penny. Each "
            "month's funds are the English share (the English percentage, rounded to the penny) plus a 10% "
            "government top-up for funds entering before 1 August 2026, and no top-up from then. Each month's "
            "funds are taken to enter in that month. Years two and three of the forecast assume the same pay bill.",
            "Plan year: April to March of the tax year (payments are monthly, so the tax year is taken as its "
            "calendar months). A start outside those months is flagged but still forecast.",
            "Provider payments: 80% of the price in equal monthly instalments (rounded to the penny) in the "
            "months after the start month up to the planned end month, then the rest on completion the month "
            "after. Levy funds pay up to the standard's funding band maximum; any amount above it is the "
            "employer's and is not in the forecast. In-year cost is what falls in the plan year.",
            "School share: each council-employed school's share of the levy is the levy times its pay bill "
            "divided by the whole council's pay bill, to the penny. Its planned spend is the in-year cost of "
            "the starts with its URN; its balance is share minus spend.",
            "Transfers: the allowance is a share of the funds that entered the account in the previous tax "
            "year: 10%, 25% and the statutory rate for the tax year (50% from 22 April 2024). Committed = "
            "transfers already committed outside this plan + the in-year cost of the Transfers sheet. Headroom "
            "is the allowance minus committed, never below 0; 'over the allowance' shows any excess, which must "
            "be resolved.",
            "Opening balance: treated as funds that entered the month before the plan starts, so they expire "
            "24 months later if that month is before August 2026, otherwise 12 months later.",
            "Expiry: funds expire 24 months after entering, or 12 months for funds entering from 1 August 2026; "
            "the oldest funds are used first, as the apprenticeship service does. The Expiry sheet shows the "
            "working: each month's funds are matched against all spending up to their expiry month, after the "
            "older funds have taken their share. Payments dated before the plan start are taken to be in the "
            "opening balance already.",
            "Balance: last month's balance plus funds in, less spending, transfers and expired funds. A balance "
            "below zero means the plan spends more than the funds available by then: the account cannot go "
            "below zero, so that training would need co-investment (25% employer, 75% government for levy "
            "payers' starts from 1 August 2026). Reduce or delay starts until no month shows a shortfall.",
            "Public sector target: 2.3% of headcount, rounded up to whole starts (a voluntary benchmark since "
            "March 2022).",
            "Minimum duration: 12 months, or 8 months for starts from 1 August 2025.",
        ),
    ),
    (
        "What to send back",
        (
            "Save the workbook as .xlsx (not .xls, not PDF, no password) and send it to your adviser. The "
            "import reads the tables and named cells, recalculates every figure and tells you which cell needs "
            "fixing.",
        ),
    ),
)


class SchoolsCsvError(ValueError):
    """A schools CSV that cannot be used; the message names the file and its lines."""


@dataclass(frozen=True)
class SchoolEntry:
    """A row of the Schools table; values are written as given."""

    urn: int | str
    name: str
    type: str
    pay_bill: Number | None = None
    headcount: int | None = None


@dataclass(frozen=True)
class StartEntry:
    """A row of the PlannedStarts table; ``urn`` None for the council's own staff."""

    standard: str
    start_date: dt.date
    duration_months: int
    price: Number
    urn: int | str | None = None


@dataclass(frozen=True)
class TransferEntry:
    """A row of the Transfers table."""

    recipient: str
    standard: str
    start_date: dt.date
    duration_months: int
    price: Number


# Public API.


def new_levy_plan(
    path: str | Path,
    *,
    org_name: str | None = None,
    region: str | None = None,
    tax_year: str = "2026-27",
    total_pay_bill: Number | None = None,
    english_percent: Number | None = None,
    headcount: int | None = None,
    previous_year_funds: Number | None = None,
    opening_balance: Number | None = None,
    transfers_committed: Number | None = None,
    schools: Sequence[SchoolEntry] = (),
    starts: Sequence[StartEntry] = (),
    transfers: Sequence[TransferEntry] = (),
    standards: Sequence[Standard] | None = None,
    standards_source: str | None = None,
) -> Path:
    """Write a levy plan workbook; blank, or pre-filled for demos and tests.

    Args:
        path: where to write the .xlsx file.
        org_name: the council's name (written as text, never as a formula).
        region: one of the nine English regions, or None.
        tax_year: the plan's tax year, like ``"2026-27"``, from 2018-19 to 2098-99.
        total_pay_bill ... transfers_committed: the Plan sheet's inputs,
            written as given (None leaves the cell blank).
        schools, starts, transfers: rows for the three input tables; each
            table keeps its standard size with at least SPARE_ROWS blank rows.
        standards: the standards list for the Standards sheet; the
            illustrative sample when None.
        standards_source: where ``standards`` came from, shown on the sheet.

    Raises:
        ValueError: a tax year not like ``2026-27``, or outside 2018-19 to 2098-99.

    Example:
        >>> import tempfile, pathlib, datetime
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "filled.xlsx"
        >>> new_levy_plan(out, org_name="Exampleshire", total_pay_bill=250_000_000, english_percent=100,
        ...               starts=[StartEntry("ST0072", datetime.date(2026, 9, 1), 12, 3500)]).exists()
        True
    """
    plan_start = plan_start_of(tax_year)
    if standards is None:
        standards, standards_source = sample_standards(), "the illustrative sample shipped with lga_xl"
    wb = c.new_workbook("Schools apprenticeship levy plan")
    c.add_instructions_sheet(wb, "Schools apprenticeship levy plan", INSTRUCTIONS)
    plan = _plan_sheet(wb, org_name, region, tax_year, plan_start, {
        "TotalPayBill": total_pay_bill,
        "EnglishPercent": english_percent,
        "Headcount": headcount,
        "PreviousYearFunds": previous_year_funds,
        "OpeningBalance": opening_balance,
        "TransfersCommitted": transfers_committed,
    })
    _schools_sheet(wb, schools)
    _starts_sheet(wb, starts)
    _transfers_sheet(wb, transfers)
    _forecast_sheet(wb)
    _expiry_sheet(wb)
    _standards_sheet(wb, standards, standards_source or "a file supplied when the workbook was made")
    _plan_results(wb, plan)
    c.add_lists_sheet(wb, {
        "SchoolTypeList": SCHOOL_TYPES,
        "CouncilSchoolTypeList": COUNCIL_SCHOOL_TYPES,
        "RegionList": REGIONS,
    })
    c.add_metadata_sheet(wb, KIND, TEMPLATE_VERSION, {
        "tax_year": tax_year,
        "standards_source": standards_source or "",
    })
    wb.active = 1  # open on the Plan sheet
    return c.save(wb, path)


def plan_start_of(tax_year: str) -> dt.date:
    """1 April of a tax year's first year: where the plan and its forecast start.

    Raises:
        ValueError: a label not like ``2026-27``, or a year outside 2018-19 to 2098-99.

    Example:
        >>> plan_start_of("2026-27")
        datetime.date(2026, 4, 1)
    """
    first_day, _ = levy.parse_tax_year(tax_year)
    if not levy.parse_tax_year(FIRST_TAX_YEAR)[0] <= first_day <= levy.parse_tax_year(LAST_TAX_YEAR)[0]:
        raise ValueError(f"tax year {tax_year}: levy plans are for tax years from {FIRST_TAX_YEAR} to {LAST_TAX_YEAR}")
    return dt.date(first_day.year, 4, 1)


def load_schools_csv(path: str | Path) -> list[SchoolEntry]:
    """Schools from a CSV with columns URN, School, Type, PayBill, Headcount.

    Headers are matched ignoring case, spaces and underscores ("Pay bill"
    is PayBill); PayBill and Headcount may be blank.  A type is one of
    ``lga_xl.reference.SCHOOL_TYPES`` (case and a trailing "school" are
    forgiven); types outside the council's levy load, and the workbook flags
    them.

    Raises:
        SchoolsCsvError: a missing file or column, or bad rows, each named by
            its CSV line.

    Example:
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "schools.csv"
        >>> _ = path.write_text("urn,school,type,pay bill,headcount\\n"
        ...                     "100001,Ash Primary,community school,1250000,42\\n")
        >>> load_schools_csv(path)[0]
        SchoolEntry(urn=100001, name='Ash Primary', type='Community', pay_bill=Decimal('1250000'), headcount=42)
    """
    path = Path(path)
    text = read_user_text(path, SchoolsCsvError, "save the list as CSV UTF-8")
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise SchoolsCsvError(f"{path.name}: the file is empty; the first line must name the columns "
                              "URN, School, Type, PayBill, Headcount")
    header = [squash(cell) for cell in rows[0]]
    columns = {name: header.index(squash(name)) for name in ("URN", "School", "Type", "PayBill", "Headcount")
               if squash(name) in header}
    missing = [name for name in ("URN", "School", "Type") if name not in columns]
    if missing:
        raise SchoolsCsvError(f"{path.name} line 1: missing column(s) {', '.join(missing)}; the columns are "
                              f"URN, School, Type, PayBill, Headcount (found: {', '.join(rows[0])})")
    schools, errors, seen = [], [], {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = {name: (row[index].strip() if index < len(row) else "") for name, index in columns.items()}
        try:
            school = _school_from_csv(values)
        except ValueError as exc:
            errors.append(f"line {line}: {exc}")
            continue
        if school.urn in seen:
            errors.append(f"line {line}: URN {school.urn} is listed twice (first on line {seen[school.urn]})")
            continue
        seen[school.urn] = line
        schools.append(school)
    if errors:
        shown = errors[:20] + ([f"... and {len(errors) - 20} more"] if len(errors) > 20 else [])
        raise SchoolsCsvError(f"{path.name}: {len(errors)} bad row(s):\n  " + "\n  ".join(shown))
    return schools


def sample_levy_plan(path: str | Path, *, org_name: str, region: str | None = None, seed: int = 0) -> Path:
    """A realistic, valid filled plan for 2026-27: for demos and benchmarks.

    A dozen council-employed schools, a few dozen starts either side of
    1 August 2026 (the council's own staff and the schools'), and two
    transfers within the headroom.  The same seed gives the same workbook.

    Example:
        >>> import tempfile, pathlib
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "sample.xlsx"
        >>> sample_levy_plan(out, org_name="Exampleshire County Council", seed=3).exists()
        True
    """
    rng = random.Random(seed)
    standards = sample_standards()
    band = {s.reference: s.max_funding for s in standards}
    duration = {s.reference: s.typical_duration_months or 12 for s in standards}
    school_standards = ["ST0454", "ST0575", "ST0135", "ST0888", "ST0070", "ST0617", "ST0490"]
    council_standards = ["ST0072", "ST0070", "ST0005", "ST0006", "ST0008", "ST0239", "ST0384", "ST0385",
                         "ST0002", "ST0118", "ST0310", "ST0510", "ST0602", "ST0053", "ST0906", "ST0088"]
    places = ["Ashby", "Brampton", "Calder", "Denholme", "Elmstead", "Fairfield", "Greystoke", "Hartwell",
              "Ivybridge", "Kingsley", "Langton", "Milford", "Northwick", "Oakham"]
    kinds = [("Primary School", "Community"), ("Church of England Primary School", "Voluntary controlled"),
             ("Infant School", "Community"), ("Junior School", "Community"),
             ("Nursery School", "Maintained nursery"), ("Special School", "Community special")]
    schools = []
    for urn, place in zip(rng.sample(range(100_000, 150_000), 12), rng.sample(places, 12), strict=True):
        suffix, school_type = rng.choice(kinds)
        schools.append(SchoolEntry(urn, f"{place} {suffix}", school_type, rng.randrange(600_000, 3_500_000, 1_000),
                                   rng.randrange(18, 95)))
    council_pay_bill = rng.randrange(15_000_000, 40_000_000, 10_000)
    total_pay_bill = council_pay_bill + sum(s.pay_bill for s in schools)
    english_percent = rng.choice([100, 99.5, 99, 98.7])
    annual_levy = levy.levy_due(total_pay_bill)
    previous_year_funds = levy.funds_entering(annual_levy * Decimal("0.97"), Decimal(str(english_percent)) / 100,
                                              on=dt.date(2026, 1, 1))
    starts = []
    for _ in range(rng.randrange(30, 42)):
        school = rng.choice(schools) if rng.random() < 0.4 else None
        standard = rng.choice(school_standards if school else council_standards)
        start = dt.date(2026, rng.randrange(4, 13), 1) if rng.random() < 0.75 else dt.date(2027, rng.randrange(1, 4), 1)
        start = start.replace(day=rng.choice([1, 1, 1, 8, 15]))
        price = band[standard] if rng.random() < 0.7 else band[standard] * rng.choice([Decimal("0.8"), Decimal("0.9")])
        starts.append(StartEntry(standard, start, max(duration[standard], 12) + rng.choice([0, 0, 3, 6]),
                                 price, school.urn if school else None))
    starts.sort(key=lambda s: (s.start_date, s.standard))
    transfers = [
        TransferEntry("Northwick Care Homes Ltd", "ST0005", dt.date(2026, 9, 1), 15, band["ST0005"]),
        TransferEntry("Calder Valley Community Transport CIC", "ST0072", dt.date(2026, 11, 1), 12, band["ST0072"]),
    ]
    return new_levy_plan(
        path, org_name=org_name, region=region, tax_year="2026-27",
        total_pay_bill=total_pay_bill, english_percent=english_percent,
        headcount=total_pay_bill // rng.randrange(24_000, 31_000), previous_year_funds=previous_year_funds,
        opening_balance=(annual_levy * Decimal(rng.choice(["0.3", "0.45", "0.6"]))).quantize(Decimal("0.01")),
        transfers_committed=rng.choice([0, 15_000, 40_000]),
        schools=schools, starts=starts, transfers=transfers, standards=standards,
        standards_source="the illustrative sample shipped with lga_xl",
    )


# Private API: the Plan sheet.

_INPUTS = (
    # defined name, label, note, number format
    ("OrgName", "Council", "The council's name as you want it reported.", None),
    ("Region", "Region", "One of the nine English regions.", None),
    ("TaxYear", "Tax year", "Fixed when the workbook was made: a new tax year needs a new workbook.", None),
    ("PlanStart", "Plan starts", "The first month of the tax year; the forecast starts here.", DATE),
    ("PlanEnd", "Plan ends", "The last day of the plan year's March.", DATE),
    ("TotalPayBill", "Annual pay bill, whole council", "Schools' staff included. In pounds.", MONEY),
    ("EnglishPercent", "English percentage",
     "Share of the pay bill for staff living in England, 0 to 100 (HMRC's English percentage).", "0.00"),
    ("Headcount", "Headcount", "Staff in England at the start of the year, for the public sector target.", "#,##0"),
    ("PreviousYearFunds", "Funds entered last tax year",
     "English levy plus top-up that entered the account in the previous tax year (your account shows it).", MONEY),
    ("OpeningBalance", "Opening balance", "Funds in the account at the start of the plan.", MONEY),
    ("TransfersCommitted", "Transfers already committed",
     "Transfers and pledges committed this tax year outside the Transfers sheet (their cost this year).", MONEY),
)
_LOCKED_INPUTS = ("TaxYear", "PlanStart", "PlanEnd")
_PLAN_FIRST_ROW = 5


def _plan_sheet(wb, org_name, region, tax_year, plan_start, values) -> dict[str, int]:
    """Inputs of the Plan sheet; returns defined name -> row."""
    ws = wb.create_sheet("Plan")
    ws["A1"] = "Schools apprenticeship levy plan"
    ws["A1"].font = c.TITLE_FONT
    ws["A2"] = "Fill in the yellow cells. Green cells are calculated for you."
    ws["A2"].font = c.NOTE_FONT
    ws["A4"] = "Inputs"
    ws["A4"].font = c.HEADING_FONT
    rows = {}
    for row, (name, label, note, number_format) in enumerate(_INPUTS, start=_PLAN_FIRST_ROW):
        rows[name] = row
        c.set_text(ws.cell(row=row, column=1), label)
        ws.cell(row=row, column=1).font = c.LABEL_FONT
        c.set_text(ws.cell(row=row, column=3), note)
        ws.cell(row=row, column=3).font = c.NOTE_FONT
        cell = ws.cell(row=row, column=2)
        if number_format:
            cell.number_format = number_format
        c.define_name(wb, name, ws, cell.coordinate)
        if name not in _LOCKED_INPUTS:
            c.mark_input([cell])
    c.set_text(ws.cell(row=rows["OrgName"], column=2), org_name)
    c.set_text(ws.cell(row=rows["Region"], column=2), region)
    c.set_text(ws.cell(row=rows["TaxYear"], column=2), tax_year)
    ws.cell(row=rows["PlanStart"], column=2, value=plan_start)
    ws.cell(row=rows["PlanEnd"], column=2, value="=EDATE(PlanStart,12)-1")
    c.mark_result(ws.cell(row=rows[name], column=2) for name in _LOCKED_INPUTS)
    for name, value in values.items():
        ws.cell(row=rows[name], column=2, value=value)
    c.add_list_validation(ws, "RegionList", f"B{rows['Region']}", title="Region",
                          message="Pick one of the nine English regions from the list.")
    for name in ("TotalPayBill", "PreviousYearFunds", "OpeningBalance", "TransfersCommitted"):
        c.add_number_validation(ws, f"B{rows[name]}", kind="decimal", minimum=0, title="Amount",
                                message="Type an amount in pounds, 0 or more, without a £ sign.")
    c.add_number_validation(ws, f"B{rows['EnglishPercent']}", kind="decimal", minimum=0, maximum=100,
                            title="English percentage", message="Type a percentage from 0 to 100, for example 98.5.")
    c.add_number_validation(ws, f"B{rows['Headcount']}", kind="whole", minimum=0, title="Headcount",
                            message="Type a whole number of staff, 0 or more.")
    c.set_widths(ws, {"A": 38, "B": 20, "C": 100})
    ws.sheet_view.showGridLines = False
    return rows


_RESULTS = (
    # defined name, label, formula, number format
    ("AnnualLevy", "Annual levy", "=MAX(0,ROUND((TotalPayBill-3000000)/200,2))", MONEY),
    ("MonthlyLevy", "Levy a month (a twelfth)", "=ROUND(AnnualLevy/12,2)", MONEY),
    ("MonthlyEnglishLevy", "English share of a month's levy", "=ROUND(MonthlyLevy*EnglishPercent/100,2)", MONEY),
    ("MonthlyTopUp", "Top-up a month (before 1 Aug 2026)", "=ROUND(MonthlyEnglishLevy/10,2)", MONEY),
    ("FundsIn", "Funds entering in the plan year",
     "=ROUND(SUMIFS(Forecast[FundsIn],Forecast[Month],\"<=\"&PlanEnd),2)", MONEY),
    ("PlannedSpend", "Planned starts: cost in the plan year", "=ROUND(SUM(PlannedStarts[InYearCost]),2)", MONEY),
    ("PlannedStartsInYear", "Planned starts in the plan year",
     "=COUNTIFS(PlannedStarts[StartDate],\">=\"&PlanStart,PlannedStarts[StartDate],\"<=\"&PlanEnd)", "#,##0"),
    ("PublicSectorTargetStarts", "Public sector target (2.3% of headcount)", "=ROUNDUP(Headcount*23/1000,0)", "#,##0"),
    ("StatutoryTransferRate", "Statutory transfer rate",
     "=IF(DATE(YEAR(PlanStart),5,5)>=DATE(2024,4,22),0.5,IF(DATE(YEAR(PlanStart),5,5)>=DATE(2019,4,6),0.25,"
     "IF(DATE(YEAR(PlanStart),5,5)>=DATE(2018,4,6),0.1,0)))", "0%"),
    ("TransferAllowance10", "Transfer allowance at 10%", "=ROUND(PreviousYearFunds/10,2)", MONEY),
    ("TransferAllowance25", "Transfer allowance at 25%", "=ROUND(PreviousYearFunds/4,2)", MONEY),
    ("TransferAllowanceStatutory", "Transfer allowance at the statutory rate",
     "=ROUND(PreviousYearFunds*StatutoryTransferRate,2)", MONEY),
    ("TransfersPlanned", "Planned transfers: cost in the plan year", "=ROUND(SUM(Transfers[InYearCost]),2)", MONEY),
    ("TransfersTotal", "Transfers committed this year", "=ROUND(TransfersCommitted+TransfersPlanned,2)", MONEY),
    ("Headroom10", "Headroom at 10%", "=MAX(0,ROUND(TransferAllowance10-TransfersTotal,2))", MONEY),
    ("Headroom25", "Headroom at 25%", "=MAX(0,ROUND(TransferAllowance25-TransfersTotal,2))", MONEY),
    ("HeadroomStatutory", "Headroom at the statutory rate",
     "=MAX(0,ROUND(TransferAllowanceStatutory-TransfersTotal,2))", MONEY),
    ("OverCommitted", "Transfers over the statutory allowance",
     "=MAX(0,ROUND(TransfersTotal-TransferAllowanceStatutory,2))", MONEY),
    ("SchoolsPayBill", "Pay bill of schools in the council's levy", None, MONEY),
    ("SchoolsLevyShare", "Schools' share of the levy", "=ROUND(SUM(Schools[LevyShare]),2)", MONEY),
    ("SchoolsPlannedSpend", "Schools' planned spend in the plan year", "=ROUND(SUM(Schools[PlannedSpend]),2)", MONEY),
)
_RESULT_NOTES = {
    "AnnualLevy": "0.5% of the pay bill less the 15,000 allowance, never below 0.",
    "FundsIn": "English levy plus top-up, April to March (see the Forecast sheet).",
    "StatutoryTransferRate": "50% from 22 April 2024; 25% from April 2019; 10% from April 2018.",
    "TransferAllowanceStatutory": "A share of last tax year's funds: what may be transferred this year.",
    "TransfersTotal": "Already committed plus the Transfers sheet.",
    "OverCommitted": "Above 0: transfers exceed what may be transferred; reduce them.",
    "SchoolsPayBill": "Community, voluntary controlled, community special and maintained nursery schools.",
}


def _plan_results(wb, inputs: dict[str, int]) -> None:
    ws = wb["Plan"]
    first = max(inputs.values()) + 3
    ws.cell(row=first - 1, column=1, value="Results").font = c.HEADING_FONT
    schools_pay_bill = "=ROUND(" + "+".join(
        f'SUMIF(Schools[Type],"{school_type}",Schools[PayBill])' for school_type in COUNCIL_SCHOOL_TYPES) + ",2)"
    for row, (name, label, formula, number_format) in enumerate(_RESULTS, start=first):
        c.set_text(ws.cell(row=row, column=1), label)
        ws.cell(row=row, column=1).font = c.LABEL_FONT
        cell = ws.cell(row=row, column=2, value=formula or schools_pay_bill)
        cell.number_format = number_format
        c.mark_result([cell])
        c.define_name(wb, name, ws, cell.coordinate)
        if name in _RESULT_NOTES:
            c.set_text(ws.cell(row=row, column=3), _RESULT_NOTES[name])
            ws.cell(row=row, column=3).font = c.NOTE_FONT
    last = first + len(_RESULTS) - 1
    row = last + 2
    ws.cell(row=row, column=1, value="Funds forecast to expire").font = c.LABEL_FONT
    ws.cell(row=row, column=2, value="=FundsExpiring").number_format = MONEY
    ws.cell(row=row, column=3, value="=IF(FundsExpiring>0,\"Warning: funds will expire - see the Forecast sheet\","
                                      "\"No funds expire in the 36-month forecast\")").font = c.NOTE_FONT
    c.mark_result([ws.cell(row=row, column=2)])
    over = next(r for r, (name, *_rest) in enumerate(_RESULTS, start=first) if name == "OverCommitted")
    ws.conditional_formatting.add(f"B{over}", FormulaRule(formula=[f"B{over}>0"], fill=_WARN_FILL))
    ws.conditional_formatting.add(f"B{row}", FormulaRule(formula=[f"B{row}>0"], fill=_WARN_FILL))
    c.protect(ws)


# Private API: the input tables.


def _schools_sheet(wb, schools: Sequence[SchoolEntry]) -> None:
    ws = wb.create_sheet("Schools")
    _sheet_title(ws, "Schools: pay bills and shares of the levy",
                 "One row per school. Only community, voluntary controlled, community special and maintained "
                 "nursery schools are in the council's levy; any other type is flagged 'Not in council levy'.")
    first = HEADER_ROW + 1
    last = first + max(SCHOOL_ROWS, len(schools) + SPARE_ROWS) - 1
    c.write_header(ws, HEADER_ROW, SCHOOL_COLUMNS)
    in_levy = "COUNTIF(CouncilSchoolTypeList,C{r})>0"
    for index, row in enumerate(range(first, last + 1)):
        if index < len(schools):
            school = schools[index]
            _write_value(ws.cell(row=row, column=1), school.urn)
            c.set_text(ws.cell(row=row, column=2), school.name)
            c.set_text(ws.cell(row=row, column=3), school.type)
            _write_value(ws.cell(row=row, column=4), school.pay_bill)
            _write_value(ws.cell(row=row, column=5), school.headcount)
        r = row
        ws.cell(row=r, column=6, value=f"=IF(AND(ISNUMBER(D{r}),D{r}>=0,{in_levy.format(r=r)},TotalPayBill>0),"
                                       f"ROUND(AnnualLevy*D{r}/TotalPayBill,2),0)")
        ws.cell(row=r, column=7,
                value=f'=IF(A{r}="",0,ROUND(SUMIF(PlannedStarts[URN],A{r},PlannedStarts[InYearCost]),2))')
        ws.cell(row=r, column=8, value=f"=ROUND(F{r}-G{r},2)")
        ws.cell(row=r, column=9, value=(
            f'=IF(COUNTA(A{r}:E{r})=0,"",IF(OR(A{r}="",B{r}="",C{r}="",D{r}=""),"{CHECK_INCOMPLETE}",'
            f'IF(NOT({in_levy.format(r=r)}),"{CHECK_NOT_IN_LEVY}",'
            f'IF(COUNTIF(Schools[URN],A{r})>1,"{CHECK_URN_TWICE}",""))))'))
        c.mark_input(ws.cell(row=r, column=col) for col in range(1, 6))
        for col in (4, 6, 7, 8):
            ws.cell(row=r, column=col).number_format = MONEY
        ws.cell(row=r, column=5).number_format = "#,##0"
    c.add_table(ws, "Schools", f"A{HEADER_ROW}:I{last}")
    cells = lambda col: f"{col}{first}:{col}{last}"  # noqa: E731
    c.add_number_validation(ws, cells("A"), kind="whole", minimum=1, title="URN",
                            message="Type the school's URN, a whole number (find it on Get Information about Schools).")
    c.add_list_validation(ws, "SchoolTypeList", cells("C"), title="School type",
                          message="Pick the school's type from the list.")
    c.add_number_validation(ws, cells("D"), kind="decimal", minimum=0, title="Pay bill",
                            message="Type the school's annual pay bill in pounds, 0 or more.")
    c.add_number_validation(ws, cells("E"), kind="whole", minimum=0, title="Headcount",
                            message="Type a whole number of staff, 0 or more.")
    _flag_checks(ws, cells("I"), f"I{first}", _WARN_FILL)
    c.define_name(wb, "SchoolURNList", ws, cells("A"))
    c.set_widths(ws, {"A": 10, "B": 36, "C": 22, "D": 15, "E": 11, "F": 14, "G": 14, "H": 14, "I": 22})
    ws.freeze_panes = f"A{first}"
    c.protect(ws)


def _starts_sheet(wb, starts: Sequence[StartEntry]) -> None:
    ws = wb.create_sheet("Starts")
    _sheet_title(ws, "Planned apprenticeship starts",
                 "One row per planned start. Leave URN blank for the council's own staff. Pick the standard: its "
                 "title, level and funding band fill in. Levy funds pay up to the band; any excess is the employer's.")
    first = HEADER_ROW + 1
    last = first + max(START_ROWS, len(starts) + SPARE_ROWS) - 1
    c.write_header(ws, HEADER_ROW, START_COLUMNS)
    for index, r in enumerate(range(first, last + 1)):
        if index < len(starts):
            start = starts[index]
            _write_value(ws.cell(row=r, column=1), start.urn)
            c.set_text(ws.cell(row=r, column=2), start.standard)
            _write_value(ws.cell(row=r, column=5), start.start_date)
            _write_value(ws.cell(row=r, column=6), start.duration_months)
            _write_value(ws.cell(row=r, column=7), start.price)
        cols = _Cols(urn="A", standard="B", title="C", level="D", start="E", duration="F", price="G",
                     band="H", above="I", cost="J", check="K", instalment="L", completion="M", first="N", last="O")
        _costing_formulas(ws, r, cols, inputs=("A", "B", "E", "F", "G"), required=("B", "E", "F", "G"))
        c.mark_input(ws.cell(row=r, column=col) for col in (1, 2, 5, 6, 7))
    c.add_table(ws, "PlannedStarts", f"A{HEADER_ROW}:O{last}")
    cells = lambda col: f"{col}{first}:{col}{last}"  # noqa: E731
    c.add_list_validation(ws, "SchoolURNList", cells("A"), title="School URN",
                          message="Pick a URN from the Schools sheet, or leave blank for the council's own staff.")
    _costing_validations(ws, cells("B"), cells("E"), cells("F"), cells("G"))
    _flag_checks(ws, cells("K"), f"K{first}", _CHECK_FILL)
    _format_costing(ws, first, last, "A B C D E F G H I J K L M N O".split())
    ws.freeze_panes = f"A{first}"
    c.protect(ws)


def _transfers_sheet(wb, transfers: Sequence[TransferEntry]) -> None:
    ws = wb.create_sheet("Transfers")
    _sheet_title(ws, "Planned transfers to other employers",
                 "One row per apprenticeship you plan to fund by a transfer. Their cost this year counts against "
                 "the transfer allowance (see the headroom on the Plan sheet).")
    first = HEADER_ROW + 1
    last = first + max(TRANSFER_ROWS, len(transfers) + SPARE_ROWS) - 1
    c.write_header(ws, HEADER_ROW, TRANSFER_COLUMNS)
    for index, r in enumerate(range(first, last + 1)):
        if index < len(transfers):
            transfer = transfers[index]
            c.set_text(ws.cell(row=r, column=1), transfer.recipient)
            c.set_text(ws.cell(row=r, column=2), transfer.standard)
            _write_value(ws.cell(row=r, column=3), transfer.start_date)
            _write_value(ws.cell(row=r, column=4), transfer.duration_months)
            _write_value(ws.cell(row=r, column=5), transfer.price)
        cols = _Cols(urn=None, standard="B", title="G", level="H", start="C", duration="D", price="E",
                     band="I", above="J", cost="F", check="K", instalment="L", completion="M", first="N", last="O")
        _costing_formulas(ws, r, cols, inputs=("A", "B", "C", "D", "E"), required=("A", "B", "C", "D", "E"))
        c.mark_input(ws.cell(row=r, column=col) for col in range(1, 6))
    c.add_table(ws, "Transfers", f"A{HEADER_ROW}:O{last}")
    cells = lambda col: f"{col}{first}:{col}{last}"  # noqa: E731
    _costing_validations(ws, cells("B"), cells("C"), cells("D"), cells("E"))
    _flag_checks(ws, cells("K"), f"K{first}", _CHECK_FILL)
    _format_costing(ws, first, last, "A B C D E F G H I J K L M N O".split())
    ws.freeze_panes = f"A{first}"
    c.protect(ws)


@dataclass(frozen=True)
class _Cols:
    """Column letters of one costed table (PlannedStarts or Transfers)."""

    urn: str | None
    standard: str
    title: str
    level: str
    start: str
    duration: str
    price: str
    band: str
    above: str
    cost: str
    check: str
    instalment: str
    completion: str
    first: str
    last: str


def _costing_formulas(ws, r: int, k: _Cols, *, inputs: Sequence[str], required: Sequence[str]) -> None:
    """Lookup, cap, payment schedule and in-year cost of one row.

    Mirrors ``levy.payment_schedule`` of the capped price: the instalment
    ``ROUND(0.8 * price / duration, 2)`` (written 4*price/(5*duration) so
    spreadsheet arithmetic stays exact) paid from the month after the start
    month to the planned end month, the completion payment the month after.
    A row that cannot be costed (no date, a duration that is not a whole
    number of months, a negative price) has FirstPaymentMonth 0 and costs 0.
    """
    std, start, dur, price = (f"{k.standard}{r}", f"{k.start}{r}", f"{k.duration}{r}", f"{k.price}{r}")
    lookup = f"MATCH({std},Standards[Reference],0)"
    ws[f"{k.title}{r}"] = f'=IF({std}="","",IFERROR(INDEX(Standards[Title],{lookup})&"","{CHECK_UNKNOWN_STANDARD}"))'
    ws[f"{k.level}{r}"] = f'=IF({std}="","",IFERROR(INDEX(Standards[Level],{lookup}),""))'
    ws[f"{k.band}{r}"] = f'=IF({std}="","",IFERROR(INDEX(Standards[MaxFunding],{lookup}),""))'
    ws[f"{k.above}{r}"] = f"=IF(AND(ISNUMBER({price}),ISNUMBER({k.band}{r})),ROUND(MAX(0,{price}-{k.band}{r}),2),0)"
    first, last = f"{k.first}{r}", f"{k.last}{r}"
    ws[first] = (f"=IF(AND(ISNUMBER({start}),ISNUMBER({dur}),ISNUMBER({price})),"
                 f"IF(AND({dur}>=1,{dur}=ROUND({dur},0),{price}>=0),"
                 f"EDATE(DATE(YEAR({start}),MONTH({start}),1),1),0),0)")
    ws[last] = f"=IF({first}=0,0,EDATE({first},{dur}-1))"
    capped = f"({price}-{k.above}{r})"
    ws[f"{k.instalment}{r}"] = f"=IF({first}=0,0,ROUND(4*{capped}/(5*{dur}),2))"
    ws[f"{k.completion}{r}"] = f"=IF({first}=0,0,ROUND({capped}-{dur}*{k.instalment}{r},2))"
    months_in_plan = (f"MAX(0,(YEAR(MIN({last},PlanEnd))-YEAR(MAX({first},PlanStart)))*12"
                      f"+MONTH(MIN({last},PlanEnd))-MONTH(MAX({first},PlanStart))+1)")
    completion_in_plan = f"AND(EDATE({last},1)>=PlanStart,EDATE({last},1)<=PlanEnd)"
    ws[f"{k.cost}{r}"] = (f"=IF({first}=0,0,ROUND({k.instalment}{r}*{months_in_plan}"
                          f"+IF({completion_in_plan},{k.completion}{r},0),2))")
    entered = ",".join(f"{col}{r}" for col in inputs)
    blanks = ",".join(f'{col}{r}=""' for col in required)
    checks = [
        (f'{k.title}{r}="{CHECK_UNKNOWN_STANDARD}"', CHECK_UNKNOWN_STANDARD),
        *([(f'AND({k.urn}{r}<>"",COUNTIF(Schools[URN],{k.urn}{r})=0)', CHECK_UNKNOWN_SCHOOL)] if k.urn else []),
        (f"{first}=0", CHECK_NOT_COSTED),
        (f"{dur}<IF({start}>=DATE(2025,8,1),8,12)", CHECK_TOO_SHORT),  # minimum duration, domain.md section 2
        (f"OR({start}<PlanStart,{start}>PlanEnd)", CHECK_OUTSIDE_PLAN),
        (f"{k.above}{r}>0", CHECK_ABOVE_CAP),
    ]
    formula = '""'
    for condition, text in reversed(checks):
        formula = f'IF({condition},"{text}",{formula})'
    ws[f"{k.check}{r}"] = f'=IF(COUNTA({entered})=0,"",IF(OR({blanks}),"{CHECK_INCOMPLETE}",{formula}))'


def _costing_validations(ws, standard: str, start: str, duration: str, price: str) -> None:
    c.add_list_validation(ws, "StandardList", standard, title="Standard",
                          message="Pick a standard from the list (the Standards sheet).")
    c.add_date_validation(ws, start, title="Start date", message="Type a date, for example 01/09/2026.")
    c.add_number_validation(ws, duration, kind="whole", minimum=1, maximum=MAX_DURATION_MONTHS, title="Duration",
                            message="Type the planned duration in whole months (at least 8 for starts from "
                                    "1 August 2025, 12 before).")
    c.add_number_validation(ws, price, kind="decimal", minimum=0, title="Price",
                            message="Type the agreed total price in pounds, 0 or more.")


def _format_costing(ws, first: int, last: int, letters: list[str]) -> None:
    header = {ws.cell(row=HEADER_ROW, column=i + 1).value: letter for i, letter in enumerate(letters)}
    formats = {"StartDate": DATE, "Price": MONEY, "BandMax": MONEY, "AboveCap": MONEY, "InYearCost": MONEY,
               "Instalment": MONEY, "CompletionPayment": MONEY, "FirstPaymentMonth": MONTH,
               "LastInstalmentMonth": MONTH}
    for name, number_format in formats.items():
        for row in range(first, last + 1):
            ws[f"{header[name]}{row}"].number_format = number_format
    widths = {"URN": 10, "Recipient": 34, "Standard": 11, "Title": 40, "Level": 7, "StartDate": 12,
              "DurationMonths": 10, "Price": 12, "BandMax": 12, "AboveCap": 11, "InYearCost": 13, "Check": 30}
    c.set_widths(ws, {letter: widths.get(name, 13) for name, letter in header.items()})
    for name in _SCHEDULE_COLUMNS:  # workings for the forecast, hidden to keep the sheet readable
        ws.column_dimensions[header[name]].hidden = True


def _flag_checks(ws, cells: str, top_left: str, fill: PatternFill) -> None:
    ws.conditional_formatting.add(cells, FormulaRule(formula=[f'{top_left}<>""'], fill=fill))


# Private API: the forecast and the expiry workings.


def _forecast_sheet(wb) -> None:
    ws = wb.create_sheet("Forecast")
    _sheet_title(ws, "Forecast: the account month by month for 36 months",
                 "Funds in, payments to providers for planned starts, transfers out and funds that expire. A "
                 "balance below zero is a shortfall: the plan spends more than the funds available by then.")
    summary = (
        ("FundsExpiring", "Funds forecast to expire in these 36 months", "=ROUND(SUM(Forecast[Expired]),2)", MONEY),
        ("ExpiryMonthCount", "Months in which funds expire", '=COUNTIF(Forecast[Expired],">0")', "0"),
        ("FirstExpiryMonth", "First month funds expire",
         '=IF(FundsExpiring=0,"' + NO_EXPIRY + '",INDEX(Forecast[Month],COUNTIF(Forecast[ExpiredSoFar],0)+1))',
         MONTH),
        ("LowestBalance", "Lowest balance", "=MIN(Forecast[Balance])", MONEY),
        ("ShortfallMonths", "Months with a shortfall (balance below zero)", '=COUNTIF(Forecast[Balance],"<0")', "0"),
    )
    for row, (name, label, formula, number_format) in enumerate(summary, start=4):
        c.set_text(ws.cell(row=row, column=1), label)
        ws.cell(row=row, column=1).font = c.LABEL_FONT
        cell = ws.cell(row=row, column=2, value=formula)
        cell.number_format = number_format
        c.mark_result([cell])
        c.define_name(wb, name, ws, cell.coordinate)
    ws["C4"] = ('=IF(FundsExpiring>0,"Warning: levy funds will expire. Plan more starts or transfers before the '
                'first month shown, or they are lost.","No funds expire in the forecast.")')
    ws["C4"].font = c.LABEL_FONT
    ws["C8"] = ('=IF(ShortfallMonths>0,"Warning: the plan spends more than the funds available in some months; '
                'that training would need co-investment.","")')
    ws["C8"].font = c.LABEL_FONT
    for cell in ("B4", "B5", "B6"):
        ws.conditional_formatting.add(cell, FormulaRule(formula=["$B$4>0"], fill=_WARN_FILL))
    for cell in ("B7", "B8"):
        ws.conditional_formatting.add(cell, FormulaRule(formula=["$B$8>0"], fill=_WARN_FILL))

    c.write_header(ws, FORECAST_HEADER_ROW, FORECAST_COLUMNS)
    first = FORECAST_HEADER_ROW + 1
    last = first + FORECAST_MONTHS - 1
    for i, r in enumerate(range(first, last + 1)):
        ws[f"A{r}"] = f"=EDATE(PlanStart,{i})"
        # levy.funds_entering: English levy plus a 10% top-up before 1 August 2026 (domain.md section 2).
        ws[f"B{r}"] = f"=MonthlyEnglishLevy+IF(A{r}<DATE(2026,8,1),MonthlyTopUp,0)"
        ws[f"C{r}"] = "=" + _payments_in_month("PlannedStarts", f"A{r}")
        ws[f"D{r}"] = "=" + _payments_in_month("Transfers", f"A{r}")
        ws[f"E{r}"] = f"=ROUND(SUMIF(Cohorts[Expires],A{r},Cohorts[Expiring]),2)"
        before = "OpeningBalance" if i == 0 else f"F{r - 1}"
        ws[f"F{r}"] = f"=ROUND({before}+B{r}-C{r}-D{r}-E{r},2)"
        ws[f"G{r}"] = f"=MAX(0,-F{r})"
        ws[f"H{r}"] = f"=E{r}" if i == 0 else f"=ROUND(H{r - 1}+E{r},2)"
        ws[f"A{r}"].number_format = MONTH
        for col in "BCDEFGH":
            ws[f"{col}{r}"].number_format = MONEY
        c.mark_result(ws[f"{col}{r}"] for col in "ABCDEFGH")
    c.add_table(ws, "Forecast", f"A{FORECAST_HEADER_ROW}:H{last}")
    ws.conditional_formatting.add(f"E{first}:E{last}", FormulaRule(formula=[f"E{first}>0"], fill=_WARN_FILL))
    ws.conditional_formatting.add(f"F{first}:F{last}", FormulaRule(formula=[f"F{first}<0"], fill=_WARN_FILL))
    _forecast_chart(ws, first, last)
    c.set_widths(ws, {"A": 44, "B": 14, "C": 14, "D": 14, "E": 14, "F": 14, "G": 14, "H": 14})
    ws.freeze_panes = f"B{first}"
    c.protect(ws)


def _payments_in_month(table: str, month: str) -> str:
    """Sum of one month's scheduled payments over a costed table (no leading '=')."""
    return (f"ROUND(SUMPRODUCT(({table}[FirstPaymentMonth]<={month})*({table}[LastInstalmentMonth]>={month})"
            f"*{table}[Instalment])"
            f"+SUMIF({table}[LastInstalmentMonth],EDATE({month},-1),{table}[CompletionPayment]),2)")


def _forecast_chart(ws, first: int, last: int) -> None:
    chart = LineChart()
    chart.title = "Funds in, spending, expiry and balance"
    chart.y_axis.title = "Pounds"
    chart.x_axis.number_format = "mmm yy"
    # Without these, openpyxl omits <c:delete val="0"/> and recent Excel draws no axes.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    for col in (2, 3, 4, 5, 6):  # FundsIn, Spending, TransfersOut, Expired, Balance
        chart.add_data(Reference(ws, min_col=col, min_row=FORECAST_HEADER_ROW, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
    chart.height, chart.width = 10, 24
    ws.add_chart(chart, "J4")


def _expiry_sheet(wb) -> None:
    ws = wb.create_sheet("Expiry")
    _sheet_title(ws, "Expiry workings: oldest funds are used first",
                 "Each row is the funds that entered in one month (the first row is the opening balance). They "
                 "expire 24 months later, or 12 months for funds entering from 1 August 2026. Each is matched "
                 "against all spending up to its expiry month after the older funds have taken theirs; what is "
                 "left expires.")
    ws["A3"] = ("Spending after the 36 forecast months is left out: it cannot change what expires within them "
                "(funds it would use are matched after all spending up to their expiry).")
    ws["A3"].font = c.NOTE_FONT
    c.write_header(ws, COHORT_HEADER_ROW, COHORT_COLUMNS)
    first = COHORT_HEADER_ROW + 1
    last = first + FORECAST_MONTHS  # the opening balance and one cohort a forecast month
    spent_to = ('SUMIF(Forecast[Month],"<="&C{r},Forecast[Spending])'
                '+SUMIF(Forecast[Month],"<="&C{r},Forecast[TransfersOut])')
    for j, r in enumerate(range(first, last + 1)):
        ws[f"A{r}"] = "=EDATE(PlanStart,-1)" if j == 0 else f"=EDATE(PlanStart,{j - 1})"
        ws[f"B{r}"] = "=OpeningBalance" if j == 0 else f"=Forecast!B{FORECAST_HEADER_ROW + j}"
        # 24 months before 1 August 2026, 12 from then (domain.md section 2, expiry).
        ws[f"C{r}"] = f"=EDATE(A{r},IF(A{r}<DATE(2026,8,1),24,12))"
        ws[f"D{r}"] = f"=ROUND({spent_to.format(r=r)},2)"
        ws[f"E{r}"] = "=0" if j == 0 else f"=ROUND(E{r - 1}+F{r - 1},2)"
        ws[f"F{r}"] = f"=MIN(B{r},MAX(0,ROUND(D{r}-E{r},2)))"
        ws[f"G{r}"] = f"=ROUND(B{r}-F{r},2)"
        for col in "AC":
            ws[f"{col}{r}"].number_format = MONTH
        for col in "BDEFG":
            ws[f"{col}{r}"].number_format = MONEY
    c.add_table(ws, "Cohorts", f"A{COHORT_HEADER_ROW}:G{last}")
    c.set_widths(ws, {"A": 11, "B": 14, "C": 11, "D": 14, "E": 14, "F": 14, "G": 14})
    c.protect(ws)


def _standards_sheet(wb, standards: Sequence[Standard], source: str) -> None:
    ws = wb.create_sheet("Standards")
    _sheet_title(ws, "Apprenticeship standards and funding band maxima",
                 f"From {source}. Add a standard that is missing in the yellow rows at the end.")
    c.write_header(ws, STANDARDS_HEADER_ROW, STANDARD_COLUMNS)
    first = STANDARDS_HEADER_ROW + 1
    for r, standard in enumerate(standards, start=first):
        c.set_text(ws.cell(row=r, column=1), standard.reference)
        c.set_text(ws.cell(row=r, column=2), standard.title)
        ws.cell(row=r, column=3, value=standard.level)
        ws.cell(row=r, column=4, value=standard.max_funding).number_format = MONEY
        ws.cell(row=r, column=5, value=standard.typical_duration_months)
    spare_first = first + len(standards)
    last = spare_first + SPARE_STANDARD_ROWS - 1
    for r in range(spare_first, last + 1):
        c.mark_input(ws.cell(row=r, column=col) for col in range(1, 6))
        ws.cell(row=r, column=4).number_format = MONEY
    c.add_table(ws, "Standards", f"A{STANDARDS_HEADER_ROW}:E{last}")
    spare = lambda col: f"{col}{spare_first}:{col}{last}"  # noqa: E731
    c.add_number_validation(ws, spare("C"), kind="whole", minimum=1, maximum=8, title="Level",
                            message="Type the level, 2 to 7.")
    c.add_number_validation(ws, spare("D"), kind="decimal", minimum=0, title="Funding band maximum",
                            message="Type the funding band maximum in pounds.")
    c.add_number_validation(ws, spare("E"), kind="whole", minimum=1, maximum=120, title="Typical duration",
                            message="Type the typical duration in whole months.")
    c.define_name(wb, "StandardList", ws, f"A{first}:A{last}")
    c.set_widths(ws, {"A": 12, "B": 60, "C": 8, "D": 14, "E": 14})
    ws.freeze_panes = f"A{first}"
    c.protect(ws)


# Private API: small helpers.


def _sheet_title(ws, title: str, note: str) -> None:
    ws["A1"] = title
    ws["A1"].font = c.TITLE_FONT
    c.set_text(ws["A2"], note)
    ws["A2"].font = c.NOTE_FONT


def _write_value(cell, value) -> None:
    """A number or date as itself, text as text (never a formula), None as blank."""
    if isinstance(value, str):
        c.set_text(cell, value)
    else:
        cell.value = value


def _school_from_csv(values: dict[str, str]) -> SchoolEntry:
    urn_text = values["URN"].replace(" ", "")
    if not re.fullmatch(r"\d{1,8}", urn_text):
        raise ValueError(f"URN {values['URN']!r} is not a number like 100001")
    name = values["School"]
    if not name:
        raise ValueError(f"URN {urn_text}: the school name is blank")
    school_type = _school_type(values["Type"])
    pay_bill = _csv_amount(values.get("PayBill", ""), f"URN {urn_text}: PayBill")
    headcount = _csv_amount(values.get("Headcount", ""), f"URN {urn_text}: Headcount")
    if headcount is not None and headcount != headcount.to_integral_value():
        raise ValueError(f"URN {urn_text}: Headcount {values['Headcount']!r} is not a whole number")
    return SchoolEntry(int(urn_text), name, school_type, pay_bill, None if headcount is None else int(headcount))


def _school_type(text: str) -> str:
    def loose(name: str) -> str:  # "Community school", "community" and "COMMUNITY" are the same type
        return re.sub(r"schools?$", "", squash(name))

    for school_type in SCHOOL_TYPES:
        if loose(school_type) == loose(text):
            return school_type
    raise ValueError(f"type {text!r} is not one of: {', '.join(SCHOOL_TYPES)}")


def _csv_amount(text: str, what: str) -> Decimal | None:
    cleaned = re.sub(r"[£,\s]", "", text)
    if not cleaned:
        return None
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"{what} {text!r} is not a number") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"{what} {text!r} must be 0 or more")
    return amount

