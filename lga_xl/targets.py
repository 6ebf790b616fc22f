"""Growth-strategy targets, actions and public sector figures: the tracker's rules.

Pure logic: standard library only (it loads under xlwings Lite).  The tracker
workbook implements the same rules with the formulas that the ``*_formula``
functions below render, and ``docs/targets.md`` is the user's guide.

A target has a baseline (date, value) and a target (date, value).  *Expected
now* is the straight line between them at the date of the latest actual; the
RAG compares the latest actual with it (see :func:`target_rag`).

Exactness.  The workbook must give the same RAG as Python in every spreadsheet
engine, even when the latest actual lies exactly on a boundary.  So values are
used to :data:`DECIMALS` (4) decimal places and all the arithmetic is done on
whole numbers of 0.0001 ("units"): ``u(x) = ROUND(x*10000, 0)``.  Every product
and quotient a formula computes is then a whole number below 2**53, exact in
binary floating point, or the correctly rounded quotient of two such numbers,
which is exactly ``k + 0.5`` when it is a tie and far from one otherwise; ROUND
halves away from zero in Excel, LibreOffice and here.  That holds while values
stay within :data:`MAX_ABS_VALUE` and a target is at most :data:`MAX_SPAN_DAYS`
after its baseline, which is why both are checked.

Example:
    >>> expected_now(5435, date(2022, 7, 31), 7609, date(2025, 7, 31), date(2023, 7, 31))
    Decimal('6159.0055')
    >>> target_rag(6120, Decimal("6159.0055"), 5435, 7609)
    'Amber'
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from importlib import resources
from pathlib import Path

from .levy import _as_date, _money, _whole_number, public_sector_target
from .text import loose_choice

__all__ = [
    "ACADEMIC",
    "ACTION_STATUSES",
    "AMBER",
    "AT_RISK",
    "CALENDAR",
    "COMPLETE",
    "DECIMALS",
    "DECREASE",
    "DEFAULT_AMBER_WITHIN",
    "DIRECTIONS",
    "DOWN",
    "FINANCIAL",
    "FLAT",
    "GREEN",
    "INCREASE",
    "MAX_ABS_VALUE",
    "MAX_SPAN_DAYS",
    "MONEY",
    "NOT_SET",
    "NOT_STARTED",
    "NOT_STARTED_RED_MONTHS",
    "NO_DATA",
    "NUMBER",
    "OFF_TRACK",
    "ON_TRACK",
    "PERCENT",
    "RAGS",
    "RATIO",
    "RED",
    "TRENDS",
    "UNITS",
    "UP",
    "YEAR_TYPES",
    "Action",
    "Actual",
    "Objective",
    "PublicSectorFigures",
    "PublicSectorShares",
    "Strategy",
    "Target",
    "TargetStatus",
    "action_rag",
    "action_rag_formula",
    "assess",
    "check_value",
    "combine_figures",
    "due_soon",
    "expected_formula",
    "example_names",
    "expected_now",
    "latest_date_formula",
    "load_example",
    "load_strategy",
    "parse_value",
    "previous_date_formula",
    "progress",
    "progress_formula",
    "public_sector_share",
    "public_sector_share_formula",
    "public_sector_shares",
    "rag_formula",
    "reporting_period",
    "target_rag",
    "trend",
    "trend_formula",
    "value_on_formula",
    "year_end",
]

Number = int | float | Decimal | str
DateLike = date | str

# Public API: the policy, defined once.  Formulas are rendered from these.

INCREASE, DECREASE = "Increase", "Decrease"
DIRECTIONS = (INCREASE, DECREASE)

NUMBER, PERCENT, MONEY, RATIO = "Number", "%", "£", "Ratio"
UNITS = (NUMBER, PERCENT, MONEY, RATIO)

GREEN, AMBER, RED, NOT_SET, NO_DATA = "Green", "Amber", "Red", "Not set", "No data"
RAGS = (GREEN, AMBER, RED, NOT_SET, NO_DATA)

UP, DOWN, FLAT = "Up", "Down", "Flat"
TRENDS = (UP, DOWN, FLAT)

NOT_STARTED, ON_TRACK, AT_RISK, OFF_TRACK, COMPLETE = "Not started", "On track", "At risk", "Off track", "Complete"
ACTION_STATUSES = (NOT_STARTED, ON_TRACK, AT_RISK, OFF_TRACK, COMPLETE)

# An action not started and due before the next quarterly review is Red.
NOT_STARTED_RED_MONTHS = 3

# Amber: within 10% of the baseline-to-target distance below the trajectory.
# Given in steps of 0.1% (whole per mille), so the band's arithmetic stays exact.
DEFAULT_AMBER_WITHIN = Decimal("0.1")

# Values are compared to 4 decimal places: 0.01 percentage points for a %, a
# hundredth of a penny for money.  The bounds keep every intermediate whole
# number below 2**53 (2 x 10**12 units x 3,653 days < 9.007 x 10**15).
DECIMALS = 4
MAX_ABS_VALUE = Decimal(100_000_000)
MAX_SPAN_DAYS = 3653  # ten years

# Year labels such as "2021/22" are stored as the date the year ends.
ACADEMIC, FINANCIAL, CALENDAR = "academic", "financial", "calendar"
YEAR_TYPES = (ACADEMIC, FINANCIAL, CALENDAR)
_YEAR_END = {ACADEMIC: (7, 31), FINANCIAL: (3, 31), CALENDAR: (12, 31)}

_SCALE = 10**DECIMALS
_PER_MILLE = 1000
_ONE = Decimal(1)
_YEAR_LABEL = re.compile(r"^\s*(\d{4})\s*(?:[/-]\s*(\d{2}|\d{4}))?\s*$")
_RATIO_TEXT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*-?\s*in\s*-?\s*(\d+(?:\.\d+)?)\s*$", re.IGNORECASE)
_EXAMPLES = "data/examples"


# Public API: plain data.


@dataclass(frozen=True)
class Target:
    """One target of a strategy.

    ``baseline``/``target`` and their dates are None while the measure is to be
    agreed.  Values are in the unit's terms: a % as a fraction (0.74 for 74%),
    a ratio as a share (0.1 for "1 in 10"), money in pounds.  The ``*_stated``
    and ``*_year`` fields keep the source's own wording (``"5,435"``,
    ``"2021/22"``); ``note`` says where a figure or date was inferred.
    """

    id: str
    measure: str
    unit: str = NUMBER
    direction: str = INCREASE
    baseline: Decimal | None = None
    baseline_date: date | None = None
    target: Decimal | None = None
    target_date: date | None = None
    amber_within: Decimal = DEFAULT_AMBER_WITHIN
    baseline_stated: str | None = None
    baseline_year: str | None = None
    target_stated: str | None = None
    target_year: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Actual:
    """A figure reported for a target on a date."""

    target_id: str
    on: date
    value: Decimal
    note: str = ""


@dataclass(frozen=True)
class Objective:
    """A numbered objective: its theme, its text, and its heading in the action plan."""

    number: str
    theme: str
    text: str
    action_plan_heading: str


@dataclass(frozen=True)
class Action:
    """A row of the action plan: No., Objective, Measure, Action, Accountability, Timescale.

    ``due`` is the date the timescale ends; ``status`` one of
    :data:`ACTION_STATUSES`, or None until reported; ``update`` the latest
    progress note; ``strand`` the Maturity Model strand it serves, if any.
    """

    number: str
    objective: str
    measure: str | None = None
    action: str | None = None
    accountability: str | None = None
    timescale: str | None = None
    due: date | None = None
    status: str | None = None
    update: str | None = None
    strand: str | None = None


@dataclass(frozen=True)
class Strategy:
    """A strategy as :func:`load_strategy` reads it."""

    name: str
    organisation: str
    source: str
    year_type: str
    targets: tuple[Target, ...]
    objectives: tuple[Objective, ...]
    actions: tuple[Action, ...]
    actuals: tuple[Actual, ...]
    actuals_note: str = ""


@dataclass(frozen=True)
class TargetStatus:
    """Where a target stands at its latest actual (see :func:`assess`)."""

    target_id: str
    latest_date: date | None
    latest: Decimal | None
    previous_date: date | None
    previous: Decimal | None
    expected: Decimal | None
    progress: Decimal | None
    rag: str
    trend: str | None


# Public API: the target rules.


def expected_now(
    baseline: Number, baseline_date: DateLike, target: Number, target_date: DateLike, on_date: DateLike
) -> Decimal:
    """The straight-line trajectory from baseline to target, on a date.

    Before the baseline date it is the baseline, after the target date the
    target.  With ``u(x) = ROUND(x*10000, 0)`` and ``d`` the days from the
    baseline date to ``on_date`` (0 to ``D``, the days to the target date):
    ``expected = (u(b) + ROUND((u(t) - u(b)) * d / D, 0)) / 10000``.

    Raises:
        ValueError: a value out of bounds, or a target date not after the
            baseline date or more than ten years after it.

    Example:
        >>> expected_now(0, "2022-07-31", 250_000, "2025-07-31", "2024-01-31")
        Decimal('125228.1022')
        >>> expected_now("0.74", "2022-07-31", "0.40", "2025-07-31", "2030-01-01")
        Decimal('0.4')
    """
    b, t = _units(baseline, "baseline"), _units(target, "target")
    start, end, on = (_as_date(baseline_date, "baseline_date"), _as_date(target_date, "target_date"),
                      _as_date(on_date, "on_date"))
    span = _span_days(start, end)
    elapsed = min(max((on - start).days, 0), span)
    return _from_units(b + _round_half_away((t - b) * elapsed, span))


def progress(latest: Number, baseline: Number, target: Number) -> Decimal | None:
    """Share of the baseline-to-target distance covered, to 0.1% (0.001).

    Below 0 when the latest has moved away from the target, above 1 beyond it;
    None when the target equals the baseline (no distance to cover).
    ``ROUND((u(l) - u(b)) * 1000 / (u(t) - u(b)), 0) / 1000``.

    Example:
        >>> progress(6120, 5435, 7609), progress("0.80", "0.74", "0.40"), progress(5, 5, 5)
        (Decimal('0.315'), Decimal('-0.176'), None)
    """
    b, t, latest_units = _units(baseline, "baseline"), _units(target, "target"), _units(latest, "latest")
    if t == b:
        return None
    return Decimal(_round_half_away((latest_units - b) * _PER_MILLE, t - b)) / _PER_MILLE


def target_rag(
    latest: Number | None,
    expected: Number | None,
    baseline: Number | None,
    target: Number | None,
    direction: str | None = None,
    amber_within: Number | None = DEFAULT_AMBER_WITHIN,
) -> str:
    """Green, Amber or Red against the trajectory; Not set or No data without figures.

    For an increase: Green when latest >= expected; Amber when latest >=
    expected - amber_within x (target - baseline); Red otherwise.  For a
    decrease the same mirrored.  Compared in units of 0.0001, the band rounded
    to a unit: ``ROUND(ROUND(amber_within*1000, 0) * |u(t) - u(b)| / 1000, 0)``.

    Not set when the baseline or target is missing, or ``expected`` is (no
    dates); No data when there is no latest actual.  ``direction`` is
    inferred from baseline and target (Decrease when the target is lower)
    and only decides when they are equal; given, it must agree with them.

    Example:
        >>> target_rag(0.55, 0.6267, 0.74, 0.40, "Decrease")
        'Green'
        >>> target_rag(0.66, 0.6267, 0.74, 0.40), target_rag(0.67, 0.6267, 0.74, 0.40)
        ('Amber', 'Red')
        >>> target_rag(None, None, 5435, 7609), target_rag(100, None, None, 7609)
        ('No data', 'Not set')
    """
    if baseline is None or target is None:
        return NOT_SET
    b, t = _units(baseline, "baseline"), _units(target, "target")
    sign = _sign(b, t, direction)
    band = _amber_band(b, t, amber_within)
    if latest is None:
        return NO_DATA
    if expected is None:
        return NOT_SET
    ahead = sign * (_units(latest, "latest") - _units(expected, "expected"))
    if ahead >= 0:
        return GREEN
    return AMBER if ahead >= -band else RED


def trend(previous: Number | None, latest: Number | None) -> str | None:
    """Up, Down or Flat from the previous actual to the latest (to 4 decimals); None without both.

    Example:
        >>> trend(5610, 5790), trend("0.70", "0.70004"), trend(None, 5)
        ('Up', 'Flat', None)
    """
    if previous is None or latest is None:
        return None
    change = _units(latest, "latest") - _units(previous, "previous")
    return UP if change > 0 else DOWN if change < 0 else FLAT


def assess(target: Target, actuals: Iterable[Actual]) -> TargetStatus:
    """A target's status at its latest actual: expected now, progress, RAG and trend.

    Only ``actuals`` of this target (by id) count.  Expected now is taken at
    the latest actual's date; the trend compares the latest with the actual
    dated just before it.  The RAG is Not set while the baseline, the target
    or either date is missing, then No data without an actual.  Every value
    is checked against the target's unit (:func:`check_value`).

    Raises:
        ValueError: two actuals of the target on one date, or a bad value.
    """
    own = sorted((a for a in actuals if a.target_id == target.id), key=lambda a: a.on)
    for earlier, later in zip(own, own[1:]):
        if earlier.on == later.on:
            raise ValueError(f"target {target.id} has two actuals dated {later.on.isoformat()}")
    for actual in own:
        check_value(actual.value, target.unit, f"actual for {target.id} on {actual.on.isoformat()}")
    for name in ("baseline", "target"):
        if getattr(target, name) is not None:
            check_value(getattr(target, name), target.unit, f"{target.id} {name}")
    latest = own[-1] if own else None
    previous = own[-2] if len(own) > 1 else None
    values = None not in (target.baseline, target.target)
    figures = values and None not in (target.baseline_date, target.target_date)
    expected = change = None
    if values and latest is not None:
        change = progress(latest.value, target.baseline, target.target)
        if figures:
            expected = expected_now(target.baseline, target.baseline_date, target.target, target.target_date,
                                    latest.on)
    return TargetStatus(
        target_id=target.id,
        latest_date=latest.on if latest else None,
        latest=latest.value if latest else None,
        previous_date=previous.on if previous else None,
        previous=previous.value if previous else None,
        expected=expected,
        progress=change,
        rag=target_rag(latest.value if latest else None, expected, target.baseline if figures else None,
                       target.target if figures else None, target.direction, target.amber_within),
        trend=trend(previous.value if previous else None, latest.value if latest else None),
    )


# Public API: actions.


def action_rag(status: str | None, due: DateLike | None, on_date: DateLike) -> str:
    """RAG of an action on a reporting date.

    Complete is Green (late or not).  Any other action past its due date is
    Red.  Otherwise On track is Green, At risk Amber, Off track Red, and Not
    started Amber, or Red when due within :data:`NOT_STARTED_RED_MONTHS`
    months (``due <= EDATE(on_date, 3)``: it would be overdue by the next
    quarterly review).  No status is No data.  An action without a due date
    is never overdue.

    Example:
        >>> [action_rag(s, "2023-07-31", "2023-03-31") for s in ("On track", "Not started", "Complete")]
        ['Green', 'Amber', 'Green']
        >>> action_rag("Not started", "2023-07-31", "2023-05-01"), action_rag("On track", "2023-07-31", "2023-08-01")
        ('Red', 'Red')
    """
    on = _as_date(on_date, "on_date")
    if status is None or not str(status).strip():
        return NO_DATA
    chosen = loose_choice(status, ACTION_STATUSES)
    if chosen is None:
        raise ValueError(f"{status!r} is not an action status; use {', '.join(ACTION_STATUSES)}")
    due_date = None if due is None else _as_date(due, "due")
    if chosen == COMPLETE:
        return GREEN
    if due_date is not None and on > due_date:
        return RED
    if chosen == NOT_STARTED:
        soon = due_date is not None and due_date <= _add_months(on, NOT_STARTED_RED_MONTHS)
        return RED if soon else AMBER
    return {ON_TRACK: GREEN, AT_RISK: AMBER, OFF_TRACK: RED}[chosen]


def due_soon(due: DateLike, on_date: DateLike) -> bool:
    """Whether something due on ``due`` falls due by the next quarterly review after ``on_date``.

    On or after ``on_date`` and no later than :data:`NOT_STARTED_RED_MONTHS`
    months after it (``due <= EDATE(on_date, 3)``), as :func:`action_rag`
    counts a Not started action that is due soon.

    Example:
        >>> [due_soon(due, "2023-05-01") for due in ("2023-08-01", "2023-08-02", "2023-04-30")]
        [True, False, False]
    """
    on, day = _as_date(on_date, "on_date"), _as_date(due, "due")
    return on <= day <= _add_months(on, NOT_STARTED_RED_MONTHS)


# Public API: values, units and dates.


def check_value(value: Number, unit: str, name: str = "value") -> Decimal:
    """A value as Decimal, checked for its unit: a % or a ratio is 0 to 1, all within 100,000,000.

    Example:
        >>> check_value(0.74, "%")
        Decimal('0.74')
        >>> check_value(74, "%")
        Traceback (most recent call last):
        ...
        ValueError: value must be a % from 0% to 100% (0.74 or 74% for 74%), not 74
    """
    if unit not in UNITS:
        raise ValueError(f"{unit!r} is not a unit; use {', '.join(UNITS)}")
    number = _bounded(value, name)
    if unit == PERCENT and not 0 <= number <= 1:
        raise ValueError(f"{name} must be a % from 0% to 100% (0.74 or 74% for 74%), not {_shown(value)}")
    if unit == RATIO and not 0 <= number <= 1:
        raise ValueError(f"{name} must be a ratio from 0 to 1 (0.1 or 1 in 10), not {_shown(value)}")
    return number


def parse_value(value: Number, unit: str, name: str = "value") -> Decimal:
    """A value as typed: ``"74%"``, ``"1 in 10"``, ``"1-in-10"``, ``"£250,000"``, ``"5,435"`` or a number.

    Checked with :func:`check_value`.

    Example:
        >>> parse_value("1-in-10", "Ratio"), parse_value("74%", "%"), parse_value("£250,000", "£")
        (Decimal('0.1'), Decimal('0.74'), Decimal('250000'))
    """
    if isinstance(value, str):
        text = value.strip()
        ratio = _RATIO_TEXT.match(text)
        if ratio:
            whole = Decimal(ratio.group(2))
            if whole == 0:
                raise ValueError(f"{name} {value!r} is not a ratio: nothing is '1 in 0'")
            value = Decimal(ratio.group(1)) / whole
        else:
            try:
                number = _money(re.sub(r"[£,%\s]", "", text), name)
            except ValueError:
                raise ValueError(f"{name} must be a number, not {value!r}") from None
            value = number / 100 if text.endswith("%") else number
    return check_value(value, unit, name)


def year_end(label: str, year_type: str = ACADEMIC) -> date:
    """The date a year label ends: how the tracker stores years such as ``2021/22``.

    An academic year (1 August to 31 July) ends on 31 July, a financial year
    (1 April to 31 March) on 31 March, a calendar year on 31 December.  A
    single year (``"2022"``) is the year of that type ending in it.

    Example:
        >>> year_end("2021/22"), year_end("2021-22", "financial"), year_end("2022")
        (datetime.date(2022, 7, 31), datetime.date(2022, 3, 31), datetime.date(2022, 7, 31))
    """
    if year_type not in YEAR_TYPES:
        raise ValueError(f"{year_type!r} is not a year type; use {', '.join(YEAR_TYPES)}")
    match = _YEAR_LABEL.match(label)
    if match is None:
        raise ValueError(f"{label!r} is not a year like 2021/22 or 2022")
    first, second = int(match.group(1)), match.group(2)
    if second is None:
        end_year = first
    else:
        end_year = first + 1
        if int(second) != (end_year if len(second) == 4 else end_year % 100):
            raise ValueError(f"{label!r} is not a year like 2021/22: the second year must follow the first")
        if year_type == CALENDAR:
            raise ValueError(f"{label!r} spans two years, so it is not a calendar year")
    month, day = _YEAR_END[year_type]
    return date(end_year, month, day)


# Public API: public sector figures.


@dataclass(frozen=True)
class PublicSectorFigures:
    """One part's figures for a reporting year (1 April to 31 March), as the annual
    public sector apprenticeship data collection asks them; report the council
    excluding maintained schools and the maintained schools separately.

    ``*_at_start`` are people working in England on 31 March before the year,
    ``*_at_end`` on 31 March at its end; ``new_employees`` started working for
    the employer in the year; ``apprenticeship_starts`` started an
    apprenticeship in it (new hires and existing staff).
    """

    employees_at_start: int
    employees_at_end: int
    new_employees: int
    apprentices_at_start: int
    apprentices_at_end: int
    apprenticeship_starts: int


@dataclass(frozen=True)
class PublicSectorShares:
    """The collection's three percentages as fractions to 0.01% (0.0720 is 7.20%), and the 2.3% benchmark.

    ``starts_of_headcount``: starts / employees at start (the headline figure);
    ``apprentices_of_headcount``: apprentices at end / employees at end;
    ``starts_of_new_employees``: starts / new employees.  ``benchmark_starts``
    is 2.3% of the headcount at start, rounded up (a voluntary benchmark since
    the statutory target ended on 31 March 2022).
    """

    starts_of_headcount: Decimal
    apprentices_of_headcount: Decimal
    starts_of_new_employees: Decimal
    benchmark_starts: int
    meets_benchmark: bool


def public_sector_share(part: int, whole: int) -> Decimal:
    """``part / whole`` as a fraction rounded half away from zero to 0.0001; 0 when either is 0.

    As das-public-sector-reporting's ``Report.GetPercentages``: ``part / whole
    * 100`` shown to 2 decimals, and "0.00" when either figure is 0.

    Example:
        >>> public_sector_share(18, 250), public_sector_share(35, 300), public_sector_share(5, 0)
        (Decimal('0.072'), Decimal('0.1167'), Decimal('0'))
    """
    part = _whole_number(part, "part", minimum=0)
    whole = _whole_number(whole, "whole", minimum=0)
    if part == 0 or whole == 0:
        return Decimal(0)
    return Decimal(_round_half_away(part * _SCALE, whole)) / _SCALE


def public_sector_shares(figures: PublicSectorFigures) -> PublicSectorShares:
    """The three percentages the collection computes from one part's figures.

    Example:
        >>> shares = public_sector_shares(PublicSectorFigures(250, 300, 50, 20, 35, 18))
        >>> shares.starts_of_headcount, shares.apprentices_of_headcount, shares.starts_of_new_employees
        (Decimal('0.072'), Decimal('0.1167'), Decimal('0.36'))
    """
    for name, value in vars(figures).items():
        _whole_number(value, name, minimum=0)
    return PublicSectorShares(
        starts_of_headcount=public_sector_share(figures.apprenticeship_starts, figures.employees_at_start),
        apprentices_of_headcount=public_sector_share(figures.apprentices_at_end, figures.employees_at_end),
        starts_of_new_employees=public_sector_share(figures.apprenticeship_starts, figures.new_employees),
        benchmark_starts=public_sector_target(figures.employees_at_start),
        meets_benchmark=figures.apprenticeship_starts >= public_sector_target(figures.employees_at_start),
    )


def combine_figures(*parts: PublicSectorFigures) -> PublicSectorFigures:
    """The whole authority: council staff and maintained schools added together.

    The collection reports the two parts separately; this total is lga_xl's.

    Example:
        >>> combine_figures(PublicSectorFigures(250, 300, 50, 20, 35, 18),
        ...                 PublicSectorFigures(100, 100, 10, 1, 2, 3)).apprenticeship_starts
        21
    """
    names = list(vars(parts[0])) if parts else list(PublicSectorFigures.__dataclass_fields__)
    return PublicSectorFigures(**{name: sum(getattr(part, name) for part in parts) for name in names})


def reporting_period(on: DateLike) -> tuple[date, date]:
    """The reporting year (1 April to 31 March) a return made on a date covers: the last one ended.

    As the collection's ``Period.FromInstantInPeriod``: from April 2024 to
    March 2025 returns cover 1 April 2023 to 31 March 2024.

    Example:
        >>> reporting_period("2024-09-30")
        (datetime.date(2023, 4, 1), datetime.date(2024, 3, 31))
    """
    day = _as_date(on, "on")
    end_year = day.year - 1 if day.month < 4 else day.year
    return date(end_year - 1, 4, 1), date(end_year, 3, 31)


# Public API: the rules as Excel formulas (Excel 2010 functions only, row by row).
#
# Each takes cell references (such as "D5" or "$C$2") and returns the formula
# for one cell, with its leading "=".  A blank input cell gives "" (or Not set
# / No data), as None does in Python.  Values go through u(x) = ROUND(x*10000,0)
# and dates through ROUNDDOWN(d,0) (a date with a time counts as its day).


def expected_formula(baseline: str, baseline_date: str, target: str, target_date: str, on_date: str) -> str:
    """:func:`expected_now` as a formula; "" when any input is blank.

    Example:
        >>> expected_formula("B2", "C2", "D2", "E2", "F2")[:50]
        '=IF(OR(B2="",D2="",C2="",E2="",F2=""),"",(ROUND(B2'
    """
    b, t = _u(baseline), _u(target)
    start, end, on = (f"ROUNDDOWN({ref},0)" for ref in (baseline_date, target_date, on_date))
    span = f"({end}-{start})"
    return (f'=IF(OR({baseline}="",{target}="",{baseline_date}="",{target_date}="",{on_date}=""),"",'
            f"({b}+ROUND(({t}-{b})*MIN(MAX({on}-{start},0),{span})/{span},0))/{_SCALE})")


def progress_formula(latest: str, baseline: str, target: str) -> str:
    """:func:`progress` as a formula; "" when an input is blank or the target equals the baseline."""
    b, t = _u(baseline), _u(target)
    return (f'=IF(OR({latest}="",{baseline}="",{target}=""),"",IF({t}={b},"",'
            f"ROUND(({_u(latest)}-{b})*{_PER_MILLE}/({t}-{b}),0)/{_PER_MILLE}))")


def rag_formula(
    latest: str, expected: str, baseline: str, target: str, direction: str | None = None,
    amber_within: str | None = None, *, baseline_date: str | None = None, target_date: str | None = None,
) -> str:
    """:func:`target_rag` as a formula; with the date cells too, the RAG of :func:`assess`.

    ``direction`` and ``amber_within`` are cells, or None for the inferred
    direction and :data:`DEFAULT_AMBER_WITHIN`; a blank amber_within cell also
    means the default.  Given ``baseline_date`` and ``target_date``, a blank
    date makes it Not set, as in :func:`assess`.  Inconsistent directions are
    not flagged here (Python raises): check them beside the table.
    """
    b, t = _u(baseline), _u(target)
    if direction is None:
        sign = f"IF({t}<{b},-1,1)"
    else:
        sign = f'IF({t}>{b},1,IF({t}<{b},-1,IF({direction}="{DECREASE}",-1,1)))'
    default_per_mille = int(DEFAULT_AMBER_WITHIN * _PER_MILLE)
    if amber_within is None:
        per_mille = str(default_per_mille)
    else:
        per_mille = f'ROUND(IF({amber_within}="",{DEFAULT_AMBER_WITHIN},{amber_within})*{_PER_MILLE},0)'
    band = f"ROUND({per_mille}*ABS({t}-{b})/{_PER_MILLE},0)"
    ahead = f"{sign}*({_u(latest)}-{_u(expected)})"
    required = ",".join(f'{ref}=""' for ref in (baseline, target, baseline_date, target_date) if ref is not None)
    return (f'=IF(OR({required}),"{NOT_SET}",IF({latest}="","{NO_DATA}",'
            f'IF({expected}="","{NOT_SET}",IF({ahead}>=0,"{GREEN}",IF({ahead}>=-{band},"{AMBER}","{RED}")))))')


def trend_formula(previous: str, latest: str) -> str:
    """:func:`trend` as a formula; "" without both actuals.

    Example:
        >>> trend_formula("G5", "H5")
        '=IF(OR(G5="",H5=""),"",IF(ROUND(H5*10000,0)>ROUND(G5*10000,0),"Up",IF(ROUND(H5*10000,0)<ROUND(G5*10000,0),"Down","Flat")))'
    """
    now, before = _u(latest), _u(previous)
    return (f'=IF(OR({previous}="",{latest}=""),"",IF({now}>{before},"{UP}",'
            f'IF({now}<{before},"{DOWN}","{FLAT}")))')


def action_rag_formula(status: str, due: str, on_date: str) -> str:
    """:func:`action_rag` as a formula; an unknown status gives "" (Python raises)."""
    on = f"ROUNDDOWN({on_date},0)"
    overdue = f"IF(ISNUMBER({due}),{on}>ROUNDDOWN({due},0),FALSE)"
    soon = f"IF(ISNUMBER({due}),ROUNDDOWN({due},0)<=EDATE({on},{NOT_STARTED_RED_MONTHS}),FALSE)"
    return (f'=IF({status}="","{NO_DATA}",IF({status}="{COMPLETE}","{GREEN}",IF({overdue},"{RED}",'
            f'IF({status}="{ON_TRACK}","{GREEN}",IF({status}="{AT_RISK}","{AMBER}",IF({status}="{OFF_TRACK}","{RED}",'
            f'IF({status}="{NOT_STARTED}",IF({soon},"{RED}","{AMBER}"),"")))))))')


def public_sector_share_formula(part: str, whole: str) -> str:
    """:func:`public_sector_share` as a formula (format the cell 0.00%); a blank counts as 0.

    Example:
        >>> public_sector_share_formula("C4", "C2")
        '=IF(OR(C4="",C2=""),0,IF(OR(C4=0,C2=0),0,ROUND(C4*10000/C2,0)/10000))'
    """
    return f'=IF(OR({part}="",{whole}=""),0,IF(OR({part}=0,{whole}=0),0,ROUND({part}*{_SCALE}/{whole},0)/{_SCALE}))'


def latest_date_formula(ids: str, dates: str, values: str, target_id: str) -> str:
    """Date of a target's latest actual in an actuals table (rows with a value); "" when none.

    ``ids``, ``dates`` and ``values`` are the table's columns, e.g. ``Actuals[Target]``.
    """
    rows = f'({ids}={target_id})*({values}<>"")'
    return f'=IF(SUMPRODUCT({rows})=0,"",SUMPRODUCT(MAX({rows}*{dates})))'


def previous_date_formula(ids: str, dates: str, values: str, target_id: str, latest_date: str) -> str:
    """Date of the actual before the latest (for the trend); "" when there is none."""
    rows = f'({ids}={target_id})*({values}<>"")*({dates}<{latest_date})'
    return f'=IF({latest_date}="","",IF(SUMPRODUCT({rows})=0,"",SUMPRODUCT(MAX({rows}*{dates}))))'


def value_on_formula(ids: str, dates: str, values: str, target_id: str, on_date: str) -> str:
    """A target's actual on a date (from :func:`latest_date_formula`); "" when the date is blank.

    Two actuals of one target on one date would be added together (Python
    raises): flag them with ``COUNTIFS(ids, id, dates, date) > 1`` in the table.
    """
    return f'=IF({on_date}="","",SUMIFS({values},{ids},{target_id},{dates},{on_date}))'


# Public API: strategies as data.


def load_strategy(path: str | Path) -> Strategy:
    """A strategy from a JSON file shaped like ``lga_xl/data/examples/hertfordshire.json``.

    Every value is checked against its target's unit; ids must be unique and
    every actual must name a target.
    """
    source = path if hasattr(path, "read_text") else Path(path)  # a Path, or a package resource
    data = json.loads(source.read_text("utf-8"), parse_float=Decimal)
    year_type = data["year_type"]
    if year_type not in YEAR_TYPES:
        raise ValueError(f"year_type {year_type!r} is not one of {', '.join(YEAR_TYPES)}")
    targets = tuple(_target(row) for row in data["targets"])
    ids = [target.id for target in targets]
    if len(set(ids)) != len(ids):
        raise ValueError(f"target ids must be unique: {ids}")
    actual_rows = data.get("actuals", {})
    actuals = tuple(
        Actual(row["target"], _as_date(row["date"], "actual date"), _money(row["value"], "actual value"),
               row.get("note", ""))
        for row in actual_rows.get("rows", [])
    )
    units = {target.id: target.unit for target in targets}
    for actual in actuals:
        if actual.target_id not in units:
            raise ValueError(f"an actual names target {actual.target_id!r}, which is not in the strategy")
        check_value(actual.value, units[actual.target_id], f"actual for {actual.target_id} on {actual.on}")
    return Strategy(
        name=data["name"],
        organisation=data["organisation"],
        source=data["source"],
        year_type=year_type,
        targets=targets,
        objectives=tuple(Objective(**row) for row in data["objectives"]),
        actions=tuple(_action(row) for row in data["actions"]),
        actuals=actuals,
        actuals_note=actual_rows.get("note", ""),
    )


def example_names() -> list[str]:
    """The strategies shipped with lga_xl, by name.

    Example:
        >>> example_names()
        ['hertfordshire']
    """
    folder = resources.files("lga_xl") / _EXAMPLES
    return sorted(entry.name.removesuffix(".json") for entry in folder.iterdir() if entry.name.endswith(".json"))


def load_example(name: str = "hertfordshire") -> Strategy:
    """A strategy shipped with lga_xl, by name.

    Raises:
        ValueError: no example of that name (the message lists those there are).

    Example:
        >>> strategy = load_example()
        >>> len(strategy.targets), len(strategy.objectives), strategy.targets[0].baseline
        (10, 6, Decimal('5435'))
    """
    if name not in example_names():
        raise ValueError(f"{name!r} is not an example lga_xl has ({', '.join(example_names())})")
    return load_strategy(resources.files("lga_xl") / _EXAMPLES / f"{name}.json")


# Private API.


def _target(row: dict) -> Target:
    unit = row.get("unit", NUMBER)
    if unit not in UNITS:
        raise ValueError(f"target {row['id']}: {unit!r} is not a unit; use {', '.join(UNITS)}")
    direction = row.get("direction", INCREASE)
    if direction not in DIRECTIONS:
        raise ValueError(f"target {row['id']}: {direction!r} is not a direction; use {', '.join(DIRECTIONS)}")
    ends = {}
    for end in ("baseline", "target"):
        given = row.get(end) or {}
        value = given.get("value")
        ends[end] = None if value is None else check_value(value, unit, f"target {row['id']} {end}")
        ends[f"{end}_date"] = None if given.get("date") is None else _as_date(given["date"], f"{end} date")
        ends[f"{end}_stated"] = given.get("stated")
        ends[f"{end}_year"] = given.get("year")
    target = Target(id=row["id"], measure=row["measure"], unit=unit, direction=direction,
                    amber_within=_money(row.get("amber_within", DEFAULT_AMBER_WITHIN), "amber_within"),
                    note=row.get("note", ""), **ends)
    if None not in (target.baseline, target.target):
        _sign(_units(target.baseline, "baseline"), _units(target.target, "target"), direction)
        _amber_band(0, 0, target.amber_within)
    if None not in (target.baseline_date, target.target_date):
        _span_days(target.baseline_date, target.target_date)
    return target


def _action(row: dict) -> Action:
    status = row.get("status")
    if status is not None and status not in ACTION_STATUSES:
        raise ValueError(f"action {row['number']}: {status!r} is not a status; use {', '.join(ACTION_STATUSES)}")
    due = row.get("due")
    return Action(number=row["number"], objective=row["objective"], measure=row.get("measure"),
                  action=row.get("action"), accountability=row.get("accountability"),
                  timescale=row.get("timescale"), due=None if due is None else _as_date(due, "due"), status=status,
                  update=row.get("update"), strand=row.get("strand"))


def _u(ref: str) -> str:
    """A cell's value in whole units of 0.0001, as the formulas use it."""
    return f"ROUND({ref}*{_SCALE},0)"


def _bounded(value: Number, name: str) -> Decimal:
    number = _money(value, name)
    if abs(number) > MAX_ABS_VALUE:
        raise ValueError(f"{name} must be between -{MAX_ABS_VALUE:,} and {MAX_ABS_VALUE:,}, not {_shown(value)}")
    return number


def _units(value: Number, name: str) -> int:
    """``ROUND(value*10000, 0)``: a value in whole units of 0.0001, halves away from zero."""
    return int((_bounded(value, name) * _SCALE).quantize(_ONE, rounding=ROUND_HALF_UP))


def _from_units(units: int) -> Decimal:
    return Decimal(units) / _SCALE


def _round_half_away(numerator: int, denominator: int) -> int:
    """``ROUND(numerator / denominator, 0)`` exactly, halves away from zero (denominator > 0)."""
    magnitude = (2 * abs(numerator) + denominator) // (2 * denominator)
    return magnitude if numerator >= 0 else -magnitude


def _span_days(start: date, end: date) -> int:
    span = (end - start).days
    if span <= 0:
        raise ValueError(f"target_date ({end.isoformat()}) must be after baseline_date ({start.isoformat()})")
    if span > MAX_SPAN_DAYS:
        raise ValueError(f"target_date must be at most ten years ({MAX_SPAN_DAYS} days) after baseline_date, "
                         f"not {span} days")
    return span


def _sign(b: int, t: int, direction: str | None) -> int:
    """+1 for an increase, -1 for a decrease; ``direction`` decides only when target = baseline."""
    if direction is None or not str(direction).strip():
        return -1 if t < b else 1
    chosen = loose_choice(direction, DIRECTIONS)
    if chosen is None:
        raise ValueError(f"direction {direction!r} is not {INCREASE} or {DECREASE}")
    if t != b and (chosen == DECREASE) != (t < b):
        where = "below" if t < b else "above"
        raise ValueError(f"direction is {chosen} but the target ({_from_units(t)}) is {where} the baseline "
                         f"({_from_units(b)})")
    return -1 if chosen == DECREASE else 1


def _amber_band(b: int, t: int, amber_within: Number | None) -> int:
    """The amber band in units: ``ROUND(per mille * |t - b| / 1000, 0)``."""
    share = DEFAULT_AMBER_WITHIN if amber_within is None else _money(amber_within, "amber_within")
    shown = f"{(share * 100).normalize():f}%"
    if not 0 <= share <= 1:
        raise ValueError(f"amber_within must be from 0% to 100% (0 to 1), not {shown}")
    per_mille = share * _PER_MILLE
    if per_mille != per_mille.to_integral_value():
        raise ValueError(f"amber_within must be in steps of 0.1% (such as 10% or 12.5%), not {shown}")
    return _round_half_away(int(per_mille) * abs(t - b), _PER_MILLE)


def _shown(value: object) -> str:
    """A value as a message shows it: numbers as written, text quoted."""
    return str(value) if isinstance(value, Decimal) else repr(value)


def _add_months(day: date, months: int) -> date:
    """Excel's EDATE: the same day ``months`` later, or that month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    following = date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    last_day = (following - date(year, month + 1, 1)).days
    return date(year, month + 1, min(day.day, last_day))
