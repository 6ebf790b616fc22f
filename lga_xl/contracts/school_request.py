"""The school's request for apprentices: the workbook's contract (template 1.0).

A maintained school whose staff the council employs asks the council for
apprenticeships paid from the council's levy.  The council makes each
school its own request from the levy plan (``lga-xl new school-request
--plan PLAN --urn URN``); the school lists what it wants and sees what it
would cost, and the council merges the returned requests into the plan
(``lga-xl schools merge``; ``docs/schools-toolkit.md``).

* ``Request``: the school and the plan it was made from (SchoolName,
  SchoolURN, SchoolType, OrgName, Region, TaxYear, PlanStart: fixed when
  the request is made; PlanEnd; Contact, whom to send it to); who filled it
  in (inputs); the school's share of the levy from the plan (fixed: LevyShare,
  FundsShare, PlannedSpend, FundsLeft) and what the requests cost against it
  (RequestCount, RequestsBandTotal, RequestsInYear, FundsLeftAfter); and
  table ``Requests``, one row per apprenticeship: role, new hire or existing
  staff, standard (picked by title), start month and notes typed in; the
  standard's typical duration, funding band maximum on the start date and
  its cost in the plan year worked out as the levy plan works out a planned
  start's (``docs/levy.md``).
* ``Standards``: tables ``Standards`` and ``FundingBands`` with the levy
  plan's headers, carried from the plan: the standards a school can pick
  (approved for delivery, with a typical duration of at least the minimum).
* Dropdowns through names: HireList on the hidden ``Lists`` sheet;
  StandardPickList, the Standards table's hidden *Pick as* column
  ("Teaching assistant (level 3, ST0454)").
* Hidden ``lga_xl`` sheet: kind, template version, tax year, standards source.

Example:
    >>> CONTRACT.address("SchoolURN"), CONTRACT.address("FundsLeftAfter")
    (('Request', 'B6'), ('Request', 'H12'))
    >>> REQUESTS.cell("standard", REQUESTS.first_row), REQUESTS.structured("in_year_cost")
    ('C23', 'Requests[In-year cost]')
"""

from __future__ import annotations

from dataclasses import replace

from ..contract import Block, Column, Contract, Name, RowCheck, Table
from . import levy_plan as plan

__all__ = ["CONTRACT", "CONTRACTS", "EXISTING_STAFF", "HIRE_TYPES", "NEW_HIRE", "REQUESTS", "STANDARDS",
           "FUNDING_BANDS", "pick_text"]

KIND = "school-request"
TEMPLATE_VERSION = "1.0"
SHEET = "Request"
REQUEST_ROWS = 20
MAX_REQUEST_ROWS = 500  # a school may insert rows inside the table

NEW_HIRE = "New hire"
EXISTING_STAFF = "Existing staff"
HIRE_TYPES = (NEW_HIRE, EXISTING_STAFF)
HIRE_LIST = "HireList"
PICK_LIST = "StandardPickList"

MONEY, DATE, MONTH, COUNT = plan.MONEY, plan.DATE, plan.MONTH, plan.COUNT

# Texts of the Check column: the workbook shows them and the reader gives the same.
CHECK_INCOMPLETE = "Incomplete row"
CHECK_HIRE = "Pick new hire or existing staff"
CHECK_UNKNOWN_STANDARD = plan.CHECK_UNKNOWN_STANDARD  # the levy plan's costing shows this as the title
CHECK_MONTH_AS_TEXT = "Type the month as a date"
CHECK_OUTSIDE_YEAR = "Outside the plan year"
CHECK_STANDARD_DATES = plan.CHECK_STANDARD_DATES
CHECK_NO_BAND = plan.CHECK_NO_BAND

SCHOOL = Block(SHEET, first_row=5, note_column=None, names=(
    Name("SchoolName", "School", "text", role="fixed", field="school", hashed=True),
    Name("SchoolURN", "URN", "text", role="fixed", field="urn", hashed=True),
    Name("SchoolType", "Type", "text", role="fixed", field="school_type"),
    Name("OrgName", "Council", "text", role="fixed", field="council", hashed=True),
    Name("Region", "Region", "text", role="fixed", field="region"),
    Name("TaxYear", "Tax year", "text", role="fixed", field="tax_year", hashed=True),
    Name("PlanStart", "Plan year starts", "date", role="fixed", field="plan_start", number_format=DATE),
    Name("PlanEnd", "Plan year ends", "date", role="formula", field="plan_end", number_format=DATE),
    Name("Contact", "Send it to", "text", role="fixed", field="contact"),
))
WHO = Block(SHEET, first_row=SCHOOL.last_row + 3, note_column=None, names=(
    Name("CompletedBy", "Your name", "text", field="completed_by"),
    Name("CompletedRole", "Your role", "text", field="completed_role"),
    Name("Email", "Your email", "text", field="email"),
    Name("CompletedOn", "Date", "date", field="completed_on", number_format=DATE),
))


def _figure(name: str, label: str, field: str, role: str = "fixed", kind: str = "money",
            number_format: str = MONEY) -> Name:
    return Name(name, label, kind, role=role, field=field, number_format=number_format)  # type: ignore[arg-type]


SHARE = Block(SHEET, first_row=SCHOOL.first_row, label_column=4, value_column=7, note_column=None, names=(
    _figure("LevyShare", "Your share of the levy the council pays", "levy_share"),
    _figure("FundsShare", "Your share of the funds entering this year", "funds_share"),
    _figure("PlannedSpend", "Already planned for you this year", "planned_spend"),
    _figure("FundsLeft", "Left of your share before these requests", "funds_left"),
    _figure("RequestCount", "Apprenticeships requested", "request_count", "formula", "whole", COUNT),
    _figure("RequestsBandTotal", "Their cost at the funding band", "requests_band_total", "formula"),
    _figure("RequestsInYear", "Their cost in the plan year", "requests_in_year", "formula"),
    _figure("FundsLeftAfter", "Left of your share after these requests", "funds_left_after", "formula"),
))
OVER_SHARE_ROW = SHARE.last_row + 1  # a note when the requests cost more than is left of the share

_COSTING = {column.key: column for column in plan.PLANNED_STARTS.columns}
REQUESTS = Table("Requests", SHEET, header_row=WHO.last_row + 3, rows=REQUEST_ROWS, max_rows=MAX_REQUEST_ROWS, columns=(
    Column("role", "Role", "text", required=True),
    Column("hire", "New hire or existing staff", "choice", required=True),
    Column("standard", "Standard", "choice", required=True),
    Column("start_month", "Start month", "month", required=True, number_format=MONTH),
    Column("notes", "Notes", "text"),
    Column("duration_months", "Typical duration (months)", "whole", role="formula"),
    _COSTING["band_max"],
    _COSTING["in_year_cost"],
    _COSTING["check"],
    # Workings: the levy plan's costing of a start, whose price is the band maximum (docs/levy.md).
    Column("entered", "Entered", "whole", role="formula", hidden=True),
    Column("start_date", "Start date", "date", role="formula", number_format=DATE, hidden=True),
    Column("price", "Price", "money", role="formula", number_format=MONEY, hidden=True),
    *(replace(_COSTING[key], hidden=True) for key in (
        "title", "reference", "standard_row", "status", "first_start", "last_start", "above_cap", "instalment",
        "completion_payment", "first_payment_month", "last_instalment_month")),
), checks=(
    RowCheck(CHECK_INCOMPLETE, 'OR({role}="",{hire}="",{standard}="",{start_month}="")', lambda r: r.incomplete,
             "incomplete-row"),
    RowCheck(CHECK_HIRE, f'AND({{hire}}<>"",COUNTIF({HIRE_LIST},{{hire}})=0)', lambda r: r.unknown_hire,
             "not-in-list", "hire"),
    RowCheck(CHECK_UNKNOWN_STANDARD, f'{{title}}="{CHECK_UNKNOWN_STANDARD}"', lambda r: r.unknown_standard,
             "unknown-standard", "standard"),
    RowCheck(CHECK_MONTH_AS_TEXT, "NOT(ISNUMBER({start_month}))", lambda r: r.month_as_text, "typed-as-text",
             "start_month"),
    RowCheck(CHECK_OUTSIDE_YEAR, "OR({start_date}<PlanStart,{start_date}>PlanEnd)", lambda r: r.outside_year,
             "start-outside-plan", "start_month"),
    RowCheck(CHECK_STANDARD_DATES,
             "AND(ISNUMBER({start_date}),OR(AND(ISNUMBER({first_start}),{start_date}<{first_start}),"
             "AND(ISNUMBER({last_start}),{start_date}>{last_start})))",
             lambda r: r.outside_standard_dates, "start-outside-standard-dates", "start_month"),
    RowCheck(CHECK_NO_BAND, 'AND({standard_row}>0,{band_max}="")', lambda r: r.no_band, "no-funding-band",
             "standard"),
))

# The levy plan's Standards and FundingBands tables, as the plan has them (the costing formulas look them up by
# these headers), written when the request is made.
STANDARDS = Table("Standards", "Standards", header_row=plan.STANDARDS.header_row, max_rows=plan.STANDARDS.max_rows,
                  columns=tuple(
    replace(column, role="formula" if column.key == "pick" else "fixed",
            hidden=column.hidden or column.key == "status") for column in plan.STANDARDS.columns))
FUNDING_BANDS = Table("FundingBands", "Standards", header_row=plan.FUNDING_BANDS.header_row,
                      first_column=plan.FUNDING_BANDS.first_column, max_rows=plan.FUNDING_BANDS.max_rows,
                      columns=tuple(
    replace(column, role=column.role if column.role == "formula" else "fixed")
    for column in plan.FUNDING_BANDS.columns))

CONTRACT = Contract(KIND, TEMPLATE_VERSION, blocks=(SCHOOL, WHO, SHARE), tables=(REQUESTS, STANDARDS, FUNDING_BANDS),
                    lists={HIRE_LIST: HIRE_TYPES})
CONTRACTS = {TEMPLATE_VERSION: CONTRACT}


def pick_text(reference: str, title: str, level: object) -> str:
    """A standard as the Standard dropdown shows it: by title, its level and reference after it.

    Example:
        >>> pick_text("ST0454", "Teaching assistant", 3)
        'Teaching assistant (level 3, ST0454)'
    """
    return f"{title} (level {level}, {reference})"
