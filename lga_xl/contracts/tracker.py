"""The growth-strategy tracker workbook's contract.

* ``Monitoring``: the cover as workbook-level names (OrgName, Region,
  StrategyName, ReportingDate), the send-out cells (PreparedFor, ReturnBy,
  ReturnTo, CarriedForward; blank until :mod:`lga_xl.sendout` fills them
  in), then the quarter's summary as named results
  (TargetsGreen ... TargetsNotSet, ActionsOverdue, ActionsDueSoon); below
  them the writer draws each target's line and lists the actions to chase.
* ``Targets``: table ``Targets``, one row per target: its figures (inputs),
  then what the workbook works out from the actuals (Latest date ... Trend)
  with :mod:`lga_xl.targets`' rules, a Check column, a Note, and hidden
  workings (the previous actual, the number of actuals).
* ``Actuals``: table ``Actuals``, one row per figure reported for a target on
  a date, with a Check column and hidden workings: the date and value of a
  row that counts (known target, a date, a value in range, the first row of
  its target and date), which the Targets formulas read.
* ``Action plan``: table ``Objectives`` (No., Objective, Theme), then table
  ``Actions``, whose RAG is :func:`lga_xl.targets.action_rag` on the
  reporting date.
* ``Public sector figures``: table ``PublicSector``, one row per reporting
  year (1 April to 31 March), starts as a share of headcount worked out.
* Dropdowns through names: UnitList, DirectionList, ActionStatusList,
  StrandList and RegionList on the hidden ``Lists`` sheet; TargetIDList and
  TargetUnitList (the Targets table's ID and Unit cells) made by the writer.

Row checks are declared here once: the text the workbook's Check columns
show, the Excel condition and the Python test (see :mod:`lga_xl.contract`).
The rules are :mod:`lga_xl.targets`'; ``docs/targets.md`` is the guide.

Example:
    >>> CONTRACT.address("ReportingDate"), TARGETS.cell("rag", 6), ACTUALS.structured("counted_value")
    (('Monitoring', 'C7'), 'N6', 'Actuals[Counted value]')
"""

from __future__ import annotations

from .. import targets
from ..contract import Block, Column, Contract, Name, RowCheck, Table, send_out_block
from ..maturity import load_edition
from ..reference import REGIONS

KIND = "tracker"
TEMPLATE_VERSION = "1.0"

# Rows a blank tracker has; a pre-filled table keeps at least SPARE_ROWS blank rows below its entries.
TARGET_ROWS = 12
ACTUAL_ROWS = 150
OBJECTIVE_ROWS = 10
ACTION_ROWS = 40
PUBLIC_SECTOR_ROWS = 10
SPARE_ROWS = {"Targets": 2, "Actuals": 80, "Actions": 10}

# The Monitoring sheet lists this many actions of each kind (overdue, due soon) and draws at most
# this many actuals per target, the latest ones.
LISTED_ACTIONS = 10
CHART_POINTS = 16

DATE = "dd/mm/yyyy"
PERCENT = "0.0%"
COUNT = "#,##0"
# How a value shows in each unit (the cells hold a fraction for a % and a share for a ratio).
UNIT_FORMATS = {targets.NUMBER: COUNT, targets.PERCENT: PERCENT, targets.MONEY: "£#,##0", targets.RATIO: "0.00"}

STRANDS = tuple(load_edition().strand_names)

# Texts of the Check columns: the workbook shows them and the reader gives the same.
CHECK_INCOMPLETE = "Incomplete row"
CHECK_DUPLICATE_ID = "ID listed twice"
CHECK_DATES = "Check the dates"
CHECK_DIRECTION = "Check the direction"
CHECK_OUT_OF_RANGE = "Value out of range"
CHECK_UNKNOWN_TARGET = "No target with this ID"
CHECK_TWICE = "Second figure for this date"
CHECK_FUTURE = "After the reporting date"
CHECK_NO_OWNER = "No one accountable"
CHECK_NO_DUE_DATE = "No due date"

_BOUND = int(targets.MAX_ABS_VALUE)


def out_of_range(value: str, unit: str) -> str:
    """Excel: a number cell outside the bounds of its unit (targets.check_value)."""
    # IF, not AND: Excel evaluates every argument of AND, and ABS of text is an error.
    return (f'IF(ISNUMBER({value}),OR(ABS({value})>{_BOUND},AND(OR({unit}="{targets.PERCENT}",'
            f'{unit}="{targets.RATIO}"),OR({value}<0,{value}>1))),FALSE)')


MONITORING = Block("Monitoring", first_row=4, value_column=2, note_column=None, names=(
    Name("OrgName", "Council or partnership", "text", field="organisation",
         note="The name as you want it reported."),
    Name("Region", "Region", "choice", field="region", choices="RegionList", note="One of the nine English regions."),
    Name("StrategyName", "Strategy", "text", field="strategy", note="The strategy's name and years."),
    Name("ReportingDate", "Reporting date", "date", field="reporting_date", number_format=DATE,
         note="The date this quarter's figures are reported as at: actions due before it and not complete are "
              "overdue."),
))
SEND_OUT = send_out_block("Monitoring", MONITORING.last_row + 3, value_column=MONITORING.value_column)
SUMMARY = Block("Monitoring", first_row=SEND_OUT.last_row + 2, value_column=2, note_column=None, names=(
    Name("TargetsGreen", "Targets on or ahead of their line (Green)", "whole", role="formula",
         field="targets_green", number_format=COUNT),
    Name("TargetsAmber", "Targets a little behind (Amber)", "whole", role="formula", field="targets_amber",
         number_format=COUNT),
    Name("TargetsRed", "Targets behind (Red)", "whole", role="formula", field="targets_red", number_format=COUNT),
    Name("TargetsNoData", "Targets with no actual yet (No data)", "whole", role="formula",
         field="targets_no_data", number_format=COUNT),
    Name("TargetsNotSet", "Targets without figures (Not set)", "whole", role="formula", field="targets_not_set",
         number_format=COUNT),
    Name("ActionsOverdue", "Actions overdue", "whole", role="formula", field="actions_overdue",
         number_format=COUNT),
    Name("ActionsDueSoon", "Actions due within 3 months", "whole", role="formula", field="actions_due_soon",
         number_format=COUNT),
))

TARGETS = Table("Targets", "Targets", header_row=5, rows=TARGET_ROWS, max_rows=500, columns=(
    Column("id", "ID", "text", required=True),
    Column("measure", "Measure", "text", required=True),
    Column("unit", "Unit", "choice", required=True),
    Column("direction", "Direction", "choice"),
    Column("baseline_date", "Baseline date", "date", number_format=DATE),
    Column("baseline", "Baseline", "number"),
    Column("target_date", "Target date", "date", number_format=DATE),
    Column("target", "Target", "number"),
    Column("amber_within", "Amber within", "percent", number_format=PERCENT),
    Column("latest_date", "Latest date", "date", role="formula", number_format=DATE),
    Column("latest", "Latest", "number", role="formula"),
    Column("expected", "Expected now", "number", role="formula"),
    Column("progress", "Progress", "percent", role="formula", number_format=PERCENT),
    Column("rag", "RAG", "text", role="formula"),
    Column("trend", "Trend", "text", role="formula"),
    Column("check", "Check", "text", role="formula"),
    Column("note", "Note", "text"),
    Column("previous_date", "Previous date", "date", role="formula", number_format=DATE, hidden=True),
    Column("previous", "Previous", "number", role="formula", hidden=True),
    Column("actual_count", "Actuals", "whole", role="formula", hidden=True),
), checks=(
    RowCheck(CHECK_INCOMPLETE, 'OR({id}="",{measure}="",{unit}="")', lambda t: bool(t.blank), "incomplete-row"),
    RowCheck(CHECK_DUPLICATE_ID, "COUNTIF(Targets[ID],{id})>1", lambda t: t.duplicate, "duplicate-target", "id"),
    RowCheck(CHECK_OUT_OF_RANGE, f"OR({out_of_range('{baseline}', '{unit}')},"
                                 f"{out_of_range('{target}', '{unit}')})",
             lambda t: bool(t.out_of_range), "value-out-of-range"),
    RowCheck(CHECK_DATES, "IF(AND(ISNUMBER({baseline_date}),ISNUMBER({target_date})),"
                          "OR(ROUNDDOWN({target_date},0)<=ROUNDDOWN({baseline_date},0),"
                          f"ROUNDDOWN({{target_date}},0)-ROUNDDOWN({{baseline_date}},0)>{targets.MAX_SPAN_DAYS}),"
                          "FALSE)",
             lambda t: t.bad_dates, "target-before-baseline", "target_date"),
    RowCheck(CHECK_DIRECTION, f'IF(AND(ISNUMBER({{baseline}}),ISNUMBER({{target}})),'
                              f'OR(AND({{direction}}="{targets.INCREASE}",ROUND({{target}}*10000,0)<'
                              f'ROUND({{baseline}}*10000,0)),AND({{direction}}="{targets.DECREASE}",'
                              f'ROUND({{target}}*10000,0)>ROUND({{baseline}}*10000,0))),FALSE)',
             lambda t: t.contradicts, "direction-contradicts", "direction"),
))

# When a target's figures can be used: baseline and target are numbers in range for the unit (its
# progress needs no more), and both dates are dates, the target date 1 to MAX_SPAN_DAYS days after
# the baseline date (its line, RAG and expected value need them too).  Otherwise it is Not set.
VALUES_USABLE = ("IF(AND(ISNUMBER({baseline}),ISNUMBER({target})),"
                 f"AND(NOT({out_of_range('{baseline}', '{unit}')}),NOT({out_of_range('{target}', '{unit}')})),FALSE)")
_SPAN = "ROUNDDOWN({target_date},0)-ROUNDDOWN({baseline_date},0)"
FIGURES_USABLE = (f"IF(AND(ISNUMBER({{baseline_date}}),ISNUMBER({{target_date}})),AND({VALUES_USABLE},{_SPAN}>0,"
                  f"{_SPAN}<={targets.MAX_SPAN_DAYS}),FALSE)")
# Amber within as the RAG uses it: blank, text or outside 0% to 100% is the default.
AMBER_USED = 'IF(ISNUMBER({amber_within}),IF(AND({amber_within}>=0,{amber_within}<=1),{amber_within},""),"")'

# The unit of the target an actual names (the first row with its ID, as MATCH finds it).
UNIT_OF_ACTUAL = 'IFERROR(INDEX(Targets[Unit],MATCH({target_id},Targets[ID],0)),"")'
_ACTUALS_HEADER = 5
# The ID and Date columns are A and B: a row is a repeat when a row above (from the first) has both.
_FIRST_ACTUAL = _ACTUALS_HEADER + 1
ACTUALS = Table("Actuals", "Actuals", header_row=_ACTUALS_HEADER, rows=ACTUAL_ROWS, max_rows=10_000, columns=(
    Column("target_id", "ID", "choice", required=True),
    Column("date", "Date", "date", required=True, number_format=DATE),
    Column("value", "Value", "number", required=True),
    Column("source", "Source", "text"),
    Column("note", "Note", "text"),
    Column("check", "Check", "text", role="formula"),
    Column("counted_date", "Counted date", "date", role="formula", number_format=DATE, hidden=True),
    Column("counted_value", "Counted value", "number", role="formula", hidden=True),
), checks=(
    RowCheck(CHECK_INCOMPLETE, 'OR({target_id}="",{date}="",{value}="")', lambda a: bool(a.blank), "incomplete-row"),
    RowCheck(CHECK_UNKNOWN_TARGET, "COUNTIF(Targets[ID],{target_id})=0", lambda a: a.unknown,
             "unknown-target-id", "target_id"),
    RowCheck(CHECK_OUT_OF_RANGE,
             out_of_range("{value}", UNIT_OF_ACTUAL),
             lambda a: a.out_of_range, "value-out-of-range", "value"),
    RowCheck(CHECK_TWICE, f"COUNTIFS($A${_FIRST_ACTUAL}:{{target_id}},{{target_id}},$B${_FIRST_ACTUAL}:{{date}},"
                          "{date})>1",
             lambda a: a.repeated, "duplicate-actual", "date"),
    RowCheck(CHECK_FUTURE, "IF(AND(ISNUMBER(ReportingDate),ISNUMBER({date})),"
                           "ROUNDDOWN({date},0)>ROUNDDOWN(ReportingDate,0),FALSE)",
             lambda a: a.future, "actual-in-future", "date"),
))

# When a row counts: what the Targets formulas read through the hidden Counted date and value.
# A known target, a date and a value (numbers, not text), the value in range for the target's
# unit, and the first row of its target and date.  The reader keeps the same rows.
COUNTED = (f'IF(AND({{target_id}}<>"",ISNUMBER({{date}}),ISNUMBER({{value}}),COUNTIF(Targets[ID],{{target_id}})>0),'
           f"AND(NOT({out_of_range('{value}', UNIT_OF_ACTUAL)}),"
           f"COUNTIFS($A${_FIRST_ACTUAL}:{{target_id}},{{target_id}},$B${_FIRST_ACTUAL}:{{date}},{{date}})=1),FALSE)")

OBJECTIVES = Table("Objectives", "Action plan", header_row=5, rows=OBJECTIVE_ROWS, max_rows=200, columns=(
    Column("number", "No.", "text"),
    Column("text", "Objective", "text"),
    Column("theme", "Theme", "text"),
))

_ACTION_ENTERED = 'OR({action}<>"",{status}<>"")'
ACTIONS = Table("Actions", "Action plan", header_row=OBJECTIVES.last_row() + 3, rows=ACTION_ROWS, max_rows=2_000,
              columns=(
    Column("number", "No.", "text"),
    Column("objective", "Objective", "text"),
    Column("measure", "Measure", "text"),
    Column("action", "Action", "text"),
    Column("accountable", "Accountable", "text"),
    Column("timescale", "Timescale", "text"),
    Column("due", "Due", "date", number_format=DATE),
    Column("status", "Status", "choice"),
    Column("rag", "RAG", "text", role="formula"),
    Column("update", "Update", "text"),
    Column("strand", "Strand", "choice"),
    Column("check", "Check", "text", role="formula"),
    Column("overdue_order", "Overdue order", "whole", role="formula", hidden=True),
    Column("due_soon_order", "Due soon order", "whole", role="formula", hidden=True),
), checks=(
    RowCheck(CHECK_NO_OWNER, f'AND({_ACTION_ENTERED},{{accountable}}="")', lambda a: a.no_owner,
             "action-without-owner", "accountable"),
    RowCheck(CHECK_NO_DUE_DATE, f'AND({_ACTION_ENTERED},{{due}}="")', lambda a: a.no_due_date,
             "action-without-due-date", "due"),
))

PUBLIC_SECTOR = Table("PublicSector", "Public sector figures", header_row=5, rows=PUBLIC_SECTOR_ROWS, max_rows=100,
                      columns=(
    Column("year", "Year", "text", required=True),
    Column("headcount_start", "Headcount at start", "whole", required=True, number_format=COUNT),
    Column("headcount_end", "Headcount at end", "whole", number_format=COUNT),
    Column("starts_council", "Council staff starts", "whole", number_format=COUNT),
    Column("starts_schools", "Maintained school starts", "whole", number_format=COUNT),
    Column("starts_total", "Total starts", "whole", role="formula", number_format=COUNT),
    Column("apprentices_end", "Apprentices at end", "whole", number_format=COUNT),
    Column("starts_share", "Starts as a share of headcount", "percent", role="formula", number_format=PERCENT),
    Column("check", "Check", "text", role="formula"),
), checks=(
    RowCheck(CHECK_INCOMPLETE, 'OR({year}="",{headcount_start}="")', lambda p: bool(p.blank), "incomplete-row"),
    RowCheck("Year listed twice", "COUNTIF(PublicSector[Year],{year})>1", lambda p: p.repeated,
             "bad-reporting-year", "year"),
))

CONTRACT = Contract(
    KIND, TEMPLATE_VERSION, blocks=(MONITORING, SEND_OUT, SUMMARY),
    tables=(TARGETS, ACTUALS, OBJECTIVES, ACTIONS, PUBLIC_SECTOR),
    lists={"UnitList": targets.UNITS, "DirectionList": targets.DIRECTIONS, "ActionStatusList": targets.ACTION_STATUSES,
           "StrandList": STRANDS, "RegionList": REGIONS},
)
CONTRACTS = {TEMPLATE_VERSION: CONTRACT}
