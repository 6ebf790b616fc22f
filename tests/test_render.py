"""The render tool, and how a workbook in the house style really prints (headless LibreOffice).

One workbook is printed once for the module: an Instructions sheet with the
colour key, a long table per chart position (tables ending at every few rows
around the end of page 1, each with a chart below), a wide landscape table,
and a sheet deliberately not fitted to the page width.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference

from lga_xl.tools import render as tool
from lga_xl.writers import style
from tests.support.pdf import page_words, pdf_fonts, poppler_missing, render_page

TITLE = "Render test workbook"
# Tables ending this many rows before the end of page 1: most would cut a chart below them in half.
SPARES = (0, 4, 8, 12, 16, 20, 24)
CHART_TITLE = "Chart for table of {rows} rows"
ORDINALS = ("First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth",
            "Eleventh", "Twelfth", "Thirteenth", "Fourteenth", "Fifteenth", "Sixteenth")  # a wide table's headings


def long_table(wb: Workbook, name: str, rows: int) -> None:
    ws = wb.create_sheet(name)
    ws["A1"] = f"Table of {rows} rows"
    style.apply(ws["A1"], style.TITLE)
    for col, header in enumerate(("Month", "Funds in", "Balance"), start=1):
        ws.cell(row=3, column=col, value=header)
        style.apply(ws.cell(row=3, column=col), style.TABLE_HEADER)
    for i in range(rows):
        month = dt.date(2026 + (3 + i) // 12, (3 + i) % 12 + 1, 1)
        for col, (value, number_format) in enumerate(((month, style.MONTH), (1_250_000.5, style.MONEY),
                                                       (987_654.25 * (i + 1), style.MONEY)), start=1):
            ws.cell(row=4 + i, column=col, value=value)
            style.apply(ws.cell(row=4 + i, column=col), style.CALCULATED, number_format)
    last = 3 + rows
    style.add_table(ws, name.replace(" ", ""), f"A3:C{last}")
    style.fit_columns(ws, 3, last, header_row=3)
    style.fit_rows(ws)
    style.set_up_printing(ws, title=TITLE, repeat_rows=(3, 3))
    chart = LineChart()
    chart.add_data(Reference(ws, min_col=3, min_row=3, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=4, max_row=last))
    style.finish_chart(chart, title=CHART_TITLE.format(rows=rows), y_title="Pounds",
                       y_number_format=style.MONEY_WHOLE)
    chart.height = 9
    style.place_chart_below(ws, chart, last)


def rows_on_first_page() -> int:
    """Body rows that fit on page 1 below the title row, the empty row and the header row."""
    usable = style.PrintedPage().printable_height - style.line_height(style.TITLE_SIZE) - 2 * style.line_height()
    return int(usable // style.line_height())


def build(path: Path) -> Path:
    wb = Workbook()
    style.use_house_font(wb)
    wb.remove(wb.active)
    ws = wb.create_sheet("Instructions")
    ws["A1"] = TITLE
    style.apply(ws["A1"], style.TITLE)
    style.add_key(ws, 3)
    style.fit_rows(ws)
    style.set_up_printing(ws, title=TITLE)
    for spare in SPARES:
        long_table(wb, f"Spare {spare}", rows_on_first_page() - spare)
    for name, fitted in (("Wide", True), ("Too wide", False)):
        ws = wb.create_sheet(name)
        for col, ordinal in enumerate(ORDINALS, start=1):
            ws.cell(row=1, column=col, value=f"{ordinal} heading")
            style.apply(ws.cell(row=1, column=col), style.TABLE_HEADER)
            ws.cell(row=2, column=col, value=123_456_789.25 * col)
            style.apply(ws.cell(row=2, column=col), style.CALCULATED, style.MONEY)
        style.fit_columns(ws, 1, 2, header_row=1)
        style.fit_rows(ws)
        style.set_up_printing(ws, title=TITLE, landscape=True)
        if not fitted:
            ws.sheet_properties.pageSetUpPr.fitToPage = False
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def printed(libreoffice, tmp_path_factory) -> tuple[Path, list[Path]]:
    """The workbook and the pictures of its pages (the libreoffice fixture skips without soffice)."""
    if missing := poppler_missing():
        pytest.skip(f"{missing} is not installed")
    folder = tmp_path_factory.mktemp("render")
    workbook = build(folder / "styled.xlsx")
    return workbook, tool.render(workbook, folder / "pages", dpi=40)


@pytest.mark.libreoffice
def test_every_page_is_a_picture_named_by_sheet(printed: tuple[Path, list[Path]]) -> None:
    workbook, pictures = printed
    pdf = pictures[0].parent / "styled.pdf"
    counts = tool.pdf_pages_by_sheet(pdf)
    assert len(pictures) == sum(counts.values()) == len(tool.page_texts(pdf))
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pictures)
    expected = [f"styled-{sheet.replace(' ', '-')}-{n}.png" for sheet, count in counts.items()
                for n in range(1, count + 1)]
    assert [p.name for p in pictures] == expected


@pytest.mark.libreoffice
def test_pages_per_sheet(printed: tuple[Path, list[Path]]) -> None:
    workbook, pictures = printed
    counts = tool.pdf_pages_by_sheet(pictures[0].parent / "styled.pdf")
    assert counts["Instructions"] == 1
    assert counts["Wide"] == 1  # sixteen columns of money, one landscape page
    assert counts["Too wide"] > 1  # the same, not fitted: the check below must catch it
    # The table fills page 1; its chart (21 rows) fits below it only with 22 spare rows, else takes page 2.
    assert [counts[f"Spare {spare}"] for spare in SPARES] == [2, 2, 2, 2, 2, 2, 1]


@pytest.mark.libreoffice
def test_every_chart_prints_whole_on_one_page(printed: tuple[Path, list[Path]]) -> None:
    _, pictures = printed
    pdf = pictures[0].parent / "styled.pdf"
    sheets = tool.sheet_of_each_page(pdf)
    for spare in SPARES:
        rows = rows_on_first_page() - spare
        pages = [n for n, sheet in enumerate(sheets, start=1) if sheet == f"Spare {spare}"]
        # The chart's title is at its top, its legend ("Balance") at its bottom.
        with_title = [n for n in pages if "Chart for table of" in " ".join(page_words(pdf, n))]
        assert len(with_title) == 1, spare
        words = page_words(pdf, with_title[0])
        assert words.count("Balance") >= 2, spare  # the legend, and the table's repeated header
        assert str(rows) in words, spare


@pytest.mark.libreoffice
def test_only_the_unfitted_sheet_is_more_than_one_page_wide(printed: tuple[Path, list[Path]]) -> None:
    workbook, pictures = printed
    problems = tool.one_page_wide_problems(workbook, pictures[0].parent / "styled.pdf")
    assert len(problems) == 2 and all(p.startswith("Too wide:") for p in problems), problems


@pytest.mark.libreoffice
def test_numbers_show_whole_with_pound_signs(printed: tuple[Path, list[Path]]) -> None:
    _, pictures = printed
    text = "\n".join(tool.page_texts(pictures[0].parent / "styled.pdf"))
    assert "###" not in text
    assert "£1,975,308,628.00" in text and "£1,250,000.50" in text  # the widest of Wide's, and a table's
    assert "Apr 2026" in text


@pytest.mark.libreoffice
def test_one_sans_serif_family_is_printed(printed: tuple[Path, list[Path]]) -> None:
    _, pictures = printed
    families = {font.split("-")[0] for font in pdf_fonts(pictures[0].parent / "styled.pdf")}
    assert families == {"LiberationSans"}  # Arial's metric twin; no serif fallback anywhere


@pytest.mark.libreoffice
def test_the_key_prints_in_its_colours(printed: tuple[Path, list[Path]]) -> None:
    _, pictures = printed
    page = render_page(pictures[0].parent / "styled.pdf", 1)
    pixels = page.width * page.height
    # A swatch in a default-width column is about 27 x 7 pixels at 40 dpi, less its word.
    assert page.share_near(style.INPUT_COLOUR) * pixels > 50
    assert page.share_near(style.CALCULATED_COLOUR) * pixels > 50
    assert page.share_near(style.BLUE) == 0  # no table on the Instructions page


@pytest.mark.libreoffice
def test_render_never_overwrites_without_force(printed: tuple[Path, list[Path]], tmp_path: Path) -> None:
    workbook, pictures = printed
    before = pictures[0].read_bytes()
    with pytest.raises(tool.RenderError, match="exists; use --force"):
        tool.render(workbook, pictures[0].parent)
    assert pictures[0].read_bytes() == before


@pytest.mark.libreoffice
def test_command_line_prints_where_the_pages_are(printed: tuple[Path, list[Path]], tmp_path: Path) -> None:
    workbook, _ = printed
    small = tmp_path / "small.xlsx"
    wb = Workbook()
    wb.active["A1"] = "One page"
    style.set_up_printing(wb.active, title="Small")
    wb.save(small)
    result = subprocess.run([sys.executable, "-m", "lga_xl.tools.render", str(small), "--out", str(tmp_path / "out")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{small}: 1 page(s) (Sheet 1) in {tmp_path / 'out'}"
    assert (tmp_path / "out" / "small-Sheet-1.png").exists()
    again = subprocess.run([sys.executable, "-m", "lga_xl.tools.render", str(small), "--out", str(tmp_path / "out")],
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 1
    assert again.stderr.strip() == f"render: {tmp_path / 'out' / 'small.pdf'} exists; use --force to overwrite it"


@pytest.mark.libreoffice
def test_a_file_libreoffice_cannot_open_is_one_clear_line(libreoffice, tmp_path: Path, capsys) -> None:
    if missing := poppler_missing():
        pytest.skip(f"{missing} is not installed")
    fake = tmp_path / "notes.xlsx"
    with zipfile.ZipFile(fake, "w") as package:  # a zip, but not a workbook
        package.writestr("notes.txt", "not a workbook")
    assert tool.main([str(fake), "--out", str(tmp_path / "out")]) == 1
    assert capsys.readouterr().err == f"render: {fake}: LibreOffice could not convert it (is it a workbook?)\n"
    assert not (tmp_path / "out").exists()


# --- without LibreOffice -------------------------------------------------------------------


def test_missing_tools_are_named_with_what_to_install(monkeypatch, tmp_path: Path, capsys) -> None:
    workbook = tmp_path / "a.xlsx"
    Workbook().save(workbook)
    real_which = shutil.which
    monkeypatch.setattr(tool.shutil, "which", lambda name: None if name == "pdftoppm" else real_which(name))
    assert tool.main([str(workbook)]) == 2
    assert capsys.readouterr().err == "render: pdftoppm is not installed: install poppler-utils\n"
    monkeypatch.setattr(tool.shutil, "which", lambda name: None if name in ("soffice", "libreoffice")
                        else real_which(name))
    with pytest.raises(tool.RenderError, match=r"LibreOffice \(soffice\) is not installed"):
        tool.convert_to_pdf([workbook], tmp_path / "pdf")


def test_a_missing_file_or_one_that_is_no_zip_is_one_clear_line(tmp_path: Path, capsys) -> None:
    if missing := poppler_missing():
        pytest.skip(f"{missing} is not installed")
    assert tool.main([str(tmp_path / "nowhere.xlsx")]) == 1
    assert capsys.readouterr().err == f"render: {tmp_path / 'nowhere.xlsx'}: no such file\n"
    renamed = tmp_path / "notes.xlsx"
    renamed.write_text("URN,School\n100001,Ash Primary\n")  # a CSV renamed .xlsx
    assert tool.main([str(renamed), str(tmp_path / "nowhere.xlsx")]) == 1  # both reported, one line each
    assert capsys.readouterr().err.splitlines() == [
        f"render: {renamed}: not an Excel workbook (an .xlsx file is a zip package; this is not)",
        f"render: {tmp_path / 'nowhere.xlsx'}: no such file",
    ]


def test_page_names_use_the_sheet_and_its_own_page_number() -> None:
    names = tool._page_names("plan", ["Plan", "Starts", "Starts", None, "Levy plans"])
    assert names == ["plan-Plan-1.png", "plan-Starts-1.png", "plan-Starts-2.png", "plan-page-4.png",
                     "plan-Levy-plans-1.png"]
