"""National and regional figures for the MOT, counted fairly.

Each council counts once: the caller passes one :class:`PeerCouncil` per
council, built from its latest return of each kind (latest self-assessment,
latest levy plan), and a council passed twice is an error.  Every measure is
worked out for each council by the same function that works it out for the
council under review, so the two are always like for like.  A figure resting
on fewer than three councils is not shown (:func:`lga_xl.mot.model.peer_benchmark`).

Pure: standard library and lga_xl's pure modules only.

Example:
    >>> from decimal import Decimal as D
    >>> def plan(spend):
    ...     return LevyFigures("2026-27", D(100), D(spend), D(0), D(0), D(0), 0, 0)
    >>> peers = [PeerCouncil(f"c{i}", "London", levy=plan(s)) for i, s in enumerate((50, 70, 90))]
    >>> peers.append(PeerCouncil("d", "North East", levy=plan(10)))
    >>> figures = build_benchmarks("London", peers).get("spend_share")
    >>> figures.regional.value, figures.regional.councils, figures.national.value, figures.national.councils
    (0.7, 3, 0.6, 4)
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from ..benchmarks import round2
from ..maturity import load_edition
from ..reference import REGIONS
from .model import (
    NATIONAL,
    Benchmark,
    Benchmarks,
    LevyFigures,
    MotReport,
    PeerFigures,
    StartsFigures,
    peer_benchmark,
)

# Public API.


@dataclass(frozen=True)
class PeerCouncil:
    """One council's latest figures, as they count towards the peer figures.

    ``scores`` maps each strand to the score of the council's latest
    self-assessment (1 to 4); empty when it has none.
    """

    key: str  # identifies the council (the store's org_key)
    region: str | None
    scores: Mapping[str, float] = field(default_factory=dict)
    levy: LevyFigures | None = None
    starts: StartsFigures | None = None

    @classmethod
    def of_report(cls, report: MotReport) -> PeerCouncil:
        """The council under review, seen as a peer: its own figures, worked out the same way."""
        return cls(
            key=report.council.name,
            region=report.council.region,
            scores={s.strand: s.score for s in report.self_assessment.strands},
            levy=report.levy,
            starts=report.starts,
        )


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    unit: str  # "score", "money", "percent" or "count": how the figure is written
    statistic: str  # "mean" or "median" across councils
    value: Callable[[PeerCouncil], float | None]


def score_key(strand: str) -> str:
    return f"score:{strand}"


def maturity_measures(edition: str = "lga-2017") -> tuple[Measure, ...]:
    """The overall score and one score per strand: means, as the consolidated workbook's Benchmarks."""
    strands = load_edition(edition).strand_names

    def overall(council: PeerCouncil) -> float | None:
        # Only a complete assessment has an overall score, as in the consolidated workbook.
        if not strands or any(s not in council.scores for s in strands):
            return None
        return statistics.fmean(council.scores[s] for s in strands)

    return (Measure("overall_score", "Overall score (mean of the strands)", "score", "mean", overall),
            *(Measure(score_key(s), s, "score", "mean", _strand_score(s)) for s in strands))


LEVY_MEASURES = (
    Measure("funds_in", "Funds entering the levy account in the year", "money", "median",
            lambda c: _levy(c, lambda p: float(p.funds_in))),
    Measure("spend_share", "Planned spend as a share of funds entering", "percent", "median",
            lambda c: _levy(c, lambda p: p.spend_share)),
    Measure("transfer_used_share", "Transfer allowance used (committed and planned)", "percent", "median",
            lambda c: _levy(c, lambda p: p.transfer_used_share)),
    Measure("expiring_funds", "Funds forecast to expire (36-month forecast)", "money", "median",
            lambda c: _levy(c, lambda p: float(p.expiring_funds))),
    Measure("expiring_share", "Funds forecast to expire, as a share of a year's funds", "percent", "median",
            lambda c: _levy(c, lambda p: p.expiring_share)),
    Measure("schools", "Maintained schools in the council's levy", "count", "median",
            lambda c: _levy(c, lambda p: float(p.schools))),
    Measure("schools_engaged_share", "Maintained schools with planned starts", "percent", "median",
            lambda c: _levy(c, lambda p: p.schools_engaged_share)),
)

STARTS_MEASURES = (
    Measure("starts", "Apprenticeship starts", "count", "median",
            lambda c: None if c.starts is None else float(c.starts.starts)),
    Measure("headcount", "Headcount", "count", "median",
            lambda c: None if c.starts is None or c.starts.headcount is None else float(c.starts.headcount)),
    Measure("starts_share", "Starts as a share of headcount", "percent", "median",
            lambda c: None if c.starts is None else c.starts.share),
)


def all_measures(edition: str = "lga-2017") -> tuple[Measure, ...]:
    return (*maturity_measures(edition), *LEVY_MEASURES, *STARTS_MEASURES)


def build_benchmarks(region: str | None, peers: Sequence[PeerCouncil], edition: str = "lga-2017") -> Benchmarks:
    """Every measure's figure for ``region`` and for England, from one entry per council.

    Include the council under review among ``peers``, as the consolidated
    workbook's Benchmarks do, so the figures match that sheet.

    Raises:
        ValueError: a council is given twice.
    """
    seen: set[str] = set()
    for peer in peers:
        if peer.key in seen:
            raise ValueError(f"council {peer.key!r} is given twice; pass its latest return of each kind once")
        seen.add(peer.key)
    known_region = region in REGIONS
    in_region = [p for p in peers if known_region and p.region == region]
    measures = {}
    for measure in all_measures(edition):
        national = _rounded(peer_benchmark(NATIONAL, [measure.value(p) for p in peers], measure.statistic), measure)
        if known_region:
            regional = _rounded(peer_benchmark(region, [measure.value(p) for p in in_region], measure.statistic),
                                measure)
        else:
            regional = Benchmark(region or "Region", 0, measure.statistic, None,
                                 "the council's region is not recorded" if region is None
                                 else f"{region!r} is not one of the nine English regions")
        measures[measure.key] = PeerFigures(regional, national)
    return Benchmarks(region, measures)


# Private API.


def _strand_score(strand: str) -> Callable[[PeerCouncil], float | None]:
    return lambda council: council.scores.get(strand)


def _levy(council: PeerCouncil, figure: Callable[[LevyFigures], float | None]) -> float | None:
    return None if council.levy is None else figure(council.levy)


def _rounded(benchmark: Benchmark, measure: Measure) -> Benchmark:
    # Mean scores to 2 places, half away from zero, exactly as the consolidated workbook shows them.
    if measure.unit != "score" or benchmark.value is None:
        return benchmark
    return Benchmark(benchmark.area, benchmark.councils, benchmark.statistic, round2(benchmark.value))
