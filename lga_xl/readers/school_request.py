"""Reading a school's returned request for apprentices, recomputing every cost and checking it.

Each requested apprenticeship is costed as the levy plan costs a planned
start (:mod:`lga_xl.readers.levy_plan`: the band in force on the start date
from the request's own Standards and FundingBands tables, the payment
profile of :mod:`lga_xl.levy`), priced at the band and lasting the
standard's typical duration; the Check column's text is the contract's
(:mod:`lga_xl.contracts.school_request`).  A value cached in the file is
only compared with the recomputed one.

Example:
    >>> import tempfile, pathlib, datetime
    >>> from lga_xl.writers.school_request import RequestEntry, SchoolFacts, new_school_request
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "request.xlsx"
    >>> _ = new_school_request(path, council="Exampleshire", school=SchoolFacts("100001", "Ash Primary"),
    ...                        requests=[RequestEntry("Teaching assistant", "New hire", "ST0454",
    ...                                               datetime.date(2026, 9, 1))])
    >>> request = read_school_request(path)
    >>> [(r.standard, r.band_max, r.duration_months, r.in_year_cost) for r in request.requests]
    [('ST0454', Decimal('7000.00'), 18, Decimal('1866.66'))]
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import cells, levy
from ..contract import Contract
from ..contracts.school_request import CHECK_UNKNOWN_STANDARD, HIRE_TYPES, REQUESTS, SHARE, pick_text
from ..models import RequestedStart, SchoolRequest
from .base import Reading, Row, compare_cached
from .fields import Collector
from .levy_plan import _excel_text, _read_standards, _same_text, _Standards
from .levy_plan_v1 import _plan_year
from .package import Package, open_package

__all__ = ["CarriedStandards", "carried_standards", "read_school_request", "read_school_request_package"]

_ZERO = Decimal("0.00")
_SPACES = re.compile(" +")


def read_school_request(path: str | Path, *, display: str | None = None) -> SchoolRequest:
    """Read, recompute and validate a school's request for apprentices.

    Problems inside the file are in ``result.issues``; a file that cannot be
    read as a request raises :class:`~lga_xl.issues.WorkbookError`.
    """
    from . import read_package

    with open_package(path, display) as pkg:
        return read_package(pkg, "school-request")


def read_school_request_package(pkg: Package, contract: Contract) -> SchoolRequest:
    """:func:`read_school_request` on an opened package of a known template version."""
    reading = Reading(pkg, contract)
    found = reading.found
    named = {name.name: reading.named(name.name) for name in contract.names() if name.role != "formula"}
    text = {key: cells.text(named[key].value) for key in ("SchoolName", "SchoolURN", "SchoolType", "OrgName",
                                                          "Region", "Contact", "CompletedBy", "CompletedRole",
                                                          "Email")}
    if text["SchoolURN"] is None and named["SchoolURN"].found:
        found.add("request-without-school", "the request names no school (its URN is blank): ask the council for a "
                  "request made for your school", named["SchoolURN"].place)
    tax_year, plan_start = _plan_year(reading, named["TaxYear"], named["PlanStart"])
    plan_end = levy._add_months(plan_start, 12) - dt.timedelta(days=1)
    figures = {name.field: found.number(named[name.name].value, what=name.label, place=named[name.name].place,
                                        minimum=None) for name in SHARE.names if name.role == "fixed"}
    requests = _read_requests(reading, plan_start, plan_end)
    in_year = sum((r.in_year_cost for r in requests), _ZERO)
    funds_left_after = None if figures["funds_left"] is None else figures["funds_left"] - in_year
    totals = {
        "request_count": len(requests),
        "requests_band_total": sum((r.band_max for r in requests if r.band_max is not None), _ZERO),
        "requests_in_year": in_year,
        "funds_left_after": funds_left_after,
    }
    if funds_left_after is not None and funds_left_after < 0:
        found.add("requests-over-share", f"the requests cost £{in_year:,.2f} in the plan year, "
                  f"£{-funds_left_after:,.2f} more than is left of the school's share (£{figures['funds_left']:,.2f}); "
                  "the council decides whether the rest of its levy can pay for them",
                  reading.named("FundsLeftAfter").place)
    _compare_cached(reading, plan_end, totals, requests)
    school = text["SchoolName"]
    organisation = None if school is None and text["SchoolURN"] is None else (
        f"{school or 'School'}" + (f" (URN {text['SchoolURN']})" if text["SchoolURN"] else ""))
    return SchoolRequest(
        file=pkg.display, template_version=contract.version, organisation=organisation, region=text["Region"],
        issues=found.issues, input_hash=reading.input_hash,
        school=school, urn=text["SchoolURN"], school_type=text["SchoolType"], council=text["OrgName"],
        tax_year=tax_year, plan_start=plan_start, plan_end=plan_end, contact=text["Contact"],
        completed_by=text["CompletedBy"], completed_role=text["CompletedRole"], email=text["Email"],
        completed_on=found.date(named["CompletedOn"].value, what="The date", place=named["CompletedOn"].place),
        **figures, **totals, requests=[r.model for r in requests],
    )


# Private API: the requests.


@dataclass
class _Request:
    """A row of the Requests table, costed; the flags are its Check column's tests (the contract's RowChecks)."""

    row: Row
    model: RequestedStart
    band_max: Decimal | None
    in_year_cost: Decimal
    incomplete: bool
    unknown_hire: bool
    unknown_standard: bool
    month_as_text: bool
    outside_year: bool
    outside_standard_dates: bool
    no_band: bool
    blank: list[str]
    reference: str | None
    start: dt.date | None
    first_start: dt.date | None
    last_start: dt.date | None


@dataclass(frozen=True)
class CarriedStandards:
    """A Standards and a FundingBands table (a request's, or a levy plan's) as the costing formulas look them up."""

    standards: _Standards
    by_pick: dict[str, str]  # pick text, folded -> reference, first row first (MATCH)
    durations: dict[str, int | None]  # reference, folded -> typical duration


def carried_standards(reading: Reading) -> CarriedStandards:
    """The standards of a workbook whose contract has the levy plan's Standards and FundingBands tables."""
    standards = _read_standards(reading)
    by_pick: dict[str, str] = {}
    durations: dict[str, int | None] = {}
    for row in reading.table("Standards", required=("typical_duration_months",)):
        reference = _excel_text(row.get("reference"))
        if reference == "":
            continue
        info = standards.by_reference.get(reference.casefold())
        if info is not None:
            by_pick.setdefault(pick_text(reference, info.title, _excel_text(row.get("level"))).casefold(), reference)
        duration = row.get("typical_duration_months")
        durations.setdefault(reference.casefold(), int(duration) if isinstance(duration, int | float)
                             and not isinstance(duration, bool) and duration == int(duration) else None)
    return CarriedStandards(standards, by_pick, durations)


def _read_requests(reading: Reading, plan_start: dt.date, plan_end: dt.date) -> list[_Request]:
    table = reading.table("Requests", required=REQUESTS.keys("input"))
    carried = carried_standards(reading)
    inputs = REQUESTS.keys("input")
    required = [column.key for column in REQUESTS.columns if column.required]
    requests = []
    for row in table:
        if not any(row.get(key) is not None for key in inputs):
            continue
        request = _cost(row, carried, plan_start, plan_end, [key for key in required if row.get(key) is None])
        check = REQUESTS.first_failing(request)
        _report(reading.found, request)
        request.model = request.model.model_copy(update={"check": check})
        requests.append(request)
    return requests


def _cost(row: Row, carried: CarriedStandards, plan_start: dt.date, plan_end: dt.date, blank: list[str]) -> _Request:
    """The row's lookups and costing, as its formulas work them out."""
    typed = row.get("standard")
    trimmed = _SPACES.sub(" ", _excel_text(typed)).strip(" ") if typed is not None else ""
    reference = carried.by_pick.get(trimmed.casefold(), trimmed) or None
    info = carried.standards.by_reference.get(reference.casefold()) if reference else None
    month = row.get("start_month")
    start = _month_start(month)
    title = "" if reference is None else (CHECK_UNKNOWN_STANDARD if info is None else info.title)
    band = carried.standards.band_on(reference, info, start) if info is not None else None
    band = None if band is None else band.quantize(_ZERO)
    duration = carried.durations.get(reference.casefold()) if info is not None else None
    in_year = _ZERO
    if start is not None and duration is not None and duration >= 1 and band is not None:
        in_year = levy.payments_between(band, start, duration, plan_start, levy._add_months(plan_start, 11))
    hire = row.text("hire")
    first, last = (info.first_start, info.last_start) if info else (None, None)
    model = RequestedStart(
        row=row.number, role=row.text("role"), hire=_listed(hire), standard=reference,
        title=title, level=None if info is None else int(info.level), start_month=start,
        duration_months=duration, band_max=band, in_year_cost=in_year, notes=row.text("notes"), check="")
    return _Request(
        row=row, model=model, band_max=band, in_year_cost=in_year, incomplete=bool(blank),
        unknown_hire=hire is not None and _listed(hire) is None,
        unknown_standard=reference is not None and info is None,
        month_as_text=not _is_number(month), outside_year=start is not None and not plan_start <= start <= plan_end,
        outside_standard_dates=start is not None and (first is not None and start < first
                                                      or last is not None and start > last),
        no_band=info is not None and band is None, blank=blank, reference=reference, start=start,
        first_start=first, last_start=last)


def _listed(hire: str | None) -> str | None:
    """New hire or Existing staff as listed, as COUNTIF matches them (case does not matter); None otherwise."""
    return next((listed for listed in HIRE_TYPES if hire is not None and _same_text(hire, listed)), None)


def _is_number(value: Any) -> bool:
    """ISNUMBER: a number or a date cell (a date is its serial number); text and TRUE/FALSE are not."""
    return isinstance(value, int | float | Decimal | dt.date) and not isinstance(value, bool)


def _month_start(value: Any) -> dt.date | None:
    """``DATE(YEAR(m),MONTH(m),1)`` of a number or date cell; None for anything else."""
    if not _is_number(value):
        return None
    try:
        read = cells.date(value)
    except cells.CellValueError:
        return None
    return None if read is None else read.value.replace(day=1)


def _report(found: Collector, r: _Request) -> None:
    """An issue for each failing check of a row, at its cell."""
    name = r.model.role or f"row {r.row.number}"
    if r.incomplete:
        headers = ", ".join(REQUESTS.column(key).header.lower() for key in r.blank)
        found.add("incomplete-row", f"{name}: no {headers}; fill it in or clear the row", r.row.place(r.blank[0]))
    if r.unknown_hire:
        found.add("not-in-list", f"{name}: {r.row.text('hire')!r} is neither New hire nor Existing staff; pick one",
                  r.row.place("hire"))
    if r.unknown_standard:
        found.add("unknown-standard", f"{name}: {r.reference!r} is not a standard on the Standards sheet; pick the "
                  "standard from the list", r.row.place("standard"))
    if r.month_as_text and r.row.get("start_month") is not None:
        found.add("typed-as-text", f"{name}: the start month {cells.shown(r.row.get('start_month'))} was typed as "
                  "text, which the workbook's formulas cannot use; type it as a date, like 01/09/2026",
                  r.row.place("start_month"))
    if r.outside_year:
        found.add("start-outside-plan", f"{name}: {r.start:%B %Y} is outside the plan year, so it costs nothing "
                  "this year; the council may plan it for another year", r.row.place("start_month"))
    if r.outside_standard_dates:
        found.add("start-outside-standard-dates", f"{name}: {r.reference} can be started " + " and ".join(
            part for part in (f"from {r.first_start:%d/%m/%Y}" if r.first_start else "",
                              f"until {r.last_start:%d/%m/%Y}" if r.last_start else "") if part)
            + f", not in {r.start:%B %Y}", r.row.place("start_month"))
    if r.no_band:
        found.add("no-funding-band", f"{name}: {r.reference} has no funding band in force in {r.start:%B %Y}",
                  r.row.place("standard"))


def _compare_cached(reading: Reading, plan_end: dt.date, totals: dict[str, Any], requests: list[_Request]) -> None:
    """Warn where a value the workbook shows differs from the recomputed one; nothing before it is first opened."""
    shown_end = reading.pkg.name_value("PlanEnd")
    if shown_end is None or shown_end.value in (None, ""):
        return
    compare_cached(reading.found, "PlanEnd", shown_end.value, plan_end, shown_end.place)
    for name in SHARE.names:
        target = reading.pkg.name_value(name.name)
        if name.role == "formula" and target is not None:
            compare_cached(reading.found, name.name, target.value, totals[name.field], target.place)
    positions = reading.table("Requests").positions
    for request in requests:
        row = request.row
        for key, expected in (("duration_months", request.model.duration_months), ("band_max", request.band_max),
                              ("in_year_cost", request.in_year_cost), ("check", request.model.check)):
            if key in positions:
                compare_cached(reading.found, f"Requests {REQUESTS.column(key).header}", row.get(key), expected,
                               row.place(key))
