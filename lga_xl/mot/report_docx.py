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
import re
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

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
        _paragraph(doc, clean_text(section.title), "Heading 1")
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
    _paragraph(doc, clean_text(section.title), "Title")
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
        _paragraph(doc, clean_text(block.text), "MOT Note" if block.style == "note" else None)
    elif isinstance(block, Subheading):
        _paragraph(doc, clean_text(block.text), "Heading 2")
    elif isinstance(block, Bullets):
        if block.columns > 1:
            _columns(doc, block.columns)
        for item in block.items:
            _paragraph(doc, clean_text(item), "List Bullet")
        if block.columns > 1:
            _columns(doc, 1)
    elif isinstance(block, Table):
        _table(doc, block)
    elif isinstance(block, Chart):
        _chart(doc, block)
    else:
        raise TypeError(f"no layout for {type(block).__name__}")


def _paragraph(doc: DocxDocument, text: str, style: str | None = None):
    """A paragraph in a named style.  python-docx's own ``style=`` compares the style with the
    default one by walking every style of the document, for each paragraph: most of the time a
    report took, before charts.  Setting the style's id directly gives the same paragraph."""
    paragraph = doc.add_paragraph(text)
    if style is not None:
        if style not in _STYLE_IDS:  # every report is made from the same template, so the same ids
            _STYLE_IDS[style] = doc.styles[style].style_id
        paragraph._p.style = _STYLE_IDS[style]
    return paragraph


_STYLE_IDS: dict[str, str] = {}


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
        _paragraph(doc, clean_text(chart.caption), "MOT Note")


KEEP_TOGETHER_ROWS = 12  # a table this short is kept on one page, with the paragraph that introduces it
FONT_SIZE_TABLE = 17  # half-points: 8.5 pt
_BORDER = COLOURS["border"].lstrip("#").upper()
# Thin grey rules between rows, none between columns (GOV.UK tables); the table centred, its columns fixed.
# The children in the order the schema (CT_TblPr) requires.
_TABLE_PROPERTIES = (
    '<w:tblPr><w:tblW w:type="auto" w:w="0"/><w:jc w:val="center"/><w:tblBorders>'
    + "".join(f'<w:{edge} w:val="single" w:sz="4" w:color="{_BORDER}"/>' if edge in ("top", "bottom", "insideH")
              else f'<w:{edge} w:val="nil"/>' for edge in ("top", "left", "bottom", "right", "insideH", "insideV"))
    + '</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:w="40" w:type="dxa"/>'
    '<w:left w:w="80" w:type="dxa"/><w:bottom w:w="40" w:type="dxa"/><w:right w:w="80" w:type="dxa"/>'
    '</w:tblCellMar><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
    'w:noHBand="0" w:noVBand="1"/></w:tblPr>'
)
_KEEP = "\x01"  # a control character: clean_text has taken every one out of the cells' text


def _table(doc: DocxDocument, table: Table) -> None:
    """The table written as one piece of XML: python-docx's cell-by-cell calls cost more than the
    rest of the report (every report of ``lga-xl mot --all`` has a few hundred cells)."""
    header = any(c.title for c in table.columns)
    if doc.paragraphs:
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
    widths = [int(Cm(column.width).twips) for column in table.columns]
    rows: list[tuple[list[str], bool]] = []  # (cells' XML, whether the row is a header)
    if header:
        rows.append(([_cell_xml(widths[i], *_shown(column.title, Column("", "text" if column.kind == "text"
                                                                          else "header")), bold=True,
                                fill=COLOURS["header"]) for i, column in enumerate(table.columns)], True))
    for row in table.rows:
        if isinstance(row, Group):
            rows.append(([_cell_xml(sum(widths), row.text, "left", bold=True, fill=COLOURS["group"],
                                    span=len(widths), keep=True)], False))  # a group row is never last on a page
            continue
        # The cover's table has no header: its first column holds the labels.
        rows.append(([_cell_xml(widths[i], *_shown(value, column), bold=not header and i == 0)
                      for i, (value, column) in enumerate(zip(row, table.columns))], False))
    short = len(rows) <= KEEP_TOGETHER_ROWS
    parts = [f'<w:tbl {nsdecls("w")}>', _TABLE_PROPERTIES, "<w:tblGrid>",
             *(f'<w:gridCol w:w="{w}"/>' for w in widths), "</w:tblGrid>"]
    for index, (cells, is_header) in enumerate(rows):
        # Rows never split across pages; the header row repeats on each page the table runs to. Word keeps
        # rows together through their paragraphs' keep-with-next: the header row always, a short table whole.
        keep = is_header or short and index < len(rows) - 1
        parts.append(f"<w:tr><w:trPr><w:cantSplit/>{'<w:tblHeader/>' if is_header else ''}</w:trPr>")
        parts += [cell.replace(_KEEP, "<w:keepNext/>" if keep else "") for cell in cells]
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    doc.element.body._insert_tbl(parse_xml("".join(parts)))
    doc.add_paragraph().paragraph_format.space_after = Pt(2)  # air between the table and what follows


def _shown(value, column: Column) -> tuple[str, str]:
    """A cell's text and alignment: numbers written in their unit and set right."""
    kind = value.kind if isinstance(value, Cell) else column.kind
    number = value.value if isinstance(value, Cell) else value
    if isinstance(number, int | float) and not isinstance(number, bool) and kind != "text":
        return figure(number, kind), "right"
    # Text in a number column ("not shown") and a number column's header line up with the numbers.
    return "–" if number is None else str(number), "left" if kind == "text" and not isinstance(value, Cell) \
        else "right"


def _cell_xml(width: int, text: str, align: str, *, bold: bool = False, fill: str | None = None, span: int = 1,
              keep: bool = False) -> str:
    """One table cell; :data:`_KEEP` stands where the paragraph may keep with the next row, as its row says."""
    properties = f'<w:tcW w:type="dxa" w:w="{width}"/>'
    if span > 1:
        properties += f'<w:gridSpan w:val="{span}"/>'
    if fill:
        properties += f'<w:shd w:val="clear" w:color="auto" w:fill="{fill.lstrip("#").upper()}"/>'
    run = (f'<w:r><w:rPr>{"<w:b/>" if bold else ""}<w:sz w:val="{FONT_SIZE_TABLE}"/></w:rPr>'
           f"{_run_text(clean_text(text))}</w:r>")
    return (f'<w:tc><w:tcPr>{properties}</w:tcPr><w:p><w:pPr>{"<w:keepNext/>" if keep else _KEEP}'
            f'<w:spacing w:after="0" w:line="240" w:lineRule="auto"/><w:jc w:val="{align}"/></w:pPr>'
            f"{run}</w:p></w:tc>")


def _run_text(text: str) -> str:
    """A run's text as Word holds it: a tab and a line break are elements of their own, as python-docx writes."""
    parts = []
    for piece in re.split(r"(\t|\n)", text):
        if piece == "\t":
            parts.append("<w:tab/>")
        elif piece == "\n":
            parts.append("<w:br/>")
        elif piece:
            parts.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
    return "".join(parts)
