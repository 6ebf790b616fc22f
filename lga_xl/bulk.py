"""The adviser's bulk import: every returned workbook in, every bad one explained.

:func:`import_returns` finds the workbooks under the given paths, reads them
in worker processes (reading is the cost), stores each in the
:class:`~lga_xl.store.ReturnStore` and writes the consolidated workbook.  A
file that cannot be read is stored as a rejected return with the issue that
says why, so nothing handed in is lost; a file with errors is rejected but
its contents are kept too.

No file can end the import: every file is read in a worker process (forked
on Linux, in milliseconds), and a worker that dies on a file (a reader bug
the checks in :mod:`lga_xl.readers.package` did not foresee) costs that
file alone, rejected as ``internal-error``; the rest are read one at a time
in a fresh worker.  The command line reads through the same machinery
(:func:`read_files`) for ``lga-xl validate`` and ``lga-xl read``.

Outputs are never read back or overwritten by accident: the consolidated
workbook, the CSV folder and the store are left out of the files found
under the folders imported, and a consolidated workbook or store that is
one of the files imported is refused (:mod:`lga_xl.outputs`).

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
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .issues import Issue, WorkbookError
from .kinds import kind, sql_value
from .outputs import OutputError, atomic_write, check_output, prepare_output_folder, same_path, within
from .readers import read_workbook
from .readers.package import escaped_issue
from .store import ISSUE_FIELDS, RETURN_FIELDS, ParsedReturn, ReturnStore

READ_SUFFIXES = {".xlsx", ".xlsm", ".xls"}  # .xls is read so that it is rejected with advice, not ignored
STORE_COMPANIONS = ("-journal", "-wal", "-shm")  # files SQLite keeps beside a store

ProgressCallback = Callable[[int, int], None]
PathsLike = str | os.PathLike | Iterable[str | os.PathLike]


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
    csv_paths: list[Path] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 when every file was imported, 1 when any was rejected."""
        return 1 if self.counts.get("rejected") else 0

    def summary(self) -> str:
        """One line: files read, returns added, already in the store, rejected and skipped.

        Example:
            >>> ImportReport(Path("r.sqlite"), None, [], 0.71, {"read": 11, "imported": 11, "unchanged": 11,
            ...              "rejected": 0, "skipped": 1}).summary()
            '11 files read in 0.7 s: 0 returns added, 11 already in the store, 0 rejected, 1 file skipped'
        """
        c = self.counts
        added = c["imported"] - c["unchanged"]
        return (f"{_count_of(c['read'], 'file')} read in {self.seconds:.1f} s: {_count_of(added, 'return')} added, "
                f"{c['unchanged']} already in the store, {c['rejected']} rejected, "
                f"{_count_of(c['skipped'], 'file')} skipped")

    @cached_property
    def frames(self) -> dict[str, Any]:
        """The store's contents as pandas DataFrames (see :func:`store_frames`)."""
        return store_frames(self.store_path)


def find_files(paths: PathsLike, *, exclude: Iterable[str | Path] = ()) -> tuple[list[Path], list[Path]]:
    """Workbooks to read and other files to skip, in a stable order.

    Folders are searched recursively; files named directly are always read.
    Files found in folders that are, or are inside, one of ``exclude`` (the
    command's own outputs) are left out.  ``paths`` may be one path.
    Raises FileNotFoundError for a path that does not exist.

    Example:
        >>> import tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> for name in ("a.xlsx", "notes.txt", "consolidated.xlsx"):
        ...     _ = (folder / name).write_bytes(b"")
        >>> to_read, skipped = find_files(str(folder), exclude=[folder / "consolidated.xlsx"])
        >>> [p.name for p in to_read], [p.name for p in skipped]
        (['a.xlsx'], ['notes.txt'])
    """
    to_read: list[Path] = []
    skipped: list[Path] = []
    excluded = list(exclude)
    inside_outputs = within(excluded)
    for given in map(Path, _as_list(paths)):
        if given.is_file():
            to_read.append(given)
        elif given.is_dir():
            for path in sorted(p for p in given.rglob("*") if p.is_file()):
                if excluded and inside_outputs(path):
                    continue
                lock_file = path.name.startswith("~$")  # Excel's owner file beside an open workbook
                (to_read if path.suffix.lower() in READ_SUFFIXES and not lock_file else skipped).append(path)
        else:
            raise FileNotFoundError(f"no such file or folder: {given}")
    return to_read, skipped


def import_returns(
    paths: PathsLike,
    *,
    db: str | Path = "returns.sqlite",
    out: str | Path | None = None,
    csv: str | Path | None = None,
    jobs: int | None = None,
    progress: ProgressCallback | None = None,
    exclude: Iterable[str | Path] = (),
) -> ImportReport:
    """Import every workbook under ``paths`` (a path, or several) into the store at ``db``.

    Writes the consolidated workbook to ``out`` and every consolidated table
    as a CSV file into the folder ``csv`` when given (files of the same name
    are replaced: the command line asks for ``--force`` first).  ``jobs`` is
    the number of reader processes (default: one per CPU).  ``progress`` is
    called with (files done, files to read).  Files found in folders that
    are, or are inside, one of ``exclude`` are left out, as the outputs are.
    Returns an :class:`ImportReport`; its ``frames`` are the store as DataFrames.

    Raises:
        FileNotFoundError: a path that does not exist.
        OutputError: ``out`` or ``db`` is one of the files imported, or
            ``out`` is the store, or names a file Excel will not open.
    """
    started = time.perf_counter()
    to_read, skipped = find_files(paths, exclude=[*own_outputs(db=db, out=out, csv=csv), *exclude])
    check_outputs(to_read, db=db, out=out)
    outcomes: list[FileOutcome] = []
    with ReturnStore(db) as store:
        run_id = store.begin_run()
        for done, parsed in enumerate(_read_all(to_read, jobs, parse_file, _crashed_return), start=1):
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
        outcomes += [FileOutcome(str(p), "skipped", reason=skip_reason(p)) for p in skipped]
        counts = _count(outcomes)
        store.finish_run(run_id, counts)
    workbook = None
    stored = time.perf_counter()
    if out is not None:
        from .writers.consolidated import write_consolidated

        with atomic_write(out) as partial:
            write_consolidated(partial, db, skipped=[o for o in outcomes if o.outcome == "skipped"])
        workbook = Path(out)
    csv_paths = []
    if csv is not None:
        from .writers.csv_export import write_csv

        csv_paths = write_csv(prepare_output_folder(csv, force=True, inputs=_as_list(paths)), db)
    finished = time.perf_counter()
    return ImportReport(Path(db), workbook, outcomes, finished - started, counts, finished - stored, csv_paths)


def own_outputs(*, db: str | Path, out: str | Path | None, csv: str | Path | None) -> list[Path]:
    """The files and folders an import writes, to be left out of the files it reads.

    The consolidated workbook counts only while it is one: a council's return
    given as ``out`` stays an input, so that writing over it is refused.
    """
    outputs = [Path(db), *(Path(f"{db}{suffix}") for suffix in STORE_COMPANIONS)]
    if csv is not None:
        outputs.append(Path(csv))
    if out is not None and (not Path(out).exists() or is_consolidated_workbook(out)):
        outputs.append(Path(out))
    return outputs


def is_consolidated_workbook(path: str | Path) -> bool:
    """Whether ``path`` is a consolidated workbook lga_xl wrote (its document title says so)."""
    from .writers.consolidated import TITLE

    try:
        with zipfile.ZipFile(path) as package:
            properties = package.read("docProps/core.xml")
    except (OSError, KeyError, zipfile.BadZipFile, ValueError):
        return False
    return f"<dc:title>{TITLE}</dc:title>".encode() in properties


def check_outputs(inputs: Sequence[Path], *, db: str | Path, out: str | Path | None, force: bool = True) -> None:
    """Refuse a store or consolidated workbook that would replace a file being imported, or each other.

    With ``force`` False (the command line without ``--force``) an existing
    consolidated workbook is refused too.

    Example:
        >>> try:
        ...     check_outputs([], db="same.sqlite", out="same.sqlite")
        ... except OutputError as exc:
        ...     print(exc)
        same.sqlite: Excel will not open .xlsx content named .sqlite; name the file same.xlsx
    """
    for given in inputs:
        if same_path(db, given):
            raise OutputError(db, f"is the file {given} being imported; the store must be a file of its own")
    if out is not None:
        check_output(out, force=force, inputs=inputs, store=db)


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
        return flatten(read_workbook(path, display=display), file_info)
    except WorkbookError as err:
        return _unreadable(file_info, err.issue)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: B036 - a bug in flattening must not stop the batch; the message says so
        return _unreadable(file_info, escaped_issue(exc, display))


def read_outcome(path: str | Path) -> Any:
    """One file read for ``lga-xl validate`` and ``lga-xl read``: its result, or the issue that explains why
    it cannot be read.  Never raises for a bad file."""
    try:
        return read_workbook(path, display=str(path))
    except WorkbookError as err:
        return err.issue


def read_files(paths: Sequence[Path], *, jobs: int | None = None) -> Iterator[Any]:
    """:func:`read_outcome` of each file, in order, read in worker processes so that no file can end the
    caller's process (a worker that dies gives its file an ``internal-error`` issue)."""
    return _read_all(list(paths), jobs, read_outcome, _crashed_issue)


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


def skip_reason(path: Path) -> str:
    """Why a file found in a folder is not read."""
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


def _read_all(paths: list[Path], jobs: int | None, read: Callable[[Path], Any],
              crashed: Callable[[Path], Any]) -> Iterator[Any]:
    """``read`` of each path, in order, in worker processes; ``crashed(path)`` for a file whose worker died.

    Workers read chunks of files; if one dies, the files not yet given are
    read one at a time in a fresh worker, restarted after each death, so
    that only the culprit is lost, and explained.  (Forking a worker costs
    milliseconds on Linux; elsewhere a worker starts in about half a second.)
    """
    if not paths:
        return
    workers = max(1, min(jobs or os.cpu_count() or 1, len(paths)))
    chunk = max(1, min(32, len(paths) // (workers * 4)))
    done = 0
    try:
        with _pool(workers) as pool:
            for outcome in pool.map(read, paths, chunksize=chunk):
                done += 1
                yield outcome
    except concurrent.futures.process.BrokenProcessPool:
        yield from _read_one_at_a_time(paths[done:], read, crashed)


def _read_one_at_a_time(paths: list[Path], read: Callable[[Path], Any],
                        crashed: Callable[[Path], Any]) -> Iterator[Any]:
    pending = list(paths)
    while pending:
        with _pool(1) as pool:
            try:
                while pending:
                    outcome = pool.submit(read, pending[0]).result()
                    pending.pop(0)
                    yield outcome
            except concurrent.futures.process.BrokenProcessPool:
                yield crashed(pending.pop(0))


def _crashed_issue(path: Path) -> Issue:
    return Issue.make("internal-error", "the reader stopped dead on this file (its process ended); it was "
                      "not read: please report it with the file", file=str(path))


def _crashed_return(path: Path) -> ParsedReturn:
    try:
        size, sha256 = path.stat().st_size, _sha256(path)
    except OSError:
        size, sha256 = 0, hashlib.sha256(b"").hexdigest()
    return _unreadable({"file_name": path.name, "file_path": str(path), "file_sha256": sha256, "file_size": size},
                       _crashed_issue(path))


def _pool(workers: int) -> concurrent.futures.ProcessPoolExecutor:
    # fork starts workers in milliseconds with lga_xl already imported; other
    # platforms use their default start method.
    context = multiprocessing.get_context("fork") if sys.platform == "linux" else None
    return concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                                  initializer=_quiet_worker)


def _quiet_worker() -> None:
    """A reader process writes nothing to the terminal: a Rust panic in calamine prints its message and
    backtrace on stderr before it is caught and becomes an issue of its file."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    except OSError:
        pass


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _as_list(paths: PathsLike) -> list[str | os.PathLike]:
    """One path or several as a list: a string is one path, never its letters."""
    return [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)


def _count_of(number: int, thing: str) -> str:
    return f"{number} {thing}{'' if number == 1 else 's'}"


def store_frames(db: str | Path) -> dict[str, Any]:
    """The consolidated tables and benchmarks of a store as pandas DataFrames."""
    from .consolidated_data import as_frames, load_sections

    return as_frames(load_sections(db))
