"""Feedback copies: each return's problems written in at their cells, nothing else changed."""

from __future__ import annotations

import hashlib
import random
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.comments import Comment

from lga_xl.blanks import template
from lga_xl.cli import main
from lga_xl.contracts.self_assessment import CONTRACT, ELEMENTS, RATINGS
from lga_xl.feedback import SHADES, write_feedback
from lga_xl.issue_sheet import COLUMNS, SHEET, Link, issue_rows
from lga_xl.kinds import KINDS
from lga_xl.maturity import load_edition
from lga_xl.readers import read_workbook
from lga_xl.samples import sample_answers
from lga_xl.writers.fill import Template
from tests.support.xlsx_checklist import check_xlsx

MODEL = load_edition()
ROW_OF = {element.id: row for row, element in enumerate(MODEL.scored_elements, start=ELEMENTS.first_row)}
UNKNOWN = ELEMENTS.cell("status", ROW_OF["LC-D2"])  # "Yes"
UNANSWERED = ELEMENTS.cell("status", ROW_OF["PD-D1"])  # no status
TYPED_OVER = RATINGS.cell("score", RATINGS.first_row + 1)  # Procurement's score, typed over with 4
INPUT_SHEETS = ("Cover", "Assessment", "Summary")


def problem_return(path: Path) -> Path:
    """A filled self-assessment with an unknown status, an unanswered element and a formula typed over."""
    answers, evidence, targets = sample_answers(random.Random(1))
    answers["LC-D2"] = "Yes"
    del answers["PD-D1"]
    values = {CONTRACT.address("OrgName"): "Exampleshire", CONTRACT.address("Region"): "London"}
    for element in MODEL.scored_elements:
        values[(ELEMENTS.sheet, ELEMENTS.cell("status", ROW_OF[element.id]))] = answers.get(element.id)
        values[(ELEMENTS.sheet, ELEMENTS.cell("evidence", ROW_OF[element.id]))] = evidence.get(element.id)
    for row, strand in enumerate(MODEL.strand_names, start=RATINGS.first_row):
        values[(RATINGS.sheet, RATINGS.cell("target", row))] = targets[strand]
    values[(RATINGS.sheet, TYPED_OVER)] = 4
    return template("self-assessment").fill(path, values)


@pytest.fixture(scope="module")
def annotated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("feedback")
    original = problem_return(folder / "return.xlsx")
    digest = hashlib.sha256(original.read_bytes()).hexdigest()
    report = write_feedback([original], folder / "out")
    return original, digest, report


def cells_of(ws) -> dict:
    return {c.coordinate: (c.value, c.number_format, c.protection.locked, c.border.left.style, c.font.b,
                           c.fill.fgColor.rgb) for row in ws.iter_rows() for c in row}


def test_the_issues_sheet_comes_first_and_names_each_problem_at_its_cell(annotated):
    original, _, report = annotated
    [item] = report.annotated
    wb = openpyxl.load_workbook(item.path)
    assert wb.sheetnames[0] == SHEET and wb.active.title == SHEET
    assert [ws.title for ws in wb.worksheets if ws.sheet_view.tabSelected] == [SHEET]
    ws = wb[SHEET]
    rows = [[cell.value for cell in row] for row in ws.iter_rows()]
    assert tuple(rows[0]) == COLUMNS
    listed = {(row[1], row[3], row[4]) for row in rows[1:]}
    assert {("unknown-status", "Assessment", UNKNOWN), ("unanswered", "Assessment", UNANSWERED),
            ("cached-value-mismatch", "Summary", TYPED_OVER)} <= listed
    expected = issue_rows(read_workbook(original).issues)
    assert [row[:4] for row in rows[1:]] == [row[:4] for row in expected]
    links = {cell.value: cell.hyperlink.location for row in ws.iter_rows() for cell in row if cell.hyperlink}
    assert links == {row[4].text: row[4].location for row in expected if isinstance(row[4], Link)}
    assert links[TYPED_OVER] == f"'Summary'!{TYPED_OVER}"
    assert (item.errors, item.warnings) == (1, len(expected) - 1)


def test_each_problem_cell_is_shaded_and_commented_keeping_its_own_look(annotated):
    original, _, report = annotated
    before, after = openpyxl.load_workbook(original), openpyxl.load_workbook(report.annotated[0].path)
    for sheet, cell, severity, words in (("Assessment", UNKNOWN, "error", "'Yes' is not a status"),
                                         ("Assessment", UNANSWERED, "warning", "no status yet (PD-D1)"),
                                         ("Summary", TYPED_OVER, "warning", "has the formula been typed over?")):
        old, new = before[sheet][cell], after[sheet][cell]
        assert new.fill.fgColor.rgb == "FF" + SHADES[severity]
        assert words in new.comment.text and new.comment.author == "lga_xl"
        assert (new.value, new.number_format, new.protection.locked, new.border.left.style, new.font.b) == \
            (old.value, old.number_format, old.protection.locked, old.border.left.style, old.font.b)


def test_the_answers_formulas_and_everything_else_are_untouched(annotated):
    original, digest, report = annotated
    assert hashlib.sha256(original.read_bytes()).hexdigest() == digest
    before, after = openpyxl.load_workbook(original), openpyxl.load_workbook(report.annotated[0].path)
    problems = {("Assessment", UNKNOWN), ("Assessment", UNANSWERED), ("Summary", TYPED_OVER)}
    for ws in before.worksheets:
        old, new = cells_of(ws), cells_of(after[ws.title])
        assert {ref: shown[:5] for ref, shown in old.items()} == {ref: shown[:5] for ref, shown in new.items()}
        assert {ref for ref in old if old[ref] != new[ref]} == {ref for sheet, ref in problems if sheet == ws.title}
        assert (after[ws.title].print_title_rows, after[ws.title].print_area, sorted(after[ws.title].tables)) == \
            (ws.print_title_rows, ws.print_area, sorted(ws.tables))
        assert len(after[ws.title].data_validations.dataValidation) == len(ws.data_validations.dataValidation)
        assert after[ws.title].protection.sheet == ws.protection.sheet
    assert {n: after.defined_names[n].attr_text for n in after.defined_names} == \
        {n: before.defined_names[n].attr_text for n in before.defined_names}
    assert len(after["Summary"]._charts) == len(before["Summary"]._charts) == 1


def test_the_copy_passes_the_excel_checklist_and_reads_as_the_return(annotated):
    original, _, report = annotated
    copy = report.annotated[0].path
    assert check_xlsx(copy, input_sheets=INPUT_SHEETS) == []
    assert read_workbook(copy, display="x.xlsx") == read_workbook(original, display="x.xlsx")


@pytest.mark.parametrize("kind_name", ["levy-plan", "tracker"])
def test_other_kinds_are_annotated_too(kind_name, tmp_path):
    sample = KINDS[kind_name].sample(tmp_path / "sample.xlsx", seed=2)
    contract = KINDS[kind_name].current
    broken = Template.from_path(sample).fill(tmp_path / "return.xlsx", {contract.address("Region"): "Wessex"})
    report = write_feedback([broken], tmp_path / "out")
    copy = report.annotated[0].path
    assert check_xlsx(copy) == []
    wb = openpyxl.load_workbook(copy)
    sheet, cell = contract.address("Region")
    assert "'Wessex' is not one of" in wb[sheet][cell].comment.text and wb.sheetnames[0] == SHEET
    assert read_workbook(copy, display="x.xlsx") == read_workbook(broken, display="x.xlsx")


def test_comments_and_an_issues_sheet_already_there_are_kept(annotated, tmp_path):
    original, _, _ = annotated
    wb = openpyxl.load_workbook(original)
    wb["Assessment"][UNKNOWN].comment = Comment("We are not sure yet", "Jo")
    wb["Assessment"]["F6"].comment = Comment("Ask HR", "Jo")
    wb.create_sheet(SHEET)["A1"] = "our own notes"
    wb.save(tmp_path / "commented.xlsx")
    report = write_feedback([tmp_path / "commented.xlsx"], tmp_path / "out")
    copy = openpyxl.load_workbook(report.annotated[0].path)
    assert copy.sheetnames[:1] == [f"{SHEET} (2)"] and copy[SHEET]["A1"].value == "our own notes"
    unknown = copy["Assessment"][UNKNOWN].comment.text
    assert unknown.startswith("Error: LC-D2: 'Yes' is not a status") and unknown.endswith("We are not sure yet")
    assert copy["Assessment"]["F6"].comment.text == "Ask HR"
    assert "no status yet (PD-D1)" in copy["Assessment"][UNANSWERED].comment.text
    assert check_xlsx(report.annotated[0].path) == []


def test_a_file_that_is_not_a_workbook_gets_no_copy(tmp_path, annotated):
    original, _, _ = annotated
    (tmp_path / "notes.xlsx").write_text("Organisation,Region\n")
    report = write_feedback([tmp_path / "notes.xlsx", original], tmp_path / "out")
    assert report.annotated[0].path is None and "CSV" in report.annotated[0].problem
    assert report.annotated[1].path.is_file() and report.exit_code == 2


def test_the_command_line_feedback(annotated, tmp_path):
    original, _, _ = annotated
    shutil.copy(original, tmp_path / "return.xlsx")
    result = CliRunner().invoke(main, ["feedback", str(tmp_path / "return.xlsx"), "--out-dir", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "1 error(s)" in result.output and "1 of 1 returns annotated" in result.output
    again = CliRunner().invoke(main, ["feedback", str(tmp_path / "return.xlsx"), "--out-dir", str(tmp_path / "out")])
    assert again.exit_code == 2 and "is not empty" in again.output
