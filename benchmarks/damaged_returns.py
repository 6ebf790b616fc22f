"""Fuzz: thousands of valid returns damaged part by part, read by the library and the command line.

Every kind's sample return (as lga_xl writes it and as a spreadsheet program
saves it, with shared strings) is damaged one part, one way at a time
(tests/support/damage.py: an element dropped, a number changed, a part
truncated or deleted, a reference widened, a cell type flipped, a few bytes
garbled), then:

* read with ``lga_xl.read_workbook`` in a child process with a time limit per
  file: every outcome must be a result or a WorkbookError (an escape, a
  death or a timeout is a failure; an ``internal-error`` is counted apart);
* read with ``lga-xl validate --json`` and ``lga-xl read --json`` in batches,
  under ``PYTHONIOENCODING=cp1252``: every batch must end with exit code 0 or
  1, print nothing on stderr (no traceback), UTF-8 on stdout, one result per
  file;
* imported with ``lga-xl import`` in batches of three files (two valid
  returns and one damaged): both valid returns must be imported.

Usage: python benchmarks/damaged_returns.py [-n 3000] [--seed 1] [--imports 200] [--keep DIR]
(run from the repository root; the suite runs a small deterministic sample in tests/test_damaged_returns.py)
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.support.damage import base_returns, damaged_returns, read_outcomes, summarise  # noqa: E402

LGA_XL = [sys.executable, "-m", "lga_xl.cli"]
BATCH = 250


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=3000, help="damaged returns (default 3000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--imports", type=int, default=200, help="imports of three files to run (default 200)")
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="lga-xl-fuzz-"))
    bases = base_returns(folder / "bases")
    started = time.perf_counter()
    damage = dict(damaged_returns(bases, folder / "damaged", args.n, args.seed))
    print(f"{len(damage)} damaged returns of {len(bases)} bases written in {time.perf_counter() - started:.0f} s "
          f"into {folder}")

    started = time.perf_counter()
    outcomes = read_outcomes(list(damage), timeout=60)
    counts = summarise(outcomes.values())
    internal = [p for p, o in outcomes.items() if o.detail == "internal-error"]
    codes = collections.Counter(o.detail for o in outcomes.values() if o.status == "workbook-error")
    print(f"\nread_workbook, one child process, {time.perf_counter() - started:.0f} s: {counts}")
    print(f"  refused with: {dict(codes.most_common())}")
    by_mutation = collections.defaultdict(collections.Counter)
    for path, outcome in outcomes.items():
        by_mutation[damage[path].mutation][outcome.status] += 1
    for mutation, tally in sorted(by_mutation.items()):
        print(f"  {mutation:16} {dict(tally)}")
    failures = [(p, o) for p, o in outcomes.items() if not o.acceptable] + [(p, outcomes[p]) for p in internal]
    for path, outcome in failures[:20]:
        print(f"  FAILURE {path.name}: {outcome} after {damage[path].describe()}")

    files = sorted(damage)
    cli_failures = 0
    started = time.perf_counter()
    for command in ("validate", "read"):
        for first in range(0, len(files), BATCH):
            batch = files[first:first + BATCH]
            cli_failures += _cli_batch(command, batch)
    print(f"\nlga-xl validate --json and read --json in batches of {BATCH} under cp1252, "
          f"{time.perf_counter() - started:.0f} s: {cli_failures} failures (tracebacks, deaths, bad output)")

    import_failures = _imports(files[:args.imports], bases, folder / "imports")
    print(f"\nlga-xl import of 2 valid returns and 1 damaged, {min(args.imports, len(files))} times: "
          f"{import_failures} failures (a valid return not imported, or the command died)")
    escapes = len(failures)
    print(f"\nSUMMARY: {len(files)} damaged returns; read_workbook: {counts.get('result', 0)} results, "
          f"{counts.get('workbook-error', 0)} issues, {counts.get('escape', 0)} escapes, {counts.get('died', 0)} "
          f"deaths, {counts.get('timeout', 0)} timeouts, {len(internal)} internal errors; command line: "
          f"{cli_failures} failures; imports: {import_failures} failures")
    return 1 if escapes or cli_failures or import_failures else 0


def _cli_batch(command: str, batch: list[Path]) -> int:
    result = subprocess.run([*LGA_XL, command, "--json", *map(str, batch)], capture_output=True, cwd=REPO,
                            env={**os.environ, "PYTHONIOENCODING": "cp1252"}, timeout=3600)
    problems = []
    if result.returncode not in (0, 1):
        problems.append(f"exit code {result.returncode}")
    if result.stderr:
        problems.append(f"stderr: {result.stderr[:300]!r}")
    try:
        text = result.stdout.decode("utf-8")
        documents = [json.loads(line) for line in text.splitlines()] if command == "validate" else json.loads(text)
        if [d["file"] for d in documents] != [str(p) for p in batch]:
            problems.append("not one result per file")
    except (UnicodeDecodeError, ValueError) as exc:
        problems.append(f"output: {exc}")
    for problem in problems:
        print(f"  FAILURE lga-xl {command} of {batch[0].name}..{batch[-1].name}: {problem}")
    return len(problems)


def _imports(files: list[Path], bases: list[Path], folder: Path) -> int:
    good = [bases[0], bases[-1]]  # a self-assessment and a levy plan
    failures = 0
    for number, damaged in enumerate(files):
        returns = folder / f"{number:05d}" / "returns"
        returns.mkdir(parents=True)
        for base in good:
            (returns / base.name).write_bytes(base.read_bytes())
        (returns / damaged.name).write_bytes(damaged.read_bytes())
        db = returns.parent / "r.sqlite"
        result = subprocess.run([*LGA_XL, "import", str(returns), "--db", str(db), "--no-workbook"],
                                capture_output=True, cwd=REPO, timeout=600)
        rejected = {Path(line.split(" ", 1)[1].split(": ", 1)[0].strip()).name
                    for line in result.stdout.decode("utf-8", "replace").splitlines() if line.startswith("rejected")}
        with sqlite3.connect(db) as store:  # a damaged file that reads as a valid return may be stored first
            stored = store.execute("SELECT COUNT(*) FROM returns WHERE status = 'imported'").fetchone()[0]
        if result.returncode not in (0, 1) or result.stderr or rejected & {b.name for b in good} or stored < 2:
            failures += 1
            print(f"  FAILURE import with {damaged.name}: exit {result.returncode}, {result.stderr[:200]!r}")
    return failures


if __name__ == "__main__":
    sys.exit(main())
