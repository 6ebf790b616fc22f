"""The role map workbook: a council's job roles matched to apprenticeship standards, in the house style.

The contract (sheets, names, tables, columns and row checks) is
:mod:`lga_xl.contracts.role_map`; the suggestions come from
:mod:`lga_xl.role_matching` when the map is written, and everything the
officer's choice decides (the standard's title, level, route, band and
duration, and the Summary sheet) is worked out by the workbook's own
formulas, which :mod:`lga_xl.readers.role_map` recomputes.

Also here: the roles CSV (:func:`load_roles_csv`), the monthly refresh onto a
newer standards list (:func:`refresh_role_map`) and the planned starts a
levy plan is pre-filled with (:func:`planned_starts_from_role_map`).
docs/role-matching.md describes all three.

Example:
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "roles.xlsx"
    >>> new_role_map(path, org_name="Exampleshire County Council",
    ...              roles=[RoleEntry("Snr Care Worker", "Adult social care", "SC4", 40, 3)]).name
    'roles.xlsx'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .. import a1, cells
from ..contract import Table
from ..contracts.role_map import (
    CHECK_DUPLICATE,
    CHECK_UNKNOWN_STANDARD,
    CHOICE_LIST,
    CONTRACT,
    COVER,
    LIST_SEPARATOR,
    MAX_SUGGESTIONS,
    NONE_SUITABLE,
    OTHER_SERVICES,
    REFRESH_SHEET,
    ROLE_KEY,
    ROLES,
    SERVICE_SUMMARY,
    SPARE_ROWS,
    STANDARDS,
    TOTALS,
    RoleFigures,
    counted,
    excel_text,
    is_mapped,
    service_figures,
)
from ..models import RoleMap, StandardRow
from ..role_matching import TITLE, TYPICAL_JOB_TITLE, RoleMatcher, Suggestion
from ..standards import (
    APPROVED_FOR_DELIVERY,
    Standard,
    sample_export,
    sample_export_as_at,
    standard_from_fields,
)
from ..usertext import Field, UserRow, read_user_csv
from . import common as c
from . import style
from .levy_plan import StartEntry

__all__ = [
    "ROLES_CSV_FIELDS",
    "PrefilledStarts",
    "RefreshReport",
    "RefreshedRole",
    "RoleEntry",
    "RolesFile",
    "load_roles_csv",
    "new_role_map",
    "planned_starts_from_role_map",
    "refresh_role_map",
    "standards_of",
]

WORKBOOK_TITLE = "Job roles and apprenticeship standards"
SAMPLE_SOURCE = "the illustrative sample shipped with lga_xl"

ROLES_CSV_FIELDS = (
    Field("job_title", ("Job title", "Job role", "Role", "Post title", "Post", "Position", "Job")),
    Field("service", ("Service", "Service area", "Department", "Directorate", "Division", "Team"), required=False),
    Field("grade", ("Grade", "Pay grade", "Band", "Pay band", "Scale"), required=False),
    Field("headcount", ("Headcount", "Head count", "Staff", "Number of staff", "Staff in post", "Employees",
                        "Post holders"), required=False),
    Field("vacancies", ("Vacancies", "Vacancy", "Vacant posts", "Vacant", "Open vacancies"), required=False),
)

_REASONS = {TYPICAL_JOB_TITLE: "job title"}  # what matched, as the Suggested column says it
_WRAPPED_RESULT = replace(style.CALCULATED, wrap=True)
_FIXED_TEXT = style.TABLE_CELL  # written when the map is made: bordered, wrapped, not yellow or green
_CHECK_FILL = PatternFill("solid", fgColor=style.CHECK_COLOUR, bgColor=style.CHECK_COLOUR)


@dataclass(frozen=True)
class RoleEntry:
    """A row of the Roles table; ``standard`` is the officer's choice (a reference or None suitable), if any.

    ``refresh_note`` says what a refresh found; the Check column shows it
    until the officer changes the standard.
    """

    job_title: str | None
    service: str | None = None
    grade: str | None = None
    headcount: int | None = None
    vacancies: int | None = None
    standard: str | None = None
    refresh_note: str | None = None


@dataclass(frozen=True)
class RolesFile:
    """A roles CSV, read: its roles in file order, and the optional columns it does not have."""

    roles: tuple[RoleEntry, ...]
    missing: tuple[str, ...]


# Public API: writing a map.


def new_role_map(
    path: str | Path,
    *,
    org_name: str | None = None,
    region: str | None = None,
    roles: Sequence[RoleEntry] = (),
    standards: Sequence[Standard] | None = None,
    standards_source: str | None = None,
) -> Path:
    """Write a role map: each role with up to three suggested standards and a Standard dropdown.

    Args:
        path: where to write the .xlsx file.
        org_name: the council's name (written as text, never as a formula).
        region: one of the nine English regions, or None.
        roles: the job roles, in order; the table keeps SPARE_ROWS blank rows
            below them for roles the officer adds.
        standards: the standards list, loaded with ``include_inactive=True``
            so that the map records retired standards too (they are never
            suggested nor offered); the illustrative sample when None, with
            a banner saying so and naming its date.
        standards_source: where ``standards`` came from, shown on the map.

    Example:
        >>> import tempfile, pathlib
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "blank.xlsx"
        >>> new_role_map(out).exists()
        True
    """
    sample = standards is None
    if sample:
        standards = sample_export(include_inactive=True)
        standards_source = f"{SAMPLE_SOURCE} (figures as at {_day(sample_export_as_at())})"
    return _write(path, org_name=org_name, region=region, roles=roles, standards=standards,
                  standards_source=standards_source or "a file supplied when the map was made",
                  sample=sample, matcher=RoleMatcher(standards), refresh=None)


def load_roles_csv(path: str | Path) -> RolesFile:
    """The job roles of a CSV with the columns Job title, Service, Grade, Headcount and Vacancies.

    Any case and order; headers are matched loosely (``Head count``, ``Job
    role``, ``Service area``); files saved by Excel in any of its CSV
    encodings and delimiters read (:mod:`lga_xl.usertext`).  Only Job title
    is required; Headcount and Vacancies are whole numbers of 0 or more, or blank.

    Raises:
        UserTextError: the file cannot be read or lacks a Job title column;
            UserRowsError (a UserTextError) lists every bad row by its line,
            a role (job title, service and grade) listed twice included.

    Example:
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "roles.csv"
        >>> _ = path.write_text("SERVICE;job title;Head count\\nAdult social care;Care Worker;12\\n")
        >>> roles = load_roles_csv(path)
        >>> roles.roles[0].job_title, roles.roles[0].service, roles.roles[0].headcount, roles.missing
        ('Care Worker', 'Adult social care', 12, ('Grade', 'Vacancies'))
    """
    table = read_user_csv(path, ROLES_CSV_FIELDS)
    first_line: dict[tuple[str, ...], int] = {}

    def parse(row: UserRow) -> RoleEntry:
        role = _role_from_csv(row)
        key = _role_key(role)
        if key in first_line:
            raise ValueError(f"{_role_name(role)} is listed twice (first on line {first_line[key]}); list each "
                             "role once")
        first_line[key] = row.line
        return role

    roles = table.parse_rows(parse)
    missing = tuple(field.label for field in ROLES_CSV_FIELDS if field.name not in table.columns)
    return RolesFile(tuple(roles), missing)


# Public API: the monthly refresh.


@dataclass(frozen=True)
class RefreshedRole:
    """A role the refresh flagged: what was chosen before, what the new map holds, and why."""

    row: int
    job_title: str | None
    service: str | None
    before: str | None
    after: str | None
    note: str


@dataclass(frozen=True)
class RefreshReport:
    """What a refresh did: choices kept, choices cleared because their standard went, roles flagged."""

    source: str
    standards_before: str | None
    standards_after: str
    roles: int
    kept: int
    cleared: int
    flagged: tuple[RefreshedRole, ...]

    def summary(self) -> str:
        """One line: how many roles, choices kept and cleared, roles flagged."""
        return (f"{self.roles} roles: {self.kept} confirmed choice{'' if self.kept == 1 else 's'} kept, "
                f"{self.cleared} cleared because the standard was retired or withdrawn, "
                f"{len(self.flagged)} role{'' if len(self.flagged) == 1 else 's'} flagged")

    def lines(self) -> list[str]:
        """The report as printed by ``lga-xl role-map refresh``."""
        lines = [f"Refreshed {self.source} from {self.standards_before or 'an unknown standards list'} "
                 f"to {self.standards_after}", self.summary()]
        lines += [f"  row {role.row:<4} {_role_text(role.job_title, role.service):45} {role.note}"
                  for role in self.flagged]
        return lines


def refresh_role_map(
    path: str | Path,
    standards: Sequence[Standard],
    output: str | Path,
    *,
    standards_source: str | None = None,
) -> RefreshReport:
    """Write a new map of the same roles on a newer standards list, carrying the officer's choices over.

    Each confirmed choice whose standard is still current (neither retired
    nor withdrawn, nor gone from the list) is kept; one whose standard was
    retired or withdrawn is cleared and the role flagged.  A kept choice is
    flagged when its standard's funding band maximum or level changed, and
    any confirmed role (None suitable included) is flagged when the new list's
    first suggestion for it is a standard that was not among its suggestions
    before.  Each flag is a note the role's Check column shows (until the
    officer changes its standard) and a line of the report, which the new
    map's Refresh sheet lists too.  Roles added in the map's blank rows get
    their suggestions.  ``path`` is only read.

    Args:
        path: the role map to refresh.
        standards: the new list, loaded with ``include_inactive=True`` so that
            retired standards are told apart from ones no longer listed.
        output: where to write the new map (not ``path``).
        standards_source: where the new list came from, shown on the map.

    Raises:
        WorkbookError: ``path`` cannot be read as a role map.
        ValueError: ``output`` is ``path``.
    """
    from ..outputs import same_path
    from ..readers import read_workbook

    if same_path(path, output):
        raise ValueError(f"{output}: the refreshed map must not replace the map it refreshes; choose another name")
    old = read_workbook(path, expected=CONTRACT.kind)
    before = {standard.reference: standard for standard in old.standards}
    after = {standard.reference: standard for standard in standards}
    matcher = RoleMatcher(standards)
    entries, flagged, kept, cleared = [], [], 0, 0
    for index, role in enumerate(old.roles):
        choice, notes, outcome = _carried_choice(role.standard, before, after)
        kept, cleared = kept + (outcome == "kept"), cleared + (outcome == "cleared")
        best = matcher.suggest(role.job_title, limit=1) if role.job_title else []
        previous = {role.suggestion_1, role.suggestion_2, role.suggestion_3, choice}
        if role.standard is not None and best and best[0].reference not in previous:
            notes.append(f"New suggestion: {best[0].reference} {best[0].title} (level {best[0].level})")
        note = "; ".join(notes) or None
        entries.append(RoleEntry(role.job_title, role.service, role.grade, role.headcount, role.vacancies, choice,
                                 note))
        if note:
            flagged.append(RefreshedRole(ROLES.first_row + index, role.job_title, role.service, role.standard,
                                         choice, note))
    report = RefreshReport(
        source=Path(path).name, standards_before=old.standards_source,
        standards_after=standards_source or "a file supplied at the refresh", roles=sum(
            1 for role in old.roles if role.job_title), kept=kept, cleared=cleared, flagged=tuple(flagged))
    _write(output, org_name=old.organisation, region=old.region, roles=entries, standards=standards,
           standards_source=report.standards_after, sample=False, matcher=matcher, refresh=report)
    return report


def _carried_choice(choice: str | None, before: dict[str, StandardRow],
                    after: dict[str, Standard]) -> tuple[str | None, list[str], str]:
    """What a refresh does with one role's choice: (the choice carried over, notes, "kept", "cleared" or "")."""
    if choice is None:
        return None, [], ""
    if choice == NONE_SUITABLE:
        return choice, [], "kept"
    was, now = before.get(choice), after.get(choice)
    if was is None and now is None:
        return choice, [], ""  # in neither list: carried as typed, and the new map says Unknown standard
    if now is None or now.retired_or_withdrawn:
        what = "is no longer in the standards list" if now is None else f"was {now.status.lower()}"
        return None, [f"{choice} {(now or was).title} {what}: choose another standard"], "cleared"
    notes = []
    if was is not None and was.max_funding is not None and was.max_funding != now.max_funding:
        notes.append(f"Funding band maximum changed from {_money(was.max_funding)} to {_money(now.max_funding)}")
    if was is not None and was.level is not None and was.level != now.level:
        notes.append(f"Level changed from {was.level} to {now.level}")
    return choice, notes, "kept"


# Public API: into the levy plan.


@dataclass(frozen=True)
class PrefilledStarts:
    """Planned starts for a levy plan from a role map: one a vacancy in each mapped role.

    ``roles`` counts the roles they come from; ``skipped`` says why any mapped
    role with vacancies gave none.
    """

    starts: tuple[StartEntry, ...]
    roles: int
    skipped: tuple[str, ...]


def planned_starts_from_role_map(role_map: RoleMap, standards: Sequence[Standard] | None = None) -> PrefilledStarts:
    """Planned starts for the council's own staff: one for each vacancy of each role with a standard.

    Each start names the role's standard, is priced at its funding band
    maximum and lasts its typical duration; its start date is left blank for
    the officer to fill in (the plan shows the row as incomplete until then).
    Band and duration come from ``standards`` (the plan's list) when given,
    else from the map's own list.  A standard that is not approved for
    delivery, or not in ``standards``, gives no starts and is named in ``skipped``.

    Example:
        >>> import tempfile, pathlib
        >>> from lga_xl.readers.role_map import read_role_map
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "roles.xlsx"
        >>> _ = new_role_map(path, roles=[RoleEntry("Care Worker", "Adults", None, 40, 2, "ST0005")])
        >>> prefilled = planned_starts_from_role_map(read_role_map(path))
        >>> [(s.standard, s.start_date, s.price) for s in prefilled.starts]
        [('ST0005', None, Decimal('4500.00')), ('ST0005', None, Decimal('4500.00'))]
    """
    listed = {standard.reference: standard for standard in (standards if standards is not None
                                                            else standards_of(role_map))}
    starts, roles, skipped = [], 0, []
    for role in role_map.roles:
        if not role.mapped or not role.vacancies:
            continue
        standard = listed.get(role.standard)
        if standard is None:
            skipped.append(f"row {role.row} {role.job_title}: {role.standard} is not in the plan's standards list")
        elif not standard.approved:
            skipped.append(f"row {role.row} {role.job_title}: {role.standard} is {standard.status.lower()}, "
                           "so no start can be planned on it yet")
        else:
            roles += 1
            starts += [StartEntry(standard=standard.reference, start_date=None,
                                  duration_months=standard.typical_duration_months, price=standard.max_funding)
                       for _ in range(role.vacancies)]
    return PrefilledStarts(tuple(starts), roles, tuple(skipped))


def standards_of(role_map: RoleMap) -> list[Standard]:
    """The standards list a role map was made on, as :class:`~lga_xl.standards.Standard` objects.

    Raises:
        ValueError: a standard on the map's Standards sheet that cannot be read (edited by hand).
    """
    return [standard_from_fields(row.model_dump(), version=row.version, require_funding=False)
            for row in role_map.standards]


# Private API: the workbook.


def _write(path: str | Path, *, org_name: str | None, region: str | None, roles: Sequence[RoleEntry],
           standards: Sequence[Standard], standards_source: str, sample: bool, matcher: RoleMatcher,
           refresh: RefreshReport | None) -> Path:
    standards = sorted(standards, key=lambda s: s.reference)
    choosable = [s.reference for s in standards if not s.retired_or_withdrawn]
    banner = (f"Illustrative sample standards list, figures as at {_day(sample_export_as_at())}: not for "
              "planning. Make the map with your own export of the standards list (lga-xl new role-map "
              "--standards FILE).") if sample else None
    wb = c.new_workbook(WORKBOOK_TITLE)
    style.use_house_font(wb)
    _instructions(wb, standards_source, banner)
    figures = _roles_sheet(wb, org_name, region, roles, standards, standards_source, banner, matcher)
    _summary_sheet(wb, roles, figures)
    _standards_sheet(wb, standards, standards_source, banner)
    if refresh is not None:
        _refresh_sheet(wb, refresh)
    c.add_lists_sheet(wb, {**CONTRACT.lists, CHOICE_LIST: (NONE_SUITABLE, *choosable)})
    c.add_metadata_sheet(wb, CONTRACT.kind, CONTRACT.version, {"standards_source": standards_source})
    wb.active = 0  # opens on the Instructions
    return c.save(wb, path)


INSTRUCTIONS = (
    ("What this workbook is", (
        "A map of the council's job roles to the apprenticeship standards that could train people for them. For "
        "each role it suggests up to three standards from the standards list, best first, and says why: which "
        "of the standard's typical job titles or keywords matches the job title (or its title, when nothing "
        "else does). You confirm one standard for each role, or None suitable; its title, level, route, "
        "funding band maximum and typical duration then fill in, and the Summary sheet adds up, service by "
        "service, the roles with a standard, their headcount and vacancies, and what one apprenticeship start "
        "in each would cost at most.",
    )),
    ("How to fill it in", (
        "1. On the Roles sheet, type the council's name and pick its region in the yellow cells at the top.",
        "2. For each role, read the suggested standards and pick one in the Standard column, or None suitable. "
        "The Standards sheet lists every standard with its typical job titles and keywords.",
        "3. Correct the headcount and vacancies if they have changed. Add any missing role in the blank yellow "
        "rows at the end of the table: it is given suggestions the next time the map is refreshed.",
        "Only the yellow cells can be changed; the sheets are protected without a password so that formulas "
        "are not typed over. A row with a problem, or that a refresh flagged, shows it in its Check column.",
    )),
    ("How the suggestions are made", (
        "A job title is reduced to the words that matter: abbreviations such as Snr, Asst, Mgr and ICT are "
        "written out, plurals made singular, and words such as trainee, level and temporary left out. It is "
        "then compared with every standard's typical job titles, keywords and title. Words few standards use "
        "(payroll, gardener) count for more than common ones (assistant, officer), and typical job titles "
        "count most, then keywords, then the title.",
        "Retired and withdrawn standards are never suggested. Standards still in development can be, and say "
        "so: no start can be planned on them yet. A suggestion that matched on one common word only is weak: "
        "check it against the role.",
    )),
    ("The standards list and the monthly refresh", (
        "Skills England approves, revises and retires standards every month. Your adviser can refresh this map "
        "on a newer list: your choices are kept; a role whose standard was retired or withdrawn has its choice "
        "cleared; and a role whose standard's funding band or level changed, or that has a new best suggestion, "
        "is flagged in its Check column until you change its standard. A refreshed map lists what changed on "
        "its Refresh sheet.",
    )),
    ("How the figures are worked out", (
        "A role has a standard once one is picked from the list; None suitable does not count. Headcount and "
        "vacancies are added up over the roles with a standard. The cost of one start for each role with a "
        "standard is the sum of their standards' funding band maxima: the most the levy would pay for one "
        "apprenticeship in each of those roles. Services are listed as the roles gave them; roles in a service "
        "added later, or with no service, count in the last row.",
    )),
    ("What to send back", (
        "Save the workbook as .xlsx (not .xls, not PDF, no password) and send it to your adviser. Please do not "
        "rename or delete sheets, tables or columns: the adviser's import reads them and says which cell needs "
        "fixing.",
    )),
)


def _instructions(wb: Workbook, standards_source: str, banner: str | None) -> None:
    ws = wb.create_sheet("Instructions")
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 95
    _title(ws, "Job roles and apprenticeship standards: instructions", last_column=2)
    row = 3
    if banner:
        _paragraph(ws, row, banner, style.WARNING, last_column=2)
        row += 2
    row = style.add_key(ws, row, entries=(*style.KEY, style.CHECK_KEY, *((style.WARNING_KEY,) if banner else ())))
    row += 1
    _paragraph(ws, row, f"Standards list: {standards_source}.", style.NOTE, last_column=2)
    row += 2
    for heading, paragraphs in INSTRUCTIONS:
        ws.cell(row=row, column=1, value=heading)
        style.apply(ws.cell(row=row, column=1), style.HEADING)
        row += 1
        for paragraph in paragraphs:
            _paragraph(ws, row, paragraph, style.PARAGRAPH, last_column=2)
            row += 1
        row += 1
    style.fit_rows(ws)
    style.set_up_printing(ws, title=WORKBOOK_TITLE, landscape=False)
    c.protect(ws)


def _roles_sheet(wb: Workbook, org_name: str | None, region: str | None, roles: Sequence[RoleEntry],
                 standards: Sequence[Standard], standards_source: str, banner: str | None,
                 matcher: RoleMatcher) -> list[RoleFigures]:
    """The Roles sheet; returns what each role adds to the Summary, for the chart's cached values."""
    table = ROLES
    ws = wb.create_sheet(table.sheet)
    rows = len(roles) + SPARE_ROWS if roles else table.rows
    first, last = table.first_row, table.last_row(rows)
    visible = [column.key for column in table.columns if not column.hidden]
    last_visible = table.first_column + len(visible)
    _title(ws, "Job roles and apprenticeship standards", last_column=last_visible)
    _paragraph(ws, 2, "For each role, pick a Standard (yellow) from the list, or None suitable: the suggestions "
                      "beside it are the place to start. Green cells are worked out for you.", style.NOTE,
               last_column=last_visible)
    if banner:
        _paragraph(ws, 3, banner, style.WARNING, last_column=last_visible)
    _cover(wb, ws, {"OrgName": org_name, "Region": region, "StandardsSource": standards_source})

    by_reference = {excel_text(s.reference): s for s in standards}  # as MATCH finds them, ignoring case
    choosable = {excel_text(NONE_SUITABLE), *(excel_text(s.reference) for s in standards
                                              if not s.retired_or_withdrawn)}
    suggestions = matcher.suggest_many([role.job_title or "" for role in roles])
    for header, column in zip(table.headers, table.columns, strict=True):
        cell = ws[table.cell(column.key, table.header_row)]
        c.set_text(cell, header)
        style.apply(cell, style.TABLE_HEADER)
    figures = []
    for index, r in enumerate(range(first, last + 1)):
        k = table.row_cells(r)
        if index < len(roles):
            role = roles[index]
            _write_role(ws, k, role, suggestions[index])
            standard = by_reference.get(excel_text(role.standard))
            mapped = is_mapped(role.job_title, role.standard, choosable)
            figures.append(RoleFigures(role.service, excel_text(role.job_title) != "", mapped,
                                       counted(role.headcount), counted(role.vacancies),
                                       standard.max_funding if mapped and standard else Decimal(0)))
        _role_formulas(ws, r)
    _style_role_row(ws, first)
    _copy_row_style(ws, first, range(first + 1, last + 1), len(table.columns))
    style.add_table(ws, table.name, table.ref(rows))
    _role_validations(ws, table, rows)
    ws.conditional_formatting.add(table.column_cells("check", rows),
                                  FormulaRule(formula=[f'{table.cell("check", first)}<>""'], fill=_CHECK_FILL))
    widest_title = max((s.title for s in standards), key=len, default="Title")
    widest_route = max((s.route or "" for s in standards), key=len, default="Route")
    longest_note = max((role.refresh_note or "" for role in roles), key=len, default="")
    fits = style.fit_columns(ws, table.header_row, last, header_row=table.header_row, columns=[
        table.letter(key) for key in visible], samples={
        table.letter("title"): widest_title, table.letter("level"): 8, table.letter("route"): widest_route,
        table.letter("band_max"): Decimal("99999.00"), table.letter("typical_duration_months"): 48,
        table.letter("check"): max(CHECK_DUPLICATE, longest_note, key=len)},
        caps={table.letter("job_title"): 26, table.letter("service"): 20, table.letter("suggested"): 50,
              table.letter("title"): 26, table.letter("route"): 16, table.letter("check"): 24})
    # The cover's labels sit in the table's first column, above the rows the fit measured.
    style.widen_column(ws, a1.column_letter(COVER.label_column), [name.label for name in COVER.names], bold=True)
    for column in table.columns:
        if column.hidden:
            ws.column_dimensions[table.letter(column.key)].hidden = True
    style.fit_rows(ws, 2, last)
    _fit_worked_out(ws, roles, by_reference, fits)
    ws.freeze_panes = table.cell("service", first)
    # The print area ends at the last column that shows: the hidden workings to its right never print.
    style.set_up_printing(ws, title=WORKBOOK_TITLE, repeat_rows=(table.header_row, table.header_row),
                          area=f"A1:{table.letter(visible[-1])}{last}")
    c.protect(ws)
    return figures


def _fit_worked_out(ws: Worksheet, roles: Sequence[RoleEntry], by_reference: dict[str, Standard],
                    fits: dict[str, style.ColumnFit]) -> None:
    """Make each role's row tall enough for what its formulas will show, which the writer knows.

    Row heights come from the text written (the suggestions); the chosen
    standard's title and route, and a refresh note in the Check column, are
    worked out by formulas, so their wrapped lines are counted here.
    """
    for row, role in enumerate(roles, start=ROLES.first_row):
        standard = by_reference.get(excel_text(role.standard))
        shown = {"title": standard and standard.title, "route": standard and standard.route,
                 "check": role.refresh_note}
        lines = max((style.wrapped_lines(text, fits[ROLES.letter(key)].width) for key, text in shown.items()
                     if text), default=1)
        height = lines * style.line_height(style.BODY_SIZE)
        if height > (ws.row_dimensions[row].height or style.line_height(style.BODY_SIZE)):
            ws.row_dimensions[row].height = height


def _cover(wb: Workbook, ws: Worksheet, values: dict[str, str | None]) -> None:
    """Council, region and the standards list above the table, each value across the table's first inputs."""
    for name in COVER.names:
        row = COVER.row(name.name)
        label = ws.cell(row=row, column=COVER.label_column + 1, value=name.label)
        style.apply(label, style.LABEL)
        cell = ws[COVER.cell(name.name)]
        c.write_value(cell, values[name.name])
        span = [ws.cell(row=row, column=col) for col in range(COVER.value_column + 1, COVER.value_column + 6)]
        style.apply(span, style.INPUT if name.role == "input" else style.BODY)
        style.merge_cells(ws, start_row=row, start_column=span[0].column, end_row=row, end_column=span[-1].column)
        c.define_name(wb, name.name, ws, cell.coordinate)
    style.add_prompt(ws, COVER.cell("OrgName"), title="Council", prompt="The council's name as you want it "
                                                                          "reported.")
    region = DataValidation(type="list", formula1="RegionList", allow_blank=True)
    style.explain(region, title="Region", prompt="Pick the council's region.",
                  error="Pick one of the nine English regions from the list.")
    region.add(COVER.cell("Region"))
    ws.add_data_validation(region)


def _write_role(ws: Worksheet, k: dict[str, str], role: RoleEntry, suggestions: list[Suggestion]) -> None:
    for key in ("job_title", "service", "grade", "headcount", "vacancies", "standard", "refresh_note"):
        c.write_value(ws[k[key]], getattr(role, key))
    if role.refresh_note:
        c.write_value(ws[k["standard_at_refresh"]], role.standard)
    if role.job_title:
        lines = [_suggestion_line(rank, s) for rank, s in enumerate(suggestions, start=1)]
        c.set_text(ws[k["suggested"]], "\n".join(lines) or "No standard suggested: pick one from the list, or "
                                                            "None suitable")
    for rank, suggestion in enumerate(suggestions[:MAX_SUGGESTIONS], start=1):
        c.set_text(ws[k[f"suggestion_{rank}"]], suggestion.reference)


def _suggestion_line(rank: int, suggestion: Suggestion) -> str:
    """``1. ST0005 Adult care worker (level 2): job title "Care worker"``."""
    status = "" if suggestion.status == APPROVED_FOR_DELIVERY else f", {suggestion.status.lower()}"
    why = "its title" if suggestion.matched_on == TITLE else (
        f'{_REASONS.get(suggestion.matched_on, suggestion.matched_on)} "{suggestion.matched_text}"')
    return f"{rank}. {suggestion.reference} {suggestion.title} (level {suggestion.level}{status}): {why}"


def _role_formulas(ws: Worksheet, r: int) -> None:
    """The chosen standard's details, the Check column and the hidden workings of worksheet row ``r``."""
    k = ROLES.row_cells(r)
    std, job = k["standard"], k["job_title"]
    match = f"MATCH({std},{STANDARDS.structured('reference')},0)"
    chosen = f'OR({std}="",{std}="{NONE_SUITABLE}")'

    def looked_up(key: str, *, text: bool = False) -> str:
        found = f"INDEX({STANDARDS.structured(key)},{match})"
        value = f'{found}&""' if text else f'IF({found}="","",{found})'
        return f'=IF({chosen},"",IFERROR({value},""))'

    ws[k["title"]] = (f'=IF({chosen},"",IFERROR(INDEX({STANDARDS.structured("title")},{match})&"",'
                      f'"{CHECK_UNKNOWN_STANDARD}"))')
    ws[k["level"]] = looked_up("level")
    ws[k["route"]] = looked_up("route", text=True)
    ws[k["band_max"]] = looked_up("max_funding")
    ws[k["typical_duration_months"]] = looked_up("typical_duration_months")
    note = f'IF({std}&""={k["standard_at_refresh"]}&"",{k["refresh_note"]}&"","")'
    entered = ",".join(k[key] for key in ROLES.keys("input"))
    ws[k["check"]] = f'=IF(COUNTA({entered})=0,"",{ROLES.check_formula(r, blank=note)})'
    ws[k["mapped"]] = (f'=IF(AND({job}<>"",{std}<>"",{std}<>"{NONE_SUITABLE}",COUNTIF({CHOICE_LIST},{std})>0),'
                       "1,0)")
    for key, source in (("headcount_mapped", k["headcount"]), ("vacancies_mapped", k["vacancies"])):
        ws[k[key]] = (f"=IF(AND({k['mapped']}=1,ISNUMBER({source})),"
                      f"IF(AND({source}>=0,{source}=ROUND({source},0)),{source},0),0)")
    ws[k["cost_mapped"]] = f"=IF(AND({k['mapped']}=1,ISNUMBER({k['band_max']})),{k['band_max']},0)"


def _style_role_row(ws: Worksheet, r: int) -> None:
    k = ROLES.row_cells(r)
    for column in ROLES.columns:
        cell = ws[k[column.key]]
        if column.role == "input":
            cell_style = style.INPUT if column.kind in ("whole", "choice") else replace(style.INPUT, wrap=True)
        elif column.role == "fixed":
            cell_style = _FIXED_TEXT
        else:
            cell_style = _WRAPPED_RESULT if column.kind == "text" else style.CALCULATED
        style.apply(cell, cell_style, column.number_format)


def _role_validations(ws: Worksheet, table: Table, rows: int) -> None:
    cells_of = lambda key: table.column_cells(key, rows)  # noqa: E731
    for key, title, prompt in (
        ("job_title", "Job title", "The job title as the council writes it."),
        ("service", "Service", "The service, directorate or department the role is in."),
        ("grade", "Grade", "The role's pay grade, as the council writes it."),
    ):
        style.add_prompt(ws, cells_of(key), title=title, prompt=prompt)
    for key, title, prompt in (
        ("headcount", "Headcount", "How many people are in this role now: a whole number."),
        ("vacancies", "Vacancies", "How many posts in this role are vacant: a whole number."),
    ):
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        style.explain(dv, title=title, prompt=prompt, error="Type a whole number, 0 or more.")
        dv.add(cells_of(key))
        ws.add_data_validation(dv)
    dv = DataValidation(type="list", formula1=CHOICE_LIST, allow_blank=True)
    style.explain(dv, title="Standard", prompt="Pick the standard that fits this role, or None suitable. The "
                                               "suggestions are to the left; the Standards sheet lists them all.",
                  error="Pick a standard's reference from the list, or None suitable.")
    dv.add(cells_of("standard"))
    ws.add_data_validation(dv)


def _summary_sheet(wb: Workbook, roles: Sequence[RoleEntry], figures: list[RoleFigures]) -> None:
    ws = wb.create_sheet(TOTALS.sheet)
    table = SERVICE_SUMMARY
    services = _services(roles)
    rows = len(services) + 1
    first, last = table.first_row, table.last_row(rows)
    _title(ws, "Summary: roles with a standard, by service", last_column=len(table.columns))
    _paragraph(ws, 2, "Worked out from the Roles sheet. A role has a standard once one is picked; None suitable "
                      "does not count.", style.NOTE, last_column=len(table.columns))
    role_columns = {key: ROLES.structured(key) for key in (
        "job_title", "standard", "service", "mapped", "headcount_mapped", "vacancies_mapped", "cost_mapped")}
    formulas = {
        "RolesTotal": f'=SUMPRODUCT(({role_columns["job_title"]}<>"")*1)',
        "RolesMapped": f"=SUM({role_columns['mapped']})",
        "RolesNoneSuitable": (f'=SUMPRODUCT(({role_columns["job_title"]}<>"")*'
                              f'({role_columns["standard"]}="{NONE_SUITABLE}"))'),
        "RolesToChoose": f'=SUMPRODUCT(({role_columns["job_title"]}<>"")*({role_columns["standard"]}=""))',
        "HeadcountMapped": f"=SUM({role_columns['headcount_mapped']})",
        "VacanciesMapped": f"=SUM({role_columns['vacancies_mapped']})",
        "CostMapped": f"=ROUND(SUM({role_columns['cost_mapped']}),2)",
    }
    for name in TOTALS.names:
        row = TOTALS.row(name.name)
        label = ws.cell(row=row, column=TOTALS.label_column + 1, value=name.label)
        style.apply(label, replace(style.LABEL, wrap=True))
        cell = ws[TOTALS.cell(name.name)]
        cell.value = formulas[name.name]
        style.apply(cell, style.CALCULATED, name.number_format)
        c.define_name(wb, name.name, ws, cell.coordinate)

    ws.cell(row=table.header_row - 1, column=1, value="By service")
    style.apply(ws.cell(row=table.header_row - 1, column=1), style.HEADING)
    for header, column in zip(table.headers, table.columns, strict=True):
        cell = ws[table.cell(column.key, table.header_row)]
        c.set_text(cell, header)
        style.apply(cell, style.TABLE_HEADER)
    totals = {"roles": "RolesTotal", "roles_mapped": "RolesMapped", "headcount_mapped": "HeadcountMapped",
              "vacancies_mapped": "VacanciesMapped", "cost_mapped": "CostMapped"}
    added = {"roles": f'({role_columns["job_title"]}<>"")', "roles_mapped": role_columns["mapped"],
             **{key: role_columns[key] for key in ("headcount_mapped", "vacancies_mapped", "cost_mapped")}}
    known: dict[str, object] = {}
    for (index, r), figure in zip(enumerate(range(first, last + 1)), service_figures(services, figures),
                                  strict=True):
        k = table.row_cells(r)
        c.set_text(ws[k["service"]], figure.service)
        style.apply(ws[k["service"]], _FIXED_TEXT)
        for key, total in totals.items():
            if index < len(services):  # the roles whose Service equals this row's (ignoring case)
                value = f"SUMPRODUCT(({role_columns['service']}={k['service']})*{added[key]})"
            else:  # the rest: the whole less the services listed above
                value = total + (f"-SUM({table.cell(key, first)}:{table.cell(key, last - 1)})" if services else "")
            ws[k[key]] = f"=ROUND({value},2)" if key == "cost_mapped" else f"={value}"
            style.apply(ws[k[key]], style.CALCULATED, table.column(key).number_format)
            known[f"{table.sheet}!{k[key]}"] = getattr(figure, key)
    style.add_table(ws, table.name, table.ref(rows))
    style.fit_columns(ws, TOTALS.first_row, last, header_row=table.header_row, samples={
        table.letter("service"): max([OTHER_SERVICES, *services], key=len)},
        caps={table.letter("service"): 40})
    # The totals' labels wrap in the Service column; their values sit beside them.
    style.fit_rows(ws, 2, last)
    style.set_up_printing(ws, title=WORKBOOK_TITLE, repeat_rows=(table.header_row, table.header_row))
    chart = BarChart()
    chart.type = "col"
    for key in ("roles", "roles_mapped"):
        column = table.first_column + table.index(key) + 1
        chart.add_data(Reference(ws, min_col=column, min_row=table.header_row, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=table.first_column + 1, min_row=first, max_row=last))
    style.finish_chart(chart, title="Job roles, and those with a standard, by service", y_title="Roles")
    chart.height = 9
    style.cache_chart_data(chart, wb, known=known)
    style.place_chart_below(ws, chart, last)
    c.protect(ws)


def _services(roles: Sequence[RoleEntry]) -> list[str]:
    """The services the roles name, first-named first, once each (ignoring case)."""
    seen: dict[str, str] = {}
    for role in roles:
        if role.service and excel_text(role.service) not in seen and excel_text(role.service) != excel_text(
                OTHER_SERVICES):
            seen[excel_text(role.service)] = role.service
    return list(seen.values())


def _standards_sheet(wb: Workbook, standards: Sequence[Standard], source: str, banner: str | None) -> None:
    table = STANDARDS
    ws = wb.create_sheet(table.sheet)
    width = len(table.columns)
    _title(ws, "The standards list this map was made on", last_column=width)
    _paragraph(ws, 2, f"From {source}. Retired and withdrawn standards are listed for the record: they are never "
                      "suggested and cannot be picked.", style.NOTE, last_column=width)
    if banner:
        _paragraph(ws, 3, banner, style.WARNING, last_column=width)
    for header, column in zip(table.headers, table.columns, strict=True):
        cell = ws[table.cell(column.key, table.header_row)]
        c.set_text(cell, header)
        style.apply(cell, style.TABLE_HEADER)
    for r, standard in enumerate(standards, start=table.first_row):
        values = {
            "reference": standard.reference, "title": standard.title, "level": standard.level,
            "status": standard.status, "route": standard.route, "max_funding": standard.max_funding,
            "typical_duration_months": standard.typical_duration_months, "version": standard.version,
            "typical_job_titles": LIST_SEPARATOR.join(standard.typical_job_titles) or None,
            "keywords": LIST_SEPARATOR.join(standard.keywords) or None,
        }
        for column in table.columns:
            c.write_value(ws[table.cell(column.key, r)], values[column.key])
    rows = max(len(standards), 1)
    last = table.last_row(rows)
    for column in table.columns:
        style.apply(ws[table.cell(column.key, table.first_row)], _FIXED_TEXT, column.number_format)
    _copy_row_style(ws, table.first_row, range(table.first_row + 1, last + 1), len(table.columns))
    style.add_table(ws, table.name, table.ref(rows))
    style.fit_columns(ws, table.header_row, last, header_row=table.header_row, caps={
        table.letter("title"): 36, table.letter("route"): 22, table.letter("typical_job_titles"): 48,
        table.letter("keywords"): 30})
    style.fit_rows(ws, 2, last)
    ws.freeze_panes = table.cell("title", table.first_row)
    style.set_up_printing(ws, title=WORKBOOK_TITLE, repeat_rows=(table.header_row, table.header_row))
    c.protect(ws)


def _refresh_sheet(wb: Workbook, report: RefreshReport) -> None:
    ws = wb.create_sheet(REFRESH_SHEET)
    headers = ("Row", "Job title", "Service", "Standard before", "Standard now", "What changed")
    _title(ws, "What the refresh changed", last_column=len(headers))
    _paragraph(ws, 2, f"Made from {report.source} on {_day(dt.date.today())}: standards list {report.standards_before}"
                      f" replaced by {report.standards_after}. {report.summary()}.", style.NOTE,
               last_column=len(headers))
    header_row = 4
    for col, header in enumerate(headers, start=1):
        cell = ws.cell(row=header_row, column=col, value=header)
        style.apply(cell, style.TABLE_HEADER)
    flagged = report.flagged or (RefreshedRole(0, None, None, None, None, "No role was flagged"),)
    for r, role in enumerate(flagged, start=header_row + 1):
        for col, value in enumerate((role.row or None, role.job_title, role.service, role.before, role.after,
                                     role.note), start=1):
            cell = ws.cell(row=r, column=col)
            c.write_value(cell, value)
            style.apply(cell, _FIXED_TEXT)
    last = header_row + len(flagged)
    style.add_table(ws, "RefreshReport", f"A{header_row}:F{last}")
    style.fit_columns(ws, header_row, last, header_row=header_row, caps={"B": 30, "C": 24, "F": 50})
    style.fit_rows(ws, header_row + 1, last)
    style.set_up_printing(ws, title=WORKBOOK_TITLE, repeat_rows=(header_row, header_row))
    c.protect(ws)


# Private API: small helpers.


def _title(ws: Worksheet, text: str, *, last_column: int) -> None:
    ws["A1"] = text
    style.apply(ws["A1"], style.TITLE)
    ws.row_dimensions[1].height = style.line_height(style.TITLE_SIZE)


def _paragraph(ws: Worksheet, row: int, text: str, cell_style: style.CellStyle, *, last_column: int) -> None:
    cell = ws.cell(row=row, column=1)
    c.set_text(cell, text)
    style.apply(cell, replace(cell_style, wrap=True))
    if last_column > 1:
        style.wrap_across(ws, cell, last_column)


def _role_from_csv(row: UserRow) -> RoleEntry:
    title = row["job_title"]
    if not title:
        raise ValueError("the job title is blank; give every role a job title")
    return RoleEntry(title, row["service"] or None, row["grade"] or None,
                     _count(row["headcount"], f"{title}: headcount"), _count(row["vacancies"], f"{title}: vacancies"))


def _count(text: str, what: str) -> int | None:
    try:
        read = cells.whole(text, minimum=0)
    except cells.CellValueError as err:
        raise ValueError(f"{what} {err}") from None
    return None if read is None else read.value


def _role_key(role: Any) -> tuple[str, ...]:
    return tuple(excel_text(getattr(role, key)) for key in ROLE_KEY)


def _role_name(role: RoleEntry) -> str:
    return _role_text(role.job_title, role.service) + (f", grade {role.grade}" if role.grade else "")


def _role_text(job_title: str | None, service: str | None) -> str:
    return f"{job_title or '(no job title)'}" + (f" ({service})" if service else "")


def _copy_row_style(ws: Worksheet, source: int, rows: range, columns: int) -> None:
    """Give ``rows`` the styles of row ``source``, column by column.

    Copying the cell's style array, as openpyxl's own worksheet copy does, is
    far quicker than setting fonts, fills and borders cell by cell (each of
    which openpyxl looks up again in the workbook's style lists).
    """
    styles = [copy(ws.cell(row=source, column=col)._style) for col in range(1, columns + 1)]
    for row in rows:
        for col, array in enumerate(styles, start=1):
            ws.cell(row=row, column=col)._style = copy(array)


def _money(amount: Decimal) -> str:
    return style.display_text(amount, style.MONEY)


def _day(day: dt.date) -> str:
    """2 July 2026 (strftime's %-d is not portable)."""
    return f"{day.day} {day:%B %Y}"
