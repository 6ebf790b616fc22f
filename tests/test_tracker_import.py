"""Trackers in the bulk import: stored beside the other kinds, consolidated, and benchmarked."""

from __future__ import annotations

import datetime as dt
import statistics
from pathlib import Path

import openpyxl
import pytest

from lga_xl.benchmarks import NATIONAL
from lga_xl.bulk import import_returns
from lga_xl.readers import read_workbook
from lga_xl.samples import council, sample_self_assessment, sample_tracker
from lga_xl.store import ReturnStore
from lga_xl.writers.levy_plan import sample_levy_plan
from lga_xl.writers.tracker import PublicSectorYear, new_tracker
from tests.test_bulk_import import table_of

# The public sector table other reports read by these names.
PUBLIC_SECTOR_COLUMNS = ["year", "headcount_start", "headcount_end", "starts_council", "starts_schools",
                         "starts_total", "apprentices_end", "starts_share"]


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> tuple[object, Path, list[Path]]:
    folder = tmp_path_factory.mktemp("import")
    returns = folder / "returns"
    trackers = [sample_tracker(returns / f"tracker_{seed}.xlsx", seed=seed) for seed in range(4)]
    # Council 0 again, an older quarter with other figures: its newer tracker stands for it.
    name, _, region = council(0)
    older = new_tracker(returns / "tracker_0_older.xlsx", org_name=name, region=region,
                        reporting_date=dt.date(2025, 12, 31),
                        public_sector=[PublicSectorYear("2024-25", 1000, 1000, 900, 0, 900)])
    sample_self_assessment(returns / "self_assessment.xlsx", seed=1)
    sample_levy_plan(returns / "levy_plan.xlsx", org_name=name, region=region)
    report = import_returns([returns], db=folder / "returns.sqlite", out=folder / "consolidated.xlsx")
    return report, folder, [*trackers, older]


def test_trackers_are_imported_beside_the_other_kinds(imported):
    report, folder, trackers = imported
    assert report.counts == {"read": 7, "imported": 7, "unchanged": 0, "rejected": 0, "skipped": 0}
    with ReturnStore(folder / "returns.sqlite") as store:
        _, rows = store.query("SELECT kind, COUNT(*) FROM returns GROUP BY kind ORDER BY kind")
        assert list(rows) == [("levy-plan", 1), ("self-assessment", 1), ("tracker", 5)]
        counts = store.table_counts()
        results = [read_workbook(path) for path in trackers]
        assert counts["trackers"] == 5
        assert counts["tracker_targets"] == sum(len(t.targets) for t in results)
        assert counts["tracker_actuals"] == sum(len(t.actuals) for t in results)
        assert counts["tracker_actions"] == sum(len(t.actions) for t in results)
        assert counts["tracker_public_sector"] == sum(len(t.public_sector) for t in results)


def test_the_public_sector_table_has_the_columns_other_reports_read(imported):
    _, folder, trackers = imported
    with ReturnStore(folder / "returns.sqlite") as store:
        assert [c for c in store.columns("tracker_public_sector") if c in PUBLIC_SECTOR_COLUMNS] == \
            PUBLIC_SECTOR_COLUMNS
        _, rows = store.query(f"SELECT {', '.join(PUBLIC_SECTOR_COLUMNS)} FROM tracker_public_sector p "
                              "JOIN returns r ON r.id = p.return_id WHERE r.file_name = ? ORDER BY p.position",
                              (trackers[1].name,))
        stored = list(rows)
    expected = [(y.year, y.headcount_start, y.headcount_end, y.starts_council, y.starts_schools, y.starts_total,
                 y.apprentices_end, float(y.starts_share)) for y in read_workbook(trackers[1]).public_sector]
    assert stored == expected and len(stored) == 3
    assert all(isinstance(row[0], str) and len(row[0]) == 7 and 0 < row[-1] < 1 for row in stored)


def test_the_latest_tracker_of_a_council_is_the_one_with_the_latest_reporting_date(imported):
    _, folder, trackers = imported
    with ReturnStore(folder / "returns.sqlite") as store:
        _, rows = store.query("SELECT file_name FROM latest_returns WHERE kind = 'tracker' ORDER BY file_name")
        assert [row[0] for row in rows] == [path.name for path in trackers[:4]]


def test_the_consolidated_workbook_has_targets_and_public_sector_figures(imported):
    report, _, trackers = imported
    wb = openpyxl.load_workbook(report.workbook_path)
    assert {"Trackers", "Targets", "Actions", "Public sector"} <= set(wb.sheetnames)
    rows = table_of(wb["Targets"])
    assert {"Organisation", "ID", "Latest value", "Expected now", "RAG"} <= set(rows[0])
    first = read_workbook(trackers[0])
    shown = [(row["ID"].value, row["RAG"].value) for row in rows
             if row["Organisation"].value == first.organisation][:len(first.targets)]
    assert shown == [(t.id, t.rag) for t in first.targets]
    assert len(table_of(wb["Public sector"])) == 4 * 3 + 1


def test_the_benchmarks_give_starts_as_a_share_of_headcount_from_each_councils_latest_tracker(imported):
    report, _, trackers = imported
    benchmarks = report.frames["public_sector_benchmarks"].set_index("area")
    latest = [read_workbook(path) for path in trackers[:4]]  # council 0's older tracker is left out
    years = [(t.region, t.public_sector[-1]) for t in latest]
    england = benchmarks.loc[NATIONAL]
    assert england["councils"] == 4
    assert england["starts"] == sum(y.starts_total for _, y in years)
    assert england["headcount"] == sum(y.headcount_start for _, y in years)
    assert england["median_starts_share"] == pytest.approx(
        round(statistics.median(float(y.starts_share) for _, y in years), 4))
    for region in {region for region, _ in years}:
        members = [y for r, y in years if r == region]
        row = benchmarks.loc[region]
        assert row["councils"] == len(members)
        assert row["starts_share"] == pytest.approx(
            round(sum(y.starts_total for y in members) / sum(y.headcount_start for y in members), 4))
