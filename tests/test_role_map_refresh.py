"""The monthly refresh: the standards diff, a role map carried onto a newer list, and the levy plan pre-filled from it."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from importlib import resources
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from lga_xl.cli import main
from lga_xl.contracts.levy_plan import CHECK_INCOMPLETE
from lga_xl.contracts.role_map import NONE_SUITABLE, REFRESH_SHEET, ROLES
from lga_xl.readers.levy_plan import read_levy_plan
from lga_xl.readers.role_map import read_role_map
from lga_xl.standards import load_standards, sample_export
from lga_xl.writers.role_map import RoleEntry, new_role_map, planned_starts_from_role_map, refresh_role_map

DATA = Path(__file__).parent / "data"
JUNE, JULY = DATA / "standards_export_2026-06.json", DATA / "standards_export_2026-07.json"
SAMPLE_CSV = Path(str(resources.files("lga_xl") / "data" / "standards_sample.csv"))


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- lga-xl standards diff ---------------------------------------------------------------------


def test_standards_diff_json_reports_every_change_that_matters_and_nothing_else():
    result = run("standards", "diff", JUNE, JULY, "--json")
    assert result.exit_code == 0, result.output
    diff = json.loads(result.output)
    assert {kind: [entry["reference"] for entry in entries] for kind, entries in diff.items()} == {
        "added": ["ST0888", "ST1472"],
        "retired_or_withdrawn": ["ST0072", "ST0239", "ST0969"],
        "rebanded": ["ST0005", "ST0384"],
        "relevelled": ["ST0007"],
        "new_versions": ["ST0005", "ST0384"],
    }
    assert [(e["before"], e["after"]) for e in diff["retired_or_withdrawn"]] == [
        ("Approved for delivery", "Retired"), ("Approved for delivery", None), ("Approved for delivery", "Withdrawn")]
    assert [(e["before"], e["after"]) for e in diff["rebanded"]] == [("3000", "4500"), ("4500", "5000")]
    assert [(e["before"], e["after"]) for e in diff["relevelled"]] == [(4, 5)]
    # ST0070's job titles and route, ST0384's title, ST0454's revision in development, ST0545 still retired:
    reported = {entry["reference"] for entries in diff.values() for entry in entries}
    assert not reported & {"ST0070", "ST0454", "ST0545"}


def test_standards_diff_in_words():
    result = run("standards", "diff", JUNE, JULY)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "2 added, 3 retired or withdrawn, 2 re-banded, 1 re-levelled, 2 new versions"
    assert "  ST0239 HR support: Approved for delivery -> no longer listed" in lines
    assert "  ST0005 Adult care worker: £3,000 -> £4,500" in lines
    assert "  ST0007 Lead practitioner in adult care: level 4 -> 5" in lines
    assert run("standards", "diff", JULY, JULY).output.strip() == (
        "0 added, 0 retired or withdrawn, 0 re-banded, 0 re-levelled, 0 new versions")


def test_standards_diff_of_a_bad_file_is_one_line_and_exit_2(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('[{"referenceNumber": "ST0072"')
    result = run("standards", "diff", JUNE, bad)
    assert result.exit_code == 2 and result.output.startswith("Error: bad.json line 1: not valid JSON")


# --- lga-xl role-map refresh -------------------------------------------------------------------

# (job title, choice on the June list, what the refresh onto July must do with it)
ROLES_IN_JUNE = [
    ("Care Worker", "ST0005", "kept, band changed"),
    ("Customer Service Practitioner", "ST0072", "cleared: retired"),
    ("HR Support Officer", "ST0239", "cleared: no longer listed"),
    ("Electoral Services Officer", "ST0969", "cleared: withdrawn"),
    ("Team Leader", "ST0384", "kept, band changed"),
    ("Administrator", "ST0070", "kept"),
    ("Teaching Assistant", "ST0454", "kept"),
    ("Lead Practitioner", "ST0007", "kept, level changed"),
    ("Early Years Practitioner", NONE_SUITABLE, "kept, new suggestion"),
    ("Administration Assistant", None, "still to choose"),
    ("Care Assistant", "ST1472", "kept, band changed"),  # in development in June, approved in July
]


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory) -> tuple[Path, Path, object]:
    folder = tmp_path_factory.mktemp("refresh")
    june_map = new_role_map(folder / "june.xlsx", org_name="Exampleshire", region="London",
                            roles=[RoleEntry(title, "Services", None, 10, 1, choice)
                                   for title, choice, _ in ROLES_IN_JUNE],
                            standards=load_standards(JUNE, include_inactive=True), standards_source=JUNE.name)
    before = sha(june_map)
    report = refresh_role_map(june_map, load_standards(JULY, include_inactive=True), folder / "july.xlsx",
                              standards_source=JULY.name)
    assert sha(june_map) == before  # the map refreshed is only read
    return june_map, folder / "july.xlsx", report


def test_refresh_keeps_every_choice_whose_standard_is_still_current(refreshed):
    _, july_map, report = refreshed
    after = read_role_map(july_map)
    assert not after.has_errors
    assert [role.job_title for role in after.roles] == [title for title, _, _ in ROLES_IN_JUNE]
    july = {s.reference: s for s in load_standards(JULY, include_inactive=True)}
    for role, (title, choice, _) in zip(after.roles, ROLES_IN_JUNE, strict=True):
        still_current = choice == NONE_SUITABLE or choice in july and not july[choice].retired_or_withdrawn
        assert role.standard == (choice if still_current else None), title
    assert (report.kept, report.cleared) == (7, 3)
    assert after.standards_source == JULY.name and after.organisation == "Exampleshire"


def test_refresh_flags_each_retired_rebanded_relevelled_and_newly_suggested_role_and_nothing_else(refreshed):
    _, july_map, report = refreshed
    notes = {role.job_title: role.refresh_note for role in read_role_map(july_map).roles}
    assert notes == {
        "Care Worker": "Funding band maximum changed from £3,000.00 to £4,500.00",
        "Customer Service Practitioner": "ST0072 Customer service practitioner was retired: choose another standard; "
                                         "New suggestion: ST0888 Early years practitioner (level 2)",
        "HR Support Officer": "ST0239 HR support is no longer in the standards list: choose another standard",
        "Electoral Services Officer": "ST0969 Electoral services officer was withdrawn: choose another standard",
        "Team Leader": "Funding band maximum changed from £4,500.00 to £5,000.00",
        "Administrator": None,
        "Teaching Assistant": None,
        "Lead Practitioner": "Level changed from 4 to 5",
        "Early Years Practitioner": "New suggestion: ST0888 Early years practitioner (level 2)",
        "Administration Assistant": None,
        "Care Assistant": "Funding band maximum changed from £3,500.00 to £4,000.00",
    }
    assert [role.job_title for role in report.flagged] == [title for title, note in notes.items() if note]
    assert [role.row for role in report.flagged] == [ROLES.first_row + i for i, (_, note) in enumerate(notes.items())
                                                     if note]


def test_the_check_column_shows_the_note_until_the_standard_is_changed(refreshed, tmp_path):
    _, july_map, _ = refreshed
    roles = read_role_map(july_map).roles
    assert [role.check for role in roles] == [role.refresh_note or "" for role in roles]
    edited = tmp_path / "edited.xlsx"
    wb = openpyxl.load_workbook(july_map)
    ws = wb[ROLES.sheet]
    ws[ROLES.cell("standard", ROLES.first_row)] = "ST0007"  # Care Worker: the officer picks another standard
    ws[ROLES.cell("standard", ROLES.first_row + 1)] = "ST0888"  # and one for the retired ST0072's role
    wb.save(edited)
    changed = read_role_map(edited).roles
    assert [role.check for role in changed[:2]] == ["", ""] and changed[4].check == roles[4].check != ""


def test_the_refreshed_map_lists_what_changed_on_its_refresh_sheet(refreshed):
    june_map, july_map, report = refreshed
    ws = openpyxl.load_workbook(july_map)[REFRESH_SHEET]
    rows = [row for row in ws.iter_rows(min_row=5, values_only=True)]
    assert [(row[0], row[1], row[5]) for row in rows] == [(role.row, role.job_title, role.note)
                                                           for role in report.flagged]
    assert june_map.name in ws["A2"].value and JULY.name in ws["A2"].value
    assert "Refresh" not in openpyxl.load_workbook(june_map).sheetnames


def test_roles_added_in_the_blank_rows_get_suggestions_at_the_refresh(tmp_path):
    path = new_role_map(tmp_path / "map.xlsx", org_name="X", roles=[RoleEntry("Care Worker", "Adults")])
    wb = openpyxl.load_workbook(path)
    wb[ROLES.sheet][ROLES.cell("job_title", ROLES.first_row + 1)] = "Payroll Officer"
    wb.save(path)
    assert read_role_map(path).roles[1].suggestion_1 is None
    refresh_role_map(path, sample_export(include_inactive=True), tmp_path / "new.xlsx")
    assert read_role_map(tmp_path / "new.xlsx").roles[1].suggestion_1 == "ST0073"


def test_the_refresh_command_prints_its_report_and_never_writes_over_the_map(refreshed, tmp_path):
    june_map, _, _ = refreshed
    before = sha(june_map)
    result = run("role-map", "refresh", june_map, "--standards", JULY, "-o", june_map)
    assert result.exit_code == 2 and "is the same file as the input" in result.output
    out = tmp_path / "july.xlsx"
    result = run("role-map", "refresh", june_map, "--standards", JULY, "-o", out)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"Refreshed {june_map.name} from {JUNE.name} to {JULY.name}"
    assert lines[1] == ("11 roles: 7 confirmed choices kept, 3 cleared because the standard was retired or "
                        "withdrawn, 8 roles flagged")
    assert any("Customer Service Practitioner" in line and "was retired" in line for line in lines)
    assert lines[-1] == f"Wrote {out}" and sha(june_map) == before
    again = run("role-map", "refresh", june_map, "--standards", JULY, "-o", out)
    assert again.exit_code == 2 and "already exists" in again.output


def test_refreshing_a_file_that_is_not_a_role_map_says_why(tmp_path):
    not_a_map = tmp_path / "roles.xlsx"
    not_a_map.write_text("Job title\nCare Worker\n")
    result = run("role-map", "refresh", not_a_map, "--standards", JULY, "-o", tmp_path / "new.xlsx")
    assert result.exit_code == 2 and "not-xlsx" in result.output
    assert not (tmp_path / "new.xlsx").exists()


# --- into the levy plan ------------------------------------------------------------------------

VACANCIES = [
    RoleEntry("Care Worker", "Adults", None, 40, 2, "ST0005"),
    RoleEntry("Payroll Officer", "Finance", None, 3, 1, "ST0073"),
    RoleEntry("Administration Assistant", "Finance", None, 4, 3, "ST1472"),  # in development: no start yet
    RoleEntry("Chief Executive", "Corporate", None, 1, 1, NONE_SUITABLE),
    RoleEntry("Team Leader", "Customer services", None, 6, 0, "ST0384"),
    RoleEntry("Gardener", "Parks", None, 9, 2),  # still to choose
]


def test_a_levy_plan_is_prefilled_with_a_start_for_each_vacancy_in_each_mapped_role(tmp_path):
    role_map = new_role_map(tmp_path / "map.xlsx", org_name="Exampleshire", roles=VACANCIES)
    result = run("new", "levy-plan", "--org", "Exampleshire", "--roles", role_map, "-o", tmp_path / "plan.xlsx")
    assert result.exit_code == 0, result.output
    assert "Pre-filled 3 planned start(s), one for each vacancy, from 2 role(s)" in result.output
    assert "ST1472 is in development, so no start can be planned on it yet" in result.output
    plan = read_levy_plan(tmp_path / "plan.xlsx")
    bands = {s.reference: s for s in sample_export()}
    assert [(s.standard, s.title, s.start_date, s.duration_months, s.price, s.urn) for s in plan.planned_starts] == [
        (ref, bands[ref].title, None, bands[ref].typical_duration_months, bands[ref].max_funding, None)
        for ref in ("ST0005", "ST0005", "ST0073")]
    assert {s.check for s in plan.planned_starts} == {CHECK_INCOMPLETE}  # until the officer dates them
    assert not [issue for issue in plan.issues if issue.code == "unknown-standard"]


def test_with_the_plans_own_standards_list_its_bands_price_the_starts(tmp_path):
    role_map = read_role_map(new_role_map(tmp_path / "map.xlsx", org_name="X", roles=VACANCIES))
    bands = {s.reference: s for s in load_standards(SAMPLE_CSV)}
    prefilled = planned_starts_from_role_map(role_map, list(bands.values()))
    assert [(s.standard, s.price, s.duration_months) for s in prefilled.starts] == [
        ("ST0005", Decimal("3000"), 12), ("ST0005", Decimal("3000"), 12), ("ST0073", Decimal("4500"), 12)]
    assert prefilled.skipped == ("row 12 Administration Assistant: ST1472 is not in the plan's standards list",)
    result = run("new", "levy-plan", "--roles", tmp_path / "map.xlsx", "--standards", SAMPLE_CSV,
                 "-o", tmp_path / "plan.xlsx")
    assert result.exit_code == 0 and len(read_levy_plan(tmp_path / "plan.xlsx").planned_starts) == 3


def test_a_levy_plan_from_a_file_that_is_not_a_role_map_is_refused(tmp_path):
    result = run("new", "levy-plan", "--roles", SAMPLE_CSV, "-o", tmp_path / "plan.xlsx")
    assert result.exit_code == 2 and "not-xlsx" in result.output and not (tmp_path / "plan.xlsx").exists()
