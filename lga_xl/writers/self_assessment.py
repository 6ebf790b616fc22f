"""The Maturity Model self-assessment workbook.

Contract (readers, the bulk import and other tools rely on it):

* ``Assessment`` sheet: table ``Elements`` with columns ID, Strand, Level,
  Element, Status, Evidence (in that order), one row per scored element in
  model order; Status is a dropdown of the four statuses.  The Early
  descriptors are listed below the table for reference.
* Cover fields are workbook-level names: OrgName, OrgType, Region,
  AssessmentType, AssessorName, AssessmentDate.
* ``Summary`` sheet: table ``Ratings`` with Strand, Current, Score, Target
  and then the gap and the counts per level; Current and Score are formulas
  implementing :mod:`lga_xl.rating`; OverallScore is a defined name.
* Hidden ``lga_xl`` sheet: kind ``self-assessment``, template version, edition.

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

from ..maturity import DEFAULT_EDITION, Edition, load_edition
from ..rating import LABELS, LEVELS, SCORED_LEVELS, STATUSES
from ..reference import ASSESSMENT_TYPES, ORG_TYPES, REGIONS
from . import common as c

KIND = "self-assessment"
TEMPLATE_VERSION = "1.0"

ELEMENT_COLUMNS = ("ID", "Strand", "Level", "Element", "Status", "Evidence")
RATING_COLUMNS = (
    "Strand",
    "Current",
    "Score",
    "Target",
    "Target score",
    "Gap to target",
    "Developing achieved",
    "Developing applicable",
    "Maturing achieved",
    "Maturing applicable",
    "Mature achieved",
    "Mature applicable",
    "Not answered",
)
COVER_FIELDS = (
    # defined name, label, note
    ("OrgName", "Organisation name", "The council's name as you want it reported."),
    ("OrgType", "Organisation type", "Pick from the list."),
    ("Region", "Region", "One of the nine English regions."),
    ("AssessmentType", "Assessment type", "Self for your own assessment; External for an LGA MOT assessment."),
    ("AssessorName", "Completed by", "Name and role of the person completing the assessment."),
    ("AssessmentDate", "Date", "The date of the assessment (dd/mm/yyyy)."),
)
COVER_FIRST_ROW = 4
ELEMENTS_HEADER_ROW = 4
RATINGS_HEADER_ROW = 6

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
            "1. On the Cover sheet, fill in the yellow cells: your organisation, type, region, who completed it and the date.",
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
    _cover(wb, org_name, org_type, region, assessment_type, assessor, assessment_date)
    _assessment(wb, model, answers or {}, evidence or {})
    _summary(wb, model, targets or {})
    c.add_lists_sheet(
        wb,
        {
            "StatusList": STATUSES,
            "LabelList": LABELS,
            "RegionList": REGIONS,
            "OrgTypeList": ORG_TYPES,
            "AssessmentTypeList": ASSESSMENT_TYPES,
        },
    )
    c.add_metadata_sheet(wb, KIND, TEMPLATE_VERSION, {"model_edition": model.edition})
    wb.active = 1  # open on the Cover sheet
    return c.save(wb, path)


def _cover(wb, org_name, org_type, region, assessment_type, assessor, assessment_date) -> None:
    ws = wb.create_sheet("Cover")
    ws["A1"] = "Apprenticeships Maturity Model self-assessment"
    ws["A1"].font = c.TITLE_FONT
    ws["A2"] = "Fill in the yellow cells, then rate each element on the Assessment sheet."
    ws["A2"].font = c.NOTE_FONT
    values = {
        "OrgName": org_name,
        "OrgType": org_type,
        "Region": region,
        "AssessmentType": assessment_type,
        "AssessorName": assessor,
        "AssessmentDate": assessment_date,
    }
    for row, (name, label, note) in enumerate(COVER_FIELDS, start=COVER_FIRST_ROW):
        ws.cell(row=row, column=1, value=label).font = c.LABEL_FONT
        cell = ws.cell(row=row, column=2)
        if isinstance(values[name], str):
            c.set_text(cell, values[name])
        else:
            cell.value = values[name]
        c.mark_input([cell])
        ws.cell(row=row, column=3, value=note).font = c.NOTE_FONT
        c.define_name(wb, name, ws, cell.coordinate)
    row_of = {name: row for row, (name, _, _) in enumerate(COVER_FIELDS, start=COVER_FIRST_ROW)}
    ws.cell(row=row_of["AssessmentDate"], column=2).number_format = "dd/mm/yyyy"
    c.add_list_validation(ws, "OrgTypeList", f"B{row_of['OrgType']}", title="Organisation type",
                          message="Pick an organisation type from the list.")
    c.add_list_validation(ws, "RegionList", f"B{row_of['Region']}", title="Region",
                          message="Pick one of the nine English regions from the list.")
    c.add_list_validation(ws, "AssessmentTypeList", f"B{row_of['AssessmentType']}", title="Assessment type",
                          message="Pick Self or External.")
    c.add_date_validation(ws, f"B{row_of['AssessmentDate']}", title="Date",
                          message="Type a date, for example 14/11/2026.")
    c.set_widths(ws, {"A": 22, "B": 42, "C": 70})
    ws.sheet_view.showGridLines = False
    c.protect(ws)


def _assessment(wb, model: Edition, answers: Mapping[str, str], evidence: Mapping[str, str]) -> None:
    ws = wb.create_sheet("Assessment")
    ws["A1"] = "Assessment: rate every element"
    ws["A1"].font = c.TITLE_FONT
    ws["A2"] = ("Pick a Status for each element: Achieved, In progress, Not started or Not applicable. "
                "Blank means not answered yet (counted as not achieved).")
    ws["A2"].font = c.NOTE_FONT
    c.write_header(ws, ELEMENTS_HEADER_ROW, ELEMENT_COLUMNS)
    row = ELEMENTS_HEADER_ROW
    for row, element in enumerate(model.scored_elements, start=ELEMENTS_HEADER_ROW + 1):
        for col, text in enumerate((element.id, element.strand, element.level, element.text), start=1):
            c.set_text(ws.cell(row=row, column=col), text)
            ws.cell(row=row, column=col).alignment = c.WRAP
        status = ws.cell(row=row, column=5)
        note = ws.cell(row=row, column=6)
        c.set_text(status, answers.get(element.id))
        c.set_text(note, evidence.get(element.id))
        note.alignment = c.WRAP
        c.mark_input([status, note])
    last = row
    c.add_table(ws, "Elements", f"A{ELEMENTS_HEADER_ROW}:F{last}")
    c.add_list_validation(
        ws, "StatusList", f"E{ELEMENTS_HEADER_ROW + 1}:E{last}", title="Status",
        message="Pick Achieved, In progress, Not started or Not applicable from the list.",
    )
    # Blank statuses stay highlighted until answered.
    ws.conditional_formatting.add(
        f"E{ELEMENTS_HEADER_ROW + 1}:E{last}",
        FormulaRule(formula=[f'E{ELEMENTS_HEADER_ROW + 1}=""'], fill=c.PatternFill("solid", fgColor="FFD966")),
    )

    early = [e for e in model.elements if not e.scored]
    start = last + 3
    ws.cell(row=start, column=1, value=f"{LEVELS[0]}: the starting point (for reference, not scored)").font = c.HEADING_FONT
    c.write_header(ws, start + 1, ELEMENT_COLUMNS[:4])
    for offset, element in enumerate(early, start=start + 2):
        for col, text in enumerate((element.id, element.strand, element.level, element.text), start=1):
            c.set_text(ws.cell(row=offset, column=col), text)
            ws.cell(row=offset, column=col).alignment = c.WRAP
            ws.cell(row=offset, column=col).font = c.NOTE_FONT
    c.set_widths(ws, {"A": 9, "B": 24, "C": 12, "D": 70, "E": 16, "F": 45})
    ws.freeze_panes = f"A{ELEMENTS_HEADER_ROW + 1}"
    c.protect(ws)


def level_count_formula(strand_cell: str, level: str, status: str | None) -> str:
    """COUNTIFS over the Elements table for one strand and level.

    ``status`` None counts the applicable elements (all but Not applicable).
    """
    base = f"Elements[Strand],{strand_cell},Elements[Level],\"{level}\""
    if status is None:
        return f"COUNTIFS({base})-COUNTIFS({base},Elements[Status],\"Not applicable\")"
    return f"COUNTIFS({base},Elements[Status],\"{status}\")"


def score_formula(row: int) -> str:
    """The rating rule of :func:`lga_xl.rating.rate` as one Excel formula.

    Columns G..L hold achieved/applicable for Developing, Maturing, Mature.
    Each branch is one base level; the + conditions are the "half" rule on
    the next level up, or achievements in two or more higher levels.
    """
    dev_a, dev_n, mat_a, mat_n, mre_a, mre_n = (f"{col}{row}" for col in "GHIJKL")
    complete = lambda a, n: f"AND({n}>=1,{a}={n})"  # noqa: E731
    half = lambda a, n: f"AND({n}>=1,2*{a}>={n})"  # noqa: E731
    return (
        f"=IF({complete(mre_a, mre_n)},4,"
        f"IF({complete(mat_a, mat_n)},3+IF({half(mre_a, mre_n)},0.5,0),"
        f"IF({complete(dev_a, dev_n)},2+IF(OR({half(mat_a, mat_n)},AND({mat_a}>=1,{mre_a}>=1)),0.5,0),"
        f"1+IF(OR({half(dev_a, dev_n)},({dev_a}>=1)+({mat_a}>=1)+({mre_a}>=1)>=2),0.5,0))))"
    )


def _summary(wb, model: Edition, targets: Mapping[str, str]) -> None:
    ws = wb.create_sheet("Summary")
    ws["A1"] = "Summary: your ratings, worked out from the Assessment sheet"
    ws["A1"].font = c.TITLE_FONT
    ws["A2"] = "Green cells are calculated for you. Pick a Target rating for each strand in the yellow cells."
    ws["A2"].font = c.NOTE_FONT
    first = RATINGS_HEADER_ROW + 1
    last = first + len(model.strands) - 1
    ws["A3"] = "Overall score (mean of the five strands)"
    ws["A3"].font = c.LABEL_FONT
    ws["C3"] = f"=ROUND(SUM(C{first}:C{last})/{len(model.strands)},2)"
    ws["A4"] = "Elements not answered yet"
    ws["A4"].font = c.LABEL_FONT
    ws["C4"] = f"=SUM(M{first}:M{last})"
    c.mark_result([ws["C3"], ws["C4"]])
    c.define_name(wb, "OverallScore", ws, "C3")
    c.write_header(ws, RATINGS_HEADER_ROW, RATING_COLUMNS)
    count_columns = []
    for level in SCORED_LEVELS:
        count_columns += [(level, "Achieved"), (level, None)]
    for row, strand in enumerate(model.strand_names, start=first):
        strand_cell = f"$A{row}"
        c.set_text(ws.cell(row=row, column=1), strand)
        ws.cell(row=row, column=2, value=f"=INDEX(LabelList,C{row}*2-1)")
        ws.cell(row=row, column=3, value=score_formula(row))
        target = ws.cell(row=row, column=4)
        c.set_text(target, targets.get(strand))
        c.mark_input([target])
        ws.cell(row=row, column=5, value=f'=IF(D{row}="","",IFERROR((MATCH(D{row},LabelList,0)+1)/2,""))')
        ws.cell(row=row, column=6, value=f'=IF(E{row}="","",E{row}-C{row})')
        for col, (level, status) in enumerate(count_columns, start=7):
            ws.cell(row=row, column=col, value="=" + level_count_formula(strand_cell, level, status))
        ws.cell(row=row, column=13,
                value=f'=COUNTIFS(Elements[Strand],{strand_cell},Elements[Status],"")')
        c.mark_result(ws.cell(row=row, column=col) for col in (2, 3, 5, 6))
        for col in (3, 5, 6):
            ws.cell(row=row, column=col).number_format = "0.0"
    c.add_table(ws, "Ratings", f"A{RATINGS_HEADER_ROW}:M{last}")
    c.add_list_validation(ws, "LabelList", f"D{first}:D{last}", title="Target rating",
                          message="Pick one of the seven ratings, from Early to Mature.")
    _chart(ws, first, last)
    c.set_widths(ws, {"A": 44, "B": 14, "C": 8, "D": 14, "E": 9, "F": 9})  # A: the longest strand on one line
    for letter in "GHIJKLM":
        ws.column_dimensions[letter].width = 11
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
    for col in (3, 5):  # Score, Target score
        chart.add_data(Reference(ws, min_col=col, min_row=RATINGS_HEADER_ROW, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
    chart.height, chart.width = 9, 22
    ws.add_chart(chart, f"A{last + 3}")
