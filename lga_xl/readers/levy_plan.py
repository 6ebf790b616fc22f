"""Reading a returned levy plan, recomputing every figure and checking it.

Each template version is read by its own contract with its own meaning
(:mod:`lga_xl.contracts.levy_plan`): a plan made by lga_xl 0.1.0 (template
1.0) by :mod:`lga_xl.readers.levy_plan_v1`, as 0.1.0 read it; a plan of
template 2.0 here, its forecast by :func:`lga_xl.forecast.forecast`.

Every figure is recomputed from what was typed, reading each cell as the
workbook's own formulas read it, so the two agree to the penny; a value
cached in the file is only compared with the recomputed one, and a
difference is a ``cached-value-mismatch`` warning at its cell.  Where a
typed value is not what the formulas can use as meant, the issue says so
at its cell:

* a figure on the Plan sheet typed as text (``£250,000.00``, `` 250 000 ``,
  ``"95%"``) is read, as the formulas read it, with a warning; a percentage
  typed as 95 is 95%, with a warning; anything else is an error and counts
  as blank (0, or the full 15,000 allowance);
* a number or date typed as text in a table is an error (``typed-as-text``):
  the formulas cannot use it, so neither does the reader.

Example:
    >>> import tempfile, pathlib
    >>> from lga_xl import new_levy_plan
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "plan.xlsx"
    >>> _ = new_levy_plan(path, org_name="Exampleshire", total_pay_bill=10_000_000, english_percent=1)
    >>> plan = read_levy_plan(path)
    >>> plan.annual_levy, plan.transfer_allowance_statutory, plan.has_errors
    (Decimal('35000.00'), Decimal('0.00'), False)
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import cells, forecast, levy
from ..contract import Contract, Table
from ..contracts import levy_plan as spec
from ..contracts import levy_plan_v1
from ..models import (
    ExpiringFundsRow,
    ForecastMonth,
    ForecastYear,
    LevyPlan,
    OpeningMonth,
    PlannedStartRow,
    SchoolRow,
    TransferRow,
)
from ..reference import EMPLOYER_COUNCIL, ESTABLISHMENT_TYPES, REGIONS, establishment_type, match_region
from ..standards import APPROVED_FOR_DELIVERY
from .base import Named, Reading, Row, TableRows, compare_cached
from .fields import Collector
from .levy_plan_v1 import (
    _plan_year,
    _plausible_duration,
    _plausible_start,
    _require,
    read_v1_package,
)
from .package import Package, Place, open_package

__all__ = ["read_levy_plan", "read_levy_plan_package"]

_ZERO = Decimal("0.00")
_HUNDRED = Decimal(100)
_LAST_SERIAL = Decimal(cells.LAST_SERIAL)  # the "no end" of a funding band (FundingBands[Until])
# What the Plan sheet's formulas take out of text before VALUE reads it: the pound sign, thousands
# commas, spaces and no-break spaces; what VALUE then reads the same way everywhere is a plain number.
_TEXT_NOISE = ("£", ",", " ", "\u00a0")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(%?)")


def read_levy_plan(path: str | Path, *, display: str | None = None) -> LevyPlan:
    """Read, recompute and validate a levy plan workbook of any template version.

    Problems inside the file are returned in ``result.issues``; a file that
    cannot be read as a levy plan at all raises
    :class:`~lga_xl.issues.WorkbookError` whose ``issue`` says why.
    """
    from . import read_package

    with open_package(path, display) as pkg:
        return read_package(pkg, "levy-plan")


def read_levy_plan_package(pkg: Package, contract: Contract) -> LevyPlan:
    """:func:`read_levy_plan` on an opened package, by the contract of its template version."""
    if contract.version == levy_plan_v1.TEMPLATE_VERSION:
        return read_v1_package(pkg, contract)
    reading = Reading(pkg, contract)
    inputs = _read_inputs(reading)
    standards = _read_standards(reading)
    schools = _read_schools(reading)
    school_keys = {school.key for school in schools if school.key is not None}
    starts = _read_costed(reading, inputs, standards, school_keys, "PlannedStarts")
    transfers = _read_costed(reading, inputs, standards, None, "Transfers")
    expiring = _read_expiring_funds(reading, inputs)
    plan = _compute(reading, inputs, schools, starts, transfers, expiring)
    _check_plan(reading, inputs, plan, transfers, expiring)
    _compare_cached(reading, plan)
    return plan.result(reading, inputs)


# Private API: values as the workbook's formulas read them.


def _excel_text(value: Any) -> str:
    """What ``value&""`` gives in a formula: text as it is, numbers in their shortest form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime | dt.date):
        return str(cells.serial(value if not isinstance(value, dt.datetime) else value.date()))
    return str(value)


def _first_word(value: Any) -> str | None:
    """``LEFT(TRIM(x),FIND(" ",TRIM(x)&" ")-1)``: what a dropdown's text starts with; None when blank."""
    word = _excel_text(value).strip(" ").split(" ")[0]
    return word or None


def _number_key(word: str | None) -> Decimal | str | None:
    """``IFERROR(VALUE(word),word)`` for a URN: a plain number becomes one, other text stays text."""
    if word is None:
        return None
    return Decimal(word) if re.fullmatch(r"\d+(\.\d+)?", word) else word.casefold()


def _cell_key(value: Any) -> Decimal | str | None:
    """A URN cell as COUNTIF and SUMIF compare it: numbers as numbers, text case-folded."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(repr(value)).normalize() if isinstance(value, float) else Decimal(value)
    return _excel_text(value).casefold()


def _key_text(key: Decimal | str | None) -> str | None:
    if key is None:
        return None
    return format(key.normalize(), "f") if isinstance(key, Decimal) else key


def _same_text(a: str, b: str) -> bool:
    """Excel's ``=`` and MATCH on text: case does not matter."""
    return a.casefold() == b.casefold()


@dataclass(frozen=True)
class _Figure:
    """A figure of the Plan sheet: as typed (None when blank or unusable) and as the formulas use it."""

    typed: Decimal | None
    used: Decimal


def _read_figure(found: Collector, named: Named, kind: str, what: str, *, default: Decimal = _ZERO,
                 maximum: Decimal | None = None, required: bool = False) -> _Figure:
    """A Plan figure read exactly as its "Used in the figures" formula reads it.

    Blank (or only a pound sign, commas and spaces): the default.  A number
    cell as it is; text as VALUE reads it once the pound sign, commas and
    spaces are taken out, when that leaves a plain number (a warning), else an
    error.  Then ``kind``'s range: money from 0 (to ``maximum``), whole
    numbers whole, percentages from 0 to 1, or above 1 and up to 100 as that
    percentage (95 is 95%, a warning) unless typed with a % sign.  Anything
    unusable is an error and counts as the default, as in the workbook.
    """
    value, place = named.value, named.place
    if value is None or isinstance(value, str) and _cleaned(value) == "":
        if required:
            _require(found, Named(None, place), what)
        return _Figure(None, default)
    if isinstance(value, bool):
        found.add("not-a-number", f"{what} {cells.shown(value)} is not a number", place)
        return _Figure(None, default)
    if isinstance(value, dt.date):
        # A date is a number (its serial) to a formula; the figures use it as the workbook does.
        found.add("not-a-number", f"{what} {cells.shown(value)} is a date, not a number; retype it", place)
        serial = Decimal(cells.serial(value.date() if isinstance(value, dt.datetime) else value))
        used = _in_range(Collector(found.file), serial, kind, False, what, place, default, maximum)
        return _Figure(None, default if used is None else used)
    as_text = isinstance(value, str)
    with_sign = False
    if as_text:
        cleaned = _cleaned(value)
        match = _PLAIN_NUMBER.fullmatch(cleaned)
        with_sign = bool(match and match.group(1))
        if match is None or with_sign and kind != "percent":
            found.add("not-a-number", f"{what} {cells.shown(value)} is not a number; the figures use "
                      f"{_shown(default, kind)}", place)
            return _Figure(None, default)
        number = Decimal(cleaned.rstrip("%"))
        if with_sign:
            number /= _HUNDRED
    else:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    used = _in_range(found, number, kind, with_sign, what, place, default, maximum)
    if used is None:
        return _Figure(None, default)
    if as_text:
        found.add("number-as-text", f"{what} {cells.shown(value)} was typed as text; read as {_shown(used, kind)}, "
                  "as the workbook reads it", place)
    return _Figure(used, used)


def _cleaned(text: str) -> str:
    for noise in _TEXT_NOISE:
        text = text.replace(noise, "")
    return text


def _in_range(found: Collector, number: Decimal, kind: str, with_sign: bool, what: str, place: Place,
              default: Decimal, maximum: Decimal | None) -> Decimal | None:
    """The number the formulas use, or None (an error added) when it is out of range."""
    if kind == "percent":
        fraction = number if with_sign or number <= 1 else number / _HUNDRED
        if not 0 <= fraction <= 1:
            code = "english-percent-out-of-range" if "English" in what else "percent-out-of-range"
            typed = f"{_plain(number * _HUNDRED)}%" if with_sign else _plain(number)
            found.add(code, f"{what} is {typed}; it must be from 0% to 100% (the figures use "
                      f"{_shown(default, kind)})", place)
            return None
        if fraction != number and not with_sign:
            found.add("percent-typed-without-sign", f"{what} {_plain(number)} was read as {_shown(fraction, kind)}",
                      place)
        return fraction
    if number < 0:
        found.add("negative-amount", f"{what} is {_plain(number)}; it cannot be below 0 (the figures use "
                  f"{_shown(default, kind)})", place)
        return None
    if kind == "whole" and number != number.to_integral_value():
        found.add("not-a-number", f"{what} {_plain(number)} is not a whole number (the figures use 0)", place)
        return None
    if maximum is not None and number > maximum:
        found.add("levy-allowance-out-of-range", f"{what} is {_plain(number)}, more than the whole allowance of "
                  f"{maximum:,}; the figures use {_shown(default, kind)}", place)
        return None
    return number


def _plain(number: Decimal) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _shown(number: Decimal, kind: str) -> str:
    if kind == "percent":
        return f"{_plain(number * 100)}%"
    if kind == "money":
        return f"£{number:,.2f}"
    return _plain(number)


def _table_number(found: Collector, row: Row, key: str, what: str, *, whole: bool = False) -> Decimal | None:
    """A number in a table cell, as ISNUMBER sees it: text is an error the formulas cannot use."""
    value = row.get(key)
    if isinstance(value, str) and not cells.is_blank(value):
        try:
            cells.number(value)
        except cells.CellValueError:
            found.add("not-a-number", f"{what} {cells.shown(value)} is not a number", row.place(key))
        else:
            found.add("typed-as-text", f"{what} {cells.shown(value)} was typed as text, which the workbook's "
                      "formulas cannot use; type it again as a number", row.place(key))
        return None
    if isinstance(value, dt.date):
        found.add("not-a-number", f"{what} {cells.shown(value)} is a date, not a number", row.place(key))
        return None
    place = functools.partial(row.place, key)  # built only for an issue: most cells have none
    if whole:
        number = found.whole(value, what=what, place=place)
        return None if number is None else Decimal(number)
    return found.number(value, what=what, place=place)


def _table_date(found: Collector, row: Row, key: str, what: str) -> dt.date | None:
    """A date in a table cell: a date or a serial number; text the formulas cannot use is an error."""
    value = row.get(key)
    if isinstance(value, str) and not cells.is_blank(value):
        try:
            read = cells.date(value)
        except cells.CellValueError:
            found.add("bad-date", f"{what} {cells.shown(value)} is not a date; type it like 01/09/2026",
                      row.place(key))
        else:
            found.add("typed-as-text", f"{what} {cells.shown(value)} was typed as text, which the workbook's "
                      f"formulas cannot use; type it again as a date ({read.value:%d/%m/%Y})", row.place(key))
        return None
    return found.date(value, what=what, place=functools.partial(row.place, key))


def _blank(row: Row, key: str) -> bool:
    """``cell=""`` in a formula: empty (a space is not blank to Excel)."""
    return row.get(key) is None


def _entered(row: Row, keys: Iterable[str]) -> bool:
    """``COUNTA(inputs)>0``."""
    # Every row of a table is asked, and most are empty: those are answered without a look at each column.
    return not row.empty and any(not _blank(row, key) for key in keys)


# Private API: the Plan sheet's inputs.


@dataclass
class _Inputs:
    organisation: str | None
    region: str | None
    tax_year: str
    plan_start: dt.date
    figures: dict[str, _Figure]
    places: dict[str, Named]

    @property
    def plan_end(self) -> dt.date:
        return levy._add_months(self.plan_start, 12) - dt.timedelta(days=1)

    def used(self, name: str) -> Decimal:
        return self.figures[name].used

    def typed(self, name: str) -> Any:
        return self.figures[name].typed


_FIGURE_WHAT = {
    "TotalPayBill": "The whole council's pay bill", "EnglishPercent": "The English percentage",
    "LevyAllowance": "The levy allowance", "PayBillGrowth": "The pay bill growth", "Headcount": "The headcount",
    "PreviousYearFunds": "Funds that entered last tax year", "OpeningBalance": "The opening balance",
    "TransfersCommitted": "Transfers already committed",
}


def _read_inputs(reading: Reading) -> _Inputs:
    found = reading.found
    places = {name.name: reading.named(name.name) for name in reading.contract.names() if name.role != "formula"}
    org = places["OrgName"]
    organisation = cells.text(org.value)
    if organisation is None and org.found:
        found.add("missing-org-name", "the council's name is blank", org.place)
    region = places["Region"]
    region_value = found.choice(region.value, REGIONS, what="Region", code="unknown-region", place=region.place,
                                required=False, match=match_region)
    tax_year, plan_start = _plan_year(reading, places["TaxYear"], places["PlanStart"])
    figures = {
        name.name: _read_figure(found, places[name.name], name.kind, _FIGURE_WHAT[name.name],
                                default=spec.figure_default(name.name), maximum=spec.figure_maximum(name.name),
                                required=name.name in ("TotalPayBill", "EnglishPercent"))
        for name in spec.FIGURES.names
    }
    return _Inputs(organisation, region_value, tax_year, plan_start, figures, places)


# Private API: the Standards sheet.


@dataclass(frozen=True)
class _StandardInfo:
    """What the lookups of a costed row return for a standard (INDEX of its first row)."""

    position: int  # MATCH's answer: the row within the table, from 1
    title: str
    level: int | str
    status: str
    band: Decimal | None
    first_start: dt.date | None
    last_start: dt.date | None


@dataclass(frozen=True)
class _Band:
    reference: str
    effective_from: Decimal | None  # as serial numbers: COUNTIFS compares numbers
    until: Decimal | None
    amount: Decimal | None


@dataclass
class _Standards:
    by_reference: dict[str, _StandardInfo]
    bands: list[_Band]

    def band_on(self, reference: str, info: _StandardInfo, start: dt.date | None) -> Decimal | None:
        """The band formula: the standard's own band without dated bands (or a start date), else the
        dated bands in force on the start date added up (SUMIFS), None (blank) when none is."""
        dated = [band for band in self.bands if _same_text(band.reference, reference)]
        if not dated or start is None:
            return info.band
        day = Decimal(cells.serial(start))
        covering = [band for band in dated if band.effective_from is not None and band.until is not None
                    and band.effective_from <= day <= band.until]
        if not covering:
            return None
        return sum((band.amount for band in covering if band.amount is not None), Decimal(0))


# The Standards and FundingBands tables are the template's reference data, the same in nearly every plan of a
# bulk import, and reading them was a fifth of a plan's own reading: what they give is kept per process, keyed
# by their headers and values as repr writes them (exact, and 1, 1.0 and TRUE differ), when they gave no issue
# (an issue names its file and cell, which differ from plan to plan).
_STANDARDS_READ: dict[tuple[str, str], _Standards] = {}
_STANDARDS_READ_MOST = 8


def _read_standards(reading: Reading) -> _Standards:
    """Reference (case-folded) -> what the lookups in the workbook return; the dated bands."""
    table = reading.table("Standards", required=("reference", "title", "level", "status", "max_funding",
                                                 "earliest_start", "latest_start"))
    band_table = reading.table("FundingBands", required=("reference", "effective_from", "effective_to",
                                                         "max_funding"))
    key = (reading.contract.version,
           repr((table.data.columns, table.data.rows, band_table.data.columns, band_table.data.rows)))
    known = _STANDARDS_READ.get(key)
    if known is None:
        issues_before = len(reading.found.issues)
        known = _read_standards_rows(reading.found, table, band_table)
        if len(reading.found.issues) > issues_before:
            return known
        if len(_STANDARDS_READ) >= _STANDARDS_READ_MOST:
            _STANDARDS_READ.clear()
        _STANDARDS_READ[key] = known
    return _Standards(dict(known.by_reference), list(known.bands))  # a copy: the kept one stays as read


def _read_standards_rows(found: Collector, table: TableRows, band_table: TableRows) -> _Standards:
    standards: dict[str, _StandardInfo] = {}
    for position, row in enumerate(table, start=1):
        reference = _excel_text(row.get("reference"))
        if reference == "":
            if row.entered(("title", "level", "max_funding")):
                found.add("incomplete-row", "a standard with no reference", row.place("reference"))
            continue
        band = _table_number(found, row, "max_funding", f"{reference}: funding band maximum")
        if row.get("max_funding") is None:
            found.add("incomplete-row", f"{reference} has no funding band maximum", row.place("max_funding"))
        level = _table_number(found, row, "level", f"{reference}: level", whole=True)
        dates = [_table_date(found, row, key, f"{reference}: {table.spec.column(key).header.lower()}")
                 for key in ("earliest_start", "latest_start")]
        info = _StandardInfo(position, _excel_text(row.get("title")), 0 if level is None else int(level),
                             _excel_text(row.get("status")), band if band is not None else Decimal(0), *dates)
        standards.setdefault(reference.casefold(), info)
    bands = []
    for row in band_table:
        reference = _excel_text(row.get("reference"))
        if reference == "":
            continue
        start = _table_date(found, row, "effective_from", f"{reference}: band from")
        end = _table_date(found, row, "effective_to", f"{reference}: band to")
        amount = _table_number(found, row, "max_funding", f"{reference}: funding band maximum")
        if start is None:
            found.add("incomplete-row", f"{reference}: a funding band with no From date",
                      row.place("effective_from"))
        until = _LAST_SERIAL if row.get("effective_to") is None else (
            Decimal(cells.serial(end)) if end is not None else None)
        bands.append(_Band(reference, None if start is None else Decimal(cells.serial(start)), until, amount))
    return _Standards(standards, bands)


# Private API: the Schools sheet.


@dataclass
class _School:
    """A school row as read; the properties are the Schools table's checks."""

    row: Row
    key: Decimal | str | None  # the URN as COUNTIF compares it
    urn: str | None
    name: str | None
    type: str | None
    employer: str
    pay_bill: Decimal | None
    headcount: int | None
    complete: bool
    urn_twice: bool = False

    @property
    def unknown_type(self) -> bool:
        return self.type is not None and self.employer == ""

    @property
    def in_council_levy(self) -> bool:
        return self.employer == EMPLOYER_COUNCIL


def _read_schools(reading: Reading) -> list[_School]:
    found = reading.found
    table = reading.table("Schools", required=("urn", "name", "type", "pay_bill", "headcount"))
    inputs = table.spec.keys("input")
    required = [c.key for c in table.spec.columns if c.required]
    types = {name.casefold(): name for name in ESTABLISHMENT_TYPES}
    schools = []
    first_row_of: dict[Decimal | str, str] = {}
    for row in table:
        if not _entered(row, inputs):
            continue
        urn = row.text("urn")
        subject = row.text("name") or (f"URN {urn}" if urn else f"row {row.index + 1}")
        blank = [key for key in required if _blank(row, key)]
        if blank:
            found.add("incomplete-row", f"{subject}: no {', '.join(table.spec.column(k).header for k in blank)}",
                      row.place(blank[0]))
        typed_type = None if _blank(row, "type") else _excel_text(row.get("type"))
        school_type = types.get(typed_type.casefold()) if typed_type is not None else None
        employer = ESTABLISHMENT_TYPES[school_type] if school_type else ""
        if typed_type is not None and school_type is None:
            meant = establishment_type(typed_type)
            hint = f" (did you mean {meant}?)" if meant else ""
            found.add("unknown-school-type", f"{subject}: {typed_type!r} is not an establishment type{hint}; pick "
                      "the type from the list", row.place("type"))
        elif school_type is not None and employer != EMPLOYER_COUNCIL:
            found.add("school-not-in-council-levy",
                      f"{subject} ({school_type}) employs its own staff ({employer.lower()}), so it is not in the "
                      "council's levy; remove it from the plan", row.place("type"))
        key = _cell_key(row.get("urn"))
        if key is not None:
            if key in first_row_of:
                found.add("duplicate-urn", f"URN {urn} is listed twice (first at {first_row_of[key]})",
                          row.place("urn"))
            first_row_of.setdefault(key, row.cell("urn"))
        headcount = _table_number(found, row, "headcount", f"{subject}: headcount", whole=True)
        schools.append(_School(
            row=row, key=key, urn=urn, name=row.text("name"), type=school_type or typed_type, employer=employer,
            pay_bill=_table_number(found, row, "pay_bill", f"{subject}: pay bill"),
            headcount=None if headcount is None else int(headcount), complete=not blank,
        ))
    counts = Counter(school.key for school in schools if school.key is not None)
    for school in schools:
        school.urn_twice = school.key is not None and counts[school.key] > 1
    return schools


# Private API: planned starts and transfers.


@dataclass
class _Costed:
    """A planned start or transfer, read and costed; the flags are its Check column's tests."""

    row: Row
    party: str | None  # URN or recipient
    kind: str  # forecast.START, TRANSFER or PLEDGE
    standard: str | None  # the reference the picked text starts with
    standard_row: int
    title: str
    level: int | str | None
    status: str
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
    outside_standard_dates: bool
    too_short: bool
    before_plan: bool
    first_start: dt.date | None = None
    last_start: dt.date | None = None
    check: str = ""
    minimum: int | None = None
    blank: list[str] = field(default_factory=list)

    @property
    def not_approved(self) -> bool:
        return self.status != "" and not _same_text(self.status, APPROVED_FOR_DELIVERY)

    @property
    def no_band(self) -> bool:
        return self.standard_row > 0 and self.band_max is None

    def commitment(self) -> forecast.Commitment:
        *instalments, completion = self.schedule.values()
        return forecast.Commitment(self.kind, self.start_date, self.duration_months, instalments[0], completion)


def _read_costed(reading: Reading, inputs: _Inputs, standards: _Standards, school_keys: set | None,
                 table_name: str) -> list[_Costed]:
    """Rows of PlannedStarts (with ``school_keys``) or Transfers, costed as the workbook does."""
    found = reading.found
    spec_table = reading.contract.table(table_name)
    table = reading.table(table_name, required=spec_table.keys("input"))
    required = [c.key for c in spec_table.columns if c.required]
    inputs_keys = spec_table.keys("input")
    rows = []
    for row in table:
        if not _entered(row, inputs_keys):
            continue
        start = _table_date(found, row, "start_date", "Start date")
        if start is not None:  # the places below are made only for an issue
            start = _plausible_start(found, start, functools.partial(row.place, "start_date"))
        duration_number = _table_number(found, row, "duration_months", "Duration (months)")
        duration = None
        if duration_number is not None:
            duration = _plausible_duration(found, duration_number, functools.partial(row.place, "duration_months"))
        price = _table_number(found, row, "price", "Price")
        if school_keys is not None:
            key = _number_key(_first_word(row.get("school")))
            party, kind = _key_text(key), forecast.START
            unknown_school = key is not None and key not in school_keys
        else:
            party, kind, unknown_school = row.text("recipient"), _transfer_kind(found, row), False
        costed = _cost_row(row, inputs, standards, party, kind, start, duration, price,
                           [k for k in required if _blank(row, k)], unknown_school)
        costed.check = spec_table.first_failing(costed)
        _report_checks(found, spec_table, costed, inputs)
        rows.append(costed)
    return rows


def _transfer_kind(found: Collector, row: Row) -> str:
    """Transfer or pledge: both are paid and counted against the allowance alike; blank is a transfer."""
    typed = None if _blank(row, "type") else _excel_text(row.get("type"))
    if typed is None:
        return forecast.TRANSFER
    for kind in spec.TRANSFER_TYPES:
        if _same_text(typed, kind):
            return kind
    found.add("unknown-transfer-type", f"{typed!r} is neither {spec.TRANSFER} nor {spec.PLEDGE}; it was counted "
              "as a transfer", row.place("type"))
    return forecast.TRANSFER


def _cost_row(row: Row, inputs: _Inputs, standards: _Standards, party: str | None, kind: str,
              start: dt.date | None, duration: int | None, price: Decimal | None, blank: list[str],
              unknown_school: bool) -> _Costed:
    """Lookups, band, cap, payment schedule and in-year cost of one row (the workbook's formulas)."""
    reference = _first_word(row.get("standard"))
    info = standards.by_reference.get(reference.casefold()) if reference else None
    if reference is None:
        title, band = "", None
    elif info is None:
        title, band = spec.CHECK_UNKNOWN_STANDARD, None
    else:
        title, band = info.title, standards.band_on(reference, info, start)
    above = max(price - band, _ZERO) if price is not None and band is not None else _ZERO
    costable = start is not None and duration is not None and duration >= 1 and price is not None
    schedule: dict[dt.date, Decimal] = {}
    in_year = _ZERO
    if costable:
        schedule = levy.payment_schedule(price - above, start, duration)
        in_year = levy.payments_between(price - above, start, duration, inputs.plan_start,
                                        levy._add_months(inputs.plan_start, 11))
    minimum = levy.minimum_duration_months(start) if start is not None else None
    first, last = (info.first_start, info.last_start) if info else (None, None)
    return _Costed(
        row=row, party=party, kind=kind, standard=reference, standard_row=info.position if info else 0,
        title=title, level=None if info is None else info.level, status=info.status if info else "",
        start_date=start, duration_months=duration, price=price, band_max=band, above_cap=above,
        schedule=schedule, in_year_cost=in_year, incomplete=bool(blank),
        unknown_standard=reference is not None and info is None, unknown_school=unknown_school,
        costable=costable,
        outside_standard_dates=start is not None and (first is not None and start < first
                                                      or last is not None and start > last),
        too_short=minimum is not None and duration is not None and duration < minimum,
        before_plan=start is not None and start < inputs.plan_start,
        first_start=first, last_start=last, minimum=minimum, blank=blank,
    )


def _report_checks(found: Collector, table: Table, costed: _Costed, inputs: _Inputs) -> None:
    """An issue for each failing check of a costed row that has an issue code."""
    messages: dict[str, Callable[[_Costed], str]] = {
        "incomplete-row": lambda r: f"{_subject(table, r)}: no " + ", ".join(table.column(k).header for k in r.blank),
        "unknown-standard": lambda r: f"{r.standard} is not on the Standards sheet; pick it from the list or add "
                                      "it there",
        "standard-not-approved": lambda r: f"{r.standard} ({r.title}) is {r.status.lower()}: no new start can be "
                                           "made on it; pick a standard approved for delivery",
        "unknown-school": lambda r: f"URN {r.party} is not on the Schools sheet; pick the school from the list "
                                    "(leave it blank for the council's own staff)",
        "start-outside-standard-dates": lambda r: f"{r.standard} can be started " + " and ".join(
            part for part in (f"from {r.first_start:%d/%m/%Y}" if r.first_start else "",
                              f"until {r.last_start:%d/%m/%Y}" if r.last_start else "") if part)
            + f", not on {r.start_date:%d/%m/%Y}",
        "no-funding-band": lambda r: f"{r.standard} has no funding band in force on {r.start_date:%d/%m/%Y} on the "
                                     "Standards sheet; the price was not capped",
        "duration-too-short": lambda r: f"{r.duration_months} months is shorter than the minimum of {r.minimum} "
                                        f"months for a start on {r.start_date:%d/%m/%Y}",
        "start-outside-plan": lambda r: f"the start {r.start_date:%d/%m/%Y} is before the plan starts "
                                        f"({inputs.plan_start:%d/%m/%Y}); its payments from then are forecast",
        "price-above-cap": lambda r: f"the price {r.price:,.2f} is above the funding band maximum "
                                     f"{r.band_max:,.2f} for {r.standard}: levy funds pay "
                                     f"{r.price - r.above_cap:,.2f}, the employer the other {r.above_cap:,.2f}",
    }
    for check in table.checks:
        if check.code and check.test(costed):
            column = check.column or (costed.blank[0] if costed.blank else None)
            found.add(check.code, messages[check.code](costed), costed.row.place(column))


# Private API: the expiring funds the officer lists.


@dataclass
class _Expiring:
    """A row of the ExpiringFunds table; the properties are its checks."""

    row: Row
    month: dt.date | None  # the first of the month typed
    amount: Decimal | None
    entered: dt.date | None
    incomplete: bool
    readable: bool
    over_balance: bool = False
    check: str = ""

    @property
    def expires_before_plan(self) -> bool:
        return self.month is not None and self.month < self.plan_start

    @property
    def entered_after_plan(self) -> bool:
        return self.entered is not None and self.entered >= self.plan_start

    @property
    def usable(self) -> bool:
        return self.readable and not self.incomplete and not self.expires_before_plan and not self.entered_after_plan

    plan_start: dt.date = dt.date.min


def _read_expiring_funds(reading: Reading, inputs: _Inputs) -> list[_Expiring]:
    found = reading.found
    table = reading.table("ExpiringFunds", required=("month", "amount"))
    rows = []
    for row in table:
        if not _entered(row, ("month", "amount")):
            continue
        month = _table_date(found, row, "month", "Month")
        amount = _table_number(found, row, "amount", "Amount")
        first = None if month is None else month.replace(day=1)
        entered = None if first is None else levy.entered_for_expiry(first)
        blank = [key for key in ("month", "amount") if _blank(row, key)]
        if blank:
            found.add("incomplete-row", f"expiring funds with no {table.spec.column(blank[0]).header.lower()}",
                      row.place(blank[0]))
        readable = month is not None and amount is not None
        rows.append(_Expiring(row, first, amount, entered, bool(blank), readable, plan_start=inputs.plan_start))
    total = sum((r.amount for r in rows if r.usable), _ZERO)
    over = total > inputs.used("OpeningBalance")
    for r in rows:
        r.over_balance = over
        r.check = table.spec.first_failing(r)
        if r.readable and not r.incomplete and (r.expires_before_plan or r.entered_after_plan):
            why = ("it is before the plan starts" if r.expires_before_plan else
                   f"those funds entered in {r.entered:%B %Y}, after the plan starts")
            found.add("bad-expiring-month", f"no part of the opening balance can expire in {r.month:%B %Y}: {why}; "
                      "the row is left out", r.row.place("month"))
    if over:
        first = next(r for r in rows if r.usable)
        found.add("expiring-funds-over-balance",
                  f"the expiring funds listed add up to {total:,.2f}, more than the opening balance of "
                  f"{inputs.used('OpeningBalance'):,.2f}; the workbook ignores them", first.row.place("amount"))
    return rows


def _subject(table: Table, row: _Costed) -> str:
    """What a start or transfer row is about, from what was typed: "ST0072 for URN 100001 from 01/09/2026"."""
    party = (f"URN {row.party}" if table.name == "PlannedStarts" else row.party) if row.party else None
    parts = [row.standard or ("a transfer" if table.name == "Transfers" else "a start"),
             f"for {party}" if party else "", f"from {row.start_date:%d/%m/%Y}" if row.start_date else ""]
    return " ".join(part for part in parts if part)


# Private API: the figures.


@dataclass
class _Plan:
    """Every recomputed figure, before it becomes a LevyPlan."""

    results: dict[str, Any]  # by workbook name
    used: dict[str, Any]  # the other named cells' values (Plan's "Used" column, the Expiry workings)
    schools: list[SchoolRow]
    starts: list[_Costed]
    transfers: list[_Costed]
    expiring: list[_Expiring]
    forecast: list[ForecastMonth]
    years: list[ForecastYear]
    opening: list[OpeningMonth]

    def result(self, reading: Reading, inputs: _Inputs) -> LevyPlan:
        fields = reading.contract.results()
        percent = {name: None if inputs.typed(name) is None else inputs.typed(name) * _HUNDRED
                   for name in ("EnglishPercent", "PayBillGrowth")}
        return LevyPlan(
            file=reading.pkg.display,
            template_version=reading.contract.version,
            organisation=inputs.organisation,
            region=inputs.region,
            tax_year=inputs.tax_year,
            plan_start=inputs.plan_start,
            plan_end=inputs.plan_end,
            total_pay_bill=inputs.typed("TotalPayBill"),
            english_percent=percent["EnglishPercent"],
            headcount=inputs.typed("Headcount"),
            previous_year_funds=inputs.typed("PreviousYearFunds"),
            opening_balance=inputs.typed("OpeningBalance"),
            transfers_committed=inputs.typed("TransfersCommitted"),
            levy_allowance=inputs.used("LevyAllowance"),
            pay_bill_growth=inputs.used("PayBillGrowth") * _HUNDRED,
            schools=self.schools,
            planned_starts=[PlannedStartRow(urn=s.party, **_costed_fields(s)) for s in self.starts],
            transfers=[TransferRow(recipient=t.party, type=t.kind, **_costed_fields(t)) for t in self.transfers],
            forecast=self.forecast,
            years=self.years,
            expiring_funds_known=[ExpiringFundsRow(row=r.row.number, month=r.month, amount=r.amount,
                                                   entered=r.entered, check=r.check)
                                  for r in self.expiring],
            opening=self.opening,
            issues=reading.found.issues,
            input_hash=reading.input_hash,
            **{fields[name]: value for name, value in self.results.items() if name in fields},
        )


def _costed_fields(row: _Costed) -> dict[str, Any]:
    return dict(row=row.row.number, standard=row.standard, title=row.title,
                level=row.level if isinstance(row.level, int) else None, start_date=row.start_date,
                duration_months=row.duration_months, price=row.price, band_max=row.band_max,
                above_cap=row.above_cap, in_year_cost=row.in_year_cost, check=row.check)


def _compute(reading: Reading, inputs: _Inputs, schools: list[_School], starts: list[_Costed],
             transfers: list[_Costed], expiring: list[_Expiring]) -> _Plan:
    contract = reading.contract
    fraction = inputs.used("EnglishPercent")
    known = _known_expiring(expiring)
    result = forecast.forecast(
        inputs.tax_year, pay_bill=inputs.used("TotalPayBill"), english_fraction=fraction,
        levy_allowance=inputs.used("LevyAllowance"), pay_bill_growth=inputs.used("PayBillGrowth"),
        previous_year_funds=inputs.used("PreviousYearFunds"), opening_balance=inputs.used("OpeningBalance"),
        known_expiring=known, commitments=[row.commitment() for row in (*starts, *transfers) if row.costable],
    )
    annual_levy = result.levies[0]
    monthly = levy.even_monthly_levy(annual_levy)
    english = levy.funds_entering(monthly, fraction, on=levy.TOP_UP_END)
    top_up = levy.funds_entering(monthly, fraction, on=levy.TOP_UP_END - dt.timedelta(days=1)) - english
    funds_in = sum((m.funds_in for m in result.plan_year), _ZERO)
    transfers_planned = sum((t.in_year_cost for t in transfers), _ZERO)
    positions = levy.headroom_table(inputs.used("PreviousYearFunds"),
                                    inputs.used("TransfersCommitted") + transfers_planned, inputs.tax_year)
    school_rows = _school_rows(contract.table("Schools"), inputs, annual_levy, funds_in, schools, starts)
    results = {
        "AnnualLevy": annual_levy,
        "MonthlyLevy": monthly,
        "MonthlyEnglishLevy": english,
        "MonthlyTopUp": top_up,
        "FundsIn": funds_in,
        "PlannedSpend": sum((s.in_year_cost for s in starts), _ZERO),
        "PlannedStartsInYear": sum(1 for s in starts
                                   if s.start_date and inputs.plan_start <= s.start_date <= inputs.plan_end),
        "PublicSectorTargetStarts": levy.public_sector_target(int(inputs.used("Headcount"))),
        "EmployerContribution": result.employer_contribution,
        "GovernmentContribution": result.government_contribution,
        "StatutoryTransferRate": levy.statutory_transfer_rate(inputs.tax_year),
        "TransferAllowance10": positions["10%"].allowance,
        "TransferAllowance25": positions["25%"].allowance,
        "TransferAllowanceStatutory": positions["statutory"].allowance,
        "TransfersPlanned": transfers_planned,
        "TransfersTotal": positions["statutory"].committed,
        "Headroom10": positions["10%"].headroom,
        "Headroom25": positions["25%"].headroom,
        "HeadroomStatutory": positions["statutory"].headroom,
        "OverCommitted": positions["statutory"].over_committed,
        "SchoolsPayBill": sum((s.pay_bill for s in schools
                               if s.in_council_levy and s.pay_bill is not None and s.pay_bill >= 0), _ZERO),
        "SchoolsLevyShare": sum((s.levy_share for s in school_rows), _ZERO),
        "SchoolsFundsShare": sum((s.funds_share or _ZERO for s in school_rows), _ZERO),
        "SchoolsPlannedSpend": sum((s.planned_spend for s in school_rows), _ZERO),
        "FundsExpiringPlanYear": result.funds_expiring_plan_year,
        "NextExpiryMonth": result.next_expiry_month,
        "NextExpiryAmount": result.next_expiry_amount,
        "FundsExpiring": result.funds_expiring,
        "ExpiryMonthCount": result.expiry_month_count,
        "FirstShortfallMonth": result.first_shortfall_month,
        "ShortfallMonths": result.shortfall_months,
        "LowestBalance": result.lowest_balance,
    }
    total_known = sum((r.amount for r in expiring if r.usable), _ZERO)
    rest = inputs.used("OpeningBalance") - (total_known if known is not None else _ZERO)
    previous = inputs.used("PreviousYearFunds")
    used = {
        "PlanEnd": inputs.plan_end,
        **{f"{name}Used": inputs.used(name) for name in inputs.figures},
        "ExpiringFundsTotal": total_known,
        "OpeningBalanceRest": rest,
        "OpeningMonthCap": levy._round_money(previous / 12) if previous > 0 else rest,
        "Funds24Months": sum((amount for month, amount in (*result.opening_cohorts.items(),
                                                           *((m.month, m.funds_in) for m in result.months))
                              if month < levy.SHORT_EXPIRY_FROM), _ZERO),
    }
    return _Plan(results, used, school_rows, starts, transfers, expiring,
                 _forecast_rows(contract.table("Forecast"), result),
                 _year_rows(contract.table("Years"), result),
                 _opening_rows(contract.table("Opening"), inputs, known, result))


def _known_expiring(expiring: list[_Expiring]) -> dict[dt.date, Decimal] | None:
    """{expiry month: amount} of the usable rows (a month listed twice added up); None when over the balance."""
    usable = [r for r in expiring if r.usable]
    if any(r.over_balance for r in usable):
        return None
    known: dict[dt.date, Decimal] = {}
    for r in usable:
        known[r.month] = known.get(r.month, _ZERO) + r.amount
    return known


def _school_rows(table: Table, inputs: _Inputs, annual_levy: Decimal, funds_in: Decimal, schools: list[_School],
                 starts: list[_Costed]) -> list[SchoolRow]:
    total_pay_bill = inputs.used("TotalPayBill")
    spend_by_urn: dict[str, Decimal] = {}
    for start in starts:
        if start.party is not None:
            spend_by_urn[start.party.casefold()] = spend_by_urn.get(start.party.casefold(), _ZERO) + start.in_year_cost
    rows = []
    for school in schools:
        levy_share = funds_share = _ZERO
        if school.in_council_levy and school.pay_bill is not None and school.pay_bill >= 0 and total_pay_bill > 0:
            levy_share = levy.pro_rata_share(annual_levy, school.pay_bill, total_pay_bill)
            funds_share = levy.pro_rata_share(funds_in, school.pay_bill, total_pay_bill)
        key = _key_text(school.key)
        spend = spend_by_urn.get(key.casefold(), _ZERO) if key is not None else _ZERO
        rows.append(SchoolRow(
            row=school.row.number, urn=school.urn, name=school.name, type=school.type, pay_bill=school.pay_bill,
            headcount=school.headcount, in_council_levy=school.in_council_levy, levy_share=levy_share,
            planned_spend=spend, balance=levy_share - spend, check=table.first_failing(school),
            employer=school.employer or None, funds_share=funds_share, funds_left=funds_share - spend,
        ))
    return rows


def _forecast_rows(table: Table, result: forecast.Forecast) -> list[ForecastMonth]:
    rows = []
    for index, m in enumerate(result.months):
        rows.append(ForecastMonth(
            row=table.first_row + index, month=m.month, funds_in=m.funds_in,
            spending=m.cost_of_training + m.completion_payments, transfers_out=m.transfers_out, expired=m.expired,
            balance=m.balance, shortfall=m.shortfall, expired_so_far=m.expired_so_far,
            cost_of_training=m.cost_of_training, completion_payments=m.completion_payments,
            transfers_due=m.transfers_due, training_from_levy=m.training_from_levy,
            employer_contribution=m.employer_contribution, government_contribution=m.government_contribution,
            short=m.short,
        ))
    return rows


def _year_rows(table: Table, result: forecast.Forecast) -> list[ForecastYear]:
    return [
        ForecastYear(row=table.first_row + k, tax_year=year.tax_year, pay_bill=result.pay_bills[k],
                     levy=result.levies[k], funds_in=year.funds_in, cost_of_training=year.cost_of_training,
                     completion_payments=year.completion_payments, transfers_out=year.transfers_out,
                     expired=year.expired, employer_contribution=year.employer_contribution,
                     government_contribution=year.government_contribution, closing_balance=year.closing_balance)
        for k, year in enumerate(result.years)
    ]


def _opening_rows(table: Table, inputs: _Inputs, known: Mapping[dt.date, Decimal] | None,
                  result: forecast.Forecast) -> list[OpeningMonth]:
    """The Opening table: the 24 months before the plan, newest first, and the balance each holds."""
    known_by_entered = {levy.entered_for_expiry(month): amount for month, amount in (known or {}).items()}
    months = [levy._add_months(inputs.plan_start, -j) for j in range(1, table.rows + 1)]
    can_take_rest = [m for m in months if levy.expiry_month(m) >= inputs.plan_start and m not in known_by_entered]
    rows = []
    for index, month in enumerate(months):
        amount = result.opening_cohorts.get(month, _ZERO)
        known_amount = known_by_entered.get(month, _ZERO)
        extra = amount - known_amount if index == 0 and not can_take_rest else _ZERO
        rows.append(OpeningMonth(row=table.first_row + index, entered=month, expires=levy.expiry_month(month),
                                 known=known_amount, estimate=amount - known_amount - extra, amount=amount))
    return rows


# Private API: checks across the plan, and the cached values.


def _check_plan(reading: Reading, inputs: _Inputs, plan: _Plan, transfers: list[_Costed],
                expiring: list[_Expiring]) -> None:
    found, results = reading.found, plan.results
    total = inputs.places["TotalPayBill"]
    if inputs.typed("TotalPayBill") is not None and results["SchoolsPayBill"] > inputs.used("TotalPayBill"):
        found.add("schools-pay-bill-over-total",
                  f"the schools' pay bills add up to {results['SchoolsPayBill']:,.2f}, more than the whole council's "
                  f"pay bill of {inputs.used('TotalPayBill'):,.2f}, which includes them", total.place)
    allowance = results["TransferAllowanceStatutory"]
    if results["OverCommitted"] > 0:
        committed = inputs.used("TransfersCommitted")
        place = inputs.places["TransfersCommitted"].place
        if committed <= allowance:
            for transfer in transfers:
                committed += transfer.in_year_cost
                if committed > allowance:
                    place = transfer.row.place("price")
                    break
        found.add("transfers-over-headroom",
                  f"transfers and pledges committed this year ({results['TransfersTotal']:,.2f}) exceed the transfer "
                  f"allowance at the statutory rate of {results['StatutoryTransferRate']:.0%} ({allowance:,.2f}) by "
                  f"{results['OverCommitted']:,.2f}", place)
    if (inputs.used("OpeningBalance") > 0 and inputs.used("PreviousYearFunds") == 0
            and plan.used["OpeningBalanceRest"] > 0):
        found.add("previous-year-funds-missing",
                  "with no funds for last tax year, the opening balance not listed on the Expiry sheet was taken to "
                  "have entered in March, the latest it can, so less of it may expire than will; fill in the funds "
                  "that entered last tax year", inputs.places["PreviousYearFunds"].place)
    forecast_rows = {m.month: m for m in plan.forecast}
    table = reading.table("Forecast")
    first_month = results["NextExpiryMonth"]
    if first_month is not None:
        plan_year = f"{results['FundsExpiringPlanYear']:,.2f} in {inputs.tax_year}, " if results[
            "FundsExpiringPlanYear"] else f"none in {inputs.tax_year}, "
        found.add("funds-expiring",
                  f"levy funds are forecast to expire: {plan_year}{results['FundsExpiring']:,.2f} in the "
                  f"{len(plan.forecast)} months; the first {results['NextExpiryAmount']:,.2f} in {first_month:%B %Y}. "
                  "Plan more starts or transfers before then", _row_place(table, forecast_rows[first_month].row,
                                                                          "expired"))
    short_month = results["FirstShortfallMonth"]
    if short_month is not None:
        found.add("funds-run-short",
                  f"funds run short in {results['ShortfallMonths']} month(s) of the forecast, the first "
                  f"{short_month:%B %Y}: training the account cannot pay is co-invested (in {inputs.tax_year} the "
                  f"employer {results['EmployerContribution']:,.2f}, the government "
                  f"{results['GovernmentContribution']:,.2f}), and a transfer it cannot pay is not made",
                  _row_place(table, forecast_rows[short_month].row, "short"))


def _row_place(table: TableRows, worksheet_row: int, key: str) -> Place:
    if key in table.positions and table.data.first_row <= worksheet_row < table.data.first_row + len(table.data.rows):
        return table.row_at(worksheet_row).place(key)
    return Place(table.sheet, table=table.spec.name)


def _compare_cached(reading: Reading, plan: _Plan) -> None:
    """Warn where a formula's cached value disagrees with the recomputed one.

    A workbook written by lga_xl and not yet opened in a spreadsheet has no
    cached values at all (PlanEnd, always a date, is blank): nothing to compare.
    """
    pkg, found = reading.pkg, reading.found
    plan_end = pkg.name_value("PlanEnd")
    if plan_end is None or plan_end.value in (None, ""):
        return
    for name, expected in {**plan.results, **plan.used}.items():
        target = pkg.name_value(name)
        if target is not None:
            if name in ("NextExpiryMonth", "FirstShortfallMonth") and expected is None:
                expected = spec.NO_MONTH
            compare_cached(found, name, target.value, expected, target.place)
    schools = {s.row: s for s in plan.schools}
    reading.compare_cached_rows("Schools", schools.get, (
        "employer", "levy_share", "funds_share", "planned_spend", "funds_left", "check"))
    costed = {key: key for key in ("title", "level", "band_max", "above_cap", "in_year_cost", "check")}
    for table_name, rows in (("PlannedStarts", plan.starts), ("Transfers", plan.transfers)):
        by_row = {r.row.number: r for r in rows}
        reading.compare_cached_rows(table_name, by_row.get, {**costed, "reference": "standard"})
    months = {m.row: m for m in plan.forecast}
    forecast_keys = {key: (_short_shown if key == "short" else key) for key in reading.contract.table("Forecast").keys()
                     if key in ForecastMonth.model_fields}
    reading.compare_cached_rows("Forecast", months.get, forecast_keys)
    years = {y.row: y for y in plan.years}
    reading.compare_cached_rows("Years", years.get, [key for key in reading.contract.table("Years").keys("formula")
                                                     if key in ForecastYear.model_fields])
    opening = {o.row: o for o in plan.opening}
    reading.compare_cached_rows("Opening", opening.get, ("entered", "expires", "known", "estimate", "amount"))
    expiring = {r.row.number: r for r in plan.expiring}
    reading.compare_cached_rows("ExpiringFunds", expiring.get, ("check",))


def _short_shown(month: ForecastMonth) -> str:
    """What the Forecast's Short column shows for a month: the word, or blank."""
    return spec.SHORT if month.short else ""
