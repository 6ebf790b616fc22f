"""A made-up but realistic MOT, for the demo, the docs and the tests.

The council under review, Exampleshire County Council, and its peers are
fictional; their answers come from :func:`lga_xl.samples.sample_answers`, so
their ratings spread like a real round of returns.  The LGA's external view
is the council's own with some differences (mostly more cautious), and the
previous self-assessment is the same council a year earlier.

Example:
    >>> report = sample_report()
    >>> report.council.name, report.benchmarks.get("spend_share").regional.councils >= 3
    ('Exampleshire County Council', True)
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from ..maturity import load_edition
from ..rating import LEVELS, Status, count_levels, rate
from ..samples import council, sample_answers
from .model import Assessment, Council, LevyFigures, MotReport, StartsFigures, StrandRating, SurveyResults
from .peers import PeerCouncil, build_benchmarks

COUNCIL = Council("Exampleshire County Council", "East of England", "County council")


def sample_report(*, survey: SurveyResults | None = None, peers: int = 60, seed: int = 24) -> MotReport:
    """A full MOT: self, external and previous assessments, a levy plan, starts and peer figures.

    ``survey`` is added as given (read ``examples/mot_survey_export.csv`` with
    :func:`lga_xl.mot.survey.read_survey` for the sample's).
    """
    rng = random.Random(seed)
    statuses, _, targets = sample_answers(rng)
    own = _assessment("Self", dt.date(2026, 9, 14), "Head of Organisational Development", statuses, targets)
    lga = _assessment("External", dt.date(2026, 10, 2), "LGA Apprenticeships Adviser",
                      _revised(statuses, rng, lower=0.5, higher=0.1, base=0.04), {})
    before = _assessment("Self", dt.date(2025, 9, 18), "Apprenticeship lead",
                         _revised(statuses, rng, lower=0.7, higher=0.0, base=0.1), targets)
    levy = LevyFigures(
        tax_year="2026-27", funds_in=Decimal("941375.00"), planned_spend=Decimal("583652.50"),
        transfer_allowance=Decimal("468000.00"), transfers_used=Decimal("95000.00"),
        expiring_funds=Decimal("142000.00"), schools=38, schools_engaged=9, returned_on=dt.date(2026, 6, 30),
    )
    starts = StartsFigures("2025-26", starts=96, headcount=7850)
    others = [_peer(index, random.Random(f"peer-{seed}-{index}")) for index in range(peers)]
    report = MotReport(COUNCIL, own, external=lga, previous=before, levy=levy, starts=starts, survey=survey,
                       prepared_by="LGA Apprenticeships Adviser", prepared_on=dt.date(2026, 10, 20))
    benchmarks = build_benchmarks(COUNCIL.region, [PeerCouncil.of_report(report), *others])
    return MotReport(COUNCIL, own, external=lga, previous=before, levy=levy, starts=starts, benchmarks=benchmarks,
                     survey=survey, prepared_by=report.prepared_by, prepared_on=report.prepared_on)


# Private API.


def _assessment(kind: str, date: dt.date, assessor: str, statuses: dict[str, str],
                targets: dict[str, str]) -> Assessment:
    return Assessment(kind, date, assessor, _ratings(statuses, targets), dict(statuses))


def _ratings(statuses: dict[str, str], targets: dict[str, str]) -> tuple[StrandRating, ...]:
    model = load_edition()
    ratings = []
    for strand in model.strand_names:
        pairs = [(e.level, Status(statuses[e.id])) for e in model.scored_elements if e.strand == strand]
        ratings.append(StrandRating(strand, rate(count_levels(pairs)).label, targets.get(strand)))
    return tuple(ratings)


def _revised(statuses: dict[str, str], rng: random.Random, *, lower: float, higher: float,
             base: float) -> dict[str, str]:
    """The same answers seen by someone else, or a year earlier: above each strand's rating base,
    some Achieved still in progress (``lower``) and some open ones achieved (``higher``); at the
    base level itself, a few Achieved still in progress (``base``), which drops the rating a level."""
    model = load_edition()
    bases = {r.strand: int(r.score) - 1 for r in _ratings(statuses, {})}
    revised = {}
    for element in model.scored_elements:
        status, depth = statuses[element.id], LEVELS.index(element.level) - bases[element.strand]
        chance = lower if depth > 0 else base if depth == 0 else 0.0
        if status == Status.ACHIEVED.value and rng.random() < chance:
            status = Status.IN_PROGRESS.value
        elif status in (Status.IN_PROGRESS.value, Status.NOT_STARTED.value) and depth > 0 and rng.random() < higher:
            status = Status.ACHIEVED.value
        revised[element.id] = status
    return revised


def _peer(index: int, rng: random.Random) -> PeerCouncil:
    name, _, region = council(index + 100)
    statuses, _, _ = sample_answers(rng)
    scores = {r.strand: r.score for r in _ratings(statuses, {})}
    levy = None
    if rng.random() < 0.8:  # not every council has returned a levy plan
        funds = Decimal(rng.randrange(250_000, 2_500_000))
        allowance = (funds * Decimal("0.5")).quantize(Decimal("0.01"))
        schools = rng.randrange(0, 70)
        levy = LevyFigures("2026-27", funds, (funds * Decimal(rng.uniform(0.45, 1.05))).quantize(Decimal("0.01")),
                           allowance, (allowance * Decimal(rng.uniform(0, 0.8))).quantize(Decimal("0.01")),
                           Decimal(rng.choice([0, 0, 0, rng.randrange(5_000, 300_000)])), schools,
                           rng.randrange(0, schools + 1) if schools else 0)
    headcount = rng.randrange(2_000, 15_000)
    starts = StartsFigures("2025-26", int(headcount * rng.uniform(0.008, 0.03)), headcount)
    return PeerCouncil(name, region, scores, levy, starts)
