"""The Maturity Model self-assessment workbook, laid out from its contract.

The contract (sheets, names, tables and columns) is
:mod:`lga_xl.contracts.self_assessment`; the formulas here implement
:mod:`lga_xl.rating`.

Example:
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "sa.xlsx"
    >>> new_self_assessment(path, org_name="Exampleshire", region="East of England").name
    'sa.xlsx'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import FormulaRule

from .. import a1
from ..contracts.self_assessment import CONTRACT, COVER, ELEMENTS, OVERALL, RATINGS, UNANSWERED_ROW
from ..maturity import DEFAULT_EDITION, Edition, load_edition
from ..rating import LEVELS, SCORED_LEVELS
from . import common as c

INSTRUCTIONS = (
    (
        "What this workbook is",
        (
            "The LGA Apprenticeships Maturity Model is a self-assessment of your council's apprenticeship "
            "programme in five strands: Leadership and Culture; Procurement and Provider Management; Workforce "
            "Development; Planning, Delivery Structures and Processes; and Engagement.",
            "Each strand has four levels: Early, Developing, Maturing and Mature. Each level lists elements, "
            "things a council at that level has in place.",
        ),
    ),
    (
        "How to fill it in",
        (
            "1. On the Cover sheet, fill in the yellow cells: your organisation, type, region, who completed it "
            "and the date.",
            "2. On the Assessment sheet, give every element a Status from the dropdown: Achieved, In progress, "
            "Not started or Not applicable. Add a note of your evidence beside it if you can.",
            "3. On the Summary sheet, pick a Target rating for each strand: where you aim to be in a year.",
            "Only the yellow cells can be changed. The sheets are protected without a password so that formulas "
            "are not overwritten by accident.",
        ),
    ),
    (
        "How the rating is worked out (the '+')",
        (
            "Your rating for a strand is the highest level whose elements are all Achieved (Not applicable "
            "elements are left out). If no level is complete, the rating is Early.",
            "A '+' is added (for example 'Developing +') when you have achieved half or more of the elements "
            "of the next level up, or when you have achieved at least one element in each of two or more "
            "higher levels.",
            "Scores used for averages: Early 1, Early + 1.5, Developing 2, Developing + 2.5, Maturing 3, "
            "Maturing + 3.5, Mature 4.",
            "Early elements describe the starting point; they are listed for reference and are not scored.",
            "A level where every element is Not applicable cannot be assessed: mark at least one element "
            "Achieved, In progress or Not started.",
        ),
    ),
    (
        "What to send back",
        (
            "Save the workbook as .xlsx (not .xls, not PDF, no password) and send it to your LGA adviser. "
            "Please do not rename or delete sheets, or type over the green cells: the adviser's import "
            "reads the tables and named cells and will tell you exactly which cell needs fixing.",
        ),
    ),
)


def new_self_assessment(
    path: str | Path,
    *,
    org_name: str | None = None,
    region: str | None = None,
    org_type: str | None = None,
    assessment_type: str = "Self",
    assessor: str | None = None,
    assessment_date: dt.date | None = None,
    answers: Mapping[str, str] | None = None,
    evidence: Mapping[str, str] | None = None,
    targets: Mapping[str, str] | None = None,
    edition: str = DEFAULT_EDITION,
) -> Path:
    """Write a self-assessment workbook; blank, or pre-filled for demos and tests.

    ``answers`` and ``evidence`` map element IDs (``LC-D1``) to text written
    as typed, ``targets`` maps strand names to rating labels.

    Example:
        >>> import tempfile, pathlib
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "filled.xlsx"
        >>> new_self_assessment(out, org_name="Exampleshire", answers={"LC-D1": "Achieved"}).exists()
        True
    """
    model = load_edition(edition)
    wb = c.new_workbook("Apprenticeships Maturity Model self-assessment")
    c.add_instructions_sheet(wb, "Apprenticeships Maturity Model: self-assessment", INSTRUCTIONS)
    _cover(wb, {"OrgName": org_name, "OrgType": org_type, "Region": region, "AssessmentType": assessment_type,
                "AssessorName": assessor, "AssessmentDate": assessment_date})
    _assessment(wb, model, answers or {}, evidence or {})
    _summary(wb, model, targets or {})
    c.add_lists_sheet(wb, CONTRACT.lists)
    c.add_metadata_sheet(wb, CONTRACT.kind, CONTRACT.version, {"model_edition": model.edition})
    wb.active = 1  # open on the Cover sheet
    return c.save(wb, path)


def _cover(wb, values: Mapping[str, object]) -> None:
    ws = wb.create_sheet(COVER.sheet)
    ws["A1"] = "Apprenticeships Maturity Model self-assessment"
    ws["A1"].font = c.TITLE_FONT
    ws["A2"] = "Fill in the yellow cells, then rate each element on the Assessment sheet."
    ws["A2"].font = c.NOTE_FONT
    for field in COVER.names:
        row = COVER.row(field.name)
        ws.cell(row=row, column=COVER.label_column + 1, value=field.label).font = c.LABEL_FONT
        cell = ws[COVER.cell(field.name)]
        c.write_value(cell, values[field.name])
        c.mark_input([cell])
        ws.cell(row=row, column=COVER.note_column + 1, value=field.note).font = c.NOTE_FONT
        c.define_name(wb, field.name, ws, cell.coordinate)
    ws[COVER.cell("AssessmentDate")].number_format = CONTRACT.name("AssessmentDate").number_format
    c.add_list_validation(ws, "OrgTypeList", COVER.cell("OrgType"), title="Organisation type",
                          message="Pick an organisation type from the list.")
    c.add_list_validation(ws, "RegionList", COVER.cell("Region"), title="Region",
                          message="Pick one of the nine English regions from the list.")
    c.add_list_validation(ws, "AssessmentTypeList", COVER.cell("AssessmentType"), title="Assessment type",
                          message="Pick Self or External.")
    c.add_date_validation(ws, COVER.cell("AssessmentDate"), title="Date",
                          message="Type a date, for example 14/11/2026.")
    c.set_widths(ws, {"A": 22, "B": 42, "C": 70})
    ws.sheet_view.showGridLines = False
    c.protect(ws)


def _assessment(wb, model: Edition, answers: Mapping[str, str], evidence: Mapping[str, str]) -> None:
    table = ELEMENTS
    ws = wb.create_sheet(table.sheet)
    ws["A1"] = "Assessment: rate every element"
    ws["A1"].font = c.TITLE_FONT
    ws["A2"] = ("Pick a Status for each element: Achieved, In progress, Not started or Not applicable. "
                "Blank means not answered yet (counted as not achieved).")
    ws["A2"].font = c.NOTE_FONT
    c.write_header(ws, table.header_row, table.headers)
    fixed = ("id", "strand", "level", "element")
    for row, element in enumerate(model.scored_elements, start=table.first_row):
        for key, text in zip(fixed, (element.id, element.strand, element.level, element.text)):
            cell = ws[table.cell(key, row)]
            c.set_text(cell, text)
            cell.alignment = c.WRAP
        status, note = ws[table.cell("status", row)], ws[table.cell("evidence", row)]
        c.set_text(status, answers.get(element.id))
        c.set_text(note, evidence.get(element.id))
        note.alignment = c.WRAP
        c.mark_input([status, note])
    rows = len(model.scored_elements)
    statuses = table.column_cells("status", rows)
    c.add_table(ws, table.name, table.ref(rows))
    c.add_list_validation(ws, "StatusList", statuses, title="Status",
                          message="Pick Achieved, In progress, Not started or Not applicable from the list.")
    # Blank statuses stay highlighted until answered.
    ws.conditional_formatting.add(
        statuses, FormulaRule(formula=[f'{table.cell("status", table.first_row)}=""'],
                              fill=c.PatternFill("solid", fgColor="FFD966")))

    early = [e for e in model.elements if not e.scored]
    start = table.last_row(rows) + 3
    ws.cell(row=start, column=1, value=f"{LEVELS[0]}: the starting point (for reference, not scored)").font = (
        c.HEADING_FONT)
    c.write_header(ws, start + 1, table.headers[: len(fixed)])
    for row, element in enumerate(early, start=start + 2):
        for column, text in enumerate((element.id, element.strand, element.level, element.text), start=1):
            c.set_text(ws.cell(row=row, column=column), text)
            ws.cell(row=row, column=column).alignment = c.WRAP
            ws.cell(row=row, column=column).font = c.NOTE_FONT
    c.set_widths(ws, {table.letter(key): width for key, width in (
        ("id", 9), ("strand", 24), ("level", 12), ("element", 70), ("status", 16), ("evidence", 45))})
    ws.freeze_panes = table.cell("id", table.first_row)
    c.protect(ws)


def level_count_formula(strand_cell: str, level: str, status: str | None) -> str:
    """COUNTIFS over the Elements table for one strand and level.

    ``status`` None counts the applicable elements (all but Not applicable).
    """
    strands, levels, statuses = (ELEMENTS.structured(key) for key in ("strand", "level", "status"))
    base = f"{strands},{strand_cell},{levels},\"{level}\""
    if status is None:
        return f"COUNTIFS({base})-COUNTIFS({base},{statuses},\"Not applicable\")"
    return f"COUNTIFS({base},{statuses},\"{status}\")"


def score_formula(row: int) -> str:
    """The rating rule of :func:`lga_xl.rating.rate` as one Excel formula.

    Each branch is one base level; the + conditions are the "half" rule on
    the next level up, or achievements in two or more higher levels.
    """
    dev_a, dev_n, mat_a, mat_n, mre_a, mre_n = (
        RATINGS.cell(f"{level.lower()}_{count}", row)
        for level in SCORED_LEVELS for count in ("achieved", "applicable"))
    complete = lambda a, n: f"AND({n}>=1,{a}={n})"  # noqa: E731
    half = lambda a, n: f"AND({n}>=1,2*{a}>={n})"  # noqa: E731
    return (
        f"=IF({complete(mre_a, mre_n)},4,"
        f"IF({complete(mat_a, mat_n)},3+IF({half(mre_a, mre_n)},0.5,0),"
        f"IF({complete(dev_a, dev_n)},2+IF(OR({half(mat_a, mat_n)},AND({mat_a}>=1,{mre_a}>=1)),0.5,0),"
        f"1+IF(OR({half(dev_a, dev_n)},({dev_a}>=1)+({mat_a}>=1)+({mre_a}>=1)>=2),0.5,0))))"
    )


def _summary(wb, model: Edition, targets: Mapping[str, str]) -> None:
    table = RATINGS
    ws = wb.create_sheet(table.sheet)
    ws["A1"] = "Summary: your ratings, worked out from the Assessment sheet"
    ws["A1"].font = c.TITLE_FONT
    ws["A2"] = "Green cells are calculated for you. Pick a Target rating for each strand in the yellow cells."
    ws["A2"].font = c.NOTE_FONT
    rows = len(model.strands)
    first, last = table.first_row, table.last_row(rows)
    overall = OVERALL.names[0]
    overall_cell, unanswered_cell = ws[OVERALL.cell(overall.name)], ws.cell(row=UNANSWERED_ROW,
                                                                              column=OVERALL.value_column + 1)
    ws.cell(row=OVERALL.row(overall.name), column=1, value=overall.label).font = c.LABEL_FONT
    overall_cell.value = f"=ROUND(SUM({table.column_cells('score', rows)})/{rows},2)"
    ws.cell(row=UNANSWERED_ROW, column=1, value="Elements not answered yet").font = c.LABEL_FONT
    unanswered_cell.value = f"=SUM({table.column_cells('unanswered', rows)})"
    c.mark_result([overall_cell, unanswered_cell])
    c.define_name(wb, overall.name, ws, overall_cell.coordinate)
    c.write_header(ws, table.header_row, table.headers)
    counts = [(f"{level.lower()}_{count}", level, "Achieved" if count == "achieved" else None)
              for level in SCORED_LEVELS for count in ("achieved", "applicable")]
    strands, statuses = ELEMENTS.structured("strand"), ELEMENTS.structured("status")
    for row, strand in enumerate(model.strand_names, start=first):
        cells = table.row_cells(row)
        strand_cell = "$" + cells["strand"]
        c.set_text(ws[cells["strand"]], strand)
        ws[cells["current"]] = f"=INDEX(LabelList,{cells['score']}*2-1)"
        ws[cells["score"]] = score_formula(row)
        target = ws[cells["target"]]
        c.set_text(target, targets.get(strand))
        c.mark_input([target])
        ws[cells["target_score"]] = (f'=IF({cells["target"]}="","",IFERROR((MATCH({cells["target"]},LabelList,0)+1)/2,'
                                     '""))')
        ws[cells["gap"]] = f'=IF({cells["target_score"]}="","",{cells["target_score"]}-{cells["score"]})'
        for key, level, status in counts:
            ws[cells[key]] = "=" + level_count_formula(strand_cell, level, status)
        ws[cells["unanswered"]] = f'=COUNTIFS({strands},{strand_cell},{statuses},"")'
        c.mark_result(ws[cells[key]] for key in ("current", "score", "target_score", "gap"))
        for key in ("score", "target_score", "gap"):
            ws[cells[key]].number_format = table.column(key).number_format
    c.add_table(ws, table.name, table.ref(rows))
    c.add_list_validation(ws, "LabelList", table.column_cells("target", rows), title="Target rating",
                          message="Pick one of the seven ratings, from Early to Mature.")
    _chart(ws, first, last)
    c.set_widths(ws, {table.letter(key): width for key, width in (  # strand: the longest on one line
        ("strand", 44), ("current", 14), ("score", 8), ("target", 14), ("target_score", 9), ("gap", 9))})
    for key, _, _ in counts:
        ws.column_dimensions[table.letter(key)].width = 11
    ws.column_dimensions[table.letter("unanswered")].width = 11
    ws.sheet_view.showGridLines = False
    c.protect(ws)


def _chart(ws, first: int, last: int) -> None:
    chart = BarChart()
    chart.type = "bar"
    chart.title = "Current and target score by strand"
    chart.y_axis.title = "Score (1 = Early, 4 = Mature)"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 4
    chart.y_axis.majorUnit = 1
    # Without these, openpyxl omits <c:delete val="0"/> and recent Excel draws no axes.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.x_axis.scaling.orientation = "maxMin"  # strands top to bottom, in the table's order
    for key in ("score", "target_score"):
        column = RATINGS.first_column + RATINGS.index(key) + 1
        chart.add_data(Reference(ws, min_col=column, min_row=RATINGS.header_row, max_row=last), titles_from_data=True)
    strand_column = RATINGS.first_column + RATINGS.index("strand") + 1
    chart.set_categories(Reference(ws, min_col=strand_column, min_row=first, max_row=last))
    chart.height, chart.width = 9, 22
    ws.add_chart(chart, a1.cell(last + 3, strand_column - 1))
