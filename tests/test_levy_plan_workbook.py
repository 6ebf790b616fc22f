"""The levy plan workbook (template 2.0): names, tables, house style, dropdowns, validations, printing set-up.

Cell addresses come from the contract (lga_xl.contracts.levy_plan); the formulas themselves are proven
against Python in test_levy_plan_libreoffice.py, the printed pages in test_levy_plan_print.py.
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
from lga_xl.contract import LISTS_SHEET, META_SHEET, SEND_OUT_NAMES
from lga_xl.contracts import levy_plan as spec
from lga_xl.contracts.levy_plan import CONTRACT, FIGURES, PLANNED_STARTS, SCHOOLS, STANDARDS, TRANSFERS, USED
from lga_xl.readers.levy_plan import read_levy_plan
from lga_xl.reference import COUNCIL_ESTABLISHMENT_TYPES, ESTABLISHMENT_TYPES
from lga_xl.standards import Standard, sample_export
from lga_xl.writers import style
from lga_xl.writers.levy_plan import (
    SchoolEntry,
    SchoolsCsvError,
    StartEntry,
    TransferEntry,
    load_schools_csv,
    new_levy_plan,
    sample_levy_plan,
)
from tests.support.xlsx_checklist import check_xlsx
from tests.support.xlsx_compare import xlsx_differences

REPO = Path(__file__).resolve().parents[1]
TEMPLATE = REPO / "workbooks" / "schools_levy_plan.xlsx"
INPUT_SHEETS = ("Plan", "Schools", "Starts", "Transfers", "Expiry", "Standards")
VISIBLE_SHEETS = ["Instructions", "Plan", "Schools", "Starts", "Transfers", "Forecast", "Expiry", "Standards"]
INPUT_TABLES = ("Schools", "PlannedStarts", "Transfers", "ExpiringFunds")


@pytest.fixture(scope="module")
def blank(tmp_path_factory) -> Path:
    return new_levy_plan(tmp_path_factory.mktemp("plan") / "blank.xlsx")


@pytest.fixture(scope="module")
def book(blank):
    return openpyxl.load_workbook(blank)


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> Path:
    return sample_levy_plan(tmp_path_factory.mktemp("plan") / "sample.xlsx", org_name="Exampleshire County Council",
                            seed=2)


def cell_of(book, name: str):
    sheet, ref = CONTRACT.address(name)
    return book[sheet][ref]


def validations_of(ws, ref: str):
    return [dv for dv in ws.data_validations.dataValidation if ref in dv.sqref]


# --- sheets, names and tables -----------------------------------------------------------------


def test_sheets_in_order_opening_on_the_instructions(book):
    assert book.sheetnames == [*VISIBLE_SHEETS, LISTS_SHEET, META_SHEET]
    assert [ws.title for ws in book.worksheets if ws.sheet_state == "hidden"] == [LISTS_SHEET, META_SHEET]
    assert book.active.title == "Instructions"


def test_metadata_says_template_2_0(book):
    meta = {row[0].value: row[1].value for row in book[META_SHEET].iter_rows()}
    assert (meta["kind"], meta["template_version"], meta["tax_year"]) == ("levy-plan", "2.0", "2026-27")
    assert "illustrative sample" in meta["standards_source"] and "2 July 2026" in meta["standards_source"]


def test_every_table_heading_is_plain_english(book):
    for table in CONTRACT.tables:
        assert style.heading_problems(table.headers) == [], table.name
    for heading in ("Pay bill", "In-year cost", "Duration (months)", "Funding band maximum"):
        assert any(heading in table.headers for table in CONTRACT.tables), heading


def test_the_dropdown_lists(book):
    def destination(name):
        sheet, ref = next(book.defined_names[name].destinations)
        return sheet, ref.replace("$", "")

    lists = book[LISTS_SHEET]
    types, employers = (destination(name) for name in ("SchoolTypeList", "SchoolEmployerList"))
    assert [c.value for (c,) in lists[types[1]]] == list(ESTABLISHMENT_TYPES)
    assert [c.value for (c,) in lists[employers[1]]] == list(ESTABLISHMENT_TYPES.values())
    assert [c.value for (c,) in lists[destination("TransferTypeList")[1]]] == ["Transfer", "Pledge"]
    open_for_starts = sum(1 for s in sample_export(include_inactive=True) if s.approved)
    pick = STANDARDS.letter("pick")
    assert destination("StandardList") == ("Standards", f"{pick}{STANDARDS.first_row}:{pick}"
                                           f"{STANDARDS.first_row + open_for_starts + spec.SPARE_STANDARD_ROWS - 1}")
    assert destination("SchoolList") == ("Schools", SCHOOLS.column_cells("pick"))


def test_standards_open_for_starts_come_first_then_spare_rows_then_closed_ones(book):
    ws = book["Standards"]
    standards = sample_export(include_inactive=True)
    approved = sorted(s.reference for s in standards if s.approved)
    closed = sorted(s.reference for s in standards if not s.approved)
    references = [ws[STANDARDS.cell("reference", r)].value
                  for r in range(STANDARDS.first_row, STANDARDS.first_row + len(standards) + spec.SPARE_STANDARD_ROWS)]
    assert references == approved + [None] * spec.SPARE_STANDARD_ROWS + closed
    band_rows = [s.reference for s in standards for _ in s.funding_bands]
    assert band_rows == ["ST0005", "ST0005", "ST0384", "ST0384", "ST0551", "ST0551", "ST1025", "ST1025"]


def test_a_blank_plan_reads_with_only_what_is_missing(blank):
    plan = read_levy_plan(blank)
    assert plan.schools == plan.planned_starts == plan.transfers == plan.expiring_funds_known == []
    assert len(plan.forecast) == 48 and all(m.balance == 0 for m in plan.forecast) and len(plan.years) == 4
    assert {i.code for i in plan.issues} == {"missing-org-name", "missing-input"}
    assert (plan.levy_allowance, plan.pay_bill_growth) == (Decimal(15000), 0)


def test_the_tax_year_is_fixed_and_the_plan_start_a_date(book):
    assert cell_of(book, "TaxYear").value == "2026-27"
    assert cell_of(book, "PlanStart").value == dt.datetime(2026, 4, 1)
    for name in ("TaxYear", "PlanStart", "PlanEnd"):
        assert cell_of(book, name).protection.locked


def test_figures_are_prefilled_with_their_defaults(book):
    assert cell_of(book, "LevyAllowance").value == 15000 and cell_of(book, "PayBillGrowth").value == 0
    for name in ("TotalPayBill", "EnglishPercent", "Headcount", "OpeningBalance"):
        assert cell_of(book, name).value is None


def test_instructions_explain_the_modelling_decisions(book):
    text = " ".join(str(c.value) for row in book["Instructions"].iter_rows() for c in row if c.value)
    for phrase in ("less the levy allowance", "a twelfth of the year's levy", "10% government top-up",
                   "1 August 2026", "April to March", "95%, 0.95 and 95 all mean 95%", "80% of the price",
                   "funding band maximum on the start date", "the oldest are used first", "co-invested",
                   "25% for starts from 1 August 2026", "transfers and pledges are paid first",
                   "approved pledge applications", "2.3% of headcount", "ended on 31 March 2022",
                   "Not in council levy", "a new tax year needs a new workbook", "pay bill grows",
                   "Without last year's funds"):
        assert phrase in text, phrase


# --- the house style --------------------------------------------------------------------------


def test_the_key_is_on_the_first_sheet(book):
    shown = [c.value for row in book["Instructions"].iter_rows(max_col=2) for c in row if c.value]
    for entry in style.KEY + (style.CHECK_KEY, style.WARNING_KEY):
        assert entry.colour_name in shown and entry.meaning in shown


def test_inputs_are_yellow_and_unlocked_results_green_and_locked(book):
    for name in CONTRACT.names():
        if name.name in SEND_OUT_NAMES:  # the adviser's cover cells: plain text, filled in on sending out
            continue
        cell = cell_of(book, name.name)
        colour = style.INPUT_COLOUR if name.role == "input" else style.CALCULATED_COLOUR
        assert cell.fill.fgColor.rgb.endswith(colour), name.name
        assert cell.protection.locked == (name.role != "input"), name.name
        assert cell.font.name == style.FONT_NAME


def test_every_number_format_is_the_house_style(book, filled):
    house = {style.MONEY, style.MONEY_WHOLE, style.PERCENT, style.DATE, style.MONTH, style.COUNT}
    assert {spec.MONEY, spec.MONEY_WHOLE, spec.PERCENT, spec.DATE, spec.MONTH, spec.COUNT} == house
    for name in CONTRACT.names():
        if name.number_format:
            assert cell_of(book, name.name).number_format == name.number_format, name.name
    wb = openpyxl.load_workbook(filled)
    for table in CONTRACT.tables:
        for column in table.columns:
            if column.number_format and not column.hidden:
                cell = wb[table.sheet][table.cell(column.key, table.first_row)]
                assert cell.number_format == column.number_format, (table.name, column.header)
    assert {n.number_format for n in CONTRACT.names() if n.kind == "percent"} == {style.PERCENT}
    assert {n.number_format for n in CONTRACT.names() if n.kind == "money"} == {style.MONEY}


def test_no_number_is_stored_as_text(filled):
    wb = openpyxl.load_workbook(filled)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.data_type == "s":
                    text = cell.value.replace(",", "").replace("£", "").strip()
                    assert not text.replace(".", "", 1).isdigit() or ws.title in (LISTS_SHEET, META_SHEET), \
                        f"{ws.title}!{cell.coordinate} {cell.value!r}"


def test_calculated_cells_of_empty_rows_are_blank(book):
    for table in (SCHOOLS, PLANNED_STARTS, TRANSFERS):
        row = table.last_row()
        for column in table.columns:
            if column.role == "formula" and not column.hidden and column.key not in ("employer", "pick"):
                formula = book[table.sheet][table.cell(column.key, row)].value
                assert formula.startswith('=IF(COUNTA('), (table.name, column.header)


def test_every_validated_cell_prompts_and_stops_a_wrong_value(book):
    for ws in book.worksheets:
        for dv in ws.data_validations.dataValidation:
            assert dv.showInputMessage and dv.promptTitle and dv.prompt, (ws.title, dv.sqref)
            if dv.type is not None:
                assert dv.showErrorMessage and dv.errorStyle == "stop" and dv.error, (ws.title, dv.sqref)


def test_every_input_has_a_prompt(book):
    for name in CONTRACT.names("input"):
        sheet, ref = CONTRACT.address(name.name)
        assert len(validations_of(book[sheet], ref)) == 1, name.name
    for table_name in INPUT_TABLES:
        table = CONTRACT.table(table_name)
        ws = book[table.sheet]
        for key in table.keys("input"):
            assert len(validations_of(ws, table.cell(key, table.first_row))) == 1, (table_name, key)


@pytest.mark.parametrize(("name", "kind", "formula1", "formula2"), [
    ("Region", "list", "RegionList", None),
    ("TotalPayBill", "decimal", "0", None),
    ("EnglishPercent", "decimal", "0", "100"),
    ("PayBillGrowth", "decimal", "0", "100"),
    ("LevyAllowance", "decimal", "0", "15000"),
    ("Headcount", "whole", "0", None),
])
def test_plan_figures_are_validated(book, name, kind, formula1, formula2):
    sheet, ref = CONTRACT.address(name)
    [dv] = validations_of(book[sheet], ref)
    assert (dv.type, dv.formula1, dv.formula2) == (kind, formula1, formula2)


@pytest.mark.parametrize(("table", "key", "kind", "formula1"), [
    (SCHOOLS, "type", "list", "SchoolTypeList"),
    (PLANNED_STARTS, "school", "list", "SchoolList"),
    (PLANNED_STARTS, "standard", "list", "StandardList"),
    (TRANSFERS, "standard", "list", "StandardList"),
    (TRANSFERS, "type", "list", "TransferTypeList"),
    (PLANNED_STARTS, "start_date", "date", "DATE(2000,1,1)"),
    (PLANNED_STARTS, "duration_months", "whole", "1"),
    (PLANNED_STARTS, "price", "decimal", "0"),
    (SCHOOLS, "pay_bill", "decimal", "0"),
])
def test_table_inputs_are_validated(book, table, key, kind, formula1):
    ws = book[table.sheet]
    for row in (table.first_row, table.last_row()):
        [dv] = validations_of(ws, table.cell(key, row))
        assert (dv.type, dv.formula1) == (kind, formula1)
        assert not dv.showDropDown  # openpyxl's name for HIDING the arrow


def test_every_sheet_is_protected_and_only_inputs_are_unlocked(book):
    for ws in book.worksheets:
        assert ws.protection.sheet, ws.title
    plan = book["Plan"]
    unlocked = sorted(c.coordinate for row in plan.iter_rows() for c in row if not c.protection.locked)
    assert unlocked == sorted(CONTRACT.address(n.name)[1] for n in CONTRACT.names("input"))
    starts = book["Starts"]
    row = PLANNED_STARTS.first_row
    for column in PLANNED_STARTS.columns:
        assert starts[PLANNED_STARTS.cell(column.key, row)].protection.locked == (column.role != "input"), column.key
    assert all(c.protection.locked for row in book["Forecast"].iter_rows() for c in row)


def test_the_forecast_chart_draws_straight_lines_in_pounds(book):
    [chart] = book["Forecast"]._charts
    assert chart.x_axis.delete is False and chart.y_axis.delete is False
    assert all(series.smooth is False for series in chart.series)
    assert chart.y_axis.numFmt.formatCode == style.MONEY_WHOLE
    names = [book["Forecast"][s.tx.strRef.f.split("!")[1]].value for s in chart.series]
    assert names == ["Funds in", "Transfers and pledges paid", "Training paid from levy", "Expired", "Balance"]


def test_every_sheet_prints_a4_one_page_wide_with_its_header_repeated_and_the_footer(book):
    repeated = {"Schools": SCHOOLS, "Starts": PLANNED_STARTS, "Transfers": TRANSFERS, "Forecast": spec.FORECAST,
                "Expiry": spec.EXPIRING_FUNDS, "Standards": STANDARDS}
    for title in VISIBLE_SHEETS:
        ws = book[title]
        assert ws.print_area and ws.page_setup.orientation in ("portrait", "landscape"), title
        assert (ws.page_setup.paperSize, ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (9, 1, 0), title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, title
        assert ws.oddFooter.center.text == "&A" and ws.oddFooter.right.text == "Page &P of &N", title
        assert ws.oddFooter.left.text == "Schools apprenticeship levy plan"
        if title in repeated:
            header = repeated[title].header_row
            assert ws.print_title_rows == f"${header}:${header}", title


def test_the_chart_is_inside_the_printed_area_above_the_monthly_table(book):
    ws = book["Forecast"]
    [chart] = ws._charts
    anchor_row = chart.anchor._from.row + 1
    area = ws.print_area.split("!")[1].replace("$", "")
    _, first_row, last_col, last_row = openpyxl.utils.cell.range_boundaries(area)
    assert spec.YEARS.last_row() < anchor_row < spec.FORECAST.header_row
    assert first_row == 1 and last_row >= spec.FORECAST.last_row()


# --- the banner and the dropdown texts ----------------------------------------------------------


def test_a_banner_names_the_date_of_the_sample_bands(book, tmp_path):
    for sheet in ("Plan", "Starts", "Standards"):
        assert "figures as at 2 July 2026" in book[sheet]["A3"].value, sheet
        assert book[sheet]["A3"].fill.fgColor.rgb.endswith(style.WARNING_COLOUR)
    own = [Standard("ST0454", "Teaching assistant", 3, Decimal(7000))]
    wb = openpyxl.load_workbook(new_levy_plan(tmp_path / "own.xlsx", standards=own, standards_source="our.csv"))
    assert all(wb[sheet]["A3"].value is None for sheet in ("Plan", "Starts", "Standards"))


def test_starts_are_written_as_their_dropdowns_show_them_and_read_back(tmp_path):
    path = new_levy_plan(tmp_path / "x.xlsx", total_pay_bill=10_000_000, english_percent=1,
                         schools=[SchoolEntry(100001, "Ash Primary", "community", 500_000, 20)],
                         starts=[StartEntry("ST0454", dt.date(2026, 9, 1), 18, 7000, urn=100001),
                                 StartEntry("st0070", dt.date(2026, 9, 1), 18, 5000)])
    ws = openpyxl.load_workbook(path)["Starts"]
    row = PLANNED_STARTS.first_row
    assert ws[PLANNED_STARTS.cell("school", row)].value == "100001 - Ash Primary"
    assert ws[PLANNED_STARTS.cell("standard", row)].value == "ST0454 Teaching assistant (level 3)"
    assert ws[PLANNED_STARTS.cell("standard", row + 1)].value == "ST0070 Business administrator (level 3)"
    plan = read_levy_plan(path)
    assert [(s.urn, s.standard, s.title) for s in plan.planned_starts] == [
        ("100001", "ST0454", "Teaching assistant"), (None, "ST0070", "Business administrator")]
    assert plan.schools[0].type == "Community school" and plan.schools[0].planned_spend > 0


def test_the_excel_checklist_holds(blank, filled):
    assert check_xlsx(blank, input_sheets=INPUT_SHEETS) == []
    assert check_xlsx(filled, input_sheets=INPUT_SHEETS) == []


def test_user_text_is_never_a_formula(tmp_path):
    path = new_levy_plan(tmp_path / "x.xlsx", org_name='=HYPERLINK("http://evil")',
                         schools=[SchoolEntry(100_001, "=1+1", "Community", 100)],
                         starts=[StartEntry("=ST0072", dt.date(2026, 9, 1), 12, 3500)])
    wb = openpyxl.load_workbook(path)
    for sheet, ref in (("Plan", CONTRACT.address("OrgName")[1]), ("Schools", SCHOOLS.cell("name", SCHOOLS.first_row)),
                       ("Starts", PLANNED_STARTS.cell("standard", PLANNED_STARTS.first_row))):
        assert wb[sheet][ref].data_type == "s" and wb[sheet][ref].value.startswith("=")
    assert read_levy_plan(path).organisation == '=HYPERLINK("http://evil")'


def test_used_values_sit_beside_the_figures(book):
    for figure, used in zip(FIGURES.names, USED.names, strict=True):
        assert used.name == f"{figure.name}Used"
        assert CONTRACT.address(used.name)[1][1:] == CONTRACT.address(figure.name)[1][1:]
        assert cell_of(book, used.name).value.startswith("=IF(")


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
    assert plan.region == "London" and plan.template_version == "2.0"
    assert len(plan.schools) == 12 and all(s.in_council_levy for s in plan.schools)
    assert 30 <= len(plan.planned_starts) <= 41 and [t.type for t in plan.transfers] == ["Transfer", "Pledge"]
    starts = [s.start_date for s in plan.planned_starts]
    assert min(starts) < dt.date(2026, 8, 1) <= max(starts)
    assert plan.over_committed == 0 and plan.annual_levy > 0 and plan.expiring_funds_known[0].check == ""


def test_a_tax_year_is_checked(tmp_path):
    for label, message in (("2026/28", "does not follow"), ("next year", "not written like"),
                           ("2017-18", "from 2018-19 to 2098-99"), ("2099-00", "from 2018-19 to 2098-99")):
        with pytest.raises(ValueError, match=message):
            new_levy_plan(tmp_path / "x.xlsx", tax_year=label)
    result = CliRunner().invoke(main, ["new", "levy-plan", "--tax-year", "2026-28", "-o", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2 and "Invalid value for '--tax-year'" in result.output


def test_another_tax_year_moves_the_whole_plan(tmp_path):
    plan = read_levy_plan(new_levy_plan(tmp_path / "x.xlsx", tax_year="2027-28", total_pay_bill=10_000_000,
                                        english_percent=1))
    assert (plan.tax_year, plan.plan_start, plan.plan_end) == ("2027-28", dt.date(2027, 4, 1), dt.date(2028, 3, 31))
    assert plan.forecast[0].month == dt.date(2027, 4, 1) and plan.forecast[-1].month == dt.date(2031, 3, 1)
    assert all(m.funds_in == Decimal("2916.67") for m in plan.forecast)  # no top-up after July 2026
    assert [y.tax_year for y in plan.years] == ["2027-28", "2028-29", "2029-30", "2030-31"]


# --- --schools CSV ----------------------------------------------------------------------------


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def test_schools_csv_is_forgiving_about_headers_and_types(tmp_path):
    csv_path = write(tmp_path / "schools.csv", "\ufeff urn ,School,TYPE,Pay_Bill, head count\n"
                     "100001,Ash Primary,community school,\"£1,250,000\",42\n"
                     "100002,St Mary's CE Primary,Voluntary Controlled,980000.50,\n"
                     "\n"
                     "100003,Oak Academy,academy,,\n"
                     "100004,Brook Centre,PRU,300000,9\n")
    assert load_schools_csv(csv_path) == [
        SchoolEntry(100001, "Ash Primary", "Community school", Decimal("1250000"), 42),
        SchoolEntry(100002, "St Mary's CE Primary", "Voluntary controlled school", Decimal("980000.50"), None),
        SchoolEntry(100003, "Oak Academy", "Academy", None, None),
        SchoolEntry(100004, "Brook Centre", "Pupil referral unit", Decimal("300000"), 9),
    ]


@pytest.mark.parametrize(("text", "expected"), [
    ("URN,School,Type,PayBill,Headcount\n100001,Ash,Community,1000,3\n10000X,Elm,Community,1000,3\n",
     "line 3: Elm: URN '10000X' is not a number"),
    ("URN,School,Type,PayBill,Headcount\n100001,Ash,Community,1000,3\n100002,Elm,Grammar,1000,3\n",
     "line 3: Elm (URN 100002): type 'Grammar' is not an establishment type of Get Information about Schools"),
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
    lines += [f"{100_000 + i},School {i},{rng.choice(COUNCIL_ESTABLISHMENT_TYPES)},{rng.randrange(100_000, 900_000)},"
              f"{rng.randrange(5, 60)}" for i in range(75)]
    csv_path = write(tmp_path / "schools.csv", "\n".join(lines) + "\n")
    out = tmp_path / "plan.xlsx"
    result = CliRunner().invoke(main, ["new", "levy-plan", "--org", "Exampleshire", "--schools", str(csv_path),
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(out)["Schools"].tables["Schools"].ref == SCHOOLS.ref(75 + spec.SPARE_ROWS)
    plan = read_levy_plan(out)
    assert [s.urn for s in plan.schools] == [str(100_000 + i) for i in range(75)]
    assert all(s.in_council_levy for s in plan.schools)


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


def test_transfer_entries_default_to_transfers(tmp_path):
    path = new_levy_plan(tmp_path / "t.xlsx", total_pay_bill=20_000_000, english_percent=1, transfers=[
        TransferEntry("Care Ltd", "ST0005", dt.date(2026, 9, 1), 12, 4500),
        TransferEntry("Bus CIC", "ST0070", dt.date(2026, 9, 1), 12, 5000, "Pledge"),
        TransferEntry("Old Ltd", "ST0070", dt.date(2026, 9, 1), 12, 5000, None)])
    assert [t.type for t in read_levy_plan(path).transfers] == ["Transfer", "Pledge", "Transfer"]
