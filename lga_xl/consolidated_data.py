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
    public_sector_benchmarks,
)
from .kinds import KINDS, Kind, StoreTable
from .maturity import load_edition
from .rating import LABELS
from .store import ReturnStore, quoted

# The latest self-assessment (Self) of each council stands for it in benchmarks.
_LATEST_SELF = "SELECT id, region FROM latest_returns WHERE kind = 'self-assessment' AND assessment_type = 'Self'"
# A return without a region (a levy plan may leave it blank) takes its council's self-assessment region.
_REGION = ("COALESCE(r.region, (SELECT s.region FROM latest_returns s WHERE s.org_key = r.org_key"
           " AND s.kind = 'self-assessment' LIMIT 1)) AS region")
_LATEST = "CASE WHEN l.id IS NULL THEN 0 ELSE 1 END AS latest"

RETURNS_QUERY = f"""
    SELECT r.id AS return_id, r.file_name AS file, r.status, r.kind, r.organisation, r.region, r.org_type,
           r.assessment_type, r.assessment_date, r.tax_year, r.overall_score, r.errors, r.warnings,
           {_LATEST}, substr(replace(r.imported_at, 'T', ' '), 1, 16) AS imported_at, r.file_path
    FROM returns r LEFT JOIN latest_returns l ON l.id = r.id
    ORDER BY r.id"""
ISSUES_QUERY = """
    SELECT r.file_name AS file, i.sheet, i.cell, i.severity, i.code, i.message, r.id AS return_id, r.organisation,
           r.status, i.file AS file_path
    FROM issues i JOIN returns r ON r.id = i.return_id
    ORDER BY r.id, i.id"""
# Columns of the returns table shown beside a kind's own: what tells its returns apart.
_IDENTITY = {"self-assessment": ("assessment_type", "assessment_date")}

# Value kinds of the columns the consolidated queries add (a kind's own columns carry theirs, from the
# registry).  Besides the contracts' kinds: "bool" (shown Yes or No everywhere), "path" (a file's place on
# the importing machine: in the CSV files and DataFrames, not in the workbook one shares), "status" and
# "severity" (coloured in the workbook).
COMMON_KINDS = {
    "return_id": "", "file": "text", "status": "status", "kind": "text", "organisation": "text", "region": "text",
    "org_type": "text", "assessment_type": "text", "assessment_date": "date", "tax_year": "text",
    "overall_score": "score", "errors": "whole", "warnings": "whole", "latest": "bool", "imported_at": "text",
    "file_path": "path", "sheet": "text", "cell": "text", "severity": "severity", "code": "text",
    "message": "text", "regional_mean": "score", "national_mean": "score", "area": "text", "strand": "text",
    "councils": "whole",
}
YES, NO = "Yes", "No"


@dataclass
class Section:
    """One table of the consolidated output: snake_case columns, rows, and each column's value kind.

    ``title`` is its sheet in the consolidated workbook (none for the
    benchmarks, which share one), ``description`` what a row is, for the
    workbook's About sheet, and ``identity`` the columns that say whose and
    which a row is (the workbook keeps them at the left, in view and printed).
    """

    name: str
    columns: list[str]
    rows: list[tuple]
    kinds: dict[str, str] = field(default_factory=dict)
    title: str = ""
    description: str = ""
    identity: tuple[str, ...] = ()

    def kind_of(self, column: str) -> str:
        return self.kinds.get(column, "")


def kind_query(kind_name: str, table: StoreTable, present: list[str]) -> str:
    """The rows of one of a kind's store tables, imported returns only, with their council."""
    identity = "".join(f", r.{column}" for column in _IDENTITY.get(kind_name, ()))
    columns = ", ".join(f"t.{quoted(c.name)}" for c in table.columns if c.name != "position" and c.name in present)
    order = "" if table.per_return else ", t.position"
    return (f"SELECT r.id AS return_id, r.organisation, {_REGION}{identity}, {_LATEST}, {columns} "
            f"FROM {table.name} t JOIN returns r ON r.id = t.return_id LEFT JOIN latest_returns l ON l.id = r.id "
            f"WHERE r.status = 'imported' ORDER BY r.org_key, r.id{order}")


def describe(workbook_kind: Kind, table: StoreTable) -> str:
    """What one row of a kind's consolidated table is, for the About sheet.

    Example:
        >>> from lga_xl.kinds import kind
        >>> describe(kind("levy-plan"), kind("levy-plan").store_tables[1])
        'One row per row of the Schools table of each imported schools apprenticeship levy plan.'
    """
    if table.description:
        return table.description
    what = workbook_kind.title[0].lower() + workbook_kind.title[1:]
    if table.per_return:
        return f"One row per imported {what}, with its figures."
    return f"One row per row of the {table.title} table of each imported {what}."


def load_sections(db: str | Path) -> list[Section]:
    """Every consolidated table, benchmarks included, in workbook order."""
    with ReturnStore(db) as store:
        columns, rows = store.query(RETURNS_QUERY)
        sections = [Section("returns", columns, list(rows), _kinds(columns), "Returns",
                            "One row per file read, imported or rejected, with its status, its errors and "
                            "warnings, and whether it is its council's latest return of its kind.",
                            ("return_id", "file"))]
        for workbook_kind in KINDS.values():
            for table in workbook_kind.store_tables:
                columns, rows = store.query(kind_query(workbook_kind.name, table, store.columns(table.name)))
                own = {c.name: c.kind or ("whole" if c.sql_type == "INTEGER" else "") for c in table.columns}
                # A row of a return's table is told apart by the table's first column (a strand, an element...).
                first = () if table.per_return else tuple(c for c in own if c != "position" and c in columns)[:1]
                sections.append(Section(table.section_name, columns, list(rows), _kinds(columns, own), table.title,
                                        describe(workbook_kind, table), ("return_id", "organisation", *first)))
        _insert_after(sections, "elements", _progress_section(store))
        columns, rows = store.query(ISSUES_QUERY)
        sections.append(Section("issues", columns, list(rows), _kinds(columns), "Issues",
                                "Every problem found in a file, with its sheet and cell: errors stopped a return "
                                "being imported, warnings did not. Files that are not workbooks are listed as "
                                "skipped.", ("file",)))
        benchmarks, maturity = _benchmark_sections(store)
    _add_comparisons(section_map(sections)["ratings"], maturity)
    sections += benchmarks
    for section in sections:
        _yes_or_no(section)
    return sections


def _progress_section(store: ReturnStore) -> Section:
    from .history import PROGRESS_COLUMNS, PROGRESS_KINDS, progress_rows

    return Section("progress", list(PROGRESS_COLUMNS), progress_rows(store), dict(PROGRESS_KINDS), "Progress",
                   "One row per strand of each council's latest Self assessment, beside its previous one: the "
                   "rating and score then and now, and the change in score (blank for a council with one "
                   "assessment, or a strand not rated in both).", ("return_id", "organisation", "strand"))


def _insert_after(sections: list[Section], name: str, section: Section) -> None:
    """``section`` placed after the section called ``name`` (at the end when there is none)."""
    names = [s.name for s in sections]
    sections.insert(names.index(name) + 1 if name in names else len(sections), section)


def _kinds(columns: Sequence[str], own: dict[str, str] | None = None) -> dict[str, str]:
    own = own or {}
    return {column: own.get(column) or COMMON_KINDS.get(column, "") for column in columns}


def _yes_or_no(section: Section) -> None:
    """Yes or No in every yes/no column (the store keeps 1 and 0), so that all outputs say it one way."""
    flags = [i for i, column in enumerate(section.columns) if section.kind_of(column) == "bool"]
    if not flags:
        return
    rows = []
    for row in section.rows:  # only the flag columns are touched: a section has tens of thousands of rows
        values = list(row)
        for i in flags:
            if values[i] is not None:
                values[i] = YES if values[i] else NO
        rows.append(tuple(values))
    section.rows = rows


def _add_comparisons(ratings: Section, maturity: list[MaturityBenchmark]) -> None:
    """Each strand rating beside its region's and England's mean, as the MOT compares them."""
    strands = load_edition().strand_names
    means = {(b.area, strand): mean for b in maturity for strand, mean in zip(strands, b.strand_means)}
    region, strand = ratings.columns.index("region"), ratings.columns.index("strand")
    ratings.columns += ["regional_mean", "national_mean"]
    ratings.kinds.update(regional_mean="score", national_mean="score")
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

    # Each council's latest tracker, and in it the latest reporting year with a headcount.
    _, rows = store.query(
        f"SELECT r.id, {_REGION}, p.headcount_start, p.starts_total, p.starts_share "
        "FROM latest_returns r JOIN tracker_public_sector p ON p.return_id = r.id "
        "WHERE r.kind = 'tracker' AND p.year IS NOT NULL AND p.headcount_start > 0 ORDER BY r.id, p.year"
    )
    latest_year = {return_id: figures for return_id, *figures in rows}  # the last (latest) year wins
    public_sector = public_sector_benchmarks([tuple(figures) for figures in latest_year.values()])

    return [
        Section("benchmark_scores", ["area", "councils", *strands, "overall_mean"],
                [(b.area, b.councils, *b.strand_means, b.overall_mean) for b in maturity],
                {"area": "text", "councils": "whole", **dict.fromkeys(strands, "score"), "overall_mean": "score"},
                description="The mean maturity score by strand, England and each region: each council counts once, by "
                            "its latest self-assessment; a strand's mean is over the councils rated on it."),
        Section("rating_distribution", ["area", "strand", *LABELS, "councils"],
                [(b.area, strand, *counts, sum(counts))
                 for b in maturity for strand, counts in zip(strands, b.distribution)],
                {"area": "text", "strand": "text", **dict.fromkeys(LABELS, "whole"), "councils": "whole"},
                description="How many councils are at each rating, strand by strand (councils rated on the strand)."),
        Section("levy_benchmarks",
                ["area", "levy_plans", "median_spend_share", "schools", "schools_engaged", "engaged_share",
                 "median_headroom_statutory"],
                [(b.area, b.plans, b.median_spend_share, b.schools, b.schools_engaged, b.engaged_share,
                  b.median_headroom_statutory) for b in levy],
                {"area": "text", "levy_plans": "whole", "median_spend_share": "percent", "schools": "whole",
                 "schools_engaged": "whole", "engaged_share": "percent", "median_headroom_statutory": "money"},
                description="Levy plans, England and each region: the median share of funds planned to be spent, "
                            "and the schools with a planned start."),
        Section("public_sector_benchmarks",
                ["area", "councils", "median_starts_share", "headcount", "starts", "starts_share"],
                [(b.area, b.councils, b.median_starts_share, b.headcount, b.starts, b.starts_share)
                 for b in public_sector],
                {"area": "text", "councils": "whole", "median_starts_share": "percent", "headcount": "whole",
                 "starts": "whole", "starts_share": "percent"},
                description="Public sector figures, England and each region, from each council's latest tracker: "
                            "apprenticeship starts as a share of headcount."),
    ], maturity


def section_map(sections: Sequence[Section]) -> dict[str, Section]:
    return {s.name: s for s in sections}


def as_frames(sections: Sequence[Section]) -> dict[str, Any]:
    """Sections as pandas DataFrames (pandas is imported only here)."""
    import pandas as pd

    return {s.name: pd.DataFrame(s.rows, columns=s.columns) for s in sections}
