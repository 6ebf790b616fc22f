"""The Maturity Model rating rule, exactly as ``docs/rating.md`` states it.

Pure logic: no Excel, pandas or file imports.  The workbook's Summary
formulas, the readers and the xlwings functions all check against this.

For one strand and each scored level L: ``applicable`` = elements not marked
Not applicable, ``achieved`` = elements marked Achieved; L is complete when
applicable >= 1 and achieved == applicable.  The base rating is the highest
complete level (Early when none is).  A ``+`` is added below Mature when the
next level up has half or more of its elements achieved (rule "half"), or
when two or more levels above the base each have an achievement ("spread").
A strand none of whose scored elements has a status yet is ``Not rated``,
with no score: a blank form says nothing about a council.

Example:
    >>> rate([LevelCount(5, 5), LevelCount(7, 4), LevelCount(9, 0)]).label
    'Developing +'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

from .text import squash

LEVELS = ("Early", "Developing", "Maturing", "Mature")
SCORED_LEVELS = LEVELS[1:]
LABELS = ("Early", "Early +", "Developing", "Developing +", "Maturing", "Maturing +", "Mature")
NOT_RATED = "Not rated"  # what a strand shows until one of its scored elements has a status; no score


class Status(str, Enum):
    """The four statuses an element can have; blank means not answered."""

    ACHIEVED = "Achieved"
    IN_PROGRESS = "In progress"
    NOT_STARTED = "Not started"
    NOT_APPLICABLE = "Not applicable"


STATUSES = tuple(status.value for status in Status)

# Loose spellings people type by hand, keyed by a squashed form (lower case,
# no spaces, hyphens or underscores).  Anything else is reported, not guessed.
_LOOSE_STATUS = {squash(s): Status(s) for s in STATUSES}
_LOOSE_STATUS.update({"n/a": Status.NOT_APPLICABLE, "na": Status.NOT_APPLICABLE})


class StatusError(ValueError):
    """A value that is not one of the four statuses."""

    def __init__(self, value: object):
        self.value = value
        super().__init__(
            f"{value!r} is not a status; use Achieved, In progress, Not started or Not applicable"
        )


@dataclass(frozen=True)
class ParsedStatus:
    """A cell's status and whether it had to be normalised to read it."""

    status: Status | None
    normalised: bool = False


def parse_status(value: object) -> ParsedStatus:
    """Read a status cell: exact statuses as they are, loose spellings normalised.

    Blank (None, empty or only spaces) is ``ParsedStatus(None)``.  Raises
    :class:`StatusError` for anything that is not a status.

    Example:
        >>> parse_status(" achieved ")
        ParsedStatus(status=<Status.ACHIEVED: 'Achieved'>, normalised=True)
        >>> parse_status("Achieved").normalised
        False
    """
    if value is None:
        return _BLANK_STATUS
    if not isinstance(value, str):
        raise StatusError(value)
    exact = _EXACT_STATUS.get(value)
    if exact is not None:
        return exact
    if not value.strip():
        return _BLANK_STATUS
    loose = _LOOSE_STATUS.get(squash(value))
    if loose is None:
        raise StatusError(value)
    return ParsedStatus(loose, normalised=True)


# The results for blank and for the four statuses as the dropdown writes them, made once: a status cell is read
# for every element of every return.
_BLANK_STATUS = ParsedStatus(None)
_EXACT_STATUS = {value: ParsedStatus(Status(value)) for value in STATUSES}


@dataclass(frozen=True)
class LevelCount:
    """Counts for one scored level of one strand.

    ``answered``: elements with any of the four statuses (None: not counted,
    and then the level is taken as answered).
    """

    applicable: int  # elements not marked Not applicable (blank counts)
    achieved: int
    answered: int | None = None

    @property
    def complete(self) -> bool:
        return self.applicable >= 1 and self.achieved == self.applicable


@dataclass(frozen=True)
class Rating:
    """A strand's rating: ``label`` such as 'Developing +', ``score`` 1 to 4.

    A strand with no answer yet has the label :data:`NOT_RATED`, and ``score``
    and ``base_level`` None.
    """

    label: str
    score: float | None
    base_level: str | None
    plus_rule: str | None  # "half", "spread" or None

    @property
    def plus(self) -> bool:
        return self.plus_rule is not None

    @property
    def rated(self) -> bool:
        return self.score is not None


UNRATED = Rating(label=NOT_RATED, score=None, base_level=None, plus_rule=None)


def rate(counts: Sequence[LevelCount]) -> Rating:
    """Rate one strand from its Developing, Maturing and Mature counts.

    Counts that say no element was answered (``answered`` 0 on every level)
    give :data:`UNRATED`.

    Example:
        >>> rate([LevelCount(5, 5), LevelCount(7, 1), LevelCount(9, 1)])
        Rating(label='Developing +', score=2.5, base_level='Developing', plus_rule='spread')
        >>> rate([LevelCount(5, 0, answered=0), LevelCount(7, 0, answered=0), LevelCount(9, 0, answered=0)]).label
        'Not rated'
    """
    if len(counts) != len(SCORED_LEVELS):
        raise ValueError(f"expected counts for {len(SCORED_LEVELS)} scored levels, got {len(counts)}")
    if all(c.answered == 0 for c in counts):
        return UNRATED
    # base: 0 = Early, 1 = Developing, 2 = Maturing, 3 = Mature
    base = max((i + 1 for i, c in enumerate(counts) if c.complete), default=0)
    rule = None
    if base < len(SCORED_LEVELS):
        above = counts[base:]
        following = above[0]
        if following.applicable >= 1 and 2 * following.achieved >= following.applicable:
            rule = "half"
        elif sum(1 for c in above if c.achieved >= 1) >= 2:
            rule = "spread"
    score = base + 1 + (0.5 if rule else 0.0)
    return Rating(label=score_label(score), score=score, base_level=LEVELS[base], plus_rule=rule)


def count_levels(pairs: Iterable[tuple[str, Status | None]]) -> list[LevelCount]:
    """Count ``(level, status)`` pairs of one strand into :func:`rate`'s input.

    Early pairs are ignored (Early elements are descriptive, not scored).

    Example:
        >>> developing, maturing, mature = count_levels([("Developing", Status.ACHIEVED), ("Developing", None),
        ...                                              ("Maturing", Status.NOT_APPLICABLE)])
        >>> developing, maturing
        (LevelCount(applicable=2, achieved=1, answered=1), LevelCount(applicable=0, achieved=0, answered=1))
    """
    applicable = dict.fromkeys(SCORED_LEVELS, 0)
    achieved = dict.fromkeys(SCORED_LEVELS, 0)
    answered = dict.fromkeys(SCORED_LEVELS, 0)
    for level, status in pairs:
        if level not in applicable:
            if level == LEVELS[0]:
                continue
            raise ValueError(f"{level!r} is not a level; use one of {', '.join(LEVELS)}")
        if status is not Status.NOT_APPLICABLE:
            applicable[level] += 1
        if status is Status.ACHIEVED:
            achieved[level] += 1
        if status is not None:
            answered[level] += 1
    return [LevelCount(applicable[lv], achieved[lv], answered[lv]) for lv in SCORED_LEVELS]


def rate_statuses(levels: Iterable[str], statuses: Iterable[object]) -> Rating:
    """Rate one strand from parallel sequences of levels and status cells.

    Statuses are read with :func:`parse_status`, so a bad one raises
    :class:`StatusError`.

    Example:
        >>> rate_statuses(["Developing"] * 3, ["Achieved", "achieved", None]).label
        'Early +'
        >>> rate_statuses(["Developing"] * 3, [None, " ", ""]).label
        'Not rated'
    """
    return rate(count_levels((lv, parse_status(st).status) for lv, st in zip(levels, statuses, strict=True)))


def label_score(label: str) -> float:
    """The score (1 to 4 in halves) of a rating label.

    Example:
        >>> label_score("Maturing +")
        3.5
    """
    try:
        return LABELS.index(label) / 2 + 1
    except ValueError:
        raise ValueError(f"{label!r} is not a rating; use one of {', '.join(LABELS)}") from None


def score_label(score: float) -> str:
    """The rating label of a score 1, 1.5, ..., 4.

    Example:
        >>> score_label(2.5)
        'Developing +'
    """
    index = (score - 1) * 2
    if index != int(index) or not 0 <= index < len(LABELS):
        raise ValueError(f"{score!r} is not a rating score; use 1, 1.5, 2, 2.5, 3, 3.5 or 4")
    return LABELS[int(index)]


def overall_score(scores: Iterable[float | None]) -> float | None:
    """A council's overall score: the mean of its rated strands' scores, to 2 places; None when none is rated.

    Rounded half away from zero, as Excel's ROUND does (the workbook shows
    ``ROUND(AVERAGE(scores),2)``, and AVERAGE skips the blank scores of
    strands not rated yet); Python's ``round`` would round 1.125 down.

    Example:
        >>> overall_score([2.0, 2.5, None, 3.0, 2.0])  # 9.5 / 4 = 2.375
        2.38
        >>> overall_score([None] * 5) is None
        True
    """
    rated = [Decimal(repr(score)) for score in scores if score is not None]
    if not rated:
        return None
    return float((sum(rated) / len(rated)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
