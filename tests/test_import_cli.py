"""`lga-xl import` and `lga-xl demo`: the same library calls, exit codes and output."""

from __future__ import annotations

import csv

from click.testing import CliRunner

from lga_xl.cli import main
from lga_xl.samples import sample_self_assessment
from lga_xl.store import ReturnStore
from lga_xl.writers.self_assessment import new_self_assessment


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_import_of_good_returns_exits_0_with_a_summary_line(tmp_path):
    for seed in range(3):
        sample_self_assessment(tmp_path / "in" / f"{seed}.xlsx", seed=seed)
    result = run("import", tmp_path / "in", "--db", tmp_path / "r.sqlite", "--out", tmp_path / "c.xlsx")
    assert result.exit_code == 0, result.output
    summary = [line for line in result.output.splitlines() if "files read in" in line]
    assert summary and "3 returns added, 0 already in the store" in summary[0] and "0 rejected" in summary[0] \
        and "0 files skipped" in summary[0]
    assert (tmp_path / "c.xlsx").exists()
    assert f"Store: {tmp_path / 'r.sqlite'}" in result.output


def test_import_with_a_bad_file_exits_1_names_it_and_keeps_the_good_ones(tmp_path):
    sample_self_assessment(tmp_path / "in" / "good.xlsx", seed=1)
    (tmp_path / "in" / "broken.xlsx").write_bytes(b"PK\x03\x04 not really")
    (tmp_path / "in" / "readme.txt").write_text("hello")
    result = run("import", tmp_path / "in", "--db", tmp_path / "r.sqlite", "--no-workbook")
    assert result.exit_code == 1
    assert "rejected" in result.output and "broken.xlsx" in result.output and "corrupt-file" in result.output
    assert "skipped" in result.output and "readme.txt" in result.output
    with ReturnStore(tmp_path / "r.sqlite") as store:
        _, rows = store.query("SELECT file_name, status FROM returns ORDER BY file_name")
        assert list(rows) == [("broken.xlsx", "rejected"), ("good.xlsx", "imported")]


def test_import_usage_errors_exit_2(tmp_path):
    assert run("import").exit_code == 2
    assert run("import", tmp_path / "missing").exit_code == 2
    assert run("import", tmp_path, "--jobs", "0").exit_code == 2


def test_import_into_an_unwritable_store_is_a_clear_error(tmp_path):
    sample_self_assessment(tmp_path / "a.xlsx", seed=1)
    result = run("import", tmp_path / "a.xlsx", "--db", tmp_path / "no" / "such" / "dir" / "r.sqlite")
    assert result.exit_code == 2
    assert result.output.startswith("Error:") and "Traceback" not in result.output


def test_csv_export_keeps_formula_like_text_as_text(tmp_path):
    new_self_assessment(tmp_path / "in" / "a.xlsx", org_name="=HYPERLINK(\"http://x\")", region="London")
    result = run("import", tmp_path / "in", "--db", tmp_path / "r.sqlite", "--no-workbook", "--csv", tmp_path / "csv")
    assert result.exit_code == 0, result.output
    with (tmp_path / "csv" / "returns.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["organisation"] == "'=HYPERLINK(\"http://x\")"
    assert {p.name for p in (tmp_path / "csv").iterdir()} >= {"returns.csv", "ratings.csv", "elements.csv",
                                                              "levy_plans.csv", "issues.csv", "benchmark_scores.csv"}


def test_demo_runs_the_whole_job_and_says_where_everything_is(tmp_path):
    result = run("demo", "--out", tmp_path / "demo", "--councils", "3")
    assert result.exit_code == 0, result.output
    assert "Transfer headroom" in result.output or "transfer headroom" in result.output
    assert f"Consolidated workbook: {tmp_path / 'demo' / 'consolidated.xlsx'}" in result.output
    assert (tmp_path / "demo" / "returns.sqlite").exists()
    assert (tmp_path / "demo" / "templates" / "self_assessment.xlsx").exists()
    assert "0 rejected" in result.output
