"""Reading a returned self-assessment and checking it.

Ratings are always recomputed from the statuses with :mod:`lga_xl.rating`;
a formula value cached in the file is only compared, and a difference is
reported (someone may have typed over a formula).  Everything is found by
table and defined name, so re-sorted rows, moved tables and files re-saved
by Excel or LibreOffice read the same.

Example:
    >>> import tempfile, pathlib
    >>> from lga_xl.writers.self_assessment import new_self_assessment
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

from ..issues import WorkbookError
from ..maturity import Edition, load_edition
from ..models import ElementAnswer, LevelCounts, SelfAssessment, StrandRating
from ..rating import (
    LABELS,
    SCORED_LEVELS,
    LevelCount,
    Status,
    StatusError,
    label_score,
    parse_status,
    rate,
)
from ..reference import ASSESSMENT_TYPES, ORG_TYPES, REGIONS
from ..writers.self_assessment import COVER_FIELDS, KIND, TEMPLATE_VERSION
from .fields import Collector, as_text
from .package import Package, open_package

SUPPORTED_VERSIONS = (TEMPLATE_VERSION,)


def read_self_assessment(path: str | Path, *, display: str | None = None) -> SelfAssessment:
    """Read, recompute and validate a self-assessment workbook.

    Problems inside the file are returned in ``result.issues``; a file that
    cannot be read as a self-assessment at all raises
    :class:`~lga_xl.issues.WorkbookError` whose ``issue`` says why.
    """
    with open_package(path, display) as pkg:
        return read_self_assessment_package(pkg)


def read_self_assessment_package(pkg: Package) -> SelfAssessment:
    """:func:`read_self_assessment` on an already opened package."""
    pkg.require_template(KIND, SUPPORTED_VERSIONS)
    try:
        model = load_edition(pkg.meta.get("model_edition", ""))
    except ValueError:
        raise WorkbookError(pkg.issue(
            "unsupported-template-version",
            f"model edition {pkg.meta.get('model_edition')!r} is not one this release knows",
            "lga_xl",
        )) from None
    found = Collector(pkg.display)
    if pkg.has_macros:
        found.add("has-macros", "the workbook contains macros; they were ignored and not run")
    cover = _read_cover(pkg, found)
    answers, elements_sheet = _read_elements(pkg, model, found)
    strands = _rate_strands(pkg, model, answers, elements_sheet, found)
    overall = round(sum(s.score for s in strands) / len(strands), 2)
    return SelfAssessment(
        file=pkg.display,
        template_version=pkg.meta["template_version"],
        edition=model.edition,
        overall_score=overall,
        strands=strands,
        elements=answers,
        issues=found.issues,
        input_hash=pkg.input_hash(
            tuple(name for name, _, _ in COVER_FIELDS),
            {"Elements": ("ID", "Status", "Evidence"), "Ratings": ("Strand", "Target")},
        ),
        **cover,
    )


def _named(pkg: Package, found: Collector, name: str) -> tuple[Any, str | None, str | None]:
    target = pkg.name_value(name)
    if target is None:
        found.add("missing-name", f"the named cell {name} is missing (deleted?)")
        return None, None, None
    return target.value, target.sheet, target.cell


def _read_cover(pkg: Package, found: Collector) -> dict[str, Any]:
    org, sheet, cell = _named(pkg, found, "OrgName")
    organisation = as_text(org)
    if organisation is None and sheet is not None:
        found.add("missing-org-name", "the organisation name is blank", sheet, cell)
    value, sheet, cell = _named(pkg, found, "OrgType")
    org_type = found.choice(value, ORG_TYPES, what="Organisation type", code="unknown-org-type",
                            sheet=sheet, cell=cell, required=False)
    value, sheet, cell = _named(pkg, found, "Region")
    region = found.choice(value, REGIONS, what="Region", code="unknown-region", sheet=sheet, cell=cell,
                          required=sheet is not None)
    value, sheet, cell = _named(pkg, found, "AssessmentType")
    assessment_type = found.choice(value, ASSESSMENT_TYPES, what="Assessment type", code="unknown-assessment-type",
                                   sheet=sheet, cell=cell, required=sheet is not None)
    assessor, _, _ = _named(pkg, found, "AssessorName")
    value, sheet, cell = _named(pkg, found, "AssessmentDate")
    date = found.date(value, what="Assessment date", sheet=sheet, cell=cell)
    return {
        "organisation": organisation,
        "org_type": org_type,
        "region": region,
        "assessment_type": assessment_type,
        "assessor": as_text(assessor),
        "assessment_date": date,
    }


def _read_elements(pkg: Package, model: Edition, found: Collector) -> tuple[list[ElementAnswer], str]:
    """The answers in model order, and the sheet the Elements table is on."""
    table = pkg.table("Elements")
    sheet = table.sheet
    col = {name: table.column_index(name) for name in ("ID", "Strand", "Level", "Status", "Evidence")}
    for required in ("ID", "Status"):
        if col[required] is None:
            raise WorkbookError(pkg.issue(
                "missing-column", f"the Elements table has no {required} column (renamed or deleted?)", sheet))

    answers: dict[str, ElementAnswer] = {}
    for i, row in enumerate(table.rows):
        element_id = as_text(row[col["ID"]])
        if element_id is None:
            if any(as_text(v) for v in row):
                found.add("unknown-element", "a row with no element ID; give it back its ID", sheet,
                          table.cell(i, col["ID"]))
            continue
        element = model.element(element_id) if model.has_element(element_id) else None
        if element is None or not element.scored:
            found.add("unknown-element", f"{element_id!r} is not a scored element of the {model.edition} model",
                      sheet, table.cell(i, col["ID"]))
            continue
        if element_id in answers:
            found.add("duplicate-element", f"{element_id} appears more than once; the first row was used",
                      sheet, table.cell(i, col["ID"]))
            continue
        for name, expected in (("Strand", element.strand), ("Level", element.level)):
            if col[name] is not None and row[col[name]] != expected and as_text(row[col[name]]) != expected:
                found.add("element-moved", f"{element_id} belongs to {expected!r}, but the row says "
                          f"{as_text(row[col[name]])!r}", sheet, table.cell(i, col[name]))
        status_cell = table.cell(i, col["Status"])
        raw = row[col["Status"]]
        try:
            parsed = parse_status(raw)
        except StatusError as exc:
            found.add("unknown-status", f"{element_id}: {exc}", sheet, status_cell)
            parsed = None
        if parsed is not None and parsed.normalised:
            found.add("value-normalised", f"{element_id}: status {raw!r} read as {parsed.status.value!r}; "
                      "pick it from the dropdown so the workbook counts it too", sheet, status_cell)
        answers[element_id] = ElementAnswer(
            id=element_id,
            strand=element.strand,
            level=element.level,
            status=parsed.status.value if parsed and parsed.status else None,
            evidence=as_text(row[col["Evidence"]]) if col["Evidence"] is not None else None,
            cell=status_cell,
        )

    ordered = []
    for element in model.scored_elements:
        if element.id in answers:
            ordered.append(answers[element.id])
        else:
            found.add("missing-element", f"{element.id} ({element.strand}, {element.level}) is missing from the "
                      "Elements table; it counts as not answered", sheet)
    return ordered, sheet


def _rate_strands(
    pkg: Package, model: Edition, answers: list[ElementAnswer], sheet: str, found: Collector
) -> list[StrandRating]:
    # Tally statuses per strand and level in one pass; elements missing from
    # the table count as unanswered, as the workbook's COUNTIFS would see them.
    tally: dict[tuple[str, str], Counter] = {(e.strand, e.level): Counter() for e in model.scored_elements}
    for element in model.scored_elements:
        tally[element.strand, element.level][None] += 1
    by_strand: dict[str, list[ElementAnswer]] = defaultdict(list)
    for answer in answers:
        by_strand[answer.strand].append(answer)
        counter = tally[answer.strand, answer.level]
        counter[None] -= 1
        counter[answer.status] += 1
    shown = _shown_ratings(pkg, found)
    strands = []
    for strand in model.strand_names:
        levels = [_level_counts(level, tally[strand, level]) for level in SCORED_LEVELS]
        rating = rate([LevelCount(c.applicable, c.achieved) for c in levels])
        _check_levels(strand, by_strand[strand], levels, sheet, found)
        target_text, target_sheet, target_cell = shown.get(strand, {}).get("Target", (None, None, None))
        target = _read_target(strand, target_text, rating.score, target_sheet, target_cell, found)
        _compare_cached(strand, shown.get(strand, {}), rating, found)
        target_score = label_score(target) if target else None
        strands.append(StrandRating(
            strand=strand,
            current=rating.label,
            score=rating.score,
            target=target,
            target_score=target_score,
            gap=None if target_score is None else target_score - rating.score,
            plus_rule=rating.plus_rule,
            levels=levels,
        ))
    return strands


def _level_counts(level: str, statuses: Counter) -> LevelCounts:
    return LevelCounts(
        level=level,
        elements=sum(statuses.values()),
        achieved=statuses[Status.ACHIEVED.value],
        in_progress=statuses[Status.IN_PROGRESS.value],
        not_started=statuses[Status.NOT_STARTED.value],
        not_applicable=statuses[Status.NOT_APPLICABLE.value],
        unanswered=statuses[None],
    )


def _check_levels(
    strand: str, rows: list[ElementAnswer], levels: list[LevelCounts], sheet: str, found: Collector
) -> None:
    blank = [r for r in rows if r.status is None]
    if blank:
        ids = ", ".join(r.id for r in blank[:8]) + (", ..." if len(blank) > 8 else "")
        found.add("unanswered", f"{strand}: {len(blank)} element(s) have no status yet ({ids})", sheet, blank[0].cell)
    first_cell = {lv: next((r.cell for r in rows if r.level == lv), None) for lv in SCORED_LEVELS}
    for counts in levels:
        if counts.elements and counts.applicable == 0:
            found.add("level-all-not-applicable",
                      f"{strand}, {counts.level}: every element is Not applicable, so the level cannot be assessed",
                      sheet, first_cell[counts.level])
    complete = [c.applicable >= 1 and c.achieved == c.applicable for c in levels]
    for lower in range(len(levels)):
        if not complete[lower] and any(complete[lower + 1:]) and levels[lower].applicable:
            higher = SCORED_LEVELS[max(i for i, done in enumerate(complete) if done)]
            open_ids = [r.id for r in rows if r.level == levels[lower].level
                        and r.status not in (Status.ACHIEVED.value, Status.NOT_APPLICABLE.value)]
            found.add("lower-level-incomplete",
                      f"{strand}: {higher} is complete but {levels[lower].level} still has open elements "
                      f"({', '.join(open_ids)})", sheet, first_cell[levels[lower].level])


def _shown_ratings(pkg: Package, found: Collector) -> dict[str, dict[str, tuple[Any, str, str]]]:
    """Ratings table values by strand: column -> (value, sheet, cell)."""
    table = pkg.table("Ratings")
    strand_col = table.column_index("Strand")
    if strand_col is None:
        raise WorkbookError(pkg.issue("missing-column", "the Ratings table has no Strand column", table.sheet))
    wanted = {name: table.column_index(name) for name in ("Current", "Score", "Target")}
    shown: dict[str, dict[str, tuple[Any, str, str]]] = {}
    for i, row in enumerate(table.rows):
        strand = as_text(row[strand_col])
        if strand is None:
            continue
        shown[strand] = {
            name: (row[index] if index < len(row) else None, table.sheet, table.cell(i, index))
            for name, index in wanted.items() if index is not None
        }
    return shown


def _read_target(strand: str, value: Any, score: float, sheet: str | None, cell: str | None,
                 found: Collector) -> str | None:
    if sheet is None:
        found.add("missing-target", f"{strand}: no row in the Ratings table, so no target")
        return None
    if as_text(value) is None:
        found.add("missing-target", f"{strand}: no target rating", sheet, cell)
        return None
    target = found.choice(value, LABELS, what=f"{strand}: target", code="unknown-target", sheet=sheet, cell=cell)
    if target is not None and label_score(target) < score:
        found.add("target-below-current",
                  f"{strand}: the target {target!r} is below the current rating", sheet, cell)
    return target


def _compare_cached(strand: str, shown: dict[str, tuple[Any, str, str]], rating, found: Collector) -> None:
    """Warn where a formula's cached value disagrees with the recomputed rating."""
    for column, expected in (("Current", rating.label), ("Score", rating.score)):
        value, sheet, cell = shown.get(column, (None, None, None))
        if value in (None, ""):
            continue  # never calculated (written by lga_xl, not yet opened in Excel)
        same = (value == expected) if column == "Current" else _number_equal(value, expected)
        if not same:
            found.add("cached-value-mismatch",
                      f"{strand}: the workbook shows {column} {value!r} but the statuses give {expected!r}; "
                      "has the formula been typed over?", sheet, cell)


def _number_equal(value: Any, expected: float) -> bool:
    try:
        return abs(float(value) - expected) < 1e-9
    except (TypeError, ValueError):
        return False
