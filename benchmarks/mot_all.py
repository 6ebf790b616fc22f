"""Benchmark: ``lga-xl mot --all`` for every council of a round of returns (default 350 councils).

Generates the round with the library (:func:`lga_xl.samples.sample_round`: every council's
self-assessment, the LGA's external assessment of every third, last year's self-assessment of
every fourth, levy plans from four in five), imports it into a store, then times the command as a
user runs it, in a fresh process (interpreter start and imports included), writing one Word report
per council.  Each run is timed ``--repeat`` times and the best kept, so that a busy moment of the
machine does not decide the figure; the load average is printed beside it.

Usage: python benchmarks/mot_all.py [-n 350] [--jobs 2] [--format docx] [--repeat 1] [--keep DIR]
(--keep reuses the store in DIR when it holds a round of N councils.)
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lga_xl.bulk import import_returns
from lga_xl.mot.from_store import MotInputs
from lga_xl.samples import sample_round

GOAL_SECONDS = 120.0


def store_of(folder: Path, councils: int) -> tuple[Path, float]:
    """The store of a round of ``councils`` councils in ``folder`` (made unless it is there); seconds taken."""
    db = folder / "returns.sqlite"
    if db.exists() and len(MotInputs.load(db).councils()) == councils:
        return db, 0.0
    started = time.perf_counter()
    sample_round(folder / "returns", councils)
    report = import_returns([folder / "returns"], db=db)
    if report.counts["rejected"]:
        raise SystemExit(f"{report.counts['rejected']} generated returns were rejected: {report.summary()}")
    return db, time.perf_counter() - started


def timed_run(db: Path, out_dir: Path, jobs: int, fmt: str) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and its workers) of one ``lga-xl mot --all``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "lga_xl.cli", "mot", "--all", "--db", str(db), "--out-dir", str(out_dir),
                    "--format", fmt, "--jobs", str(jobs)], check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return seconds, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--councils", type=int, default=350)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--format", choices=("docx", "xlsx"), default="docx")
    parser.add_argument("--repeat", type=int, default=1, help="runs; the best is kept")
    parser.add_argument("--keep", type=Path, help="make (and keep) the round and its store in this folder")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        db, made = store_of(folder, args.councils)
        load_before = os.getloadavg()
        runs = [timed_run(db, Path(scratch) / f"mot{i}", args.jobs, args.format) for i in range(args.repeat)]
        load_after = os.getloadavg()
        seconds, cpu = min(runs)
        written = len(list((Path(scratch) / "mot0").glob(f"*.{args.format}")))

    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}; load average {load_before[0]:.1f} before, {load_after[0]:.1f} after")
    print(f"round: {args.councils} councils" + (f" (generated and imported in {made:.0f} s)" if made else ""))
    print(f"lga-xl mot --all --format {args.format} --jobs {args.jobs}: {written} reports in {seconds:.1f} s "
          f"(best of {len(runs)}), {seconds / written:.3f} s a report; CPU {cpu:.1f} s, "
          f"{cpu / written:.3f} s a report   (goal < {GOAL_SECONDS:.0f} s)")
    print("goal met" if seconds < GOAL_SECONDS else "GOAL NOT MET")


if __name__ == "__main__":
    main()
