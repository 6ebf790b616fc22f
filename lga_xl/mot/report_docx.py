"""The MOT report as an editable Word document (python-docx).

A4 with 2 cm margins; one sans-serif family throughout (Arial, which
LibreOffice shows as the metric-compatible Liberation Sans); GOV.UK colours;
real heading styles (so Word's navigation pane and a table of contents work);
tables with a shaded header row that repeats on each page and rows that do
not split across pages; charts as images; "Page n of N" in the footer.

Example:
    >>> import tempfile, pathlib
    >>> from lga_xl.mot.sample import sample_report
    >>> path = write_mot_docx(sample_report(), pathlib.Path(tempfile.mkdtemp()) / "mot.docx")
    >>> from docx import Document
    >>> Document(path).paragraphs[0].text
    'Apprenticeship MOT'
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell

from .. import __version__
from ..writers.common import clean_text
from .charts import chart_png
from .model import MotReport
from .sections import (
    COLOURS,
    Bullets,
    Cell,
    Chart,
    Column,
    Group,
    Paragraph,
    Section,
    Subheading,
    Table,
    build_sections,
)
from .wording import figure

FONT = "Arial"
PAGE_WIDTH_CM, MARGIN_CM = 21.0, 2.0
TEXT_WIDTH = Cm(PAGE_WIDTH_CM - 2 * MARGIN_CM)
_THEME_FONT_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")

# Public API.


def write_mot_docx(report: MotReport, path: str | Path) -> Path:
    """Write the council's MOT report to ``path`` (.docx); returns the path."""
    path = Path(path)
    sections = build_sections(report)
    doc = Document()
    _page_setup(doc)
    _house_styles(doc)
    _footer(doc, report.council.name)
    for section in sections:
        if section.key == "cover":
            _cover(doc, section)
            continue
        doc.add_heading(clean_text(section.title), level=1)
        for block in section.blocks:
            _block(doc, block)
    _properties(doc, report, sections)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


# Private API: the page and the styles.


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


def _page_setup(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(PAGE_WIDTH_CM), Cm(29.7)
    section.left_margin = section.right_margin = section.top_margin = Cm(MARGIN_CM)
    section.bottom_margin = Cm(2.2)
    section.footer_distance = Cm(1.0)


def _house_styles(doc: DocxDocument) -> None:
    """One font family, GOV.UK text colour, UK English; headings without the template's theme font and colour."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _font_element(run_defaults)
    language = run_defaults.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        run_defaults.append(language)
    language.set(qn("w:val"), "en-GB")
    for name, size, bold, before, after in (
        ("Normal", 10, False, 0, 6), ("Title", 30, True, 0, 6), ("Heading 1", 17, True, 18, 6),
        ("Heading 2", 12.5, True, 12, 4), ("List Bullet", 10, False, 0, 2),
    ):
        style = doc.styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.bold = bold
        style.font.italic = False
        style.font.color.rgb = _rgb(COLOURS["text"])
        _font_element(style.element.get_or_add_rPr())
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
        style.paragraph_format.line_spacing = 1.1 if name in ("Normal", "List Bullet") else 1.0
        if name == "Title":
            # The template draws a rule under the title; the house style has none.
            borders = style.element.get_or_add_pPr().find(qn("w:pBdr"))
            if borders is not None:
                borders.getparent().remove(borders)
    for fonts in doc.styles.element.iter(qn("w:rFonts")):  # every style, so one applied later in Word is Arial too
        _arial(fonts)
    note = doc.styles.add_style("MOT Note", 1)  # 1: a paragraph style
    note.base_style = doc.styles["Normal"]
    note.font.size = Pt(9)
    note.font.color.rgb = _rgb(COLOURS["secondary"])


def _font_element(run_properties) -> None:
    """Arial for every script, and no theme font, which would win over a named one."""
    fonts = run_properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        run_properties.insert(0, fonts)
    _arial(fonts)


def _arial(fonts) -> None:
    for attribute in _THEME_FONT_ATTRIBUTES:
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)


def _footer(doc: DocxDocument, council: str) -> None:
    paragraph = doc.sections[0].footer.paragraphs[0]
    # The template's Footer style has centre and right tabs for Letter paper: one right tab instead.
    doc.styles["Footer"].paragraph_format.tab_stops.clear_all()
    paragraph.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    for text in (f"Apprenticeship MOT: {clean_text(council)}\tPage ", "PAGE", " of ", "NUMPAGES"):
        if text in ("PAGE", "NUMPAGES"):
            _field(paragraph, text)
        else:
            run = paragraph.add_run(text)
            run.font.size = Pt(8.5)
            run.font.color.rgb = _rgb(COLOURS["secondary"])


def _field(paragraph, instruction: str) -> None:
    """A field that Word and LibreOffice fill in as they lay the pages out (PAGE, NUMPAGES)."""
    for part in ("begin", "instruction", "separate", "shown", "end"):
        run = paragraph.add_run()
        run.font.size = Pt(8.5)
        run.font.color.rgb = _rgb(COLOURS["secondary"])
        if part == "instruction":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {instruction} "
        elif part == "shown":
            run.text = "1"  # what a reader that does not update fields shows
            continue
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), part)
        run._r.append(element)


def _properties(doc: DocxDocument, report: MotReport, sections: list[Section]) -> None:
    properties = doc.core_properties
    properties.title = f"Apprenticeship MOT: {clean_text(report.council.name)}"
    properties.subject = "LGA Apprenticeship MOT"
    properties.author = properties.last_modified_by = clean_text(report.prepared_by or "lga_xl")
    properties.comments = f"Written by lga_xl {__version__}"
    day = report.prepared_on or dt.date.today()
    properties.created = properties.modified = dt.datetime(day.year, day.month, day.day)
    properties.revision = 1
    properties.keywords = ", ".join(s.title for s in sections[1:])


# Private API: the content.


def _cover(doc: DocxDocument, section: Section) -> None:
    doc.add_paragraph(clean_text(section.title), style="Title")
    for block in section.blocks:
        if isinstance(block, Paragraph) and block.style == "strong":
            paragraph = doc.add_paragraph()
            run = paragraph.add_run(clean_text(block.text))
            run.font.size, run.font.bold = Pt(20), True
            run.font.color.rgb = _rgb(COLOURS["council"])
            paragraph.paragraph_format.space_after = Pt(24)
        else:
            _block(doc, block)


def _block(doc: DocxDocument, block) -> None:
    if isinstance(block, Paragraph):
        doc.add_paragraph(clean_text(block.text), style="MOT Note" if block.style == "note" else None)
    elif isinstance(block, Subheading):
        doc.add_heading(clean_text(block.text), level=2)
    elif isinstance(block, Bullets):
        if block.columns > 1:
            _columns(doc, block.columns)
        for item in block.items:
            doc.add_paragraph(clean_text(item), style="List Bullet")
        if block.columns > 1:
            _columns(doc, 1)
    elif isinstance(block, Table):
        _table(doc, block)
    elif isinstance(block, Chart):
        _chart(doc, block)
    else:
        raise TypeError(f"no layout for {type(block).__name__}")


def _columns(doc: DocxDocument, count: int) -> None:
    """Text columns from here on: a continuous section break, so the page itself does not change.

    Word keeps a section's settings in the section break that ends it, so the break added here
    ends the text before it (taking its column count with it) and the new last section gets ``count``.
    """
    previous_columns = _column_count(doc.sections[-1])
    doc.add_section(WD_SECTION.CONTINUOUS)
    _set_columns(doc.sections[-2], previous_columns)
    _set_columns(doc.sections[-1], count)


def _column_count(section) -> int:
    cols = section._sectPr.find(qn("w:cols"))
    return 1 if cols is None else int(cols.get(qn("w:num"), "1"))


def _set_columns(section, count: int) -> None:
    cols = section._sectPr.find(qn("w:cols"))
    if cols is None:
        cols = OxmlElement("w:cols")
        section._sectPr.append(cols)
    cols.set(qn("w:num"), str(count))
    cols.set(qn("w:space"), str(int(Cm(0.8).twips)))


def _chart(doc: DocxDocument, chart: Chart) -> None:
    width = Cm(TEXT_WIDTH.cm - 0.5)
    doc.add_picture(io.BytesIO(chart_png(chart, width_cm=width.cm)), width=width)
    picture = doc.paragraphs[-1]
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if chart.caption:
        picture.paragraph_format.keep_with_next = True
        doc.add_paragraph(clean_text(chart.caption), style="MOT Note")


KEEP_TOGETHER_ROWS = 12  # a table this short is kept on one page, with the paragraph that introduces it


def _table(doc: DocxDocument, table: Table) -> None:
    header = any(c.title for c in table.columns)
    if doc.paragraphs:
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
    grid = doc.add_table(rows=0, cols=len(table.columns))
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    _borders(grid)
    for index, column in enumerate(table.columns):
        grid.columns[index].width = Cm(column.width)
    if header:
        cells = grid.add_row().cells
        _repeat_and_keep(cells[0]._tc.getparent())
        for cell, column in zip(cells, table.columns):
            _write(cell, column.title, Column("", "text" if column.kind == "text" else "header"), bold=True)
            _shade(cell, COLOURS["header"])
    for row in table.rows:
        cells = grid.add_row().cells
        _repeat_and_keep(cells[0]._tc.getparent(), header=False)
        if isinstance(row, Group):
            merged = cells[0].merge(cells[-1])
            _write(merged, row.text, Column(""), bold=True)
            _shade(merged, COLOURS["group"])
            merged.paragraphs[0].paragraph_format.keep_with_next = True  # never last on a page
            continue
        for cell, value, column in zip(cells, row, table.columns):
            # The cover's table has no header: its first column holds the labels.
            _write(cell, value, column, bold=not header and column is table.columns[0])
    short = len(grid.rows) <= KEEP_TOGETHER_ROWS
    for index, row in enumerate(grid.rows):
        cells = row.cells
        merged = len({id(c._tc) for c in cells}) == 1 < len(cells)  # a group row: its grid span sets its width
        for cell, column in zip(cells, table.columns):
            if not merged:
                cell.width = Cm(column.width)
            # Word keeps rows together through their paragraphs' keep-with-next; the header row always.
            if index == 0 and header or short and index < len(grid.rows) - 1:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True
    doc.add_paragraph().paragraph_format.space_after = Pt(2)  # air between the table and what follows


def _write(cell: _Cell, value, column: Column, *, bold: bool = False) -> None:
    kind = value.kind if isinstance(value, Cell) else column.kind
    number = value.value if isinstance(value, Cell) else value
    if isinstance(number, int | float) and not isinstance(number, bool) and kind != "text":
        text, align = figure(number, kind), WD_ALIGN_PARAGRAPH.RIGHT
    else:
        text = "–" if number is None else str(number)
        # Text in a number column ("not shown") and a number column's header line up with the numbers.
        align = WD_ALIGN_PARAGRAPH.LEFT if kind == "text" and not isinstance(value, Cell) else WD_ALIGN_PARAGRAPH.RIGHT
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = 1.0
    run = paragraph.add_run(clean_text(text))
    run.font.size = Pt(8.5)
    run.font.bold = bold


def _shade(cell: _Cell, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour.lstrip("#").upper())
    cell._tc.get_or_add_tcPr().append(shading)


def _borders(grid) -> None:
    """Thin grey rules between rows, none between columns (GOV.UK tables)."""
    properties = grid._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        if edge in ("left", "right", "insideV"):
            element.set(qn("w:val"), "nil")
        else:
            element.set(qn("w:val"), "single")
            element.set(qn("w:sz"), "4")
            element.set(qn("w:color"), COLOURS["border"].lstrip("#").upper())
        borders.append(element)
    properties.append(borders)
    margins = OxmlElement("w:tblCellMar")
    for edge, width in (("top", 40), ("bottom", 40), ("left", 80), ("right", 80)):  # twentieths of a point
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(width))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    properties.append(margins)


def _repeat_and_keep(row_element, header: bool = True) -> None:
    """Rows never split across pages; the header row repeats on each page the table runs to."""
    properties = row_element.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        properties.append(OxmlElement("w:tblHeader"))
