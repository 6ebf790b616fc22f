"""Reading trackers back: each problem an issue at its cell, and the figures the workbook's formulas would show.

Workbooks are written with the library (values as given, so wrong ones too)
and, where an officer would type text into a number or date cell, edited
with openpyxl.  Cell addresses come from the contract.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from lga_xl import targets as rules
from lga_xl.cli import main
from lga_xl.contracts.tracker import (
    ACTIONS,
    ACTUALS,
    CHECK_DATES,
    CHECK_DIRECTION,
    CHECK_DUPLICATE_ID,
    CHECK_FUTURE,
    CHECK_NO_OWNER,
    CHECK_OUT_OF_RANGE,
    CHECK_TWICE,
    CHECK_UNKNOWN_TARGET,
    CONTRACT,
    PUBLIC_SECTOR,
    TARGETS,
)
from lga_xl.readers import read_workbook
from lga_xl.readers.tracker import read_tracker
from lga_xl.writers.tracker import PublicSectorYear, new_tracker

D = dt.date
START, END = D(2024, 3, 31), D(2027, 3, 31)
REPORTING = D(2025, 3, 31)


def target(target_id: str = "T1", **given) -> rules.Target:
    figures = {"measure": f"Measure {target_id}", "baseline": Decimal(100), "target": Decimal(200),
               "baseline_date": START, "target_date": END, **given}
    return rules.Target(target_id, **figures)


def actual(target_id: str, on: dt.date, value) -> rules.Actual:
    return rules.Actual(target_id, on, Decimal(str(value)))


def write(path: Path, *, targets=None, actuals=(), actions=(), public_sector=(),
          reporting_date: dt.date | None = REPORTING) -> Path:
    """A tracker of Exampleshire; one target, T1 (100 to 200 over three years), unless others are given."""
    return new_tracker(path, org_name="Exampleshire County Council", region="London", reporting_date=reporting_date,
                       targets=[target()] if targets is None else targets, actuals=actuals, actions=actions,
                       public_sector=public_sector)


def type_into(path: Path, values: dict[tuple[str, str], object]) -> Path:
    """Type values into cells, as an officer would: {(sheet, cell): value}."""
    wb = openpyxl.load_workbook(path)
    for (sheet, cell), value in values.items():
        wb[sheet][cell] = value
        if isinstance(value, str):
            wb[sheet][cell].data_type = "s"
    wb.save(path)
    return path


def issues(tracker, code: str) -> list:
    return [issue for issue in tracker.issues if issue.code == code]


def cell(table, key: str, index: int = 0) -> str:
    return table.cell(key, table.first_row + index)


# --- targets -------------------------------------------------------------------------------


def test_a_target_date_before_its_baseline_date_is_an_error_at_the_target_date_and_the_target_is_not_set(tmp_path):
    path = write(tmp_path / "t.xlsx", targets=[target(target_date=D(2023, 3, 31))],
                 actuals=[actual("T1", D(2024, 9, 30), 120)])
    tracker = read_tracker(path)
    [issue] = issues(tracker, "target-before-baseline")
    assert (issue.severity, issue.sheet, issue.cell, issue.table, issue.column, issue.row) == (
        "error", "Targets", cell(TARGETS, "target_date"), "Targets", "Target date", 1)
    [row] = tracker.targets
    assert (row.rag, row.expected, row.check) == (rules.NOT_SET, None, CHECK_DATES)
    assert row.progress == Decimal("0.2")  # progress needs the values only, as the workbook's formula


def test_a_target_more_than_ten_years_after_its_baseline_is_the_same_error(tmp_path):
    tracker = read_tracker(write(tmp_path / "t.xlsx", targets=[target(target_date=START + dt.timedelta(3654))]))
    assert [i.cell for i in issues(tracker, "target-before-baseline")] == [cell(TARGETS, "target_date")]


def test_a_percentage_typed_without_its_sign_is_out_of_range_and_not_used(tmp_path):
    path = write(tmp_path / "t.xlsx", targets=[target(unit=rules.PERCENT, baseline=Decimal(74), target=Decimal("0.4"),
                                                      direction=rules.DECREASE)])
    tracker = read_tracker(path)
    [issue] = issues(tracker, "value-out-of-range")
    assert (issue.cell, issue.column) == (cell(TARGETS, "baseline"), "Baseline")
    assert "0% to 100%" in issue.message and "74" in issue.message
    assert (tracker.targets[0].rag, tracker.targets[0].check) == (rules.NOT_SET, CHECK_OUT_OF_RANGE)


def test_a_target_id_listed_twice_is_an_error_on_each_row(tmp_path):
    tracker = read_tracker(write(tmp_path / "t.xlsx", targets=[target("T1"), target("T2"), target("t1")]))
    assert [(i.cell, i.row) for i in issues(tracker, "duplicate-target")] == [
        (cell(TARGETS, "id", 0), 1), (cell(TARGETS, "id", 2), 3)]
    assert [t.check for t in tracker.targets] == [CHECK_DUPLICATE_ID, "", CHECK_DUPLICATE_ID]


def test_a_direction_that_contradicts_the_figures_is_an_error_and_the_figures_decide(tmp_path):
    path = write(tmp_path / "t.xlsx", targets=[target(direction=rules.INCREASE, baseline=Decimal(200),
                                                      target=Decimal(100))],
                 actuals=[actual("T1", REPORTING, 150)])
    tracker = read_tracker(path)
    [issue] = issues(tracker, "direction-contradicts")
    assert (issue.cell, issue.column) == (cell(TARGETS, "direction"), "Direction")
    [row] = tracker.targets
    # A decrease from 200 to 100 over three years: a third of the way down a year in, 150 is ahead of the line.
    assert (row.rag, row.check) == (rules.GREEN, CHECK_DIRECTION)


def test_a_target_without_figures_is_allowed_and_not_set(tmp_path):
    tracker = read_tracker(write(tmp_path / "t.xlsx", targets=[target(baseline=None, target=None, baseline_date=None,
                                                                      target_date=None)]))
    assert tracker.issues == [] and tracker.targets[0].rag == rules.NOT_SET


@pytest.mark.parametrize("amber, used, severity", [(Decimal("1.5"), Decimal("0.1"), "error"),
                                                   (Decimal("0.1234"), Decimal("0.123"), "warning")])
def test_amber_within_outside_0_to_100_or_between_steps(tmp_path, amber, used, severity):
    tracker = read_tracker(write(tmp_path / "t.xlsx", targets=[target(amber_within=amber)]))
    [issue] = issues(tracker, "bad-amber-within")
    assert (issue.severity, issue.cell) == (severity, cell(TARGETS, "amber_within"))
    assert tracker.targets[0].amber_within == used


def test_values_and_dates_typed_as_text_are_errors_and_not_used(tmp_path):
    path = type_into(write(tmp_path / "t.xlsx"), {("Targets", cell(TARGETS, "baseline")): "100",
                                                  ("Targets", cell(TARGETS, "target_date")): "31/03/2027"})
    tracker = read_tracker(path)
    assert [i.cell for i in issues(tracker, "not-a-number")] == [cell(TARGETS, "baseline")]
    assert [i.cell for i in issues(tracker, "bad-date")] == [cell(TARGETS, "target_date")]
    assert tracker.targets[0].rag == rules.NOT_SET


def test_a_unit_that_is_not_in_the_list_is_an_error(tmp_path):
    tracker = read_tracker(write(tmp_path / "t.xlsx", targets=[target(unit="Percent")]))
    assert [i.cell for i in issues(tracker, "not-in-list")] == [cell(TARGETS, "unit")]


# --- actuals -------------------------------------------------------------------------------


def test_an_actual_for_an_unknown_id_is_an_error_and_not_used(tmp_path):
    path = write(tmp_path / "t.xlsx", actuals=[actual("T1", D(2024, 9, 30), 120), actual("T9", D(2024, 12, 31), 999)])
    tracker = read_tracker(path)
    [issue] = issues(tracker, "unknown-target-id")
    assert (issue.sheet, issue.cell, issue.table, issue.column, issue.row) == (
        "Actuals", cell(ACTUALS, "target_id", 1), "Actuals", "ID", 2)
    assert [(a.counted, a.check) for a in tracker.actuals] == [(True, ""), (False, CHECK_UNKNOWN_TARGET)]
    assert tracker.targets[0].latest == Decimal(120)


def test_an_actual_dated_after_the_reporting_date_is_an_error(tmp_path):
    path = write(tmp_path / "t.xlsx", actuals=[actual("T1", REPORTING, 130), actual("T1", D(2025, 4, 1), 140)])
    tracker = read_tracker(path)
    [issue] = issues(tracker, "actual-in-future")
    assert (issue.cell, issue.column, issue.row) == (cell(ACTUALS, "date", 1), "Date", 2)
    assert "after the reporting date (31/03/2025)" in issue.message
    assert tracker.actuals[1].check == CHECK_FUTURE


def test_without_a_reporting_date_an_actual_after_today_is_the_error(tmp_path):
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    path = write(tmp_path / "t.xlsx", reporting_date=None,
                 actuals=[actual("T1", D(2024, 9, 30), 120), actual("T1", tomorrow, 130)])
    tracker = read_tracker(path)
    assert [i.cell for i in issues(tracker, "actual-in-future")] == [cell(ACTUALS, "date", 1)]
    [missing] = issues(tracker, "missing-input")
    assert (missing.sheet, missing.name) == CONTRACT.address("ReportingDate")[:1] + ("ReportingDate",)
    # The workbook's Check column compares with the reporting date only: it shows nothing here.
    assert [a.check for a in tracker.actuals] == ["", ""]
    assert all(a.rag is None for a in tracker.actions)


def test_a_percentage_actual_above_100_is_out_of_range_and_not_used(tmp_path):
    path = write(tmp_path / "t.xlsx", targets=[target(unit=rules.PERCENT, baseline=Decimal("0.5"),
                                                      target=Decimal("0.6"))],
                 actuals=[actual("T1", D(2024, 9, 30), "0.52"), actual("T1", D(2024, 12, 31), 55)])
    tracker = read_tracker(path)
    [issue] = issues(tracker, "value-out-of-range")
    assert (issue.cell, issue.column) == (cell(ACTUALS, "value", 1), "Value")
    assert tracker.targets[0].latest == Decimal("0.52")


def test_two_actuals_of_one_target_on_one_date_use_the_first(tmp_path):
    path = write(tmp_path / "t.xlsx", actuals=[actual("T1", D(2024, 9, 30), 120), actual("T1", D(2024, 9, 30), 125)])
    tracker = read_tracker(path)
    [issue] = issues(tracker, "duplicate-actual")
    assert (issue.cell, issue.row) == (cell(ACTUALS, "date", 1), 2)
    assert [a.check for a in tracker.actuals] == ["", CHECK_TWICE]
    assert (tracker.targets[0].latest, tracker.targets[0].actuals) == (Decimal(120), 1)


def test_the_latest_and_previous_actual_are_taken_by_date_whatever_the_order_of_the_rows(tmp_path):
    path = write(tmp_path / "t.xlsx", actuals=[actual("T1", D(2025, 3, 31), 130), actual("T1", D(2024, 9, 30), 135)])
    [row] = read_tracker(path).targets
    assert (row.latest_date, row.latest, row.previous, row.trend) == (D(2025, 3, 31), Decimal(130), Decimal(135),
                                                                      rules.DOWN)


# --- actions and public sector figures ---------------------------------------------------------


def action(number: str, **given) -> rules.Action:
    return rules.Action(number, f"Objective {number}", **given)


def test_an_action_without_an_owner_or_a_due_date_is_a_warning_and_a_placeholder_is_not(tmp_path):
    path = write(tmp_path / "t.xlsx", actions=[
        action("1.1", action="Do it", due=D(2025, 6, 30), status=rules.ON_TRACK),
        action("1.2", action="Do that", accountability="HR", status=rules.NOT_STARTED),
        action("1.3"),  # an objective waiting for its action
    ])
    tracker = read_tracker(path)
    [owner] = issues(tracker, "action-without-owner")
    [due] = issues(tracker, "action-without-due-date")
    assert (owner.severity, owner.cell, owner.column) == ("warning", cell(ACTIONS, "accountable"), "Accountable")
    assert (due.severity, due.cell, due.column) == ("warning", cell(ACTIONS, "due", 1), "Due")
    assert [a.check for a in tracker.actions] == [CHECK_NO_OWNER, "No due date", ""]
    assert not tracker.has_errors


def test_actions_are_red_when_overdue_and_counted_as_overdue_or_due_soon(tmp_path):
    path = write(tmp_path / "t.xlsx", actions=[
        action("1", action="a", accountability="x", due=D(2025, 3, 30), status=rules.ON_TRACK),
        action("2", action="b", accountability="x", due=D(2025, 3, 30), status=rules.COMPLETE),
        action("3", action="c", accountability="x", due=D(2025, 6, 30), status=rules.NOT_STARTED),
        action("4", action="d", accountability="x", due=D(2025, 7, 1), status=rules.NOT_STARTED),
        action("5", action="e", accountability="x", due=REPORTING, status=rules.AT_RISK),
    ])
    tracker = read_tracker(path)
    assert [a.rag for a in tracker.actions] == [rules.RED, rules.GREEN, rules.RED, rules.AMBER, rules.AMBER]
    assert [(a.overdue, a.due_soon) for a in tracker.actions] == [
        (True, False), (False, False), (False, True), (False, False), (False, True)]
    assert (tracker.actions_overdue, tracker.actions_due_soon) == (1, 2)


def test_a_status_not_in_the_list_is_an_error_and_has_no_rag(tmp_path):
    path = write(tmp_path / "t.xlsx", actions=[action("1", action="a", accountability="x", due=REPORTING,
                                                      status="Done")])
    tracker = read_tracker(path)
    assert [i.cell for i in issues(tracker, "not-in-list")] == [cell(ACTIONS, "status")]
    assert tracker.actions[0].rag is None


def test_public_sector_starts_as_a_share_of_headcount(tmp_path):
    path = write(tmp_path / "t.xlsx", public_sector=[PublicSectorYear("2023-24", 250, 300, 12, 6, 35),
                                                     PublicSectorYear("2024/25", 0, 10, 1, 0, 1)])
    tracker = read_tracker(path)
    first, second = tracker.public_sector
    # The collection's own worked example: 18 starts on a headcount of 250 is 7.20%.
    assert (first.year, first.starts_total, first.starts_share) == ("2023-24", 18, Decimal("0.072"))
    assert (second.year, second.starts_share) == ("2024-25", Decimal(0))
    assert tracker.issues == []


@pytest.mark.parametrize("years, cells", [(("2024",), [0]), (("2024-25", "2024-25"), [0, 1]), (("24/25",), [0])])
def test_a_reporting_year_not_like_2024_25_or_listed_twice_is_an_error(tmp_path, years, cells):
    path = write(tmp_path / "t.xlsx", public_sector=[PublicSectorYear(year, 100, 100, 1, 1, 1) for year in years])
    tracker = read_tracker(path)
    assert [i.cell for i in issues(tracker, "bad-reporting-year")] == [cell(PUBLIC_SECTOR, "year", i) for i in cells]


# --- the cover, and the issue as JSON -----------------------------------------------------------


def test_a_blank_tracker_says_what_is_missing(tmp_path):
    tracker = read_tracker(new_tracker(tmp_path / "blank.xlsx"))
    assert sorted(i.code for i in tracker.issues) == ["missing-input", "missing-org-name", "unknown-region"]
    assert (tracker.targets, tracker.actuals, tracker.actions, tracker.public_sector) == ([], [], [], [])


def test_read_json_gives_the_structured_location_of_an_issue(tmp_path):
    path = write(tmp_path / "t.xlsx", actuals=[actual("T9", D(2024, 9, 30), 1)])
    result = CliRunner().invoke(main, ["read", "--json", str(path)])
    assert result.exit_code == 1  # the file has an error
    [shown] = [i for i in json.loads(result.output)["issues"] if i["code"] == "unknown-target-id"]
    assert (shown["sheet"], shown["cell"], shown["table"], shown["column"], shown["row"]) == (
        "Actuals", cell(ACTUALS, "target_id"), "Actuals", "ID", 1)


def test_the_tracker_is_read_through_the_registry(tmp_path):
    path = write(tmp_path / "t.xlsx")
    assert read_workbook(path) == read_tracker(path)
    assert read_workbook(path).kind == "tracker"
