"""The levy plan's own formulas (template 2.0), recalculated by LibreOffice, against Python.

Every named cell, every formula column of the Schools, PlannedStarts, Transfers and ExpiringFunds
tables and every cell of the Opening, Years and Forecast tables must equal what
:mod:`lga_xl.readers.levy_plan` recomputes with :mod:`lga_xl.levy` and :mod:`lga_xl.forecast`, to the
penny, for edge cases and 150 random plans: opening balances placed by age and by the expiring funds
listed, pay bill growth, co-investment, transfers and pledges the account cannot pay, dated funding
bands, retired standards, and inputs typed the ways people type them (95, 95%, 0.95, "95%";
"£250,000.00", " 250 000 "; dates as dates, serial numbers and text). Each typed input is read as
meant or flagged at its cell. All plans are recalculated by one LibreOffice.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

from lga_xl import cells, levy
from lga_xl.contracts import levy_plan as spec
from lga_xl.contracts.levy_plan import CONTRACT, FIGURES, OPENING_WORKINGS
from lga_xl.readers.levy_plan import read_levy_plan
from lga_xl.readers.package import open_package
from lga_xl.reference import COUNCIL_ESTABLISHMENT_TYPES, ESTABLISHMENT_TYPES
from lga_xl.standards import sample_export
from lga_xl.writers.levy_plan import SchoolEntry, StartEntry, TransferEntry, new_levy_plan

pytestmark = pytest.mark.libreoffice

D = Decimal
RANDOM_PLANS = 150
FULL_SIZE = ("worked-example", "empty-tables")  # plans written with the template's full tables
STANDARDS = sample_export(include_inactive=True)
OPEN = [s for s in STANDARDS if s.approved]
CLOSED = [s.reference for s in STANDARDS if not s.approved]
BY_REFERENCE = {s.reference: s for s in STANDARDS}
OTHER_TYPES = [name for name, employer in ESTABLISHMENT_TYPES.items() if employer != "Council"]
# Every formula column the model reads back, by table: {column key: model attribute}.
COMPARED = {
    "Schools": ("schools", {k: k for k in ("employer", "levy_share", "funds_share", "planned_spend", "funds_left",
                                           "check")}),
    "PlannedStarts": ("planned_starts", {"title": "title", "level": "level", "band_max": "band_max",
                                         "above_cap": "above_cap", "in_year_cost": "in_year_cost", "check": "check",
                                         "reference": "standard", "urn": "urn"}),
    "Transfers": ("transfers", {"title": "title", "level": "level", "band_max": "band_max", "above_cap": "above_cap",
                                "in_year_cost": "in_year_cost", "check": "check", "reference": "standard"}),
    "ExpiringFunds": ("expiring_funds_known", {"entered": "entered", "check": "check"}),
    "Opening": ("opening", {k: k for k in ("entered", "expires", "known", "estimate", "amount")}),
    "Years": ("years", {c.key: c.key for c in spec.YEARS.columns if c.role == "formula"}),
    "Forecast": ("forecast", {c.key: c.key for c in spec.FORECAST.columns if c.key in (
        "month", "funds_in", "cost_of_training", "completion_payments", "transfers_due", "transfers_out",
        "training_from_levy", "shortfall", "employer_contribution", "government_contribution", "expired",
        "balance", "expired_so_far", "short")}),
}


# --- typed inputs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Typed:
    """An input written in one of the ways people type it, and what was meant."""

    sheet: str
    cell: str
    meant: Any
    read: Any  # (plan) -> what the reader made of it


def money_forms(amount: Decimal) -> list[Any]:
    pounds, pence = f"{amount:.2f}".split(".")
    return [amount, f"£{amount:,.2f}", f" {int(pounds):,}.{pence} ".replace(",", " "), f"{amount:,.2f}"]


def percent_forms(fraction: Decimal) -> list[Any]:
    percent = fraction * 100
    return [fraction, percent, f"{percent.normalize():f}%", f"{percent.normalize():f}"]


def date_forms(day: dt.date) -> list[Any]:
    return [day, cells.serial(day), f"{day:%d/%m/%Y}", f"{day:%Y-%m-%d}", f"{day.day} Sept {day.year}"
            if day.month == 9 else f"{day.day} {day:%b %Y}"]


PLAN_FIELDS = {  # a Plan figure's model field, and how it shows what was meant
    "TotalPayBill": lambda p: p.total_pay_bill, "EnglishPercent": lambda p: p.english_percent,
    "LevyAllowance": lambda p: p.levy_allowance, "PayBillGrowth": lambda p: p.pay_bill_growth,
    "Headcount": lambda p: p.headcount, "PreviousYearFunds": lambda p: p.previous_year_funds,
    "OpeningBalance": lambda p: p.opening_balance, "TransfersCommitted": lambda p: p.transfers_committed,
}


# --- plans ------------------------------------------------------------------------------------


def month_in(rng: random.Random, first: dt.date, months: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + rng.randrange(months)
    return dt.date(index // 12, index % 12 + 1, rng.choice([1, 1, 6, 15, 28]))


def band(reference: str, start: dt.date) -> Decimal:
    standard = BY_REFERENCE.get(reference)
    if standard is None:
        return D(5000)
    try:
        return standard.band_on(start)
    except ValueError:
        return standard.max_funding


def random_plan(rng: random.Random) -> tuple[dict, list[Typed]]:
    """A plan's options, with some inputs written as people type them (and what was meant)."""
    tax_year = rng.choice(["2026-27"] * 5 + ["2025-26", "2027-28", "2024-25", "2019-20", "2028-29"])
    plan_start = dt.date(int(tax_year[:4]), 4, 1)
    typed: list[Typed] = []
    schools = []
    for number in range(rng.choice([0, 2, 5, 9, 14])):
        school_type = rng.choice(COUNCIL_ESTABLISHMENT_TYPES * 4 + tuple(OTHER_TYPES[:6]))
        pay_bill = rng.choice([rng.randrange(200_000, 4_000_000), D(rng.randrange(20_000_000, 400_000_000)) / 100])
        schools.append(SchoolEntry(100_000 + number * 7 + rng.choice([0, 0, 0, 7]), f"School {number}", school_type,
                                   pay_bill, rng.randrange(5, 120)))
    urns = [s.urn for s in schools]
    starts = []
    for _ in range(rng.choice([0, 3, 12, 25, 40])):
        reference = rng.choice([s.reference for s in OPEN] * 30 + CLOSED + ["ST9999"])
        start = month_in(rng, levy._add_months(plan_start, -6), 44)
        price = band(reference, start) * D(rng.choice(["1", "1", "0.85", "1.2", "0.5", "3"]))
        if rng.random() < 0.2:
            price += D(rng.randrange(1, 100)) / 100
        starts.append(StartEntry(reference, start, rng.choice([12, 12, 15, 18, 24, 36, 8, 7, 48, 1]), price,
                                 rng.choice(urns + [None] * 3 + [999_999]) if urns else rng.choice([None, None,
                                                                                                    123_456])))
    transfers = [
        TransferEntry(f"Recipient {i}", rng.choice(OPEN).reference, month_in(rng, plan_start, 20),
                      rng.choice([12, 15, 24]), rng.choice(OPEN).max_funding, rng.choice(["Transfer", "Pledge", None]))
        for i in range(rng.choice([0, 0, 1, 3, 6]))
    ]
    total_pay_bill = max(D(rng.choice([
        0, 2_999_999, 3_000_001, 3_000_535, rng.randrange(3_000_000, 12_000_000),
        rng.randrange(20_000_000, 600_000_000), D(rng.randrange(300_000_000, 30_000_000_000)) / 100,
        3_000_000 + 2 * (12 * rng.randrange(1, 200_000) + 6),  # a levy whose twelfth ends in half a penny
    ])), sum((D(s.pay_bill) for s in schools), D(0)))
    opening = rng.choice([D(0), D(rng.randrange(0, 2_000_000)), D(rng.randrange(0, 90_000_000)) / 100])
    expiring = {}
    for _ in range(rng.choice([0, 0, 1, 2, 4])):
        month = levy._add_months(plan_start, rng.randrange(-2, 30))
        expiring[month] = rng.choice([D(rng.randrange(0, 60_000_000)) / 100, (opening / 3).quantize(D("0.01")), D(0)])
    options = dict(
        tax_year=tax_year, org_name="Random Council", total_pay_bill=total_pay_bill,
        english_percent=rng.choice([D(0), D(1), D(1), D("0.95"), D("0.875"), D("0.9937"), D("0.1234")]),
        levy_allowance=rng.choice([D(15_000)] * 4 + [D(7_500), D(0), D("12345.67"), None]),
        pay_bill_growth=rng.choice([D(0), D(0), D("0.02"), D("0.035"), D("0.1"), None]),
        headcount=rng.choice([0, 1, 249, 1000, 1001, 4350, rng.randrange(10, 30_000)]),
        previous_year_funds=rng.choice([None, D(0), D(rng.randrange(0, 300_000_000)) / 100,
                                        D(rng.randrange(0, 900_000))]),
        opening_balance=opening,
        transfers_committed=rng.choice([0, 0, rng.randrange(0, 300_000), D(rng.randrange(0, 5_000_000)) / 100]),
        expiring_funds=expiring, schools=schools, starts=starts, transfers=transfers,
    )
    _type_some_inputs(rng, options, typed)
    return options, typed


def _type_some_inputs(rng: random.Random, options: dict, typed: list[Typed]) -> None:
    """Write some of a plan's inputs as people type them, remembering what was meant."""
    for name in rng.sample(list(PLAN_FIELDS), rng.choice([0, 1, 3])):
        key = {"TotalPayBill": "total_pay_bill", "EnglishPercent": "english_percent",
               "LevyAllowance": "levy_allowance", "PayBillGrowth": "pay_bill_growth", "Headcount": "headcount",
               "PreviousYearFunds": "previous_year_funds", "OpeningBalance": "opening_balance",
               "TransfersCommitted": "transfers_committed"}[name]
        meant = options[key]
        if meant is None:
            continue
        kind = CONTRACT.name(name).kind
        forms = (percent_forms(D(meant)) if kind == "percent" else money_forms(D(meant)) if kind == "money"
                 else [meant, f"{int(meant):,}", 10.5])
        options[key] = rng.choice(forms)
        shown = D(meant) * 100 if kind == "percent" else D(meant)
        typed.append(Typed("Plan", CONTRACT.address(name)[1], shown, PLAN_FIELDS[name]))
    starts = options["starts"]
    if starts and rng.random() < 0.4:
        i = rng.randrange(len(starts))
        start = starts[i]
        form = rng.choice(["date", "duration", "price"])
        table = spec.PLANNED_STARTS
        if form == "date":
            options["starts"][i] = StartEntry(start.standard, rng.choice(date_forms(start.start_date)),
                                              start.duration_months, start.price, start.urn)
            key, meant = "start_date", start.start_date
        elif form == "duration":
            options["starts"][i] = StartEntry(start.standard, start.start_date, rng.choice([
                start.duration_months, str(start.duration_months)]), start.price, start.urn)
            key, meant = "duration_months", start.duration_months
        else:
            options["starts"][i] = StartEntry(start.standard, start.start_date, start.duration_months,
                                              rng.choice(money_forms(D(start.price))), start.urn)
            key, meant = "price", D(start.price)
        typed.append(Typed("Starts", table.cell(key, table.first_row + i), meant,
                           lambda p, i=i, key=key: getattr(p.planned_starts[i], key)))
    if options["expiring_funds"] and rng.random() < 0.5:
        month, amount = next(iter(options["expiring_funds"].items()))
        rows = [(rng.choice(date_forms(month)), amount), *list(options["expiring_funds"].items())[1:]]
        options["expiring_funds"] = rows
        table = spec.EXPIRING_FUNDS
        typed.append(Typed("Expiry", table.cell("month", table.first_row), month,
                           lambda p: p.expiring_funds_known[0].month))


def edge_plans() -> dict[str, dict]:
    base = dict(tax_year="2026-27", org_name="Edge Council", english_percent=1, headcount=1000,
                previous_year_funds=0, opening_balance=0, transfers_committed=0)
    across_august = [StartEntry("ST0070", dt.date(2026, month, 1), 12, 5000) for month in (5, 7, 8, 9)]
    worked = dict(base, total_pay_bill=50_000_000, previous_year_funds=258_000, opening_balance=400_000)
    return {
        "worked-example": worked,
        "worked-example-known-expiry": dict(worked, expiring_funds={dt.date(2026, 6, 1): 50_000}),
        "empty-tables": dict(base, total_pay_bill=50_000_000),
        "zero-pay-bill": dict(base, total_pay_bill=0, starts=across_august),
        "under-the-allowance": dict(base, total_pay_bill=2_999_999, opening_balance=10_000, starts=across_august),
        "one-penny-of-levy": dict(base, total_pay_bill=3_000_001),
        "levy-2.675": dict(base, total_pay_bill=3_000_535, english_percent=D("0.5")),
        "english-0": dict(base, total_pay_bill=80_000_000, english_percent=0, starts=across_august),
        "growth-10": dict(base, total_pay_bill=10_000_000, pay_bill_growth=D("0.1"), opening_balance=5_000),
        "shared-allowance": dict(base, total_pay_bill=10_000_000, levy_allowance=7_500),
        "over-cap-prices": dict(base, total_pay_bill=40_000_000, starts=[
            StartEntry("ST0070", dt.date(2026, 6, 10), 12, D("5000.99")),
            StartEntry("ST0454", dt.date(2026, 9, 1), 18, 9000, urn=100_001)],
            schools=[SchoolEntry(100_001, "Ash Primary", "Community school", 1_200_000, 40)]),
        "dated-bands-and-retired": dict(base, total_pay_bill=40_000_000, starts=[
            StartEntry("ST0384", dt.date(2025, 7, 31), 15, 5000), StartEntry("ST0384", dt.date(2025, 8, 1), 15, 5000),
            StartEntry("ST0384", dt.date(2018, 5, 1), 15, 5000), StartEntry("ST0072", dt.date(2026, 9, 1), 12, 4000),
            StartEntry("ST0005", dt.date(2025, 7, 1), 12, 3000)]),
        "over-committed-transfers": dict(base, total_pay_bill=30_000_000, previous_year_funds=8_000,
                                         transfers_committed=1_500, transfers=[
            TransferEntry("Care Ltd", "ST0005", dt.date(2026, 5, 1), 12, 3000),
            TransferEntry("Bus CIC", "ST0070", dt.date(2026, 6, 1), 12, 3500, "Pledge")]),
        "co-investment-at-two-rates": dict(base, total_pay_bill=4_000_000, opening_balance=2_000, starts=[
            StartEntry("ST0510", dt.date(2026, 4, 1), 36, 24000), StartEntry("ST0272", dt.date(2026, 9, 1), 36, 22000),
            StartEntry("ST0070", dt.date(2019, 3, 1), 96, 5000)]),
        "pledges-the-account-cannot-pay": dict(base, total_pay_bill=3_500_000, transfers=[
            TransferEntry("Care Ltd", "ST0510", dt.date(2026, 4, 1), 12, 24000, "Pledge"),
            TransferEntry("Bus CIC", "ST0070", dt.date(2026, 4, 1), 12, 5000)],
            starts=[StartEntry("ST0070", dt.date(2026, 5, 1), 12, 5000)]),
        "not-a-levy-payer": dict(base, total_pay_bill=2_000_000, opening_balance=3_000, starts=[
            StartEntry("ST0070", dt.date(2026, 9, 1), 12, 5000)]),
        "payments-before-and-after-the-forecast": dict(base, total_pay_bill=20_000_000, opening_balance=250_000,
                                                       starts=[StartEntry("ST0272", dt.date(2025, 6, 1), 48, 22000),
                                                               StartEntry("ST0510", dt.date(2029, 3, 31), 48, 24000)]),
        "both-expiry-groups": dict(base, tax_year="2027-28", total_pay_bill=30_000_000, previous_year_funds=300_000,
                                   opening_balance=250_000, expiring_funds={dt.date(2027, 9, 1): 20_000},
                                   starts=[StartEntry("ST0070", dt.date(2027, 1, 1), 12, 5000),
                                           StartEntry("ST0070", dt.date(2028, 10, 1), 12, 5000)]),
        "first-transfer-year": dict(base, tax_year="2018-19", total_pay_bill=10_000_000, previous_year_funds=33_000),
        "incomplete-rows": dict(base, total_pay_bill=12_000_000, schools=[
            SchoolEntry(100_001, "Ash", "Community school", None, 30), SchoolEntry(100_002, None, "Community", 500_000)],
            starts=[StartEntry("ST0070", None, 12, 3500), StartEntry("ST0070", dt.date(2026, 9, 1), 0, 3500),
                    StartEntry(None, dt.date(2026, 9, 1), 12, 3500, urn=100_001)],
            transfers=[TransferEntry(None, "ST0005", dt.date(2026, 9, 1), 12, 3000)],
            expiring_funds=[(dt.date(2026, 9, 1), None), (None, 500)]),
        "not-in-levy-and-twice": dict(base, total_pay_bill=9_000_000, schools=[
            SchoolEntry(100_001, "Ash", "Academy", 900_000, 30), SchoolEntry(100_002, "Elm", "Community", 700_000, 20),
            SchoolEntry(100_002, "Elm again", "Community", 100_000, 2), SchoolEntry(100_003, "Yew", "Grammar", 5, 1)],
            starts=[StartEntry("ST0454", dt.date(2026, 9, 1), 6, 7000, urn=100_002),
                    StartEntry("ST9999", dt.date(2026, 9, 1), 12, 7000, urn=100_009)]),
        "typed-anyhow": dict(base, total_pay_bill="£50,000,000.00", english_percent=95, levy_allowance=" 15 000 ",
                             pay_bill_growth="2.5%", headcount="1,200", previous_year_funds="£258,000",
                             opening_balance=" 400 000 ", transfers_committed="lots",
                             starts=[StartEntry("ST0070", "01/09/2026", 12, 5000),
                                     StartEntry("ST0070", cells.serial(dt.date(2026, 9, 1)), "12", "£5,000.00"),
                                     StartEntry("ST0070", dt.date(2026, 9, 1), 12.5, -5)]),
    }


@pytest.fixture(scope="module")
def plans(tmp_path_factory, libreoffice):
    """(name, original path, recalculated path, typed inputs) for every plan, recalculated by one LibreOffice."""
    folder = tmp_path_factory.mktemp("levy_plans")
    rng = random.Random(20261130)
    cases = [(name, options, []) for name, options in edge_plans().items()]
    cases += [(f"random{i}", *random_plan(rng)) for i in range(RANDOM_PLANS)]
    # Tables as long as the longest plan's (the same formulas row by row) keep LibreOffice's work short, and
    # all but two plans the same workbook but for what is typed in; those two keep the template's full tables.
    rows = {table: max(len(options.get(key, ())) for _, options, _ in cases) + spec.SPARE_ROWS
            for table, key in (("Schools", "schools"), ("PlannedStarts", "starts"), ("Transfers", "transfers"))}
    written = [(name, new_levy_plan(folder / f"{i:03d}-{name}.xlsx", **options,
                                    rows=None if name in FULL_SIZE else rows), typed)
               for i, (name, options, typed) in enumerate(cases)]
    outputs = libreoffice.values([path for _, path, _ in written])
    return [(name, path, outputs[path], typed) for name, path, typed in written]


@pytest.fixture(scope="module")
def read(plans):
    """name -> the plan as Python reads the original (never recalculated) file."""
    return {name: read_levy_plan(original) for name, original, _, _ in plans}


# --- comparing --------------------------------------------------------------------------------


def same(cached: Any, expected: Any) -> bool:
    if expected is None or expected == "":
        return cached in (None, "")
    if isinstance(expected, bool):
        return cached == (spec.SHORT if expected else "")
    if isinstance(expected, str):  # a URN key is a number in the workbook, text in the model
        return (cells.text(cached) or "").casefold() == expected.casefold()
    if isinstance(expected, dt.date):
        day = cached.date() if isinstance(cached, dt.datetime) else cached
        return isinstance(day, dt.date) and day == expected
    if isinstance(cached, bool) or not isinstance(cached, (int, float)):
        return False
    return abs(D(repr(cached)) - D(expected)) < D("0.000001")  # the penny, and fractions such as 2.5% exactly


def day(value: dt.date) -> dt.date:
    """A date cell's value as a date (calamine gives dates or datetimes)."""
    return value.date() if isinstance(value, dt.datetime) else value


def named_values(plan) -> dict[str, Any]:
    """Every named cell's value, from the model: the results, the figures used and the Expiry workings."""
    values = {name: getattr(plan, field) for name, field in CONTRACT.results().items()}
    for name in ("NextExpiryMonth", "FirstShortfallMonth"):
        values[name] = values[name] or spec.NO_MONTH
    used = {"TotalPayBill": plan.total_pay_bill, "EnglishPercent": (plan.english_percent or 0) / 100,
            "LevyAllowance": plan.levy_allowance, "PayBillGrowth": plan.pay_bill_growth / 100,
            "Headcount": plan.headcount, "PreviousYearFunds": plan.previous_year_funds,
            "OpeningBalance": plan.opening_balance, "TransfersCommitted": plan.transfers_committed}
    values.update({f"{name}Used": used[name] or 0 for name in (n.name for n in FIGURES.names)})
    listed = sum((r.amount for r in plan.expiring_funds_known if r.check in ("", spec.CHECK_OVER_BALANCE)), D(0))
    opening = plan.opening_balance or 0
    rest = opening - listed if listed <= opening else opening
    previous = plan.previous_year_funds or 0
    values.update({
        "PlanEnd": plan.plan_end,
        "ExpiringFundsTotal": listed, "OpeningBalanceRest": rest,
        "OpeningMonthCap": (previous / 12).quantize(D("0.01"), ROUND_HALF_UP) if previous > 0 else rest,
        "Funds24Months": sum((m.amount for m in plan.opening if m.entered < levy.SHORT_EXPIRY_FROM), D(0))
        + sum((m.funds_in for m in plan.forecast if m.month < levy.SHORT_EXPIRY_FROM), D(0)),
    })
    assert set(values) == {n.name for n in CONTRACT.names("formula")} | {n.name for n in OPENING_WORKINGS.names}
    return values


def differences(name: str, plan, recalculated: Path) -> list[str]:
    found = []
    with open_package(recalculated) as pkg:
        for workbook_name, expected in named_values(plan).items():
            cached = pkg.name_value(workbook_name).value
            if not same(cached, expected):
                found.append(f"{name} {workbook_name}: LibreOffice {cached!r}, Python {expected!r}")
        for table_name, (attribute, columns) in COMPARED.items():
            table = pkg.table(table_name)
            spec_table = CONTRACT.table(table_name)
            expected_rows = {row.row: row for row in getattr(plan, attribute)}
            for i, values in enumerate(table.rows):
                expected_row = expected_rows.get(table.first_row + i)
                for key, model_attribute in columns.items():
                    header = spec_table.column(key).header
                    cached = values[table.column_index(header)]
                    if expected_row is None:  # a blank input row: blanks (and zeros in workings) only
                        ok, expected = cached in ("", 0, 0.0), "(blank)"
                    else:
                        expected = getattr(expected_row, model_attribute)
                        ok = same(cached, expected)
                    if not ok:
                        found.append(f"{name} {table_name}!{table.cell(i, table.column_index(header))} {header}: "
                                     f"LibreOffice {cached!r}, Python {expected!r}")
    return found


# --- the tests ----------------------------------------------------------------------------------


def test_there_are_enough_plans(plans):
    assert sum(1 for name, *_ in plans if name.startswith("random")) >= 150


def test_every_figure_equals_python_to_the_penny(plans, read):
    mismatches = [problem for name, _, recalculated, _ in plans
                  for problem in differences(name, read[name], recalculated)]
    assert mismatches[:30] == []


def test_every_typed_input_is_read_as_meant_or_flagged_at_its_cell(plans, read):
    silent = []
    for name, _, _, typed in plans:
        plan = read[name]
        flagged = {(i.sheet, i.cell) for i in plan.issues}
        for entry in typed:
            if entry.read(plan) != entry.meant and (entry.sheet, entry.cell) not in flagged:
                silent.append(f"{name} {entry.sheet}!{entry.cell}: meant {entry.meant!r}, read {entry.read(plan)!r}")
    assert silent == []


def test_the_plans_cover_the_edges(plans, read):
    """The random and edge plans reach every branch the formulas have."""
    seen: set[str] = set()
    for name, _, _, typed in plans:
        plan = read[name]
        seen |= {row.check for row in (*plan.planned_starts, *plan.schools, *plan.transfers,
                                       *plan.expiring_funds_known)}
        codes = {i.code for i in plan.issues}
        seen |= codes & {"number-as-text", "percent-typed-without-sign", "typed-as-text", "not-a-number",
                         "previous-year-funds-missing", "expiring-funds-over-balance", "funds-run-short"}
        months = plan.forecast
        seen |= {"top-up month" for m in months if m.month < levy.TOP_UP_END and m.funds_in > 0}
        seen |= {"over-committed" for _ in [plan] if plan.over_committed > 0}
        seen |= {"24-month expiry" for m in months if m.expired and m.month < dt.date(2028, 8, 1)}
        seen |= {"12-month expiry" for m in months if m.expired and m.month >= dt.date(2027, 8, 1)}
        rates = {round(m.employer_contribution / m.shortfall, 2) for m in months if m.shortfall > 1}
        seen |= {"co-investment at 25%" for rate in rates if rate == D("0.25")}
        seen |= {"co-investment at mixed rates" for rate in rates if rate not in (D("0.05"), D("0.10"), D("0.25"))}
        seen |= {"transfer not made" for m in months if m.transfers_out < m.transfers_due}
        seen |= {"pledge" for t in plan.transfers if t.type == "Pledge"}
        seen |= {"known expiry used" for m in plan.opening if m.known > 0}
        seen |= {"growth" for y in plan.years[1:] if y.pay_bill != plan.years[0].pay_bill}
        seen |= {"typed read as meant" for entry in typed if entry.read(plan) == entry.meant}
    assert seen >= {"", "Incomplete row", "Unknown standard", "Unknown school", "Shorter than the minimum",
                    "Starts before the plan", "Price above the funding band", "Not in council levy",
                    "URN listed twice", "Check the date, duration and price", "Standard not open for starts",
                    "Outside the standard's start dates", "No funding band on the start date", "Unknown school type",
                    "Expires before the plan starts", "Entered after the plan starts",
                    "Total above the opening balance", "Check the month and amount",
                    "number-as-text", "percent-typed-without-sign", "typed-as-text", "not-a-number",
                    "previous-year-funds-missing", "expiring-funds-over-balance", "funds-run-short",
                    "top-up month", "over-committed", "24-month expiry", "12-month expiry", "co-investment at 25%",
                    "co-investment at mixed rates", "transfer not made", "pledge", "known expiry used", "growth",
                    "typed read as meant"}


def test_the_worked_example_in_the_workbook(plans):
    """142,000 of a 400,000 opening balance expires within 2026-27, the first in September 2026 (docs/levy.md)."""
    recalculated = {name: path for name, _, path, _ in plans}
    with open_package(recalculated["worked-example"]) as pkg:
        assert pkg.name_value("FundsExpiringPlanYear").value == 142_000
        assert day(pkg.name_value("NextExpiryMonth").value) == dt.date(2026, 9, 1)
        assert pkg.name_value("NextExpiryAmount").value == 13_000
        opening = pkg.table("Opening")
        amounts = {day(row[0]): row[opening.column_index("Opening balance that entered then")]
                   for row in opening.rows}
        assert amounts[dt.date(2024, 9, 1)] == 13_000 and amounts[dt.date(2026, 3, 1)] == 21_500
    with open_package(recalculated["worked-example-known-expiry"]) as pkg:
        forecast = pkg.table("Forecast")
        expired = {day(row[0]): row[forecast.column_index("Expired")] for row in forecast.rows}
        assert expired[dt.date(2026, 6, 1)] == 50_000 and expired[dt.date(2026, 11, 1)] == 6_000


def test_known_values_of_the_edge_plans(read):
    """A few figures worked out by hand, so the parity is not only Python against itself."""
    assert read["one-penny-of-levy"].annual_levy == D("0.01")
    assert read["levy-2.675"].annual_levy == D("2.68")  # 0.005 * 535 = 2.675, rounded half up
    assert read["levy-2.675"].monthly_english_levy == D("0.11")  # 0.22 x 50%
    assert read["under-the-allowance"].annual_levy == 0
    assert read["shared-allowance"].annual_levy == D("42500.00")  # 50,000 less 7,500
    assert [y.levy for y in read["growth-10"].years] == [D("35000.00"), D("40000.00"), D("45500.00"),
                                                         D("51550.00")]
    over = read["over-committed-transfers"]
    assert over.transfer_allowance_statutory == D("4000.00") and over.headroom_statutory == 0
    typed = read["typed-anyhow"]
    assert (typed.total_pay_bill, typed.english_percent, typed.levy_allowance, typed.pay_bill_growth) == (
        D("50000000.00"), D("95"), D("15000"), D("2.5"))
    assert [s.in_year_cost for s in typed.planned_starts] == [0, 0, 0]  # text the formulas cannot use, and -5
    not_a_payer = read["not-a-levy-payer"]
    assert not_a_payer.employer_contribution * 20 == not_a_payer.employer_contribution + \
        not_a_payer.government_contribution  # 5%: no levy, no 25%


def test_reader_finds_the_recalculated_values_consistent(plans):
    for name, _, recalculated, _ in plans[::9]:
        result = read_levy_plan(recalculated)
        assert [i for i in result.issues if i.code == "cached-value-mismatch"] == [], name
