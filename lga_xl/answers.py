"""What a council typed into a workbook, by contract: the unit carried forward, upgraded and sent out again.

:class:`Answers` holds the values of a workbook's input cells (and of the
fixed cells that identify it, such as a levy plan's tax year) as the cells
hold them, keyed by the contract's names and table column keys, in the terms
of one template version.  A :class:`Migration`, declared beside a kind's
contracts, turns the answers of one template version into the next
version's terms; :func:`migrate` chains them, so a return of any older
version reaches the current one and the next version bump costs one
migration.  What a migration cannot carry it says in ``notes``, in words a
council officer can act on.

The hidden ``lga_xl`` sheet of a workbook sent out with answers carried
forward records the input hash of what was sent (:data:`SENT_HASH`): a
return that comes back with the same hash was not updated
(:func:`unchanged_since_sent`).

Pure (standard library only): contracts import it.

Example:
    >>> old = Answers("levy-plan", "1.0", {"EnglishPercent": 95}, {})
    >>> def percent_to_fraction(answers):
    ...     percent = answers.names["EnglishPercent"]
    ...     return answers.moved("2.0", names={**answers.names, "EnglishPercent": percent / 100})
    >>> migrate(old, (Migration("1.0", "2.0", percent_to_fraction, "percentages become fractions"),), "2.0").names
    {'EnglishPercent': 0.95}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

# Keys of the hidden lga_xl sheet written on a workbook sent out with answers carried forward.
CARRIED_FROM = "carried_from"  # the date (ISO) of the return the answers came from, or its tax year
SENT_HASH = "sent_input_hash"  # the input hash of the workbook as it was sent
UPGRADED_FROM = "upgraded_from"  # the template version a return was upgraded from

Row = dict[str, Any]


class MigrationError(ValueError):
    """No chain of migrations leads from one template version to another."""


@dataclass
class Answers:
    """Input values of one workbook in the terms of one template version.

    ``names``: defined name -> value; ``tables``: table name -> rows, each a
    column key -> value (keyed tables, whose rows the template writes, carry
    their key column too: an element ID, a strand).  Values are what the
    cells hold: text as typed, numbers, dates, booleans; blank cells are left
    out.  ``notes`` says what could not be carried.
    """

    kind: str
    version: str
    names: dict[str, Any]
    tables: dict[str, list[Row]]
    notes: list[str] = field(default_factory=list)

    def moved(self, version: str, *, names: Mapping[str, Any] | None = None,
              tables: Mapping[str, list[Row]] | None = None, notes: Iterable[str] = ()) -> Answers:
        """A copy in the terms of ``version``, with the names and tables given replaced and notes added."""
        return replace(self, version=version, names=dict(self.names if names is None else names),
                       tables=dict(self.tables if tables is None else tables), notes=[*self.notes, *notes])

    def count(self) -> int:
        """How many values there are (named cells and table cells)."""
        return len(self.names) + sum(len(row) for rows in self.tables.values() for row in rows)


@dataclass(frozen=True)
class Migration:
    """How answers of template ``source`` become answers of template ``target``; ``summary`` says what changes."""

    source: str
    target: str
    migrate: Callable[[Answers], Answers]
    summary: str


def migrate(answers: Answers, migrations: Iterable[Migration], target: str) -> Answers:
    """``answers`` in the terms of template ``target``, through the migrations in turn.

    Raises:
        MigrationError: no chain of ``migrations`` leads from the answers' version to ``target``.
    """
    by_source = {m.source: m for m in migrations}
    seen = set()
    while answers.version != target:
        step = by_source.get(answers.version)
        if step is None or answers.version in seen:
            raise MigrationError(f"no migration of {answers.kind} answers from template {answers.version} to "
                                 f"{target}")
        seen.add(answers.version)
        answers = step.migrate(answers)
        if answers.version != step.target:
            raise MigrationError(f"the {step.source} -> {step.target} migration of {answers.kind} answers gave "
                                 f"template {answers.version}")
    return answers


def unchanged_since_sent(meta: Mapping[str, str], input_hash: str) -> str | None:
    """The message for a return whose answers are still the ones carried forward into it, or None.

    Example:
        >>> print(unchanged_since_sent({SENT_HASH: "abc", CARRIED_FROM: "2025-11-14"}, "abc"))
        every answer is as carried forward from your return of 14/11/2025: check and update them, then send it back
        >>> unchanged_since_sent({SENT_HASH: "abc"}, "def") is None
        True
    """
    sent = meta.get(SENT_HASH)
    if not sent or sent != input_hash:
        return None
    return (f"every answer is as carried forward from your return{carried_when(meta.get(CARRIED_FROM))}: check "
            "and update them, then send it back")


def carried_when(carried_from: str | None) -> str:
    """How a cover and a message name the return answers came from: " of 14/11/2025", " for 2025-26", or "".

    Example:
        >>> carried_when("2025-11-14"), carried_when("2025-26"), carried_when(None)
        (' of 14/11/2025', ' for 2025-26', '')
    """
    if not carried_from:
        return ""
    try:
        return f" of {dt.date.fromisoformat(carried_from):%d/%m/%Y}"
    except ValueError:
        return f" for {carried_from}"
