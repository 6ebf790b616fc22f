"""A council's MOT inputs, gathered from the returns store.

:class:`MotInputs` reads what every MOT needs from a store in a few queries
(each council's latest returns, and the peers' figures), so that one report
or a report for every council costs the same reading; :meth:`MotInputs.report`
then builds one council's :class:`~lga_xl.mot.model.MotReport`.  What is
taken from where is in ``docs/mot.md`` ("What the report is made from"):

* the council: its latest Self self-assessment (ratings, targets, element
  statuses, date, assessor), its latest External one, and its previous Self
  one (the newest dated before the latest: a corrected return of the same
  day replaces the latest, it is not an earlier assessment);
* its latest schools levy plan, returned on the day it was imported;
* starts and headcount: the growth tracker's public sector figures (the
  ``tracker_public_sector`` table, latest year with starts) when the council
  has them, else its levy plan's planned starts in the year and headcount;
* peers: every council once, by its latest return of each kind, its region
  that of its latest self-assessment (else of its levy plan).  Starts are
  compared like for like: tracker figures with tracker figures, levy plans'
  planned starts with planned starts.

Only imported returns count (a rejected return's contents are kept in the
store, but not used).  Reading never changes a store's returns; opening an
older store upgrades its schema, as every command does.

Example:
    >>> import tempfile, pathlib
    >>> from lga_xl.samples import sample_self_assessment
    >>> from lga_xl.bulk import import_returns
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = sample_self_assessment(folder / "returns" / "a.xlsx", seed=3)
    >>> _ = import_returns([folder / "returns"], db=folder / "returns.sqlite")
    >>> inputs = MotInputs.load(folder / "returns.sqlite")
    >>> [name for _, name in inputs.councils()]
    ['Dunmere Borough Council']
    >>> report = inputs.report("dunmere borough COUNCIL")
    >>> report.council.region, report.external, report.levy
    ('East Midlands', None, None)
    >>> try:
    ...     inputs.report("Dunmore Borough Council")
    ... except UnknownOrganisation as exc:
    ...     print(exc)
    'Dunmore Borough Council' is not in the store; the closest: Dunmere Borough Council
"""

from __future__ import annotations

import datetime as dt
import difflib
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..bulk import _org_key as fold
from ..kinds import UnknownKind, kind
from ..store import ReturnStore, StoreError
from .model import Assessment, Benchmarks, Council, LevyFigures, MotReport, StartsFigures, StrandRating, SurveyResults
from .peers import PeerCouncil, build_benchmarks

TRACKER_TABLE = "tracker_public_sector"  # the growth tracker kind's public sector figures, one row a year
PLAN_SOURCE = "planned starts in the levy plan"
TRACKER_SOURCE = "actual starts in the growth tracker's public sector figures"
CLOSEST_MATCHES = 3

# Public API.


class MotStoreError(ValueError):
    """The store cannot give an MOT for the organisation asked for; one line that says why."""


class UnknownOrganisation(MotStoreError):
    """No council of that name has a self-assessment in the store; ``matches`` are the closest names."""

    def __init__(self, asked: str, matches: list[str], reason: str):
        self.asked, self.matches = asked, matches
        super().__init__(reason)


@dataclass
class MotInputs:
    """Everything the MOT reads from one store, by council (the store's ``org_key``)."""

    councils_by_key: dict[str, Council]  # councils with a Self self-assessment
    latest_self: dict[str, Assessment]
    external: dict[str, Assessment] = field(default_factory=dict)
    previous: dict[str, Assessment] = field(default_factory=dict)
    levy: dict[str, LevyFigures] = field(default_factory=dict)
    plan_starts: dict[str, StartsFigures] = field(default_factory=dict)
    tracker_starts: dict[str, StartsFigures] = field(default_factory=dict)
    regions: dict[str, str | None] = field(default_factory=dict)  # every council with any figure
    other_returns: dict[str, tuple[str, set[str]]] = field(default_factory=dict)  # no Self: name, what it has
    _benchmarks: dict[tuple[str | None, bool], Benchmarks] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, db: str | Path) -> MotInputs:
        """Read the store at ``db``.

        Raises:
            MotStoreError: there is no file at ``db``, or it is not an lga_xl store.
        """
        db = Path(db)
        if not db.is_file():
            raise MotStoreError(f"{db}: no such store; import returns into it first (lga-xl import)")
        try:
            with ReturnStore(db) as store:
                return _load(store)
        except (StoreError, sqlite3.Error) as exc:
            raise MotStoreError(str(exc) if isinstance(exc, StoreError) else f"{db}: {exc}") from None

    def councils(self) -> list[tuple[str, str]]:
        """(key, name) of every council with a Self self-assessment, by name."""
        return sorted(((key, c.name) for key, c in self.councils_by_key.items()), key=lambda kc: (kc[1].casefold(),
                                                                                                   kc[0]))

    def find(self, organisation: str) -> str:
        """The key of the council called ``organisation`` (case and spacing do not matter).

        Raises:
            UnknownOrganisation: no council of that name has a Self
                self-assessment; the message names the closest matches.
        """
        key = fold(organisation)
        if key in self.councils_by_key:
            return key
        if key in self.other_returns:
            name, kinds = self.other_returns[key]
            raise UnknownOrganisation(organisation, [name], (
                f"{name} has no self-assessment of its own in the store (only {', '.join(sorted(kinds))}); "
                "the MOT starts from the council's own self-assessment"))
        names = {k: c.name for k, c in self.councils_by_key.items()}
        closest = [names[k] for k in difflib.get_close_matches(key, list(names), n=CLOSEST_MATCHES, cutoff=0.5)]
        if closest:
            reason = f"{organisation!r} is not in the store; the closest: {'; '.join(closest)}"
        elif names:
            reason = (f"{organisation!r} is not in the store, and no council's name is close to it "
                      f"({len(names)} councils have a self-assessment)")
        else:
            reason = f"{organisation!r} is not in the store: no council in it has a self-assessment"
        raise UnknownOrganisation(organisation, closest, reason)

    def report(self, organisation: str, *, survey: SurveyResults | None = None, prepared_by: str | None = None,
               prepared_on: dt.date | None = None) -> MotReport:
        """The MOT of the council called ``organisation`` (or of that key).

        Raises:
            UnknownOrganisation: see :meth:`find`.
        """
        key = self.find(organisation)
        starts, from_tracker = self._starts(key)
        return MotReport(
            self.councils_by_key[key], self.latest_self[key], external=self.external.get(key),
            previous=self.previous.get(key), levy=self.levy.get(key), starts=starts,
            benchmarks=self.benchmarks(self.councils_by_key[key].region, tracker=from_tracker),
            survey=survey, prepared_by=prepared_by, prepared_on=prepared_on,
        )

    def peers(self, *, tracker: bool = False) -> list[PeerCouncil]:
        """One entry per council with any figure; starts from the tracker or from levy plans, never mixed."""
        starts = self.tracker_starts if tracker else self.plan_starts
        return [PeerCouncil(key, region, {s.strand: s.score for s in self.latest_self[key].strands}
                            if key in self.latest_self else {}, self.levy.get(key), starts.get(key))
                for key, region in self.regions.items()]

    def benchmarks(self, region: str | None, *, tracker: bool = False) -> Benchmarks:
        """The peer figures for a council of ``region`` (worked out once per region)."""
        cached = self._benchmarks.get((region, tracker))
        if cached is None:
            cached = self._benchmarks[(region, tracker)] = build_benchmarks(region, self.peers(tracker=tracker))
        return cached

    def _starts(self, key: str) -> tuple[StartsFigures | None, bool]:
        if key in self.tracker_starts:
            return self.tracker_starts[key], True
        return self.plan_starts.get(key), False


def load_mot_report(db: str | Path, organisation: str, *, survey: str | Path | SurveyResults | None = None,
                    prepared_by: str | None = None, prepared_on: dt.date | None = None) -> MotReport:
    """One council's MOT from the store at ``db``; ``survey`` is a Forms export (or its results).

    Raises:
        MotStoreError: no store at ``db``, or no self-assessment of ``organisation`` in it.
        lga_xl.mot.survey.SurveyError: the survey export cannot be used.
    """
    if survey is not None and not isinstance(survey, SurveyResults):
        from .survey import read_survey

        survey = read_survey(survey)
    return MotInputs.load(db).report(organisation, survey=survey, prepared_by=prepared_by, prepared_on=prepared_on)


# Private API: the queries.

# The newest Self return of each council dated before its latest one.
_PREVIOUS = """
    SELECT * FROM (
        SELECT p.*, ROW_NUMBER() OVER (PARTITION BY p.org_key ORDER BY p.assessment_date DESC, p.id DESC) AS n
        FROM returns p JOIN latest_returns l
          ON l.org_key = p.org_key AND l.kind = p.kind AND l.assessment_type = p.assessment_type
        WHERE p.status = 'imported' AND p.kind = 'self-assessment' AND p.assessment_type = 'Self'
          AND p.assessment_date < l.assessment_date
    ) WHERE n = 1"""
_ASSESSMENTS = """
    SELECT r.id, r.org_key, r.assessment_type, r.organisation, r.region, r.org_type, r.edition, r.assessment_date,
           a.assessor
    FROM ({returns}) r LEFT JOIN self_assessments a ON a.return_id = r.id"""
_LATEST_ASSESSMENTS = "SELECT * FROM latest_returns WHERE kind = 'self-assessment'"
_LEVY = """
    SELECT r.org_key, r.region, r.imported_at, p.tax_year, p.funds_in, p.planned_spend,
           p.transfer_allowance_statutory, p.transfers_total, p.expiring_funds, p.schools, p.schools_engaged,
           p.headcount, p.planned_starts_in_year
    FROM latest_returns r JOIN levy_plans p ON p.return_id = r.id WHERE r.kind = 'levy-plan'"""
_TRACKER = f"""
    SELECT r.org_key, r.region, t.year, t.headcount_start, t.starts_total
    FROM {TRACKER_TABLE} t JOIN latest_returns r ON r.id = t.return_id
    WHERE t.starts_total IS NOT NULL ORDER BY r.org_key, t.year"""
_OTHER_RETURNS = """
    SELECT org_key, organisation, kind, assessment_type FROM latest_returns
    WHERE org_key != '' AND NOT (kind = 'self-assessment' AND assessment_type = 'Self')"""


def _load(store: ReturnStore) -> MotInputs:
    latest = _assessments(store, _ASSESSMENTS.format(returns=_LATEST_ASSESSMENTS))
    councils = {key: council for key, council, a in latest if a.assessment_type == "Self"}
    inputs = MotInputs(
        councils_by_key=councils,
        latest_self={key: a for key, _, a in latest if a.assessment_type == "Self"},
        external={key: a for key, _, a in latest if a.assessment_type == "External"},
        previous={key: a for key, _, a in _assessments(store, _ASSESSMENTS.format(returns=_PREVIOUS))},
    )
    regions: dict[str, str | None] = {key: c.region for key, c in councils.items()}
    _, rows = store.query(_LEVY)
    for (key, region, imported_at, tax_year, funds_in, spend, allowance, transfers, expiring, schools, engaged,
         headcount, starts) in rows:
        inputs.levy[key] = LevyFigures(tax_year, _money(funds_in), _money(spend), _money(allowance),
                                       _money(transfers), _money(expiring), schools or 0, engaged or 0,
                                       returned_on=dt.datetime.fromisoformat(imported_at).date())
        if starts is not None:
            inputs.plan_starts[key] = StartsFigures(tax_year, starts, headcount, PLAN_SOURCE)
        regions.setdefault(key, region)
    if TRACKER_TABLE in _tables(store):
        _, rows = store.query(_TRACKER)
        for key, region, year, headcount, starts in rows:  # by year: the latest year wins
            inputs.tracker_starts[key] = StartsFigures(year, int(starts), _whole(headcount), TRACKER_SOURCE)
            regions.setdefault(key, region)
    inputs.regions = regions
    _, rows = store.query(_OTHER_RETURNS)
    for key, name, kind_name, assessment_type in rows:
        if key not in councils:
            what = "an External assessment" if assessment_type == "External" else f"a {_kind_title(kind_name)}"
            inputs.other_returns.setdefault(key, (name, set()))[1].add(what)
    return inputs


def _assessments(store: ReturnStore, sql: str) -> list[tuple[str, Council, Assessment]]:
    """(council key, council, assessment) of each return ``sql`` gives, with its strands and statuses."""
    columns, rows = store.query(sql)
    returns = [dict(zip(columns, row)) for row in rows]
    ids = [r["id"] for r in returns]
    strands: dict[int, list[StrandRating]] = defaultdict(list)
    _, rows = store.query("SELECT return_id, strand, current, target FROM strand_ratings "
                          f"WHERE return_id IN ({_ids(ids)}) ORDER BY return_id, position")
    external = {r["id"] for r in returns if r["assessment_type"] == "External"}
    for return_id, strand, current, target in rows:
        # A target is the council's own: the LGA's assessment is compared with the council's target.
        strands[return_id].append(StrandRating(strand, current, None if return_id in external else target))
    statuses: dict[int, dict[str, str | None]] = defaultdict(dict)
    _, rows = store.query(f"SELECT return_id, element_id, status FROM element_statuses WHERE return_id IN "
                          f"({_ids(ids)})")
    for return_id, element, status in rows:
        statuses[return_id][element] = status
    found = []
    for r in returns:
        if not strands[r["id"]]:
            continue  # no strand ratings: not a usable assessment
        council = Council(r["organisation"], r["region"], r["org_type"])
        assessment = Assessment(r["assessment_type"], _date(r["assessment_date"]), r["assessor"],
                                tuple(strands[r["id"]]), statuses[r["id"]], r["edition"] or "lga-2017")
        found.append((r["org_key"], council, assessment))
    return found


def _kind_title(kind_name: str) -> str:
    """'schools apprenticeship levy plan' for 'levy-plan'; the name itself for a kind this lga_xl does not know."""
    try:
        title = kind(kind_name).title
    except UnknownKind:
        return kind_name
    return title[:1].lower() + title[1:]


def _tables(store: ReturnStore) -> set[str]:
    _, rows = store.query("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {name for (name,) in rows}


def _ids(ids: Iterable[int]) -> str:
    # Return ids are integers from the store itself, so they are written into the SQL as numbers.
    return ", ".join(str(int(i)) for i in ids) or "NULL"


def _money(value: float | None) -> Decimal:
    """A REAL money column (already rounded to the penny by the levy rules) as Decimal pounds and pence."""
    return Decimal(repr(float(value or 0))).quantize(Decimal("0.01"))


def _whole(value: float | int | None) -> int | None:
    return None if value is None else int(value)


def _date(value: str | None) -> dt.date | None:
    return None if not value else dt.date.fromisoformat(value[:10])

