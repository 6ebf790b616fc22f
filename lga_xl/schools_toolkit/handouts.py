"""Handouts with the council's own figures: a guide for head teachers, and a leaflet for school staff.

Example:
    >>> import tempfile, pathlib, datetime
    >>> from lga_xl.writers.levy_plan import SchoolEntry, new_levy_plan
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> plan = new_levy_plan(folder / "plan.xlsx", org_name="Exampleshire County Council", total_pay_bill=50_000_000,
    ...                      english_percent=1, schools=[SchoolEntry(100001, "Ash Primary", "Community", 1_250_000)])
    >>> guide = write_schools_handout(plan, folder / "guide.docx", prepared_on=datetime.date(2026, 4, 20))
    >>> from docx import Document
    >>> Document(guide).paragraphs[0].text
    'Apprenticeships in your school: a guide for head teachers'
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from ..outputs import check_output
from ..standards import Standard
from ..writers.levy_plan import _SCHOOL_STANDARDS
from . import documents as d
from .plan import SchoolsPlan, load_plan, urn_text
from .requests import default_contact

__all__ = ["AUDIENCES", "HEAD_TEACHERS", "STAFF", "write_schools_handout"]

HEAD_TEACHERS = "head-teachers"
STAFF = "staff"
AUDIENCES = (HEAD_TEACHERS, STAFF)
SUBJECT = "LGA Schools Toolkit"


def write_schools_handout(plan: str | Path | SchoolsPlan, out: str | Path, *, audience: str = HEAD_TEACHERS,
                  contact: str | None = None, pdf: bool = False, force: bool = False,
                  prepared_on: dt.date | None = None) -> Path:
    """Write a handout (Word; and a PDF beside it with ``pdf``) with the council's figures and contact.

    ``audience``: ``head-teachers`` (what the levy is, what the council pays,
    what the school does) or ``staff`` (what an apprenticeship is and how to
    ask for one).

    Raises:
        ToolkitError: the plan cannot be read.
        lga_xl.outputs.OutputError: ``out`` exists (without ``force``), is the plan, or does not end in .docx.
        ValueError: an unknown audience.
    """
    if audience not in AUDIENCES:
        raise ValueError(f"{audience!r} is not one of {', '.join(AUDIENCES)}")
    schools_plan = plan if isinstance(plan, SchoolsPlan) else load_plan(plan)
    path = check_output(out, force=force, inputs=[schools_plan.path], allowed_suffixes=(".docx",))
    day = prepared_on or dt.date.today()
    writer = _head_teachers if audience == HEAD_TEACHERS else _staff
    written = writer(schools_plan, path, contact or default_contact(schools_plan), day)
    if pdf:
        d.convert_to_pdfs([written])
    return written


# Private API.


def _head_teachers(plan: SchoolsPlan, path: Path, contact: str, day: dt.date) -> Path:
    p, council, year = plan.plan, plan.council, plan.plan.tax_year
    schools = plan.council_schools
    engaged = {urn_text(start.urn) for start in p.planned_starts if start.urn}
    doc = d.new_document(f"{council}: apprenticeships in your school")
    d.heading(doc, "Apprenticeships in your school: a guide for head teachers", 1)
    d.strong(doc, council)
    d.note(doc, f"Figures from the council's schools apprenticeship levy plan for {year}, {d.long_date(day)}.")
    d.heading(doc, "What the apprenticeship levy is")
    d.text(doc, "Every employer whose pay bill is over £3 million pays the apprenticeship levy: 0.5% of the pay bill, "
                "less an allowance of £15,000 a year. It goes into the employer's apprenticeship service account and "
                "pays for apprenticeships' training and assessment. Funds not used expire 24 months after they enter "
                "the account, or 12 months for funds entering from August 2026.")
    d.heading(doc, "What the council pays")
    d.text(doc, "The council employs the staff of its community, voluntary controlled, community special and "
                "maintained nursery schools and pupil referral units, so their pay is in the council's pay bill and "
                "the council pays the levy on it. Those schools' apprenticeships are paid from the council's account.")
    rows = [
        (f"The council's levy for {year}", d.money(p.annual_levy)),
        (f"Funds entering the council's account in {year}", d.money(p.funds_in)),
        ("Schools in the council's levy", str(len(schools))),
        ("Their pay bill", d.money(p.schools_pay_bill)),
        ("Their share of the levy", d.money(p.schools_levy_share)),
        ("Their share of the funds entering", d.money(p.schools_funds_share)),
        (f"Apprenticeships planned for them: cost in {year}", d.money(p.schools_planned_spend)),
        ("Schools with an apprenticeship planned", f"{sum(1 for s in schools if urn_text(s.urn) in engaged)} of "
                                                   f"{len(schools)}"),
    ]
    if p.expiring_funds_plan_year is not None:
        rows.append((f"The council's funds forecast to expire in {year} if nothing more is planned",
                     d.money(p.expiring_funds_plan_year)))
    d.figures_table(doc, rows)
    d.note(doc, "Each school's share is in proportion to its pay bill. Your school's own statement gives its "
                "figures.")
    d.heading(doc, "What the levy pays for, and what your school pays")
    d.text(doc, "The levy pays the training provider for the training and assessment, up to the standard's funding "
                "band maximum, in monthly instalments and a final payment when the apprenticeship is complete. Your "
                "school pays the apprentice's wages, gives them time for their off-the-job training in working hours, "
                "and pays any price above the funding band.")
    standards = _school_standards(plan)
    if standards:
        d.heading(doc, "Apprenticeships schools often use")
        d.table(doc, ("Standard", "Level", "Typical months", "Funding band maximum"),
                [(f"{s.title}, {s.reference}", str(s.level), str(s.typical_duration_months or "–"),
                  d.money(_band(s, p.plan_start)))
                 for s in standards], (8.8, 1.8, 2.8, 3.6), ("left", "right", "right", "right"))
    d.heading(doc, "What your school does")
    d.bullets(doc, [
        "Choose the roles: a new post, or training for someone already on your staff, of any age.",
        "Fill in your school's request workbook and send it to the council: it shows each apprenticeship's cost "
        "against your share.",
        "Agree the training provider with the council, and recruit a new apprentice through GOV.UK's Find an "
        "apprenticeship, or agree the apprenticeship with the member of staff.",
        "Give the apprentice a mentor and the time for their training, and tell the council when the apprenticeship "
        "starts, changes or stops.",
    ])
    d.heading(doc, "Academies, foundation and voluntary aided schools")
    d.text(doc, f"Their governing body or academy trust employs their staff, so they are not in the council's levy. "
                f"The council can transfer some of its levy to them: {d.money(p.headroom_statutory)} of its transfer "
                f"allowance for {year} is not yet committed.")
    d.heading(doc, "Contact")
    d.text(doc, contact)
    return d.save(doc, path, title=f"{council}: apprenticeships in your school", subject=SUBJECT, author=council,
                  day=day)


def _staff(plan: SchoolsPlan, path: Path, contact: str, day: dt.date) -> Path:
    council = plan.council
    doc = d.new_document(f"{council}: apprenticeships for school staff")
    d.heading(doc, "Apprenticeships for school staff", 1)
    d.strong(doc, council)
    d.heading(doc, "What an apprenticeship is")
    d.text(doc, "A job with training: you work, you are paid, and you spend part of your working hours learning, with "
                "a training provider, the skills of an occupation. It ends with an independent assessment, and lasts "
                "at least a year for most apprenticeships. Apprenticeships run from level 2 (like GCSEs) to level 7 "
                "(like a master's degree).")
    d.heading(doc, "Who can do one")
    d.text(doc, "People new to the school and people already working in it, of any age: an apprenticeship can start a "
                "career in a school or take it further.")
    d.heading(doc, "Who pays")
    d.text(doc, f"{council} pays the apprenticeship levy on the pay of its schools' staff, and its levy pays for the "
                "training and assessment. You keep your pay, and the training takes place in your working hours.")
    standards = _school_standards(plan)
    if standards:
        d.heading(doc, "Apprenticeships in schools")
        d.bullets(doc, [f"{s.title} (level {s.level})" for s in standards])
    d.heading(doc, "How to ask")
    d.text(doc, f"Talk to your head teacher or school business manager; the school asks the council. Questions: "
                f"{contact}.")
    return d.save(doc, path, title=f"{council}: apprenticeships for school staff", subject=SUBJECT, author=council,
                  day=day)


def _school_standards(plan: SchoolsPlan) -> list[Standard]:
    """The plan's standards that schools use most, that can be started (the illustrative sample's choice)."""
    by_reference = {s.reference.casefold(): s for s in plan.standards if s.approved}
    return [by_reference[r.casefold()] for r in _SCHOOL_STANDARDS if r.casefold() in by_reference]


def _band(standard: Standard, day: dt.date) -> Decimal:
    """The band in force at the start of the plan year; the standard's own band when no dated band covers it."""
    try:
        return standard.band_on(day)
    except ValueError:
        return standard.max_funding
