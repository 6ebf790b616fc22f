"""The apprentice survey: the question set and Forms exports as CSV (every encoding and separator
Excel saves) and as xlsx, with one-line errors naming the file and the line."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from lga_xl.mot.survey import SurveyError, load_question_set, read_survey

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "mot_survey_export.csv"
QUESTIONS = load_question_set()
TEXT = {q.id: q.text for q in QUESTIONS.questions}
FORMS = ["Id", "Start time", "Completion time", "Email", "Name"]


def export(path: Path, rows: list[list[str]], *, delimiter: str = ",", encoding: str = "utf-8") -> Path:
    """A CSV as Excel writes it: CRLF line ends, quotes where needed."""
    with path.open("w", newline="", encoding=encoding) as handle:
        csv.writer(handle, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return path


def response(number: int, *answers: str, day: str = "14/09/2026 10:00") -> list[str]:
    return [str(number), day, day, "anonymous", "", *answers]


def test_the_question_set_has_the_agreement_statements_and_free_text_questions():
    agreement = [q.id for q in QUESTIONS.questions if q.kind == "agreement"]
    assert agreement == ["induction", "off_the_job", "line_manager", "provider", "end_point", "progression",
                         "recommend"]
    assert {q.kind for q in QUESTIONS.questions} == {"agreement", "text"}
    assert QUESTIONS.agreeing == ("Strongly agree", "Agree")


def test_the_sample_export_gives_the_shares_counted_independently():
    survey = read_survey(EXAMPLE)
    with EXAMPLE.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert survey.responses == len(rows) == 25
    for result in survey.agreement:
        answers = [r[result.question.text] for r in rows if r[result.question.text]]
        agreeing = sum(1 for a in answers if a in ("Strongly agree", "Agree"))
        assert (result.answered, result.agreeing) == (len(answers), agreeing), result.question.id
        assert result.share == agreeing / len(answers)
    comments = dict((q.id, answers) for q, answers in survey.comments)
    assert comments["best_thing"] == tuple(r[TEXT["best_thing"]] for r in rows if r[TEXT["best_thing"]])
    assert (survey.first_response, survey.last_response) == (dt.date(2026, 9, 2), dt.date(2026, 9, 17))
    assert survey.not_asked == () and survey.unmatched_columns == ()


def test_utf8_with_a_bom_and_windows_1252_both_read(tmp_path):
    header = [*FORMS, TEXT["recommend"], TEXT["improve"]]
    rows = [header, response(1, "Agree", "Study space – the office’s too noisy; £ for books")]
    bom = export(tmp_path / "bom.csv", rows, encoding="utf-8-sig")
    assert bom.read_bytes().startswith(codecs.BOM_UTF8)
    ansi = export(tmp_path / "ansi.csv", rows, encoding="cp1252")
    for path in (bom, ansi):
        survey = read_survey(path)
        assert survey.agreement[0].agreeing == 1
        assert survey.comments[0][1] == ("Study space – the office’s too noisy; £ for books",)


def test_semicolons_as_excel_saves_csv_where_the_comma_is_the_decimal_mark(tmp_path):
    rows = [[*FORMS, TEXT["recommend"], TEXT["best_thing"]],
            response(1, "Strongly agree", "Pay, hours, and my team"),
            response(2, "Disagree", "")]
    survey = read_survey(export(tmp_path / "semi.csv", rows, delimiter=";"))
    assert (survey.responses, survey.agreement[0].answered, survey.agreement[0].agreeing) == (2, 2, 1)
    assert survey.comments[0][1] == ("Pay, hours, and my team",)


def test_an_xlsx_export_as_forms_writes_it(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append([*FORMS, TEXT["induction"], TEXT["provider"], TEXT["improve"]])
    ws.append([1, dt.datetime(2026, 9, 3, 9, 0), dt.datetime(2026, 9, 3, 9, 7), "anonymous", None, "Agree",
               "Strongly disagree", "More time with my tutor"])
    ws.append([2, dt.datetime(2026, 9, 5, 9, 0), dt.datetime(2026, 9, 5, 9, 7), "anonymous", None, "Neither agree "
               "nor disagree", None, None])
    wb.save(tmp_path / "forms.xlsx")
    survey = read_survey(tmp_path / "forms.xlsx")
    induction, provider = survey.agreement
    assert (induction.answered, induction.agreeing, provider.answered, provider.agreeing) == (2, 1, 1, 0)
    assert (survey.first_response, survey.last_response) == (dt.date(2026, 9, 3), dt.date(2026, 9, 5))
    assert [q.id for q in survey.not_asked] == ["off_the_job", "line_manager", "end_point", "progression",
                                                "recommend", "best_thing"]


def test_an_xlsx_error_names_the_row(tmp_path):
    wb = Workbook()
    wb.active.append([*FORMS, TEXT["induction"]])
    wb.active.append([1, None, None, None, None, "Yes"])
    wb.save(tmp_path / "forms.xlsx")
    with pytest.raises(SurveyError, match=r"^forms\.xlsx row 2: 'Yes' under .* is not one of Strongly agree"):
        read_survey(tmp_path / "forms.xlsx")


def test_missing_forms_columns_or_questions_are_one_line_errors_naming_the_file(tmp_path):
    path = export(tmp_path / "no_id.csv", [["Name", TEXT["induction"]], ["A", "Agree"]])
    with pytest.raises(SurveyError) as caught:
        read_survey(path)
    assert str(caught.value) == ("no_id.csv line 1: not a Microsoft Forms export: there is no Id column "
                                 f"(header read: Name, {TEXT['induction']})")
    path = export(tmp_path / "other.csv", [[*FORMS, "Favourite colour"], response(1, "Blue")])
    with pytest.raises(SurveyError, match=r"^other\.csv line 1: no column matches a question of the MOT survey"):
        read_survey(path)
    with pytest.raises(SurveyError, match=r"missing\.csv: no such file"):
        read_survey(tmp_path / "missing.csv")
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(SurveyError, match=r"^empty\.csv: the file is empty$"):
        read_survey(tmp_path / "empty.csv")
    (tmp_path / "binary.csv").write_bytes(b"Id,Name\r\n\x81\x8d\x8f\x90\x9d\r\n")
    with pytest.raises(SurveyError, match=r"^binary\.csv: not a text file"):
        read_survey(tmp_path / "binary.csv")


def test_a_bad_answer_names_the_line_it_starts_on_after_a_comment_over_several_lines(tmp_path):
    rows = [[*FORMS, TEXT["improve"], TEXT["recommend"]],
            response(1, "More time.\nAnd a mentor.\nAnd pay.", "Agree"),
            response(2, "", "Yes")]
    path = export(tmp_path / "export.csv", rows)
    with pytest.raises(SurveyError) as caught:
        read_survey(path)
    message = str(caught.value)
    assert message.startswith("export.csv line 5: 'Yes' under ") and "\n" not in message


def test_a_response_id_given_twice_is_an_error(tmp_path):
    rows = [[*FORMS, TEXT["recommend"]], response(1, "Agree"), response(1, "Agree")]
    with pytest.raises(SurveyError, match=r"^twice\.csv line 3: response Id 1 is also on line 2$"):
        read_survey(export(tmp_path / "twice.csv", rows))


def test_question_columns_match_loosely_and_others_are_listed_not_read(tmp_path):
    header = [*FORMS,
              "i had a GOOD induction to my apprenticeship when I started",  # case and punctuation
              "How far do you agree? My line manager supports me with my apprenticeship.",  # a Likert title first
              "I get my off the job training time during my working hours",  # an alias
              "Points - I would recommend an apprenticeship at the council to a friend.",  # a quiz column
              "I would recommend an apprenticeship at the council to a friend",
              "Which service do you work in?"]
    rows = [header, response(1, "Agree", "Strongly agree", "Don't know", "", "agree", "Adult social care")]
    survey = read_survey(export(tmp_path / "loose.csv", rows))
    assert [a.question.id for a in survey.agreement] == ["induction", "off_the_job", "line_manager", "recommend"]
    answered = {a.question.id: (a.answered, a.agreeing) for a in survey.agreement}
    assert answered == {"induction": (1, 1), "off_the_job": (0, 0), "line_manager": (1, 1), "recommend": (1, 1)}
    assert survey.unmatched_columns == ("Which service do you work in?",)


def test_two_columns_for_one_question_is_an_error(tmp_path):
    rows = [[*FORMS, TEXT["recommend"], TEXT["recommend"].upper()], response(1, "Agree", "Agree")]
    with pytest.raises(SurveyError, match=r"^dup\.csv line 1: the columns .* both look like the question"):
        read_survey(export(tmp_path / "dup.csv", rows))


def test_completion_dates_day_first_unless_the_file_shows_month_first(tmp_path):
    rows = [[*FORMS, TEXT["recommend"]], response(1, "Agree", day="3/4/2026 10:00"),
            response(2, "Agree", day="3/14/2026 10:00")]
    survey = read_survey(export(tmp_path / "us.csv", rows))
    assert (survey.first_response, survey.last_response) == (dt.date(2026, 3, 4), dt.date(2026, 3, 14))
    rows = [[*FORMS, TEXT["recommend"]], response(1, "Agree", day="03/04/2026 10:00"),
            response(2, "Agree", day="2026-04-20 10:00")]
    survey = read_survey(export(tmp_path / "uk.csv", rows))
    assert (survey.first_response, survey.last_response) == (dt.date(2026, 4, 3), dt.date(2026, 4, 20))
