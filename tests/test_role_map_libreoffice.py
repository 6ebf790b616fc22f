"""LibreOffice recalculates every role map's worked-out columns, totals and summary to the reader's values.

All the workbooks are recalculated in one LibreOffice run (a session fixture).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from lga_xl.contracts.levy_plan import CHECK_INCOMPLETE, PLANNED_STARTS
from lga_xl.contracts.role_map import CONTRACT, NONE_SUITABLE, ROLES, SERVICE_SUMMARY, TOTALS
from lga_xl.readers.role_map import read_role_map
from lga_xl.samples import sample_role_map
from lga_xl.standards import load_standards
from lga_xl.writers.levy_plan import new_levy_plan
from lga_xl.writers.role_map import RoleEntry, new_role_map, planned_starts_from_role_map, refresh_role_map
from tests.support.libreoffice import model_value, recalculated_value

DATA = Path(__file__).parent / "data"

EDGE_CASES = [
    RoleEntry("Care Worker", "Adult social care", "SC3", 200, 12, "ST0005"),
    RoleEntry("care worker", "ADULT SOCIAL CARE", "sc3", 5, 1, "ST0006"),  # the same role typed differently
    RoleEntry("Porter", None, None, 3, 1, "ST0617"),
    RoleEntry("Porter", None, None, 2, 0, NONE_SUITABLE),  # listed twice with no service or grade
    RoleEntry("Payroll Officer", "Finance", None, 2.5, -1, "ST9999"),  # not whole, negative, unknown
    RoleEntry("Customer Services Advisor", "Customer services", None, "12", 1, "ST0072"),  # text; retired
    RoleEntry("Library Assistant", "Libraries", None, 4, 1, "st0664"),  # a loose spelling
    RoleEntry("Youth Worker", "Youth", None, 3, 1, "none suitable"),
    RoleEntry(None, "Libraries", None, 7),  # no job title
    RoleEntry("Gardener", "Parks", "G2", 9, 2),  # still to choose
    RoleEntry("Highways Maint Operative", "Highways", None, 30, 4, "ST0053"),
]


@pytest.fixture(scope="module")
def maps(tmp_path_factory, libreoffice) -> dict[str, tuple[Path, Path]]:
    """name -> (written, recalculated by LibreOffice)."""
    folder = tmp_path_factory.mktemp("role_maps")
    written = {
        "sample": sample_role_map(folder / "sample_map.xlsx", seed=5),
        "edge": new_role_map(folder / "edge_map.xlsx", org_name="Exampleshire", roles=EDGE_CASES),
        "blank": new_role_map(folder / "blank_map.xlsx"),
    }
    added = new_role_map(folder / "added_map.xlsx", org_name="X", roles=EDGE_CASES[:3])
    wb = openpyxl.load_workbook(added)  # a role added by hand, in a service the summary does not list
    for key, value in (("job_title", "Gardener"), ("service", "Parks"), ("headcount", 4), ("vacancies", 1),
                       ("standard", "ST0225")):
        wb[ROLES.sheet][ROLES.cell(key, ROLES.first_row + 3)] = value
    wb.save(added)
    written["added"] = added
    june = new_role_map(folder / "june_map.xlsx", org_name="X", roles=[
        RoleEntry("Care Worker", "Adults", None, 10, 1, "ST0005"),
        RoleEntry("Customer Service Practitioner", "Adults", None, 4, 1, "ST0072"),
        RoleEntry("Early Years Practitioner", "Education", None, 6, 2, NONE_SUITABLE)],
        standards=load_standards(DATA / "standards_export_2026-06.json", include_inactive=True))
    refresh_role_map(june, load_standards(DATA / "standards_export_2026-07.json", include_inactive=True),
                     folder / "refreshed_map.xlsx")
    written["refreshed"] = folder / "refreshed_map.xlsx"
    prefilled = planned_starts_from_role_map(read_role_map(written["sample"]))
    written["plan"] = new_levy_plan(folder / "prefilled_plan.xlsx", starts=prefilled.starts)
    recalculated = libreoffice(list(written.values()))
    return {name: (path, recalculated[path]) for name, path in written.items()}



@pytest.mark.libreoffice
@pytest.mark.parametrize("name", ["sample", "edge", "blank", "added", "refreshed"])
def test_worked_out_columns_recalculate_to_the_readers_values(maps, name):
    written, recalculated = maps[name]
    result = read_role_map(written)
    ws = openpyxl.load_workbook(recalculated, data_only=True)[ROLES.sheet]
    assert result.roles or name == "blank"
    for role in result.roles:
        for key in ("title", "level", "route", "band_max", "typical_duration_months", "check"):
            assert recalculated_value(ws[ROLES.cell(key, role.row)].value) == model_value(getattr(role, key)), (name, role.row, key)
        assert recalculated_value(ws[ROLES.cell("mapped", role.row)].value) == int(role.mapped), (name, role.row)
    empty = ROLES.first_row + len(result.roles) + 1  # rows below the roles show nothing worked out
    assert all(recalculated_value(ws[ROLES.cell(key, empty)].value) is None for key in ROLES.keys("formula")
               if not ROLES.column(key).hidden)


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", ["sample", "edge", "blank", "added", "refreshed"])
def test_totals_and_summary_recalculate_to_the_readers_values(maps, name):
    written, recalculated = maps[name]
    result = read_role_map(written)
    wb = openpyxl.load_workbook(recalculated, data_only=True)
    for total in TOTALS.names:
        sheet, cell = CONTRACT.address(total.name)
        assert recalculated_value(wb[sheet][cell].value) == model_value(getattr(result, total.field)), (name, total.name)
    ws = wb[SERVICE_SUMMARY.sheet]
    for row, service in enumerate(result.services, start=SERVICE_SUMMARY.first_row):
        for column in SERVICE_SUMMARY.columns:
            value = recalculated_value(ws[SERVICE_SUMMARY.cell(column.key, row)].value)
            assert value == model_value(getattr(service, column.key)), (name, service.service, column.key)
    assert sum(s.roles for s in result.services) == result.roles_total


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", ["sample", "edge", "added", "refreshed"])
def test_the_recalculated_map_reads_as_the_written_one_with_no_mismatch(maps, name):
    written, recalculated = maps[name]
    before, after = read_role_map(written), read_role_map(recalculated)
    assert not [issue for issue in after.issues if issue.code == "cached-value-mismatch"]
    assert [(i.code, i.cell) for i in after.issues] == [(i.code, i.cell) for i in before.issues]
    assert (after.roles, after.services, after.cost_mapped) == (before.roles, before.services, before.cost_mapped)


@pytest.mark.libreoffice
def test_the_edge_cases_show_what_the_reader_reports(maps):
    written, recalculated = maps["edge"]
    ws = openpyxl.load_workbook(recalculated, data_only=True)[ROLES.sheet]
    checks = [ws[ROLES.cell("check", ROLES.first_row + i)].value or "" for i in range(len(EDGE_CASES))]
    assert checks == ["Role listed twice", "Role listed twice", "Role listed twice", "Role listed twice",
                      "Unknown standard", "Unknown standard", "", "", "No job title", "", ""]


@pytest.mark.libreoffice
def test_prefilled_starts_show_as_incomplete_until_dated(maps):
    _, recalculated = maps["plan"]
    ws = openpyxl.load_workbook(recalculated, data_only=True)[PLANNED_STARTS.sheet]
    starts = planned_starts_from_role_map(read_role_map(maps["sample"][0])).starts
    assert starts
    checks = {ws[PLANNED_STARTS.cell("check", PLANNED_STARTS.first_row + i)].value for i in range(len(starts))}
    assert checks == {CHECK_INCOMPLETE}
