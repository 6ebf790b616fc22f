"""The adviser's bulk import: every returned workbook in, every bad one explained.

:func:`import_returns` finds the workbooks under the given paths, reads them
in worker processes (reading is the cost), stores each in the
:class:`~lga_xl.store.ReturnStore` and writes the consolidated workbook.  A
file that cannot be read is stored as a rejected return with the issue that
says why, so nothing handed in is lost; a file with errors is rejected but
its contents are kept too.

Example:
    >>> import tempfile, pathlib
    >>> from lga_xl import new_self_assessment
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = new_self_assessment(folder / "a.xlsx", org_name="Exampleshire", region="London")
    >>> _ = (folder / "notes.txt").write_text("not a return")
    >>> report = import_returns([folder], db=folder / "returns.sqlite")
    >>> report.counts["imported"], report.counts["skipped"], report.exit_code
    (1, 1, 0)
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import multiprocessing
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .issues import Issue, WorkbookError
from .kinds import kind, sql_value
from .readers import read_workbook
from .store import ISSUE_FIELDS, RETURN_FIELDS, ParsedReturn, ReturnStore

READ_SUFFIXES = {".xlsx", ".xlsm", ".xls"}  # .xls is read so that it is rejected with advice, not ignored
PARALLEL_FROM = 16  # below this many files a process pool costs more than it saves

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one file of an import."""

    path: str
    # "imported", "unchanged" (already in the store), "unchanged-since-sent" (sent out with answers carried
    # forward and returned with none changed: not stored), "rejected" or "skipped"
    outcome: str
    return_id: int | None = None
    kind: str | None = None
    organisation: str | None = None
    reason: str | None = None  # first error, or why a file was skipped


@dataclass
class ImportReport:
    """The result of :func:`import_returns`."""

    store_path: Path
    workbook_path: Path | None
    files: list[FileOutcome]
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)
    seconds_workbook: float = 0.0  # of ``seconds``, writing the consolidated workbook

    @property
    def exit_code(self) -> int:
        """0 when every file was imported, 1 when any was rejected."""
        return 1 if self.counts.get("rejected") else 0

    def summary(self) -> str:
        c = self.counts
        return (f"{c['read']} files read in {self.seconds:.1f} s: {c['imported']} imported"
                f" ({c['unchanged']} already in the store), {c['rejected']} rejected, {c['skipped']} skipped")

    @cached_property
    def frames(self) -> dict[str, Any]:
        """The store's contents as pandas DataFrames (see :func:`store_frames`)."""
        return store_frames(self.store_path)


def find_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[Path]]:
    """Workbooks to read and other files to skip, in a stable order.

    Folders are searched recursively; files named directly are always read.
    Raises FileNotFoundError for a path that does not exist.
    """
    to_read: list[Path] = []
    skipped: list[Path] = []
    for given in map(Path, paths):
        if given.is_file():
            to_read.append(given)
        elif given.is_dir():
            for path in sorted(p for p in given.rglob("*") if p.is_file()):
                lock_file = path.name.startswith("~$")  # Excel's owner file beside an open workbook
                (to_read if path.suffix.lower() in READ_SUFFIXES and not lock_file else skipped).append(path)
        else:
            raise FileNotFoundError(f"no such file or folder: {given}")
    return to_read, skipped


def import_returns(
    paths: Iterable[str | Path],
    *,
    db: str | Path = "returns.sqlite",
    out: str | Path | None = None,
    jobs: int | None = None,
    progress: ProgressCallback | None = None,
) -> ImportReport:
    """Import every workbook under ``paths`` into the store at ``db``.

    Writes the consolidated workbook to ``out`` when given.  ``jobs`` is the
    number of reader processes (default: one per CPU).  ``progress`` is
    called with (files done, files to read).  Returns an
    :class:`ImportReport`; its ``frames`` are the store as DataFrames.
    """
    started = time.perf_counter()
    to_read, skipped = find_files(paths)
    outcomes: list[FileOutcome] = []
    with ReturnStore(db) as store:
        run_id = store.begin_run()
        for done, parsed in enumerate(_read_all(to_read, jobs), start=1):
            unchanged = _unchanged_since_sent(parsed)
            if unchanged is not None:  # the return it was carried from stands for it
                outcomes.append(unchanged)
            else:
                return_id, added = store.add(parsed, run_id)
                outcomes.append(_outcome(parsed, return_id, added))
            if done % 200 == 0:
                store.commit()
            if progress:
                progress(done, len(to_read))
        outcomes += [FileOutcome(str(p), "skipped", reason=_skip_reason(p)) for p in skipped]
        counts = _count(outcomes)
        store.finish_run(run_id, counts)
    workbook = None
    stored = time.perf_counter()
    if out is not None:
        from .writers.consolidated import write_consolidated

        workbook = write_consolidated(out, db, skipped=[o for o in outcomes if o.outcome == "skipped"])
    finished = time.perf_counter()
    return ImportReport(Path(db), workbook, outcomes, finished - started, counts, finished - stored)


def parse_file(path: str | Path) -> ParsedReturn:
    """Read one file into rows for the store; never raises for a bad file."""
    path = Path(path)
    display = str(path)
    try:
        data = path.read_bytes()
    except OSError:
        data = b""  # read_workbook says why: missing, or no permission
    file_info = {"file_name": path.name, "file_path": display, "file_sha256": hashlib.sha256(data).hexdigest(),
                 "file_size": len(data)}
    try:
        result = read_workbook(path, display=display)
    except WorkbookError as err:
        return _unreadable(file_info, err.issue)
    except Exception as exc:  # a reader bug must not stop the batch; the message says so
        issue = Issue.make("internal-error", f"lga_xl failed on this file ({type(exc).__name__}: {exc}); "
                           "please report it with the file", file=display)
        return _unreadable(file_info, issue)
    return flatten(result, file_info)


def flatten(result: Any, file_info: dict[str, Any]) -> ParsedReturn:
    """A read result as store rows: the return's record, its issues and its kind's store tables."""
    errors = sum(1 for i in result.issues if i.severity == "error")
    record = {
        **{name: sql_value(getattr(result, name, None)) for name in RETURN_FIELDS},
        **file_info,
        "org_key": _org_key(result.organisation),
        "kind": result.kind,
        "assessment_type": getattr(result, "assessment_type", None) or "",
        "content_hash": result.input_hash,
        "status": "rejected" if errors else "imported",
        "errors": errors,
        "warnings": len(result.issues) - errors,
    }
    rows = {"issues": [_issue_row(i) for i in result.issues]}
    for table in kind(result.kind).store_tables:
        items = [result] if table.per_return else table.rows(result)
        rows[table.name] = [{column.name: column.get(item) for column in table.columns} for item in items]
    return ParsedReturn(record, rows)


def _unreadable(file_info: dict[str, Any], issue: Issue) -> ParsedReturn:
    record = {
        **dict.fromkeys(RETURN_FIELDS),
        **file_info,
        "org_key": "",
        "kind": "unknown",
        "assessment_type": "",
        # No organisation to tell returns apart, so the file's name counts too.
        "content_hash": hashlib.sha256(f"{file_info['file_name']}\0{file_info['file_sha256']}".encode()).hexdigest(),
        "status": "rejected",
        "errors": 1,
        "warnings": 0,
    }
    return ParsedReturn(record, {"issues": [_issue_row(issue)]})


def _issue_row(issue: Issue) -> dict[str, Any]:
    return dict(zip(ISSUE_FIELDS, (issue.file, issue.sheet, issue.cell, issue.severity, issue.code, issue.message,
                                   issue.table, issue.column, issue.row, issue.name)))


def _org_key(name: str | None) -> str:
    return " ".join(name.casefold().split()) if name else ""


def _outcome(parsed: ParsedReturn, return_id: int, added: bool) -> FileOutcome:
    record = parsed.record
    reason = None
    if parsed.status == "rejected":
        first = next(row for row in parsed.rows["issues"] if row["severity"] == "error")
        place = f"{first['sheet']}!{first['cell']}: " if first["sheet"] and first["cell"] else ""
        reason = f"{place}[{first['code']}] {first['message']}"
    outcome = parsed.status if parsed.status == "rejected" else ("imported" if added else "unchanged")
    return FileOutcome(record["file_path"], outcome, return_id, record["kind"], record["organisation"], reason)


def _unchanged_since_sent(parsed: ParsedReturn) -> FileOutcome | None:
    """The outcome of a return sent back with every carried-forward answer unchanged; None for any other."""
    found = next((row for row in parsed.rows.get("issues", []) if row["code"] == "unchanged-since-sent"), None)
    if found is None:
        return None
    record = parsed.record
    return FileOutcome(record["file_path"], "unchanged-since-sent", None, record["kind"], record["organisation"],
                       found["message"])


def _skip_reason(path: Path) -> str:
    if path.name.startswith("~$"):
        return "an Excel lock file (left while a workbook is open), not a return"
    return f"not an Excel workbook ({path.suffix or 'no extension'})"


def _count(outcomes: Sequence[FileOutcome]) -> dict[str, int]:
    tally = Counter(o.outcome for o in outcomes)
    # A return sent back unchanged is the earlier return already in the store.
    unchanged = tally["unchanged"] + tally["unchanged-since-sent"]
    return {
        "read": len(outcomes) - tally["skipped"],
        "imported": tally["imported"] + unchanged,
        "unchanged": unchanged,
        "rejected": tally["rejected"],
        "skipped": tally["skipped"],
    }


def _read_all(paths: list[Path], jobs: int | None) -> Iterator[ParsedReturn]:
    """Parsed files in the order given, read in worker processes when worth it."""
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or len(paths) < PARALLEL_FROM:
        yield from map(parse_file, paths)
        return
    chunk = max(1, min(32, len(paths) // (jobs * 4)))
    done = 0
    try:
        with _pool(jobs) as pool:
            for parsed in pool.map(parse_file, paths, chunksize=chunk):
                done += 1
                yield parsed
    except concurrent.futures.process.BrokenProcessPool:
        # A worker died (a file crashed the reader outright): read the rest one
        # process per file so that only the culprit is lost, and explained.
        for path in paths[done:]:
            yield _read_isolated(path)


def _read_isolated(path: Path) -> ParsedReturn:
    try:
        with _pool(1) as pool:
            return pool.submit(parse_file, path).result()
    except concurrent.futures.process.BrokenProcessPool:
        issue = Issue.make("internal-error", "the reader crashed on this file; it was not imported "
                           "(please report it with the file)", file=str(path))
        return _unreadable({"file_name": path.name, "file_path": str(path), "file_sha256": _sha256(path),
                            "file_size": path.stat().st_size}, issue)


def _pool(workers: int) -> concurrent.futures.ProcessPoolExecutor:
    # fork starts workers in milliseconds with lga_xl already imported; other
    # platforms use their default start method.
    context = multiprocessing.get_context("fork") if sys.platform == "linux" else None
    return concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def store_frames(db: str | Path) -> dict[str, Any]:
    """The consolidated tables and benchmarks of a store as pandas DataFrames."""
    from .consolidated_data import as_frames, load_sections

    return as_frames(load_sections(db))
