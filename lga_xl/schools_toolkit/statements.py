"""Each school's levy statement, and the page on levy transfers for schools outside the council's levy.

A statement is one page for the head teacher of a school whose staff the
council employs: its pay bill, its share of the levy paid and of the funds
entering the council's account, the apprenticeships planned for it with
their cost in the plan year, what is left of its share, the funds the council
expects to lose if nothing more is planned, how to ask for an apprentice, and
whom to contact.  Every figure is the levy plan's own (the reader recomputes
what the workbook's formulas show, to the penny).  Schools whose staff their
governing body or academy trust employs get a page on how they can receive a
levy transfer from the council instead.

Example:
    >>> import tempfile, pathlib, datetime
    >>> from lga_xl.writers.levy_plan import SchoolEntry, StartEntry, new_levy_plan
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> plan = new_levy_plan(folder / "plan.xlsx", org_name="Exampleshire County Council", total_pay_bill=50_000_000,
    ...                      english_percent=1, schools=[SchoolEntry(100001, "Ash Primary", "Community", 1_250_000)],
    ...                      starts=[StartEntry("ST0454", datetime.date(2026, 9, 1), 18, 7000, urn=100001)])
    >>> [statement] = school_statements(load_plan(plan))
    >>> statement.school, statement.funds_share, statement.planned_spend, statement.funds_left
    ('Ash Primary', Decimal('6070.83'), Decimal('1866.66'), Decimal('4204.17'))
    >>> run = write_school_statements(plan, folder / "statements", prepared_on=datetime.date(2026, 4, 20))
    >>> [path.name for path in run.statements]
    ['100001-ash-primary.docx']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..outputs import prepare_output_folder
from ..reference import EMPLOYER_COUNCIL, ESTABLISHMENT_TYPES, establishment_type
from ..tools.render import RenderError
from ..writers.levy_plan import SchoolEntry
from . import documents as d
from .plan import SchoolsPlan, load_plan, urn_text
from .requests import default_contact, file_stem, school_request_from_plan

__all__ = ["PlannedStart", "SchoolStatement", "StatementsRun", "TransferPage", "school_statements", "transfer_pages",
           "write_statement_docx", "write_school_statements", "write_transfer_docx"]

SUBJECT = "LGA Schools Toolkit"


@dataclass(frozen=True)
class PlannedStart:
    """A start the plan has for the school (the Starts sheet's row)."""

    row: int
    standard: str | None
    title: str
    level: int | None
    start_date: dt.date | None
    duration_months: int | None
    price: Decimal | None
    in_year_cost: Decimal


@dataclass(frozen=True)
class SchoolStatement:
    """One school's page: its figures in the council's levy plan."""

    council: str
    tax_year: str
    urn: str
    school: str
    school_type: str | None
    pay_bill: Decimal | None
    levy_share: Decimal
    funds_share: Decimal | None
    planned_spend: Decimal
    funds_left: Decimal | None
    starts: tuple[PlannedStart, ...]
    expiring_plan_year: Decimal | None  # the council's funds forecast to expire in the plan year
    expiring_forecast: Decimal  # ... in the whole forecast
    forecast_months: int
    first_expiry_month: dt.date | None
    first_expiry_amount: Decimal | None
    contact: str
    prepared_on: dt.date


@dataclass(frozen=True)
class TransferPage:
    """A school outside the council's levy, and the council's transfer allowance it could draw on."""

    council: str
    tax_year: str
    urn: str
    school: str
    school_type: str | None
    employer: str  # who employs the staff: Governing body, Academy trust or Other employer
    transfer_rate: Decimal
    allowance: Decimal
    committed: Decimal
    headroom: Decimal
    contact: str
    prepared_on: dt.date


@dataclass
class StatementsRun:
    """What :func:`write_school_statements` wrote, and the schools it left out (with why)."""

    out_dir: Path
    statements: list[Path] = field(default_factory=list)
    transfer_pages: list[Path] = field(default_factory=list)
    requests: list[Path] = field(default_factory=list)
    pdfs: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    pdf_error: str | None = None  # why PDFs were asked for and not made (LibreOffice missing or failing)

    def summary(self) -> str:
        parts = [f"{len(self.statements)} statement(s)"]
        if self.transfer_pages:
            parts.append(f"{len(self.transfer_pages)} page(s) on levy transfers")
        if self.requests:
            parts.append(f"{len(self.requests)} request workbook(s)")
        if self.pdfs:
            parts.append(f"{len(self.pdfs)} PDF(s)")
        return f"{', '.join(parts)} written to {self.out_dir}"


# Public API: the figures.


def school_statements(plan: SchoolsPlan, *, contact: str | None = None,
                      prepared_on: dt.date | None = None) -> list[SchoolStatement]:
    """A statement for each school in the council's levy, in the plan's order."""
    levy_plan = plan.plan
    day = prepared_on or dt.date.today()
    statements = []
    for school in plan.council_schools:
        starts = tuple(PlannedStart(s.row, s.standard, s.title, s.level, s.start_date, s.duration_months, s.price,
                                    s.in_year_cost)
                       for s in levy_plan.planned_starts if urn_text(s.urn) == urn_text(school.urn))
        statements.append(SchoolStatement(
            council=plan.council, tax_year=levy_plan.tax_year, urn=urn_text(school.urn) or "",
            school=school.name or f"URN {school.urn}", school_type=school.type, pay_bill=school.pay_bill,
            levy_share=school.levy_share, funds_share=school.funds_share, planned_spend=school.planned_spend,
            funds_left=school.funds_left, starts=starts, expiring_plan_year=levy_plan.expiring_funds_plan_year,
            expiring_forecast=levy_plan.expiring_funds, forecast_months=len(levy_plan.forecast),
            first_expiry_month=levy_plan.first_expiry_month, first_expiry_amount=levy_plan.first_expiry_amount,
            contact=contact or default_contact(plan), prepared_on=day))
    return statements


def transfer_pages(plan: SchoolsPlan, other_schools: Sequence[SchoolEntry] = (), *, contact: str | None = None,
                   prepared_on: dt.date | None = None) -> tuple[list[TransferPage], list[str]]:
    """A page for each school outside the council's levy: those the plan lists and ``other_schools``.

    Returns the pages and a note for each school left out (a council school:
    it has a statement, or should be added to the plan's Schools sheet).
    """
    levy_plan = plan.plan
    day = prepared_on or dt.date.today()
    pages, notes, seen = [], [], set()
    candidates = [(s.urn, s.name, s.type) for s in plan.other_schools]
    candidates += [(urn_text(s.urn), s.name, establishment_type(s.type) or s.type) for s in other_schools]
    for urn, name, school_type in candidates:
        employer = ESTABLISHMENT_TYPES.get(school_type or "", "")
        if urn in seen:
            continue
        seen.add(urn)
        if employer == EMPLOYER_COUNCIL:
            listed = plan.school(urn) is not None
            notes.append(f"{name} (URN {urn}) is a {school_type.lower()}, in the council's levy: "
                         + ("it has a statement" if listed else "add it to the plan's Schools sheet for a statement"))
            continue
        pages.append(TransferPage(
            council=plan.council, tax_year=levy_plan.tax_year, urn=urn or "", school=name or f"URN {urn}",
            school_type=school_type, employer=employer or "its own employer",
            transfer_rate=levy_plan.statutory_transfer_rate, allowance=levy_plan.transfer_allowance_statutory,
            committed=levy_plan.transfers_total, headroom=levy_plan.headroom_statutory,
            contact=contact or default_contact(plan), prepared_on=day))
    return pages, notes


# Public API: the documents.


def write_school_statements(plan: str | Path | SchoolsPlan, out_dir: str | Path, *, contact: str | None = None,
                     others: bool = False, other_schools: Sequence[SchoolEntry] = (), requests: bool = False,
                     pdf: bool = False, force: bool = False, prepared_on: dt.date | None = None) -> StatementsRun:
    """A statement (Word) for every school in the council's levy, named ``<URN>-<school>.docx``.

    Args:
        plan: the levy plan (template 2.0), or one already loaded.
        out_dir: the folder to write into (created; one with files only with ``force``).
        contact: whom schools contact (name, email, telephone); the council's
            apprenticeships team when None.
        others: also a page on levy transfers (``<URN>-<school>-levy-transfer.docx``)
            for each school outside the council's levy: those the plan lists and ``other_schools``.
        requests: also each school's request workbook (``<URN>-<school>-request.xlsx``).
        pdf: also a PDF of each page, through LibreOffice; when it is missing or fails, the Word
            documents are still written and ``pdf_error`` says why there are no PDFs.
        force: write into a folder that already has files (files of the same name are replaced).
        prepared_on: the date the pages give (today when None).

    Raises:
        ToolkitError: the plan cannot be read.
        lga_xl.outputs.OutputError: the folder cannot be used.
    """
    schools_plan = plan if isinstance(plan, SchoolsPlan) else load_plan(plan)
    folder = prepare_output_folder(out_dir, force=force, inputs=[schools_plan.path])
    run = StatementsRun(folder)
    for statement in school_statements(schools_plan, contact=contact, prepared_on=prepared_on):
        run.statements.append(write_statement_docx(statement, folder / f"{file_stem(statement.urn, statement.school)}"
                                                                       ".docx"))
    if others or other_schools:
        pages, run.notes = transfer_pages(schools_plan, other_schools, contact=contact, prepared_on=prepared_on)
        for page in pages:
            run.transfer_pages.append(write_transfer_docx(page, folder / f"{file_stem(page.urn, page.school)}"
                                                                         "-levy-transfer.docx"))
    if requests:
        for school in schools_plan.council_schools:
            run.requests.append(school_request_from_plan(
                schools_plan, school.urn, folder / f"{file_stem(school.urn, school.name)}-request.xlsx",
                contact=contact))
    if pdf:
        try:
            run.pdfs = d.convert_to_pdfs([*run.statements, *run.transfer_pages])
        except RenderError as err:
            run.pdf_error = str(err)
    return run


def write_statement_docx(statement: SchoolStatement, path: str | Path) -> Path:
    """One school's statement: a page a head teacher reads in two minutes."""
    s = statement
    doc = d.new_document(f"{s.council}: apprenticeship levy statement {s.tax_year}")
    d.heading(doc, f"Your school's apprenticeship levy, {s.tax_year}", 1)
    d.strong(doc, s.school)
    d.note(doc, f"URN {s.urn}{_type_text(s.school_type)}. From {s.council}'s schools apprenticeship levy plan, "
                f"{d.long_date(s.prepared_on)}.")
    d.text(doc, "The council employs your school's staff, so their pay is part of the council's pay bill and the "
                "council pays the apprenticeship levy on it. The levy goes into the council's apprenticeship service "
                "account, where it pays for apprenticeships in the council and in its schools, yours included.")
    d.heading(doc, "Your share")
    d.figures_table(doc, [
        ("Your staff's pay bill for the year", d.money(s.pay_bill)),
        ("Your share of the levy the council pays", d.money(s.levy_share)),
        (f"Your share of the funds entering the council's account in {s.tax_year}", d.money(s.funds_share)),
        (f"Apprenticeships planned for your school: their cost in {s.tax_year}", d.money(s.planned_spend)),
        ("Left of your share", d.money(s.funds_left)),
    ], bold_last=True)
    d.note(doc, "Shares are in proportion to pay bills. The funds entering are the levy paid for staff living in "
                "England, with any government top-up; they pay for apprenticeships' training and assessment.")
    d.heading(doc, "Apprenticeships planned for your school")
    if s.starts:
        d.table(doc, ("Standard", "Starts", "Months", "Price", f"Cost in {s.tax_year}"),
                [(_standard_text(start), _short_date(start.start_date), _months(start.duration_months),
                  d.money(start.price), d.money(start.in_year_cost)) for start in s.starts],
                (7.6, 2.4, 1.6, 2.6, 2.8), ("left", "left", "right", "right", "right"))
    else:
        d.text(doc, "None yet: the whole of your share is there to use.")
    d.heading(doc, "Funds the council could lose")
    d.text(doc, _expiry_text(s))
    d.heading(doc, "How to ask for an apprentice")
    for step in (
        "1. Choose the roles: a new post, such as a teaching assistant, or training for someone already on your "
        "staff, of any age.",
        "2. Fill in your school's request workbook (ask the council for it if it did not come with this page): one "
        "row for each apprenticeship, with its role, standard and start month. It shows the cost against your share.",
        "3. Send it to the contact below. The council adds it to its levy plan and confirms what it can fund.",
    ):
        d.text(doc, step)
    d.note(doc, "The levy pays for the training and assessment, up to the standard's funding band maximum. Your "
                "school pays the apprentice's wages and gives them time for their off-the-job training.")
    d.heading(doc, "Contact")
    d.text(doc, s.contact)
    return d.save(doc, Path(path), title=f"{s.school}: apprenticeship levy statement {s.tax_year}", subject=SUBJECT,
                  author=s.council, day=s.prepared_on)


def write_transfer_docx(page: TransferPage, path: str | Path) -> Path:
    """The page for a school outside the council's levy: how it can receive a levy transfer from the council."""
    p = page
    employer = p.employer.lower() if p.employer in ESTABLISHMENT_TYPES.values() else p.employer
    doc = d.new_document(f"{p.council}: apprenticeships and levy transfers {p.tax_year}")
    d.heading(doc, f"Apprenticeships and levy transfers, {p.tax_year}", 1)
    d.strong(doc, p.school)
    d.note(doc, f"URN {p.urn}{_type_text(p.school_type)}. From {p.council}, {d.long_date(p.prepared_on)}.")
    d.text(doc, f"Your school's staff are employed by its {employer}, not by the council, so their pay is not in "
                "the council's levy and the council's levy cannot pay for your apprenticeships directly. The council "
                "can transfer some of its levy to you.")
    d.heading(doc, "If your employer pays the levy")
    d.text(doc, "An employer whose pay bill is over £3 million pays the levy itself (0.5% of the pay bill, less a "
                "£15,000 allowance) and has its own apprenticeship service account: use those funds first. For an "
                "academy, the trust's pay bill counts.")
    d.heading(doc, "A levy transfer from the council")
    d.figures_table(doc, [
        (f"The council's transfer allowance for {p.tax_year}: {_percent(p.transfer_rate)} of the funds that "
         "entered its account last year", d.money(p.allowance)),
        ("Already committed or planned", d.money(p.committed)),
        ("Still available this year", d.money(p.headroom)),
    ], bold_last=True)
    d.text(doc, "A transfer pays for all of an apprenticeship's training and assessment, up to the standard's funding "
                "band maximum, for as long as it lasts. Your school pays the apprentice's wages and any price above "
                "the band. Transfers pay for new apprenticeships only, for new staff or for staff already with you.")
    d.heading(doc, "How to ask for one")
    for step in (
        "1. Set up an apprenticeship service account for your school or trust on GOV.UK, if you have none.",
        "2. Tell the contact below the standard, how many apprentices, where they will work and when they would "
        "start.",
        "3. If the council agrees, it connects its account to yours; your training provider adds the apprentice and "
        "the council approves the transfer.",
    ):
        d.text(doc, step)
    d.heading(doc, "Contact")
    d.text(doc, p.contact)
    return d.save(doc, Path(path), title=f"{p.school}: apprenticeships and levy transfers {p.tax_year}",
                  subject=SUBJECT, author=p.council, day=p.prepared_on)


# Private API: wording.


def _expiry_text(s: SchoolStatement) -> str:
    first = ""
    if s.first_expiry_month and s.first_expiry_amount:
        first = f", the first {d.money(s.first_expiry_amount)} in {s.first_expiry_month:%B %Y}"
    if s.expiring_plan_year:
        return (f"If nothing more is planned, {d.money(s.expiring_plan_year)} of the council's levy funds will expire "
                f"unspent in {s.tax_year}{first}. Funds expire 24 months after they enter the account (12 months for "
                "funds entering from August 2026); apprenticeships planned now put them to use.")
    if s.expiring_forecast:
        return (f"None in {s.tax_year}; but if nothing more is planned, {d.money(s.expiring_forecast)} will expire "
                f"over the {s.forecast_months} months of the council's forecast{first}.")
    return "None: the council's plan uses its levy funds before they expire."


def _standard_text(start: PlannedStart) -> str:
    if start.standard is None:
        return "(no standard)"
    level = f" (level {start.level})" if start.level else ""
    return f"{start.title}{level}, {start.standard}" if start.title else start.standard


def _type_text(school_type: str | None) -> str:
    return f", {school_type.lower()}" if school_type else ""


def _short_date(day: dt.date | None) -> str:
    return "–" if day is None else f"{day.day} {day:%b %Y}"


def _months(months: int | None) -> str:
    return "–" if months is None else str(months)


def _percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"
