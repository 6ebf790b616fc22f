"""Reading returned levy plans: recomputed figures and every issue, with its sheet and cell.

Template 2.0 (what `lga-xl new` writes) is read by its contract; a plan of template 1.0, made by lga_xl
0.1.0, is read with 1.0's meaning (tests/data/release-0.1.0).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from lga_xl import forecast as forecast_module
from lga_xl.cli import main
from lga_xl.contracts.levy_plan import (
    CONTRACT,
    EXPIRING_FUNDS,
    FORECAST,
    PLANNED_STARTS,
    SCHOOLS,
    STANDARDS,
    TRANSFERS,
)
from lga_xl.issues import WorkbookError
from lga_xl.readers import read_workbook, validate
from lga_xl.readers.levy_plan import read_levy_plan
from lga_xl.standards import sample_export
from lga_xl.writers.fill import Template
from lga_xl.writers.levy_plan import SchoolEntry, StartEntry, TransferEntry, new_levy_plan
from lga_xl.writers.self_assessment import new_self_assessment

D = Decimal
RELEASE_0_1_0 = Path(__file__).resolve().parent / "data" / "release-0.1.0"
SCHOOL_ENTRIES = [
    SchoolEntry(100001, "Ash Primary School", "Community", 1_200_000, 40),
    SchoolEntry(100002, "Elm CE Primary School", "Voluntary controlled", 800_000, 25),
    SchoolEntry(100003, "Oak Nursery School", "Maintained nursery", 300_000, 12),
]
START_ENTRIES = [
    StartEntry("ST0071", dt.date(2026, 9, 15), 12, 3500),  # the council's own staff: the first data row
    StartEntry("ST0454", dt.date(2026, 5, 1), 18, 7000, urn=100001),
    StartEntry("ST0575", dt.date(2026, 11, 1), 24, 6000, urn=100002),
    StartEntry("ST0888", dt.date(2027, 2, 1), 12, 4000, urn=100003),
]
TRANSFER_ENTRIES = [TransferEntry("Northwick Care Ltd", "ST0005", dt.date(2026, 10, 1), 12, 3000)]


def plan_cell(name):
    """The cell of a named cell, as the contract places it."""
    return CONTRACT.address(name)[1]


def cell(table, key, row=1):
    """The cell of a table column on its ``row``-th data row (1-based)."""
    return table.cell(key, table.first_row + row - 1)


def make(tmp_path, name="plan.xlsx", **overrides):
    """A plan written by the writer; the same options give a copy of the file written the first time."""
    key = repr(sorted(overrides.items()))
    if key not in _MADE:
        options = dict(org_name="Exampleshire County Council", region="East of England", tax_year="2026-27",
                       total_pay_bill=50_000_000, english_percent=D("0.985"), headcount=1200,
                       previous_year_funds=200_000, opening_balance=50_000, transfers_committed=5_000,
                       schools=SCHOOL_ENTRIES, starts=START_ENTRIES, transfers=TRANSFER_ENTRIES)
        options.update(overrides)
        _MADE[key] = new_levy_plan(tmp_path / name, **options).read_bytes()
    path = tmp_path / name
    path.write_bytes(_MADE[key])
    return path


_MADE: dict[str, bytes] = {}  # the writer takes a third of a second; most tests start from the same plan


def tamper(path, sheet, changes):
    """Type values into cells of the plan, as a user would: the rest of the file is left as it was.

    The cells are rewritten in place (lga_xl.writers.fill), which takes milliseconds where a load and save of
    the whole workbook with openpyxl takes most of a second.
    """
    return Template.from_path(path).fill(path, {(sheet, ref): value for ref, value in changes.items()})


def located(result):
    return {(i.sheet, i.cell, i.code) for i in result.issues}


def codes(result):
    return {i.code for i in result.issues}


def fatal(path):
    with pytest.raises(WorkbookError) as caught:
        read_levy_plan(path)
    return caught.value.issue


# --- a good plan and its figures --------------------------------------------------------------


def test_a_complete_plan_reads_with_only_the_expiry_warning(tmp_path):
    plan = read_levy_plan(make(tmp_path))
    assert codes(plan) == {"funds-expiring"} and not plan.has_errors
    assert (plan.kind, plan.template_version, plan.organisation, plan.region, plan.tax_year) == (
        "levy-plan", "2.0", "Exampleshire County Council", "East of England", "2026-27")
    assert (plan.plan_start, plan.plan_end) == (dt.date(2026, 4, 1), dt.date(2027, 3, 31))


def test_figures_worked_out_by_hand(tmp_path):
    plan = read_levy_plan(make(tmp_path))
    assert plan.annual_levy == D("235000.00")  # 0.5% of 50m less 15,000
    assert plan.monthly_levy == D("19583.33")
    assert plan.monthly_english_levy == D("19289.58")  # 19,583.33 x 98.5% = 19,289.58005
    assert plan.monthly_top_up == D("1928.96")
    assert plan.funds_in == 4 * (D("19289.58") + D("1928.96")) + 8 * D("19289.58")  # top-up April to July only
    assert plan.english_percent == D("98.5") and plan.levy_allowance == 15_000 and plan.pay_bill_growth == 0
    assert plan.public_sector_target_starts == 28  # 2.3% of 1,200 = 27.6
    assert plan.statutory_transfer_rate == D("0.50")
    assert (plan.transfer_allowance_10, plan.transfer_allowance_25, plan.transfer_allowance_statutory) == (
        D("20000.00"), D("50000.00"), D("100000.00"))
    # ST0005 at 3,000 over 12 months from October: instalments of 200.00 from November, 5 in the plan year.
    assert plan.transfers[0].in_year_cost == D("1000.00") and plan.transfers[0].type == "Transfer"
    assert plan.transfers_total == D("6000.00")
    assert (plan.headroom_10, plan.headroom_25, plan.headroom_statutory) == (
        D("14000.00"), D("44000.00"), D("94000.00"))
    # ST0071 at 3,500 over 12 months from 15 September: 233.33 a month October to March.
    council = plan.planned_starts[0]
    assert (council.urn, council.standard, council.title, council.level, council.band_max, council.in_year_cost) == (
        None, "ST0071", "Customer service specialist", 3, D("4000"), D("1399.98"))
    ash = plan.schools[0]
    assert (ash.type, ash.employer, ash.in_council_levy) == ("Community school", "Council", True)
    assert ash.levy_share == D("5640.00")  # 235,000 x 1.2m / 50m
    assert ash.funds_share == (plan.funds_in * D("0.024")).quantize(D("0.01"))
    assert ash.planned_spend == plan.planned_starts[1].in_year_cost == 10 * D("311.11")  # June to March
    assert (ash.balance, ash.funds_left) == (ash.levy_share - ash.planned_spend, ash.funds_share - ash.planned_spend)
    assert plan.schools_funds_share == sum(s.funds_share for s in plan.schools)
    assert plan.planned_starts_in_year == 4
    # The 50,000 opening balance: a twelfth of last year's 200,000 in each of March, February and January 2026.
    assert [(m.entered, m.amount) for m in plan.opening if m.amount] == [
        (dt.date(2026, 3, 1), D("16666.67")), (dt.date(2026, 2, 1), D("16666.67")),
        (dt.date(2026, 1, 1), D("16666.66"))]
    assert plan.forecast[0].balance == D("50000") + D("21218.54")
    assert plan.lowest_balance > 0 and plan.shortfall_months == 0 and plan.first_shortfall_month is None
    assert [year.tax_year for year in plan.years] == ["2026-27", "2027-28", "2028-29", "2029-30"]


def test_the_worked_example_142000_expiring_in_2026_27_from_september(tmp_path):
    plan = read_levy_plan(new_levy_plan(tmp_path / "w.xlsx", org_name="W", total_pay_bill=50_000_000,
                                        english_percent=1, previous_year_funds=258_000, opening_balance=400_000))
    assert (plan.expiring_funds_plan_year, plan.first_expiry_month, plan.first_expiry_amount) == (
        D("142000.00"), dt.date(2026, 9, 1), D("13000.00"))
    [issue] = [i for i in plan.issues if i.code == "funds-expiring"]
    assert "142,000.00 in 2026-27" in issue.message and "September 2026" in issue.message


def test_the_reader_forecast_is_lga_xl_forecast(tmp_path):
    plan = read_levy_plan(make(tmp_path, pay_bill_growth=D("0.03")))
    direct = forecast_module.forecast("2026-27", pay_bill=50_000_000, english_fraction=D("0.985"),
                                      pay_bill_growth=D("0.03"), previous_year_funds=200_000, opening_balance=50_000,
                                      commitments=[
                                          forecast_module.Commitment.costed("Start", s.start_date, s.duration_months,
                                                                            s.price) for s in START_ENTRIES
                                      ] + [forecast_module.Commitment.costed("Transfer", dt.date(2026, 10, 1), 12,
                                                                             3000)])
    assert [m.balance for m in plan.forecast] == [m.balance for m in direct.months]
    assert plan.expiring_funds == direct.funds_expiring and plan.pay_bill_growth == 3


def test_json_dump_round_trips(tmp_path):
    plan = read_levy_plan(make(tmp_path))
    data = plan.model_dump(mode="json")
    assert data["kind"] == "levy-plan" and data["annual_levy"] == 235000.0
    assert data["forecast"][0]["month"] == "2026-04-01" and len(data["forecast"]) == 48
    assert type(plan).model_validate(data) == plan


# --- each figure of the Plan sheet, typed the ways people type it ------------------------------


@pytest.mark.parametrize(("name", "typed", "used", "code"), [
    ("EnglishPercent", D("0.95"), D("0.95"), None),
    ("EnglishPercent", 95, D("0.95"), "percent-typed-without-sign"),
    ("EnglishPercent", "95%", D("0.95"), "number-as-text"),
    ("EnglishPercent", " 95 % ", D("0.95"), "number-as-text"),
    ("EnglishPercent", "95", D("0.95"), ("percent-typed-without-sign", "number-as-text")),
    ("EnglishPercent", 1, D("1"), None),
    ("EnglishPercent", 120, D("0"), "english-percent-out-of-range"),
    ("EnglishPercent", "150%", D("0"), "english-percent-out-of-range"),
    ("EnglishPercent", -0.5, D("0"), "english-percent-out-of-range"),
    ("EnglishPercent", "most", D("0"), "not-a-number"),
    ("PayBillGrowth", 3, D("0.03"), "percent-typed-without-sign"),
    ("PayBillGrowth", "2.5%", D("0.025"), "number-as-text"),
    ("PayBillGrowth", None, D("0"), None),
    ("PayBillGrowth", -2, D("0"), "percent-out-of-range"),
    ("TotalPayBill", "£250,000.00", D("250000.00"), "number-as-text"),
    ("TotalPayBill", " 250 000 ", D("250000"), "number-as-text"),
    ("TotalPayBill", "250\u00a0000", D("250000"), "number-as-text"),
    ("TotalPayBill", "lots", D("0"), "not-a-number"),
    ("TotalPayBill", "5%", D("0"), "not-a-number"),
    ("TotalPayBill", -1, D("0"), "negative-amount"),
    ("TotalPayBill", None, D("0"), "missing-input"),
    ("TotalPayBill", True, D("0"), "not-a-number"),
    ("LevyAllowance", None, D("15000"), None),
    ("LevyAllowance", "7,500", D("7500"), "number-as-text"),
    ("LevyAllowance", 15_001, D("15000"), "levy-allowance-out-of-range"),
    ("Headcount", "1,200", D("1200"), "number-as-text"),
    ("Headcount", 10.5, D("0"), "not-a-number"),
    ("OpeningBalance", "n/a", D("0"), "not-a-number"),
    ("PreviousYearFunds", -5, D("0"), "negative-amount"),
    ("TransfersCommitted", "£1,000", D("1000"), "number-as-text"),
])
def test_a_figure_is_read_as_meant_or_flagged_at_its_cell(tmp_path, name, typed, used, code):
    result = read_levy_plan(tamper(make(tmp_path), "Plan", {plan_cell(name): typed}))
    expected_codes = () if code is None else (code,) if isinstance(code, str) else code
    issues = {(i.code, i.cell) for i in result.issues if i.code in READING_CODES}
    assert issues == {(expected, plan_cell(name)) for expected in expected_codes}
    field, always_used, scale = FIGURE_FIELDS[name]
    warnings = {"number-as-text", "percent-typed-without-sign"}
    read_as_meant = set(expected_codes) <= warnings and typed is not None
    expected = used * scale if always_used or read_as_meant else None
    assert getattr(result, field) == expected


# What reading a cell can say (the plan's own checks, such as the transfer headroom, follow from the figures).
READING_CODES = {"number-as-text", "percent-typed-without-sign", "not-a-number", "negative-amount", "missing-input",
                 "english-percent-out-of-range", "percent-out-of-range", "levy-allowance-out-of-range"}
# The model field of each figure, whether it holds the value used even when blank or unusable, and its scale.
FIGURE_FIELDS = {
    "TotalPayBill": ("total_pay_bill", False, 1), "EnglishPercent": ("english_percent", False, 100),
    "LevyAllowance": ("levy_allowance", True, 1), "PayBillGrowth": ("pay_bill_growth", True, 100),
    "Headcount": ("headcount", False, 1), "PreviousYearFunds": ("previous_year_funds", False, 1),
    "OpeningBalance": ("opening_balance", False, 1), "TransfersCommitted": ("transfers_committed", False, 1),
}


def test_a_bad_figure_counts_as_its_default_in_the_figures(tmp_path):
    result = read_levy_plan(tamper(make(tmp_path), "Plan", {plan_cell("EnglishPercent"): 120}))
    assert result.english_percent is None and result.funds_in == 0
    allowance = read_levy_plan(tamper(make(tmp_path, "b.xlsx"), "Plan", {plan_cell("LevyAllowance"): 20_000}))
    assert allowance.annual_levy == D("235000.00")  # counted as the whole 15,000


def test_a_shared_allowance_raises_the_levy(tmp_path):
    plan = read_levy_plan(make(tmp_path, levy_allowance=7_500))
    assert plan.annual_levy == D("242500.00") and plan.levy_allowance == 7_500


def test_tax_year_and_plan_start_that_disagree(tmp_path):
    result = read_levy_plan(tamper(make(tmp_path), "Plan", {plan_cell("TaxYear"): "2027-28"}))
    assert ("Plan", plan_cell("TaxYear"), "bad-tax-year") in located(result)
    assert result.tax_year == "2026-27"  # the formulas use PlanStart, and so does the reader


@pytest.mark.parametrize(("name", "value", "code"), [
    ("Region", "Wessex", "unknown-region"),
    ("OrgName", None, "missing-org-name"),
    ("TaxYear", "2026/28", "bad-tax-year"),
    ("PlanStart", dt.date(2026, 5, 1), "bad-tax-year"),
    ("PlanStart", dt.date(2017, 4, 1), "bad-tax-year"),
])
def test_input_problems_are_located(tmp_path, name, value, code):
    result = read_levy_plan(tamper(make(tmp_path), "Plan", {plan_cell(name): value}))
    assert ("Plan", plan_cell(name), code) in located(result)


def test_no_usable_tax_year_at_all_is_refused(tmp_path):
    issue = fatal(tamper(make(tmp_path), "Plan", {plan_cell("TaxYear"): None, plan_cell("PlanStart"): None}))
    assert (issue.code, issue.sheet, issue.cell) == ("bad-tax-year", "Plan", plan_cell("PlanStart"))


def test_schools_pay_bill_over_the_whole_councils(tmp_path):
    result = read_levy_plan(make(tmp_path, total_pay_bill=2_000_000))
    assert ("Plan", plan_cell("TotalPayBill"), "schools-pay-bill-over-total") in located(result)


def test_an_opening_balance_without_last_years_funds_is_placed_in_march_with_a_warning(tmp_path):
    result = read_levy_plan(make(tmp_path, previous_year_funds=None))
    assert ("Plan", plan_cell("PreviousYearFunds"), "previous-year-funds-missing") in located(result)
    assert [(m.entered, m.amount) for m in result.opening if m.amount] == [(dt.date(2026, 3, 1), D("50000"))]


# --- schools ------------------------------------------------------------------------------------


def test_a_school_whose_staff_the_council_does_not_employ(tmp_path):
    schools = [*SCHOOL_ENTRIES[:1], SchoolEntry(100009, "Birch Academy", "Academy converter", 900_000, 30),
               SchoolEntry(100010, "St Anne's VA", "VA", 400_000, 10)]
    result = read_levy_plan(make(tmp_path, schools=schools))
    assert {("Schools", cell(SCHOOLS, "type", 2), "school-not-in-council-levy"),
            ("Schools", cell(SCHOOLS, "type", 3), "school-not-in-council-levy")} <= located(result)
    birch, anne = result.schools[1:]
    assert (birch.employer, birch.in_council_levy, birch.levy_share, birch.check) == (
        "Academy trust", False, 0, "Not in council levy")
    assert (anne.type, anne.employer) == ("Voluntary aided school", "Governing body")
    assert result.schools_pay_bill == D("1200000")


def test_every_establishment_type_is_offered_with_who_employs_the_staff(tmp_path):
    from lga_xl.reference import ESTABLISHMENT_TYPES

    schools = [SchoolEntry(100_000 + i, f"School {i}", name, 10_000, 1) for i, name in enumerate(ESTABLISHMENT_TYPES)]
    result = read_levy_plan(make(tmp_path, schools=schools, total_pay_bill=60_000_000, starts=[]))
    assert [(s.type, s.employer) for s in result.schools] == list(ESTABLISHMENT_TYPES.items())
    assert [s.in_council_levy for s in result.schools] == [e == "Council" for e in ESTABLISHMENT_TYPES.values()]


def test_a_school_type_typed_in_that_is_not_an_establishment_type(tmp_path):
    result = read_levy_plan(tamper(make(tmp_path), "Schools", {cell(SCHOOLS, "type"): "Community"}))
    [issue] = [i for i in result.issues if i.code == "unknown-school-type"]
    assert issue.cell == cell(SCHOOLS, "type") and "did you mean Community school" in issue.message
    assert result.schools[0].check == "Unknown school type" and result.schools[0].levy_share == 0


def test_duplicate_urn(tmp_path):
    schools = [*SCHOOL_ENTRIES, SchoolEntry(100001, "Ash Primary (again)", "Community", 10_000, 1)]
    result = read_levy_plan(make(tmp_path, schools=schools))
    assert ("Schools", cell(SCHOOLS, "urn", 4), "duplicate-urn") in located(result)
    assert [s.check for s in result.schools] == ["URN listed twice", "", "", "URN listed twice"]


# --- planned starts and transfers -----------------------------------------------------------------


@pytest.mark.parametrize(("start", "key", "code", "check"), [
    (StartEntry("ST0071", dt.date(2026, 9, 1), 12, D("4100.50")), "price", "price-above-cap",
     "Price above the funding band"),
    (StartEntry("ST0071", dt.date(2026, 9, 1), 7, 3500), "duration_months", "duration-too-short",
     "Shorter than the minimum"),
    (StartEntry("ST9999", dt.date(2026, 9, 1), 12, 3500), "standard", "unknown-standard", "Unknown standard"),
    (StartEntry("ST0072", dt.date(2026, 9, 1), 12, 3500), "standard", "standard-not-approved",
     "Standard not open for starts"),  # retired: its last start date was 31 July 2025
    (StartEntry("ST0005", dt.date(2025, 7, 1), 12, 3000), "start_date", "start-outside-standard-dates",
     "Starts before the plan"),  # version 2.0 can be started from 1 August 2025
    (StartEntry("ST0384", dt.date(2018, 5, 1), 12, 4000), "standard", "no-funding-band",
     "Starts before the plan"),  # its first dated band is from 1 August 2018
    (StartEntry("ST0071", dt.date(2026, 3, 31), 12, 3500), "start_date", "start-outside-plan",
     "Starts before the plan"),
    (StartEntry("ST0071", dt.date(2026, 9, 1), 12, 3500, urn=999999), "school", "unknown-school", "Unknown school"),
    (StartEntry("ST0071", None, 12, 3500), "start_date", "incomplete-row", "Incomplete row"),
    (StartEntry("ST0071", dt.date(2026, 9, 1), None, 3500), "duration_months", "incomplete-row", "Incomplete row"),
    (StartEntry(None, dt.date(2026, 9, 1), 12, 3500), "standard", "incomplete-row", "Incomplete row"),
])
def test_planned_start_problems(tmp_path, start, key, code, check):
    result = read_levy_plan(make(tmp_path, starts=[start, *START_ENTRIES[1:]]))
    assert ("Starts", cell(PLANNED_STARTS, key), code) in located(result)
    assert result.planned_starts[0].check in (check, "Outside the standard's start dates", "No funding band on the "
                                              "start date", "Standard not open for starts")


def test_a_start_after_the_plan_year_but_within_the_forecast_is_not_flagged(tmp_path):
    result = read_levy_plan(make(tmp_path, starts=[StartEntry("ST0071", dt.date(2028, 6, 1), 12, 3500)]))
    assert result.planned_starts[0].check == "" and "start-outside-plan" not in codes(result)
    assert sum(m.cost_of_training for m in result.forecast) == 12 * D("233.33")


def test_the_funding_band_is_the_one_in_force_on_the_start_date(tmp_path):
    result = read_levy_plan(make(tmp_path, starts=[StartEntry("ST0384", dt.date(2025, 7, 31), 15, 5000),
                                                   StartEntry("ST0384", dt.date(2025, 8, 1), 15, 5000)]))
    before, after = result.planned_starts
    assert (before.band_max, before.above_cap, after.band_max, after.above_cap) == (
        D("4500"), D("500.00"), D("5000"), D("0.00"))


def test_price_above_the_band_is_capped_for_the_levy(tmp_path):
    result = read_levy_plan(make(tmp_path, starts=[StartEntry("ST0071", dt.date(2026, 9, 1), 12, D("4100.50"))]))
    start = result.planned_starts[0]
    assert (start.band_max, start.above_cap) == (D("4000"), D("100.50"))
    assert start.in_year_cost == 6 * D("266.67")  # instalments of the capped 4,000
    issue = next(i for i in result.issues if i.code == "price-above-cap")
    assert issue.severity == "warning" and "100.50" in issue.message


def test_a_standard_added_on_the_standards_sheet_is_known(tmp_path):
    approved = sum(1 for s in sample_export(include_inactive=True) if s.approved)
    spare = STANDARDS.first_row + approved
    path = tamper(make(tmp_path, starts=[StartEntry("ST0999", dt.date(2026, 9, 1), 12, 6000)]), "Standards", {
        STANDARDS.cell("reference", spare): "ST0999", STANDARDS.cell("title", spare): "Our own standard",
        STANDARDS.cell("level", spare): 3, STANDARDS.cell("max_funding", spare): 6000,
        STANDARDS.cell("reference", spare + 1): "ST0998"})
    result = read_levy_plan(path)
    assert "unknown-standard" not in codes(result)
    assert ("Standards", STANDARDS.cell("max_funding", spare + 1), "incomplete-row") in located(result)
    start = result.planned_starts[0]
    assert (start.standard, start.title, start.level, start.band_max) == ("ST0999", "Our own standard", 3, D("6000"))


@pytest.mark.parametrize(("key", "typed", "code"), [
    ("price", "3,500", "typed-as-text"),
    ("price", "lots", "not-a-number"),
    ("price", -100, "negative-amount"),
    ("duration_months", "12", "typed-as-text"),
    ("duration_months", 12.5, "not-a-number"),
    ("start_date", "01/09/2026", "typed-as-text"),
    ("start_date", "2026-09-01", "typed-as-text"),
    ("start_date", "1 Sept 2026", "typed-as-text"),
    ("start_date", "soon", "bad-date"),
    ("start_date", dt.date(9999, 12, 1), "bad-date"),
])
def test_a_value_the_formulas_cannot_use_in_a_row_is_flagged_and_not_costed(tmp_path, key, typed, code):
    result = read_levy_plan(tamper(make(tmp_path), "Starts", {cell(PLANNED_STARTS, key): typed}))
    assert ("Starts", cell(PLANNED_STARTS, key), code) in located(result)
    assert result.planned_starts[0].check == "Check the date, duration and price"
    assert result.planned_starts[0].in_year_cost == 0


def test_a_start_date_typed_as_a_serial_number_is_a_date(tmp_path):
    result = read_levy_plan(tamper(make(tmp_path), "Starts", {cell(PLANNED_STARTS, "start_date"): 46280}))
    assert result.planned_starts[0].start_date == dt.date(2026, 9, 15)
    assert result.planned_starts[0].in_year_cost == D("1399.98") and "typed-as-text" not in codes(result)


def test_a_pay_bill_typed_as_text_in_the_schools_table(tmp_path):
    result = read_levy_plan(tamper(make(tmp_path), "Schools", {cell(SCHOOLS, "pay_bill"): "£1,200,000"}))
    assert ("Schools", cell(SCHOOLS, "pay_bill"), "typed-as-text") in located(result)
    assert result.schools[0].levy_share == 0 and result.schools_pay_bill == D("1100000")


def test_blank_rows_are_ignored_wherever_they_are(tmp_path):
    gap = tamper(make(tmp_path, "gap.xlsx"), "Starts", {cell(PLANNED_STARTS, key, 2): None
                                                         for key in PLANNED_STARTS.keys("input")})
    result = read_levy_plan(gap)
    first = PLANNED_STARTS.first_row
    assert [s.row for s in result.planned_starts] == [first, first + 2, first + 3]


def test_pledges_and_transfers_count_against_the_allowance_alike(tmp_path):
    transfers = [TransferEntry("Care Ltd", "ST0005", dt.date(2026, 9, 1), 12, 4500),
                 TransferEntry("Bus CIC", "ST0005", dt.date(2026, 9, 1), 12, 4500, "Pledge")]
    result = read_levy_plan(make(tmp_path, transfers=transfers))
    assert [t.type for t in result.transfers] == ["Transfer", "Pledge"]
    assert result.transfers[0].in_year_cost == result.transfers[1].in_year_cost == 6 * D("300.00")
    assert result.transfers_total == 5_000 + 2 * 1_800


def test_an_unknown_transfer_type_is_counted_as_a_transfer(tmp_path):
    result = read_levy_plan(tamper(make(tmp_path), "Transfers", {cell(TRANSFERS, "type"): "Grant"}))
    assert ("Transfers", cell(TRANSFERS, "type"), "unknown-transfer-type") in located(result)
    assert result.transfers[0].type == "Transfer"


def test_transfers_over_the_headroom_are_located_at_the_row_that_crosses_it(tmp_path):
    transfers = [TransferEntry(f"Employer {i}", "ST0005", dt.date(2026, 4, 1), 12, 3000) for i in range(4)]
    # Each costs 2,200 in the plan year (instalments of 200 from May to March): the third goes over 5,000.
    result = read_levy_plan(make(tmp_path, previous_year_funds=10_000, transfers_committed=0, transfers=transfers))
    assert result.transfer_allowance_statutory == D("5000.00")
    [issue] = [i for i in result.issues if i.code == "transfers-over-headroom"]
    assert (issue.sheet, issue.cell, issue.severity) == ("Transfers", cell(TRANSFERS, "price", 3), "error")
    assert result.over_committed == result.transfers_total - D("5000.00") and result.headroom_statutory == 0


def test_commitments_alone_over_the_headroom_point_at_the_input(tmp_path):
    result = read_levy_plan(make(tmp_path, previous_year_funds=10_000, transfers_committed=6_000))
    assert ("Plan", plan_cell("TransfersCommitted"), "transfers-over-headroom") in located(result)


# --- the expiring funds, the forecast ------------------------------------------------------------


def test_expiring_funds_replace_the_estimate_for_their_months(tmp_path):
    result = read_levy_plan(new_levy_plan(tmp_path / "x.xlsx", org_name="X", total_pay_bill=50_000_000,
                                          english_percent=1, previous_year_funds=258_000, opening_balance=400_000,
                                          expiring_funds={dt.date(2026, 6, 1): 50_000}))
    by_month = {m.entered: m for m in result.opening}
    assert (by_month[dt.date(2024, 6, 1)].known, by_month[dt.date(2024, 6, 1)].amount) == (50_000, 50_000)
    assert by_month[dt.date(2024, 11, 1)].estimate == D("6000.00")  # docs/levy.md, "Known expiring funds"
    expired = {m.month: m.expired for m in result.forecast if m.expired and m.month <= result.plan_end}
    assert expired[dt.date(2026, 6, 1)] == 50_000 and expired[dt.date(2026, 11, 1)] == 6_000
    assert result.expiring_funds_known[0].entered == dt.date(2024, 6, 1)


@pytest.mark.parametrize(("entries", "code", "check"), [
    ({dt.date(2026, 3, 1): 1_000}, "bad-expiring-month", "Expires before the plan starts"),
    ({dt.date(2028, 4, 1): 1_000}, "bad-expiring-month", "Entered after the plan starts"),
    ({dt.date(2026, 9, 1): 30_000, dt.date(2026, 10, 1): 30_000}, "expiring-funds-over-balance",
     "Total above the opening balance"),
    ({dt.date(2026, 9, 1): -5}, "negative-amount", "Check the month and amount"),
    ({"01/09/2026": 1_000}, "typed-as-text", "Check the month and amount"),
])
def test_expiring_funds_that_cannot_be(tmp_path, entries, code, check):
    result = read_levy_plan(make(tmp_path, expiring_funds=entries))
    assert code in codes(result) and result.expiring_funds_known[0].check == check
    issue = next(i for i in result.issues if i.code == code)
    assert (issue.sheet, issue.table) == ("Expiry", EXPIRING_FUNDS.name)
    assert all(m.known == 0 for m in result.opening)  # the workbook leaves them out


def test_expiring_funds_are_a_warning_at_the_first_month(tmp_path):
    result = read_levy_plan(make(tmp_path))
    [issue] = [i for i in result.issues if i.code == "funds-expiring"]
    row = next(m.row for m in result.forecast if m.month == result.first_expiry_month)
    assert (issue.sheet, issue.cell, issue.severity) == ("Forecast", FORECAST.cell("expired", row), "warning")
    # The 24-month funds (the opening balance and April to July 2026) take the spending first, so
    # August 2026's funds, the first with a 12-month expiry and no top-up, are the first to go.
    assert (result.first_expiry_month, result.first_expiry_amount) == (dt.date(2027, 8, 1), D("19289.58"))
    assert result.expiring_funds == sum(m.expired for m in result.forecast)


def test_funds_running_short_are_co_invested_with_a_warning(tmp_path):
    starts = [StartEntry("ST0510", dt.date(2026, 4, 1), 36, 24000), StartEntry("ST0510", dt.date(2026, 9, 1), 36,
                                                                                24000)]
    result = read_levy_plan(make(tmp_path, total_pay_bill=4_000_000, opening_balance=0, starts=starts, transfers=[]))
    [issue] = [i for i in result.issues if i.code == "funds-run-short"]
    first = next(m for m in result.forecast if m.short)
    assert (issue.sheet, issue.cell) == ("Forecast", FORECAST.cell("short", first.row))
    assert result.first_shortfall_month == first.month and all(m.balance >= 0 for m in result.forecast)
    assert result.employer_contribution + result.government_contribution == sum(
        m.shortfall for m in result.forecast if m.month <= result.plan_end) > 0


# --- formulas typed over (needs LibreOffice for cached values) --------------------------------


@pytest.mark.libreoffice
def test_a_formula_typed_over_is_a_cached_value_mismatch(tmp_path, libreoffice):
    recalculated = libreoffice([make(tmp_path)])[tmp_path / "plan.xlsx"]
    assert "cached-value-mismatch" not in codes(read_levy_plan(recalculated))
    values = openpyxl.load_workbook(recalculated, data_only=True)  # every formula becomes its value
    values["Plan"][plan_cell("AnnualLevy")] = 1.23
    values["Plan"][plan_cell("EnglishPercentUsed")] = 0.5
    values["Schools"][cell(SCHOOLS, "levy_share")] = 999
    values["Starts"][cell(PLANNED_STARTS, "check")] = "OK"
    values["Forecast"][cell(FORECAST, "balance", 9)] = 0
    values.save(tmp_path / "typed_over.xlsx")
    result = read_levy_plan(tmp_path / "typed_over.xlsx")
    assert {(i.sheet, i.cell) for i in result.issues if i.code == "cached-value-mismatch"} == {
        ("Plan", plan_cell("AnnualLevy")), ("Plan", plan_cell("EnglishPercentUsed")),
        ("Schools", cell(SCHOOLS, "levy_share")), ("Starts", cell(PLANNED_STARTS, "check")),
        ("Forecast", cell(FORECAST, "balance", 9))}
    assert result.annual_levy == D("235000.00")  # recomputed from the inputs, never taken from the cell


# --- files that are not levy plans ------------------------------------------------------------


def test_deleted_table_and_renamed_column_are_refused(tmp_path):
    wb = openpyxl.load_workbook(make(tmp_path, "a.xlsx"))
    del wb["Transfers"].tables["Transfers"]
    wb.save(tmp_path / "a.xlsx")
    assert fatal(tmp_path / "a.xlsx").code == "missing-table"
    wb = openpyxl.load_workbook(make(tmp_path, "b.xlsx"))
    price = PLANNED_STARTS.index("price")
    wb["Starts"][PLANNED_STARTS.cell("price", PLANNED_STARTS.header_row)] = "Cost"
    wb["Starts"].tables["PlannedStarts"].tableColumns[price].name = "Cost"
    wb.save(tmp_path / "b.xlsx")
    issue = fatal(tmp_path / "b.xlsx")
    assert issue.code == "missing-column" and "Price" in issue.message


def test_a_self_assessment_is_not_a_levy_plan(tmp_path):
    assert fatal(new_self_assessment(tmp_path / "sa.xlsx", org_name="Exampleshire")).code == "wrong-kind"


def test_macros_are_flagged(tmp_path):
    with_macros = tmp_path / "plan.xlsm"
    shutil.copy(make(tmp_path), with_macros)
    with zipfile.ZipFile(with_macros, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"Sub Auto_Open()\nEnd Sub\n")
    assert "has-macros" in codes(read_levy_plan(with_macros))


def test_read_workbook_and_validate_recognise_a_levy_plan(tmp_path):
    path = make(tmp_path)
    assert read_workbook(path).kind == "levy-plan"
    assert {i.code for i in validate(path)} == {"funds-expiring"}


# --- a plan made by lga_xl 0.1.0 (template 1.0) -----------------------------------------------


def test_a_0_1_0_plan_reads_with_template_1_0s_meaning():
    plan = read_levy_plan(RELEASE_0_1_0 / "levy_plan.xlsx")
    assert plan.template_version == "1.0" and len(plan.forecast) == 36
    assert plan.english_percent == 100  # typed as 100 in 1.0: 100%
    assert (plan.levy_allowance, plan.pay_bill_growth) == (15_000, 0)  # what 1.0 assumed
    assert plan.employer_contribution is plan.government_contribution is plan.years is plan.opening is None
    assert all(t.type == "Transfer" for t in plan.transfers) and plan.forecast[0].cost_of_training is None
    first = next(m for m in plan.forecast if m.expired)
    assert (plan.first_expiry_month, plan.first_expiry_amount) == (first.month, first.expired)
    assert plan.expiring_funds_plan_year == sum(m.expired for m in plan.forecast if m.month <= plan.plan_end)


def test_cli_reads_a_0_1_0_plan(tmp_path):
    result = CliRunner().invoke(main, ["read", str(RELEASE_0_1_0 / "levy_plan.xlsx")])
    assert result.exit_code == 0, result.output
    assert "Ashford City Council, levy plan 2026-27" in result.output and "412,275.89" in result.output
    data = json.loads(CliRunner().invoke(main, ["read", "--json", str(RELEASE_0_1_0 / "levy_plan.xlsx")]).output)
    assert data["template_version"] == "1.0" and data["expiring_funds"] == 412275.89


# --- the command line -------------------------------------------------------------------------


def test_cli_validate_exit_codes(tmp_path):
    good = make(tmp_path, "good.xlsx")
    bad = make(tmp_path, "bad.xlsx", english_percent=150)
    unreadable = tmp_path / "empty.xlsx"
    unreadable.write_bytes(b"")
    runner = CliRunner()
    result = runner.invoke(main, ["validate", str(good)])
    assert result.exit_code == 0 and "[funds-expiring]" in result.output
    result = runner.invoke(main, ["validate", str(good), str(bad)])
    where = f"Plan!{plan_cell('EnglishPercent')}"
    assert result.exit_code == 1 and where in result.output and "[english-percent-out-of-range]" in result.output
    assert runner.invoke(main, ["validate", str(good), str(bad), str(unreadable)]).exit_code == 1
    (line,) = runner.invoke(main, ["validate", "--json", str(bad)]).output.splitlines()
    assert any({"sheet": "Plan", "cell": plan_cell("EnglishPercent"), "code": "english-percent-out-of-range"}.items()
               <= issue.items() for issue in json.loads(line)["issues"])


def test_cli_read_json_is_the_model(tmp_path):
    path = make(tmp_path)
    result = CliRunner().invoke(main, ["read", "--json", str(path)])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data == read_levy_plan(path).model_dump(mode="json")
    assert data["kind"] == "levy-plan" and data["headroom_statutory"] == 94000.0


def test_cli_read_describes_the_plan(tmp_path):
    result = CliRunner().invoke(main, ["read", str(make(tmp_path))])
    assert result.exit_code == 0
    for text in ("Exampleshire County Council, levy plan 2026-27", "Annual levy", "235,000.00",
                 "Transfer headroom at 10%", "14,000.00", "Transfer headroom at 50%", "94,000.00  (statutory rate)",
                 "Schools levy share", "Expiring funds", "first August 2027"):
        assert text in result.output, text
    bad = CliRunner().invoke(main, ["read", str(make(tmp_path, "bad.xlsx", english_percent=150))])
    assert bad.exit_code == 1 and "english-percent-out-of-range" in bad.output
