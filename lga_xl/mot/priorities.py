"""Improvement priorities: what each strand needs next, in the Maturity Model's own words.

For each strand below Mature, the priorities are the elements of the next
level up (the level above the rating's base: Maturing for ``Developing +``)
that the council's own self-assessment does not mark Achieved or Not
applicable, in progress ones first (they are nearest to done), then in the
model's order, at most five.  Strands are ordered by the gap to their target
(widest first), then by how far the council's score is below its region's
mean (England's when the region's is not shown), then in the model's order.

Pure: standard library and lga_xl's pure modules only.

Example:
    >>> import datetime as dt
    >>> from lga_xl.mot.model import Assessment, Council, StrandRating
    >>> statuses = {"PP-D1": "Achieved", "PP-D2": "In progress", "PP-D3": "Not started"}
    >>> sa = Assessment("Self", dt.date(2026, 3, 1), None,
    ...                 (StrandRating("Procurement and Provider Management", "Early +", "Developing"),), statuses)
    >>> [(e.element.id, e.status) for e in improvement_priorities(MotReport(Council("X"), sa))[0].elements]
    [('PP-D2', 'In progress'), ('PP-D3', 'Not started')]
"""

from __future__ import annotations

from dataclasses import dataclass

from ..maturity import Element, load_edition
from ..rating import Status
from .compare import maturity
from .model import MotReport, StrandRating

MAX_PER_STRAND = 5

# Public API.


@dataclass(frozen=True)
class PriorityElement:
    element: Element
    status: str | None  # In progress, Not started, or None when unanswered


@dataclass(frozen=True)
class StrandPriority:
    strand: str
    rating: StrandRating
    below_region: float  # score points below the region's mean (England's when the region's is not shown)
    compared_with: str | None  # the area of that mean: the region, "England", or None without peer figures
    next_level: str | None  # None at Mature
    elements: tuple[PriorityElement, ...]  # at most MAX_PER_STRAND
    more: int  # open elements of the next level beyond those listed
    note: str | None = None  # why nothing is listed, when nothing is

    @property
    def gap(self) -> float | None:
        return self.rating.gap


def improvement_priorities(report: MotReport, limit: int = MAX_PER_STRAND) -> list[StrandPriority]:
    """Every strand of the self-assessment, most pressing first, with its next steps."""
    own = report.self_assessment
    elements = load_edition(own.edition).scored_elements
    priorities = []
    for position, row in enumerate(maturity(report)):
        level = row.council.next_level
        if level is None:
            found, note = [], "Rated Mature: there is no higher level in the model."
        elif not own.statuses:
            found, note = [], "The element statuses of the self-assessment are not available."
        else:
            found = [PriorityElement(e, own.statuses.get(e.id)) for e in elements
                     if e.strand == row.strand and e.level == level
                     and own.statuses.get(e.id) not in (Status.ACHIEVED.value, Status.NOT_APPLICABLE.value)]
            # In progress first; sorted() is stable, so each group keeps the model's order.
            found.sort(key=lambda p: p.status != Status.IN_PROGRESS.value)
            note = None if found else f"Every {level} element is marked Achieved or Not applicable."
        priorities.append((
            (-(row.council.gap or 0.0), -row.below_region, position),
            StrandPriority(row.strand, row.council, row.below_region, row.peer.area if row.peer else None, level,
                           tuple(found[:limit]), max(0, len(found) - limit), note),
        ))
    return [priority for _, priority in sorted(priorities, key=lambda pair: pair[0])]
