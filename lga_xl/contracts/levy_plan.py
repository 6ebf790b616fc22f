"""The schools apprenticeship levy plan workbook's contract (template 2.0).

* ``Plan``: who and when (OrgName, Region, TaxYear and PlanStart fixed when
  the workbook is made, PlanEnd); the council's figures (TotalPayBill,
  EnglishPercent, LevyAllowance, PayBillGrowth, Headcount, PreviousYearFunds,
  OpeningBalance, TransfersCommitted), each beside the value the formulas use
  (``...Used``: a percentage typed as 95 is 95%, a number pasted as text is
  read, a blank allowance is 15,000); and the results in four groups.
  Between who and the figures, the send-out cells (PreparedFor, ReturnBy,
  ReturnTo, CarriedForward), blank until :mod:`lga_xl.sendout` fills them in.
* ``Forecast``: the expiry and shortfall results at the top, table ``Years``
  (the forecast by financial year, with each year's pay bill and levy) and
  table ``Forecast``, 48 months from the plan start, one row per month
  (``docs/levy.md``, "How the workbook computes each forecast column").
* ``Expiry``: the officer's ``ExpiringFunds`` (what the account's finance page
  shows as due to expire) and the ``Opening`` table placing the opening
  balance in the months it entered.
* Tables ``Schools``, ``PlannedStarts`` (sheet ``Starts``), ``Transfers``,
  ``Standards`` and ``FundingBands`` (sheet ``Standards``).
* Dropdowns through names: RegionList, SchoolTypeList (every establishment
  type, with SchoolEmployerList beside it), TransferTypeList on the hidden
  ``Lists`` sheet; StandardList ("ST0454 Teaching assistant (level 3)") and
  SchoolList ("100001 - Ash Primary"), whose formulas take the reference or
  URN from the start of the text.
* Hidden ``lga_xl`` sheet: kind, template version, tax year, standards source.

Template 1.0, as lga_xl 0.1.0 wrote it, is :mod:`lga_xl.contracts.levy_plan_v1`;
both are in :data:`CONTRACTS`.

Example:
    >>> CONTRACT.address("EnglishPercent"), CONTRACT.address("EnglishPercentUsed")
    (('Plan', 'B20'), ('Plan', 'C20'))
    >>> PLANNED_STARTS.structured("in_year_cost"), list(CONTRACTS)
    ('PlannedStarts[In-year cost]', ['1.0', '2.0'])
"""

from __future__ import annotations

from decimal import Decimal

from .. import cells, levy
from ..answers import Answers, Migration
from ..contract import Block, Column, Contract, Name, RowCheck, Table, send_out_block, structured
from ..forecast import FORECAST_MONTHS
from ..formulas import excel_date
from ..reference import EMPLOYER_COUNCIL, ESTABLISHMENT_TYPES, REGIONS, establishment_type
from ..standards import APPROVED_FOR_DELIVERY
from . import levy_plan_v1
from .levy_plan_v1 import FIRST_TAX_YEAR, LAST_TAX_YEAR, MAX_DURATION_MONTHS, plan_start_of

__all__ = [
    "CONTRACT", "CONTRACTS", "FIRST_TAX_YEAR", "FORECAST", "FORECAST_MONTHS", "LAST_TAX_YEAR",
    "MAX_DURATION_MONTHS", "PLANNED_STARTS", "SCHOOLS", "STANDARDS", "TRANSFERS", "plan_start_of",
]

KIND = "levy-plan"
TEMPLATE_VERSION = "2.0"
YEARS_IN_FORECAST = FORECAST_MONTHS // 12

SCHOOL_ROWS = 60
START_ROWS = 150
TRANSFER_ROWS = 20
EXPIRING_ROWS = 24
OPENING_MONTHS = levy.EXPIRY_MONTHS  # the months before the plan whose funds can still be in the account
SPARE_ROWS = 10  # blank rows left below a pre-filled table
SPARE_STANDARD_ROWS = 20  # for standards the officer adds by hand
SPARE_BAND_ROWS = 10
# The most rows a filled table may have, far above any council's (a reader refuses a wider range as damage).
MAX_SCHOOL_ROWS = 2_000
MAX_START_ROWS = 5_000
MAX_TRANSFER_ROWS = 1_000
MAX_STANDARD_ROWS = 5_000

# The house style's number formats (lga_xl.writers.style, which this pure module cannot import).
MONEY = "£#,##0.00"
MONEY_WHOLE = "£#,##0"
PERCENT = "0.0%"
DATE = "dd/mm/yyyy"
MONTH = "mmm yyyy"
COUNT = "#,##0"

NO_MONTH = "None"  # NextExpiryMonth and FirstShortfallMonth when there is none
SHORT = "Yes"  # the Forecast's "Funds run short" column in a month that runs short
TRANSFER = "Transfer"
PLEDGE = "Pledge"
TRANSFER_TYPES = (TRANSFER, PLEDGE)

# Texts of the Check columns: the workbook shows them and the reader gives the same.
CHECK_INCOMPLETE = "Incomplete row"
CHECK_UNKNOWN_TYPE = "Unknown school type"
CHECK_NOT_IN_LEVY = "Not in council levy"
CHECK_URN_TWICE = "URN listed twice"
CHECK_UNKNOWN_STANDARD = "Unknown standard"
CHECK_NOT_APPROVED = "Standard not open for starts"
CHECK_UNKNOWN_SCHOOL = "Unknown school"
CHECK_NOT_COSTED = "Check the date, duration and price"
CHECK_STANDARD_DATES = "Outside the standard's start dates"
CHECK_NO_BAND = "No funding band on the start date"
CHECK_TOO_SHORT = "Shorter than the minimum"
CHECK_BEFORE_PLAN = "Starts before the plan"
CHECK_ABOVE_CAP = "Price above the funding band"
CHECK_MONTH_AND_AMOUNT = "Check the month and amount"
CHECK_EXPIRES_BEFORE_PLAN = "Expires before the plan starts"
CHECK_ENTERED_AFTER_PLAN = "Entered after the plan starts"
CHECK_OVER_BALANCE = "Total above the opening balance"


# Public API: the Plan sheet.

ABOUT = Block("Plan", first_row=6, note_column=3, names=(
    Name("OrgName", "Council", "text", field="organisation", note="The council's name as you want it reported."),
    Name("Region", "Region", "choice", field="region", note="One of the nine English regions.", choices="RegionList"),
    Name("TaxYear", "Tax year", "text", role="fixed", field="tax_year", hashed=True,
         note="Fixed when the workbook was made: a new tax year needs a new workbook."),
    Name("PlanStart", "Plan starts", "date", role="fixed", field="plan_start", hashed=True, number_format=DATE,
         note="1 April of the tax year: the forecast starts here."),
    Name("PlanEnd", "Plan ends", "date", role="formula", field="plan_end", number_format=DATE,
         note="31 March: the plan year is April to March."),
))
SEND_OUT = send_out_block("Plan", ABOUT.last_row + 3)
FIGURES_CAPTION_ROW = SEND_OUT.last_row + 2  # "You type" and "Used in the figures" above the columns
FIGURES = Block("Plan", first_row=FIGURES_CAPTION_ROW + 1, note_column=3, names=(
    Name("TotalPayBill", "Pay bill, whole council", "money", field="total_pay_bill", number_format=MONEY,
         note="The year's pay bill for the levy, schools' staff included."),
    Name("EnglishPercent", "English percentage", "percent", field="english_percent", number_format=PERCENT,
         note="Share of the pay bill for staff living in England (HMRC's English percentage). 95 is read as 95%."),
    Name("LevyAllowance", "Levy allowance", "money", field="levy_allowance", number_format=MONEY,
         note="The council's share of the 15,000 allowance (less if it is shared with connected employers)."),
    Name("PayBillGrowth", "Pay bill growth a year", "percent", field="pay_bill_growth", number_format=PERCENT,
         note="For the forecast's later years; 0% holds the levy flat, as the apprenticeship service does."),
    Name("Headcount", "Headcount", "whole", field="headcount", number_format=COUNT,
         note="Staff in England at the start of the year."),
    Name("PreviousYearFunds", "Funds that entered last tax year", "money", field="previous_year_funds",
         number_format=MONEY, note="English levy plus top-up that entered the account in the last tax year."),
    Name("OpeningBalance", "Opening balance", "money", field="opening_balance", number_format=MONEY,
         note="Funds in the account on 1 April. List what the finance page shows as expiring on the Expiry sheet."),
    Name("TransfersCommitted", "Transfers already committed", "money", field="transfers_committed",
         number_format=MONEY,
         note="Transfers and pledges committed this tax year and not listed on the Transfers sheet (their cost "
              "this year)."),
))


def _used(name: str, kind: str, number_format: str) -> Name:
    return Name(f"{name}Used", "Used in the figures", kind, role="formula", number_format=number_format)


# The value each figure's formulas use, beside what was typed (column C): the reader compares them.
USED = Block("Plan", first_row=FIGURES.first_row, value_column=2, label_column=2, note_column=None, names=tuple(
    _used(name.name, name.kind, name.number_format or "") for name in FIGURES.names))


def figure_default(name: str) -> Decimal:
    """What a blank or unusable figure counts as: the whole levy allowance, otherwise 0 (no growth).

    Example:
        >>> figure_default("LevyAllowance"), figure_default("PayBillGrowth")
        (Decimal('15000'), Decimal('0'))
    """
    return levy.LEVY_ALLOWANCE if name == "LevyAllowance" else Decimal(0)


def figure_maximum(name: str) -> Decimal | None:
    """The most a figure may be: the levy allowance at most the whole allowance (percentages are 100%)."""
    return levy.LEVY_ALLOWANCE if name == "LevyAllowance" else None


def _result(name: str, label: str, field: str, number_format: str = MONEY, note: str = "",
            kind: str = "money") -> Name:
    return Name(name, label, kind, role="formula", field=field, number_format=number_format, note=note)


LEVY_RESULTS = Block("Plan", note_column=2, first_row=FIGURES.last_row + 3, names=(
    _result("AnnualLevy", "Levy for the year", "annual_levy",
            note="0.5% of the pay bill less the levy allowance, never below 0."),
    _result("MonthlyLevy", "Levy a month (a twelfth)", "monthly_levy"),
    _result("MonthlyEnglishLevy", "English share of a month's levy", "monthly_english_levy"),
    _result("MonthlyTopUp", "Government top-up a month", "monthly_top_up",
            note="10% of the English share for funds entering before 1 August 2026; none from then."),
    _result("FundsIn", "Funds entering in the plan year", "funds_in", note="April to March."),
))
START_RESULTS = Block("Plan", note_column=2, first_row=LEVY_RESULTS.last_row + 3, names=(
    _result("PlannedSpend", "Cost of planned starts in the plan year", "planned_spend"),
    _result("PlannedStartsInYear", "Planned starts in the plan year", "planned_starts_in_year", COUNT,
            kind="whole"),
    _result("PublicSectorTargetStarts", "2.3% of headcount", "public_sector_target_starts", COUNT, kind="whole",
            note="The former public sector target (ended 31 March 2022). Councils still report starts against "
                 "headcount."),
    _result("EmployerContribution", "Employer co-investment in the plan year", "employer_contribution",
            note="When the account cannot pay for training: 5% of it, 25% for starts from 1 August 2026."),
    _result("GovernmentContribution", "Government co-investment in the plan year", "government_contribution"),
))
TRANSFER_RESULTS = Block("Plan", note_column=2, first_row=START_RESULTS.last_row + 3, names=(
    _result("StatutoryTransferRate", "Transfer rate for the plan year", "statutory_transfer_rate", PERCENT,
            kind="percent", note="50% from 22 April 2024 (25% from April 2019, 10% from April 2018)."),
    _result("TransferAllowance10", "Transfer allowance at 10% (the 2018-19 rate)", "transfer_allowance_10"),
    _result("TransferAllowance25", "Transfer allowance at 25% (the 2019-20 to 2023-24 rate)",
            "transfer_allowance_25"),
    _result("TransferAllowanceStatutory", "Transfer allowance for the plan year", "transfer_allowance_statutory",
            note="A share of the funds that entered last tax year."),
    _result("TransfersPlanned", "Transfers and pledges on the Transfers sheet", "transfers_planned",
            note="Their cost in the plan year."),
    _result("TransfersTotal", "Transfers and pledges committed this year", "transfers_total",
            note="Already committed plus the Transfers sheet."),
    _result("Headroom10", "Headroom at 10%", "headroom_10"),
    _result("Headroom25", "Headroom at 25%", "headroom_25"),
    _result("HeadroomStatutory", "Headroom for the plan year", "headroom_statutory",
            note="What may still be transferred this year."),
    _result("OverCommitted", "Committed above the allowance", "over_committed",
            note="Above 0: more is committed than may be transferred; reduce it."),
))
SCHOOL_RESULTS = Block("Plan", note_column=2, first_row=TRANSFER_RESULTS.last_row + 3, names=(
    _result("SchoolsPayBill", "Pay bill of schools whose staff the council employs", "schools_pay_bill"),
    _result("SchoolsLevyShare", "Schools' share of the levy paid", "schools_levy_share",
            note="In proportion to their pay bills."),
    _result("SchoolsFundsShare", "Schools' share of the funds entering", "schools_funds_share",
            note="Of the funds entering in the plan year, which pay for their starts."),
    _result("SchoolsPlannedSpend", "Schools' planned starts: cost in the plan year", "schools_planned_spend"),
))
FORECAST_SUMMARY_ROW = SCHOOL_RESULTS.last_row + 3  # the forecast's key figures, repeated from the Forecast sheet

# Public API: the Forecast sheet.

EXPIRY = Block("Forecast", first_row=5, value_column=4, note_column=5, names=(
    _result("FundsExpiringPlanYear", "Funds forecast to expire in the plan year", "expiring_funds_plan_year"),
    _result("NextExpiryMonth", "First month funds expire", "first_expiry_month", MONTH, kind="month"),
    _result("NextExpiryAmount", "Expiring that month", "first_expiry_amount"),
    _result("FundsExpiring", f"Funds forecast to expire in the {FORECAST_MONTHS} months", "expiring_funds"),
    _result("ExpiryMonthCount", "Months in which funds expire", "expiry_month_count", COUNT, kind="whole"),
    _result("FirstShortfallMonth", "First month funds run short", "first_shortfall_month", MONTH, kind="month"),
    _result("ShortfallMonths", "Months in which funds run short", "shortfall_months", COUNT, kind="whole"),
    _result("LowestBalance", "Lowest balance at the end of a month", "lowest_balance"),
))

YEARS = Table("Years", "Forecast", header_row=EXPIRY.last_row + 2, rows=YEARS_IN_FORECAST, columns=(
    Column("tax_year", "Tax year", "text", role="fixed"),
    *(Column(key, header, "money", role="formula", number_format=MONEY) for key, header in (
        ("pay_bill", "Pay bill"), ("levy", "Levy"), ("funds_in", "Funds in"), ("cost_of_training", "Cost of training"),
        ("completion_payments", "Completion payments"), ("transfers_out", "Transfers and pledges paid"),
        ("expired", "Expired"), ("employer_contribution", "Employer co-investment"),
        ("government_contribution", "Government co-investment"), ("closing_balance", "Closing balance"))),
))  # no hidden columns: they would hide the Forecast table's columns below
CHART_ROWS = 20  # rows between the Years table and the Forecast table, where the chart goes

_MONEY_COLUMNS = (
    ("funds_in", "Funds in"), ("cost_of_training", "Cost of training"),
    ("completion_payments", "Completion payments"), ("transfers_due", "Transfers and pledges due"),
    ("transfers_out", "Transfers and pledges paid"), ("training_from_levy", "Training paid from levy"),
    ("shortfall", "Training the account cannot pay"), ("employer_contribution", "Employer co-investment"),
    ("government_contribution", "Government co-investment"), ("expired", "Expired"), ("balance", "Balance"),
)
_WORKINGS = (  # hidden: the expiry recurrence of docs/levy.md
    ("weighted", "Due times co-investment %"), ("brought_forward", "Brought forward"),
    ("spent_so_far", "Spent from levy so far"), ("due_24", "24-month funds due to expire"),
    ("used_24", "24-month funds used so far"), ("expired_24_so_far", "24-month funds expired so far"),
    ("due_12", "12-month funds due to expire"), ("held_24", "Spending held by 24-month funds"),
    ("used_12", "12-month funds used so far"), ("expired_so_far", "Expired so far"),
)
FORECAST = Table("Forecast", "Forecast", header_row=YEARS.last_row() + CHART_ROWS + 2, rows=FORECAST_MONTHS,
                 columns=(
    Column("month", "Month", "month", role="formula", number_format=MONTH),
    *(Column(key, header, "money", role="formula", number_format=MONEY) for key, header in _MONEY_COLUMNS),
    Column("short", "Funds run short", "text", role="formula"),
    *(Column(key, header, "money", role="formula", number_format=MONEY, hidden=True) for key, header in _WORKINGS),
))

# Public API: the Expiry sheet.

OPENING_WORKINGS = Block("Expiry", first_row=5, label_column=6, value_column=10, note_column=None, names=(
    Name("ExpiringFundsTotal", "Expiring funds listed on the left", "money", role="formula", number_format=MONEY),
    Name("OpeningBalanceRest", "Opening balance left to place by estimate", "money", role="formula",
         number_format=MONEY),
    Name("OpeningMonthCap", "Most placed in one month", "money", role="formula", number_format=MONEY),
    Name("Funds24Months", "Funds that expire after 24 months", "money", role="formula", number_format=MONEY),
))
EXPIRING_FUNDS = Table("ExpiringFunds", "Expiry", header_row=OPENING_WORKINGS.last_row + 3, rows=EXPIRING_ROWS,
                       columns=(
    Column("month", "Month", "month", required=True, number_format=MONTH),
    Column("amount", "Amount", "money", required=True, number_format=MONEY),
    Column("entered", "Entered the account", "month", role="formula", number_format=MONTH),
    Column("check", "Check", "text", role="formula"),
    Column("usable", "Used", "whole", role="formula", hidden=True),
), checks=(
    RowCheck(CHECK_INCOMPLETE, 'OR({month}="",{amount}="")', lambda r: r.incomplete, "incomplete-row"),
    RowCheck(CHECK_MONTH_AND_AMOUNT, "OR(NOT(ISNUMBER({month})),NOT(ISNUMBER({amount})),{amount}<0)",
             lambda r: not r.readable),
    RowCheck(CHECK_EXPIRES_BEFORE_PLAN, "DATE(YEAR({month}),MONTH({month}),1)<PlanStart",
             lambda r: r.expires_before_plan, "bad-expiring-month", "month"),
    RowCheck(CHECK_ENTERED_AFTER_PLAN, "{entered}>=PlanStart", lambda r: r.entered_after_plan, "bad-expiring-month",
             "month"),
    RowCheck(CHECK_OVER_BALANCE, "ExpiringFundsTotal>OpeningBalanceUsed", lambda r: r.over_balance),
))
OPENING = Table("Opening", "Expiry", header_row=EXPIRING_FUNDS.header_row, first_column=6, rows=OPENING_MONTHS,
                columns=(
    Column("entered", "Entered the account", "month", role="formula", number_format=MONTH),
    Column("expires", "Expires", "month", role="formula", number_format=MONTH),
    Column("known", "From the expiring funds", "money", role="formula", number_format=MONEY),
    Column("estimate", "Estimated", "money", role="formula", number_format=MONEY),
    Column("amount", "Opening balance that entered then", "money", role="formula", number_format=MONEY),
    *(Column(key, header, "money", role="formula", number_format=MONEY, hidden=True) for key, header in (
        ("covered", "Listed"), ("candidate", "Can take the rest"), ("older", "Older months that can"),
        ("rest_before", "Rest before this month"), ("extra", "Rest when no month can"))),
))

# Public API: the input tables.

_SCHOOL_URN = Column("urn", "URN", "text", required=True)
SCHOOL_URNS = structured("Schools", _SCHOOL_URN.header)
SCHOOLS = Table("Schools", "Schools", header_row=5, rows=SCHOOL_ROWS, max_rows=MAX_SCHOOL_ROWS, columns=(
    _SCHOOL_URN,
    Column("name", "School", "text", required=True),
    Column("type", "Type", "choice", required=True),
    Column("employer", "Employs the staff", "text", role="formula"),
    Column("pay_bill", "Pay bill", "money", required=True, number_format=MONEY),
    Column("headcount", "Headcount", "whole", number_format=COUNT),
    Column("levy_share", "Share of the levy paid", "money", role="formula", number_format=MONEY),
    Column("funds_share", "Share of the funds entering", "money", role="formula", number_format=MONEY),
    Column("planned_spend", "Planned spend", "money", role="formula", number_format=MONEY),
    Column("funds_left", "Funds share left", "money", role="formula", number_format=MONEY),
    Column("check", "Check", "text", role="formula"),
    Column("pick", "Pick as", "text", role="formula", hidden=True),
), checks=(
    RowCheck(CHECK_INCOMPLETE, 'OR({urn}="",{name}="",{type}="",{pay_bill}="")', lambda s: not s.complete,
             "incomplete-row"),
    RowCheck(CHECK_UNKNOWN_TYPE, 'AND({type}<>"",{employer}="")', lambda s: s.unknown_type, "unknown-school-type",
             "type"),
    RowCheck(CHECK_NOT_IN_LEVY, f'{{employer}}<>"{EMPLOYER_COUNCIL}"', lambda s: not s.in_council_levy,
             "school-not-in-council-levy", "type"),
    RowCheck(CHECK_URN_TWICE, f"COUNTIF({SCHOOL_URNS},{{urn}})>1", lambda s: s.urn_twice, "duplicate-urn", "urn"),
))

_STANDARD_LOOKUPS = (  # hidden: what the row's standard is, found once
    Column("reference", "Standard reference", "text", role="formula", hidden=True),
    Column("standard_row", "Standards row", "whole", role="formula", hidden=True),
    Column("status", "Standard status", "text", role="formula", hidden=True),
    Column("first_start", "Standard's first start date", "date", role="formula", number_format=DATE, hidden=True),
    Column("last_start", "Standard's last start date", "date", role="formula", number_format=DATE, hidden=True),
)
_SCHEDULE = (  # hidden: the payments the forecast adds up
    Column("instalment", "Instalment", "money", role="formula", number_format=MONEY, hidden=True),
    Column("completion_payment", "Completion payment", "money", role="formula", number_format=MONEY, hidden=True),
    Column("first_payment_month", "First payment month", "month", role="formula", number_format=MONTH, hidden=True),
    Column("last_instalment_month", "Last instalment month", "month", role="formula", number_format=MONTH,
           hidden=True),
)
_COSTING = {  # the costing columns both tables share
    "standard": Column("standard", "Standard", "choice", required=True),
    "title": Column("title", "Title", "text", role="formula"),
    "level": Column("level", "Level", "whole", role="formula"),
    "start_date": Column("start_date", "Start date", "date", required=True, number_format=DATE),
    "duration_months": Column("duration_months", "Duration (months)", "whole", required=True),
    "price": Column("price", "Price", "money", required=True, number_format=MONEY),
    "band_max": Column("band_max", "Funding band maximum", "money", role="formula", number_format=MONEY),
    "above_cap": Column("above_cap", "Above the band", "money", role="formula", number_format=MONEY),
    "in_year_cost": Column("in_year_cost", "In-year cost", "money", role="formula", number_format=MONEY),
    "check": Column("check", "Check", "text", role="formula"),
}
STANDARD_REFERENCES = structured("Standards", "Reference")


def _costing_checks(incomplete: str, *, schools: bool) -> tuple[RowCheck, ...]:
    """The checks of a costed row (a planned start or a transfer), in the order the Check column tests them."""
    short_from = excel_date(levy.SHORT_MINIMUM_DURATION_FROM)
    return (
        RowCheck(CHECK_INCOMPLETE, incomplete, lambda r: r.incomplete, "incomplete-row"),
        RowCheck(CHECK_UNKNOWN_STANDARD, f'{{title}}="{CHECK_UNKNOWN_STANDARD}"', lambda r: r.unknown_standard,
                 "unknown-standard", "standard"),
        RowCheck(CHECK_NOT_APPROVED, f'AND({{status}}<>"",{{status}}<>"{APPROVED_FOR_DELIVERY}")',
                 lambda r: r.not_approved, "standard-not-approved", "standard"),
        *((RowCheck(CHECK_UNKNOWN_SCHOOL, f'AND({{urn}}<>"",COUNTIF({SCHOOL_URNS},{{urn}})=0)',
                    lambda r: r.unknown_school, "unknown-school", "school"),) if schools else ()),
        RowCheck(CHECK_NOT_COSTED, "{first_payment_month}=0", lambda r: not r.costable),
        RowCheck(CHECK_STANDARD_DATES,
                 "AND(ISNUMBER({start_date}),OR(AND(ISNUMBER({first_start}),{start_date}<{first_start}),"
                 "AND(ISNUMBER({last_start}),{start_date}>{last_start})))",
                 lambda r: r.outside_standard_dates, "start-outside-standard-dates", "start_date"),
        RowCheck(CHECK_NO_BAND, 'AND({standard_row}>0,{band_max}="")', lambda r: r.no_band, "no-funding-band",
                 "standard"),
        # The minimum duration for the start date (levy.minimum_duration_months).
        RowCheck(CHECK_TOO_SHORT,
                 f"{{duration_months}}<IF({{start_date}}>={short_from},{levy.SHORT_MINIMUM_DURATION_MONTHS},"
                 f"{levy.MINIMUM_DURATION_MONTHS})",
                 lambda r: r.too_short, "duration-too-short", "duration_months"),
        RowCheck(CHECK_BEFORE_PLAN, "{start_date}<PlanStart", lambda r: r.before_plan, "start-outside-plan",
                 "start_date"),
        RowCheck(CHECK_ABOVE_CAP, "{above_cap}>0", lambda r: r.above_cap > 0, "price-above-cap", "price"),
    )


PLANNED_STARTS = Table("PlannedStarts", "Starts", header_row=5, rows=START_ROWS, max_rows=MAX_START_ROWS, columns=(
    Column("school", "School", "choice"),
    *(_COSTING[key] for key in ("standard", "title", "level", "start_date", "duration_months", "price",
                                "band_max", "above_cap", "in_year_cost", "check")),
    Column("urn", "School URN", "text", role="formula", hidden=True),
    *_STANDARD_LOOKUPS,
    *_SCHEDULE,
    Column("co_investment_percent", "Co-investment %", "whole", role="formula", hidden=True),
), checks=_costing_checks('OR({standard}="",{start_date}="",{duration_months}="",{price}="")', schools=True))

TRANSFERS = Table("Transfers", "Transfers", header_row=5, rows=TRANSFER_ROWS, max_rows=MAX_TRANSFER_ROWS, columns=(
    Column("type", "Transfer or pledge", "choice"),
    Column("recipient", "Employer receiving it", "text", required=True),
    *(_COSTING[key] for key in ("standard", "title", "level", "start_date", "duration_months", "price",
                                "band_max", "above_cap", "in_year_cost", "check")),
    *_STANDARD_LOOKUPS,
    *_SCHEDULE,
), checks=_costing_checks('OR({recipient}="",{standard}="",{start_date}="",{duration_months}="",{price}="")',
                          schools=False))

STANDARDS = Table("Standards", "Standards", header_row=5, max_rows=MAX_STANDARD_ROWS, columns=(
    Column("reference", "Reference", "text"),
    Column("title", "Title", "text"),
    Column("level", "Level", "whole"),
    Column("status", "Status", "text"),
    Column("max_funding", "Funding band maximum", "money", number_format=MONEY),
    Column("typical_duration_months", "Typical duration (months)", "whole"),
    Column("earliest_start", "First start date", "date", number_format=DATE),
    Column("latest_start", "Last start date", "date", number_format=DATE),
    Column("pick", "Pick as", "text", role="formula", hidden=True),
))
FUNDING_BANDS = Table("FundingBands", "Standards", header_row=STANDARDS.header_row,
                      first_column=len(STANDARDS.columns) + 1, max_rows=20_000, columns=(
    Column("reference", "Reference", "text"),
    Column("effective_from", "From", "date", number_format=DATE),
    Column("effective_to", "To", "date", number_format=DATE),
    Column("max_funding", "Funding band maximum", "money", number_format=MONEY),
    Column("until", "Until", "date", role="formula", number_format=DATE, hidden=True),
))

CONTRACT = Contract(
    KIND, TEMPLATE_VERSION,
    blocks=(ABOUT, SEND_OUT, FIGURES, USED, LEVY_RESULTS, START_RESULTS, TRANSFER_RESULTS, SCHOOL_RESULTS, EXPIRY,
            OPENING_WORKINGS),
    tables=(SCHOOLS, PLANNED_STARTS, TRANSFERS, STANDARDS, FUNDING_BANDS, YEARS, FORECAST, EXPIRING_FUNDS,
            OPENING),
    lists={"RegionList": REGIONS, "SchoolTypeList": tuple(ESTABLISHMENT_TYPES),
           "SchoolEmployerList": tuple(ESTABLISHMENT_TYPES.values()), "TransferTypeList": TRANSFER_TYPES},
)
CONTRACTS = {levy_plan_v1.TEMPLATE_VERSION: levy_plan_v1.CONTRACT, TEMPLATE_VERSION: CONTRACT}


# Public API: migrating a return's answers from template 1.0.


def _from_1_0(answers: Answers) -> Answers:
    """1.0 answers in 2.0's terms (see :data:`MIGRATIONS`); what cannot be converted is copied as typed and noted."""
    notes: list[str] = []
    names = dict(answers.names)
    if "EnglishPercent" in names:  # 1.0: a number from 0 to 100; 2.0: a percentage cell (95% is 0.95)
        typed = names["EnglishPercent"]
        try:
            read = cells.number(typed)
        except cells.CellValueError:
            read = None
            notes.append(f"Plan: the English percentage {cells.shown(typed)} is not a number; it was copied as typed")
        if read is not None:
            names["EnglishPercent"] = (read.value / 100).normalize()
    schools = []
    for row in answers.tables.get("Schools", []):
        row = dict(row)
        typed = cells.text(row.get("type"))
        if typed is not None:
            meant = establishment_type(typed)
            if meant is None:
                notes.append(f"Schools: {cells.text(row.get('name')) or 'a school'}'s type {typed!r} is not an "
                             "establishment type; it was copied as typed: pick the type from the list")
            row["type"] = meant or typed
        schools.append(row)
    # 1.0 names a start's school by its URN; 2.0 by its School dropdown, whose text starts with the URN.
    starts = [{**{key: value for key, value in row.items() if key != "urn"},
               **({"school": cells.text(row["urn"])} if cells.text(row.get("urn")) else {})}
              for row in answers.tables.get("PlannedStarts", [])]
    transfers = [{"type": TRANSFER, **row} for row in answers.tables.get("Transfers", [])]
    tables = {**answers.tables, "Schools": schools, "PlannedStarts": starts, "Transfers": transfers}
    return answers.moved(TEMPLATE_VERSION, names=names, tables={k: v for k, v in tables.items() if v}, notes=notes)


MIGRATIONS = (Migration(
    levy_plan_v1.TEMPLATE_VERSION, TEMPLATE_VERSION, _from_1_0,
    "The English percentage, typed in 1.0 as a number from 0 to 100, becomes a percentage (95 becomes 95%, held "
    "as 0.95); school types become their Get Information about Schools establishment types (Community becomes "
    "Community school); a planned start's URN goes into its School column; transfers are marked Transfer; the "
    "levy allowance and pay bill growth, which 1.0 did not ask for, are the 15,000 and no growth 1.0 assumed.",
),)
