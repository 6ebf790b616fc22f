"""The Schools Toolkit's Word documents: statements, transfer pages and handouts, in the house style.

Built on :mod:`lga_xl.writers.word` (the MOT report's building blocks):
figures in two-column tables, money as the workbooks show it (£1,234.50),
PDF through LibreOffice when it is installed.

Example:
    >>> money(Decimal("-1234.5")), long_date(dt.date(2026, 9, 1))
    ('-£1,234.50', '1 September 2026')
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from docx.document import Document as DocxDocument
from docx.shared import Pt

from ..mot.wording import long_date
from ..outputs import atomic_write
from ..writers import style, word
from ..writers.common import clean_text

__all__ = ["NOTE_STYLE", "bullets", "convert_to_pdfs", "figures_table", "heading", "long_date", "money",
           "new_document", "note", "save", "strong", "table", "text"]

NOTE_STYLE = "Toolkit Note"
BODY_SIZE = 19  # half-points: 9.5 pt in tables, a little larger than the MOT's dense tables
_BLUE = f"#{style.BLUE}"


def money(amount: Decimal | None) -> str:
    """An amount as the workbooks show it, to the penny; a dash when there is none."""
    return "–" if amount is None else style.display_text(amount, style.MONEY)


def new_document(footer: str) -> DocxDocument:
    return word.new_document(footer_text=footer, note_style=NOTE_STYLE)


def heading(doc: DocxDocument, text: str, level: int = 2) -> None:
    word.paragraph(doc, text, f"Heading {level}")


def text(doc: DocxDocument, content: str) -> None:
    word.paragraph(doc, content)


def note(doc: DocxDocument, content: str) -> None:
    word.paragraph(doc, content, NOTE_STYLE)


def strong(doc: DocxDocument, content: str, *, size: float = 14, after: float = 2) -> None:
    """A line in bold GOV.UK blue: the school's name under the title."""
    paragraph = doc.add_paragraph()
    run = paragraph.add_run(clean_text(content))
    run.font.size, run.font.bold = Pt(size), True
    run.font.color.rgb = word.rgb(_BLUE)
    paragraph.paragraph_format.space_after = Pt(after)


def bullets(doc: DocxDocument, items: Sequence[str]) -> None:
    for item in items:
        word.paragraph(doc, item, "List Bullet")


def figures_table(doc: DocxDocument, rows: Sequence[tuple[str, str]], *, widths_cm: tuple[float, float] = (12.0, 5.0),
                  bold_last: bool = False) -> None:
    """Label and figure, one a row, the figures set right; ``bold_last`` sets the last row (a total) in bold."""
    widths = [word.cm_twips(width) for width in widths_cm]
    word.insert_table(doc, widths, [
        ([word.cell_xml(widths[0], label, "left", size=BODY_SIZE, bold=bold_last and index == len(rows) - 1),
          word.cell_xml(widths[1], value, "right", size=BODY_SIZE, bold=bold_last and index == len(rows) - 1)],
         False) for index, (label, value) in enumerate(rows)])


def table(doc: DocxDocument, headers: Sequence[str], rows: Sequence[Sequence[str]], widths_cm: Sequence[float],
          aligns: Sequence[str]) -> None:
    """A table with a shaded header row that repeats on each page."""
    widths = [word.cm_twips(width) for width in widths_cm]
    header = [word.cell_xml(w, h, align, bold=True, fill=word.HEADER_FILL, size=BODY_SIZE)
              for w, h, align in zip(widths, headers, aligns)]
    body = [[word.cell_xml(w, value, align, size=BODY_SIZE) for w, value, align in zip(widths, row, aligns)]
            for row in rows]
    word.insert_table(doc, widths, [(header, True), *((cells, False) for cells in body)])


def save(doc: DocxDocument, path: Path, *, title: str, subject: str, author: str, day: dt.date) -> Path:
    """Set the document's properties and write it all at once (never half a file)."""
    word.set_properties(doc, title=title, subject=subject, author=author, day=day)
    with atomic_write(path) as partial:
        doc.save(partial)
    return path


def convert_to_pdfs(documents: Sequence[Path]) -> list[Path]:
    """Each Word document printed to PDF beside it (``x.docx`` -> ``x.pdf``), in one LibreOffice run.

    Raises:
        lga_xl.tools.render.RenderError: LibreOffice is missing or could not convert a file.
    """
    from ..tools.render import convert_to_pdf

    if not documents:
        return []
    with tempfile.TemporaryDirectory(prefix="lga-xl-pdf-") as scratch:
        printed = convert_to_pdf(list(documents), Path(scratch))
        pdfs = []
        for document in documents:
            target = document.with_suffix(".pdf")
            with atomic_write(target) as partial:
                shutil.copyfile(printed[document], partial)
            pdfs.append(target)
    return pdfs

