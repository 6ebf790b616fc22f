"""Reading a returned levy plan, recomputing every figure and checking it.

Every result is recomputed from the inputs with :mod:`lga_xl.levy`, the same
arithmetic the workbook's formulas implement (see
:mod:`lga_xl.writers.levy_plan`); a value cached in the file is only compared
with it, and a difference is a ``cached-value-mismatch`` warning at its cell.
Everything is found by table and defined name, so moved tables and files
re-saved by Excel or LibreOffice read the same.

An input with an error (text in the pay bill, an English percentage of 120)
counts as 0 in the recomputed figures; the issue says which cell to fix.

Example:
    >>> import tempfile, pathlib
    >>> from lga_xl.writers.levy_plan import new_levy_plan
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "plan.xlsx"
    >>> _ = new_levy_plan(path, org_name="Exampleshire", total_pay_bill=10_000_000, english_percent=100)
    >>> plan = read_levy_plan(path)
    >>> plan.annual_levy, plan.transfer_allowance_statutory, plan.has_errors
    (Decimal('35000.00'), Decimal('0.00'), False)
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import levy
from ..issues import WorkbookError
from ..models import ForecastMonth, LevyPlan, PlannedStartRow, SchoolRow, TransferRow
from ..reference import COUNCIL_SCHOOL_TYPES, OTHER_SCHOOL_TYPES, REGIONS, SCHOOL_TYPES
from ..writers import levy_plan as template
from .fields import EXCEL_EPOCH, Collector, as_text
from .package import Package, TableData, open_package

SUPPORTED_VERSIONS = (template.TEMPLATE_VERSION,)

_ZERO = Decimal("0.00")
# Starts outside these dates are typing errors; they are never costed (the payment arithmetic
# would otherwise run past the end of the calendar).
_EARLIEST_START = dt.date(2000, 1, 1)
_LATEST_START = dt.date(2199, 12, 31)
_HUNDRED = Decimal(100)
_PENNY_TOLERANCE = 0.005  # cached floats keep 15 significant digits


def read_levy_plan(path: str | Path, *, display: str | None = None) -> LevyPlan:
    """Read, recompute and validate a levy plan workbook.

    Problems inside the file are returned in ``result.issues``; a file that
    cannot be read as a levy plan at all raises
    :class:`~lga_xl.issues.WorkbookError` whose ``issue`` says why.
    """
    with open_package(path, display) as pkg:
        return read_levy_plan_package(pkg)


def read_levy_plan_package(pkg: Package) -> LevyPlan:
    """:func:`read_levy_plan` on an already opened package."""
    pkg.require_template(template.KIND, SUPPORTED_VERSIONS)
    found = Collector(pkg.display)
    if pkg.has_macros:
        found.add("has-macros", "the workbook contains macros; they were ignored and not run")
    inputs = _read_inputs(pkg, found)
    standards = _read_standards(pkg, found)
    forecast_table = pkg.table("Forecast")
    schools = _read_schools(pkg, found)
    school_urns = {school.urn for school in schools if school.urn is not None}
    starts = _read_costed(pkg, found, inputs, standards, school_urns, "PlannedStarts", _START_FIELDS)
    transfers = _read_costed(pkg, found, inputs, standards, None, "Transfers", _TRANSFER_FIELDS)
    plan = _compute(inputs, schools, starts, transfers, forecast_table.first_row)
    _check_plan(found, inputs, plan, transfers, forecast_table)
    _compare_cached(pkg, found, plan)
    return plan.result(pkg, inputs, found)


# Private API: reading.


@dataclass
class _Named:
    value: Any = None
    sheet: str | None = None
    cell: str | None = None


@dataclass
class _Inputs:
    organisation: str | None
    region: str | None
    tax_year: str
    plan_start: dt.date
    total_pay_bill: Decimal | None
    english_percent: Decimal | None
    headcount: int | None
    previous_year_funds: Decimal | None
    opening_balance: Decimal | None
    transfers_committed: Decimal | None
    places: dict[str, _Named]

    @property
    def plan_end(self) -> dt.date:
        return _add_months(self.plan_start, 12) - dt.timedelta(days=1)

    def amount(self, name: str) -> Decimal:
        """An input as used in the figures: 0 when blank or unusable."""
        value = getattr(self, name)
        return _ZERO if value is None else Decimal(value)


def _named(pkg: Package, found: Collector, name: str) -> _Named:
    target = pkg.name_value(name)
    if target is None:
        found.add("missing-name", f"the named cell {name} is missing (deleted?)")
        return _Named()
    return _Named(target.value, target.sheet, target.cell)


INPUT_NAMES = ("OrgName", "Region", "TaxYear", "PlanStart", "TotalPayBill", "EnglishPercent", "Headcount",
               "PreviousYearFunds", "OpeningBalance", "TransfersCommitted")
# What an officer types into the tables (the rest are formulas).
INPUT_COLUMNS = {
    "Schools": ("URN", "School", "Type", "PayBill", "Headcount"),
    "PlannedStarts": ("URN", "Standard", "StartDate", "DurationMonths", "Price"),
    "Transfers": ("Recipient", "Standard", "StartDate", "DurationMonths", "Price"),
    "Standards": ("Reference", "Title", "Level", "MaxFunding", "TypicalDurationMonths"),
}


def _read_inputs(pkg: Package, found: Collector) -> _Inputs:
    places = {name: _named(pkg, found, name) for name in INPUT_NAMES}
    org = places["OrgName"]
    organisation = as_text(org.value)
    if organisation is None and org.sheet is not None:
        found.add("missing-org-name", "the council's name is blank", org.sheet, org.cell)
    region = places["Region"]
    region_value = found.choice(region.value, REGIONS, what="Region", code="unknown-region", sheet=region.sheet,
                                cell=region.cell, required=False)
    tax_year, plan_start = _plan_year(pkg, found, places["TaxYear"], places["PlanStart"])

    def money(name: str, what: str, *, required: bool = False) -> Decimal | None:
        place = places[name]
        if required:
            _require(found, place, what)
        return found.number(place.value, what=what, sheet=place.sheet, cell=place.cell)

    total_pay_bill = money("TotalPayBill", "The whole council's pay bill", required=True)
    english_percent = _english_percent(found, places["EnglishPercent"])
    headcount_place = places["Headcount"]
    headcount = _whole(found, headcount_place.value, "The headcount", headcount_place.sheet, headcount_place.cell)
    return _Inputs(
        organisation=organisation,
        region=region_value,
        tax_year=tax_year,
        plan_start=plan_start,
        total_pay_bill=total_pay_bill,
        english_percent=english_percent,
        headcount=headcount,
        previous_year_funds=money("PreviousYearFunds", "Funds that entered last tax year"),
        opening_balance=money("OpeningBalance", "The opening balance"),
        transfers_committed=money("TransfersCommitted", "Transfers already committed"),
        places=places,
    )


def _plan_year(pkg: Package, found: Collector, label: _Named, start: _Named) -> tuple[str, dt.date]:
    """The tax year and plan start; the formulas use PlanStart, so it decides."""
    label_text = as_text(label.value)
    try:
        from_label = template.plan_start_of(label_text or "")
    except ValueError as exc:
        from_label = None
        if label.sheet is not None:
            found.add("bad-tax-year", f"the tax year {label_text or '(blank)'} cannot be used: {exc}",
                      label.sheet, label.cell)
    plan_start = _date_value(start.value)
    if plan_start is not None:
        try:
            expected = template.plan_start_of(levy.tax_year_of(dt.date(plan_start.year, 4, 6)))
        except ValueError as exc:
            found.add("bad-tax-year", f"the plan start {plan_start:%d/%m/%Y} cannot be used: {exc}",
                      start.sheet, start.cell)
            plan_start = None
        else:
            if plan_start != expected:
                found.add("bad-tax-year", f"the plan start {plan_start:%d/%m/%Y} is not 1 April; the figures "
                          f"were worked out from {expected:%d/%m/%Y}", start.sheet, start.cell)
                plan_start = expected
    if plan_start is None:
        if from_label is None:
            raise WorkbookError(pkg.issue("bad-tax-year", "the plan has no usable tax year or plan start; make a "
                                          "new plan with `lga-xl new levy-plan --tax-year 2026-27`",
                                          start.sheet or label.sheet, start.cell or label.cell))
        plan_start = from_label
    tax_year = levy.tax_year_of(dt.date(plan_start.year, 4, 6))
    if from_label is not None and from_label != plan_start:
        found.add("bad-tax-year", f"the tax year says {label_text} but the plan starts on {plan_start:%d/%m/%Y} "
                  f"({tax_year}); the figures follow the plan start", label.sheet, label.cell)
    return tax_year, plan_start


def _require(found: Collector, place: _Named, what: str) -> None:
    if place.value is None and place.sheet is not None:
        found.add("missing-input", f"{what} is blank", place.sheet, place.cell)


def _english_percent(found: Collector, place: _Named) -> Decimal | None:
    _require(found, place, "The English percentage")
    percent = found.number(place.value, what="The English percentage", sheet=place.sheet, cell=place.cell,
                           minimum=None)
    if percent is not None and not 0 <= percent <= _HUNDRED:
        found.add("english-percent-out-of-range",
                  f"the English percentage is {percent}; it must be from 0 to 100", place.sheet, place.cell)
        return None
    return percent


def _date_value(value: Any) -> dt.date | None:
    """A real date cell (or serial number); text is not a date to a formula."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value < 2958466:
        return EXCEL_EPOCH + dt.timedelta(days=int(value))
    return None


def _whole(found: Collector, value: Any, what: str, sheet: str | None, cell: str | None) -> int | None:
    number = found.number(value, what=what, sheet=sheet, cell=cell)
    if number is None:
        return None
    if number != number.to_integral_value():
        found.add("not-a-number", f"{what} {number} is not a whole number", sheet, cell)
        return None
    return int(number)


def _columns(pkg: Package, table: TableData, required: Sequence[str], optional: Sequence[str] = ()) -> dict[str, int]:
    columns = {}
    for name in (*required, *optional):
        index = table.column_index(name)
        if index is None and name in required:
            raise WorkbookError(pkg.issue(
                "missing-column", f"the {table.name} table has no {name} column (renamed or deleted?)", table.sheet))
        if index is not None:
            columns[name] = index
    return columns


def _getter(row: list[Any], columns: dict[str, int]) -> Callable[[str], Any]:
    def get(name: str) -> Any:
        index = columns.get(name)
        if index is None or index >= len(row):
            return None
        value = row[index]
        return None if value == "" else value
    return get


@dataclass(frozen=True)
class _StandardInfo:
    title: str
    level: int
    band_max: Decimal


def _read_standards(pkg: Package, found: Collector) -> dict[str, _StandardInfo]:
    """Reference (case-folded) -> what the lookups in the workbook return.

    A blank title, level or band in a matched row reads as "", 0 and 0, as
    INDEX gives them; the first row of a reference listed twice wins, as MATCH.
    """
    table = pkg.table("Standards")
    columns = _columns(pkg, table, ("Reference", "Title", "Level", "MaxFunding"))
    standards: dict[str, _StandardInfo] = {}
    for i, row in enumerate(table.rows):
        get = _getter(row, columns)
        reference = as_text(get("Reference"))
        if reference is None:
            if any(as_text(get(name)) for name in ("Title", "Level", "MaxFunding")):
                found.add("incomplete-row", "a standard with no reference", table.sheet,
                          table.cell(i, columns["Reference"]))
            continue
        cell = table.cell(i, columns["MaxFunding"])
        band = found.number(get("MaxFunding"), what=f"{reference}: funding band maximum", sheet=table.sheet, cell=cell)
        if get("MaxFunding") is None:
            found.add("incomplete-row", f"{reference} has no funding band maximum", table.sheet, cell)
        level = _whole(found, get("Level"), f"{reference}: level", table.sheet, table.cell(i, columns["Level"]))
        info = _StandardInfo(as_text(get("Title")) or "", level or 0, band or _ZERO)
        standards.setdefault(reference.casefold(), info)
    return standards


@dataclass
class _School:
    row: int
    urn: str | None
    name: str | None
    type: str | None
    pay_bill: Decimal | None
    headcount: int | None
    entered: bool
    complete: bool
    cells: dict[str, str]


def _read_schools(pkg: Package, found: Collector) -> list[_School]:
    table = pkg.table("Schools")
    columns = _columns(pkg, table, template.SCHOOL_COLUMNS[:5], template.SCHOOL_COLUMNS[5:])
    schools = []
    first_row_of: dict[str, str] = {}
    for i, row in enumerate(table.rows):
        get = _getter(row, columns)
        cells = {name: table.cell(i, index) for name, index in columns.items()}
        entered = any(as_text(get(name)) for name in template.SCHOOL_COLUMNS[:5])
        if not entered:
            continue
        blank = [name for name in ("URN", "School", "Type", "PayBill") if as_text(get(name)) is None]
        if blank:
            found.add("incomplete-row", f"a school with no {', '.join(blank)}", table.sheet, cells[blank[0]])
        urn = as_text(get("URN"))
        school_type = found.choice(get("Type"), SCHOOL_TYPES, what="School type", code="school-not-in-council-levy",
                                   sheet=table.sheet, cell=cells["Type"], required=False)
        if school_type in OTHER_SCHOOL_TYPES:
            found.add("school-not-in-council-levy",
                      f"{as_text(get('School')) or urn} ({school_type}) employs its own staff, so it is not in the "
                      "council's levy; remove it from the plan", table.sheet, cells["Type"])
        if urn is not None:
            if urn in first_row_of:
                found.add("duplicate-urn", f"URN {urn} is listed twice (first at {first_row_of[urn]})",
                          table.sheet, cells["URN"])
            first_row_of.setdefault(urn, cells["URN"])
        schools.append(_School(
            row=table.first_row + i,
            urn=urn,
            name=as_text(get("School")),
            type=school_type,
            pay_bill=found.number(get("PayBill"), what=f"URN {urn}: pay bill", sheet=table.sheet,
                                  cell=cells["PayBill"]),
            headcount=_whole(found, get("Headcount"), f"URN {urn}: headcount", table.sheet, cells["Headcount"]),
            entered=entered,
            complete=not blank,
            cells=cells,
        ))
    return schools


@dataclass(frozen=True)
class _Fields:
    """How one costed table is laid out: its input columns and the one naming who it is for."""

    table: str
    party: str  # URN or Recipient
    inputs: tuple[str, ...]
    required: tuple[str, ...]


_START_FIELDS = _Fields("PlannedStarts", "URN", ("URN", "Standard", "StartDate", "DurationMonths", "Price"),
                        ("Standard", "StartDate", "DurationMonths", "Price"))
_TRANSFER_FIELDS = _Fields("Transfers", "Recipient", ("Recipient", "Standard", "StartDate", "DurationMonths", "Price"),
                           ("Recipient", "Standard", "StartDate", "DurationMonths", "Price"))


@dataclass
class _Costed:
    """A planned start or transfer, read and costed."""

    row: int
    party: str | None
    standard: str | None
    title: str
    level: int | None
    start_date: dt.date | None
    duration_months: int | None
    price: Decimal | None
    band_max: Decimal | None
    above_cap: Decimal
    schedule: dict[dt.date, Decimal]
    in_year_cost: Decimal
    check: str
    sheet: str
    cells: dict[str, str] = field(default_factory=dict)


def _read_costed(pkg: Package, found: Collector, inputs: _Inputs, standards: dict[str, _StandardInfo],
                 school_urns: set[str] | None, table_name: str, fields: _Fields) -> list[_Costed]:
    """Rows of PlannedStarts (with ``school_urns``) or Transfers, costed as the workbook does."""
    table = pkg.table(table_name)
    columns = _columns(pkg, table, fields.inputs)
    rows = []
    for i, raw in enumerate(table.rows):
        get = _getter(raw, columns)
        cells = {name: table.cell(i, index) for name, index in columns.items()}
        if not any(as_text(get(name)) for name in fields.inputs):
            continue
        blank = [name for name in fields.required if as_text(get(name)) is None]
        if blank:
            found.add("incomplete-row", f"a row with no {', '.join(blank)}", table.sheet, cells[blank[0]])
        party = as_text(get(fields.party))
        standard = as_text(get("Standard"))
        start = _plausible_start(found, get("StartDate"), table.sheet, cells["StartDate"])
        duration = _plausible_duration(found, get("DurationMonths"), table.sheet, cells["DurationMonths"])
        price = found.number(get("Price"), what="Price", sheet=table.sheet, cell=cells["Price"])
        rows.append(_cost_row(found, table.sheet, table.first_row + i, cells, inputs, standards, school_urns,
                              party, standard, start, duration, price, bool(blank)))
    return rows


def _plausible_start(found: Collector, value: Any, sheet: str, cell: str) -> dt.date | None:
    start = found.date(value, what="Start date", sheet=sheet, cell=cell)
    if start is not None and not _EARLIEST_START <= start <= _LATEST_START:
        found.add("bad-date", f"the start date {start:%d/%m/%Y} is not a plausible date for this plan", sheet, cell)
        return None
    return start


def _plausible_duration(found: Collector, value: Any, sheet: str, cell: str) -> int | None:
    duration = _whole(found, value, "Duration (months)", sheet, cell)
    if duration is not None and duration > template.MAX_DURATION_MONTHS:
        found.add("not-a-number", f"{duration} months is not a plausible duration (at most "
                  f"{template.MAX_DURATION_MONTHS})", sheet, cell)
        return None
    return duration


def _cost_row(found, sheet, row, cells, inputs: _Inputs, standards, school_urns, party, standard, start, duration,
              price, incomplete: bool) -> _Costed:
    """Lookup, cap, payment schedule, in-year cost and Check text of one row (the workbook's formulas)."""
    info = standards.get(standard.casefold()) if standard else None
    if standard is None:
        title, level, band = "", None, None
    elif info is None:
        title, level, band = template.CHECK_UNKNOWN_STANDARD, None, None
        found.add("unknown-standard", f"{standard} is not in the Standards sheet; pick it from the list or add it "
                  "there", sheet, cells["Standard"])
    else:
        title, level, band = info.title, info.level, info.band_max
    above = max(price - band, _ZERO) if price is not None and band is not None else _ZERO
    costable = start is not None and duration is not None and duration >= 1 and price is not None
    schedule: dict[dt.date, Decimal] = {}
    in_year = _ZERO
    if costable:
        schedule = levy.payment_schedule(price - above, start, duration)
        in_year = levy.payments_between(price - above, start, duration, inputs.plan_start,
                                        _add_months(inputs.plan_start, 11))
    unknown_school = school_urns is not None and party is not None and party not in school_urns
    if unknown_school:
        found.add("unknown-school", f"URN {party} is not on the Schools sheet; add the school or correct the URN "
                  "(leave it blank for the council's own staff)", sheet, cells["URN"])
    minimum = levy.minimum_duration_months(start) if start is not None else None
    too_short = minimum is not None and duration is not None and duration < minimum
    if too_short:
        found.add("duration-too-short", f"{duration} months is shorter than the minimum of {minimum} months for a "
                  f"start on {start:%d/%m/%Y}", sheet, cells["DurationMonths"])
    outside = start is not None and not inputs.plan_start <= start <= inputs.plan_end
    if outside:
        found.add("start-outside-plan", f"the start {start:%d/%m/%Y} is outside the plan year "
                  f"({inputs.plan_start:%d/%m/%Y} to {inputs.plan_end:%d/%m/%Y}); it is still forecast", sheet,
                  cells["StartDate"])
    if above > 0:
        found.add("price-above-cap", f"the price {price:,.2f} is above the funding band maximum {band:,.2f} for "
                  f"{standard}: levy funds pay {price - above:,.2f}, the employer the other {above:,.2f}", sheet,
                  cells["Price"])
    checks = (
        (incomplete, template.CHECK_INCOMPLETE),
        (standard is not None and info is None, template.CHECK_UNKNOWN_STANDARD),
        (unknown_school, template.CHECK_UNKNOWN_SCHOOL),
        (not costable, template.CHECK_NOT_COSTED),
        (too_short, template.CHECK_TOO_SHORT),
        (outside, template.CHECK_OUTSIDE_PLAN),
        (above > 0, template.CHECK_ABOVE_CAP),
    )
    return _Costed(
        row=row, party=party, standard=standard, title=title, level=level, start_date=start,
        duration_months=duration, price=price, band_max=band, above_cap=above, schedule=schedule,
        in_year_cost=in_year, check=next((text for failed, text in checks if failed), ""), sheet=sheet,
        cells=cells,
    )


# Private API: the figures.


@dataclass
class _Plan:
    """Every recomputed figure, before it becomes a LevyPlan."""

    results: dict[str, Any]
    schools: list[SchoolRow]
    starts: list[_Costed]
    transfers: list[_Costed]
    forecast: list[ForecastMonth]

    def result(self, pkg: Package, inputs: _Inputs, found: Collector) -> LevyPlan:
        return LevyPlan(
            file=pkg.display,
            template_version=pkg.meta["template_version"],
            organisation=inputs.organisation,
            region=inputs.region,
            tax_year=inputs.tax_year,
            plan_start=inputs.plan_start,
            plan_end=inputs.plan_end,
            total_pay_bill=inputs.total_pay_bill,
            english_percent=inputs.english_percent,
            headcount=inputs.headcount,
            previous_year_funds=inputs.previous_year_funds,
            opening_balance=inputs.opening_balance,
            transfers_committed=inputs.transfers_committed,
            schools=self.schools,
            planned_starts=[_start_row(s) for s in self.starts],
            transfers=[_transfer_row(t) for t in self.transfers],
            forecast=self.forecast,
            issues=found.issues,
            input_hash=pkg.input_hash(INPUT_NAMES, INPUT_COLUMNS),
            **{RESULT_FIELDS[name]: value for name, value in self.results.items()},
        )


# Workbook result name -> LevyPlan field (the parity tests compare every one).
RESULT_FIELDS = {
    "AnnualLevy": "annual_levy", "MonthlyLevy": "monthly_levy", "MonthlyEnglishLevy": "monthly_english_levy",
    "MonthlyTopUp": "monthly_top_up", "FundsIn": "funds_in", "PlannedSpend": "planned_spend",
    "PlannedStartsInYear": "planned_starts_in_year", "PublicSectorTargetStarts": "public_sector_target_starts",
    "StatutoryTransferRate": "statutory_transfer_rate", "TransferAllowance10": "transfer_allowance_10",
    "TransferAllowance25": "transfer_allowance_25", "TransferAllowanceStatutory": "transfer_allowance_statutory",
    "TransfersPlanned": "transfers_planned", "TransfersTotal": "transfers_total", "Headroom10": "headroom_10",
    "Headroom25": "headroom_25", "HeadroomStatutory": "headroom_statutory", "OverCommitted": "over_committed",
    "SchoolsPayBill": "schools_pay_bill", "SchoolsLevyShare": "schools_levy_share",
    "SchoolsPlannedSpend": "schools_planned_spend", "FundsExpiring": "expiring_funds",
    "ExpiryMonthCount": "expiry_month_count", "FirstExpiryMonth": "first_expiry_month",
    "LowestBalance": "lowest_balance", "ShortfallMonths": "shortfall_months",
}


def _compute(inputs: _Inputs, schools: list[_School], starts: list[_Costed], transfers: list[_Costed],
             forecast_first_row: int) -> _Plan:
    annual_levy = levy.levy_due(inputs.amount("total_pay_bill"))
    monthly = levy.even_monthly_levy(annual_levy)
    english_fraction = inputs.amount("english_percent") / _HUNDRED
    # A month's funds with and without the top-up (levy.funds_entering: before and from 1 August 2026).
    english = levy.funds_entering(monthly, english_fraction, on=levy.TOP_UP_END)
    top_up = levy.funds_entering(monthly, english_fraction, on=levy.TOP_UP_END - dt.timedelta(days=1)) - english
    forecast = _forecast(inputs, monthly, english_fraction, starts, transfers, forecast_first_row)
    plan_months = [m for m in forecast if m.month <= inputs.plan_end]
    positions = levy.headroom_table(inputs.amount("previous_year_funds"),
                                    inputs.amount("transfers_committed") + sum(t.in_year_cost for t in transfers),
                                    inputs.tax_year)
    school_rows = _school_rows(inputs, annual_levy, schools, starts)
    expired = [m for m in forecast if m.expired > 0]
    results = {
        "AnnualLevy": annual_levy,
        "MonthlyLevy": monthly,
        "MonthlyEnglishLevy": english,
        "MonthlyTopUp": top_up,
        "FundsIn": sum((m.funds_in for m in plan_months), _ZERO),
        "PlannedSpend": sum((s.in_year_cost for s in starts), _ZERO),
        "PlannedStartsInYear": sum(1 for s in starts
                                   if s.start_date and inputs.plan_start <= s.start_date <= inputs.plan_end),
        "PublicSectorTargetStarts": levy.public_sector_target(inputs.headcount or 0),
        "StatutoryTransferRate": levy.statutory_transfer_rate(inputs.tax_year),
        "TransferAllowance10": positions["10%"].allowance,
        "TransferAllowance25": positions["25%"].allowance,
        "TransferAllowanceStatutory": positions["statutory"].allowance,
        "TransfersPlanned": sum((t.in_year_cost for t in transfers), _ZERO),
        "TransfersTotal": positions["statutory"].committed,
        "Headroom10": positions["10%"].headroom,
        "Headroom25": positions["25%"].headroom,
        "HeadroomStatutory": positions["statutory"].headroom,
        "OverCommitted": positions["statutory"].over_committed,
        "SchoolsPayBill": sum((s.pay_bill for s in schools
                               if s.type in COUNCIL_SCHOOL_TYPES and s.pay_bill is not None), _ZERO),
        "SchoolsLevyShare": sum((s.levy_share for s in school_rows), _ZERO),
        "SchoolsPlannedSpend": sum((s.planned_spend for s in school_rows), _ZERO),
        "FundsExpiring": sum((m.expired for m in forecast), _ZERO),
        "ExpiryMonthCount": len(expired),
        "FirstExpiryMonth": expired[0].month if expired else None,
        "LowestBalance": min(m.balance for m in forecast),
        "ShortfallMonths": sum(1 for m in forecast if m.balance < 0),
    }
    return _Plan(results, school_rows, starts, transfers, forecast)


def _school_rows(inputs: _Inputs, annual_levy: Decimal, schools: list[_School],
                 starts: list[_Costed]) -> list[SchoolRow]:
    total_pay_bill = inputs.amount("total_pay_bill")
    spend_by_urn: dict[str, Decimal] = {}
    for start in starts:
        if start.party is not None:
            spend_by_urn[start.party] = spend_by_urn.get(start.party, _ZERO) + start.in_year_cost
    urn_counts = Counter(s.urn for s in schools if s.urn is not None)
    rows = []
    for school in schools:
        in_levy = school.type in COUNCIL_SCHOOL_TYPES
        share = _ZERO
        if in_levy and school.pay_bill is not None:
            share = levy.pro_rata_share(annual_levy, school.pay_bill, total_pay_bill)
        spend = spend_by_urn.get(school.urn, _ZERO) if school.urn is not None else _ZERO
        checks = (
            (not school.complete, template.CHECK_INCOMPLETE),
            (not in_levy, template.CHECK_NOT_IN_LEVY),
            (urn_counts[school.urn] > 1, template.CHECK_URN_TWICE),
        )
        rows.append(SchoolRow(
            row=school.row, urn=school.urn, name=school.name, type=school.type, pay_bill=school.pay_bill,
            headcount=school.headcount, in_council_levy=in_levy, levy_share=share, planned_spend=spend,
            balance=share - spend, check=next((text for failed, text in checks if failed), ""),
        ))
    return rows


def _forecast(inputs: _Inputs, monthly: Decimal, english_fraction: Decimal, starts: list[_Costed],
              transfers: list[_Costed], first_row: int) -> list[ForecastMonth]:
    """The account month by month: funds in, payments, FIFO expiry (levy.expired_funds), balance.

    Payments dated before the plan start are already in the opening balance;
    the opening balance is one cohort entering the month before the plan.
    Payments after the forecast are included here and left out in the
    workbook: they cannot change what expires within the forecast (with the
    recurrence P_k = min(P_{k-1} + F_k, max(P_{k-1}, S(<= x_k))), cutting
    spending at the last month H gives min(P_k, S(<= H)), so every cohort
    expiring by H uses the same amount).
    """
    months = [_add_months(inputs.plan_start, i) for i in range(template.FORECAST_MONTHS)]
    funds_in = {month: levy.funds_entering(monthly, english_fraction, on=month) for month in months}
    paid_for_starts = _monthly_totals(starts, inputs.plan_start)
    paid_for_transfers = _monthly_totals(transfers, inputs.plan_start)
    spending = {month: paid_for_starts.get(month, _ZERO) + paid_for_transfers.get(month, _ZERO)
                for month in {*paid_for_starts, *paid_for_transfers}}
    cohorts = {_add_months(inputs.plan_start, -1): inputs.amount("opening_balance"), **funds_in}
    expired = levy.expired_funds(cohorts, spending)
    rows = []
    balance = inputs.amount("opening_balance")
    expired_so_far = _ZERO
    for index, month in enumerate(months):
        out = expired.get(month, _ZERO)
        spent, transferred = paid_for_starts.get(month, _ZERO), paid_for_transfers.get(month, _ZERO)
        balance = balance + funds_in[month] - spent - transferred - out
        expired_so_far += out
        rows.append(ForecastMonth(
            row=first_row + index, month=month, funds_in=funds_in[month],
            spending=spent, transfers_out=transferred,
            expired=out, balance=balance, shortfall=max(-balance, _ZERO), expired_so_far=expired_so_far,
        ))
    return rows


def _monthly_totals(rows: list[_Costed], plan_start: dt.date) -> dict[dt.date, Decimal]:
    totals: dict[dt.date, Decimal] = {}
    for row in rows:
        for month, amount in row.schedule.items():
            if month >= plan_start:
                totals[month] = totals.get(month, _ZERO) + amount
    return totals


def _add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


# Private API: checks across the plan, and the cached values.


def _check_plan(found: Collector, inputs: _Inputs, plan: _Plan, transfers: list[_Costed],
                forecast_table: TableData) -> None:
    results = plan.results
    total = inputs.places["TotalPayBill"]
    if inputs.total_pay_bill is not None and results["SchoolsPayBill"] > inputs.total_pay_bill:
        found.add("schools-pay-bill-over-total",
                  f"the schools' pay bills add up to {results['SchoolsPayBill']:,.2f}, more than the whole council's "
                  f"pay bill of {inputs.total_pay_bill:,.2f}, which includes them", total.sheet, total.cell)
    allowance = results["TransferAllowanceStatutory"]
    if results["OverCommitted"] > 0:
        committed = inputs.amount("transfers_committed")
        place = inputs.places["TransfersCommitted"]
        sheet, cell = place.sheet, place.cell
        if committed <= allowance:
            for transfer in transfers:
                committed += transfer.in_year_cost
                if committed > allowance:
                    sheet, cell = transfer.sheet, transfer.cells["Price"]
                    break
        rate = results["StatutoryTransferRate"]
        found.add("transfers-over-headroom",
                  f"transfers committed this year ({results['TransfersTotal']:,.2f}) exceed the transfer allowance "
                  f"at the statutory rate of {rate:.0%} ({allowance:,.2f}) by {results['OverCommitted']:,.2f}",
                  sheet, cell)
    expiring = [(index, m) for index, m in enumerate(plan.forecast) if m.expired > 0]
    if expiring:
        index, first = expiring[0]
        expired_column = forecast_table.column_index("Expired")
        found.add("funds-expiring",
                  f"{results['FundsExpiring']:,.2f} of levy funds are forecast to expire in {len(expiring)} month(s) "
                  f"of the forecast, the first {first.expired:,.2f} in {first.month:%B %Y}: plan more starts or "
                  "transfers before then", forecast_table.sheet,
                  None if expired_column is None else forecast_table.cell(index, expired_column))


def _compare_cached(pkg: Package, found: Collector, plan: _Plan) -> None:
    """Warn where a formula's cached value disagrees with the recomputed one.

    A workbook written by lga_xl and not yet opened in a spreadsheet has no
    cached values at all (PlanEnd, always a date, is blank): nothing to compare.
    """
    plan_end = pkg.name_value("PlanEnd")
    if plan_end is None or plan_end.value in (None, ""):
        return
    for name, expected in plan.results.items():
        target = pkg.name_value(name)
        if target is not None:
            if name == "FirstExpiryMonth" and expected is None:
                expected = template.NO_EXPIRY
            _compare(found, name, target.value, expected, target.sheet, target.cell)
    schools = {s.row: s for s in plan.schools}
    _compare_table(pkg, found, "Schools", lambda row: schools.get(row), {
        "LevyShare": "levy_share", "PlannedSpend": "planned_spend", "Balance": "balance", "Check": "check"})
    costed = {"Title": "title", "Level": "level", "BandMax": "band_max", "AboveCap": "above_cap",
              "InYearCost": "in_year_cost", "Check": "check"}
    for table_name, rows in (("PlannedStarts", plan.starts), ("Transfers", plan.transfers)):
        by_row = {r.row: r for r in rows}
        _compare_table(pkg, found, table_name, lambda row, by_row=by_row: by_row.get(row), costed)
    months = {m.row: m for m in plan.forecast}
    _compare_table(pkg, found, "Forecast", lambda row: months.get(row), {
        "Month": "month", "FundsIn": "funds_in", "Spending": "spending", "TransfersOut": "transfers_out",
        "Expired": "expired", "Balance": "balance", "Shortfall": "shortfall", "ExpiredSoFar": "expired_so_far"})


def _compare_table(pkg: Package, found: Collector, table_name: str, expected_for: Callable[[int], Any],
                   columns: dict[str, str]) -> None:
    table = pkg.table(table_name)
    indexes = {name: table.column_index(name) for name in columns}
    for i, raw in enumerate(table.rows):
        expected_row = expected_for(table.first_row + i)
        if expected_row is None:
            continue  # a blank input row: its formulas give blanks and zeros
        for name, attribute in columns.items():
            index = indexes[name]
            if index is not None and index < len(raw):
                _compare(found, f"{table_name} {name}", raw[index], getattr(expected_row, attribute),
                         table.sheet, table.cell(i, index))


def _compare(found: Collector, what: str, cached: Any, expected: Any, sheet: str | None, cell: str | None) -> None:
    if _same(cached, expected):
        return
    shown = "(blank)" if cached in (None, "") else repr(cached)
    found.add("cached-value-mismatch", f"{what}: the workbook shows {shown} but the inputs give "
              f"{_display(expected)}; has the formula been typed over?", sheet, cell)


def _same(cached: Any, expected: Any) -> bool:
    if expected is None or expected == "":
        return cached in (None, "")
    if isinstance(expected, str):
        return isinstance(cached, str) and cached == expected
    if isinstance(expected, dt.date):
        return _date_value(cached) == expected
    if isinstance(cached, bool) or not isinstance(cached, (int, float)):
        return False
    return abs(float(cached) - float(expected)) < _PENNY_TOLERANCE


def _display(value: Any) -> str:
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def _start_row(row: _Costed) -> PlannedStartRow:
    return PlannedStartRow(
        row=row.row, urn=row.party, standard=row.standard, title=row.title, level=row.level,
        start_date=row.start_date, duration_months=row.duration_months, price=row.price, band_max=row.band_max,
        above_cap=row.above_cap, in_year_cost=row.in_year_cost, check=row.check,
    )


def _transfer_row(row: _Costed) -> TransferRow:
    return TransferRow(
        row=row.row, recipient=row.party, standard=row.standard, title=row.title, level=row.level,
        start_date=row.start_date, duration_months=row.duration_months, price=row.price, band_max=row.band_max,
        above_cap=row.above_cap, in_year_cost=row.in_year_cost, check=row.check,
    )
