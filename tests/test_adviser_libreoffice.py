"""The adviser's year in a real spreadsheet engine: upgraded returns, feedback copies and sent workbooks,
recalculated by LibreOffice in one run, give the figures the readers compute; a carried-forward workbook
saved by LibreOffice without changes is still recognised as unchanged."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from lga_xl.bulk import import_returns
from lga_xl.feedback import write_feedback
from lga_xl.kinds import KINDS
from lga_xl.readers import read_workbook, validate
from lga_xl.readers.package import open_package
from lga_xl.sendout import Council, send_out
from lga_xl.upgrade import upgrade_workbooks
from tests.test_feedback import TYPED_OVER, problem_return

pytestmark = pytest.mark.libreoffice

RELEASE_0_1_0 = Path(__file__).resolve().parent / "data" / "release-0.1.0"
SENT_KINDS = ("self-assessment", "levy-plan", "tracker")


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory, libreoffice):
    folder = tmp_path_factory.mktemp("adviser")
    upgraded = upgrade_workbooks(sorted(RELEASE_0_1_0.glob("*.xlsx")), folder / "upgraded").upgraded
    original = problem_return(folder / "problem.xlsx")
    annotated = Path(shutil.copy(write_feedback([original], folder / "feedback").annotated[0].path,
                                 folder / "problem-annotated.xlsx"))
    returns = {name: KINDS[name].sample(folder / "returns" / f"{name}.xlsx", seed=3) for name in SENT_KINDS}
    import_returns([folder / "returns"], db=folder / "returns.sqlite")
    sent = {}
    for name, path in returns.items():
        earlier = read_workbook(path)
        report = send_out(name, [Council(earlier.organisation, earlier.region or "London")], folder / name,
                          db=folder / "returns.sqlite", **({"tax_year": "2027-28"} if name == "levy-plan" else {}))
        sent[name] = report.sent[0].path
    paths = [item.path for item in upgraded] + [original, annotated] + list(sent.values())
    converted = libreoffice(paths)
    return {"upgraded": [(item, converted[item.path]) for item in upgraded],
            "feedback": (converted[original], converted[annotated], original),
            "sent": {name: (path, converted[path], returns[name]) for name, path in sent.items()}}


def cached_names(path: Path, kind_name: str) -> dict[str, object]:
    """Every named result as the recalculated file holds it."""
    contract = KINDS[kind_name].current
    with open_package(path) as pkg:
        return {named.field: pkg.name_value(named.name).value for named in contract.names("formula") if named.field}


def test_upgraded_returns_recalculate_to_the_figures_the_reader_computes(recalculated):
    for item, converted in recalculated["upgraded"]:
        result = read_workbook(converted)
        assert [i for i in result.issues if i.code == "cached-value-mismatch"] == [], item.source.name
        before = read_workbook(item.source)
        for field, value in cached_names(converted, item.kind).items():
            expected = getattr(result, field)
            if isinstance(value, (int, float)) and expected is not None and not isinstance(expected, bool):
                assert float(value) == pytest.approx(float(expected), abs=0.005), (item.source.name, field)
        if item.kind == "self-assessment":
            ratings = openpyxl.load_workbook(converted, data_only=True)["Summary"]
            shown = [(row[1].value, row[2].value) for row in ratings.iter_rows(min_row=9, max_row=13)]
            assert shown == [(s.current, s.score) for s in before.strands]
        else:
            cached = cached_names(converted, item.kind)
            assert (cached["annual_levy"], cached["funds_in"], cached["headroom_statutory"]) == \
                (float(before.annual_levy), float(before.funds_in), float(before.headroom_statutory))


def test_a_feedback_copy_recalculates_to_the_same_ratings_as_the_return(recalculated):
    original, annotated, source = recalculated["feedback"]
    table = lambda path: [[cell.value for cell in row] for row in  # noqa: E731
                          openpyxl.load_workbook(path, data_only=True)["Summary"].iter_rows(min_row=4, max_row=13)]
    assert table(annotated) == table(original)
    expected = read_workbook(source)
    shown = table(annotated)[5:]
    for row, strand in zip(shown, expected.strands):
        if row[2] != 4:  # the score typed over stays as typed: the annotated copy changes no answer or formula
            assert (row[1], row[2]) == (strand.current, strand.score)
    assert openpyxl.load_workbook(annotated, data_only=True)["Summary"][TYPED_OVER].value == 4
    assert openpyxl.load_workbook(annotated).sheetnames[0] == "Issues"


@pytest.mark.parametrize("kind_name", SENT_KINDS)
def test_a_sent_workbook_recalculates_cleanly_and_saved_unchanged_is_recognised(recalculated, kind_name):
    sent, converted, earlier = recalculated["sent"][kind_name]
    result = read_workbook(converted)
    assert [i for i in result.issues if i.code == "cached-value-mismatch"] == []
    assert "unchanged-since-sent" in {i.code for i in validate(converted)}  # saved by LibreOffice, not changed
    if kind_name == "self-assessment":
        assert [(s.current, s.score) for s in result.strands] == \
            [(s.current, s.score) for s in read_workbook(earlier).strands]
