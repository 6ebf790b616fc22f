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
from pathlib import Path

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
