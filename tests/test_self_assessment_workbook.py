"""The self-assessment workbook's contract, checked on the file itself."""

from __future__ import annotations

import openpyxl
from click.testing import CliRunner

from lga_xl.cli import main
from lga_xl.contracts.self_assessment import ELEMENTS, RATINGS, TEMPLATE_VERSION
from lga_xl.maturity import load_edition
from lga_xl.rating import LABELS, STATUSES
from lga_xl.reference import REGIONS
from lga_xl.writers.self_assessment import new_self_assessment
from tests.support.xlsx_compare import xlsx_differences

MODEL = load_edition()
REPO = __import__("pathlib").Path(__file__).resolve().parents[1]


def open_written(tmp_path, **options):
    path = new_self_assessment(tmp_path / "sa.xlsx", **options)
    return openpyxl.load_workbook(path)


def table_rows(ws, name):
    table = ws.tables[name]
    return [[cell.value for cell in row] for row in ws[table.ref]]


def test_elements_table_has_the_contract_columns_and_one_row_per_scored_element(tmp_path):
    wb = open_written(tmp_path)
    rows = table_rows(wb["Assessment"], "Elements")
    assert tuple(rows[0]) == ELEMENTS.headers
    assert [r[0] for r in rows[1:]] == [e.id for e in MODEL.scored_elements]
    assert [(r[1], r[2], r[3]) for r in rows[1:]] == [(e.strand, e.level, e.text) for e in MODEL.scored_elements]


def test_early_descriptors_are_shown_below_the_table_not_scored(tmp_path):
    ws = open_written(tmp_path)["Assessment"]
    shown = {ws.cell(row=r, column=1).value for r in range(1, ws.max_row + 1)}
    early = {e.id for e in MODEL.elements if not e.scored}
    assert early <= shown
    in_table = {r[0] for r in table_rows(ws, "Elements")}
    assert not early & in_table


def test_status_is_a_strict_dropdown_of_the_four_statuses(tmp_path):
    wb = open_written(tmp_path)
    [dv] = [dv for dv in wb["Assessment"].data_validations.dataValidation if "E5" in dv.sqref]
    assert dv.type == "list" and dv.formula1 == "StatusList" and dv.showErrorMessage
    assert str(dv.sqref) == "E5:E87"
    sheet, ref = next(wb.defined_names["StatusList"].destinations)
    assert [c.value for row in wb[sheet][ref.replace("$", "")] for c in row] == list(STATUSES)


def test_cover_fields_are_defined_names(tmp_path):
    wb = open_written(tmp_path, org_name="Exampleshire", region="London")
    values = {}
    for name in ("OrgName", "OrgType", "Region", "AssessmentType", "AssessorName", "AssessmentDate"):
        sheet, ref = next(wb.defined_names[name].destinations)
        values[name] = wb[sheet][ref.replace("$", "")].value
    assert values["OrgName"] == "Exampleshire" and values["Region"] == "London"
    assert values["AssessmentType"] == "Self"
    sheet, ref = next(wb.defined_names["RegionList"].destinations)
    assert [c.value for row in wb[sheet][ref.replace("$", "")] for c in row] == list(REGIONS)


def test_ratings_table_holds_formulas_and_a_target_dropdown(tmp_path):
    wb = open_written(tmp_path)
    rows = table_rows(wb["Summary"], "Ratings")
    assert rows[0][:4] == ["Strand", "Current rating", "Current score", "Target rating"]
    assert [r[0] for r in rows[1:]] == list(MODEL.strand_names)
    assert all(str(r[1]).startswith("=") and str(r[2]).startswith("=") for r in rows[1:])
    [dv] = [dv for dv in wb["Summary"].data_validations.dataValidation if dv.formula1 == "LabelList"]
    assert str(dv.sqref) == RATINGS.column_cells("target")
    sheet, ref = next(wb.defined_names["LabelList"].destinations)
    assert [c.value for row in wb[sheet][ref.replace("$", "")] for c in row] == list(LABELS)
    assert wb["Summary"]._charts, "the current-vs-target chart is missing"


def test_only_input_cells_are_unlocked_and_sheets_are_protected_without_password(tmp_path):
    wb = open_written(tmp_path)
    for ws in wb.worksheets:
        assert ws.protection.sheet, ws.title
        assert not ws.protection.password, ws.title
    unlocked = {(ws.title, cell.column_letter) for ws in wb.worksheets for row in ws.iter_rows() for cell in row
                if cell.protection.locked is False}
    assert unlocked == {("Cover", "B"), ("Assessment", "E"), ("Assessment", "F"), ("Summary", "D")}


def test_hidden_metadata_identifies_kind_version_and_edition(tmp_path):
    wb = open_written(tmp_path)
    ws = wb["lga_xl"]
    assert ws.sheet_state == "hidden"
    meta = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2).value for r in range(1, ws.max_row + 1)}
    assert meta["kind"] == "self-assessment"
    assert meta["template_version"] == TEMPLATE_VERSION
    assert meta["model_edition"] == "LGA 2017"


def test_instructions_explain_the_plus_and_what_to_send(tmp_path):
    ws = open_written(tmp_path)["Instructions"]
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "'+'" in text and "half or more" in text and "send it to your LGA adviser" in text
    assert "Not rated" in text  # what a blank strand shows, explained
    wb = open_written(tmp_path)
    assert wb.sheetnames[0] == wb.active.title == "Instructions"
    assert [ws.title for ws in wb.worksheets if ws.sheet_view.tabSelected] == ["Instructions"]


def test_the_key_on_the_first_sheet_explains_the_colours(tmp_path):
    ws = open_written(tmp_path)["Instructions"]
    key = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2).value for r in range(3, 7)}
    assert key["Yellow"] == "Type here" and key["Green"] == "Worked out for you"


def test_an_external_assessment_is_titled_as_one(tmp_path):
    wb = open_written(tmp_path, assessment_type="External")
    assert wb.properties.title == "Apprenticeships Maturity Model: external assessment"
    assert wb["Instructions"]["A1"].value == wb.properties.title
    assert "external assessment" in wb["Assessment"].oddFooter.left.text
    # the Cover's title follows the assessment type, should an officer change it
    assert wb["Cover"]["A1"].value.startswith('=IF(AssessmentType="External",')
    assert open_written(tmp_path).properties.title == "Apprenticeships Maturity Model: self-assessment"


def test_every_input_explains_itself_when_selected(tmp_path):
    wb = open_written(tmp_path)
    inputs = 0
    for ws in wb.worksheets:
        prompted = {cell for dv in ws.data_validations.dataValidation if dv.prompt
                    for cell_range in dv.sqref.ranges for cell in cell_range.cells}
        unlocked = {(c.row, c.column) for row in ws.iter_rows() for c in row if c.protection.locked is False}
        assert unlocked <= prompted, (ws.title, sorted(unlocked - prompted))
        inputs += len(unlocked)
    assert inputs == 6 + 2 * 83 + 5  # the cover, a status and evidence per element, a target per strand


def test_organisation_names_that_look_like_formulas_stay_text(tmp_path):
    wb = open_written(tmp_path, org_name='=HYPERLINK("http://evil.example","Click")')
    cell = wb["Cover"]["B4"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_blank_template_in_the_repository_matches_the_generator(tmp_path):
    fresh = new_self_assessment(tmp_path / "self_assessment.xlsx")
    kept = REPO / "workbooks" / "self_assessment.xlsx"
    assert xlsx_differences(kept, fresh) == [], (
        "workbooks/self_assessment.xlsx is stale: regenerate it with "
        "`lga-xl new self-assessment -o workbooks/self_assessment.xlsx`"
    )


def test_cli_new_writes_a_workbook_with_the_given_cover(tmp_path):
    out = tmp_path / "x.xlsx"
    result = CliRunner().invoke(main, ["new", "self-assessment", "--org", "Testshire", "--region", "south west",
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    assert wb["Cover"]["B4"].value == "Testshire" and wb["Cover"]["B6"].value == "South West"
    bad = CliRunner().invoke(main, ["new", "self-assessment", "--region", "Wessex", "-o", str(out)])
    assert bad.exit_code == 2 and "Wessex" in bad.output
