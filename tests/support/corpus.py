"""A folder of returned files as an adviser receives them: good and bad."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import openpyxl

from lga_xl.contracts.self_assessment import RATINGS
from lga_xl.samples import council, sample_self_assessment
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
    _edited(template, bad / "older_template_version.xlsx",
            lambda wb: wb["lga_xl"].cell(row=2, column=2, value="0.9"))
    _edited(template, bad / "summary_sheet_deleted.xlsx", lambda wb: wb.remove(wb["Summary"]))
    _edited(template, bad / "status_column_renamed.xlsx", _rename_status_column)
    _edited(template, bad / "status_typed_yes.xlsx", lambda wb: wb["Assessment"].cell(row=9, column=5, value="Yes"))
    _edited(template, bad / "status_typed_as_number.xlsx", lambda wb: wb["Assessment"].cell(row=9, column=5, value=1))
    _edited(template, bad / "region_misspelt.xlsx", lambda wb: wb["Cover"].cell(row=6, column=2, value="Londn"))
    with (bad / "huge_file.xlsx").open("wb") as huge:
        huge.truncate(60 * 1024 * 1024)  # sparse: 60 MB on paper, nothing on disk
    with zipfile.ZipFile(bad / "zip_bomb.xlsx", "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("[Content_Types].xml", "<Types/>")
        bomb.writestr("xl/workbook.xml", "<workbook/>")
        bomb.writestr("xl/worksheets/sheet1.xml", b"\0" * (40 * 1024 * 1024))
    _edited(template, bad / "far_away_cell.xlsx", lambda wb: wb["Assessment"].cell(row=1_048_576, column=16_384, value="x"))
    plan = good_dir / "levy_plan_000.xlsx"
    _edited(plan, bad / "levy_plan_with_an_academy.xlsx", lambda wb: _set_first(wb, "Schools", "Type", "Academy"))
    _edited(plan, bad / "levy_plan_negative_pay_bill.xlsx", lambda wb: _set_name(wb, "TotalPayBill", -5))

    odd = folder / "odd"
    odd.mkdir()
    _edited(template, odd / "statuses_typed_loosely.xlsx",
            lambda wb: wb["Assessment"].cell(row=5, column=5, value=f" {wb['Assessment']['E5'].value.lower()} "))
    first_rating = RATINGS.cell("current", RATINGS.first_row)
    _edited(template, odd / "formula_typed_over.xlsx", lambda wb: wb[RATINGS.sheet][first_rating].__setattr__(
        "value", "Mature"))
    shutil.copy(template, odd / "with_macros.xlsm")
    with zipfile.ZipFile(odd / "with_macros.xlsm", "a") as macros:
        macros.writestr("xl/vbaProject.bin", b"Sub Auto_Open()\nShell \"calc.exe\"\nEnd Sub\n")
    _edited(template, odd / "sheet_renamed.xlsx", lambda wb: setattr(wb["Assessment"], "title", "Our answers"))
    _edited(plan, odd / "levy_plan_pay_bill_typed_as_text.xlsx",
            lambda wb: _set_name(wb, "TotalPayBill", f"£{_get_name(wb, 'TotalPayBill'):,.2f}"))
    for name in ODD_FILES:  # each odd file is its own council so that it is stored, not a duplicate
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


def _get_name(wb, name: str):
    sheet, ref = next(wb.defined_names[name].destinations)
    return wb[sheet][ref.replace("$", "")].value


def _set_first(wb, table_name: str, column: str, value) -> None:
    """Type ``value`` into ``column`` of a table's first data row."""
    for ws in wb.worksheets:
        if table_name in ws.tables:
            table = ws.tables[table_name]
            first = ws[table.ref.split(":")[0]]
            offset = [c.name for c in table.tableColumns].index(column)
            ws.cell(row=first.row + 1, column=first.column + offset, value=value)


def _set_name_in_file(path: Path, name: str, value) -> None:
    wb = openpyxl.load_workbook(path, keep_vba=path.suffix == ".xlsm")
    _set_name(wb, name, value)
    wb.save(path)

