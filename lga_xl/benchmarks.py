"""National and regional comparisons, as the Apprenticeship MOT makes them.

Pure logic over plain values: mean maturity scores per strand, the spread of
ratings, levy figures (median share of funds planned to be spent, schools
engaged) and public sector apprenticeship starts as a share of headcount, for
England and each of the nine regions (``docs/mot.md``).

Example:
    >>> rows = maturity_benchmarks([("London", [2.0, 3.0]), ("London", [3.0, 3.0]),
    ...                             ("North East", [1.0, 1.5])], strands=("A", "B"))
    >>> [(b.area, b.councils, b.strand_means) for b in rows[:2]]
    [('England', 3, (2.0, 2.5)), ('North East', 1, (1.0, 1.5))]
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .rating import LABELS, overall_score, score_label
from .reference import REGIONS

NATIONAL = "England"
NO_REGION = "Region not given"


def round2(value: float | None, places: int = 2) -> float | None:
    """Half away from zero to 2 places (or ``places``), as Excel's ROUND does (Python's round does not).

    Example:
        >>> round2(2.675), round2(0.123456, 4)
        (2.68, 0.1235)
    """
    if value is None:
        return None
    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def round4(share: float | None) -> float | None:
    """A share (fraction) to 4 places: a percentage to 2 places, e.g. 0.4567 is 45.67%."""
    return round2(share, 4)


@dataclass(frozen=True)
class MaturityBenchmark:
    area: str
    councils: int
    strand_means: tuple[float | None, ...]
    overall_mean: float | None
    distribution: tuple[tuple[int, ...], ...]  # per strand, a count per rating label


@dataclass(frozen=True)
class LevyBenchmark:
    area: str
    plans: int
    median_spend_share: float | None  # planned in-year spend as a share (fraction) of funds entering
    schools: int
    schools_engaged: int  # schools with at least one planned start
    engaged_share: float | None  # a fraction, as every share lga_xl writes (a 0.0% cell shows it)
    median_headroom_statutory: float | None


@dataclass(frozen=True)
class PublicSectorBenchmark:
    area: str
    councils: int  # with figures for a reporting year
    median_starts_share: float | None  # the middle council's starts as a fraction of its headcount
    headcount: int
    starts: int
    starts_share: float | None  # all the area's starts as a fraction of all its headcount


def _areas(regions: Iterable[str | None]) -> list[str]:
    present = set(regions)
    areas = [NATIONAL] + [r for r in REGIONS if r in present]
    if None in present or present - set(REGIONS) - {None}:
        areas.append(NO_REGION)
    return areas


def area_of(region: str | None) -> str:
    """The benchmark area a council's region falls in."""
    return region if region in REGIONS else NO_REGION


def maturity_benchmarks(
    assessments: Sequence[tuple[str | None, Sequence[float | None]]], strands: Sequence[str]
) -> list[MaturityBenchmark]:
    """Mean score per strand and the count of each rating, nationally and per region.

    ``assessments`` holds one (region, scores in strand order) per council:
    the caller picks which return stands for each council (its latest).  A
    strand not rated yet (score None) is not counted: a strand's mean and
    its distribution cover the councils rated on it, and the overall mean
    is that of the councils' overall scores (the mean of their rated strands).

    Example:
        >>> [b.strand_means for b in maturity_benchmarks([("London", [2.0, None]), ("London", [3.0, 1.0])],
        ...                                              strands=("A", "B"))][0]
        (2.5, 1.0)
    """
    results = []
    for area in _areas(region for region, _ in assessments):
        members = [scores for region, scores in assessments if area == NATIONAL or area_of(region) == area]
        rated = [[s[i] for s in members if s[i] is not None] for i in range(len(strands))]
        means = tuple(round2(statistics.fmean(scores)) if scores else None for scores in rated)
        overalls = [score for s in members if (score := overall_score(s)) is not None]
        overall = round2(statistics.fmean(overalls)) if overalls else None
        distribution = tuple(tuple(sum(1 for score in scores if score_label(score) == label) for label in LABELS)
                             for scores in rated)
        results.append(MaturityBenchmark(area, len(members), means, overall, distribution))
    return results


def levy_benchmarks(
    plans: Sequence[tuple[str | None, float | None, int, int, float | None]],
) -> list[LevyBenchmark]:
    """Levy comparisons from one (region, spend share as a fraction, schools,
    schools engaged, statutory headroom) per council."""
    results = []
    for area in _areas(region for region, *_ in plans):
        members = [p for p in plans if area == NATIONAL or area_of(p[0]) == area]
        shares = [p[1] for p in members if p[1] is not None]
        headrooms = [p[4] for p in members if p[4] is not None]
        schools = sum(p[2] for p in members)
        engaged = sum(p[3] for p in members)
        results.append(LevyBenchmark(
            area=area,
            plans=len(members),
            median_spend_share=round4(statistics.median(shares)) if shares else None,
            schools=schools,
            schools_engaged=engaged,
            engaged_share=round4(engaged / schools) if schools else None,
            median_headroom_statutory=round2(statistics.median(headrooms)) if headrooms else None,
        ))
    return results


def public_sector_benchmarks(figures: Sequence[tuple[str | None, int, int, float]]) -> list[PublicSectorBenchmark]:
    """Starts as a share of headcount, nationally and per region, from one (region, headcount at
    the start of the year, starts in the year, starts as a fraction of that headcount) per council.

    The caller picks each council's figures: its latest tracker's latest reporting year.

    Example:
        >>> rows = public_sector_benchmarks([("London", 1000, 20, 0.02), ("London", 3000, 30, 0.01),
        ...                                  ("North East", 500, 15, 0.03)])
        >>> [(b.area, b.councils, b.median_starts_share, b.starts_share) for b in rows]
        [('England', 3, 0.02, 0.0144), ('North East', 1, 0.03, 0.03), ('London', 2, 0.015, 0.0125)]
    """
    results = []
    for area in _areas(region for region, *_ in figures):
        members = [f for f in figures if area == NATIONAL or area_of(f[0]) == area]
        headcount, starts = sum(f[1] for f in members), sum(f[2] for f in members)
        results.append(PublicSectorBenchmark(
            area=area,
            councils=len(members),
            median_starts_share=round4(statistics.median(f[3] for f in members)) if members else None,
            headcount=headcount,
            starts=starts,
            starts_share=round4(starts / headcount) if headcount else None,
        ))
    return results
