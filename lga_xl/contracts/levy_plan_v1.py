"""The schools apprenticeship levy plan's contract, template 1.0 (written by lga_xl 0.1.0).

Kept exactly as 0.1.0 wrote it, so that its returns keep reading with their
own meaning (:mod:`lga_xl.contracts.levy_plan` has the current template).

* ``Plan``: the inputs as workbook-level names (OrgName, Region, TaxYear and
  PlanStart fixed when the workbook is made, PlanEnd, TotalPayBill,
  EnglishPercent, Headcount, PreviousYearFunds, OpeningBalance,
  TransfersCommitted) and the results below them (AnnualLevy ... SchoolsPlannedSpend).
* ``Forecast``: the expiry results at the top (FundsExpiring ...
  ShortfallMonths) and table ``Forecast``, 36 months from the plan start.
* Tables ``Schools``, ``PlannedStarts`` (sheet ``Starts``), ``Transfers``,
  ``Cohorts`` (sheet ``Expiry``: the expiry workings) and ``Standards``, each
  with its columns in order and, for the first three, the row checks their
  Check column shows.
* Dropdowns through names: SchoolTypeList, CouncilSchoolTypeList and
  RegionList on the hidden ``Lists`` sheet, StandardList (the Standards
  table's references) and SchoolURNList (the Schools table's URNs).
* Hidden ``lga_xl`` sheet: kind, template version, tax year, standards source.

The rules behind the formulas are :mod:`lga_xl.levy`'s; see ``docs/levy.md``.

Example:
    >>> CONTRACT.address("TotalPayBill"), CONTRACT.address("FundsExpiring")
    (('Plan', 'B10'), ('Forecast', 'B4'))
    >>> PLANNED_STARTS.cell("price", 6), PLANNED_STARTS.structured("in_year_cost")
    ('G6', 'PlannedStarts[InYearCost]')
"""

from __future__ import annotations

import datetime as dt

from .. import levy
from ..contract import Block, Column, Contract, Name, RowCheck, Table, structured
from ..formulas import excel_date
from ..reference import COUNCIL_SCHOOL_TYPES, REGIONS, SCHOOL_TYPES

KIND = "levy-plan"
TEMPLATE_VERSION = "1.0"

# Transfers began in April 2018; earlier plans would need the levy's first year, which this
# workbook does not model.
FIRST_TAX_YEAR = "2018-19"
LAST_TAX_YEAR = "2098-99"
MAX_DURATION_MONTHS = 120  # the Duration validation's maximum
FORECAST_MONTHS = 36

SCHOOL_ROWS = 60
START_ROWS = 150
TRANSFER_ROWS = 20
SPARE_ROWS = 10  # blank rows left below a pre-filled table
SPARE_STANDARD_ROWS = 30  # for standards the officer adds by hand

MONEY = "#,##0.00"
DATE = "dd/mm/yyyy"
MONTH = "mmm yyyy"
COUNT = "#,##0"

# Texts of the Check columns: the workbook shows them and the reader gives the same.
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
        raise ValueError(f"tax year {tax_year}: levy plans are for tax years from {FIRST_TAX_YEAR} to "
                         f"{LAST_TAX_YEAR}")
    return dt.date(first_day.year, 4, 1)


INPUTS = Block("Plan", first_row=5, names=(
    Name("OrgName", "Council", "text", field="organisation", note="The council's name as you want it reported."),
    Name("Region", "Region", "choice", field="region", note="One of the nine English regions.", choices="RegionList"),
    Name("TaxYear", "Tax year", "text", role="fixed", field="tax_year", hashed=True,
         note="Fixed when the workbook was made: a new tax year needs a new workbook."),
    Name("PlanStart", "Plan starts", "date", role="fixed", field="plan_start", hashed=True, number_format=DATE,
         note="The first month of the tax year; the forecast starts here."),
    Name("PlanEnd", "Plan ends", "date", role="formula", field="plan_end", number_format=DATE,
         note="The last day of the plan year's March."),
    Name("TotalPayBill", "Annual pay bill, whole council", "money", field="total_pay_bill", number_format=MONEY,
         note="Schools' staff included. In pounds."),
    Name("EnglishPercent", "English percentage", "number", field="english_percent", number_format="0.00",
         note="Share of the pay bill for staff living in England, 0 to 100 (HMRC's English percentage)."),
    Name("Headcount", "Headcount", "whole", field="headcount", number_format=COUNT,
         note="Staff in England at the start of the year, for the public sector target."),
    Name("PreviousYearFunds", "Funds entered last tax year", "money", field="previous_year_funds", number_format=MONEY,
         note="English levy plus top-up that entered the account in the previous tax year (your account shows it)."),
    Name("OpeningBalance", "Opening balance", "money", field="opening_balance", number_format=MONEY,
         note="Funds in the account at the start of the plan."),
    Name("TransfersCommitted", "Transfers already committed", "money", field="transfers_committed",
         number_format=MONEY,
         note="Transfers and pledges committed this tax year outside the Transfers sheet (their cost this year)."),
))


def _result(name: str, label: str, field: str, number_format: str = MONEY, note: str = "",
            kind: str = "money") -> Name:
    return Name(name, label, kind, role="formula", field=field, number_format=number_format, note=note)


RESULTS = Block("Plan", first_row=INPUTS.last_row + 3, names=(
    _result("AnnualLevy", "Annual levy", "annual_levy",
            note="0.5% of the pay bill less the 15,000 allowance, never below 0."),
    _result("MonthlyLevy", "Levy a month (a twelfth)", "monthly_levy"),
    _result("MonthlyEnglishLevy", "English share of a month's levy", "monthly_english_levy"),
    _result("MonthlyTopUp", "Top-up a month (before 1 Aug 2026)", "monthly_top_up"),
    _result("FundsIn", "Funds entering in the plan year", "funds_in",
            note="English levy plus top-up, April to March (see the Forecast sheet)."),
    _result("PlannedSpend", "Planned starts: cost in the plan year", "planned_spend"),
    _result("PlannedStartsInYear", "Planned starts in the plan year", "planned_starts_in_year", COUNT, kind="whole"),
    _result("PublicSectorTargetStarts", "Public sector target (2.3% of headcount)", "public_sector_target_starts",
            COUNT, kind="whole"),
    _result("StatutoryTransferRate", "Statutory transfer rate", "statutory_transfer_rate", "0%", kind="percent",
            note="50% from 22 April 2024; 25% from April 2019; 10% from April 2018."),
    _result("TransferAllowance10", "Transfer allowance at 10%", "transfer_allowance_10"),
    _result("TransferAllowance25", "Transfer allowance at 25%", "transfer_allowance_25"),
    _result("TransferAllowanceStatutory", "Transfer allowance at the statutory rate", "transfer_allowance_statutory",
            note="A share of last tax year's funds: what may be transferred this year."),
    _result("TransfersPlanned", "Planned transfers: cost in the plan year", "transfers_planned"),
    _result("TransfersTotal", "Transfers committed this year", "transfers_total",
            note="Already committed plus the Transfers sheet."),
    _result("Headroom10", "Headroom at 10%", "headroom_10"),
    _result("Headroom25", "Headroom at 25%", "headroom_25"),
    _result("HeadroomStatutory", "Headroom at the statutory rate", "headroom_statutory"),
    _result("OverCommitted", "Transfers over the statutory allowance", "over_committed",
            note="Above 0: transfers exceed what may be transferred; reduce them."),
    _result("SchoolsPayBill", "Pay bill of schools in the council's levy", "schools_pay_bill",
            note="Community, voluntary controlled, community special and maintained nursery schools."),
    _result("SchoolsLevyShare", "Schools' share of the levy", "schools_levy_share"),
    _result("SchoolsPlannedSpend", "Schools' planned spend in the plan year", "schools_planned_spend"),
))
EXPIRY_SUMMARY_ROW = RESULTS.last_row + 2  # "Funds forecast to expire", repeated below the results

EXPIRY = Block("Forecast", first_row=4, note_column=None, names=(
    _result("FundsExpiring", "Funds forecast to expire in these 36 months", "expiring_funds"),
    _result("ExpiryMonthCount", "Months in which funds expire", "expiry_month_count", "0", kind="whole"),
    _result("FirstExpiryMonth", "First month funds expire", "first_expiry_month", MONTH, kind="month"),
    _result("LowestBalance", "Lowest balance", "lowest_balance"),
    _result("ShortfallMonths", "Months with a shortfall (balance below zero)", "shortfall_months", "0",
            kind="whole"),
))

_SCHOOL_URN = Column("urn", "URN", "text", required=True)
SCHOOL_URNS = structured("Schools", _SCHOOL_URN.header)
SCHOOLS = Table("Schools", "Schools", header_row=5, rows=SCHOOL_ROWS, max_rows=2_000, columns=(
    _SCHOOL_URN,
    Column("name", "School", "text", required=True),
    Column("type", "Type", "choice", required=True),
    Column("pay_bill", "PayBill", "money", required=True, number_format=MONEY),
    Column("headcount", "Headcount", "whole", number_format=COUNT),
    Column("levy_share", "LevyShare", "money", role="formula", number_format=MONEY),
    Column("planned_spend", "PlannedSpend", "money", role="formula", number_format=MONEY),
    Column("balance", "Balance", "money", role="formula", number_format=MONEY),
    Column("check", "Check", "text", role="formula"),
), checks=(
    RowCheck(CHECK_INCOMPLETE, 'OR({urn}="",{name}="",{type}="",{pay_bill}="")', lambda s: not s.complete,
             "incomplete-row"),
    RowCheck(CHECK_NOT_IN_LEVY, "NOT(COUNTIF(CouncilSchoolTypeList,{type})>0)", lambda s: not s.in_council_levy,
             "school-not-in-council-levy", "type"),
    RowCheck(CHECK_URN_TWICE, f"COUNTIF({SCHOOL_URNS},{{urn}})>1", lambda s: s.urn_twice, "duplicate-urn", "urn"),
))

_SCHEDULE = (
    Column("instalment", "Instalment", "money", role="formula", number_format=MONEY, hidden=True),
    Column("completion_payment", "CompletionPayment", "money", role="formula", number_format=MONEY, hidden=True),
    Column("first_payment_month", "FirstPaymentMonth", "month", role="formula", number_format=MONTH, hidden=True),
    Column("last_instalment_month", "LastInstalmentMonth", "month", role="formula", number_format=MONTH,
           hidden=True),
)
_COSTING = {  # the costing columns both tables share
    "standard": Column("standard", "Standard", "choice", required=True),
    "title": Column("title", "Title", "text", role="formula"),
    "level": Column("level", "Level", "whole", role="formula"),
    "start_date": Column("start_date", "StartDate", "date", required=True, number_format=DATE),
    "duration_months": Column("duration_months", "DurationMonths", "whole", required=True),
    "price": Column("price", "Price", "money", required=True, number_format=MONEY),
    "band_max": Column("band_max", "BandMax", "money", role="formula", number_format=MONEY),
    "above_cap": Column("above_cap", "AboveCap", "money", role="formula", number_format=MONEY),
    "in_year_cost": Column("in_year_cost", "InYearCost", "money", role="formula", number_format=MONEY),
    "check": Column("check", "Check", "text", role="formula"),
}


def _costing_checks(incomplete: str, *, schools: bool) -> tuple[RowCheck, ...]:
    """The checks of a costed row (a planned start or a transfer), in the order the Check column tests them."""
    short_from = excel_date(levy.SHORT_MINIMUM_DURATION_FROM)
    return (
        RowCheck(CHECK_INCOMPLETE, incomplete, lambda r: r.incomplete, "incomplete-row"),
        RowCheck(CHECK_UNKNOWN_STANDARD, f'{{title}}="{CHECK_UNKNOWN_STANDARD}"', lambda r: r.unknown_standard,
                 "unknown-standard", "standard"),
        *((RowCheck(CHECK_UNKNOWN_SCHOOL, f'AND({{urn}}<>"",COUNTIF({SCHOOL_URNS},{{urn}})=0)',
                    lambda r: r.unknown_school, "unknown-school", "urn"),) if schools else ()),
        RowCheck(CHECK_NOT_COSTED, "{first_payment_month}=0", lambda r: not r.costable),
        # The minimum duration for the start date (levy.minimum_duration_months).
        RowCheck(CHECK_TOO_SHORT,
                 f"{{duration_months}}<IF({{start_date}}>={short_from},{levy.SHORT_MINIMUM_DURATION_MONTHS},"
                 f"{levy.MINIMUM_DURATION_MONTHS})",
                 lambda r: r.too_short, "duration-too-short", "duration_months"),
        RowCheck(CHECK_OUTSIDE_PLAN, "OR({start_date}<PlanStart,{start_date}>PlanEnd)", lambda r: r.outside_plan,
                 "start-outside-plan", "start_date"),
        RowCheck(CHECK_ABOVE_CAP, "{above_cap}>0", lambda r: r.above_cap > 0, "price-above-cap", "price"),
    )


PLANNED_STARTS = Table("PlannedStarts", "Starts", header_row=5, rows=START_ROWS, max_rows=5_000, columns=(
    Column("urn", "URN", "text"),
    *(_COSTING[key] for key in ("standard", "title", "level", "start_date", "duration_months", "price",
                                "band_max", "above_cap", "in_year_cost", "check")),
    *_SCHEDULE,
), checks=_costing_checks('OR({standard}="",{start_date}="",{duration_months}="",{price}="")', schools=True))

TRANSFERS = Table("Transfers", "Transfers", header_row=5, rows=TRANSFER_ROWS, max_rows=1_000, columns=(
    Column("recipient", "Recipient", "text", required=True),
    *(_COSTING[key] for key in ("standard", "start_date", "duration_months", "price", "in_year_cost", "title",
                                "level", "band_max", "above_cap", "check")),
    *_SCHEDULE,
), checks=_costing_checks('OR({recipient}="",{standard}="",{start_date}="",{duration_months}="",{price}="")',
                          schools=False))

STANDARDS = Table("Standards", "Standards", header_row=4, max_rows=5_000, columns=(
    Column("reference", "Reference", "text"),
    Column("title", "Title", "text"),
    Column("level", "Level", "whole"),
    Column("max_funding", "MaxFunding", "money", number_format=MONEY),
    Column("typical_duration_months", "TypicalDurationMonths", "whole"),
))

FORECAST = Table("Forecast", "Forecast", header_row=11, rows=FORECAST_MONTHS, columns=(
    Column("month", "Month", "month", role="formula", number_format=MONTH),
    *(Column(key, header, "money", role="formula", number_format=MONEY) for key, header in (
        ("funds_in", "FundsIn"), ("spending", "Spending"), ("transfers_out", "TransfersOut"), ("expired", "Expired"),
        ("balance", "Balance"), ("shortfall", "Shortfall"), ("expired_so_far", "ExpiredSoFar"))),
))

COHORTS = Table("Cohorts", "Expiry", header_row=6, rows=FORECAST_MONTHS + 1, columns=(
    Column("entered", "Entered", "month", role="formula", number_format=MONTH),
    Column("amount", "Amount", "money", role="formula", number_format=MONEY),
    Column("expires", "Expires", "month", role="formula", number_format=MONTH),
    *(Column(key, header, "money", role="formula", number_format=MONEY) for key, header in (
        ("spent_by_expiry", "SpentByExpiry"), ("used_by_earlier", "UsedByEarlier"), ("used", "Used"),
        ("expiring", "Expiring"))),
))

CONTRACT = Contract(
    KIND, TEMPLATE_VERSION, blocks=(INPUTS, RESULTS, EXPIRY),
    tables=(SCHOOLS, PLANNED_STARTS, TRANSFERS, STANDARDS, FORECAST, COHORTS),
    lists={"SchoolTypeList": SCHOOL_TYPES, "CouncilSchoolTypeList": COUNCIL_SCHOOL_TYPES, "RegionList": REGIONS},
)
CONTRACTS = {TEMPLATE_VERSION: CONTRACT}
