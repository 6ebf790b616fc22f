"""Benchmark: the adviser's send-out of N personalised workbooks against a bare openpyxl load-and-save.

Makes a councils CSV of N fictional councils (with awkward names among them)
and a returns store holding a self-assessment of each (filled into the blank
template and imported with ``lga_xl.bulk.import_returns``), then measures in
one run:

* bare openpyxl: load the blank self-assessment template with openpyxl and
  save it again, the least a per-council copy made by openpyxl would cost
  (timed on ``--baseline`` copies, default 20, and scaled to N: N of them
  take minutes);
* send-out: ``lga_xl.sendout.send_out`` writing N personalised
  self-assessments (cover, deadline, contact, manifest);
* send-out carried forward: the same with ``db=``, each council's statuses,
  evidence and targets carried from the store and the sent hash recorded.

The templates' cache is emptied before each run, so each run loads its
template as ``lga-xl send-out`` does.  Each is run ``--repeat`` times
(default 3) and the best time kept.

Usage: python benchmarks/send_out.py [-n 350] [--repeat 3] [--baseline 20]
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

from lga_xl import blanks
from lga_xl.blanks import template
from lga_xl.bulk import import_returns
from lga_xl.contracts.self_assessment import COVER, ELEMENTS, RATINGS
from lga_xl.maturity import load_edition
from lga_xl.samples import council, sample_answers
from lga_xl.sendout import send_out

GOAL_SECONDS = 5.0
GOAL_CARRIED_SECONDS = 10.0
AWKWARD = ("King's Lynn & West Norfolk Borough Council", "Brighton / Hove City Council", "CON", "Ynys Môn: Council?")


def councils_csv(folder: Path, count: int) -> Path:
    """N councils, the awkward names first; as Excel saves a CSV (BOM, Windows line endings)."""
    rows = ["Organisation,Region,Type,Contact name,Email"]
    for index in range(count):
        name, org_type, region = council(index)
        if index < len(AWKWARD):
            name = AWKWARD[index]
        rows.append(f'"{name}",{region},{org_type},Officer {index},officer{index}@example.gov.uk')
    path = folder / "councils.csv"
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("utf-8-sig"))
    return path


def store_of_returns(folder: Path, count: int) -> Path:
    """A store with one filled self-assessment of each council."""
    model = load_edition()
    blank = template("self-assessment")
    returns = folder / "returns"
    for index in range(count):
        name, org_type, region = council(index)
        if index < len(AWKWARD):
            name = AWKWARD[index]
        answers, evidence, targets = sample_answers(random.Random(index))
        values = {(COVER.sheet, COVER.cell("OrgName")): name, (COVER.sheet, COVER.cell("Region")): region,
                  (COVER.sheet, COVER.cell("OrgType")): org_type}
        for row, element in enumerate(model.scored_elements, start=ELEMENTS.first_row):
            values[(ELEMENTS.sheet, ELEMENTS.cell("status", row))] = answers.get(element.id)
            values[(ELEMENTS.sheet, ELEMENTS.cell("evidence", row))] = evidence.get(element.id)
        for row, strand in enumerate(model.strand_names, start=RATINGS.first_row):
            values[(RATINGS.sheet, RATINGS.cell("target", row))] = targets[strand]
        blank.fill(returns / f"return_{index:04d}.xlsx", values)
    import_returns([returns], db=folder / "returns.sqlite")
    return folder / "returns.sqlite"


def openpyxl_copies(folder: Path, copies: int) -> float:
    source = blanks.shipped_blank("self-assessment")
    folder.mkdir()
    started = time.perf_counter()
    for index in range(copies):
        openpyxl.load_workbook(source).save(folder / f"copy_{index}.xlsx")
    return time.perf_counter() - started


def timed_send_out(csv: Path, out: Path, db: Path | None) -> float:
    blanks._TEMPLATES.clear()
    if out.exists():
        shutil.rmtree(out)
    started = time.perf_counter()
    send_out("self-assessment", csv, out, db=db, deadline="30/10/2026", contact="Sam Adviser, sam@example.gov.uk")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=350)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline", type=int, default=20, help="openpyxl copies timed (scaled to N)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lga-xl-send-out-") as tmp:
        folder = Path(tmp)
        csv = councils_csv(folder, args.n)
        db = store_of_returns(folder, args.n)
        baseline = min(openpyxl_copies(folder / f"openpyxl{i}", args.baseline) for i in range(args.repeat))
        blank = min(timed_send_out(csv, folder / "out", None) for _ in range(args.repeat))
        carried = min(timed_send_out(csv, folder / "out", db) for _ in range(args.repeat))
    per_copy = baseline / args.baseline
    result = {
        "machine": f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}",
        "workbooks": args.n,
        "openpyxl_load_and_save_ms_each": round(per_copy * 1000, 1),
        "openpyxl_scaled_to_n_s": round(per_copy * args.n, 2),
        "send_out_s": round(blank, 2),
        "send_out_ms_each": round(blank / args.n * 1000, 2),
        "send_out_carried_s": round(carried, 2),
        "send_out_carried_ms_each": round(carried / args.n * 1000, 2),
        "ratio_send_out_to_openpyxl": round(blank / (per_copy * args.n), 3),
        "goals": {f"send-out under {GOAL_SECONDS:g} s": blank < GOAL_SECONDS,
                  f"carried forward under {GOAL_CARRIED_SECONDS:g} s": carried < GOAL_CARRIED_SECONDS},
    }
    print(json.dumps(result, indent=2))
    sys.exit(0 if all(result["goals"].values()) else 1)


if __name__ == "__main__":
    main()
