"""The growth-strategy tracker workbook, laid out from its contract in the house style.

The contract (sheets, names, tables, columns, row checks and the conditions
the formulas share) is :mod:`lga_xl.contracts.tracker`; the formulas are the
renderers of :mod:`lga_xl.targets`, whose rules :mod:`lga_xl.readers.tracker`
recomputes in Python.  ``docs/targets.md`` explains the rules and the layout.

Example:
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "tracker.xlsx"
    >>> new_tracker(path, org_name="Exampleshire County Council", example="hertfordshire").name
    'tracker.xlsx'
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import Reference, ScatterChart, Series
from openpyxl.chart.marker import Marker
from openpyxl.drawing.line import LineProperties
from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, OneCellAnchor
from openpyxl.drawing.xdr import XDRPositiveSize2D
from openpyxl.formatting.rule import FormulaRule, Rule
from openpyxl.styles import Font, PatternFill
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.styles.numbers import NumberFormat
from openpyxl.utils.units import cm_to_EMU, pixels_to_EMU
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .. import a1
from .. import targets as rules
from ..contract import Table
from ..contracts.tracker import (
    ACTIONS,
    ACTUALS,
    AMBER_USED,
    CHART_POINTS,
    CONTRACT,
    COUNTED,
    FIGURES_USABLE,
    LISTED_ACTIONS,
    MONITORING,
    OBJECTIVES,
    PUBLIC_SECTOR,
    SEND_OUT,
    SPARE_ROWS,
    SUMMARY,
    TARGETS,
    UNIT_FORMATS,
    VALUES_USABLE,
)
from ..formulas import excel_date
from ..models import TrackerActual, TrackerTarget
from ..readers.tracker import read_tracker_package
from . import common as c
from . import style
from .readback import UnsavedPackage

__all__ = ["PublicSectorYear", "new_tracker"]

TITLE = "Apprenticeship growth-strategy tracker"
# RAG cells: GOV.UK's strong green, orange and red, so they never look like the pale key colours.
RAG_STYLES = {
    rules.GREEN: ("00703C", "FFFFFF"),
    rules.AMBER: ("F47738", "0B0C0C"),
    rules.RED: ("D4351C", "FFFFFF"),
}
# Monitoring's columns, three groups of equal width: a chart sits under each group.
MONITORING_WIDTHS = {"A": 7, "B": 37, "C": 14, "D": 15, "E": 15, "F": 14, "G": 15, "H": 15}
CHART_GROUPS = (("A", "B"), ("C", "E"), ("F", "H"))
CHART_HEIGHT_CM = 6.5
EDGE_COLOUR = "8B9297"  # a grey between the GOV.UK border and secondary text greys
CAPTION_LINES = 3

INSTRUCTIONS = (
    ("What this workbook is", (
        "A tracker for an apprenticeship growth strategy: its targets, the figures reported against them, the "
        "action plan and the public sector apprenticeship figures. It works out where each target should be by "
        "now, whether it is on track (Green, Amber or Red), which way it is moving, and which actions are "
        "overdue. Everything is worked out by the workbook's own formulas: there are no macros.",
    )),
    ("How to fill it in", (
        "1. Monitoring: the council or partnership, its region, the strategy, and the reporting date (the date "
        "the quarter's figures are as at). Change the reporting date at every quarterly review.",
        "2. Targets: one row per target: an ID (T1, T2 ...), the measure in the strategy's words, its unit "
        "(Number, %, £ or Ratio), whether it should increase or decrease, the baseline and the target with their "
        "dates, and Amber within (how far behind the line it may be before it is Red; blank means 10%). A measure "
        "still to be agreed can be listed without figures: it shows Not set.",
        "Years are entered as the date they end: 2021/22 is 31/07/2022 as an academic year (1 August to 31 July), "
        "31/03/2022 as a financial year (1 April to 31 March).",
        "3. Actuals: add a row each time a figure is reported: the target's ID, the date it is for, the value and "
        "where it came from. Add rows; never type over last quarter's figures: the workbook takes the latest by "
        "date, and compares it with the one before for the trend.",
        "4. Action plan: the objectives, then one row per action: who is accountable, when it is due, its status "
        "(Not started, On track, At risk, Off track or Complete) and the latest update. Link an action to a strand "
        "of the Apprenticeships Maturity Model if you wish.",
        "5. Public sector figures: one row per reporting year (1 April to 31 March): the headcount on 31 March "
        "before the year and at its end, the apprenticeship starts in the year (council staff and maintained "
        "schools) and the apprentices employed at its end.",
        "Only the yellow cells can be changed; the sheets are protected without a password. A row with a problem "
        "says so in its Check column. Do not rename sheets, tables or columns.",
    )),
    ("How the figures are worked out", (
        "Values: a % is typed with its sign (74%), a ratio as a share from 0 to 1 (0.1 for 1 in 10), money in "
        "pounds. Values are compared to 4 decimal places.",
        "Expected now: the straight line from the baseline to the target, read on the date of the latest actual: "
        "baseline + (target - baseline) x days since the baseline date / days from the baseline date to the "
        "target date. Before the baseline date it is the baseline; after the target date, the target.",
        "RAG, for a target to increase: Green when the latest actual is on or above the line; Amber when it is "
        "below by no more than Amber within x (target - baseline); Red when further below. For a target to "
        "decrease, the same the other way up. A value exactly on a boundary takes the better colour. Not set: "
        "the baseline, the target or a date is missing or cannot be used. No data: no actual yet.",
        "Progress: the share of the distance from the baseline to the target covered so far (below 0% when the "
        "measure has moved the wrong way, above 100% beyond the target).",
        "Trend: Up, Down or Flat against the actual dated before the latest. For a target to decrease, Down is "
        "good: the RAG says whether the position is good, the trend which way it is moving.",
        "Actions on the reporting date: Complete is Green. An action past its due date and not complete is Red "
        "(overdue). Otherwise On track is Green, At risk Amber and Off track Red; Not started is Red when it is "
        "due within 3 months (it would be overdue by the next quarterly review), Amber otherwise.",
        "Starts as a share of headcount: total starts in the year / headcount at its start, to 0.01%, as public "
        "bodies report it each year (the 2.3% public sector target ended on 31 March 2022 and is now a "
        "benchmark).",
    )),
    ("What to send back", (
        "Save the workbook as .xlsx (not .xls, not PDF, no password) and send it to your adviser. The import "
        "reads the tables and named cells, works every figure out again and says which cell needs fixing.",
    )),
)


@dataclass(frozen=True)
class PublicSectorYear:
    """A row of the PublicSector table: one reporting year (1 April to 31 March), like ``"2024-25"``.

    ``headcount_start`` is the headcount on 31 March before the year,
    ``headcount_end`` on 31 March at its end; starts are those in the year.
    """

    year: str
    headcount_start: int | None = None
    headcount_end: int | None = None
    starts_council: int | None = None
    starts_schools: int | None = None
    apprentices_end: int | None = None


# Public API.


def new_tracker(
    path: str | Path,
    *,
    org_name: str | None = None,
    region: str | None = None,
    strategy: str | None = None,
    reporting_date: dt.date | None = None,
    example: str | None = None,
    targets: Sequence[rules.Target] = (),
    actuals: Sequence[rules.Actual] = (),
    objectives: Sequence[rules.Objective] = (),
    actions: Sequence[rules.Action] = (),
    public_sector: Sequence[PublicSectorYear] = (),
    rows: Mapping[str, int] | None = None,
) -> Path:
    """Write a tracker workbook; blank, pre-loaded with an example strategy, or filled in.

    ``example`` names a strategy shipped with lga_xl (``"hertfordshire"``):
    its targets, objectives and actions are written word for word (its
    illustrative actuals only when passed as ``actuals``), and its name and
    organisation stand in for ``strategy`` and ``org_name`` when those are not
    given.  Values are written as given: the workbook's Check columns and the
    reader judge them.  ``rows`` asks for at least that many data rows in the
    Targets, Actuals, Actions or PublicSector table (by table name), for
    entries filled in later (:mod:`lga_xl.carry`).

    Raises:
        ValueError: an unknown example, or more objectives than the table holds.

    Example:
        >>> import datetime, tempfile, pathlib
        >>> from lga_xl.targets import load_example
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "herts.xlsx"
        >>> herts = load_example()
        >>> new_tracker(out, example="hertfordshire", actuals=herts.actuals,
        ...             reporting_date=datetime.date(2023, 7, 31)).exists()
        True
    """
    if example is not None:
        loaded = rules.load_example(example)
        targets, objectives, actions = targets or loaded.targets, objectives or loaded.objectives, \
            actions or loaded.actions
        strategy, org_name = strategy or loaded.name, org_name or loaded.organisation
    if len(objectives) > OBJECTIVES.rows:
        raise ValueError(f"the tracker holds {OBJECTIVES.rows} objectives, not {len(objectives)}")
    asked = rows or {}
    sizes = {"Targets": max(TARGETS.rows, len(targets) + SPARE_ROWS["Targets"], asked.get("Targets", 0)),
             "Actuals": max(ACTUALS.rows, len(actuals) + SPARE_ROWS["Actuals"], asked.get("Actuals", 0)),
             "Actions": max(ACTIONS.rows, len(actions) + SPARE_ROWS["Actions"], asked.get("Actions", 0)),
             "PublicSector": max(PUBLIC_SECTOR.rows, len(public_sector) + 2, asked.get("PublicSector", 0))}

    wb = c.new_workbook(TITLE)
    style.use_house_font(wb)
    sheets = {name: wb.create_sheet(name) for name in (
        "Instructions", MONITORING.sheet, TARGETS.sheet, ACTUALS.sheet, ACTIONS.sheet, PUBLIC_SECTOR.sheet,
        "Chart data")}
    _instructions(sheets["Instructions"])
    _targets_sheet(wb, sheets[TARGETS.sheet], targets, sizes["Targets"])
    _actuals_sheet(sheets[ACTUALS.sheet], actuals, sizes["Actuals"], {t.id: t.unit for t in targets})
    _action_plan_sheet(sheets[ACTIONS.sheet], objectives, actions, sizes["Actions"])
    _public_sector_sheet(sheets[PUBLIC_SECTOR.sheet], public_sector, sizes["PublicSector"])
    chart_rows = _chart_data_sheet(sheets["Chart data"], sizes["Targets"])
    _monitoring_sheet(wb, sheets[MONITORING.sheet], {
        "OrgName": org_name, "Region": region, "StrategyName": strategy, "ReportingDate": reporting_date,
    }, targets, sizes, chart_rows)
    c.add_lists_sheet(wb, CONTRACT.lists)
    c.add_metadata_sheet(wb, CONTRACT.kind, CONTRACT.version, {"example": example or ""})
    _cache_charts(wb, targets, sizes["Targets"])
    wb.active = 0  # open on the Instructions sheet
    return c.save(wb, path)


# Private API: the sheets.


def _instructions(ws: Worksheet) -> None:
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 100
    _title(ws, "A1", TITLE)
    row = 3
    for heading, paragraphs in INSTRUCTIONS:
        cell = ws.cell(row=row, column=1, value=heading)
        style.apply(cell, style.HEADING)
        row += 1
        for paragraph in paragraphs:
            cell = ws.cell(row=row, column=1)
            c.set_text(cell, paragraph)
            style.apply(cell, style.PARAGRAPH)
            style.wrap_across(ws, cell, 2)
            row += 1
        row += 1
    row = style.add_key(ws, row, entries=(*style.KEY, style.CHECK_KEY, style.WARNING_KEY))
    ws.cell(row=row, column=1, value="Targets and actions")
    style.apply(ws.cell(row=row, column=1), style.LABEL)
    for offset, (rag, meaning) in enumerate((
        (rules.GREEN, "On or ahead of the line; an action on track or complete"),
        (rules.AMBER, "A little behind the line; an action at risk, or not started and not due soon"),
        (rules.RED, "Behind; an action off track, overdue, or not started and due within 3 months"),
    ), start=1):
        swatch = ws.cell(row=row + offset, column=1, value=rag)
        _rag_style(swatch, rag)
        style.apply(ws.cell(row=row + offset, column=2, value=meaning), style.BODY)
    style.fit_rows(ws)
    style.set_up_printing(ws, title=TITLE, area=f"A1:B{row + 3}")
    c.protect(ws)


def _targets_sheet(wb: Workbook, ws: Worksheet, targets: Sequence[rules.Target], rows: int) -> None:
    table = TARGETS
    _title(ws, "A1", "Targets: where each one should be, and where it is")
    _note(ws, 2, "One row per target. Yellow cells are yours; the green ones are worked out from the Actuals sheet. "
                 "Amber within: how far behind the line (as a share of the distance from baseline to target) a "
                 "target may be before it is Red; blank means 10%. A target without figures shows Not set.",
          len(table.columns) - 3)
    first, last = table.first_row, table.last_row(rows)
    _header(ws, table)
    ids, dates, values = (ACTUALS.structured(key) for key in ("target_id", "counted_date", "counted_value"))
    inputs_of = _input_refs(table)
    for index, r in enumerate(range(first, last + 1)):
        k = table.row_cells(r)
        target = targets[index] if index < len(targets) else None
        entered = {
            "id": target.id, "measure": target.measure, "unit": target.unit, "direction": target.direction,
            "baseline_date": target.baseline_date, "baseline": target.baseline, "target_date": target.target_date,
            "target": target.target, "amber_within": target.amber_within, "note": _target_note(target),
        } if target else {}
        for column in table.columns:
            if column.role == "input":
                cell = ws[k[column.key]]
                c.write_value(cell, entered.get(column.key))
                style.apply(cell, style.INPUT, column.number_format)
        values_format = UNIT_FORMATS.get(target.unit) if target else None
        for key in ("baseline", "target"):
            ws[k[key]].number_format = values_format or "General"
        usable, values_usable = FIGURES_USABLE.format(**k), VALUES_USABLE.format(**k)
        formulas = {
            "latest_date": rules.latest_date_formula(ids, dates, values, k["id"]),
            "latest": rules.value_on_formula(ids, dates, values, k["id"], k["latest_date"]),
            "expected": f'=IF({usable},{_body(rules.expected_formula(k["baseline"], k["baseline_date"], k["target"], k["target_date"], k["latest_date"]))},"")',  # noqa: E501
            "progress": f'=IF({values_usable},{_body(rules.progress_formula(k["latest"], k["baseline"], k["target"]))},"")',  # noqa: E501
            "rag": f'=IF({usable},{_body(rules.rag_formula(k["latest"], k["expected"], k["baseline"], k["target"], k["direction"], AMBER_USED.format(**k), baseline_date=k["baseline_date"], target_date=k["target_date"]))},"{rules.NOT_SET}")',  # noqa: E501
            "trend": rules.trend_formula(k["previous"], k["latest"]),
            "check": "=" + table.check_formula(r),
        }
        for key, formula in formulas.items():
            cell = ws[k[key]]
            cell.value = style.blank_when_empty(formula, inputs_of(r))
            style.apply(cell, style.CALCULATED, table.column(key).number_format)
        ws[k["latest"]].number_format = ws[k["expected"]].number_format = values_format or "General"
        hidden = {
            "previous_date": rules.previous_date_formula(ids, dates, values, k["id"], k["latest_date"]),
            "previous": rules.value_on_formula(ids, dates, values, k["id"], k["previous_date"]),
            "actual_count": f'=SUMPRODUCT(({ids}={k["id"]})*({values}<>""))',
        }
        for key, formula in hidden.items():
            ws[k[key]].value = formula
            style.apply(ws[k[key]], style.CALCULATED, table.column(key).number_format)
        ws[k["previous"]].number_format = values_format or "General"
    style.add_table(ws, table.name, table.ref(rows))
    letter = table.letter
    c.define_name(wb, "TargetIDList", ws, a1.absolute(table.column_cells("id", rows)))
    c.define_name(wb, "TargetUnitList", ws, a1.absolute(table.column_cells("unit", rows)))
    unit_cell = f"${letter('unit')}{first}"
    for key in ("baseline", "target", "latest", "expected", "previous"):
        _unit_formats(ws, table.column_cells(key, rows), unit_cell)
    column = lambda key: table.column_cells(key, rows)  # noqa: E731
    _prompt(ws, column("id"), "ID", "A short ID for the target, such as T1. Actuals name the target by it.")
    _prompt(ws, column("measure"), "Measure", "What is measured, in the strategy's own words.")
    _list(ws, "UnitList", column("unit"), "Unit", "Number, % (typed as 74%), £ (pounds) or Ratio (0.1 for 1 in 10).")
    _list(ws, "DirectionList", column("direction"), "Direction",
          "Increase or Decrease. Blank: worked out from the baseline and target.")
    for key, title in (("baseline_date", "Baseline date"), ("target_date", "Target date")):
        _date(ws, column(key), title, "The date the year ends: 31/07/2022 for the academic year 2021/22.")
    for key, title in (("baseline", "Baseline"), ("target", "Target")):
        cell = table.cell(key, first)
        rule = (f'AND(ISNUMBER({cell}),IF(OR({unit_cell}="{rules.PERCENT}",{unit_cell}="{rules.RATIO}"),'
                f"AND({cell}>=0,{cell}<=1),ABS({cell})<={int(rules.MAX_ABS_VALUE)}))")
        dv = DataValidation(type="custom", formula1=rule, allow_blank=True)
        style.explain(dv, title=title, prompt="A number in the unit's terms: 74% for a %, 0.1 for 1 in 10, pounds "
                                              "for £.",
                      error="Type a number: a % from 0% to 100% (type 74%, not 74), a ratio from 0 to 1.")
        dv.add(column(key))
        ws.add_data_validation(dv)
    dv = DataValidation(type="decimal", operator="between", formula1="0", formula2="1", allow_blank=True)
    style.explain(dv, title="Amber within", prompt="A share of the distance from baseline to target, such as 10%. "
                                                   "Blank means 10%.",
                  error="Type a percentage from 0% to 100%, such as 10%.")
    dv.add(column("amber_within"))
    ws.add_data_validation(dv)
    _prompt(ws, column("note"), "Note", "Where a figure comes from, or what was assumed.")
    _rag_formats(ws, column("rag"))
    _check_format(ws, column("check"))
    _fit(ws, table, rows, widths={"measure": 34, "note": 28},
         samples={"latest": "£99,999,999", "expected": "£99,999,999", "progress": "-100.0%", "rag": "No data",
                  "trend": "Down", "latest_date": dt.date(2026, 12, 30),
                  "check": max(_check_texts(table), key=len)})
    ws.freeze_panes = table.cell("measure", first)
    style.set_up_printing(ws, title=TITLE, repeat_rows=(table.header_row, table.header_row),
                          area=f"A1:{letter('note')}{last}")
    c.protect(ws)


def _actuals_sheet(ws: Worksheet, actuals: Sequence[rules.Actual], rows: int, units: Mapping[str, str]) -> None:
    table = ACTUALS
    _title(ws, "A1", "Actuals: the figures reported for each target")
    _note(ws, 2, "Add a row each time a figure is reported; never type over an earlier one. The ID is the target's "
                 "(pick it from the list); the date is the date the figure is for.", len(table.columns) - 3)
    first, last = table.first_row, table.last_row(rows)
    _header(ws, table)
    inputs_of = _input_refs(table)
    for index, r in enumerate(range(first, last + 1)):
        k = table.row_cells(r)
        actual = actuals[index] if index < len(actuals) else None
        entered = {"target_id": actual.target_id, "date": actual.on, "value": actual.value,
                   "note": actual.note or None} if actual else {}
        for column in table.columns:
            if column.role == "input":
                cell = ws[k[column.key]]
                c.write_value(cell, entered.get(column.key))
                style.apply(cell, style.INPUT, column.number_format)
        if actual is not None and actual.target_id in units:
            ws[k["value"]].number_format = UNIT_FORMATS[units[actual.target_id]]
        check = ws[k["check"]]
        check.value = style.blank_when_empty("=" + table.check_formula(r), inputs_of(r))
        style.apply(check, style.CALCULATED)
        counted = COUNTED.format(**k)
        ws[k["counted_date"]] = f"=IF({counted},ROUNDDOWN({k['date']},0),0)"
        ws[k["counted_value"]] = f'=IF({counted},{k["value"]},"")'
        for key in ("counted_date", "counted_value"):
            style.apply(ws[k[key]], style.CALCULATED, table.column(key).number_format)
    style.add_table(ws, table.name, table.ref(rows))
    column = lambda key: table.column_cells(key, rows)  # noqa: E731
    id_cell = f"${table.letter('target_id')}{first}"
    _unit_formats(ws, column("value"), f'IFERROR(INDEX(TargetUnitList,MATCH({id_cell},TargetIDList,0)),"")')
    _list(ws, "TargetIDList", column("target_id"), "Target", "Pick the ID of the target this figure is for.")
    _date(ws, column("date"), "Date", "The date the figure is for, such as 31/07/2023 (the end of a quarter).")
    _number(ws, column("value"), "Value", "The figure: 74% for a %, 0.1 for 1 in 10, pounds for £.",
            "Type a number between -100,000,000 and 100,000,000.")
    _prompt(ws, column("source"), "Source", "Where the figure comes from, such as a published statistic.")
    _prompt(ws, column("note"), "Note", "Anything the reader should know about this figure.")
    _check_format(ws, column("check"))
    _fit(ws, table, rows, widths={"source": 30, "note": 40},
         samples={"value": "£99,999,999", "target_id": "T10", "check": max(_check_texts(table), key=len)})
    ws.freeze_panes = table.cell("target_id", first)
    style.set_up_printing(ws, title=TITLE, repeat_rows=(table.header_row, table.header_row),
                          area=f"A1:{table.letter('check')}{last}")
    c.protect(ws)


def _action_plan_sheet(ws: Worksheet, objectives: Sequence[rules.Objective], actions: Sequence[rules.Action],
                       rows: int) -> None:
    _title(ws, "A1", "Action plan: objectives and actions")
    _note(ws, 2, "The strategy's objectives, then one row per action. The RAG is worked out on the reporting date "
                 "(on the Monitoring sheet): an action past its due date and not complete is Red.",
          len(ACTIONS.columns) - 3)
    table = OBJECTIVES
    _header(ws, table)
    for index, r in enumerate(range(table.first_row, table.last_row() + 1)):
        objective = objectives[index] if index < len(objectives) else None
        entered = {"number": objective.number, "theme": objective.theme, "text": objective.text} if objective else {}
        for column in table.columns:
            cell = ws[table.cell(column.key, r)]
            c.set_text(cell, entered.get(column.key))
            style.apply(cell, replace(style.INPUT, wrap=True))
    style.add_table(ws, table.name, table.ref())
    _prompt(ws, table.column_cells("number"), "No.", "The objective's number, such as 1.")
    _prompt(ws, table.column_cells("theme"), "Theme", "A word or two for the objective, such as Young people.")
    _prompt(ws, table.column_cells("text"), "Objective", "The objective in the strategy's words.")

    table = ACTIONS
    heading = ws.cell(row=table.header_row - 1, column=1, value="Actions")
    style.apply(heading, style.HEADING)
    _header(ws, table)
    first, last = table.first_row, table.last_row(rows)
    inputs_of = _input_refs(table)
    overdue_column, soon_column = table.letter("overdue_order"), table.letter("due_soon_order")
    for index, r in enumerate(range(first, last + 1)):
        k = table.row_cells(r)
        action = actions[index] if index < len(actions) else None
        entered = {"number": action.number, "objective": action.objective, "measure": action.measure,
                   "action": action.action, "accountable": action.accountability, "timescale": action.timescale,
                   "due": action.due, "status": action.status, "update": action.update,
                   "strand": action.strand} if action else {}
        for column in table.columns:
            if column.role == "input":
                cell = ws[k[column.key]]
                c.write_value(cell, entered.get(column.key))
                style.apply(cell, replace(style.INPUT, wrap=column.kind == "text"), column.number_format)
        rag = _body(rules.action_rag_formula(k["status"], k["due"], "ReportingDate"))
        formulas = {"rag": f'=IF(ISNUMBER(ReportingDate),{rag},"")', "check": "=" + table.check_formula(r)}
        for key, formula in formulas.items():
            ws[k[key]] = style.blank_when_empty(formula, inputs_of(r))
            style.apply(ws[k[key]], style.CALCULATED)
        open_action = (f'AND(OR({k["action"]}<>"",{k["status"]}<>""),{k["status"]}<>"{rules.COMPLETE}",'
                       f"ISNUMBER({k['due']}),ISNUMBER(ReportingDate))")
        due, on = f"ROUNDDOWN({k['due']},0)", "ROUNDDOWN(ReportingDate,0)"
        for key, letter, condition in (
            ("overdue_order", overdue_column, f"{on}>{due}"),
            ("due_soon_order", soon_column, f"AND({due}>={on},{due}<=EDATE({on},{rules.NOT_STARTED_RED_MONTHS}))"),
        ):
            before = "0" if r == first else f'COUNTIF(${letter}${first}:{letter}{r - 1},">0")'
            ws[k[key]] = f'=IF(IF({open_action},{condition},FALSE),{before}+1,"")'
            style.apply(ws[k[key]], style.CALCULATED)
    style.add_table(ws, table.name, table.ref(rows))
    column = lambda key: table.column_cells(key, rows)  # noqa: E731
    for key, title, prompt in (
        ("number", "No.", "The action's number, such as 1.1 (objective 1, action 1)."),
        ("objective", "Objective", "The objective this action serves, in the strategy's words."),
        ("measure", "Measure", "How you will know the action worked."),
        ("action", "Action", "What will be done."),
        ("accountable", "Accountable", "Who is accountable: a team, a partner or a named person."),
        ("timescale", "Timescale", "The timescale as the strategy states it, such as Throughout 2022/23."),
        ("update", "Update", "The latest progress, in a sentence or two."),
    ):
        _prompt(ws, column(key), title, prompt)
    _date(ws, column("due"), "Due", "The date the action is due: the end of its timescale.")
    _list(ws, "ActionStatusList", column("status"), "Status",
          "Not started, On track, At risk, Off track or Complete.")
    _list(ws, "StrandList", column("strand"), "Strand", "The Maturity Model strand this action serves, if any.")
    _rag_formats(ws, column("rag"))
    _check_format(ws, column("check"))
    _fit(ws, table, rows, header_row=OBJECTIVES.header_row,
         widths={"objective": 34, "measure": 24, "action": 38, "accountable": 16, "timescale": 14, "update": 28,
                 "strand": 16},
         samples={"rag": "No data", "due": dt.date(2026, 12, 30), "check": max(_check_texts(table), key=len)})
    ws.freeze_panes = None
    style.set_up_printing(ws, title=TITLE, landscape=True, repeat_rows=(table.header_row, table.header_row),
                          area=f"A1:{table.letter('check')}{last}")
    c.protect(ws)


def _public_sector_sheet(ws: Worksheet, years: Sequence[PublicSectorYear], rows: int) -> None:
    table = PUBLIC_SECTOR
    _title(ws, "A1", "Public sector figures: apprenticeship starts as a share of headcount")
    notes = (
        "One row per reporting year, 1 April to 31 March, written like 2024-25. Headcount at start: employees in "
        "England on 31 March before the year; at end: on 31 March at its end. Starts: people who started an "
        "apprenticeship in the year (new recruits and existing staff), council staff and maintained schools "
        "separately. Apprentices at end: apprentices employed on 31 March at the end of the year.",
        "Starts as a share of headcount = total starts / headcount at start, to 0.01%, as public bodies report it "
        "to the Department for Education each year. The 2.3% public sector target ended on 31 March 2022; it is now "
        "a benchmark.",
    )
    for row, text in enumerate(notes, start=2):
        _note(ws, row, text, len(table.columns))
    _header(ws, table)
    first, last = table.first_row, table.last_row(rows)
    inputs_of = _input_refs(table)
    for index, r in enumerate(range(first, last + 1)):
        k = table.row_cells(r)
        year = years[index] if index < len(years) else None
        for column in table.columns:
            if column.role == "input":
                cell = ws[k[column.key]]
                c.write_value(cell, getattr(year, column.key) if year else None)
                style.apply(cell, style.INPUT, column.number_format)
        formulas = {
            "starts_total": f"=SUM({k['starts_council']},{k['starts_schools']})",
            "starts_share": rules.public_sector_share_formula(k["starts_total"], k["headcount_start"]),
            "check": "=" + table.check_formula(r),
        }
        for key, formula in formulas.items():
            ws[k[key]] = style.blank_when_empty(formula, inputs_of(r))
            style.apply(ws[k[key]], style.CALCULATED, table.column(key).number_format)
    style.add_table(ws, table.name, table.ref(rows))
    column = lambda key: table.column_cells(key, rows)  # noqa: E731
    _prompt(ws, column("year"), "Year", "The reporting year, 1 April to 31 March, written like 2024-25.")
    for key in ("headcount_start", "headcount_end", "starts_council", "starts_schools", "apprentices_end"):
        _whole(ws, column(key), table.column(key).header)
    _check_format(ws, column("check"))
    _fit(ws, table, rows, samples={"starts_total": 99_999, "starts_share": Decimal("0.999"),
                                   "check": max(_check_texts(table), key=len)})
    style.fit_rows(ws, 1, table.header_row)
    style.set_up_printing(ws, title=TITLE, repeat_rows=(table.header_row, table.header_row),
                          area=f"A1:{table.letter('check')}{last}")
    c.protect(ws)


# The hidden sheet the Monitoring charts draw: one row per target row.  Columns: the target's ID,
# its number of actuals, the anchor point (its baseline, else its latest actual, else the reporting
# date at 0), the dates and values of its latest CHART_POINTS actuals (padded with the anchor point,
# so no chart cell is blank: a blank formula would be drawn as 0), its line and the edge of Amber.


@dataclass(frozen=True)
class _ChartRow:
    row: int
    dates: str  # the cells, "C2:R2"
    values: str
    line_dates: str
    line_values: str
    edge_dates: str
    edge_values: str


_CHART_HEADS = ("ID", "Actuals", "Anchor date", "Anchor value", *(f"Date {i}" for i in range(1, CHART_POINTS + 1)),
                *(f"Value {i}" for i in range(1, CHART_POINTS + 1)), "Line start", "Line end", "Line at start",
                "Line at end", "Edge start", "Edge end", "Edge at start", "Edge at end")
_CHART_COLUMNS = {head: a1.column_letter(i) for i, head in enumerate(_CHART_HEADS)}
_NO_DATE = dt.date(2000, 1, 1)  # the anchor of a chart with nothing to draw and no reporting date
# A chart with nothing to draw spans a year of its date axis around its anchor.
_EMPTY_AXIS_BEFORE, _EMPTY_AXIS_AFTER = dt.timedelta(days=182), dt.timedelta(days=183)


def _chart_data_sheet(ws: Worksheet, rows: int) -> list[_ChartRow]:
    ws.sheet_state = "hidden"
    for col, head in enumerate(_CHART_HEADS, start=1):
        c.set_text(ws.cell(row=1, column=col), head)
    ids, dates, values = (ACTUALS.structured(key) for key in ("target_id", "counted_date", "counted_value"))
    col = _CHART_COLUMNS
    made = []
    for index in range(rows):
        r = index + 2
        k = TARGETS.row_cells(TARGETS.first_row + index)
        t = {key: f"{TARGETS.sheet}!{ref}" for key, ref in k.items()}
        usable = FIGURES_USABLE.format(**t)
        cell = {head: f"{letter}{r}" for head, letter in col.items()}
        n = cell["Actuals"]
        ws[cell["ID"]] = f'=IF({t["id"]}="","",{t["id"]})'
        ws[n] = f"={t['actual_count']}"
        ws[cell["Anchor date"]] = (f"=IF({usable},ROUNDDOWN({t['baseline_date']},0),IF({n}>0,{t['latest_date']},"
                                   f"IF(ISNUMBER(ReportingDate),ROUNDDOWN(ReportingDate,0),{excel_date(_NO_DATE)})))")
        ws[cell["Anchor value"]] = f"=IF({usable},{t['baseline']},IF({n}>0,{t['latest']},0))"
        anchor_date, anchor_value = cell["Anchor date"], cell["Anchor value"]
        for i in range(1, CHART_POINTS + 1):
            day = cell[f"Date {i}"]
            found = t["latest_date"] if i == 1 else _body(rules.previous_date_formula(
                ids, dates, values, t["id"], cell[f"Date {i - 1}"]))
            ws[day] = f"=IF({n}>={i},{found},{anchor_date})"
            value = _body(rules.value_on_formula(ids, dates, values, t["id"], day))
            ws[cell[f"Value {i}"]] = f"=IF({n}>={i},{value},{anchor_value})"
        sign = f'IF({t["target"]}>{t["baseline"]},1,IF({t["target"]}<{t["baseline"]},-1,IF({t["direction"]}="{rules.DECREASE}",-1,1)))'  # noqa: E501
        amber = AMBER_USED.format(**t)
        band = f"IF({amber}=\"\",{rules.DEFAULT_AMBER_WITHIN},{amber})*ABS({t['target']}-{t['baseline']})"
        ws[cell["Line start"]] = f"={anchor_date}"
        ws[cell["Line end"]] = f"=IF({usable},ROUNDDOWN({t['target_date']},0),{anchor_date})"
        ws[cell["Line at start"]] = f"={anchor_value}"
        ws[cell["Line at end"]] = f"=IF({usable},{t['target']},{anchor_value})"
        # Nothing to draw (no usable figures, no actuals): the edge spans a year along the axis at 0, so the
        # empty chart still has a sensible date axis.
        ws[cell["Edge start"]] = (f"=IF(OR({usable},{n}>0),{cell['Line start']},"
                                  f"{anchor_date}-{_EMPTY_AXIS_BEFORE.days})")
        ws[cell["Edge end"]] = f"=IF(OR({usable},{n}>0),{cell['Line end']},{anchor_date}+{_EMPTY_AXIS_AFTER.days})"
        ws[cell["Edge at start"]] = f"=IF({usable},{t['baseline']}-{sign}*{band},{anchor_value})"
        ws[cell["Edge at end"]] = f"=IF({usable},{t['target']}-{sign}*{band},{anchor_value})"
        spans = [f"{col[first]}{r}:{col[last]}{r}" for first, last in (
            ("Date 1", f"Date {CHART_POINTS}"), ("Value 1", f"Value {CHART_POINTS}"), ("Line start", "Line end"),
            ("Line at start", "Line at end"), ("Edge start", "Edge end"), ("Edge at start", "Edge at end"))]
        made.append(_ChartRow(r, *spans))
    c.protect(ws)
    return made


def _cache_charts(wb: Workbook, targets: Sequence[rules.Target], rows: int) -> None:
    """Each chart's data as the Chart data sheet's formulas will give it, so that file previews draw the charts.

    Which actuals count, each target's latest and whether its figures can be
    used are the reader's: it recomputes this very workbook from what was
    typed in it, as it recomputes a returned tracker.
    """
    tracker = read_tracker_package(UnsavedPackage(wb), CONTRACT)
    by_row = {target.row: target for target in tracker.targets}
    counted: dict[str, list[TrackerActual]] = defaultdict(list)
    for actual in tracker.actuals:
        if actual.counted:  # so it names a target: the ID compared as Excel compares text, ignoring case
            counted[actual.target_id.casefold()].append(actual)
    known: dict[str, object] = {}
    for index in range(rows):
        target = by_row.get(TARGETS.first_row + index)
        own = counted.get(target.id.casefold(), []) if target is not None and target.id else []
        amber = targets[index].amber_within if index < len(targets) else None
        shown = _chart_row(target, own, amber, tracker.reporting_date)
        known.update({f"Chart data!{_CHART_COLUMNS[head]}{index + 2}": value for head, value in shown.items()})
    for chart in wb[MONITORING.sheet]._charts:
        style.cache_chart_data(chart, wb, known)


def _chart_row(target: TrackerTarget | None, actuals: Sequence[TrackerActual], amber_within: object,
               reporting_date: dt.date | None) -> dict[str, object]:
    """What the drawn cells of a target's Chart data row show: its formulas, in Python."""
    # FIGURES_USABLE fails exactly when the RAG is Not set (a target without figures, or with dates out of order).
    usable = target is not None and target.rag != rules.NOT_SET
    count = target.actuals if target is not None else 0
    if usable:
        anchor = (target.baseline_date, target.baseline)
    elif count:
        anchor = (target.latest_date, target.latest)
    else:
        anchor = (reporting_date or _NO_DATE, 0)
    newest_first = sorted(actuals, key=lambda actual: actual.date, reverse=True)[:min(count, CHART_POINTS)]
    points = [(actual.date, actual.value) for actual in newest_first]
    points += [anchor] * (CHART_POINTS - len(points))
    line_end = (target.target_date, target.target) if usable else anchor
    shown: dict[str, object] = {
        **{f"Date {i}": day for i, (day, _) in enumerate(points, start=1)},
        **{f"Value {i}": value for i, (_, value) in enumerate(points, start=1)},
        "Line start": anchor[0], "Line end": line_end[0], "Line at start": anchor[1], "Line at end": line_end[1],
    }
    if usable:
        baseline, goal = float(target.baseline), float(target.target)
        sign = 1 if goal > baseline else -1 if goal < baseline else -1 if target.direction == rules.DECREASE else 1
        amber = float(amber_within) if _is_number(amber_within) and 0 <= amber_within <= 1 else float(
            rules.DEFAULT_AMBER_WITHIN)  # AMBER_USED
        band = amber * abs(goal - baseline)
        return shown | {"Edge start": anchor[0], "Edge end": line_end[0], "Edge at start": baseline - sign * band,
                        "Edge at end": goal - sign * band}
    if count:
        return shown | {"Edge start": anchor[0], "Edge end": anchor[0], "Edge at start": anchor[1],
                        "Edge at end": anchor[1]}
    return shown | {"Edge start": anchor[0] - _EMPTY_AXIS_BEFORE, "Edge end": anchor[0] + _EMPTY_AXIS_AFTER,
                    "Edge at start": 0, "Edge at end": 0}


def _is_number(value: object) -> bool:
    """ISNUMBER of a cell written with ``value``: a number, not text or TRUE/FALSE."""
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _monitoring_sheet(wb: Workbook, ws: Worksheet, values: Mapping[str, object], targets: Sequence[rules.Target],
                      sizes: Mapping[str, int], chart_rows: list[_ChartRow]) -> None:
    for letter, width in MONITORING_WIDTHS.items():
        ws.column_dimensions[letter].width = width
    last_column = len(MONITORING_WIDTHS)
    _title(ws, "A1", "Quarterly monitoring")
    _note(ws, 2, "Fill in the yellow cells; change the reporting date at every review. Below: how many targets are "
                 "Green, Amber and Red, each target beside its line, and the actions to chase.", last_column)
    for field in MONITORING.names:
        row = MONITORING.row(field.name)
        _label(ws, row, field.label)
        cell = ws[MONITORING.cell(field.name)]
        c.write_value(cell, values[field.name])
        style.apply(cell, style.INPUT, field.number_format)
        if field.kind != "date":
            style.merge_cells(ws, start_row=row, start_column=MONITORING.value_column + 1, end_row=row,
                              end_column=last_column)
        c.define_name(wb, field.name, ws, cell.coordinate)
    _list(ws, "RegionList", MONITORING.cell("Region"), "Region", "Pick one of the nine English regions.")
    _date(ws, MONITORING.cell("ReportingDate"), "Reporting date",
          "The date this quarter's figures are as at, such as 30/06/2024.")
    for name in ("OrgName", "StrategyName"):
        field = CONTRACT.name(name)
        _prompt(ws, MONITORING.cell(name), field.label, field.note)
    c.lay_out_send_out(wb, ws, SEND_OUT, last_column)
    for named in SEND_OUT.names:  # labels span A:B, as the cover's do
        style.merge_cells(ws, start_row=SEND_OUT.row(named.name), start_column=1, end_row=SEND_OUT.row(named.name),
                          end_column=2)

    rag_cells = {"TargetsGreen": rules.GREEN, "TargetsAmber": rules.AMBER, "TargetsRed": rules.RED,
                 "TargetsNoData": rules.NO_DATA, "TargetsNotSet": rules.NOT_SET}
    rags = TARGETS.structured("rag")
    for field in SUMMARY.names:
        row = SUMMARY.row(field.name)
        _label(ws, row, field.label)
        cell = ws[SUMMARY.cell(field.name)]
        if field.name in rag_cells:
            cell.value = f'=COUNTIF({rags},"{rag_cells[field.name]}")'
        else:
            key = "overdue_order" if field.name == "ActionsOverdue" else "due_soon_order"
            cell.value = f'=COUNTIF({ACTIONS.structured(key)},">0")'
        style.apply(cell, style.CALCULATED, field.number_format)
        if rag_cells.get(field.name) in RAG_STYLES:
            _rag_style(cell, rag_cells[field.name])
        c.define_name(wb, field.name, ws, cell.coordinate)
    overdue = SUMMARY.cell("ActionsOverdue")
    ws.conditional_formatting.add(overdue, FormulaRule(formula=[f"{overdue}>0"], fill=_fill(style.WARNING_COLOUR),
                                                       font=Font(bold=True)))

    row = SUMMARY.last_row + 2
    row = _glance(ws, row, targets, sizes["Targets"])
    row = _action_list(ws, row + 2, "Actions overdue on the reporting date", "overdue_order", "ActionsOverdue")
    row = _action_list(ws, row + 1, "Actions due within 3 months of the reporting date", "due_soon_order",
                       "ActionsDueSoon")
    heading = ws.cell(row=row + 1, column=1, value="Each target's actuals against its line")
    style.apply(heading, style.HEADING)
    _note(ws, row + 2, f"In each chart: blue, the actuals (the latest {CHART_POINTS}) from the baseline; orange, the "
                       "straight line from the baseline to the target; grey and dashed, the edge of Amber (beyond it "
                       "a target is Red).", last_column)
    style.fit_rows(ws, 1, SUMMARY.last_row)
    style.fit_rows(ws, row + 2, row + 2)
    style.set_up_printing(ws, title=TITLE, landscape=True, area=f"A1:H{row + 2}")
    last = _charts(wb, ws, row + 2, targets, chart_rows)
    ws.print_area = f"A1:H{last}"
    c.protect(ws)


def _glance(ws: Worksheet, row: int, targets: Sequence[rules.Target], rows: int) -> int:
    """Each target's figures on the Monitoring sheet, read from the Targets table; returns the last row."""
    heading = ws.cell(row=row, column=1, value="Targets")
    style.apply(heading, style.HEADING)
    keys = ("id", "measure", "latest_date", "latest", "expected", "progress", "rag", "trend")
    header = row + 1
    for col, key in enumerate(keys, start=1):
        cell = ws.cell(row=header, column=col, value=TARGETS.column(key).header)
        style.apply(cell, style.TABLE_HEADER)
    width = MONITORING_WIDTHS["B"]
    for index in range(rows):
        r = header + 1 + index
        target = targets[index] if index < len(targets) else None
        for col, key in enumerate(keys, start=1):
            source = f"INDEX({TARGETS.structured(key)},{index + 1})"
            cell = ws.cell(row=r, column=col, value=f'=IF({source}="","",{source})')
            number_format = TARGETS.column(key).number_format
            if key in ("latest", "expected") and target is not None:
                number_format = UNIT_FORMATS.get(target.unit)
            style.apply(cell, replace(style.CALCULATED, wrap=key == "measure"), number_format)
        if target is not None:
            lines = style.wrapped_lines(target.measure, width)
            ws.row_dimensions[r].height = max(lines, 1) * style.line_height()
    first, last = header + 1, header + rows
    # Relative to the range's first row: each row of the glance shows its Targets row's unit.
    _unit_formats(ws, f"D{first}:E{last}", f"{TARGETS.sheet}!${TARGETS.letter('unit')}{TARGETS.first_row}")
    _rag_formats(ws, f"G{first}:G{last}")
    return last


def _action_list(ws: Worksheet, row: int, title: str, order_key: str, count_name: str) -> int:
    """The first LISTED_ACTIONS actions of one kind (overdue, due soon), in table order; returns the last row."""
    heading = ws.cell(row=row, column=1, value=title)
    style.apply(heading, style.HEADING)
    header = row + 1
    columns = (("number", "No.", "A"), ("action", "Action", "B"), ("due", "Due", "C"), ("status", "Status", "D"),
               ("rag", "RAG", "E"), ("accountable", "Accountable", "F"))
    for _, text, letter in columns:
        cell = ws[f"{letter}{header}"]
        cell.value = text
        style.apply(cell, style.TABLE_HEADER)
    style.merge_cells(ws, f"F{header}:H{header}")
    order = ACTIONS.structured(order_key)
    for index in range(1, LISTED_ACTIONS + 1):
        r = header + index
        at = f"MATCH({index},{order},0)"
        for key, _, letter in columns:
            source = f"INDEX({ACTIONS.structured(key)},{at})"
            if key == "action":  # an action without its own text is named by its objective
                objective = f"INDEX({ACTIONS.structured('objective')},{at})"
                source = f'IF({source}="",{objective},{source})'
            cell = ws[f"{letter}{r}"]
            cell.value = f'=IFERROR(IF({source}="","",{source}),"")'
            style.apply(cell, style.CALCULATED, style.DATE if key == "due" else None)
        style.merge_cells(ws, f"F{r}:H{r}")  # one line each: the list says what to chase, the Action plan the detail
    _rag_formats(ws, f"E{header + 1}:E{header + LISTED_ACTIONS}")
    more = ws.cell(row=header + LISTED_ACTIONS + 1, column=1,
                   value=f'=IF({count_name}>{LISTED_ACTIONS},"and "&({count_name}-{LISTED_ACTIONS})&" more: see the '
                         f'Action plan sheet","")')
    style.apply(more, style.NOTE)
    return header + LISTED_ACTIONS + 1


def _charts(wb: Workbook, ws: Worksheet, row: int, targets: Sequence[rules.Target],
            chart_rows: list[_ChartRow]) -> int:
    """Small multiples, three to a row: a caption above each chart; returns the last row used."""
    chart_height_rows = style.chart_rows(CHART_HEIGHT_CM)
    data = wb["Chart data"]
    last = row
    for start in range(0, len(chart_rows), len(CHART_GROUPS)):
        captions = [_caption_lines(targets[index]) if index < len(targets) else CAPTION_LINES
                    for index in range(start, min(start + len(CHART_GROUPS), len(chart_rows)))]
        caption_row = style.chart_anchor_row(ws, last, chart_height_rows + max(captions))
        ws.row_dimensions[caption_row].height = max(captions) * style.line_height()
        for offset, (first_col, last_col) in enumerate(CHART_GROUPS):
            index = start + offset
            if index >= len(chart_rows):
                break
            k = TARGETS.row_cells(TARGETS.first_row + index)
            t = {key: f"{TARGETS.sheet}!{ref}" for key, ref in k.items()}
            caption = ws[f"{first_col}{caption_row}"]
            caption.value = f'=IF({t["id"]}="","",{t["id"]}&" ("&{t["rag"]}&"): "&{t["measure"]})'
            style.apply(caption, replace(style.LABEL, wrap=True))
            style.merge_cells(ws, f"{first_col}{caption_row}:{last_col}{caption_row}")
            target = targets[index] if index < len(targets) else None
            figures = target is not None and None not in (target.baseline, target.target)
            chart = _chart(data, chart_rows[index], UNIT_FORMATS.get(target.unit) if figures else None)
            width_px = sum(style.column_pixels(MONITORING_WIDTHS[a1.column_letter(col)])
                           for col in range(a1.column_index(first_col), a1.column_index(last_col) + 1))
            chart.width, chart.height = (width_px - 8) / 96 * 2.54, CHART_HEIGHT_CM
            marker = AnchorMarker(col=a1.column_index(first_col), row=caption_row, rowOff=pixels_to_EMU(4),
                                  colOff=pixels_to_EMU(4))
            chart.anchor = OneCellAnchor(_from=marker, ext=XDRPositiveSize2D(cm_to_EMU(chart.width),
                                                                             cm_to_EMU(chart.height)))
            ws.add_chart(chart)
        last = caption_row + chart_height_rows
    return last + 1


def _caption_lines(target: rules.Target) -> int:
    """Lines a chart's caption takes ("T1 (Not set): the measure"), in the narrowest chart group."""
    width = min(sum(MONITORING_WIDTHS[a1.column_letter(col)]
                    for col in range(a1.column_index(first), a1.column_index(last) + 1))
                for first, last in CHART_GROUPS)
    return style.wrapped_lines(f"{target.id} ({rules.NOT_SET}): {target.measure}", width, bold=True)


def _chart(data: Worksheet, points: _ChartRow, number_format: str | None) -> ScatterChart:
    chart = ScatterChart()
    chart.scatterStyle = "lineMarker"

    def series(x: str, y: str, title: str) -> Series:
        return Series(_reference(data, y), _reference(data, x), title=title)

    chart.series.extend([
        series(points.dates, points.values, "Actual"),
        series(points.line_dates, points.line_values, "Line"),
        series(points.edge_dates, points.edge_values, "Edge of Amber"),
    ])
    # Small multiples share one legend: the note above them says what each line is.
    style.finish_chart(chart, title="Actuals against the line", y_number_format=number_format,
                       palette=(style.SERIES_PALETTE[0], style.SERIES_PALETTE[1], EDGE_COLOUR), legend=False)
    chart.title = None
    edge = chart.series[2]
    for line in chart.series:  # no markers: a padded point drawn twice, or a lone anchor, stays invisible
        line.marker = Marker(symbol="none")
    edge.graphicalProperties.line = LineProperties(solidFill=EDGE_COLOUR, w=15875, prstDash="dash")
    chart.x_axis.number_format = "mmm yy"
    chart.x_axis.numFmt.sourceLinked = False
    chart.x_axis.majorGridlines = None
    return chart


def _reference(ws: Worksheet, cells: str) -> Reference:
    first_row, first_col, last_row, last_col = a1.parse_ref(cells)
    return Reference(ws, min_col=first_col + 1, min_row=first_row + 1, max_col=last_col + 1, max_row=last_row + 1)


# Private API: small helpers.


def _title(ws: Worksheet, ref: str, text: str) -> None:
    ws[ref] = text
    style.apply(ws[ref], style.TITLE)
    ws.row_dimensions[ws[ref].row].height = style.line_height(style.TITLE_SIZE)


def _note(ws: Worksheet, row: int, text: str, last_column: int) -> None:
    cell = ws.cell(row=row, column=1)
    c.set_text(cell, text)
    style.apply(cell, style.NOTE)
    style.wrap_across(ws, cell, last_column)


def _label(ws: Worksheet, row: int, text: str) -> None:
    cell = ws.cell(row=row, column=1, value=text)
    style.apply(cell, style.LABEL)
    style.merge_cells(ws, start_row=row, start_column=1, end_row=row, end_column=2)


def _header(ws: Worksheet, table: Table) -> None:
    for offset, column in enumerate(table.columns):
        cell = ws.cell(row=table.header_row, column=table.first_column + offset + 1, value=column.header)
        style.apply(cell, style.TABLE_HEADER)


def _input_refs(table: Table):
    """The function giving a row's input cells, as blank_when_empty wants them."""
    keys = table.keys("input")

    def refs(row: int) -> list[str]:
        return [table.cell(key, row) for key in keys]

    return refs


def _check_texts(table: Table) -> list[str]:
    """Everything a table's Check column can show."""
    return [check.text for check in table.checks]


def _body(formula: str) -> str:
    """A rendered formula without its leading '=', to nest it in another."""
    return formula[1:] if formula.startswith("=") else formula


def _target_note(target: rules.Target) -> str | None:
    """The note of a target, led by its years as the strategy states them."""
    years = [f"{end} {year}" for end, year in (("baseline", target.baseline_year), ("target", target.target_year))
             if year]
    stated = f"Years as stated: {', '.join(years)}." if years else ""
    return " ".join(part for part in (stated, target.note) if part) or None


def _fit(ws: Worksheet, table: Table, rows: int, *, widths: Mapping[str, float] = (),
         samples: Mapping[str, object] = (), header_row: int | None = None) -> None:
    """Fit the table's columns to their contents, then widen the long-text ones to a fixed width and wrap them."""
    letters = {key: table.letter(key) for key in table.keys()}
    style.fit_columns(ws, header_row or table.header_row, table.last_row(rows), header_row=table.header_row,
                      samples={letters[key]: sample for key, sample in dict(samples).items()},
                      columns=[letters[c.key] for c in table.columns if not c.hidden])
    for key, width in dict(widths).items():
        ws.column_dimensions[letters[key]].width = width
        if table.column(key).role == "input":  # formula cells are not measured by their text: never wrapped
            for r in range(table.first_row, table.last_row(rows) + 1):
                cell = ws[table.cell(key, r)]
                cell.alignment = style.replace_alignment(cell.alignment, wrap_text=True, vertical="top")
    for column in table.columns:
        if column.hidden:  # its header must not wrap: a hidden column is measured as 0 wide
            ws.column_dimensions[letters[column.key]].hidden = True
            header = ws[table.cell(column.key, table.header_row)]
            header.alignment = style.replace_alignment(header.alignment, wrap_text=False)
    style.fit_rows(ws, 1, table.last_row(rows))


def _fill(colour: str) -> PatternFill:
    return PatternFill("solid", fgColor=colour, bgColor=colour)


def _rag_style(cell, rag: str) -> None:
    fill, text = RAG_STYLES[rag]
    cell.fill = PatternFill("solid", fgColor=fill)
    cell.font = Font(name=style.FONT_NAME, size=style.BODY_SIZE, bold=True, color=text, family=2)


def _rag_formats(ws: Worksheet, cells: str) -> None:
    top_left = cells.split(":")[0]
    relative = top_left.lstrip("$")
    for rag, (fill, text) in RAG_STYLES.items():
        ws.conditional_formatting.add(cells, FormulaRule(
            formula=[f'{relative}="{rag}"'], fill=_fill(fill), font=Font(bold=True, color=text)))


def _check_format(ws: Worksheet, cells: str) -> None:
    top_left = cells.split(":")[0]
    ws.conditional_formatting.add(cells, FormulaRule(formula=[f'{top_left}<>""'], fill=_fill(style.CHECK_COLOUR)))


# Conditional formats only ever name these number formats; ids far above the cells' own (from 164).
_UNIT_FORMAT_IDS = {code: 300 + i for i, code in enumerate(UNIT_FORMATS.values())}


def _unit_formats(ws: Worksheet, cells: str, unit: str) -> None:
    """Show each row's values in its unit's format, whatever unit is picked later (``unit``: its Excel expression)."""
    for name, code in UNIT_FORMATS.items():
        dxf = DifferentialStyle(numFmt=NumberFormat(numFmtId=_UNIT_FORMAT_IDS[code], formatCode=code))
        ws.conditional_formatting.add(cells, Rule(type="expression", dxf=dxf, formula=[f'{unit}="{name}"']))


def _prompt(ws: Worksheet, cells: str, title: str, prompt: str) -> None:
    style.add_prompt(ws, cells, title=title, prompt=prompt)


def _list(ws: Worksheet, list_name: str, cells: str, title: str, prompt: str) -> None:
    dv = DataValidation(type="list", formula1=list_name, allow_blank=True)
    style.explain(dv, title=title, prompt=prompt, error=f"Pick a value from the list. {prompt}"[:style.MAX_ERROR])
    dv.add(cells)
    ws.add_data_validation(dv)


def _date(ws: Worksheet, cells: str, title: str, prompt: str) -> None:
    dv = DataValidation(type="date", operator="between", formula1="DATE(2000,1,1)", formula2="DATE(2099,12,31)",
                        allow_blank=True)
    style.explain(dv, title=title, prompt=prompt, error="Type a date from 2000 to 2099, such as 31/07/2023.")
    dv.add(cells)
    ws.add_data_validation(dv)


def _number(ws: Worksheet, cells: str, title: str, prompt: str, error: str) -> None:
    bound = int(rules.MAX_ABS_VALUE)
    dv = DataValidation(type="decimal", operator="between", formula1=str(-bound), formula2=str(bound),
                        allow_blank=True)
    style.explain(dv, title=title, prompt=prompt, error=error)
    dv.add(cells)
    ws.add_data_validation(dv)


def _whole(ws: Worksheet, cells: str, title: str) -> None:
    dv = DataValidation(type="whole", operator="between", formula1="0", formula2="10000000", allow_blank=True)
    style.explain(dv, title=title, prompt="A whole number of people.", error="Type a whole number, 0 or more.")
    dv.add(cells)
    ws.add_data_validation(dv)

