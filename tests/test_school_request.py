"""The school's request for apprentices: written from the plan, read back, checked at its cells."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import openpyxl
import pytest
from click.testing import CliRunner

from lga_xl import levy
from lga_xl.cli import main
from lga_xl.contracts.school_request import CONTRACT, REQUESTS, STANDARDS, pick_text
from lga_xl.kinds import KINDS
from lga_xl.readers import read_workbook
from lga_xl.readers.school_request import read_school_request
from lga_xl.schools_toolkit import ToolkitError, load_plan, school_request_from_plan
from lga_xl.standards import load_standards
from lga_xl.writers.levy_plan import SchoolEntry, StartEntry, new_levy_plan
from lga_xl.writers.school_request import new_school_request, pickable_standards
from tests.school_request_cases import EDGE_ROWS, edge_request
from tests.test_role_map_libreoffice import DATA

PLAN_START = dt.date(2026, 4, 1)


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    """A plan on an exported standards list, with a school that has a start and one outside the council's levy."""
    folder = tmp_path_factory.mktemp("plan")
    standards = load_standards(DATA / "standards_export_2026-07.json", include_inactive=True)
    return new_levy_plan(
        folder / "plan.xlsx", org_name="Exampleshire County Council", region="London", total_pay_bill=40_000_000,
        english_percent=1, schools=[SchoolEntry(100001, "Ash Primary", "Community", 1_500_000, 40),
                                    SchoolEntry(100002, "Birch Academy", "Academy converter", 2_000_000, 50)],
        starts=[StartEntry("ST0454", dt.date(2026, 9, 1), 18, 7000, urn=100001)], standards=standards,
        standards_source="standards_export_2026-07.json")


@pytest.fixture(scope="module")
def edge(tmp_path_factory):
    return read_school_request(edge_request(tmp_path_factory.mktemp("edge") / "edge.xlsx"))


def test_a_request_made_from_the_plan_carries_the_school_its_figures_and_the_plans_standards(plan, tmp_path):
    schools_plan = load_plan(plan)
    request = read_workbook(school_request_from_plan(plan, "100001", tmp_path / "ash.xlsx", contact="Sam Patel"))
    [school] = [s for s in schools_plan.plan.schools if s.urn == "100001"]
    assert (request.kind, request.school, request.urn, request.school_type, request.council, request.region,
            request.tax_year, request.contact) == ("school-request", "Ash Primary", "100001", "Community school",
                                                   "Exampleshire County Council", "London", "2026-27", "Sam Patel")
    assert (request.levy_share, request.funds_share, request.planned_spend, request.funds_left) == (
        school.levy_share, school.funds_share, school.planned_spend, school.funds_left)
    assert request.funds_left_after == school.funds_left and request.request_count == 0
    ws = openpyxl.load_workbook(tmp_path / "ash.xlsx")[STANDARDS.sheet]
    carried = [ws[STANDARDS.cell("reference", row)].value for row in range(STANDARDS.first_row, ws.max_row + 1)
               if ws[STANDARDS.cell("reference", row)].value]
    assert carried == [s.reference for s in pickable_standards(schools_plan.standards, PLAN_START)]
    assert all(s.approved for s in schools_plan.standards if s.reference in carried)
    assert len(carried) < len(schools_plan.standards)  # retired, withdrawn and in-development standards stay behind


def test_no_request_for_a_school_outside_the_plan_or_the_councils_levy(plan, tmp_path):
    with pytest.raises(ToolkitError, match="no school with URN 999999"):
        school_request_from_plan(plan, 999999, tmp_path / "x.xlsx")
    with pytest.raises(ToolkitError, match="Birch Academy .* not in the council's levy"):
        school_request_from_plan(plan, "100002", tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()


def test_each_row_is_checked_at_its_cell_as_its_check_column_says(edge):
    by_row = {start.row: start for start in edge.requests}
    assert len(edge.requests) == len(EDGE_ROWS)
    for index, (_, check, code) in enumerate(EDGE_ROWS):
        row = REQUESTS.first_row + index
        assert by_row[row].check == check, row
        codes = [issue.code for issue in edge.issues
                 if issue.table == "Requests" and re.sub("[A-Z]", "", issue.cell or "") == str(row)]
        assert codes == ([code] if code else []), row


def test_issues_name_their_cell_table_and_column(edge):
    [issue] = [i for i in edge.issues if i.code == "unknown-standard"]
    row = REQUESTS.first_row + 2
    assert (issue.sheet, issue.cell, issue.table, issue.column) == (REQUESTS.sheet, REQUESTS.cell("standard", row),
                                                                    "Requests", "Standard")
    [issue] = [i for i in edge.issues if i.code == "typed-as-text"]
    assert issue.cell == REQUESTS.cell("start_month", REQUESTS.first_row + 4) and "Sept 2026" in issue.message


def test_a_request_is_costed_as_the_plan_costs_a_start_at_the_band_for_the_typical_duration(edge):
    by_role = {start.role: start for start in edge.requests}
    assistant = by_role["Teaching assistant"]
    assert (assistant.standard, assistant.title, assistant.level, assistant.duration_months, assistant.band_max) == (
        "ST0454", "Teaching assistant", 3, 18, Decimal("7000.00"))
    plan_end = levy._add_months(PLAN_START, 11)
    assert assistant.in_year_cost == levy.payments_between(7000, dt.date(2026, 9, 1), 18, PLAN_START, plan_end)
    lead = by_role["Early years lead"]  # typed loosely: a bare reference in lower case, hire in lower case
    assert (lead.standard, lead.hire, lead.band_max) == ("ST0551", "Existing staff", Decimal("9000.00"))
    care = by_role["Care"]  # a dated band: the one in force on the first of the start month
    assert care.start_month == dt.date(2026, 7, 1) and care.band_max == Decimal("4500.00")
    assert by_role["Serial"].start_month == dt.date(2026, 10, 1)
    assert by_role["Spaced"].standard == "ST0454" and by_role["Spaced"].in_year_cost > 0
    assert by_role["Admin 2"].in_year_cost == 0  # starts after the plan year
    assert by_role["Banded"].band_max is None and by_role["Banded"].in_year_cost == 0


def test_the_totals_and_the_share_left(edge):
    costed = edge.requests
    assert edge.request_count == len(EDGE_ROWS)
    assert edge.requests_band_total == sum(s.band_max for s in costed if s.band_max is not None)
    assert edge.requests_in_year == sum(s.in_year_cost for s in costed)
    assert edge.funds_left_after == Decimal("2000.00") - edge.requests_in_year < 0
    [over] = [i for i in edge.issues if i.code == "requests-over-share"]
    assert over.severity == "warning" and over.name == "FundsLeftAfter"


def test_the_standard_dropdown_picks_by_title(tmp_path):
    path = new_school_request(tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(path)
    [validation] = [dv for dv in wb[REQUESTS.sheet].data_validations.dataValidation
                    if REQUESTS.cell("standard", REQUESTS.first_row) in str(dv.sqref)]
    assert validation.formula1 == "StandardPickList"
    destination = next(wb.defined_names["StandardPickList"].destinations)
    assert destination[0] == STANDARDS.sheet and destination[1].startswith(
        f"${STANDARDS.letter('pick')}${STANDARDS.first_row}")
    titles = [wb[STANDARDS.sheet][STANDARDS.cell("title", row)].value
              for row in range(STANDARDS.first_row, wb[STANDARDS.sheet].max_row + 1)]
    assert titles == sorted(titles, key=str.casefold)
    assert pick_text("ST0454", "Teaching assistant", 3) == "Teaching assistant (level 3, ST0454)"


def test_a_blank_request_names_no_school(tmp_path):
    request = read_workbook(KINDS["school-request"].writer(tmp_path / "blank.xlsx"))
    assert [issue.code for issue in request.issues] == ["request-without-school"]
    assert (request.organisation, request.request_count, request.funds_left_after) == (None, 0, None)


def test_text_from_a_school_stays_text(tmp_path):
    path = edge_request(tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(path)
    sheet, cell = CONTRACT.address("CompletedBy")
    wb[sheet][cell] = '=HYPERLINK("http://x")'
    wb[sheet][cell].data_type = "s"
    wb.save(path)
    assert read_school_request(path).completed_by == '=HYPERLINK("http://x")'


def test_new_school_request_on_the_command_line(plan, tmp_path):
    out = tmp_path / "ash.xlsx"
    result = CliRunner().invoke(main, ["new", "school-request", "--plan", str(plan), "--urn", "100001",
                                       "--contact", "Sam Patel", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.output and read_school_request(out).contact == "Sam Patel"
    again = CliRunner().invoke(main, ["new", "school-request", "--plan", str(plan), "--urn", "100001", "-o", str(out)])
    assert again.exit_code == 2 and "already exists" in again.output
    over_plan = CliRunner().invoke(main, ["new", "school-request", "--plan", str(plan), "--urn", "100001", "-o",
                                          str(plan), "--force"])
    assert over_plan.exit_code == 2 and "same file as the input" in over_plan.output
    unknown = CliRunner().invoke(main, ["new", "school-request", "--plan", str(plan), "--urn", "42", "-o",
                                        str(tmp_path / "x.xlsx")])
    assert unknown.exit_code == 2 and "no school with URN 42" in unknown.output
