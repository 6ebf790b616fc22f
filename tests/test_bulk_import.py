"""The adviser's bulk import on a realistic folder: good, bad, odd and stray files."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import threading
import zipfile
from pathlib import Path

import openpyxl
import pytest
import python_calamine

from lga_xl.bulk import find_files, import_returns
from lga_xl.store import ReturnStore
from lga_xl.writers import consolidated as consolidated_writer
from lga_xl.writers.consolidated import write_consolidated
from lga_xl.writers.self_assessment import new_self_assessment
from tests.support.corpus import BAD_FILES, GOOD_LEVY_PLANS, ODD_FILES, SKIPPED_FILES, build_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("returns")
    return folder, build_corpus(folder, good=50)


@pytest.fixture(scope="module")
def imported(corpus, tmp_path_factory):
    folder, files = corpus
    out = tmp_path_factory.mktemp("out")
    report = import_returns([folder], db=out / "returns.sqlite", out=out / "consolidated.xlsx", jobs=2)
    return report, files


def outcome_by_name(report):
    return {Path(o.path).name: o for o in report.files}


def test_every_good_return_is_imported(imported):
    report, files = imported
    outcomes = outcome_by_name(report)
    assert all(outcomes[p.name].outcome == "imported" for p in files["good"])
    assert report.counts["imported"] == len(files["good"]) + len(ODD_FILES)


def test_every_bad_file_is_rejected_with_its_reason(imported):
    report, _ = imported
    outcomes = outcome_by_name(report)
    with ReturnStore(report.store_path) as store:
        _, rows = store.query("SELECT r.file_name, i.code FROM issues i JOIN returns r ON r.id = i.return_id "
                              "WHERE i.severity = 'error'")
        codes_by_file = {}
        for name, code in rows:
            codes_by_file.setdefault(name, set()).add(code)
    for name, code in BAD_FILES.items():
        assert outcomes[name].outcome == "rejected", name
        assert code in codes_by_file[name], (name, codes_by_file.get(name))
        assert code in outcomes[name].reason
    assert report.counts["rejected"] == len(BAD_FILES)
    assert report.exit_code == 1


def test_no_file_reached_an_internal_error(imported):
    report, _ = imported
    with ReturnStore(report.store_path) as store:
        _, rows = store.query("SELECT file, message FROM issues WHERE code = 'internal-error'")
        assert list(rows) == []


def test_odd_files_are_imported_with_a_warning_that_explains(imported):
    report, _ = imported
    outcomes = outcome_by_name(report)
    with ReturnStore(report.store_path) as store:
        for name, code in ODD_FILES.items():
            assert outcomes[name].outcome == "imported", (name, outcomes[name].reason)
            if code:
                _, rows = store.query("SELECT i.code FROM issues i JOIN returns r ON r.id = i.return_id "
                                      "WHERE r.file_name = ?", (name,))
                assert code in {row[0] for row in rows}, name


def test_other_files_are_listed_as_skipped_not_read(imported):
    report, _ = imported
    outcomes = outcome_by_name(report)
    assert {n for n, o in outcomes.items() if o.outcome == "skipped"} == set(SKIPPED_FILES)
    assert "lock file" in outcomes["~$locked_by_excel.xlsx"].reason


def test_store_holds_the_ratings_and_elements_of_every_imported_return(imported):
    report, files = imported
    with ReturnStore(report.store_path) as store:
        counts = store.table_counts()
    imported_count = len(files["good"]) + len(ODD_FILES)
    assert counts["returns"] == imported_count + len(BAD_FILES)
    # rejected returns that could be read keep their contents too: nothing is lost
    readable_rejected = sum(1 for code in BAD_FILES.values() if code in ("unknown-status", "unknown-region"))
    assessments = imported_count - GOOD_LEVY_PLANS - 1 + readable_rejected  # one odd file is a levy plan
    assert counts["strand_ratings"] == 5 * assessments
    assert counts["element_statuses"] == 83 * assessments
    assert counts["levy_plans"] == GOOD_LEVY_PLANS + 1 + 2  # the two rejected plans keep their contents


def table_of(ws) -> list[dict]:
    """The rows of the sheet's one table, as heading -> cell."""
    (table,) = ws.tables.values()
    header, *rows = ws[table.ref]
    return [{h.value: cell for h, cell in zip(header, row)} for row in rows]


@pytest.fixture(scope="module")
def consolidated(imported):
    report, _ = imported
    return openpyxl.load_workbook(report.workbook_path)


def test_consolidated_workbook_has_every_good_return(imported, consolidated):
    _, files = imported
    wb = consolidated
    assert wb.sheetnames == ["About", "Returns", "Ratings", "Elements", "Progress", "Levy plans", "Schools",
                             "Planned starts", "Transfers", "Role maps", "Roles", "Trackers", "Targets", "Actions",
                             "Public sector", "School requests", "Requested starts", "Issues",
                             "Benchmarks"]
    by_file = {row["File"].value: row["Status"].value for row in table_of(wb["Returns"])}
    assert all(by_file[p.name] == "imported" for p in files["good"])
    assert all(by_file[name] == "rejected" for name in BAD_FILES)
    assert len(table_of(wb["Ratings"])) == 5 * (len(files["good"]) - GOOD_LEVY_PLANS + len(ODD_FILES) - 1)
    assert len(table_of(wb["Levy plans"])) == GOOD_LEVY_PLANS + 1
    issue_codes = {(row["File"].value, row["Code"].value) for row in table_of(wb["Issues"])}
    assert {(name, code) for name, code in BAD_FILES.items()} <= issue_codes
    assert {(name, "skipped-file") for name in SKIPPED_FILES} <= issue_codes


def test_consolidated_workbook_says_yes_or_no_and_keeps_numbers_as_numbers(consolidated):
    wb = consolidated
    assert {row["Latest"].value for row in table_of(wb["Returns"])} == {"Yes", "No"}
    assert {row["In council levy"].value for row in table_of(wb["Schools"])} <= {"Yes", "No"}
    assert {row["Latest"].value for row in table_of(wb["Schools"])} <= {"Yes", "No"}
    about = {row[0].value: row[1].value for row in wb["About"].iter_rows(min_row=3, max_row=7)}
    assert isinstance(about["Returns in the store"], int) and isinstance(about["Rejected (see Issues)"], int)
    assert about["From the store"] == "returns.sqlite"  # the file's name, not a folder on the importing machine
    assert not any(isinstance(c.value, str) and "/" in c.value and c.value.endswith(".xlsx")
                   for ws in wb for row in ws.iter_rows() for c in row)  # no paths anywhere


def test_consolidated_formats_follow_the_column_kinds(consolidated):
    plans = table_of(consolidated["Levy plans"])
    assert {row["Annual levy"].number_format for row in plans} == {"£#,##0.00"}
    assert {row["Planned spend share"].number_format for row in plans} == {"0.0%"}
    assert {row["Plan start"].number_format for row in plans} == {"dd/mm/yyyy"}
    ratings = table_of(consolidated["Ratings"])
    assert {row["Current score"].number_format for row in ratings} == {"0.0"}
    assert {row["Developing achieved"].number_format for row in ratings} == {"#,##0"}


def test_errors_and_warnings_are_coloured_differently(consolidated):
    fills = {}
    for row in table_of(consolidated["Issues"]):
        fills.setdefault(row["Severity"].value, set()).add(row["Severity"].fill.fgColor.rgb)
    assert set(fills) == {"error", "warning"}
    assert all(len(colours) == 1 for colours in fills.values())
    assert fills["error"] != fills["warning"]


def test_reimporting_the_same_folder_adds_nothing(corpus, imported):
    report, _ = imported
    folder, _ = corpus
    with ReturnStore(report.store_path) as store:
        before = store.table_counts()
    again = import_returns([folder], db=report.store_path, jobs=2)
    with ReturnStore(report.store_path) as store:
        after = store.table_counts()
    assert {k: v for k, v in after.items() if k != "import_runs"} == {
        k: v for k, v in before.items() if k != "import_runs"}
    assert after["import_runs"] == before["import_runs"] + 1
    assert again.counts["unchanged"] == again.counts["imported"]


def test_a_resubmitted_return_is_kept_beside_the_older_one(tmp_path):
    db = tmp_path / "returns.sqlite"
    first = new_self_assessment(tmp_path / "round1" / "a.xlsx", org_name="Exampleshire", region="London",
                                assessment_date=dt.date(2025, 10, 1), answers={"LC-D1": "Achieved"})
    import_returns([first], db=db)
    second = new_self_assessment(tmp_path / "round2" / "a.xlsx", org_name="Exampleshire", region="London",
                                 assessment_date=dt.date(2026, 10, 1), answers={"LC-D1": "Achieved", "LC-D2": "Achieved"})
    import_returns([second], db=db)
    with ReturnStore(db) as store:
        _, rows = store.query("SELECT r.assessment_date, l.id IS NOT NULL FROM returns r "
                              "LEFT JOIN latest_returns l ON l.id = r.id ORDER BY r.assessment_date")
        assert list(rows) == [("2025-10-01", 0), ("2026-10-01", 1)]


def test_a_file_resaved_without_changes_is_the_same_return(tmp_path):
    db = tmp_path / "returns.sqlite"
    original = new_self_assessment(tmp_path / "a.xlsx", org_name="Exampleshire", region="London")
    resaved = tmp_path / "resaved" / "a copy.xlsx"
    resaved.parent.mkdir()
    wb = openpyxl.load_workbook(original)
    wb.properties.lastModifiedBy = "Another officer"  # as saving in Excel would
    wb["Assessment"].column_dimensions["D"].width = 90
    wb.save(resaved)  # different bytes, same content
    assert original.read_bytes() != resaved.read_bytes()
    import_returns([original], db=db)
    report = import_returns([resaved], db=db)
    assert [o.outcome for o in report.files] == ["unchanged"]


def test_a_crash_mid_import_leaves_the_store_as_it_was(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(5):
        new_self_assessment(folder / f"{i}.xlsx", org_name=f"Council {i}", region="London")
    db = tmp_path / "returns.sqlite"
    import_returns([folder / "0.xlsx"], db=db)

    calls = {"n": 0}
    real_add = ReturnStore.add

    def failing_add(self, parsed, run_id):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # the adviser pressed Ctrl+C, or the machine went down
        return real_add(self, parsed, run_id)

    monkeypatch.setattr(ReturnStore, "add", failing_add)
    with pytest.raises(KeyboardInterrupt):
        import_returns([folder], db=db)
    monkeypatch.undo()
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT COUNT(*) FROM returns").fetchone()[0] == 1
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        assert con.execute("SELECT COUNT(*) FROM strand_ratings WHERE return_id NOT IN (SELECT id FROM returns)"
                           ).fetchone()[0] == 0
    report = import_returns([folder], db=db)
    assert report.counts["imported"] == 5 and report.counts["unchanged"] == 1


def test_text_from_returns_is_never_a_formula_in_the_workbook(tmp_path):
    evil = '=HYPERLINK("http://evil.example","Click me")'
    path = new_self_assessment(tmp_path / "in" / "evil.xlsx", org_name=evil, region="London", evidence={"LC-D1": "+cmd|' /C calc'!A0"},
                               answers={"LC-D1": "Achieved"})
    report = import_returns([path], db=tmp_path / "r.sqlite", out=tmp_path / "c.xlsx")
    with zipfile.ZipFile(report.workbook_path) as book:
        for name in book.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert b"<f>" not in book.read(name), name  # no formula anywhere
    wb = openpyxl.load_workbook(report.workbook_path)
    org_cells = [c for row in wb["Ratings"].iter_rows() for c in row if c.value == evil]
    assert org_cells and all(c.data_type == "s" for c in org_cells)


def test_find_files_reads_named_files_and_refuses_missing_paths(tmp_path):
    named = tmp_path / "return.csv"
    named.write_text("x")
    assert find_files([named]) == ([named], [])
    with pytest.raises(FileNotFoundError, match="no such file or folder"):
        find_files([tmp_path / "missing"])


def test_the_command_on_the_same_folder_exits_1_and_lists_every_bad_file(corpus, tmp_path):
    from click.testing import CliRunner

    from lga_xl.cli import main

    folder, files = corpus
    result = CliRunner().invoke(main, ["import", str(folder), "--db", str(tmp_path / "r.sqlite"),
                                       "--out", str(tmp_path / "c.xlsx"), "--jobs", "2"])
    assert result.exit_code == 1
    listed = {Path(line.split(" ", 1)[1].split(":")[0].strip()).name for line in result.output.splitlines()
              if line.startswith(("rejected", "skipped"))}
    assert listed == set(BAD_FILES) | set(SKIPPED_FILES)
    imported = len(files["good"]) + len(ODD_FILES)
    assert f"{imported} returns added" in result.output and f"{len(BAD_FILES)} rejected" in result.output


def test_the_library_call_returns_the_consolidated_tables_as_dataframes(imported):
    report, files = imported
    frames = report.frames
    assert {"returns", "ratings", "elements", "levy_plans", "issues", "benchmark_scores", "rating_distribution",
            "levy_benchmarks"} <= set(frames)
    assessments = len(files["good"]) - GOOD_LEVY_PLANS + len(ODD_FILES) - 1
    assert len(frames["ratings"]) == 5 * assessments
    england = frames["benchmark_scores"].set_index("area").loc["England"]
    assert england["councils"] == frames["returns"].query("kind == 'self-assessment' and status == 'imported' "
                                                          "and latest == 'Yes' and assessment_type == 'Self'").shape[0]
    assert set(frames["schools"]["in_council_levy"]) <= {"Yes", "No"}  # as in the workbook and the CSV files
    assert frames["returns"]["file_path"].str.endswith(".xlsx").any()  # the data keeps where each file was


def sheets_as_shown(path: Path) -> dict[str, tuple]:
    """Each sheet's values and the height of each row given one (shared strings read as their text)."""
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    with zipfile.ZipFile(path) as package:
        heights = {name: re.findall(rb'<row r="(\d+)"[^>]*? ht="([^"]+)"', package.read(name))
                   for name in package.namelist() if name.startswith("xl/worksheets/sheet")}
    return {"values": {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names},
            "heights": heights}


def test_rows_built_a_few_at_a_time_make_the_same_sheets(imported, tmp_path, monkeypatch):
    """The data rows are built and deflated in chunks: chunks of three rows (row numbers, heights and shared
    strings carried from chunk to chunk) show the same as the usual chunks."""
    report, _ = imported
    write_consolidated(tmp_path / "usual.xlsx", report.store_path)
    monkeypatch.setattr(consolidated_writer, "ROWS_PER_CHUNK", 3)
    write_consolidated(tmp_path / "small.xlsx", report.store_path)
    usual, small = sheets_as_shown(tmp_path / "usual.xlsx"), sheets_as_shown(tmp_path / "small.xlsx")
    assert max(len(rows) for rows in usual["values"].values()) > 100  # a sheet of many chunks of three
    assert any(usual["heights"].values())  # some rows are taller than one line
    assert small == usual


def test_a_failure_while_rows_are_built_reaches_the_caller_and_ends_the_zip_writer(imported, tmp_path, monkeypatch):
    report, _ = imported
    calls = []

    def failing(*args):
        calls.append(args)
        if len(calls) == 5:
            raise RuntimeError("the rows could not be built")
        return original(*args)

    original = consolidated_writer._column_cells
    monkeypatch.setattr(consolidated_writer, "_column_cells", failing)
    with pytest.raises(RuntimeError, match="could not be built"):
        write_consolidated(tmp_path / "failed.xlsx", report.store_path)
    assert not [t for t in threading.enumerate() if t.name == "consolidated-zip"]
