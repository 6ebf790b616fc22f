"""The Maturity Model self-assessment workbook, laid out from its contract in the house style.

The contract (sheets, names, tables and columns) is
:mod:`lga_xl.contracts.self_assessment`; the formulas here implement
:mod:`lga_xl.rating`.  It prints on A4, one page wide: Instructions, Cover and
Assessment portrait, Summary (a wide table and its chart) landscape.

Example:
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "sa.xlsx"
    >>> new_self_assessment(path, org_name="Exampleshire", region="East of England").name
    'sa.xlsx'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.worksheet.worksheet import Worksheet

from ..contracts.self_assessment import CONTRACT, COVER, ELEMENTS, OVERALL, RATINGS, SEND_OUT
from ..maturity import DEFAULT_EDITION, Edition, load_edition
from ..rating import (
    LABELS,
    LEVELS,
    NOT_RATED,
    SCORED_LEVELS,
    Rating,
    StatusError,
    count_levels,
    label_score,
    parse_status,
    rate,
)
from . import common as c
from . import style

TITLE = "Apprenticeships Maturity Model: self-assessment"
EXTERNAL_TITLE = "Apprenticeships Maturity Model: external assessment"

INSTRUCTIONS = (
    (
        "What this workbook is",
        (
            "The LGA Apprenticeships Maturity Model is a self-assessment of your council's apprenticeship "
            "programme in five strands: Leadership and Culture; Procurement and Provider Management; Workforce "
            "Development; Planning, Delivery Structures and Processes; and Engagement.",
            "Each strand has four levels: Early, Developing, Maturing and Mature. Each level lists elements, "
            "things a council at that level has in place.",
            "The same workbook records an external assessment (the LGA's view, as in an Apprenticeship MOT): "
            "choose External as the assessment type on the Cover sheet.",
        ),
    ),
    (
        "How to fill it in",
        (
            "1. On the Cover sheet, fill in the yellow cells: your organisation, type, region, who completed it "
            "and the date.",
            "2. On the Assessment sheet, give every element a status from the dropdown: Achieved, In progress, "
            "Not started or Not applicable. Add a note of your evidence beside it if you can.",
            "3. On the Summary sheet, pick a target rating for each strand: where you aim to be in a year.",
            "Only the yellow cells can be changed. The sheets are protected without a password so that formulas "
            "are not overwritten by accident. Selecting a yellow cell shows what to type in it.",
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
            "Until at least one element of a strand has a status, the strand shows Not rated and has no score: "
            "a blank form says nothing about your council.",
            "Scores: Early 1, Early + 1.5, Developing 2, Developing + 2.5, Maturing 3, Maturing + 3.5, "
            "Mature 4. The overall score is the mean of the scores of the strands rated so far.",
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
STATUS_PROMPT = "Pick Achieved, In progress, Not started or Not applicable. Leave it blank until you know."
CHART_HEIGHT_CM = 8.0
LABEL_SCORES = {label: label_score(label) for label in LABELS}


def workbook_title(assessment_type: str | None) -> str:
    """The workbook's title: an external assessment is titled as one.

    Example:
        >>> workbook_title("External")
        'Apprenticeships Maturity Model: external assessment'
    """
    return EXTERNAL_TITLE if assessment_type == "External" else TITLE


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
    as typed, ``targets`` maps strand names to rating labels.  With
    ``assessment_type="External"`` the workbook is titled as an external
    assessment (the Cover's title follows the assessment type as it is changed).

    Example:
        >>> import tempfile, pathlib
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "filled.xlsx"
        >>> new_self_assessment(out, org_name="Exampleshire", answers={"LC-D1": "Achieved"}).exists()
        True
    """
    model = load_edition(edition)
    answers, evidence, targets = answers or {}, evidence or {}, targets or {}
    title = workbook_title(assessment_type)
    wb = c.new_workbook(title)
    c.add_instructions_sheet(wb, title, INSTRUCTIONS)
    _cover(wb, {"OrgName": org_name, "OrgType": org_type, "Region": region, "AssessmentType": assessment_type,
                "AssessorName": assessor, "AssessmentDate": assessment_date})
    _assessment(wb, model, answers, evidence)
    _summary(wb, model, targets, _ratings_of(model, answers))
    c.add_lists_sheet(wb, CONTRACT.lists)
    c.add_metadata_sheet(wb, CONTRACT.kind, CONTRACT.version, {"model_edition": model.edition})
    c.open_on_first_sheet(wb)
    return c.save(wb, path)


def _cover(wb: Workbook, values: Mapping[str, object]) -> None:
    ws = wb.create_sheet(COVER.sheet)
    c.set_widths(ws, {"A": 20, "B": 40, "C": 44})
    c.write_title(ws, f'=IF(AssessmentType="External","{EXTERNAL_TITLE}","{TITLE}")')
    c.write_note(ws, 2, "Fill in the yellow cells, then give each element a status on the Assessment sheet.", 3)
    for field in COVER.names:
        row = COVER.row(field.name)
        c.write_label(ws.cell(row=row, column=COVER.label_column + 1), field.label)
        cell = ws[COVER.cell(field.name)]
        c.write_value(cell, values[field.name])
        c.mark_input([cell], field.number_format)
        note = ws.cell(row=row, column=COVER.note_column + 1)
        c.set_text(note, field.note)
        style.apply(note, replace(style.NOTE, wrap=True))
        c.define_name(wb, field.name, ws, cell.coordinate)
    c.add_prompt(ws, COVER.cell("OrgName"), title="Organisation name",
                 prompt="Your council's name as you want it reported, for example Exampleshire County Council.")
    c.add_list_validation(ws, "OrgTypeList", COVER.cell("OrgType"), title="Organisation type",
                          message="Pick an organisation type from the list.")
    c.add_list_validation(ws, "RegionList", COVER.cell("Region"), title="Region",
                          message="Pick one of the nine English regions from the list.")
    c.add_list_validation(ws, "AssessmentTypeList", COVER.cell("AssessmentType"), title="Assessment type",
                          message="Pick Self or External.",
                          prompt="Self for your own assessment; External for the LGA's assessment of your council.")
    c.add_prompt(ws, COVER.cell("AssessorName"), title="Completed by",
                 prompt="The name and role of the person completing the assessment.")
    c.add_date_validation(ws, COVER.cell("AssessmentDate"), title="Date",
                          message="Type a date, for example 14/11/2026.")
    c.lay_out_send_out(wb, ws, SEND_OUT, COVER.note_column + 1)
    style.fit_rows(ws)
    c.set_up_printing(ws, landscape=False)
    c.protect(ws)


def _assessment(wb: Workbook, model: Edition, answers: Mapping[str, str], evidence: Mapping[str, str]) -> None:
    table = ELEMENTS
    ws = wb.create_sheet(table.sheet)
    widths = {"id": 7, "strand": 21, "level": 10, "element": 48, "status": 13, "evidence": 27}
    c.set_widths(ws, {table.letter(key): width for key, width in widths.items()})
    last_column = len(table.columns)
    c.write_title(ws, "Assessment: give each element a status")
    c.write_note(ws, 2, "Pick a status for each element: Achieved, In progress, Not started or Not applicable. "
                        "Blank means not answered yet; a strand is Not rated until one of its elements has a "
                        "status.", last_column)
    c.write_header(ws, table.header_row, table.headers)
    fixed = ("id", "strand", "level", "element")
    for row, element in enumerate(model.scored_elements, start=table.first_row):
        for key, text in zip(fixed, (element.id, element.strand, element.level, element.text)):
            c.set_text(ws[table.cell(key, row)], text)
        c.mark_fixed(ws[table.cell(key, row)] for key in fixed)
        status, note = ws[table.cell("status", row)], ws[table.cell("evidence", row)]
        c.set_text(status, answers.get(element.id))
        c.set_text(note, evidence.get(element.id))
        c.mark_input([status])
        c.mark_input([note], wrap=True)
    rows = len(model.scored_elements)
    last = table.last_row(rows)
    c.add_table(ws, table.name, table.ref(rows))
    c.add_list_validation(ws, "StatusList", table.column_cells("status", rows), title="Status",
                          message="Pick Achieved, In progress, Not started or Not applicable from the list.",
                          prompt=STATUS_PROMPT)
    c.add_prompt(ws, table.column_cells("evidence", rows), title="Evidence",
                 prompt="Optional: a note of your evidence, such as a policy, a report or a decision and its date.")

    early = [e for e in model.elements if not e.scored]
    start = last + 2
    heading = ws.cell(row=start, column=1, value=f"{LEVELS[0]}: the starting point (for reference, not scored)")
    style.apply(heading, style.HEADING)
    c.write_header(ws, start + 1, table.headers[: len(fixed)])
    for row, element in enumerate(early, start=start + 2):
        for column, text in enumerate((element.id, element.strand, element.level, element.text), start=1):
            c.set_text(ws.cell(row=row, column=column), text)
            c.mark_fixed([ws.cell(row=row, column=column)])
    style.fit_rows(ws)
    ws.freeze_panes = table.cell("id", table.first_row)
    c.set_up_printing(ws, landscape=False, repeat_rows=(table.header_row, table.header_row))
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
    """The rating rule of :func:`lga_xl.rating.rate` as one Excel formula: blank while the strand is not rated.

    The strand is rated once one of its elements has a status, that is when
    it has more elements than unanswered ones.  Each branch is one base level;
    the + conditions are the "half" rule on the next level up, or
    achievements in two or more higher levels.
    """
    dev_a, dev_n, mat_a, mat_n, mre_a, mre_n = (
        RATINGS.cell(f"{level.lower()}_{count}", row)
        for level in SCORED_LEVELS for count in ("achieved", "applicable"))
    complete = lambda a, n: f"AND({n}>=1,{a}={n})"  # noqa: E731
    half = lambda a, n: f"AND({n}>=1,2*{a}>={n})"  # noqa: E731
    elements = f"COUNTIF({ELEMENTS.structured('strand')},${RATINGS.cell('strand', row)})"
    return (
        f'=IF({elements}={RATINGS.cell("unanswered", row)},"",'
        f"IF({complete(mre_a, mre_n)},4,"
        f"IF({complete(mat_a, mat_n)},3+IF({half(mre_a, mre_n)},0.5,0),"
        f"IF({complete(dev_a, dev_n)},2+IF(OR({half(mat_a, mat_n)},AND({mat_a}>=1,{mre_a}>=1)),0.5,0),"
        f"1+IF(OR({half(dev_a, dev_n)},({dev_a}>=1)+({mat_a}>=1)+({mre_a}>=1)>=2),0.5,0)))))"
    )


def _summary(wb: Workbook, model: Edition, targets: Mapping[str, str], ratings: Mapping[str, Rating]) -> None:
    table = RATINGS
    ws = wb.create_sheet(table.sheet)
    rows = len(model.strands)
    first, last = table.first_row, table.last_row(rows)
    widths = {"strand": 24, "current": 13, "score": 9, "target": 13, "target_score": 9, "gap": 9}
    c.set_widths(ws, {table.letter(key): widths.get(key, 11) for key in table.keys()})
    c.write_title(ws, "Summary: your ratings, worked out from the Assessment sheet")
    c.write_note(ws, 2, "Green cells are worked out for you from the statuses on the Assessment sheet. Pick a target "
                        "rating for each strand in the yellow cells. A strand shows Not rated, with no score, until "
                        "one of its elements has a status.", len(table.columns))
    scores, unanswered = table.column_cells("score", rows), table.column_cells("unanswered", rows)
    results = {"OverallScore": f'=IF(COUNT({scores})=0,"",ROUND(AVERAGE({scores}),2))',
               "StrandsRated": f"=COUNT({scores})", "ElementsNotAnswered": f"=SUM({unanswered})"}
    for named in OVERALL.names:
        row = OVERALL.row(named.name)
        c.write_label(ws.cell(row=row, column=OVERALL.label_column + 1), named.label)
        cell = ws[OVERALL.cell(named.name)]
        cell.value = results[named.name]
        c.mark_result([cell], named.number_format)
        note = ws.cell(row=row, column=OVERALL.note_column + 1)
        c.set_text(note, named.note)
        style.apply(note, style.NOTE)
        c.define_name(wb, named.name, ws, cell.coordinate)

    c.write_header(ws, table.header_row, table.headers)
    counts = [(f"{level.lower()}_{count}", level, "Achieved" if count == "achieved" else None)
              for level in SCORED_LEVELS for count in ("achieved", "applicable")]
    strands, statuses = ELEMENTS.structured("strand"), ELEMENTS.structured("status")
    known: dict[str, object] = {}  # what the formulas will show, for the chart's cache
    for row, strand in enumerate(model.strand_names, start=first):
        cells = table.row_cells(row)
        strand_cell = "$" + cells["strand"]
        c.set_text(ws[cells["strand"]], strand)
        c.mark_fixed([ws[cells["strand"]]])
        ws[cells["current"]] = f'=IF({cells["score"]}="","{NOT_RATED}",INDEX(LabelList,{cells["score"]}*2-1))'
        ws[cells["score"]] = score_formula(row)
        target = ws[cells["target"]]
        c.set_text(target, targets.get(strand))
        c.mark_input([target])
        ws[cells["target_score"]] = (f'=IF({cells["target"]}="","",IFERROR((MATCH({cells["target"]},LabelList,0)+1)/2,'
                                     '""))')
        ws[cells["gap"]] = (f'=IF(OR({cells["target_score"]}="",{cells["score"]}=""),"",'
                            f'{cells["target_score"]}-{cells["score"]})')
        for key, level, status in counts:
            ws[cells[key]] = "=" + level_count_formula(strand_cell, level, status)
        ws[cells["unanswered"]] = f'=COUNTIFS({strands},{strand_cell},{statuses},"")'
        for key in table.keys("formula"):
            c.mark_result([ws[cells[key]]], table.column(key).number_format)
        known[f"{table.sheet}!{cells['score']}"] = ratings[strand].score
        if targets.get(strand) in LABEL_SCORES:
            known[f"{table.sheet}!{cells['target_score']}"] = LABEL_SCORES[targets[strand]]
    c.add_table(ws, table.name, table.ref(rows))
    c.add_list_validation(ws, "LabelList", table.column_cells("target", rows), title="Target rating",
                          message="Pick one of the seven ratings, from Early to Mature.",
                          prompt="Pick the rating you aim to reach in this strand within a year, Early to Mature.")
    style.fit_rows(ws)
    c.set_up_printing(ws, landscape=True, repeat_rows=(table.header_row, table.header_row))
    _chart(wb, ws, last, known)
    c.protect(ws)


def _chart(wb: Workbook, ws: Worksheet, last: int, known: Mapping[str, object]) -> None:
    """Current and target score side by side per strand, below the table and on its page."""
    chart = BarChart()
    chart.type = "col"
    for key in ("score", "target_score"):
        column = RATINGS.first_column + RATINGS.index(key) + 1
        chart.add_data(Reference(ws, min_col=column, min_row=RATINGS.header_row, max_row=last), titles_from_data=True)
    strand_column = RATINGS.first_column + RATINGS.index("strand") + 1
    chart.set_categories(Reference(ws, min_col=strand_column, min_row=RATINGS.first_row, max_row=last))
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 4
    chart.y_axis.majorUnit = 1
    style.finish_chart(chart, title="Current and target score by strand", y_title="Score (1 = Early, 4 = Mature)",
                       y_number_format="0")
    chart.height = CHART_HEIGHT_CM
    style.cache_chart_data(chart, wb, known)
    style.place_chart_below(ws, chart, last)


def _ratings_of(model: Edition, answers: Mapping[str, str]) -> dict[str, Rating]:
    """Each strand's rating from the answers written, as the reader will rate them (a bad status counts as blank)."""
    ratings = {}
    for strand in model.strand_names:
        pairs = []
        for element in (e for e in model.scored_elements if e.strand == strand):
            try:
                status = parse_status(answers.get(element.id)).status
            except StatusError:
                status = None
            pairs.append((element.level, status))
        ratings[strand] = rate(count_levels(pairs))
    return ratings
