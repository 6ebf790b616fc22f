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

from .rating import LABELS, score_label
from .reference import REGIONS

NATIONAL = "England"
NO_REGION = "Region not given"


def round2(value: float | None) -> float | None:
    """Half away from zero to 2 places, as Excel's ROUND does (Python's round does not)."""
    if value is None:
        return None
    return float(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


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
    median_spend_percent: float | None  # planned in-year spend as a % of funds entering
    schools: int
    schools_engaged: int  # schools with at least one planned start
    engaged_percent: float | None
    median_headroom_statutory: float | None


@dataclass(frozen=True)
class PublicSectorBenchmark:
    area: str
    councils: int  # with figures for a reporting year
    median_starts_percent: float | None  # the middle council's starts as a % of its headcount
    headcount: int
    starts: int
    starts_percent: float | None  # all the area's starts as a % of all its headcount


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
    assessments: Sequence[tuple[str | None, Sequence[float]]], strands: Sequence[str]
) -> list[MaturityBenchmark]:
    """Mean score per strand and the count of each rating, nationally and per region.

    ``assessments`` holds one (region, scores in strand order) per council:
    the caller picks which return stands for each council (its latest).
    """
    results = []
    for area in _areas(region for region, _ in assessments):
        members = [scores for region, scores in assessments if area == NATIONAL or area_of(region) == area]
        means = tuple(round2(statistics.fmean(s[i] for s in members)) if members else None
                      for i in range(len(strands)))
        overall = round2(statistics.fmean(sum(s) / len(s) for s in members)) if members else None
        distribution = tuple(
            tuple(sum(1 for s in members if score_label(s[i]) == label) for label in LABELS)
            for i in range(len(strands))
        )
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
            median_spend_percent=round2(100 * statistics.median(shares)) if shares else None,
            schools=schools,
            schools_engaged=engaged,
            engaged_percent=round2(100 * engaged / schools) if schools else None,
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
        >>> [(b.area, b.councils, b.median_starts_percent, b.starts_percent) for b in rows]
        [('England', 3, 2.0, 1.44), ('North East', 1, 3.0, 3.0), ('London', 2, 1.5, 1.25)]
    """
    results = []
    for area in _areas(region for region, *_ in figures):
        members = [f for f in figures if area == NATIONAL or area_of(f[0]) == area]
        headcount, starts = sum(f[1] for f in members), sum(f[2] for f in members)
        results.append(PublicSectorBenchmark(
            area=area,
            councils=len(members),
            median_starts_percent=round2(100 * statistics.median(f[3] for f in members)) if members else None,
            headcount=headcount,
            starts=starts,
            starts_percent=round2(100 * starts / headcount) if headcount else None,
        ))
    return results
