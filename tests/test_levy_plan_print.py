"""How a levy plan prints: LibreOffice's PDF of a plan with 60 schools and 40 starts.

At most 16 A4 pages, every sheet one page wide, the chart whole on one page, and the footer on every
page naming the sheet (lga_xl.tools.render reads it).
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import openpyxl
import pytest

from lga_xl.reference import COUNCIL_ESTABLISHMENT_TYPES
from lga_xl.standards import sample_export
from lga_xl.tools.render import one_page_wide_problems, page_texts, pdf_pages_by_sheet
from lga_xl.writers.levy_plan import SchoolEntry, StartEntry, TransferEntry, new_levy_plan

pytestmark = pytest.mark.libreoffice

MOST_PAGES = 16


@pytest.fixture(scope="module")
def printed(tmp_path_factory, libreoffice) -> tuple[Path, Path]:
    """(workbook, PDF) of a plan with 60 schools and 40 starts."""
    folder = tmp_path_factory.mktemp("print")
    rng = random.Random(60)
    open_for_starts = [s for s in sample_export() if s.typical_duration_months]
    schools = [SchoolEntry(100_000 + i, f"{rng.choice(['Ash', 'Birch', 'Cedar', 'Elm'])} Primary School {i}",
                           rng.choice(COUNCIL_ESTABLISHMENT_TYPES), rng.randrange(400_000, 3_000_000), rng.randrange(10, 90))
               for i in range(60)]
    starts = []
    for _ in range(40):
        standard = rng.choice(open_for_starts)
        start = dt.date(2026, rng.randrange(4, 13), 1)
        starts.append(StartEntry(standard.reference, start, max(standard.typical_duration_months, 12),
                                 standard.band_on(start), rng.choice([None, 100_000 + rng.randrange(60)])))
    path = new_levy_plan(folder / "plan.xlsx", org_name="Exampleshire County Council", region="East of England",
                         total_pay_bill=180_000_000, english_percent=1, previous_year_funds=700_000,
                         opening_balance=450_000, schools=schools, starts=starts,
                         transfers=[TransferEntry("Northwick Care Ltd", "ST0005", dt.date(2026, 9, 1), 15, 4500)],
                         expiring_funds={dt.date(2026, 9, 1): 20_000})
    return path, libreoffice.pdf([path], folder)[path]


def test_it_prints_on_at_most_16_pages(printed):
    path, pdf = printed
    pages = pdf_pages_by_sheet(pdf, openpyxl.load_workbook(path).sheetnames)
    assert sum(pages.values()) == len(page_texts(pdf)) <= MOST_PAGES, pages
    assert list(pages) == ["Instructions", "Plan", "Schools", "Starts", "Transfers", "Forecast", "Expiry",
                           "Standards"]


def test_every_sheet_prints_one_page_wide(printed):
    assert one_page_wide_problems(*printed) == []


def test_the_chart_prints_whole_on_one_page_with_the_year_summary(printed):
    _, pdf = printed
    [page] = [text for text in page_texts(pdf) if "The account month by month" in text]
    for words in ("Training paid from levy", "Balance", "Pounds (£)", "Closing balance", "2029-30"):
        assert words in page, words


def test_every_page_has_the_footer(printed):
    _, pdf = printed
    texts = page_texts(pdf)
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {len(texts)}" in text and "Schools apprenticeship levy plan" in text
