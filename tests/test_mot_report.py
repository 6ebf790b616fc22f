"""The MOT report written as Word and as a workbook, full and minimal, and laid out by LibreOffice."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from PIL import Image

from lga_xl.mot.model import Council, MotReport
from lga_xl.mot.report_docx import write_mot_docx
from lga_xl.mot.report_xlsx import write_mot_xlsx
from lga_xl.mot.sample import sample_report
from lga_xl.mot.sections import COLOURS, Cell, Chart, Group, Table, build_sections
from lga_xl.mot.survey import read_survey
from lga_xl.mot.wording import figure
from tests.support.xlsx_checklist import check_xlsx

EXAMPLE_SURVEY = Path(__file__).resolve().parents[1] / "examples" / "mot_survey_export.csv"
SECTION_TITLES = ["Summary", "Maturity Model ratings", "Progress since the last self-assessment", "Levy and schools",
                  "Apprenticeship starts", "Apprentice experience", "Improvement priorities",
                  "Where LGA support can help"]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def full() -> MotReport:
    return sample_report(survey=read_survey(EXAMPLE_SURVEY))


@pytest.fixture(scope="module")
def minimal(full: MotReport) -> MotReport:
    return MotReport(full.council, full.self_assessment)


@pytest.fixture(scope="module")
def written(full: MotReport, minimal: MotReport, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("mot")
    return {"full.docx": write_mot_docx(full, folder / "full.docx"),
            "minimal.docx": write_mot_docx(minimal, folder / "minimal.docx"),
            "full.xlsx": write_mot_xlsx(full, folder / "full.xlsx"),
            "minimal.xlsx": write_mot_xlsx(minimal, folder / "minimal.xlsx")}


def docx_text(path: Path) -> str:
    doc = Document(path)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


# --- Word -------------------------------------------------------------------------------------


def test_the_word_report_is_a4_with_every_section_as_a_heading(written):
    doc = Document(written["full.docx"])
    page = doc.sections[0]
    # Word stores twentieths of a point: A4 is 11906 x 16838 of them.
    assert (round(page.page_width.cm, 2), round(page.page_height.cm, 2)) == (21.0, 29.7)
    assert round(page.left_margin.cm, 2) == round(page.right_margin.cm, 2) == 2.0
    assert doc.paragraphs[0].style.name == "Title" and doc.paragraphs[0].text == "Apprenticeship MOT"
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == SECTION_TITLES
    assert len(doc.inline_shapes) == 3  # maturity, levy and survey charts


def test_the_word_report_has_one_font_page_numbers_and_repeating_table_headers(written):
    with zipfile.ZipFile(written["full.docx"]) as package:
        styles = package.read("word/styles.xml").decode()
        footers = "".join(package.read(n).decode() for n in package.namelist() if n.startswith("word/footer"))
        document = package.read("word/document.xml").decode()
    assert "Theme" not in "".join(re.findall(r"<w:rFonts [^>]*>", styles))  # no theme font overrides Arial
    assert set(re.findall(r'w:ascii="([^"]+)"', styles + document)) == {"Arial"}
    assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", footers)
    assert re.search(r"<w:instrText[^>]*> NUMPAGES </w:instrText>", footers)
    # Every table but the cover's (labels down its first column) has a header row that repeats.
    assert document.count("<w:tblHeader/>") == len(Document(written["full.docx"]).tables) - 1


def test_the_full_report_shows_the_figures_it_was_given(full, written):
    text = docx_text(written["full.docx"])
    levy = full.levy
    assert f"{figure(levy.spend_share, 'percent')} of its funds" not in text  # the summary gives the unspent share
    assert f"leaves {figure(levy.unspent_share, 'percent')} of its funds unspent" in text
    for strand in full.self_assessment.strands:
        assert strand.strand in text
    regional = full.benchmarks.get("spend_share").regional
    assert f"{regional.area} median" in text and str(regional.councils) in text


def test_word_and_workbook_show_the_same_figures(full, written):
    """Every number of every table: as written in the Word table, and as the value in the workbook."""
    doc = Document(written["full.docx"])
    wb = load_workbook(written["full.xlsx"])
    sections = build_sections(full)
    tables = [(s.sheet, b) for s in sections for b in s.blocks if isinstance(b, Table)]
    assert len(tables) == len(doc.tables)
    checked = 0
    for (sheet, table), word_table in zip(tables, doc.tables):
        values = [c.value for row in wb[sheet].iter_rows() for c in row if isinstance(c.value, int | float)]
        word_cells = [c.text for row in word_table.rows for c in row.cells]
        for row in table.rows:
            if isinstance(row, Group):
                continue
            for value, column in zip(row, table.columns):
                kind = value.kind if isinstance(value, Cell) else column.kind
                number = value.value if isinstance(value, Cell) else value
                if isinstance(number, int | float) and kind != "text":
                    assert figure(number, kind) in word_cells, (sheet, number)
                    assert any(abs(v - number) < 1e-9 for v in values), (sheet, number)
                    checked += 1
    assert checked > 40


def test_a_minimal_report_says_what_is_missing_instead_of_showing_zeros(written):
    text = docx_text(written["minimal.docx"])
    for missing in ("There is no external assessment by the LGA to compare with.",
                    "There is no earlier self-assessment from the council in the returns",
                    "The council has not returned a schools levy plan",
                    "No starts or headcount figures are available for the council",
                    "No apprentice survey was run for this MOT",
                    "No regional or national figures were supplied for this report."):
        assert missing in text
    assert not re.search(r"£0\b|(?<![\d.])0%", text)
    assert [p.text for p in Document(written["minimal.docx"]).paragraphs
            if p.style.name == "Heading 1"] == SECTION_TITLES
    assert len(Document(written["minimal.docx"]).inline_shapes) == 1  # the maturity chart alone


def test_a_regional_figure_from_fewer_than_three_councils_is_not_shown_and_the_report_says_so(full, tmp_path):
    lone = full.benchmarks.get("spend_share")
    assert lone.regional.councils >= 3  # the sample's region has enough councils ...
    moved = MotReport(Council(full.council.name, "North East", full.council.org_type), full.self_assessment,
                      levy=full.levy, benchmarks=_benchmarks_with_few_in_region(full))
    text = docx_text(write_mot_docx(moved, tmp_path / "few.docx"))
    assert "not shown" in text  # ... the North East here has 2 councils with levy plans
    assert "A median is not shown where only 2 councils in the North East have this figure; at least 3 are needed." \
        in text
    assert ("against a national median of 38% (5 councils; too few councils in the North East for a regional "
            "figure)") in text


def _benchmarks_with_few_in_region(report: MotReport):
    from lga_xl.mot.peers import PeerCouncil, build_benchmarks

    peers = [PeerCouncil("under review", "North East", {}, report.levy),
             PeerCouncil("neighbour", "North East", {}, report.levy)]
    peers += [PeerCouncil(f"elsewhere {i}", "London", {}, report.levy) for i in range(3)]
    return build_benchmarks("North East", peers)


def test_text_from_returns_is_never_a_formula_and_control_characters_are_dropped(full, tmp_path):
    council = Council("=HYPERLINK(\"http://x\",\"Exampleshire\")\x07", full.council.region, full.council.org_type)
    report = MotReport(council, full.self_assessment)
    wb = load_workbook(write_mot_xlsx(report, tmp_path / "odd.xlsx"))
    cover = [c for row in wb["Cover"].iter_rows() for c in row if c.value and "HYPERLINK" in str(c.value)]
    assert cover and all(c.data_type == "s" for c in cover)
    text = docx_text(write_mot_docx(report, tmp_path / "odd.docx"))
    assert '=HYPERLINK("http://x","Exampleshire")' in text and "\x07" not in text


def test_a_chart_drawn_over_a_frame_kept_from_another_chart_is_the_picture_it_gets_on_its_own():
    from lga_xl.mot import charts

    first, second = (next(b for s in build_sections(sample_report(seed=seed)) for b in s.blocks
                          if isinstance(b, Chart)) for seed in (24, 25))
    charts._FRAMES.clear()
    alone = charts.chart_png(second)
    charts._FRAMES.clear()
    other = charts.chart_png(first)
    assert charts.chart_png(second) == alone != other
    assert len(charts._FRAMES) == 1  # the two charts shared one frame


# --- workbook ---------------------------------------------------------------------------------


def test_the_workbook_has_a_sheet_a_section_native_charts_and_passes_the_checklist(written):
    wb = load_workbook(written["full.xlsx"])
    assert wb.sheetnames == ["Cover", "Summary", "Maturity", "Progress", "Levy and schools", "Starts",
                             "Apprentice experience", "Improvement priorities", "LGA support"]
    assert [len(wb[name]._charts) for name in ("Maturity", "Levy and schools", "Apprentice experience")] == [1, 1, 1]
    assert check_xlsx(written["full.xlsx"]) == []
    assert check_xlsx(written["minimal.xlsx"]) == []


def test_workbook_figures_are_numbers_with_formats(full, written):
    ws = load_workbook(written["full.xlsx"])["Levy and schools"]
    row = next(r for r in ws.iter_rows() if r[0].value == "Planned spend as a share of funds entering")
    assert row[1].value == pytest.approx(full.levy.spend_share) and row[1].number_format == "0%"
    row = next(r for r in ws.iter_rows() if r[0].value == "Funds entering the levy account in the year")
    assert row[1].value == float(full.levy.funds_in) and row[1].number_format == "£#,##0"


# --- LibreOffice: the pages as a reader sees them ---------------------------------------------


def pages(pdf: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf.read_bytes()))


@pytest.mark.libreoffice
def test_libreoffice_lays_the_full_report_out_in_a_few_pages(libreoffice, written, tmp_path):
    pdfs = libreoffice.pdf([written["full.docx"], written["minimal.docx"]], tmp_path)
    assert 3 <= pages(pdfs[written["full.docx"]]) <= 8
    assert 2 <= pages(pdfs[written["minimal.docx"]]) <= pages(pdfs[written["full.docx"]])
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed: the pages were counted, not looked at")
    # The maturity chart is on page 2: its council-blue columns are in the picture LibreOffice drew.
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "2", "-l", "2", str(pdfs[written["full.docx"]]),
                    str(tmp_path / "page")], check=True)
    [png] = tmp_path.glob("page*.png")
    blue = tuple(int(COLOURS["council"][i:i + 2], 16) for i in (1, 3, 5))
    colours = Image.open(png).convert("RGB").getcolors(1_000_000)
    assert sum(n for n, c in colours if all(abs(a - b) <= 12 for a, b in zip(c, blue))) > 200


@pytest.mark.libreoffice
def test_libreoffice_opens_the_workbook_with_its_figures(libreoffice, full, written):
    converted = libreoffice([written["full.xlsx"]])[written["full.xlsx"]]
    ws = load_workbook(converted, data_only=True)["Maturity"]
    regional = full.benchmarks.get("score:Engagement").regional.value
    row = next(r for r in ws.iter_rows() if r[0].value == "Engagement")
    assert regional in [c.value for c in row]
