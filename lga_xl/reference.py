"""Reference lists shared by the workbooks, readers and checks (domain.md)."""

from __future__ import annotations

# The nine English regions (domain.md section 4), in the ONS order.
REGIONS = (
    "North East",
    "North West",
    "Yorkshire and the Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
)

ORG_TYPES = (
    "County council",
    "District council",
    "Unitary authority",
    "Metropolitan borough council",
    "London borough council",
    "Combined authority",
    "Fire and rescue authority",
    "Other public body",
)

ASSESSMENT_TYPES = ("Self", "External")

# Schools whose staff the council employs, so whose pay bill is in the
# council's levy (domain.md "Councils and schools").
COUNCIL_SCHOOL_TYPES = (
    "Community",
    "Voluntary controlled",
    "Community special",
    "Maintained nursery",
)
# Schools that employ their own staff: listed so officers can pick them and be
# told why they do not belong, rather than typing free text.
OTHER_SCHOOL_TYPES = (
    "Foundation",
    "Voluntary aided",
    "Academy",
    "Free school",
)
SCHOOL_TYPES = COUNCIL_SCHOOL_TYPES + OTHER_SCHOOL_TYPES
