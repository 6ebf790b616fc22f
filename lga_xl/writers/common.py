"""Building blocks shared by the generated workbooks (openpyxl).

Conventions every template follows, so readers and tests can rely on them:
inputs are unlocked and shaded, sheets are protected without a password,
dropdown lists live on a hidden ``Lists`` sheet behind defined names, and a
hidden ``lga_xl`` sheet records the template kind, version and edition.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from .. import __version__, a1
from ..contract import LISTS_SHEET, META_SHEET
from ..outputs import atomic_write

TITLE_FONT = Font(bold=True, size=14, color="1F3864")
HEADING_FONT = Font(bold=True, size=11, color="1F3864")
NOTE_FONT = Font(italic=True, color="595959")
LABEL_FONT = Font(bold=True)
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # pale yellow: "type here"
RESULT_FILL = PatternFill("solid", fgColor="E2EFDA")  # pale green: "computed for you"
WRAP = Alignment(wrap_text=True, vertical="top")
THIN = Side(style="thin", color="BFBFBF")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
UNLOCKED = Protection(locked=False)

# Characters XML 1.0 forbids; openpyxl raises on them, Excel cannot store them.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def new_workbook(title: str) -> Workbook:
    """An empty workbook (no default sheet) with document properties set."""
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = title
    wb.properties.creator = f"lga_xl {__version__}"
    return wb


def save(wb: Workbook, path: str | Path) -> Path:
    """Save ``wb`` to ``path``, creating the folder if needed.

    The workbook is written to a temporary file beside ``path`` and renamed
    into place (:func:`lga_xl.outputs.atomic_write`): a crash or a full disk
    leaves any file already at ``path`` as it was, never half a workbook.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(path) as partial:
        wb.save(partial)
    return path


def clean_text(value: str) -> str:
    """Drop characters that cannot be stored in a workbook (control codes)."""
    return _ILLEGAL_XML.sub("", value)


def set_text(cell: Cell, value: str | None) -> None:
    """Write ``value`` as text even when it starts with ``=``.

    openpyxl turns any string starting with ``=`` into a formula; text that
    came from a user (an organisation called ``=HYPERLINK(...)``) must stay text.
    """
    cell.value = None if value is None else clean_text(value)
    if value is not None:
        cell.data_type = "s"


def write_value(cell: Cell, value: object) -> None:
    """A number or date as itself, text as text (never a formula), None as blank."""
    if isinstance(value, str):
        set_text(cell, value)
    else:
        cell.value = value


def define_name(wb: Workbook, name: str, ws: Worksheet, ref: str) -> None:
    """A workbook-level defined name for ``ref`` on ``ws`` (absolute)."""
    wb.defined_names[name] = DefinedName(name, attr_text=a1.sheet_ref(ws.title, ref))


def add_lists_sheet(wb: Workbook, lists: Mapping[str, Sequence[str]]) -> Worksheet:
    """A hidden sheet with one column per dropdown list, each behind a defined name.

    Lists live on a sheet rather than inline because an inline list is capped
    at 255 characters and the rating labels alone come close.
    """
    ws = wb.create_sheet(LISTS_SHEET)
    ws.sheet_state = "hidden"
    for col, (name, values) in enumerate(lists.items(), start=1):
        letter = a1.column_letter(col - 1)
        set_text(ws.cell(row=1, column=col), name)
        for row, value in enumerate(values, start=2):
            set_text(ws.cell(row=row, column=col), value)
        define_name(wb, name, ws, f"{letter}2:{letter}{len(values) + 1}")
    protect(ws)
    return ws


def add_metadata_sheet(wb: Workbook, kind: str, version: str, extra: dict[str, str]) -> None:
    """The hidden sheet readers use to recognise the file: key in A, value in B."""
    ws = wb.create_sheet(META_SHEET)
    ws.sheet_state = "hidden"
    rows = {"kind": kind, "template_version": version, "generator": f"lga_xl {__version__}", **extra}
    for row, (key, value) in enumerate(rows.items(), start=1):
        set_text(ws.cell(row=row, column=1), key)
        set_text(ws.cell(row=row, column=2), value)
    protect(ws)


def add_list_validation(
    ws: Worksheet, list_name: str, cells: str, *, title: str, message: str, prompt: str | None = None
) -> None:
    """A dropdown from a named list that rejects anything else, with an explanation."""
    dv = DataValidation(type="list", formula1=list_name, allow_blank=True)
    _explain(dv, title, message, prompt)
    dv.add(cells)
    ws.add_data_validation(dv)


def add_number_validation(
    ws: Worksheet, cells: str, *, kind: str, minimum: float, maximum: float | None = None, title: str, message: str
) -> None:
    """Reject numbers outside a range (``kind`` is ``decimal`` or ``whole``)."""
    if maximum is None:
        dv = DataValidation(type=kind, operator="greaterThanOrEqual", formula1=str(minimum), allow_blank=True)
    else:
        dv = DataValidation(type=kind, operator="between", formula1=str(minimum), formula2=str(maximum),
                            allow_blank=True)
    _explain(dv, title, message, None)
    dv.add(cells)
    ws.add_data_validation(dv)


def add_date_validation(ws: Worksheet, cells: str, *, title: str, message: str) -> None:
    """Accept only dates (from 1 Jan 2000, which also rules out small numbers)."""
    dv = DataValidation(type="date", operator="greaterThanOrEqual", formula1="DATE(2000,1,1)", allow_blank=True)
    _explain(dv, title, message, None)
    dv.add(cells)
    ws.add_data_validation(dv)


def _explain(dv: DataValidation, title: str, message: str, prompt: str | None) -> None:
    # openpyxl leaves the error alert off, which makes Excel accept any typed value.
    dv.showErrorMessage = True
    dv.errorStyle = "stop"
    dv.errorTitle = title
    dv.error = message
    if prompt:
        dv.showInputMessage = True
        dv.promptTitle = title
        dv.prompt = prompt


def add_table(ws: Worksheet, name: str, ref: str) -> Table:
    """An Excel table with banded rows and no totals row."""
    table = Table(displayName=name, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)
    return table


def write_header(ws: Worksheet, row: int, headers: Sequence[str], first_col: int = 1) -> None:
    for col, header in enumerate(headers, start=first_col):
        cell = ws.cell(row=row, column=col)
        set_text(cell, header)
        cell.font = LABEL_FONT
        cell.alignment = WRAP


def mark_input(cells: Iterable[Cell]) -> None:
    """Shade and unlock the cells an officer fills in."""
    for cell in cells:
        cell.protection = UNLOCKED
        cell.fill = INPUT_FILL
        cell.border = BOX


def mark_result(cells: Iterable[Cell]) -> None:
    for cell in cells:
        cell.fill = RESULT_FILL
        cell.border = BOX


def protect(ws: Worksheet) -> None:
    """Protect without a password (an adviser can unprotect); objects too.

    Column widths and row heights stay adjustable so long text can be read.
    """
    ws.protection.sheet = True
    ws.protection.objects = True  # otherwise charts stay movable on a protected sheet
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def set_widths(ws: Worksheet, widths: dict[str, float]) -> None:
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width


def add_instructions_sheet(wb: Workbook, title: str, sections: Sequence[tuple[str, Sequence[str]]]) -> Worksheet:
    """A plain-English instructions sheet: a title, then headed paragraphs."""
    ws = wb.create_sheet("Instructions")
    ws["A1"] = title
    ws["A1"].font = TITLE_FONT
    row = 3
    for heading, paragraphs in sections:
        set_text(ws.cell(row=row, column=1), heading)
        ws.cell(row=row, column=1).font = HEADING_FONT
        row += 1
        for paragraph in paragraphs:
            cell = ws.cell(row=row, column=1)
            set_text(cell, paragraph)
            cell.alignment = WRAP
            row += 1
        row += 1
    ws.column_dimensions["A"].width = 110
    ws.sheet_view.showGridLines = False
    protect(ws)
    return ws
