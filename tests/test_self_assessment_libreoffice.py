"""The workbook's own formulas, recalculated by LibreOffice, against Python.

Every strand's Current and Score on the Summary sheet must equal
:func:`lga_xl.rating.rate` on the same statuses, for edge cases and for
hundreds of random fillings; and a workbook filled in with openpyxl, saved
through LibreOffice, must read back with identical statuses and ratings.
"""

from __future__ import annotations

import random

import openpyxl
import pytest
import python_calamine

from lga_xl.contracts.self_assessment import RATINGS
from lga_xl.maturity import load_edition
from lga_xl.rating import LABELS, STATUSES
from lga_xl.readers.self_assessment import read_self_assessment
from lga_xl.writers.self_assessment import new_self_assessment
from tests.support.fillings import edge_case_answers, python_ratings, random_answers

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
    outputs = libreoffice([path for *_, path in written])
    return [(name, answers, targets, outputs[path]) for name, answers, targets, path in written]


def summary_rows(path):
    """Strand -> the Ratings table row, as LibreOffice calculated it."""
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_name("Summary").to_python(skip_empty_area=False)
    header = rows[RATINGS.header_row - 1]
    assert header[:4] == ["Strand", "Current", "Score", "Target"]
    table = {}
    for row in rows[RATINGS.header_row:RATINGS.header_row + len(MODEL.strands)]:
        table[row[0]] = dict(zip(header, row))
    overall = rows[2][2]
    return table, overall


def test_there_are_enough_fillings(recalculated):
    assert len(recalculated) >= 200


def test_workbook_ratings_equal_python_for_every_filling(recalculated):
    mismatches = []
    for name, answers, _targets, path in recalculated:
        table, overall = summary_rows(path)
        expected = python_ratings(MODEL, answers)
        for strand, (label, score, counts) in expected.items():
            row = table[strand]
            got = (row["Current"], row["Score"])
            if got != (label, score):
                mismatches.append(f"{name} {strand}: workbook {got}, python {(label, score)}")
            workbook_counts = [row["Developing achieved"], row["Developing applicable"], row["Maturing achieved"],
                               row["Maturing applicable"], row["Mature achieved"], row["Mature applicable"]]
            python_counts = [n for c in counts for n in (c.achieved, c.applicable)]
            if workbook_counts != python_counts:
                mismatches.append(f"{name} {strand}: counts {workbook_counts} != {python_counts}")
        expected_overall = round(sum(score for _, score, _ in expected.values()) / len(expected), 2)
        if abs(overall - expected_overall) > 1e-9:
            mismatches.append(f"{name}: overall {overall} != {expected_overall}")
    assert mismatches == []


def test_every_plus_path_and_level_occurs(recalculated):
    seen = set()
    for _, answers, _, _ in recalculated:
        for label, _, _ in python_ratings(MODEL, answers).values():
            seen.add(label)
    assert seen == set(LABELS)


def test_target_score_and_gap_follow_the_target(recalculated):
    for name, answers, targets, path in recalculated[:40]:
        table, _ = summary_rows(path)
        expected = python_ratings(MODEL, answers)
        for strand in MODEL.strand_names:
            row = table[strand]
            if strand in targets:
                target_score = (LABELS.index(targets[strand]) + 2) / 2
                assert row["Target score"] == target_score, name
                assert row["Gap to target"] == pytest.approx(target_score - expected[strand][1]), name
            else:
                assert row["Target score"] in ("", None), name


def test_reader_agrees_with_the_recalculated_workbook(recalculated):
    """Cached values now exist: the reader must find them all consistent."""
    for name, answers, _, path in recalculated[::10]:
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
    assert [table_after[s]["Current"] for s in MODEL.strand_names] == [expected[s][0] for s in MODEL.strand_names]
    assert [i for i in result.issues if i.code == "cached-value-mismatch"] == []
