"""The Maturity Model self-assessment workbook's contract.

* ``Cover``: the cover fields as workbook-level names (OrgName, OrgType,
  Region, AssessmentType, AssessorName, AssessmentDate).
* ``Assessment``: table ``Elements`` (ID, Strand, Level, Element, Status,
  Evidence), one row per scored element in model order; Status is a dropdown
  of the four statuses.  The Early descriptors are listed below the table.
* ``Summary``: table ``Ratings`` (Strand, Current, Score, Target, then the gap
  and the counts per level), Current and Score being formulas of the rating
  rule (:mod:`lga_xl.rating`); OverallScore is a named result.
* Hidden ``lga_xl`` sheet: kind, template version and model edition.

Example:
    >>> CONTRACT.address("OrgName"), CONTRACT.table("Elements").column_cells("status")
    (('Cover', 'B4'), 'E5:E87')
"""

from __future__ import annotations

from ..contract import Block, Column, Contract, Name, Table
from ..rating import LABELS, SCORED_LEVELS, STATUSES
from ..reference import ASSESSMENT_TYPES, ORG_TYPES, REGIONS

KIND = "self-assessment"
TEMPLATE_VERSION = "1.0"
SCORED_ELEMENTS = 83  # of the LGA 2017 edition; the writer sizes the table from the edition it is given
DATE_FORMAT = "dd/mm/yyyy"
SCORE_FORMAT = "0.0"

COVER = Block("Cover", first_row=4, names=(
    Name("OrgName", "Organisation name", "text", field="organisation",
         note="The council's name as you want it reported."),
    Name("OrgType", "Organisation type", "choice", field="org_type", note="Pick from the list.",
         choices="OrgTypeList"),
    Name("Region", "Region", "choice", field="region", note="One of the nine English regions.", choices="RegionList"),
    Name("AssessmentType", "Assessment type", "choice", field="assessment_type",
         note="Self for your own assessment; External for an LGA MOT assessment.", choices="AssessmentTypeList"),
    Name("AssessorName", "Completed by", "text", field="assessor",
         note="Name and role of the person completing the assessment."),
    Name("AssessmentDate", "Date", "date", field="assessment_date", note="The date of the assessment (dd/mm/yyyy).",
         number_format=DATE_FORMAT),
))
OVERALL = Block("Summary", first_row=3, value_column=2, note_column=None, names=(
    Name("OverallScore", "Overall score (mean of the five strands)", "score", role="formula",
         field="overall_score"),
))
UNANSWERED_ROW = OVERALL.last_row + 1  # "Elements not answered yet", below the overall score

ELEMENTS = Table("Elements", "Assessment", header_row=4, rows=SCORED_ELEMENTS, columns=(
    Column("id", "ID", "text", role="fixed", hashed=True),
    Column("strand", "Strand", "text", role="fixed"),
    Column("level", "Level", "text", role="fixed"),
    Column("element", "Element", "text", role="fixed"),
    Column("status", "Status", "choice"),
    Column("evidence", "Evidence", "text"),
))
RATINGS = Table("Ratings", "Summary", header_row=6, rows=5, columns=(
    Column("strand", "Strand", "text", role="fixed", hashed=True),
    Column("current", "Current", "text", role="formula"),
    Column("score", "Score", "score", role="formula", number_format=SCORE_FORMAT),
    Column("target", "Target", "choice"),
    Column("target_score", "Target score", "score", role="formula", number_format=SCORE_FORMAT),
    Column("gap", "Gap to target", "score", role="formula", number_format=SCORE_FORMAT),
    *(Column(f"{level.lower()}_{count}", f"{level} {count}", "whole", role="formula")
      for level in SCORED_LEVELS for count in ("achieved", "applicable")),
    Column("unanswered", "Not answered", "whole", role="formula"),
))

CONTRACT = Contract(
    KIND, TEMPLATE_VERSION, blocks=(COVER, OVERALL), tables=(ELEMENTS, RATINGS),
    lists={"StatusList": STATUSES, "LabelList": LABELS, "RegionList": REGIONS, "OrgTypeList": ORG_TYPES,
           "AssessmentTypeList": ASSESSMENT_TYPES},
)
CONTRACTS = {TEMPLATE_VERSION: CONTRACT}
