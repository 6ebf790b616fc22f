"""Benchmark: bulk import of N returned workbooks against a bare calamine read.

Generates N filled returns with the library (realistic fictional councils),
then measures in one run:

* bare read: open every file with python-calamine and read every sheet, one
  process (the floor: what reading alone costs);
* read_workbook: ``lga_xl.read_workbook`` of every file, one process (a
  return read, checked and recomputed), against the bare read;
* import: ``lga_xl.bulk.import_returns`` into a fresh SQLite store, with the
  consolidated workbook written, as ``lga-xl import`` runs it, in a fresh
  process so that its peak memory (and its workers') can be measured.

Each is run ``--repeat`` times (default 3) and the best time kept, so that a
busy moment of the machine does not decide the ratio.

Usage: python benchmarks/bulk_import.py [-n 1000] [--levy-plans 0] [--jobs 2] [--keep DIR]
(--keep reuses the returns already in DIR when there are N of them.)
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import python_calamine

from lga_xl.readers import read_workbook
from lga_xl.samples import council, sample_self_assessment
from lga_xl.writers.levy_plan import sample_levy_plan

GOAL_IMPORT_RATIO = 1.5  # the import, store and workbook included, against the bare read of the same files
GOAL_READ_RATIO = 1.5  # read_workbook against the bare read, one process each
GOAL_PEAK_MB = 300


def generate(folder: Path, count: int, levy_plans: int) -> list[Path]:
    """``count`` returns: ``levy_plans`` schools levy plans, the rest self-assessments,
    one in ten of those an External assessment."""
    folder.mkdir(parents=True, exist_ok=True)
    jobs = [(folder / f"return_{i:05d}.xlsx", i, "levy-plan" if i < levy_plans else
             "External" if i % 10 == 9 else "Self") for i in range(count)]
    with concurrent.futures.ProcessPoolExecutor() as pool:
        list(pool.map(_write_one, jobs, chunksize=16))
    return [path for path, _, _ in jobs]


def _write_one(job: tuple[Path, int, str]) -> None:
    path, seed, kind = job
    if kind == "levy-plan":
        name, _, region = council(seed)
        sample_levy_plan(path, org_name=name, region=region, seed=seed)
    else:
        sample_self_assessment(path, seed=seed, assessment_type=kind)


def bare_read(paths: list[Path]) -> float:
    started = time.perf_counter()
    for path in paths:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()
        book.close()
    return time.perf_counter() - started


def library_read(paths: list[Path]) -> float:
    started = time.perf_counter()
    for path in paths:
        read_workbook(path)
    return time.perf_counter() - started


_IMPORT = """
import json, resource, sys, time
from lga_xl.bulk import import_returns
started = time.perf_counter()
report = import_returns([sys.argv[1]], db=sys.argv[2], out=sys.argv[3], jobs=int(sys.argv[4]))
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "workbook_seconds": report.seconds_workbook, "counts": report.counts,
                  "peak_mb": peak, "worker_peak_mb": workers}))
"""


def timed_import(folder: Path, out: Path, jobs: int) -> dict:
    out.mkdir()
    db, workbook = out / "returns.sqlite", out / "consolidated.xlsx"
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _IMPORT, str(folder), str(db), str(workbook), str(jobs)],
                          check=True, capture_output=True, text=True)
    result = json.loads(done.stdout)
    result["process_seconds"] = time.perf_counter() - started  # with interpreter start and imports
    result["workbook_mb"] = workbook.stat().st_size / 2**20
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--count", type=int, default=1000)
    parser.add_argument("--levy-plans", type=int, default=0, help="how many of the returns are levy plans")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the best is kept")
    parser.add_argument("--keep", type=Path, help="generate into (and keep) this folder")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch) / "returns"
        started = time.perf_counter()
        paths = sorted(folder.glob("*.xlsx")) if args.keep and folder.exists() else []
        if len(paths) != args.count:
            paths = generate(folder, args.count, args.levy_plans)
        generated = time.perf_counter() - started
        bare = min(bare_read(paths) for _ in range(args.repeat))
        library = min(library_read(paths) for _ in range(args.repeat))
        runs = [timed_import(folder, Path(scratch) / f"out{i}", args.jobs) for i in range(args.repeat)]
        result = min(runs, key=lambda run: run["seconds"])

    ratio, read_ratio = result["seconds"] / bare, library / bare
    peak = max(result["peak_mb"], result["worker_peak_mb"])
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}")
    print(f"returns: {args.count}, {args.levy_plans} of them levy plans (generated in {generated:.1f} s), "
          f"import jobs: {args.jobs}, best of {args.repeat} runs")
    print(f"bare calamine read, 1 process:   {bare:6.2f} s")
    print(f"read_workbook, 1 process:        {library:6.2f} s  = {read_ratio:.2f} x bare read"
          f"   (goal <= {GOAL_READ_RATIO} x)")
    print(f"import (store + workbook):       {result['seconds']:6.2f} s  = {ratio:.2f} x bare read"
          f"   (goal <= {GOAL_IMPORT_RATIO} x)")
    print(f"  of which the workbook:          {result['workbook_seconds']:6.2f} s")
    print(f"  as a fresh process, with start: {result['process_seconds']:6.2f} s")
    print(f"peak memory: import {result['peak_mb']:.0f} MB, largest worker {result['worker_peak_mb']:.0f} MB"
          f"   (goal < {GOAL_PEAK_MB} MB)")
    print(f"consolidated workbook: {result['workbook_mb']:.1f} MB; counts: {result['counts']}")
    goals = {"import ratio": ratio <= GOAL_IMPORT_RATIO, "read ratio": read_ratio <= GOAL_READ_RATIO,
             "memory": peak < GOAL_PEAK_MB}
    print("goals met" if all(goals.values()) else
          "GOALS NOT MET: " + ", ".join(name for name, met in goals.items() if not met))

if __name__ == "__main__":
    main()
