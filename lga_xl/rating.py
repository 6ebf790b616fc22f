"""The Maturity Model rating rule, exactly as ``docs/rating.md`` states it.

Pure logic: no Excel, pandas or file imports.  The workbook's Summary
formulas, the readers and the xlwings functions all check against this.

For one strand and each scored level L: ``applicable`` = elements not marked
Not applicable, ``achieved`` = elements marked Achieved; L is complete when
applicable >= 1 and achieved == applicable.  The base rating is the highest
complete level (Early when none is).  A ``+`` is added below Mature when the
next level up has half or more of its elements achieved (rule "half"), or
when two or more levels above the base each have an achievement ("spread").

Example:
    >>> rate([LevelCount(5, 5), LevelCount(7, 4), LevelCount(9, 0)]).label
    'Developing +'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

from .text import squash

LEVELS = ("Early", "Developing", "Maturing", "Mature")
SCORED_LEVELS = LEVELS[1:]
LABELS = ("Early", "Early +", "Developing", "Developing +", "Maturing", "Maturing +", "Mature")


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
        return ParsedStatus(None)
    if not isinstance(value, str):
        raise StatusError(value)
    if value in STATUSES:
        return ParsedStatus(Status(value))
    if not value.strip():
        return ParsedStatus(None)
    loose = _LOOSE_STATUS.get(squash(value))
    if loose is None:
        raise StatusError(value)
    return ParsedStatus(loose, normalised=True)


@dataclass(frozen=True)
class LevelCount:
    """Counts for one scored level of one strand."""

    applicable: int  # elements not marked Not applicable (blank counts)
    achieved: int

    @property
    def complete(self) -> bool:
        return self.applicable >= 1 and self.achieved == self.applicable


@dataclass(frozen=True)
class Rating:
    """A strand's rating: ``label`` such as 'Developing +', ``score`` 1 to 4."""

    label: str
    score: float
    base_level: str
    plus_rule: str | None  # "half", "spread" or None

    @property
    def plus(self) -> bool:
        return self.plus_rule is not None


def rate(counts: Sequence[LevelCount]) -> Rating:
    """Rate one strand from its Developing, Maturing and Mature counts.

    Example:
        >>> rate([LevelCount(5, 5), LevelCount(7, 1), LevelCount(9, 1)])
        Rating(label='Developing +', score=2.5, base_level='Developing', plus_rule='spread')
    """
    if len(counts) != len(SCORED_LEVELS):
        raise ValueError(f"expected counts for {len(SCORED_LEVELS)} scored levels, got {len(counts)}")
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
        (LevelCount(applicable=2, achieved=1), LevelCount(applicable=0, achieved=0))
    """
    applicable = dict.fromkeys(SCORED_LEVELS, 0)
    achieved = dict.fromkeys(SCORED_LEVELS, 0)
    for level, status in pairs:
        if level not in applicable:
            if level == LEVELS[0]:
                continue
            raise ValueError(f"{level!r} is not a level; use one of {', '.join(LEVELS)}")
        if status is not Status.NOT_APPLICABLE:
            applicable[level] += 1
        if status is Status.ACHIEVED:
            achieved[level] += 1
    return [LevelCount(applicable[lv], achieved[lv]) for lv in SCORED_LEVELS]


def rate_statuses(levels: Iterable[str], statuses: Iterable[object]) -> Rating:
    """Rate one strand from parallel sequences of levels and status cells.

    Statuses are read with :func:`parse_status`, so a bad one raises
    :class:`StatusError`.

    Example:
        >>> rate_statuses(["Developing"] * 3, ["Achieved", "achieved", None]).label
        'Early +'
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
