"""The returns store: one SQLite database holding every imported return.

A return is identified by its organisation, kind, assessment type and a hash
of its content (what was read, not the file's bytes, so a file re-saved
without changes is still the same return).  Adding a return that is already
there changes nothing; a changed return from the same organisation is kept
beside the older one so that progress over time can be shown.  Files are
written in batches, one transaction each, so a crash mid-import leaves the
store as it was after the last complete batch.

The tables of each workbook kind come from the kind registry
(:mod:`lga_xl.kinds`): a field added to a kind's results becomes a column the
next time a store is opened.  The schema's own changes are numbered
migrations: a store made by an older lga_xl is upgraded in place, in one
transaction, keeping every return; a store from a newer lga_xl is refused,
untouched.

Example:
    >>> import tempfile, pathlib
    >>> with ReturnStore(pathlib.Path(tempfile.mkdtemp()) / "returns.sqlite") as store:
    ...     store.table_counts()["returns"], store.schema_version
    (0, 3)
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .kinds import KINDS, StoreTable

SCHEMA_VERSION = 3

BASE_SCHEMA = """
CREATE TABLE import_runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    lga_xl_version TEXT NOT NULL,
    files_read INTEGER, imported INTEGER, unchanged INTEGER, rejected INTEGER, skipped INTEGER
);
CREATE TABLE returns (
    id INTEGER PRIMARY KEY,
    org_key TEXT NOT NULL,            -- organisation name folded (case, spaces); '' when unreadable
    kind TEXT NOT NULL,               -- a kind of lga_xl.kinds, or 'unknown' when unreadable
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
CREATE TABLE issues (
    id INTEGER PRIMARY KEY,
    return_id INTEGER NOT NULL REFERENCES returns(id) ON DELETE CASCADE,
    file TEXT, sheet TEXT, cell TEXT,
    severity TEXT NOT NULL, code TEXT NOT NULL, message TEXT NOT NULL,
    table_name TEXT, column_name TEXT, table_row INTEGER, defined_name TEXT
);
CREATE INDEX issues_by_return ON issues (return_id);
"""

# The newest imported return per organisation, kind and assessment type.
LATEST_VIEW = """
CREATE VIEW IF NOT EXISTS latest_returns AS
SELECT * FROM (
    SELECT r.*, ROW_NUMBER() OVER (
        PARTITION BY org_key, kind, assessment_type
        ORDER BY COALESCE(assessment_date, tax_year, '') DESC, id DESC) AS recency
    FROM returns r WHERE status = 'imported'
) WHERE recency = 1;
"""


def _to_2(db: sqlite3.Connection) -> None:
    """0.1.0's store (schema 1) -> 2: issues carry the table, column, row and defined name they are at."""
    for column, sql_type in (("table_name", "TEXT"), ("column_name", "TEXT"), ("table_row", "INTEGER"),
                             ("defined_name", "TEXT")):
        db.execute(f"ALTER TABLE issues ADD COLUMN {column} {sql_type}")


def _to_3(db: sqlite3.Connection) -> None:
    """2 -> 3: a strand not rated yet has no score, which 0.1.0's strand_ratings (score NOT NULL) cannot hold."""
    found = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'strand_ratings'").fetchone()
    if found is None or "score REAL NOT NULL" not in found[0]:
        return
    db.execute("ALTER TABLE strand_ratings RENAME TO strand_ratings_2")
    db.execute(found[0].replace("score REAL NOT NULL", "score REAL"))  # same columns, in the same order
    db.execute("INSERT INTO strand_ratings SELECT * FROM strand_ratings_2")
    db.execute("DROP TABLE strand_ratings_2")


# Migration to each schema version from the one before it.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {2: _to_2, 3: _to_3}

# Columns written by ReturnStore.add, in table order (the rest are filled by the store).
RETURN_FIELDS = (
    "org_key", "kind", "assessment_type", "content_hash", "status", "organisation", "region", "org_type",
    "template_version", "edition", "assessment_date", "tax_year", "overall_score", "errors", "warnings",
    "file_name", "file_path", "file_sha256", "file_size",
)
ISSUE_FIELDS = ("file", "sheet", "cell", "severity", "code", "message", "table_name", "column_name", "table_row",
                "defined_name")


class StoreError(Exception):
    """A store that cannot be used: not a database, or made by a newer lga_xl."""


@dataclass
class ParsedReturn:
    """One file, read and flattened into rows for the store (picklable, so
    worker processes can send it back cheaply).

    ``record`` holds :data:`RETURN_FIELDS`; ``rows`` maps a table (``issues``
    or a kind's store table) to its rows as dicts (without ``return_id``).
    """

    record: dict[str, Any]
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def status(self) -> str:
        return self.record["status"]


def kind_tables() -> list[StoreTable]:
    """Every kind's store tables, in registry order."""
    return [table for workbook_kind in KINDS.values() for table in workbook_kind.store_tables]


class ReturnStore:
    """The SQLite store; use as a context manager.

    Raises:
        StoreError: the file is not an SQLite database, or its schema is newer
            than this lga_xl knows (the file is left as it was).
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._db = sqlite3.connect(self.path, isolation_level=None)  # transactions are explicit
        try:
            self.schema_version = self._open()
        except BaseException:
            self._db.close()
            raise
        self._in_batch = False

    def _open(self) -> int:
        try:
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            tables = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path} is not an lga_xl store ({exc})") from None
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path} was written by a newer lga_xl (store schema {version}; this lga_xl "
                             f"reads up to {SCHEMA_VERSION}): upgrade lga_xl to use it; the file was not changed")
        if version == 0 and tables:
            raise StoreError(f"{self.path} is an SQLite database but not an lga_xl store; give another --db file")
        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = NORMAL")
        # Creating, migrating and adding declared columns happen in one transaction:
        # a failure leaves the store exactly as it was.
        self._db.execute("BEGIN IMMEDIATE")
        try:
            if version == 0:  # a new store (executescript would commit, so statement by statement)
                for statement in _statements(BASE_SCHEMA):
                    self._db.execute(statement)
            else:
                for target in range(version + 1, SCHEMA_VERSION + 1):
                    MIGRATIONS[target](self._db)
            self._sync_kind_tables()
            self._db.execute(LATEST_VIEW)
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        return SCHEMA_VERSION

    def _sync_kind_tables(self) -> None:
        """Create each kind's tables, and add the columns its registry entry declares and the store lacks."""
        for table in kind_tables():
            present = [row[1] for row in self._db.execute(f"PRAGMA table_info({table.name})")]
            if not present:
                key = "return_id INTEGER PRIMARY KEY" if table.per_return else "return_id INTEGER NOT NULL"
                columns = ", ".join(f"{quoted(c.name)} {c.sql_type}" for c in table.columns)
                primary = "" if table.per_return else ", PRIMARY KEY (return_id, position)"
                self._db.execute(f"CREATE TABLE {table.name} ({key} REFERENCES returns(id) ON DELETE CASCADE, "
                                 f"{columns}{primary})")
                continue
            for column in table.columns:
                if column.name not in present:
                    self._db.execute(f"ALTER TABLE {table.name} ADD COLUMN {quoted(column.name)} {column.sql_type}")

    def __enter__(self) -> ReturnStore:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *rest: object) -> None:
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
                names = ("return_id", *rows[0])
                self._db.executemany(
                    f"INSERT INTO {table} ({', '.join(map(quoted, names))}) VALUES ({', '.join('?' * len(names))})",
                    [(return_id, *row.values()) for row in rows],
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

    def columns(self, table: str) -> list[str]:
        """The columns a table has in this store, in order."""
        return [row[1] for row in self._db.execute(f"PRAGMA table_info({table})")]

    def table_counts(self) -> dict[str, int]:
        """Rows per table, for summaries and tests."""
        tables = ("import_runs", "returns", "issues", *(table.name for table in kind_tables()))
        return {table: self._db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in tables}


def _statements(script: str) -> list[str]:
    """An SQL script's statements (a ';' inside a comment or string does not end one)."""
    statements, pending = [], ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    return statements


def quoted(identifier: str) -> str:
    """A column name as SQL writes it safely (``check`` is a keyword)."""
    return '"' + identifier.replace('"', '""') + '"'


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
