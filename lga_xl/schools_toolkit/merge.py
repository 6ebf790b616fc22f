"""Schools' requests become planned starts in a new copy of the council's levy plan.

Each requested apprenticeship becomes a row of the plan's Starts sheet, in
the blank rows below its last start: the school (as its dropdown shows it),
the standard, the first day of the start month, the standard's typical
duration and its funding band maximum on that day (the price), all from the
plan's own Standards sheet, so the plan costs it as the request did.  The
copy records each merged request on its *School requests* sheet
(:mod:`lga_xl.schools_toolkit.record`).  The officer's plan is never written
over.

Not merged, one line each naming the file and row: a request that is already
in the plan or repeats one given before it (the same school, role, new hire
or existing staff, standard, start month and notes), a school that is not on
the plan's Schools sheet or not in the council's levy, a row with an error,
and a file that cannot be read or was made from another plan year.

Example:
    >>> import tempfile, pathlib, datetime
    >>> from lga_xl.readers.levy_plan import read_levy_plan
    >>> from lga_xl.writers.levy_plan import SchoolEntry, new_levy_plan
    >>> from lga_xl.schools_toolkit.requests import school_request_from_plan
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> plan = new_levy_plan(folder / "plan.xlsx", org_name="Exampleshire County Council", total_pay_bill=50_000_000,
    ...                      english_percent=1, schools=[SchoolEntry(100001, "Ash Primary", "Community", 1_250_000)])
    >>> request = school_request_from_plan(plan, 100001, folder / "ash.xlsx")
    >>> from lga_xl.contracts.school_request import REQUESTS
    >>> from lga_xl.writers.fill import Template
    >>> typed = {"role": "Teaching assistant", "hire": "New hire", "standard": "ST0454",
    ...          "start_month": datetime.date(2026, 9, 1)}
    >>> _ = Template.from_path(request).fill(request, {(REQUESTS.sheet, REQUESTS.cell(key, REQUESTS.first_row)): value
    ...                                               for key, value in typed.items()})
    >>> report = merge_school_requests(plan, [request], folder / "merged.xlsx", merged_on=datetime.date(2026, 4, 20))
    >>> report.summary()
    'Added 1 planned start from 1 request file to merged.xlsx: £1,866.66 in 2026-27 (£7,000.00 in all)'
    >>> read_levy_plan(folder / "merged.xlsx").planned_spend - read_levy_plan(plan).planned_spend
    Decimal('1866.66')
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Literal

from .. import cells, levy
from ..contracts import levy_plan as plan_spec
from ..contracts.school_request import KIND as REQUEST_KIND
from ..issues import WorkbookError
from ..models import RequestedStart, SchoolRequest
from ..outputs import atomic_write, check_output
from ..readers import read_workbook
from ..readers.base import Reading
from ..readers.package import Package, TableData, open_package
from ..readers.school_request import CarriedStandards, carried_standards
from ..writers.fill import Template
from ..writers.levy_plan import TITLE as PLAN_TITLE
from .plan import SchoolsPlan, ToolkitError, load_plan, urn_text
from .record import (
    RECORD_COLUMNS,
    RECORD_SHEET,
    RECORD_TABLE,
    RecordRow,
    put_record_sheet,
    recalculate_on_load,
    strip_cached_values,
)

__all__ = ["MergeReport", "MergedStart", "NotMerged", "merge_school_requests"]

Why = Literal["duplicate", "unknown-school", "error"]
_Key = tuple[str, str, str, str, object, str]  # URN, role, hire, standard, start month, notes: what makes a request


@dataclass(frozen=True)
class MergedStart:
    """A request added to the plan: where it came from, the row it went to, and what it costs."""

    request_file: str
    request_row: int
    urn: str
    school: str | None
    role: str | None
    standard: str
    start_date: dt.date
    duration_months: int
    price: Decimal
    in_year_cost: Decimal
    starts_row: int


@dataclass(frozen=True)
class NotMerged:
    """A request (or a whole file, ``row`` None) left out, and why."""

    file: str
    row: int | None
    why: Why
    reason: str

    def line(self) -> str:
        return f"{self.file}{'' if self.row is None else f' row {self.row}'}: {self.reason}"


@dataclass
class MergeReport:
    """What :func:`merge_school_requests` did; ``out`` is None when there was nothing to add (no file written)."""

    plan: Path
    out: Path | None
    tax_year: str
    files: int
    merged: list[MergedStart] = field(default_factory=list)
    not_merged: list[NotMerged] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 when every request was added; 1 when any was left out."""
        return 1 if self.not_merged else 0

    def lines(self) -> list[str]:
        """One line for each request left out."""
        return [item.line() for item in self.not_merged]

    def summary(self) -> str:
        counts = Counter(item.why for item in self.not_merged)
        left = ", ".join(f"{n} {what}" for what, n in (
            ("duplicate(s)", counts["duplicate"]), ("for unknown schools", counts["unknown-school"]),
            ("with errors", counts["error"])) if n)
        files = f"{self.files} request file{'' if self.files == 1 else 's'}"
        if self.out is None:
            return f"Nothing added from {files}; no plan written" + (f" ({left} not added)" if left else "")
        in_year = sum((m.in_year_cost for m in self.merged), Decimal(0))
        total = sum((m.price for m in self.merged), Decimal(0))
        return (f"Added {len(self.merged)} planned start{'' if len(self.merged) == 1 else 's'} from {files} to "
                f"{self.out.name}: £{in_year:,.2f} in {self.tax_year} (£{total:,.2f} in all)"
                + (f"; {left} not added" if left else ""))


def merge_school_requests(plan: str | Path, requests: Sequence[str | Path], out: str | Path, *, force: bool = False,
                   merged_on: dt.date | None = None) -> MergeReport:
    """Add schools' requests to a new copy of the levy plan at ``out``; the plan itself is only read.

    Raises:
        lga_xl.outputs.OutputError: ``out`` is the plan or a request, exists (without ``force``), or is not .xlsx.
        ToolkitError: the plan cannot be read, or its Starts table has too few blank rows for the requests.
    """
    plan_path = Path(plan)
    out_path = check_output(out, force=force, inputs=[plan_path, *requests])
    schools_plan = load_plan(plan_path)
    with open_package(plan_path) as pkg:
        starts = pkg.table(plan_spec.PLANNED_STARTS.name)
        standards = carried_standards(Reading(pkg, plan_spec.CONTRACT))
        recorded = _recorded(pkg)
    day = merged_on or dt.date.today()
    report = MergeReport(plan_path, None, schools_plan.plan.tax_year, len(requests))
    have: Counter[_Key] = Counter(_key_of_record(row) for row in recorded)
    sources: dict[_Key, list[str]] = {}
    for row in recorded:
        sources.setdefault(_key_of_record(row), []).append(f"{row.request_file} row {row.request_row}, already in "
                                                           f"the plan (Starts row {row.starts_row})")
    wanted: list[tuple[MergedStart, RecordRow]] = []
    for path in map(Path, requests):
        request = _read(path, schools_plan, report)
        if request is None:
            continue
        used: Counter[_Key] = Counter()
        for start in request.requests:
            added = _merge_one(path.name, request, start, schools_plan, standards, report, day)
            if added is None:
                continue
            merged, record = added
            key = _key_of_record(record)
            if used[key] < have[key]:
                report.not_merged.append(NotMerged(path.name, start.row, "duplicate", f"repeats "
                                                   f"{sources[key][used[key]]}; not added again"))
                used[key] += 1
                continue
            used[key] += 1
            have[key] += 1
            sources.setdefault(key, []).append(f"{path.name} row {start.row}")
            wanted.append((merged, record))
    if not wanted:
        return report
    rows = _free_rows(starts, len(wanted), plan_path)
    values: dict[tuple[str, str], object] = {}
    new_records = []
    for worksheet_row, (merged, record) in zip(rows, wanted):
        school = schools_plan.school(merged.urn)
        info = standards.standards.by_reference[merged.standard.casefold()]
        for key, value in (("school", f"{_urn_cell(school.urn)} - {school.name}"),
                           ("standard", f"{merged.standard} {info.title} (level {info.level})"),
                           ("start_date", merged.start_date), ("duration_months", merged.duration_months),
                           ("price", merged.price)):
            column = starts.column_index(plan_spec.PLANNED_STARTS.column(key).header)
            values[(starts.sheet, f"{starts.letters[column]}{worksheet_row}")] = value
        report.merged.append(replace(merged, starts_row=worksheet_row))
        new_records.append(replace(record, starts_row=worksheet_row))
    _write(plan_path, out_path, values, [*recorded, *new_records], schools_plan)
    report.out = out_path
    return report


# Private API: reading.


def _read(path: Path, plan: SchoolsPlan, report: MergeReport) -> SchoolRequest | None:
    """The request, or None with the reason it cannot be merged at all."""

    def refuse(why: Why, reason: str) -> None:
        report.not_merged.append(NotMerged(path.name, None, why, reason))

    try:
        request = read_workbook(path, expected=REQUEST_KIND)
    except WorkbookError as err:
        refuse("error", err.issue.message)
        return None
    levy_plan = plan.plan
    if request.tax_year != levy_plan.tax_year:
        refuse("error", f"made from the {request.tax_year} levy plan; this plan is for {levy_plan.tax_year}")
        return None
    if request.council and levy_plan.organisation and request.council.casefold() != levy_plan.organisation.casefold():
        refuse("error", f"made from {request.council}'s levy plan, not {levy_plan.organisation}'s")
        return None
    if request.urn is None:
        refuse("unknown-school", "the request names no school (its URN is blank)")
        return None
    if not request.requests:
        refuse("error", "no apprenticeship is requested in it")
        return None
    return request


def _merge_one(file: str, request: SchoolRequest, start: RequestedStart, plan: SchoolsPlan,
               standards: CarriedStandards, report: MergeReport,
               day: dt.date) -> tuple[MergedStart, RecordRow] | None:
    """A request row costed from the plan's standards, or None with the reason it is left out."""

    def refuse(why: Why, reason: str) -> None:
        report.not_merged.append(NotMerged(file, start.row, why, reason))

    what = f"{start.role or 'a request'}" + (f" ({start.standard})" if start.standard else "")
    school = plan.school(request.urn)
    if school is None:
        refuse("unknown-school", f"{what}: URN {request.urn} ({request.school or 'no name'}) is not on the plan's "
                                 "Schools sheet; add the school to the plan, or ask which school sent it")
        return None
    if not school.in_council_levy:
        refuse("unknown-school", f"{what}: {school.name} (URN {school.urn}) is not in the council's levy "
                                 f"({school.type}); a levy transfer can fund it instead")
        return None
    errors = [issue.message for issue in request.issues
              if issue.severity == "error" and issue.table == "Requests" and _row_of(issue.cell) == start.row]
    if errors:
        refuse("error", f"{what}: {errors[0]}")
        return None
    info = standards.standards.by_reference.get((start.standard or "").casefold())
    if info is None or start.start_month is None:
        refuse("error", f"{what}: {start.standard} is not on the plan's Standards sheet")
        return None
    band = standards.standards.band_on(start.standard, info, start.start_month)
    duration = standards.durations.get(start.standard.casefold()) or start.duration_months
    if band is None or not duration:
        refuse("error", f"{what}: the plan's Standards sheet gives {start.standard} no "
                        + ("funding band in force in " + f"{start.start_month:%B %Y}" if band is None else
                           "typical duration"))
        return None
    price = band.quantize(Decimal("0.01"))
    plan_start = plan.plan.plan_start
    in_year = levy.payments_between(price, start.start_month, duration, plan_start, levy._add_months(plan_start, 11))
    by = ", ".join(part for part in (request.completed_by, request.completed_role) if part) or None
    merged = MergedStart(file, start.row, urn_text(school.urn), school.name, start.role, start.standard,
                         start.start_month, duration, price, in_year, 0)
    record = RecordRow(0, urn_text(school.urn), school.name, start.role, start.hire, merged.standard,
                       start.start_month, start.notes, file, start.row, by, day)
    return merged, record


def _recorded(pkg: Package) -> list[RecordRow]:
    """The requests an earlier merge recorded in the plan."""
    try:
        table = pkg.table(RECORD_TABLE)
    except WorkbookError:
        return []
    positions = [table.column_index(header) for header in RECORD_COLUMNS]
    rows = []
    for values in table.rows:
        get = [values[p] if p is not None and p < len(values) and values[p] != "" else None for p in positions]
        if not any(get):
            continue
        rows.append(RecordRow(
            starts_row=_whole(get[0]), urn=cells.text(get[1]) or "", school=cells.text(get[2]),
            role=cells.text(get[3]), hire=cells.text(get[4]), standard=cells.text(get[5]), start_month=_day(get[6]),
            notes=cells.text(get[7]), request_file=cells.text(get[8]) or "", request_row=_whole(get[9]),
            requested_by=cells.text(get[10]), merged_on=_day(get[11]) or dt.date.today()))
    return rows


def _key_of_record(row: RecordRow) -> _Key:
    return (row.urn, *((text or "").casefold() for text in (row.role, row.hire, row.standard)), row.start_month,
            (row.notes or "").casefold())


def _row_of(cell: str | None) -> int | None:
    digits = "".join(ch for ch in cell or "" if ch.isdigit())
    return int(digits) if digits else None


def _whole(value: object) -> int:
    number = cells.text(value)
    return int(number) if number and number.isdigit() else 0


def _day(value: object) -> dt.date | None:
    try:
        read = cells.date(value)
    except cells.CellValueError:
        return None
    return None if read is None else read.value


def _urn_cell(urn: str | None) -> str:
    return urn_text(urn) or ""


# Private API: writing.


def _free_rows(starts: TableData, needed: int, plan: Path) -> list[int]:
    """The worksheet rows of the Starts table's blank rows below its last start, ``needed`` of them."""
    inputs = [starts.column_index(plan_spec.PLANNED_STARTS.column(key).header)
              for key in plan_spec.PLANNED_STARTS.keys("input")]
    used = [index for index, values in enumerate(starts.rows)
            if any(p is not None and p < len(values) and values[p] not in (None, "") for p in inputs)]
    first_free = (used[-1] + 1) if used else 0
    free = len(starts.rows) - first_free
    if free < needed:
        raise ToolkitError(f"{plan.name}: the Starts table has {free} blank row(s) below its last start and the "
                           f"requests need {needed}; make room in the table (unprotect the sheet and drag its "
                           "corner down) and merge again")
    return [starts.first_row + first_free + offset for offset in range(needed)]


def _write(plan: Path, out: Path, values: dict[tuple[str, str], object], records: list[RecordRow],
           schools_plan: SchoolsPlan) -> None:
    parts = Template.from_path(plan).filled_parts(values)
    put_record_sheet(parts, records, title=f"{RECORD_SHEET}: what schools asked for", footer=PLAN_TITLE,
                     note=f"Each row is a school's request added to the Starts sheet by lga-xl schools merge, "
                          f"with the row it went to and the request it came from. {PLAN_TITLE}, "
                          f"{schools_plan.council}, {schools_plan.plan.tax_year}.")
    strip_cached_values(parts)
    recalculate_on_load(parts)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    with atomic_write(out) as partial:
        partial.write_bytes(buffer.getvalue())
