"""Realistic, made-up returns for the demo, the benchmark and tests.

Councils here are fictional; their answers follow how programmes really
grow (lower levels mostly achieved before higher ones), so the ratings and
benchmarks they produce look like a real round of returns.

Example:
    >>> import tempfile, pathlib
    >>> path = sample_self_assessment(pathlib.Path(tempfile.mkdtemp()) / "a.xlsx", seed=3)
    >>> from lga_xl.readers.self_assessment import read_self_assessment
    >>> read_self_assessment(path).has_errors
    False
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

from . import targets as rules
from .maturity import load_edition
from .rating import LABELS, SCORED_LEVELS
from .reference import REGIONS

_PLACES = ("Ashford", "Bramley", "Caldermoor", "Dunmere", "Eastwick", "Fenbury", "Greywater", "Harrowfield",
           "Ingleby", "Kestrel Vale", "Longmarsh", "Millbrook", "Northfold", "Oakhurst", "Pennington", "Queensmere",
           "Redcliffe", "Stonebridge", "Thornbury", "Upminster Vale", "Westerleigh", "Yarrowdale")
_KINDS = (("County Council", "County council"), ("Borough Council", "Unitary authority"),
          ("District Council", "District council"), ("City Council", "Unitary authority"),
          ("Metropolitan Borough Council", "Metropolitan borough council"))
_EVIDENCE = ("Board minutes, March", "Policy approved by cabinet", "Workforce plan 2025-28", "Provider KPI report",
             "Schools newsletter and network notes", "Levy forecast spreadsheet", "Apprenticeship champion network")


def council(seed: int) -> tuple[str, str, str]:
    """A fictional council: (name, organisation type, region), stable for a seed."""
    rng = random.Random(seed)
    place = _PLACES[seed % len(_PLACES)]
    suffix, org_type = rng.choice(_KINDS)
    number = "" if seed < len(_PLACES) else f" {seed // len(_PLACES) + 1}"
    return f"{place}{number} {suffix}", org_type, REGIONS[seed % len(REGIONS)]


def sample_answers(rng: random.Random) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(statuses, evidence, targets) for one council, valid and plausible."""
    model = load_edition()
    answers: dict[str, str] = {}
    evidence: dict[str, str] = {}
    targets: dict[str, str] = {}
    for strand in model.strand_names:
        maturity = rng.random() * 3.2  # roughly how many levels this council has grown through
        for depth, level in enumerate(SCORED_LEVELS):
            elements = [e for e in model.scored_elements if e.strand == strand and e.level == level]
            chance = min(1.0, max(0.0, maturity - depth))
            for i, element in enumerate(elements):
                if i > 0 and rng.random() < 0.04:
                    answers[element.id] = "Not applicable"  # never the first, so no level is all N/A
                elif rng.random() < chance:
                    answers[element.id] = "Achieved"
                    if rng.random() < 0.5:
                        evidence[element.id] = rng.choice(_EVIDENCE)
                else:
                    answers[element.id] = rng.choice(("In progress", "In progress", "Not started"))
        targets[strand] = LABELS[min(len(LABELS) - 1, int(maturity * 2) + 2)]
    return answers, evidence, targets


def sample_self_assessment(path: str | Path, *, seed: int = 0, assessment_type: str = "Self") -> Path:
    """Write a filled self-assessment for a fictional council (valid: no errors).

    An External assessment of the same council (the LGA's view, as in an
    Apprenticeship MOT) has answers of its own.
    """
    from .writers.self_assessment import new_self_assessment

    rng = random.Random(seed if assessment_type == "Self" else f"{assessment_type}-{seed}")
    name, org_type, region = council(seed)
    answers, evidence, targets = sample_answers(rng)
    return new_self_assessment(
        path, org_name=name, region=region, org_type=org_type, assessment_type=assessment_type,
        assessor=rng.choice(("Apprenticeship lead", "Head of workforce development", "LGA adviser")),
        assessment_date=dt.date(2026, 9, 1) + dt.timedelta(days=rng.randrange(80)),
        answers=answers, evidence=evidence, targets=targets,
    )


# A council's own growth strategy: (ID, measure, unit, direction, baseline, target, decimals of a reported value).
_TRACKER_TARGETS = (
    ("T1", "Apprenticeship starts among council staff each year", rules.NUMBER, rules.INCREASE, 120, 180, 0),
    ("T2", "Share of the levy spent in the last 12 months", rules.PERCENT, rules.INCREASE, Decimal("0.55"),
     Decimal("0.9"), 3),
    ("T3", "Apprenticeship starts in maintained schools each year", rules.NUMBER, rules.INCREASE, 40, 70, 0),
    ("T4", "Levy funds transferred to local employers since April 2025", rules.MONEY, rules.INCREASE, 0, 300_000, -3),
    ("T5", "Apprentices leaving before they complete, as a share of leavers", rules.PERCENT, rules.DECREASE,
     Decimal("0.35"), Decimal("0.2"), 3),
    ("T6", "Managers confident to recruit an apprentice (staff survey)", rules.RATIO, rules.INCREASE, Decimal("0.3"),
     Decimal("0.6"), 2),
    ("T7", "Apprenticeships at level 4 and above (measure to be agreed)", rules.NUMBER, rules.INCREASE, None, None, 0),
)
_TRACKER_OBJECTIVES = (
    rules.Objective("1", "Our workforce", "Grow our own: apprenticeships for new and existing staff in every "
                    "directorate.", "OUR WORKFORCE"),
    rules.Objective("2", "Schools", "Help maintained schools use their share of the levy.", "SCHOOLS"),
    rules.Objective("3", "Local employers", "Transfer unspent levy to local employers in priority sectors.",
                    "LOCAL EMPLOYERS"),
)
_TRACKER_ACTIONS = (
    ("1.1", "Apprenticeship starts in every directorate", "Starts by directorate, quarterly",
     "Agree a target for apprenticeship starts with each directorate management team", "Head of workforce development",
     "Leadership and Culture"),
    ("1.2", "Apprenticeship starts in every directorate", "Vacancies advertised as apprenticeships",
     "Review every vacancy for an apprenticeship route before it is advertised", "Recruitment manager",
     "Planning, Delivery Structures and Processes"),
    ("2.1", "Schools' share of the levy", "Schools with a planned start", "Run a levy briefing at the headteachers' "
     "forum each term", "Schools HR adviser", "Engagement"),
    ("3.1", "Levy transfers", "Funds pledged to local employers", "Publish a levy transfer pledge with the chamber of "
     "commerce", "Economic development team", "Engagement"),
    ("3.2", "Levy transfers", "Providers meeting quality measures", "Review provider performance at each contract "
     "meeting", "Procurement lead", "Procurement and Provider Management"),
)


def sample_tracker(path: str | Path, *, seed: int = 0) -> Path:
    """Write a filled growth-strategy tracker for a fictional council (valid: no errors).

    Targets from 31 March 2025 to 31 March 2028, a figure for each quarter up
    to the reporting date of 30 June 2026 scattered about each target's line,
    five actions and three years of public sector figures.

    Example:
        >>> import tempfile, pathlib
        >>> from lga_xl.readers.tracker import read_tracker
        >>> tracker = read_tracker(sample_tracker(pathlib.Path(tempfile.mkdtemp()) / "t.xlsx", seed=2))
        >>> tracker.has_errors, len(tracker.targets), tracker.targets[-1].rag
        (False, 7, 'Not set')
    """
    from .writers.tracker import PublicSectorYear, new_tracker

    rng = random.Random(f"tracker-{seed}")
    name, _, region = council(seed)
    start, end, reporting = dt.date(2025, 3, 31), dt.date(2028, 3, 31), dt.date(2026, 6, 30)
    quarters = [dt.date(2025, 6, 30), dt.date(2025, 9, 30), dt.date(2025, 12, 31), dt.date(2026, 3, 31), reporting]
    targets, actuals = [], []
    for target_id, measure, unit, direction, baseline, target, decimals in _TRACKER_TARGETS:
        has_figures = baseline is not None
        targets.append(rules.Target(
            target_id, measure, unit, direction, baseline=None if not has_figures else Decimal(baseline),
            baseline_date=start if has_figures else None, target=None if not has_figures else Decimal(target),
            target_date=end if has_figures else None))
        if not has_figures:
            continue
        for day in quarters[: rng.randint(2, len(quarters))]:
            line = rules.expected_now(baseline, start, target, end, day)
            wobble = Decimal(str(rng.uniform(-0.2, 0.12))) * abs(Decimal(target) - Decimal(baseline))
            value = (line + (wobble if direction == rules.INCREASE else -wobble)).quantize(Decimal(10) ** -decimals)
            if unit in (rules.PERCENT, rules.RATIO):
                value = min(max(value, Decimal(0)), Decimal(1))
            actuals.append(rules.Actual(target_id, day, max(value, Decimal(0))))
    statuses = (rules.ON_TRACK, rules.ON_TRACK, rules.AT_RISK, rules.NOT_STARTED, rules.COMPLETE, rules.OFF_TRACK)
    actions = [rules.Action(number, objective, measure, action, owner, "During 2026-27",
                            due=reporting + dt.timedelta(days=rng.randrange(-60, 270)), status=rng.choice(statuses),
                            update=rng.choice(_EVIDENCE), strand=strand)
               for number, objective, measure, action, owner, strand in _TRACKER_ACTIONS]
    headcount = rng.randrange(2_000, 12_000)
    years = []
    for first_year in (2023, 2024, 2025):
        grown = headcount + rng.randrange(-150, 200)
        council_starts, school_starts = rng.randrange(headcount // 80, headcount // 35), rng.randrange(5, 40)
        years.append(PublicSectorYear(f"{first_year}-{(first_year + 1) % 100:02d}", headcount, grown, council_starts,
                                      school_starts, council_starts + rng.randrange(10, 60)))
        headcount = grown
    return new_tracker(path, org_name=name, region=region, strategy=f"{name} apprenticeship strategy 2025-2028",
                       reporting_date=reporting, targets=targets, actuals=actuals, objectives=_TRACKER_OBJECTIVES,
                       actions=actions, public_sector=years)
