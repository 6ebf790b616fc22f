"""Reading returned levy plans: recomputed figures and every issue, with its sheet and cell."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from click.testing import CliRunner

from lga_xl.cli import main
from lga_xl.contracts.levy_plan import CONTRACT
from lga_xl.contracts.levy_plan import FORECAST as FORECAST_TABLE
from lga_xl.contracts.levy_plan import PLANNED_STARTS as STARTS_TABLE
from lga_xl.contracts.levy_plan import SCHOOLS as SCHOOLS_TABLE
from lga_xl.contracts.levy_plan import STANDARDS as STANDARDS_TABLE
from lga_xl.contracts.levy_plan import TRANSFERS as TRANSFERS_TABLE
from lga_xl.issues import WorkbookError
from lga_xl.readers import read_workbook, validate
from lga_xl.readers.levy_plan import read_levy_plan
from lga_xl.writers.levy_plan import SchoolEntry, StartEntry, TransferEntry, new_levy_plan
from lga_xl.writers.self_assessment import new_self_assessment

D = Decimal
SCHOOLS = [
    SchoolEntry(100001, "Ash Primary School", "Community", 1_200_000, 40),
    SchoolEntry(100002, "Elm CE Primary School", "Voluntary controlled", 800_000, 25),
    SchoolEntry(100003, "Oak Nursery School", "Maintained nursery", 300_000, 12),
]
STARTS = [
    StartEntry("ST0072", dt.date(2026, 9, 15), 12, 3500),  # the council's own staff: row 6
    StartEntry("ST0454", dt.date(2026, 5, 1), 18, 7000, urn=100001),  # row 7
    StartEntry("ST0575", dt.date(2026, 11, 1), 24, 9000, urn=100002),  # row 8
    StartEntry("ST0888", dt.date(2027, 2, 1), 12, 4000, urn=100003),  # row 9
]
TRANSFERS = [TransferEntry("Northwick Care Ltd", "ST0005", dt.date(2026, 10, 1), 12, 3000)]


def plan_cell(name):
    """The cell of a named input, as the contract places it."""
    return CONTRACT.address(name)[1]


def cell(table, key, row):
    """The cell of a table column on its ``row``-th data row (1-based)."""
    return table.cell(key, table.first_row + row - 1)


def start_cell(key, row=1):
    return cell(STARTS_TABLE, key, row)


def school_cell(key, row=1):
    return cell(SCHOOLS_TABLE, key, row)


def make(tmp_path, name="plan.xlsx", **overrides):
    options = dict(org_name="Exampleshire County Council", region="East of England", tax_year="2026-27",
                   total_pay_bill=50_000_000, english_percent=D("98.5"), headcount=1200, previous_year_funds=200_000,
                   opening_balance=50_000, transfers_committed=5_000, schools=SCHOOLS, starts=STARTS,
                   transfers=TRANSFERS)
    options.update(overrides)
    return new_levy_plan(tmp_path / name, **options)


def tamper(path, change):
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)
    return path


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
    assert codes(plan) == {"funds-expiring"}
    assert not plan.has_errors
    assert (plan.kind, plan.organisation, plan.region, plan.tax_year) == (
        "levy-plan", "Exampleshire County Council", "East of England", "2026-27")
    assert (plan.plan_start, plan.plan_end) == (dt.date(2026, 4, 1), dt.date(2027, 3, 31))


def test_figures_worked_out_by_hand(tmp_path):
    plan = read_levy_plan(make(tmp_path))
    assert plan.annual_levy == D("235000.00")  # 0.5% of 50m less 15,000
    assert plan.monthly_levy == D("19583.33")
    assert plan.monthly_english_levy == D("19289.58")  # 19,583.33 x 98.5% = 19,289.58005
    assert plan.monthly_top_up == D("1928.96")
    assert plan.funds_in == 4 * (D("19289.58") + D("1928.96")) + 8 * D("19289.58")  # top-up April to July only
    assert plan.public_sector_target_starts == 28  # 2.3% of 1,200 = 27.6
    assert plan.statutory_transfer_rate == D("0.50")
    assert (plan.transfer_allowance_10, plan.transfer_allowance_25, plan.transfer_allowance_statutory) == (
        D("20000.00"), D("50000.00"), D("100000.00"))
    # ST0005 at 3,000 over 12 months from October: instalments of 200.00 from November, 5 in the plan year.
    assert plan.transfers[0].in_year_cost == D("1000.00")
    assert plan.transfers_total == D("6000.00")
    assert (plan.headroom_10, plan.headroom_25, plan.headroom_statutory) == (
        D("14000.00"), D("44000.00"), D("94000.00"))
    # ST0072 at 3,500 over 12 months from 15 September: 233.33 a month October to March.
    council = plan.planned_starts[0]
    assert (council.urn, council.title, council.level, council.band_max, council.in_year_cost) == (
        None, "Customer service practitioner", 2, D("3500"), D("1399.98"))
    ash = plan.schools[0]
    assert ash.levy_share == D("5640.00")  # 235,000 x 1.2m / 50m
    assert ash.planned_spend == plan.planned_starts[1].in_year_cost == 10 * D("311.11")  # June to March
    assert ash.balance == ash.levy_share - ash.planned_spend
    assert plan.schools_levy_share == sum(s.levy_share for s in plan.schools)
    assert plan.planned_starts_in_year == 4
    assert plan.forecast[0].balance == D("50000") + D("21218.54")
    assert plan.lowest_balance > 0 and plan.shortfall_months == 0


def test_json_dump_round_trips(tmp_path):
    plan = read_levy_plan(make(tmp_path))
    data = plan.model_dump(mode="json")
    assert data["kind"] == "levy-plan" and data["annual_levy"] == 235000.0
    assert data["forecast"][0]["month"] == "2026-04-01"
    assert type(plan).model_validate(data) == plan


# --- issues in the inputs ---------------------------------------------------------------------


@pytest.mark.parametrize(("cell", "value", "code"), [
    (plan_cell("TotalPayBill"), "lots", "not-a-number"),
    (plan_cell("TotalPayBill"), "£50,000,000", "number-as-text"),
    (plan_cell("PreviousYearFunds"), -5, "negative-amount"),
    (plan_cell("OpeningBalance"), -0.01, "negative-amount"),
    (plan_cell("TransfersCommitted"), "n/a", "not-a-number"),
    (plan_cell("EnglishPercent"), 120, "english-percent-out-of-range"),
    (plan_cell("EnglishPercent"), -1, "english-percent-out-of-range"),
    (plan_cell("Headcount"), 10.5, "not-a-number"),
    (plan_cell("Region"), "Wessex", "unknown-region"),
    (plan_cell("TotalPayBill"), None, "missing-input"),
    (plan_cell("EnglishPercent"), None, "missing-input"),
    (plan_cell("OrgName"), None, "missing-org-name"),
    (plan_cell("TaxYear"), "2026/28", "bad-tax-year"),
    (plan_cell("PlanStart"), dt.date(2026, 5, 1), "bad-tax-year"),
    (plan_cell("PlanStart"), dt.date(2017, 4, 1), "bad-tax-year"),
])
def test_input_problems_are_located(tmp_path, cell, value, code):
    result = read_levy_plan(tamper(make(tmp_path), lambda wb: wb["Plan"].__setitem__(cell, value)))
    assert ("Plan", cell, code) in located(result)


def test_a_bad_input_counts_as_zero(tmp_path):
    result = read_levy_plan(tamper(make(tmp_path), lambda wb: wb["Plan"].__setitem__(plan_cell("EnglishPercent"), 120)))
    assert result.english_percent is None and result.funds_in == 0


def test_a_number_typed_as_text_is_read(tmp_path):
    result = read_levy_plan(tamper(make(tmp_path), lambda wb: wb["Plan"].__setitem__(plan_cell("TotalPayBill"), "£50,000,000")))
    assert result.annual_levy == D("235000.00")


def test_tax_year_and_plan_start_that_disagree(tmp_path):
    result = read_levy_plan(tamper(make(tmp_path), lambda wb: wb["Plan"].__setitem__(plan_cell("TaxYear"), "2027-28")))
    assert ("Plan", plan_cell("TaxYear"), "bad-tax-year") in located(result)
    assert result.tax_year == "2026-27"  # the formulas use PlanStart, and so does the reader


def test_no_usable_tax_year_at_all_is_refused(tmp_path):
    def clear(wb):
        wb["Plan"][plan_cell("TaxYear")] = None
        wb["Plan"][plan_cell("PlanStart")] = None

    issue = fatal(tamper(make(tmp_path), clear))
    assert (issue.code, issue.sheet, issue.cell) == ("bad-tax-year", "Plan", plan_cell("PlanStart"))


def test_schools_pay_bill_over_the_whole_councils(tmp_path):
    result = read_levy_plan(make(tmp_path, total_pay_bill=2_000_000))
    assert ("Plan", plan_cell("TotalPayBill"), "schools-pay-bill-over-total") in located(result)


# --- issues in the tables ---------------------------------------------------------------------


def test_school_outside_the_councils_levy(tmp_path):
    schools = [*SCHOOLS[:1], SchoolEntry(100009, "Birch Academy", "Academy", 900_000, 30)]
    result = read_levy_plan(make(tmp_path, schools=schools))
    assert ("Schools", school_cell("type", 2), "school-not-in-council-levy") in located(result)
    birch = result.schools[1]
    assert (birch.in_council_levy, birch.levy_share, birch.check) == (False, 0, "Not in council levy")
    assert result.schools_pay_bill == D("1200000")


def test_unknown_school_type_typed_in(tmp_path):
    result = read_levy_plan(tamper(make(tmp_path), lambda wb: wb["Schools"].__setitem__(school_cell("type"), "Grammar")))
    assert ("Schools", school_cell("type"), "school-not-in-council-levy") in located(result)


def test_duplicate_urn(tmp_path):
    schools = [*SCHOOLS, SchoolEntry(100001, "Ash Primary (again)", "Community", 10_000, 1)]
    result = read_levy_plan(make(tmp_path, schools=schools))
    assert ("Schools", school_cell("urn", 4), "duplicate-urn") in located(result)
    assert [s.check for s in result.schools] == ["URN listed twice", "", "", "URN listed twice"]


@pytest.mark.parametrize(("start", "cell", "code", "check"), [
    (StartEntry("ST0072", dt.date(2026, 9, 1), 12, D("3600.50")), start_cell("price"), "price-above-cap",
     "Price above the funding band"),
    (StartEntry("ST0072", dt.date(2026, 9, 1), 7, 3500), start_cell("duration_months"), "duration-too-short", "Shorter than the minimum"),
    (StartEntry("ST0072", dt.date(2025, 7, 1), 11, 3500), start_cell("duration_months"), "duration-too-short", "Shorter than the minimum"),
    (StartEntry("ST9999", dt.date(2026, 9, 1), 12, 3500), start_cell("standard"), "unknown-standard", "Unknown standard"),
    (StartEntry("ST0072", dt.date(2027, 4, 1), 12, 3500), start_cell("start_date"), "start-outside-plan", "Starts outside the plan year"),
    (StartEntry("ST0072", dt.date(2026, 3, 31), 12, 3500), start_cell("start_date"), "start-outside-plan", "Starts outside the plan year"),
    (StartEntry("ST0072", dt.date(2026, 9, 1), 12, 3500, urn=999999), start_cell("urn"), "unknown-school", "Unknown school"),
    (StartEntry("ST0072", None, 12, 3500), start_cell("start_date"), "incomplete-row", "Incomplete row"),
    (StartEntry("ST0072", dt.date(2026, 9, 1), None, 3500), start_cell("duration_months"), "incomplete-row", "Incomplete row"),
    (StartEntry(None, dt.date(2026, 9, 1), 12, 3500), start_cell("standard"), "incomplete-row", "Incomplete row"),
])
def test_planned_start_problems(tmp_path, start, cell, code, check):
    result = read_levy_plan(make(tmp_path, starts=[start, *STARTS[1:]]))
    assert ("Starts", cell, code) in located(result)
    assert result.planned_starts[0].check == check


def test_price_above_the_band_is_capped_for_the_levy(tmp_path):
    result = read_levy_plan(make(tmp_path, starts=[StartEntry("ST0072", dt.date(2026, 9, 1), 12, D("3600.50"))]))
    start = result.planned_starts[0]
    assert (start.band_max, start.above_cap) == (D("3500"), D("100.50"))
    assert start.in_year_cost == 6 * D("233.33")  # instalments of the capped 3,500
    issue = next(i for i in result.issues if i.code == "price-above-cap")
    assert issue.severity == "warning" and "100.50" in issue.message


def test_a_standard_added_on_the_standards_sheet_is_known(tmp_path):
    def add(wb):
        ws = wb["Standards"]
        row = STANDARDS_TABLE.first_row + 28  # the first spare row below the sample's 28 standards
        for key, value in (("reference", "ST0999"), ("title", "Our own standard"), ("level", 3), ("max_funding", 6000)):
            ws[STANDARDS_TABLE.cell(key, row)] = value
        ws[STANDARDS_TABLE.cell("reference", row + 1)] = "ST0998"  # no band

    path = tamper(make(tmp_path, starts=[StartEntry("ST0999", dt.date(2026, 9, 1), 12, 6000)]), add)
    result = read_levy_plan(path)
    assert "unknown-standard" not in codes(result)
    assert ("Standards", cell(STANDARDS_TABLE, "max_funding", 30), "incomplete-row") in located(result)
    start = result.planned_starts[0]
    assert (start.title, start.level, start.band_max) == ("Our own standard", 3, D("6000"))


def test_a_number_typed_as_text_in_a_row_is_read_with_a_warning(tmp_path):
    result = read_levy_plan(tamper(make(tmp_path), lambda wb: wb["Starts"].__setitem__(start_cell("price"), "3,500")))
    assert ("Starts", start_cell("price"), "number-as-text") in located(result)
    assert result.planned_starts[0].in_year_cost == D("1399.98")


def test_bad_values_in_a_row(tmp_path):
    def spoil(wb):
        wb["Starts"][start_cell("start_date")] = "soon"
        wb["Starts"][start_cell("duration_months", 2)] = 12.5
        wb["Starts"][start_cell("price", 3)] = -100
        wb["Schools"][school_cell("pay_bill")] = "a lot"

    result = read_levy_plan(tamper(make(tmp_path), spoil))
    assert {("Starts", start_cell("start_date"), "bad-date"), ("Starts", start_cell("duration_months", 2), "not-a-number"), ("Starts", start_cell("price", 3), "negative-amount"),
            ("Schools", school_cell("pay_bill"), "not-a-number")} <= located(result)
    assert [s.check for s in result.planned_starts[:3]] == ["Check the date, duration and price"] * 3
    assert result.planned_starts[0].in_year_cost == 0


def test_implausible_dates_and_durations_are_refused_not_computed(tmp_path):
    def spoil(wb):
        wb["Starts"][start_cell("start_date")] = dt.date(9999, 12, 1)
        wb["Starts"][start_cell("duration_months", 2)] = 10**9
        wb["Transfers"][cell(TRANSFERS_TABLE, "start_date", 1)] = dt.date(1901, 1, 1)

    result = read_levy_plan(tamper(make(tmp_path), spoil))
    assert {("Starts", start_cell("start_date"), "bad-date"), ("Starts", start_cell("duration_months", 2), "not-a-number"), ("Transfers", cell(TRANSFERS_TABLE, "start_date", 1), "bad-date")} <= \
        located(result)
    assert result.planned_starts[0].in_year_cost == result.planned_starts[1].in_year_cost == 0


def test_partly_filled_school_and_transfer_rows(tmp_path):
    result = read_levy_plan(make(tmp_path, schools=[SchoolEntry(100001, "Ash", "Community", None, 4)],
                                 transfers=[TransferEntry(None, "ST0005", dt.date(2026, 10, 1), 12, 3000)]))
    assert {("Schools", school_cell("pay_bill"), "incomplete-row"), ("Transfers", cell(TRANSFERS_TABLE, "recipient", 1), "incomplete-row")} <= located(result)


def test_blank_rows_are_ignored_wherever_they_are(tmp_path):
    def gap(wb):
        for col in range(1, 8):
            wb["Starts"].cell(row=7, column=col).value = None

    result = read_levy_plan(tamper(make(tmp_path), gap))
    assert [s.row for s in result.planned_starts] == [6, 8, 9]


def test_transfers_over_the_headroom_are_located_at_the_row_that_crosses_it(tmp_path):
    transfers = [TransferEntry(f"Employer {i}", "ST0005", dt.date(2026, 4, 1), 12, 3000) for i in range(4)]
    # Each costs 2,200 in the plan year (instalments of 200 from May to March): the third goes over 5,000.
    result = read_levy_plan(make(tmp_path, previous_year_funds=10_000, transfers_committed=0, transfers=transfers))
    assert result.transfer_allowance_statutory == D("5000.00")
    assert [t.in_year_cost for t in result.transfers] == [D("2200.00")] * 4
    [issue] = [i for i in result.issues if i.code == "transfers-over-headroom"]
    assert (issue.sheet, issue.cell, issue.severity) == ("Transfers", cell(TRANSFERS_TABLE, "price", 3), "error")
    assert result.over_committed == result.transfers_total - D("5000.00")
    assert result.headroom_statutory == 0


def test_commitments_alone_over_the_headroom_point_at_the_input(tmp_path):
    result = read_levy_plan(make(tmp_path, previous_year_funds=10_000, transfers_committed=6_000))
    assert ("Plan", plan_cell("TransfersCommitted"), "transfers-over-headroom") in located(result)


def test_expiring_funds_are_a_warning_at_the_first_month(tmp_path):
    result = read_levy_plan(make(tmp_path))
    [issue] = [i for i in result.issues if i.code == "funds-expiring"]
    first = result.first_expiry_month
    row = next(m.row for m in result.forecast if m.month == first)
    assert (issue.sheet, issue.cell, issue.severity) == ("Forecast", f"E{row}", "warning")
    # The 24-month funds (the opening balance and April to July 2026) take the spending first, so
    # August 2026's funds, the first with a 12-month expiry, are the first to go.
    assert first == dt.date(2027, 8, 1)
    assert result.expiring_funds == sum(m.expired for m in result.forecast)


def test_no_expiry_when_the_plan_spends_everything(tmp_path):
    result = read_levy_plan(make(tmp_path, total_pay_bill=3_200_000, opening_balance=0, transfers=[]))
    assert "funds-expiring" not in codes(result)
    assert result.first_expiry_month is None and result.shortfall_months > 0  # more planned than the levy brings


# --- formulas typed over (needs LibreOffice for cached values) --------------------------------


@pytest.mark.libreoffice
def test_a_formula_typed_over_is_a_cached_value_mismatch(tmp_path, libreoffice):
    recalculated = libreoffice([make(tmp_path)])[tmp_path / "plan.xlsx"]
    assert "cached-value-mismatch" not in codes(read_levy_plan(recalculated))
    values = openpyxl.load_workbook(recalculated, data_only=True)  # every formula becomes its value

    def overwrite(wb):
        wb["Plan"][plan_cell("AnnualLevy")] = 1.23
        wb["Schools"][school_cell("levy_share")] = 999  # Ash's levy share
        wb["Starts"][start_cell("check")] = "OK"  # a Check
        wb["Forecast"][cell(FORECAST_TABLE, "balance", 9)] = 0

    overwrite(values)
    typed_over = tmp_path / "typed_over.xlsx"
    values.save(typed_over)
    result = read_levy_plan(typed_over)
    assert {(i.sheet, i.cell) for i in result.issues if i.code == "cached-value-mismatch"} == {
        ("Plan", plan_cell("AnnualLevy")), ("Schools", school_cell("levy_share")), ("Starts", start_cell("check")),
        ("Forecast", cell(FORECAST_TABLE, "balance", 9))}
    assert result.annual_levy == D("235000.00")  # recomputed from the inputs, never taken from the cell


# --- files that are not levy plans ------------------------------------------------------------


def test_deleted_table_and_renamed_column_are_refused(tmp_path):
    def drop(wb):
        del wb["Transfers"].tables["Transfers"]

    assert fatal(tamper(make(tmp_path, "a.xlsx"), drop)).code == "missing-table"

    def rename(wb):
        wb["Starts"][start_cell("price", 0)] = "Cost"
        wb["Starts"].tables["PlannedStarts"].tableColumns[6].name = "Cost"

    issue = fatal(tamper(make(tmp_path, "b.xlsx"), rename))
    assert issue.code == "missing-column" and "Price" in issue.message


def test_a_self_assessment_is_not_a_levy_plan(tmp_path):
    path = new_self_assessment(tmp_path / "sa.xlsx", org_name="Exampleshire")
    assert fatal(path).code == "wrong-kind"


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
    assert result.exit_code == 1 and "Plan!B11" in result.output and "[english-percent-out-of-range]" in result.output
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
