"""The Excel functions (lga_xl.udfs) give the core library's answers for what Excel passes."""

from __future__ import annotations

import datetime as dt
import inspect
import random
import shutil
import subprocess
import sys
import textwrap

import openpyxl
import pytest
import xlwings

from lga_xl import levy, udfs
from lga_xl.maturity import load_edition
from lga_xl.rating import LABELS, LevelCount, label_score, rate, rate_statuses
from lga_xl.readers.self_assessment import read_self_assessment
from lga_xl.udfs import (
    LEVY_DUE,
    LEVY_FUNDS_IN,
    MATURITY_RATING,
    MATURITY_SCORE,
    PUBLIC_SECTOR_TARGET,
    RATING_SCORE,
    SCORE_RATING,
    TRANSFER_ALLOWANCE,
    TRANSFER_HEADROOM,
    UdfInputError,
)
from lga_xl.writers.self_assessment import new_self_assessment
from tests.support.fillings import edge_case_answers, random_answers

STATUS_HELP = "use Achieved, In progress, Not started or Not applicable"
TODAY = dt.date.today()


def excel_serial(day: dt.date) -> float:
    """A date as Excel (1900 system) passes it to xlwings Lite."""
    return float((day - dt.date(1899, 12, 30)).days)


# What Excel passes for a range: a column, a row, a flat list, a 2-D block.


def as_column(cells):
    return [[cell] for cell in cells]


def as_row(cells):
    return [list(cells)]


def as_block(cells, width=3):
    padded = list(cells) + [None] * (-len(cells) % width)
    return [padded[i:i + width] for i in range(0, len(padded), width)]


SHAPES = {"column": as_column, "row": as_row, "list": list, "block": as_block}


def leadership(dev: int, mat: int, mre: int):
    """Leadership and Culture (D=5, G=7, M=9) with the first n of each level achieved."""
    levels, statuses = [], []
    for level, size, achieved in (("Developing", 5, dev), ("Maturing", 7, mat), ("Mature", 9, mre)):
        levels += [level] * size
        statuses += ["Achieved"] * achieved + ["Not started"] * (size - achieved)
    return levels, statuses


WORKED_EXAMPLES = [  # docs/rating.md
    ((5, 4, 0), "Developing +"),
    ((5, 3, 0), "Developing"),
    ((5, 1, 1), "Developing +"),
    ((2, 0, 0), "Early"),
    ((3, 0, 0), "Early +"),
    ((4, 7, 0), "Maturing"),
]


# Maturity rating.


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize(("achieved", "label"), WORKED_EXAMPLES)
def test_worked_examples_in_every_shape_excel_passes(achieved, label, shape):
    levels, statuses = leadership(*achieved)
    core = rate([LevelCount(5, achieved[0]), LevelCount(7, achieved[1]), LevelCount(9, achieved[2])])
    to_range = SHAPES[shape]
    assert MATURITY_RATING(to_range(levels), to_range(statuses)) == core.label == label
    assert MATURITY_SCORE(to_range(levels), to_range(statuses)) == core.score == label_score(label)


def test_blank_statuses_count_as_not_answered_and_empty_rows_are_skipped():
    levels, statuses = leadership(5, 4, 0)
    for blank in (None, "", "   "):
        with_blanks = [blank if status == "Not started" else status for status in statuses]
        # a range that runs past the table: trailing rows with neither level nor status
        assert MATURITY_RATING(as_column(levels + [None, ""]), as_column(with_blanks + [blank, None])) == "Developing +"
    # a strand with no answer yet is not rated, and has no score (an empty cell)
    assert MATURITY_RATING(as_column([None, "", "Mature"]), as_column([None, None, " "])) == "Not rated"
    assert MATURITY_SCORE(as_column(["Developing", "Mature"]), as_column([None, ""])) is None


def test_early_rows_are_ignored_like_the_library():
    levels, statuses = leadership(5, 3, 0)
    levels, statuses = ["Early"] * 5 + levels, [None] * 5 + statuses
    assert MATURITY_RATING(levels, statuses) == rate_statuses(levels, statuses).label == "Developing"


def test_loose_statuses_and_levels_count_as_the_library_counts_them():
    levels = ["Developing", "developing", " DEVELOPING ", "Maturing", "maturing"]
    statuses = ["achieved", " Achieved ", "N/A", "ACHIEVED", "not-started"]
    assert MATURITY_RATING(levels, statuses) == rate_statuses(["Developing"] * 3 + ["Maturing"] * 2, statuses).label
    assert MATURITY_RATING(levels, statuses) == "Developing +"


def test_strand_filter_rates_only_that_strands_rows():
    lc_levels, lc_statuses = leadership(5, 4, 0)
    en_levels, en_statuses = ["Developing"] * 5, ["Achieved", "Achieved", None, None, None]
    levels, statuses = lc_levels + en_levels, lc_statuses + en_statuses
    strands = ["Leadership and Culture"] * len(lc_levels) + ["Engagement"] * len(en_levels)
    table = (as_column(levels), as_column(statuses), as_column(strands))
    assert MATURITY_RATING(*table, "Leadership and Culture") == "Developing +"
    assert MATURITY_RATING(*table, "Engagement") == rate_statuses(en_levels, en_statuses).label == "Early"
    assert MATURITY_RATING(*table, [["  engagement "]]) == "Early"  # a cell, loosely spelt
    assert MATURITY_SCORE(*table, "Leadership and Culture") == 2.5
    # the filter only looks at the strand's rows: a bad status elsewhere does not matter
    statuses[0] = "Yes"
    assert MATURITY_RATING(as_column(levels), as_column(statuses), as_column(strands), "Engagement") == "Early"


def test_the_elements_table_of_a_generated_workbook_rates_as_the_reader_does(tmp_path):
    model = load_edition()
    fillings = dict(edge_case_answers(model))
    rng = random.Random(5)
    fillings.update({f"random-{i}": random_answers(rng, model) for i in range(4)})
    fillings["loose"] = {e.id: rng.choice(["achieved", "N/A", "in progress", None]) for e in model.scored_elements}
    for name, answers in fillings.items():
        path = new_self_assessment(tmp_path / f"{name}.xlsx", answers=answers)
        columns = elements_table_columns(path)
        for strand in read_self_assessment(path).strands:
            arguments = (columns["Level"], columns["Status"], columns["Strand"], strand.strand)
            assert (MATURITY_RATING(*arguments), MATURITY_SCORE(*arguments)) == (strand.current, strand.score), name


def elements_table_columns(path) -> dict[str, list[list]]:
    """The Elements table's columns as Excel passes Elements[Column]: one-cell rows."""
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        if "Elements" in ws.tables:
            rows = [[cell.value for cell in row] for row in ws[ws.tables["Elements"].ref]]
            header, body = rows[0], rows[1:]
            return {name: [[row[i]] for row in body] for i, name in enumerate(header)}
    raise AssertionError("no Elements table")


@pytest.mark.parametrize(
    ("levels", "statuses", "message"),
    [
        (["Developing"] * 8, ["Achieved"] * 6 + ["Yes", None],
         f"statuses row 7: 'Yes' is not a status; {STATUS_HELP}"),
        (as_block(["Developing"] * 6), as_block(["Achieved"] * 3 + [1.0] + ["Achieved"] * 2),
         f"statuses row 4: 1.0 is not a status; {STATUS_HELP}"),
        (as_column(["Developing", "Developng", "Mature"]), as_column(["Achieved", None, None]),
         "levels row 2: 'Developng' is not a level; use Early, Developing, Maturing or Mature"),
        (["Developing", None], ["Achieved", "Achieved"],
         "levels row 2: blank, but the element's status is 'Achieved'; "
         "give it a level: Early, Developing, Maturing or Mature"),
        (as_column(["Developing"] * 3), as_column(["Achieved"] * 2),
         "levels has 3 cells but statuses has 2 cells; give ranges of the same size, "
         "e.g. whole table columns such as Elements[Level] and Elements[Status]"),
        ("Developing", ["Achieved", "Achieved"],
         "levels has 1 cell but statuses has 2 cells; give ranges of the same size, "
         "e.g. whole table columns such as Elements[Level] and Elements[Status]"),
    ],
)
def test_bad_ranges_say_what_and_where(levels, statuses, message):
    for udf in (MATURITY_RATING, MATURITY_SCORE):
        with pytest.raises(UdfInputError) as caught:
            udf(levels, statuses)
        assert str(caught.value) == message


@pytest.mark.parametrize(
    ("strands", "strand", "message"),
    [
        (as_column(["Engagement"] * 2), "Engagment", "strand 'Engagment' matches no cell of strands"),
        (as_column(["Engagement"] * 2), None, 'strand is blank; name the strand to rate, e.g. "Engagement"'),
        (as_column(["Engagement"] * 2), "  ", 'strand is blank; name the strand to rate, e.g. "Engagement"'),
        (None, "Engagement",
         "strands is missing; to rate one strand give the strand column too, e.g. Elements[Strand]"),
        (as_column(["Engagement"] * 3), "Engagement",
         "levels has 2 cells but strands has 3 cells; give ranges of the same size, "
         "e.g. whole table columns such as Elements[Level] and Elements[Status]"),
        (as_column(["Engagement"] * 2), [["Engagement", "Workforce Development"]],
         "strand must be one cell, not a range of 2 cells"),
    ],
)
def test_bad_strand_filters_say_what_is_wrong(strands, strand, message):
    with pytest.raises(UdfInputError) as caught:
        MATURITY_RATING(as_column(["Developing"] * 2), as_column(["Achieved"] * 2), strands, strand)
    assert str(caught.value) == message


# Rating labels and scores.


@pytest.mark.parametrize("label", LABELS)
def test_rating_score_and_score_rating_match_the_library(label):
    score = label_score(label)
    assert RATING_SCORE(label) == RATING_SCORE([[label]]) == score
    assert SCORE_RATING(score) == SCORE_RATING(str(score)) == SCORE_RATING([[score]]) == label


def test_rating_labels_are_read_loosely():
    assert RATING_SCORE(" developing+ ") == 2.5
    assert RATING_SCORE("MATURING +") == 3.5


@pytest.mark.parametrize(
    ("udf", "value", "message"),
    [
        (RATING_SCORE, "Excellent", "label: 'Excellent' is not a rating; use one of Early, Early +, Developing, "
                                    "Developing +, Maturing, Maturing +, Mature"),
        (RATING_SCORE, None, "label is blank"),
        (SCORE_RATING, 2.3, "score: 2.3 is not a rating score; use 1, 1.5, 2, 2.5, 3, 3.5 or 4"),
        (SCORE_RATING, 5, "score: 5 is not a rating score; use 1, 1.5, 2, 2.5, 3, 3.5 or 4"),
        (SCORE_RATING, "high", "score must be a number, not 'high'"),
        (SCORE_RATING, True, "score must be a number, not True"),
    ],
)
def test_bad_labels_and_scores(udf, value, message):
    with pytest.raises(UdfInputError) as caught:
        udf(value)
    assert str(caught.value) == message


# The levy.


@pytest.mark.parametrize("pay_bill", [10_000_000, 10_000_000.0, "10,000,000", " 10000000 ", "£10,000,000",
                                      [[10_000_000.0]]])
def test_levy_due_reads_numbers_as_excel_passes_them(pay_bill):
    assert LEVY_DUE(pay_bill) == float(levy.levy_due(10_000_000)) == 35_000.0


@pytest.mark.parametrize("pay_bill", [0, 3_000_000, 3_000_001, 12_345_678.91])
def test_levy_due_matches_the_library(pay_bill):
    assert LEVY_DUE(pay_bill) == float(levy.levy_due(pay_bill))


WORKED_TRANSFER = dt.date(2019, 3, 1)  # levy entering in 2018-19, with the 10% top-up


@pytest.mark.parametrize("english_percent", [90, 90.0, 0.9, "90%", " 90 % ", "90", [[0.9]]])
@pytest.mark.parametrize("entered_on", [
    WORKED_TRANSFER,
    dt.datetime(2019, 3, 1, 0, 0),
    excel_serial(WORKED_TRANSFER),
    excel_serial(WORKED_TRANSFER) + 0.75,  # a date and time
    "2019-03-01",
    "01/03/2019",
])
def test_levy_funds_in_worked_example(english_percent, entered_on):
    expected = levy.funds_entering(500_000, "0.9", on=WORKED_TRANSFER)
    assert LEVY_FUNDS_IN("500,000", english_percent, entered_on) == float(expected) == 495_000.0


def test_levy_funds_in_has_no_top_up_from_august_2026_and_defaults_to_today():
    assert excel_serial(dt.date(2026, 8, 1)) == 46235.0
    assert LEVY_FUNDS_IN(500_000, 90, 46235.0) == 450_000.0
    assert LEVY_FUNDS_IN(500_000, 90, 46234.0) == 495_000.0
    assert LEVY_FUNDS_IN(500_000, 90) == LEVY_FUNDS_IN(500_000, 90, None) == float(
        levy.funds_entering(500_000, "0.9", on=TODAY))


def test_english_percent_up_to_one_is_a_fraction_above_one_a_percentage():
    assert LEVY_FUNDS_IN(1000, 1, 46235.0) == LEVY_FUNDS_IN(1000, 100, 46235.0) == 1000.0
    assert LEVY_FUNDS_IN(1000, 0.5, 46235.0) == LEVY_FUNDS_IN(1000, 50, 46235.0) == 500.0
    assert LEVY_FUNDS_IN(1000, "1%", 46235.0) == LEVY_FUNDS_IN(1000, 0.01, 46235.0) == 10.0
    assert LEVY_FUNDS_IN(1000, 0, 46235.0) == 0.0


def test_transfer_allowance_worked_example():
    """500,000 levy x 90% English = 450,000, + 10% = 495,000, x 25% = 123,750."""
    funds = LEVY_FUNDS_IN(500_000, 0.9, WORKED_TRANSFER)
    for rate_or_date in (0.25, "25%", [[0.25]], dt.date(2019, 4, 6), excel_serial(dt.date(2023, 4, 6)),
                         "2020-04-06", dt.datetime(2024, 4, 21, 23, 59)):
        assert TRANSFER_ALLOWANCE(funds, rate_or_date) == 123_750.0
    assert TRANSFER_ALLOWANCE(funds, 0.25) == float(levy.transfer_allowance(495_000, "0.25"))


def test_transfer_rate_from_a_date_is_the_statutory_rate_then_and_defaults_to_today():
    funds = 495_000
    assert TRANSFER_ALLOWANCE(funds, dt.date(2024, 4, 22)) == 247_500.0  # 50%
    assert TRANSFER_ALLOWANCE(funds, dt.date(2018, 4, 6)) == 49_500.0  # 10%
    assert TRANSFER_ALLOWANCE(funds, dt.date(2017, 4, 6)) == 0.0  # no transfers in the first year
    assert TRANSFER_ALLOWANCE(funds, 1) == 495_000.0  # a rate of 1 (100%), not a date
    assert TRANSFER_ALLOWANCE(funds) == TRANSFER_ALLOWANCE(funds, "") == float(
        levy.transfer_allowance(funds, levy.transfer_rate(TODAY)))


def test_transfer_headroom_matches_the_library():
    assert TRANSFER_HEADROOM(495_000, 100_000, 0.25) == 23_750.0
    assert TRANSFER_HEADROOM("495,000", "130,000", "25%") == 0.0  # over-committed: never below 0
    assert TRANSFER_HEADROOM(495_000, 100_000, dt.date(2019, 4, 6)) == float(
        levy.transfer_headroom(495_000, 100_000, "0.25"))
    assert TRANSFER_HEADROOM(495_000, 0) == float(
        levy.transfer_headroom(495_000, 0, levy.transfer_rate(TODAY)))


@pytest.mark.parametrize(("headcount", "whole", "target"),
                         [(1000, 1000, 23), (1000.0, 1000, 23), ("1,001", 1001, 24), (" 0 ", 0, 0)])
def test_public_sector_target_matches_the_library(headcount, whole, target):
    assert PUBLIC_SECTOR_TARGET(headcount) == levy.public_sector_target(whole) == target


RATE_OR_DATE_HELP = "rate_or_date must be a rate from 0 to 1 (such as 25%) or a date from 06 April 2017, not "


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: LEVY_DUE(-5), "pay_bill must be 0 or more, not -5"),
        (lambda: LEVY_DUE("-5,000"), "pay_bill must be 0 or more, not -5000"),
        (lambda: LEVY_DUE(None), "pay_bill is blank"),
        (lambda: LEVY_DUE(" "), "pay_bill is blank"),
        (lambda: LEVY_DUE("lots"), "pay_bill must be a number, not 'lots'"),
        (lambda: LEVY_DUE(dt.date(2026, 1, 1)), "pay_bill must be a number, not datetime.date(2026, 1, 1)"),
        (lambda: LEVY_DUE([[1], [2]]), "pay_bill must be one cell, not a range of 2 cells"),
        (lambda: LEVY_FUNDS_IN(500_000, 150, None),
         "english_percent must be between 0 and 100 (type 90 or 90%), not 150"),
        (lambda: LEVY_FUNDS_IN(500_000, "-5%", None),
         "english_percent must be between 0 and 100 (type 90 or 90%), not '-5%'"),
        (lambda: LEVY_FUNDS_IN(500_000, None, None), "english_percent is blank"),
        (lambda: LEVY_FUNDS_IN(500_000, 90, "next year"),
         "entered_on must be a date (a date cell, or text like 2026-08-01 or 01/08/2026), not 'next year'"),
        (lambda: LEVY_FUNDS_IN(500_000, 90, dt.date(2016, 4, 1)),
         "no levy funds entered accounts before the levy began on 06 April 2017"),
        (lambda: LEVY_FUNDS_IN("abc", 90, None), "levy must be a number, not 'abc'"),
        (lambda: TRANSFER_ALLOWANCE(-1, 0.25), "previous_year_funds must be 0 or more, not -1"),
        (lambda: TRANSFER_ALLOWANCE(495_000, 25), RATE_OR_DATE_HELP + "25"),
        (lambda: TRANSFER_ALLOWANCE(495_000, "125%"), RATE_OR_DATE_HELP + "'125%'"),
        (lambda: TRANSFER_ALLOWANCE(495_000, -0.25), RATE_OR_DATE_HELP + "-0.25"),
        (lambda: TRANSFER_ALLOWANCE(495_000, "soon"), RATE_OR_DATE_HELP + "'soon'"),
        (lambda: TRANSFER_ALLOWANCE(495_000, dt.date(2016, 1, 1)), RATE_OR_DATE_HELP + "datetime.date(2016, 1, 1)"),
        (lambda: TRANSFER_HEADROOM(495_000, -1, 0.25), "committed must be 0 or more, not -1"),
        (lambda: TRANSFER_HEADROOM(495_000, None, 0.25), "committed is blank"),
        (lambda: PUBLIC_SECTOR_TARGET(10.5), "headcount must be a whole number, not 10.5"),
        (lambda: PUBLIC_SECTOR_TARGET(-1), "headcount must be 0 or more, not -1"),
    ],
)
def test_bad_levy_inputs_say_what_is_wrong(call, message):
    with pytest.raises(UdfInputError) as caught:
        call()
    assert str(caught.value) == message


# The functions' shape and the error mechanism.


def test_every_function_has_the_documented_arguments():
    signatures = {name: list(inspect.signature(getattr(udfs, name)).parameters) for name in udfs.__all__
                  if name != "UdfInputError"}
    assert signatures == {
        "MATURITY_RATING": ["levels", "statuses", "strands", "strand"],
        "MATURITY_SCORE": ["levels", "statuses", "strands", "strand"],
        "RATING_SCORE": ["label"],
        "SCORE_RATING": ["score"],
        "LEVY_DUE": ["pay_bill"],
        "LEVY_FUNDS_IN": ["levy", "english_percent", "entered_on"],
        "TRANSFER_ALLOWANCE": ["previous_year_funds", "rate_or_date"],
        "TRANSFER_HEADROOM": ["previous_year_funds", "committed", "rate_or_date"],
        "PUBLIC_SECTOR_TARGET": ["headcount"],
        "TARGET_TRAJECTORY": ["baseline", "baseline_date", "target", "target_date", "on_date"],
        "TARGET_RAG": ["latest", "expected", "baseline", "target", "direction", "amber_within"],
        "STANDARD_FOR_ROLE": ["job_title", "standards_range"],
    }
    for name in signatures:
        udf = getattr(udfs, name)
        assert udf.__doc__ and len(udf.__doc__.splitlines()[0]) <= 100, name  # Excel's description
        assert "=" + name + "(" in udf.__doc__, f"{name}'s docstring has no Excel example"


def test_an_input_error_is_a_value_error_whose_text_is_the_message():
    with pytest.raises(ValueError) as caught:
        LEVY_DUE(-5)
    assert type(caught.value) is UdfInputError
    assert str(caught.value) == caught.value.description == "pay_bill must be 0 or more, not -5"


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=120, check=False)


def test_under_classic_xlwings_an_input_error_is_a_com_exception_carrying_the_message():
    """pywin32 passes a COMException's description to the cell as it is (stubbed here)."""
    result = run_python("""
        import sys, types
        com_error = type("com_error", (Exception,), {})
        COMException = type("COMException", (com_error,), {})
        for name in ("win32com", "win32com.server", "win32com.server.exception"):
            sys.modules[name] = types.ModuleType(name)
        sys.modules["win32com.server.exception"].COMException = COMException
        from lga_xl.udfs import LEVY_DUE
        try:
            LEVY_DUE(-5)
        except COMException as err:
            assert isinstance(err, ValueError)
            print(err.description + "|" + str(err))
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "pay_bill must be 0 or more, not -5|pay_bill must be 0 or more, not -5"


def test_the_module_imports_without_the_packages_xlwings_lite_cannot_load():
    result = run_python("""
        import importlib.abc, sys
        BLOCKED = {"openpyxl", "python_calamine", "pandas", "pydantic", "pydantic_core"}

        class Block(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in BLOCKED:
                    raise ImportError(f"{name} is blocked (not available in xlwings Lite)")
                return None

        sys.meta_path.insert(0, Block())
        import lga_xl.udfs as udfs
        assert udfs.MATURITY_RATING([["Developing"]], [["Achieved"]]) == "Developing"
        assert udfs.TRANSFER_ALLOWANCE(495000, 0.25) == 123750.0
        print(sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED))
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


# The "validate this workbook" macro.


class FakeRange:
    def __init__(self, sheet):
        self.sheet = sheet

    @property
    def value(self):
        return self.sheet.rows

    @value.setter
    def value(self, rows):
        self.sheet.rows = rows


class FakeSheet:
    def __init__(self, name):
        self.name, self.rows, self.active = name, [["old"]], False

    def __getitem__(self, address):
        assert address == "A1"
        return FakeRange(self)

    def clear_contents(self):
        self.rows = []

    def activate(self):
        self.active = True


class FakeSheets(list):
    def __getitem__(self, key):
        return next(s for s in self if s.name == key) if isinstance(key, str) else list.__getitem__(self, key)

    def add(self, name, after):
        assert after is self[-1]
        self.append(FakeSheet(name))
        return self[-1]


class FakeBook:
    """What validate_active_workbook uses of xlwings.Book.caller(): Excel saving a copy, and sheets."""

    def __init__(self, path):
        self.name = path.name
        self.sheets = FakeSheets(FakeSheet(name) for name in ("Cover", "Assessment"))
        self.api = self
        self.path = path

    def SaveCopyAs(self, copy):  # noqa: N802 (Excel's COM method name)
        shutil.copy(self.path, copy)


def test_validate_active_workbook_lists_the_issues_on_an_issues_sheet(tmp_path, monkeypatch):
    path = new_self_assessment(tmp_path / "return.xlsx", org_name="Exampleshire", region="London",
                               answers={"LC-D1": "Yes", "LC-D2": "achieved"})
    book = FakeBook(path)
    monkeypatch.setattr(xlwings.Book, "caller", staticmethod(lambda: book))

    udfs.validate_active_workbook()

    sheet = book.sheets["Issues"]
    header, *rows = sheet.rows
    assert header == ["Severity", "Code", "Message", "Sheet", "Cell"]
    assert ["error", "unknown-status", f"LC-D1: 'Yes' is not a status; {STATUS_HELP}", "Assessment",
            "=HYPERLINK(\"#'Assessment'!E5\",\"E5\")"] in rows  # the cell, as a link that goes there
    assert any(row[1] == "value-normalised" for row in rows)
    assert sheet.active

    sheet.rows = [["stale"]]
    udfs.validate_active_workbook()  # again: the same sheet, cleared and refilled
    assert [s.name for s in book.sheets].count("Issues") == 1
    assert sheet.rows[0] == header and ["stale"] not in sheet.rows


def test_validate_active_workbook_says_so_when_there_is_nothing_to_fix(tmp_path, monkeypatch):
    book = FakeBook(new_self_assessment(tmp_path / "clean.xlsx"))
    monkeypatch.setattr(xlwings.Book, "caller", staticmethod(lambda: book))
    monkeypatch.setattr("lga_xl.readers.validate", lambda path, display: [])
    udfs.validate_active_workbook()
    assert book.sheets["Issues"].rows == [["Severity", "Code", "Message", "Sheet", "Cell"],
                                          ["", "", "No issues found.", "", ""]]


def test_issue_text_that_looks_like_a_formula_is_written_as_text():
    assert udfs._cell_text("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert udfs._cell_text("-5 staff") == "'-5 staff"
    assert udfs._cell_text("LC-D1: fine") == "LC-D1: fine"
