"""The schools apprenticeship levy plan workbook, laid out from its contract.

A council is the levy employer for its community, voluntary controlled,
community special and maintained nursery schools (see ``docs/levy.md``);
this workbook plans how the council's levy is spent, by the council and by
those schools, how much may be transferred, and forecasts the account month
by month for three years, including funds that will expire.

The contract (sheets, names, tables, columns and row checks) is
:mod:`lga_xl.contracts.levy_plan`.  Every formula mirrors :mod:`lga_xl.levy`
with ``ROUND(x, 2)`` at the same points, and every policy number in a formula
is rendered from :mod:`lga_xl.levy`'s constants; :mod:`lga_xl.readers.levy_plan`
recomputes everything in Python and the LibreOffice tests compare the two to
the penny.  The modelling decisions are listed in INSTRUCTIONS, which the
workbook shows to the officer.

Example:
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "plan.xlsx"
    >>> new_levy_plan(path, org_name="Exampleshire County Council", tax_year="2026-27").name
    'plan.xlsx'
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl.chart import LineChart, Reference
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import PatternFill

from .. import a1, levy
from ..contract import Table
from ..contracts.levy_plan import (
    CHECK_UNKNOWN_STANDARD,
    COHORTS,
    CONTRACT,
    EXPIRY,
    EXPIRY_SUMMARY_ROW,
    FORECAST,
    INPUTS,
    MAX_DURATION_MONTHS,
    NO_EXPIRY,
    PLANNED_STARTS,
    RESULTS,
    SCHOOLS,
    SPARE_ROWS,
    SPARE_STANDARD_ROWS,
    STANDARDS,
    TRANSFERS,
    plan_start_of,
)
from ..formulas import excel_date, ratio, whole
from ..reference import COUNCIL_SCHOOL_TYPES
from ..schools import SchoolEntry, SchoolsCsvError, load_schools_csv  # the CSV loader lives in lga_xl.schools
from ..standards import Standard, sample_standards
from . import common as c

__all__ = [
    "SchoolEntry",
    "SchoolsCsvError",
    "StartEntry",
    "TransferEntry",
    "load_schools_csv",
    "new_levy_plan",
    "sample_levy_plan",
]

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
    _plan_sheet(wb, {
        "OrgName": org_name, "Region": region, "TaxYear": tax_year, "PlanStart": plan_start,
        "TotalPayBill": total_pay_bill,
        "EnglishPercent": english_percent,
        "Headcount": headcount,
        "PreviousYearFunds": previous_year_funds,
        "OpeningBalance": opening_balance,
        "TransfersCommitted": transfers_committed,
    })
    _schools_sheet(wb, schools)
    _costed_sheet(wb, PLANNED_STARTS, starts, "Planned apprenticeship starts",
                  "One row per planned start. Leave URN blank for the council's own staff. Pick the standard: its "
                  "title, level and funding band fill in. Levy funds pay up to the band; any excess is the employer's.")
    _costed_sheet(wb, TRANSFERS, transfers, "Planned transfers to other employers",
                  "One row per apprenticeship you plan to fund by a transfer. Their cost this year counts against "
                  "the transfer allowance (see the headroom on the Plan sheet).")
    _forecast_sheet(wb)
    _expiry_sheet(wb)
    _standards_sheet(wb, standards, standards_source or "a file supplied when the workbook was made")
    _plan_results(wb)
    c.add_lists_sheet(wb, CONTRACT.lists)
    c.add_metadata_sheet(wb, CONTRACT.kind, CONTRACT.version, {
        "tax_year": tax_year,
        "standards_source": standards_source or "",
    })
    wb.active = 1  # open on the Plan sheet
    return c.save(wb, path)


def sample_levy_plan(path: str | Path, *, org_name: str | None = None, region: str | None = None,
                     seed: int = 0) -> Path:
    """A realistic, valid filled plan for 2026-27: for demos and benchmarks.

    A dozen council-employed schools, a few dozen starts either side of
    1 August 2026 (the council's own staff and the schools'), and two
    transfers within the headroom.  The same seed gives the same workbook;
    without ``org_name``, the fictional council of that seed
    (:func:`lga_xl.samples.council`) and its region.

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


def _plan_sheet(wb, values: dict[str, object]) -> None:
    """The Plan sheet's title and inputs (the results follow in _plan_results)."""
    ws = wb.create_sheet(INPUTS.sheet)
    ws["A1"] = "Schools apprenticeship levy plan"
    ws["A1"].font = c.TITLE_FONT
    ws["A2"] = "Fill in the yellow cells. Green cells are calculated for you."
    ws["A2"].font = c.NOTE_FONT
    ws["A4"] = "Inputs"
    ws["A4"].font = c.HEADING_FONT
    for field in INPUTS.names:
        row = INPUTS.row(field.name)
        c.set_text(ws.cell(row=row, column=INPUTS.label_column + 1), field.label)
        ws.cell(row=row, column=INPUTS.label_column + 1).font = c.LABEL_FONT
        c.set_text(ws.cell(row=row, column=INPUTS.note_column + 1), field.note)
        ws.cell(row=row, column=INPUTS.note_column + 1).font = c.NOTE_FONT
        cell = ws[INPUTS.cell(field.name)]
        if field.number_format:
            cell.number_format = field.number_format
        c.define_name(wb, field.name, ws, cell.coordinate)
        if field.role == "input":
            c.mark_input([cell])
    fixed = [field.name for field in INPUTS.names if field.role != "input"]
    for name in ("OrgName", "Region", "TaxYear", "PlanStart"):
        c.write_value(ws[INPUTS.cell(name)], values.pop(name))
    ws[INPUTS.cell("PlanEnd")] = "=EDATE(PlanStart,12)-1"
    c.mark_result(ws[INPUTS.cell(name)] for name in fixed)
    for name, value in values.items():
        ws[INPUTS.cell(name)] = value
    c.add_list_validation(ws, "RegionList", INPUTS.cell("Region"), title="Region",
                          message="Pick one of the nine English regions from the list.")
    for name in ("TotalPayBill", "PreviousYearFunds", "OpeningBalance", "TransfersCommitted"):
        c.add_number_validation(ws, INPUTS.cell(name), kind="decimal", minimum=0, title="Amount",
                                message="Type an amount in pounds, 0 or more, without a £ sign.")
    c.add_number_validation(ws, INPUTS.cell("EnglishPercent"), kind="decimal", minimum=0, maximum=100,
                            title="English percentage", message="Type a percentage from 0 to 100, for example 98.5.")
    c.add_number_validation(ws, INPUTS.cell("Headcount"), kind="whole", minimum=0, title="Headcount",
                            message="Type a whole number of staff, 0 or more.")
    c.set_widths(ws, {"A": 38, "B": 20, "C": 100})
    ws.sheet_view.showGridLines = False


def _times(rate: Decimal) -> str:
    """Multiplying by a rate in exact integers: ``/10`` for 10%, ``*23/1000`` for 2.3%."""
    numerator, denominator = ratio(rate)
    return f"/{denominator}" if numerator == 1 else f"*{numerator}/{denominator}"


def _statutory_rate_formula() -> str:
    """levy.statutory_transfer_rate: the rate in force on 5 May of the plan's tax year."""
    month, day = levy.TRANSFER_RATE_DAY
    on = f"DATE(YEAR(PlanStart),{month},{day})"
    formula = "0"
    for starts, rate in levy.TRANSFER_RATES:
        formula = f"IF({on}>={excel_date(starts)},{rate.normalize()},{formula})"
    return "=" + formula


def _result_formulas() -> dict[str, str]:
    """Each result's formula, rendered from the levy rules' constants."""
    threshold = whole(levy.LEVY_ALLOWANCE / levy.LEVY_RATE)  # the pay bill at which levy starts
    (_, ten_percent), (_, quarter) = levy.TRANSFER_RATES[:2]
    schools_pay_bill = "=ROUND(" + "+".join(
        f'SUMIF({SCHOOLS.structured("type")},"{school_type}",{SCHOOLS.structured("pay_bill")})'
        for school_type in COUNCIL_SCHOOL_TYPES) + ",2)"
    return {
        # (pay bill - 3,000,000)/200 is 0.5% less 15,000 exactly; the textbook form gives the
        # wrong penny in spreadsheet arithmetic at a pay bill of 3,000,001.
        "AnnualLevy": f"=MAX(0,ROUND((TotalPayBill-{threshold}){_times(levy.LEVY_RATE)},2))",
        "MonthlyLevy": "=ROUND(AnnualLevy/12,2)",
        "MonthlyEnglishLevy": "=ROUND(MonthlyLevy*EnglishPercent/100,2)",
        "MonthlyTopUp": f"=ROUND(MonthlyEnglishLevy{_times(levy.TOP_UP_RATE)},2)",
        "FundsIn": (f'=ROUND(SUMIFS({FORECAST.structured("funds_in")},{FORECAST.structured("month")},'
                    '"<="&PlanEnd),2)'),
        "PlannedSpend": f"=ROUND(SUM({PLANNED_STARTS.structured('in_year_cost')}),2)",
        "PlannedStartsInYear": (f'=COUNTIFS({PLANNED_STARTS.structured("start_date")},">="&PlanStart,'
                                f'{PLANNED_STARTS.structured("start_date")},"<="&PlanEnd)'),
        "PublicSectorTargetStarts": f"=ROUNDUP(Headcount{_times(levy.PUBLIC_SECTOR_TARGET_RATE)},0)",
        "StatutoryTransferRate": _statutory_rate_formula(),
        "TransferAllowance10": f"=ROUND(PreviousYearFunds{_times(ten_percent)},2)",
        "TransferAllowance25": f"=ROUND(PreviousYearFunds{_times(quarter)},2)",
        "TransferAllowanceStatutory": "=ROUND(PreviousYearFunds*StatutoryTransferRate,2)",
        "TransfersPlanned": f"=ROUND(SUM({TRANSFERS.structured('in_year_cost')}),2)",
        "TransfersTotal": "=ROUND(TransfersCommitted+TransfersPlanned,2)",
        "Headroom10": "=MAX(0,ROUND(TransferAllowance10-TransfersTotal,2))",
        "Headroom25": "=MAX(0,ROUND(TransferAllowance25-TransfersTotal,2))",
        "HeadroomStatutory": "=MAX(0,ROUND(TransferAllowanceStatutory-TransfersTotal,2))",
        "OverCommitted": "=MAX(0,ROUND(TransfersTotal-TransferAllowanceStatutory,2))",
        "SchoolsPayBill": schools_pay_bill,
        "SchoolsLevyShare": f"=ROUND(SUM({SCHOOLS.structured('levy_share')}),2)",
        "SchoolsPlannedSpend": f"=ROUND(SUM({SCHOOLS.structured('planned_spend')}),2)",
    }


def _plan_results(wb) -> None:
    ws = wb[RESULTS.sheet]
    ws.cell(row=RESULTS.first_row - 1, column=1, value="Results").font = c.HEADING_FONT
    formulas = _result_formulas()
    for field in RESULTS.names:
        row = RESULTS.row(field.name)
        c.set_text(ws.cell(row=row, column=RESULTS.label_column + 1), field.label)
        ws.cell(row=row, column=RESULTS.label_column + 1).font = c.LABEL_FONT
        cell = ws[RESULTS.cell(field.name)]
        cell.value = formulas[field.name]
        cell.number_format = field.number_format
        c.mark_result([cell])
        c.define_name(wb, field.name, ws, cell.coordinate)
        if field.note:
            c.set_text(ws.cell(row=row, column=RESULTS.note_column + 1), field.note)
            ws.cell(row=row, column=RESULTS.note_column + 1).font = c.NOTE_FONT
    row = EXPIRY_SUMMARY_ROW
    ws.cell(row=row, column=RESULTS.label_column + 1, value="Funds forecast to expire").font = c.LABEL_FONT
    ws.cell(row=row, column=RESULTS.value_column + 1, value="=FundsExpiring").number_format = (
        EXPIRY.names[0].number_format)
    note = ws.cell(row=row, column=RESULTS.note_column + 1)
    note.value = ('=IF(FundsExpiring>0,"Warning: funds will expire - see the Forecast sheet",'
                  f'"No funds expire in the {FORECAST.rows}-month forecast")')
    note.font = c.NOTE_FONT
    c.mark_result([ws.cell(row=row, column=RESULTS.value_column + 1)])
    over = RESULTS.cell("OverCommitted")
    ws.conditional_formatting.add(over, FormulaRule(formula=[f"{over}>0"], fill=_WARN_FILL))
    repeated = a1.cell(row, RESULTS.value_column)
    ws.conditional_formatting.add(repeated, FormulaRule(formula=[f"{repeated}>0"], fill=_WARN_FILL))
    c.protect(ws)


# Private API: the input tables.


def _write_rows(ws, table: Table, entries: Sequence[object], last: int) -> None:
    """Input cells of a table: each entry's fields by column key, the rest blank and yellow."""
    inputs = table.keys("input")
    for index, row in enumerate(range(table.first_row, last + 1)):
        if index < len(entries):
            for key in inputs:
                c.write_value(ws[table.cell(key, row)], getattr(entries[index], key))
        c.mark_input(ws[table.cell(key, row)] for key in inputs)


def _schools_sheet(wb, schools: Sequence[SchoolEntry]) -> None:
    table = SCHOOLS
    ws = wb.create_sheet(table.sheet)
    _sheet_title(ws, "Schools: pay bills and shares of the levy",
                 "One row per school. Only community, voluntary controlled, community special and maintained "
                 "nursery schools are in the council's levy; any other type is flagged 'Not in council levy'.")
    rows = max(table.rows, len(schools) + SPARE_ROWS)
    first, last = table.first_row, table.last_row(rows)
    c.write_header(ws, table.header_row, table.headers)
    for index, r in enumerate(range(first, last + 1)):
        k = table.row_cells(r)
        if index < len(schools):
            for key in table.keys("input"):
                c.write_value(ws[k[key]], getattr(schools[index], key))
        in_levy = f"COUNTIF(CouncilSchoolTypeList,{k['type']})>0"
        ws[k["levy_share"]] = (f"=IF(AND(ISNUMBER({k['pay_bill']}),{k['pay_bill']}>=0,{in_levy},TotalPayBill>0),"
                               f"ROUND(AnnualLevy*{k['pay_bill']}/TotalPayBill,2),0)")
        ws[k["planned_spend"]] = (f'=IF({k["urn"]}="",0,ROUND(SUMIF({PLANNED_STARTS.structured("urn")},{k["urn"]},'
                                  f'{PLANNED_STARTS.structured("in_year_cost")}),2))')
        ws[k["balance"]] = f"=ROUND({k['levy_share']}-{k['planned_spend']},2)"
        entered = f"{k['urn']}:{k['headcount']}"  # the input columns, side by side
        ws[k["check"]] = f'=IF(COUNTA({entered})=0,"",{table.check_formula(r)})'
        c.mark_input(ws[k[key]] for key in table.keys("input"))
        for key in ("pay_bill", "levy_share", "planned_spend", "balance", "headcount"):
            ws[k[key]].number_format = table.column(key).number_format
    c.add_table(ws, table.name, table.ref(rows))
    cells_of = lambda key: table.column_cells(key, rows)  # noqa: E731
    c.add_number_validation(ws, cells_of("urn"), kind="whole", minimum=1, title="URN",
                            message="Type the school's URN, a whole number (find it on Get Information about Schools).")
    c.add_list_validation(ws, "SchoolTypeList", cells_of("type"), title="School type",
                          message="Pick the school's type from the list.")
    c.add_number_validation(ws, cells_of("pay_bill"), kind="decimal", minimum=0, title="Pay bill",
                            message="Type the school's annual pay bill in pounds, 0 or more.")
    c.add_number_validation(ws, cells_of("headcount"), kind="whole", minimum=0, title="Headcount",
                            message="Type a whole number of staff, 0 or more.")
    _flag_checks(ws, cells_of("check"), table.cell("check", first), _WARN_FILL)
    c.define_name(wb, "SchoolURNList", ws, cells_of("urn"))
    c.set_widths(ws, {table.letter(key): width for key, width in (
        ("urn", 10), ("name", 36), ("type", 22), ("pay_bill", 15), ("headcount", 11), ("levy_share", 14),
        ("planned_spend", 14), ("balance", 14), ("check", 22))})
    ws.freeze_panes = table.cell("urn", first)
    c.protect(ws)


def _costed_sheet(wb, table: Table, entries: Sequence[StartEntry | TransferEntry], title: str, note: str) -> None:
    """The Starts or Transfers sheet: input rows costed under the payment profile."""
    ws = wb.create_sheet(table.sheet)
    _sheet_title(ws, title, note)
    rows = max(table.rows, len(entries) + SPARE_ROWS)
    first, last = table.first_row, table.last_row(rows)
    c.write_header(ws, table.header_row, table.headers)
    inputs = table.keys("input")
    for index, r in enumerate(range(first, last + 1)):
        if index < len(entries):
            for key in inputs:
                c.write_value(ws[table.cell(key, r)], getattr(entries[index], key))
        _costing_formulas(ws, table, r)
        c.mark_input(ws[table.cell(key, r)] for key in inputs)
    c.add_table(ws, table.name, table.ref(rows))
    cells_of = lambda key: table.column_cells(key, rows)  # noqa: E731
    if "urn" in inputs:
        c.add_list_validation(ws, "SchoolURNList", cells_of("urn"), title="School URN",
                              message="Pick a URN from the Schools sheet, or leave blank for the council's own staff.")
    _costing_validations(ws, *(cells_of(key) for key in ("standard", "start_date", "duration_months", "price")))
    _flag_checks(ws, cells_of("check"), table.cell("check", first), _CHECK_FILL)
    _format_costing(ws, table, first, last)
    ws.freeze_panes = table.cell(table.columns[0].key, first)
    c.protect(ws)


def _costing_formulas(ws, table: Table, r: int) -> None:
    """Lookup, cap, payment schedule, in-year cost and checks of one row.

    Mirrors ``levy.payment_schedule`` of the capped price: the instalment
    ``ROUND(0.8 * price / duration, 2)`` (written 4*price/(5*duration) so
    spreadsheet arithmetic stays exact) paid from the month after the start
    month to the planned end month, the completion payment the month after.
    A row that cannot be costed (no date, a duration that is not a whole
    number of months, a negative price) has FirstPaymentMonth 0 and costs 0.
    """
    k = table.row_cells(r)
    std, start, dur, price = k["standard"], k["start_date"], k["duration_months"], k["price"]
    lookup = f"MATCH({std},{STANDARDS.structured('reference')},0)"
    ws[k["title"]] = (f'=IF({std}="","",IFERROR(INDEX({STANDARDS.structured("title")},{lookup})&"",'
                      f'"{CHECK_UNKNOWN_STANDARD}"))')
    ws[k["level"]] = f'=IF({std}="","",IFERROR(INDEX({STANDARDS.structured("level")},{lookup}),""))'
    ws[k["band_max"]] = f'=IF({std}="","",IFERROR(INDEX({STANDARDS.structured("max_funding")},{lookup}),""))'
    ws[k["above_cap"]] = (f"=IF(AND(ISNUMBER({price}),ISNUMBER({k['band_max']})),"
                          f"ROUND(MAX(0,{price}-{k['band_max']}),2),0)")
    first, last = k["first_payment_month"], k["last_instalment_month"]
    ws[first] = (f"=IF(AND(ISNUMBER({start}),ISNUMBER({dur}),ISNUMBER({price})),"
                 f"IF(AND({dur}>=1,{dur}=ROUND({dur},0),{price}>=0),"
                 f"EDATE(DATE(YEAR({start}),MONTH({start}),1),1),0),0)")
    ws[last] = f"=IF({first}=0,0,EDATE({first},{dur}-1))"
    capped = f"({price}-{k['above_cap']})"
    share, whole_price = ratio(levy.INSTALMENT_SHARE)
    ws[k["instalment"]] = f"=IF({first}=0,0,ROUND({share}*{capped}/({whole_price}*{dur}),2))"
    ws[k["completion_payment"]] = f"=IF({first}=0,0,ROUND({capped}-{dur}*{k['instalment']},2))"
    months_in_plan = (f"MAX(0,(YEAR(MIN({last},PlanEnd))-YEAR(MAX({first},PlanStart)))*12"
                      f"+MONTH(MIN({last},PlanEnd))-MONTH(MAX({first},PlanStart))+1)")
    completion_in_plan = f"AND(EDATE({last},1)>=PlanStart,EDATE({last},1)<=PlanEnd)"
    ws[k["in_year_cost"]] = (f"=IF({first}=0,0,ROUND({k['instalment']}*{months_in_plan}"
                             f"+IF({completion_in_plan},{k['completion_payment']},0),2))")
    entered = ",".join(k[key] for key in table.keys("input"))
    ws[k["check"]] = f'=IF(COUNTA({entered})=0,"",{table.check_formula(r)})'


def _costing_validations(ws, standard: str, start: str, duration: str, price: str) -> None:
    c.add_list_validation(ws, "StandardList", standard, title="Standard",
                          message="Pick a standard from the list (the Standards sheet).")
    c.add_date_validation(ws, start, title="Start date", message="Type a date, for example 01/09/2026.")
    c.add_number_validation(ws, duration, kind="whole", minimum=1, maximum=MAX_DURATION_MONTHS, title="Duration",
                            message="Type the planned duration in whole months (at least "
                                    f"{levy.SHORT_MINIMUM_DURATION_MONTHS} for starts from "
                                    f"{_day(levy.SHORT_MINIMUM_DURATION_FROM)}, "
                                    f"{levy.MINIMUM_DURATION_MONTHS} before).")
    c.add_number_validation(ws, price, kind="decimal", minimum=0, title="Price",
                            message="Type the agreed total price in pounds, 0 or more.")


def _format_costing(ws, table: Table, first: int, last: int) -> None:
    for column in table.columns:
        if column.number_format:
            for row in range(first, last + 1):
                ws[table.cell(column.key, row)].number_format = column.number_format
    widths = {"urn": 10, "recipient": 34, "standard": 11, "title": 40, "level": 7, "start_date": 12,
              "duration_months": 10, "price": 12, "band_max": 12, "above_cap": 11, "in_year_cost": 13, "check": 30}
    c.set_widths(ws, {table.letter(column.key): widths.get(column.key, 13) for column in table.columns})
    for column in table.columns:
        if column.hidden:  # workings for the forecast, hidden to keep the sheet readable
            ws.column_dimensions[table.letter(column.key)].hidden = True


def _flag_checks(ws, cells_range: str, top_left: str, fill: PatternFill) -> None:
    ws.conditional_formatting.add(cells_range, FormulaRule(formula=[f'{top_left}<>""'], fill=fill))


# Private API: the forecast and the expiry workings.


def _forecast_sheet(wb) -> None:
    table = FORECAST
    ws = wb.create_sheet(table.sheet)
    _sheet_title(ws, f"Forecast: the account month by month for {table.rows} months",
                 "Funds in, payments to providers for planned starts, transfers out and funds that expire. A "
                 "balance below zero is a shortfall: the plan spends more than the funds available by then.")
    months, expired_so_far, expired, balance = (table.structured(key) for key in (
        "month", "expired_so_far", "expired", "balance"))
    formulas = {
        "FundsExpiring": f"=ROUND(SUM({expired}),2)",
        "ExpiryMonthCount": f'=COUNTIF({expired},">0")',
        "FirstExpiryMonth": f'=IF(FundsExpiring=0,"{NO_EXPIRY}",INDEX({months},COUNTIF({expired_so_far},0)+1))',
        "LowestBalance": f"=MIN({balance})",
        "ShortfallMonths": f'=COUNTIF({balance},"<0")',
    }
    for field in EXPIRY.names:
        row = EXPIRY.row(field.name)
        c.set_text(ws.cell(row=row, column=EXPIRY.label_column + 1), field.label)
        ws.cell(row=row, column=EXPIRY.label_column + 1).font = c.LABEL_FONT
        cell = ws[EXPIRY.cell(field.name)]
        cell.value = formulas[field.name]
        cell.number_format = field.number_format
        c.mark_result([cell])
        c.define_name(wb, field.name, ws, cell.coordinate)
    message_column = EXPIRY.value_column + 1  # beside the figures
    expiring_message = ws[a1.cell(EXPIRY.row("FundsExpiring"), message_column)]
    expiring_message.value = ('=IF(FundsExpiring>0,"Warning: levy funds will expire. Plan more starts or transfers '
                              'before the first month shown, or they are lost.","No funds expire in the forecast.")')
    expiring_message.font = c.LABEL_FONT
    shortfall_message = ws[a1.cell(EXPIRY.row("ShortfallMonths"), message_column)]
    shortfall_message.value = ('=IF(ShortfallMonths>0,"Warning: the plan spends more than the funds available in '
                               'some months; that training would need co-investment.","")')
    shortfall_message.font = c.LABEL_FONT
    funds_expiring, shortfall_months = EXPIRY.cell("FundsExpiring"), EXPIRY.cell("ShortfallMonths")
    for name in ("FundsExpiring", "ExpiryMonthCount", "FirstExpiryMonth"):
        ws.conditional_formatting.add(EXPIRY.cell(name), FormulaRule(formula=[f"{a1.absolute(funds_expiring)}>0"],
                                                                     fill=_WARN_FILL))
    for name in ("LowestBalance", "ShortfallMonths"):
        ws.conditional_formatting.add(EXPIRY.cell(name), FormulaRule(
            formula=[f"{a1.absolute(shortfall_months)}>0"], fill=_WARN_FILL))

    c.write_header(ws, table.header_row, table.headers)
    first, last = table.first_row, table.last_row()
    top_up_end, top_up = excel_date(levy.TOP_UP_END), "MonthlyTopUp"
    for i, r in enumerate(range(first, last + 1)):
        k = table.row_cells(r)
        ws[k["month"]] = f"=EDATE(PlanStart,{i})"
        # levy.funds_entering: English levy plus the top-up for funds entering before it ended.
        ws[k["funds_in"]] = f"=MonthlyEnglishLevy+IF({k['month']}<{top_up_end},{top_up},0)"
        ws[k["spending"]] = "=" + _payments_in_month(PLANNED_STARTS, k["month"])
        ws[k["transfers_out"]] = "=" + _payments_in_month(TRANSFERS, k["month"])
        ws[k["expired"]] = (f"=ROUND(SUMIF({COHORTS.structured('expires')},{k['month']},"
                            f"{COHORTS.structured('expiring')}),2)")
        before = "OpeningBalance" if i == 0 else table.cell("balance", r - 1)
        ws[k["balance"]] = (f"=ROUND({before}+{k['funds_in']}-{k['spending']}-{k['transfers_out']}"
                            f"-{k['expired']},2)")
        ws[k["shortfall"]] = f"=MAX(0,-{k['balance']})"
        ws[k["expired_so_far"]] = (f"={k['expired']}" if i == 0 else
                                   f"=ROUND({table.cell('expired_so_far', r - 1)}+{k['expired']},2)")
        for column in table.columns:
            ws[k[column.key]].number_format = column.number_format
        c.mark_result(ws[k[column.key]] for column in table.columns)
    c.add_table(ws, table.name, table.ref())
    for key, condition in (("expired", ">0"), ("balance", "<0")):
        top = table.cell(key, first)
        ws.conditional_formatting.add(table.column_cells(key), FormulaRule(formula=[f"{top}{condition}"],
                                                                            fill=_WARN_FILL))
    _forecast_chart(ws, first, last)
    c.set_widths(ws, {table.letter(column.key): 44 if column.key == "month" else 14 for column in table.columns})
    ws.freeze_panes = table.cell("funds_in", first)
    c.protect(ws)


def _payments_in_month(table: Table, month: str) -> str:
    """Sum of one month's scheduled payments over a costed table (no leading '=')."""
    first, last, instalment, completion = (table.structured(key) for key in (
        "first_payment_month", "last_instalment_month", "instalment", "completion_payment"))
    return (f"ROUND(SUMPRODUCT(({first}<={month})*({last}>={month})*{instalment})"
            f"+SUMIF({last},EDATE({month},-1),{completion}),2)")


def _forecast_chart(ws, first: int, last: int) -> None:
    chart = LineChart()
    chart.title = "Funds in, spending, expiry and balance"
    chart.y_axis.title = "Pounds"
    chart.x_axis.number_format = "mmm yy"
    # Without these, openpyxl omits <c:delete val="0"/> and recent Excel draws no axes.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    for key in ("funds_in", "spending", "transfers_out", "expired", "balance"):
        column = FORECAST.first_column + FORECAST.index(key) + 1
        chart.add_data(Reference(ws, min_col=column, min_row=FORECAST.header_row, max_row=last),
                       titles_from_data=True)
    month_column = FORECAST.first_column + FORECAST.index("month") + 1
    chart.set_categories(Reference(ws, min_col=month_column, min_row=first, max_row=last))
    chart.height, chart.width = 10, 24
    ws.add_chart(chart, a1.cell(EXPIRY.first_row, FORECAST.first_column + len(FORECAST.columns) + 1))


def _expiry_sheet(wb) -> None:
    table = COHORTS
    ws = wb.create_sheet(table.sheet)
    _sheet_title(ws, "Expiry workings: oldest funds are used first",
                 f"Each row is the funds that entered in one month (the first row is the opening balance). They "
                 f"expire {levy.EXPIRY_MONTHS} months later, or {levy.SHORT_EXPIRY_MONTHS} months for funds entering "
                 f"from {_day(levy.SHORT_EXPIRY_FROM)}. Each is matched against all spending up to its expiry month "
                 "after the older funds have taken theirs; what is left expires.")
    ws["A3"] = (f"Spending after the {FORECAST.rows} forecast months is left out: it cannot change what expires "
                "within them (funds it would use are matched after all spending up to their expiry).")
    ws["A3"].font = c.NOTE_FONT
    c.write_header(ws, table.header_row, table.headers)
    first, last = table.first_row, table.last_row()
    months, spending, transfers = (FORECAST.structured(key) for key in ("month", "spending", "transfers_out"))
    short_from = excel_date(levy.SHORT_EXPIRY_FROM)
    for j, r in enumerate(range(first, last + 1)):
        k = table.row_cells(r)
        ws[k["entered"]] = "=EDATE(PlanStart,-1)" if j == 0 else f"=EDATE(PlanStart,{j - 1})"
        ws[k["amount"]] = ("=OpeningBalance" if j == 0 else
                           f"={FORECAST.sheet}!{FORECAST.cell('funds_in', FORECAST.header_row + j)}")
        ws[k["expires"]] = (f"=EDATE({k['entered']},IF({k['entered']}<{short_from},{levy.EXPIRY_MONTHS},"
                            f"{levy.SHORT_EXPIRY_MONTHS}))")
        spent_to = f'SUMIF({months},"<="&{k["expires"]},{spending})+SUMIF({months},"<="&{k["expires"]},{transfers})'
        ws[k["spent_by_expiry"]] = f"=ROUND({spent_to},2)"
        ws[k["used_by_earlier"]] = ("=0" if j == 0 else
                                    f"=ROUND({table.cell('used_by_earlier', r - 1)}+{table.cell('used', r - 1)},2)")
        ws[k["used"]] = f"=MIN({k['amount']},MAX(0,ROUND({k['spent_by_expiry']}-{k['used_by_earlier']},2)))"
        ws[k["expiring"]] = f"=ROUND({k['amount']}-{k['used']},2)"
        for column in table.columns:
            ws[k[column.key]].number_format = column.number_format
    c.add_table(ws, table.name, table.ref())
    c.set_widths(ws, {table.letter(column.key): 11 if column.kind == "month" else 14 for column in table.columns})
    c.protect(ws)


def _standards_sheet(wb, standards: Sequence[Standard], source: str) -> None:
    table = STANDARDS
    ws = wb.create_sheet(table.sheet)
    _sheet_title(ws, "Apprenticeship standards and funding band maxima",
                 f"From {source}. Add a standard that is missing in the yellow rows at the end.")
    c.write_header(ws, table.header_row, table.headers)
    first = table.first_row
    for r, standard in enumerate(standards, start=first):
        k = table.row_cells(r)
        c.set_text(ws[k["reference"]], standard.reference)
        c.set_text(ws[k["title"]], standard.title)
        ws[k["level"]] = standard.level
        ws[k["max_funding"]] = standard.max_funding
        ws[k["max_funding"]].number_format = table.column("max_funding").number_format
        ws[k["typical_duration_months"]] = standard.typical_duration_months
    rows = len(standards) + SPARE_STANDARD_ROWS
    spare_first, last = first + len(standards), table.last_row(rows)
    for r in range(spare_first, last + 1):
        c.mark_input(ws[table.cell(column.key, r)] for column in table.columns)
        ws[table.cell("max_funding", r)].number_format = table.column("max_funding").number_format
    c.add_table(ws, table.name, table.ref(rows))
    spare = lambda key: f"{table.cell(key, spare_first)}:{table.cell(key, last)}"  # noqa: E731
    c.add_number_validation(ws, spare("level"), kind="whole", minimum=1, maximum=8, title="Level",
                            message="Type the level, 2 to 7.")
    c.add_number_validation(ws, spare("max_funding"), kind="decimal", minimum=0, title="Funding band maximum",
                            message="Type the funding band maximum in pounds.")
    c.add_number_validation(ws, spare("typical_duration_months"), kind="whole", minimum=1,
                            maximum=MAX_DURATION_MONTHS, title="Typical duration",
                            message="Type the typical duration in whole months.")
    c.define_name(wb, "StandardList", ws, table.column_cells("reference", rows))
    c.set_widths(ws, {table.letter(key): width for key, width in (
        ("reference", 12), ("title", 60), ("level", 8), ("max_funding", 14), ("typical_duration_months", 14))})
    ws.freeze_panes = table.cell("reference", first)
    c.protect(ws)


# Private API: small helpers.


def _day(day: dt.date) -> str:
    """1 August 2026 (strftime's %-d is not portable)."""
    return f"{day.day} {day:%B %Y}"


def _sheet_title(ws, title: str, note: str) -> None:
    ws["A1"] = title
    ws["A1"].font = c.TITLE_FONT
    c.set_text(ws["A2"], note)
    ws["A2"].font = c.NOTE_FONT
