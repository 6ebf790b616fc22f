"""Word documents in the house style (python-docx): the building blocks every report shares.

A4 with 2 cm margins; one sans-serif family throughout (Arial, which
LibreOffice shows as the metric-compatible Liberation Sans); GOV.UK colours;
real heading styles (so Word's navigation pane and a table of contents work);
tables with thin grey rules between rows, a shaded header row that repeats on
each page and rows that do not split across pages; "Page n of N" in the
footer.  The Apprenticeship MOT report (:mod:`lga_xl.mot.report_docx`) and
the Schools Toolkit's statements and handouts (:mod:`lga_xl.schools_toolkit`)
are built from these.

Example:
    >>> import tempfile, pathlib
    >>> doc = new_document(footer_text="Exampleshire County Council", note_style="Note")
    >>> _ = paragraph(doc, "Your school's levy", "Title")
    >>> insert_table(doc, [cm_twips(6), cm_twips(4)], [
    ...     ([cell_xml(cm_twips(6), "Pay bill", "left"), cell_xml(cm_twips(4), "£1,250.00", "right")], False)])
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "doc.docx"
    >>> doc.save(path)
    >>> from docx import Document
    >>> [p.text for p in Document(path).paragraphs][0], Document(path).tables[0].cell(0, 1).text
    ("Your school's levy", '£1,250.00')
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from .common import clean_text

__all__ = [
    "BORDER_COLOUR", "FONT", "HEADER_FILL", "MARGIN_CM", "PAGE_WIDTH_CM", "SECONDARY_COLOUR", "TEXT_COLOUR",
    "TEXT_WIDTH", "cell_xml", "cm_twips", "field", "footer", "house_styles", "insert_table", "new_document",
    "page_setup", "paragraph", "rgb", "run_text", "set_properties",
]

FONT = "Arial"
PAGE_WIDTH_CM, MARGIN_CM = 21.0, 2.0
TEXT_WIDTH = Cm(PAGE_WIDTH_CM - 2 * MARGIN_CM)
# GOV.UK Design System, "Colour": text, secondary text, border grey, and the light grey behind a table's header.
TEXT_COLOUR, SECONDARY_COLOUR, BORDER_COLOUR, HEADER_FILL = "#0b0c0c", "#505a5f", "#b1b4b6", "#f3f2f1"
_THEME_FONT_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


# Public API: the document, its page and its styles.


def new_document(*, footer_text: str, note_style: str) -> DocxDocument:
    """An empty A4 document in the house styles, with ``footer_text`` and "Page n of N" at the foot of each page.

    ``note_style`` names the paragraph style added for notes (9 pt, grey).
    """
    doc = Document()
    page_setup(doc)
    house_styles(doc, note_style=note_style)
    footer(doc, footer_text)
    return doc


def page_setup(doc: DocxDocument) -> None:
    """A4, 2 cm margins (2.2 cm at the foot, room for the footer)."""
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(PAGE_WIDTH_CM), Cm(29.7)
    section.left_margin = section.right_margin = section.top_margin = Cm(MARGIN_CM)
    section.bottom_margin = Cm(2.2)
    section.footer_distance = Cm(1.0)


def rgb(colour: str) -> RGBColor:
    """``#0b0c0c`` as python-docx's colour."""
    return RGBColor.from_string(colour.lstrip("#").upper())


def house_styles(doc: DocxDocument, *, note_style: str) -> None:
    """One font family, GOV.UK text colour, UK English; headings without the template's theme font and colour.

    Adds the paragraph style ``note_style``: Normal at 9 pt in the secondary text colour.
    """
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
        style.font.color.rgb = rgb(TEXT_COLOUR)
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
    note = doc.styles.add_style(note_style, 1)  # 1: a paragraph style
    note.base_style = doc.styles["Normal"]
    note.font.size = Pt(9)
    note.font.color.rgb = rgb(SECONDARY_COLOUR)


def footer(doc: DocxDocument, text: str) -> None:
    """``text`` on the left of every page's footer, "Page n of N" on the right."""
    line = doc.sections[0].footer.paragraphs[0]
    # The template's Footer style has centre and right tabs for Letter paper: one right tab instead.
    doc.styles["Footer"].paragraph_format.tab_stops.clear_all()
    line.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    for part in (f"{clean_text(text)}\tPage ", "PAGE", " of ", "NUMPAGES"):
        if part in ("PAGE", "NUMPAGES"):
            field(line, part)
        else:
            run = line.add_run(part)
            run.font.size = Pt(8.5)
            run.font.color.rgb = rgb(SECONDARY_COLOUR)


def field(paragraph_, instruction: str) -> None:
    """A field that Word and LibreOffice fill in as they lay the pages out (PAGE, NUMPAGES)."""
    for part in ("begin", "instruction", "separate", "shown", "end"):
        run = paragraph_.add_run()
        run.font.size = Pt(8.5)
        run.font.color.rgb = rgb(SECONDARY_COLOUR)
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


def set_properties(doc: DocxDocument, *, title: str, subject: str, author: str, day: dt.date,
                   keywords: Sequence[str] = ()) -> None:
    """The document's title, subject, author and date (its file properties), and which lga_xl wrote it."""
    from .. import __version__

    properties = doc.core_properties
    properties.title = clean_text(title)
    properties.subject = subject
    properties.author = properties.last_modified_by = clean_text(author)
    properties.comments = f"Written by lga_xl {__version__}"
    properties.created = properties.modified = dt.datetime(day.year, day.month, day.day)
    properties.revision = 1
    properties.keywords = ", ".join(keywords)


# Public API: paragraphs.


def paragraph(doc: DocxDocument, text: str, style: str | None = None):
    """A paragraph in a named style.  python-docx's own ``style=`` compares the style with the
    default one by walking every style of the document, for each paragraph: most of the time a
    report took, before charts.  Setting the style's id directly gives the same paragraph."""
    added = doc.add_paragraph(text)
    if style is not None:
        if style not in _STYLE_IDS:  # every document is made from the same template, so the same ids
            _STYLE_IDS[style] = doc.styles[style].style_id
        added._p.style = _STYLE_IDS[style]
    return added


_STYLE_IDS: dict[str, str] = {}


# Public API: tables, written as XML (python-docx's cell-by-cell calls cost more than the rest of a report).

KEEP_TOGETHER_ROWS = 12  # a table this short is kept on one page, with the paragraph that introduces it
FONT_SIZE_TABLE = 17  # half-points: 8.5 pt
_BORDER = BORDER_COLOUR.lstrip("#").upper()
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


def cm_twips(centimetres: float) -> int:
    """A width in twentieths of a point, as a table's grid takes it."""
    return int(Cm(centimetres).twips)


def cell_xml(width: int, text: str, align: str, *, bold: bool = False, fill: str | None = None, span: int = 1,
             keep: bool = False, size: int = FONT_SIZE_TABLE) -> str:
    """One table cell (``width`` in twips, ``align`` left or right, ``size`` in half-points).

    A cell with ``keep`` always keeps with the next row (a group heading);
    otherwise :func:`insert_table` decides by its row.
    """
    properties = f'<w:tcW w:type="dxa" w:w="{width}"/>'
    if span > 1:
        properties += f'<w:gridSpan w:val="{span}"/>'
    if fill:
        properties += f'<w:shd w:val="clear" w:color="auto" w:fill="{fill.lstrip("#").upper()}"/>'
    run = (f'<w:r><w:rPr>{"<w:b/>" if bold else ""}<w:sz w:val="{size}"/></w:rPr>'
           f"{run_text(clean_text(text))}</w:r>")
    return (f'<w:tc><w:tcPr>{properties}</w:tcPr><w:p><w:pPr>{"<w:keepNext/>" if keep else _KEEP}'
            f'<w:spacing w:after="0" w:line="240" w:lineRule="auto"/><w:jc w:val="{align}"/></w:pPr>'
            f"{run}</w:p></w:tc>")


def insert_table(doc: DocxDocument, widths: Sequence[int], rows: Sequence[tuple[Sequence[str], bool]]) -> None:
    """A table at the end of the document: ``rows`` of (cells' XML from :func:`cell_xml`, whether a header).

    Rows never split across pages; a header row repeats on each page the
    table runs to; a short table (:data:`KEEP_TOGETHER_ROWS` rows) is kept on
    one page with the paragraph before it.  A small paragraph follows, for air.
    """
    if doc.paragraphs:
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
    short = len(rows) <= KEEP_TOGETHER_ROWS
    parts = [f'<w:tbl {nsdecls("w")}>', _TABLE_PROPERTIES, "<w:tblGrid>",
             *(f'<w:gridCol w:w="{w}"/>' for w in widths), "</w:tblGrid>"]
    for index, (cells, is_header) in enumerate(rows):
        # Word keeps rows together through their paragraphs' keep-with-next: the header row always, a short
        # table whole.
        keep = is_header or short and index < len(rows) - 1
        parts.append(f"<w:tr><w:trPr><w:cantSplit/>{'<w:tblHeader/>' if is_header else ''}</w:trPr>")
        parts += [cell.replace(_KEEP, "<w:keepNext/>" if keep else "") for cell in cells]
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    doc.element.body._insert_tbl(parse_xml("".join(parts)))
    doc.add_paragraph().paragraph_format.space_after = Pt(2)  # air between the table and what follows


def run_text(text: str) -> str:
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


# Private API.


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
