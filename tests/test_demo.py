"""`lga-xl demo`: the whole job on built-in data, every kind of workbook through it, its output readable."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from lga_xl.demo import EXAMPLE_REGION, ILLUSTRATIVE, LINE_WIDTH, DemoResult, run_demo
from lga_xl.kinds import KINDS
from lga_xl.readers import read_workbook
from lga_xl.samples import council
from lga_xl.store import ReturnStore
from lga_xl.targets import load_example

COUNCILS = 3


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[DemoResult, list[str]]:
    lines: list[str] = []
    result = run_demo(tmp_path_factory.mktemp("demo"), councils=COUNCILS, echo=lambda text: lines.extend(
        text.splitlines()))
    return result, lines


def test_a_blank_template_of_every_kind(demo):
    result, _ = demo
    # A school's request is made from the council's levy plan, never blank.
    assert sorted(read_workbook(path).kind for path in result.templates) == sorted(set(KINDS) - {"school-request"})


def test_returns_of_every_kind_are_imported_and_none_rejected(demo):
    result, _ = demo
    half, third = (COUNCILS + 1) // 2, max(1, COUNCILS // 3)
    with ReturnStore(result.report.store_path) as store:
        _, rows = store.query("SELECT kind, status FROM returns")
        rows = list(rows)
    assert Counter(kind for kind, _ in rows) == {
        "self-assessment": COUNCILS + 1,  # and the LGA's external assessment of the first council
        "levy-plan": half, "tracker": half + 1, "role-map": third}  # the trackers and the example strategy's
    assert {status for _, status in rows} == {"imported"}


def test_the_example_strategy_comes_with_its_year_of_illustrative_figures(demo):
    result, _ = demo
    [path] = [path for path in result.returns if "hertfordshire" in path.name]
    tracker, strategy = read_workbook(path), load_example("hertfordshire")
    assert (tracker.organisation, tracker.region) == (strategy.organisation, EXAMPLE_REGION)
    assert len(tracker.actuals) == len(strategy.actuals) and all(a.note == ILLUSTRATIVE for a in tracker.actuals)
    assert tracker.reporting_date == max(a.on for a in strategy.actuals)
    assert not tracker.has_errors, [str(issue) for issue in tracker.issues]


def test_the_output_describes_each_return_once_and_ends_with_the_mot_report(demo):
    result, lines = demo
    entries = [line for line in lines if line.startswith("  ") and not line.startswith("    ")]
    returns = entries[1:]  # the first lists the templates
    assert len(returns) == len(result.returns)
    continued = [line for line in lines if line.startswith("    ")]
    assert all(len(line) <= LINE_WIDTH for line in continued)  # a long description's figures wrap beneath it
    assert lines[-1] == f"Apprenticeship MOT report for {council(0)[0]}, from the store: {result.mot_report}"
    assert Path(result.mot_report).stat().st_size > 0
