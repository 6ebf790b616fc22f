"""The Schools Toolkit end to end on a council with 40 maintained schools and 25 requests for apprentices.

* The 40 statements show the plan's own figures: the plan recalculated once in
  LibreOffice, its cached values read, and compared with each statement's.
* The 25 requests merged into a copy of the plan change its planned spend, each
  school's share left and the forecast's payments by exactly what the requests
  cost, and leave its transfer headroom alone; the merged plan recalculates in
  LibreOffice to the reader's figures.
* Each statement prints on one page.

LibreOffice runs twice: once to recalculate the workbooks, once to print the Word documents.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from lga_xl.contracts.levy_plan import CONTRACT as PLAN
from lga_xl.contracts.levy_plan import PLANNED_STARTS, SCHOOLS
from lga_xl.readers.levy_plan import read_levy_plan
from lga_xl.readers.package import open_package
from lga_xl.readers.school_request import read_school_request
from lga_xl.schools_toolkit import (
    load_plan,
    merge_school_requests,
    school_statements,
    write_school_statements,
    write_schools_handout,
)
from lga_xl.schools_toolkit.record import RECORD_TABLE
from lga_xl.tools import render
from tests.schools_cases import COUNCIL, council_plan, filled_request, random_rows
from tests.support.pdf import poppler_missing
from tests.support.xlsx_checklist import check_xlsx

PENNY = Decimal("0.01")
DAY = dt.date(2026, 4, 20)
CONTACT = "Sam Patel, Apprenticeships Lead, apprenticeships@exampleshire.gov.uk, 01234 567890"


@pytest.fixture(scope="module")
def toolkit(tmp_path_factory, libreoffice):
    folder = tmp_path_factory.mktemp("toolkit")
    plan = council_plan(folder / "plan.xlsx")
    schools = load_plan(plan).council_schools
    rng = random.Random(25)
    asking = rng.sample(schools, 11)
    counts = [4, 3, 3, 3, 2, 2, 2, 2, 2, 1, 1]  # 25 requests from 11 schools
    requests = [filled_request(plan, school.urn, folder / f"request-{school.urn}.xlsx", random_rows(rng, count))
                for school, count in zip(asking, counts)]
    other = council_plan(folder / "other-plan.xlsx", schools=1, first_urn=990_001)  # a school this plan lacks
    unknown = filled_request(other, 990_001, folder / "request-unknown.xlsx", random_rows(rng, 1))
    report = merge_school_requests(plan, [*requests, requests[0], unknown], folder / "merged.xlsx", merged_on=DAY)
    run = write_school_statements(plan, folder / "statements", contact=CONTACT, prepared_on=DAY)
    guide = write_schools_handout(plan, folder / "guide.docx", contact=CONTACT, prepared_on=DAY)
    recalculated = libreoffice([plan, folder / "merged.xlsx"])
    return {"plan": plan, "requests": requests, "unknown": unknown, "report": report, "run": run, "guide": guide,
            "plan_lo": recalculated[plan], "merged": folder / "merged.xlsx",
            "merged_lo": recalculated[folder / "merged.xlsx"]}


def cached(value: object) -> object:
    """A recalculated cell as the reader holds it: money to the penny, months as dates."""
    if isinstance(value, float | int) and not isinstance(value, bool):
        return Decimal(str(value)).quantize(PENNY)
    if isinstance(value, dt.datetime):
        return value.date()
    return None if value in ("", None, "None") else value


def docx_text(path: Path) -> str:
    document = Document(path)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def money(amount: Decimal) -> str:
    return f"{'-' if amount < 0 else ''}£{abs(amount):,.2f}"


@pytest.mark.libreoffice
def test_forty_statements_show_the_plans_figures_as_libreoffice_recalculates_them(toolkit):
    wb = openpyxl.load_workbook(toolkit["plan_lo"], data_only=True)
    schools, starts = wb[SCHOOLS.sheet], wb[PLANNED_STARTS.sheet]
    statements = school_statements(load_plan(toolkit["plan"]), contact=CONTACT, prepared_on=DAY)
    assert len(statements) == 40 and len(toolkit["run"].statements) == 40
    rows = {str(schools[SCHOOLS.cell("urn", row)].value): row
            for row in range(SCHOOLS.first_row, SCHOOLS.last_row(60) + 1) if schools[SCHOOLS.cell("urn", row)].value}
    with_starts = 0
    for statement, document in zip(statements, toolkit["run"].statements):
        row = rows[statement.urn]
        shown = {key: cached(schools[SCHOOLS.cell(key, row)].value)
                 for key in ("pay_bill", "levy_share", "funds_share", "planned_spend", "funds_left")}
        assert shown == {key: getattr(statement, key) for key in shown}, statement.school
        assert [cached(starts[PLANNED_STARTS.cell("in_year_cost", s.row)].value) for s in statement.starts] == [
            s.in_year_cost for s in statement.starts]
        with_starts += bool(statement.starts)
        text = docx_text(document)
        assert statement.school in text and CONTACT in text
        for value in (*shown.values(), *(s.in_year_cost for s in statement.starts)):
            assert money(value) in text, (statement.school, value)
    assert 0 < with_starts < 40
    named = {name: cached(wb[sheet][cell].value) for name in ("FundsExpiringPlanYear", "NextExpiryMonth",
                                                              "NextExpiryAmount")
             for sheet, cell in [PLAN.address(name)]}
    first = statements[0]
    assert named == {"FundsExpiringPlanYear": first.expiring_plan_year, "NextExpiryMonth": first.first_expiry_month,
                     "NextExpiryAmount": first.first_expiry_amount}
    assert first.expiring_plan_year > 0
    expiring = (f"{money(first.expiring_plan_year)} of the council's levy funds will expire unspent in 2026-27, the "
                f"first {money(first.first_expiry_amount)} in {first.first_expiry_month:%B %Y}")
    assert all(expiring in docx_text(document) for document in toolkit["run"].statements)


@pytest.mark.libreoffice
def test_the_merged_plan_changes_by_exactly_the_requests_costs(toolkit):
    report = toolkit["report"]
    requests = [read_school_request(path) for path in toolkit["requests"]]
    assert len(report.merged) == sum(r.request_count for r in requests) == 25
    before, after = read_levy_plan(toolkit["plan"]), read_levy_plan(toolkit["merged"])
    in_year = sum(r.requests_in_year for r in requests)
    at_band = sum(r.requests_band_total for r in requests)
    assert in_year > 0 and at_band > in_year
    assert after.planned_spend - before.planned_spend == in_year
    assert after.schools_planned_spend - before.schools_planned_spend == in_year
    assert len(after.planned_starts) - len(before.planned_starts) == 25
    left_before = {s.urn: s.funds_left for s in before.schools}
    for request in requests:
        [school] = [s for s in after.schools if s.urn == request.urn]
        assert left_before[request.urn] - school.funds_left == request.requests_in_year, request.school

    def payments(plan):
        return sum(month.cost_of_training + month.completion_payments for month in plan.forecast)

    assert payments(after) - payments(before) == at_band  # every payment of a start in 2026-27 is in the 48 months
    assert after.years[0].cost_of_training + after.years[0].completion_payments - (
        before.years[0].cost_of_training + before.years[0].completion_payments) == in_year
    assert (after.headroom_statutory, after.transfer_allowance_statutory, after.transfers_total) == (
        before.headroom_statutory, before.transfer_allowance_statutory, before.transfers_total)
    assert after.funds_in == before.funds_in and after.expiring_funds <= before.expiring_funds
    new_issues = {(i.code, i.cell) for i in after.issues} - {(i.code, i.cell) for i in before.issues}
    assert not [code for code, _ in new_issues if code != "funds-run-short"]


@pytest.mark.libreoffice
def test_the_merged_plan_recalculates_to_the_readers_figures(toolkit):
    merged = read_levy_plan(toolkit["merged_lo"])
    assert not [issue for issue in merged.issues if issue.code == "cached-value-mismatch"]
    wb = openpyxl.load_workbook(toolkit["merged_lo"], data_only=True)
    for name in ("PlannedSpend", "SchoolsPlannedSpend", "HeadroomStatutory", "FundsExpiring"):
        sheet, cell = PLAN.address(name)
        assert cached(wb[sheet][cell].value) == getattr(merged, PLAN.name(name).field), name
    assert merged.planned_spend == read_levy_plan(toolkit["merged"]).planned_spend


@pytest.mark.libreoffice
def test_a_plan_saved_by_a_spreadsheet_program_merges_the_same(toolkit, tmp_path):
    """LibreOffice's copy has shared strings, its own XML and cached values: the merge edits it as well."""
    requests = toolkit["requests"][:3]
    report = merge_school_requests(toolkit["plan_lo"], requests, tmp_path / "merged.xlsx", merged_on=DAY)
    assert len(report.merged) == sum(read_school_request(path).request_count for path in requests)
    before, after = read_levy_plan(toolkit["plan_lo"]), read_levy_plan(tmp_path / "merged.xlsx")
    assert after.planned_spend - before.planned_spend == sum(read_school_request(p).requests_in_year for p in requests)
    assert not [issue for issue in after.issues if issue.code == "cached-value-mismatch"]  # the stale values are gone
    assert check_xlsx(tmp_path / "merged.xlsx", input_sheets=("Plan", "Starts")) == []


@pytest.mark.libreoffice
def test_a_merged_plan_saved_by_a_spreadsheet_program_takes_more_requests(toolkit, tmp_path):
    """Its record sheet, as LibreOffice wrote it back, is read and rewritten with the new requests below the old."""
    schools = load_plan(toolkit["plan"]).council_schools
    asked = {read_school_request(path).urn for path in toolkit["requests"]}
    newcomer = next(school for school in schools if school.urn not in asked)
    request = filled_request(toolkit["plan"], newcomer.urn, tmp_path / "late.xlsx", random_rows(random.Random(3), 2))
    report = merge_school_requests(toolkit["merged_lo"], [request, *toolkit["requests"][:1]], tmp_path / "again.xlsx",
                                   merged_on=DAY)
    assert len(report.merged) == 2 and {item.why for item in report.not_merged} == {"duplicate"}
    assert check_xlsx(tmp_path / "again.xlsx", input_sheets=("Plan", "Starts")) == []
    with open_package(tmp_path / "again.xlsx") as pkg:
        files = [row[8] for row in pkg.table(RECORD_TABLE).rows]
    with zipfile.ZipFile(tmp_path / "again.xlsx") as archive:
        book = archive.read("xl/workbook.xml").decode()
    names = [(re.search(r'\bname="([^"]+)"', tag).group(1), re.search(r'localSheetId="(\d+)"', tag).group(1))
             for tag in re.findall(r"<definedName\b[^>]*localSheetId[^>]*>", book)]
    assert files == [path.name for path in toolkit["requests"] for _ in range(
        read_school_request(path).request_count)] + ["late.xlsx", "late.xlsx"]
    assert len(names) == len(set(names))  # one print area and one set of print titles a sheet


@pytest.mark.libreoffice
def test_duplicates_and_unknown_schools_are_one_line_each_naming_the_file_and_row(toolkit):
    report = toolkit["report"]
    first = toolkit["requests"][0].name
    duplicates = [item for item in report.not_merged if item.why == "duplicate"]
    assert [(item.file, item.row) for item in duplicates] == [
        (first, start.row) for start in read_school_request(toolkit["requests"][0]).requests]
    assert all(f"repeats {first} row {item.row}" in item.line() for item in duplicates)
    [unknown] = [item for item in report.not_merged if item.why == "unknown-school"]
    assert unknown.file == toolkit["unknown"].name and unknown.row is not None
    assert "URN 990001" in unknown.line() and "not on the plan's Schools sheet" in unknown.line()
    assert len(report.lines()) == len(report.not_merged) == len(duplicates) + 1
    assert report.exit_code == 1


@pytest.mark.libreoffice
def test_each_statement_prints_on_one_page_and_the_guide_on_two_at_most(toolkit, tmp_path, libreoffice):
    if missing := poppler_missing():
        pytest.skip(f"{missing} is not installed")
    documents = [*toolkit["run"].statements, toolkit["guide"]]
    pdfs = libreoffice.pdf(documents, tmp_path)
    for statement in toolkit["run"].statements:
        pages = render.page_texts(pdfs[statement])
        assert len(pages) == 1, statement.name
        assert "Your school's apprenticeship levy, 2026-27" in pages[0] and "Page 1 of 1" in pages[0]
    guide = render.page_texts(pdfs[toolkit["guide"]])
    assert len(guide) <= 2 and COUNCIL in guide[0]
