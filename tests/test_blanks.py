"""Built templates: the blanks shipped with lga_xl are the writers' own, and a filled copy is the writer's workbook."""

from __future__ import annotations

import datetime as dt
import inspect
from pathlib import Path

import openpyxl
import pytest

from lga_xl import blanks
from lga_xl.blanks import COVER_OPTIONS, PUBLIC_NAMES, SHAPING_OPTIONS, new_workbook, shipped_blank, template
from lga_xl.kinds import kind
from lga_xl.readers import read_workbook
from tests.support.xlsx_compare import xlsx_differences

REPO = Path(__file__).resolve().parents[1]
LONG_NAME = "King's Lynn & West Norfolk Borough Council, whose name runs on past the width of its cell <and &>"
COVERS = {
    "self-assessment": {"org_name": LONG_NAME, "region": "London", "org_type": "District council",
                        "assessor": " Jo  Bloggs ", "assessment_date": dt.date(2026, 9, 30)},
    "levy-plan": {"org_name": LONG_NAME, "region": "South West"},
    "tracker": {"org_name": LONG_NAME, "region": "North East", "strategy": "=Growth 2025-28",
                "reporting_date": dt.date(2026, 6, 30)},
}


def snapshot(path: Path) -> dict:
    """What a person and a formula see of a workbook: every cell's value, type and look, sizes, merges, names."""
    wb = openpyxl.load_workbook(path)
    sheets = {}
    for ws in wb.worksheets:
        cells = {c.coordinate: (c.value, c.data_type, c.number_format, c.fill.fgColor.rgb, c.font.b,
                                c.protection.locked, c.alignment.wrap_text, c.border.left.style)
                 for row in ws.iter_rows() for c in row}
        sheets[ws.title] = (cells, {r: d.height for r, d in ws.row_dimensions.items()},
                            {k: d.width for k, d in ws.column_dimensions.items()},
                            sorted(map(str, ws.merged_cells.ranges)), ws.print_area, ws.sheet_state,
                            len(ws.data_validations.dataValidation), sorted(ws.tables))
    return {"sheets": sheets, "names": {name: wb.defined_names[name].attr_text for name in wb.defined_names},
            "title": wb.properties.title}


@pytest.mark.parametrize("kind_name", list(COVER_OPTIONS))
def test_the_shipped_blank_is_the_writers_workbook(kind_name, tmp_path):
    fresh = kind(kind_name).writer(tmp_path / "fresh.xlsx")
    assert xlsx_differences(shipped_blank(kind_name), fresh) == [], (
        f"lga_xl/data/blank-{kind_name}.xlsx is stale: regenerate with `python -m lga_xl.blanks --workbooks workbooks`")


@pytest.mark.parametrize("kind_name", list(PUBLIC_NAMES))
def test_the_public_blank_in_workbooks_is_the_shipped_one(kind_name):
    assert xlsx_differences(REPO / "workbooks" / PUBLIC_NAMES[kind_name], shipped_blank(kind_name)) == []


@pytest.mark.parametrize("kind_name", list(SHAPING_OPTIONS))
def test_the_shaping_options_and_their_defaults_are_the_writers(kind_name):
    parameters = inspect.signature(kind(kind_name).writer).parameters
    assert {name: parameters[name].default for name in SHAPING_OPTIONS[kind_name]} == SHAPING_OPTIONS[kind_name]
    assert set(COVER_OPTIONS[kind_name]) <= set(parameters)
    contract = kind(kind_name).current
    assert all(contract.name(name).role == "input" for name in COVER_OPTIONS[kind_name].values())


@pytest.mark.parametrize("kind_name", list(COVERS))
def test_a_filled_copy_is_the_workbook_the_writer_makes(kind_name, tmp_path):
    fast = new_workbook(kind_name, tmp_path / "fast.xlsx", **COVERS[kind_name])
    written = kind(kind_name).writer(tmp_path / "written.xlsx", **COVERS[kind_name])
    assert snapshot(fast) == snapshot(written)
    assert read_workbook(fast, display="x.xlsx") == read_workbook(written, display="x.xlsx")


@pytest.mark.parametrize(("kind_name", "shaping"), [
    ("self-assessment", {"assessment_type": "External"}),
    ("levy-plan", {"tax_year": "2027-28"}),
    ("tracker", {"example": "hertfordshire"}),
])
def test_a_template_of_other_shaping_options_is_built_and_kept(kind_name, shaping, tmp_path):
    options = {"org_name": "Exampleshire", **shaping}
    fast = new_workbook(kind_name, tmp_path / "fast.xlsx", **options)
    assert snapshot(fast) == snapshot(kind(kind_name).writer(tmp_path / "written.xlsx", **options))
    assert template(kind_name, **shaping) is template(kind_name, **shaping)
    assert template(kind_name, **shaping) is not template(kind_name)


def test_the_writers_defaults_give_the_shipped_blank():
    blanks._TEMPLATES.clear()
    assert template("self-assessment", assessment_type="Self").parts == template("self-assessment").parts
    assert template("levy-plan", tax_year="2026-27") is template("levy-plan")


def test_options_the_template_cannot_take_go_to_the_writer(tmp_path):
    path = new_workbook("self-assessment", tmp_path / "sa.xlsx", org_name="Exampleshire",
                        answers={"LC-D1": "Achieved"})
    assert read_workbook(path).elements[0].status == "Achieved"
