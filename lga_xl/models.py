"""Typed results of reading workbooks (pydantic models at the edges).

Every kind's result derives from :class:`WorkbookResultBase` and names its
kind as a ``Literal``, so :data:`WorkbookResult`, the union of all kinds,
tells them apart: the output of ``lga-xl read FILE --json`` (exactly
``model.model_dump(mode="json")``) loads back with
``pydantic.TypeAdapter(WorkbookResult).validate_json(...)``.

In JSON every ``Decimal`` is a number, never a string, written exactly as
the model holds it: money is already rounded to the penny by the rules that
compute it (``lga_xl.levy``), so ``58504000.00`` comes out as ``58504000.0``;
an input shows what was typed.  One rule for ``lga-xl read --json`` and the
library.

Example:
    >>> SelfAssessment.model_fields["kind"].default, LevyPlan.model_fields["kind"].default
    ('self-assessment', 'levy-plan')
    >>> RoleMap.model_fields["kind"].default, Tracker.model_fields["kind"].default
    ('role-map', 'tracker')
    >>> LevelCounts(level="Developing", elements=5, achieved=2, in_progress=1, not_started=1, not_applicable=1,
    ...             unanswered=0).model_dump(mode="json")["achieved"]
    2
    >>> SchoolRequest.model_fields["kind"].default
    'school-request'
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, field_serializer

from .issues import Issue, has_errors


class _Result(BaseModel):
    """Every result model: Decimals written to JSON as numbers (pydantic's default is a string)."""

    @field_serializer("*", mode="wrap", when_used="json")
    def _decimal_as_number(self, value: Any, handler: SerializerFunctionWrapHandler) -> Any:
        if isinstance(value, Decimal) and value.is_finite():
            return float(value)
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
    """A strand's rating; ``current`` is "Not rated" and ``score`` None until one of its elements has a status."""

    model_config = ConfigDict(frozen=True)

    strand: str
    current: str
    score: float | None
    target: str | None
    target_score: float | None
    gap: float | None  # target score minus current score (None without a target or a rating)
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
    overall_score: float | None  # the mean of the rated strands' scores; None while none is rated
    strands: list[StrandRating]
    elements: list[ElementAnswer]


# Levy plans (lga_xl.readers.levy_plan).  Money is Decimal, recomputed with lga_xl.levy;
# ``row`` is the worksheet row of a table row, for locating it in the workbook.


class SchoolRow(_Result):
    """A school on the Schools sheet, with its recomputed shares and spend.

    ``balance`` is the share of the levy paid less the planned spend (both
    template versions); template 2.0 also shows who employs the staff, the
    school's share of the funds entering and what is left of it (None in a
    1.0 plan).
    """

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
    employer: str | None = None
    funds_share: Decimal | None = None
    funds_left: Decimal | None = None


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
    """A planned start; ``urn`` is blank for the council's own staff.

    ``standard`` and ``urn`` are the reference and URN a dropdown's text
    starts with ("ST0454 Teaching assistant (level 3)" is ST0454).
    """

    urn: str | None


class TransferRow(_CostedRow):
    """A planned transfer to another employer, or an approved pledge application (``type``)."""

    recipient: str | None
    type: str = "Transfer"


class ForecastMonth(_Result):
    """One month of the account forecast.

    Both template versions: ``spending`` is the council's own training due
    (instalments and completion payments), ``transfers_out`` what was paid
    to other employers, ``shortfall`` what the account could not pay (1.0:
    the negative balance; 2.0: training co-invested). Template 2.0 never
    lets the balance fall below 0 and has the fields after it (None in 1.0;
    see :class:`lga_xl.forecast.AccountMonth`).
    """

    model_config = ConfigDict(frozen=True)

    row: int
    month: dt.date
    funds_in: Decimal
    spending: Decimal
    transfers_out: Decimal
    expired: Decimal
    balance: Decimal
    shortfall: Decimal
    expired_so_far: Decimal
    cost_of_training: Decimal | None = None
    completion_payments: Decimal | None = None
    transfers_due: Decimal | None = None
    training_from_levy: Decimal | None = None
    employer_contribution: Decimal | None = None
    government_contribution: Decimal | None = None
    short: bool | None = None


class ForecastYear(_Result):
    """One financial year of the forecast (template 2.0's Years table)."""

    model_config = ConfigDict(frozen=True)

    row: int
    tax_year: str
    pay_bill: Decimal
    levy: Decimal
    funds_in: Decimal
    cost_of_training: Decimal
    completion_payments: Decimal
    transfers_out: Decimal
    expired: Decimal
    employer_contribution: Decimal
    government_contribution: Decimal
    closing_balance: Decimal


class ExpiringFundsRow(_Result):
    """A row of template 2.0's ExpiringFunds table: funds of the opening balance due to expire in a month."""

    model_config = ConfigDict(frozen=True)

    row: int
    month: dt.date | None
    amount: Decimal | None
    entered: dt.date | None  # the month those funds entered the account
    check: str


class OpeningMonth(_Result):
    """How much of the opening balance entered in a month before the plan (template 2.0's Opening table)."""

    model_config = ConfigDict(frozen=True)

    row: int
    entered: dt.date
    expires: dt.date
    known: Decimal  # from the ExpiringFunds table
    estimate: Decimal
    amount: Decimal


class LevyPlan(WorkbookResultBase):
    """A levy plan read back, every figure recomputed from its inputs."""

    kind: Literal["levy-plan"] = "levy-plan"
    tax_year: str
    plan_start: dt.date
    plan_end: dt.date
    # inputs, as read (None when blank or unusable; the figures then count them as 0)
    total_pay_bill: Decimal | None
    english_percent: Decimal | None  # a percentage, 0 to 100, in both template versions
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
    expiring_funds: Decimal  # FundsExpiring: funds forecast to expire in the whole forecast (36 months in 1.0, 48)
    expiry_month_count: int
    first_expiry_month: dt.date | None
    lowest_balance: Decimal
    shortfall_months: int  # months the account runs short (1.0: its balance is below 0)
    schools: list[SchoolRow]
    planned_starts: list[PlannedStartRow]
    transfers: list[TransferRow]
    forecast: list[ForecastMonth]
    # Template 2.0 (a 1.0 plan: the allowance it assumed, no growth, and the rest None where 1.0 has no such figure).
    levy_allowance: Decimal | None = None
    pay_bill_growth: Decimal | None = None  # a percentage a year, like english_percent
    expiring_funds_plan_year: Decimal | None = None
    first_expiry_amount: Decimal | None = None
    first_shortfall_month: dt.date | None = None
    employer_contribution: Decimal | None = None  # co-investment in the plan year
    government_contribution: Decimal | None = None
    schools_funds_share: Decimal | None = None
    years: list[ForecastYear] | None = None
    expiring_funds_known: list[ExpiringFundsRow] | None = None
    opening: list[OpeningMonth] | None = None


# Role maps (lga_xl.readers.role_map): job roles matched to apprenticeship standards.


class RoleRow(_Result):
    """A job role on the Roles sheet, with the standard chosen for it and that standard's details."""

    model_config = ConfigDict(frozen=True)

    row: int
    job_title: str | None
    service: str | None
    grade: str | None
    headcount: int | None
    vacancies: int | None
    suggestion_1: str | None  # the suggested standards' references, best first
    suggestion_2: str | None
    suggestion_3: str | None
    suggested: str | None  # the suggestions as the sheet shows them, each with its reason
    standard: str | None  # the reference chosen, "None suitable", or None while still to choose
    title: str | None  # the chosen standard's, from the map's standards list
    level: int | None
    route: str | None
    band_max: Decimal | None
    typical_duration_months: int | None
    mapped: bool  # a job title and a standard that can be chosen (not None suitable)
    refresh_note: str | None  # what the last refresh found for this role
    check: str


class ServiceSummary(_Result):
    """One row of the summary by service: what is mapped in that service."""

    model_config = ConfigDict(frozen=True)

    service: str
    roles: int
    roles_mapped: int
    headcount_mapped: int
    vacancies_mapped: int
    cost_mapped: Decimal  # one start for each mapped role at its band maximum


class StandardRow(_Result):
    """A standard of the list a role map was made on (its Standards sheet)."""

    model_config = ConfigDict(frozen=True)

    reference: str
    title: str
    level: int | None
    status: str
    route: str | None
    max_funding: Decimal | None
    typical_duration_months: int | None
    version: str | None
    typical_job_titles: list[str]
    keywords: list[str]


class RoleMap(WorkbookResultBase):
    """A role map read back, every worked-out figure recomputed from the roles and the standards list."""

    kind: Literal["role-map"] = "role-map"
    standards_source: str | None
    roles_total: int
    roles_mapped: int
    roles_none_suitable: int
    roles_to_choose: int
    headcount_mapped: int
    vacancies_mapped: int
    cost_mapped: Decimal
    roles: list[RoleRow]
    services: list[ServiceSummary]
    standards: list[StandardRow]


# Growth-strategy trackers (lga_xl.readers.tracker).  Every worked-out figure is recomputed with
# lga_xl.targets; values are Decimal to 4 places, in the unit's terms (a % as a fraction).


class TrackerTarget(_Result):
    """A target and where it stands at its latest actual."""

    model_config = ConfigDict(frozen=True)

    row: int
    id: str | None
    measure: str | None
    unit: str | None
    direction: str | None
    baseline_date: dt.date | None
    baseline: Decimal | None
    target_date: dt.date | None
    target: Decimal | None
    amber_within: Decimal  # as used: the default when blank or unusable
    latest_date: dt.date | None
    latest: Decimal | None
    previous_date: dt.date | None
    previous: Decimal | None
    expected: Decimal | None
    progress: Decimal | None
    rag: str  # Green, Amber, Red, Not set or No data
    trend: str | None
    actuals: int  # actuals that count
    check: str
    note: str | None


class TrackerActual(_Result):
    """A figure reported for a target; ``counted`` when the targets' figures use it."""

    model_config = ConfigDict(frozen=True)

    row: int
    target_id: str | None
    date: dt.date | None
    value: Decimal | None
    source: str | None
    note: str | None
    counted: bool
    check: str


class TrackerObjective(_Result):
    model_config = ConfigDict(frozen=True)

    row: int
    number: str | None
    text: str | None
    theme: str | None


class TrackerAction(_Result):
    """An action of the plan and its RAG on the reporting date."""

    model_config = ConfigDict(frozen=True)

    row: int
    number: str | None
    objective: str | None
    measure: str | None
    action: str | None
    accountable: str | None
    timescale: str | None
    due: dt.date | None
    status: str | None
    rag: str | None  # None without a reporting date
    update: str | None
    strand: str | None
    overdue: bool
    due_soon: bool  # due within 3 months of the reporting date
    check: str


class TrackerPublicSectorYear(_Result):
    """One reporting year (1 April to 31 March) of public sector figures."""

    model_config = ConfigDict(frozen=True)

    row: int
    year: str | None  # like "2024-25"
    headcount_start: int | None
    headcount_end: int | None
    starts_council: int | None
    starts_schools: int | None
    starts_total: int
    apprentices_end: int | None
    starts_share: Decimal  # of the headcount at the start, to 0.0001 (0 when either is 0 or blank)
    check: str


class Tracker(WorkbookResultBase):
    """A growth-strategy tracker read back, every figure recomputed from its inputs."""

    kind: Literal["tracker"] = "tracker"
    strategy: str | None
    reporting_date: dt.date | None
    targets_green: int
    targets_amber: int
    targets_red: int
    targets_no_data: int
    targets_not_set: int
    actions_overdue: int
    actions_due_soon: int
    targets: list[TrackerTarget]
    actuals: list[TrackerActual]
    objectives: list[TrackerObjective]
    actions: list[TrackerAction]
    public_sector: list[TrackerPublicSectorYear]

    @property
    def assessment_date(self) -> dt.date | None:
        """The reporting date, under the name the returns store orders returns by (the latest is the newest)."""
        return self.reporting_date


# Schools' requests for apprentices (lga_xl.readers.school_request).  Money is Decimal, costed as the levy
# plan costs a planned start.


class RequestedStart(BaseModel):
    """An apprenticeship a school asks for, costed at its standard's funding band maximum and typical duration."""

    model_config = ConfigDict(frozen=True)

    row: int
    role: str | None
    hire: str | None  # New hire or Existing staff
    standard: str | None  # the reference of the standard picked ("ST0454")
    title: str  # the standard's title ("Unknown standard" when it is not on the Standards sheet)
    level: int | None
    start_month: dt.date | None  # the first day of the month typed
    duration_months: int | None  # the standard's typical duration
    band_max: Decimal | None  # the funding band maximum on the start date: the price of the start
    in_year_cost: Decimal  # what the levy pays for it in the plan year
    notes: str | None
    check: str


class SchoolRequest(WorkbookResultBase):
    """A school's request for apprentices read back, every cost recomputed from the standards it carries.

    ``organisation`` is the school with its URN, ``region`` the council's.
    """

    kind: Literal["school-request"] = "school-request"
    school: str | None
    urn: str | None
    school_type: str | None
    council: str | None
    tax_year: str | None
    plan_start: dt.date | None
    plan_end: dt.date | None
    contact: str | None
    completed_by: str | None
    completed_role: str | None
    email: str | None
    completed_on: dt.date | None
    levy_share: Decimal | None  # the school's figures in the levy plan when the request was made
    funds_share: Decimal | None
    planned_spend: Decimal | None
    funds_left: Decimal | None
    request_count: int
    requests_band_total: Decimal
    requests_in_year: Decimal
    funds_left_after: Decimal | None
    requests: list[RequestedStart]

    @property
    def assessment_date(self) -> dt.date | None:
        """The day it was filled in, under the name the returns store orders returns by (the latest is the newest)."""
        return self.completed_on


WorkbookResult = Annotated[SelfAssessment | LevyPlan | RoleMap | Tracker | SchoolRequest, Field(discriminator="kind")]
