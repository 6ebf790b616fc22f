"""A council's returns over time, and the consolidated workbook's Progress sheet."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from lga_xl.bulk import import_returns
from lga_xl.cli import main
from lga_xl.consolidated_data import load_sections, section_map
from lga_xl.history import PROGRESS_COLUMNS, HistoryError, council_history
from lga_xl.readers import read_workbook
from lga_xl.samples import council, sample_lga_assessment, sample_self_assessment
from lga_xl.writers.levy_plan import sample_levy_plan


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """Council 0: Self assessments of 2024, 2025 and 2026, an External one and a levy plan; council 1: one."""
    folder = tmp_path_factory.mktemp("history")
    files = {
        "2024": sample_self_assessment(folder / "in" / "a-2024.xlsx", seed=0, years_earlier=2),
        "2025": sample_self_assessment(folder / "in" / "a-2025.xlsx", seed=0, years_earlier=1),
        "2026": sample_self_assessment(folder / "in" / "a-2026.xlsx", seed=0),
        "external": sample_lga_assessment(folder / "in" / "a-lga.xlsx", seed=0),
        "other": sample_self_assessment(folder / "in" / "b.xlsx", seed=1),
    }
    name, _, region = council(0)
    sample_levy_plan(folder / "in" / "a-plan.xlsx", org_name=name, region=region, seed=0)
    report = import_returns([folder / "in"], db=folder / "returns.sqlite", out=folder / "consolidated.xlsx")
    assert report.exit_code == 0
    return folder, files


def test_a_councils_returns_oldest_first_with_each_rating(store):
    folder, files = store
    name = council(0)[0]
    history = council_history(f"  {name.upper()} ", folder / "returns.sqlite")
    assert history.organisation == name and history.region == council(0)[2]
    kinds = [(item.kind, item.assessment_type) for item in history.returns]
    assert kinds.count(("self-assessment", "Self")) == 3 and ("levy-plan", "") in kinds
    selfs = [item for item in history.returns if item.assessment_type == "Self"]
    assert [item.file_name for item in selfs] == ["a-2024.xlsx", "a-2025.xlsx", "a-2026.xlsx"]
    assert [item.latest for item in selfs] == [False, False, True]
    dates = [item.date for item in history.returns]
    assert dates == sorted(dates)
    for item in selfs:
        read = read_workbook(files[item.file_name[2:6]])
        assert [(p.strand, p.current, p.score, p.target) for p in item.strands] == \
            [(s.strand, s.current, s.score, s.target) for s in read.strands]
        assert item.overall_score == pytest.approx(read.overall_score)


def test_the_history_as_text_and_json(store):
    folder, _ = store
    history = council_history(council(0)[0], folder / "returns.sqlite")
    lines = history.lines()
    assert lines[0] == f"{council(0)[0]} ({council(0)[2]}): 5 imported return(s)"
    self_table = lines[lines.index("Self assessments") + 1:lines.index("External assessments") - 1]
    assert len(self_table) == 1 + 5 + 1  # dates, a line per strand, the overall score
    leadership = next(line for line in self_table if "Leadership and Culture" in line)
    shown = [f"{item.strands[0].current} {item.strands[0].score:.1f}" for item in history.returns
             if item.assessment_type == "Self"]
    positions = [leadership.index(text) for text in shown]
    assert positions == sorted(positions)  # oldest on the left
    loaded = json.loads(history.to_json())
    assert loaded["organisation"] == council(0)[0] and len(loaded["returns"]) == 5
    assert loaded["returns"][0]["strands"][0].keys() == {"strand", "current", "score", "target"}


def test_an_unknown_council_is_an_error_that_suggests_names(store):
    folder, _ = store
    misspelt = council(0)[0].replace("Ashford", "Ashfrod")
    with pytest.raises(HistoryError, match=f"did you mean '{council(0)[0]}'"):
        council_history(misspelt, folder / "returns.sqlite")


def test_progress_shows_each_strand_previous_and_latest_and_the_change(store):
    folder, files = store
    progress = section_map(load_sections(folder / "returns.sqlite"))["progress"]
    assert progress.columns == list(PROGRESS_COLUMNS) and progress.title == "Progress"
    rows = [dict(zip(progress.columns, row)) for row in progress.rows]
    latest, previous = read_workbook(files["2026"]), read_workbook(files["2025"])
    first = [row for row in rows if row["organisation"] == council(0)[0]]
    assert [row["strand"] for row in first] == [s.strand for s in latest.strands]
    for row, now, then in zip(first, latest.strands, previous.strands):
        assert (row["latest_rating"], row["latest_score"], row["previous_rating"], row["previous_score"]) == \
            (now.current, now.score, then.current, then.score)
        assert row["change"] == pytest.approx(now.score - then.score)
        assert (row["latest_date"], row["previous_date"]) == (latest.assessment_date.isoformat(),
                                                              previous.assessment_date.isoformat())
    second = [row for row in rows if row["organisation"] == council(1)[0]]
    assert len(second) == 5 and all(row["previous_score"] is None and row["change"] is None for row in second)


def test_the_consolidated_workbook_has_a_progress_sheet(store):
    folder, _ = store
    wb = openpyxl.load_workbook(folder / "consolidated.xlsx")
    assert wb.sheetnames.index("Progress") == wb.sheetnames.index("Elements") + 1
    table = wb["Progress"].tables["Progress"]
    first_row, last_row = int(table.ref.split(":")[0][1:]), int(table.ref.split(":")[1][1:])
    assert last_row - first_row == 5 * 2  # a row per strand of each of the two councils with a Self assessment


def test_the_command_line_history(store):
    folder, _ = store
    db = str(folder / "returns.sqlite")
    text = CliRunner().invoke(main, ["history", council(1)[0], "--db", db])
    assert text.exit_code == 0 and "Self assessments" in text.output and "Engagement" in text.output
    as_json = CliRunner().invoke(main, ["history", council(1)[0], "--db", db, "--json"])
    assert json.loads(as_json.output)["organisation"] == council(1)[0]
    missing = CliRunner().invoke(main, ["history", "Nowhere Council", "--db", db])
    assert missing.exit_code == 2 and "no imported return of 'Nowhere Council'" in missing.output
    assert Path(db).exists()
