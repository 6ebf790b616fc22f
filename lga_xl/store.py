"""The returns store: one SQLite database holding every imported return.

A return is identified by its organisation, kind, assessment type and a hash
of its content (what was read, not the file's bytes, so a file re-saved
without changes is still the same return).  Adding a return that is already
there changes nothing; a changed return from the same organisation is kept
beside the older one so that progress over time can be shown.  Files are
written in batches, one transaction each, so a crash mid-import leaves the
store as it was after the last complete batch.

Example:
    >>> import tempfile, pathlib
    >>> with ReturnStore(pathlib.Path(tempfile.mkdtemp()) / "returns.sqlite") as store:
    ...     store.table_counts()["returns"]
    0
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS import_runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    lga_xl_version TEXT NOT NULL,
    files_read INTEGER, imported INTEGER, unchanged INTEGER, rejected INTEGER, skipped INTEGER
);
CREATE TABLE IF NOT EXISTS returns (
    id INTEGER PRIMARY KEY,
    org_key TEXT NOT NULL,            -- organisation name folded (case, spaces); '' when unreadable
    kind TEXT NOT NULL,               -- 'self-assessment', 'levy-plan', or 'unknown' when unreadable
    assessment_type TEXT NOT NULL,    -- 'Self' or 'External' for self-assessments, '' otherwise
    content_hash TEXT NOT NULL,       -- sha256 of what was read (of the file bytes when unreadable)
    status TEXT NOT NULL CHECK (status IN ('imported', 'rejected')),
    organisation TEXT,
    region TEXT,
    org_type TEXT,
    template_version TEXT,
    edition TEXT,
    assessment_date TEXT,             -- ISO date, self-assessments
    tax_year TEXT,                    -- e.g. 2026-27, levy plans
    overall_score REAL,
    errors INTEGER NOT NULL,
    warnings INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    file_path TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    file_size INTEGER NOT NULL,
    import_run INTEGER NOT NULL REFERENCES import_runs(id),
    imported_at TEXT NOT NULL,
    UNIQUE (org_key, kind, assessment_type, content_hash)
);
CREATE TABLE IF NOT EXISTS strand_ratings (
    return_id INTEGER NOT NULL REFERENCES returns(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,        -- strand order in the model, 1 to 5
    strand TEXT NOT NULL,
    current TEXT NOT NULL,
    score REAL NOT NULL,
    target TEXT,
    target_score REAL,
    gap REAL,
    plus_rule TEXT,
    developing_achieved INTEGER, developing_applicable INTEGER,
    maturing_achieved INTEGER, maturing_applicable INTEGER,
    mature_achieved INTEGER, mature_applicable INTEGER,
    unanswered INTEGER,
    PRIMARY KEY (return_id, strand)
);
CREATE TABLE IF NOT EXISTS element_statuses (
    return_id INTEGER NOT NULL REFERENCES returns(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    element_id TEXT NOT NULL,
    strand TEXT NOT NULL,
    level TEXT NOT NULL,
    status TEXT,                      -- NULL when not answered
    evidence TEXT,
    cell TEXT,
    PRIMARY KEY (return_id, element_id)
);
CREATE TABLE IF NOT EXISTS levy_plans (
    return_id INTEGER PRIMARY KEY REFERENCES returns(id) ON DELETE CASCADE,
    tax_year TEXT,
    total_pay_bill REAL, english_percent REAL, annual_levy REAL, funds_in REAL,
    previous_year_funds REAL, opening_balance REAL, transfers_committed REAL, transfers_planned REAL,
    transfer_allowance_10 REAL, transfer_allowance_25 REAL, statutory_transfer_rate REAL,
    transfer_allowance_statutory REAL, headroom_10 REAL, headroom_25 REAL, headroom_statutory REAL, over_committed REAL,
    schools_levy_share REAL, schools_planned_spend REAL, planned_spend REAL,
    spend_share REAL,                 -- planned in-year spend / funds entering the account
    public_sector_target_starts INTEGER, expiring_funds REAL,
    schools INTEGER,                  -- schools in the council's levy
    schools_engaged INTEGER,          -- of those, schools with at least one planned start
    planned_starts INTEGER
);
CREATE TABLE IF NOT EXISTS schools (
    return_id INTEGER NOT NULL REFERENCES returns(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    urn TEXT, name TEXT, type TEXT, in_council_levy INTEGER,
    pay_bill REAL, headcount INTEGER, levy_share REAL, planned_spend REAL, balance REAL,
    PRIMARY KEY (return_id, position)
);
CREATE TABLE IF NOT EXISTS planned_starts (
    return_id INTEGER NOT NULL REFERENCES returns(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    urn TEXT,                         -- blank for the council's own staff
    standard TEXT, title TEXT, level INTEGER, start_date TEXT, duration_months INTEGER,
    price REAL, band_max REAL, above_cap REAL, in_year_cost REAL,
    PRIMARY KEY (return_id, position)
);
CREATE TABLE IF NOT EXISTS transfers (
    return_id INTEGER NOT NULL REFERENCES returns(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    recipient TEXT, standard TEXT, start_date TEXT, duration_months INTEGER, price REAL, in_year_cost REAL,
    PRIMARY KEY (return_id, position)
);
CREATE TABLE IF NOT EXISTS issues (
    id INTEGER PRIMARY KEY,
    return_id INTEGER NOT NULL REFERENCES returns(id) ON DELETE CASCADE,
    file TEXT, sheet TEXT, cell TEXT,
    severity TEXT NOT NULL, code TEXT NOT NULL, message TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS issues_by_return ON issues (return_id);

-- The newest imported return per organisation, kind and assessment type.
CREATE VIEW IF NOT EXISTS latest_returns AS
SELECT * FROM (
    SELECT r.*, ROW_NUMBER() OVER (
        PARTITION BY org_key, kind, assessment_type
        ORDER BY COALESCE(assessment_date, tax_year, '') DESC, id DESC) AS recency
    FROM returns r WHERE status = 'imported'
) WHERE recency = 1;
"""

# Columns written by ReturnStore.add, in table order (the rest are filled by the store).
RETURN_FIELDS = (
    "org_key", "kind", "assessment_type", "content_hash", "status", "organisation", "region", "org_type",
    "template_version", "edition", "assessment_date", "tax_year", "overall_score", "errors", "warnings",
    "file_name", "file_path", "file_sha256", "file_size",
)
CHILD_TABLES = {
    "strand_ratings": (
        "position", "strand", "current", "score", "target", "target_score", "gap", "plus_rule",
        "developing_achieved", "developing_applicable", "maturing_achieved", "maturing_applicable",
        "mature_achieved", "mature_applicable", "unanswered",
    ),
    "element_statuses": ("position", "element_id", "strand", "level", "status", "evidence", "cell"),
    "levy_plans": (
        "tax_year", "total_pay_bill", "english_percent", "annual_levy", "funds_in", "previous_year_funds",
        "opening_balance", "transfers_committed", "transfers_planned", "transfer_allowance_10",
        "transfer_allowance_25", "statutory_transfer_rate", "transfer_allowance_statutory", "headroom_10",
        "headroom_25", "headroom_statutory", "over_committed", "schools_levy_share", "schools_planned_spend", "planned_spend", "spend_share",
        "public_sector_target_starts", "expiring_funds", "schools", "schools_engaged", "planned_starts",
    ),
    "schools": ("position", "urn", "name", "type", "in_council_levy", "pay_bill", "headcount", "levy_share",
                "planned_spend", "balance"),
    "planned_starts": ("position", "urn", "standard", "title", "level", "start_date", "duration_months", "price",
                       "band_max", "above_cap", "in_year_cost"),
    "transfers": ("position", "recipient", "standard", "start_date", "duration_months", "price", "in_year_cost"),
    "issues": ("file", "sheet", "cell", "severity", "code", "message"),
}


@dataclass
class ParsedReturn:
    """One file, read and flattened into rows for the store (picklable, so
    worker processes can send it back cheaply).

    ``record`` holds :data:`RETURN_FIELDS`; ``rows`` maps a child table to
    tuples in :data:`CHILD_TABLES` order (without ``return_id``).
    """

    record: dict[str, Any]
    rows: dict[str, list[tuple]] = field(default_factory=dict)

    @property
    def status(self) -> str:
        return self.record["status"]


class ReturnStore:
    """The SQLite store; use as a context manager."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._db = sqlite3.connect(self.path, isolation_level=None)  # transactions are explicit
        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = NORMAL")
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, SCHEMA_VERSION):
            raise ValueError(f"{self.path} has store schema version {version}; this lga_xl uses {SCHEMA_VERSION}")
        self._db.executescript(SCHEMA)
        self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        self._in_batch = False

    def __enter__(self) -> ReturnStore:
        return self

    def __exit__(self, exc_type, *rest: object) -> None:
        if self._in_batch:
            self._db.execute("ROLLBACK" if exc_type else "COMMIT")
            self._in_batch = False
        self.close()

    def close(self) -> None:
        self._db.close()

    def begin_run(self) -> int:
        """Record the start of an import; returns its id."""
        cursor = self._db.execute(
            "INSERT INTO import_runs (started_at, lga_xl_version) VALUES (?, ?)", (_now(), __version__)
        )
        return cursor.lastrowid

    def finish_run(self, run_id: int, counts: dict[str, int]) -> None:
        self.commit()
        self._db.execute(
            "UPDATE import_runs SET finished_at = ?, files_read = ?, imported = ?, unchanged = ?, rejected = ?,"
            " skipped = ? WHERE id = ?",
            (_now(), counts.get("read", 0), counts.get("imported", 0), counts.get("unchanged", 0),
             counts.get("rejected", 0), counts.get("skipped", 0), run_id),
        )

    def add(self, parsed: ParsedReturn, run_id: int) -> tuple[int, bool]:
        """Store one return unless it is already there: (return id, newly added)."""
        record = parsed.record
        key = (record["org_key"], record["kind"], record["assessment_type"], record["content_hash"])
        existing = self._db.execute(
            "SELECT id FROM returns WHERE org_key = ? AND kind = ? AND assessment_type = ? AND content_hash = ?", key
        ).fetchone()
        if existing:
            return existing[0], False
        if not self._in_batch:
            self._db.execute("BEGIN")
            self._in_batch = True
        # Inside the batch's transaction: if anything fails, __exit__ rolls the
        # whole batch back, so a return is never stored in part.
        columns = RETURN_FIELDS + ("import_run", "imported_at")
        cursor = self._db.execute(
            f"INSERT INTO returns ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            tuple(record[c] for c in RETURN_FIELDS) + (run_id, _now()),
        )
        return_id = cursor.lastrowid
        for table, rows in parsed.rows.items():
            if rows:
                names = ("return_id",) + CHILD_TABLES[table]
                self._db.executemany(
                    f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                    [(return_id, *row) for row in rows],
                )
        return return_id, True

    def commit(self) -> None:
        """Make the files added so far durable."""
        if self._in_batch:
            self._db.execute("COMMIT")
            self._in_batch = False

    def query(self, sql: str, params: tuple = ()) -> tuple[list[str], Iterator[tuple]]:
        """Column names and rows of a read-only query."""
        cursor = self._db.execute(sql, params)
        return [d[0] for d in cursor.description], cursor

    def table_counts(self) -> dict[str, int]:
        """Rows per table, for summaries and tests."""
        return {table: self._db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                for table in ("import_runs", "returns", *CHILD_TABLES)}


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
