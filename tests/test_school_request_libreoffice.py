"""LibreOffice recalculates every request's costs, checks and totals to the reader's values.

All the workbooks are recalculated in one LibreOffice run (a module fixture).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from lga_xl import a1
from lga_xl.contracts.school_request import CONTRACT, OVER_SHARE_ROW, REQUESTS, SHARE
from lga_xl.readers.school_request import read_school_request
from lga_xl.samples import sample_school_request
from lga_xl.writers.school_request import new_school_request
from tests.school_request_cases import edge_request
from tests.support.libreoffice import model_value, recalculated_value

CASES = ["edge", "blank", "sample-1", "sample-2", "sample-3"]


@pytest.fixture(scope="module")
def requests(tmp_path_factory, libreoffice) -> dict[str, tuple[Path, Path]]:
    """name -> (written, recalculated by LibreOffice)."""
    folder = tmp_path_factory.mktemp("requests")
    written = {"edge": edge_request(folder / "edge_request.xlsx"),
               "blank": new_school_request(folder / "blank_request.xlsx")}
    for seed in (1, 2, 3):
        written[f"sample-{seed}"] = sample_school_request(folder / f"sample_request_{seed}.xlsx", seed=seed)
    recalculated = libreoffice(list(written.values()))
    return {name: (path, recalculated[path]) for name, path in written.items()}



@pytest.mark.libreoffice
@pytest.mark.parametrize("name", CASES)
def test_each_rows_costs_and_check_recalculate_to_the_readers_values(requests, name):
    written, recalculated = requests[name]
    result = read_school_request(written)
    ws = openpyxl.load_workbook(recalculated, data_only=True)[REQUESTS.sheet]
    assert result.requests or name == "blank"
    for start in result.requests:
        for key in ("duration_months", "band_max", "in_year_cost", "check"):
            assert recalculated_value(ws[REQUESTS.cell(key, start.row)].value) == model_value(getattr(start, key)), (
                name, start.row, key)
        assert recalculated_value(ws[REQUESTS.cell("reference", start.row)].value) == start.standard, (name, start.row)
    empty = REQUESTS.first_row + len(result.requests)  # rows below the requests show nothing worked out
    assert all(recalculated_value(ws[REQUESTS.cell(key, empty)].value) is None for key in REQUESTS.keys("formula")
               if not REQUESTS.column(key).hidden)


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", CASES)
def test_the_totals_and_the_share_left_recalculate_to_the_readers_values(requests, name):
    written, recalculated = requests[name]
    result = read_school_request(written)
    wb = openpyxl.load_workbook(recalculated, data_only=True)
    for total in (*SHARE.names, CONTRACT.name("PlanEnd")):
        sheet, cell = CONTRACT.address(total.name)
        value = wb[sheet][cell].value
        expected = getattr(result, total.field)
        if total.kind == "date":
            assert value.date() == expected, (name, total.name)
        else:
            assert recalculated_value(value) == model_value(expected), (name, total.name)


@pytest.mark.libreoffice
def test_the_over_share_note_shows_when_the_requests_cost_more_than_is_left(requests):
    _, recalculated = requests["edge"]
    ws = openpyxl.load_workbook(recalculated, data_only=True)[SHARE.sheet]
    assert "more this year than is left of your share" in ws[a1.cell(OVER_SHARE_ROW, SHARE.label_column)].value
    _, sample = requests["sample-2"]
    assert not openpyxl.load_workbook(sample, data_only=True)[SHARE.sheet][a1.cell(OVER_SHARE_ROW,
                                                                                   SHARE.label_column)].value


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", CASES)
def test_the_recalculated_request_reads_as_the_written_one_with_no_mismatch(requests, name):
    written, recalculated = requests[name]
    before, after = read_school_request(written), read_school_request(recalculated)
    assert not [issue for issue in after.issues if issue.code == "cached-value-mismatch"]
    assert [(i.code, i.cell) for i in after.issues] == [(i.code, i.cell) for i in before.issues]
    assert (after.requests, after.requests_in_year) == (before.requests, before.requests_in_year)
    assert after.input_hash == before.input_hash
