"""Reading a returned self-assessment and checking it.

Ratings are always recomputed from the statuses with :mod:`lga_xl.rating`;
a formula value cached in the file is only compared, and a difference is
reported (someone may have typed over a formula).  Everything is found by
table and defined name, so re-sorted rows, moved tables and files re-saved
by Excel or LibreOffice read the same.

Example:
    >>> import tempfile, pathlib
    >>> from lga_xl import new_self_assessment
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "sa.xlsx"
    >>> _ = new_self_assessment(path, org_name="Exampleshire", region="London",
    ...                         answers={f"LC-D{i}": "Achieved" for i in range(1, 6)})
    >>> result = read_self_assessment(path)
    >>> result.organisation, result.strands[0].current
    ('Exampleshire', 'Developing')
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from .. import cells
from ..contract import META_SHEET, Contract
from ..contracts.self_assessment import UNRATED_SHOWN
from ..issues import WorkbookError
from ..maturity import Edition, load_edition
from ..models import ElementAnswer, LevelCounts, SelfAssessment, StrandRating
from ..rating import (
    LABELS,
    SCORED_LEVELS,
    LevelCount,
    Rating,
    Status,
    StatusError,
    label_score,
    overall_score,
    parse_status,
    rate,
)
from ..reference import ASSESSMENT_TYPES, ORG_TYPES, REGIONS, match_region
from .base import Named, Reading, TableRows
from .fields import Collector
from .package import Package, Place, open_package


def read_self_assessment(path: str | Path, *, display: str | None = None) -> SelfAssessment:
    """Read, recompute and validate a self-assessment workbook.

    Problems inside the file are returned in ``result.issues``; a file that
    cannot be read as a self-assessment at all raises
    :class:`~lga_xl.issues.WorkbookError` whose ``issue`` says why.
    """
    from . import read_package

    with open_package(path, display) as pkg:
        return read_package(pkg, "self-assessment")


def read_self_assessment_package(pkg: Package, contract: Contract) -> SelfAssessment:
    """:func:`read_self_assessment` on an opened package of a known template version."""
    try:
        model = load_edition(pkg.meta.get("model_edition", ""))
    except ValueError:
        raise WorkbookError(pkg.issue(
            "unsupported-template-version",
            f"model edition {pkg.meta.get('model_edition')!r} is not one this release knows", META_SHEET,
        )) from None
    reading = Reading(pkg, contract)
    cover = _read_cover(reading)
    answers, statuses, invalid = _read_elements(reading, model)
    strands = _rate_strands(reading, model, answers, statuses, invalid)
    return SelfAssessment(
        file=pkg.display,
        template_version=contract.version,
        edition=model.edition,
        overall_score=overall_score(s.score for s in strands),
        strands=strands,
        elements=answers,
        issues=reading.found.issues,
        input_hash=reading.input_hash,
        **cover,
    )


def _read_cover(reading: Reading) -> dict[str, Any]:
    found = reading.found
    org = reading.named("OrgName")
    organisation = cells.text(org.value)
    if organisation is None and org.found:
        found.add("missing-org-name", "the organisation name is blank", org.place)
    org_type = reading.named("OrgType")
    region = reading.named("Region")
    assessment_type = reading.named("AssessmentType")
    date = reading.named("AssessmentDate")
    return {
        "organisation": organisation,
        "org_type": found.choice(org_type.value, ORG_TYPES, what="Organisation type", code="unknown-org-type",
                                 place=org_type.place, required=False),
        "region": found.choice(region.value, REGIONS, what="Region", code="unknown-region", place=region.place,
                               required=region.found, match=match_region),
        "assessment_type": found.choice(assessment_type.value, ASSESSMENT_TYPES, what="Assessment type",
                                        code="unknown-assessment-type", place=assessment_type.place,
                                        required=assessment_type.found),
        "assessor": cells.text(reading.named("AssessorName").value),
        "assessment_date": found.date(date.value, what="Assessment date", place=date.place),
    }


class _StatusCells:
    """Where each element's status is: its row, made a :class:`Place` only when an issue needs one."""

    def __init__(self, table: TableRows):
        self._table = table
        self.rows: dict[str, int] = {}  # element ID -> 0-based data row

    def place(self, element_id: str) -> Place:
        return self._table.data.place(self.rows[element_id], self._table.positions["status"])


def _read_elements(reading: Reading, model: Edition) -> tuple[list[ElementAnswer], _StatusCells, set[str]]:
    """The answers in model order, where each element's status is, and the elements whose status is unknown.

    The rows are read by column position, the hot loop of a bulk import; a
    row's cells become places only for its issues.
    """
    table = reading.table("Elements", required=("id", "status"))
    found = reading.found
    data, at = table.data, table.positions
    id_at, status_at, evidence_at = at["id"], at["status"], at.get("evidence")
    shown_at = [(key, at[key]) for key in ("strand", "level") if key in at]
    status_letter, first_row = data.letters[status_at], data.first_row
    answers: dict[str, ElementAnswer] = {}
    statuses = _StatusCells(table)
    invalid: set[str] = set()  # elements with an unknown status: errors already, so not "unanswered"
    for index, values in enumerate(data.rows):
        element_id = cells.text(values[id_at])
        if element_id is None:
            if any(cells.text(values[position]) for position in at.values()):
                found.add("unknown-element", "a row with no element ID; give it back its ID",
                          data.place(index, id_at))
            continue
        element = model.element(element_id) if model.has_element(element_id) else None
        if element is None or not element.scored:
            found.add("unknown-element", f"{element_id!r} is not a scored element of the {model.edition} model",
                      data.place(index, id_at))
            continue
        if element_id in answers:
            found.add("duplicate-element", f"{element_id} appears more than once; the first row was used",
                      data.place(index, id_at))
            continue
        for key, position in shown_at:
            expected, shown = getattr(element, key), values[position]
            if shown != expected and cells.text(shown) != expected:
                found.add("element-moved", f"{element_id} belongs to {expected!r}, but the row says "
                          f"{cells.text(shown)!r}", data.place(index, position))
        statuses.rows[element_id] = index
        raw = values[status_at]
        try:
            parsed = parse_status(None if raw == "" else raw)
        except StatusError:  # the value as the officer typed it: 1, not 1.0
            found.add("unknown-status", f"{element_id}: {cells.shown(raw)} is not a status; use Achieved, In "
                      "progress, Not started or Not applicable", statuses.place(element_id))
            parsed = None
            invalid.add(element_id)
        if parsed is not None and parsed.normalised:
            found.add("value-normalised", f"{element_id}: status {raw!r} read as {parsed.status.value!r}; "
                      "pick it from the dropdown so the workbook counts it too", statuses.place(element_id))
        answers[element_id] = ElementAnswer(
            id=element_id,
            strand=element.strand,
            level=element.level,
            status=parsed.status.value if parsed and parsed.status else None,
            evidence=cells.text(values[evidence_at]) if evidence_at is not None else None,
            cell=f"{status_letter}{first_row + index}",
        )

    ordered = []
    for element in model.scored_elements:
        if element.id in answers:
            ordered.append(answers[element.id])
        else:
            found.add("missing-element", f"{element.id} ({element.strand}, {element.level}) is missing from the "
                      "Elements table; it counts as not answered", Place(table.sheet, table="Elements"))
    return ordered, statuses, invalid


def _rate_strands(reading: Reading, model: Edition, answers: list[ElementAnswer],
                  statuses: _StatusCells, invalid: set[str]) -> list[StrandRating]:
    # Tally statuses per strand and level in one pass; elements missing from
    # the table count as unanswered, as the workbook's COUNTIFS would see them.
    tally: dict[tuple[str, str], Counter] = {}
    for element in model.scored_elements:
        key = (element.strand, element.level)
        if key not in tally:
            tally[key] = Counter()
        tally[key][None] += 1
    by_strand: dict[str, list[ElementAnswer]] = defaultdict(list)
    for answer in answers:
        by_strand[answer.strand].append(answer)
        counter = tally[answer.strand, answer.level]
        counter[None] -= 1
        counter[answer.status] += 1
    shown = _shown_ratings(reading)
    found = reading.found
    strands = []
    for strand in model.strand_names:
        levels = [_level_counts(level, tally[strand, level]) for level in SCORED_LEVELS]
        # A status that is not one of the four is still an answer to the workbook's formulas (the cell is
        # not blank), so it keeps a strand from showing Not rated there and here alike.
        typed = [sum(1 for r in by_strand[strand] if r.level == c.level and r.id in invalid) for c in levels] \
            if invalid else [0] * len(levels)
        rating = rate([LevelCount(c.applicable, c.achieved, c.elements - c.unanswered + extra)
                       for c, extra in zip(levels, typed)])
        _check_levels(strand, by_strand[strand], levels, statuses, invalid, found)
        target = _read_target(strand, shown.get(strand, {}).get("target", Named()), rating.score, found)
        _compare_cached(strand, shown.get(strand, {}), rating, UNRATED_SHOWN[reading.contract.version], found)
        target_score = label_score(target) if target else None
        strands.append(StrandRating(
            strand=strand,
            current=rating.label,
            score=rating.score,
            target=target,
            target_score=target_score,
            gap=None if target_score is None or rating.score is None else target_score - rating.score,
            plus_rule=rating.plus_rule,
            levels=levels,
        ))
    return strands


_ACHIEVED, _IN_PROGRESS, _NOT_STARTED, _NOT_APPLICABLE = (status.value for status in (
    Status.ACHIEVED, Status.IN_PROGRESS, Status.NOT_STARTED, Status.NOT_APPLICABLE))


def _level_counts(level: str, statuses: Counter) -> LevelCounts:
    return LevelCounts(
        level=level,
        elements=sum(statuses.values()),
        achieved=statuses[_ACHIEVED],
        in_progress=statuses[_IN_PROGRESS],
        not_started=statuses[_NOT_STARTED],
        not_applicable=statuses[_NOT_APPLICABLE],
        unanswered=statuses[None],
    )


def _check_levels(strand: str, rows: list[ElementAnswer], levels: list[LevelCounts], statuses: _StatusCells,
                  invalid: set[str], found: Collector) -> None:
    blank = [r for r in rows if r.status is None and r.id not in invalid]
    if blank:
        ids = ", ".join(r.id for r in blank[:8]) + (", ..." if len(blank) > 8 else "")
        found.add("unanswered", f"{strand}: {len(blank)} element(s) have no status yet ({ids})",
                  statuses.place(blank[0].id))

    def first_place(level: str) -> Place:
        return next((statuses.place(r.id) for r in rows if r.level == level), Place())

    for counts in levels:
        if counts.elements and counts.applicable == 0:
            found.add("level-all-not-applicable",
                      f"{strand}, {counts.level}: every element is Not applicable, so the level cannot be assessed",
                      first_place(counts.level))
    complete = [c.applicable >= 1 and c.achieved == c.applicable for c in levels]
    for lower in range(len(levels)):
        if not complete[lower] and any(complete[lower + 1:]) and levels[lower].applicable:
            higher = SCORED_LEVELS[max(i for i, done in enumerate(complete) if done)]
            open_ids = [r.id for r in rows if r.level == levels[lower].level
                        and r.status not in (_ACHIEVED, _NOT_APPLICABLE)]
            found.add("lower-level-incomplete",
                      f"{strand}: {higher} is complete but {levels[lower].level} still has open elements "
                      f"({', '.join(open_ids)})", first_place(levels[lower].level))


def _shown_ratings(reading: Reading) -> dict[str, dict[str, Named]]:
    """Ratings table values by strand: column key -> value and place."""
    table = reading.table("Ratings", required=("strand",))
    shown: dict[str, dict[str, Named]] = {}
    for row in table:
        strand = row.text("strand")
        if strand is not None:
            shown[strand] = {key: Named(row.get(key), row.place(key))
                             for key in ("current", "score", "target") if key in table.positions}
    return shown


def _read_target(strand: str, target: Named, score: float | None, found: Collector) -> str | None:
    if not target.found:
        found.add("missing-target", f"{strand}: no row in the Ratings table, so no target")
        return None
    if cells.text(target.value) is None:
        found.add("missing-target", f"{strand}: no target rating", target.place)
        return None
    label = found.choice(target.value, LABELS, what=f"{strand}: target", code="unknown-target", place=target.place)
    if label is not None and score is not None and label_score(label) < score:
        found.add("target-below-current", f"{strand}: the target {label!r} is below the current rating", target.place)
    return label


def _compare_cached(strand: str, shown: dict[str, Named], rating: Rating, unrated_shown: tuple[str, float | None],
                    found: Collector) -> None:
    """Warn where a formula's cached value disagrees with the recomputed rating.

    A strand not rated yet is compared with what its template's formulas
    show for one (``unrated_shown``: "Not rated" and a blank score since
    template 2.0; template 1.0 showed Early and 1).
    """
    expected_values = (rating.label, rating.score) if rating.rated else unrated_shown
    for key, expected in zip(("current", "score"), expected_values):
        value = shown.get(key, Named()).value
        if value in (None, ""):
            continue  # never calculated (written by lga_xl, not yet opened in Excel), or a blank score
        same = (value == expected) if key == "current" else _number_equal(value, expected)
        if not same:
            found.add("cached-value-mismatch",
                      f"{strand}: the workbook shows {key.capitalize()} {value!r} but the statuses give "
                      f"{expected!r}; has the formula been typed over?", shown[key].place)


def _number_equal(value: Any, expected: float | None) -> bool:
    if expected is None:
        return False
    try:
        return abs(float(value) - expected) < 1e-9
    except (TypeError, ValueError):
        return False
