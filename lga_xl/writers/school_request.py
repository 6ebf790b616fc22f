"""The school's request for apprentices, laid out from its contract in the house style.

The contract is :mod:`lga_xl.contracts.school_request`.  Each requested
apprenticeship is costed with the levy plan's own costing formulas
(:mod:`lga_xl.writers.levy_plan`), priced at its standard's funding band
maximum on the start date and lasting its typical duration, against the
Standards and FundingBands tables carried from the plan; so a request merged
into the plan (:func:`lga_xl.schools_toolkit.merge_school_requests`) costs there
what it cost here.  :mod:`lga_xl.readers.school_request` recomputes it all.

Example:
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "request.xlsx"
    >>> new_school_request(path, council="Exampleshire County Council",
    ...                    school=SchoolFacts("100001", "Ash Primary", "Community school")).name
    'request.xlsx'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import PatternFill
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from .. import a1, cells, levy
from ..contract import Block
from ..contracts import school_request as spec
from ..contracts.levy_plan import plan_start_of
from ..contracts.school_request import CONTRACT, FUNDING_BANDS, REQUESTS, SCHOOL, SHARE, STANDARDS, WHO, pick_text
from ..standards import Standard, sample_export, sample_export_as_at
from . import common as c
from . import style
from .levy_plan import _costing_formulas

__all__ = ["RequestEntry", "SchoolFacts", "new_school_request", "pickable_standards"]

TITLE = "Request for apprentices"
_FIXED = replace(style.TABLE_CELL, wrap=False)  # written when the request is made: boxed, neither yellow nor green
_WARNING_FILL = PatternFill("solid", fgColor=style.WARNING_COLOUR, bgColor=style.WARNING_COLOUR)
_CHECK_FILL = PatternFill("solid", fgColor=style.CHECK_COLOUR, bgColor=style.CHECK_COLOUR)
_VALUE_SPAN = 2  # the school's details and who filled it in: each value across columns B and C


@dataclass(frozen=True)
class SchoolFacts:
    """The school a request is for, and its figures in the council's levy plan (None when not known)."""

    urn: str | None
    name: str | None
    type: str | None = None
    levy_share: Decimal | None = None
    funds_share: Decimal | None = None
    planned_spend: Decimal | None = None
    funds_left: Decimal | None = None


@dataclass(frozen=True)
class RequestEntry:
    """A row of the Requests table; ``standard`` a reference (written as its dropdown shows it) or as typed."""

    role: str | None
    hire: str | None
    standard: str | None
    start_month: dt.date | None
    notes: str | None = None


# Public API.


def new_school_request(
    path: str | Path,
    *,
    council: str | None = None,
    region: str | None = None,
    tax_year: str = "2026-27",
    school: SchoolFacts | None = None,
    contact: str | None = None,
    standards: Sequence[Standard] | None = None,
    standards_source: str | None = None,
    requests: Sequence[RequestEntry] = (),
    completed_by: str | None = None,
    completed_role: str | None = None,
    email: str | None = None,
    completed_on: dt.date | None = None,
) -> Path:
    """Write a school's request for apprentices; blank, or filled for samples and tests.

    Args:
        path: where to write the .xlsx file.
        council, region, tax_year: the levy plan's council, region and tax year.
        school: the school and its share of the levy, as the plan has them.
        contact: whom the school sends the request to (name, email, telephone).
        standards: the plan's standards list; those a school can pick
            (:func:`pickable_standards`) are carried with their dated bands.
            The illustrative sample, with a banner saying so, when None.
        standards_source: where ``standards`` came from, shown on the Standards sheet.
        requests: rows of the Requests table (for samples and tests).
        completed_by ... completed_on: who filled it in, and when.

    Raises:
        ValueError: a tax year not like ``2026-27``.
    """
    plan_start = plan_start_of(tax_year)
    banner = None
    if standards is None:
        standards = sample_export()
        banner = (f"Illustrative standards: a sample with figures as at {_day(sample_export_as_at())}, for trying "
                  "the request out. Ask the council for a request made from its levy plan.")
        standards_source = "the illustrative sample shipped with lga_xl"
    pickable = pickable_standards(standards, plan_start)
    school = school or SchoolFacts(None, None)
    wb = c.new_workbook(TITLE)
    _instructions(wb, council, banner)
    _request_sheet(wb, {
        "SchoolName": school.name, "SchoolURN": school.urn, "SchoolType": school.type, "OrgName": council,
        "Region": region, "TaxYear": tax_year, "PlanStart": plan_start, "Contact": contact,
        "CompletedBy": completed_by, "CompletedRole": completed_role, "Email": email, "CompletedOn": completed_on,
        "LevyShare": school.levy_share, "FundsShare": school.funds_share, "PlannedSpend": school.planned_spend,
        "FundsLeft": school.funds_left,
    }, [_request_values(entry, pickable) for entry in requests], banner)
    _standards_sheet(wb, pickable, standards_source or "the council's levy plan", banner)
    c.add_lists_sheet(wb, CONTRACT.lists)
    c.add_metadata_sheet(wb, CONTRACT.kind, CONTRACT.version, {"tax_year": tax_year,
                                                                "standards_source": standards_source or ""})
    c.open_on_first_sheet(wb)
    return c.save(wb, path)


def pickable_standards(standards: Sequence[Standard], plan_start: dt.date) -> list[Standard]:
    """The standards a school can pick, by title: approved for delivery, with a typical duration of at least the
    minimum for a start in the plan year (the request takes it as the apprenticeship's duration).

    Example:
        >>> picked = pickable_standards(sample_export(include_inactive=True), dt.date(2026, 4, 1))
        >>> all(s.approved and s.typical_duration_months >= 8 for s in picked), picked[0].title <= picked[1].title
        (True, True)
    """
    shortest = levy.minimum_duration_months(plan_start)
    usable = [s for s in standards if s.approved and (s.typical_duration_months or 0) >= shortest]
    return sorted(usable, key=lambda s: (s.title.casefold(), s.reference))


# Private API: the sheets.


INSTRUCTIONS = (
    ("What this workbook is", (
        "Your school's request for apprenticeships paid from the council's apprenticeship levy. The council "
        "employs your school's staff, so their pay is in the council's levy, and the council's levy pays for "
        "their apprenticeships' training and assessment, up to each standard's funding band maximum.",
        "For each apprenticeship you list, the workbook shows what it would cost at the funding band and what "
        "that costs in the plan year, and sets the total against your school's share of the levy.",
    )),
    ("How to fill it in", (
        "1. On the Request sheet, type your name, role, email and the date in the yellow cells.",
        "2. List one apprenticeship a row: the role (its job title), whether it is for a new hire or for someone "
        "already on your staff, the standard (pick it by its title; the Standards sheet lists them with their "
        "funding band maximum and typical duration), the month you would like it to start, and any notes (the "
        "hours, the class or team, a training provider you have in mind).",
        "3. Read the green cells: each row's funding band maximum and its cost in the plan year, and at the top "
        "what is left of your share once these are paid for. A row with a problem says so in its Check column.",
        "Only the yellow cells can be changed (the sheets are protected without a password).",
    )),
    ("How the costs are worked out", (
        "The price of each apprenticeship is its standard's funding band maximum on the start date: the most the "
        "levy pays for its training and assessment. It lasts the standard's typical duration. The training "
        "provider is paid 80% of the price in equal monthly instalments from the month after the start, and the "
        "rest when the apprenticeship is complete; the cost in the plan year is what falls from April to March.",
        "Your share of the funds entering the council's account this year is in proportion to your pay bill, "
        "as in the council's levy plan; what is left is that share less the apprenticeships already planned for "
        "your school. The council decides how its levy is spent, and may fund more than your share.",
    )),
    ("What your school pays", (
        "The apprentice's wages, the time for their off-the-job training in working hours, and any price above "
        "the funding band maximum that a provider charges. The levy cannot pay for these.",
    )),
    ("What to send back", (
        "Save the workbook as .xlsx (not .xls or PDF, no password) and send it to the council (see Send it to on "
        "the Request sheet). The council adds your requests to its levy plan and tells you what it can fund.",
    )),
)


def _instructions(wb: Workbook, council: str | None, banner: str | None) -> None:
    sections = INSTRUCTIONS
    if council:
        sections = (("For", (f"{council}'s maintained schools.",)), *INSTRUCTIONS)
    ws = c.add_instructions_sheet(wb, f"{TITLE}: instructions", sections,
                                  key=(*style.KEY, style.CHECK_KEY, style.WARNING_KEY))
    if banner:
        row = ws.max_row + 2
        cell = ws.cell(row=row, column=1)
        c.set_text(cell, banner)
        style.apply(cell, replace(style.WARNING, wrap=True))
        style.wrap_across(ws, cell, 2)
        style.fit_rows(ws, row, row)


def _request_sheet(wb: Workbook, values: dict[str, object], rows: list[dict[str, object]],
                   banner: str | None) -> None:
    table = REQUESTS
    ws = wb.create_sheet(table.sheet)
    visible = [column for column in table.columns if not column.hidden]
    c.write_title(ws, TITLE)
    c.write_note(ws, 2, "One row per apprenticeship you would like: fill in the yellow cells. The green cells are "
                        "worked out for you, as the council's levy plan works them out.", len(visible))
    if banner:
        cell = ws.cell(row=3, column=1)
        c.set_text(cell, banner)
        style.apply(cell, replace(style.WARNING, wrap=True))
        style.wrap_across(ws, cell, len(visible))
    for block, heading in ((SCHOOL, "Your school and the council's plan"), (WHO, "Who is asking"),
                           (SHARE, "Your share of the council's levy")):
        cell = ws.cell(row=block.first_row - 1, column=block.label_column + 1)
        c.set_text(cell, heading)
        style.apply(cell, style.HEADING)
        _block(wb, ws, block, values)
    over = a1.cell(spec.OVER_SHARE_ROW, SHARE.label_column)
    ws[over] = ('=IF(AND(ISNUMBER(FundsLeftAfter),FundsLeftAfter<0),"These cost more this year than is left of '
                'your share: the council will say whether the rest of its levy can pay for them.","")')
    style.apply(ws[over], replace(style.LABEL, wrap=True))
    style.merge_cells(ws, start_row=spec.OVER_SHARE_ROW, start_column=SHARE.label_column + 1,
                      end_row=spec.OVER_SHARE_ROW + 1, end_column=SHARE.value_column + 1)
    after = SHARE.cell("FundsLeftAfter")
    ws.conditional_formatting.add(after, FormulaRule(formula=[f"AND(ISNUMBER({after}),{after}<0)"],
                                                     fill=_WARNING_FILL))
    heading = ws.cell(row=table.header_row - 1, column=1)
    c.set_text(heading, "The apprenticeships you would like")
    style.apply(heading, style.HEADING)
    _requests_table(wb, ws, rows)
    style.fit_columns(ws, table.header_row, table.last_row(), header_row=table.header_row,
                      columns=[table.letter(column.key) for column in visible],
                      samples={table.letter("role"): "Teaching assistant, Year 2",
                               table.letter("standard"): "Early years educator (level 3, ST0135)",
                               table.letter("start_month"): dt.date(2026, 5, 1),
                               table.letter("notes"): "Mornings, with the Reception class",
                               table.letter("duration_months"): 48,
                               table.letter("band_max"): Decimal("27000.00"),
                               table.letter("in_year_cost"): Decimal("-999999.99"),
                               table.letter("check"): max((check.text for check in table.checks), key=len)},
                      caps={table.letter(key): width for key, width in (("role", 22), ("standard", 40),
                                                                         ("notes", 24), ("check", 36))})
    for column in table.columns:
        if column.hidden:
            ws.column_dimensions[table.letter(column.key)].hidden = True
    style.fit_rows(ws, 1, table.last_row())  # filled rows too: a wrapped role or note is as tall as its lines
    # The print area ends at the last column that shows: the working columns to its right are hidden.
    c.set_up_printing(ws, repeat_rows=(table.header_row, table.header_row), landscape=True,
                      area=f"A1:{table.letter(visible[-1].key)}{table.last_row()}")
    ws.freeze_panes = table.cell("role", table.first_row)
    c.protect(ws)


def _block(wb: Workbook, ws: Worksheet, block: Block, values: dict[str, object]) -> None:
    """Labels and named cells: inputs yellow, fixed values boxed, results green; labels span up to their values."""
    formulas = {
        "PlanEnd": '=IF(ISNUMBER(PlanStart),EDATE(PlanStart,12)-1,"")',
        "RequestCount": f"=SUM({REQUESTS.structured('entered')})",
        "RequestsBandTotal": f"=ROUND(SUM({REQUESTS.structured('band_max')}),2)",
        "RequestsInYear": f"=ROUND(SUM({REQUESTS.structured('in_year_cost')}),2)",
        "FundsLeftAfter": '=IF(ISNUMBER(FundsLeft),ROUND(FundsLeft-RequestsInYear,2),"")',
    }
    wide = block.label_column == 0  # the left blocks: a value across B and C
    for name in block.names:
        row = block.row(name.name)
        label = ws.cell(row=row, column=block.label_column + 1)
        c.write_label(label, name.label)
        if block.value_column - block.label_column > 1:
            style.merge_cells(ws, start_row=row, start_column=block.label_column + 1, end_row=row,
                              end_column=block.value_column)
        cell = ws[block.cell(name.name)]
        if name.role == "formula":
            cell.value = formulas[name.name]
        else:
            c.write_value(cell, values.get(name.name))
        look = {"input": style.INPUT, "fixed": replace(_FIXED, wrap=name.kind == "text"),
                "formula": style.CALCULATED}[name.role]
        span = [ws.cell(row=row, column=block.value_column + 1 + offset)
                for offset in range(_VALUE_SPAN if wide else 1)]
        style.apply(span, look, name.number_format)
        if wide:
            style.merge_cells(ws, start_row=row, start_column=span[0].column, end_row=row, end_column=span[-1].column)
        c.define_name(wb, name.name, ws, cell.coordinate)
    if block is WHO:
        for key, title, prompt in (("CompletedBy", "Your name", "Your name, as the council should reply to."),
                                   ("CompletedRole", "Your role", "Your role in the school, such as head teacher "
                                                                  "or school business manager."),
                                   ("Email", "Your email", "The email address the council should reply to.")):
            c.add_prompt(ws, block.cell(key), title=title, prompt=prompt)
        c.add_date_validation(ws, block.cell("CompletedOn"), title="Date", message="Type the date, as 01/09/2026.")


def _requests_table(wb: Workbook, ws: Worksheet, rows: list[dict[str, object]]) -> None:
    table = REQUESTS
    c.write_header(ws, table.header_row, table.headers, table.first_column + 1)
    inputs = table.keys("input")
    for index, r in enumerate(range(table.first_row, table.last_row() + 1)):
        k = table.row_cells(r)
        for key in inputs:
            cell = ws[k[key]]
            if index < len(rows):
                c.write_value(cell, rows[index].get(key))
            style.apply(cell, style.INPUT if key != "notes" else replace(style.INPUT, wrap=True),
                        table.column(key).number_format)
        for key, formula in _row_formulas(r).items():
            cell = ws[k[key]]
            cell.value = formula
            column = table.column(key)
            style.apply(cell, style.CALCULATED if not column.hidden else style.BODY, column.number_format)
    c.add_table(ws, table.name, table.ref())
    cells_of = table.column_cells
    c.add_prompt(ws, cells_of("role"), title="Role", prompt="The role's job title, such as Teaching assistant.")
    c.add_list_validation(ws, spec.HIRE_LIST, cells_of("hire"), title="New hire or existing staff",
                          message="Pick New hire, or Existing staff for someone already on your staff.")
    c.add_list_validation(ws, spec.PICK_LIST, cells_of("standard"), title="Standard",
                          message="Pick the standard by its title; the Standards sheet lists them.")
    c.add_date_validation(ws, cells_of("start_month"), title="Start month",
                          message="Type the month you would like it to start, as 01/09/2026.")
    c.add_prompt(ws, cells_of("notes"), title="Notes", prompt="Anything the council should know: hours, the class "
                                                              "or team, a training provider you have in mind.")
    ws.conditional_formatting.add(cells_of("check"), FormulaRule(
        formula=[f'{table.cell("check", table.first_row)}<>""'], fill=_CHECK_FILL))


def _row_formulas(r: int) -> dict[str, str]:
    """A request's costing: the levy plan's formulas for a start priced at its band and lasting its typical
    duration; the reference looked up from the title picked (a bare reference also reads)."""
    table = REQUESTS
    k = table.row_cells(r)
    std, month, row = k["standard"], k["start_month"], k["standard_row"]
    typed = ",".join(k[key] for key in table.keys("input"))
    formulas = {key: formula for key, formula in _costing_formulas(table, r).items() if key in k}
    formulas["reference"] = (f'=IF({std}="","",IFERROR(INDEX({STANDARDS.structured("reference")},'
                             f'MATCH(TRIM({std}),{STANDARDS.structured("pick")},0)),TRIM({std})))')
    duration = f"INDEX({STANDARDS.structured('typical_duration_months')},{row})"
    formulas.update({
        "entered": f"=IF(COUNTA({typed})=0,0,1)",
        "start_date": f'=IF(ISNUMBER({month}),DATE(YEAR({month}),MONTH({month}),1),"")',
        "duration_months": style.blank_when_empty(f'IF({row}=0,"",IF(ISNUMBER({duration}),{duration},""))',
                                                  [k[key] for key in table.keys("input")]),
        "price": f'=IF(ISNUMBER({k["band_max"]}),{k["band_max"]},"")',
    })
    return formulas


def _request_values(entry: RequestEntry, standards: Sequence[Standard]) -> dict[str, object]:
    known = {s.reference.casefold(): s for s in standards}
    standard = known.get(entry.standard.casefold()) if isinstance(entry.standard, str) else None
    return {"role": entry.role, "hire": entry.hire, "notes": entry.notes, "start_month": entry.start_month,
            "standard": pick_text(standard.reference, standard.title, standard.level) if standard else entry.standard}


def _standards_sheet(wb: Workbook, standards: Sequence[Standard], source: str, banner: str | None) -> None:
    table, bands = STANDARDS, FUNDING_BANDS
    ws = wb.create_sheet(table.sheet)
    visible = sum(1 for column in table.columns if not column.hidden)
    c.write_title(ws, "Apprenticeship standards you can pick")
    c.write_note(ws, 2, f"From {source}: the standards approved for delivery. The funding band maximum is the most "
                        "the levy pays for one apprenticeship's training and assessment; dated bands, on the right, "
                        "apply by start date.", visible + len(bands.columns) - 1)
    if banner:
        cell = ws.cell(row=3, column=1)
        c.set_text(cell, banner)
        style.apply(cell, replace(style.WARNING, wrap=True))
        style.wrap_across(ws, cell, visible + len(bands.columns) - 1)
    c.write_header(ws, table.header_row, table.headers, table.first_column + 1)
    c.write_header(ws, bands.header_row, bands.headers, bands.first_column + 1)
    rows = max(len(standards), 1)
    for r, standard in zip(range(table.first_row, table.last_row(rows) + 1), [*standards] or [None]):
        k = table.row_cells(r)
        values = {} if standard is None else {
            "reference": standard.reference, "title": standard.title, "level": standard.level,
            "status": standard.status, "max_funding": standard.max_funding,
            "typical_duration_months": standard.typical_duration_months,
            "earliest_start": standard.earliest_start_date, "latest_start": standard.latest_start_date}
        for key in table.keys("fixed"):
            c.write_value(ws[k[key]], values.get(key))
            style.apply(ws[k[key]], _FIXED, table.column(key).number_format)
        ws[k["pick"]] = (f'=IF(AND({k["reference"]}<>"",{k["title"]}<>""),{k["title"]}&" (level "&{k["level"]}&", "'
                         f'&{k["reference"]}&")","")')
    dated = [(s.reference, band) for s in standards for band in s.funding_bands] or [(None, None)]
    for r, (reference, band) in zip(range(bands.first_row, bands.last_row(len(dated)) + 1), dated):
        k = bands.row_cells(r)
        values = {} if band is None else {"reference": reference, "effective_from": band.effective_from,
                                          "effective_to": band.effective_to, "max_funding": band.max_funding}
        for key in bands.keys("fixed"):
            c.write_value(ws[k[key]], values.get(key))
            style.apply(ws[k[key]], _FIXED, bands.column(key).number_format)
        ws[k["until"]] = (f'=IF({k["reference"]}="","",IF({k["effective_to"]}="",{cells.LAST_SERIAL},'
                          f'{k["effective_to"]}))')
        style.apply(ws[k["until"]], style.BODY, spec.DATE)
    c.add_table(ws, table.name, table.ref(rows))
    c.add_table(ws, bands.name, bands.ref(len(dated)))
    c.define_name(wb, spec.PICK_LIST, ws, table.column_cells("pick", rows))
    for t in (table, bands):
        for column in t.columns:
            if column.hidden:
                ws.column_dimensions[t.letter(column.key)].hidden = True
    ws.column_dimensions[a1.column_letter(bands.first_column - 1)].width = 2
    style.fit_columns(ws, table.header_row, max(table.last_row(rows), bands.last_row(len(dated))),
                      header_row=table.header_row, caps={table.letter("title"): 50},
                      columns=[t.letter(column.key) for t in (table, bands) for column in t.columns
                               if not column.hidden])
    style.fit_rows(ws)
    shown = [column for column in bands.columns if not column.hidden]
    c.set_up_printing(ws, repeat_rows=(table.header_row, table.header_row), landscape=True,
                      area=f"A1:{bands.letter(shown[-1].key)}{max(table.last_row(rows), bands.last_row(len(dated)))}")
    ws.freeze_panes = table.cell("title", table.first_row)
    c.protect(ws)


def _day(day: dt.date) -> str:
    """2 July 2026 (strftime's %-d is not portable)."""
    return f"{day.day} {day:%B %Y}"
