"""What the consolidated outputs show, taken from the store in one place.

The consolidated workbook, the CSV export and the DataFrames returned by the
bulk import all come from :func:`load_sections`, so they always agree.

Example:
    >>> import tempfile, pathlib
    >>> from lga_xl.store import ReturnStore
    >>> db = pathlib.Path(tempfile.mkdtemp()) / "returns.sqlite"
    >>> ReturnStore(db).close()
    >>> [s.name for s in load_sections(db)][:3]
    ['returns', 'ratings', 'elements']
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .benchmarks import (
    NATIONAL,
    MaturityBenchmark,
    area_of,
    levy_benchmarks,
    maturity_benchmarks,
)
from .kinds import KINDS, StoreTable
from .maturity import load_edition
from .rating import LABELS
from .store import ReturnStore, quoted

# The latest self-assessment (Self) of each council stands for it in benchmarks.
_LATEST_SELF = "SELECT id, region FROM latest_returns WHERE kind = 'self-assessment' AND assessment_type = 'Self'"
# A return without a region (a levy plan may leave it blank) takes its council's self-assessment region.
_REGION = ("COALESCE(r.region, (SELECT s.region FROM latest_returns s WHERE s.org_key = r.org_key"
           " AND s.kind = 'self-assessment' LIMIT 1)) AS region")
_LATEST = "CASE WHEN l.id IS NULL THEN 'No' ELSE 'Yes' END AS latest"

RETURNS_QUERY = f"""
    SELECT r.id AS return_id, r.file_name AS file, r.status, r.kind, r.organisation, r.region, r.org_type,
           r.assessment_type, r.assessment_date, r.tax_year, r.overall_score, r.errors, r.warnings,
           {_LATEST}, r.imported_at, r.file_path
    FROM returns r LEFT JOIN latest_returns l ON l.id = r.id
    ORDER BY r.id"""
ISSUES_QUERY = """
    SELECT i.file, i.sheet, i.cell, i.severity, i.code, i.message, r.id AS return_id, r.organisation, r.status
    FROM issues i JOIN returns r ON r.id = i.return_id
    ORDER BY r.id, i.id"""
# Columns of the returns table shown beside a kind's own: what tells its returns apart.
_IDENTITY = {"self-assessment": ("assessment_type", "assessment_date")}


@dataclass
class Section:
    """One table of the consolidated output: snake_case columns, rows, and each column's value kind."""

    name: str
    columns: list[str]
    rows: list[tuple]
    kinds: dict[str, str] = field(default_factory=dict)
    title: str = ""  # the consolidated workbook's sheet


def kind_query(kind_name: str, table: StoreTable, present: list[str]) -> str:
    """The rows of one of a kind's store tables, imported returns only, with their council."""
    identity = "".join(f", r.{column}" for column in _IDENTITY.get(kind_name, ()))
    columns = ", ".join(f"t.{quoted(c.name)}" for c in table.columns if c.name != "position" and c.name in present)
    order = "" if table.per_return else ", t.position"
    return (f"SELECT r.id AS return_id, r.organisation, {_REGION}{identity}, {_LATEST}, {columns} "
            f"FROM {table.name} t JOIN returns r ON r.id = t.return_id LEFT JOIN latest_returns l ON l.id = r.id "
            f"WHERE r.status = 'imported' ORDER BY r.org_key, r.id{order}")


def load_sections(db: str | Path) -> list[Section]:
    """Every consolidated table, benchmarks included, in workbook order."""
    with ReturnStore(db) as store:
        columns, rows = store.query(RETURNS_QUERY)
        sections = [Section("returns", columns, list(rows), {"assessment_date": "date"}, "Returns")]
        for kind_name, workbook_kind in KINDS.items():
            for table in workbook_kind.store_tables:
                columns, rows = store.query(kind_query(kind_name, table, store.columns(table.name)))
                kinds = {c.name: c.kind for c in table.columns if c.kind}
                sections.append(Section(table.section_name, columns, list(rows), kinds, table.title))
        columns, rows = store.query(ISSUES_QUERY)
        sections.append(Section("issues", columns, list(rows), title="Issues"))
        benchmarks, maturity = _benchmark_sections(store)
    _add_comparisons(section_map(sections)["ratings"], maturity)
    return sections + benchmarks


def _add_comparisons(ratings: Section, maturity: list[MaturityBenchmark]) -> None:
    """Each strand rating beside its region's and England's mean, as the MOT compares them."""
    strands = load_edition().strand_names
    means = {(b.area, strand): mean for b in maturity for strand, mean in zip(strands, b.strand_means)}
    region, strand = ratings.columns.index("region"), ratings.columns.index("strand")
    ratings.columns += ["regional_mean", "national_mean"]
    ratings.rows = [row + (means.get((area_of(row[region]), row[strand])), means.get((NATIONAL, row[strand])))
                    for row in ratings.rows]


def _benchmark_sections(store: ReturnStore) -> tuple[list[Section], list[MaturityBenchmark]]:
    strands = load_edition().strand_names
    _, rows = store.query(
        f"SELECT l.id, l.region, s.position, s.score FROM ({_LATEST_SELF}) l "
        "JOIN strand_ratings s ON s.return_id = l.id ORDER BY l.id, s.position"
    )
    scores: dict[int, list[float | None]] = defaultdict(list)  # None: a strand not rated yet
    regions: dict[int, str | None] = {}
    for return_id, region, _, score in rows:
        scores[return_id].append(score)
        regions[return_id] = region
    maturity = maturity_benchmarks([(regions[i], s) for i, s in scores.items() if len(s) == len(strands)], strands)

    _, rows = store.query(
        f"SELECT {_REGION}, p.spend_share, p.schools, p.schools_engaged, p.headroom_statutory "
        "FROM latest_returns r JOIN levy_plans p ON p.return_id = r.id WHERE r.kind = 'levy-plan'"
    )
    levy = levy_benchmarks([tuple(row) for row in rows])

    return [
        Section("benchmark_scores", ["area", "councils", *strands, "overall_mean"],
                [(b.area, b.councils, *b.strand_means, b.overall_mean) for b in maturity]),
        Section("rating_distribution", ["area", "strand", *LABELS, "councils"],
                [(b.area, strand, *counts, sum(counts))
                 for b in maturity for strand, counts in zip(strands, b.distribution)]),
        Section("levy_benchmarks",
                ["area", "levy_plans", "median_spend_percent", "schools", "schools_engaged", "engaged_percent",
                 "median_headroom_statutory"],
                [(b.area, b.plans, b.median_spend_percent, b.schools, b.schools_engaged, b.engaged_percent,
                  b.median_headroom_statutory) for b in levy], {"median_headroom_statutory": "money"}),
    ], maturity


def section_map(sections: Sequence[Section]) -> dict[str, Section]:
    return {s.name: s for s in sections}


def as_frames(sections: Sequence[Section]) -> dict[str, Any]:
    """Sections as pandas DataFrames (pandas is imported only here)."""
    import pandas as pd

    return {s.name: pd.DataFrame(s.rows, columns=s.columns) for s in sections}
