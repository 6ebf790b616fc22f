"""Building blocks shared by the generated workbooks (openpyxl), in the house style.

Conventions every template follows, so readers and tests can rely on them:
inputs are unlocked and yellow, results green, sheets are protected without
a password, every validated cell explains itself when selected, every sheet
prints on A4 one page wide with a footer, dropdown lists live on a hidden
``Lists`` sheet behind defined names, and a hidden ``lga_xl`` sheet records
the template kind, version and edition.  The look itself (fonts, colours,
number formats, print set-up, charts) is :mod:`lga_xl.writers.style`'s; these
functions put it on a workbook, so every writer built on them gets it.

Example:
    >>> wb = new_workbook("Exampleshire return")
    >>> ws = wb.create_sheet("Plan")
    >>> title = write_title(ws, "Plan")
    >>> ws["B3"] = 1250.5
    >>> mark_input([ws["B3"]], style.MONEY)
    >>> dv = add_number_validation(ws, "B3", kind="decimal", minimum=0, title="Pay bill",
    ...                            message="Type an amount in pounds, 0 or more.")
    >>> set_up_printing(ws)
    >>> ws["A1"].font.name, ws["B3"].number_format, ws.data_validations.dataValidation[0].prompt
    ('Arial', '£#,##0.00', 'Type an amount in pounds, 0 or more.')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, PatternFill, Protection, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table
from openpyxl.worksheet.worksheet import Worksheet

from .. import __version__, a1
from ..contract import LISTS_SHEET, META_SHEET, Block
from ..outputs import atomic_write
from . import style

# The house fonts and fills as openpyxl objects, for code that sets ``cell.font`` itself
# (prefer style.apply, which sets everything a style says).
TITLE_FONT = style._font(style.TITLE.font)
HEADING_FONT = style._font(style.HEADING.font)
NOTE_FONT = style._font(style.NOTE.font)
LABEL_FONT = style._font(style.LABEL.font)
INPUT_FILL = PatternFill("solid", fgColor=style.INPUT_COLOUR)  # pale yellow: "type here"
RESULT_FILL = PatternFill("solid", fgColor=style.CALCULATED_COLOUR)  # pale green: "worked out for you"
WRAP = Alignment(wrap_text=True, vertical="top")
THIN = Side(style="thin", color=style.BORDER_COLOUR)
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
UNLOCKED = Protection(locked=False)
INSTRUCTIONS_SHEET = "Instructions"

# Characters XML 1.0 forbids; openpyxl raises on them, Excel cannot store them.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def new_workbook(title: str) -> Workbook:
    """An empty workbook (no default sheet) in the house font, its title set for footers and file previews."""
    wb = Workbook()
    style.use_house_font(wb)
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


def open_on_first_sheet(wb: Workbook) -> None:
    """Make the first sheet (the Instructions) the one Excel and LibreOffice open on, and the only one selected.

    README promises officers that every workbook opens on its Instructions.
    """
    wb.active = 0
    for index, ws in enumerate(wb.worksheets):
        ws.sheet_view.tabSelected = index == 0


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


# Text on a sheet.


def write_title(ws: Worksheet, text: str, row: int = 1) -> Cell:
    """The sheet's title in column A (a formula when ``text`` starts with ``=``)."""
    cell = ws.cell(row=row, column=1, value=text)
    style.apply(cell, style.TITLE)
    return cell


def write_note(ws: Worksheet, row: int, text: str, last_column: int) -> Cell:
    """A note under a title, wrapping across columns A to ``last_column`` (so it never widens the printed page)."""
    cell = ws.cell(row=row, column=1)
    set_text(cell, text)
    style.apply(cell, style.NOTE)
    style.wrap_across(ws, cell, last_column)
    return cell


def write_label(cell: Cell, text: str) -> None:
    """A bold label beside the value it names."""
    set_text(cell, text)
    style.apply(cell, style.LABEL)


def write_header(ws: Worksheet, row: int, headers: Sequence[str], first_col: int = 1) -> None:
    """A table's header row: white bold text on blue, wrapping onto a second line where a column is narrow."""
    for col, header in enumerate(headers, start=first_col):
        cell = ws.cell(row=row, column=col)
        set_text(cell, header)
        style.apply(cell, style.TABLE_HEADER)


# Inputs and results.


def mark_input(cells: Iterable[Cell], number_format: str | None = None, *, wrap: bool = False) -> None:
    """Shade (yellow), box and unlock the cells an officer fills in."""
    style.apply(cells, replace(style.INPUT, wrap=wrap), number_format)


def mark_result(cells: Iterable[Cell], number_format: str | None = None, *, wrap: bool = False) -> None:
    """Shade (green) and box the cells worked out by formulas."""
    style.apply(cells, replace(style.CALCULATED, wrap=wrap), number_format)


def mark_fixed(cells: Iterable[Cell], number_format: str | None = None, *, wrap: bool = True) -> None:
    """Box the cells of a table written when the workbook is made (an element's text, a school's name)."""
    style.apply(cells, replace(style.TABLE_CELL, wrap=wrap), number_format)


def lay_out_send_out(wb: Workbook, ws: Worksheet, block: Block, last_column: int) -> None:
    """The send-out cells of ``block`` (:func:`lga_xl.contract.send_out_block`): styled and named, left blank.

    The heading, labels and values are written into a personalised copy
    (:mod:`lga_xl.sendout`), so a workbook made for no one in particular shows
    nothing there.  Each value spans to ``last_column`` (1-based), where its
    text has room.
    """
    style.apply(ws.cell(row=block.first_row - 1, column=block.label_column + 1), style.HEADING)
    # Sized now: the heading is written into a copy, after the writer has sized the rows by their text.
    ws.row_dimensions[block.first_row - 1].height = style.line_height(style.HEADING.font.size)
    for named in block.names:
        row = block.row(named.name)
        style.apply(ws.cell(row=row, column=block.label_column + 1), style.LABEL)
        value = ws.cell(row=row, column=block.value_column + 1)
        style.apply(value, replace(style.BODY, horizontal="left"), named.number_format)
        if last_column > block.value_column + 1:
            style.merge_cells(ws, start_row=row, start_column=block.value_column + 1, end_row=row,
                              end_column=last_column)
        define_name(wb, named.name, ws, value.coordinate)


# Validation: every validated cell shows a prompt when selected and refuses what it cannot take.


def add_list_validation(
    ws: Worksheet, list_name: str, cells: str, *, title: str, message: str, prompt: str | None = None
) -> DataValidation:
    """A dropdown from a named list that refuses anything else; ``prompt`` (default: ``message``) shows on selecting."""
    dv = DataValidation(type="list", formula1=list_name, allow_blank=True)
    return _add(ws, dv, cells, title, message, prompt)


def add_number_validation(
    ws: Worksheet, cells: str, *, kind: str, minimum: float, maximum: float | None = None, title: str, message: str,
    prompt: str | None = None,
) -> DataValidation:
    """Refuse numbers outside a range (``kind`` is ``decimal`` or ``whole``)."""
    if maximum is None:
        dv = DataValidation(type=kind, operator="greaterThanOrEqual", formula1=str(minimum), allow_blank=True)
    else:
        dv = DataValidation(type=kind, operator="between", formula1=str(minimum), formula2=str(maximum),
                            allow_blank=True)
    return _add(ws, dv, cells, title, message, prompt)


def add_date_validation(ws: Worksheet, cells: str, *, title: str, message: str,
                        prompt: str | None = None) -> DataValidation:
    """Accept only dates (from 1 Jan 2000, which also rules out small numbers)."""
    dv = DataValidation(type="date", operator="greaterThanOrEqual", formula1="DATE(2000,1,1)", allow_blank=True)
    return _add(ws, dv, cells, title, message, prompt)


def add_prompt(ws: Worksheet, cells: str, *, title: str, prompt: str) -> DataValidation:
    """A prompt on cells that take any text (a name, a note): nothing to refuse."""
    return style.add_prompt(ws, cells, title=title, prompt=prompt)


def _add(ws: Worksheet, dv: DataValidation, cells: str, title: str, message: str,
         prompt: str | None) -> DataValidation:
    style.explain(dv, title=title, prompt=prompt or message, error=message)
    dv.add(cells)
    ws.add_data_validation(dv)
    return dv


# Tables, sheets and printing.


def add_table(ws: Worksheet, name: str, ref: str) -> Table:
    """An Excel table without filter buttons or table style (the cells' own formats give the look)."""
    return style.add_table(ws, name, ref)


def protect(ws: Worksheet) -> None:
    """Protect without a password (an adviser can unprotect); objects too.

    Column widths and row heights stay adjustable so long text can be read.
    """
    ws.protection.sheet = True
    ws.protection.objects = True  # otherwise charts stay movable on a protected sheet
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def set_widths(ws: Worksheet, widths: dict[str, float]) -> None:
    """Give columns their widths in characters, as Excel's Column Width box shows them (the house fit's unit)."""
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = style._stored_width(width)


def set_up_printing(ws: Worksheet, *, repeat_rows: tuple[int, int] | None = None, landscape: bool | None = None,
                    area: str | None = None) -> None:
    """A4, one page wide, the table header repeated, a footer with the workbook's title, the sheet and the page.

    Also hides the gridlines on screen: the cells' borders draw the tables.
    Call after the columns are sized.
    """
    style.set_up_printing(ws, title=ws.parent.properties.title or "", landscape=landscape, area=area,
                          repeat_rows=repeat_rows)
    ws.sheet_view.showGridLines = False


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


def add_instructions_sheet(
    wb: Workbook, title: str, sections: Sequence[tuple[str, Sequence[str]]],
    key: Sequence[style.KeyEntry] = style.KEY,
) -> Worksheet:
    """The first sheet: a title, the colour key, then headed paragraphs in plain English, printed on A4.

    Paragraphs wrap across the page's width; ``key`` lists the colours the
    workbook uses ("Yellow: type here", "Green: worked out for you").
    """
    ws = wb.create_sheet(INSTRUCTIONS_SHEET, 0)
    set_widths(ws, {"A": 11, "B": 84})  # A holds the key's swatches; the text spans A and B
    write_title(ws, title)
    row = style.add_key(ws, 3, entries=key) + 1
    for heading, paragraphs in sections:
        cell = ws.cell(row=row, column=1)
        set_text(cell, heading)
        style.apply(cell, style.HEADING)
        row += 1
        for paragraph in paragraphs:
            cell = ws.cell(row=row, column=1)
            set_text(cell, paragraph)
            style.apply(cell, style.PARAGRAPH)
            style.wrap_across(ws, cell, 2)
            row += 1
        row += 1
    style.fit_rows(ws)
    set_up_printing(ws, landscape=False)
    protect(ws)
    return ws
