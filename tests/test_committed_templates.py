"""The blank templates committed in workbooks/: one for every kind, each exactly what its generator writes.

An officer or adviser takes a blank workbook from workbooks/ without
installing anything, so each must be current.  The self-assessment's and
the levy plan's templates are compared with their generators in their own
tests (test_self_assessment_workbook.py, test_levy_plan_workbook.py).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from lga_xl.cli import main
from lga_xl.contract import META_SHEET
from lga_xl.kinds import KINDS
from lga_xl.readers import read_workbook
from lga_xl.writers.role_map import new_role_map
from tests.support.xlsx_compare import xlsx_differences

WORKBOOKS = Path(__file__).resolve().parents[1] / "workbooks"


def kind_of(path: Path) -> str:
    return openpyxl.load_workbook(path, read_only=True)[META_SHEET]["B1"].value


# A school's request is made from the council's levy plan (lga-xl new school-request --plan), never blank.
MADE_FROM_A_PLAN = {"school-request"}


def test_every_kind_has_one_blank_template():
    kinds = sorted(kind_of(path) for path in WORKBOOKS.glob("*.xlsx"))
    assert kinds == sorted(set(KINDS) - MADE_FROM_A_PLAN)


def test_the_growth_tracker_template_is_what_the_command_writes(tmp_path):
    fresh = tmp_path / "growth_tracker.xlsx"
    result = CliRunner().invoke(main, ["new", "tracker", "-o", str(fresh)])
    assert result.exit_code == 0, result.output
    assert xlsx_differences(WORKBOOKS / "growth_tracker.xlsx", fresh) == [], (
        "workbooks/growth_tracker.xlsx is stale: regenerate it with "
        "`lga-xl new tracker -o workbooks/growth_tracker.xlsx`")


def test_the_role_map_template_is_what_the_writer_writes(tmp_path):
    fresh = new_role_map(tmp_path / "role_map.xlsx")
    assert xlsx_differences(WORKBOOKS / "role_map.xlsx", fresh) == [], (
        "workbooks/role_map.xlsx is stale: regenerate it with "
        "`python -c \"from lga_xl.writers.role_map import new_role_map; new_role_map('workbooks/role_map.xlsx')\"`")


@pytest.mark.parametrize(("name", "rows"), [("growth_tracker.xlsx", "targets"), ("role_map.xlsx", "roles")])
def test_a_new_template_reads_back_blank(name, rows):
    result = read_workbook(WORKBOOKS / name)
    assert result.organisation is None and getattr(result, rows) == []
