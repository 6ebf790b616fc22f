"""The Schools Toolkit without LibreOffice: statements, transfer pages, merging requests, handouts, the commands."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document

from lga_xl.cli import main
from lga_xl.contracts.levy_plan import PLANNED_STARTS
from lga_xl.outputs import OutputError
from lga_xl.readers.levy_plan import read_levy_plan
from lga_xl.readers.package import open_package
from lga_xl.schools_toolkit import (
    ToolkitError,
    load_plan,
    merge_school_requests,
    school_statements,
    write_school_statements,
    write_schools_handout,
)
from lga_xl.schools_toolkit.record import RECORD_COLUMNS, RECORD_SHEET, RECORD_TABLE
from lga_xl.writers.levy_plan import SchoolEntry, StartEntry, new_levy_plan
from lga_xl.writers.school_request import SchoolFacts, new_school_request
from tests.schools_cases import COUNCIL, council_plan, filled_request
from tests.support.xlsx_checklist import check_xlsx

DAY = dt.date(2026, 4, 20)
TA = ("Teaching assistant", "New hire", "ST0454", dt.date(2026, 9, 1), None)
BURSAR = ("School business manager", "Existing staff", "ST0575", dt.date(2026, 11, 1), "Replacing a leaver")


@pytest.fixture(scope="module")
def plan(tmp_path_factory) -> Path:
    """Six council schools and an academy listed by mistake."""
    folder = tmp_path_factory.mktemp("plan")
    path = council_plan(folder / "plan.xlsx", schools=6)
    wb_plan = load_plan(path)
    assert len(wb_plan.council_schools) == 6
    return path


@pytest.fixture(scope="module")
def with_academy(tmp_path_factory) -> Path:
    return new_levy_plan(tmp_path_factory.mktemp("academy") / "plan.xlsx", org_name=COUNCIL, total_pay_bill=40_000_000,
                         english_percent=1, previous_year_funds=150_000,
                         schools=[SchoolEntry(100001, "Ash Primary", "Community", 1_500_000),
                                  SchoolEntry(100002, "Birch Academy", "Academy converter", 2_000_000)],
                         starts=[StartEntry("ST0454", dt.date(2026, 9, 1), 18, 7000, urn=100001)])


def urns(path: Path) -> list[str]:
    return [school.urn for school in load_plan(path).council_schools]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def docx_text(path: Path) -> str:
    document = Document(path)
    return "\n".join([p.text for p in document.paragraphs]
                     + [cell.text for table in document.tables for row in table.rows for cell in row.cells])


# Statements and transfer pages.


def test_a_statement_for_each_school_in_the_councils_levy_with_the_plans_figures(plan, tmp_path):
    run = write_school_statements(plan, tmp_path / "out", prepared_on=DAY)
    levy_plan = read_levy_plan(plan)
    statements = school_statements(load_plan(plan), prepared_on=DAY)
    assert [s.urn for s in statements] == urns(plan) and len(run.statements) == 6
    for statement, document in zip(statements, run.statements):
        [school] = [s for s in levy_plan.schools if s.urn == statement.urn]
        assert (statement.pay_bill, statement.levy_share, statement.funds_share, statement.planned_spend,
                statement.funds_left) == (school.pay_bill, school.levy_share, school.funds_share,
                                          school.planned_spend, school.funds_left)
        assert sum(s.in_year_cost for s in statement.starts) == school.planned_spend
        assert document.name == f"{statement.urn}-{re.sub('[^a-z0-9]+', '-', statement.school.lower())}.docx"
        text = docx_text(document)
        assert f"The apprenticeships team at {COUNCIL}" in text and "20 April 2026" in text
    assert any(s.starts for s in statements) and any(not s.starts for s in statements)
    assert "None yet" in docx_text(run.statements[[bool(s.starts) for s in statements].index(False)])


def test_pages_on_levy_transfers_for_schools_outside_the_councils_levy(with_academy, tmp_path):
    csv = tmp_path / "others.csv"
    csv.write_text("URN,School,Type\n140001,Oak Academy,Academy sponsor led\n120002,St Anne's RC Primary,VA\n"
                   "100001,Ash Primary,Community school\n150003,New Primary,Community school\n", encoding="utf-8")
    from lga_xl.writers.levy_plan import load_schools_csv

    run = write_school_statements(with_academy, tmp_path / "out", others=True, other_schools=load_schools_csv(csv),
                           contact="Sam Patel", prepared_on=DAY)
    assert [path.name for path in run.transfer_pages] == [
        "100002-birch-academy-levy-transfer.docx", "140001-oak-academy-levy-transfer.docx",
        "120002-st-anne-s-rc-primary-levy-transfer.docx"]
    assert run.notes == [
        "Ash Primary (URN 100001) is a community school, in the council's levy: it has a statement",
        "New Primary (URN 150003) is a community school, in the council's levy: add it to the plan's Schools sheet "
        "for a statement"]
    plan = read_levy_plan(with_academy)
    text = docx_text(run.transfer_pages[2])
    assert "St Anne's RC Primary" in text and "employed by its governing body" in text
    assert f"£{plan.headroom_statutory:,.2f}" in text and f"£{plan.transfer_allowance_statutory:,.2f}" in text
    assert "employed by its academy trust" in docx_text(run.transfer_pages[0])


def test_statements_never_write_into_a_folder_with_files_unless_forced(plan, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    with pytest.raises(OutputError, match="not empty"):
        write_school_statements(plan, folder)
    run = write_school_statements(plan, folder, force=True, requests=True)
    assert len(run.requests) == 6 and (folder / "notes.txt").read_text() == "mine"


def test_no_pdfs_without_libreoffice_but_the_word_documents_are_written(plan, tmp_path, monkeypatch):
    from lga_xl.tools import render

    monkeypatch.setattr(render.shutil, "which", lambda name: None)
    result = CliRunner().invoke(main, ["schools", "statements", str(plan), "--out-dir", str(tmp_path / "s"),
                                       "--pdf"])
    assert result.exit_code == 1 and "no PDFs: LibreOffice (soffice) is not installed" in result.output
    assert len(list((tmp_path / "s").glob("*.docx"))) == 6 and not list((tmp_path / "s").glob("*.pdf"))


def test_a_plan_of_template_1_is_refused_with_what_to_do(tmp_path):
    release = Path(__file__).parent / "data" / "release-0.1.0" / "levy_plan.xlsx"
    with pytest.raises(ToolkitError, match="template 1.0.*make the plan again"):
        load_plan(release)


# Merging requests.


def test_requests_are_added_below_the_last_start_and_recorded(plan, tmp_path):
    first, second = urns(plan)[:2]
    a = filled_request(plan, first, tmp_path / "a.xlsx", [TA, BURSAR])
    b = filled_request(plan, second, tmp_path / "b.xlsx", [TA])
    before = sha(plan)
    report = merge_school_requests(plan, [a, b], tmp_path / "merged.xlsx", merged_on=DAY)
    assert sha(plan) == before and report.exit_code == 0 and report.lines() == []
    old, new = read_levy_plan(plan), read_levy_plan(tmp_path / "merged.xlsx")
    added = new.planned_starts[len(old.planned_starts):]
    assert [(s.urn, s.standard, s.start_date, s.duration_months, s.price) for s in added] == [
        (first, "ST0454", dt.date(2026, 9, 1), 18, Decimal("7000.00")),
        (first, "ST0575", dt.date(2026, 11, 1), 18, Decimal("6000.00")),
        (second, "ST0454", dt.date(2026, 9, 1), 18, Decimal("7000.00"))]
    assert [s.check for s in added] == ["", "", ""]
    assert [m.starts_row for m in report.merged] == [s.row for s in added]
    assert added[0].row == old.planned_starts[-1].row + 1
    with open_package(tmp_path / "merged.xlsx") as pkg:
        record = pkg.table(RECORD_TABLE)
    assert record.sheet == RECORD_SHEET and record.columns == list(RECORD_COLUMNS)
    assert [row[:6] + row[8:10] for row in record.rows] == [
        [added[0].row, first, load_plan(plan).school(first).name, "Teaching assistant", "New hire", "ST0454",
         "a.xlsx", 23],
        [added[1].row, first, load_plan(plan).school(first).name, "School business manager", "Existing staff",
         "ST0575", "a.xlsx", 24],
        [added[2].row, second, load_plan(plan).school(second).name, "Teaching assistant", "New hire", "ST0454",
         "b.xlsx", 23]]


def test_the_merged_copy_keeps_the_rest_of_the_plan_and_recalculates_when_opened(plan, tmp_path):
    a = filled_request(plan, urns(plan)[0], tmp_path / "a.xlsx", [TA])
    merge_school_requests(plan, [a], tmp_path / "merged.xlsx", merged_on=DAY)
    with zipfile.ZipFile(plan) as old, zipfile.ZipFile(tmp_path / "merged.xlsx") as new:
        assert set(old.namelist()) < set(new.namelist())
        for name in old.namelist():
            if name.startswith(("xl/charts/", "xl/drawings/", "xl/tables/", "xl/theme/")):
                assert old.read(name) == new.read(name), name
        book = new.read("xl/workbook.xml")
        assert b'fullCalcOnLoad="1"' in book and RECORD_SHEET.encode() in book
    assert check_xlsx(tmp_path / "merged.xlsx", input_sheets=("Plan", "Schools", "Starts", "Transfers", "Expiry",
                                                              "Standards")) == []
    old_plan, new_plan = read_levy_plan(plan), read_levy_plan(tmp_path / "merged.xlsx")
    typed = [(s.urn, s.name, s.type, s.pay_bill, s.headcount) for s in old_plan.schools]
    assert [(s.urn, s.name, s.type, s.pay_bill, s.headcount) for s in new_plan.schools] == typed
    assert (new_plan.transfers, new_plan.total_pay_bill, new_plan.opening_balance) == (
        old_plan.transfers, old_plan.total_pay_bill, old_plan.opening_balance)
    assert new_plan.planned_starts[:len(old_plan.planned_starts)] == old_plan.planned_starts
    ws = openpyxl.load_workbook(tmp_path / "merged.xlsx")[RECORD_SHEET]
    assert ws.protection.sheet and ws.page_setup.paperSize == 9 and ws.print_title_rows == "$4:$4"


def test_merging_again_adds_only_what_is_new(plan, tmp_path):
    first = urns(plan)[0]
    a = filled_request(plan, first, tmp_path / "a.xlsx", [TA])
    merge_school_requests(plan, [a], tmp_path / "merged.xlsx", merged_on=DAY)
    resent = filled_request(plan, first, tmp_path / "a-again.xlsx", [TA, TA, BURSAR])  # one more assistant, a bursar
    report = merge_school_requests(tmp_path / "merged.xlsx", [resent], tmp_path / "merged2.xlsx", merged_on=DAY)
    [duplicate] = report.not_merged
    merged_row = read_levy_plan(tmp_path / "merged.xlsx").planned_starts[-1].row
    assert duplicate.line() == (f"a-again.xlsx row 23: repeats a.xlsx row 23, already in the plan (Starts row "
                                f"{merged_row}); not added again")
    assert [(m.request_row, m.standard) for m in report.merged] == [(24, "ST0454"), (25, "ST0575")]
    with open_package(tmp_path / "merged2.xlsx") as pkg:
        assert [row[8] for row in pkg.table(RECORD_TABLE).rows] == ["a.xlsx", "a-again.xlsx", "a-again.xlsx"]
    nothing = merge_school_requests(tmp_path / "merged2.xlsx", [resent], tmp_path / "merged3.xlsx", merged_on=DAY)
    assert nothing.out is None and not (tmp_path / "merged3.xlsx").exists()
    assert len(nothing.not_merged) == 3 and nothing.summary().startswith("Nothing added")


def test_what_cannot_be_merged_is_one_line_each(with_academy, plan, tmp_path):
    good = filled_request(with_academy, 100001, tmp_path / "ash.xlsx", [TA, ("Caretaker", "New hire", "ST9999",
                                                                             dt.date(2026, 9, 1), None)])
    academy = new_school_request(tmp_path / "birch.xlsx", council=COUNCIL, school=SchoolFacts("100002", "Birch Academy"),
                                 requests=[], completed_by="Jo")
    academy = filled_request_values(academy, [TA])
    next_year = new_school_request(tmp_path / "next.xlsx", council=COUNCIL, tax_year="2027-28",
                                   school=SchoolFacts("100001", "Ash Primary"))
    other_council = filled_request(plan, urns(plan)[0], tmp_path / "other.xlsx", [TA])
    report = merge_school_requests(with_academy, [good, academy, next_year, other_council, with_academy],
                            tmp_path / "merged.xlsx", merged_on=DAY)
    assert [m.request_row for m in report.merged] == [23]
    assert report.lines() == [
        "ash.xlsx row 24: Caretaker (ST9999): Caretaker: 'ST9999' is not a standard on the Standards sheet; pick the "
        "standard from the list",
        "birch.xlsx row 23: Teaching assistant (ST0454): Birch Academy (URN 100002) is not in the council's levy "
        "(Academy converter); a levy transfer can fund it instead",
        "next.xlsx: made from the 2027-28 levy plan; this plan is for 2026-27",
        "other.xlsx row 23: Teaching assistant (ST0454): URN " + urns(plan)[0] + " (" +
        load_plan(plan).school(urns(plan)[0]).name + ") is not on the plan's Schools sheet; add the school to the "
        "plan, or ask which school sent it",
        "plan.xlsx: this is an lga_xl levy-plan workbook, not a school-request"]
    assert report.summary() == ("Added 1 planned start from 5 request files to merged.xlsx: £1,866.66 in 2026-27 "
                                "(£7,000.00 in all); 2 for unknown schools, 3 with errors not added")


def filled_request_values(path: Path, rows: list[tuple]) -> Path:
    from lga_xl.contracts.school_request import REQUESTS
    from lga_xl.writers.fill import Template

    values = {(REQUESTS.sheet, REQUESTS.cell(key, REQUESTS.first_row + index)): value
              for index, row in enumerate(rows) for key, value in zip(REQUESTS.keys("input"), row)}
    return Template.from_path(path).fill(path, values)


def test_the_merge_never_writes_over_an_input(plan, tmp_path):
    a = filled_request(plan, urns(plan)[0], tmp_path / "a.xlsx", [TA])
    before = sha(plan), sha(a)
    for out in (plan, a):
        with pytest.raises(OutputError, match="same file as the input"):
            merge_school_requests(plan, [a], out, force=True)
    assert (sha(plan), sha(a)) == before
    result = CliRunner().invoke(main, ["schools", "merge", str(plan), str(a), "-o", str(plan), "--force"])
    assert result.exit_code == 2 and "same file as the input" in result.output


def test_a_full_starts_table_is_reported_not_overrun(tmp_path):
    plan = new_levy_plan(tmp_path / "plan.xlsx", org_name=COUNCIL, total_pay_bill=40_000_000,
                         schools=[SchoolEntry(100001, "Ash Primary", "Community", 1_500_000)],
                         starts=[StartEntry("ST0070", dt.date(2026, 6, 1), 18, 5000)] * 5, rows={"PlannedStarts": 15})
    request = filled_request(plan, 100001, tmp_path / "ash.xlsx", [TA] * 11)
    with pytest.raises(ToolkitError, match="10 blank row\\(s\\) below its last start and the requests need 11"):
        merge_school_requests(plan, [request], tmp_path / "merged.xlsx")
    assert not (tmp_path / "merged.xlsx").exists()
    assert PLANNED_STARTS.rows == 150  # a plan made with the defaults has room for many more


def test_the_merge_command(plan, tmp_path):
    a = filled_request(plan, urns(plan)[0], tmp_path / "a.xlsx", [TA])
    result = CliRunner().invoke(main, ["schools", "merge", str(plan), str(a), str(a), "-o", str(tmp_path / "m.xlsx")])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[0] == "not added  a.xlsx row 23: repeats a.xlsx row 23; not added again"
    assert lines[1].startswith("Added 1 planned start from 2 request files to m.xlsx: £1,866.66 in 2026-27")
    clean = CliRunner().invoke(main, ["schools", "merge", str(plan), str(a), "-o", str(tmp_path / "m2.xlsx")])
    assert clean.exit_code == 0 and "not added" not in clean.output


# Handouts.


def test_the_head_teachers_guide_has_the_councils_figures_and_contact(plan, tmp_path):
    guide = write_schools_handout(plan, tmp_path / "guide.docx", contact="Sam Patel, 01234 567890", prepared_on=DAY)
    text, levy_plan = docx_text(guide), read_levy_plan(plan)
    for amount in (levy_plan.annual_levy, levy_plan.funds_in, levy_plan.schools_levy_share,
                   levy_plan.schools_funds_share, levy_plan.schools_planned_spend, levy_plan.headroom_statutory):
        assert f"£{amount:,.2f}" in text
    assert "Sam Patel, 01234 567890" in text and "Teaching assistant, ST0454" in text
    engaged = len({s.urn for s in levy_plan.planned_starts if s.urn})
    assert f"{engaged} of 6" in text
    with pytest.raises(OutputError, match="already exists"):
        write_schools_handout(plan, tmp_path / "guide.docx")
    with pytest.raises(ValueError, match="parents"):
        write_schools_handout(plan, tmp_path / "x.docx", audience="parents")


def test_the_handout_command_for_staff(plan, tmp_path):
    out = tmp_path / "staff.docx"
    result = CliRunner().invoke(main, ["schools", "handout", str(plan), "--for", "staff", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Apprenticeships for school staff" in docx_text(out) and COUNCIL in docx_text(out)
    wrong = CliRunner().invoke(main, ["schools", "handout", str(plan), "-o", str(tmp_path / "guide.xlsx")])
    assert wrong.exit_code == 2 and "guide.xlsx" in wrong.output


def test_the_statements_command_with_others_and_requests(with_academy, tmp_path):
    out = tmp_path / "s"
    result = CliRunner().invoke(main, ["schools", "statements", str(with_academy), "--out-dir", str(out),
                                       "--requests", "--contact", "Sam Patel", "--others"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["100001-ash-primary-request.xlsx", "100001-ash-primary.docx",
                                                     "100002-birch-academy-levy-transfer.docx"]
    assert result.output.strip() == (f"1 statement(s), 1 page(s) on levy transfers, 1 request workbook(s) written to "
                                     f"{out}")
