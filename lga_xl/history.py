"""A council's returns over time, and each council's progress between its last two self-assessments.

``lga-xl history ORG --db STORE`` lists every imported return of one
council, oldest first, with each self-assessment's rating and score per
strand side by side, so a year's change shows at a glance (``--json`` for
scripts).  The consolidated workbook's Progress sheet
(:func:`progress_rows`) shows, for every council with a Self assessment,
each strand's previous and latest rating and score and the change.  "Latest"
and "previous" follow the store's order of returns (``latest_returns``): by
assessment date, then the order they were imported.

Example:
    >>> import tempfile, pathlib
    >>> from lga_xl.samples import sample_self_assessment
    >>> from lga_xl.bulk import import_returns
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = sample_self_assessment(folder / "2025.xlsx", seed=3, years_earlier=1)
    >>> _ = sample_self_assessment(folder / "2026.xlsx", seed=3)
    >>> _ = import_returns([folder], db=folder / "returns.sqlite")
    >>> history = council_history("dunmere borough council", folder / "returns.sqlite")
    >>> history.organisation, [item.kind for item in history.returns]
    ('Dunmere Borough Council', ['self-assessment', 'self-assessment'])
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .store import ReturnStore

# The store's order of a council's returns of one kind, oldest first (latest_returns takes the last).
_ORDER = "COALESCE(r.assessment_date, r.tax_year, ''), r.id"
PROGRESS_COLUMNS = ("return_id", "organisation", "region", "strand", "previous_date", "previous_rating",
                    "previous_score", "latest_date", "latest_rating", "latest_score", "change")
PROGRESS_KINDS = {"return_id": "", "organisation": "text", "region": "text", "strand": "text",
                  "previous_date": "date", "previous_rating": "text", "previous_score": "score",
                  "latest_date": "date", "latest_rating": "text", "latest_score": "score", "change": "score"}


class HistoryError(LookupError):
    """No imported return of the organisation asked for; the message suggests names the store has."""


@dataclass(frozen=True)
class StrandPoint:
    """One strand of one self-assessment: its rating, score (None while not rated) and target."""

    strand: str
    current: str
    score: float | None
    target: str | None


@dataclass(frozen=True)
class PastReturn:
    """One imported return of the council."""

    return_id: int
    kind: str
    assessment_type: str  # Self or External for a self-assessment, "" otherwise
    date: str | None  # the assessment or reporting date (ISO), or a levy plan's tax year
    file_name: str
    imported_at: str
    latest: bool  # the council's latest of its kind and assessment type
    overall_score: float | None = None
    strands: tuple[StrandPoint, ...] = ()


@dataclass
class CouncilHistory:
    """A council's imported returns, oldest first."""

    organisation: str
    region: str | None
    returns: list[PastReturn] = field(default_factory=list)

    def to_json(self) -> str:
        """The history as JSON (``lga-xl history --json``)."""
        return json.dumps(asdict(self), indent=2, ensure_ascii=False)

    def lines(self) -> list[str]:
        """The history as ``lga-xl history`` prints it: ratings per strand, one column per self-assessment."""
        lines = [f"{self.organisation} ({self.region or 'no region'}): {len(self.returns)} imported return(s)"]
        for assessment_type in ("Self", "External"):
            assessments = [item for item in self.returns
                           if item.kind == "self-assessment" and item.assessment_type == assessment_type]
            if assessments:
                lines += ["", f"{assessment_type} assessments", *_rating_table(assessments)]
        others = [item for item in self.returns if item.kind != "self-assessment"]
        if others:
            lines += ["", "Other returns"]
            lines += [f"  {item.kind:18} {item.date or '':12} {item.file_name}{'  (latest)' if item.latest else ''}"
                      for item in others]
        return lines


def council_history(organisation: str, db: str | Path) -> CouncilHistory:
    """Every imported return of ``organisation`` (case and spaces ignored) in the store at ``db``, oldest first.

    Raises:
        HistoryError: the store has no imported return of that organisation.
    """
    from .bulk import _org_key

    key = _org_key(organisation)
    with ReturnStore(db) as store:
        _, rows = store.query(
            "SELECT r.id, r.kind, r.assessment_type, COALESCE(r.assessment_date, r.tax_year), r.file_name, "
            "substr(replace(r.imported_at, 'T', ' '), 1, 16), l.id IS NOT NULL, r.overall_score, r.organisation, "
            "r.region FROM returns r LEFT JOIN latest_returns l ON l.id = r.id "
            f"WHERE r.org_key = ? AND r.status = 'imported' ORDER BY {_ORDER}", (key,))
        found = list(rows)
        if not found:
            raise HistoryError(_not_found(store, organisation))
        strands = _strands(store, [row[0] for row in found if row[1] == "self-assessment"])
    returns = [PastReturn(return_id, kind, assessment_type, date, file_name, imported_at, bool(latest),
                          overall, tuple(strands.get(return_id, ())))
               for return_id, kind, assessment_type, date, file_name, imported_at, latest, overall, *_ in found]
    newest = found[-1]
    return CouncilHistory(newest[8], newest[9], returns)


def progress_rows(store: ReturnStore) -> list[tuple]:
    """The Progress sheet: each strand of each council's latest Self assessment beside its previous one.

    A council with one Self assessment has no previous figures; the change
    is latest minus previous score, when both strands are rated.
    """
    _, rows = store.query(
        "SELECT id, org_key, organisation, region, assessment_date FROM (SELECT r.*, ROW_NUMBER() OVER ("
        "PARTITION BY org_key ORDER BY COALESCE(assessment_date, tax_year, '') DESC, id DESC) AS recency "
        "FROM returns r WHERE status = 'imported' AND kind = 'self-assessment' AND assessment_type = 'Self') "
        "WHERE recency <= 2 ORDER BY org_key, recency")
    pairs: dict[str, list[tuple]] = {}
    for row in rows:
        pairs.setdefault(row[1], []).append(row)
    strands = _strands(store, [row[0] for pair in pairs.values() for row in pair])
    progress = []
    for latest, *previous in pairs.values():
        before = {point.strand: point for point in strands.get(previous[0][0], ())} if previous else {}
        for point in strands.get(latest[0], ()):
            old = before.get(point.strand)
            change = None if old is None or old.score is None or point.score is None else point.score - old.score
            progress.append((latest[0], latest[2], latest[3], point.strand,
                             previous[0][4] if previous else None, old.current if old else None,
                             old.score if old else None, latest[4], point.current, point.score, change))
    return progress


# Private API.


def _strands(store: ReturnStore, return_ids: list[int]) -> dict[int, list[StrandPoint]]:
    found: dict[int, list[StrandPoint]] = {}
    for chunk in _chunks(return_ids, 500):
        _, rows = store.query(f"SELECT return_id, strand, current, score, target FROM strand_ratings WHERE return_id "
                              f"IN ({', '.join('?' * len(chunk))}) ORDER BY return_id, position", tuple(chunk))
        for return_id, *point in rows:
            found.setdefault(return_id, []).append(StrandPoint(*point))
    return found


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _rating_table(assessments: list[PastReturn]) -> list[str]:
    """Strands down, assessments across: rating and score, then the overall score."""
    width = 18
    header = f"  {'':44}" + "".join(f"{(item.date or '?')[:10]:>{width}}" for item in assessments)
    lines = [header]
    for index, point in enumerate(assessments[-1].strands):
        cells = []
        for item in assessments:
            other = item.strands[index] if index < len(item.strands) else None
            shown = "" if other is None else other.current + ("" if other.score is None else f" {other.score:.1f}")
            cells.append(f"{shown:>{width}}")
        lines.append(f"  {point.strand[:44]:44}" + "".join(cells))
    lines.append(f"  {'Overall score':44}" + "".join(
        f"{'' if item.overall_score is None else f'{item.overall_score:.2f}':>{width}}" for item in assessments))
    return lines


def _not_found(store: ReturnStore, organisation: str) -> str:
    _, rows = store.query("SELECT DISTINCT organisation FROM returns WHERE status = 'imported' "
                          "AND organisation IS NOT NULL")
    names = {row[0].casefold(): row[0] for row in rows}
    close = [names[name] for name in difflib.get_close_matches(organisation.casefold(), names, n=3, cutoff=0.6)] or \
        [name for folded, name in names.items() if organisation.casefold() in folded][:3]
    hint = f"; did you mean {' or '.join(repr(name) for name in close)}?" if close else ""
    return f"no imported return of {organisation!r} in {store.path}{hint}"
