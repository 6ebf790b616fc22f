"""The role map: written from a roles CSV, read back, checked, stored and consolidated; its command."""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal
from importlib import resources
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import lga_xl
from lga_xl.bulk import import_returns
from lga_xl.cli import main
from lga_xl.contracts.role_map import (
    CHECK_DUPLICATE,
    CHECK_NO_JOB_TITLE,
    CHECK_UNKNOWN_STANDARD,
    CONTRACT,
    NONE_SUITABLE,
    OTHER_SERVICES,
    ROLES,
    SERVICE_SUMMARY,
)
from lga_xl.readers.role_map import read_role_map
from lga_xl.role_matching import RoleMatcher
from lga_xl.samples import sample_role_map
from lga_xl.standards import load_standards, sample_export
from lga_xl.usertext import UserRowsError, UserTextError
from lga_xl.writers import style
from lga_xl.writers.role_map import RoleEntry, load_roles_csv, new_role_map
from tests.test_bulk_import import table_of

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "roles.csv"
TITLES = REPO / "tests" / "data" / "council_job_titles.csv"
SKILLS_ENGLAND_JSON = Path(str(resources.files("lga_xl") / "data" / "standards_sample.json"))
EVERYTHING = sample_export(include_inactive=True)
CLOSED = {standard.reference for standard in EVERYTHING if standard.retired_or_withdrawn}


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def expected_standards() -> dict[str, dict[str, str]]:
    """Job title as written -> the standard an adviser would map it to, and the typical job title it spells."""
    lines = [line for line in TITLES.read_text(encoding="utf-8").splitlines(True) if not line.startswith("#")]
    return {row["job title"]: row for row in csv.DictReader(io.StringIO("".join(lines)))}


@pytest.fixture(scope="module")
def example_map(tmp_path_factory) -> Path:
    """The README's command: the example roles on a standards file in Skills England's JSON shape."""
    path = tmp_path_factory.mktemp("example") / "roles.xlsx"
    result = run("new", "role-map", "--org", "Exampleshire County Council", "--roles", EXAMPLE,
                 "--standards", SKILLS_ENGLAND_JSON, "-o", path)
    assert result.exit_code == 0, result.output
    return path


# --- suggestions, on a Skills England export ---------------------------------------------------


def test_the_right_standard_comes_first_for_nine_in_ten_titles_spelling_a_typical_job_title(example_map):
    expected = expected_standards()
    roles = read_role_map(example_map).roles
    assert [role.job_title for role in roles] == list(expected)  # the example lists the 50 titles, in order
    spelling_one = [role for role in roles if expected[role.job_title]["typical job title"]]
    first = [role for role in spelling_one if role.suggestion_1 == expected[role.job_title]["expected"]]
    assert len(spelling_one) >= 30
    print(f"first suggestion right for {len(first)} of {len(spelling_one)} titles spelling a typical job title")
    assert len(first) / len(spelling_one) >= 0.9, [r.job_title for r in spelling_one if r not in first]


def test_no_retired_or_withdrawn_standard_is_suggested_or_offered(example_map):
    roles = read_role_map(example_map).roles
    suggested = {ref for role in roles for ref in (role.suggestion_1, role.suggestion_2, role.suggestion_3) if ref}
    assert suggested and not suggested & CLOSED
    choices = openpyxl.load_workbook(example_map)["Lists"]
    offered = {cell.value for column in choices.iter_cols(values_only=False) if column[0].value ==
               "StandardChoiceList" for cell in column[1:]}
    assert NONE_SUITABLE in offered and not offered & CLOSED
    assert {s.reference for s in EVERYTHING if not s.retired_or_withdrawn} | {NONE_SUITABLE} == offered


def test_each_role_shows_the_matchers_suggestions_with_their_reasons(example_map):
    matcher = RoleMatcher(load_standards(SKILLS_ENGLAND_JSON, include_inactive=True))
    for role in read_role_map(example_map).roles:
        suggestions = matcher.suggest(role.job_title)
        assert [role.suggestion_1, role.suggestion_2, role.suggestion_3][:len(suggestions)] == [
            s.reference for s in suggestions]
        lines = role.suggested.splitlines()
        assert len(lines) == len(suggestions) > 0
        for rank, (line, suggestion) in enumerate(zip(lines, suggestions, strict=True), start=1):
            assert line.startswith(f"{rank}. {suggestion.reference} {suggestion.title} (level {suggestion.level}")
            assert f'"{suggestion.matched_text}"' in line or line.endswith("its title")
    care = next(role for role in read_role_map(example_map).roles if role.job_title == "Care Worker")
    assert care.suggested.splitlines()[0] == '1. ST0005 Adult care worker (level 2): job title "Care worker"'


def test_a_title_no_standard_matches_says_so(tmp_path):
    path = new_role_map(tmp_path / "m.xlsx", org_name="X", roles=[RoleEntry("Bin man", "Waste")])
    [role] = read_role_map(path).roles
    assert role.suggestion_1 is None and role.suggested.startswith("No standard suggested")


# --- reading back what the officer chose ------------------------------------------------------


def test_the_chosen_standard_fills_in_and_the_summary_adds_up(tmp_path):
    standards = {s.reference: s for s in EVERYTHING}
    roles = [
        RoleEntry("Care Worker", "Adult social care", "SC3", 200, 12, "ST0005"),
        RoleEntry("Senior Care Worker", "Adult social care", "SC5", 40, 3, "ST0006"),
        RoleEntry("Occupational Therapist", "Adult social care", "PO1", 14, 2, NONE_SUITABLE),
        RoleEntry("Payroll Officer", "Finance", "Grade 5", 8, 1, "ST0073"),
        RoleEntry("Finance Assistant", "Finance", "Grade 4", 12, None),
        RoleEntry("Gardener", None, "Grade 2", 30, 4, "ST0225"),
    ]
    result = read_role_map(new_role_map(tmp_path / "m.xlsx", org_name="Exampleshire", region="London",
                                        roles=roles))
    assert not result.issues
    care = result.roles[0]
    st0005 = standards["ST0005"]
    assert (care.standard, care.title, care.level, care.route, care.band_max, care.typical_duration_months,
            care.mapped, care.check) == ("ST0005", st0005.title, st0005.level, st0005.route, st0005.max_funding,
                                         st0005.typical_duration_months, True, "")
    assert (result.roles_total, result.roles_mapped, result.roles_none_suitable, result.roles_to_choose) == (
        6, 4, 1, 1)
    mapped = [roles[i] for i in (0, 1, 3, 5)]
    assert result.headcount_mapped == sum(r.headcount for r in mapped) == 278
    assert result.vacancies_mapped == sum(r.vacancies for r in mapped) == 20
    assert result.cost_mapped == sum(standards[r.standard].max_funding for r in mapped)
    by_service = {s.service: s for s in result.services}
    assert list(by_service) == ["Adult social care", "Finance", OTHER_SERVICES]
    assert (by_service["Adult social care"].roles, by_service["Adult social care"].roles_mapped) == (3, 2)
    assert by_service["Finance"].cost_mapped == standards["ST0073"].max_funding
    assert (by_service[OTHER_SERVICES].roles, by_service[OTHER_SERVICES].headcount_mapped) == (1, 30)
    assert sum(s.cost_mapped for s in result.services) == result.cost_mapped
    assert result.standards_source.startswith("the illustrative sample shipped with lga_xl (figures as at 2 July 2026")


def test_problems_are_issues_at_their_cells(tmp_path):
    roles = [
        RoleEntry("Care Worker", "Adult social care", "SC3", 20, 2, "ST0005"),
        RoleEntry("care worker", "ADULT SOCIAL CARE", "sc3", 5, 0, "ST0006"),  # the same role, differently typed
        RoleEntry("Payroll Officer", "Finance", None, 2.5, -1, "ST9999"),
        RoleEntry("Customer Services Advisor", "Customer services", None, "12", 1, "ST0072"),  # ST0072: retired
        RoleEntry("Library Assistant", "Libraries", None, 4, 1, "st0664"),
        RoleEntry("Youth Worker", "Youth", None, 3, 1, "none suitable"),
        RoleEntry(None, "Libraries", None, 7),
    ]
    result = read_role_map(new_role_map(tmp_path / "m.xlsx", org_name="Exampleshire", roles=roles))
    row = {i: ROLES.first_row + i for i in range(len(roles))}
    found = {(issue.code, issue.cell) for issue in result.issues}
    assert found == {
        ("duplicate-role", ROLES.cell("job_title", row[1])),
        ("not-a-number", ROLES.cell("headcount", row[2])),
        ("negative-amount", ROLES.cell("vacancies", row[2])),
        ("unknown-standard", ROLES.cell("standard", row[2])),
        ("number-as-text", ROLES.cell("headcount", row[3])),
        ("unknown-standard", ROLES.cell("standard", row[3])),
        ("value-normalised", ROLES.cell("standard", row[4])),
        ("value-normalised", ROLES.cell("standard", row[5])),
        ("incomplete-row", ROLES.cell("job_title", row[6])),
    }
    retired = next(i for i in result.issues if i.code == "unknown-standard" and i.cell.endswith(str(row[3])))
    assert "ST0072 Customer service practitioner is retired, so it cannot be picked" in retired.message
    assert (retired.sheet, retired.table, retired.column, retired.row) == ("Roles", "Roles", "Standard", 4)
    checks = [role.check for role in result.roles]
    assert checks == [CHECK_DUPLICATE, CHECK_DUPLICATE, CHECK_UNKNOWN_STANDARD, CHECK_UNKNOWN_STANDARD, "", "",
                      CHECK_NO_JOB_TITLE]
    assert [role.standard for role in result.roles[4:6]] == ["ST0664", NONE_SUITABLE]
    assert [role.title for role in result.roles[2:4]] == [CHECK_UNKNOWN_STANDARD, "Customer service practitioner"]
    assert [role.mapped for role in result.roles] == [True, True, False, False, True, False, False]
    assert result.has_errors


def test_a_total_typed_over_is_reported(tmp_path):
    path = sample_role_map(tmp_path / "m.xlsx", seed=2)
    sheet, cell = CONTRACT.address("RolesMapped")
    wb = openpyxl.load_workbook(path)
    wb[sheet][cell] = 999
    wb.save(path)
    [issue] = [i for i in read_role_map(path).issues if i.code == "cached-value-mismatch"]
    assert (issue.sheet, issue.cell, issue.name) == (sheet, cell, "RolesMapped") and "999" in issue.message


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    roles = [RoleEntry('=HYPERLINK("http://x","Care")', "+Adults", "-1")]
    result = read_role_map(new_role_map(tmp_path / "m.xlsx", org_name="=Exampleshire", roles=roles))
    assert (result.organisation, result.roles[0].job_title, result.roles[0].service, result.roles[0].grade) == (
        "=Exampleshire", '=HYPERLINK("http://x","Care")', "+Adults", "-1")


def test_a_blank_map_has_room_for_roles_and_reads_with_only_the_council_missing(tmp_path):
    path = new_role_map(tmp_path / "blank.xlsx")
    result = read_role_map(path)
    assert result.roles == [] and result.roles_total == 0 and [s.service for s in result.services] == [
        OTHER_SERVICES]
    assert [issue.code for issue in result.issues] == ["missing-org-name"]
    table = openpyxl.load_workbook(path)[ROLES.sheet].tables[ROLES.name]
    assert table.ref == ROLES.ref()


def test_the_library_calls_are_exported():
    assert lga_xl.new_role_map is new_role_map and lga_xl.read_role_map is read_role_map
    assert callable(lga_xl.refresh_role_map) and callable(lga_xl.planned_starts_from_role_map)
    assert callable(lga_xl.load_roles_csv) and callable(lga_xl.diff_standards)


# --- the roles CSV ---------------------------------------------------------------------------


ROLES_TEXT = [["Job title", "Service", "Grade", "Headcount", "Vacancies"],
              ["Care Worker", "Adult social care", "SC3", "212", "19"],
              ["Finance Assistant", "Finance", "Grade 4", "1,250", ""],
              ["Bibliothécaire", "Libraries", "£ band", "", "2"]]


def write_csv(path: Path, rows: list[list[str]], *, delimiter: str = ",", encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return path


@pytest.mark.parametrize(("delimiter", "encoding"), [(",", "utf-8"), (",", "utf-8-sig"), (";", "cp1252"),
                                                     ("\t", "utf-16")])
def test_roles_csv_as_excel_saves_it(tmp_path, delimiter, encoding):
    roles = load_roles_csv(write_csv(tmp_path / "roles.csv", ROLES_TEXT, delimiter=delimiter, encoding=encoding))
    assert roles.roles == (RoleEntry("Care Worker", "Adult social care", "SC3", 212, 19),
                           RoleEntry("Finance Assistant", "Finance", "Grade 4", 1250, None),
                           RoleEntry("Bibliothécaire", "Libraries", "£ band", None, 2))
    assert roles.missing == ()


def test_roles_csv_headers_in_any_case_and_order(tmp_path):
    rows = [["VACANCIES", "head count", "Service Area", "Job Role"], ["3", "40", "Adults", "Care Worker"]]
    roles = load_roles_csv(write_csv(tmp_path / "roles.csv", rows))
    assert roles.roles == (RoleEntry("Care Worker", "Adults", None, 40, 3),) and roles.missing == ("Grade",)


def test_bad_rows_are_all_named_by_their_line(tmp_path):
    rows = [ROLES_TEXT[0], ["Care Worker", "Adults", "SC3", "2", ""], ["", "Adults", "SC3", "4", ""],
            ["Cook", "Catering", "G2", "lots", "1"], ["care worker", "ADULTS", "sc3", "1", ""],
            ["Porter", "Facilities", "G1", "2.5", ""], ["Porter", "Facilities", "G2", "1", "-1"]]
    with pytest.raises(UserRowsError) as caught:
        load_roles_csv(write_csv(tmp_path / "roles.csv", rows))
    assert [(error.line, error.reason) for error in caught.value.errors] == [
        (3, "the job title is blank; give every role a job title"),
        (4, "Cook: headcount 'lots' is not a number"),
        (5, "care worker (ADULTS), grade sc3 is listed twice (first on line 2); list each role once"),
        (6, "Porter: headcount 2.5 is not a whole number"),
        (7, "Porter: vacancies is -1; it cannot be below 0"),
    ]


def test_a_csv_without_a_job_title_column_is_refused(tmp_path):
    with pytest.raises(UserTextError, match="missing column Job title"):
        load_roles_csv(write_csv(tmp_path / "roles.csv", [["Service", "Headcount"], ["Adults", "3"]]))


# --- the command ------------------------------------------------------------------------------


def test_the_command_never_writes_over_an_input_or_an_existing_file(tmp_path):
    roles = write_csv(tmp_path / "roles.xlsx", ROLES_TEXT)  # a CSV misnamed .xlsx still reads as the roles
    result = run("new", "role-map", "--roles", roles, "-o", tmp_path / "roles.xlsx")
    assert result.exit_code == 2 and "is the same file as the input" in result.output
    out = tmp_path / "map.xlsx"
    assert run("new", "role-map", "--roles", roles, "-o", out).exit_code == 0
    result = run("new", "role-map", "--roles", roles, "-o", out)
    assert result.exit_code == 2 and "already exists" in result.output
    assert run("new", "role-map", "--roles", roles, "-o", out, "--force").exit_code == 0
    assert read_role_map(out).roles_total == 3


def test_the_command_says_what_is_wrong_in_one_line_per_problem(tmp_path):
    bad = write_csv(tmp_path / "roles.csv", [["Service"], ["Adults"]])
    result = run("new", "role-map", "--roles", bad, "-o", tmp_path / "map.xlsx")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.output.startswith(f"Error: --roles: {bad} line 1: missing column Job title")
    missing = run("new", "role-map", "--roles", write_csv(tmp_path / "ok.csv", ROLES_TEXT), "--standards",
                  tmp_path / "nope.json", "-o", tmp_path / "map.xlsx")
    assert missing.exit_code == 2 and "nope.json: no such file" in missing.output
    assert not (tmp_path / "map.xlsx").exists()


# --- store and consolidated workbook ----------------------------------------------------------


def test_role_maps_are_stored_and_consolidated_on_roles_sheets(tmp_path):
    returns = tmp_path / "returns"
    sample_role_map(returns / "a.xlsx", seed=1)
    sample_role_map(returns / "b.xlsx", seed=2)
    report = import_returns([returns], db=tmp_path / "store.sqlite", out=tmp_path / "consolidated.xlsx")
    assert report.counts["imported"] == 2
    wb = openpyxl.load_workbook(report.workbook_path)
    assert {"Role maps", "Roles"} <= set(wb.sheetnames)
    maps = [read_role_map(returns / name) for name in ("a.xlsx", "b.xlsx")]
    rows = table_of(wb["Roles"])
    assert len(rows) == sum(len(m.roles) for m in maps)
    assert sorted(str(row["Standard"].value) for row in rows) == sorted(str(r.standard) for m in maps for r in m.roles)
    assert report.frames["roles"].shape[0] == len(rows) and report.frames["role_maps"].shape[0] == 2


# --- house style ------------------------------------------------------------------------------


def test_the_map_opens_on_its_instructions_and_prints_one_page_wide(example_map):
    wb = openpyxl.load_workbook(example_map)
    assert wb.active.title == "Instructions"
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight, ws.page_setup.paperSize) == (1, 0, 9), ws.title
        assert ws.oddFooter.center.text == "&A" and ws.protection.sheet, ws.title
    for table in (ROLES, SERVICE_SUMMARY):
        assert wb[table.sheet].print_title_rows == f"${table.header_row}:${table.header_row}"
    headings = [header for table in CONTRACT.tables for header in table.headers]
    assert style.heading_problems(headings) == []
    with zipfile.ZipFile(example_map) as package:
        styles = package.read("xl/styles.xml").decode()
    assert "Calibri" not in styles and "Arial" in styles


def test_empty_rows_show_nothing_worked_out(example_map):
    wb = openpyxl.load_workbook(example_map)
    ws = wb[ROLES.sheet]
    last = ROLES.last_row(ROLES.rows + 20)
    for key in ROLES.keys("formula"):
        if not ROLES.column(key).hidden:
            formula = ws[ROLES.cell(key, last)].value
            assert formula.startswith('=IF(OR(G') or formula.startswith("=IF(COUNTA("), key


def test_the_chart_names_its_series_by_the_table_headings_inside_the_printed_area(example_map):
    wb = openpyxl.load_workbook(example_map)
    with zipfile.ZipFile(example_map) as package:
        chart = next(package.read(name).decode() for name in package.namelist() if name.startswith("xl/charts/"))
    for header in ("Job roles", "Roles with a standard"):
        assert f"<v>{header}</v>" in chart
    area = wb[SERVICE_SUMMARY.sheet].print_area
    last_printed = int(area.split(":")[1].lstrip("$ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    assert last_printed > SERVICE_SUMMARY.last_row(len(read_role_map(example_map).services)) + 15


def test_money_is_in_pounds(tmp_path):
    path = new_role_map(tmp_path / "m.xlsx", roles=[RoleEntry("Care Worker", "Adults", None, 1, 1, "ST0005")])
    ws = openpyxl.load_workbook(path)[ROLES.sheet]
    assert ws[ROLES.cell("band_max", ROLES.first_row)].number_format == style.MONEY
    assert read_role_map(path).roles[0].band_max == Decimal("4500.00")
