"""The levy plan workbook's contract: names, tables, validations, protection, the committed template.

Other tools and the reader rely on these exact names and columns; the
formulas themselves are proven against Python in test_levy_plan_libreoffice.py.
"""

from __future__ import annotations

import datetime as dt
import random
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from lga_xl.cli import main
from lga_xl.readers.levy_plan import read_levy_plan
from lga_xl.reference import COUNCIL_SCHOOL_TYPES, SCHOOL_TYPES
from lga_xl.standards import sample_standards
from lga_xl.writers.levy_plan import (
    SchoolEntry,
    SchoolsCsvError,
    StartEntry,
    load_schools_csv,
    new_levy_plan,
    sample_levy_plan,
)
from tests.support.xlsx_checklist import check_xlsx
from tests.support.xlsx_compare import xlsx_differences

REPO = Path(__file__).resolve().parents[1]
TEMPLATE = REPO / "workbooks" / "schools_levy_plan.xlsx"
INPUT_SHEETS = ("Plan", "Schools", "Starts", "Transfers", "Standards")

INPUT_NAMES = ("OrgName", "Region", "TaxYear", "PlanStart", "PlanEnd", "TotalPayBill", "EnglishPercent", "Headcount",
               "PreviousYearFunds", "OpeningBalance", "TransfersCommitted")
PLAN_RESULT_NAMES = (
    "AnnualLevy", "MonthlyLevy", "MonthlyEnglishLevy", "MonthlyTopUp", "FundsIn", "PlannedSpend",
    "PlannedStartsInYear", "PublicSectorTargetStarts", "StatutoryTransferRate", "TransferAllowance10",
    "TransferAllowance25", "TransferAllowanceStatutory", "TransfersPlanned", "TransfersTotal", "Headroom10",
    "Headroom25", "HeadroomStatutory", "OverCommitted", "SchoolsPayBill", "SchoolsLevyShare", "SchoolsPlannedSpend",
)
FORECAST_NAMES = ("FundsExpiring", "ExpiryMonthCount", "FirstExpiryMonth", "LowestBalance", "ShortfallMonths")
TABLES = {
    # table: (sheet, columns in order, data rows in a blank plan)
    "Schools": ("Schools", ["URN", "School", "Type", "PayBill", "Headcount", "LevyShare", "PlannedSpend", "Balance",
                            "Check"], 60),
    "PlannedStarts": ("Starts", ["URN", "Standard", "Title", "Level", "StartDate", "DurationMonths", "Price",
                                 "BandMax", "AboveCap", "InYearCost", "Check", "Instalment", "CompletionPayment",
                                 "FirstPaymentMonth", "LastInstalmentMonth"], 150),
    "Transfers": ("Transfers", ["Recipient", "Standard", "StartDate", "DurationMonths", "Price", "InYearCost",
                                "Title", "Level", "BandMax", "AboveCap", "Check", "Instalment", "CompletionPayment",
                                "FirstPaymentMonth", "LastInstalmentMonth"], 20),
    "Forecast": ("Forecast", ["Month", "FundsIn", "Spending", "TransfersOut", "Expired", "Balance", "Shortfall",
                              "ExpiredSoFar"], 36),
    "Cohorts": ("Expiry", ["Entered", "Amount", "Expires", "SpentByExpiry", "UsedByEarlier", "Used", "Expiring"], 37),
    "Standards": ("Standards", ["Reference", "Title", "Level", "MaxFunding", "TypicalDurationMonths"],
                  len(sample_standards()) + 30),
}


@pytest.fixture(scope="module")
def blank(tmp_path_factory) -> Path:
    return new_levy_plan(tmp_path_factory.mktemp("plan") / "blank.xlsx")


@pytest.fixture(scope="module")
def book(blank):
    return openpyxl.load_workbook(blank)


def destination(book, name: str) -> tuple[str, str]:
    sheet, ref = next(book.defined_names[name].destinations)
    return sheet, ref.replace("$", "")


def table(book, name: str):
    for ws in book.worksheets:
        if name in ws.tables:
            return ws, ws.tables[name]
    raise AssertionError(f"no table {name}")


def validation_for(ws, cell: str):
    matches = [dv for dv in ws.data_validations.dataValidation if cell in dv.sqref]
    assert len(matches) == 1, f"{ws.title}!{cell}: {len(matches)} validations"
    return matches[0]


# --- names, sheets, tables --------------------------------------------------------------------


def test_sheets_in_order_with_lists_and_metadata_hidden(book):
    assert book.sheetnames == ["Instructions", "Plan", "Schools", "Starts", "Transfers", "Forecast", "Expiry",
                               "Standards", "Lists", "lga_xl"]
    assert [ws.title for ws in book.worksheets if ws.sheet_state == "hidden"] == ["Lists", "lga_xl"]
    assert book.active.title == "Plan"


@pytest.mark.parametrize("name", INPUT_NAMES + PLAN_RESULT_NAMES)
def test_plan_names_point_at_single_cells_on_the_plan_sheet(book, name):
    sheet, ref = destination(book, name)
    assert sheet == "Plan" and ":" not in ref


@pytest.mark.parametrize("name", FORECAST_NAMES)
def test_expiry_figures_are_at_the_top_of_the_forecast(book, name):
    sheet, ref = destination(book, name)
    assert sheet == "Forecast" and int(ref[1:]) < 10


def test_list_names_point_at_their_ranges(book):
    assert destination(book, "StandardList") == ("Standards", f"A5:A{4 + TABLES['Standards'][2]}")
    assert destination(book, "SchoolURNList") == ("Schools", "A6:A65")
    lists = book["Lists"]
    for name, values in (("SchoolTypeList", SCHOOL_TYPES), ("CouncilSchoolTypeList", COUNCIL_SCHOOL_TYPES)):
        sheet, ref = destination(book, name)
        assert sheet == "Lists"
        assert tuple(cell.value for (cell,) in lists[ref]) == values


@pytest.mark.parametrize("name", list(TABLES))
def test_tables_have_their_columns_in_order(book, name):
    sheet, columns, rows = TABLES[name]
    ws, found = table(book, name)
    assert ws.title == sheet
    assert [column.name for column in found.tableColumns] == columns
    first, last = openpyxl.utils.cell.range_boundaries(found.ref)[1::2]
    assert last - first == rows
    assert [ws.cell(row=first, column=col).value for col in range(1, len(columns) + 1)] == columns


def test_formula_columns_give_blanks_and_zeros_on_blank_rows(blank):
    """A blank template reads with no cached-value warnings and no table rows."""
    plan = read_levy_plan(blank)
    assert plan.schools == plan.planned_starts == plan.transfers == []
    assert len(plan.forecast) == 36 and all(m.balance == 0 for m in plan.forecast)
    assert {i.code for i in plan.issues} == {"missing-org-name", "missing-input"}


def test_the_tax_year_is_a_locked_label_and_the_plan_start_a_date(book):
    ws = book["Plan"]
    assert ws[destination(book, "TaxYear")[1]].value == "2026-27"
    assert ws[destination(book, "PlanStart")[1]].value == dt.datetime(2026, 4, 1)
    for name in ("TaxYear", "PlanStart", "PlanEnd"):
        assert ws[destination(book, name)[1]].protection.locked


def test_metadata(book):
    meta = {row[0].value: row[1].value for row in book["lga_xl"].iter_rows()}
    assert meta["kind"] == "levy-plan"
    assert meta["template_version"] == "1.0"
    assert meta["tax_year"] == "2026-27"
    assert "sample" in meta["standards_source"]


def test_instructions_explain_the_modelling_decisions(book):
    text = " ".join(str(cell.value) for (cell,) in book["Instructions"].iter_rows(max_col=1) if cell.value)
    for phrase in ("(pay bill - 3,000,000) / 200", "a twelfth a month", "10% government top-up",
                   "1 August 2026", "April to March", "80% of the price", "funding band maximum",
                   "month before the plan starts", "oldest funds are used first", "below zero",
                   "co-investment", "transfers already committed outside this plan", "2.3% of headcount",
                   "Not in council levy", "new tax year needs a new workbook"):
        assert phrase in text, phrase


# --- validations and protection ---------------------------------------------------------------


@pytest.mark.parametrize(("sheet", "cell", "kind", "formula1"), [
    ("Plan", "B6", "list", "RegionList"),
    ("Schools", "C6", "list", "SchoolTypeList"),
    ("Schools", "C65", "list", "SchoolTypeList"),
    ("Starts", "A6", "list", "SchoolURNList"),
    ("Starts", "B155", "list", "StandardList"),
    ("Transfers", "B6", "list", "StandardList"),
    ("Starts", "E6", "date", "DATE(2000,1,1)"),
    ("Transfers", "C25", "date", "DATE(2000,1,1)"),
    ("Starts", "F6", "whole", "1"),
    ("Starts", "G6", "decimal", "0"),
    ("Plan", "B10", "decimal", "0"),
    ("Plan", "B11", "decimal", "0"),
    ("Plan", "B12", "whole", "0"),
    ("Schools", "D6", "decimal", "0"),
])
def test_inputs_are_validated_with_an_error_message(book, sheet, cell, kind, formula1):
    dv = validation_for(book[sheet], cell)
    assert (dv.type, dv.formula1) == (kind, formula1)
    assert dv.showErrorMessage and dv.errorTitle and dv.error
    assert not dv.showDropDown  # openpyxl's name for HIDING the arrow


def test_english_percentage_is_between_0_and_100(book):
    dv = validation_for(book["Plan"], destination(book, "EnglishPercent")[1])
    assert (dv.operator, dv.formula1, dv.formula2) == ("between", "0", "100")


def test_every_sheet_is_protected_and_only_inputs_are_unlocked(book):
    for ws in book.worksheets:
        assert ws.protection.sheet, ws.title
    plan = book["Plan"]
    unlocked = sorted(cell.coordinate for row in plan.iter_rows() for cell in row if not cell.protection.locked)
    inputs = [destination(book, name)[1] for name in INPUT_NAMES if name not in ("TaxYear", "PlanStart", "PlanEnd")]
    assert unlocked == sorted(inputs)
    starts = book["Starts"]
    assert [starts.cell(row=6, column=col).protection.locked for col in range(1, 16)] == \
        [False, False, True, True, False, False, False] + [True] * 8
    assert all(cell.protection.locked for row in book["Forecast"].iter_rows() for cell in row)


def test_chart_axes_are_drawn(book):
    [chart] = book["Forecast"]._charts
    assert chart.x_axis.delete is False and chart.y_axis.delete is False


def test_the_excel_checklist_holds(blank, tmp_path):
    assert check_xlsx(blank, input_sheets=INPUT_SHEETS) == []
    sample = sample_levy_plan(tmp_path / "sample.xlsx", org_name="Exampleshire County Council")
    assert check_xlsx(sample, input_sheets=INPUT_SHEETS) == []


def test_user_text_is_never_a_formula(tmp_path):
    path = new_levy_plan(tmp_path / "x.xlsx", org_name='=HYPERLINK("http://evil")',
                         schools=[SchoolEntry(100_001, "=1+1", "Community", 100)],
                         starts=[StartEntry("=ST0072", dt.date(2026, 9, 1), 12, 3500)])
    wb = openpyxl.load_workbook(path)
    for cell in (wb["Plan"]["B5"], wb["Schools"]["B6"], wb["Starts"]["B6"]):
        assert cell.data_type == "s" and cell.value.startswith("=")
    assert read_levy_plan(path).organisation == '=HYPERLINK("http://evil")'


# --- the committed template and determinism ---------------------------------------------------


def test_committed_template_matches_the_generator(tmp_path):
    fresh = new_levy_plan(tmp_path / "schools_levy_plan.xlsx", tax_year="2026-27")
    assert xlsx_differences(TEMPLATE, fresh) == []


def test_cli_writes_the_same_template(tmp_path):
    out = tmp_path / "schools_levy_plan.xlsx"
    result = CliRunner().invoke(main, ["new", "levy-plan", "--tax-year", "2026-27", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert xlsx_differences(TEMPLATE, out) == []


def test_sample_plans_are_valid_and_deterministic(tmp_path):
    first = sample_levy_plan(tmp_path / "a.xlsx", org_name="Exampleshire County Council", region="London", seed=4)
    again = sample_levy_plan(tmp_path / "b.xlsx", org_name="Exampleshire County Council", region="London", seed=4)
    other = sample_levy_plan(tmp_path / "c.xlsx", org_name="Exampleshire County Council", region="London", seed=5)
    assert xlsx_differences(first, again) == []
    assert xlsx_differences(first, other) != []
    plan = read_levy_plan(first)
    assert not plan.has_errors, [str(i) for i in plan.issues]
    assert plan.region == "London"
    assert len(plan.schools) == 12 and all(s.in_council_levy for s in plan.schools)
    assert 30 <= len(plan.planned_starts) <= 41 and len(plan.transfers) == 2
    starts = [s.start_date for s in plan.planned_starts]
    assert min(starts) < dt.date(2026, 8, 1) <= max(starts)
    assert plan.over_committed == 0 and plan.annual_levy > 0


def test_a_tax_year_is_checked(tmp_path):
    for label, message in (("2026/28", "does not follow"), ("next year", "not written like"),
                           ("2017-18", "from 2018-19 to 2098-99"), ("2099-00", "from 2018-19 to 2098-99")):
        with pytest.raises(ValueError, match=message):
            new_levy_plan(tmp_path / "x.xlsx", tax_year=label)
    result = CliRunner().invoke(main, ["new", "levy-plan", "--tax-year", "2026-28", "-o", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2 and "Invalid value for '--tax-year'" in result.output


def test_another_tax_year_moves_the_whole_plan(tmp_path):
    plan = read_levy_plan(new_levy_plan(tmp_path / "x.xlsx", tax_year="2027-28", total_pay_bill=10_000_000,
                                        english_percent=100))
    assert (plan.tax_year, plan.plan_start, plan.plan_end) == ("2027-28", dt.date(2027, 4, 1), dt.date(2028, 3, 31))
    assert plan.forecast[0].month == dt.date(2027, 4, 1) and plan.forecast[-1].month == dt.date(2030, 3, 1)
    assert all(m.funds_in == Decimal("2916.67") for m in plan.forecast)  # no top-up after July 2026


# --- --schools CSV ----------------------------------------------------------------------------


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def test_schools_csv_is_forgiving_about_headers_and_types(tmp_path):
    csv_path = write(tmp_path / "schools.csv", "\ufeff urn ,School,TYPE,Pay_Bill, head count\n"
                     "100001,Ash Primary,community school,\"£1,250,000\",42\n"
                     "100002,St Mary's CE Primary,Voluntary Controlled,980000.50,\n"
                     "\n"
                     "100003,Oak Academy,academy,,\n")
    schools = load_schools_csv(csv_path)
    assert schools == [
        SchoolEntry(100001, "Ash Primary", "Community", Decimal("1250000"), 42),
        SchoolEntry(100002, "St Mary's CE Primary", "Voluntary controlled", Decimal("980000.50"), None),
        SchoolEntry(100003, "Oak Academy", "Academy", None, None),
    ]


@pytest.mark.parametrize(("text", "expected"), [
    ("URN,School,Type,PayBill,Headcount\n100001,Ash,Community,1000,3\n10000X,Elm,Community,1000,3\n",
     "line 3: Elm: URN '10000X' is not a number"),
    ("URN,School,Type,PayBill,Headcount\n100001,Ash,Community,1000,3\n100002,Elm,Grammar,1000,3\n",
     "line 3: Elm (URN 100002): type 'Grammar' is not one of: Community"),
    ("URN,School,Type,PayBill,Headcount\n100001,Ash,Community,lots,3\n",
     "line 2: Ash (URN 100001): PayBill 'lots' is not a number"),
    ("URN,School,Type,PayBill,Headcount\n100001,Ash,Community,-5,3\n",
     "line 2: Ash (URN 100001): PayBill '-5' must be 0 or more"),
    ("URN,School,Type,PayBill,Headcount\n100001,Ash,Community,5,2.5\n",
     "line 2: Ash (URN 100001): Headcount '2.5' is not a whole"),
    ("URN,School,Type,PayBill,Headcount\n100001,,Community,5,2\n", "line 2: URN 100001: the school name is blank"),
    ("URN,School,Type,PayBill,Headcount\n100001,Ash,Community,5,2\n\n100001,Ash again,Community,5,2\n",
     "line 4: URN 100001 is listed twice (first on line 2)"),
    ("URN,Title,Type\n100001,Ash,Community\n", "line 1: missing column School (accepted: School, School name"),
    ("", "the file is empty"),
])
def test_a_bad_schools_csv_names_the_line(tmp_path, text, expected):
    with pytest.raises(SchoolsCsvError) as caught:
        load_schools_csv(write(tmp_path / "schools.csv", text))
    assert expected in str(caught.value)


def test_schools_csv_that_is_not_text_or_missing(tmp_path):
    binary = tmp_path / "schools.csv"
    binary.write_bytes(b"\x00\x81 not utf-8 \x9c")
    with pytest.raises(SchoolsCsvError, match="not a text file"):
        load_schools_csv(binary)
    with pytest.raises(SchoolsCsvError, match="no such file"):
        load_schools_csv(tmp_path / "missing.csv")


def test_cli_prefills_schools_and_grows_the_table(tmp_path):
    rng = random.Random(1)
    lines = ["URN,School,Type,PayBill,Headcount"]
    lines += [f"{100_000 + i},School {i},{rng.choice(COUNCIL_SCHOOL_TYPES)},{rng.randrange(100_000, 900_000)},"
              f"{rng.randrange(5, 60)}" for i in range(75)]
    csv_path = write(tmp_path / "schools.csv", "\n".join(lines) + "\n")
    out = tmp_path / "plan.xlsx"
    result = CliRunner().invoke(main, ["new", "levy-plan", "--org", "Exampleshire", "--schools", str(csv_path),
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    ws, schools = table(openpyxl.load_workbook(out), "Schools")
    assert schools.ref == "A5:I90"  # 75 schools and 10 blank rows
    plan = read_levy_plan(out)
    assert [s.urn for s in plan.schools] == [str(100_000 + i) for i in range(75)]


def test_cli_reports_a_bad_schools_csv_with_its_line(tmp_path):
    csv_path = write(tmp_path / "schools.csv", "URN,School,Type,PayBill,Headcount\n100001,Ash,Castle,1,1\n")
    result = CliRunner().invoke(main, ["new", "levy-plan", "--schools", str(csv_path), "-o", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2
    assert "--schools" in result.output and "line 2: Ash (URN 100001): type 'Castle'" in result.output
    assert not (tmp_path / "x.xlsx").exists()


def test_a_plan_file_is_a_plain_xlsx(blank):
    with zipfile.ZipFile(blank) as archive:
        names = archive.namelist()
    assert not any(name.endswith("vbaProject.bin") for name in names)
    assert "xl/workbook.xml" in names
