"""Reading a returned role map and checking it.

Everything the workbook works out (each chosen standard's title, level,
route, band and duration, the Check column, the totals and the summary by
service) is recomputed here from the roles typed in and the map's own
Standards sheet, with the same rules as its formulas
(:mod:`lga_xl.contracts.role_map`); a total cached in the file that differs
is reported.  Tables and columns are found by name and header.

Example:
    >>> import tempfile, pathlib
    >>> from lga_xl.writers.role_map import RoleEntry, new_role_map
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "roles.xlsx"
    >>> _ = new_role_map(path, org_name="Exampleshire", roles=[RoleEntry("Payroll Officer", "Finance", None, 3, 1,
    ...                                                                  "ST0073")])
    >>> role = read_role_map(path).roles[0]
    >>> role.suggestion_1, role.title, role.band_max, role.mapped
    ('ST0073', 'Payroll administrator', Decimal('10000.00'), True)
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import cells
from ..contract import Contract
from ..contracts.role_map import (
    CHECK_UNKNOWN_STANDARD,
    LIST_SEPARATOR,
    NONE_SUITABLE,
    OTHER_SERVICES,
    ROLE_KEY,
    ROLES,
    TOTALS,
    RoleFigures,
    counted,
    excel_text,
    is_mapped,
    service_figures,
)
from ..models import RoleMap, RoleRow, ServiceSummary, StandardRow
from ..reference import REGIONS
from ..standards import RETIRED, STATUSES, WITHDRAWN
from ..text import loose_choice
from .base import Reading, Row
from .package import Package, open_package

__all__ = ["read_role_map", "read_role_map_package"]

PENNY = Decimal("0.01")


def read_role_map(path: str | Path, *, display: str | None = None) -> RoleMap:
    """Read, recompute and validate a role map.

    Problems inside the file are in ``result.issues``; a file that cannot be
    read as a role map raises :class:`~lga_xl.issues.WorkbookError`.
    """
    from . import read_package

    with open_package(path, display) as pkg:
        return read_package(pkg, "role-map")


def read_role_map_package(pkg: Package, contract: Contract) -> RoleMap:
    """:func:`read_role_map` on an opened package of a known template version."""
    reading = Reading(pkg, contract)
    found = reading.found
    org = reading.named("OrgName")
    organisation = cells.text(org.value)
    if organisation is None and org.found:
        found.add("missing-org-name", "the council's name is blank", org.place)
    region = reading.named("Region")
    standards = _read_standards(reading)
    roles, figures = _read_roles(reading, standards)
    mapped = [role for role in roles if role.mapped]
    totals = {
        "roles_total": sum(figure.counted for figure in figures),
        "roles_mapped": len(mapped),
        "roles_none_suitable": sum(1 for role, figure in zip(roles, figures, strict=True)
                                   if figure.counted and role.standard == NONE_SUITABLE),
        "roles_to_choose": sum(1 for role, figure in zip(roles, figures, strict=True)
                               if figure.counted and role.standard is None),
        "headcount_mapped": sum(figure.headcount for figure in figures if figure.mapped),
        "vacancies_mapped": sum(figure.vacancies for figure in figures if figure.mapped),
        "cost_mapped": sum((figure.cost for figure in figures if figure.mapped), Decimal(0)),
    }
    _compare_cached(reading, totals)
    return RoleMap(
        file=pkg.display,
        template_version=contract.version,
        organisation=organisation,
        region=found.choice(region.value, REGIONS, what="Region", code="unknown-region", place=region.place,
                            required=False),
        standards_source=cells.text(reading.named("StandardsSource").value),
        roles=roles,
        services=[ServiceSummary(**vars(figure)) for figure in service_figures(_listed_services(reading), figures)],
        standards=[row.model for row in standards.rows],
        issues=found.issues,
        input_hash=reading.input_hash,
        **totals,
    )


# Private API: the standards list.


@dataclass(frozen=True)
class _Standard:
    model: StandardRow
    choosable: bool  # neither retired nor withdrawn: on the StandardChoiceList


@dataclass(frozen=True)
class _Standards:
    rows: list[_Standard]
    by_key: dict[str, _Standard]  # excel_text(reference) -> the first row with it, as MATCH finds it

    @property
    def choosable(self) -> set[str]:
        """The StandardChoiceList's entries, folded as COUNTIF compares them."""
        return {excel_text(NONE_SUITABLE), *(key for key, row in self.by_key.items() if row.choosable)}


def _read_standards(reading: Reading) -> _Standards:
    table = reading.table("Standards", required=("reference", "title"))
    rows, by_key = [], {}
    for row in table:
        reference = row.text("reference")
        if reference is None:
            continue
        status = row.text("status") or STATUSES[0]
        model = StandardRow(
            reference=reference, title=row.text("title") or "", level=_whole(row.get("level")),
            status=loose_choice(status, STATUSES) or status, route=row.text("route"),
            max_funding=_money(row.get("max_funding")), typical_duration_months=_whole(row.get(
                "typical_duration_months")), version=row.text("version"),
            typical_job_titles=_split(row.text("typical_job_titles")), keywords=_split(row.text("keywords")))
        standard = _Standard(model, model.status not in (RETIRED, WITHDRAWN))
        rows.append(standard)
        by_key.setdefault(excel_text(reference), standard)
    return _Standards(rows, by_key)


# Private API: the roles.


@dataclass
class _Facts:
    """What the row checks test (names as in the contract's RowCheck tests)."""

    no_job_title: bool
    duplicate: bool
    unknown_standard: bool


def _read_roles(reading: Reading, standards: _Standards) -> tuple[list[RoleRow], list[RoleFigures]]:
    table = reading.table("Roles", required=("job_title", "standard"))
    found = reading.found
    choosable = standards.choosable
    inputs = ROLES.keys("input")
    entered = [row for row in table if any(row.get(key) is not None for key in inputs)]
    same_role: dict[tuple[str, ...], list[Row]] = defaultdict(list)
    for row in entered:
        if row.get("job_title") is not None:
            same_role[tuple(excel_text(row.get(key)) for key in ROLE_KEY)].append(row)
    roles, figures = [], []
    for row in entered:
        job_title = row.text("job_title")
        name = job_title or f"row {row.number}"
        raw_standard = row.get("standard")
        chosen = excel_text(raw_standard)
        looked_up = None if chosen in ("", excel_text(NONE_SUITABLE)) else standards.by_key.get(chosen)
        twins = same_role.get(tuple(excel_text(row.get(key)) for key in ROLE_KEY), [])
        facts = _Facts(no_job_title=row.get("job_title") is None, duplicate=len(twins) > 1,
                       unknown_standard=raw_standard is not None and chosen not in choosable)
        standard = _standard_chosen(row, name, raw_standard, looked_up, facts, reading)
        _check_role(row, name, twins, looked_up, facts, reading)
        headcount = found.whole(row.get("headcount"), what=f"{name}: headcount", place=row.place("headcount"))
        vacancies = found.whole(row.get("vacancies"), what=f"{name}: vacancies", place=row.place("vacancies"))
        details = looked_up.model if looked_up else None
        mapped = is_mapped(row.get("job_title"), raw_standard, choosable)
        check = ROLES.first_failing(facts) or _refresh_note_shown(row)
        roles.append(RoleRow(
            row=row.number, job_title=job_title, service=row.text("service"), grade=row.text("grade"),
            headcount=headcount, vacancies=vacancies,
            suggestion_1=row.text("suggestion_1"), suggestion_2=row.text("suggestion_2"),
            suggestion_3=row.text("suggestion_3"), suggested=row.text("suggested"), standard=standard,
            title=None if standard in (None, NONE_SUITABLE) else (details.title if details else CHECK_UNKNOWN_STANDARD),
            level=details.level if details else None, route=details.route if details else None,
            band_max=details.max_funding if details else None,
            typical_duration_months=details.typical_duration_months if details else None,
            mapped=mapped, refresh_note=row.text("refresh_note"), check=check,
        ))
        cost = details.max_funding if mapped and details and details.max_funding is not None else Decimal(0)
        figures.append(RoleFigures(row.get("service"), row.get("job_title") is not None, mapped,
                                   counted(row.get("headcount")), counted(row.get("vacancies")), cost))
    return roles, figures


def _standard_chosen(row: Row, name: str, raw: Any, looked_up: _Standard | None, facts: _Facts,
                     reading: Reading) -> str | None:
    """The choice in its listed spelling (a loose spelling is read with a warning); as typed when unknown."""
    typed = cells.text(raw)
    if typed is None:
        return None
    listed = NONE_SUITABLE if excel_text(raw) == excel_text(NONE_SUITABLE) else (
        looked_up.model.reference if looked_up and not facts.unknown_standard else None)
    if listed is None:
        return typed
    if raw != listed:
        reading.found.add("value-normalised", f"{name}: standard {raw!r} read as {listed!r}; pick it from the "
                                              "list", row.place("standard"))
    return listed


def _check_role(row: Row, name: str, twins: list[Row], looked_up: _Standard | None, facts: _Facts,
                reading: Reading) -> None:
    found = reading.found
    if facts.no_job_title:
        found.add("incomplete-row", f"row {row.number}: a role with no job title; type its job title or clear the "
                                    "row", row.place("job_title"))
    if facts.duplicate and twins[0] is not row:
        what = ", ".join(text for key in ("service", "grade") if (text := row.text(key)))
        found.add("duplicate-role", f"{name}{f' ({what})' if what else ''} is listed twice (rows {twins[0].number} "
                                    f"and {row.number}); list each role once so that its headcount counts once",
                  row.place("job_title"))
    if facts.unknown_standard:
        typed = cells.text(row.get("standard"))
        if looked_up is not None:
            message = (f"{name}: {looked_up.model.reference} {looked_up.model.title} is "
                       f"{looked_up.model.status.lower()}, so it cannot be picked; pick another standard from "
                       "the list, or None suitable")
        else:
            message = (f"{name}: {typed!r} is not a standard on the Standards sheet; pick one from the list, or "
                       "None suitable")
        found.add("unknown-standard", message, row.place("standard"))


def _refresh_note_shown(row: Row) -> str:
    """The refresh's note, as the Check column shows it: only while the standard is what the refresh left."""
    if excel_text(row.get("standard")) != excel_text(row.get("standard_at_refresh")):
        return ""
    note = row.get("refresh_note")
    return "" if note is None else str(note)


# Private API: the summary.


def _listed_services(reading: Reading) -> list[str]:
    """The services the Summary sheet lists, above its last row (the rest)."""
    table = reading.table("ServiceSummary", required=("service",))
    services = [text for row in table if (text := row.text("service")) is not None]
    return [service for service in services if service != OTHER_SERVICES]


def _compare_cached(reading: Reading, totals: dict[str, Any]) -> None:
    """Warn where a total the workbook shows disagrees with the recomputed one (a formula typed over?)."""
    for name in TOTALS.names:
        shown = reading.named(name.name)
        if shown.value in (None, ""):
            continue  # never calculated: written by lga_xl, not yet opened in a spreadsheet program
        expected = totals[name.field]
        try:
            same = Decimal(str(shown.value)) == expected
        except ArithmeticError:
            same = False
        if not same:
            reading.found.add("cached-value-mismatch", f"{name.label}: the workbook shows {shown.value!r} but the "
                                                       f"roles give {expected}; has the formula been typed over?",
                              shown.place)


# Private API: cells of the Standards sheet (written by lga_xl; a bad one reads as blank).


def _whole(value: Any) -> int | None:
    try:
        read = cells.whole(value, minimum=None)
    except cells.CellValueError:
        return None
    return None if read is None else read.value


def _money(value: Any) -> Decimal | None:
    """An amount to the penny (a band of 4500 is stored as the float 4500.0)."""
    try:
        read = cells.number(value)
    except cells.CellValueError:
        return None
    return None if read is None else read.value.quantize(PENNY)


def _split(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(LIST_SEPARATOR.strip()) if part.strip()]
