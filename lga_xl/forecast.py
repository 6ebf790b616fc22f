"""The levy account month by month for 48 months from the plan start, as the levy plan workbook computes it.

Pure logic, standard library only: the levy plan workbook implements the same
recurrence one row per month in Excel 2010 formulas (``docs/levy.md``, "How
the workbook computes each forecast column"), and its reader checks it with
this module.

A month, in this order (the Apprenticeship Service's forecasting tool,
das-forecasting-tool ``AccountProjection.cs``):

1. Payments are met from the balance brought forward; the month's funds
   arrive after them.  Transfers and pledges are paid first, then the
   council's own training (instalments and completion payments).
2. Training the balance cannot pay is the *shortfall*: co-invested by the
   employer and the government at each apprenticeship's co-investment rate
   (:func:`lga_xl.levy.co_investment_rate`, by start date).  The balance
   falls to 0, never below, until the month's funds arrive.  A transfer the
   balance cannot pay is not made (das stops at 0 too) and the month is
   marked short.
3. Funds expire, oldest first, as das-employer-finance ``ExpiredFunds.cs``
   does (:func:`lga_xl.levy.expired_funds`), matched against what levy funds
   actually paid: co-invested training never uses levy funds.
4. The month's funds in are added.

Expiry in month m depends only on payments up to m, and payments in m only
on the balance at the end of m - 1, so the recurrence is not circular.

Example:
    >>> result = forecast("2026-27", pay_bill=50_000_000, opening_balance=400_000, previous_year_funds=258_000)
    >>> result.funds_expiring_plan_year, result.next_expiry_month, result.next_expiry_amount
    (Decimal('142000.00'), datetime.date(2026, 9, 1), Decimal('13000.00'))
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from . import levy
from .levy import _add_months, _as_date, _as_month, _money, _round_money, _whole_number

__all__ = [
    "COMMITMENT_KINDS",
    "FORECAST_MONTHS",
    "PLEDGE",
    "START",
    "TRANSFER",
    "AccountMonth",
    "Commitment",
    "FinancialYear",
    "Forecast",
    "financial_years",
    "forecast",
    "project_account",
]

# das-forecasting-tool ForecastingJobsConfiguration.NumberOfMonthsToProject.
FORECAST_MONTHS = 48

# Kinds of commitment: the council's own starts are co-invested when funds run short; transfers
# and approved pledge applications are paid to other employers' providers, count against the
# transfer allowance and are paid before the council's own training (das AccountProjection.cs).
START = "Start"
TRANSFER = "Transfer"
PLEDGE = "Pledge"
COMMITMENT_KINDS = (START, TRANSFER, PLEDGE)

_ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Commitment:
    """An apprenticeship paid from the account: a planned start, a transfer or a pledge.

    Paid as the workbook's costing columns say: ``instalment`` in each of the
    ``months`` months after the start month, then ``completion`` the month
    after the last instalment.

    Attributes:
        kind: START, TRANSFER or PLEDGE.
        start: start date (the co-investment rate depends on it).
        months: number of monthly instalments, the planned duration.
        instalment: each monthly instalment, GBP.
        completion: the completion payment, GBP.

    Example:
        >>> c = Commitment.costed(START, date(2026, 9, 1), 12, 3_500)
        >>> c.instalment, c.completion, c.schedule()[date(2027, 10, 1)]
        (Decimal('233.33'), Decimal('700.04'), (Decimal('0.00'), Decimal('700.04')))
    """

    kind: str
    start: date
    months: int
    instalment: Decimal
    completion: Decimal

    def __post_init__(self) -> None:
        if self.kind not in COMMITMENT_KINDS:
            raise ValueError(f"kind must be one of {', '.join(COMMITMENT_KINDS)}, not {self.kind!r}")
        object.__setattr__(self, "start", _as_date(self.start, "start"))
        object.__setattr__(self, "months", _whole_number(self.months, "months", minimum=1))
        object.__setattr__(self, "instalment", _money(self.instalment, "instalment", minimum=_ZERO))
        object.__setattr__(self, "completion", _money(self.completion, "completion", minimum=_ZERO))

    @classmethod
    def costed(cls, kind: str, start: levy.DateLike, duration_months: int, price: levy.Number) -> Commitment:
        """A commitment paid by :func:`lga_xl.levy.payment_schedule` (price already capped at its band)."""
        *instalments, completion = levy.payment_schedule(price, start, duration_months).values()
        return cls(kind, _as_date(start, "start"), duration_months, instalments[0], completion)

    @property
    def first_payment_month(self) -> date:
        return _add_months(self.start.replace(day=1), 1)

    @property
    def last_instalment_month(self) -> date:
        return _add_months(self.start.replace(day=1), self.months)

    def schedule(self) -> dict[date, tuple[Decimal, Decimal]]:
        """``{month: (instalment, completion payment)}`` for every month with a payment."""
        first = self.first_payment_month
        payments = {_add_months(first, i): (self.instalment, _ZERO) for i in range(self.months)}
        payments[_add_months(first, self.months)] = (_ZERO, self.completion)
        return payments


@dataclass(frozen=True)
class AccountMonth:
    """One month of the forecast (one row of the workbook's Forecast table).

    Attributes:
        month: first day of the month.
        funds_in: funds entering at the end of the month.
        cost_of_training: instalments due for the council's own starts.
        completion_payments: completion payments due for them.
        transfers_due: transfer and pledge payments due.
        transfers_out: the part of them paid: ``min(due, balance brought forward)``.
        training_from_levy: the council's training paid from levy funds.
        shortfall: its training the balance could not pay (co-invested).
        employer_contribution: the employer's share of the shortfall.
        government_contribution: the government's share of the shortfall.
        expired: funds expiring this month.
        balance: balance at the end of the month, never below 0.
        expired_so_far: expired since the plan start, this month included.
    """

    month: date
    funds_in: Decimal
    cost_of_training: Decimal
    completion_payments: Decimal
    transfers_due: Decimal
    transfers_out: Decimal
    training_from_levy: Decimal
    shortfall: Decimal
    employer_contribution: Decimal
    government_contribution: Decimal
    expired: Decimal
    balance: Decimal
    expired_so_far: Decimal

    @property
    def spent_from_levy(self) -> Decimal:
        """Everything levy funds paid this month: what expiry is matched against."""
        return self.transfers_out + self.training_from_levy

    @property
    def short(self) -> bool:
        """Funds ran short: training was co-invested or a transfer could not be paid in full."""
        return self.shortfall > 0 or self.transfers_out < self.transfers_due


@dataclass(frozen=True)
class FinancialYear:
    """One financial year (April to March) of the forecast: the service's table for the year."""

    tax_year: str
    funds_in: Decimal
    cost_of_training: Decimal
    completion_payments: Decimal
    transfers_out: Decimal
    expired: Decimal
    employer_contribution: Decimal
    government_contribution: Decimal
    closing_balance: Decimal


@dataclass(frozen=True)
class Forecast:
    """A plan's forecast and its named results (the workbook's names in brackets).

    Attributes:
        plan_start: 1 April of the plan's tax year.
        levy_payer: the plan year's levy is above 0 (sets the co-investment rate).
        pay_bills: the pay bill of each financial year of the forecast.
        levies: the levy of each financial year.
        opening_balance: funds in the account at the plan start.
        opening_cohorts: the months it entered (:func:`lga_xl.levy.opening_balance_cohorts`).
        months: 48 AccountMonth rows.
        years: 4 FinancialYear rows.
    """

    plan_start: date
    levy_payer: bool
    pay_bills: tuple[Decimal, ...]
    levies: tuple[Decimal, ...]
    opening_balance: Decimal
    opening_cohorts: dict[date, Decimal]
    months: tuple[AccountMonth, ...]
    years: tuple[FinancialYear, ...]

    @property
    def plan_year(self) -> tuple[AccountMonth, ...]:
        return self.months[:12]

    @property
    def funds_expiring(self) -> Decimal:
        """(FundsExpiring) expiring in the whole forecast."""
        return sum((m.expired for m in self.months), _ZERO)

    @property
    def funds_expiring_plan_year(self) -> Decimal:
        """(FundsExpiringPlanYear) expiring within the plan year."""
        return sum((m.expired for m in self.plan_year), _ZERO)

    @property
    def next_expiry_month(self) -> date | None:
        """(NextExpiryMonth) the first month with funds expiring; None when none do."""
        return next((m.month for m in self.months if m.expired > 0), None)

    @property
    def next_expiry_amount(self) -> Decimal:
        """(NextExpiryAmount) how much expires in that month; 0 when nothing expires."""
        return next((m.expired for m in self.months if m.expired > 0), _ZERO)

    @property
    def expiry_month_count(self) -> int:
        """(ExpiryMonthCount) months in which funds expire."""
        return sum(1 for m in self.months if m.expired > 0)

    @property
    def first_shortfall_month(self) -> date | None:
        """(FirstShortfallMonth) the first month in which funds run short; None when they never do."""
        return next((m.month for m in self.months if m.short), None)

    @property
    def shortfall_months(self) -> int:
        """(ShortfallMonths) months in which funds run short."""
        return sum(1 for m in self.months if m.short)

    @property
    def lowest_balance(self) -> Decimal:
        """(LowestBalance) the lowest month-end balance."""
        return min(m.balance for m in self.months)

    @property
    def transfers_planned(self) -> Decimal:
        """(TransfersPlanned) transfer and pledge payments due in the plan year: both count against
        the transfer allowance (``levy.headroom_table(previous_year_funds, this + committed elsewhere, ...)``)."""
        return sum((m.transfers_due for m in self.plan_year), _ZERO)

    @property
    def employer_contribution(self) -> Decimal:
        """(EmployerContribution) the employer's co-investment in the plan year."""
        return sum((m.employer_contribution for m in self.plan_year), _ZERO)

    @property
    def government_contribution(self) -> Decimal:
        """(GovernmentContribution) the government's co-investment in the plan year."""
        return sum((m.government_contribution for m in self.plan_year), _ZERO)


def forecast(
    tax_year: str,
    *,
    pay_bill: levy.Number,
    english_fraction: levy.Number = 1,
    levy_allowance: levy.Number = levy.LEVY_ALLOWANCE,
    pay_bill_growth: levy.Number = 0,
    previous_year_funds: levy.Number | None = None,
    opening_balance: levy.Number = 0,
    known_expiring: Mapping[levy.DateLike, levy.Number] | None = None,
    commitments: Sequence[Commitment] = (),
) -> Forecast:
    """A levy plan's account forecast for 48 months from 1 April of its tax year.

    Funds in: financial year k (0 is the plan year) has the pay bill
    ``levy.grown_pay_bill(pay_bill, pay_bill_growth, k)``, its levy
    ``levy.levy_due(that, levy_allowance)``, a twelfth of it each month
    (``levy.even_monthly_levy``) and each month's funds
    ``levy.funds_entering(twelfth, english_fraction, on=month)``: a 10%
    top-up before August 2026, none from then.  The opening balance is placed
    by :func:`lga_xl.levy.opening_balance_cohorts`; the council counts as a
    levy payer (25% co-investment for starts from August 2026) when the plan
    year's levy is above 0.

    Args:
        tax_year: the plan's tax year, typed loosely ("2026-27", "2026/27", ...).
        pay_bill: the council's annual pay bill in the plan year, GBP.
        english_fraction: share of the pay bill for staff living in England, 0 to 1.
        levy_allowance: the council's share of the 15,000 GBP allowance.
        pay_bill_growth: yearly pay bill growth as a fraction (0.02 for 2%).
        previous_year_funds: funds that entered in the previous tax year, or None.
        opening_balance: funds in the account on 1 April, GBP.
        known_expiring: ``{month: amount}`` of the opening balance due to expire,
            from the account's finance page.
        commitments: starts, transfers and pledges, with their payments.

    Raises:
        ValueError: an input out of range (see the levy functions named above).
    """
    first_day, _ = levy.parse_tax_year(levy.normalise_tax_year(tax_year))
    plan_start = date(first_day.year, 4, 1)
    years = FORECAST_MONTHS // 12
    pay_bills = tuple(levy.grown_pay_bill(pay_bill, pay_bill_growth, k) for k in range(years))
    levies = tuple(levy.levy_due(amount, levy_allowance) for amount in pay_bills)
    funds_in = [
        levy.funds_entering(levy.even_monthly_levy(levies[i // 12]), english_fraction, on=_add_months(plan_start, i))
        for i in range(FORECAST_MONTHS)
    ]
    cohorts = levy.opening_balance_cohorts(plan_start, opening_balance, previous_year_funds, known_expiring)
    levy_payer = levies[0] > 0
    months = project_account(plan_start, funds_in, cohorts, commitments, levy_payer=levy_payer)
    return Forecast(
        plan_start=plan_start, levy_payer=levy_payer, pay_bills=pay_bills, levies=levies,
        opening_balance=sum(cohorts.values(), _ZERO), opening_cohorts=cohorts, months=tuple(months),
        years=tuple(financial_years(months)),
    )


def project_account(
    first_month: levy.DateLike,
    funds_in: Sequence[levy.Number],
    opening_cohorts: Mapping[levy.DateLike, levy.Number],
    commitments: Sequence[Commitment] = (),
    *,
    levy_payer: bool = True,
) -> list[AccountMonth]:
    """The account month by month from ``first_month``, one month per entry of ``funds_in``.

    The engine under :func:`forecast`, for any first month and funds in (the
    Apprenticeship Service's own test cases use level funds of a few hundred
    pounds).  See the module docstring for the order within a month.

    Co-investment: a month's shortfall is split between the council's starts
    pro rata to what each is due that month, each share at its start's
    co-investment rate, so the employer's part is
    ``ROUND(shortfall * SUM(due_s * rate_s) / SUM(due_s), 2)`` and the
    government's the rest of the shortfall (Excel: SUMPRODUCT over the starts).

    Expiry: the cohorts are ``opening_cohorts`` (entered before the first
    month) and each month's funds in.  Funds that entered before August 2026
    expire 24 months on and are matched against payments first, the rest 12
    months on (das ``ExpiredFunds.cs`` and ``ExpireFundsExtensions.cs``).
    Row by row: with S the levy-paid spending to date, U24 and U12 what the
    24- and 12-month cohorts already expired had used, and F24, F12 the
    cohorts expiring this month,

    * the 24-month cohort uses ``u24 = MIN(F24, MAX(0, S - U24))``;
    * the 24-month funds not yet expired hold
      ``H = MIN(T24 - X24, MAX(U24 + u24, S))`` of the spending, where T24 is all
      24-month funds and X24 those expired so far, this month's included;
    * the 12-month cohort uses ``u12 = MIN(F12, MAX(0, S - H - U12))``;
    * ``expired = F24 - u24 + F12 - u12``.

    This equals :func:`lga_xl.levy.expired_funds` on the levy-paid spending
    (the tests check it); it needs no spending after the month, which das's
    calculation does not either (spending after a month cannot change what
    expires by then).  No rounding: all amounts are pennies already.

    Args:
        first_month: the first month of the projection.
        funds_in: funds entering in each month, GBP.
        opening_cohorts: ``{month entered: amount}`` making up the opening balance;
            each entered before ``first_month`` and not expired before it.
        commitments: starts, transfers and pledges.  Payments before
            ``first_month`` are taken as already made.
        levy_payer: whether the employer pays the levy (its co-investment rate).

    Raises:
        ValueError: negative amounts, or a cohort entered on or after the first
            month or expired before it.
    """
    start = _as_month(first_month, "first_month")
    months = [_add_months(start, i) for i in range(len(funds_in))]
    entered: dict[date, Decimal] = {}
    for when, amount in opening_cohorts.items():
        month = _as_month(when, "a month in opening_cohorts")
        if not month < start <= levy.expiry_month(month):
            raise ValueError(f"opening cohort {month:%Y-%m} must enter before {start:%Y-%m} and not expire before it")
        entered[month] = _money(amount, f"opening_cohorts[{month:%Y-%m}]", minimum=_ZERO)
    for month, amount in zip(months, funds_in):
        entered[month] = _money(amount, f"funds in {month:%Y-%m}", minimum=_ZERO)
    total_24 = sum((amount for month, amount in entered.items() if month < levy.SHORT_EXPIRY_FROM), _ZERO)
    # Due each month: [own instalments, own completion payments, their sum weighted by each start's
    # co-investment rate, transfers and pledges].
    due = {month: [_ZERO, _ZERO, _ZERO, _ZERO] for month in months}
    for commitment in commitments:
        own = commitment.kind == START
        # A start before the levy's funding rules (not a plausible plan row) takes their first rate.
        rate = levy.co_investment_rate(max(commitment.start, levy.FUNDING_RULES_START), levy_payer=levy_payer)
        for month, (instalment, completion) in commitment.schedule().items():
            totals = due.get(month)
            if totals is None:
                continue  # before the first month (already paid) or after the last
            if own:
                totals[0] += instalment
                totals[1] += completion
                totals[2] += (instalment + completion) * rate
            else:
                totals[3] += instalment + completion

    balance = sum((amount for month, amount in entered.items() if month < start), _ZERO)
    spent = used_24 = expired_24 = used_12 = expired_so_far = _ZERO
    rows = []
    for month in months:
        cost, completions, weighted, transfers_due = due[month]
        training_due = cost + completions
        transfers_out = min(transfers_due, balance)
        training_from_levy = min(training_due, balance - transfers_out)
        shortfall = training_due - training_from_levy
        employer = _round_money(shortfall * weighted / training_due) if shortfall else _ZERO
        spent += transfers_out + training_from_levy

        # The cohorts expiring this month: at most one of each group (levy.expiry_month).
        entered_24, entered_12 = _add_months(month, -levy.EXPIRY_MONTHS), _add_months(month, -levy.SHORT_EXPIRY_MONTHS)
        due_24 = entered.get(entered_24, _ZERO) if entered_24 < levy.SHORT_EXPIRY_FROM else _ZERO
        due_12 = entered.get(entered_12, _ZERO) if entered_12 >= levy.SHORT_EXPIRY_FROM else _ZERO
        use_24 = min(due_24, max(_ZERO, spent - used_24))
        used_24 += use_24
        expired_24 += due_24 - use_24
        # 24-month funds are matched first, also those expiring after this month (das order).
        held_by_24 = min(total_24 - expired_24, max(used_24, spent))
        use_12 = min(due_12, max(_ZERO, spent - held_by_24 - used_12))
        used_12 += use_12
        expired = due_24 - use_24 + due_12 - use_12
        expired_so_far += expired

        balance = balance - transfers_out - training_from_levy - expired + entered[month]
        rows.append(AccountMonth(
            month=month, funds_in=entered[month], cost_of_training=cost, completion_payments=completions,
            transfers_due=transfers_due, transfers_out=transfers_out, training_from_levy=training_from_levy,
            shortfall=shortfall, employer_contribution=employer, government_contribution=shortfall - employer,
            expired=expired, balance=balance, expired_so_far=expired_so_far,
        ))
    return rows


def financial_years(months: Sequence[AccountMonth]) -> list[FinancialYear]:
    """Totals by financial year (April to March), with each year's closing balance.

    Example:
        >>> [year.tax_year for year in financial_years(forecast("2026-27", pay_bill=0).months)]
        ['2026-27', '2027-28', '2028-29', '2029-30']
    """
    by_year: dict[str, list[AccountMonth]] = {}
    for row in months:
        by_year.setdefault(levy.tax_year_of(row.month.replace(day=6)), []).append(row)

    def total(rows: list[AccountMonth], name: str) -> Decimal:
        return sum((getattr(row, name) for row in rows), _ZERO)

    return [
        FinancialYear(
            tax_year=label, funds_in=total(rows, "funds_in"), cost_of_training=total(rows, "cost_of_training"),
            completion_payments=total(rows, "completion_payments"), transfers_out=total(rows, "transfers_out"),
            expired=total(rows, "expired"), employer_contribution=total(rows, "employer_contribution"),
            government_contribution=total(rows, "government_contribution"), closing_balance=rows[-1].balance,
        )
        for label, rows in by_year.items()
    ]

