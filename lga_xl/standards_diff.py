"""What changed between two exports of the standards list: the monthly refresh.

Pure (standard library only).  :func:`diff_standards` reports standards
added, retired or withdrawn, re-banded, re-levelled and given a new version,
and nothing else (docs/standards.md).  Load both exports with
``load_standards(path, include_inactive=True)`` so that a standard retired
since the last export is seen as retired rather than merely missing.

Example:
    >>> from decimal import Decimal
    >>> old = [Standard("ST0384", "Team leader", 3, Decimal("4500"), version="1.3"),
    ...        Standard("ST0072", "Customer service practitioner", 2, Decimal("4000"))]
    >>> new = [Standard("ST0384", "Team leader", 3, Decimal("5000"), version="1.4"),
    ...        Standard("ST0072", "Customer service practitioner", 2, Decimal("4000"), status="Retired")]
    >>> print(diff_standards(old, new).summary())
    0 added, 1 retired or withdrawn, 1 re-banded, 0 re-levelled, 1 new version
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .standards import FundingBand, Standard, version_order

__all__ = ["BandChange", "Change", "StandardsDiff", "diff_standards"]


@dataclass(frozen=True)
class Change:
    """A standard whose status, level or version changed: ``before`` and ``after``.

    For a standard retired or withdrawn, ``after`` is its new status, or None
    when the new export no longer lists it.
    """

    reference: str
    title: str
    before: str | int | None
    after: str | int | None

    def to_dict(self) -> dict[str, Any]:
        """The change as JSON-ready values."""
        return {"reference": self.reference, "title": self.title, "before": self.before, "after": self.after}


@dataclass(frozen=True)
class BandChange:
    """A standard whose funding band changed: the band maximum and the dated bands, before and after."""

    reference: str
    title: str
    before: Decimal
    after: Decimal
    bands_before: tuple[FundingBand, ...] = ()
    bands_after: tuple[FundingBand, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The change as JSON-ready values: money as text such as "5000", dates as 2025-08-01."""
        return {"reference": self.reference, "title": self.title, "before": str(self.before),
                "after": str(self.after), "bands_before": _bands(self.bands_before),
                "bands_after": _bands(self.bands_after)}


@dataclass(frozen=True)
class StandardsDiff:
    """The changes between two standards lists, each kind in reference order.

    Attributes:
        added: standards approved for delivery in the new list that were not
            in the old one, or not yet approved in it.
        retired_or_withdrawn: standards that were current and are now retired,
            withdrawn or no longer listed.
        rebanded: standards whose funding band maximum or dated bands changed.
        relevelled: standards whose level changed.
        new_versions: standards with a later version.
    """

    added: tuple[Standard, ...] = ()
    retired_or_withdrawn: tuple[Change, ...] = ()
    rebanded: tuple[BandChange, ...] = ()
    relevelled: tuple[Change, ...] = ()
    new_versions: tuple[Change, ...] = ()

    def __bool__(self) -> bool:
        return any((self.added, self.retired_or_withdrawn, self.rebanded, self.relevelled, self.new_versions))

    def summary(self) -> str:
        """One line counting each kind of change."""
        versions = len(self.new_versions)
        return (f"{len(self.added)} added, {len(self.retired_or_withdrawn)} retired or withdrawn, "
                f"{len(self.rebanded)} re-banded, {len(self.relevelled)} re-levelled, "
                f"{versions} new version{'' if versions == 1 else 's'}")

    def lines(self) -> list[str]:
        """The diff as ``lga-xl standards diff`` prints it: the summary, then each change under its kind.

        Example:
            >>> change = Change("ST0072", "Customer service practitioner", "Approved for delivery", "Retired")
            >>> print("\\n".join(StandardsDiff(retired_or_withdrawn=(change,)).lines()))
            0 added, 1 retired or withdrawn, 0 re-banded, 0 re-levelled, 0 new versions
            Retired or withdrawn:
              ST0072 Customer service practitioner: Approved for delivery -> Retired
        """
        lines = [self.summary()]
        sections = (
            ("Added", [f"{s.reference} {s.title}: level {s.level}, band {_pounds(s.max_funding)}" for s in self.added]),
            ("Retired or withdrawn", [f"{c.reference} {c.title}: {c.before} -> {c.after or 'no longer listed'}"
                                      for c in self.retired_or_withdrawn]),
            ("Re-banded", [f"{c.reference} {c.title}: {_pounds(c.before)} -> {_pounds(c.after)}"
                           + (" (dated bands changed)" if c.before == c.after else "") for c in self.rebanded]),
            ("Re-levelled", [f"{c.reference} {c.title}: level {c.before} -> {c.after}" for c in self.relevelled]),
            ("New versions", [f"{c.reference} {c.title}: {c.before} -> {c.after}" for c in self.new_versions]),
        )
        for heading, changes in sections:
            if changes:
                lines += [f"{heading}:", *(f"  {change}" for change in changes)]
        return lines

    def to_dict(self) -> dict[str, Any]:
        """The diff as JSON-ready values, for ``--json`` output."""
        return {
            "added": [{"reference": s.reference, "title": s.title, "level": s.level, "max_funding": str(s.max_funding),
                       "version": s.version, "status": s.status} for s in self.added],
            "retired_or_withdrawn": [change.to_dict() for change in self.retired_or_withdrawn],
            "rebanded": [change.to_dict() for change in self.rebanded],
            "relevelled": [change.to_dict() for change in self.relevelled],
            "new_versions": [change.to_dict() for change in self.new_versions],
        }

    def to_json(self, indent: int | None = 2) -> str:
        """:meth:`to_dict` as JSON text."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


def diff_standards(old: Iterable[Standard], new: Iterable[Standard]) -> StandardsDiff:
    """The changes from ``old`` to ``new`` that matter for planning and role mapping.

    A standard is current when it is neither retired nor withdrawn.  Only
    standards current in both lists are compared for bands, levels and
    versions; a standard added, retired or withdrawn is reported as that alone.

    Raises:
        ValueError: a list names the same reference twice.
    """
    before, after = _by_reference(old, "old"), _by_reference(new, "new")
    added = tuple(standard for reference, standard in sorted(after.items())
                  if standard.approved and not (reference in before and before[reference].approved))
    added_references = {standard.reference for standard in added}
    gone = []
    rebanded, relevelled, new_versions = [], [], []
    for reference, was in sorted(before.items()):
        if was.retired_or_withdrawn:
            continue
        now = after.get(reference)
        if now is None or now.retired_or_withdrawn:
            gone.append(Change(reference, was.title, was.status, None if now is None else now.status))
            continue
        if reference in added_references:
            continue
        if (was.max_funding, was.funding_bands) != (now.max_funding, now.funding_bands):
            rebanded.append(BandChange(reference, now.title, was.max_funding, now.max_funding,
                                       was.funding_bands, now.funding_bands))
        if was.level != now.level:
            relevelled.append(Change(reference, now.title, was.level, now.level))
        if version_order(was.version) and version_order(now.version) > version_order(was.version):
            new_versions.append(Change(reference, now.title, was.version, now.version))
    return StandardsDiff(added, tuple(gone), tuple(rebanded), tuple(relevelled), tuple(new_versions))


# Private API.


def _by_reference(standards: Iterable[Standard], which: str) -> dict[str, Standard]:
    found: dict[str, Standard] = {}
    for standard in standards:
        if standard.reference in found:
            raise ValueError(f"the {which} standards list names {standard.reference} twice")
        found[standard.reference] = standard
    return found


def _bands(bands: tuple[FundingBand, ...]) -> list[dict[str, str | None]]:
    return [{"effective_from": band.effective_from.isoformat(),
             "effective_to": None if band.effective_to is None else band.effective_to.isoformat(),
             "max_funding": str(band.max_funding)} for band in bands]


def _pounds(amount: Decimal) -> str:
    """£4,500, or £4,500.50 when there are pence."""
    return f"£{amount:,.0f}" if amount == amount.to_integral_value() else f"£{amount:,.2f}"
