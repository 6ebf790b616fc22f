"""The tracker's formulas against Python, in a real spreadsheet engine (headless LibreOffice).

150 random trackers (increases and decreases, the latest actual on the line,
on the edge of Amber and one unit outside it, figures missing or unusable,
several actuals per target, actuals LibreOffice must leave out) are
recalculated by one LibreOffice together with the Hertfordshire
example, a sample tracker, a blank one and one with a formula typed over.
Every worked-out cell LibreOffice shows must be the value the reader
computes from the file as written.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
import python_calamine

from lga_xl import targets as rules
from lga_xl.contracts.tracker import ACTIONS, ACTUALS, PUBLIC_SECTOR, SUMMARY, TARGETS
from lga_xl.models import Tracker
from lga_xl.readers.tracker import read_tracker
from lga_xl.samples import sample_tracker
from lga_xl.tools import render as tool
from lga_xl.writers import tracker as tracker_writer
from lga_xl.writers.tracker import PublicSectorYear, new_tracker
from tests.support.pdf import page_words, poppler_missing
from tests.support.xlsx_checklist import cell_errors

TRACKERS = 150
EPOCH = dt.date(1899, 12, 30)
HERTFORDSHIRE = rules.load_example("hertfordshire")
UNIT = Decimal("0.0001")


def half_up(value: Fraction) -> Decimal:
    """A fraction to 4 decimals, halves away from zero (exact)."""
    scaled = value * 10_000
    whole = (abs(scaled.numerator) * 2 + scaled.denominator) // (2 * scaled.denominator)
    return Decimal(whole if scaled >= 0 else -whole) / 10_000


def random_value(rng: random.Random, unit: str) -> Decimal:
    if unit in (rules.PERCENT, rules.RATIO):
        return Decimal(rng.randint(0, 10_000)) / 10_000
    if unit == rules.MONEY:
        return Decimal(rng.randint(0, 50_000_000)) / 100
    return Decimal(rng.choice([rng.randint(0, 20_000), rng.randint(-10**12, 10**12) / 10_000]))


def random_target(rng: random.Random, number: int) -> tuple[rules.Target, list[rules.Actual]]:
    unit = rng.choice(rules.UNITS)
    start = dt.date(2019, 1, 1) + dt.timedelta(rng.randint(0, 1500))
    span = rng.choice([1, 91, 365, 1096, rules.MAX_SPAN_DAYS, rng.randint(1, rules.MAX_SPAN_DAYS)])
    b = random_value(rng, unit)
    t = rng.choice([b, random_value(rng, unit), random_value(rng, unit)])
    direction = rules.DECREASE if t < b or (t == b and rng.random() < 0.5) else rules.INCREASE
    if rng.random() < 0.04:  # contradicts the figures: they decide
        direction = rules.INCREASE if t < b else rules.DECREASE
    amber = rng.choice([rules.DEFAULT_AMBER_WITHIN, Decimal("0.05"), Decimal("0.125"), Decimal(0), Decimal(1),
                        Decimal(rng.randint(0, 1000)) / 1000])
    end = start + dt.timedelta(span)
    missing = rng.random()
    target = rules.Target(
        f"T{number}", f"Random measure {number}", unit, direction,
        baseline=None if missing < 0.04 else b, baseline_date=None if 0.04 <= missing < 0.06 else start,
        target=None if 0.06 <= missing < 0.08 else t,
        target_date=start - dt.timedelta(30) if 0.08 <= missing < 0.1 else end, amber_within=amber)
    offsets = rng.sample(range(-60, span + 60), min(rng.choice([0, 1, 2, 3, 4, 6, 9]), span + 120))
    actuals = [rules.Actual(target.id, start + dt.timedelta(o), random_value(rng, unit)) for o in offsets]
    if actuals and None not in (target.baseline, target.target) and rng.random() < 0.6:
        latest = max(actuals, key=lambda a: a.on)
        line = rules.expected_now(b, start, t, end, latest.on)
        band = half_up(Fraction(abs(t - b)) * Fraction(amber))
        sign = -1 if t < b or (t == b and direction == rules.DECREASE) else 1
        edge = rng.choice([line, line - sign * band, line - sign * band, line - sign * (band + UNIT), line + sign * UNIT,
                           line - sign * UNIT])
        if unit not in (rules.PERCENT, rules.RATIO) or 0 <= edge <= 1:
            actuals[actuals.index(latest)] = rules.Actual(target.id, latest.on, edge)
    return target, actuals


def edate(day: dt.date, months: int) -> dt.date:
    """Excel's EDATE: the same day ``months`` later, or that month's last day."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    following = dt.date(year + month // 11, (month + 1) % 12 + 1, 1)
    return min(dt.date(year, month + 1, 1) + dt.timedelta(day.day - 1), following - dt.timedelta(1))


def random_tracker(rng: random.Random, number: int, folder: Path) -> Path:
    chosen = [random_target(rng, number * 10 + i) for i in range(rng.randint(1, 8))]
    targets = [target for target, _ in chosen]
    actuals = [a for _, own in chosen for a in own]
    if actuals and rng.random() < 0.3:  # a second figure on one date: LibreOffice must use the first
        repeat = rng.choice(actuals)
        actuals.insert(rng.randint(actuals.index(repeat) + 1, len(actuals)),
                       rules.Actual(repeat.target_id, repeat.on, repeat.value + 1))
    if rng.random() < 0.3:  # a figure for no target
        actuals.append(rules.Actual("T0", dt.date(2022, 1, 1), Decimal(5)))
    reporting = dt.date(2021, 1, 1) + dt.timedelta(rng.randint(0, 2000))
    actions = [rules.Action(f"{number}.{i}", "An objective", action="An action", accountability="Someone",
                            due=rng.choice([None, reporting + dt.timedelta(rng.randint(-200, 200)),
                                            edate(reporting, 3), edate(reporting, 3) + dt.timedelta(1), reporting,
                                            reporting - dt.timedelta(1)]),
                            status=rng.choice([None, *rules.ACTION_STATUSES]))
               for i in range(rng.randint(0, 6))]
    years = [PublicSectorYear(f"{2019 + i}-{(20 + i) % 100:02d}", rng.choice([0, rng.randint(1, 50_000)]),
                              rng.randint(0, 50_000), rng.randint(0, 900), rng.randint(0, 300), rng.randint(0, 900))
             for i in range(rng.randint(0, 3))]
    return new_tracker(folder / f"random_{number:03d}.xlsx", org_name=f"Council {number}", region="London",
                       reporting_date=reporting, targets=targets, actuals=actuals, actions=actions, public_sector=years)


@pytest.fixture(scope="module")
def recalculated(libreoffice, tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """name -> (the file as written, the file with LibreOffice's values: its own save for the example, the
    sample and the blank, the written file with its values put in for the others)."""
    folder = tmp_path_factory.mktemp("trackers")
    rng = random.Random(13)
    # The random trackers go without their Monitoring charts: LibreOffice takes longer to lay out twelve
    # charts than to recalculate every formula, and no formula reads them (the example and the sample keep theirs).
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tracker_writer, "_charts", lambda wb, ws, row, targets, chart_rows: row)
        written = {f"random {n}": random_tracker(rng, n, folder) for n in range(1, TRACKERS + 1)}
    written["hertfordshire"] = new_tracker(folder / "hertfordshire.xlsx", example="hertfordshire",
                                           region="East of England", actuals=HERTFORDSHIRE.actuals,
                                           reporting_date=dt.date(2023, 7, 31))
    written["sample"] = sample_tracker(folder / "sample.xlsx", seed=4)
    written["blank"] = new_tracker(folder / "blank.xlsx")
    typed_over = new_tracker(folder / "typed_over.xlsx", example="hertfordshire", region="East of England",
                             actuals=HERTFORDSHIRE.actuals, reporting_date=dt.date(2023, 7, 31))
    wb = openpyxl.load_workbook(typed_over)
    wb[TARGETS.sheet][TARGETS.cell("rag", TARGETS.first_row)] = "Green"  # T1 is Amber
    wb.save(typed_over)
    written["typed over"] = typed_over
    saved = ("hertfordshire", "sample", "blank")  # read back as LibreOffice saves them
    outputs = libreoffice([written[name] for name in saved])
    outputs |= libreoffice.values([path for name, path in written.items() if name not in saved])
    return {name: (path, outputs[path]) for name, path in written.items()}


@pytest.fixture(scope="module")
def read_back(recalculated) -> dict[str, Tracker]:
    """Each tracker as the reader reads the file as written (before LibreOffice)."""
    return {name: read_tracker(original) for name, (original, _) in recalculated.items()}


def shown(value):
    """A cached cell as the model holds it: dates as dates, numbers as 4-decimal Decimals, '' as None."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, (bool, str, dt.date)):
        return value
    return Decimal(repr(float(value)))


def table_rows(grid: list[list[object]], table) -> dict[int, dict[str, object]]:
    """Worksheet row -> the cached values of a table's columns (a grid from A1, as calamine gives it)."""
    columns = slice(table.first_column, table.first_column + len(table.columns))
    return {number: dict(zip(table.keys(), grid[number - 1][columns]))
            for number in range(table.first_row, len(grid) + 1)}


def compare(tracker: Tracker, converted: Path) -> tuple[int, set[str]]:
    """Assert every worked-out cell LibreOffice shows is the reader's value; (cells compared, RAGs seen)."""
    book = python_calamine.CalamineWorkbook.from_path(str(converted))
    grid = {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for name in (TARGETS.sheet, ACTUALS.sheet, ACTIONS.sheet, PUBLIC_SECTOR.sheet, SUMMARY.sheet)}
    original = tracker.file
    compared, rags = 0, set()
    cached = table_rows(grid[TARGETS.sheet], TARGETS)
    for target in tracker.targets:
        got = cached[target.row]
        for key in ("latest_date", "latest", "expected", "progress", "rag", "trend", "check"):
            expected = getattr(target, key)
            if isinstance(expected, Decimal):
                expected = expected.normalize() if expected else Decimal(0)
                assert shown(got[key]).normalize() == expected, (original.name, target.id, key)
            else:
                assert shown(got[key]) == (expected or None), (original.name, target.id, key, got[key], expected)
            compared += 1
        rags.add(target.rag)
    cached = table_rows(grid[ACTUALS.sheet], ACTUALS)
    for actual in tracker.actuals:
        assert (cached[actual.row]["check"] or "") == actual.check, (original.name, actual.row)
        assert (cached[actual.row]["counted_value"] not in (None, "")) == actual.counted, (original.name, actual.row)
        compared += 2
    cached = table_rows(grid[ACTIONS.sheet], ACTIONS)
    for action in tracker.actions:
        assert shown(cached[action.row]["rag"]) == action.rag, (original.name, action.number)
        compared += 1
    cached = table_rows(grid[PUBLIC_SECTOR.sheet], PUBLIC_SECTOR)
    for year in tracker.public_sector:
        assert shown(cached[year.row]["starts_total"]) == year.starts_total, (original.name, year.year)
        assert shown(cached[year.row]["starts_share"]) == year.starts_share, (original.name, year.year)
        compared += 2
    for name in SUMMARY.names:
        row, col = SUMMARY.row(name.name), SUMMARY.value_column
        assert grid[SUMMARY.sheet][row - 1][col] == getattr(tracker, name.field), (original, name.name)
        compared += 1
    return compared, rags


@pytest.mark.libreoffice
def test_every_worked_out_cell_of_150_random_trackers_is_pythons(recalculated, read_back):
    total, rags = 0, set()
    for name, (_, converted) in recalculated.items():
        if name.startswith("random"):
            compared, seen = compare(read_back[name], converted)
            total, rags = total + compared, rags | seen
    assert rags == set(rules.RAGS)
    assert total > 5000


@pytest.mark.libreoffice
def test_the_random_trackers_reach_the_edges_of_the_rules(read_back):
    """Not a test of the formulas: a test that the random trackers exercise what the formulas must get right."""
    trackers = [tracker for name, tracker in read_back.items() if name.startswith("random")]
    targets = [t for tracker in trackers for t in tracker.targets]
    on_the_line = sum(1 for t in targets if t.latest is not None and t.expected is not None and t.latest == t.expected)
    codes = {issue.code for tracker in trackers for issue in tracker.issues}
    assert on_the_line >= 20
    assert {"duplicate-actual", "unknown-target-id", "target-before-baseline", "direction-contradicts"} <= codes
    assert {t.direction for t in targets} == set(rules.DIRECTIONS)
    assert max(t.actuals for t in targets) >= 6


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", ["hertfordshire", "sample", "blank"])
def test_a_tracker_saved_by_libreoffice_reads_back_the_same(recalculated, read_back, name):
    original, converted = recalculated[name]
    before, after = read_tracker(original, display="t.xlsx"), read_tracker(converted, display="t.xlsx")
    assert after == before  # issues included: no cached value disagrees, and the input hash is the same
    compare(read_back[name], converted)
    assert cell_errors(converted) == []


@pytest.mark.libreoffice
def test_a_formula_typed_over_is_a_cached_value_mismatch(recalculated):
    _, converted = recalculated["typed over"]
    tracker = read_tracker(converted)
    mismatches = {(i.sheet, i.cell) for i in tracker.issues if i.code == "cached-value-mismatch"}
    # The RAG typed over, and the counts of Green and Amber targets that followed it.
    assert mismatches == {(TARGETS.sheet, TARGETS.cell("rag", TARGETS.first_row)),
                          (SUMMARY.sheet, SUMMARY.cell("TargetsGreen")), (SUMMARY.sheet, SUMMARY.cell("TargetsAmber"))}
    assert tracker.targets[0].rag == rules.AMBER


@pytest.fixture(scope="module")
def printed(libreoffice, tmp_path_factory) -> tuple[Path, Path]:
    """The Hertfordshire example with a year of actuals, printed to a PDF and pictures."""
    if missing := poppler_missing():
        pytest.skip(f"{missing} is not installed")
    folder = tmp_path_factory.mktemp("printed")
    workbook = new_tracker(folder / "hertfordshire.xlsx", example="hertfordshire", region="East of England",
                           actuals=HERTFORDSHIRE.actuals, reporting_date=dt.date(2023, 7, 31))
    tool.render(workbook, folder / "pages", dpi=40)
    return workbook, folder / "pages" / "hertfordshire.pdf"


@pytest.mark.libreoffice
def test_the_monitoring_sheet_prints_each_target_beside_its_line(printed):
    workbook, pdf = printed
    sheets = tool.sheet_of_each_page(pdf)
    pages = [n for n, sheet in enumerate(sheets, start=1) if sheet == "Monitoring"]
    words = " ".join(" ".join(page_words(pdf, n)) for n in pages)
    assert len(pages) <= 6
    for caption in ("T1 (Amber):", "T3 (Not set):", "T4 (Red):", "T9 (Green):"):
        assert caption in words, caption
    assert "Quarterly monitoring" in words and "6,159" in words  # T1's expected value, as the table shows it
    assert tool.one_page_wide_problems(workbook, pdf) == []
