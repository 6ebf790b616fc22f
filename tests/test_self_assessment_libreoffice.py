"""The workbook's own formulas, recalculated by LibreOffice, against Python.

Every strand's current rating, score and counts on the Summary sheet must
equal :func:`lga_xl.rating.rate` on the same statuses, for edge cases and for
hundreds of random fillings (a strand with no answer shows Not rated and no
score, and the overall score is the mean of the rated strands); a workbook
filled in with openpyxl, saved through LibreOffice, must read back with
identical statuses and ratings; and a return made on template 1.0 with a
strand left blank reads without a false alarm about its cached Early.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import openpyxl
import pytest
import python_calamine

from lga_xl.contracts.self_assessment import CONTRACT, ELEMENTS, RATINGS
from lga_xl.maturity import load_edition
from lga_xl.rating import LABELS, NOT_RATED, STATUSES, overall_score
from lga_xl.readers.self_assessment import read_self_assessment
from lga_xl.writers.self_assessment import new_self_assessment
from tests.support.fillings import edge_case_answers, python_ratings, random_answers

REPO = Path(__file__).resolve().parents[1]
RANDOM_FILLINGS = 220
MODEL = load_edition()


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory, libreoffice):
    """(name, answers, targets, recalculated path) for every filling."""
    folder = tmp_path_factory.mktemp("fillings")
    rng = random.Random(20261123)
    cases = list(edge_case_answers(MODEL).items())
    cases += [(f"random{i}", random_answers(rng, MODEL)) for i in range(RANDOM_FILLINGS)]
    written = []
    for i, (name, answers) in enumerate(cases):
        targets = {s: rng.choice(LABELS) for s in MODEL.strand_names if rng.random() < 0.8}
        path = new_self_assessment(folder / f"{i:03d}-{name}.xlsx", org_name=f"Council {i}", region="London",
                                   answers=answers, targets=targets)
        written.append((name, answers, targets, path))
    written.append(("release-0.1.0-engagement-blank", {}, {}, release_0_1_0_with_engagement_blank(folder)))
    outputs = libreoffice.values([path for *_, path in written])
    return [(name, answers, targets, outputs[path]) for name, answers, targets, path in written]


def release_0_1_0_with_engagement_blank(folder: Path) -> Path:
    """0.1.0's self-assessment return (template 1.0) with every Engagement status cleared."""
    path = Path(shutil.copy(REPO / "tests" / "data" / "release-0.1.0" / "self_assessment.xlsx",
                            folder / "release-0.1.0-engagement-blank.xlsx"))
    wb = openpyxl.load_workbook(path)
    ws = wb[ELEMENTS.sheet]
    for row in ws.iter_rows(min_row=ELEMENTS.first_row):
        if row[ELEMENTS.index("strand")].value == "Engagement":
            row[ELEMENTS.index("status")].value = None
    wb.save(path)
    return path


def cells_of(path):
    return python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Summary").to_python(
        skip_empty_area=False)


def summary_rows(path):
    """(strand -> the Ratings table row by heading, the overall score), as LibreOffice calculated them."""
    rows = cells_of(path)
    header = rows[RATINGS.header_row - 1]
    assert tuple(header[:len(RATINGS.columns)]) == RATINGS.headers
    table = {}
    for row in rows[RATINGS.header_row:RATINGS.header_row + len(MODEL.strands)]:
        table[row[0]] = dict(zip(header, row))
    _, overall_cell = CONTRACT.address("OverallScore")
    column, row = openpyxl.utils.cell.coordinate_from_string(overall_cell)
    overall = rows[row - 1][openpyxl.utils.column_index_from_string(column) - 1]
    return table, overall


def blank_is_none(value):
    """A formula showing "" (a strand not rated, no overall score) as Python's None."""
    return None if value == "" else value


def test_there_are_enough_fillings(recalculated):
    assert len(recalculated) >= 200


def template_2_0(recalculated):
    return [case for case in recalculated if not case[0].startswith("release-0.1.0")]


def test_workbook_ratings_equal_python_for_every_filling(recalculated):
    heading = {key: RATINGS.column(key).header for key in RATINGS.keys()}
    counted = [f"{level}_{count}" for level in ("developing", "maturing", "mature") for count in ("achieved",
                                                                                                  "applicable")]
    mismatches = []
    for name, answers, _targets, path in template_2_0(recalculated):
        table, overall = summary_rows(path)
        expected = python_ratings(MODEL, answers)
        for strand, (label, score, counts) in expected.items():
            row = table[strand]
            got = (row[heading["current"]], blank_is_none(row[heading["score"]]))
            if got != (label, score):
                mismatches.append(f"{name} {strand}: workbook {got}, python {(label, score)}")
            workbook_counts = [row[heading[key]] for key in counted] + [row[heading["unanswered"]]]
            unanswered = sum(1 for e in MODEL.scored_elements if e.strand == strand and e.id not in answers)
            python_counts = [n for c in counts for n in (c.achieved, c.applicable)] + [unanswered]
            if workbook_counts != python_counts:
                mismatches.append(f"{name} {strand}: counts {workbook_counts} != {python_counts}")
        expected_overall = overall_score(score for _, score, _ in expected.values())
        got_overall = blank_is_none(overall)
        if (got_overall is None) != (expected_overall is None) or (
                expected_overall is not None and abs(got_overall - expected_overall) > 1e-9):
            mismatches.append(f"{name}: overall {overall!r} != {expected_overall}")
    assert mismatches == []


def test_a_blank_workbook_shows_every_strand_not_rated(recalculated):
    [(_, _, _, path)] = [case for case in recalculated if case[0] == "all-blank"]
    table, overall = summary_rows(path)
    heading = {key: RATINGS.column(key).header for key in ("current", "score", "gap")}
    assert {(row[heading["current"]], row[heading["score"]], row[heading["gap"]]) for row in table.values()} == {
        (NOT_RATED, "", "")}
    assert overall == ""


def test_some_strands_rated_some_not(recalculated):
    """The random fillings include strands with no answer beside rated ones, and the overall score skips them."""
    mixed = [name for name, answers, _, _ in template_2_0(recalculated)
             if 0 < sum(label == NOT_RATED for label, _, _ in python_ratings(MODEL, answers).values()) < 5]
    assert mixed


def test_every_plus_path_and_level_occurs(recalculated):
    seen = set()
    for _, answers, _, _ in template_2_0(recalculated):
        for label, _, _ in python_ratings(MODEL, answers).values():
            seen.add(label)
    assert seen == {*LABELS, NOT_RATED}


def test_target_score_and_gap_follow_the_target(recalculated):
    for name, answers, targets, path in template_2_0(recalculated)[:40]:
        table, _ = summary_rows(path)
        expected = python_ratings(MODEL, answers)
        for strand in MODEL.strand_names:
            row = table[strand]
            score = expected[strand][1]
            if strand in targets:
                target_score = (LABELS.index(targets[strand]) + 2) / 2
                assert row["Target score"] == target_score, name
                if score is None:
                    assert row["Gap to target"] == "", name
                else:
                    assert row["Gap to target"] == pytest.approx(target_score - score), name
            else:
                assert row["Target score"] in ("", None), name


def test_reader_agrees_with_the_recalculated_workbook(recalculated):
    """Cached values now exist: the reader must find them all consistent."""
    for name, answers, _, path in template_2_0(recalculated)[::10]:
        result = read_self_assessment(path)
        assert [i for i in result.issues if i.code == "cached-value-mismatch"] == [], name
        expected = python_ratings(MODEL, answers)
        assert {s.strand: (s.current, s.score) for s in result.strands} == {
            strand: (label, score) for strand, (label, score, _) in expected.items()
        }


def test_fill_with_openpyxl_save_through_libreoffice_and_read_back(tmp_path, libreoffice):
    template = new_self_assessment(tmp_path / "blank.xlsx")
    rng = random.Random(7)
    wb = openpyxl.load_workbook(template)
    ws = wb["Assessment"]
    table = ws.tables["Elements"]
    first_cell, last_cell = table.ref.split(":")
    header_row = int("".join(ch for ch in first_cell if ch.isdigit()))
    last_row = int("".join(ch for ch in last_cell if ch.isdigit()))
    written = {}
    for row in range(header_row + 1, last_row + 1):
        status = rng.choice([*STATUSES, None])
        ws.cell(row=row, column=5).value = status
        if status:
            written[ws.cell(row=row, column=1).value] = status
    wb.defined_names["OrgName"]  # the cover cells are found through their names
    sheet, cell = next(wb.defined_names["OrgName"].destinations)
    wb[sheet][cell.replace("$", "")] = "Roundtrip Borough Council"
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)

    saved = libreoffice([filled])[filled]
    result = read_self_assessment(saved)
    assert result.organisation == "Roundtrip Borough Council"
    assert {e.id: e.status for e in result.elements if e.status} == written
    expected = python_ratings(MODEL, written)
    assert [(s.current, s.score) for s in result.strands] == [expected[s][:2] for s in MODEL.strand_names]
    table_after, _ = summary_rows(saved)
    current = RATINGS.column("current").header
    assert [table_after[s][current] for s in MODEL.strand_names] == [expected[s][0] for s in MODEL.strand_names]
    assert [i for i in result.issues if i.code == "cached-value-mismatch"] == []


def test_a_release_0_1_0_return_with_a_blank_strand_reads_without_a_false_alarm(recalculated):
    [(_, _, _, path)] = [case for case in recalculated if case[0] == "release-0.1.0-engagement-blank"]
    rows = cells_of(path)
    engagement = next(row for row in rows if row[0] == "Engagement")
    assert engagement[1:3] == ["Early", 1.0]  # what template 1.0's formulas show for a strand with no answer
    result = read_self_assessment(path)
    assert result.template_version == "1.0"
    assert (result.strands[4].current, result.strands[4].score) == (NOT_RATED, None)
    assert [i for i in result.issues if i.code == "cached-value-mismatch"] == []
    assert result.overall_score == overall_score(s.score for s in result.strands[:4])
