"""The Maturity Model self-assessment workbook's contract, template versions 1.0 and 2.0.

Template 2.0 (written since lga_xl 0.2):

* ``Cover``: the cover fields as workbook-level names (OrgName, OrgType,
  Region, AssessmentType, AssessorName, AssessmentDate).
* ``Assessment``: table ``Elements`` (ID, Strand, Level, Element, Status,
  Evidence), one row per scored element in model order; Status is a dropdown
  of the four statuses.  The Early descriptors are listed below the table.
* ``Summary``: the named results OverallScore (the mean of the rated strands),
  StrandsRated and ElementsNotAnswered, then table ``Ratings`` (Strand,
  Current rating, Current score, Target rating, then the target score, the
  gap and the counts per level), the current rating and score being formulas
  of the rating rule (:mod:`lga_xl.rating`).  A strand with no answer yet
  shows "Not rated" and no score.
* ``Cover`` of a workbook sent to one council: the send-out cells under the
  fields (PreparedFor, ReturnBy, ReturnTo, CarriedForward), blank until
  :mod:`lga_xl.sendout` fills them in.
* Hidden ``lga_xl`` sheet: kind, template version and model edition.

Template 1.0 (lga_xl 0.1.0) differs only on ``Summary``: OverallScore at C3
(the mean of all five strands) and no other named result, the table from row 6 with the headings
Current, Score and Target, and a strand with no answer shown as Early, 1.
Returns made on it are still read; its ratings are recomputed with today's
rule.

Example:
    >>> CONTRACT.address("OrgName"), CONTRACT.table("Elements").column_cells("status")
    (('Cover', 'B4'), 'E5:E87')
    >>> RATINGS.structured("current"), CONTRACTS["1.0"].table("Ratings").structured("current")
    ('Ratings[Current rating]', 'Ratings[Current]')
"""

from __future__ import annotations

from ..answers import Answers, Migration
from ..contract import Block, Column, Contract, Name, Table, send_out_block
from ..rating import LABELS, NOT_RATED, SCORED_LEVELS, STATUSES
from ..reference import ASSESSMENT_TYPES, ORG_TYPES, REGIONS

KIND = "self-assessment"
TEMPLATE_VERSION = "2.0"
SCORED_ELEMENTS = 83  # of the LGA 2017 edition; the writer sizes the table from the edition it is given
# The house formats (lga_xl.writers.style), repeated here because contracts import the standard library only.
DATE_FORMAT = "dd/mm/yyyy"
SCORE_FORMAT = "0.0"
COUNT_FORMAT = "#,##0"

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
ELEMENTS = Table("Elements", "Assessment", header_row=4, rows=SCORED_ELEMENTS, columns=(
    Column("id", "ID", "text", role="fixed", hashed=True),
    Column("strand", "Strand", "text", role="fixed"),
    Column("level", "Level", "text", role="fixed"),
    Column("element", "Element", "text", role="fixed"),
    Column("status", "Status", "choice"),
    Column("evidence", "Evidence", "text"),
))
LISTS = {"StatusList": STATUSES, "LabelList": LABELS, "RegionList": REGIONS, "OrgTypeList": ORG_TYPES,
         "AssessmentTypeList": ASSESSMENT_TYPES}


def _ratings(header_row: int, current: str, score: str, target: str, count: str | None) -> Table:
    return Table("Ratings", "Summary", header_row=header_row, rows=5, columns=(
        Column("strand", "Strand", "text", role="fixed", hashed=True),
        Column("current", current, "text", role="formula"),
        Column("score", score, "score", role="formula", number_format=SCORE_FORMAT),
        Column("target", target, "choice"),
        Column("target_score", "Target score", "score", role="formula", number_format=SCORE_FORMAT),
        Column("gap", "Gap to target", "score", role="formula", number_format=SCORE_FORMAT),
        *(Column(f"{level.lower()}_{count_of}", f"{level} {count_of}", "whole", role="formula", number_format=count)
          for level in SCORED_LEVELS for count_of in ("achieved", "applicable")),
        Column("unanswered", "Not answered", "whole", role="formula", number_format=count),
    ))


# Template 2.0.
OVERALL = Block("Summary", first_row=4, value_column=1, note_column=2, names=(
    Name("OverallScore", "Overall score", "score", role="formula", field="overall_score", number_format=SCORE_FORMAT,
         note="The mean of the rated strands' scores; blank until a strand is rated."),
    Name("StrandsRated", "Strands rated", "whole", role="formula", number_format=COUNT_FORMAT,
         note="Of 5. A strand is rated once one of its elements has a status."),
    Name("ElementsNotAnswered", "Not answered yet", "whole", role="formula", number_format=COUNT_FORMAT,
         note="Elements on the Assessment sheet with no status."),
))
RATINGS = _ratings(8, "Current rating", "Current score", "Target rating", COUNT_FORMAT)
SEND_OUT = send_out_block(COVER.sheet, COVER.last_row + 3)
CONTRACT = Contract(KIND, TEMPLATE_VERSION, blocks=(COVER, OVERALL, SEND_OUT), tables=(ELEMENTS, RATINGS),
                    lists=LISTS)

# Template 1.0, as lga_xl 0.1.0 wrote it.
OVERALL_1_0 = Block("Summary", first_row=3, value_column=2, note_column=None, names=(
    Name("OverallScore", "Overall score (mean of the five strands)", "score", role="formula",
         field="overall_score"),
))
CONTRACT_1_0 = Contract(KIND, "1.0", blocks=(COVER, OVERALL_1_0),
                        tables=(ELEMENTS, _ratings(6, "Current", "Score", "Target", None)), lists=LISTS)

CONTRACTS = {"1.0": CONTRACT_1_0, TEMPLATE_VERSION: CONTRACT}


def _from_1_0(answers: Answers) -> Answers:
    # The cover, the Elements table and the targets are the same inputs; that the Ratings table moved
    # and its headings changed is the contracts' business (targets are found by strand).
    return answers.moved("2.0")


MIGRATIONS = (Migration("1.0", "2.0", _from_1_0, "The same answers: the Ratings table moved down two rows and its "
                                                 "headings changed."),)

# What each template version's formulas show, as (current, score), for a strand with no answer yet:
# the reader compares cached values with this rather than with its own "Not rated".
UNRATED_SHOWN = {"1.0": ("Early", 1.0), TEMPLATE_VERSION: (NOT_RATED, None)}
