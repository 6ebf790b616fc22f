"""Reading a levy plan of template 1.0 (made by lga_xl 0.1.0) with that template's meaning.

Kept as 0.1.0 read it, so that its returns read to the same figures: a
36-month forecast, the opening balance as one cohort entering the month
before the plan, an English percentage typed as 95 for 95%, the full levy
allowance and no pay bill growth.  The figures template 2.0 added are None
where 1.0 has no such figure.  :mod:`lga_xl.readers.levy_plan` reads 2.0 and
dispatches here; the helpers both versions share live here.

Every result is recomputed from the inputs with :mod:`lga_xl.levy`, the same
arithmetic the workbook's formulas implement; a value cached in the file is
only compared with it, and a difference is a ``cached-value-mismatch``
warning at its cell.  An input with an error (text in the pay bill, an
English percentage of 120) counts as 0 in the recomputed figures; the issue
says which cell to fix.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .. import cells, levy
from ..contract import Contract, Table
from ..contracts.levy_plan_v1 import CHECK_UNKNOWN_STANDARD, MAX_DURATION_MONTHS, NO_EXPIRY, plan_start_of
from ..issues import WorkbookError
from ..models import ForecastMonth, LevyPlan, PlannedStartRow, SchoolRow, TransferRow
from ..reference import COUNCIL_SCHOOL_TYPES, OTHER_SCHOOL_TYPES, REGIONS, SCHOOL_TYPES
from .base import Named, Reading, Row, TableRows, compare_cached, formula_date
from .fields import Collector, PlaceOf
from .package import Package, Place

_ZERO = Decimal("0.00")
# Starts outside these dates are typing errors; they are never costed (the payment arithmetic
# would otherwise run past the end of the calendar).
_EARLIEST_START = dt.date(2000, 1, 1)
_LATEST_START = dt.date(2199, 12, 31)
_HUNDRED = Decimal(100)


def read_v1_package(pkg: Package, contract: Contract) -> LevyPlan:
    """A levy plan of template 1.0, read and recomputed with 1.0's rules."""
    reading = Reading(pkg, contract)
    inputs = _read_inputs(reading)
    standards = _read_standards(reading)
    forecast_table = reading.table("Forecast")
    schools = _read_schools(reading)
    school_urns = {school.urn for school in schools if school.urn is not None}
    starts = _read_costed(reading, inputs, standards, school_urns, "PlannedStarts", "urn")
    transfers = _read_costed(reading, inputs, standards, None, "Transfers", "recipient")
    plan = _compute(reading.contract, inputs, schools, starts, transfers, forecast_table.data.first_row)
    _check_plan(reading.found, inputs, plan, transfers, forecast_table)
    _compare_cached(reading, plan)
    return plan.result(reading, inputs)


# Private API: reading.


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
    places: dict[str, Named]

    @property
    def plan_end(self) -> dt.date:
        return _add_months(self.plan_start, 12) - dt.timedelta(days=1)

    def amount(self, name: str) -> Decimal:
        """An input as used in the figures: 0 when blank or unusable."""
        value = getattr(self, name)
        return _ZERO if value is None else Decimal(value)


def _read_inputs(reading: Reading) -> _Inputs:
    found = reading.found
    places = {name.name: reading.named(name.name) for name in reading.contract.names() if name.role != "formula"}
    org = places["OrgName"]
    organisation = cells.text(org.value)
    if organisation is None and org.found:
        found.add("missing-org-name", "the council's name is blank", org.place)
    region = places["Region"]
    region_value = found.choice(region.value, REGIONS, what="Region", code="unknown-region", place=region.place,
                                required=False)
    tax_year, plan_start = _plan_year(reading, places["TaxYear"], places["PlanStart"])

    def money(name: str, what: str, *, required: bool = False) -> Decimal | None:
        place = places[name]
        if required:
            _require(found, place, what)
        return found.number(place.value, what=what, place=place.place)

    headcount = places["Headcount"]
    return _Inputs(
        organisation=organisation,
        region=region_value,
        tax_year=tax_year,
        plan_start=plan_start,
        total_pay_bill=money("TotalPayBill", "The whole council's pay bill", required=True),
        english_percent=_english_percent(found, places["EnglishPercent"]),
        headcount=found.whole(headcount.value, what="The headcount", place=headcount.place),
        previous_year_funds=money("PreviousYearFunds", "Funds that entered last tax year"),
        opening_balance=money("OpeningBalance", "The opening balance"),
        transfers_committed=money("TransfersCommitted", "Transfers already committed"),
        places=places,
    )


def _plan_year(reading: Reading, label: Named, start: Named) -> tuple[str, dt.date]:
    """The tax year and plan start; the formulas use PlanStart, so it decides."""
    found = reading.found
    label_text = cells.text(label.value)
    try:
        from_label = plan_start_of(label_text or "")
    except ValueError as exc:
        from_label = None
        if label.found:
            found.add("bad-tax-year", f"the tax year {label_text or '(blank)'} cannot be used: {exc}", label.place)
    plan_start = formula_date(start.value)
    if plan_start is not None:
        try:
            expected = plan_start_of(levy.tax_year_of(dt.date(plan_start.year, 4, 6)))
        except ValueError as exc:
            found.add("bad-tax-year", f"the plan start {plan_start:%d/%m/%Y} cannot be used: {exc}", start.place)
            plan_start = None
        else:
            if plan_start != expected:
                found.add("bad-tax-year", f"the plan start {plan_start:%d/%m/%Y} is not 1 April; the figures "
                          f"were worked out from {expected:%d/%m/%Y}", start.place)
                plan_start = expected
    if plan_start is None:
        if from_label is None:
            where = start.place if start.found else label.place
            raise WorkbookError(reading.pkg.issue(
                "bad-tax-year", "the plan has no usable tax year or plan start; make a new plan with "
                "`lga-xl new levy-plan --tax-year 2026-27`", where.sheet, where.cell, name=where.name))
        plan_start = from_label
    tax_year = levy.tax_year_of(dt.date(plan_start.year, 4, 6))
    if from_label is not None and from_label != plan_start:
        found.add("bad-tax-year", f"the tax year says {label_text} but the plan starts on {plan_start:%d/%m/%Y} "
                  f"({tax_year}); the figures follow the plan start", label.place)
    return tax_year, plan_start


def _require(found: Collector, named: Named, what: str) -> None:
    if named.value is None and named.found:
        found.add("missing-input", f"{what} is blank", named.place)


def _english_percent(found: Collector, named: Named) -> Decimal | None:
    _require(found, named, "The English percentage")
    percent = found.number(named.value, what="The English percentage", place=named.place, minimum=None)
    if percent is not None and not 0 <= percent <= _HUNDRED:
        found.add("english-percent-out-of-range",
                  f"the English percentage is {percent}; it must be from 0 to 100", named.place)
        return None
    return percent


@dataclass(frozen=True)
class _StandardInfo:
    title: str
    level: int
    band_max: Decimal


def _read_standards(reading: Reading) -> dict[str, _StandardInfo]:
    """Reference (case-folded) -> what the lookups in the workbook return.

    A blank title, level or band in a matched row reads as "", 0 and 0, as
    INDEX gives them; the first row of a reference listed twice wins, as MATCH.
    """
    found = reading.found
    table = reading.table("Standards", required=("reference", "title", "level", "max_funding"))
    standards: dict[str, _StandardInfo] = {}
    for row in table:
        reference = row.text("reference")
        if reference is None:
            if row.entered(("title", "level", "max_funding")):
                found.add("incomplete-row", "a standard with no reference", row.place("reference"))
            continue
        band = found.number(row.get("max_funding"), what=f"{reference}: funding band maximum",
                            place=row.place("max_funding"))
        if row.get("max_funding") is None:
            found.add("incomplete-row", f"{reference} has no funding band maximum", row.place("max_funding"))
        level = found.whole(row.get("level"), what=f"{reference}: level", place=row.place("level"))
        info = _StandardInfo(row.text("title") or "", level or 0, band or _ZERO)
        standards.setdefault(reference.casefold(), info)
    return standards


@dataclass
class _School:
    """A school row as read; the properties are the Schools table's checks."""

    row: Row
    urn: str | None
    name: str | None
    type: str | None
    pay_bill: Decimal | None
    headcount: int | None
    complete: bool
    urn_twice: bool = False

    @property
    def in_council_levy(self) -> bool:
        return self.type in COUNCIL_SCHOOL_TYPES


def _read_schools(reading: Reading) -> list[_School]:
    found = reading.found
    table = reading.table("Schools", required=("urn", "name", "type", "pay_bill", "headcount"))
    inputs = table.spec.keys("input")
    required = [c.key for c in table.spec.columns if c.required]
    schools = []
    first_row_of: dict[str, str] = {}
    for row in table:
        if not row.entered(inputs):
            continue
        urn = row.text("urn")
        subject = row.text("name") or (f"URN {urn}" if urn else f"row {row.index + 1}")
        blank = [key for key in required if row.text(key) is None]
        if blank:
            headers = ", ".join(table.spec.column(key).header for key in blank)
            found.add("incomplete-row", f"{subject}: no {headers}", row.place(blank[0]))
        school_type = found.choice(row.get("type"), SCHOOL_TYPES, what=f"{subject}: school type",
                                   code="school-not-in-council-levy", place=row.place("type"), required=False)
        if school_type in OTHER_SCHOOL_TYPES:
            found.add("school-not-in-council-levy",
                      f"{subject} ({school_type}) employs its own staff, so it is not in the council's levy; remove "
                      "it from the plan", row.place("type"))
        if urn is not None:
            if urn in first_row_of:
                found.add("duplicate-urn", f"URN {urn} is listed twice (first at {first_row_of[urn]})",
                          row.place("urn"))
            first_row_of.setdefault(urn, row.cell("urn"))
        schools.append(_School(
            row=row, urn=urn, name=row.text("name"), type=school_type,
            pay_bill=found.number(row.get("pay_bill"), what=f"{subject}: pay bill", place=row.place("pay_bill")),
            headcount=found.whole(row.get("headcount"), what=f"{subject}: headcount", place=row.place("headcount")),
            complete=not blank,
        ))
    counts = Counter(school.urn for school in schools if school.urn is not None)
    for school in schools:
        school.urn_twice = counts[school.urn] > 1 if school.urn is not None else False
    return schools


@dataclass
class _Costed:
    """A planned start or transfer, read and costed; the flags are its Check column's tests."""

    row: Row
    party: str | None  # URN or recipient
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
    incomplete: bool
    unknown_standard: bool
    unknown_school: bool
    costable: bool
    too_short: bool
    outside_plan: bool
    check: str = ""
    minimum: int | None = None
    blank: list[str] = field(default_factory=list)


def _read_costed(reading: Reading, inputs: _Inputs, standards: dict[str, _StandardInfo],
                 school_urns: set[str] | None, table_name: str, party: str) -> list[_Costed]:
    """Rows of PlannedStarts (with ``school_urns``) or Transfers, costed as the workbook does."""
    found = reading.found
    spec = reading.contract.table(table_name)
    table = reading.table(table_name, required=spec.keys("input"))
    required = [c.key for c in spec.columns if c.required]
    rows = []
    for row in table:
        if not row.entered(spec.keys("input")):
            continue
        start = _plausible_start(found, row.get("start_date"), row.place("start_date"))
        duration = _plausible_duration(found, row.get("duration_months"), row.place("duration_months"))
        price = found.number(row.get("price"), what="Price", place=row.place("price"))
        costed = _cost_row(row, inputs, standards, school_urns, row.text(party), row.text("standard"), start,
                           duration, price, [key for key in required if row.text(key) is None])
        costed.check = spec.first_failing(costed)
        _report_checks(found, spec, costed, inputs)
        rows.append(costed)
    return rows


def _plausible_start(found: Collector, value: Any, place: PlaceOf) -> dt.date | None:
    start = found.date(value, what="Start date", place=place)
    if start is not None and not _EARLIEST_START <= start <= _LATEST_START:
        found.add("bad-date", f"the start date {start:%d/%m/%Y} is not a plausible date for this plan", place)
        return None
    return start


def _plausible_duration(found: Collector, value: Any, place: PlaceOf) -> int | None:
    duration = found.whole(value, what="Duration (months)", place=place)
    if duration is not None and duration > MAX_DURATION_MONTHS:
        found.add("not-a-number", f"{duration} months is not a plausible duration (at most "
                  f"{MAX_DURATION_MONTHS})", place)
        return None
    return duration


def _cost_row(row: Row, inputs: _Inputs, standards: dict[str, _StandardInfo], school_urns: set[str] | None,
              party: str | None, standard: str | None, start: dt.date | None, duration: int | None,
              price: Decimal | None, blank: list[str]) -> _Costed:
    """Lookup, cap, payment schedule and in-year cost of one row (the workbook's formulas)."""
    info = standards.get(standard.casefold()) if standard else None
    if standard is None:
        title, level, band = "", None, None
    elif info is None:
        title, level, band = CHECK_UNKNOWN_STANDARD, None, None
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
    minimum = levy.minimum_duration_months(start) if start is not None else None
    return _Costed(
        row=row, party=party, standard=standard, title=title, level=level, start_date=start,
        duration_months=duration, price=price, band_max=band, above_cap=above, schedule=schedule,
        in_year_cost=in_year, incomplete=bool(blank), unknown_standard=standard is not None and info is None,
        unknown_school=school_urns is not None and party is not None and party not in school_urns,
        costable=costable, too_short=minimum is not None and duration is not None and duration < minimum,
        outside_plan=start is not None and not inputs.plan_start <= start <= inputs.plan_end,
        minimum=minimum, blank=blank,
    )


def _report_checks(found: Collector, table: Table, costed: _Costed, inputs: _Inputs) -> None:
    """An issue for each failing check of a costed row that has an issue code."""
    messages: dict[str, Callable[[_Costed], str]] = {
        "incomplete-row": lambda r: "a row with no " + ", ".join(table.column(k).header for k in r.blank),
        "unknown-standard": lambda r: f"{r.standard} is not in the Standards sheet; pick it from the list or add "
                                      "it there",
        "unknown-school": lambda r: f"URN {r.party} is not on the Schools sheet; add the school or correct the URN "
                                    "(leave it blank for the council's own staff)",
        "duration-too-short": lambda r: f"{r.duration_months} months is shorter than the minimum of {r.minimum} "
                                        f"months for a start on {r.start_date:%d/%m/%Y}",
        "start-outside-plan": lambda r: f"the start {r.start_date:%d/%m/%Y} is outside the plan year "
                                        f"({inputs.plan_start:%d/%m/%Y} to {inputs.plan_end:%d/%m/%Y}); it is "
                                        "still forecast",
        "price-above-cap": lambda r: f"the price {r.price:,.2f} is above the funding band maximum "
                                     f"{r.band_max:,.2f} for {r.standard}: levy funds pay "
                                     f"{r.price - r.above_cap:,.2f}, the employer the other {r.above_cap:,.2f}",
    }
    for check in table.checks:
        if check.code and check.test(costed):
            column = check.column or (costed.blank[0] if costed.blank else None)
            found.add(check.code, messages[check.code](costed), costed.row.place(column))


# Private API: the figures.


@dataclass
class _Plan:
    """Every recomputed figure, before it becomes a LevyPlan."""

    results: dict[str, Any]
    schools: list[SchoolRow]
    starts: list[_Costed]
    transfers: list[_Costed]
    forecast: list[ForecastMonth]

    def result(self, reading: Reading, inputs: _Inputs) -> LevyPlan:
        fields = reading.contract.results()
        return LevyPlan(
            file=reading.pkg.display,
            template_version=reading.contract.version,
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
            issues=reading.found.issues,
            input_hash=reading.input_hash,
            # What template 1.0 assumed, and the 2.0 figures that have a 1.0 meaning.
            levy_allowance=levy.LEVY_ALLOWANCE,
            pay_bill_growth=_ZERO,
            expiring_funds_plan_year=sum((m.expired for m in self.forecast if m.month <= inputs.plan_end), _ZERO),
            first_expiry_amount=next((m.expired for m in self.forecast if m.expired > 0), _ZERO),
            first_shortfall_month=next((m.month for m in self.forecast if m.balance < 0), None),
            **{fields[name]: value for name, value in self.results.items() if name in fields},
        )


def _compute(contract: Contract, inputs: _Inputs, schools: list[_School], starts: list[_Costed],
             transfers: list[_Costed], forecast_first_row: int) -> _Plan:
    annual_levy = levy.levy_due(inputs.amount("total_pay_bill"))
    monthly = levy.even_monthly_levy(annual_levy)
    english_fraction = inputs.amount("english_percent") / _HUNDRED
    # A month's funds with and without the top-up (levy.funds_entering: before and from its end).
    english = levy.funds_entering(monthly, english_fraction, on=levy.TOP_UP_END)
    top_up = levy.funds_entering(monthly, english_fraction, on=levy.TOP_UP_END - dt.timedelta(days=1)) - english
    forecast = _forecast(inputs, monthly, english_fraction, starts, transfers, forecast_first_row,
                         contract.table("Forecast").rows)
    plan_months = [m for m in forecast if m.month <= inputs.plan_end]
    positions = levy.headroom_table(inputs.amount("previous_year_funds"),
                                    inputs.amount("transfers_committed") + sum(t.in_year_cost for t in transfers),
                                    inputs.tax_year)
    school_rows = _school_rows(contract.table("Schools"), inputs, annual_levy, schools, starts)
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
        "SchoolsPayBill": sum((s.pay_bill for s in schools if s.in_council_levy and s.pay_bill is not None), _ZERO),
        "SchoolsLevyShare": sum((s.levy_share for s in school_rows), _ZERO),
        "SchoolsPlannedSpend": sum((s.planned_spend for s in school_rows), _ZERO),
        "FundsExpiring": sum((m.expired for m in forecast), _ZERO),
        "ExpiryMonthCount": len(expired),
        "FirstExpiryMonth": expired[0].month if expired else None,
        "LowestBalance": min(m.balance for m in forecast),
        "ShortfallMonths": sum(1 for m in forecast if m.balance < 0),
    }
    return _Plan(results, school_rows, starts, transfers, forecast)


def _school_rows(table: Table, inputs: _Inputs, annual_levy: Decimal, schools: list[_School],
                 starts: list[_Costed]) -> list[SchoolRow]:
    total_pay_bill = inputs.amount("total_pay_bill")
    spend_by_urn: dict[str, Decimal] = {}
    for start in starts:
        if start.party is not None:
            spend_by_urn[start.party] = spend_by_urn.get(start.party, _ZERO) + start.in_year_cost
    rows = []
    for school in schools:
        share = _ZERO
        if school.in_council_levy and school.pay_bill is not None:
            share = levy.pro_rata_share(annual_levy, school.pay_bill, total_pay_bill)
        spend = spend_by_urn.get(school.urn, _ZERO) if school.urn is not None else _ZERO
        rows.append(SchoolRow(
            row=school.row.number, urn=school.urn, name=school.name, type=school.type, pay_bill=school.pay_bill,
            headcount=school.headcount, in_council_levy=school.in_council_levy, levy_share=share,
            planned_spend=spend, balance=share - spend, check=table.first_failing(school),
        ))
    return rows


def _forecast(inputs: _Inputs, monthly: Decimal, english_fraction: Decimal, starts: list[_Costed],
              transfers: list[_Costed], first_row: int, length: int) -> list[ForecastMonth]:
    """The account month by month: funds in, payments, FIFO expiry (levy.expired_funds), balance.

    Payments dated before the plan start are already in the opening balance;
    the opening balance is one cohort entering the month before the plan.
    Payments after the forecast are included here and left out in the
    workbook: they cannot change what expires within the forecast (with the
    recurrence P_k = min(P_{k-1} + F_k, max(P_{k-1}, S(<= x_k))), cutting
    spending at the last month H gives min(P_k, S(<= H)), so every cohort
    expiring by H uses the same amount).
    """
    months = [_add_months(inputs.plan_start, i) for i in range(length)]
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
                forecast_table: TableRows) -> None:
    results = plan.results
    total = inputs.places["TotalPayBill"]
    if inputs.total_pay_bill is not None and results["SchoolsPayBill"] > inputs.total_pay_bill:
        found.add("schools-pay-bill-over-total",
                  f"the schools' pay bills add up to {results['SchoolsPayBill']:,.2f}, more than the whole council's "
                  f"pay bill of {inputs.total_pay_bill:,.2f}, which includes them", total.place)
    allowance = results["TransferAllowanceStatutory"]
    if results["OverCommitted"] > 0:
        committed = inputs.amount("transfers_committed")
        place = inputs.places["TransfersCommitted"].place
        if committed <= allowance:
            for transfer in transfers:
                committed += transfer.in_year_cost
                if committed > allowance:
                    place = transfer.row.place("price")
                    break
        rate = results["StatutoryTransferRate"]
        found.add("transfers-over-headroom",
                  f"transfers committed this year ({results['TransfersTotal']:,.2f}) exceed the transfer allowance "
                  f"at the statutory rate of {rate:.0%} ({allowance:,.2f}) by {results['OverCommitted']:,.2f}",
                  place)
    expiring = [(index, m) for index, m in enumerate(plan.forecast) if m.expired > 0]
    if expiring:
        index, first = expiring[0]
        place = (forecast_table.row_at(first.row).place("expired") if "expired" in forecast_table.positions
                 else Place(forecast_table.sheet, table=forecast_table.spec.name))
        found.add("funds-expiring",
                  f"{results['FundsExpiring']:,.2f} of levy funds are forecast to expire in {len(expiring)} month(s) "
                  f"of the forecast, the first {first.expired:,.2f} in {first.month:%B %Y}: plan more starts or "
                  "transfers before then", place)


def _compare_cached(reading: Reading, plan: _Plan) -> None:
    """Warn where a formula's cached value disagrees with the recomputed one.

    A workbook written by lga_xl and not yet opened in a spreadsheet has no
    cached values at all (PlanEnd, always a date, is blank): nothing to compare.
    """
    pkg, found = reading.pkg, reading.found
    plan_end = pkg.name_value("PlanEnd")
    if plan_end is None or plan_end.value in (None, ""):
        return
    for name, expected in plan.results.items():
        target = pkg.name_value(name)
        if target is not None:
            if name == "FirstExpiryMonth" and expected is None:
                expected = NO_EXPIRY
            compare_cached(found, name, target.value, expected, target.place)
    schools = {s.row: s for s in plan.schools}
    reading.compare_cached_rows("Schools", schools.get, ("levy_share", "planned_spend", "balance", "check"))
    costed = ("title", "level", "band_max", "above_cap", "in_year_cost", "check")
    for table_name, rows in (("PlannedStarts", plan.starts), ("Transfers", plan.transfers)):
        by_row = {r.row.number: r for r in rows}
        reading.compare_cached_rows(table_name, by_row.get, costed)
    months = {m.row: m for m in plan.forecast}
    reading.compare_cached_rows("Forecast", months.get, reading.contract.table("Forecast").keys())


def _costed_fields(row: _Costed) -> dict[str, Any]:
    return dict(row=row.row.number, standard=row.standard, title=row.title, level=row.level,
                start_date=row.start_date, duration_months=row.duration_months, price=row.price,
                band_max=row.band_max, above_cap=row.above_cap, in_year_cost=row.in_year_cost, check=row.check)


def _start_row(row: _Costed) -> PlannedStartRow:
    return PlannedStartRow(urn=row.party, **_costed_fields(row))


def _transfer_row(row: _Costed) -> TransferRow:
    return TransferRow(recipient=row.party, **_costed_fields(row))
