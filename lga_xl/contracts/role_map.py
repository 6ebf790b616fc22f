"""The role map workbook's contract: a council's job roles matched to apprenticeship standards.

* ``Roles``: the council and its region (inputs), the standards list the map
  was made on (fixed: StandardsSource), then table ``Roles``: one row per job
  role (job title, service, grade, headcount and vacancies typed in), the
  standards suggested for it (fixed text, written when the map is made or
  refreshed), the standard the officer confirms (a dropdown of the list's
  references, or None suitable), and the chosen standard's title, level,
  route, funding band maximum and typical duration worked out by formulas.
  Hidden columns hold the suggestions' references, the refresh note and the
  workings the Summary sheet adds up.
* ``Summary``: the totals (RolesTotal ... CostMapped) and table
  ``ServiceSummary``, one row per service, with a chart.
* ``Standards``: table ``Standards``, the whole list the map was made on
  (retired and withdrawn standards included, with their status).
* Dropdowns through names: RegionList and StandardChoiceList (None suitable,
  then every standard neither retired nor withdrawn) on the hidden ``Lists`` sheet.
* A refreshed map has a ``Refresh`` sheet listing what changed (not read back).
* Hidden ``lga_xl`` sheet: kind, template version, standards source.

docs/role-matching.md says how suggestions are made and what the refresh does.

Example:
    >>> CONTRACT.address("OrgName"), CONTRACT.address("CostMapped")
    (('Roles', 'B5'), ('Summary', 'B10'))
    >>> ROLES.cell("standard", ROLES.first_row), ROLES.structured("band_max")
    ('G10', 'Roles[Funding band maximum]')
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..contract import Block, Column, Contract, Name, RowCheck, Table, structured
from ..reference import REGIONS

KIND = "role-map"
TEMPLATE_VERSION = "1.0"

NONE_SUITABLE = "None suitable"  # the choice for a role no standard fits
OTHER_SERVICES = "Other services, or none given"  # the summary row for services not listed above it
REFRESH_SHEET = "Refresh"
MAX_SUGGESTIONS = 3

ROLE_ROWS = 50  # rows of a blank map
SPARE_ROWS = 20  # blank rows below the roles a map is made with, for roles the officer adds

DATE = "dd/mm/yyyy"
MONEY = "£#,##0.00"
COUNT = "#,##0"

# Texts of the Check column: the workbook shows them and the reader gives the same.
CHECK_NO_JOB_TITLE = "No job title"
CHECK_DUPLICATE = "Role listed twice"
CHECK_UNKNOWN_STANDARD = "Unknown standard"

COVER = Block("Roles", first_row=5, note_column=None, names=(
    Name("OrgName", "Council", "text", field="organisation"),
    Name("Region", "Region", "choice", field="region", choices="RegionList"),
    Name("StandardsSource", "Standards list", "text", role="fixed", field="standards_source", hashed=True),
))


def _total(name: str, label: str, field: str, kind: str = "whole", number_format: str = COUNT) -> Name:
    return Name(name, label, kind, role="formula", field=field, number_format=number_format)


TOTALS = Block("Summary", first_row=4, note_column=None, names=(
    _total("RolesTotal", "Job roles", "roles_total"),
    _total("RolesMapped", "Roles with a standard", "roles_mapped"),
    _total("RolesNoneSuitable", "Roles no standard suits", "roles_none_suitable"),
    _total("RolesToChoose", "Roles still to choose a standard for", "roles_to_choose"),
    _total("HeadcountMapped", "Headcount in roles with a standard", "headcount_mapped"),
    _total("VacanciesMapped", "Vacancies in roles with a standard", "vacancies_mapped"),
    _total("CostMapped", "Cost of one start for each role with a standard, at the band maximum", "cost_mapped",
           "money", MONEY),
))

ROLE_KEY = ("job_title", "service", "grade")  # what tells one role from another
CHOICE_LIST = "StandardChoiceList"

_ROLE_COLUMNS = (
    Column("job_title", "Job title", "text", required=True),
    Column("service", "Service", "text"),
    Column("grade", "Grade", "text"),
    Column("headcount", "Headcount", "whole", number_format=COUNT),
    Column("vacancies", "Vacancies", "whole", number_format=COUNT),
    Column("suggested", "Suggested standards (best first)", "text", role="fixed"),
    Column("standard", "Standard", "choice"),
    Column("title", "Title", "text", role="formula"),
    Column("level", "Level", "whole", role="formula"),
    Column("route", "Route", "text", role="formula"),
    Column("band_max", "Funding band maximum", "money", role="formula", number_format=MONEY),
    Column("typical_duration_months", "Typical duration (months)", "whole", role="formula"),
    Column("check", "Check", "text", role="formula"),
    # Workings: the suggestions' references, the refresh's note, and what the Summary adds up.
    *(Column(f"suggestion_{n}", f"Suggestion {n}", "text", role="fixed", hidden=True)
      for n in range(1, MAX_SUGGESTIONS + 1)),
    Column("refresh_note", "Refresh note", "text", role="fixed", hidden=True),
    Column("standard_at_refresh", "Standard at refresh", "text", role="fixed", hidden=True),
    Column("mapped", "Mapped", "whole", role="formula", hidden=True),
    Column("headcount_mapped", "Headcount if mapped", "whole", role="formula", hidden=True),
    Column("vacancies_mapped", "Vacancies if mapped", "whole", role="formula", hidden=True),
    Column("cost_mapped", "Band maximum if mapped", "money", role="formula", number_format=MONEY, hidden=True),
)
# Equal ignoring case, as Excel's "=" compares text: the same job title, service and grade.
_SAME_ROLE = "*".join(f"({structured('Roles', column.header)}={{{column.key}}})"
                      for column in _ROLE_COLUMNS if column.key in ROLE_KEY)

ROLES = Table("Roles", "Roles", header_row=9, rows=ROLE_ROWS, max_rows=5_000, columns=_ROLE_COLUMNS, checks=(
    RowCheck(CHECK_NO_JOB_TITLE, '{job_title}=""', lambda r: r.no_job_title, "incomplete-row", "job_title"),
    RowCheck(CHECK_DUPLICATE, f"SUMPRODUCT({_SAME_ROLE})>1", lambda r: r.duplicate, "duplicate-role", "job_title"),
    RowCheck(CHECK_UNKNOWN_STANDARD, f'AND({{standard}}<>"",COUNTIF({CHOICE_LIST},{{standard}})=0)',
             lambda r: r.unknown_standard, "unknown-standard", "standard"),
))

SERVICE_SUMMARY = Table("ServiceSummary", "Summary", header_row=13, rows=1, max_rows=500, columns=(
    Column("service", "Service", "text", role="fixed", hashed=False),
    Column("roles", "Job roles", "whole", role="formula", number_format=COUNT),
    Column("roles_mapped", "Roles with a standard", "whole", role="formula", number_format=COUNT),
    Column("headcount_mapped", "Headcount in them", "whole", role="formula", number_format=COUNT),
    Column("vacancies_mapped", "Vacancies in them", "whole", role="formula", number_format=COUNT),
    Column("cost_mapped", "Cost of one start each", "money", role="formula", number_format=MONEY),
))

STANDARDS = Table("Standards", "Standards", header_row=5, max_rows=5_000, columns=(
    Column("reference", "Reference", "text", role="fixed"),
    Column("title", "Title", "text", role="fixed"),
    Column("level", "Level", "whole", role="fixed"),
    Column("status", "Status", "text", role="fixed"),
    Column("route", "Route", "text", role="fixed"),
    Column("max_funding", "Funding band maximum", "money", role="fixed", number_format=MONEY),
    Column("typical_duration_months", "Typical duration (months)", "whole", role="fixed"),
    Column("version", "Version", "text", role="fixed"),
    Column("typical_job_titles", "Typical job titles", "text", role="fixed"),
    Column("keywords", "Keywords", "text", role="fixed"),
))

LIST_SEPARATOR = "; "  # between the typical job titles (and keywords) of a standard on the Standards sheet

CONTRACT = Contract(
    KIND, TEMPLATE_VERSION, blocks=(COVER, TOTALS), tables=(ROLES, SERVICE_SUMMARY, STANDARDS),
    # StandardChoiceList is written from the standards list the map is made on.
    lists={"RegionList": REGIONS},
)
CONTRACTS = {TEMPLATE_VERSION: CONTRACT}


# Public API: the Summary's formulas in Python, for the reader's figures and the writer's chart.


def excel_text(value: Any) -> str:
    """What ``cell&""`` gives for a text or blank cell, folded as Excel's "=" compares text (ignoring case).

    Example:
        >>> excel_text(None), excel_text("Adult Care "), excel_text(12.0)
        ('', 'adult care ', '12')
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).casefold()


def counted(value: Any) -> int:
    """A headcount or vacancies cell as the Summary adds it: a whole number of 0 or more, else 0.

    Example:
        >>> counted(12.0), counted("12"), counted(2.5), counted(-1), counted(None)
        (12, 0, 0, 0, 0)
    """
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return 0  # ISNUMBER is false for text, even "12"
    return int(value) if value >= 0 and value == int(value) else 0


def is_mapped(job_title: Any, standard: Any, choosable: Collection[str]) -> bool:
    """Whether a row counts as a role with a standard: a job title, and a choosable standard other than None suitable.

    ``choosable`` holds the StandardChoiceList's entries folded by :func:`excel_text`.

    Example:
        >>> is_mapped("Care worker", "st0005", {"none suitable", "st0005"}), is_mapped("Care worker", NONE_SUITABLE,
        ...                                                                            {"none suitable"})
        (True, False)
    """
    chosen = excel_text(standard)
    return excel_text(job_title) != "" and chosen not in ("", excel_text(NONE_SUITABLE)) and chosen in choosable


@dataclass(frozen=True)
class RoleFigures:
    """What one Roles row adds to the Summary sheet.

    ``service`` is the cell's value as typed; ``counted`` whether the row has
    a job title; headcount, vacancies and cost count only when ``mapped``.
    """

    service: Any
    counted: bool
    mapped: bool
    headcount: int
    vacancies: int
    cost: Decimal


@dataclass(frozen=True)
class ServiceFigures:
    """One row of the ServiceSummary table."""

    service: str
    roles: int
    roles_mapped: int
    headcount_mapped: int
    vacancies_mapped: int
    cost_mapped: Decimal


def service_figures(services: Sequence[str], roles: Iterable[RoleFigures]) -> list[ServiceFigures]:
    """The ServiceSummary rows as the workbook's formulas give them.

    Each listed service adds up the rows whose Service equals it (ignoring
    case); the last row, :data:`OTHER_SERVICES`, is the whole less the rows
    above it, so the table always adds up to the totals.

    Example:
        >>> rows = [RoleFigures("Adults", True, True, 10, 2, Decimal(4500)), RoleFigures(None, True, False, 0, 0,
        ...         Decimal(0))]
        >>> [(f.service, f.roles, f.roles_mapped, f.cost_mapped) for f in service_figures(["ADULTS"], rows)]
        [('ADULTS', 1, 1, Decimal('4500')), ('Other services, or none given', 1, 0, Decimal('0'))]
    """
    figures = []
    totals = [0, 0, 0, 0, Decimal(0)]
    roles = list(roles)
    for service in services:
        mine = [role for role in roles if excel_text(role.service) == excel_text(service)]
        figures.append(_figures(service, mine))
    whole = _figures(OTHER_SERVICES, roles)
    for figure in figures:
        for index, value in enumerate((figure.roles, figure.roles_mapped, figure.headcount_mapped,
                                       figure.vacancies_mapped, figure.cost_mapped)):
            totals[index] += value
    figures.append(ServiceFigures(OTHER_SERVICES, whole.roles - totals[0], whole.roles_mapped - totals[1],
                                  whole.headcount_mapped - totals[2], whole.vacancies_mapped - totals[3],
                                  whole.cost_mapped - totals[4]))
    return figures


def _figures(service: str, roles: Sequence[RoleFigures]) -> ServiceFigures:
    mapped = [role for role in roles if role.mapped]
    return ServiceFigures(service, sum(role.counted for role in roles), len(mapped),
                          sum(role.headcount for role in mapped), sum(role.vacancies for role in mapped),
                          sum((role.cost for role in mapped), Decimal(0)))
