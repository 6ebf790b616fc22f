"""Requests for apprentices typed the ways schools type them, for the request tests (with and without LibreOffice)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from lga_xl.standards import FundingBand, Standard, sample_export
from lga_xl.writers.school_request import RequestEntry, SchoolFacts, new_school_request

# Standards a sample list lacks: one that opens to starts in November 2026, one whose only band starts in 2027.
LATE_OPENING = Standard("ST8001", "Late opening standard", 3, Decimal("6000"), 12,
                        earliest_start_date=dt.date(2026, 11, 1))
BANDED_LATER = Standard("ST8002", "Banded later standard", 4, Decimal("8000"), 24,
                        funding_bands=(FundingBand(dt.date(2027, 1, 1), None, Decimal("8000")),))

# (role, hire, standard, start month, notes): what each row shows in its Check column, and the issue it raises.
EDGE_ROWS = [
    (RequestEntry("Teaching assistant", "New hire", "ST0454", dt.date(2026, 9, 1), "Year 2"), "", None),
    (RequestEntry("Early years lead", "existing staff", "st0551", dt.date(2026, 5, 1)), "", None),
    (RequestEntry("Caretaker", "New hire", "ST9999", dt.date(2026, 10, 1)), "Unknown standard", "unknown-standard"),
    (RequestEntry("Office", "Apprentice", "ST0070", dt.date(2026, 6, 1)), "Pick new hire or existing staff",
     "not-in-list"),
    (RequestEntry("Admin", "New hire", "ST0070", "Sept 2026"), "Type the month as a date", "typed-as-text"),  # type: ignore[arg-type]
    (RequestEntry("Admin 2", "New hire", "ST0070", dt.date(2027, 6, 15)), "Outside the plan year",
     "start-outside-plan"),
    (RequestEntry("Admin 3", "New hire", "ST0070", dt.date(2026, 1, 1)), "Outside the plan year",
     "start-outside-plan"),
    (RequestEntry(None, "New hire", "ST0070", dt.date(2026, 9, 1)), "Incomplete row", "incomplete-row"),
    (RequestEntry("Care", "New hire", "ST0005", dt.date(2026, 7, 15)), "", None),
    (RequestEntry("Late", "New hire", "ST8001", dt.date(2026, 9, 1)), "Outside the standard's start dates",
     "start-outside-standard-dates"),
    (RequestEntry("Banded", "Existing staff", "ST8002", dt.date(2026, 9, 1)), "No funding band on the start date",
     "no-funding-band"),
    (RequestEntry(None, None, None, None, "Only a note"), "Incomplete row", "incomplete-row"),
    (RequestEntry("Serial", "New hire", "ST0454", 46296), "", None),  # type: ignore[arg-type]  # 1 October 2026
    (RequestEntry("  Spaced  ", "New hire", "  Teaching   assistant (level 3, ST0454) ", dt.date(2026, 12, 31)), "",
     None),
]


def edge_request(path: Path, *, funds_left: Decimal = Decimal("2000.00")) -> Path:
    """A request with every row of EDGE_ROWS, for a school with little of its share left."""
    return new_school_request(
        path, council="Exampleshire County Council", region="London", tax_year="2026-27",
        school=SchoolFacts("100001", "Ash Primary", "Community school", Decimal("9000.00"), Decimal("9500.00"),
                           Decimal("9500.00") - funds_left, funds_left),
        contact="Sam Patel, apprenticeships@exampleshire.gov.uk", standards=[*sample_export(), LATE_OPENING,
                                                                               BANDED_LATER],
        requests=[entry for entry, _, _ in EDGE_ROWS], completed_by="Jo Evans", completed_on=dt.date(2026, 4, 20))
