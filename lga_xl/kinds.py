"""The workbook kinds lga_xl knows: one registry the readers, the import, the
store, the consolidated outputs, the command line and the demo all go through.

Each :class:`Kind` says what it is (its name, the template versions it reads
through their contracts, its model class) and how it is written, read,
flattened into the store and described on the command line.  Readers and
writers are named as ``module:function`` and imported only when used, so that
the pure modules and the Excel functions never load openpyxl or calamine.

A workbook whose hidden sheet names a kind not listed here is refused with
``unknown-kind``: it is never routed to another kind's reader.

Example:
    >>> [kind.name for kind in KINDS.values()]
    ['self-assessment', 'levy-plan', 'role-map', 'tracker', 'school-request']
    >>> kind("levy-plan").versions, kind("levy-plan").current.version
    (('1.0', '2.0'), '2.0')
    >>> [table.name for table in kind("levy-plan").store_tables]
    ['levy_plans', 'schools', 'planned_starts', 'transfers']
"""

from __future__ import annotations

import datetime as dt
import importlib
import operator
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

from .contract import Contract, Table


class UnknownKind(ValueError):
    """A kind name that is not in the registry."""


# Public API: how a kind is flattened into the store.


@dataclass(frozen=True)
class StoreColumn:
    """One column of a store table: its name, SQLite type and how its value is taken."""

    name: str
    sql_type: str  # TEXT, REAL or INTEGER
    get: Callable[[Any], Any]
    kind: str = ""  # the contract's value kind (money, date, percent, ...), for formatting


@dataclass(frozen=True)
class StoreTable:
    """A store table of one kind; ``rows`` gives its rows from a result (None: one row, the result)."""

    name: str
    columns: tuple[StoreColumn, ...]
    rows: Callable[[Any], Iterable[Any]] | None = None
    section: str = ""  # its name among the consolidated tables (CSV file, DataFrame); the table's name if blank
    title: str = ""  # its sheet in the consolidated workbook
    description: str = ""  # what a row is, for the consolidated workbook's About sheet (a default is made if blank)

    @property
    def section_name(self) -> str:
        return self.section or self.name

    @property
    def per_return(self) -> bool:
        return self.rows is None


def sql_value(value: Any) -> Any:
    """A model value as SQLite stores it: money as REAL (already to the penny), dates ISO."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def _sql_type(annotation: Any) -> str | None:
    """TEXT, REAL or INTEGER for a scalar annotation; None for lists and models."""
    options = typing.get_args(annotation) if isinstance(annotation, types.UnionType) else (annotation,)
    scalars = [option for option in options if option is not type(None)]
    if len(scalars) != 1:
        return None
    (scalar,) = scalars
    if scalar in (int, bool):
        return "INTEGER"
    if scalar in (float, Decimal):
        return "REAL"
    if scalar in (str, dt.date, dt.datetime) or typing.get_origin(scalar) is typing.Literal:
        return "TEXT"
    return None


def _getter(attribute: str, annotation: Any = None) -> Callable[[Any], Any]:
    """The column's value of an item as SQLite stores it; a field that only holds text or numbers (pydantic
    made them str, int or float) as it is, without :func:`sql_value` per cell (a bulk import's hot loop)."""
    options = typing.get_args(annotation) if isinstance(annotation, types.UnionType) else (annotation,)
    if annotation is not None and all(option in (str, int, float, type(None)) for option in options):
        return operator.attrgetter(attribute)
    return lambda item: sql_value(getattr(item, attribute))


def model_columns(model: type, names: Iterable[str] | None = None, *, rename: dict[str, str] | None = None,
                  kinds: Mapping[str, str] | None = None) -> tuple[StoreColumn, ...]:
    """Store columns for a model's scalar fields (all, or ``names`` in that order).

    ``kinds`` gives a field's value kind (money, percent, ...) where the
    contract knows it; dates are known from the model.
    """
    rename, kinds = rename or {}, kinds or {}
    fields = model.model_fields
    columns = []
    for name in names if names is not None else fields:
        annotation = fields[name].annotation
        sql_type = _sql_type(annotation)
        if sql_type is not None:
            kind_of = kinds.get(name) or _value_kind(annotation)
            columns.append(StoreColumn(rename.get(name, name), sql_type, _getter(name, annotation), kind_of))
    return tuple(columns)


def _value_kind(annotation: Any) -> str:
    """The value kind a field's type alone tells (dates, yes/no, whole numbers); "" when it does not."""
    options = typing.get_args(annotation) + (annotation,)
    for scalar, kind_of in ((bool, "bool"), (dt.date, "date"), (int, "whole")):  # bool first: it is an int
        if scalar in options:
            return kind_of
    return ""


def contract_columns(contract: Contract, model: type, *, skip: Iterable[str] = ()) -> tuple[StoreColumn, ...]:
    """Store columns for every named cell of a contract that fills a model field, in contract order."""
    skipped = set(skip)
    names = [n for n in contract.names() if n.field and n.field not in skipped and n.field in model.model_fields]
    return model_columns(model, [n.field for n in names], kinds={n.field: n.kind for n in names})


def table_kinds(table: Table) -> dict[str, str]:
    """Column key -> value kind of a contract table, for :func:`model_columns`."""
    return {column.key: column.kind for column in table.columns}


# Public API: the kinds.


@dataclass(frozen=True)
class Kind:
    """A workbook kind and everything lga_xl does with it."""

    name: str
    title: str
    contracts_module: str
    model_path: str
    reader_path: str  # "module:function(pkg, contract) -> model"
    writer_path: str  # "module:function(path, **options) -> Path"
    sample_path: str  # "module:function(path, *, seed) -> Path": a valid filled return of a fictional council
    store: Callable[[Kind], tuple[StoreTable, ...]] = field(repr=False)
    describe: Callable[[Any], list[str]] = field(repr=False, default=lambda result: [])
    # "module:object": how its answers are carried forward, sent out and upgraded (lga_xl.carry.Carrier);
    # "" for a kind the adviser does not send out.
    carry_path: str = ""

    @cached_property
    def contracts(self) -> dict[str, Contract]:
        """Template version -> contract, oldest first; the last is what ``lga-xl new`` writes."""
        return importlib.import_module(self.contracts_module).CONTRACTS

    @property
    def versions(self) -> tuple[str, ...]:
        return tuple(self.contracts)

    @property
    def current(self) -> Contract:
        return list(self.contracts.values())[-1]

    @property
    def migrations(self) -> tuple[Any, ...]:
        """How a return's answers move from each template version to the next (lga_xl.answers.Migration)."""
        return tuple(getattr(importlib.import_module(self.contracts_module), "MIGRATIONS", ()))

    @property
    def carrier(self) -> Any:
        """Its :class:`lga_xl.carry.Carrier`, or None when it is not sent out."""
        return _resolve(self.carry_path) if self.carry_path else None

    @cached_property
    def model(self) -> type:
        return _resolve(self.model_path)

    @property
    def reader(self) -> Callable[..., Any]:
        return _resolve(self.reader_path)

    @property
    def writer(self) -> Callable[..., Any]:
        return _resolve(self.writer_path)

    def sample(self, path: str | Path, *, seed: int = 0) -> Path:
        """A valid, filled return of this kind from a fictional council (demo, tests, benchmarks)."""
        return _resolve(self.sample_path)(path, seed=seed)

    @cached_property
    def store_tables(self) -> tuple[StoreTable, ...]:
        return self.store(self)


def _resolve(path: str) -> Any:
    module, _, attribute = path.partition(":")
    return getattr(importlib.import_module(module), attribute)


def _self_assessment_store(kind: Kind) -> tuple[StoreTable, ...]:
    from .models import ElementAnswer
    from .rating import SCORED_LEVELS

    def level_count(index: int, attribute: str) -> Callable[[Any], Any]:
        return lambda strand: getattr(strand.levels[index], attribute)

    ratings = (
        StoreColumn("position", "INTEGER", lambda pair: pair[0]),
        *(StoreColumn(c.name, c.sql_type, lambda pair, get=c.get: get(pair[1]), c.kind) for c in (
            StoreColumn("strand", "TEXT", _getter("strand"), "text"),
            StoreColumn("current", "TEXT", _getter("current"), "text"),  # "Not rated" until the strand is answered
            StoreColumn("score", "REAL", _getter("score"), "score"),  # NULL while not rated
            StoreColumn("target", "TEXT", _getter("target"), "choice"),
            StoreColumn("target_score", "REAL", _getter("target_score"), "score"),
            StoreColumn("gap", "REAL", _getter("gap"), "score"),
            StoreColumn("plus_rule", "TEXT", _getter("plus_rule"), "text"),
            *(StoreColumn(f"{level.lower()}_{count}", "INTEGER", level_count(index, count), "whole")
              for index, level in enumerate(SCORED_LEVELS) for count in ("achieved", "applicable")),
            StoreColumn("unanswered", "INTEGER", lambda strand: sum(level.unanswered for level in strand.levels),
                        "whole"),
        )),
    )
    elements = (
        StoreColumn("position", "INTEGER", lambda pair: pair[0]),
        *(StoreColumn(c.name, c.sql_type, lambda pair, get=c.get: get(pair[1]))
          for c in model_columns(ElementAnswer, rename={"id": "element_id"})),
    )
    # One row a return: what the cover holds beyond the returns table's identity columns (the assessor,
    # for the MOT). No sheet of its own in the consolidated workbook.
    summary = contract_columns(kind.current, kind.model,
                               skip=("organisation", "region", "assessment_type", "assessment_date"))
    return (
        StoreTable("strand_ratings", ratings, lambda result: enumerate(result.strands, start=1), "ratings",
                   "Ratings", "One row per strand of each imported self-assessment: its rating and score "
                   "(Not rated, with no score, until one of its elements has a status), target, gap, the counts "
                   "behind it, and the regional and national mean score."),
        StoreTable("element_statuses", elements, lambda result: enumerate(result.elements, start=1), "elements",
                   "Elements", "One row per scored element of each imported self-assessment, with its "
                   "status (blank when not answered) and evidence."),
        StoreTable("self_assessments", summary),
    )


def _levy_plan_store(kind: Kind) -> tuple[StoreTable, ...]:
    from .models import PlannedStartRow, SchoolRow, TransferRow

    def council_schools(plan: Any) -> list[Any]:
        return [school for school in plan.schools if school.in_council_levy]

    def engaged(plan: Any) -> int:
        urns = {start.urn for start in plan.planned_starts if start.urn}
        return sum(1 for school in council_schools(plan) if school.urn in urns)

    # The model keeps the English percentage and the pay bill growth as percentages (95 for 95%) in every
    # template version, so their store columns are plain numbers, not fractions shown as percentages.
    percentages = {"english_percent", "pay_bill_growth"}
    summary = (
        *(replace(column, kind="number") if column.name in percentages else column
          for column in contract_columns(kind.current, kind.model, skip=("organisation", "region"))),
        StoreColumn("spend_share", "REAL",  # planned in-year spend as a share of the funds entering
                    lambda plan: float(plan.planned_spend / plan.funds_in) if plan.funds_in else None, "percent"),
        StoreColumn("schools", "INTEGER", lambda plan: len(council_schools(plan))),  # in the council's levy
        StoreColumn("schools_engaged", "INTEGER", engaged),  # of those, with at least one planned start
        StoreColumn("planned_starts", "INTEGER", lambda plan: len(plan.planned_starts)),
    )
    def rows_of(model: type, table: str) -> tuple[StoreColumn, ...]:
        return model_columns(model, rename={"row": "position"}, kinds=table_kinds(kind.current.table(table)))

    return (
        StoreTable("levy_plans", summary, title="Levy plans"),
        StoreTable("schools", rows_of(SchoolRow, "Schools"), lambda plan: plan.schools, title="Schools"),
        StoreTable("planned_starts", rows_of(PlannedStartRow, "PlannedStarts"), lambda plan: plan.planned_starts,
                   title="Planned starts"),
        StoreTable("transfers", rows_of(TransferRow, "Transfers"), lambda plan: plan.transfers, title="Transfers"),
    )


def _role_map_store(kind: Kind) -> tuple[StoreTable, ...]:
    from .models import RoleRow

    return (
        StoreTable("role_maps", contract_columns(kind.current, kind.model, skip=("organisation", "region")),
                   title="Role maps"),
        StoreTable("roles", model_columns(RoleRow, rename={"row": "position"},
                                          kinds=table_kinds(kind.current.table("Roles"))),
                   lambda role_map: role_map.roles, title="Roles"),
    )


def _tracker_store(kind: Kind) -> tuple[StoreTable, ...]:
    from .models import TrackerAction, TrackerActual, TrackerPublicSectorYear, TrackerTarget

    contract = kind.current

    def rows_of(model: type, table: str, **rename: str) -> tuple[StoreColumn, ...]:
        return model_columns(model, rename={"row": "position", **rename}, kinds=table_kinds(contract.table(table)))

    summary = (
        *contract_columns(contract, kind.model, skip=("organisation", "region")),
        StoreColumn("targets", "INTEGER", lambda tracker: len(tracker.targets)),
        StoreColumn("actions", "INTEGER", lambda tracker: len(tracker.actions)),
    )
    return (
        StoreTable("trackers", summary, title="Trackers"),
        # "latest" in the consolidated tables says whether a return is its council's latest.
        StoreTable("tracker_targets", rows_of(TrackerTarget, "Targets", latest="latest_value",
                                              previous="previous_value"),
                   lambda tracker: tracker.targets, title="Targets"),
        StoreTable("tracker_actuals", rows_of(TrackerActual, "Actuals"), lambda tracker: tracker.actuals),
        StoreTable("tracker_actions", rows_of(TrackerAction, "Actions"), lambda tracker: tracker.actions,
                   title="Actions"),
        # Read by name by the MOT report: year, headcount_start, headcount_end, starts_council, starts_schools,
        # starts_total, apprentices_end, starts_share (a fraction of the headcount at the start).
        StoreTable("tracker_public_sector", rows_of(TrackerPublicSectorYear, "PublicSector"),
                   lambda tracker: tracker.public_sector, title="Public sector"),
    )


def _school_request_store(kind: Kind) -> tuple[StoreTable, ...]:
    from .models import RequestedStart

    return (
        StoreTable("school_requests", contract_columns(kind.current, kind.model, skip=("organisation", "region")),
                   title="School requests"),
        StoreTable("requested_starts", model_columns(RequestedStart, rename={"row": "position"},
                                                     kinds=table_kinds(kind.current.table("Requests"))),
                   lambda request: request.requests, title="Requested starts"),
    )


def _describe_self_assessment(result: Any) -> list[str]:
    overall = "no strand rated yet" if result.overall_score is None else f"overall score {result.overall_score:.2f}"
    lines = [f"{result.organisation or '(no name)'} ({result.region or 'no region'}), "
             f"{result.assessment_type or '?'} assessment, {overall}"]
    for strand in result.strands:
        target = f"target {strand.target}" if strand.target else "no target"
        score = "   " if strand.score is None else f"{strand.score:.1f}"
        lines.append(f"  {strand.strand:45} {strand.current:13} {score}  {target}")
    return lines


def _describe_levy_plan(plan: Any) -> list[str]:
    in_levy = sum(1 for school in plan.schools if school.in_council_levy)
    expiry = (f"{plan.expiring_funds:,.2f} in {plan.expiry_month_count} month(s), first {plan.first_expiry_month:%B %Y}"
              if plan.first_expiry_month else f"none in the {len(plan.forecast)}-month forecast")
    rate = f"Transfer headroom at {plan.statutory_transfer_rate:.0%}"
    lines = [
        f"{plan.organisation or '(no name)'}, levy plan {plan.tax_year}: levy {plan.annual_levy:,.2f}, transfer "
        f"headroom {plan.headroom_statutory:,.2f} at the statutory {plan.statutory_transfer_rate:.0%}",
        f"  {'Annual levy':28} {plan.annual_levy:>16,.2f}",
        f"  {'Funds in (plan year)':28} {plan.funds_in:>16,.2f}",
        f"  {'Transfer headroom at 10%':28} {plan.headroom_10:>16,.2f}",
        f"  {'Transfer headroom at 25%':28} {plan.headroom_25:>16,.2f}",
        f"  {rate:28} {plan.headroom_statutory:>16,.2f}  (statutory rate)",
        f"  {'Schools in council levy':28} {in_levy:>16}",
        f"  {'Schools levy share':28} {plan.schools_levy_share:>16,.2f}",
        f"  {'Schools planned spend':28} {plan.schools_planned_spend:>16,.2f}",
        f"  {'Expiring funds':28} {expiry}",
    ]
    if plan.expiring_funds_plan_year is not None:
        lines.append(f"  {'Expiring in the plan year':28} {plan.expiring_funds_plan_year:>16,.2f}")
    if plan.employer_contribution is not None:  # template 2.0: co-investment when funds run short
        short = (f"first {plan.first_shortfall_month:%B %Y}, employer {plan.employer_contribution:,.2f} in the plan "
                 "year" if plan.first_shortfall_month else "never")
        lines.append(f"  {'Funds run short':28} {short}")
    return lines


def _describe_role_map(role_map: Any) -> list[str]:
    lines = [
        f"{role_map.organisation or '(no name)'}, role map on {role_map.standards_source or 'an unknown list'}: "
        f"{role_map.roles_total} roles, {role_map.roles_mapped} with a standard, {role_map.roles_none_suitable} "
        f"none suitable, {role_map.roles_to_choose} still to choose",
        f"  {'Service':40} {'Roles':>6} {'With a standard':>16} {'Headcount':>10} {'Vacancies':>10} "
        f"{'One start each':>16}",
    ]
    lines += [f"  {s.service[:40]:40} {s.roles:>6} {s.roles_mapped:>16} {s.headcount_mapped:>10} "
              f"{s.vacancies_mapped:>10} {s.cost_mapped:>16,.2f}" for s in role_map.services]
    return lines


def _in_unit(value: Decimal, unit: str | None) -> str:
    """A target's value as its unit shows it: 54.5%, £90,000, 6,159.0055."""
    if unit == "%":
        return f"{(value * 100).normalize():f}%"
    shown = f"{value.normalize():,f}"
    return f"£{shown}" if unit == "£" else shown


def _describe_tracker(tracker: Any) -> list[str]:
    date = f"{tracker.reporting_date:%d/%m/%Y}" if tracker.reporting_date else "no reporting date"
    lines = [f"{tracker.organisation or '(no name)'}, growth-strategy tracker as at {date}: "
             f"{tracker.targets_green} Green, {tracker.targets_amber} Amber, {tracker.targets_red} Red, "
             f"{tracker.targets_no_data} No data, {tracker.targets_not_set} Not set; "
             f"{tracker.actions_overdue} action(s) overdue, {tracker.actions_due_soon} due within 3 months"]
    for target in tracker.targets:
        latest = "" if target.latest is None else \
            f"latest {_in_unit(target.latest, target.unit)} on {target.latest_date:%d/%m/%Y}"
        expected = "" if target.expected is None else f", expected {_in_unit(target.expected, target.unit)}"
        lines.append(f"  {target.id or '?':6} {target.rag:8} {latest}{expected}")
    return lines


def _describe_school_request(request: Any) -> list[str]:
    left = "" if request.funds_left_after is None else \
        f"; {request.funds_left_after:,.2f} left of its share after them"
    lines = [f"{request.organisation or '(no school)'}, request to {request.council or '(no council)'} for "
             f"{request.tax_year}: {request.request_count} apprenticeship(s), {request.requests_band_total:,.2f} at "
             f"the funding band, {request.requests_in_year:,.2f} in the plan year{left}"]
    for start in request.requests:
        month = f"{start.start_month:%b %Y}" if start.start_month else "no month"
        band = "" if start.band_max is None else f"{start.band_max:,.2f}"
        lines.append(f"  {(start.role or '?')[:28]:28} {(start.hire or '?'):14} {(start.standard or '?'):8} "
                     f"{month:9} {band:>10} {start.in_year_cost:>10,.2f}  {start.check}".rstrip())
    return lines


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("self-assessment", "Maturity Model self-assessment", "lga_xl.contracts.self_assessment",
         "lga_xl.models:SelfAssessment", "lga_xl.readers.self_assessment:read_self_assessment_package",
         "lga_xl.writers.self_assessment:new_self_assessment", "lga_xl.samples:sample_self_assessment",
         _self_assessment_store, _describe_self_assessment, carry_path="lga_xl.carry:SELF_ASSESSMENT"),
    Kind("levy-plan", "Schools apprenticeship levy plan", "lga_xl.contracts.levy_plan",
         "lga_xl.models:LevyPlan", "lga_xl.readers.levy_plan:read_levy_plan_package",
         "lga_xl.writers.levy_plan:new_levy_plan", "lga_xl.writers.levy_plan:sample_levy_plan",
         _levy_plan_store, _describe_levy_plan, carry_path="lga_xl.carry:LEVY_PLAN"),
    Kind("role-map", "Job roles mapped to apprenticeship standards", "lga_xl.contracts.role_map",
         "lga_xl.models:RoleMap", "lga_xl.readers.role_map:read_role_map_package",
         "lga_xl.writers.role_map:new_role_map", "lga_xl.samples:sample_role_map", _role_map_store,
         _describe_role_map),
    Kind("tracker", "Growth-strategy tracker", "lga_xl.contracts.tracker", "lga_xl.models:Tracker",
         "lga_xl.readers.tracker:read_tracker_package", "lga_xl.writers.tracker:new_tracker",
         "lga_xl.samples:sample_tracker", _tracker_store, _describe_tracker, carry_path="lga_xl.carry:TRACKER"),
    Kind("school-request", "School's request for apprentices", "lga_xl.contracts.school_request",
         "lga_xl.models:SchoolRequest", "lga_xl.readers.school_request:read_school_request_package",
         "lga_xl.writers.school_request:new_school_request", "lga_xl.samples:sample_school_request",
         _school_request_store, _describe_school_request),
)}


def kind(name: str) -> Kind:
    """The registered kind called ``name``.

    Raises:
        UnknownKind: no such kind.
    """
    try:
        return KINDS[name]
    except KeyError:
        raise UnknownKind(f"{name!r} is not a kind of workbook lga_xl knows ({', '.join(KINDS)})") from None
