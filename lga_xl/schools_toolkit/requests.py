"""Each school's request for apprentices, made from the council's levy plan.

Example:
    >>> import tempfile, pathlib
    >>> from lga_xl.writers.levy_plan import SchoolEntry, new_levy_plan
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> plan = new_levy_plan(folder / "plan.xlsx", org_name="Exampleshire County Council", total_pay_bill=50_000_000,
    ...                      english_percent=1, schools=[SchoolEntry(100001, "Ash Primary", "Community", 1_250_000)])
    >>> from lga_xl.readers.school_request import read_school_request
    >>> request = read_school_request(school_request_from_plan(plan, "100001", folder / "ash.xlsx"))
    >>> request.school, request.urn, request.council, request.funds_share
    ('Ash Primary', '100001', 'Exampleshire County Council', Decimal('6070.83'))
"""

from __future__ import annotations

import re
from pathlib import Path

from ..outputs import atomic_write
from ..writers.school_request import SchoolFacts, new_school_request
from .plan import SchoolsPlan, ToolkitError, load_plan, urn_text

__all__ = ["default_contact", "file_stem", "school_request_from_plan", "write_school_requests"]


def school_request_from_plan(plan: str | Path | SchoolsPlan, urn: object, out: str | Path, *,
                             contact: str | None = None) -> Path:
    """Write the request workbook of the school with ``urn``, pre-filled from the plan.

    The school, its figures (share of the levy paid and of the funds
    entering, what is already planned, what is left), the council, the tax
    year and the plan's standards list, for the request's own costing.

    Raises:
        ToolkitError: the plan cannot be read, has no school with that URN, or
            that school's staff are not the council's.
    """
    schools_plan = plan if isinstance(plan, SchoolsPlan) else load_plan(plan)
    school = schools_plan.school(urn)
    name = schools_plan.path.name
    if school is None:
        raise ToolkitError(f"{name}: no school with URN {urn_text(urn)} on its Schools sheet")
    if not school.in_council_levy:
        raise ToolkitError(f"{name}: {school.name} (URN {school.urn}) is a {(school.type or 'school').lower()} whose "
                           f"staff the {(school.employer or 'council').lower()} employs, so it is not in the "
                           "council's levy; its page on levy transfers is made by lga-xl schools statements --others")
    plan_ = schools_plan.plan
    with atomic_write(Path(out)) as partial:
        new_school_request(
            partial, council=plan_.organisation, region=plan_.region, tax_year=plan_.tax_year,
            school=SchoolFacts(school.urn, school.name, school.type, school.levy_share, school.funds_share,
                               school.planned_spend, school.funds_left),
            contact=contact or default_contact(schools_plan), standards=schools_plan.standards,
            standards_source=f"{schools_plan.council}'s levy plan ({name}; its standards from "
                             f"{schools_plan.standards_source or 'a list supplied'})")
    return Path(out)


def write_school_requests(plan: str | Path | SchoolsPlan, out_dir: str | Path, *,
                          contact: str | None = None) -> list[Path]:
    """A request workbook for every school in the council's levy, named ``<URN>-<school>-request.xlsx``."""
    schools_plan = plan if isinstance(plan, SchoolsPlan) else load_plan(plan)
    folder = Path(out_dir)
    return [school_request_from_plan(schools_plan, school.urn, folder / f"{file_stem(school.urn, school.name)}"
                                                                        "-request.xlsx", contact=contact)
            for school in schools_plan.council_schools]


def default_contact(plan: SchoolsPlan) -> str:
    """Whom schools contact when no one is named: the council's apprenticeships team."""
    return f"The apprenticeships team at {plan.council}"


def file_stem(urn: object, name: str | None) -> str:
    """A school's file name, without extension: its URN and name in lower case, hyphenated.

    Example:
        >>> file_stem(100001, "St Mary's C of E Primary")
        '100001-st-mary-s-c-of-e-primary'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", (name or "school").casefold()).strip("-")[:60].strip("-") or "school"
    return f"{urn_text(urn)}-{slug}"
