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

from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from ..writers.common import clean_text
from ..writers.word import TEXT_WIDTH, cell_xml, insert_table, new_document, paragraph, rgb, set_properties
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

NOTE_STYLE = "MOT Note"

# Public API.


def write_mot_docx(report: MotReport, path: str | Path) -> Path:
    """Write the council's MOT report to ``path`` (.docx); returns the path."""
    path = Path(path)
    sections = build_sections(report)
    doc = new_document(footer_text=f"Apprenticeship MOT: {report.council.name}", note_style=NOTE_STYLE)
    for section in sections:
        if section.key == "cover":
            _cover(doc, section)
            continue
        _paragraph(doc, clean_text(section.title), "Heading 1")
        for block in section.blocks:
            _block(doc, block)
    set_properties(doc, title=f"Apprenticeship MOT: {report.council.name}", subject="LGA Apprenticeship MOT",
                   author=report.prepared_by or "lga_xl", day=report.prepared_on or dt.date.today(),
                   keywords=[s.title for s in sections[1:]])
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


# Private API: the content.


def _cover(doc: DocxDocument, section: Section) -> None:
    _paragraph(doc, clean_text(section.title), "Title")
    for block in section.blocks:
        if isinstance(block, Paragraph) and block.style == "strong":
            paragraph = doc.add_paragraph()
            run = paragraph.add_run(clean_text(block.text))
            run.font.size, run.font.bold = Pt(20), True
            run.font.color.rgb = rgb(COLOURS["council"])
            paragraph.paragraph_format.space_after = Pt(24)
        else:
            _block(doc, block)


def _block(doc: DocxDocument, block) -> None:
    if isinstance(block, Paragraph):
        _paragraph(doc, clean_text(block.text), NOTE_STYLE if block.style == "note" else None)
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


_paragraph = paragraph


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
        _paragraph(doc, clean_text(chart.caption), NOTE_STYLE)


def _table(doc: DocxDocument, table: Table) -> None:
    """The table's rows as cells' XML, laid out by :func:`lga_xl.writers.word.insert_table`."""
    header = any(c.title for c in table.columns)
    widths = [int(Cm(column.width).twips) for column in table.columns]
    rows: list[tuple[list[str], bool]] = []  # (cells' XML, whether the row is a header)
    if header:
        rows.append(([cell_xml(widths[i], *_shown(column.title, Column("", "text" if column.kind == "text"
                                                                         else "header")), bold=True,
                               fill=COLOURS["header"]) for i, column in enumerate(table.columns)], True))
    for row in table.rows:
        if isinstance(row, Group):
            rows.append(([cell_xml(sum(widths), row.text, "left", bold=True, fill=COLOURS["group"],
                                   span=len(widths), keep=True)], False))  # a group row is never last on a page
            continue
        # The cover's table has no header: its first column holds the labels.
        rows.append(([cell_xml(widths[i], *_shown(value, column), bold=not header and i == 0)
                      for i, (value, column) in enumerate(zip(row, table.columns))], False))
    insert_table(doc, widths, rows)


def _shown(value, column: Column) -> tuple[str, str]:
    """A cell's text and alignment: numbers written in their unit and set right."""
    kind = value.kind if isinstance(value, Cell) else column.kind
    number = value.value if isinstance(value, Cell) else value
    if isinstance(number, int | float) and not isinstance(number, bool) and kind != "text":
        return figure(number, kind), "right"
    # Text in a number column ("not shown") and a number column's header line up with the numbers.
    return "–" if number is None else str(number), "left" if kind == "text" and not isinstance(value, Cell) \
        else "right"
