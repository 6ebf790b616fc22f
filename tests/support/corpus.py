"""A folder of returned files as an adviser receives them: good and bad."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import openpyxl
import python_calamine

from lga_xl.contracts import levy_plan as levy_contract
from lga_xl.contracts import self_assessment as self_assessment_contract
from lga_xl.contracts.self_assessment import RATINGS
from lga_xl.samples import council, sample_self_assessment
from lga_xl.writers.fill import Template
from lga_xl.writers.levy_plan import sample_levy_plan

DATA = Path(__file__).resolve().parents[1] / "data"

# file name -> the issue code that must explain it (None: imported despite being odd)
BAD_FILES = {
    "zero_bytes.xlsx": "empty-file",
    "truncated.xlsx": "corrupt-file",
    "corrupt.xlsx": "corrupt-file",
    "password_protected.xlsx": "encrypted",
    "old_format_renamed.xlsx": "legacy-xls",
    "old_format.xls": "legacy-xls",
    "spreadsheet_export_renamed.xlsx": "not-xlsx",
    "word_document.xlsx": "not-xlsx",
    "other_tools_workbook.xlsx": "not-lga-xl",
    "older_template_version.xlsx": "unsupported-template-version",
    "summary_sheet_deleted.xlsx": "missing-table",
    "status_column_renamed.xlsx": "missing-column",
    "status_typed_yes.xlsx": "unknown-status",
    "status_typed_as_number.xlsx": "unknown-status",
    "region_misspelt.xlsx": "unknown-region",
    "huge_file.xlsx": "too-large",
    "zip_bomb.xlsx": "too-large",
    "far_away_cell.xlsx": "too-large",
    "levy_plan_with_an_academy.xlsx": "school-not-in-council-levy",
    "levy_plan_negative_pay_bill.xlsx": "negative-amount",
}
# Odd but acceptable: imported, with a warning that says what was odd.
ODD_FILES = {
    "statuses_typed_loosely.xlsx": "value-normalised",
    "formula_typed_over.xlsx": "cached-value-mismatch",
    "with_macros.xlsm": "has-macros",
    "sheet_renamed.xlsx": None,
    "levy_plan_pay_bill_typed_as_text.xlsx": "number-as-text",
}
GOOD_LEVY_PLANS = 6
SKIPPED_FILES = ("notes.txt", "~$locked_by_excel.xlsx", "scan.pdf")


def build_corpus(folder: Path, good: int = 50) -> dict[str, list[Path]]:
    """Write ``good`` valid returns plus every bad, odd and skipped kind into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    good_dir = folder / "good"
    good_paths = [sample_self_assessment(good_dir / f"council_{i:03d}.xlsx", seed=i) for i in range(good)]
    good_paths += [sample_levy_plan(good_dir / f"levy_plan_{i:03d}.xlsx", org_name=council(i)[0], region=council(i)[2],
                                    seed=i) for i in range(GOOD_LEVY_PLANS)]
    bad = folder / "bad"
    bad.mkdir()
    template = good_paths[0]
    plan = good_dir / "levy_plan_000.xlsx"
    # Values typed into cells, as an officer would, are written into copies of the cells' XML (fill): the rest of
    # each file stays as lga_xl wrote it, and a copy takes milliseconds where an openpyxl load and save takes a
    # fifth of a second.  What changes the workbook's structure is still done with openpyxl.
    typed_return, typed_plan = Template.from_path(template), Template.from_path(plan)
    org_name = self_assessment_contract.CONTRACT.address("OrgName")
    plan_org_name = levy_contract.CONTRACT.address("OrgName")
    total_pay_bill = levy_contract.CONTRACT.address("TotalPayBill")

    (bad / "zero_bytes.xlsx").write_bytes(b"")
    (bad / "truncated.xlsx").write_bytes(template.read_bytes()[: template.stat().st_size // 2])
    (bad / "corrupt.xlsx").write_bytes(b"PK\x03\x04" + bytes(range(256)) * 40)
    shutil.copy(DATA / "encrypted.xlsx", bad / "password_protected.xlsx")
    shutil.copy(DATA / "legacy.xls", bad / "old_format_renamed.xlsx")
    shutil.copy(DATA / "legacy.xls", bad / "old_format.xls")
    (bad / "spreadsheet_export_renamed.xlsx").write_text("Organisation,Region\nExampleshire,London\n")
    with zipfile.ZipFile(bad / "word_document.xlsx", "w") as doc:
        doc.writestr("[Content_Types].xml", "<Types/>")
        doc.writestr("word/document.xml", "<document/>")
    other = openpyxl.Workbook()
    other.active["A1"] = "Budget 2026"
    other.save(bad / "other_tools_workbook.xlsx")
    typed_return.fill(bad / "older_template_version.xlsx", {("lga_xl", "B2"): "0.9"})
    _edited(template, bad / "summary_sheet_deleted.xlsx", lambda wb: wb.remove(wb["Summary"]))
    _edited(template, bad / "status_column_renamed.xlsx", _rename_status_column)
    typed_return.fill(bad / "status_typed_yes.xlsx", {("Assessment", "E9"): "Yes"})
    typed_return.fill(bad / "status_typed_as_number.xlsx", {("Assessment", "E9"): 1})
    typed_return.fill(bad / "region_misspelt.xlsx", {("Cover", "B6"): "Londn"})
    with (bad / "huge_file.xlsx").open("wb") as huge:
        huge.truncate(60 * 1024 * 1024)  # sparse: 60 MB on paper, nothing on disk
    with zipfile.ZipFile(bad / "zip_bomb.xlsx", "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("[Content_Types].xml", "<Types/>")
        bomb.writestr("xl/workbook.xml", "<workbook/>")
        bomb.writestr("xl/worksheets/sheet1.xml", b"\0" * (40 * 1024 * 1024))
    _edited(template, bad / "far_away_cell.xlsx", lambda wb: wb["Assessment"].cell(row=1_048_576, column=16_384, value="x"))
    schools = levy_contract.SCHOOLS
    typed_plan.fill(bad / "levy_plan_with_an_academy.xlsx",
                    {(schools.sheet, schools.cell("type", schools.first_row)): "Academy"})
    typed_plan.fill(bad / "levy_plan_negative_pay_bill.xlsx", {total_pay_bill: -5})

    odd = folder / "odd"
    odd.mkdir()
    # Each odd file is its own council so that it is stored, not a duplicate.
    typed_return.fill(odd / "statuses_typed_loosely.xlsx", {
        ("Assessment", "E5"): f" {_value(template, 'Assessment', 'E5').lower()} ",
        org_name: "Odd case statuses_typed_loosely.xlsx"})
    typed_return.fill(odd / "formula_typed_over.xlsx", {
        (RATINGS.sheet, RATINGS.cell("current", RATINGS.first_row)): "Mature",
        org_name: "Odd case formula_typed_over.xlsx"})
    shutil.copy(template, odd / "with_macros.xlsm")
    with zipfile.ZipFile(odd / "with_macros.xlsm", "a") as macros:
        macros.writestr("xl/vbaProject.bin", b"Sub Auto_Open()\nShell \"calc.exe\"\nEnd Sub\n")
    _edited(template, odd / "sheet_renamed.xlsx", lambda wb: setattr(wb["Assessment"], "title", "Our answers"))
    typed_plan.fill(odd / "levy_plan_pay_bill_typed_as_text.xlsx", {
        total_pay_bill: f"£{_value(plan, *total_pay_bill):,.2f}",
        plan_org_name: "Odd case levy_plan_pay_bill_typed_as_text.xlsx"})
    for name in ("with_macros.xlsm", "sheet_renamed.xlsx"):  # saved by openpyxl above
        _set_name_in_file(odd / name, "OrgName", f"Odd case {name}")

    for name in SKIPPED_FILES:
        (folder / name).write_bytes(b"not a return")
    return {"good": good_paths, "bad": [bad / n for n in BAD_FILES], "odd": [odd / n for n in ODD_FILES]}


def _edited(source: Path, target: Path, change) -> Path:
    wb = openpyxl.load_workbook(source)
    change(wb)
    wb.save(target)
    return target


def _rename_status_column(wb) -> None:
    wb["Assessment"]["E4"] = "State"
    wb["Assessment"].tables["Elements"].tableColumns[4].name = "State"


def _set_name(wb, name: str, value) -> None:
    """Type ``value`` into the cell behind a defined name, as an officer would."""
    sheet, ref = next(wb.defined_names[name].destinations)
    wb[sheet][ref.replace("$", "")] = value


def _value(path: Path, sheet: str, ref: str):
    """The value a cell of a file holds."""
    row, column = openpyxl.utils.cell.coordinate_to_tuple(ref)
    grid = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(
        skip_empty_area=False)
    return grid[row - 1][column - 1]


def _set_name_in_file(path: Path, name: str, value) -> None:
    wb = openpyxl.load_workbook(path, keep_vba=path.suffix == ".xlsm")
    _set_name(wb, name, value)
    wb.save(path)

