"""Typed results of reading workbooks (pydantic models at the edges).

Every kind's result derives from :class:`WorkbookResultBase` and names its
kind as a ``Literal``, so :data:`WorkbookResult`, the union of all kinds,
tells them apart: the output of ``lga-xl read FILE --json`` (exactly
``model.model_dump(mode="json")``) loads back with
``pydantic.TypeAdapter(WorkbookResult).validate_json(...)``.

In JSON every ``Decimal`` is a number, never a string: amounts of money
rounded half away from zero to the penny (as the levy rules round), rates and
percentages (the fields a model lists in ``_EXACT``) as they are.  So
``58504000.0`` and ``277520.00`` come out as ``58504000.0`` and ``277520.0``,
one rule for ``lga-xl read --json`` and the library.

Example:
    >>> SelfAssessment.model_fields["kind"].default, LevyPlan.model_fields["kind"].default
    ('self-assessment', 'levy-plan')
    >>> SchoolRow(row=6, urn="100001", name="Ash", type="Community", pay_bill=Decimal("1250000.005"),
    ...           headcount=None, in_council_levy=True, levy_share=Decimal("1.10"), planned_spend=Decimal("0"),
    ...           balance=Decimal("1.1"), check="").model_dump(mode="json")["pay_bill"]
    1250000.01
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializationInfo, SerializerFunctionWrapHandler, field_serializer

from .issues import Issue, has_errors

_PENNY = Decimal("0.01")


class _Result(BaseModel):
    """Every result model: Decimals written to JSON as numbers, money rounded to the penny."""

    _EXACT: ClassVar[frozenset[str]] = frozenset()  # Decimal fields that are not money (rates, percentages)

    @field_serializer("*", mode="wrap", when_used="json")
    def _decimal_as_number(self, value: Any, handler: SerializerFunctionWrapHandler,
                           info: SerializationInfo) -> Any:
        if isinstance(value, Decimal) and value.is_finite():
            # ROUND_HALF_UP rounds halves away from zero, as lga_xl.levy rounds money.
            return float(value if info.field_name in self._EXACT else value.quantize(_PENNY, ROUND_HALF_UP))
        return handler(value)


class WorkbookResultBase(_Result):
    """What every workbook read back has: where it came from, whose it is, its issues."""

    kind: str
    file: str
    template_version: str
    organisation: str | None
    region: str | None
    issues: list[Issue]
    input_hash: str  # sha256 of what was typed in (see Package.input_hash)

    @property
    def has_errors(self) -> bool:
        return has_errors(self.issues)


class LevelCounts(_Result):
    model_config = ConfigDict(frozen=True)

    level: str
    elements: int
    achieved: int
    in_progress: int
    not_started: int
    not_applicable: int
    unanswered: int

    @property
    def applicable(self) -> int:
        return self.elements - self.not_applicable


class StrandRating(_Result):
    model_config = ConfigDict(frozen=True)

    strand: str
    current: str
    score: float
    target: str | None
    target_score: float | None
    gap: float | None  # target score minus current score
    plus_rule: str | None  # "half", "spread" or None
    levels: list[LevelCounts]


class ElementAnswer(_Result):
    model_config = ConfigDict(frozen=True)

    id: str
    strand: str
    level: str
    status: str | None
    evidence: str | None
    cell: str  # where the status is, e.g. "E7" on the Assessment sheet


class SelfAssessment(WorkbookResultBase):
    """A self-assessment read back, every rating recomputed from the statuses."""

    kind: Literal["self-assessment"] = "self-assessment"
    edition: str
    org_type: str | None
    assessment_type: str | None
    assessor: str | None
    assessment_date: dt.date | None
    overall_score: float
    strands: list[StrandRating]
    elements: list[ElementAnswer]


# Levy plans (lga_xl.readers.levy_plan).  Money is Decimal, recomputed with lga_xl.levy;
# ``row`` is the worksheet row of a table row, for locating it in the workbook.


class SchoolRow(_Result):
    """A school on the Schools sheet, with its recomputed share and spend."""

    model_config = ConfigDict(frozen=True)

    row: int
    urn: str | None
    name: str | None
    type: str | None
    pay_bill: Decimal | None
    headcount: int | None
    in_council_levy: bool
    levy_share: Decimal
    planned_spend: Decimal
    balance: Decimal
    check: str


class _CostedRow(_Result):
    """A start or transfer costed under the payment profile (levy funds pay up to the band)."""

    model_config = ConfigDict(frozen=True)

    row: int
    standard: str | None
    title: str
    level: int | None
    start_date: dt.date | None
    duration_months: int | None
    price: Decimal | None
    band_max: Decimal | None
    above_cap: Decimal
    in_year_cost: Decimal
    check: str


class PlannedStartRow(_CostedRow):
    """A planned start; ``urn`` is blank for the council's own staff."""

    urn: str | None


class TransferRow(_CostedRow):
    """A planned transfer to another employer."""

    recipient: str | None


class ForecastMonth(_Result):
    """One month of the account forecast."""

    model_config = ConfigDict(frozen=True)

    row: int
    month: dt.date
    funds_in: Decimal
    spending: Decimal
    transfers_out: Decimal
    expired: Decimal
    balance: Decimal  # below 0: the plan spends more than the funds available by then
    shortfall: Decimal
    expired_so_far: Decimal


class LevyPlan(WorkbookResultBase):
    """A levy plan read back, every figure recomputed from its inputs."""

    _EXACT: ClassVar[frozenset[str]] = frozenset({"english_percent", "statutory_transfer_rate"})

    kind: Literal["levy-plan"] = "levy-plan"
    tax_year: str
    plan_start: dt.date
    plan_end: dt.date
    # inputs, as read (None when blank or unusable; the figures then count them as 0)
    total_pay_bill: Decimal | None
    english_percent: Decimal | None
    headcount: int | None
    previous_year_funds: Decimal | None
    opening_balance: Decimal | None
    transfers_committed: Decimal | None
    # results
    annual_levy: Decimal
    monthly_levy: Decimal
    monthly_english_levy: Decimal
    monthly_top_up: Decimal
    funds_in: Decimal
    planned_spend: Decimal
    planned_starts_in_year: int
    public_sector_target_starts: int
    statutory_transfer_rate: Decimal
    transfer_allowance_10: Decimal
    transfer_allowance_25: Decimal
    transfer_allowance_statutory: Decimal
    transfers_planned: Decimal
    transfers_total: Decimal
    headroom_10: Decimal
    headroom_25: Decimal
    headroom_statutory: Decimal
    over_committed: Decimal
    schools_pay_bill: Decimal
    schools_levy_share: Decimal
    schools_planned_spend: Decimal
    expiring_funds: Decimal  # FundsExpiring: funds forecast to expire in the 36 months
    expiry_month_count: int
    first_expiry_month: dt.date | None
    lowest_balance: Decimal
    shortfall_months: int
    schools: list[SchoolRow]
    planned_starts: list[PlannedStartRow]
    transfers: list[TransferRow]
    forecast: list[ForecastMonth]


WorkbookResult = Annotated[SelfAssessment | LevyPlan, Field(discriminator="kind")]
