"""What one council's Apprenticeship MOT is made from: plain dataclasses, no store access.

The MOT (see ``docs/mot.md``) compares a council with national and regional
figures and sets the LGA's external assessment beside the council's own.
Everything the report needs is held here; whoever gathers it (the returns
store, a test, a notebook) fills these in, and the rest of :mod:`lga_xl.mot`
only reads them.  Only the council's latest self-assessment is required:
every other input is optional and the report says what is missing.

Pure: standard library and lga_xl's pure rules only.

Example:
    >>> sa = Assessment("Self", dt.date(2026, 3, 2), "Head of HR",
    ...                 (StrandRating("Engagement", "Developing +", target="Maturing"),))
    >>> sa.strand("Engagement").gap, sa.overall_score
    (0.5, 2.5)
    >>> peer_benchmark("North East", [0.2, 0.4], "median").reason
    'only 2 councils in the North East have this figure; at least 3 are needed'
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ..rating import LEVELS, STATUSES, label_score
from ..reference import ASSESSMENT_TYPES
from .wording import in_area

# A regional or national figure is shown only when this many councils or more give it:
# fewer would be unreliable, and two councils could each work out the other's figure.
MIN_COUNCILS = 3
NATIONAL = "England"
STATISTICS = ("mean", "median")


# Public API.


@dataclass(frozen=True)
class Council:
    name: str
    region: str | None = None
    org_type: str | None = None


@dataclass(frozen=True)
class StrandRating:
    """One strand's rating label (``Developing +``) and, for a self-assessment, its target."""

    strand: str
    rating: str
    target: str | None = None

    def __post_init__(self) -> None:
        label_score(self.rating)  # raises on anything that is not one of the seven labels
        if self.target is not None:
            label_score(self.target)

    @property
    def score(self) -> float:
        return label_score(self.rating)

    @property
    def target_score(self) -> float | None:
        return None if self.target is None else label_score(self.target)

    @property
    def gap(self) -> float | None:
        """Target score minus current score; below 0 when the target is already passed."""
        return None if self.target is None else self.target_score - self.score

    @property
    def next_level(self) -> str | None:
        """The level above the rating's base (``Maturing`` for ``Developing +``); None at Mature."""
        base = int(self.score) - 1
        return LEVELS[base + 1] if base + 1 < len(LEVELS) else None


@dataclass(frozen=True)
class Assessment:
    """One Maturity Model assessment of the council: its own (Self) or the LGA's (External).

    ``statuses`` maps element IDs (``LC-D1``) to a status (one of
    :data:`lga_xl.rating.STATUSES`) or None when unanswered; empty when only
    the ratings are known.
    """

    assessment_type: str
    date: dt.date | None
    assessor: str | None
    strands: tuple[StrandRating, ...]
    statuses: Mapping[str, str | None] = field(default_factory=dict)
    edition: str = "lga-2017"

    def __post_init__(self) -> None:
        if self.assessment_type not in ASSESSMENT_TYPES:
            raise ValueError(f"assessment type {self.assessment_type!r} is not one of {', '.join(ASSESSMENT_TYPES)}")
        if not self.strands:
            raise ValueError("an assessment needs at least one strand rating")
        bad = sorted({s for s in self.statuses.values() if s is not None and s not in STATUSES})
        if bad:
            raise ValueError(f"{bad[0]!r} is not a status; use one of {', '.join(STATUSES)}")

    def strand(self, name: str) -> StrandRating | None:
        return next((s for s in self.strands if s.strand == name), None)

    @property
    def overall_score(self) -> float:
        """The mean score over the strands, as the self-assessment workbook shows it."""
        return statistics.fmean(s.score for s in self.strands)


@dataclass(frozen=True)
class LevyFigures:
    """The council's latest schools levy plan, as recomputed when it was read.

    Money is in pounds as the levy rules computed it (already rounded to the penny).
    """

    tax_year: str
    funds_in: Decimal  # funds entering the account in the tax year (levy x English % + top-up)
    planned_spend: Decimal  # planned in-year spend on training, the council's and its schools'
    transfer_allowance: Decimal  # at the statutory rate, from the previous tax year's funds
    transfers_used: Decimal  # transfers committed plus planned this year
    expiring_funds: Decimal  # forecast to expire over the plan's 36-month forecast
    schools: int  # maintained schools in the council's levy
    schools_engaged: int  # of those, schools with at least one planned start
    returned_on: dt.date | None = None

    @property
    def spend_share(self) -> float | None:
        return _share(self.planned_spend, self.funds_in)

    @property
    def unspent_share(self) -> float | None:
        share = self.spend_share
        return None if share is None else max(0.0, 1 - share)

    @property
    def transfer_used_share(self) -> float | None:
        return _share(self.transfers_used, self.transfer_allowance)

    @property
    def expiring_share(self) -> float | None:
        """Funds forecast to expire as a share of one year's funds entering."""
        return _share(self.expiring_funds, self.funds_in)

    @property
    def schools_engaged_share(self) -> float | None:
        return _share(self.schools_engaged, self.schools)


@dataclass(frozen=True)
class StartsFigures:
    """Apprenticeship starts in a period and the headcount they are set against."""

    period: str  # e.g. "2025-26"
    starts: int
    headcount: int | None
    source: str = "planned starts in the levy plan"

    @property
    def share(self) -> float | None:
        return _share(self.starts, self.headcount)


@dataclass(frozen=True)
class Benchmark:
    """A national or regional figure and how many councils it rests on.

    ``value`` is None, with ``reason`` saying why, when fewer than
    :data:`MIN_COUNCILS` councils give the figure.  Build one with
    :func:`peer_benchmark`, which applies that rule.
    """

    area: str
    councils: int
    statistic: str  # "mean" or "median"
    value: float | None
    reason: str | None = None

    def __post_init__(self) -> None:
        if self.statistic not in STATISTICS:
            raise ValueError(f"statistic {self.statistic!r} is not one of {', '.join(STATISTICS)}")
        if self.value is not None and self.councils < MIN_COUNCILS:
            raise ValueError(f"a figure for {self.area} from {self.councils} councils cannot be shown; "
                             f"at least {MIN_COUNCILS} are needed")
        if (self.value is None) == (self.reason is None):
            raise ValueError("a benchmark has either a value or a reason why it has none")

    @property
    def shown(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class PeerFigures:
    """One measure's regional and national figures."""

    regional: Benchmark
    national: Benchmark


@dataclass(frozen=True)
class Benchmarks:
    """Every measure's peer figures, keyed as in :mod:`lga_xl.mot.peers` (``spend_share``,
    ``score:Engagement``); a measure absent from ``measures`` has no peer figures at all."""

    region: str | None
    measures: Mapping[str, PeerFigures] = field(default_factory=dict)

    def get(self, measure: str) -> PeerFigures | None:
        return self.measures.get(measure)


@dataclass(frozen=True)
class Question:
    """A survey question: an agreement statement or a free-text question."""

    id: str
    text: str
    kind: str  # "agreement" or "text"
    short: str  # a few words for charts and findings: "would recommend"
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class AgreementResult:
    question: Question
    counts: Mapping[str, int]  # per answer on the agreement scale
    answered: int  # answers on the five-point scale (blank and "Don't know" are not answers)
    agreeing: int  # Strongly agree + Agree

    @property
    def share(self) -> float | None:
        return _share(self.agreeing, self.answered)


@dataclass(frozen=True)
class SurveyResults:
    """An apprentice survey, read from a Microsoft Forms export (see :mod:`lga_xl.mot.survey`)."""

    source: str  # the file's name
    responses: int
    first_response: dt.date | None
    last_response: dt.date | None
    agreement: tuple[AgreementResult, ...]
    comments: tuple[tuple[Question, tuple[str, ...]], ...]  # free-text answers per question, blanks left out
    not_asked: tuple[Question, ...] = ()  # questions of the set with no column in the export
    unmatched_columns: tuple[str, ...] = ()  # export columns that are no question of the set


@dataclass(frozen=True)
class MotReport:
    """Everything one council's MOT report shows.

    Only ``council`` and ``self_assessment`` (its latest) are required.
    ``benchmarks`` comes from :func:`lga_xl.mot.peers.build_benchmarks`.
    """

    council: Council
    self_assessment: Assessment
    external: Assessment | None = None
    previous: Assessment | None = None  # the council's self-assessment before the latest
    levy: LevyFigures | None = None
    starts: StartsFigures | None = None
    benchmarks: Benchmarks | None = None
    survey: SurveyResults | None = None
    prepared_by: str | None = None
    prepared_on: dt.date | None = None  # None: the day the report is written

    def __post_init__(self) -> None:
        if self.self_assessment.assessment_type != "Self":
            raise ValueError("self_assessment must be a Self assessment")
        if self.previous is not None and self.previous.assessment_type != "Self":
            raise ValueError("previous must be a Self assessment")
        if self.external is not None and self.external.assessment_type != "External":
            raise ValueError("external must be an External assessment")


def peer_benchmark(area: str, values: Sequence[float | None], statistic: str) -> Benchmark:
    """The mean or median of one value per council (None: the council has no such figure),
    or no value and the reason when fewer than :data:`MIN_COUNCILS` councils give one.

    Example:
        >>> peer_benchmark("England", [0.5, None, 0.7, 0.9], "median")
        Benchmark(area='England', councils=3, statistic='median', value=0.7, reason=None)
    """
    given = [v for v in values if v is not None]
    if len(given) >= MIN_COUNCILS:
        compute = statistics.fmean if statistic == "mean" else statistics.median
        return Benchmark(area, len(given), statistic, float(compute(given)))
    if not given:
        reason = f"no council {in_area(area)} has this figure"
    else:
        reason = (f"only {len(given)} council{'s' if len(given) > 1 else ''} {in_area(area)} "
                  f"{'have' if len(given) > 1 else 'has'} this figure; at least {MIN_COUNCILS} are needed")
    return Benchmark(area, len(given), statistic, None, reason)


# Private API.


def _share(part: Decimal | int, whole: Decimal | int | None) -> float | None:
    if whole is None or whole <= 0:
        return None
    return float(Decimal(part) / Decimal(whole))
