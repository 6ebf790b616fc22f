"""The tracker workbook as written: the example word for word, its layout, its house style, the command line.

Every assertion reads the saved file back (openpyxl, or the package's XML)
and takes addresses from the contract, never typed by hand.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import lga_xl
from lga_xl import targets as rules
from lga_xl.cli import main
from lga_xl.contracts.tracker import (
    ACTIONS,
    ACTUALS,
    AMBER_USED,
    CONTRACT,
    OBJECTIVES,
    PUBLIC_SECTOR,
    SUMMARY,
    TARGETS,
    UNIT_FORMATS,
)
from lga_xl.readers import read_workbook
from lga_xl.writers import style
from lga_xl.writers.tracker import PublicSectorYear, new_tracker
from tests.support.xlsx_checklist import check_xlsx

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CHART = "http://schemas.openxmlformats.org/drawingml/2006/chart"
DRAWING = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS = {"m": MAIN, "c": CHART, "a": DRAWING}
INPUT_SHEETS = ("Monitoring", "Targets", "Actuals", "Action plan", "Public sector figures")
HERTFORDSHIRE = rules.load_example("hertfordshire")


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    return new_tracker(tmp_path_factory.mktemp("tracker") / "hertfordshire.xlsx", example="hertfordshire",
                       region="East of England", reporting_date=dt.date(2023, 7, 31), actuals=HERTFORDSHIRE.actuals,
                       public_sector=[PublicSectorYear("2022-23", 30_000, 30_500, 150, 60, 400)])


@pytest.fixture(scope="module")
def blank(tmp_path_factory) -> Path:
    return new_tracker(tmp_path_factory.mktemp("tracker") / "blank.xlsx")


def rows_of(path: Path, table) -> list[dict[str, object]]:
    """A table's rows as written, by column key, blank rows left out."""
    ws = openpyxl.load_workbook(path)[table.sheet]
    last = int(re.search(r"(\d+)$", ws.tables[table.name].ref).group(1))
    rows = []
    for row in ws.iter_rows(min_row=table.first_row, max_row=last, min_col=table.first_column + 1,
                            max_col=table.first_column + len(table.columns), values_only=True):
        values = dict(zip(table.keys(), row))
        if any(values[key] is not None for key in table.keys("input")):
            rows.append(values)
    return rows


def day(value: object) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else value


# --- the Hertfordshire example, word for word ------------------------------------------------


def test_the_example_opens_with_every_target_as_the_strategy_states_it(example):
    written = rows_of(example, TARGETS)
    assert [row["id"] for row in written] == [t.id for t in HERTFORDSHIRE.targets]
    for row, target in zip(written, HERTFORDSHIRE.targets):
        assert row["measure"] == target.measure
        assert (row["unit"], row["direction"]) == (target.unit, target.direction)
        assert (day(row["baseline_date"]), day(row["target_date"])) == (target.baseline_date, target.target_date)
        for key in ("baseline", "target"):
            assert (None if row[key] is None else Decimal(str(row[key]))) == getattr(target, key)
        assert target.note in (row["note"] or "")


def test_the_example_states_its_years_beside_the_dates_it_stores(example):
    notes = {row["id"]: row["note"] for row in rows_of(example, TARGETS)}
    assert notes["T1"].startswith("Years as stated: baseline 2021/22, target 2024/25.")
    assert notes["T3"] == "Measure to be agreed: no baseline or target yet, so it shows Not set."


def test_the_example_opens_with_its_objectives_and_every_action_word_for_word(example):
    objectives = rows_of(example, OBJECTIVES)
    assert [(o["number"], o["theme"], o["text"]) for o in objectives] == [
        (o.number, o.theme, o.text) for o in HERTFORDSHIRE.objectives]
    actions = rows_of(example, ACTIONS)
    assert len(actions) == len(HERTFORDSHIRE.actions) == 21
    for row, action in zip(actions, HERTFORDSHIRE.actions):
        assert (row["number"], row["objective"], row["measure"], row["action"], row["accountable"],
                row["timescale"], day(row["due"]), row["status"]) == (
            action.number, action.objective, action.measure, action.action, action.accountability,
            action.timescale, action.due, action.status)


def test_the_example_reads_back_with_no_issues_and_the_documented_rags(example):
    tracker = read_workbook(example)
    assert tracker.kind == "tracker" and tracker.issues == []
    assert tracker.organisation == HERTFORDSHIRE.organisation and tracker.strategy == HERTFORDSHIRE.name
    by_id = {t.id: t for t in tracker.targets}
    # docs/targets.md, worked examples 1 and 2; T3 is the measure still to be agreed.
    assert (by_id["T1"].expected, by_id["T1"].rag, by_id["T1"].progress) == (Decimal("6159.0055"), "Amber",
                                                                            Decimal("0.315"))
    assert (by_id["T9"].expected, by_id["T9"].rag, by_id["T9"].trend) == (Decimal("0.6268"), "Green", "Down")
    assert by_id["T3"].rag == "Not set"
    assert (tracker.targets_green, tracker.targets_amber, tracker.targets_red, tracker.targets_not_set) == (5, 3, 1, 1)
    # Action 1.1 is due on 31 July 2023, the reporting date: due within 3 months, not overdue.
    assert (tracker.actions_overdue, tracker.actions_due_soon) == (0, 1)


def test_an_unknown_example_is_refused(tmp_path):
    with pytest.raises(ValueError, match="not an example"):
        new_tracker(tmp_path / "t.xlsx", example="narnia")


# --- the layout, from the contract ------------------------------------------------------------


def test_the_workbook_opens_on_its_instructions(blank):
    wb = openpyxl.load_workbook(blank)
    assert wb.active.title == "Instructions"
    assert wb.sheetnames[:6] == ["Instructions", "Monitoring", "Targets", "Actuals", "Action plan",
                                 "Public sector figures"]
    assert {ws.title for ws in wb if ws.sheet_state == "hidden"} == {"Chart data", "Lists", "lga_xl"}


def test_the_summary_counts_the_targets_rags_and_the_actions_to_chase(blank):
    ws = openpyxl.load_workbook(blank)[SUMMARY.sheet]
    assert ws[SUMMARY.cell("TargetsAmber")].value == f'=COUNTIF({TARGETS.structured("rag")},"Amber")'
    assert ws[SUMMARY.cell("ActionsOverdue")].value == f'=COUNTIF({ACTIONS.structured("overdue_order")},">0")'


def test_empty_rows_show_blank_calculated_cells(blank):
    wb = openpyxl.load_workbook(blank)
    for table, key in ((TARGETS, "rag"), (TARGETS, "expected"), (ACTUALS, "check"), (ACTIONS, "rag"),
                       (PUBLIC_SECTOR, "starts_share")):
        formula = wb[table.sheet][table.cell(key, table.last_row())].value
        assert formula.startswith("=IF(COUNTA("), (table.name, key)


def test_the_rag_of_a_target_is_the_rule_of_lga_xl_targets(blank):
    ws = openpyxl.load_workbook(blank)[TARGETS.sheet]
    k = TARGETS.row_cells(TARGETS.first_row)
    rendered = rules.rag_formula(k["latest"], k["expected"], k["baseline"], k["target"], k["direction"],
                                 AMBER_USED.format(**k), baseline_date=k["baseline_date"], target_date=k["target_date"])
    assert rendered[1:] in ws[k["rag"]].value
    assert rules.expected_formula(k["baseline"], k["baseline_date"], k["target"], k["target_date"],
                                  k["latest_date"])[1:] in ws[k["expected"]].value


def test_values_show_in_their_units_format(example):
    ws = openpyxl.load_workbook(example)[TARGETS.sheet]
    for index, target in enumerate(HERTFORDSHIRE.targets):
        row = TARGETS.first_row + index
        for key in ("baseline", "target", "latest", "expected"):
            assert ws[TARGETS.cell(key, row)].number_format == UNIT_FORMATS[target.unit], (target.id, key)
    formats = {rule.dxf.numFmt.formatCode for rules_ in ws.conditional_formatting for rule in rules_.rules
               if rule.dxf is not None and rule.dxf.numFmt is not None}
    assert formats == set(UNIT_FORMATS.values())  # and whichever unit is picked later


# --- the house style ----------------------------------------------------------------------------


def parts(path: Path, pattern: str) -> dict[str, ET.Element]:
    with zipfile.ZipFile(path) as package:
        return {name: ET.fromstring(package.read(name)) for name in package.namelist() if re.fullmatch(pattern, name)}


def test_every_font_is_the_house_font(example):
    fonts = parts(example, r"xl/styles\.xml")["xl/styles.xml"].findall("m:fonts/m:font", NS)
    assert {font.find("m:name", NS).get("val") for font in fonts} == {style.FONT_NAME}
    for name, chart in parts(example, r"xl/charts/chart\d+\.xml").items():
        assert {latin.get("typeface") for latin in chart.iter(f"{{{DRAWING}}}latin")} == {style.FONT_NAME}, name


def test_numbers_use_the_house_formats(example):
    styles = parts(example, r"xl/styles\.xml")["xl/styles.xml"]
    formats = {f.get("formatCode") for f in styles.iter(f"{{{MAIN}}}numFmt")}
    assert {style.DATE, style.PERCENT, style.COUNT, style.MONEY_WHOLE} <= formats
    assert not {"#,##0.00", "0%", "0.00%"} & formats


def test_every_sheet_prints_a4_one_page_wide_with_the_footer_and_repeated_headers(example):
    wb = openpyxl.load_workbook(example)
    for ws in wb:
        if ws.sheet_state == "hidden":
            continue
        setup = ws.page_setup
        assert (int(setup.paperSize), setup.fitToWidth, setup.fitToHeight) == (int(ws.PAPERSIZE_A4), 1, 0), ws.title
        assert ws.print_area and ws.oddFooter.right.text == "Page &P of &N", ws.title
        assert ws.oddFooter.center.text == "&A" and ws.protection.sheet, ws.title
    for table in (TARGETS, ACTUALS, ACTIONS, PUBLIC_SECTOR):
        assert wb[table.sheet].print_title_rows == f"${table.header_row}:${table.header_row}"


def test_every_validated_cell_prompts_and_stops_a_wrong_value(example):
    wb = openpyxl.load_workbook(example)
    validated = 0
    for ws in wb:
        for dv in ws.data_validations.dataValidation:
            validated += 1
            assert dv.showInputMessage and dv.promptTitle and dv.prompt, (ws.title, dv.sqref)
            if dv.type is not None:
                assert dv.showErrorMessage and dv.errorStyle == "stop" and dv.error, (ws.title, dv.sqref)
    assert validated > 30
    for table in (TARGETS, ACTUALS, ACTIONS, PUBLIC_SECTOR, OBJECTIVES):
        ws = wb[table.sheet]
        covered = {cell for dv in ws.data_validations.dataValidation for rng in dv.sqref.ranges
                   for row in ws[rng.coord] for cell in (row if isinstance(row, tuple) else (row,))}
        for key in table.keys("input"):
            assert ws[table.cell(key, table.first_row)] in covered, (table.name, key)


def test_a_percentage_typed_without_its_sign_is_stopped_by_the_validation(example):
    ws = openpyxl.load_workbook(example)[TARGETS.sheet]
    cell = TARGETS.cell("baseline", TARGETS.first_row)
    [dv] = [dv for dv in ws.data_validations.dataValidation if cell in dv.sqref]
    assert dv.type == "custom" and '"%"' in dv.formula1 and "<=1" in dv.formula1


def test_headings_are_plain_english_and_tables_have_no_filter_buttons(example):
    for table in CONTRACT.tables:
        assert style.heading_problems(table.headers) == [], table.name
    for name, table in parts(example, r"xl/tables/table\d+\.xml").items():
        assert table.find("m:autoFilter", NS) is None, name
        assert table.find("m:tableStyleInfo", NS).get("name") is None, name


def test_charts_draw_straight_lines_with_axes_inside_the_printed_area(example):
    charts = parts(example, r"xl/charts/chart\d+\.xml")
    assert len(charts) == TARGETS.rows  # one per target row: the example's ten and two spare
    for name, chart in charts.items():
        series = chart.findall(".//c:scatterChart/c:ser", NS)
        assert [s.find("c:tx//c:v", NS).text for s in series] == ["Actual", "Line", "Edge of Amber"], name
        assert all(s.find("c:smooth", NS).get("val") == "0" for s in series), name
        assert all(axis.find("c:delete", NS).get("val") == "0" for axis in chart.iter(f"{{{CHART}}}valAx")), name
    wb = openpyxl.load_workbook(example)
    ws = wb["Monitoring"]
    last_row = int(re.search(r"(\d+)$", ws.print_area).group(1))
    assert re.search(r"\$H\$\d+$", ws.print_area)
    for chart in ws._charts:
        marker = chart.anchor._from
        assert marker.row + 1 < last_row and marker.col < 8


def test_the_colour_key_and_the_rag_colours_are_explained(blank):
    ws = openpyxl.load_workbook(blank)["Instructions"]
    words = [cell.value for row in ws.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert {"Yellow", "Type here", "Green", "Worked out for you", "Amber", "Red"} <= set(words)


@pytest.mark.parametrize("fixture", ["blank", "example"])
def test_the_excel_checklist_holds(fixture, request):
    assert check_xlsx(request.getfixturevalue(fixture), input_sheets=INPUT_SHEETS) == []


# --- the command line and the library ----------------------------------------------------------


def test_new_tracker_on_the_command_line_is_the_library_call(tmp_path):
    out = tmp_path / "herts.xlsx"
    result = CliRunner().invoke(main, ["new", "tracker", "--org", "Hertfordshire County Council", "--region",
                                       "east of england", "--example", "hertfordshire", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.output
    by_cli = read_workbook(out, display="tracker.xlsx")
    by_library = read_workbook(lga_xl.new_tracker(tmp_path / "lib.xlsx", org_name="Hertfordshire County Council",
                                                  region="East of England", example="hertfordshire"),
                               display="tracker.xlsx")
    assert by_cli == by_library
    assert (by_cli.organisation, by_cli.region) == ("Hertfordshire County Council", "East of England")


def test_the_command_line_names_the_examples_it_has(tmp_path):
    result = CliRunner().invoke(main, ["new", "tracker", "--example", "narnia", "-o", str(tmp_path / "t.xlsx")])
    assert result.exit_code == 2 and "hertfordshire" in result.output


def test_read_tracker_refuses_another_kind(tmp_path):
    plan = lga_xl.new_levy_plan(tmp_path / "plan.xlsx")
    with pytest.raises(lga_xl.WorkbookError) as caught:
        lga_xl.read_tracker(plan)
    assert caught.value.issue.code == "wrong-kind"
