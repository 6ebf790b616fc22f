"""The house style: its pure helpers, and both adapters applied to a small workbook, reopened as XML.

Every assertion reads the saved package (fonts, number formats, print
set-up, footers, validation prompts, charts), as Excel would, rather than
the objects that wrote it.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import xml.etree.ElementTree as ET
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
import xlsxwriter
from openpyxl import Workbook, load_workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Border, Side
from openpyxl.worksheet.datavalidation import DataValidation

from lga_xl.writers import style
from tests.support.xlsx_checklist import check_xlsx

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CHART = "http://schemas.openxmlformats.org/drawingml/2006/chart"
DRAWING = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS = {"m": MAIN, "c": CHART, "a": DRAWING}
TITLE = "Schools apprenticeship levy plan & forecast"
MONTHS = 36


# --- the workbooks -------------------------------------------------------------------------


def build_openpyxl(path: Path) -> Path:
    """A small template: a key, an input sheet with prompts, a table with a line chart, a rating chart."""
    wb = Workbook()
    style.use_house_font(wb)
    wb.remove(wb.active)

    ws = wb.create_sheet("Instructions")
    ws["A1"] = "Schools apprenticeship levy plan"
    style.apply(ws["A1"], style.TITLE)
    style.add_key(ws, 3)
    style.fit_rows(ws)
    style.set_up_printing(ws, title=TITLE)

    ws = wb.create_sheet("Plan")
    ws["A1"] = "Plan"
    style.apply(ws["A1"], style.TITLE)
    for row, (label, value, cell_style, number_format) in enumerate([
        ("Council", "Exampleshire County Council", style.INPUT, None),
        ("Annual pay bill", 250_000_000, style.INPUT, style.MONEY),
        ("English percentage", 0.985, style.INPUT, style.PERCENT),
        ("Plan starts", dt.date(2026, 4, 1), style.CALCULATED, style.DATE),
        ("Annual levy", "=MAX(0,ROUND((B4-3000000)/200,2))", style.CALCULATED, style.MONEY),
    ], start=3):
        ws.cell(row=row, column=1, value=label)
        style.apply(ws.cell(row=row, column=1), style.LABEL)
        ws.cell(row=row, column=2, value=value)
        style.apply(ws.cell(row=row, column=2), cell_style, number_format)
    percent = DataValidation(type="decimal", operator="between", formula1="0", formula2="1")
    style.explain(percent, title="English percentage", prompt="Type the share, for example 98.5%.",
                  error="Type a percentage from 0% to 100%.")
    percent.add("B5")
    ws.add_data_validation(percent)
    style.add_prompt(ws, "B3", title="Council", prompt="The council's name as you want it reported.")
    style.fit_columns(ws, 3)
    style.fit_rows(ws)
    style.set_up_printing(ws, title=TITLE)

    ws = wb.create_sheet("Forecast")
    ws["A1"] = "Forecast"
    style.apply(ws["A1"], style.TITLE)
    headers = ("Month", "Funds in", "Balance")
    for col, header in enumerate(headers, start=1):
        ws.cell(row=3, column=col, value=header)
        style.apply(ws.cell(row=3, column=col), style.TABLE_HEADER)
    for i in range(MONTHS):
        row = 4 + i
        for col, (value, number_format) in enumerate(((dt.date(2026 + (3 + i) // 12, (3 + i) % 12 + 1, 1), style.MONTH),
                                                       (95_000, style.MONEY), (1_000.0 * i, style.MONEY)), start=1):
            ws.cell(row=row, column=col, value=value)
            style.apply(ws.cell(row=row, column=col), style.CALCULATED, number_format)
    last = 3 + MONTHS
    style.add_table(ws, "Forecast", f"A3:C{last}")
    style.fit_columns(ws, 3, last, header_row=3)
    style.fit_rows(ws)
    style.set_up_printing(ws, title=TITLE, repeat_rows=(3, 3))
    chart = LineChart()
    for col in (2, 3):
        chart.add_data(Reference(ws, min_col=col, min_row=3, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=4, max_row=last))
    style.finish_chart(chart, title="Funds in and balance", y_title="Pounds (£)", y_number_format=style.MONEY_WHOLE)
    style.cache_chart_data(chart, wb)
    style.place_chart_below(ws, chart, last)
    ws.protection.sheet = ws.protection.objects = True

    ws = wb.create_sheet("Ratings")
    for col, header in enumerate(("Strand", "Early", "Mature"), start=1):
        ws.cell(row=1, column=col, value=header)
        style.apply(ws.cell(row=1, column=col), style.TABLE_HEADER)
    for row, (strand, early) in enumerate([("Engagement", 3), ("Leadership and Culture", 2)], start=2):
        ws.cell(row=row, column=1, value=strand)
        ws.cell(row=row, column=2, value=early)
        ws.cell(row=row, column=3, value=f"=4-B{row}")  # a formula whose value the writer knows
    style.add_table(ws, "Ratings", "A1:C3")
    bars = BarChart()
    bars.type = "bar"
    for col in (2, 3):
        bars.add_data(Reference(ws, min_col=col, min_row=1, max_row=3), titles_from_data=True)
    bars.set_categories(Reference(ws, min_col=1, min_row=2, max_row=3))
    bars.x_axis.scaling.orientation = "maxMin"
    style.finish_chart(bars, title="Councils by rating", y_title="Councils", palette=style.RATING_PALETTE)
    style.cache_chart_data(bars, wb, known={"Ratings!C2": 1, "Ratings!C3": 2})
    style.fit_columns(ws, 1, 3, header_row=1)
    style.set_up_printing(ws, title=TITLE, landscape=True)
    style.place_chart_below(ws, bars, 3)
    wb.save(path)
    return path


def build_xlsxwriter(path: Path) -> Path:
    """A consolidated-style workbook: a key, a table with a line chart, with the house style."""
    wb = xlsxwriter.Workbook(path, style.xlsxwriter_options(strings_to_formulas=False))
    house = style.XlsxWriterStyle(wb)
    ws = wb.add_worksheet("About")
    house.write_text(ws, 0, 0, "Consolidated apprenticeship returns", style.TITLE)
    house.add_key(ws, 2)
    house.set_up_printing(ws, title=TITLE, last_row=4, last_col=1)

    ws = wb.add_worksheet("Forecast")
    house.write_text(ws, 0, 0, "Balance month by month", style.TITLE)
    headers = ["Month", "Balance"]
    ws.add_table(2, 0, 2 + MONTHS, 1, house.table_options("ForecastTable", headers))
    for i in range(MONTHS):
        ws.write_datetime(3 + i, 0, dt.datetime(2026 + (3 + i) // 12, (3 + i) % 12 + 1, 1),
                          house.format(style.CALCULATED, style.MONTH))
        ws.write_number(3 + i, 1, 1000.0 * i, house.format(style.CALCULATED, style.MONEY))
    house.set_column_widths(ws, {0: style.fit_column([dt.date(2026, 5, 1)], number_format=style.MONTH,
                                                     header="Month"),
                                 1: style.fit_column([35_000.0], number_format=style.MONEY, header="Balance")})
    ws.data_validation(3, 1, 2 + MONTHS, 1, style.xlsxwriter_validation(
        {"validate": "decimal", "criteria": ">=", "value": 0}, title="Balance", prompt="An amount in pounds.",
        error="Type an amount of 0 or more."))
    house.set_up_printing(ws, title=TITLE, last_row=2 + MONTHS, last_col=1, repeat_rows=(2, 2))
    chart = wb.add_chart({"type": "line"})
    chart.add_series(house.series({"name": ["Forecast", 2, 1], "categories": ["Forecast", 3, 0, 2 + MONTHS, 0],
                                   "values": ["Forecast", 3, 1, 2 + MONTHS, 1]}, 0, line=True))
    house.finish_chart(chart, title="Balance", y_title="Pounds (£)", y_number_format=style.MONEY_WHOLE)
    house.place_chart_below(ws, chart, 2 + MONTHS)
    ws.protect()
    wb.close()
    style.finish_xlsxwriter_package(path)
    return path


@pytest.fixture(scope="module")
def openpyxl_book(tmp_path_factory) -> Path:
    return build_openpyxl(tmp_path_factory.mktemp("style") / "template.xlsx")


@pytest.fixture(scope="module")
def xlsxwriter_book(tmp_path_factory) -> Path:
    return build_xlsxwriter(tmp_path_factory.mktemp("style") / "consolidated.xlsx")


# --- reading the package -------------------------------------------------------------------


def parts(path: Path, pattern: str) -> dict[str, ET.Element]:
    with zipfile.ZipFile(path) as package:
        return {name: ET.fromstring(package.read(name)) for name in sorted(package.namelist())
                if re.fullmatch(pattern, name)}


def sheet_xml(path: Path, sheet: str) -> ET.Element:
    """A worksheet's XML by sheet name (through workbook.xml and its relationships)."""
    workbook = parts(path, r"xl/workbook\.xml")["xl/workbook.xml"]
    rels = parts(path, r"xl/_rels/workbook\.xml\.rels")["xl/_rels/workbook.xml.rels"]
    rid = next(s.get(f"{{{'http://schemas.openxmlformats.org/officeDocument/2006/relationships'}}}id")
               for s in workbook.iter(f"{{{MAIN}}}sheet") if s.get("name") == sheet)
    target = next(r.get("Target") for r in rels if r.get("Id") == rid).lstrip("/")
    return parts(path, re.escape(target if target.startswith("xl/") else f"xl/{target}"))[
        target if target.startswith("xl/") else f"xl/{target}"]


def defined_names(path: Path) -> dict[tuple[str, str | None], str]:
    workbook = parts(path, r"xl/workbook\.xml")["xl/workbook.xml"]
    return {(d.get("name"), d.get("localSheetId")): d.text for d in workbook.iter(f"{{{MAIN}}}definedName")}


def number_formats(path: Path) -> set[str]:
    styles = parts(path, r"xl/styles\.xml")["xl/styles.xml"]
    return {f.get("formatCode") for f in styles.iter(f"{{{MAIN}}}numFmt")}


# --- both adapters: the same house style in the file ---------------------------------------


@pytest.fixture(params=["openpyxl", "xlsxwriter"])
def book(request, openpyxl_book: Path, xlsxwriter_book: Path) -> Path:
    return openpyxl_book if request.param == "openpyxl" else xlsxwriter_book


def test_every_font_is_the_house_font(book: Path) -> None:
    styles = parts(book, r"xl/styles\.xml")["xl/styles.xml"]
    fonts = styles.findall("m:fonts/m:font", NS)
    assert fonts and {f.find("m:name", NS).get("val") for f in fonts} == {"Arial"}
    default = fonts[0]
    assert default.find("m:sz", NS).get("val") == "10"


def test_chart_text_is_the_house_font(book: Path) -> None:
    for name, chart in parts(book, r"xl/charts/chart\d+\.xml").items():
        faces = {latin.get("typeface") for latin in chart.iter(f"{{{DRAWING}}}latin")}
        assert faces == {"Arial"}, name


def test_money_percent_and_dates_use_the_house_formats(book: Path) -> None:
    formats = number_formats(book)
    assert {style.MONEY, style.MONTH} <= formats
    assert not {"#,##0.00", "0%", "0.00%"} & formats  # the old styles


def test_openpyxl_formats_cover_every_kind(openpyxl_book: Path) -> None:
    assert {style.MONEY, style.PERCENT, style.DATE, style.MONTH} <= number_formats(openpyxl_book)


@pytest.mark.parametrize("sheet", ["Forecast"])
def test_print_set_up(book: Path, sheet: str) -> None:
    root = sheet_xml(book, sheet)
    setup = root.find("m:pageSetup", NS)
    assert setup.get("paperSize") == "9"  # A4
    assert (setup.get("fitToWidth", "1"), setup.get("fitToHeight")) == ("1", "0")  # 1 is the schema's default
    assert setup.get("orientation") == "portrait"
    assert root.find("m:sheetPr/m:pageSetUpPr", NS).get("fitToPage") in ("1", "true")
    options = root.find("m:printOptions", NS)
    assert options.get("horizontalCentered") in ("1", "true")
    assert options.get("gridLines") in (None, "0", "false")
    margins = root.find("m:pageMargins", NS)
    assert float(margins.get("left")) == style.MARGINS.left
    assert float(margins.get("bottom")) == style.MARGINS.bottom


def test_footer_has_title_sheet_and_page(book: Path) -> None:
    footer = sheet_xml(book, "Forecast").find("m:headerFooter/m:oddFooter", NS).text
    left, centre, right = re.fullmatch(r"&L(.*)&C(.*)&R(.*)", footer).groups()
    assert "Schools apprenticeship levy plan && forecast" in left  # "&" doubled, or it starts a code
    assert centre.endswith("&A") and right.endswith("Page &P of &N")
    assert '&"Arial,Regular"' in footer


def test_table_header_repeats_on_every_page(book: Path) -> None:
    names = defined_names(book)
    titles = [text for (name, _), text in names.items() if name == "_xlnm.Print_Titles"]
    assert titles == ["Forecast!$3:$3"] or titles == ["'Forecast'!$3:$3"]
    areas = [text for (name, _), text in names.items() if name == "_xlnm.Print_Area"]
    assert len(areas) >= 2


def test_tables_have_no_filter_buttons_and_no_table_style(book: Path) -> None:
    tables = parts(book, r"xl/tables/table\d+\.xml")
    assert tables
    for name, table in tables.items():
        assert table.find("m:autoFilter", NS) is None, name
        assert table.find("m:tableStyleInfo", NS).get("name") is None, name


def test_line_series_are_straight_and_axes_shown(book: Path) -> None:
    line_charts = 0
    for name, chart in parts(book, r"xl/charts/chart\d+\.xml").items():
        for line in chart.iter(f"{{{CHART}}}lineChart"):
            line_charts += 1
            for series in line.findall("c:ser", NS):
                assert series.find("c:smooth", NS).get("val") == "0", name
        for axis in [*chart.iter(f"{{{CHART}}}catAx"), *chart.iter(f"{{{CHART}}}valAx")]:
            assert axis.find("c:delete", NS).get("val") == "0", name
        assert chart.find(".//c:legend/c:legendPos", NS).get("val") == "b", name
    assert line_charts == 1


def test_value_axis_shows_pounds_without_pence(book: Path) -> None:
    formats = [axis.find("c:numFmt", NS) for chart in parts(book, r"xl/charts/chart\d+\.xml").values()
               for axis in chart.iter(f"{{{CHART}}}valAx") if axis.find("c:numFmt", NS) is not None]
    assert any(f.get("formatCode") == style.MONEY_WHOLE and f.get("sourceLinked") == "0" for f in formats)


def test_validations_have_prompts_and_stop_alerts(book: Path) -> None:
    validations = [v for root in parts(book, r"xl/worksheets/sheet\d+\.xml").values()
                   for v in root.iter(f"{{{MAIN}}}dataValidation")]
    assert validations
    for validation in validations:
        assert validation.get("showInputMessage") == "1" and validation.get("promptTitle") and validation.get("prompt")
        if validation.get("type", "none") != "none":
            assert validation.get("showErrorMessage") == "1" and validation.get("errorStyle", "stop") == "stop"


def test_the_excel_checklist_holds(book: Path) -> None:
    assert check_xlsx(book, input_sheets=()) == []


# --- the openpyxl adapter in detail --------------------------------------------------------


def test_key_explains_the_colours(openpyxl_book: Path) -> None:
    ws = load_workbook(openpyxl_book)["Instructions"]
    rows = {ws.cell(row=r, column=1).value: (ws.cell(row=r, column=2).value, ws.cell(row=r, column=1).fill.fgColor.rgb)
            for r in range(4, 6)}
    assert rows == {"Yellow": ("Type here", "00" + style.INPUT_COLOUR),
                    "Green": ("Worked out for you", "00" + style.CALCULATED_COLOUR)}


def test_inputs_are_unlocked_and_results_locked(openpyxl_book: Path) -> None:
    ws = load_workbook(openpyxl_book)["Plan"]
    assert ws["B4"].protection.locked is False and ws["B4"].fill.fgColor.rgb == "00" + style.INPUT_COLOUR
    assert ws["B7"].protection.locked is True and ws["B7"].fill.fgColor.rgb == "00" + style.CALCULATED_COLOUR


def test_columns_fit_their_widest_number(openpyxl_book: Path) -> None:
    ws = load_workbook(openpyxl_book)["Plan"]
    shown = style.display_text(250_000_000, style.MONEY)
    stored = ws.column_dimensions["B"].width
    # The stored width includes 5 pixels of padding; the text must fit in what is left.
    assert stored * style.DIGIT_PIXELS - style.CELL_PADDING_PIXELS >= style.text_pixels(shown)


def test_title_row_is_tall_enough_for_the_title(openpyxl_book: Path) -> None:
    ws = load_workbook(openpyxl_book)["Plan"]
    assert ws.row_dimensions[1].height == style.line_height(style.TITLE_SIZE)


def test_chart_cache_holds_values_and_text_categories(openpyxl_book: Path) -> None:
    charts = parts(openpyxl_book, r"xl/charts/chart\d+\.xml")
    line = next(c for c in charts.values() if c.find(".//c:lineChart", NS) is not None)
    balance = line.findall(".//c:ser", NS)[1]
    cached = [float(v.text) for v in balance.findall("c:val/c:numRef/c:numCache/c:pt/c:v", NS)]
    assert cached == [1000.0 * i for i in range(MONTHS)]
    assert balance.find("c:tx/c:strRef/c:strCache/c:pt/c:v", NS).text == "Balance"
    months = [float(v.text) for v in balance.findall("c:cat/c:numRef/c:numCache/c:pt/c:v", NS)]
    assert months[0] == style.excel_serial(dt.date(2026, 4, 1))
    bars = next(c for c in charts.values() if c.find(".//c:barChart", NS) is not None)
    strands = [v.text for v in bars.findall(".//c:ser/c:cat/c:strRef/c:strCache/c:pt/c:v", NS)][:2]
    assert strands == ["Engagement", "Leadership and Culture"]
    mature = bars.findall(".//c:ser", NS)[1]  # formulas: the values the writer passed in
    assert [v.text for v in mature.findall("c:val/c:numRef/c:numCache/c:pt/c:v", NS)] == ["1", "2"]


def test_rating_bars_use_the_graded_palette_and_bottom_value_axis(openpyxl_book: Path) -> None:
    charts = parts(openpyxl_book, r"xl/charts/chart\d+\.xml")
    bars = next(c for c in charts.values() if c.find(".//c:barChart", NS) is not None)
    fills = [s.find("c:spPr/a:solidFill/a:srgbClr", NS).get("val") for s in bars.findall(".//c:ser", NS)]
    assert fills == list(style.RATING_PALETTE[:2])
    assert bars.find(".//c:valAx/c:crosses", NS).get("val") == "max"  # categories reversed: axis stays below


def test_chart_sits_below_its_table_inside_the_print_area(openpyxl_book: Path) -> None:
    wb = load_workbook(openpyxl_book)
    names = defined_names(openpyxl_book)
    sheet_index = wb.sheetnames.index("Forecast")
    area = names[("_xlnm.Print_Area", str(sheet_index))]
    last_row = int(re.search(r"\$(\d+)$", area).group(1))
    drawing = parts(openpyxl_book, r"xl/drawings/drawing\d+\.xml")
    anchors = [int(a.text) for d in drawing.values()
               for a in d.iter("{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}row")]
    table_last = 3 + MONTHS
    assert any(table_last < row + 1 < last_row for row in anchors)  # 0-based row in the drawing


def test_add_table_refuses_a_header_that_is_not_text() -> None:
    ws = Workbook().active
    ws.append(["Name", 2026])
    ws.append(["a", 1])
    with pytest.raises(ValueError, match="B1 must be text"):
        style.add_table(ws, "Bad", "A1:B2")


def test_validation_texts_beyond_excel_limits_are_refused() -> None:
    with pytest.raises(ValueError, match="title"):
        style.explain(DataValidation(type="list", formula1="X"), title="T" * 33, prompt="p", error="e")
    with pytest.raises(ValueError, match="error"):
        style.xlsxwriter_validation({}, title="T", prompt="p", error="e" * 225)


# --- chart placement against page breaks ---------------------------------------------------


def long_table_sheet(rows: int) -> tuple[Workbook, object]:
    wb = Workbook()
    style.use_house_font(wb)
    ws = wb.active
    ws.append(["Month", "Balance"])
    for i in range(rows):
        ws.append([i, i * 10])
    style.fit_columns(ws, 1, header_row=1)
    style.set_up_printing(ws, title=TITLE, repeat_rows=(1, 1))
    return wb, ws


def printed_rows_per_first_page() -> int:
    return int(style.PrintedPage().printable_height // style.line_height())


@pytest.mark.parametrize(("spare", "crosses"), [
    (0, False),  # the gap row ends page 1: the chart starts page 2 by itself
    (1, False),
    (5, True),
    (15, True),  # its last row would be the first of page 2
    (16, False),  # its last row is the last of page 1
    (20, False),
])
def test_a_chart_that_would_cross_a_page_break_starts_the_next_page(spare: int, crosses: bool) -> None:
    rows_on_page = printed_rows_per_first_page()  # every row is one line of the body font
    last = rows_on_page - spare  # the table ends `spare` rows above the first page's end
    _, ws = long_table_sheet(last - 1)
    anchor = style.chart_anchor_row(ws, last, 15)
    assert anchor == last + 2
    assert [brk.id for brk in ws.row_breaks.brk] == ([anchor - 1] if crosses else [])


def test_a_chart_on_a_later_page_is_checked_against_that_page() -> None:
    rows_on_page = printed_rows_per_first_page()
    _, ws = long_table_sheet(rows_on_page + 30)  # page 2 begins with the repeated header
    anchor = style.chart_anchor_row(ws, rows_on_page + 31, 40)
    assert [brk.id for brk in ws.row_breaks.brk] == [anchor - 1]


@pytest.mark.parametrize(("spare", "crosses"), [(5, True), (30, False)])
def test_xlsxwriter_chart_that_would_cross_a_page_break_starts_the_next_page(tmp_path: Path, spare: int,
                                                                              crosses: bool) -> None:
    rows_on_page = printed_rows_per_first_page()
    last = rows_on_page - spare - 1  # 0-based: the table's last row is `spare` rows above the page's end
    path = tmp_path / "breaks.xlsx"
    wb = xlsxwriter.Workbook(path, style.xlsxwriter_options())
    house = style.XlsxWriterStyle(wb)
    ws = wb.add_worksheet("Data")
    for row in range(last + 1):
        ws.write_number(row, 0, row)
    house.set_up_printing(ws, title=TITLE, last_row=last, last_col=0)
    chart = wb.add_chart({"type": "line"})
    chart.add_series({"values": ["Data", 0, 0, last, 0]})
    chart_last = house.place_chart_below(ws, chart, last, height=288)  # 216 points: 17 rows
    wb.close()
    anchor = last + 2
    assert chart_last == anchor + style.chart_rows(288 * 0.75 / 72 * 2.54)
    breaks = [int(b.get("id")) for b in sheet_xml(path, "Data").iter(f"{{{MAIN}}}brk")]
    assert breaks == ([anchor] if crosses else [])  # a break at 0-based row `anchor` starts a page there


# --- pure helpers --------------------------------------------------------------------------


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two hex RGB colours."""
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("cell_style", [style.TITLE, style.HEADING, style.BODY, style.LABEL, style.NOTE,
                                        style.TABLE_HEADER, style.TABLE_CELL, style.INPUT, style.CALCULATED,
                                        style.CHECK, style.WARNING])
def test_text_is_readable_on_its_fill(cell_style: style.CellStyle) -> None:
    assert contrast(cell_style.font.colour, cell_style.fill or style.WHITE) >= 4.5  # WCAG AA


def test_rating_palette_darkens_step_by_step() -> None:
    steps = [contrast(colour, style.WHITE) for colour in style.RATING_PALETTE]
    assert len(steps) == 7 and steps[0] > 1.3  # the lightest still stands out from the page
    assert all(later > 1.2 * earlier for earlier, later in zip(steps, steps[1:]))  # and each is darker


def test_digits_are_equally_wide_and_bold_is_wider() -> None:
    widths = {style.text_pixels(digit) for digit in "0123456789"}
    assert len(widths) == 1
    assert style.text_pixels("Total", bold=True) > style.text_pixels("Total")
    assert style.text_pixels("WWW") > style.text_pixels("iii")
    assert style.text_pixels("0", size=20) == pytest.approx(2 * style.text_pixels("0", size=10))


def test_column_pixels_matches_excels_default_column() -> None:
    # Excel's default column is 8.43 characters, 64 pixels, for Arial 10 and Calibri 11 alike.
    assert style.column_pixels(8.43) == 64


@pytest.mark.parametrize("seed", range(5))
def test_numbers_always_fit_their_column(seed: int) -> None:
    rng = random.Random(seed)
    for number_format in (style.MONEY, style.MONEY_WHOLE, style.PERCENT, style.COUNT, style.SCORE):
        values = [Decimal(rng.randrange(-10**9, 10**9)) / 100 for _ in range(20)]
        fit = style.fit_column(values, number_format=number_format, cap=8)  # the cap never squeezes numbers
        widest = max(style.text_pixels(style.display_text(v, number_format)) for v in values)
        assert style.column_pixels(fit.width) - style.CELL_PADDING_PIXELS >= widest
        assert not fit.wrap


def test_long_text_wraps_at_the_cap_and_short_text_fits() -> None:
    long_note = "Share of the pay bill for staff living in England, as HMRC's English percentage. " * 3
    assert style.fit_column([long_note], cap=40) == style.ColumnFit(40, wrap=True)
    short = style.fit_column(["Engagement"])
    assert not short.wrap and style.column_pixels(short.width) - 5 >= style.text_pixels("Engagement")
    assert style.wrapped_lines(long_note, 40) >= 3


def test_a_short_header_stays_on_one_line_and_a_long_one_wraps_over_numbers() -> None:
    short = style.fit_column([1, 2], number_format=style.COUNT, header="Developing +")
    assert style.wrapped_lines("Developing +", short.width, bold=True) == 1
    long = style.fit_column([1, 2], number_format=style.COUNT, header="Transfer allowance at the statutory rate")
    assert style.wrapped_lines("Transfer allowance at the statutory rate", long.width, bold=True) == 2
    assert long.width < style.width_for_pixels(style.text_pixels("Transfer allowance at the statutory rate",
                                                                 bold=True))


@pytest.mark.parametrize(("value", "number_format", "shown"), [
    (Decimal("1234.5"), style.MONEY, "£1,234.50"),
    (-1234.5, style.MONEY, "-£1,234.50"),
    (1234567, style.MONEY_WHOLE, "£1,234,567"),
    (0.5, style.PERCENT, "50.0%"),
    (dt.date(2026, 8, 1), style.DATE, "01/08/2026"),
    (dt.date(2026, 8, 1), style.MONTH, "Aug 2026"),
    (12345, style.COUNT, "12,345"),
    (2.5, style.SCORE, "2.5"),
    ("text", style.MONEY, "text"),
])
def test_display_text_matches_excel(value: object, number_format: str, shown: str) -> None:
    assert style.display_text(value, number_format) == shown


def test_blank_when_empty_keeps_the_formula_and_names_the_inputs() -> None:
    wrapped = style.blank_when_empty("=ROUND(F6-G6,2)", ["A6:E6"])
    assert wrapped == '=IF(COUNTA(A6:E6)=0,"",ROUND(F6-G6,2))'
    assert style.blank_when_empty("ROUND(F6-G6,2)", ["A6:E6"]) == wrapped
    with pytest.raises(ValueError):
        style.blank_when_empty("=1", [])


def test_heading_problems_finds_code_names_only() -> None:
    problems = style.heading_problems(["Pay bill", "PayBill", "in_year_cost", "URN", "Developing +", "Levy share (£)"])
    assert [p.split("'")[1] for p in problems] == ["PayBill", "in_year_cost"]


def test_page_starts_counts_repeated_header_and_manual_breaks() -> None:
    # 30 rows of 10 points on pages 100 points tall; pages after the first repeat a 20-point header.
    assert style.page_starts([10.0] * 30, usable_height=100.0) == [10, 20]
    assert style.page_starts([10.0] * 30, usable_height=100.0, repeated_height=20.0) == [10, 18, 26]
    assert style.page_starts([10.0] * 30, usable_height=100.0, breaks=[3]) == [3, 13, 23]
    assert style.page_starts([150.0, 10.0], usable_height=100.0) == [1]  # a row taller than a page gets one


def test_printed_page_sizes_and_scale() -> None:
    portrait, landscape = style.PrintedPage(), style.PrintedPage(landscape=True)
    assert portrait.printable_width == pytest.approx(595.28 - 0.8 * 72)
    assert landscape.printable_height == pytest.approx(595.28 - 1.15 * 72)
    assert portrait.scale(portrait.printable_width) == 1.0
    assert portrait.scale(2 * portrait.printable_width) == 0.5


def test_explicit_chart_defaults_adds_only_what_is_missing() -> None:
    xml = (b'<c:chartSpace><c:lineChart><c:ser><c:idx val="0"/><c:val/></c:ser>'
           b'<c:ser><c:idx val="1"/><c:smooth val="1"/></c:ser></c:lineChart>'
           b'<c:barChart><c:ser><c:idx val="2"/></c:ser></c:barChart>'
           b'<c:catAx><c:axId val="1"/><c:scaling><c:orientation val="minMax"/></c:scaling></c:catAx>'
           b'<c:valAx><c:axId val="2"/><c:scaling/><c:delete val="1"/></c:valAx></c:chartSpace>')
    fixed = style.explicit_chart_defaults(xml)
    assert fixed.count(b'<c:smooth val="0"/>') == 1  # the bar series and the smoothed-on-purpose one are left
    assert b'<c:smooth val="1"/>' in fixed
    assert fixed.count(b"<c:delete") == 2 and b'<c:delete val="1"/>' in fixed
    assert style.explicit_chart_defaults(fixed) == fixed


def test_xlsxwriter_options_keep_what_is_given() -> None:
    options = style.xlsxwriter_options(in_memory=True)
    assert options["in_memory"] is True
    assert options["default_format_properties"] == {"font_name": "Arial", "font_size": 10}
    assert options["default_row_height"] == 17  # pixels: 12.75 points


@pytest.mark.parametrize("ref", ["B2:D2", "B2:B4", "B2:D4"])
def test_merging_gives_the_cells_the_styles_openpyxl_gives_them(ref: str, tmp_path: Path) -> None:
    """style.merge_cells sets the border and protection ids openpyxl's merge_cells works out, in a
    workbook whose top-left and bottom-right cells have borders of their own, merged twice."""
    saved = []
    for merge in (lambda ws, where: ws.merge_cells(where), style.merge_cells):
        book = Workbook()
        sheet = book.active
        style.apply([cell for row in sheet["A1:E9"] for cell in row], style.INPUT)
        sheet["D4"].border = Border(right=Side(style="thick"), bottom=Side(style="double"))
        for where in (ref, ref.replace("2", "7").replace("4", "9")):
            merge(sheet, where)
        book.save(tmp_path / f"{len(saved)}.xlsx")
        with zipfile.ZipFile(tmp_path / f"{len(saved)}.xlsx") as package:
            saved.append({name: package.read(name) for name in package.namelist() if name != "docProps/core.xml"})
    assert saved[0] == saved[1]
