"""The MOT's comparisons: the council against its peers, the LGA's view and its own past.

Pure functions over :class:`~lga_xl.mot.model.MotReport`; the report writers
and the summary findings all take their figures from here.

Example:
    >>> import datetime as dt
    >>> from lga_xl.mot.model import Assessment, Council, StrandRating
    >>> now = Assessment("Self", dt.date(2026, 3, 1), None, (StrandRating("Engagement", "Maturing"),))
    >>> before = Assessment("Self", dt.date(2025, 3, 1), None, (StrandRating("Engagement", "Developing +"),))
    >>> [(p.strand, p.previous, p.current, p.change) for p in progress(MotReport(Council("X"), now, previous=before))]
    [('Engagement', 'Developing +', 'Maturing', 'up')]
"""

from __future__ import annotations

from dataclasses import dataclass

from ..maturity import Element, load_edition
from ..rating import Status
from .model import Benchmark, MotReport, PeerFigures, StrandRating
from .peers import LEVY_MEASURES, STARTS_MEASURES, Measure, PeerCouncil, maturity_measures, score_key

# Public API.


@dataclass(frozen=True)
class StrandComparison:
    strand: str
    council: StrandRating
    external: StrandRating | None
    regional: Benchmark | None  # None: no peer figures were supplied at all
    national: Benchmark | None

    @property
    def peer(self) -> Benchmark | None:
        """The mean the council is set against: its region's, else England's when the region's is not shown."""
        return next((b for b in (self.regional, self.national) if b is not None and b.shown), None)

    @property
    def below_region(self) -> float:
        """How far the council's score is below :attr:`peer`; 0 when it is not below or there is no figure."""
        return 0.0 if self.peer is None else max(0.0, self.peer.value - self.council.score)


@dataclass(frozen=True)
class StrandProgress:
    strand: str
    previous: str
    current: str
    change: str  # "up", "down" or "same"


@dataclass(frozen=True)
class Disagreement:
    element: Element
    council: str | None  # status, None when unanswered
    lga: str | None


@dataclass(frozen=True)
class Comparison:
    measure: Measure
    council: float | None
    peers: PeerFigures | None  # None: no peer figures were supplied at all


def maturity(report: MotReport) -> list[StrandComparison]:
    """Each strand of the council's self-assessment beside the LGA's rating and the peer means."""
    rows = []
    for rating in report.self_assessment.strands:
        external = report.external.strand(rating.strand) if report.external else None
        peers = report.benchmarks.get(score_key(rating.strand)) if report.benchmarks else None
        rows.append(StrandComparison(rating.strand, rating, external,
                                     peers.regional if peers else None, peers.national if peers else None))
    return rows


def overall(report: MotReport) -> Comparison:
    """The council's overall score (mean of its strands) beside the peer means."""
    measure = maturity_measures(report.self_assessment.edition)[0]
    peers = report.benchmarks.get(measure.key) if report.benchmarks else None
    return Comparison(measure, report.self_assessment.overall_score, peers)


def progress(report: MotReport) -> list[StrandProgress]:
    """Change per strand since the previous self-assessment; [] when there is none."""
    if report.previous is None:
        return []
    rows = []
    for rating in report.self_assessment.strands:
        before = report.previous.strand(rating.strand)
        if before is None:
            continue
        change = "up" if rating.score > before.score else "down" if rating.score < before.score else "same"
        rows.append(StrandProgress(rating.strand, before.rating, rating.rating, change))
    return rows


def disagreements(report: MotReport) -> dict[str, list[Disagreement]]:
    """Scored elements that the council and the LGA count differently, by strand.

    Statuses differ in a way that matters when one side counts an element as
    achieved, open (In progress, Not started or unanswered) or not applicable
    and the other side does not: those are the differences that move a rating.
    Empty when there is no external assessment or either side has no element statuses.
    """
    if disagreements_missing(report):
        return {}
    own, lga = report.self_assessment, report.external
    found: dict[str, list[Disagreement]] = {}
    for element in load_edition(own.edition).scored_elements:
        council, external = own.statuses.get(element.id), lga.statuses.get(element.id)
        if _counts_as(council) != _counts_as(external):
            found.setdefault(element.strand, []).append(Disagreement(element, council, external))
    return found


def levy(report: MotReport) -> list[Comparison]:
    return _comparisons(report, LEVY_MEASURES)


def starts(report: MotReport) -> list[Comparison]:
    return _comparisons(report, STARTS_MEASURES)


def disagreements_missing(report: MotReport) -> str | None:
    """Why elements cannot be compared between the two assessments; None when they can."""
    own, lga = report.self_assessment, report.external
    if lga is None:
        return "There is no external assessment by the LGA to compare with."
    if not own.statuses or not lga.statuses:
        whose = "either assessment" if not own.statuses and not lga.statuses else (
            "the council's self-assessment" if not own.statuses else "the LGA's assessment")
        return f"The element statuses of {whose} are not available, so only the ratings can be compared."
    if own.edition != lga.edition:
        return (f"The two assessments use different editions of the model ({own.edition} and {lga.edition}), "
                "so their elements cannot be compared one by one.")
    return None


# Private API.


def _counts_as(status: str | None) -> str:
    if status == Status.ACHIEVED.value:
        return "achieved"
    if status == Status.NOT_APPLICABLE.value:
        return "not applicable"
    return "open"


def _comparisons(report: MotReport, measures: tuple[Measure, ...]) -> list[Comparison]:
    council = PeerCouncil.of_report(report)
    return [Comparison(m, m.value(council), report.benchmarks.get(m.key) if report.benchmarks else None)
            for m in measures]

