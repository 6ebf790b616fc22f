"""The apprentice survey: the question set, and a reader for its Microsoft Forms export.

The question set is ``lga_xl/data/mot_survey_questions.json``: agreement
statements answered on a five-point scale, and free-text questions.  Forms
exports one row per response with the columns Id, Start time, Completion
time, Email and Name, then one column per question headed by its text.

:func:`read_survey` reads that export as ``.xlsx`` (as Forms writes it) or as
CSV (as Excel saves it: UTF-8 with or without a BOM, or Windows-1252; comma,
semicolon or tab separated).  Question columns are matched loosely (case,
punctuation, a reworded question, a prefix such as a Likert title), columns
that are no question of the set are listed, not read, and Email and Name are
never read.  A file that cannot be used raises :class:`SurveyError` with one
line naming the file and the line (CSV) or row (xlsx) at fault.

Example:
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "export.csv"
    >>> _ = path.write_text("Id;Start time;Completion time;Email;Name;"
    ...                     "I would recommend an apprenticeship at the council to a friend.\\n"
    ...                     "1;01/03/2026 10:00;01/03/2026 10:05;anonymous;;Agree\\n"
    ...                     "2;02/03/2026 11:00;02/03/2026 11:04;anonymous;;Disagree\\n", encoding="cp1252")
    >>> survey = read_survey(path)
    >>> survey.responses, survey.agreement[0].share, survey.last_response
    (2, 0.5, datetime.date(2026, 3, 2))
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import difflib
import io
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from ..text import squash
from .model import AgreementResult, Question, SurveyResults

QUESTIONS_FILE = "mot_survey_questions.json"
FORMS_COLUMNS = ("Id", "Start time", "Completion time", "Email", "Name", "Last modified time")
# Columns Forms adds for quizzes: never answers to a question.
_QUIZ_PREFIXES = ("points", "feedback")
_SIMILAR_ENOUGH = 0.8  # difflib ratio for a reworded question; a different question scores far lower
_DELIMITERS = (",", ";", "\t")
_ZIP_MAGIC = b"PK\x03\x04"

# Public API.


class SurveyError(ValueError):
    """A survey export that cannot be used; the message names the file and the line or row."""


@dataclass(frozen=True)
class QuestionSet:
    title: str
    scale: tuple[str, ...]  # the agreement scale, most agreeing first
    agreeing: tuple[str, ...]
    not_answers: tuple[str, ...]  # "Don't know" and the like: counted as not answered
    questions: tuple[Question, ...]


@cache
def load_question_set() -> QuestionSet:
    """The survey's questions as shipped with lga_xl.

    Example:
        >>> [q.id for q in load_question_set().questions if q.kind == "text"]
        ['best_thing', 'improve']
    """
    data = json.loads((resources.files("lga_xl") / "data" / QUESTIONS_FILE).read_text("utf-8"))
    questions = tuple(Question(q["id"], q["text"], q["kind"], q["short"], tuple(q.get("aliases", ())))
                      for q in data["questions"])
    return QuestionSet(data["title"], tuple(data["scale"]), tuple(data["agreeing"]), tuple(data["not_answers"]),
                       questions)


def read_survey(path: str | Path, questions: QuestionSet | None = None) -> SurveyResults:
    """The survey's results from a Forms export (``.xlsx`` or CSV; the kind is taken from the content).

    Raises:
        SurveyError: the file is missing, unreadable, not a Forms export, has
            no question of the set, repeats a response Id, or has an answer
            that is not on the agreement scale.
    """
    path = Path(path)
    questions = questions or load_question_set()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SurveyError(f"{path}: no such file") from None
    except OSError as exc:
        raise SurveyError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if not data.strip():
        raise SurveyError(f"{path.name}: the file is empty")
    if data.startswith(_ZIP_MAGIC):
        rows, unit = _xlsx_rows(path), "row"
    else:
        rows, unit = _csv_rows(_decode(data, path.name), path.name), "line"
    return _summarise(rows, path.name, unit, questions)


# Private API.


def _decode(data: bytes, source: str) -> str:
    """Excel's CSV UTF-8 (with a BOM), plain UTF-8, Unicode text (UTF-16) or Windows-1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise SurveyError(f"{source}: not a text file (save the export as .xlsx or as CSV UTF-8)") from None


def _csv_rows(text: str, source: str) -> Iterator[tuple[int, list[str]]]:
    """(line where the record starts, cells) for each record; the delimiter is the one
    that splits the header into an Id column (else into the most columns)."""
    first_line = text.split("\n", 1)[0]

    def header_with(delimiter: str) -> list[str]:
        return next(csv.reader([first_line], delimiter=delimiter), [])

    delimiter = max(_DELIMITERS, key=lambda d: ("id" in {squash(c) for c in header_with(d)}, len(header_with(d))))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for row in reader:
            yield start, row
            start = reader.line_num + 1
    except csv.Error as exc:
        raise SurveyError(f"{source} line {start}: cannot be read as CSV ({exc})") from None


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[object]]]:
    from openpyxl import load_workbook  # only here: the rest of the MOT package is pure

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zip, XML and key errors for files it cannot read
        raise SurveyError(f"{path.name}: cannot be read as an Excel workbook ({type(exc).__name__})") from None
    try:
        for number, row in enumerate(wb.worksheets[0].iter_rows(values_only=True), start=1):
            yield number, list(row)
    finally:
        wb.close()


@dataclass
class _Columns:
    id: int
    completion: int | None
    questions: dict[str, int]  # question id -> column
    unmatched: list[str]


def _summarise(rows: Iterator[tuple[int, Sequence[object]]], source: str, unit: str,
               question_set: QuestionSet) -> SurveyResults:
    header_at, header = next(((n, row) for n, row in rows if any(_cell(c) for c in row)), (0, []))
    if not header:
        raise SurveyError(f"{source}: the file has no header row")
    columns = _columns([_cell(c) for c in header], source, f"{unit} {header_at}", question_set)
    by_id = {q.id: q for q in question_set.questions}
    scale = {squash(answer): answer for answer in question_set.scale}
    not_answers = {squash(answer) for answer in question_set.not_answers}
    counts = {qid: dict.fromkeys(question_set.scale, 0) for qid, col in columns.questions.items()
              if by_id[qid].kind == "agreement"}
    comments: dict[str, list[str]] = {qid: [] for qid, _ in columns.questions.items() if by_id[qid].kind == "text"}
    seen_ids: dict[str, int] = {}
    dates: list[object] = []
    errors: list[str] = []
    for number, row in rows:
        cells = [_cell(c) for c in row]
        if not any(cells):
            continue
        where = f"{unit} {number}"
        response_id = _at(cells, columns.id)
        if response_id in seen_ids:
            errors.append(f"{where}: response Id {response_id} is also on {unit} {seen_ids[response_id]}")
            continue
        seen_ids[response_id] = number
        if columns.completion is not None and columns.completion < len(row):
            dates.append(row[columns.completion])
        for qid, col in columns.questions.items():
            answer = _at(cells, col)
            if qid in comments:
                if answer:
                    comments[qid].append(answer)
                continue
            if not answer or squash(answer) in not_answers:
                continue
            on_scale = scale.get(squash(answer))
            if on_scale is None:
                errors.append(f"{where}: {answer!r} under {by_id[qid].text!r} is not one of "
                              f"{', '.join(question_set.scale)}")
                continue
            counts[qid][on_scale] += 1
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise SurveyError(f"{source} {errors[0]}{more}")
    if not seen_ids:
        raise SurveyError(f"{source}: the file has a header but no responses")
    days = sorted(d for d in _dates(dates) if d is not None)
    agreeing = set(question_set.agreeing)
    return SurveyResults(
        source=source,
        responses=len(seen_ids),
        first_response=days[0] if days else None,
        last_response=days[-1] if days else None,
        agreement=tuple(
            AgreementResult(q, counts[q.id], sum(counts[q.id].values()),
                            sum(n for answer, n in counts[q.id].items() if answer in agreeing))
            for q in question_set.questions if q.id in counts),
        comments=tuple((q, tuple(comments[q.id])) for q in question_set.questions if q.id in comments),
        not_asked=tuple(q for q in question_set.questions if q.id not in columns.questions),
        unmatched_columns=tuple(columns.unmatched),
    )


def _columns(header: list[str], source: str, where: str, question_set: QuestionSet) -> _Columns:
    forms = {squash(c): c for c in FORMS_COLUMNS}
    found: dict[str, int] = {}
    questions: dict[str, int] = {}
    unmatched = []
    for index, text in enumerate(header):
        if squash(text) in forms:
            found.setdefault(forms[squash(text)], index)
            continue
        if not text or _words(text).split(" ", 1)[0] in _QUIZ_PREFIXES:
            continue
        question = _match(text, question_set.questions)
        if question is None:
            unmatched.append(text)
        elif question.id in questions:
            first = header[questions[question.id]]
            raise SurveyError(f"{source} {where}: the columns {first!r} and {text!r} both look like the question "
                              f"{question.text!r}; rename or remove one")
        else:
            questions[question.id] = index
    if "Id" not in found:
        raise SurveyError(f"{source} {where}: not a Microsoft Forms export: there is no Id column "
                          f"(header read: {', '.join(header)})")
    if not questions:
        raise SurveyError(f"{source} {where}: no column matches a question of the MOT survey "
                          f"(header read: {', '.join(header)})")
    return _Columns(found["Id"], found.get("Completion time"), questions, unmatched)


def _match(header: str, questions: Sequence[Question]) -> Question | None:
    """The question a column header asks: the same words, the question's words within the header
    (a Likert title before them), or a close rewording."""
    words = _words(header)
    best, best_ratio = None, _SIMILAR_ENOUGH
    for question in questions:
        for wording in (question.text, *question.aliases):
            wanted = _words(wording)
            if words == wanted or f" {wanted} " in f" {words} ":
                return question
            ratio = difflib.SequenceMatcher(None, words, wanted).ratio()
            if ratio > best_ratio:
                best, best_ratio = question, ratio
    return best


def _words(text: str) -> str:
    """Lower-case words and numbers, single-spaced: punctuation and curly quotes do not count."""
    return " ".join(re.findall(r"[^\W_]+", text.casefold().replace("’", "").replace("'", "")))


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an Id typed as a number
    return str(value).strip()


def _at(cells: list[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


_DATE = re.compile(r"^\s*(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})")


def _dates(values: list[object]) -> list[dt.date | None]:
    """Completion times as dates: real dates from xlsx; text as ISO, or day first as a UK Excel
    saves it, unless a value shows the month comes first (a US export: 3/14/2026)."""
    parts = []
    for value in values:
        if isinstance(value, dt.datetime | dt.date):
            parts.append(value if not isinstance(value, dt.datetime) else value.date())
            continue
        match = _DATE.match(str(value or ""))
        parts.append(tuple(int(g) for g in match.groups()) if match else None)
    month_first = any(isinstance(p, tuple) and p[0] <= 31 and p[1] > 12 for p in parts)
    days = []
    for part in parts:
        if not isinstance(part, tuple):
            days.append(part)
            continue
        first, second, third = part
        year, month, day = (first, second, third) if first > 31 else (
            (third, first, second) if month_first else (third, second, first))
        try:
            days.append(dt.date(year if year > 99 else 2000 + year, month, day))
        except ValueError:
            days.append(None)
    return days
