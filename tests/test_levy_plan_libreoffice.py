"""The levy plan's own formulas, recalculated by LibreOffice, against Python.

Every result name, every formula column of the Schools, PlannedStarts and
Transfers tables and every cell of the forecast must equal what
:mod:`lga_xl.readers.levy_plan` recomputes with :mod:`lga_xl.levy`, to the
penny, for edge cases (zero and tiny pay bills, half-penny ties, English 0%
and 100%, starts either side of 1 August 2026, prices over the band,
over-committed transfers, shortfalls, empty tables) and random plans.  All
plans are converted in one LibreOffice run.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

import pytest

from lga_xl import levy
from lga_xl.contracts.levy_plan import CONTRACT, NO_EXPIRY
from lga_xl.readers.levy_plan import read_levy_plan
from lga_xl.readers.package import open_package
from lga_xl.reference import COUNCIL_SCHOOL_TYPES, OTHER_SCHOOL_TYPES
from lga_xl.standards import sample_standards
from lga_xl.writers.levy_plan import SchoolEntry, StartEntry, TransferEntry, new_levy_plan

pytestmark = pytest.mark.libreoffice

RANDOM_PLANS = 100
STANDARDS = sample_standards()
REFERENCES = [s.reference for s in STANDARDS]
BAND = {s.reference: s.max_funding for s in STANDARDS}

RESULT_FIELDS = CONTRACT.results()
# Every formula column of the tables the model reads back (the schedule columns are workings).
COMPARED = {name: [c for c in CONTRACT.table(name).columns if c.role == "formula" and not c.hidden]
            for name in ("Schools", "PlannedStarts", "Transfers", "Forecast")}


# --- plans ------------------------------------------------------------------------------------


def month_in(rng: random.Random, first: dt.date, months: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + rng.randrange(months)
    return dt.date(index // 12, index % 12 + 1, rng.choice([1, 1, 6, 15, 28]))


def random_plan(rng: random.Random) -> dict:
    tax_year = rng.choice(["2026-27"] * 5 + ["2025-26", "2027-28", "2024-25", "2019-20"])
    plan_start = dt.date(int(tax_year[:4]), 4, 1)
    schools = []
    for number in range(rng.choice([0, 2, 5, 9, 14])):
        school_type = rng.choice(COUNCIL_SCHOOL_TYPES * 4 + OTHER_SCHOOL_TYPES)
        pay_bill = rng.choice([rng.randrange(200_000, 4_000_000),
                               Decimal(rng.randrange(20_000_000, 400_000_000)) / 100])
        schools.append(SchoolEntry(100_000 + number * 7 + rng.choice([0, 0, 0, 7]), f"School {number}", school_type,
                                   pay_bill, rng.randrange(5, 120)))
    urns = [s.urn for s in schools]
    starts = []
    for _ in range(rng.choice([0, 3, 12, 25, 40])):
        standard = rng.choice(REFERENCES + ["ST9999"]) if rng.random() < 0.97 else rng.choice(REFERENCES)
        price = BAND.get(standard, Decimal(5000)) * Decimal(rng.choice(["1", "1", "0.85", "1.2", "0.5"]))
        if rng.random() < 0.2:
            price += Decimal(rng.randrange(1, 100)) / 100
        starts.append(StartEntry(
            standard=standard,
            start_date=month_in(rng, dt.date(plan_start.year - 1, 10, 1), 24),
            duration_months=rng.choice([12, 12, 15, 18, 24, 36, 8, 7, 48, 1]),
            price=price,
            urn=rng.choice(urns + [None] * 3 + [999_999]) if urns else rng.choice([None, None, 123_456]),
        ))
    transfers = [
        TransferEntry(f"Recipient {i}", rng.choice(REFERENCES), month_in(rng, plan_start, 14),
                      rng.choice([12, 15, 24]), BAND[rng.choice(REFERENCES)])
        for i in range(rng.choice([0, 0, 1, 3, 6]))
    ]
    total_pay_bill = rng.choice([
        0, 2_999_999, 3_000_001, 3_000_535, rng.randrange(3_000_000, 12_000_000),
        rng.randrange(20_000_000, 600_000_000), Decimal(rng.randrange(300_000_000, 30_000_000_000)) / 100,
        3_000_000 + 2 * (12 * rng.randrange(1, 200_000) + 6),  # a levy whose twelfth ends in half a penny
    ])
    total_pay_bill = max(Decimal(total_pay_bill), sum((Decimal(s.pay_bill) for s in schools), Decimal(0)))
    return dict(
        tax_year=tax_year, org_name="Random Council", total_pay_bill=total_pay_bill,
        english_percent=rng.choice([0, 100, 100, 95, 87.5, 99.37, 12.34]),
        headcount=rng.choice([0, 1, 249, 1000, 1001, 4350, rng.randrange(10, 30_000)]),
        previous_year_funds=rng.choice([0, Decimal(rng.randrange(0, 300_000_000)) / 100, rng.randrange(0, 900_000)]),
        opening_balance=rng.choice([0, rng.randrange(0, 2_000_000), Decimal(rng.randrange(0, 90_000_000)) / 100]),
        transfers_committed=rng.choice([0, 0, rng.randrange(0, 300_000), Decimal(rng.randrange(0, 5_000_000)) / 100]),
        schools=schools, starts=starts, transfers=transfers,
    )


def edge_plans() -> dict[str, dict]:
    base = dict(tax_year="2026-27", org_name="Edge Council", english_percent=100, headcount=1000,
                previous_year_funds=0, opening_balance=0, transfers_committed=0)
    across_august = [StartEntry("ST0072", dt.date(2026, month, 1), 12, 3500) for month in (5, 7, 8, 9)]
    return {
        "empty-tables": dict(base, total_pay_bill=50_000_000),
        "zero-pay-bill": dict(base, total_pay_bill=0, starts=across_august),
        "under-the-allowance": dict(base, total_pay_bill=2_999_999, opening_balance=10_000, starts=across_august),
        "one-penny-of-levy": dict(base, total_pay_bill=3_000_001),
        "levy-2.675": dict(base, total_pay_bill=3_000_535, english_percent=50),
        "english-0": dict(base, total_pay_bill=80_000_000, english_percent=0, starts=across_august),
        "english-100": dict(base, total_pay_bill=80_000_000, english_percent=100, starts=across_august),
        "over-cap-prices": dict(base, total_pay_bill=40_000_000, starts=[
            StartEntry("ST0072", dt.date(2026, 6, 10), 12, Decimal("4999.99")),
            StartEntry("ST0454", dt.date(2026, 9, 1), 18, 9000, urn=100_001)],
            schools=[SchoolEntry(100_001, "Ash Primary", "Community", 1_200_000, 40)]),
        "over-committed-transfers": dict(base, total_pay_bill=30_000_000, previous_year_funds=8_000,
                                         transfers_committed=1_500, transfers=[
            TransferEntry("Care Ltd", "ST0005", dt.date(2026, 5, 1), 12, 3000),
            TransferEntry("Bus CIC", "ST0072", dt.date(2026, 6, 1), 12, 3500)]),
        "shortfall": dict(base, total_pay_bill=4_000_000, opening_balance=0, starts=[
            StartEntry("ST0272", dt.date(2026, 4, 1), 36, 22000),
            StartEntry("ST0510", dt.date(2026, 4, 1), 36, 24000)]),
        "payments-before-and-after-the-forecast": dict(base, total_pay_bill=20_000_000, opening_balance=250_000,
                                                       starts=[StartEntry("ST0272", dt.date(2025, 6, 1), 48, 22000),
                                                               StartEntry("ST0510", dt.date(2027, 3, 31), 48, 24000)]),
        "expiry-24-and-12": dict(base, tax_year="2025-26", total_pay_bill=30_000_000, opening_balance=90_000, starts=[
            StartEntry("ST0070", dt.date(2026, 1, 1), 12, 5000), StartEntry("ST0070", dt.date(2027, 10, 1), 12, 5000)]),
        # 24-month funds of April to July 2026 expire after this forecast ends (March 2028), yet are matched
        # before August 2026's 12-month funds: the spending after the forecast is left out of the workbook.
        "payments-after-a-2025-26-forecast": dict(base, tax_year="2025-26", total_pay_bill=25_000_000, starts=[
            StartEntry("ST0510", dt.date(2026, 10, 1), 12, 24000), StartEntry("ST0272", dt.date(2027, 9, 1), 12, 22000),
            StartEntry("ST0480", dt.date(2028, 2, 1), 6, 14000)]),
        "first-transfer-year": dict(base, tax_year="2018-19", total_pay_bill=10_000_000, previous_year_funds=33_000),
        "incomplete-rows": dict(base, total_pay_bill=12_000_000, schools=[
            SchoolEntry(100_001, "Ash", "Community", None, 30), SchoolEntry(100_002, None, "Community", 500_000)],
            starts=[StartEntry("ST0072", None, 12, 3500), StartEntry("ST0072", dt.date(2026, 9, 1), 0, 3500),
                    StartEntry(None, dt.date(2026, 9, 1), 12, 3500, urn=100_001)],
            transfers=[TransferEntry(None, "ST0005", dt.date(2026, 9, 1), 12, 3000)]),
        "not-in-levy-and-twice": dict(base, total_pay_bill=9_000_000, schools=[
            SchoolEntry(100_001, "Ash", "Academy", 900_000, 30), SchoolEntry(100_002, "Elm", "Community", 700_000, 20),
            SchoolEntry(100_002, "Elm again", "Community", 100_000, 2)], starts=[
            StartEntry("ST0454", dt.date(2026, 9, 1), 6, 7000, urn=100_002),
            StartEntry("ST9999", dt.date(2026, 9, 1), 12, 7000, urn=100_009)]),
    }


@pytest.fixture(scope="module")
def plans(tmp_path_factory, libreoffice):
    """(name, original path, recalculated path) for every plan, recalculated in one LibreOffice run."""
    folder = tmp_path_factory.mktemp("levy_plans")
    rng = random.Random(20261123)
    cases = list(edge_plans().items()) + [(f"random{i}", random_plan(rng)) for i in range(RANDOM_PLANS)]
    written = [(name, new_levy_plan(folder / f"{i:03d}-{name}.xlsx", **options)) for i, (name, options) in
               enumerate(cases)]
    outputs = libreoffice([path for _, path in written])
    return [(name, path, outputs[path]) for name, path in written]


# --- comparing --------------------------------------------------------------------------------


def same(cached, expected) -> bool:
    if expected is None or expected == "":
        return cached in (None, "")
    if isinstance(expected, str):
        return cached == expected
    if isinstance(expected, dt.date):
        day = cached.date() if isinstance(cached, dt.datetime) else cached
        return isinstance(day, dt.date) and day == expected
    if isinstance(cached, bool) or not isinstance(cached, (int, float)):
        return False
    return Decimal(str(round(cached, 2))) == Decimal(expected)


def differences(name: str, original: Path, recalculated: Path) -> list[str]:
    plan = read_levy_plan(original)
    found = []
    with open_package(recalculated) as pkg:
        for workbook_name, field in RESULT_FIELDS.items():
            expected = getattr(plan, field)
            if workbook_name == "FirstExpiryMonth" and expected is None:
                expected = NO_EXPIRY
            cached = pkg.name_value(workbook_name).value
            if not same(cached, expected):
                found.append(f"{name} {workbook_name}: LibreOffice {cached!r}, Python {expected!r}")
        tables = [("Schools", plan.schools), ("PlannedStarts", plan.planned_starts),
                  ("Transfers", plan.transfers), ("Forecast", plan.forecast)]
        for table_name, rows in tables:
            table = pkg.table(table_name)
            expected_rows = {row.row: row for row in rows}
            for i, values in enumerate(table.rows):
                expected_row = expected_rows.get(table.first_row + i)
                for column in COMPARED[table_name]:
                    cached = values[table.column_index(column.header)]
                    if expected_row is None:  # a blank input row: blanks and zeros only
                        ok = cached in ("", 0, 0.0)
                        expected = "(blank or 0)"
                    else:
                        expected = getattr(expected_row, column.key)
                        ok = same(cached, expected)
                    if not ok:
                        found.append(f"{name} {table_name}!{table.cell(i, table.column_index(column.header))} "
                                     f"{column.header}: LibreOffice {cached!r}, Python {expected!r}")
    return found


def test_there_are_enough_plans(plans):
    assert len(plans) >= 100


def test_every_figure_equals_python_to_the_penny(plans):
    mismatches = [problem for name, original, recalculated in plans
                  for problem in differences(name, original, recalculated)]
    assert mismatches[:30] == []


def test_the_plans_cover_the_edges(plans):
    """The random and edge plans reach every branch the formulas have."""
    seen = set()
    for _, original, _ in plans:
        plan = read_levy_plan(original)
        seen |= {row.check for row in plan.planned_starts} | {row.check for row in plan.schools}
        seen |= {"top-up month" for m in plan.forecast if m.month < levy.TOP_UP_END and m.funds_in > 0}
        seen |= {"over-committed" for _ in [plan] if plan.over_committed > 0}
        seen |= {"shortfall" for _ in [plan] if plan.shortfall_months > 0}
        seen |= {"expiry" for _ in [plan] if plan.expiring_funds > 0}
        seen |= {"24-month expiry" for m in plan.forecast if m.expired > 0 and m.month < dt.date(2028, 8, 1)}
        last_month = plan.forecast[-1].month
        seen |= {"payments after the forecast" for s in plan.planned_starts if s.start_date and s.duration_months
                 and (s.start_date.year - last_month.year) * 12 + s.start_date.month - last_month.month
                 + s.duration_months + 1 > 0}
    assert seen >= {"", "Incomplete row", "Unknown standard", "Unknown school", "Shorter than the minimum",
                    "Starts outside the plan year", "Price above the funding band", "Not in council levy",
                    "URN listed twice", "Check the date, duration and price", "top-up month", "over-committed",
                    "shortfall", "expiry", "24-month expiry", "payments after the forecast"}


def test_known_values_of_the_edge_plans(plans):
    """A few figures worked out by hand, so the parity is not only Python against itself."""
    by_name = {name: read_levy_plan(original) for name, original, _ in plans if not name.startswith("random")}
    assert by_name["one-penny-of-levy"].annual_levy == Decimal("0.01")
    assert by_name["levy-2.675"].annual_levy == Decimal("2.68")  # 0.005 * 535 = 2.675, rounded half up
    assert by_name["levy-2.675"].monthly_levy == Decimal("0.22")
    assert by_name["levy-2.675"].monthly_english_levy == Decimal("0.11")
    assert by_name["under-the-allowance"].annual_levy == 0
    # The opening balance of 2025-26 enters in March 2025 and expires 24 months later, in March 2027,
    # less the 5,000 paid for the January 2026 start by then (12 x 333.33 + 1,000.04).
    expiry = by_name["expiry-24-and-12"]
    first = next(m for m in expiry.forecast if m.expired)
    assert (first.month, first.expired) == (dt.date(2027, 3, 1), Decimal("85000.00"))
    # April 2025's funds (135,000 / 12 = 11,250 plus the 10% top-up) go a month later, untouched.
    assert next(m.expired for m in expiry.forecast if m.month == dt.date(2027, 4, 1)) == Decimal("12375.00")
    over = by_name["over-committed-transfers"]
    assert over.transfer_allowance_statutory == Decimal("4000.00")  # 50% of 8,000
    assert over.over_committed == over.transfers_total - Decimal("4000.00") > 0
    assert over.headroom_10 == over.headroom_25 == over.headroom_statutory == 0


def test_reader_finds_the_recalculated_values_consistent(plans):
    for name, _, recalculated in plans[::7]:
        result = read_levy_plan(recalculated)
        assert [i for i in result.issues if i.code == "cached-value-mismatch"] == [], name
