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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .benchmarks import (
    NATIONAL,
    MaturityBenchmark,
    area_of,
    levy_benchmarks,
    maturity_benchmarks,
)
from .maturity import load_edition
from .rating import LABELS
from .store import ReturnStore

# The latest self-assessment (Self) of each council stands for it in benchmarks.
_LATEST_SELF = "SELECT id, region FROM latest_returns WHERE kind = 'self-assessment' AND assessment_type = 'Self'"

QUERIES = {
    "returns": """
        SELECT r.id AS return_id, r.file_name AS file, r.status, r.kind, r.organisation, r.region, r.org_type,
               r.assessment_type, r.assessment_date, r.tax_year, r.overall_score, r.errors, r.warnings,
               CASE WHEN l.id IS NULL THEN 'No' ELSE 'Yes' END AS latest, r.imported_at, r.file_path
        FROM returns r LEFT JOIN latest_returns l ON l.id = r.id
        ORDER BY r.id""",
    "ratings": """
        SELECT r.id AS return_id, r.organisation, r.region, r.assessment_type, r.assessment_date,
               CASE WHEN l.id IS NULL THEN 'No' ELSE 'Yes' END AS latest,
               s.strand, s.current, s.score, s.target, s.target_score, s.gap,
               s.developing_achieved, s.maturing_achieved, s.mature_achieved, s.unanswered
        FROM strand_ratings s JOIN returns r ON r.id = s.return_id LEFT JOIN latest_returns l ON l.id = r.id
        WHERE r.status = 'imported'
        ORDER BY r.org_key, r.assessment_type, r.assessment_date, r.id, s.position""",
    "elements": """
        SELECT r.id AS return_id, r.organisation, r.assessment_type, e.element_id, e.strand, e.level, e.status, e.evidence
        FROM element_statuses e JOIN returns r ON r.id = e.return_id
        WHERE r.status = 'imported'
        ORDER BY r.id, e.position""",
    "levy_plans": """
        SELECT r.id AS return_id, r.organisation,
               COALESCE(r.region, (SELECT s.region FROM latest_returns s
                                   WHERE s.org_key = r.org_key AND s.kind = 'self-assessment' LIMIT 1)) AS region,
               p.tax_year, p.total_pay_bill, p.english_percent, p.annual_levy, p.funds_in, p.previous_year_funds,
               p.transfer_allowance_10, p.transfer_allowance_25, p.statutory_transfer_rate,
               p.transfer_allowance_statutory, p.transfers_committed, p.transfers_planned, p.headroom_10,
               p.headroom_25, p.headroom_statutory, p.over_committed,
               p.schools_levy_share, p.schools_planned_spend, p.planned_spend, p.spend_share, p.expiring_funds,
               p.schools, p.schools_engaged, p.planned_starts, p.public_sector_target_starts,
               CASE WHEN l.id IS NULL THEN 'No' ELSE 'Yes' END AS latest
        FROM levy_plans p JOIN returns r ON r.id = p.return_id LEFT JOIN latest_returns l ON l.id = r.id
        WHERE r.status = 'imported'
        ORDER BY r.org_key, p.tax_year, r.id""",
    "schools": """
        SELECT r.id AS return_id, r.organisation, s.urn, s.name, s.type, s.in_council_levy, s.pay_bill,
               s.headcount, s.levy_share, s.planned_spend, s.balance
        FROM schools s JOIN returns r ON r.id = s.return_id WHERE r.status = 'imported'
        ORDER BY r.id, s.position""",
    "planned_starts": """
        SELECT r.id AS return_id, r.organisation, p.urn, p.standard, p.title, p.level, p.start_date,
               p.duration_months, p.price, p.band_max, p.above_cap, p.in_year_cost
        FROM planned_starts p JOIN returns r ON r.id = p.return_id WHERE r.status = 'imported'
        ORDER BY r.id, p.position""",
    "transfers": """
        SELECT r.id AS return_id, r.organisation, t.recipient, t.standard, t.start_date, t.duration_months,
               t.price, t.in_year_cost
        FROM transfers t JOIN returns r ON r.id = t.return_id WHERE r.status = 'imported'
        ORDER BY r.id, t.position""",
    "issues": """
        SELECT i.file, i.sheet, i.cell, i.severity, i.code, i.message, r.id AS return_id, r.organisation, r.status
        FROM issues i JOIN returns r ON r.id = i.return_id
        ORDER BY r.id, i.id""",
}


@dataclass
class Section:
    """One table of the consolidated output: snake_case columns and rows."""

    name: str
    columns: list[str]
    rows: list[tuple]


def load_sections(db: str | Path) -> list[Section]:
    """Every consolidated table, benchmarks included, in workbook order."""
    with ReturnStore(db) as store:
        sections = []
        for name, sql in QUERIES.items():
            columns, rows = store.query(sql)
            sections.append(Section(name, columns, list(rows)))
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
    scores: dict[int, list[float]] = defaultdict(list)
    regions: dict[int, str | None] = {}
    for return_id, region, _, score in rows:
        scores[return_id].append(score)
        regions[return_id] = region
    maturity = maturity_benchmarks([(regions[i], s) for i, s in scores.items() if len(s) == len(strands)], strands)

    _, rows = store.query(
        "SELECT COALESCE(r.region, (SELECT s.region FROM latest_returns s WHERE s.org_key = r.org_key"
        "   AND s.kind = 'self-assessment' LIMIT 1)), p.spend_share, p.schools, p.schools_engaged,"
        "   p.headroom_statutory "
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
                  b.median_headroom_statutory) for b in levy]),
    ], maturity


def section_map(sections: Sequence[Section]) -> dict[str, Section]:
    return {s.name: s for s in sections}


def as_frames(sections: Sequence[Section]) -> dict[str, Any]:
    """Sections as pandas DataFrames (pandas is imported only here)."""
    import pandas as pd

    return {s.name: pd.DataFrame(s.rows, columns=s.columns) for s in sections}
