"""Reading a returned growth-strategy tracker, recomputing every figure and checking it.

Each target's latest actual, expected value, progress, RAG and trend, each
action's RAG on the reporting date and each year's starts as a share of
headcount are recomputed with :mod:`lga_xl.targets`, from the cells exactly
as the workbook's formulas see them: a value typed as text, an actual for an
unknown target or a second actual on one date is not used by the formulas,
so it is not used here either (and is an issue at its cell).  A value cached
in the file is only compared with the recomputed one.  Everything is found
by table and defined name through the contract
(:mod:`lga_xl.contracts.tracker`).

Example:
    >>> import datetime, tempfile, pathlib
    >>> from lga_xl import new_tracker
    >>> from lga_xl.targets import load_example
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "tracker.xlsx"
    >>> _ = new_tracker(path, example="hertfordshire", region="East of England", actuals=load_example().actuals,
    ...                 reporting_date=datetime.date(2023, 7, 31))
    >>> tracker = read_tracker(path)
    >>> tracker.targets[0].rag, tracker.targets[0].expected, tracker.targets_green
    ('Amber', Decimal('6159.0055'), 5)
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from .. import cells
from .. import targets as rules
from ..contract import Contract, Table
from ..contracts.tracker import STRANDS
from ..models import (
    Tracker,
    TrackerAction,
    TrackerActual,
    TrackerObjective,
    TrackerPublicSectorYear,
    TrackerTarget,
)
from ..reference import REGIONS
from .base import Reading, Row, compare_cached
from .fields import Collector
from .package import Package, Place, open_package

_SHARE_UNITS = {rules.PERCENT.casefold(), rules.RATIO.casefold()}
_PER_MILLE = 1000
_TOLERANCE = 5e-6  # cached floats against values to 4 decimals


def read_tracker(path: str | Path, *, display: str | None = None) -> Tracker:
    """Read, recompute and validate a tracker workbook.

    Problems inside the file are returned in ``result.issues``; a file that
    cannot be read as a tracker at all raises
    :class:`~lga_xl.issues.WorkbookError` whose ``issue`` says why.
    """
    from . import read_package

    with open_package(path, display) as pkg:
        return read_package(pkg, "tracker")


def read_tracker_package(pkg: Package, contract: Contract) -> Tracker:
    """:func:`read_tracker` on an opened package of a known template version."""
    reading = Reading(pkg, contract)
    cover = _read_cover(reading)
    reporting_date = cover["reporting_date"]
    targets = _read_targets(reading)
    actuals = _read_actuals(reading, targets, reporting_date)
    statuses = _assess(targets, actuals)
    actions = _read_actions(reading, reporting_date)
    years = _read_public_sector(reading)
    target_rows = [_target_row(target, statuses[target.row.number]) for target in targets]
    rags = Counter(row.rag for row in target_rows)
    counts = {
        "targets_green": rags[rules.GREEN], "targets_amber": rags[rules.AMBER], "targets_red": rags[rules.RED],
        "targets_no_data": rags[rules.NO_DATA], "targets_not_set": rags[rules.NOT_SET],
        "actions_overdue": sum(action.overdue for action in actions),
        "actions_due_soon": sum(action.due_soon for action in actions),
    }
    _compare_cached(reading, counts, target_rows, actuals, actions, years)
    return Tracker(
        file=pkg.display,
        template_version=contract.version,
        issues=reading.found.issues,
        input_hash=reading.input_hash,
        **cover,
        **counts,
        targets=target_rows,
        actuals=[_actual_row(actual) for actual in actuals],
        objectives=_read_objectives(reading),
        actions=[action.model for action in actions],
        public_sector=years,
    )


# Private API: cells as the workbook's formulas see them.


def _key(value: Any) -> Any:
    """What Excel compares with ``=``: text ignoring case (nothing else), a number as a number."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.casefold()
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    return value


def _number_cell(found: Collector, value: Any, *, what: str, place: Place) -> Decimal | None:
    """A number cell as ISNUMBER sees it: a number typed as text is an error, not a number."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if isinstance(value, str):
        try:
            read = cells.number(value)
        except cells.CellValueError:
            read = None
        if read is not None:
            found.add("not-a-number", f"{what} {cells.shown(value)} was typed as text, which the workbook's "
                      "formulas cannot use; type it again as a number", place)
            return None
    found.add("not-a-number", f"{what} {cells.shown(value)} is not a number", place)
    return None


def _date_cell(found: Collector, value: Any, *, what: str, place: Place) -> dt.date | None:
    """A date cell as ISNUMBER sees it: a date typed as text is an error, not a date."""
    if value is None:
        return None
    if isinstance(value, str):
        found.add("bad-date", f"{what} {cells.shown(value)} is text, which the workbook's formulas cannot use; "
                  "type it again as a date, such as 31/07/2023", place)
        return None
    try:
        read = cells.date(value)
    except cells.CellValueError as err:
        found.add(err.code, f"{what} {err}", place)
        return None
    return None if read is None else read.value


def _whole_cell(found: Collector, value: Any, *, what: str, place: Place) -> int | None:
    number = _number_cell(found, value, what=what, place=place)
    if number is None:
        return None
    if number != number.to_integral_value():
        found.add("not-a-number", f"{what} {number} is not a whole number", place)
        return None
    if number < 0:
        found.add("negative-amount", f"{what} is {number}; it cannot be below 0", place)
        return None
    return int(number)


def _choice(found: Collector, value: Any, choices: Iterable[str], *, what: str, place: Place) -> str | None:
    """A dropdown cell: one of ``choices`` (loose spellings with a warning), else ``not-in-list``."""
    return found.choice(value, tuple(choices), what=what, code="not-in-list", place=place, required=False)


def _entered(row: Row, keys: Iterable[str]) -> bool:
    """Whether any of these cells holds something (COUNTA: spaces count too)."""
    return any(row.get(key) is not None for key in keys)


def _out_of_range(value: Decimal | None, unit_key: Any) -> str | None:
    """Why a value cannot be used for its unit (:func:`lga_xl.targets.check_value`), or None."""
    if value is None:
        return None
    unit = rules.PERCENT if unit_key == rules.PERCENT else rules.RATIO if unit_key == rules.RATIO.casefold() \
        else rules.NUMBER
    try:
        rules.check_value(value, unit)
    except ValueError as err:
        return str(err)
    return None


# Private API: the cover.


def _read_cover(reading: Reading) -> dict[str, Any]:
    found = reading.found
    org = reading.named("OrgName")
    organisation = cells.text(org.value)
    if organisation is None and org.found:
        found.add("missing-org-name", "the council's or partnership's name is blank", org.place)
    region = reading.named("Region")
    reporting = reading.named("ReportingDate")
    reporting_date = _date_cell(found, reporting.value, what="The reporting date", place=reporting.place)
    if reporting.value is None and reporting.found:
        found.add("missing-input", "the reporting date is blank: actions have no RAG without it", reporting.place)
    return {
        "organisation": organisation,
        "region": found.choice(region.value, REGIONS, what="Region", code="unknown-region", place=region.place,
                               required=region.found),
        "strategy": cells.text(reading.named("StrategyName").value),
        "reporting_date": reporting_date,
    }


# Private API: targets.


@dataclass
class _Target:
    """A Targets row as read; the flags are its Check column's tests."""

    row: Row
    id: str | None
    key: Any
    measure: str | None
    unit: str | None  # as read (a listed unit, or None)
    unit_key: Any  # as the formulas compare it
    direction: str | None
    direction_key: Any
    baseline_date: dt.date | None
    baseline: Decimal | None
    target_date: dt.date | None
    target: Decimal | None
    amber: Decimal  # as the RAG uses it
    note: str | None
    blank: list[str]
    duplicate: bool = False
    out_of_range: dict[str, str] = field(default_factory=dict)
    bad_dates: bool = False
    contradicts: bool = False
    check: str = ""

    @property
    def subject(self) -> str:
        return self.id or f"Targets row {self.row.index + 1}"

    @property
    def values_usable(self) -> bool:
        return None not in (self.baseline, self.target) and not self.out_of_range

    @property
    def figures_usable(self) -> bool:
        return self.values_usable and None not in (self.baseline_date, self.target_date) and not self.bad_dates


def _read_targets(reading: Reading) -> list[_Target]:
    found = reading.found
    spec = reading.contract.table("Targets")
    table = reading.table("Targets", required=spec.keys("input"))
    rows = []
    for row in table:
        if not _entered(row, spec.keys("input")):
            continue
        target = _read_target(found, spec, row)
        for key in ("baseline", "target"):
            problem = _out_of_range(getattr(target, key), target.unit_key)
            if problem is not None:
                target.out_of_range[key] = problem
        if target.baseline_date is not None and target.target_date is not None:
            span = (target.target_date - target.baseline_date).days
            target.bad_dates = not 0 < span <= rules.MAX_SPAN_DAYS
        if target.baseline is not None and target.target is not None:
            b, t = _units(target.baseline), _units(target.target)
            target.contradicts = (target.direction_key == rules.INCREASE.casefold() and t < b
                                  or target.direction_key == rules.DECREASE.casefold() and t > b)
        rows.append(target)
    counts = Counter(target.key for target in rows if target.key is not None)
    for target in rows:
        target.duplicate = target.key is not None and counts[target.key] > 1
        target.check = spec.first_failing(target)
        _report_target(found, spec, target)
    return rows


def _read_target(found: Collector, spec: Table, row: Row) -> _Target:
    subject = row.text("id") or f"Targets row {row.index + 1}"
    what = {column.key: f"{subject}: {column.header}" for column in spec.columns}
    number = {key: _number_cell(found, row.get(key), what=what[key], place=row.place(key))
              for key in ("baseline", "target")}
    day = {key: _date_cell(found, row.get(key), what=what[key], place=row.place(key))
           for key in ("baseline_date", "target_date")}
    return _Target(
        row=row, id=row.text("id"), key=_key(row.get("id")), measure=row.text("measure"),
        unit=_choice(found, row.get("unit"), rules.UNITS, what=what["unit"], place=row.place("unit")),
        unit_key=_key(row.get("unit")),
        direction=_choice(found, row.get("direction"), rules.DIRECTIONS, what=what["direction"],
                          place=row.place("direction")),
        direction_key=_key(row.get("direction")),
        baseline_date=day["baseline_date"], baseline=number["baseline"], target_date=day["target_date"],
        target=number["target"], amber=_amber(found, row.get("amber_within"), subject, row.place("amber_within")),
        note=row.text("note"),
        blank=[key for key in ("id", "measure", "unit") if row.get(key) is None],
    )


def _amber(found: Collector, value: Any, subject: str, place: Place) -> Decimal:
    """Amber within as the RAG formula uses it: the default unless a number from 0 to 1, in whole per mille."""
    amber = _number_cell(found, value, what=f"{subject}: Amber within", place=place)
    if amber is None:
        return rules.DEFAULT_AMBER_WITHIN
    if not 0 <= amber <= 1:
        found.add("bad-amber-within", f"{subject}: Amber within {amber:.1%} is not from 0% to 100%; the default "
                  f"{rules.DEFAULT_AMBER_WITHIN:.0%} was used", place)
        return rules.DEFAULT_AMBER_WITHIN
    per_mille = (amber * _PER_MILLE).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if per_mille != amber * _PER_MILLE:
        used = per_mille / _PER_MILLE
        found.add("bad-amber-within", f"{subject}: Amber within {amber * 100:f}% is not in steps of 0.1%; "
                  f"{used * 100:f}% was used", place, severity="warning")
    return per_mille / _PER_MILLE


def _units(value: Decimal) -> int:
    """``ROUND(value*10000, 0)``, as the formulas compare values."""
    return int((value * 10**rules.DECIMALS).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _report_target(found: Collector, table: Table, target: _Target) -> None:
    headers = ", ".join(table.column(key).header for key in target.blank)
    dates = (f"the target date {target.target_date:%d/%m/%Y} is not after the baseline date "
             f"{target.baseline_date:%d/%m/%Y}, or is more than ten years after it" if target.bad_dates else "")
    messages: dict[str, Callable[[], str]] = {
        "incomplete-row": lambda: f"{target.subject}: no {headers}",
        "duplicate-target": lambda: f"{target.id} is listed more than once: give each target its own ID",
        "value-out-of-range": lambda: f"{target.subject}: {'; '.join(target.out_of_range.values())}; it is not used, "
                                      "so the target shows Not set",
        "target-before-baseline": lambda: f"{target.subject}: {dates}; the target shows Not set",
        "direction-contradicts": lambda: f"{target.subject}: the direction is {target.direction or 'given'} but the "
                                         f"target ({target.target}) is "
                                         f"{'below' if target.target < target.baseline else 'above'} the baseline "
                                         f"({target.baseline}); the figures decide",
    }
    for check in table.checks:
        if check.code and check.test(target):
            column = check.column or (target.blank[0] if target.blank else None)
            if check.code == "value-out-of-range":
                column = next(iter(target.out_of_range))
            found.add(check.code, messages[check.code](), target.row.place(column))


# Private API: actuals.


@dataclass
class _Actual:
    """An Actuals row as read; the flags are its Check column's tests."""

    row: Row
    target_id: str | None
    key: Any
    date: dt.date | None
    value: Decimal | None
    source: str | None
    note: str | None
    blank: list[str]
    unknown: bool = False
    out_of_range: str | None = None
    repeated: bool = False
    future: bool = False  # after the reporting date: the Check column says so
    after_today: bool = False  # no reporting date, and after the day the file is read
    counted: bool = False
    check: str = ""


def _read_actuals(reading: Reading, targets: list[_Target], reporting_date: dt.date | None) -> list[_Actual]:
    found = reading.found
    spec = reading.contract.table("Actuals")
    table = reading.table("Actuals", required=spec.keys("input"))
    unit_of: dict[Any, Any] = {}
    for target in targets:  # MATCH finds the first row of an ID
        unit_of.setdefault(target.key, target.unit_key)
    seen: set[tuple[Any, dt.date]] = set()
    today = dt.date.today()  # only without a reporting date
    rows = []
    for row in table:
        if not _entered(row, spec.keys("input")):
            continue
        target_id = row.text("target_id")
        subject = f"Actual for {target_id}" if target_id else f"Actuals row {row.index + 1}"
        actual = _Actual(
            row=row, target_id=target_id, key=_key(row.get("target_id")),
            date=_date_cell(found, row.get("date"), what=f"{subject}: date", place=row.place("date")),
            value=_number_cell(found, row.get("value"), what=f"{subject}: value", place=row.place("value")),
            source=row.text("source"), note=row.text("note"),
            blank=[key for key in ("target_id", "date", "value") if row.get(key) is None],
        )
        actual.unknown = actual.key is None or actual.key not in unit_of
        if not actual.unknown:
            actual.out_of_range = _out_of_range(actual.value, unit_of[actual.key])
        if actual.key is not None and actual.date is not None:
            actual.repeated = (actual.key, actual.date) in seen
            seen.add((actual.key, actual.date))
        if actual.date is not None:
            actual.future = reporting_date is not None and actual.date > reporting_date
            # With no reporting date, a figure dated after the day it is read cannot be right either.
            actual.after_today = reporting_date is None and actual.date > today
        actual.counted = (not actual.unknown and actual.date is not None and actual.value is not None
                          and actual.out_of_range is None and not actual.repeated)
        actual.check = spec.first_failing(actual)
        _report_actual(found, spec, actual, reporting_date)
        rows.append(actual)
    return rows


def _report_actual(found: Collector, table: Table, actual: _Actual, reporting_date: dt.date | None) -> None:
    after = (f"the reporting date ({reporting_date:%d/%m/%Y})" if reporting_date
             else "today (there is no reporting date)")
    messages: dict[str, Callable[[], str]] = {
        "incomplete-row": lambda: f"an actual with no {', '.join(table.column(k).header for k in actual.blank)}",
        "unknown-target-id": lambda: f"{actual.target_id!r} is not the ID of a target on the Targets sheet; this "
                                     "figure is not used",
        "value-out-of-range": lambda: f"actual for {actual.target_id}: {actual.out_of_range}; it is not used",
        "duplicate-actual": lambda: f"{actual.target_id} already has a figure dated {actual.date:%d/%m/%Y}; only the "
                                    "first is used: remove or correct one",
        "actual-in-future": lambda: f"the actual for {actual.target_id} is dated {actual.date:%d/%m/%Y}, after {after}",
    }
    for check in table.checks:
        failed = check.test(actual) or check.code == "actual-in-future" and actual.after_today
        if check.code == "unknown-target-id" and actual.key is None:
            failed = False  # no ID at all: the incomplete row says so
        if check.code and failed:
            column = check.column or (actual.blank[0] if actual.blank else None)
            found.add(check.code, messages[check.code](), actual.row.place(column))


# Private API: the targets' figures.


def _assess(targets: list[_Target], actuals: list[_Actual]) -> dict[int, tuple[rules.TargetStatus, int]]:
    """Each target row's status and number of actuals that count (worksheet row -> both)."""
    counted: dict[Any, list[_Actual]] = defaultdict(list)
    for actual in actuals:
        if actual.counted:
            counted[actual.key].append(actual)
    statuses = {}
    for target in targets:
        sane = target.figures_usable
        values = target.values_usable
        b, t = target.baseline if values else None, target.target if values else None
        direction = None
        if values:  # the direction decides only a flat target; one that contradicts the figures is ignored
            if target.direction_key == rules.DECREASE.casefold() and _units(t) <= _units(b):
                direction = rules.DECREASE
            elif target.direction_key == rules.INCREASE.casefold() and _units(t) >= _units(b):
                direction = rules.INCREASE
            elif _units(t) != _units(b):
                direction = rules.DECREASE if _units(t) < _units(b) else rules.INCREASE
        # Values were checked against the unit already (the unit of a repeated ID may differ): bounds only.
        rule_target = rules.Target(
            id=target.id or "", measure=target.measure or "", unit=rules.NUMBER, direction=direction or rules.INCREASE,
            baseline=b, target=t, baseline_date=target.baseline_date if sane else None,
            target_date=target.target_date if sane else None, amber_within=target.amber,
        )
        own = [rules.Actual(rule_target.id, a.date, a.value) for a in counted.get(target.key, [])]
        statuses[target.row.number] = (rules.assess(rule_target, own), len(own))
    return statuses


def _target_row(target: _Target, assessed: tuple[rules.TargetStatus, int]) -> TrackerTarget:
    status, count = assessed
    return TrackerTarget(
        row=target.row.number, id=target.id, measure=target.measure, unit=target.unit, direction=target.direction,
        baseline_date=target.baseline_date, baseline=target.baseline, target_date=target.target_date,
        target=target.target, amber_within=target.amber, latest_date=status.latest_date, latest=status.latest,
        previous_date=status.previous_date, previous=status.previous, expected=status.expected,
        progress=status.progress, rag=status.rag, trend=status.trend, actuals=count, check=target.check,
        note=target.note,
    )


def _actual_row(actual: _Actual) -> TrackerActual:
    return TrackerActual(row=actual.row.number, target_id=actual.target_id, date=actual.date, value=actual.value,
                         source=actual.source, note=actual.note, counted=actual.counted, check=actual.check)


# Private API: objectives, actions and public sector figures.


def _read_objectives(reading: Reading) -> list[TrackerObjective]:
    spec = reading.contract.table("Objectives")
    table = reading.table("Objectives")
    return [TrackerObjective(row=row.number, number=row.text("number"), text=row.text("text"),
                             theme=row.text("theme"))
            for row in table if _entered(row, spec.keys("input"))]


@dataclass
class _Action:
    row: Row
    entered: bool  # an action or a status: something to own and date
    accountable_blank: bool
    due_blank: bool
    model: TrackerAction | None = None

    @property
    def no_owner(self) -> bool:
        return self.entered and self.accountable_blank

    @property
    def no_due_date(self) -> bool:
        return self.entered and self.due_blank

    @property
    def overdue(self) -> bool:
        return self.model.overdue

    @property
    def due_soon(self) -> bool:
        return self.model.due_soon


def _read_actions(reading: Reading, reporting_date: dt.date | None) -> list[_Action]:
    found = reading.found
    spec = reading.contract.table("Actions")
    table = reading.table("Actions", required=spec.keys("input"))
    status_of = {status.casefold(): status for status in rules.ACTION_STATUSES}
    actions = []
    for row in table:
        if not _entered(row, spec.keys("input")):
            continue
        number = row.text("number")
        subject = f"Action {number}" if number else f"Actions row {row.index + 1}"
        due = _date_cell(found, row.get("due"), what=f"{subject}: due date", place=row.place("due"))
        status = _choice(found, row.get("status"), rules.ACTION_STATUSES, what=f"{subject}: status",
                         place=row.place("status"))
        strand = _choice(found, row.get("strand"), STRANDS, what=f"{subject}: strand", place=row.place("strand"))
        # The formulas compare the status as typed (ignoring case only).
        status_key = _key(row.get("status"))
        as_compared = status_of.get(status_key) if isinstance(status_key, str) else None
        entered = row.get("action") is not None or row.get("status") is not None
        open_action = entered and as_compared != rules.COMPLETE and due is not None and reporting_date is not None
        rag = None
        if reporting_date is not None and (row.get("status") is None or as_compared is not None):
            rag = rules.action_rag(as_compared, due, reporting_date)
        action = _Action(row=row, entered=entered, accountable_blank=row.get("accountable") is None,
                         due_blank=row.get("due") is None)
        action.model = TrackerAction(
            row=row.number, number=number, objective=row.text("objective"), measure=row.text("measure"),
            action=row.text("action"), accountable=row.text("accountable"), timescale=row.text("timescale"),
            due=due, status=status, rag=rag, update=row.text("update"), strand=strand,
            overdue=open_action and reporting_date > due,
            due_soon=open_action and rules.due_soon(due, reporting_date),
            check=spec.first_failing(action),
        )
        for check in spec.checks:
            if check.code and check.test(action):
                what = "no one accountable" if check.code == "action-without-owner" else "no due date, so it can " \
                    "never show as overdue"
                found.add(check.code, f"{subject}: {what}", row.place(check.column))
        actions.append(action)
    return actions


@dataclass
class _Year:
    row: Row
    year_key: Any
    blank: list[str]
    repeated: bool = False


def _read_public_sector(reading: Reading) -> list[TrackerPublicSectorYear]:
    found = reading.found
    spec = reading.contract.table("PublicSector")
    table = reading.table("PublicSector", required=spec.keys("input"))
    read = []
    for row in table:
        if _entered(row, spec.keys("input")):
            read.append(_Year(row, _key(row.get("year")), [k for k in ("year", "headcount_start")
                                                             if row.get(k) is None]))
    counts = Counter(year.year_key for year in read if year.year_key is not None)
    years = []
    for year in read:
        row = year.row
        year.repeated = year.year_key is not None and counts[year.year_key] > 1
        label = _year_label(found, row)
        subject = label or f"Public sector row {row.index + 1}"
        figures = {key: _whole_cell(found, row.get(key), what=f"{subject}: {spec.column(key).header}",
                                    place=row.place(key))
                   for key in ("headcount_start", "headcount_end", "starts_council", "starts_schools",
                               "apprentices_end")}
        total = (figures["starts_council"] or 0) + (figures["starts_schools"] or 0)
        if year.blank:
            found.add("incomplete-row", f"{subject}: no {', '.join(spec.column(k).header for k in year.blank)}",
                      row.place(year.blank[0]))
        if year.repeated:
            found.add("bad-reporting-year", f"{subject} is listed more than once", row.place("year"))
        years.append(TrackerPublicSectorYear(
            row=row.number, year=label, **figures, starts_total=total,
            starts_share=rules.public_sector_share(total, figures["headcount_start"] or 0),
            check=spec.first_failing(year),
        ))
    return years


def _year_label(found: Collector, row: Row) -> str | None:
    """The reporting year written like 2024-25 (2024/25 is read as it), or None."""
    text = row.text("year")
    if text is None:
        return None
    try:
        end = rules.year_end(text, rules.FINANCIAL)
    except ValueError:
        end = None
    if end is None or "-" not in text and "/" not in text:
        found.add("bad-reporting-year", f"the reporting year {text!r} is not written like 2024-25 (1 April 2024 to "
                  "31 March 2025)", row.place("year"))
        return None
    return f"{end.year - 1}-{end.year % 100:02d}"


# Private API: the cached values.


def _compare_cached(reading: Reading, counts: dict[str, int], targets: list[TrackerTarget],
                    actuals: list[_Actual], actions: list[_Action], years: list[TrackerPublicSectorYear]) -> None:
    """Warn where a formula's cached value disagrees with the recomputed one.

    A workbook written by lga_xl and not yet opened in a spreadsheet has no
    cached values at all (the count of Green targets, always a number, is
    blank): nothing to compare.
    """
    pkg, found = reading.pkg, reading.found
    green = pkg.name_value("TargetsGreen")
    if green is None or green.value in (None, ""):
        return
    for name in reading.contract.results():
        cached = pkg.name_value(name)
        if cached is not None:
            compare_cached(found, name, cached.value, counts[reading.contract.name(name).field], cached.place,
                           tolerance=_TOLERANCE)
    by_row = {target.row: target for target in targets}
    reading.compare_cached_rows("Targets", by_row.get,
                                ("latest_date", "latest", "expected", "progress", "rag", "trend", "check"),
                                tolerance=_TOLERANCE)
    reading.compare_cached_rows("Actuals", {a.row.number: a for a in actuals}.get, ("check",), tolerance=_TOLERANCE)
    reading.compare_cached_rows("Actions", {a.model.row: a.model for a in actions}.get, ("rag", "check"),
                                tolerance=_TOLERANCE)
    reading.compare_cached_rows("PublicSector", {y.row: y for y in years}.get,
                                ("starts_total", "starts_share", "check"), tolerance=_TOLERANCE)


