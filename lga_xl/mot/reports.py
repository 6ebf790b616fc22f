"""MOT reports written from the returns store: one council's, or every council's.

:func:`write_mot_report` writes one council's report as Word (``.docx``) or
as a workbook (``.xlsx``) with the same figures; :func:`write_mot_reports`
writes one for every council with a self-assessment into a folder, in worker
processes.  Both are what ``lga-xl mot`` runs.  Neither replaces an existing
file unless asked (``force``), never writes over the store or the survey, and
never leaves half a file (:mod:`lga_xl.outputs`).

Example:
    >>> import tempfile, pathlib
    >>> from lga_xl.samples import sample_round
    >>> from lga_xl.bulk import import_returns
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = import_returns(sample_round(folder / "returns", councils=2, jobs=1), db=folder / "returns.sqlite")
    >>> write_mot_report("Ashford City Council", db=folder / "returns.sqlite", out=folder / "ashford.xlsx").name
    'ashford.xlsx'
    >>> run = write_mot_reports(db=folder / "returns.sqlite", out_dir=folder / "mot", fmt="xlsx", jobs=1)
    >>> [path.name for _, path in run.written]
    ['ashford-city-council-mot.xlsx', 'bramley-borough-council-mot.xlsx']
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import multiprocessing
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..outputs import atomic_write, check_output, prepare_output_folder
from .from_store import MotInputs
from .model import MotReport

FORMATS = ("docx", "xlsx")
PARALLEL_FROM = 8  # below this many reports a process pool costs more than it saves

ProgressCallback = Callable[[int, int], None]

# Public API.


@dataclass
class MotRun:
    """What :func:`write_mot_reports` wrote."""

    out_dir: Path
    written: list[tuple[str, Path]]  # (council, report)
    failed: list[tuple[str, str]]  # (council, why)
    seconds: float

    @property
    def exit_code(self) -> int:
        """0 when every report was written, 1 when any failed."""
        return 1 if self.failed else 0

    def summary(self) -> str:
        failed = f", {len(self.failed)} failed" if self.failed else ""
        return (f"{len(self.written)} MOT report{'' if len(self.written) == 1 else 's'} written to {self.out_dir} "
                f"in {self.seconds:.1f} s{failed}")


def write_mot_report(organisation: str, *, db: str | Path, out: str | Path, survey: str | Path | None = None,
                     force: bool = False, prepared_by: str | None = None,
                     prepared_on: dt.date | None = None) -> Path:
    """Write the MOT of ``organisation`` from the store at ``db`` to ``out`` (``.docx`` or ``.xlsx``).

    ``survey`` is the apprentice survey's Microsoft Forms export (CSV or ``.xlsx``).

    Raises:
        lga_xl.outputs.OutputError: ``out`` exists (without ``force``), is the store or the survey, or is
            not named ``.docx`` or ``.xlsx``.
        lga_xl.mot.from_store.MotStoreError: no store at ``db``, or no self-assessment of ``organisation``.
        lga_xl.mot.survey.SurveyError: the survey export cannot be used.
    """
    out = check_output(out, force=force, store=db, inputs=[survey] if survey is not None else [],
                       allowed_suffixes=tuple(f".{f}" for f in FORMATS))
    results = None
    if survey is not None:
        from .survey import read_survey

        results = read_survey(survey)
    report = MotInputs.load(db).report(organisation, survey=results, prepared_by=prepared_by,
                                       prepared_on=prepared_on)
    _write(report, out)
    return out


def write_mot_reports(*, db: str | Path, out_dir: str | Path, fmt: str = "docx", force: bool = False,
                      jobs: int | None = None, progress: ProgressCallback | None = None,
                      prepared_by: str | None = None, prepared_on: dt.date | None = None) -> MotRun:
    """Write an MOT for every council with a self-assessment in the store at ``db`` into ``out_dir``.

    Reports are named after their council (``ashford-city-council-mot.docx``) and written in
    ``jobs`` processes (default: one per CPU); ``progress`` is called with (reports done, reports).
    A report that fails is listed in the result with why; the others are still written.

    Raises:
        lga_xl.outputs.OutputError: ``out_dir`` is a file, or holds files (without ``force``).
        lga_xl.mot.from_store.MotStoreError: no store at ``db``.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    started = time.perf_counter()
    inputs = MotInputs.load(db)
    folder = prepare_output_folder(out_dir, force=force)
    councils = inputs.councils()
    paths = dict(zip((key for key, _ in councils), report_names([name for _, name in councils], fmt)))
    names = dict(councils)
    # Region by region: a worker's next council then mostly has charts of the kinds it has just drawn.
    work = sorted(((key, folder / paths[key]) for key, _ in councils),
                  key=lambda item: (inputs.councils_by_key[item[0]].region or "", names[item[0]].casefold()))
    options = _Options(prepared_by, prepared_on or dt.date.today())
    outcomes = {}
    for done, (key, error) in enumerate(_write_all(inputs, work, options, jobs), start=1):
        outcomes[key] = error
        if progress:
            progress(done, len(work))
    written = [(name, folder / paths[key]) for key, name in councils if outcomes[key] is None]
    failed = [(name, outcomes[key]) for key, name in councils if outcomes[key] is not None]
    return MotRun(folder, written, failed, time.perf_counter() - started)


def report_names(councils: list[str], fmt: str) -> list[str]:
    """A file name for each council's report, safe on every system and unique among them.

    Example:
        >>> report_names(["St. Helens Council", "St Helens Council", "=HYPERLINK(1)"], "docx")
        ['st-helens-council-mot.docx', 'st-helens-council-2-mot.docx', 'hyperlink-1-mot.docx']
    """
    names, seen = [], set()
    for council in councils:
        slug = re.sub(r"[^a-z0-9]+", "-", council.casefold()).strip("-")[:80].strip("-") or "council"
        name, number = slug, 1
        while name in seen:
            number += 1
            name = f"{slug}-{number}"
        seen.add(name)
        names.append(f"{name}-mot.{fmt}")
    return names


# Private API.


@dataclass(frozen=True)
class _Options:
    prepared_by: str | None
    prepared_on: dt.date


def _write(report: MotReport, out: Path) -> None:
    if out.suffix.lower() == ".xlsx":
        from .report_xlsx import write_mot_xlsx as writer
    else:
        from .report_docx import write_mot_docx as writer
    with atomic_write(out) as partial:
        writer(report, partial)


def _write_council(inputs: MotInputs, key: str, path: Path, options: _Options) -> tuple[str, str | None]:
    """(key, None) when the report is written; (key, why not) otherwise, so one report never stops the rest."""
    try:
        _write(inputs.report(key, prepared_by=options.prepared_by, prepared_on=options.prepared_on), path)
    except Exception as exc:  # a bug or a full disk must not lose every other council's report
        return key, f"{type(exc).__name__}: {exc}"
    return key, None


def _write_all(inputs: MotInputs, work: list[tuple[str, Path]], options: _Options,
               jobs: int | None) -> Iterator[tuple[str, str | None]]:
    """Each report's outcome, in the order of ``work``; in worker processes when worth it."""
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or len(work) < PARALLEL_FROM:
        for key, path in work:
            yield _write_council(inputs, key, path, options)
        return
    # Import the writers before the workers start: with fork they begin with them loaded.
    from . import report_docx, report_xlsx  # noqa: F401

    context = multiprocessing.get_context("fork") if sys.platform == "linux" else None
    with concurrent.futures.ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker,
                                                initargs=(inputs, options)) as pool:
        yield from pool.map(_worker, work, chunksize=max(1, min(8, len(work) // (jobs * 8))))


_WORKER: tuple[MotInputs, _Options] | None = None  # each worker's store inputs, given once when it starts


def _start_worker(inputs: MotInputs, options: _Options) -> None:
    global _WORKER
    _WORKER = (inputs, options)


def _worker(item: tuple[str, Path]) -> tuple[str, str | None]:
    inputs, options = _WORKER
    return _write_council(inputs, *item, options)
