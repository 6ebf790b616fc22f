"""A council's levy plan with many maintained schools, and their requests for apprentices, for the toolkit tests."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

from lga_xl import levy
from lga_xl.contracts.school_request import HIRE_TYPES, REQUESTS
from lga_xl.reference import COUNCIL_ESTABLISHMENT_TYPES
from lga_xl.schools_toolkit import school_request_from_plan
from lga_xl.writers.fill import Template
from lga_xl.writers.levy_plan import SchoolEntry, StartEntry, TransferEntry, new_levy_plan

COUNCIL = "Exampleshire County Council"
# Standards schools use, with their typical roles (the illustrative sample's references).
SCHOOL_ROLES = (("Teaching assistant", "ST0454"), ("Early years educator", "ST0135"),
                ("Early years practitioner", "ST0888"), ("Nursery lead", "ST0551"),
                ("School business manager", "ST0575"), ("Office administrator", "ST0070"),
                ("Site assistant", "ST0617"))
_PLACES = ("Ash", "Birch", "Cedar", "Damson", "Elm", "Fir", "Gorse", "Hazel", "Ivy", "Juniper", "Larch", "Maple",
           "Oak", "Pine", "Quince", "Rowan", "Spruce", "Thorn", "Willow", "Yew")
_KINDS = ("Primary School", "Infant School", "Junior School", "Nursery School", "Special School")


def council_plan(path: Path, *, schools: int = 40, seed: int = 17, org_name: str = COUNCIL,
                 first_urn: int = 110_000) -> Path:
    """A plan for 2026-27 with ``schools`` council-employed schools, some of them with planned starts, a
    transfer, and an opening balance part of which expires in the plan year."""
    rng = random.Random(seed)
    entries = [SchoolEntry(first_urn + i, f"{_PLACES[i % len(_PLACES)]} {_KINDS[i % len(_KINDS)]}"
                           + (f" {i // len(_PLACES) + 1}" if i >= len(_PLACES) else ""),
                           rng.choice(COUNCIL_ESTABLISHMENT_TYPES), Decimal(rng.randrange(400_000, 3_000_000, 500)),
                           rng.randrange(15, 90)) for i in range(schools)]
    total = Decimal(60_000_000) + sum(s.pay_bill for s in entries)
    annual = levy.levy_due(total)
    starts = [StartEntry(reference, dt.date(2026, rng.randrange(5, 13), 1), 18, 7000 if reference == "ST0454" else
                         5000, urn=school.urn)
              for school in rng.sample(entries, schools // 3) for _, reference in [rng.choice(SCHOOL_ROLES[:2])]]
    starts += [StartEntry("ST0070", dt.date(2026, 6, 1), 18, 5000), StartEntry("ST0384", dt.date(2026, 9, 1), 18, 5000)]
    opening = (annual * Decimal("0.6")).quantize(Decimal("0.01"))
    return new_levy_plan(
        path, org_name=org_name, region="South East", tax_year="2026-27", total_pay_bill=total,
        english_percent=Decimal("0.985"), headcount=int(total // 28_000),
        previous_year_funds=levy.funds_entering(annual, Decimal("0.985"), on=dt.date(2026, 1, 1)),
        opening_balance=opening, expiring_funds={dt.date(2026, 7, 1): (opening / 8).quantize(Decimal("0.01"))},
        schools=entries, starts=starts,
        transfers=[TransferEntry("Northwick Care Homes Ltd", "ST0005", dt.date(2026, 9, 1), 15, 4500)])


def filled_request(plan: Path, urn: object, out: Path, rows: list[tuple], *, contact: str | None = None) -> Path:
    """The school's request made from the plan, with ``rows`` (role, hire, standard, start month, notes) typed in."""
    school_request_from_plan(plan, urn, out, contact=contact)
    values = {(REQUESTS.sheet, REQUESTS.cell(key, REQUESTS.first_row + index)): value
              for index, row in enumerate(rows) for key, value in zip(REQUESTS.keys("input"), row)}
    return Template.from_path(out).fill(out, values)


def random_rows(rng: random.Random, count: int) -> list[tuple]:
    """``count`` valid requests starting in the plan year."""
    rows = []
    for _ in range(count):
        role, reference = rng.choice(SCHOOL_ROLES)
        month = rng.choice([5, 6, 7, 9, 9, 10, 11, 1, 2, 3])
        rows.append((role, rng.choice(HIRE_TYPES), reference, dt.date(2026 if month >= 4 else 2027, month, 1),
                     rng.choice([None, "Mornings", "Reception class", "Replacing a leaver"])))
    return rows
