"""Realistic, made-up returns for the demo, the benchmark and tests.

Councils here are fictional; their answers follow how programmes really
grow (lower levels mostly achieved before higher ones), so the ratings and
benchmarks they produce look like a real round of returns.  Their role maps
list job roles as councils write them, most with a standard confirmed.

Example:
    >>> import tempfile, pathlib
    >>> path = sample_self_assessment(pathlib.Path(tempfile.mkdtemp()) / "a.xlsx", seed=3)
    >>> from lga_xl.readers.self_assessment import read_self_assessment
    >>> read_self_assessment(path).has_errors
    False
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import multiprocessing
import os
import random
import sys
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


def sample_self_assessment(path: str | Path, *, seed: int = 0, assessment_type: str = "Self",
                           years_earlier: int = 0) -> Path:
    """Write a filled self-assessment for a fictional council (valid: no errors).

    An External assessment of the same council (the LGA's view, as in an
    Apprenticeship MOT) has answers of its own.  ``years_earlier`` writes the
    council's return of that many years before: dated as many years earlier,
    with some of what it has achieved since still in progress.
    """
    from .writers.self_assessment import new_self_assessment

    name, org_type, region = council(seed)
    answers, evidence, targets, assessor, day = _return(
        random.Random(seed if assessment_type == "Self" else f"{assessment_type}-{seed}"))
    if years_earlier:
        answers = _revised(answers, random.Random(f"earlier-{years_earlier}-{seed}"), behind=0.3 * years_earlier)
        day = day.replace(year=day.year - years_earlier)
    return new_self_assessment(
        path, org_name=name, region=region, org_type=org_type, assessment_type=assessment_type,
        assessor=assessor, assessment_date=day, answers=answers, evidence=evidence, targets=targets,
    )


def sample_lga_assessment(path: str | Path, *, seed: int = 0) -> Path:
    """Write the LGA's External assessment of the council of ``seed``, as an MOT adviser would: the
    council's own answers (:func:`sample_self_assessment` with the same seed), a few seen more cautiously
    and fewer more generously, dated three weeks after the council's."""
    from .writers.self_assessment import new_self_assessment

    name, org_type, region = council(seed)
    answers, evidence, targets, _, day = _return(random.Random(seed))  # as the council's Self return has them
    lga = random.Random(f"LGA-{seed}")
    return new_self_assessment(
        path, org_name=name, region=region, org_type=org_type, assessment_type="External",
        assessor="LGA Apprenticeships Adviser", assessment_date=day + dt.timedelta(days=21),
        answers=_revised(answers, lga, behind=0.12, ahead=0.04), evidence=evidence, targets=targets,
    )


def sample_round(folder: str | Path, councils: int = 60, *, jobs: int | None = None) -> list[Path]:
    """A round of returns from ``councils`` fictional councils, across the nine regions, for an MOT of each:
    every council's self-assessment; the LGA's external assessment of every third council (from the
    first); last year's self-assessment of every fourth; a schools levy plan from four councils in five
    (not from the fifth, the tenth, ...).  Written in ``jobs`` processes (default: one per CPU); returns
    the paths, in order.

    Example:
        >>> import tempfile, pathlib
        >>> [p.name for p in sample_round(pathlib.Path(tempfile.mkdtemp()), councils=1)]
        ['self_assessment_000.xlsx', 'external_assessment_000.xlsx', 'previous_self_assessment_000.xlsx', \
'levy_plan_000.xlsx']
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    work = []
    for seed in range(councils):
        work.append(("self", folder / f"self_assessment_{seed:03d}.xlsx", seed))
        if seed % 3 == 0:
            work.append(("external", folder / f"external_assessment_{seed:03d}.xlsx", seed))
        if seed % 4 == 0:
            work.append(("previous", folder / f"previous_self_assessment_{seed:03d}.xlsx", seed))
        if seed % 5 != 4:
            work.append(("levy", folder / f"levy_plan_{seed:03d}.xlsx", seed))
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(work) < 16:
        return list(map(_write_sample, work))
    context = multiprocessing.get_context("fork") if sys.platform == "linux" else None
    with concurrent.futures.ProcessPoolExecutor(jobs, mp_context=context) as pool:
        return list(pool.map(_write_sample, work, chunksize=8))


def _return(rng: random.Random) -> tuple[dict[str, str], dict[str, str], dict[str, str], str, dt.date]:
    """(statuses, evidence, targets, assessor, date) of one self-assessment."""
    answers, evidence, targets = sample_answers(rng)
    assessor = rng.choice(("Apprenticeship lead", "Head of workforce development", "LGA adviser"))
    return answers, evidence, targets, assessor, dt.date(2026, 9, 1) + dt.timedelta(days=rng.randrange(80))


def _write_sample(job: tuple[str, Path, int]) -> Path:
    what, path, seed = job
    if what == "external":
        return sample_lga_assessment(path, seed=seed)
    if what == "levy":
        from .writers.levy_plan import sample_levy_plan

        return sample_levy_plan(path, seed=seed)
    return sample_self_assessment(path, seed=seed, years_earlier=1 if what == "previous" else 0)


def _revised(answers: dict[str, str], rng: random.Random, *, behind: float, ahead: float = 0.0) -> dict[str, str]:
    """The same answers seen by someone else, or earlier: a share ``behind`` of the achieved elements not
    yet achieved, a share ``ahead`` of the open ones achieved (Not applicable is left as it is)."""
    revised = {}
    for element, status in answers.items():
        if status == "Achieved" and rng.random() < behind:
            status = "In progress"
        elif status in ("In progress", "Not started") and rng.random() < ahead:
            status = "Achieved"
        revised[element] = status
    return revised


# Job roles as councils write them, by service, for sample role maps.
_ROLES = (
    ("Adult social care", ("Care Worker", "Care Asst (Nights)", "Senior Care Worker", "Reablement Officer",
                           "Occupational Therapist", "Registered Manager - Residential Care")),
    ("Children's social care", ("Social Worker", "Snr Social Worker", "Family Support Worker",
                                "Safeguarding Co-ordinator")),
    ("Customer services", ("Customer Services Advisor", "Team Leader", "Contact Centre Manager")),
    ("Finance", ("Finance Assistant", "Payroll Officer", "Council Tax Officer", "Trainee Accountant (AAT)")),
    ("Highways and transport", ("Highways Maint Operative", "Highways Engineer", "Civil Engineering Technician")),
    ("Education", ("Teaching Assistant", "LSA", "Early Years Practitioner", "School Business Manager")),
    ("Environmental services", ("Refuse Collection Driver", "Grounds Maintenance Operative", "Ops Mgr")),
    ("Corporate services", ("Business Support Officer", "HR Business Partner", "ICT support technician",
                            "Procurement Officer", "Chief Executive")),
)
_GRADES = ("Grade 2", "Grade 3", "Grade 4", "Grade 5", "SO1", "SO2", "PO1", "PO2")


def sample_role_map(path: str | Path, *, seed: int = 0) -> Path:
    """Write a role map for a fictional council (valid: no errors), on the illustrative standards sample.

    Most roles have their first suggestion confirmed, some their second, a few
    None suitable, and a few are still to choose.

    Example:
        >>> import tempfile, pathlib
        >>> from lga_xl.readers.role_map import read_role_map
        >>> result = read_role_map(sample_role_map(pathlib.Path(tempfile.mkdtemp()) / "roles.xlsx", seed=3))
        >>> result.has_errors, result.roles_total == len(result.roles), result.roles_mapped > 0
        (False, True, True)
    """
    from .contracts.role_map import NONE_SUITABLE
    from .role_matching import RoleMatcher
    from .standards import sample_export
    from .writers.role_map import RoleEntry, new_role_map

    rng = random.Random(seed)
    name, _, region = council(seed)
    matcher = RoleMatcher(sample_export())
    roles = []
    for service, titles in _ROLES:
        for title in titles:
            if rng.random() < 0.15:
                continue  # not every council has every role
            suggestions = [s.reference for s in matcher.suggest(title)]
            draw = rng.random()
            if suggestions and draw < 0.7:
                choice = suggestions[0]
            elif len(suggestions) > 1 and draw < 0.8:
                choice = suggestions[1]
            elif draw < 0.9:
                choice = NONE_SUITABLE
            else:
                choice = None  # still to choose
            headcount = rng.randrange(2, 120)
            roles.append(RoleEntry(title, service, rng.choice(_GRADES), headcount,
                                   rng.randrange(0, max(2, headcount // 8)), choice))
    return new_role_map(path, org_name=name, region=region, roles=roles)
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


# What schools ask for: a role, the standard that trains for it, and a note a school might add.
_SCHOOL_ROLES = (
    ("Teaching assistant", "ST0454", "Year 2 class, mornings"),
    ("Early years practitioner", "ST0888", "Nursery class"),
    ("Early years educator", "ST0135", None),
    ("School business professional", "ST0575", "Replacing our business manager, who retires in July"),
    ("Site assistant", "ST0617", "With the site manager"),
    ("Office administrator", "ST0070", None),
    ("Early years lead", "ST0551", "Our nursery lead"),
)
_SCHOOL_NAMES = ("Primary School", "Church of England Primary School", "Infant School", "Junior School",
                 "Nursery School", "Special School")


def sample_school_request(path: str | Path, *, seed: int = 0) -> Path:
    """Write a filled request for apprentices from a fictional maintained school (valid: no errors).

    Two to four apprenticeships starting in the plan year 2026-27, new hires
    and existing staff, on the illustrative standards sample; the school's
    figures are those a levy plan of a council of its size would give.

    Example:
        >>> import tempfile, pathlib
        >>> from lga_xl.readers.school_request import read_school_request
        >>> request = read_school_request(sample_school_request(pathlib.Path(tempfile.mkdtemp()) / "r.xlsx", seed=2))
        >>> request.has_errors, 2 <= request.request_count <= 4, request.requests_in_year > 0
        (False, True, True)
    """
    from . import levy
    from .reference import COUNCIL_ESTABLISHMENT_TYPES
    from .writers.school_request import RequestEntry, SchoolFacts, new_school_request

    rng = random.Random(f"school-request-{seed}")
    name, _, region = council(seed)
    pay_bill = Decimal(rng.randrange(600_000, 3_500_000, 1_000))
    council_pay_bill = pay_bill * rng.randrange(60, 140)
    annual_levy = levy.levy_due(council_pay_bill)
    monthly = levy.even_monthly_levy(annual_levy)
    funds_in = 12 * monthly + 4 * (monthly / 10).quantize(Decimal("0.01"))  # the top-up ends in August 2026
    share = pay_bill / council_pay_bill
    planned = rng.choice([Decimal(0), Decimal("1866.64"), Decimal("3733.28")])
    funds_share = (funds_in * share).quantize(Decimal("0.01"))
    school = SchoolFacts(str(rng.randrange(100_000, 150_000)), f"{rng.choice(_PLACES)} {rng.choice(_SCHOOL_NAMES)}",
                         rng.choice(COUNCIL_ESTABLISHMENT_TYPES[:4]), (annual_levy * share).quantize(Decimal("0.01")),
                         funds_share, planned, funds_share - planned)
    requests = [RequestEntry(role, rng.choice(["New hire", "Existing staff"]), standard,
                             dt.date(2026 if month >= 4 else 2027, month, 1), note)
                for role, standard, note in rng.sample(_SCHOOL_ROLES, rng.randrange(2, 5))
                for month in [rng.choice([5, 6, 9, 9, 9, 10, 11, 1, 2])]]
    return new_school_request(
        path, council=name, region=region, tax_year="2026-27", school=school,
        contact=f"Apprenticeships team, {name}, apprenticeships@{name.split()[0].lower()}.gov.uk",
        requests=requests, completed_by=rng.choice(["Sam Patel", "Jo Evans", "Alex Morgan", "Chris Okafor"]),
        completed_role=rng.choice(["Head teacher", "School business manager", "Deputy head teacher"]),
        email=f"office@{school.name.split()[0].lower()}.sch.uk", completed_on=dt.date(2026, 3, rng.randrange(2, 28)),
    )
