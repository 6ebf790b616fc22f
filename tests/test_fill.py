"""Filled copies of a template: the same workbook as the writer makes, without rebuilding it."""

from __future__ import annotations

import datetime as dt
import random

import openpyxl
import pytest

from lga_xl.contracts.self_assessment import CONTRACT, COVER, ELEMENTS, RATINGS
from lga_xl.maturity import load_edition
from lga_xl.readers import read_workbook
from lga_xl.samples import sample_answers
from lga_xl.writers.fill import FillError, Template
from lga_xl.writers.self_assessment import new_self_assessment

MODEL = load_edition()


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return Template.from_path(new_self_assessment(tmp_path_factory.mktemp("t") / "blank.xlsx"))


def filled_values(answers, evidence, targets, cover):
    values = {(COVER.sheet, COVER.cell(name)): value for name, value in cover.items()}
    for row, element in enumerate(MODEL.scored_elements, start=ELEMENTS.first_row):
        values[(ELEMENTS.sheet, ELEMENTS.cell("status", row))] = answers.get(element.id)
        values[(ELEMENTS.sheet, ELEMENTS.cell("evidence", row))] = evidence.get(element.id)
    for row, strand in enumerate(MODEL.strand_names, start=RATINGS.first_row):
        values[(RATINGS.sheet, RATINGS.cell("target", row))] = targets.get(strand)
    return values


@pytest.mark.parametrize("seed", range(5))
def test_a_filled_copy_reads_as_the_writer_made_one(template, tmp_path, seed):
    answers, evidence, targets = sample_answers(random.Random(seed))
    cover = {"OrgName": "King's Lynn & West Norfolk <Borough> Council", "OrgType": "District council",
             "Region": "East of England", "AssessmentType": "Self", "AssessorName": " Jo  Bloggs ",
             "AssessmentDate": dt.date(2026, 9, 30)}
    written = new_self_assessment(tmp_path / "written.xlsx", org_name=cover["OrgName"], org_type=cover["OrgType"],
                                  region=cover["Region"], assessor=cover["AssessorName"],
                                  assessment_date=cover["AssessmentDate"], answers=answers, evidence=evidence,
                                  targets=targets)
    copy = template.fill(tmp_path / "copy.xlsx", filled_values(answers, evidence, targets, cover))
    expected = read_workbook(written).model_dump(exclude={"file"})
    assert read_workbook(copy).model_dump(exclude={"file"}) == expected


def test_text_stays_text_and_dates_keep_the_cells_date_style(template, tmp_path):
    copy = template.fill(tmp_path / "copy.xlsx", {
        ("Cover", CONTRACT.address("OrgName")[1]): '=HYPERLINK("http://x")',
        ("Cover", CONTRACT.address("AssessmentDate")[1]): dt.date(2026, 11, 30),
    })
    ws = openpyxl.load_workbook(copy)["Cover"]
    org, date = ws[CONTRACT.address("OrgName")[1]], ws[CONTRACT.address("AssessmentDate")[1]]
    assert (org.value, org.data_type) == ('=HYPERLINK("http://x")', "s")
    assert date.value == dt.datetime(2026, 11, 30) and date.number_format == "dd/mm/yyyy"
    assert org.fill.fgColor.rgb == ws[COVER.cell("Region")].fill.fgColor.rgb  # the input's style is kept


def test_cells_the_template_has_no_element_for_are_added_in_order(template, tmp_path):
    copy = template.fill(tmp_path / "copy.xlsx", {("Cover", "H30"): "far", ("Cover", "H4"): 3, ("Cover", "A3"): True})
    ws = openpyxl.load_workbook(copy)["Cover"]
    assert (ws["H30"].value, ws["H4"].value, ws["A3"].value) == ("far", 3, True)
    assert ws[COVER.cell("OrgName")].value is None and ws["A4"].value == "Organisation name"


def test_the_template_itself_is_left_as_it_was(template, tmp_path):
    before = dict(template.parts)
    template.fill(tmp_path / "copy.xlsx", {("Cover", "B4"): "Exampleshire"})
    assert template.parts == before


@pytest.mark.parametrize(("values", "message"), [
    ({("Nowhere", "A1"): 1}, "no sheet 'Nowhere'"),
    ({("Cover", "B4:B5"): 1}, "is not a cell"),
])
def test_impossible_places_are_refused(template, tmp_path, values, message):
    with pytest.raises(FillError, match=message):
        template.fill(tmp_path / "copy.xlsx", values)
