"""Excel functions (xlwings) for the Maturity Model rating and the Apprenticeship Levy.

Power users type these into their own sheets, for example
``=MATURITY_RATING(Elements[Level], Elements[Status], Elements[Strand], "Engagement")``.
They are thin wrappers: every rule lives in :mod:`lga_xl.rating`,
:mod:`lga_xl.levy`, :mod:`lga_xl.targets` and :mod:`lga_xl.role_matching`, and
this module only turns what Excel passes into what those modules take.
The README section "Using the functions in Excel" is the user's guide.

One module serves both flavours of xlwings: classic xlwings (the Windows
add-in: ``UDF MODULES`` = ``lga_xl.udfs``, then Import Functions) and xlwings
Lite (Python in the browser inside Excel: import the functions into
``main.py``).  Lite runs on Pyodide, so at import time this module loads only
xlwings and the pure core, never openpyxl, pandas, python-calamine or pydantic;
the classic-only macro :func:`validate_active_workbook` imports the readers
when it runs.

How the values Excel passes are read:

* A range argument may be one cell, a row, a column or a block; its cells are
  read row by row, and "row 7" in a message is the 7th cell of the range.
* Blank cells (None, "" or only spaces) are blank.
* Numbers typed as text ("1,250", " 3000 ", "£3,000") are numbers.
* Dates may be date cells (classic xlwings passes a datetime), Excel serial
  numbers in the 1900 date system (xlwings Lite passes 46235 for 1 August
  2026), or text like 2026-08-01 or 01/08/2026.
* Percentages: 90% arrives as 0.9.  ``english_percent`` reads a number up to 1
  as a fraction and a larger one as a percentage, so 90, 90% and "90%" all
  mean 90% (and 1 means 100%).  A rate in ``rate_or_date`` is 0 to 1 (25%).
* Statuses are read as lga_xl reads returned workbooks
  (:func:`lga_xl.rating.parse_status`): loose spellings such as "achieved" or
  "N/A" count, silently, so a function gives the rating ``lga-xl validate``
  gives (which also warns about them).  Levels, strand names and rating labels
  are matched the same loose way (case, spaces, hyphens).

Bad input raises :class:`UdfInputError`, whose text says what and where, e.g.
"statuses row 7: 'Yes' is not a status; use Achieved, In progress, Not started
or Not applicable".  Classic xlwings shows exactly that text in the cell;
xlwings Lite shows ``#VALUE!`` with the text on the cell's error flag.

Example:
    >>> MATURITY_RATING([["Developing"], ["Developing"]], [["Achieved"], ["achieved"]])
    'Developing'
    >>> TRANSFER_ALLOWANCE(LEVY_FUNDS_IN(500_000, 90, "2019-03-01"), 0.25)
    123750.0
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import xlwings
from xlwings import arg, func

from . import cells, issue_sheet
from .levy import (
    LEVY_START,
    funds_entering,
    levy_due,
    public_sector_target,
    transfer_allowance,
    transfer_headroom,
    transfer_rate,
)
from .rating import (
    LABELS,
    LEVELS,
    Rating,
    StatusError,
    count_levels,
    label_score,
    parse_status,
    rate,
    score_label,
)
from .role_matching import RoleMatcher
from .standards import Standard, standard_from_fields
from .targets import NUMBER, expected_now, parse_value, target_rag
from .text import loose_choice, squash
from .usertext import Field, UserTextError, match_header

try:
    # Classic xlwings runs UDFs in a pywin32 COM server.  pywin32 hands Excel a
    # COMException's ``description`` as it is, while any other exception reaches
    # the cell as "Unexpected Python Error: Traceback ..." (pywin32 ErrorUtils.cpp),
    # reordered by the xlwings DLL but still a traceback.
    from win32com.server.exception import COMException as _ShownAsIsByClassicExcel
except ImportError:  # xlwings Lite (Pyodide), Linux and macOS have no pywin32
    _ShownAsIsByClassicExcel = Exception

__all__ = [
    "LEVY_DUE",
    "LEVY_FUNDS_IN",
    "MATURITY_RATING",
    "MATURITY_SCORE",
    "PUBLIC_SECTOR_TARGET",
    "RATING_SCORE",
    "SCORE_RATING",
    "STANDARD_FOR_ROLE",
    "TARGET_RAG",
    "TARGET_TRAJECTORY",
    "TRANSFER_ALLOWANCE",
    "TRANSFER_HEADROOM",
    "UdfInputError",
]

CATEGORY = "lga_xl"  # the Insert Function dialog's category (classic xlwings)
ISSUES_SHEET = issue_sheet.SHEET
ISSUE_COLUMNS = issue_sheet.COLUMNS
_FORMULA_START = ("=", "+", "-", "@")  # text starting so would become a formula when written to a cell


class UdfInputError(ValueError, _ShownAsIsByClassicExcel):
    """Input an Excel function cannot use; ``str(error)`` says what and where.

    It is a ``ValueError`` everywhere, and under classic xlwings also a pywin32
    ``COMException`` whose ``description`` is the same text, so the cell shows
    the message rather than a traceback.
    """

    def __init__(self, message: str):
        ValueError.__init__(self, message)
        self.description = message  # what pywin32 passes to Excel


# Public API: the Maturity Model.
#
# The Excel functions have no type hints on purpose: xlwings reads an argument's
# hint as a converter, and these arguments take whatever Excel passes.

_LEVELS_DOC = "Level of each element (Early, Developing, Maturing or Mature), e.g. Elements[Level]"
_STATUSES_DOC = "Status of each element, same size as levels, e.g. Elements[Status]; blank = not answered"
_STRANDS_DOC = "Optional: strand of each element, e.g. Elements[Strand]"
_STRAND_DOC = 'Optional: the strand to rate, e.g. "Engagement"'


@func(category=CATEGORY)
@arg("levels", ndim=2, doc=_LEVELS_DOC)
@arg("statuses", ndim=2, doc=_STATUSES_DOC)
@arg("strands", ndim=2, doc=_STRANDS_DOC)
@arg("strand", doc=_STRAND_DOC)
def MATURITY_RATING(levels, statuses, strands=None, strand=None):
    """Maturity rating of a strand, Not rated or Early to Mature, from its elements' levels and statuses.

    =MATURITY_RATING(Elements[Level], Elements[Status], Elements[Strand], "Engagement")
    Without strands and strand it rates every row given.
    """
    return _strand_rating(levels, statuses, strands, strand).label


@func(category=CATEGORY)
@arg("levels", ndim=2, doc=_LEVELS_DOC)
@arg("statuses", ndim=2, doc=_STATUSES_DOC)
@arg("strands", ndim=2, doc=_STRANDS_DOC)
@arg("strand", doc=_STRAND_DOC)
def MATURITY_SCORE(levels, statuses, strands=None, strand=None):
    """Maturity score of one strand, 1 (Early) to 4 (Mature) in halves, blank while it is not rated.

    =MATURITY_SCORE(Elements[Level], Elements[Status], Elements[Strand], "Engagement")
    """
    return _strand_rating(levels, statuses, strands, strand).score


@func(category=CATEGORY)
@arg("label", doc="A rating: Early, Early +, Developing, Developing +, Maturing, Maturing + or Mature")
def RATING_SCORE(label):
    """Score of a rating label: Early 1, Early + 1.5, ... Mature 4.

    =RATING_SCORE("Developing +") gives 2.5
    """
    text = _required(label, "label")
    with _library_errors("label: "):
        # An unrecognised label goes to the library as typed, for its message.
        return label_score(loose_choice(text, LABELS) or text)


@func(category=CATEGORY)
@arg("score", doc="A score 1, 1.5, 2, 2.5, 3, 3.5 or 4")
def SCORE_RATING(score):
    """Rating label of a score: 1 Early, 1.5 Early +, ... 4 Mature.

    =SCORE_RATING(2.5) gives "Developing +"
    """
    number = _number(score, "score")
    with _library_errors("score: "):
        return score_label(number)


# Public API: the levy.


@func(category=CATEGORY)
@arg("pay_bill", doc="Annual pay bill in GBP, 0 or more")
def LEVY_DUE(pay_bill):
    """Annual Apprenticeship Levy: 0.5% of the pay bill less the 15,000 GBP allowance, never below 0.

    =LEVY_DUE(10000000) gives 35000
    """
    with _library_errors():
        return float(levy_due(_number(pay_bill, "pay_bill")))


@func(category=CATEGORY)
@arg("levy", doc="Levy paid in GBP (negative for an adjustment)")
@arg("english_percent", doc="Share of the pay bill for staff living in England: 90 or 90%")
@arg("entered_on", doc="Optional: date the funds enter the account (the top-up depends on it); default today")
def LEVY_FUNDS_IN(levy, english_percent, entered_on=None):
    """Funds entering the levy account: levy x English % plus the 10% top-up (none from 1 August 2026).

    =LEVY_FUNDS_IN(500000, 90%, DATE(2026,7,1)) gives 495000
    """
    with _library_errors():
        fraction = _english_fraction(english_percent)
        return float(funds_entering(_number(levy, "levy"), fraction, on=_day(entered_on, "entered_on")))


_FUNDS_DOC = "Funds that entered the account in the previous tax year (levy x English % + top-up), GBP"
_RATE_OR_DATE_DOC = "Optional: a rate 0 to 1 (25%), or a date for the statutory rate then; default today's rate"


@func(category=CATEGORY)
@arg("previous_year_funds", doc=_FUNDS_DOC)
@arg("rate_or_date", doc=_RATE_OR_DATE_DOC)
def TRANSFER_ALLOWANCE(previous_year_funds, rate_or_date=None):
    """Transfer allowance: a share (the transfer rate) of last tax year's funds.

    =TRANSFER_ALLOWANCE(495000, 25%) gives 123750
    The rate is as given, or the statutory rate on a date (today's by default).
    """
    with _library_errors():
        return float(transfer_allowance(_number(previous_year_funds, "previous_year_funds"),
                                        _transfer_rate(rate_or_date)))


@func(category=CATEGORY)
@arg("previous_year_funds", doc=_FUNDS_DOC)
@arg("committed", doc="Transfers and pledges already committed this tax year, GBP")
@arg("rate_or_date", doc=_RATE_OR_DATE_DOC)
def TRANSFER_HEADROOM(previous_year_funds, committed, rate_or_date=None):
    """Transfer allowance still free: allowance less commitments, never below 0.

    =TRANSFER_HEADROOM(495000, 100000, 25%) gives 23750
    """
    with _library_errors():
        return float(transfer_headroom(_number(previous_year_funds, "previous_year_funds"),
                                       _number(committed, "committed"), _transfer_rate(rate_or_date)))


@func(category=CATEGORY)
@arg("headcount", doc="Staff in England at the start of the period, a whole number")
def PUBLIC_SECTOR_TARGET(headcount):
    """Apprenticeship starts for the public sector target: 2.3% of headcount, rounded up.

    =PUBLIC_SECTOR_TARGET(1001) gives 24
    """
    with _library_errors():
        return public_sector_target(_number(headcount, "headcount"))


# Public API: growth-strategy targets.

_BASELINE_DOC = "Baseline value: a number, 74%, 1 in 10 or £250,000; blank while the measure is to be agreed"
_TARGET_DOC = "Target value, in the same terms as baseline"


@func(category=CATEGORY)
@arg("baseline", doc=_BASELINE_DOC)
@arg("baseline_date", doc="Date of the baseline (a year such as 2021/22 is stored as the date it ends)")
@arg("target", doc=_TARGET_DOC)
@arg("target_date", doc="Date the target is due, after baseline_date and at most ten years later")
@arg("on_date", doc="Date to work out the expected value for, usually the latest actual's date")
def TARGET_TRAJECTORY(baseline, baseline_date, target, target_date, on_date):
    """Expected value on a date: the straight line from baseline to target, to 4 decimals.

    =TARGET_TRAJECTORY(5435, "2022-07-31", 7609, "2025-07-31", "2023-07-31") gives 6159.0055
    Blank if any input is blank.
    """
    with _library_errors():
        values = (_target_value(baseline, "baseline"), _target_value(target, "target"))
        days = tuple(_target_day(value, name) for value, name in ((baseline_date, "baseline_date"),
                                                                   (target_date, "target_date"), (on_date, "on_date")))
        if None in values or None in days:
            return ""
        return float(expected_now(values[0], days[0], values[1], days[1], days[2]))


@func(category=CATEGORY)
@arg("latest", doc="Latest actual; blank gives No data")
@arg("expected", doc="Expected value now, from TARGET_TRAJECTORY at the latest actual's date")
@arg("baseline", doc=_BASELINE_DOC)
@arg("target", doc=_TARGET_DOC)
@arg("direction", doc="Optional: Increase or Decrease; by default worked out from baseline and target")
@arg("amber_within", doc="Optional: the Amber band as a share of target - baseline, in steps of 0.1%; default 10%")
def TARGET_RAG(latest, expected, baseline, target, direction=None, amber_within=None):
    """Green, Amber or Red against the trajectory; Not set or No data when figures are missing.

    =TARGET_RAG(6120, 6159.0055, 5435, 7609) gives "Amber"
    Amber: behind by at most amber_within x (target - baseline).
    """
    with _library_errors():
        rate = _single(amber_within, "amber_within")
        if not _is_blank(rate):
            rate = _percent_text(rate, "amber_within") or _number(rate, "amber_within")
        return target_rag(
            _target_value(latest, "latest"), _target_value(expected, "expected"),
            _target_value(baseline, "baseline"), _target_value(target, "target"),
            direction=None if _is_blank(_single(direction, "direction")) else _single(direction, "direction"),
            amber_within=None if _is_blank(rate) else rate,
        )


# Public API: job roles and apprenticeship standards.

# The columns of a standards table, found by header (any case; "Typical job titles" or "Job titles", ...).
STANDARD_TABLE_FIELDS = (
    Field("reference", ("Reference", "Reference number", "Ref", "Standard reference", "Standard")),
    Field("title", ("Title", "Standard title", "Standard name", "Name")),
    Field("level", ("Level",)),
    Field("typical_job_titles", ("Typical job titles", "Job titles", "Typical job title"), required=False),
    Field("keywords", ("Keywords", "Keyword"), required=False),
    Field("status", ("Status",), required=False),
)
_MATCHERS: dict[tuple, RoleMatcher] = {}  # the last few standards tables seen, each indexed once
_MATCHERS_KEPT = 4


@func(category=CATEGORY)
@arg("job_title", doc='A job title as the council writes it, e.g. "Snr Care Worker"; blank gives blank')
@arg("standards_range", ndim=2, doc="A standards table with its header row: Reference, Title, Level, and "
                                     "Typical job titles, Keywords, Status if given; e.g. Standards[#All]")
def STANDARD_FOR_ROLE(job_title, standards_range):
    """Reference of the standard best suited to a job title, from a table of standards; blank if none fits.

    =STANDARD_FOR_ROLE("Snr Care Worker", Standards[#All]) gives ST0006
    Retired and withdrawn standards are never given.
    """
    title = _single(job_title, "job_title")
    if _is_blank(title):
        return ""
    suggestions = _matcher(standards_range).suggest(cells.text(title) or "")
    return suggestions[0].reference if suggestions else ""


# Public API: the Python side of the macros in macros/lga_xl.bas (classic xlwings only).


def validate_active_workbook() -> None:
    """Check the workbook that ran the macro and list its issues on its Issues sheet.

    Runs from the "validate this workbook" button (``RunPython``).  The
    workbook is checked as it is on screen, saved or not: Excel saves a copy
    for lga_xl to read, and the workbook itself is not saved.  The sheet has
    the layout of the adviser's annotated copy (:mod:`lga_xl.issue_sheet`):
    each problem's cell is a link to it.
    """
    from .readers import validate  # openpyxl and python-calamine: a desktop Python only

    book = xlwings.Book.caller()
    with tempfile.TemporaryDirectory() as folder:
        copy = os.path.join(folder, book.name)  # same name, so the same file type
        book.api.SaveCopyAs(copy)
        issues = validate(copy, display=book.name)
    names = [sheet.name for sheet in book.sheets]
    if ISSUES_SHEET in names:
        sheet = book.sheets[ISSUES_SHEET]
        sheet.clear_contents()
    else:
        sheet = book.sheets.add(ISSUES_SHEET, after=book.sheets[len(names) - 1])
    rows = [["=" + cell.formula if isinstance(cell, issue_sheet.Link) else _cell_text(cell) for cell in row]
            for row in issue_sheet.issue_rows(issues)]
    sheet["A1"].value = [list(ISSUE_COLUMNS), *rows]
    sheet.activate()


# Private API: reading what Excel passes.


def _matcher(standards_range) -> RoleMatcher:
    """A matcher over a standards table as Excel passes it (header row first), built once per table."""
    rows = [list(row) if isinstance(row, (list, tuple)) else [row] for row in
            (standards_range if isinstance(standards_range, (list, tuple)) else [[standards_range]])]
    key = tuple(tuple(row) for row in rows)
    if key in _MATCHERS:
        return _MATCHERS[key]
    if len(rows) < 2:
        raise UdfInputError("standards_range must be a table of standards with its header row, e.g. "
                            "Standards[#All]")
    header = [cells.text(cell) or "" for cell in rows[0]]
    try:
        columns = match_header(header, STANDARD_TABLE_FIELDS, source="standards_range")
    except UserTextError as err:
        raise UdfInputError(f"standards_range row 1: {err.reason}") from None
    standards: list[Standard] = []
    for number, row in enumerate(rows[1:], start=2):
        if all(_is_blank(cell) for cell in row):
            continue
        fields = {name: row[index] if index < len(row) else None for name, index in columns.items()}
        try:
            standards.append(standard_from_fields(fields, require_funding=False))
        except ValueError as err:
            raise UdfInputError(f"standards_range row {number}: {err}") from None
    matcher = RoleMatcher(standards)
    while len(_MATCHERS) >= _MATCHERS_KEPT:
        del _MATCHERS[next(iter(_MATCHERS))]
    _MATCHERS[key] = matcher
    return matcher


def _strand_rating(levels, statuses, strands, strand) -> Rating:
    """The library's rating of the rows of one strand (all rows without a strand filter)."""
    level_cells = _cells(levels)
    status_cells = _cells(statuses)
    _check_same_size("statuses", status_cells, level_cells)
    rows = _rows_of_strand(strands, strand, level_cells)
    pairs = []
    for row in rows:
        level = _level(level_cells[row - 1], row, status_cells[row - 1])
        if level is not None:
            pairs.append((level, _status(status_cells[row - 1], row)))
    return rate(count_levels(pairs))


def _rows_of_strand(strands, strand, level_cells: list) -> list[int]:
    """Positions (1-based) of the rows to rate: all, or those whose strand is ``strand``."""
    every_row = list(range(1, len(level_cells) + 1))
    wanted = _single(strand, "strand")
    if strands is None:
        if not _is_blank(wanted):
            raise UdfInputError("strands is missing; to rate one strand give the strand column too, "
                                "e.g. Elements[Strand]")
        return every_row
    if _is_blank(wanted):
        raise UdfInputError('strand is blank; name the strand to rate, e.g. "Engagement"')
    strand_cells = _cells(strands)
    _check_same_size("strands", strand_cells, level_cells)
    rows = [row for row in every_row if squash(strand_cells[row - 1]) == squash(wanted)]
    if not rows:
        raise UdfInputError(f"strand {wanted!r} matches no cell of strands")
    return rows


def _level(cell, row: int, status) -> str | None:
    """The level named in a row; None for an empty row (no level, no status)."""
    if _is_blank(cell):
        if _is_blank(status):
            return None
        raise UdfInputError(f"levels row {row}: blank, but the element's status is {status!r}; "
                            "give it a level: Early, Developing, Maturing or Mature")
    level = loose_choice(cell, LEVELS)
    if level is None:
        raise UdfInputError(f"levels row {row}: {cell!r} is not a level; use Early, Developing, Maturing or Mature")
    return level


def _status(cell, row: int):
    try:
        return parse_status(cell).status
    except StatusError as err:
        raise UdfInputError(f"statuses row {row}: {err}") from None


def _check_same_size(name: str, cells: list, level_cells: list) -> None:
    if len(cells) != len(level_cells):
        raise UdfInputError(
            f"levels has {_cell_count(len(level_cells))} but {name} has {_cell_count(len(cells))}; "
            "give ranges of the same size, e.g. whole table columns such as Elements[Level] and Elements[Status]"
        )


def _english_fraction(english_percent) -> Decimal:
    """90, 90% (0.9) or "90%" as the fraction 0.9: up to 1 is a fraction, above 1 a percentage."""
    value = _required(english_percent, "english_percent")
    try:
        return cells.percent(value).value
    except cells.CellValueError as err:
        if err.code == "percent-out-of-range":
            raise UdfInputError(f"english_percent must be between 0 and 100 (type 90 or 90%), not {value!r}") from None
        raise UdfInputError(f"english_percent must be a number, not {value!r}") from None


def _transfer_rate(rate_or_date) -> Decimal:
    """A rate as given (0 to 1), or the statutory rate on a date; today's when blank."""
    value = _single(rate_or_date, "rate_or_date")
    if _is_blank(value):
        return transfer_rate(dt.date.today())
    share = _rate(value)
    if share is not None:
        return share
    day = _as_date(value)
    if day is not None and day >= LEVY_START:
        return transfer_rate(day)
    raise UdfInputError(f"rate_or_date must be a rate from 0 to 1 (such as 25%) or a date from "
                        f"{LEVY_START:%d %B %Y}, not {value!r}")


def _rate(value) -> Decimal | None:
    """A rate from 0 to 1 (0.25, 25%, "25%"); None for anything else, a serial date included."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        share = _percent_text(value, "rate_or_date")
        if share is None:
            share = Decimal(_number(value, "rate_or_date"))
    except UdfInputError:
        return None  # not a number: perhaps a date typed as text
    return share if 0 <= share <= 1 else None


def _day(value, name: str) -> dt.date:
    """A date argument; today when blank."""
    cell = _single(value, name)
    if _is_blank(cell):
        return dt.date.today()
    day = _as_date(cell)
    if day is None:
        raise UdfInputError(f"{name} must be a date (a date cell, or text like 2026-08-01 or 01/08/2026), "
                            f"not {cell!r}")
    return day


def _target_value(value, name: str) -> Decimal | None:
    """A target's figure as typed (5435, "5,435", 74%, "74%", "1 in 10", "£250,000"); None when blank."""
    cell = _single(value, name)
    return None if _is_blank(cell) else parse_value(cell, NUMBER, name)


def _target_day(value, name: str) -> dt.date | None:
    """A date argument of the target functions; None when blank."""
    cell = _single(value, name)
    if _is_blank(cell):
        return None
    day = _as_date(cell)
    if day is None:
        raise UdfInputError(f"{name} must be a date (a date cell, or text like 2026-08-01 or 01/08/2026), "
                            f"not {cell!r}")
    return day


def _as_date(value) -> dt.date | None:
    """A date cell, an Excel serial number or text like 2026-08-01 or 01/08/2026; None if not a date."""
    try:
        read = cells.date(value)
    except cells.CellValueError:
        return None
    return None if read is None else read.value


def _number(value, name: str) -> int | float:
    """A number cell, or a number typed as text ("1,250", " 3000 ", "£3,000").

    Whole numbers come back as int, so that the library's messages say 3000,
    not 3000.0 (Excel passes every number as a float); others as the float
    whose shortest repr the library reads back exactly.
    """
    cell = _required(value, name)
    try:
        number = cells.number(cell).value
    except cells.CellValueError:
        raise UdfInputError(f"{name} must be a number, not {cell!r}") from None
    return int(number) if number == number.to_integral_value() else float(number)


def _percent_text(value, name: str) -> Decimal | None:
    """ "90%" typed as text as the fraction 0.9; None for anything else."""
    if isinstance(value, str) and value.strip().endswith("%"):
        try:
            return cells.percent(value).value
        except cells.CellValueError:
            raise UdfInputError(f"{name} must be a percentage, not {value!r}") from None
    return None


def _required(value, name: str):
    cell = _single(value, name)
    if _is_blank(cell):
        raise UdfInputError(f"{name} is blank")
    return cell


def _single(value, name: str):
    """The one cell of an argument that must be a single cell."""
    cells = _cells(value)
    if len(cells) != 1:
        raise UdfInputError(f"{name} must be one cell, not a range of {_cell_count(len(cells))}")
    return cells[0]


def _cells(value) -> list:
    """A range's cells row by row: Excel passes one value, a row or column list, or a list of rows."""
    if not isinstance(value, (list, tuple)):
        return [value]
    return [cell for row in value for cell in (row if isinstance(row, (list, tuple)) else [row])]


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _cell_count(count: int) -> str:
    return "1 cell" if count == 1 else f"{count} cells"


def _cell_text(text: str) -> str:
    """Text that stays text when written to a cell: a leading apostrophe stops a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


@contextmanager
def _library_errors(prefix: str = "") -> Iterator[None]:
    """The library's own ValueErrors (a negative pay bill, ...) reach Excel as UdfInputErrors."""
    try:
        yield
    except UdfInputError:
        raise
    except ValueError as err:
        raise UdfInputError(prefix + str(err)) from None
