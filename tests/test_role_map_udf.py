"""STANDARD_FOR_ROLE: the role matcher as an Excel function over a standards table in the sheet."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import openpyxl
import pytest

from lga_xl.contracts.role_map import STANDARDS
from lga_xl.role_matching import RoleMatcher
from lga_xl.standards import sample_export
from lga_xl.udfs import STANDARD_FOR_ROLE, UdfInputError
from lga_xl.writers.role_map import load_roles_csv, new_role_map

EVERYTHING = sample_export(include_inactive=True)
CLOSED = {standard.reference for standard in EVERYTHING if standard.retired_or_withdrawn}


def as_excel_passes(rows: list[list]) -> list[list]:
    """A range as xlwings passes it: rows of cells, numbers as floats."""
    return [[float(cell) if isinstance(cell, int) else cell for cell in row] for row in rows]


@pytest.fixture(scope="module")
def role_map(tmp_path_factory):
    roles = load_roles_csv(Path(__file__).parents[1] / "examples" / "roles.csv").roles
    return new_role_map(tmp_path_factory.mktemp("udf") / "roles.xlsx", roles=roles)


@pytest.fixture(scope="module")
def standards_table(role_map) -> list[list]:
    """The map's Standards table with its header row, as =STANDARD_FOR_ROLE(A1, Standards[#All]) passes it."""
    ws = openpyxl.load_workbook(role_map)[STANDARDS.sheet]
    return as_excel_passes([[cell.value for cell in row] for row in ws[ws.tables[STANDARDS.name].ref]])


def test_on_the_maps_own_standards_table_it_gives_each_roles_first_suggestion(role_map, standards_table):
    from lga_xl.readers.role_map import read_role_map

    for role in read_role_map(role_map).roles:
        assert STANDARD_FOR_ROLE(role.job_title, standards_table) == (role.suggestion_1 or ""), role.job_title
        assert STANDARD_FOR_ROLE([[role.job_title]], standards_table) == (role.suggestion_1 or "")


@pytest.mark.parametrize("title", ["Customer Service Advisor", "HR Assistant", "Electoral Services Officer",
                                   "Waste Collection Operative", "Chartered Surveyor", "Chief Executive Officer"])
def test_a_retired_or_withdrawn_standard_is_never_given(standards_table, title):
    assert STANDARD_FOR_ROLE(title, standards_table) not in CLOSED
    assert STANDARD_FOR_ROLE(title, standards_table) == next(
        (s.reference for s in RoleMatcher(EVERYTHING).suggest(title)), "")


def test_columns_are_found_by_header_in_any_case_and_order():
    table = [["Status", "typical job titles", "LEVEL", "Standard title", "Ref"],
             ["Retired", "Care worker", 2, "Adult care worker", "ST0005"],
             [None, "Senior care worker", 3, "Lead adult care worker", "ST0006"],
             [None, None, None, None, None],  # a blank row in the range
             ["Approved for delivery", "Care assistant | Care worker", "2", "Care worker (new)", "st1234"]]
    assert STANDARD_FOR_ROLE("Snr Care Worker", as_excel_passes(table)) == "ST0006"
    assert STANDARD_FOR_ROLE("Care Worker", as_excel_passes(table)) == "ST1234"  # ST0005 is retired
    without_status = [row[1:] for row in table]
    assert STANDARD_FOR_ROLE("Care Worker", as_excel_passes(without_status)) == "ST0005"  # no status: approved


def test_blank_job_title_or_no_match_gives_blank(standards_table):
    for blank in (None, "", "   ", [[None]]):
        assert STANDARD_FOR_ROLE(blank, standards_table) == ""
    assert STANDARD_FOR_ROLE("Bin man", standards_table) == ""
    assert STANDARD_FOR_ROLE(12345.0, standards_table) == ""


@pytest.mark.parametrize(("job_title", "table", "message"), [
    ("Care Worker", [["Reference", "Title"], ["ST0005", "Adult care worker"]],
     "standards_range row 1: missing column Level (accepted: Level); found: Reference, Title"),
    ("Care Worker", [["Reference", "Title", "Level"]],
     "standards_range must be a table of standards with its header row, e.g. Standards[#All]"),
    ("Care Worker", "ST0005",
     "standards_range must be a table of standards with its header row, e.g. Standards[#All]"),
    ("Care Worker", [["Reference", "Title", "Level"], ["ST0005", "Adult care worker", 2.0], ["X5", "Cook", 2.0]],
     "standards_range row 3: reference 'X5' is not like ST0072"),
    ("Care Worker", [["Reference", "Title", "Level"], ["ST0005", "Adult care worker", "two"]],
     "standards_range row 2: ST0005 level 'two' is not a number"),
    ("Care Worker", [["Ref", "Title", "Level", "Reference"], ["ST0005", "Adult care worker", 2.0, "ST0005"]],
     "standards_range row 1: columns 'Ref', 'Reference' could each be Reference; rename or remove all but one"),
    ([["Care Worker", "Cook"]], [["Reference", "Title", "Level"], ["ST0005", "Adult care worker", 2.0]],
     "job_title must be one cell, not a range of 2 cells"),
])
def test_bad_input_says_what_and_where_in_one_line(job_title, table, message):
    with pytest.raises(UdfInputError) as caught:
        STANDARD_FOR_ROLE(job_title, table)
    assert str(caught.value) == message and "\n" not in message


def test_it_runs_without_the_packages_xlwings_lite_cannot_load():
    code = textwrap.dedent("""
        import importlib.abc, sys
        BLOCKED = {"openpyxl", "python_calamine", "pandas", "pydantic", "pydantic_core"}

        class Block(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in BLOCKED:
                    raise ImportError(f"{name} is blocked (not available in xlwings Lite)")
                return None

        sys.meta_path.insert(0, Block())
        from lga_xl.udfs import STANDARD_FOR_ROLE
        table = [["Reference", "Title", "Level", "Typical job titles"], ["ST0005", "Adult care worker", 2.0,
                 "Care worker"]]
        print(STANDARD_FOR_ROLE("Care Worker", table))
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ST0005"
