"""Where LGA support can help: the improvement priorities mapped to the LGA's offers.

The offers are data (``lga_xl/data/lga_support_offers.json``): each names
the strands it helps with, keywords that tie it to particular elements, and
levy-plan conditions under which it helps with levy and schools.  For each
strand with priorities, in priority order, the offers whose keywords appear
in that strand's priority elements are named, or, when none does, every
offer for the strand; the general offers (the Maturity Model, the MOT, the KHUB group)
are listed once, for every strand.

Pure: standard library and lga_xl's pure modules only.

Example:
    >>> [offer.id for offer in load_offers() if offer.general]
    ['maturity-model', 'mot', 'khub']
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from .model import LevyFigures, MotReport
from .priorities import StrandPriority, improvement_priorities

OFFERS_FILE = "lga_support_offers.json"
LEVY_TOPIC = "Levy and schools"
LEVY_CONDITIONS = {
    "funds-expiring": "funds are forecast to expire",
    "schools-without-starts": "some maintained schools have no planned starts",
    "transfer-allowance-unused": "funds expire while some of the transfer allowance is unused",
}

# Public API.


@dataclass(frozen=True)
class Offer:
    id: str
    name: str
    description: str
    access: str
    general: bool
    strands: tuple[str, ...]
    keywords: tuple[str, ...]
    levy: tuple[str, ...]  # keys of LEVY_CONDITIONS


@dataclass(frozen=True)
class SupportMatch:
    """An offer named for a topic: for some of its priority elements, for levy-plan
    conditions, or (neither) for the strand as a whole."""

    topic: str  # a strand, or LEVY_TOPIC
    offer: Offer
    elements: tuple[str, ...] = ()  # IDs of the priority elements whose text has the offer's keywords
    conditions: tuple[str, ...] = ()  # descriptions of the levy conditions met


@dataclass(frozen=True)
class Support:
    matches: tuple[SupportMatch, ...]  # in priority order, then by relevance
    general: tuple[Offer, ...]  # for every strand

    def offers(self) -> list[Offer]:
        """Every offer named, once each, in the order first named (general ones last)."""
        named = {m.offer.id: m.offer for m in self.matches}
        named.update({o.id: o for o in self.general})
        return list(named.values())


@cache
def load_offers() -> tuple[Offer, ...]:
    data = json.loads((resources.files("lga_xl") / "data" / OFFERS_FILE).read_text("utf-8"))
    offers = tuple(Offer(o["id"], o["name"], o["description"], o["access"], o["general"], tuple(o["strands"]),
                         tuple(k.casefold() for k in o["keywords"]), tuple(o["levy"])) for o in data["offers"])
    unknown = sorted({c for o in offers for c in o.levy} - set(LEVY_CONDITIONS))
    if unknown:
        raise ValueError(f"{OFFERS_FILE}: unknown levy condition {unknown[0]!r}")
    return offers


def support_for(report: MotReport, priorities: list[StrandPriority] | None = None) -> Support:
    """The offers for each strand with priorities, and for the levy plan's problems."""
    offers = load_offers()
    if priorities is None:
        priorities = improvement_priorities(report)
    matches = []
    for priority in priorities:
        if priority.next_level is None:
            continue  # Mature: nothing higher to work towards
        texts = [(p.element.id, p.element.text.casefold()) for p in priority.elements]
        keyed, plain = [], []
        for offer in offers:
            if offer.general or priority.strand not in offer.strands:
                continue
            hits = [element_id for element_id, text in texts if any(k in text for k in offer.keywords)]
            (keyed if hits else plain).append(SupportMatch(priority.strand, offer, tuple(hits)))
        matches += keyed or plain  # the strand's general offers only when none answers a listed element
    conditions = levy_conditions(report.levy)
    for offer in offers:
        met = [LEVY_CONDITIONS[c] for c in offer.levy if c in conditions]
        if met:
            matches.append(SupportMatch(LEVY_TOPIC, offer, conditions=tuple(met)))
    return Support(tuple(matches), tuple(o for o in offers if o.general))


def levy_conditions(levy: LevyFigures | None) -> set[str]:
    """Which of :data:`LEVY_CONDITIONS` the levy plan meets.

    Example:
        >>> from decimal import Decimal as D
        >>> sorted(levy_conditions(LevyFigures("2026-27", D(100), D(50), D(25), D(5), D(10), 4, 4)))
        ['funds-expiring', 'transfer-allowance-unused']
    """
    if levy is None:
        return set()
    met = set()
    if levy.expiring_funds > 0:
        met.add("funds-expiring")
        if levy.transfers_used < levy.transfer_allowance:
            met.add("transfer-allowance-unused")
    if levy.schools_engaged < levy.schools:
        met.add("schools-without-starts")
    return met
