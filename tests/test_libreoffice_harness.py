"""The LibreOffice the formula tests run on: one kept running per test worker must recalculate
exactly as a fresh command-line conversion does, and a file it cannot open costs that file alone."""

from __future__ import annotations

from pathlib import Path

import pytest
import python_calamine
import xlsxwriter

from lga_xl.samples import sample_self_assessment
from lga_xl.writers.levy_plan import sample_levy_plan
from tests.conftest import REQUIRE_LIBREOFFICE
from tests.support.libreoffice import LibreOffice, recalculate, soffice, uno_python

pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="module")
def office():
    if soffice() is None and not REQUIRE_LIBREOFFICE:
        pytest.skip("LibreOffice (soffice) is not installed")
    python = uno_python()
    if python is None:
        if REQUIRE_LIBREOFFICE:
            pytest.fail("no Python can import uno (install python3-uno) but LGA_XL_REQUIRE_LIBREOFFICE=1")
        pytest.skip("no Python can import uno: the tests start LibreOffice once per conversion call")
    with LibreOffice(python) as kept:
        yield kept


def every_sheet(path: Path) -> dict[str, list[list[object]]]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in book.sheet_names}


def stale(path: Path) -> Path:
    """A workbook whose formula carries a cached value its inputs do not give (as a file saved before an edit)."""
    with xlsxwriter.Workbook(path) as book:
        sheet = book.add_worksheet("Sheet")
        sheet.write_number("A1", 2)
        sheet.write_number("A2", 3)
        sheet.write_formula("A3", "=A1+A2", None, 999)
    return path


def test_kept_running_it_recalculates_every_cell_as_a_fresh_conversion_does(tmp_path, office):
    plan = sample_levy_plan(tmp_path / "plan.xlsx", seed=7)
    assessment = sample_self_assessment(tmp_path / "assessment.xlsx", seed=7)
    cached = stale(tmp_path / "stale.xlsx")
    kept = recalculate([plan, assessment, cached], tmp_path / "kept", office)
    fresh = recalculate([plan, assessment, cached], tmp_path / "fresh")
    for path in (plan, assessment, cached):
        assert every_sheet(kept[path]) == every_sheet(fresh[path])
    assert every_sheet(kept[cached])["Sheet"][2] == [5.0]  # recalculated, not the 999 the file carried
    # openpyxl wrote no cached values: these figures exist only because LibreOffice worked them out.
    assert any(isinstance(value, float) and value > 0 for row in every_sheet(kept[plan])["Forecast"] for value in row)


def test_a_file_it_cannot_open_is_named_and_the_next_file_still_converts(tmp_path, office):
    not_a_workbook = tmp_path / "notes.xlsx"
    not_a_workbook.write_bytes(b"PK\x03\x04 these are not the bytes of a workbook")
    with pytest.raises(RuntimeError, match=f"LibreOffice did not convert {not_a_workbook}"):
        office.convert(not_a_workbook, tmp_path / "out" / "notes.xlsx")
    assessment = sample_self_assessment(tmp_path / "assessment.xlsx", seed=3)
    assert office.convert(assessment, tmp_path / "assessment-recalculated.xlsx").exists()
