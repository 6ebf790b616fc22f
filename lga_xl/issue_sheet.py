"""The Issues sheet: one layout for the adviser's annotated copy and the ValidateThisWorkbook button.

``lga-xl feedback`` (:mod:`lga_xl.feedback`) writes it as the first sheet of a
copy of a return; the Excel button (``macros/lga_xl.bas``, running
:func:`lga_xl.udfs.validate_active_workbook`) writes it into the workbook on
screen.  Both write :func:`issue_rows` under :data:`COLUMNS` from A1: each
problem's severity, code and message, the sheet, and its cell as a link that
goes there (in the copy a hyperlink of the sheet, from the button an Excel
``HYPERLINK`` formula: xlwings writes values and formulas).
Errors come first, then warnings, each in the order the reader found them.

Pure (standard library only): the Excel functions load it under xlwings Lite.

Example:
    >>> from lga_xl.issues import Issue
    >>> rows = issue_rows([Issue.make("unanswered", "Engagement: 1 element(s) have no status yet (E-D1)",
    ...                               sheet="Assessment", cell="E70"),
    ...                    Issue.make("unknown-status", "LC-D1: 'Yes' is not a status", sheet="Assessment", cell="E5")])
    >>> [row[:2] for row in rows]
    [['error', 'unknown-status'], ['warning', 'unanswered']]
    >>> rows[0][4].formula, rows[0][4].text
    ('HYPERLINK("#\\'Assessment\\'!E5","E5")', 'E5')
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

SHEET = "Issues"
COLUMNS = ("Severity", "Code", "Message", "Sheet", "Cell")
WIDTHS = (10, 26, 80, 16, 8)  # characters, as Excel's Column Width box shows them
MESSAGE_COLUMN = COLUMNS.index("Message")
NO_ISSUES = "No issues found."


@dataclass(frozen=True)
class Link:
    """A cell of the workbook, written as a link that goes to it."""

    sheet: str
    cell: str

    @property
    def text(self) -> str:
        return self.cell

    @property
    def location(self) -> str:
        """Where the link goes, as a hyperlink's location: ``'Assessment'!E5``."""
        return "'" + self.sheet.replace("'", "''") + "'!" + self.cell

    @property
    def formula(self) -> str:
        """The HYPERLINK formula, without its ``=`` (quotes in the sheet's name doubled as each context needs)."""
        target = "#" + self.location
        return f'HYPERLINK("{target.replace(chr(34), chr(34) * 2)}","{self.text}")'


Cell = str | Link


def issue_rows(issues: Iterable[Any]) -> list[list[Cell]]:
    """One row per issue under :data:`COLUMNS`: errors first; one row saying so when there is none."""
    ordered = sorted(issues, key=lambda issue: issue.severity != "error")
    rows: list[list[Cell]] = [[issue.severity, issue.code, issue.message, issue.sheet or "",
                               Link(issue.sheet, issue.cell) if issue.sheet and issue.cell else issue.cell or ""]
                              for issue in ordered]
    return rows or [["", "", NO_ISSUES, "", ""]]
