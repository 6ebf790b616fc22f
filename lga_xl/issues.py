"""Validation issues: one shape for every problem found in a workbook.

Each issue names the file, sheet and cell it is about, a stable kebab-case
``code`` (tests and scripts match on it; wording may change), a ``severity``
and a message a council officer can act on.  Readers collect issues instead
of raising; only a file that cannot be read at all raises
:class:`WorkbookError`, which carries the issue that explains why.

Example:
    >>> issue = Issue.make("unknown-status", "'Yes' is not a status",
    ...                    file="return.xlsx", sheet="Assessment", cell="E7")
    >>> issue.severity, issue.location
    ('error', 'return.xlsx, Assessment!E7')
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class IssueCode:
    """A kind of problem: its default severity and what it means."""

    code: str
    severity: Severity
    meaning: str


_CODES = [
    # Files that cannot be read at all (the reader raises WorkbookError).
    IssueCode("file-not-found", "error", "The path does not exist or is not a file."),
    IssueCode("cannot-open", "error",
              "The file exists but cannot be opened (no permission, or locked by another program)."),
    IssueCode("empty-file", "error", "The file has no content (0 bytes)."),
    IssueCode("not-xlsx", "error",
              "The file is not an Excel .xlsx workbook (for example a CSV or text file renamed .xlsx)."),
    IssueCode("legacy-xls", "error", "An old binary .xls workbook: save it as .xlsx in Excel and send it again."),
    IssueCode("encrypted", "error",
              "The workbook is password-protected or encrypted: remove the password and send it again."),
    IssueCode("corrupt-file", "error", "The file is damaged or truncated and cannot be opened."),
    IssueCode("too-large", "error",
              "The file, or what it unpacks to, is over the size limit (possible zip bomb): it was not opened."),
    IssueCode("not-lga-xl", "error",
              "A workbook, but not one made by lga_xl (another tool's workbook, or its hidden identification was "
              "deleted)."),
    IssueCode("wrong-kind", "error", "An lga_xl workbook of another kind than the one asked for."),
    IssueCode("unknown-kind", "error",
              "An lga_xl workbook of a kind this release does not know (made by a newer lga_xl, or its hidden "
              "identification was edited)."),
    IssueCode("unsupported-template-version", "error",
              "An lga_xl workbook from a template version this release cannot read."),
    IssueCode("missing-sheet", "error", "A sheet the template needs was renamed or deleted."),
    IssueCode("missing-table", "error", "An Excel table the template needs was renamed or deleted."),
    IssueCode("missing-name", "error", "A defined name the template needs was deleted."),
    IssueCode("missing-column", "error", "A column the template needs was renamed or deleted from its table."),
    # Problems inside a readable file.
    IssueCode("has-macros", "warning", "The workbook contains macros; they were ignored and never run."),
    IssueCode("unchanged-since-sent", "warning",
              "Every answer is still as carried forward into the workbook when it was sent: nothing was updated, so "
              "the import keeps the earlier return instead of adding this one."),
    IssueCode("missing-org-name", "error", "The organisation name is blank."),
    IssueCode("unknown-region", "error", "The region is blank or not one of the nine English regions."),
    IssueCode("unknown-assessment-type", "error", "The assessment type is not Self or External."),
    IssueCode("unknown-org-type", "warning", "The organisation type is not one of the listed types."),
    IssueCode("bad-date", "error", "A date cell holds something that is not a date."),
    IssueCode("unknown-status", "error",
              "A status that is not one of Achieved, In progress, Not started, Not applicable."),
    IssueCode("value-normalised", "warning",
              "A value typed loosely (case, spaces, 'N/A') was read as the listed value; the workbook's own formulas "
              "may not count it."),
    IssueCode("unanswered", "warning", "Elements with no status yet; they count as not achieved."),
    IssueCode("level-all-not-applicable", "error",
              "Every element of a level is Not applicable, so the level cannot be assessed."),
    IssueCode("lower-level-incomplete", "warning",
              "A higher level is complete while a lower level still has open elements."),
    IssueCode("missing-target", "warning", "No target rating for a strand."),
    IssueCode("unknown-target", "error", "A target that is not one of the seven rating labels."),
    IssueCode("target-below-current", "warning", "The target rating is below the current rating."),
    IssueCode("duplicate-element", "error", "An element ID appears more than once."),
    IssueCode("unknown-element", "error", "A row whose ID is not an element of the model edition."),
    IssueCode("missing-element", "error", "An element of the model is missing from the table."),
    IssueCode("element-moved", "warning", "A row's strand or level does not match its element ID; the ID was trusted."),
    IssueCode("cached-value-mismatch", "warning",
              "A value shown by a workbook formula differs from the recalculated one: the formula may have been "
              "overwritten."),
    IssueCode("not-a-number", "error", "A number was expected (numbers typed as text are read with a warning)."),
    IssueCode("number-as-text", "warning", "A number was typed as text; it was read as the number."),
    IssueCode("negative-amount", "error", "An amount of money or a count is negative."),
    IssueCode("english-percent-out-of-range", "error", "The English percentage is outside 0 to 100."),
    IssueCode("bad-tax-year", "error", "The tax year is not written like 2026-27."),
    IssueCode("school-not-in-council-levy", "error",
              "A school type that employs its own staff (academy, foundation, voluntary aided, free school) "
              "is not in the council's levy."),
    IssueCode("duplicate-urn", "error", "A school URN appears more than once."),
    IssueCode("unknown-school", "error", "A planned start names a URN that is not in the schools table."),
    IssueCode("unknown-standard", "error", "A standard reference that is not in the standards list."),
    IssueCode("duplicate-role", "error",
              "A job role (job title, service and grade) is listed more than once: its headcount would count twice."),
    IssueCode("price-above-cap", "warning",
              "A price above the standard's funding band maximum: the employer pays the excess."),
    IssueCode("duration-too-short", "error", "A planned duration shorter than the minimum for its start date."),
    IssueCode("start-outside-plan", "warning", "A start date outside the plan's tax year."),
    IssueCode("transfers-over-headroom", "error", "Transfers committed this year exceed the transfer allowance."),
    IssueCode("funds-expiring", "warning", "Levy funds are forecast to expire unspent."),
    IssueCode("incomplete-row", "error", "A table row is partly filled in: a required cell is blank."),
    IssueCode("missing-input", "error", "A required input cell (such as the pay bill) is blank."),
    IssueCode("schools-pay-bill-over-total", "error",
              "The schools' pay bills add up to more than the whole council's pay bill, which includes them."),
    # Growth-strategy trackers.
    IssueCode("duplicate-target", "error", "A target ID appears more than once in the Targets table."),
    IssueCode("target-before-baseline", "error",
              "A target date that is not after its baseline date, or is more than ten years after it: the target "
              "shows Not set."),
    IssueCode("direction-contradicts", "error",
              "The direction says Increase but the target is below the baseline, or Decrease and above it: the "
              "figures decide."),
    IssueCode("bad-amber-within", "error",
              "Amber within is not a share from 0% to 100% in steps of 0.1% (a warning when it was rounded to a "
              "step)."),
    IssueCode("value-out-of-range", "error",
              "A % or ratio outside 0% to 100% (74 typed for 74%), or a value beyond 100,000,000 either way: it is "
              "not used."),
    IssueCode("unknown-target-id", "error", "An actual names an ID that is not on the Targets sheet: it is not used."),
    IssueCode("duplicate-actual", "error", "Two actuals of one target on one date: only the first is used."),
    IssueCode("actual-in-future", "error",
              "An actual dated after the reporting date (after the day it is read when there is none)."),
    IssueCode("action-without-owner", "warning", "An action with no one accountable for it."),
    IssueCode("action-without-due-date", "warning", "An action with no due date: it can never show as overdue."),
    IssueCode("not-in-list", "error", "A value that is not in its dropdown list (a unit, direction, action status or "
              "strand)."),
    IssueCode("bad-reporting-year", "error",
              "A public sector reporting year not written like 2024-25, or listed twice."),
    # Levy plans of template 2.0.
    IssueCode("typed-as-text", "error",
              "A number or date typed as text in a table, which the workbook's formulas cannot use: type it again "
              "as a number or date."),
    IssueCode("percent-out-of-range", "error", "A percentage outside 0% to 100%."),
    IssueCode("percent-typed-without-sign", "warning",
              "A percentage typed as a number above 1 (95) was read as that percentage (95%), as the workbook's "
              "formulas read it."),
    IssueCode("levy-allowance-out-of-range", "error",
              "The levy allowance is more than the whole 15,000; the figures use 15,000."),
    IssueCode("unknown-school-type", "error",
              "A school type that is not an establishment type of Get Information about Schools."),
    IssueCode("unknown-transfer-type", "error", "A transfer that is neither a Transfer nor a Pledge; it was counted "
              "as a transfer."),
    IssueCode("standard-not-approved", "error",
              "A start on a standard that is retired, withdrawn or not yet approved for delivery."),
    IssueCode("start-outside-standard-dates", "error",
              "A start date before the standard's first start date or after its last start date."),
    IssueCode("no-funding-band", "error",
              "The standard has dated funding bands and none is in force on the start date."),
    IssueCode("bad-expiring-month", "error",
              "A month of expiring funds in which no part of the opening balance can expire (before the plan, or "
              "funds that entered after it started)."),
    IssueCode("expiring-funds-over-balance", "error",
              "The expiring funds listed add up to more than the opening balance; the workbook ignores them."),
    IssueCode("previous-year-funds-missing", "warning",
              "An opening balance but no funds for last tax year: the balance was taken to have entered as late as "
              "it can, so less of it may expire than will."),
    IssueCode("funds-run-short", "warning",
              "The account cannot pay for all the planned training in some months: the rest is co-invested by the "
              "employer and the government."),
    # Schools' requests for apprentices.
    IssueCode("request-without-school", "error",
              "A school's request that names no school (its URN is blank): it cannot be added to a levy plan."),
    IssueCode("requests-over-share", "warning",
              "A school's requests cost more in the plan year than is left of its share of the levy: the council "
              "decides whether the rest of its levy can pay for them."),
    # Bulk import.
    IssueCode("skipped-file", "warning",
              "A file in an imported folder that is not an Excel workbook; it was listed, not read."),
    IssueCode("internal-error", "error",
              "lga_xl itself failed on this file (a bug: please report it with the file); the rest of the import "
              "went on."),
]

ISSUE_CODES: dict[str, IssueCode] = {c.code: c for c in _CODES}


class Issue(BaseModel):
    """One problem, located as precisely as the file allows.

    ``sheet`` and ``cell`` say where it is; where it applies, ``table`` and
    ``column`` name the Excel table and column, ``row`` the table's data row
    (1-based) and ``name`` the defined name of a single named cell.
    """

    model_config = ConfigDict(frozen=True)

    severity: Severity
    code: str
    message: str
    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    table: str | None = None
    column: str | None = None
    row: int | None = None
    name: str | None = None

    @classmethod
    def make(
        cls,
        code: str,
        message: str,
        *,
        file: str | None = None,
        sheet: str | None = None,
        cell: str | None = None,
        severity: Severity | None = None,
        table: str | None = None,
        column: str | None = None,
        row: int | None = None,
        name: str | None = None,
    ) -> Issue:
        """An issue of a registered ``code``, with that code's default severity.

        Example:
            >>> Issue.make("unanswered", "3 elements have no status").severity
            'warning'
        """
        known = ISSUE_CODES[code]  # KeyError for an unregistered code: a bug, not user input
        return cls(
            severity=severity or known.severity,
            code=code,
            message=message,
            file=file,
            sheet=sheet,
            cell=cell,
            table=table,
            column=column,
            row=row,
            name=name,
        )

    @property
    def location(self) -> str:
        """``file, Sheet!Cell`` with whatever parts are known."""
        place = self.sheet or ""
        if self.cell:
            place = f"{place}!{self.cell}" if place else self.cell
        return ", ".join(part for part in (self.file, place) if part)

    def __str__(self) -> str:
        where = self.location
        return f"{where}: {self.severity} [{self.code}] {self.message}" if where else (
            f"{self.severity} [{self.code}] {self.message}"
        )


class WorkbookError(Exception):
    """A file that cannot be read as the workbook asked for; ``issue`` says why.

    Example:
        >>> err = WorkbookError(Issue.make("empty-file", "The file is empty", file="a.xlsx"))
        >>> str(err)
        'a.xlsx: error [empty-file] The file is empty'
    """

    def __init__(self, issue: Issue):
        super().__init__(str(issue))
        self.issue = issue


def has_errors(issues: Iterable[Issue]) -> bool:
    """True when any issue is an error.

    Example:
        >>> has_errors([Issue.make("unanswered", "2 blank")])
        False
    """
    return any(issue.severity == "error" for issue in issues)
