"""Reading returned self-assessments: results and every issue, with its cell."""

from __future__ import annotations

import shutil
import zipfile

import openpyxl
import pytest

from lga_xl.contracts.self_assessment import RATINGS
from lga_xl.issues import WorkbookError
from lga_xl.maturity import load_edition
from lga_xl.readers import read_workbook, validate
from lga_xl.readers.self_assessment import read_self_assessment
from lga_xl.writers.self_assessment import new_self_assessment

MODEL = load_edition()
ALL_DONE = {e.id: "Achieved" for e in MODEL.scored_elements}
TARGETS = {s: "Mature" for s in MODEL.strand_names}


def element_row(element_id: str) -> int:
    """Worksheet row of an element in a freshly generated workbook."""
    return 5 + [e.id for e in MODEL.scored_elements].index(element_id)


def ratings_cell(key: str, strand: str) -> str:
    """A cell of the Ratings table on a strand's row."""
    return RATINGS.cell(key, RATINGS.first_row + MODEL.strand_names.index(strand))


def make(tmp_path, name="return.xlsx", **overrides):
    options = dict(org_name="Exampleshire County Council", region="East of England", org_type="County council",
                   assessor="A. Officer", answers=ALL_DONE, targets=TARGETS)
    options.update(overrides)
    return new_self_assessment(tmp_path / name, **options)


def tamper(path, change):
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)
    return path


def located(result_or_issues):
    issues = getattr(result_or_issues, "issues", result_or_issues)
    return {(i.sheet, i.cell, i.code) for i in issues}


def codes(result):
    return {i.code for i in result.issues}


def fatal(path):
    with pytest.raises(WorkbookError) as caught:
        read_self_assessment(path)
    return caught.value.issue


def test_a_complete_return_reads_cleanly(tmp_path):
    result = read_self_assessment(make(tmp_path))
    assert result.issues == []
    assert result.organisation == "Exampleshire County Council"
    assert result.region == "East of England"
    assert result.assessment_type == "Self"
    assert [s.current for s in result.strands] == ["Mature"] * 5
    assert result.overall_score == 4.0
    assert len(result.elements) == 83
    assert result.elements[0].cell == "E5"


def test_ratings_are_recomputed_from_statuses(tmp_path):
    answers = {"LC-D1": "Achieved", "LC-D2": "Achieved", "LC-D3": "Achieved", "LC-D4": "Not started"}
    result = read_self_assessment(make(tmp_path, answers=answers, targets={}))
    lc = result.strands[0]
    assert (lc.current, lc.score, lc.plus_rule) == ("Early +", 1.5, "half")
    assert lc.levels[0].model_dump() == {"level": "Developing", "elements": 5, "achieved": 3, "in_progress": 0,
                                         "not_started": 1, "not_applicable": 0, "unanswered": 1}
    # the other strands have no answer: not rated, and left out of the overall score
    assert [(s.current, s.score, s.gap) for s in result.strands[1:]] == [("Not rated", None, None)] * 4
    assert result.overall_score == 1.5


def test_a_blank_return_rates_nothing(tmp_path):
    result = read_self_assessment(make(tmp_path, answers={}))
    assert [(s.current, s.score, s.plus_rule, s.gap) for s in result.strands] == [("Not rated", None, None, None)] * 5
    assert result.overall_score is None
    assert "target-below-current" not in codes(result)  # a target is never below a rating that is not there
    printed = result.model_dump(mode="json")
    assert printed["overall_score"] is None and {s["score"] for s in printed["strands"]} == {None}
    assert {s["current"] for s in printed["strands"]} == {"Not rated"}


def test_one_answer_of_any_kind_rates_the_strand(tmp_path):
    result = read_self_assessment(make(tmp_path, answers={"EN-MA3": "Not started"}, targets={}))
    engagement = result.strands[4]
    assert (engagement.current, engagement.score) == ("Early", 1.0)
    assert result.overall_score == 1.0


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty-file"),
        (b"Organisation,Region\nExampleshire,London\n", "not-xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "legacy-xls"),
        (b"PK\x03\x04 truncated", "corrupt-file"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(tmp_path, content, code):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    issue = fatal(path)
    assert (issue.code, issue.file, issue.severity) == (code, str(path), "error")


def test_another_tools_workbook_is_not_ours(tmp_path):
    path = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Hello"
    wb.save(path)
    assert fatal(path).code == "not-lga-xl"


def test_unknown_template_version_is_refused(tmp_path):
    path = tamper(make(tmp_path), lambda wb: wb["lga_xl"].cell(row=2, column=2, value="0.9"))
    issue = fatal(path)
    assert issue.code == "unsupported-template-version" and "0.9" in issue.message


def test_unknown_status_is_an_error_at_its_cell(tmp_path):
    answers = dict(ALL_DONE, **{"PP-MG2": "Yes"})
    result = read_self_assessment(make(tmp_path, answers=answers))
    row = element_row("PP-MG2")
    assert ("Assessment", f"E{row}", "unknown-status") in located(result)
    message = next(i.message for i in result.issues if i.code == "unknown-status")
    assert "'Yes' is not a status" in message and "PP-MG2" in message
    # the bad cell counts as unanswered; Mature is still complete, so the rating stands
    assert result.strands[1].levels[1].unanswered == 1
    assert result.strands[1].current == "Mature"
    assert "lower-level-incomplete" in codes(result)


def test_loose_statuses_are_read_and_flagged_never_silently(tmp_path):
    answers = dict(ALL_DONE, **{"LC-D1": " achieved ", "LC-D2": "ACHIEVED"})
    result = read_self_assessment(make(tmp_path, answers=answers))
    assert result.strands[0].current == "Mature"
    flagged = {(i.cell, i.code) for i in result.issues}
    assert flagged == {(f"E{element_row('LC-D1')}", "value-normalised"), (f"E{element_row('LC-D2')}", "value-normalised")}


def test_unanswered_elements_are_counted(tmp_path):
    answers = {k: v for k, v in ALL_DONE.items() if k not in ("WD-D2", "WD-MA1", "WD-MA6")}
    result = read_self_assessment(make(tmp_path, answers=answers))
    [issue] = [i for i in result.issues if i.code == "unanswered"]
    assert issue.cell == f"E{element_row('WD-D2')}" and "3 element(s)" in issue.message
    assert result.strands[2].current == "Maturing +"  # Maturing complete, 4 of 6 Mature


def test_a_level_all_not_applicable_is_an_error(tmp_path):
    answers = dict(ALL_DONE, **{f"EN-MG{i}": "Not applicable" for i in range(1, 6)})
    result = read_self_assessment(make(tmp_path, answers=answers))
    assert ("Assessment", f"E{element_row('EN-MG1')}", "level-all-not-applicable") in located(result)
    assert result.has_errors


def test_cover_problems_are_located(tmp_path):
    result = read_self_assessment(make(tmp_path, org_name=None, region="Wessex"))
    assert {("Cover", "B4", "missing-org-name"), ("Cover", "B6", "unknown-region")} <= located(result)


def test_region_typed_loosely_is_accepted_with_a_warning(tmp_path):
    result = read_self_assessment(make(tmp_path, region="east of england"))
    assert result.region == "East of England"
    assert ("Cover", "B6", "value-normalised") in located(result)


@pytest.mark.parametrize(
    ("target", "code", "severity"),
    [(None, "missing-target", "warning"), ("Excellent", "unknown-target", "error"),
     ("Maturing +", "target-below-current", "warning")],
)
def test_target_problems(tmp_path, target, code, severity):
    targets = dict(TARGETS)
    targets["Workforce Development"] = target
    result = read_self_assessment(make(tmp_path, targets=targets))
    [issue] = result.issues
    where = ratings_cell("target", "Workforce Development")
    assert (issue.sheet, issue.cell, issue.code, issue.severity) == ("Summary", where, code, severity)


def test_a_complete_higher_level_over_an_open_lower_level_is_a_warning(tmp_path):
    answers = dict(ALL_DONE, **{"LC-D2": "In progress"})
    result = read_self_assessment(make(tmp_path, answers=answers))
    [issue] = [i for i in result.issues if i.code == "lower-level-incomplete"]
    assert "LC-D2" in issue.message and issue.cell == f"E{element_row('LC-D1')}"
    assert result.strands[0].current == "Mature"


def test_duplicate_and_unknown_ids_are_errors(tmp_path):
    def edit(wb):
        ws = wb["Assessment"]
        ws["A6"] = "LC-D1"  # duplicate of row 5; LC-D2 now missing
        ws["A7"] = "LC-Z9"

    result = read_self_assessment(tamper(make(tmp_path), edit))
    assert {("Assessment", "A6", "duplicate-element"), ("Assessment", "A7", "unknown-element")} <= located(result)
    assert {i.code for i in result.issues} >= {"missing-element"}


def test_rows_resorted_by_the_officer_still_read_the_same(tmp_path):
    answers = {e.id: s for e, s in zip(MODEL.scored_elements, ["Achieved", "In progress", "Not started"] * 40)}
    original = read_self_assessment(make(tmp_path, answers=answers))

    def sort_by_status(wb):
        ws = wb["Assessment"]
        rows = [[ws.cell(row=r, column=c).value for c in range(1, 7)] for r in range(5, 88)]
        rows.sort(key=lambda r: (r[4] or "", r[0]))
        for r, values in enumerate(rows, start=5):
            for c, value in enumerate(values, start=1):
                ws.cell(row=r, column=c).value = value

    resorted = read_self_assessment(tamper(make(tmp_path, "sorted.xlsx", answers=answers), sort_by_status))
    assert [s.model_dump() for s in resorted.strands] == [s.model_dump() for s in original.strands]
    assert {e.id: e.status for e in resorted.elements} == {e.id: e.status for e in original.elements}


def test_table_moved_to_a_renamed_sheet_still_reads(tmp_path):
    path = tamper(make(tmp_path), lambda wb: setattr(wb["Assessment"], "title", "Our answers"))
    result = read_self_assessment(path)
    assert [s.current for s in result.strands] == ["Mature"] * 5
    assert result.elements[0].cell == "E5"


def test_a_formula_typed_over_is_a_warning(tmp_path):
    current = ratings_cell("current", "Workforce Development")

    def overwrite(wb):
        wb["Summary"][current] = "Mature"

    answers = {k: v for k, v in ALL_DONE.items() if not k.startswith("WD-")}
    result = read_self_assessment(tamper(make(tmp_path, answers=answers), overwrite))
    assert ("Summary", current, "cached-value-mismatch") in located(result)
    assert result.strands[2].current == "Not rated"


def test_deleted_summary_sheet_is_refused(tmp_path):
    path = tamper(make(tmp_path), lambda wb: wb.remove(wb["Summary"]))
    assert fatal(path).code == "missing-table"


def test_deleted_status_column_is_refused(tmp_path):
    def rename_column(wb):
        wb["Assessment"]["E4"] = "State"
        wb["Assessment"].tables["Elements"].tableColumns[4].name = "State"

    path = tamper(make(tmp_path), rename_column)
    issue = fatal(path)
    assert issue.code == "missing-column" and "Status" in issue.message


def test_macros_are_flagged_and_never_run(tmp_path):
    source = make(tmp_path)
    with_macros = tmp_path / "with_macros.xlsm"
    shutil.copy(source, with_macros)
    with zipfile.ZipFile(with_macros, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"Attribute VB_Name = \"Evil\"\nSub Auto_Open()\nEnd Sub\n")
    result = read_self_assessment(with_macros)
    assert codes(result) == {"has-macros"}


def test_validate_and_read_workbook_dispatch_on_the_file(tmp_path):
    good = make(tmp_path)
    assert read_workbook(good).kind == "self-assessment"
    assert validate(good) == []
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    assert [i.code for i in validate(empty)] == ["empty-file"]
