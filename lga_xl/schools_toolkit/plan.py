"""The levy plan as the Schools Toolkit reads it: the plan's figures and its standards list.

Example:
    >>> import tempfile, pathlib
    >>> from lga_xl.writers.levy_plan import SchoolEntry, new_levy_plan
    >>> path = new_levy_plan(pathlib.Path(tempfile.mkdtemp()) / "plan.xlsx", org_name="Exampleshire",
    ...                      total_pay_bill=50_000_000, schools=[SchoolEntry(100001, "Ash Primary", "Community")])
    >>> schools_plan = load_plan(path)
    >>> [s.name for s in schools_plan.council_schools], len(schools_plan.standards) > 50
    (['Ash Primary'], True)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import cells
from ..contracts import levy_plan as plan_spec
from ..issues import WorkbookError
from ..models import LevyPlan, SchoolRow
from ..readers import read_package
from ..readers.base import Reading
from ..readers.package import open_package
from ..standards import APPROVED_FOR_DELIVERY, FundingBand, Standard

__all__ = ["SchoolsPlan", "ToolkitError", "load_plan"]


class ToolkitError(ValueError):
    """A plan or request the toolkit cannot use; the message is one line naming the file."""


@dataclass(frozen=True)
class SchoolsPlan:
    """A levy plan read back, with the standards list on its Standards sheet."""

    path: Path
    plan: LevyPlan
    standards: tuple[Standard, ...]
    standards_source: str | None

    @property
    def council(self) -> str:
        """The council's name, or a stand-in when the plan has none."""
        return self.plan.organisation or "The council"

    @property
    def council_schools(self) -> list[SchoolRow]:
        """The schools whose staff the council employs, with a URN, in the plan's order."""
        return [school for school in self.plan.schools if school.in_council_levy and school.urn]

    @property
    def other_schools(self) -> list[SchoolRow]:
        """The schools listed in the plan whose staff the council does not employ."""
        return [school for school in self.plan.schools if not school.in_council_levy and school.urn
                and school.employer]

    def school(self, urn: object) -> SchoolRow | None:
        """The plan's school of a URN (``100001``, ``"100001"``), any school type."""
        wanted = urn_text(urn)
        return next((school for school in self.plan.schools if urn_text(school.urn) == wanted), None)


def load_plan(path: str | Path) -> SchoolsPlan:
    """Read a levy plan (template 2.0) for the toolkit.

    Raises:
        ToolkitError: the file cannot be read as a levy plan, or is of template 1.0.
    """
    path = Path(path)
    try:
        with open_package(path) as pkg:
            plan = read_package(pkg, plan_spec.KIND)
            if plan.template_version != plan_spec.TEMPLATE_VERSION:
                raise ToolkitError(f"{path}: a levy plan of template {plan.template_version} (lga_xl 0.1.0); the "
                                   f"Schools Toolkit needs template {plan_spec.TEMPLATE_VERSION}: make the plan again "
                                   "with lga-xl new levy-plan")
            standards = _standards(Reading(pkg, plan_spec.CONTRACT))
            source = pkg.meta.get("standards_source") or None
    except WorkbookError as err:
        raise ToolkitError(f"{path}: {err.issue.message}") from None
    return SchoolsPlan(path, plan, tuple(standards), source)


def urn_text(urn: object) -> str | None:
    """A URN as text, whether the cell held a number or text (``100001.0`` is ``100001``).

    Example:
        >>> urn_text(100001.0), urn_text(" 100001 "), urn_text(None)
        ('100001', '100001', None)
    """
    return cells.text(urn)


# Private API.


def _standards(reading: Reading) -> list[Standard]:
    """The plan's Standards sheet as standards, each with its dated funding bands; rows that cannot be one skipped."""
    bands: dict[str, list[FundingBand]] = {}
    for row in reading.table("FundingBands"):
        reference, start, amount = row.text("reference"), _date(row.get("effective_from")), _money(row.get(
            "max_funding"))
        if reference and start and amount is not None:
            bands.setdefault(reference.casefold(), []).append(FundingBand(start, _date(row.get("effective_to")),
                                                                          amount))
    standards = []
    for row in reading.table("Standards"):
        reference, title, level = row.text("reference"), row.text("title"), _whole(row.get("level"))
        band = _money(row.get("max_funding"))
        if not reference or not title or level is None or band is None:
            continue
        standards.append(Standard(
            reference=reference, title=title, level=level, max_funding=band,
            typical_duration_months=_whole(row.get("typical_duration_months")),
            status=row.text("status") or APPROVED_FOR_DELIVERY,
            earliest_start_date=_date(row.get("earliest_start")), latest_start_date=_date(row.get("latest_start")),
            funding_bands=tuple(sorted(bands.get(reference.casefold(), ()), key=lambda b: b.effective_from))))
    return standards


def _date(value: Any) -> dt.date | None:
    try:
        read = cells.date(value)
    except cells.CellValueError:
        return None
    return None if read is None else read.value


def _money(value: Any) -> Decimal | None:
    if isinstance(value, str | bool):
        return None
    try:
        read = cells.number(value, minimum=0)
    except cells.CellValueError:
        return None
    return None if read is None else read.value.quantize(Decimal("0.01"))


def _whole(value: Any) -> int | None:
    number = _money(value)
    return int(number) if number is not None and number == number.to_integral_value() else None
