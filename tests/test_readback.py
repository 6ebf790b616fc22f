"""A workbook being written reads, through UnsavedPackage, exactly as its saved file reads.

The levy plan and tracker writers cache their charts' data from what their
readers recompute from the workbook still in memory; these tests prove the
reader sees the same thing there as in the saved file, on clean returns and
on returns with the typing mistakes the readers report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from lga_xl import targets as rules
from lga_xl.contracts.levy_plan import CONTRACT as LEVY_PLAN
from lga_xl.contracts.tracker import CONTRACT as TRACKER
from lga_xl.readers.levy_plan import read_levy_plan, read_levy_plan_package
from lga_xl.readers.tracker import read_tracker, read_tracker_package
from lga_xl.samples import sample_tracker
from lga_xl.writers import common
from lga_xl.writers.levy_plan import SchoolEntry, StartEntry, TransferEntry, new_levy_plan, sample_levy_plan
from lga_xl.writers.readback import UnsavedPackage
from lga_xl.writers.tracker import new_tracker


@pytest.fixture
def unsaved(monkeypatch) -> dict[str, Workbook]:
    """The last workbook a writer saved, as it was in memory."""
    kept: dict[str, Workbook] = {}
    save = common.save

    def keep(wb: Workbook, path: str | Path) -> Path:
        kept["wb"] = wb
        return save(wb, path)

    monkeypatch.setattr(common, "save", keep)
    return kept


def comparable(result: Any) -> dict[str, Any]:
    """A read result without what names the file it came from."""
    dumped = result.model_dump(exclude={"file", "input_hash"})
    dumped["issues"] = [{key: value for key, value in issue.items() if key != "file"} for issue in dumped["issues"]]
    return dumped


def odd_levy_plan(path: Path) -> Path:
    """A plan with the mistakes the reader reports: figures as text, a percentage without its sign, bad rows."""
    return new_levy_plan(
        path, org_name="Exampleshire", region="London", total_pay_bill="£48,500,000.00", english_percent=98.5,
        levy_allowance=20_000, previous_year_funds=" 190 000 ", opening_balance=Decimal("75000.5"),
        transfers_committed=-5, expiring_funds={dt.date(2026, 8, 1): 4_000, dt.date(2026, 1, 1): 10},
        schools=[SchoolEntry(100_001, "Ash Primary", "Community school", 1_250_000, 40),
                 SchoolEntry(100_002, "Oak Academy", "Academy converter", "900000", 30)],
        starts=[StartEntry("ST0070", dt.date(2026, 9, 1), 12, 5_000, 100_001),
                StartEntry("ST0005", dt.datetime(2026, 10, 15, 9, 30), 15, "4,000"),
                StartEntry("ST9999", dt.date(2027, 1, 1), 18, 9_000),
                StartEntry("ST0070", dt.date(2026, 5, 1), 12.5, 3_000)],
        transfers=[TransferEntry("Care Homes Ltd", "ST0005", dt.date(2026, 11, 1), 12, 12_000, "Pledge")],
    )


def odd_tracker(path: Path) -> Path:
    """A tracker with a text baseline, a repeated actual, one for no target and an ID in another case."""
    day = dt.date(2024, 3, 31)
    targets = [rules.Target("T1", "Starts", rules.NUMBER, rules.INCREASE, Decimal(100), day, Decimal(200),
                            dt.date(2027, 3, 31)),
               rules.Target("T2", "Spent", rules.PERCENT, rules.INCREASE, "tbc", day, Decimal("0.9"),
                            dt.date(2027, 3, 31))]
    actuals = [rules.Actual("T1", dt.date(2024, 9, 30), Decimal(120)), rules.Actual("t1", dt.date(2024, 12, 31),
                                                                                    Decimal(125)),
               rules.Actual("T1", dt.date(2024, 12, 31), Decimal(126)), rules.Actual("T7", day, Decimal(1)),
               rules.Actual("T2", dt.date(2024, 9, 30), Decimal("0.6"))]
    return new_tracker(path, reporting_date=dt.date(2025, 1, 31), targets=targets, actuals=actuals)


CASES: list[tuple[str, Callable[[Path], Path], Callable, Callable, object]] = [
    ("levy-plan-sample", lambda path: sample_levy_plan(path, seed=5), read_levy_plan, read_levy_plan_package,
     LEVY_PLAN),
    ("levy-plan-blank", new_levy_plan, read_levy_plan, read_levy_plan_package, LEVY_PLAN),
    ("levy-plan-odd", odd_levy_plan, read_levy_plan, read_levy_plan_package, LEVY_PLAN),
    ("tracker-sample", lambda path: sample_tracker(path, seed=5), read_tracker, read_tracker_package, TRACKER),
    ("tracker-blank", new_tracker, read_tracker, read_tracker_package, TRACKER),
    ("tracker-odd", odd_tracker, read_tracker, read_tracker_package, TRACKER),
]


@pytest.mark.parametrize(("write", "read_saved", "read_package", "contract"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_the_unsaved_workbook_reads_as_the_saved_file(tmp_path, unsaved, write, read_saved, read_package, contract):
    saved = read_saved(write(tmp_path / "book.xlsx"))
    in_memory = read_package(UnsavedPackage(unsaved["wb"]), contract)
    assert comparable(in_memory) == comparable(saved)


def test_the_odd_returns_do_have_the_mistakes_they_are_for(tmp_path):
    plan = read_levy_plan(odd_levy_plan(tmp_path / "plan.xlsx"))
    tracker = read_tracker(odd_tracker(tmp_path / "tracker.xlsx"))
    assert {"number-as-text", "percent-typed-without-sign", "negative-amount", "typed-as-text",
            "unknown-standard"} <= {issue.code for issue in plan.issues}
    assert {"not-a-number", "duplicate-actual", "unknown-target-id"} <= {issue.code for issue in tracker.issues}


def test_a_table_reads_with_its_formulas_blank(tmp_path, unsaved):
    new_levy_plan(tmp_path / "plan.xlsx", org_name="Exampleshire",
                  starts=[StartEntry("ST0070", dt.date(2026, 9, 1), 12, 5_000)])
    table = UnsavedPackage(unsaved["wb"]).table("PlannedStarts")
    first = dict(zip(table.columns, table.rows[0], strict=True))
    assert first["Start date"] == dt.date(2026, 9, 1) and first["Price"] == 5000.0  # as calamine reads them
    assert first["In-year cost"] == ""  # a formula: nothing has calculated it
    assert (table.sheet, table.first_row) == ("Starts", LEVY_PLAN.table("PlannedStarts").first_row)
