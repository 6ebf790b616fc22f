"""Tests for lga_xl.levy: the levy arithmetic the levy plan workbook must match to the penny."""

from __future__ import annotations

import ast
import doctest
import json
import math
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lga_xl import levy
from lga_xl.levy import (
    co_investment_rate,
    even_monthly_levy,
    expired_funds,
    expiry_cohorts,
    funds_entering,
    headroom_table,
    levy_due,
    minimum_duration_months,
    monthly_levy,
    parse_tax_year,
    payment_schedule,
    payments_between,
    payments_in_tax_year,
    pro_rata_share,
    public_sector_target,
    statutory_transfer_rate,
    tax_year_of,
    top_up_rate,
    transfer_allowance,
    transfer_headroom,
    transfer_position,
    transfer_rate,
)

DAS_CASES = json.loads((Path(__file__).parent / "data" / "das_expired_funds_cases.json").read_text())["cases"]
D = Decimal


def month(text: str) -> date:
    year, number = text.split("-")
    return date(int(year), int(number), 1)


# The module itself


def test_docstring_examples_run():
    result = doctest.testmod(levy, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 25
    assert result.failed == 0


def test_imports_only_the_standard_library_pieces_it_needs():
    tree = ast.parse(Path(levy.__file__).read_text())
    imported = {
        (node.module if isinstance(node, ast.ImportFrom) else alias.name).split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }
    allowed = {"__future__", "collections", "dataclasses", "datetime", "decimal", "functools", "math", "re"}
    assert imported <= allowed


# levy_due


@pytest.mark.parametrize(
    ("pay_bill", "allowance", "expected"),
    [
        (0, 15000, "0.00"),
        (2_999_999, 15000, "0.00"),  # under the allowance
        (3_000_000, 15000, "0.00"),  # exactly uses the allowance
        (3_000_001, 15000, "0.01"),  # 0.005 rounds half up
        (10_000_000, 15000, "35000.00"),
        (2_000_000, 7500, "2500.00"),  # a connected employer's half share
        (2_000_000, 0, "10000.00"),
        ("3000535", 15000, "2.68"),  # 2.675 exactly: Excel's ROUND gives 2.68
        (3000535.0, 15000, "2.68"),
    ],
)
def test_levy_due(pay_bill, allowance, expected):
    assert levy_due(pay_bill, allowance) == D(expected)
    assert levy_due(pay_bill, allowance).as_tuple().exponent == -2


def test_floats_round_as_excel_does_not_as_python_round():
    # Python's round() sees the binary float just below 2.675; Excel and levy see 2.675.
    assert round(2.675, 2) == 2.67
    assert transfer_allowance(2.675, 1) == D("2.68")
    assert funds_entering(2.675, on=date(2027, 1, 1)) == D("2.68")


@pytest.mark.parametrize(
    ("pay_bill", "allowance", "message"),
    [
        (-1, 15000, "pay_bill must be 0 or more"),
        (3_000_000, 15001, "allowance must be between 0 and 15,000"),
        (3_000_000, -1, "allowance must be between 0 and 15,000"),
        ("three million", 15000, "pay_bill must be a number"),
        (float("nan"), 15000, "pay_bill must be a finite number"),
        (True, 15000, "pay_bill must be a number"),
        (None, 15000, "pay_bill must be a number"),
    ],
)
def test_levy_due_rejects_bad_input(pay_bill, allowance, message):
    with pytest.raises(ValueError, match=message):
        levy_due(pay_bill, allowance)


# monthly_levy: HMRC's year-to-date method


def test_monthly_levy_regular_pay_bill_hmrc_alm09200_example_1():
    payments = monthly_levy([300_000] * 12)
    assert payments == [D("250.00")] * 12
    assert sum(payments) == levy_due(3_600_000) == D("3000.00")


def test_monthly_levy_seasonal_pay_bill_hmrc_alm08300():
    # ALM08300: a busy June and July use allowance carried forward, then the levy to date falls
    # by 250 a month and the payments are negative; the year's total is 0.
    payments = monthly_levy([200_000, 200_000, 500_000, 500_000] + [200_000] * 8)
    assert payments == [D("0.00"), D("0.00"), D("750.00"), D("1250.00")] + [D("-250.00")] * 8
    assert sum(payments) == levy_due(3_000_000) == 0


def test_monthly_levy_carries_unused_allowance_forward():
    # Month 1: 500 of levy against 1,250 of allowance: nothing due, 750 unused.
    # Month 2: 3,000 to date against 2,500 to date: 500 due, not 2,500 - 1,250 = 1,250.
    assert monthly_levy([100_000, 500_000]) == [D("0.00"), D("500.00")]


def test_monthly_levy_shared_allowance_hmrc_alm09200_example_2():
    # One of five PAYE schemes sharing the allowance equally: 3,000 a year, 250 a month.
    assert monthly_levy([200_000, 200_000], annual_allowance=3000) == [D("750.00"), D("750.00")]


def test_monthly_levy_rounds_the_year_to_date_figure_each_month():
    # 10,000 a year is 833.333... a month:
    # to date 1,000 - 833.33.. = 166.67, then 2,000 - 1,666.66.. = 333.33, paying 166.66.
    assert monthly_levy([200_000, 200_000], annual_allowance=10_000) == [D("166.67"), D("166.66")]


def test_monthly_levy_allows_a_negative_correction_month():
    # To month 2: 400,000 x 0.5% = 2,000 against 2,500 of allowance, so nothing is due to date.
    assert monthly_levy([500_000, -100_000]) == [D("1250.00"), D("-1250.00")]


def test_monthly_levy_of_no_months_is_empty():
    assert monthly_levy([]) == []


@pytest.mark.parametrize(
    ("annual", "expected"),
    [(0, "0.00"), ("0.06", "0.01"), ("0.05", "0.00"), (35_000, "2916.67"), ("12345.66", "1028.81"), (12.3, "1.03")],
)
def test_even_monthly_levy_rounds_a_twelfth_half_up(annual, expected):
    assert even_monthly_levy(annual) == D(expected)


@pytest.mark.parametrize(
    ("amount", "part", "whole", "expected"),
    [(235_000, 1_200_000, 50_000_000, "5640.00"), (100, 1, 3, "33.33"), (100, 2, 3, "66.67"), ("0.01", 1, 2, "0.01"),
     (35_000, 0, 10_000_000, "0.00"), (35_000, 5, 0, "0.00"), ("2.675", 1, 1, "2.68")],
)
def test_pro_rata_share_rounds_once(amount, part, whole, expected):
    assert pro_rata_share(amount, part, whole) == D(expected)


def test_pro_rata_share_rejects_negative_parts():
    with pytest.raises(ValueError, match="part must be 0 or more"):
        pro_rata_share(100, -1, 10)


def test_even_monthly_levy_rejects_text():
    with pytest.raises(ValueError, match="annual_levy must be a number"):
        even_monthly_levy("a lot")


@pytest.mark.parametrize(
    ("pay_bills", "kwargs", "message"),
    [
        ([300_000] * 13, {}, "13 months; a tax year has 12"),
        ([100_000, -200_000], {}, "pay bill to tax month 2 is negative"),
        ("300000", {}, "must be a list"),
        ([300_000], {"annual_allowance": 20_000}, "annual_allowance must be between 0 and 15,000"),
        ([300_000, "x"], {}, r"monthly_pay_bills\[1\] must be a number"),
    ],
)
def test_monthly_levy_rejects_bad_input(pay_bills, kwargs, message):
    with pytest.raises(ValueError, match=message):
        monthly_levy(pay_bills, **kwargs)


# Funds entering the account


def test_top_up_rate_changes_on_1_august_2026():
    assert top_up_rate(date(2017, 4, 6)) == D("0.10")
    assert top_up_rate(date(2026, 7, 31)) == D("0.10")
    assert top_up_rate(date(2026, 8, 1)) == 0
    assert top_up_rate(datetime(2026, 7, 31, 23, 59)) == D("0.10")
    assert top_up_rate("2026-08-01") == 0


def test_top_up_rate_refuses_dates_before_the_levy():
    with pytest.raises(ValueError, match="before the levy began on 06 April 2017"):
        top_up_rate(date(2017, 4, 5))


def test_help_article_worked_example():
    # "Calculating your transfer allowance": 500,000 x 90% = 450,000, + 10% = 495,000, x 25% = 123,750.
    funds = funds_entering(500_000, 0.9, on=date(2023, 6, 1))
    assert funds == D("495000.00")
    assert transfer_allowance(funds, transfer_rate(date(2023, 6, 1))) == D("123750.00")


@pytest.mark.parametrize(
    ("levy_paid", "english_fraction", "on", "expected"),
    [
        (500_000, "0.9", date(2026, 7, 31), "495000.00"),
        (500_000, "0.9", date(2026, 8, 1), "450000.00"),
        (500_000, 0, date(2025, 1, 1), "0.00"),
        ("100.05", "0.5", date(2025, 1, 1), "55.03"),  # english 50.025 -> 50.03, top-up 5.003 -> 5.00
        (100.05, 0.5, date(2025, 1, 1), "55.03"),
        ("1234.56", "0.9", date(2025, 1, 1), "1222.21"),  # 1111.104 -> 1111.10, + 111.11
        (-100, 1, date(2025, 1, 1), "-110.00"),  # a negative adjustment takes back its top-up too
        ("-2.675", 1, date(2027, 1, 1), "-2.68"),  # halves round away from zero, like Excel
    ],
)
def test_funds_entering(levy_paid, english_fraction, on, expected):
    assert funds_entering(levy_paid, english_fraction, on=on) == D(expected)


def test_funds_entering_needs_the_date():
    with pytest.raises(TypeError):
        funds_entering(500_000, 0.9)  # type: ignore[call-arg]


@pytest.mark.parametrize("english_fraction", [-0.1, 1.01, "90%"])
def test_funds_entering_rejects_an_english_fraction_outside_0_to_1(english_fraction):
    with pytest.raises(ValueError, match="english_fraction must be"):
        funds_entering(500_000, english_fraction, on=date(2025, 1, 1))


# Tax years


@pytest.mark.parametrize("label", ["2026-27", "2026/27", " 2026 - 27 "])
def test_parse_tax_year(label):
    assert parse_tax_year(label) == (date(2026, 4, 6), date(2027, 4, 5))


def test_parse_tax_year_across_a_century():
    assert parse_tax_year("2099-00") == (date(2099, 4, 6), date(2100, 4, 5))


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("2026-28", "28 does not follow 2026"),
        ("2026", "not written like '2026-27'"),
        ("26-27", "not written like '2026-27'"),
        (2026, "not written like '2026-27'"),
    ],
)
def test_parse_tax_year_rejects_bad_labels(label, message):
    with pytest.raises(ValueError, match=message):
        parse_tax_year(label)


def test_tax_year_of_turns_on_6_april():
    assert tax_year_of(date(2026, 4, 5)) == "2025-26"
    assert tax_year_of(date(2026, 4, 6)) == "2026-27"
    assert tax_year_of(date(2027, 1, 1)) == "2026-27"


# Transfers


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2018, 4, 5), "0"),
        (date(2018, 4, 6), "0.10"),
        (date(2019, 4, 5), "0.10"),
        (date(2019, 4, 6), "0.25"),
        (date(2024, 4, 21), "0.25"),
        (date(2024, 4, 22), "0.50"),
        (date(2030, 1, 1), "0.50"),
    ],
)
def test_transfer_rate_boundaries(on, expected):
    assert transfer_rate(on) == D(expected)


@pytest.mark.parametrize(
    ("tax_year", "expected"),
    [
        ("2017-18", "0"),
        ("2018-19", "0.10"),
        ("2019-20", "0.25"),
        ("2023-24", "0.25"),
        ("2024-25", "0.50"),
        ("2026-27", "0.50"),
    ],
)
def test_statutory_transfer_rate(tax_year, expected):
    assert statutory_transfer_rate(tax_year) == D(expected)


def test_transfer_allowance_rounds_once_to_the_penny():
    assert transfer_allowance("10.70", "0.25") == D("2.68")  # 2.675
    assert transfer_allowance("123456.78", "0.5") == D("61728.39")


def test_transfer_headroom_and_position():
    assert transfer_headroom(495_000, 100_000, "0.25") == D("23750.00")
    assert transfer_headroom(495_000, 123_750, "0.25") == D("0.00")
    over = transfer_position(495_000, 130_000, "0.25")
    assert (over.allowance, over.headroom, over.over_committed) == (D("123750.00"), D("0.00"), D("6250.00"))
    assert over.is_over_committed
    assert not transfer_position(495_000, 0, "0.25").is_over_committed


def test_headroom_table_uses_50_percent_for_2024_25():
    table = headroom_table(495_000, 100_000, "2024-25")
    assert list(table) == ["10%", "25%", "statutory"]
    assert [position.rate for position in table.values()] == [D("0.10"), D("0.25"), D("0.50")]
    assert [position.headroom for position in table.values()] == [D("0.00"), D("23750.00"), D("147500.00")]
    assert table["10%"].over_committed == D("50500.00")


@pytest.mark.parametrize(
    ("funds", "committed", "rate", "message"),
    [
        (-1, 0, "0.25", "previous_year_funds must be 0 or more"),
        (495_000, -1, "0.25", "committed must be 0 or more"),
        (495_000, 0, "25", "rate must be between 0 and 1"),
    ],
)
def test_transfer_position_rejects_bad_input(funds, committed, rate, message):
    with pytest.raises(ValueError, match=message):
        transfer_position(funds, committed, rate)


# Paying the training provider


def test_payment_schedule_1000_over_3_months():
    schedule = payment_schedule(1000, date(2026, 1, 15), 3)
    assert schedule == {
        date(2026, 2, 1): D("266.67"),  # 800 / 3 = 266.666... -> 266.67
        date(2026, 3, 1): D("266.67"),
        date(2026, 4, 1): D("266.67"),  # the planned end month
        date(2026, 5, 1): D("199.99"),  # completion: 1000 - 3 x 266.67
    }
    assert sum(schedule.values()) == 1000


def test_payment_schedule_crosses_the_year_end():
    months = list(payment_schedule(12_000, date(2026, 11, 30), 2))
    assert months == [date(2026, 12, 1), date(2027, 1, 1), date(2027, 2, 1)]


def test_payment_schedule_even_split():
    schedule = payment_schedule(12_000, "2026-09-01", 12)
    assert list(schedule.values()) == [D("800.00")] * 12 + [D("2400.00")]


@pytest.mark.parametrize(("price", "duration"), [(1, 1), (1500, 8), (27_000, 48), ("3499.99", 13), (0, 12)])
def test_payment_schedule_totals_the_price(price, duration):
    schedule = payment_schedule(price, date(2026, 8, 1), duration)
    assert len(schedule) == duration + 1
    assert sum(schedule.values()) == D(str(price))


@pytest.mark.parametrize(
    ("price", "duration", "message"),
    [
        (1000, 0, "duration_months must be 1 or more"),
        (1000, 2.5, "whole number"),
        (-1, 12, "price must be 0 or more"),
    ],
)
def test_payment_schedule_rejects_bad_input(price, duration, message):
    with pytest.raises(ValueError, match=message):
        payment_schedule(price, date(2026, 1, 1), duration)


def test_payments_between_and_in_tax_year():
    start = date(2026, 1, 15)  # payments Feb, Mar, Apr, May 2026
    assert payments_between(1000, start, 3, date(2026, 3, 1), date(2026, 4, 30)) == D("533.34")
    assert payments_between(1000, start, 3, date(2027, 1, 1), date(2027, 12, 1)) == D("0.00")
    assert payments_in_tax_year(1000, start, 3, "2025-26") == D("533.34")  # Feb, Mar
    assert payments_in_tax_year(1000, start, 3, "2026-27") == D("466.66")  # Apr, May
    years = ("2025-26", "2026-27")
    assert sum(payments_in_tax_year(1000, start, 3, year) for year in years) == 1000


def test_payments_between_rejects_a_reversed_period():
    with pytest.raises(ValueError, match="last_month 2026-01 is before first_month 2026-03"):
        payments_between(1000, date(2026, 1, 1), 3, date(2026, 3, 1), date(2026, 1, 1))


# Expiry: das-employer-finance's own unit tests, ported as data


@pytest.mark.parametrize("case", DAS_CASES, ids=[case["test"] for case in DAS_CASES])
def test_expiry_matches_das_unit_tests(case):
    arguments = (case["funds_in"], case["spending"], case["expiry_months"])
    options = {"already_expired": case.get("already_expired")}
    cohorts = expiry_cohorts(*arguments, **options)
    checks = case["checks"]

    if "cohort_count" in checks:
        assert len(cohorts) == checks["cohort_count"]
    by_entry = {cohort.entered: cohort for cohort in cohorts}
    for entered, expected in checks.get("cohorts", {}).items():
        cohort = by_entry[month(entered)]
        if "expires" in expected:
            assert cohort.expires == month(expected["expires"])
        if "expiring" in expected:
            assert cohort.expiring == D(expected["expiring"])
    for total in checks.get("totals", []):
        chosen = [
            cohort
            for cohort in cohorts
            if cohort.expires <= month(total["expires_through"])
            and ("entered_before" not in total or cohort.entered < month(total["entered_before"]))
            and ("entered_from" not in total or cohort.entered >= month(total["entered_from"]))
        ]
        assert len(chosen) == total["count"]
        if "expiring" in total:
            assert sum(cohort.expiring for cohort in chosen) == D(total["expiring"])
        if "first_expiry" in total:
            assert min(c.expires for c in chosen) == month(total["first_expiry"])
            assert max(c.expires for c in chosen) == month(total["last_expiry"])
    result = expired_funds(*arguments, **options)
    for expiry, expected in checks.get("expiring_in", {}).items():
        assert result.get(month(expiry), D(0)) == D(expected)


def test_expired_funds_leaves_out_months_with_nothing_expiring():
    result = expired_funds({"2018-10": 10, "2018-11": 9}, {"2018-10": 10}, 2)
    assert result == {date(2019, 1, 1): D(9)}


def test_spending_in_the_expiry_month_counts():
    funds = {date(2024, 1, 1): 100}
    assert expired_funds(funds, {date(2026, 1, 1): 100}) == {}
    assert expired_funds(funds, {date(2026, 2, 1): 100}) == {date(2026, 1, 1): D(100)}


def test_24_and_12_month_funds_can_expire_in_the_same_month():
    # July 2026 levy keeps 24 months, August 2026 levy only 12.
    cohorts = expiry_cohorts({"2026-07": 100, "2026-08": 50, "2025-09": 70}, {})
    assert [(c.entered, c.expires) for c in cohorts] == [
        (date(2025, 9, 1), date(2027, 9, 1)),
        (date(2026, 7, 1), date(2028, 7, 1)),
        (date(2026, 8, 1), date(2027, 8, 1)),
    ]
    assert expired_funds({"2025-09": 70, "2026-09": 30}, {}) == {date(2027, 9, 1): D(100)}


def test_a_refund_counts_once_under_the_24_12_policy():
    # Refund: June 2025 spending 100 - 20 = 80.  The 24-month funds (January 2024, expiring
    # January 2026) use 50, leaving 30 for the 12-month funds of August 2026: 70 of them expire.
    # das's 12-month run applies the refund a second time and would show 90; see the docstring.
    funds = {"2024-01": 50, "2026-08": 100}
    spending = {"2025-06": 100, "2025-07": -20}
    assert expired_funds(funds, spending) == {date(2027, 8, 1): D(70)}


def test_a_negative_levy_month_reduces_only_funds_under_its_own_expiry_period():
    # September 2026's -150 takes August 2026's 100; the rest is dropped, not taken from July 2026.
    result = expired_funds({"2026-07": 100, "2026-08": 100, "2026-09": -150}, {})
    assert result == {date(2028, 7, 1): D(100)}


def test_already_expired_cohort_keeps_its_recorded_amount():
    # January's funds recorded 4 expired, so 6 of them were spent: the March spending of 6
    # is theirs, and February's 9 are matched against the April spending instead.
    funds = {"2019-01": 10, "2019-02": 9}
    spending = {"2019-03": 6, "2019-04": 9}
    cohorts = expiry_cohorts(funds, spending, 2, already_expired={"2019-01": 4})
    assert [(c.spent, c.expiring) for c in cohorts] == [(D(6), D(4)), (D(9), D(0))]


@pytest.mark.parametrize(
    ("funds_in", "spending", "kwargs", "message"),
    [
        (None, {}, {}, "funds_in must map months to amounts"),
        ({}, None, {}, "spending must map months to amounts"),
        ({"2026-08": 1, date(2026, 8, 15): 2}, {}, {}, "more than one amount for 2026-08"),
        ({"August 2026": 1}, {}, {}, "not a month like '2026-08'"),
        ({"2026-13": 1}, {}, {}, "not a real date"),
        ({"2026-08": "lots"}, {}, {}, r"funds_in\[2026-08\] must be a number"),
        ({"2026-08": 1}, {}, {"expiry_months": 0}, "expiry_months must be 1 or more"),
        ({"2026-08": 1}, {}, {"already_expired": {"2026-08": -1}}, "is negative"),
        ({"2026-08": 1}, {}, {"already_expired": {"2026-07": 1}}, "a month with no funds in"),
    ],
)
def test_expiry_rejects_bad_input(funds_in, spending, kwargs, message):
    with pytest.raises(ValueError, match=message):
        expired_funds(funds_in, spending, **kwargs)


# The workbook's recurrence, as an oracle for non-negative flows


def recurrence_oracle(funds_in, spending, expiry_months):
    """Cohort k, expiring in month x_k, uses min(F_k, max(0, S(<= x_k) - P)); P sums earlier use.

    Cohorts in processing order: all of them by date with one expiry period; under the
    24/12 policy, funds entering before August 2026 first, then the rest.
    """
    change = date(2026, 8, 1)
    if expiry_months is None:
        order = [(m, 24) for m in sorted(funds_in) if m < change]
        order += [(m, 12) for m in sorted(funds_in) if m >= change]
    else:
        order = [(m, expiry_months) for m in sorted(funds_in)]
    used_before = D(0)
    expiring: dict[date, Decimal] = {}
    for entered, period in order:
        index = entered.year * 12 + entered.month - 1 + period
        expires = date(index // 12, index % 12 + 1, 1)
        spent_to_expiry = sum((amount for when, amount in spending.items() if when <= expires), D(0))
        used = min(funds_in[entered], max(D(0), spent_to_expiry - used_before))
        used_before += used
        expiring[expires] = expiring.get(expires, D(0)) + funds_in[entered] - used
    return {expires: amount for expires, amount in sorted(expiring.items()) if amount}


MONTHS_2024_TO_2028 = [date(2024 + i // 12, i % 12 + 1, 1) for i in range(60)]
PENNIES = st.integers(min_value=0, max_value=500_000).map(lambda pence: D(pence) / 100)
FLOWS = st.dictionaries(st.sampled_from(MONTHS_2024_TO_2028), PENNIES, max_size=24)


@settings(max_examples=300, deadline=None)
@given(funds_in=FLOWS, spending=FLOWS, expiry_months=st.none() | st.integers(min_value=1, max_value=30))
def test_expired_funds_equals_the_workbook_recurrence(funds_in, spending, expiry_months):
    expected = recurrence_oracle(funds_in, spending, expiry_months)
    assert expired_funds(funds_in, spending, expiry_months) == expected
    cohorts = expiry_cohorts(funds_in, spending, expiry_months)
    assert sum(c.spent for c in cohorts) <= sum(spending.values(), D(0))
    assert sum(c.spent + c.expiring for c in cohorts) == sum(funds_in.values(), D(0))


@settings(max_examples=300, deadline=None)
@given(funds_in=FLOWS, spending=FLOWS, horizon=st.sampled_from(MONTHS_2024_TO_2028))
def test_spending_after_a_month_cannot_change_what_expires_by_then(funds_in, spending, horizon):
    """Why the levy plan's forecast may leave out payments after its last month."""
    spending_to_horizon = {month: amount for month, amount in spending.items() if month <= horizon}

    def expiring_by_horizon(flows):
        return {month: amount for month, amount in expired_funds(funds_in, flows).items() if month <= horizon}

    assert expiring_by_horizon(spending) == expiring_by_horizon(spending_to_horizon)


def test_recurrence_straddling_august_2026_by_hand():
    # 24-month funds go first even though the 12-month funds expire sooner.
    funds = {date(2026, 7, 1): D(100), date(2026, 9, 1): D(100)}
    spending = {date(2027, 1, 1): D(150)}
    expected = {date(2027, 9, 1): D(50)}  # July 2026 uses 100, September 2026 the other 50
    assert expired_funds(funds, spending) == recurrence_oracle(funds, spending, None) == expected


# Programme rules


@pytest.mark.parametrize(
    ("headcount", "rate", "expected"),
    [
        (0, "0.023", 0),
        (250, "0.023", 6),
        (1000, "0.023", 23),
        (1001, "0.023", 24),
        (4350, "0.023", 101),
        (1000, "0.03", 30),
    ],
)
def test_public_sector_target(headcount, rate, expected):
    assert public_sector_target(headcount, rate) == expected


def test_public_sector_target_uses_exact_decimals():
    assert math.ceil(100 * 0.07) == 8  # binary floats: 7.000000000000001
    assert public_sector_target(100, 0.07) == 7


@pytest.mark.parametrize(("headcount", "message"), [(-1, "0 or more"), (10.5, "whole number")])
def test_public_sector_target_rejects_bad_headcount(headcount, message):
    with pytest.raises(ValueError, match=message):
        public_sector_target(headcount)


def test_minimum_duration_changes_on_1_august_2025():
    assert minimum_duration_months(date(2025, 7, 31)) == 12
    assert minimum_duration_months(date(2025, 8, 1)) == 8


@pytest.mark.parametrize(
    ("start", "levy_payer", "expected"),
    [
        (date(2017, 5, 1), True, "0.10"),
        (date(2019, 3, 31), True, "0.10"),
        (date(2019, 4, 1), True, "0.05"),
        (date(2026, 7, 31), True, "0.05"),
        (date(2026, 8, 1), True, "0.25"),
        (date(2026, 8, 1), False, "0.05"),
    ],
)
def test_co_investment_rate(start, levy_payer, expected):
    assert co_investment_rate(start, levy_payer=levy_payer) == D(expected)


def test_co_investment_rate_refuses_starts_before_the_funding_rules():
    with pytest.raises(ValueError, match="co-investment rules began on 01 May 2017"):
        co_investment_rate(date(2017, 4, 30))
