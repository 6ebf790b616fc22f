"""The LibreOffice the formula tests run on: one kept running per test worker must recalculate
exactly as a fresh command-line conversion does; the copies made by setting typed cells into a
workbook it keeps loaded (tests/support/calculated.py) must hold, cell for cell, what its own
save of each file holds; and a file it cannot open costs that file alone."""

from __future__ import annotations

import datetime as dt
import os
import signal
import time
from pathlib import Path

import openpyxl
import pytest
import python_calamine
import xlsxwriter

from lga_xl import cells
from lga_xl.contracts.levy_plan import CONTRACT
from lga_xl.samples import sample_role_map, sample_school_request, sample_self_assessment, sample_tracker
from lga_xl.writers.levy_plan import new_levy_plan, sample_levy_plan
from lga_xl.writers.self_assessment import new_self_assessment
from tests.conftest import REQUIRE_LIBREOFFICE
from tests.support.calculated import Written, calculate
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


def typed_every_way(path: Path, values: tuple[object, object, object, object]) -> Path:
    """A workbook whose formulas read four typed cells: a number, a text, a boolean and a blank, or others."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Typed"
    for row, value in enumerate(values, start=1):
        sheet.cell(row, 1, value)
        sheet.cell(row, 2, f'=IF(ISBLANK(A{row}),"blank",IF(ISNUMBER(A{row}),A{row}*2,IF(ISTEXT(A{row}),'
                           f'"text "&A{row},"other")))')
        sheet.cell(row, 3, f"=IFERROR(A{row}=TRUE(),\"error\")")
    book.save(path)
    return path


def test_copies_made_on_a_kept_workbook_hold_what_its_own_saves_hold(tmp_path, office):
    """Files of each kind, in groups that differ only in what is typed (numbers, texts, booleans, cells
    emptied and filled again, as the later files of a group ask), recalculated both ways."""
    files = [typed_every_way(tmp_path / f"typed{i}.xlsx", values) for i, values in enumerate([
        (2, "two", True, None), (None, 3, "yes", False), ("2", None, False, 5.5), (2, "two", True, None)])]
    files += [sample_self_assessment(tmp_path / f"assessment{i}.xlsx", seed=i) for i in range(3)]
    files += [new_self_assessment(tmp_path / "assessment-blank.xlsx"), sample_self_assessment(
        tmp_path / "assessment-again.xlsx", seed=9)]
    files += [sample_levy_plan(tmp_path / f"plan{i}.xlsx", seed=i) for i in range(2)]
    files += [new_levy_plan(tmp_path / "plan-typed.xlsx", tax_year="2026-27", total_pay_bill="£50,000,000.00",
                            english_percent="95%", headcount="1,200", opening_balance=" 400 000 ")]
    files += [sample_tracker(tmp_path / "tracker.xlsx", seed=2), sample_role_map(tmp_path / "roles.xlsx", seed=2),
              sample_school_request(tmp_path / "request.xlsx", seed=2)]
    known = {}
    assert len({Written.read(path, known).signature for path in files[:4]}) == 1  # one kept copy for them all
    saved = recalculate(files, tmp_path / "saved", office)
    copies = calculate(files, tmp_path / "copies", office)
    for path in files:
        assert serials(every_sheet(copies[path])) == serials(every_sheet(saved[path])), path.name


def serials(sheets: dict[str, list[list[object]]]) -> dict[str, list[list[object]]]:
    """Dates as the numbers a cell holds.  A copy keeps the number formats of the file as written, where
    LibreOffice's own save gives a date format to a formula cell formatted General that works out a date
    (the tracker's chart data): the same value, read as a number from one and as a date from the other."""
    def number(value: object) -> object:
        if isinstance(value, dt.datetime):
            return cells.serial_moment(value)
        return cells.serial(value) if isinstance(value, dt.date) else value
    return {name: [[number(value) for value in row] for row in rows] for name, rows in sheets.items()}


def test_files_that_differ_in_more_than_typed_cells_are_loaded_apart(tmp_path):
    """A formula typed over, or tables of other sizes, make another workbook: it must not share a loaded copy."""
    plan = sample_levy_plan(tmp_path / "plan.xlsx", seed=1)
    other = sample_levy_plan(tmp_path / "other.xlsx", seed=2)
    longer = new_levy_plan(tmp_path / "longer.xlsx", tax_year="2026-27", rows={"Schools": 90})
    typed_over = tmp_path / "typed-over.xlsx"
    book = openpyxl.load_workbook(other)
    sheet, cell = CONTRACT.address("AnnualLevy")
    book[sheet][cell] = 5
    book.save(typed_over)
    known = {}
    signature = {path.name: Written.read(path, known).signature for path in (plan, other, longer, typed_over)}
    assert signature["plan.xlsx"] == signature["other.xlsx"]
    assert len({signature[name] for name in ("plan.xlsx", "longer.xlsx", "typed-over.xlsx")}) == 3


def test_after_a_crash_the_next_file_is_worked_out_from_the_workbook_loaded_afresh(tmp_path, office):
    """LibreOffice dying between two files of a group loads the group's first file again: the next file's
    cells must be set from that file's, not from those of the file before the crash."""
    files = [sample_self_assessment(tmp_path / f"assessment{i}.xlsx", seed=i) for i in range(3)]
    saved = recalculate(files, tmp_path / "saved", office)

    class CrashingAfterTheSecond:
        calls = 0

        def calculate(self, *request: object) -> dict:
            answer = office.calculate(*request)
            self.calls += 1
            if self.calls == 2:
                killed = processes_of(office.profile)
                assert killed
                for pid in killed:
                    os.kill(pid, signal.SIGKILL)
                while processes_of(office.profile):
                    time.sleep(0.05)  # gone before the next file is asked for
            return answer

    copies = calculate(files, tmp_path / "copies", CrashingAfterTheSecond())
    assert [every_sheet(copies[path]) for path in files] == [every_sheet(saved[path]) for path in files]


def processes_of(profile: str) -> list[int]:
    """The running processes of the LibreOffice using ``profile`` (read from /proc: no procps needed)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes() if entry.name.isdigit() else b""
        except OSError:  # gone meanwhile
            continue
        if f"UserInstallation=file://{profile}".encode() in command:
            found.append(int(entry.name))
    return found
