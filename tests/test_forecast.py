"""Tests for lga_xl.forecast, the levy additions it builds on, and the establishment types.

The forecast is the pure core of the levy plan's Forecast sheet: these tests prove its rules by
hand-checked cases, the Apprenticeship Service's own test cases (tests/data/das_forecast_cases.json)
and properties: the balance never goes below 0, every penny is accounted for, and the row-by-row
expiry equals the service's FIFO calculation (levy.expired_funds) on what levy funds paid.
"""

from __future__ import annotations

import ast
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lga_xl import forecast as forecast_module
from lga_xl import levy, reference
from lga_xl.forecast import PLEDGE, START, TRANSFER, Commitment, financial_years, forecast, project_account
from lga_xl.levy import expiry_month, grown_pay_bill, normalise_tax_year, opening_balance_cohorts
from lga_xl.reference import ESTABLISHMENT_TYPES, establishment_type

DAS = json.loads((Path(__file__).parent / "data" / "das_forecast_cases.json").read_text())
D = Decimal


def month(text: str) -> date:
    year, number = text.split("-")
    return date(int(year), int(number), 1)


def months_from(first: date, count: int) -> list[date]:
    return [date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1) for i in range(count)]


def by_month(rows):
    return {row.month: row for row in rows}


def test_pure_modules_import_only_the_standard_library():
    for module, allowed in ((forecast_module, {"__future__", "collections", "dataclasses", "datetime", "decimal"}),
                            (reference, {"__future__", "re"})):
        tree = ast.parse(Path(module.__file__).read_text())
        imported = {
            (node.module if isinstance(node, ast.ImportFrom) else alias.name).split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, (ast.Import, ast.ImportFrom)) and not getattr(node, "level", 0)
            for alias in node.names
        }
        assert imported <= allowed, module.__name__


# Tax years typed loosely


@pytest.mark.parametrize(
    "typed",
    ["2026-27", "2026/27", "2026-2027", "2026/2027", "2026\u201327", "2026\u201427", "2026 \u2013 2027",
     " 2026 - 27 ", "2026 to 2027", "2026 TO 27", "2026\u221227"],
)
def test_normalise_tax_year_accepts_the_ways_people_write_it(typed):
    assert normalise_tax_year(typed) == "2026-27"


def test_normalise_tax_year_across_a_century():
    assert normalise_tax_year("2099/2100") == "2099-00"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2026-28", "'2026-28': 28 does not follow 2026"),
        ("2026-2028", "'2026-2028': 2028 does not follow 2026"),
        ("26-27", "tax year '26-27' is not written like '2026-27'"),
        ("2026", "tax year '2026' is not written like '2026-27'"),
        ("April 2026", "tax year 'April 2026'"),
        (None, "tax year None"),
    ],
)
def test_normalise_tax_year_names_what_was_typed(typed, message):
    with pytest.raises(ValueError, match=message):
        normalise_tax_year(typed)


# Pay bill growth and expiry months


def test_grown_pay_bill_rounds_each_year_to_the_penny():
    assert [grown_pay_bill(10_000_000, "0.1", years) for years in range(4)] == [
        D("10000000"), D("11000000.00"), D("12100000.00"), D("13310000.00")]
    # Rounded every year, as a workbook row per year does: 1,000.39 x 1.025 = 1,025.39975 -> 1,025.40,
    # x 1.025 = 1,051.035 -> 1,051.04; one power would give 1,000.39 x 1.050625 = 1,051.0347... -> 1,051.03.
    assert grown_pay_bill("1000.39", "0.025", 2) == D("1051.04")
    assert grown_pay_bill(100, "-0.5", 1) == D("50.00")


@pytest.mark.parametrize(("pay_bill", "growth", "years", "message"), [
    (-1, 0, 1, "pay_bill must be 0 or more"),
    (1, "1.5", 1, "growth must be a fraction between -1 and 1"),
    (1, 0, -1, "years must be 0 or more"),
])
def test_grown_pay_bill_rejects_bad_input(pay_bill, growth, years, message):
    with pytest.raises(ValueError, match=message):
        grown_pay_bill(pay_bill, growth, years)


def test_expiry_month_is_24_months_then_12_from_august_2026():
    assert expiry_month(date(2024, 9, 15)) == date(2026, 9, 1)
    assert expiry_month("2026-07") == date(2028, 7, 1)
    assert expiry_month("2026-08") == date(2027, 8, 1)


# The opening balance by age


def test_opening_balance_worked_example():
    cohorts = opening_balance_cohorts(date(2026, 4, 1), 400_000, 258_000)
    expected = {date(2024, 9, 1): D("13000.00")}
    expected.update({m: D("21500.00") for m in months_from(date(2024, 10, 1), 18)})
    assert cohorts == expected
    assert sum(cohorts.values()) == 400_000


@pytest.mark.parametrize("previous_year_funds", [None, 0])
def test_opening_balance_without_previous_year_funds_is_the_newest_month(previous_year_funds):
    assert opening_balance_cohorts("2026-04", "1234.56", previous_year_funds) == {date(2026, 3, 1): D("1234.56")}


def test_opening_balance_of_nothing_has_no_cohorts():
    assert opening_balance_cohorts("2026-04", 0, 258_000) == {}


def test_opening_balance_beyond_24_months_of_funds_goes_to_the_oldest_live_month():
    cohorts = opening_balance_cohorts("2026-04", 1_000, 480)  # 40 a month for 23 months, then 80
    assert cohorts[date(2024, 4, 1)] == D("80.00")
    assert len(cohorts) == 24 and set(cohorts.values()) == {D("40.00"), D("80.00")}


def test_opening_balance_skips_months_already_expired():
    # A 2028-29 plan: funds of August 2026 to March 2027 expired (12 months) before April 2028,
    # those of April to July 2026 (24 months) have not.
    cohorts = opening_balance_cohorts("2028-04", 100_000, 48_000)  # 4,000 a month
    assert all(not date(2026, 8, 1) <= m <= date(2027, 3, 1) for m in cohorts)
    # April 2027 to March 2028 and July to May 2026 take 4,000 each; April 2026 the other 40,000.
    assert cohorts[date(2026, 7, 1)] == D("4000.00") and cohorts[date(2026, 4, 1)] == D("40000.00")
    assert sum(cohorts.values()) == 100_000


def test_known_expiring_funds_replace_the_estimate_for_their_months():
    cohorts = opening_balance_cohorts("2026-04", 400_000, 258_000, {"2026-06": 50_000})
    assert cohorts[date(2024, 6, 1)] == 50_000  # expires June 2026
    # The other 350,000 newest first: 16 months of 21,500 (December 2024 to March 2026), 6,000 in November 2024.
    assert cohorts[date(2024, 11, 1)] == D("6000.00")
    assert [m for m in cohorts if m > date(2024, 11, 1)] == months_from(date(2024, 12, 1), 16)
    assert sum(cohorts.values()) == 400_000


def test_a_known_month_of_nothing_is_skipped_by_the_estimate():
    cohorts = opening_balance_cohorts("2026-04", 30_000, 120_000, {"2028-03": 0})  # the newest month
    assert cohorts == {date(2026, 1, 1): D("10000.00"), date(2026, 2, 1): D("10000.00"),
                       date(2025, 12, 1): D("10000.00")}


def test_every_live_month_known_leaves_the_rest_in_the_month_before_the_plan():
    known = {expiry_month(m): 10 for m in months_from(date(2024, 4, 1), 24)}
    cohorts = opening_balance_cohorts("2026-04", 250, 1_200, known)
    assert cohorts[date(2026, 3, 1)] == 20 and sum(cohorts.values()) == 250


def test_known_expiry_from_august_2027_is_taken_as_the_older_month():
    cohorts = opening_balance_cohorts("2027-04", 1_000, None, {"2027-09": 400})
    assert cohorts == {date(2025, 9, 1): D("400"), date(2027, 3, 1): D("600")}  # not September 2026


@pytest.mark.parametrize(("known", "message"), [
    ({"2026-03": 1}, "2026-03: no part of an opening balance at 2026-04 can expire then \\(it expired before"),
    ({"2028-04": 1}, "2028-04: .* \\(those funds enter after it starts\\)"),
    ({"2026-09": -1}, "known_expiring\\[2026-09\\] is negative"),
    ({"2026-09": 600, "2026-10": 500}, "adds up to 1,100 GBP, more than the opening balance of 1,000 GBP"),
])
def test_known_expiring_funds_that_cannot_be(known, message):
    with pytest.raises(ValueError, match=message):
        opening_balance_cohorts("2026-04", 1_000, 12_000, known)


# The forecast: the worked example


def test_worked_example_142000_expires_in_2026_27_from_september_2026():
    result = forecast("2026/27", pay_bill=50_000_000, previous_year_funds=258_000, opening_balance=400_000)
    assert result.funds_expiring_plan_year == D("142000.00")
    assert result.next_expiry_month == date(2026, 9, 1)
    assert result.next_expiry_amount == D("13000.00")
    expired = {m.month: m.expired for m in result.plan_year if m.expired}
    assert expired == {date(2026, 9, 1): D("13000.00"),
                       **{m: D("21500.00") for m in months_from(date(2026, 10, 1), 6)}}
    # Funds in: levy 235,000, a twelfth 19,583.33, with a 10% top-up (21,541.66) before August 2026.
    assert [m.funds_in for m in result.months[3:5]] == [D("21541.66"), D("19583.33")]
    # Nothing is spent, so every cohort expires in its month: the rest of the opening balance in
    # 2027-28 with the 12-month funds of August 2026 to March 2027; the 24-month funds of April to
    # July 2026 in 2028-29 with the 12-month funds of 2027-28; then 2028-29's funds.
    assert [year.expired for year in result.years] == [
        D("142000.00"), D("258000.00") + 8 * D("19583.33"), 4 * D("21541.66") + 12 * D("19583.33"),
        12 * D("19583.33")]
    assert result.years[0].closing_balance == 400_000 + 4 * D("21541.66") + 8 * D("19583.33") - 142_000
    assert result.years[-1].closing_balance == 12 * D("19583.33")
    assert result.funds_expiring == sum(year.expired for year in result.years)
    assert result.first_shortfall_month is None and result.employer_contribution == 0


def test_nothing_expiring_gives_none_and_0():
    result = forecast("2026-27", pay_bill=0, opening_balance=0)
    assert (result.next_expiry_month, result.next_expiry_amount, result.funds_expiring) == (None, 0, 0)
    assert result.expiry_month_count == 0 and result.lowest_balance == 0


# Co-investment


def level_projection(commitments, opening=0, funds=0, first="2026-09", months=1, levy_payer=True):
    first_month = month(first)
    cohorts = {date(first_month.year - 1, first_month.month, 1): opening} if opening else {}
    return project_account(first_month, [funds] * months, cohorts, commitments, levy_payer=levy_payer)


def test_shortfall_is_split_pro_rata_at_each_starts_rate():
    before = Commitment(START, date(2026, 7, 31), 12, 100, 0)  # 5%: started before August 2026
    after = Commitment(START, date(2026, 8, 1), 12, 300, 0)  # 25% for a levy payer from August 2026
    [row] = level_projection([before, after])
    assert (row.shortfall, row.employer_contribution, row.government_contribution) == (400, D("80.00"), 320)
    [row] = level_projection([before, after], opening=100)  # levy funds pay 100 of 400
    assert (row.training_from_levy, row.shortfall) == (100, 300)
    assert (row.employer_contribution, row.government_contribution) == (D("60.00"), D("240.00"))
    assert row.balance == 0 and row.short


def test_employer_contribution_rounds_half_away_from_zero_once():
    [row] = level_projection([Commitment(START, date(2026, 8, 1), 12, "100.02", 0)])
    assert (row.employer_contribution, row.government_contribution) == (D("25.01"), D("75.01"))  # 25.005


def test_employers_that_pay_no_levy_stay_at_5_percent():
    start = Commitment(START, date(2026, 8, 1), 12, 100, 0)
    [row] = level_projection([start], levy_payer=False)
    assert row.employer_contribution == 5
    result = forecast("2026-27", pay_bill=3_000_000, commitments=[Commitment(START, date(2026, 9, 1), 12, 1000, 0)])
    assert not result.levy_payer and result.months[6].employer_contribution == 50  # October 2026


def test_completion_payments_are_co_invested_like_instalments():
    start = Commitment.costed(START, date(2026, 8, 1), 8, 10_000)  # 1,000 a month, 2,000 at the end
    rows = by_month(level_projection([start], first="2026-09", months=9))
    assert [rows[m].cost_of_training for m in (date(2027, 4, 1), date(2027, 5, 1))] == [1_000, 0]
    assert [rows[m].completion_payments for m in (date(2027, 4, 1), date(2027, 5, 1))] == [0, 2_000]
    assert [rows[m].employer_contribution for m in (date(2027, 4, 1), date(2027, 5, 1))] == [250, 500]


def test_a_balance_that_would_go_negative_stays_at_0():
    start = Commitment(START, date(2026, 3, 1), 24, 5_000, 0)
    rows = level_projection([start], opening=12_000, funds=2_000, first="2026-04", months=6)
    assert [row.balance for row in rows] == [9_000, 6_000, 3_000, 2_000, 2_000, 2_000]
    assert [row.shortfall for row in rows] == [0, 0, 0, 2_000, 3_000, 3_000]
    # The month's funds arrive after its payments: a short month ends with just them (250 here).
    result = forecast("2026-27", pay_bill=3_600_000, opening_balance=12_000, previous_year_funds=0,
                      commitments=[start])
    short = [row for row in result.months if row.short]
    assert result.first_shortfall_month == date(2026, 6, 1) and short[0].month == date(2026, 6, 1)
    assert all(row.balance == row.funds_in for row in short) and result.lowest_balance == 250


# Transfers and pledges


def test_transfers_and_pledges_are_paid_before_the_councils_training():
    transfer = Commitment(TRANSFER, date(2026, 8, 1), 12, 500, 0)
    pledge = Commitment(PLEDGE, date(2026, 8, 1), 12, 300, 0)
    own = Commitment(START, date(2026, 8, 1), 12, 500, 0)
    [row] = level_projection([own, transfer, pledge], opening=1_000)
    assert (row.transfers_due, row.transfers_out, row.training_from_levy, row.shortfall) == (800, 800, 200, 300)
    assert row.employer_contribution == 75  # the council's training only: 25% of 300


def test_a_transfer_the_balance_cannot_pay_is_not_co_invested():
    [row] = level_projection([Commitment(PLEDGE, date(2026, 8, 1), 12, 800, 0)], opening=500)
    assert (row.transfers_out, row.shortfall, row.employer_contribution, row.balance) == (500, 0, 0, 0)
    assert row.short


def test_transfers_and_pledges_both_count_against_the_transfer_allowance():
    transfer = Commitment.costed(TRANSFER, date(2026, 9, 1), 12, 12_000)  # 800 a month from October
    pledge = Commitment(PLEDGE, date(2026, 10, 1), 12, 1_000, 6_000)  # 1,000 a month from November
    result = forecast("2026-27", pay_bill=20_000_000, opening_balance=500_000, previous_year_funds=90_000,
                      commitments=[transfer, pledge])
    assert result.transfers_planned == 6 * 800 + 5 * 1_000
    position = levy.headroom_table(90_000, result.transfers_planned, "2026-27")["statutory"]
    assert (position.allowance, position.headroom) == (D("45000.00"), D("35200.00"))


# Pay bill growth


def test_later_years_grow_the_pay_bill_with_no_top_up():
    result = forecast("2026-27", pay_bill=10_000_000, pay_bill_growth="0.10")
    assert result.pay_bills == (D("10000000"), D("11000000.00"), D("12100000.00"), D("13310000.00"))
    assert result.levies == (D("35000.00"), D("40000.00"), D("45500.00"), D("51550.00"))
    assert [year.funds_in for year in result.years] == [
        4 * D("3208.34") + 8 * D("2916.67"), 12 * D("3333.33"), 12 * D("3791.67"), 12 * D("4295.83")]


def test_pay_bill_growth_defaults_to_none():
    result = forecast("2027-28", pay_bill=10_000_000, english_fraction="0.5", levy_allowance=7_500)
    assert set(result.levies) == {D("42500.00")}
    assert {m.funds_in for m in result.months} == {D("1770.84")}  # ROUND(3541.67 x 0.5, 2), no top-up


# The Apprenticeship Service's own cases (tests/data/das_forecast_cases.json)


def one_month(balance, commitments, funds="0"):
    [row] = level_projection(commitments, opening=D(balance), funds=D(funds), first="2022-05")
    return row


@pytest.mark.parametrize("case", DAS["co_investment_amount"]["cases"])
def test_das_co_investment_amount(case):
    row = one_month(case["balance"], [Commitment(START, date(2022, 4, 1), 12, case["training_due"], 0)])
    assert row.shortfall == D(case["expected_shortfall"])


@pytest.mark.parametrize("case", DAS["month_end_balance"]["cases"])
def test_das_month_end_balance(case):
    row = one_month(case["balance"], [Commitment(START, date(2022, 4, 1), 12, case["training_due"], 0)],
                    funds=case["funds_in"])
    assert row.balance == D(case["expected_balance"])


@pytest.mark.parametrize("case", DAS["balance_after_transfers"]["cases"])
def test_das_balance_after_transfers(case):
    transfers = [
        Commitment(TRANSFER, date(2022, 4, 1), 12, case["transfer_training"], 0),  # an instalment in May
        Commitment(TRANSFER, date(2021, 4, 1), 12, 0, case["transfer_completion"]),  # completes in May
    ] if case["sending"] else []
    row = one_month(case["balance"], transfers)
    assert D(case["balance"]) - row.transfers_out == D(case["expected"])


@pytest.mark.parametrize("case", DAS["projections"]["cases"], ids=lambda case: case["test"])
def test_das_projections(case):
    commitments = [Commitment(c["kind"], date.fromisoformat(c["start"]), c["months"], c["instalment"],
                              c["completion"]) for c in case["commitments"]]
    rows = by_month(level_projection(commitments, opening=D(case["opening_balance"]), funds=D(case["funds_in"]),
                                     first=case["first_month"], months=case["months"]))
    for expected in case["expect"]:
        row = rows[month(expected["month"])]
        for name, value in expected.items():
            if name != "month":
                assert getattr(row, name) == D(value), (expected["month"], name)


def test_das_pledge_schedule():
    case = DAS["pledge_schedule"]
    pledge = Commitment(PLEDGE, date.fromisoformat(case["start"]), case["months"], case["instalment"],
                        case["completion"])
    first, last = (month(text) for text in case["expected_instalment_months"])
    schedule = pledge.schedule()
    assert [m for m, (instalment, _) in schedule.items() if instalment == D(case["instalment"])] == \
        months_from(first, 12)
    assert months_from(first, 12)[-1] == last
    assert schedule[month(case["expected_completion_month"])] == (0, D(case["completion"]))


def test_das_remaining_allowance_is_never_below_0():
    case = DAS["remaining_allowance"]
    # An allowance of 1,000 (50% of 2,000) with 1,010 committed leaves das's -10.
    position = levy.transfer_position(2_000, 1_000 - D(case["remaining"]), "0.5")
    assert position.allowance - position.committed == D(case["remaining"])
    assert position.headroom == D(case["expected"]) and position.over_committed == 10


# Properties


PENNIES = st.integers(min_value=0, max_value=3_000_000).map(lambda pence: D(pence) / 100)
COMMITMENTS = st.lists(
    st.builds(
        Commitment,
        kind=st.sampled_from([START, START, TRANSFER, PLEDGE]),
        start=st.dates(min_value=date(2022, 1, 1), max_value=date(2031, 12, 31)),
        months=st.integers(min_value=1, max_value=36),
        instalment=PENNIES,
        completion=PENNIES,
    ),
    max_size=12,
)
PLANS = st.fixed_dictionaries({
    "tax_year": st.sampled_from([f"{y}-{(y + 1) % 100:02d}" for y in range(2024, 2031)]),
    "pay_bill": st.integers(min_value=0, max_value=80_000_000),
    "english_fraction": st.integers(min_value=0, max_value=100).map(lambda p: D(p) / 100),
    "pay_bill_growth": st.integers(min_value=-10, max_value=10).map(lambda p: D(p) / 100),
    "previous_year_funds": st.none() | st.integers(min_value=0, max_value=600_000),
    "opening_balance": st.integers(min_value=0, max_value=80_000_000).map(lambda pence: D(pence) / 100),
    "commitments": COMMITMENTS,
})


@settings(max_examples=150, deadline=None)
@given(plan=PLANS)
def test_forecast_properties(plan):
    result = forecast(**plan)
    rows = result.months
    assert len(rows) == 48 and all(row.balance >= 0 for row in rows)
    # Every penny accounted for: funds in = spent from levy + expired + closing - opening.
    assert sum(row.funds_in for row in rows) == (
        sum(row.spent_from_levy + row.expired for row in rows) + rows[-1].balance - result.opening_balance)
    for before, row in zip((result.opening_balance, *(r.balance for r in rows)), rows):
        assert row.employer_contribution + row.government_contribution == row.shortfall
        assert 0 <= row.employer_contribution <= row.shortfall
        assert row.training_from_levy + row.shortfall == row.cost_of_training + row.completion_payments
        if row.short:  # funds ran short only when the balance brought forward was used up
            assert row.transfers_out + row.training_from_levy == before
    # The row-by-row expiry is the service's FIFO calculation on what levy funds paid.
    funds = {**result.opening_cohorts, **{row.month: row.funds_in for row in rows}}
    spending = {row.month: row.spent_from_levy for row in rows}
    expected = {m: amount for m, amount in levy.expired_funds(funds, spending).items() if m <= rows[-1].month}
    assert {row.month: row.expired for row in rows if row.expired} == expected
    years = financial_years(rows)
    assert sum(year.employer_contribution + year.government_contribution for year in years) == \
        sum(row.shortfall for row in rows)
    assert result.funds_expiring_plan_year == years[0].expired


def test_co_invested_training_uses_no_levy_funds_for_expiry():
    # 1,000 of old funds and 100 arriving each month; 1,500 of training in the first month. Levy funds
    # pay 1,000 and 500 is co-invested: matching the whole 1,500 would wrongly use 500 of the later
    # months' funds and so keep them from expiring.
    start = Commitment(START, date(2026, 3, 1), 1, 1_500, 0)
    rows = project_account(date(2026, 4, 1), [100] * 17, {date(2025, 4, 1): 1_000}, [start])
    assert rows[0].training_from_levy == 1_000 and rows[0].shortfall == 500
    assert by_month(rows)[date(2027, 8, 1)].expired == 100  # August 2026's 12-month funds expire in full
    funds = {date(2025, 4, 1): 1_000, **{row.month: 100 for row in rows}}
    assert date(2027, 8, 1) not in levy.expired_funds(funds, {date(2026, 4, 1): 1_500})


# Establishment types


def test_existing_school_type_lists_are_unchanged():
    assert reference.COUNCIL_SCHOOL_TYPES == ("Community", "Voluntary controlled", "Community special",
                                              "Maintained nursery")
    assert reference.OTHER_SCHOOL_TYPES == ("Foundation", "Voluntary aided", "Academy", "Free school")


def test_the_plans_short_school_types_keep_their_employer():
    for short in reference.COUNCIL_SCHOOL_TYPES:
        assert ESTABLISHMENT_TYPES[establishment_type(short)] == reference.EMPLOYER_COUNCIL, short
    for short in reference.OTHER_SCHOOL_TYPES:
        assert ESTABLISHMENT_TYPES[establishment_type(short)] != reference.EMPLOYER_COUNCIL, short


@pytest.mark.parametrize(("typed", "gias", "employer"), [
    ("Pupil Referral Unit", "Pupil referral unit", "Council"),
    ("PRU", "Pupil referral unit", "Council"),
    ("LA nursery school", "Local authority nursery school", "Council"),
    ("foundation special", "Foundation special school", "Governing body"),
    ("VA", "Voluntary aided school", "Governing body"),
    ("Academy - sponsor led", "Academy sponsor led", "Academy trust"),
    ("academy special converter", "Academy special converter", "Academy trust"),
    ("Academy 16 to 19 converter", "Academy 16-19 converter", "Academy trust"),
    ("Free school 16-19", "Free schools 16 to 19", "Academy trust"),
    ("Studio school", "Studio schools", "Academy trust"),
    ("UTC", "University technical college", "Academy trust"),
    ("Service childrens education", "Service children's education", "Other employer"),
    ("Non maintained special school", "Non-maintained special school", "Other employer"),
])
def test_establishment_type_loose_lookup(typed, gias, employer):
    assert establishment_type(typed) == gias
    assert ESTABLISHMENT_TYPES[gias] == employer


def test_unknown_establishment_types_are_none():
    assert establishment_type("Garden centre") is None and establishment_type(None) is None
    assert reference.COUNCIL_ESTABLISHMENT_TYPES == ("Community school", "Voluntary controlled school",
                                                     "Community special school", "Local authority nursery school",
                                                     "Pupil referral unit")


# The formula plan of docs/levy.md, built as a bare workbook and recalculated in LibreOffice: the
# plan is implementable in Excel 2010 functions, row by row without a circular reference, and
# agrees with lga_xl.forecast to the penny.  The levy plan workbook itself is built elsewhere.

FORMULA_PLANS = {
    "worked_example": dict(tax_year="2026-27", pay_bill=50_000_000, previous_year_funds=258_000,
                           opening_balance=400_000),
    "known_expiry_and_co_investment": dict(
        tax_year="2026-27", pay_bill=30_000_000, english_fraction=D("0.975"), pay_bill_growth=D("0.03"),
        previous_year_funds=258_000, opening_balance=60_000, known_expiring={"2026-06": 50_000},
        commitments=[Commitment.costed(START, date(2026, 5, 12), 18, 27_000),
                     Commitment.costed(START, date(2026, 9, 1), 12, D("12345.67")),
                     Commitment(START, date(2025, 1, 10), 30, D("1111.11"), D("2222.23")),
                     Commitment.costed(TRANSFER, date(2026, 6, 1), 24, 15_000),
                     Commitment(PLEDGE, date(2026, 10, 1), 12, 1_000, 6_000)] * 6),
    "both_expiry_groups": dict(
        tax_year="2027-28", pay_bill=20_000_000, levy_allowance=7_500, pay_bill_growth=D("-0.02"),
        previous_year_funds=200_000, opening_balance=300_000,
        commitments=[Commitment.costed(START, date(2027, 1, 1), 24, 9_000) for _ in range(12)]),
    "no_previous_year_funds": dict(
        tax_year="2029-30", pay_bill=4_000_000, english_fraction=D("0.5"), opening_balance=D("2500.50"),
        commitments=[Commitment.costed(START, date(2029, 6, 1), 12, 6_000),
                     Commitment.costed(PLEDGE, date(2029, 5, 1), 12, 3_000)]),
}
FORECAST_COLUMNS = ("funds_in", "cost_of_training", "completion_payments", "transfers_due", "transfers_out",
                    "training_from_levy", "shortfall", "employer_contribution", "government_contribution",
                    "expired", "balance", "expired_so_far")


def formula_plan_workbook(path: Path, plan: dict) -> None:
    from openpyxl import Workbook
    from openpyxl.workbook.defined_name import DefinedName

    wb = Workbook()
    inputs = wb.active
    inputs.title = "Plan"
    first_year = int(plan["tax_year"][:4])
    values = {
        "PlanStart": date(first_year, 4, 1), "PayBill": plan["pay_bill"],
        "EnglishPercent": float(D(plan.get("english_fraction", 1)) * 100),
        "LevyAllowance": plan.get("levy_allowance", 15_000),
        "PayBillGrowth": float(D(plan.get("pay_bill_growth", 0)) * 100),
        "PreviousYearFunds": plan.get("previous_year_funds"), "OpeningBalance": float(plan["opening_balance"]),
    }
    formulas = {
        "LevyPayer": "=Years!C2>0",
        "KnownValid": "=SUM(ExpiringFunds!B2:B20)<=OpeningBalance",
        "Rest": "=IF(KnownValid,ROUND(OpeningBalance-SUM(ExpiringFunds!B2:B20),2),OpeningBalance)",
        "Cap": "=IF(PreviousYearFunds>0,ROUND(PreviousYearFunds/12,2),Rest)",
        "Total24": '=ROUND(SUMIF(Opening!A2:A25,"<"&DATE(2026,8,1),Opening!J2:J25)'
                   '+SUMIF(Forecast!A2:A49,"<"&DATE(2026,8,1),Forecast!B2:B49),2)',
    }
    for row, (name, value) in enumerate({**values, **formulas}.items(), start=1):
        inputs.cell(row=row, column=1, value=name)
        inputs.cell(row=row, column=2, value=value)
        wb.defined_names[name] = DefinedName(name, attr_text=f"Plan!$B${row}")

    years = wb.create_sheet("Years")  # one row a financial year
    for k, r in enumerate(range(2, 6)):
        years[f"B{r}"] = "=PayBill" if k == 0 else f"=ROUND(B{r - 1}*(1+PayBillGrowth/100),2)"
        years[f"C{r}"] = f"=MAX(0,ROUND((B{r}-200*LevyAllowance)/200,2))"
        years[f"D{r}"] = f"=ROUND(C{r}/12,2)"
        years[f"E{r}"] = f"=ROUND(D{r}*EnglishPercent/100,2)"
        years[f"F{r}"] = f"=ROUND(E{r}/10,2)"

    known = wb.create_sheet("ExpiringFunds")
    for r, (expires, amount) in enumerate((plan.get("known_expiring") or {}).items(), start=2):
        known[f"A{r}"], known[f"B{r}"] = month(expires), amount
    for r in range(2, 21):
        known[f"C{r}"] = f'=IF(A{r}="","",IF(EDATE(A{r},-24)<DATE(2026,8,1),EDATE(A{r},-24),EDATE(A{r},-12)))'

    opening = wb.create_sheet("Opening")  # the 24 months before the plan, newest first
    for j, r in enumerate(range(2, 26), start=1):
        opening[f"A{r}"] = f"=EDATE(PlanStart,-{j})"
        opening[f"B{r}"] = f"=EDATE(A{r},IF(A{r}<DATE(2026,8,1),24,12))"
        opening[f"C{r}"] = f"=IF(KnownValid,SUMIF(ExpiringFunds!$C$2:$C$20,A{r},ExpiringFunds!$B$2:$B$20),0)"
        opening[f"D{r}"] = f"=IF(KnownValid,COUNTIF(ExpiringFunds!$C$2:$C$20,A{r}),0)"
        opening[f"E{r}"] = f"=IF(AND(B{r}>=PlanStart,D{r}=0),1,0)"
        opening[f"F{r}"] = f"=SUM(E{r + 1}:E$26)"
        opening[f"G{r}"] = "=Rest" if j == 1 else f"=ROUND(Rest-SUM(H$2:H{r - 1}),2)"
        opening[f"H{r}"] = f"=IF(E{r}=0,0,IF(F{r}=0,G{r},MIN(Cap,G{r})))"
        opening[f"I{r}"] = "=IF(SUM(E$2:E$25)=0,Rest,0)" if j == 1 else "=0"
        opening[f"J{r}"] = f"=ROUND(C{r}+H{r}+I{r},2)"

    table = wb.create_sheet("Commitments")
    commitments = plan.get("commitments", [])
    last = max(2, len(commitments) + 1)
    for r, c in enumerate(commitments, start=2):
        table[f"A{r}"], table[f"B{r}"], table[f"C{r}"] = c.kind, c.start, c.months
        table[f"D{r}"], table[f"E{r}"] = float(c.instalment), float(c.completion)
        table[f"F{r}"] = f"=EDATE(DATE(YEAR(B{r}),MONTH(B{r}),1),1)"
        table[f"G{r}"] = f"=EDATE(F{r},C{r}-1)"
        table[f"H{r}"] = (f'=IF(A{r}<>"Start",0,IF(AND(LevyPayer,B{r}>=DATE(2026,8,1)),25,'
                          f"IF(B{r}>=DATE(2019,4,1),5,10)))")
        table[f"I{r}"] = f'=IF(A{r}="Start",1,0)'

    def col(letter: str) -> str:
        return f"Commitments!${letter}$2:${letter}${last}"

    own, first_pay, last_inst = col("I"), col("F"), col("G")
    ws = wb.create_sheet("Forecast")
    for i, r in enumerate(range(2, 50)):
        due = f"({first_pay}<=A{r})*({last_inst}>=A{r})*{col('D')}"
        completing = f"({last_inst}=EDATE(A{r},-1))*{col('E')}"
        ws[f"A{r}"] = f"=EDATE(PlanStart,{i})"
        ws[f"B{r}"] = f"=Years!$E${2 + i // 12}+IF(A{r}<DATE(2026,8,1),Years!$F${2 + i // 12},0)"
        ws[f"C{r}"] = f"=ROUND(SUMPRODUCT({own}*{due}),2)"
        ws[f"D{r}"] = f"=ROUND(SUMPRODUCT({own}*{completing}),2)"
        ws[f"E{r}"] = f"=ROUND(SUMPRODUCT((1-{own})*{due})+SUMPRODUCT((1-{own})*{completing}),2)"
        ws[f"F{r}"] = f"=SUMPRODUCT({own}*{due}*{col('H')})+SUMPRODUCT({own}*{completing}*{col('H')})"
        ws[f"G{r}"] = "=OpeningBalance" if i == 0 else f"=U{r - 1}"
        ws[f"H{r}"] = f"=MIN(E{r},G{r})"
        ws[f"I{r}"] = f"=MIN(C{r}+D{r},ROUND(G{r}-H{r},2))"
        ws[f"J{r}"] = f"=ROUND(C{r}+D{r}-I{r},2)"
        ws[f"K{r}"] = f"=IF(J{r}=0,0,ROUND(J{r}*F{r}/(100*(C{r}+D{r})),2))"
        ws[f"L{r}"] = f"=ROUND(J{r}-K{r},2)"
        def previous(letter: str, r: int = r, i: int = i) -> str:  # the row above, 0 above the first
            return "0" if i == 0 else f"{letter}{r - 1}"

        ws[f"M{r}"] = f"=ROUND({previous('M')}+H{r}+I{r},2)"
        opening_24 = f"SUMIF(Opening!$A$2:$A$25,EDATE(A{r},-24),Opening!$J$2:$J$25)"
        ws[f"N{r}"] = (f"=IF(EDATE(A{r},-24)>=DATE(2026,8,1),0,"
                       f"{opening_24 if i < 24 else f'B{r - 24}'})")
        ws[f"O{r}"] = f"=ROUND({previous('O')}+MIN(N{r},MAX(0,M{r}-{previous('O')})),2)"
        ws[f"P{r}"] = f"=ROUND({previous('P')}+N{r}-(O{r}-{previous('O')}),2)"
        opening_12 = f"SUMIF(Opening!$A$2:$A$25,EDATE(A{r},-12),Opening!$J$2:$J$25)"
        ws[f"Q{r}"] = (f"=IF(EDATE(A{r},-12)<DATE(2026,8,1),0,"
                       f"{opening_12 if i < 12 else f'B{r - 12}'})")
        ws[f"R{r}"] = f"=MIN(ROUND(Total24-P{r},2),MAX(O{r},M{r}))"
        ws[f"S{r}"] = f"=ROUND({previous('S')}+MIN(Q{r},MAX(0,ROUND(M{r}-R{r}-{previous('S')},2))),2)"
        ws[f"T{r}"] = f"=ROUND(N{r}-(O{r}-{previous('O')})+Q{r}-(S{r}-{previous('S')}),2)"
        ws[f"U{r}"] = f"=ROUND(G{r}-H{r}-I{r}-T{r}+B{r},2)"
        ws[f"V{r}"] = f"=ROUND({previous('V')}+T{r},2)"
    wb.save(path)


@pytest.mark.libreoffice
def test_formula_plan_agrees_with_python_in_libreoffice(tmp_path, libreoffice):
    from openpyxl import load_workbook

    paths = {}
    for name, plan in FORMULA_PLANS.items():
        paths[name] = tmp_path / f"{name}.xlsx"
        formula_plan_workbook(paths[name], plan)
    recalculated = libreoffice(list(paths.values()))
    letters = dict(zip(FORECAST_COLUMNS, "BCDEHIJKLTUV"))
    for name, plan in FORMULA_PLANS.items():
        expected = forecast(**plan)
        sheet = load_workbook(recalculated[paths[name]], data_only=True)["Forecast"]
        for row, month_row in zip(range(2, 50), expected.months):
            for attribute, letter in letters.items():
                cached = sheet[f"{letter}{row}"].value
                assert isinstance(cached, (int, float)), (name, month_row.month, attribute, cached)
                assert abs(D(repr(cached)) - getattr(month_row, attribute)) < D("0.005"), (
                    name, month_row.month, attribute, cached, getattr(month_row, attribute))
    # Between them the plans run short, co-invest at more than one rate and expire both groups' funds.
    mixed = forecast(**FORMULA_PLANS["known_expiry_and_co_investment"]).months
    assert any(m.shortfall and m.employer_contribution * 20 != m.shortfall for m in mixed)
    assert any(m.transfers_out < m.transfers_due for m in mixed)
