"""``lga-xl demo``: the whole job on built-in, made-up data.

Writes the blank templates, a round of filled returns from fictional
councils (self-assessments, one LGA external assessment, schools levy
plans, growth-strategy trackers and role maps, and the Hertfordshire
example strategy filled in with a year of illustrative figures), reads each
back as an adviser would, then imports them all into a SQLite store and a
consolidated workbook, and writes the Apprenticeship MOT report of the
council the LGA assessed.

The demo writes into a new or empty folder.  With ``force`` it writes into a
folder that is not empty: its own files from an earlier run (the names it
writes) are replaced, the store is started afresh, and anything else is left
alone and not imported, so that a second run shows the same figures as the
first.

Example:
    >>> import tempfile, pathlib
    >>> result = run_demo(pathlib.Path(tempfile.mkdtemp()), councils=2, echo=lambda line: None)
    >>> result.report.counts["imported"], result.mot_report.name
    (7, 'mot_report.docx')
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from .bulk import ImportReport, ProgressCallback, import_returns
from .kinds import kind
from .mot.reports import write_mot_report
from .outputs import prepare_output_folder
from .readers import read_workbook
from .samples import council, sample_lga_assessment, sample_role_map, sample_self_assessment, sample_tracker
from .targets import load_example
from .writers.levy_plan import new_levy_plan, sample_levy_plan
from .writers.role_map import new_role_map
from .writers.self_assessment import new_self_assessment
from .writers.tracker import new_tracker

DEFAULT_FOLDER = Path("lga-xl-demo")
TEMPLATES = ("templates/self_assessment.xlsx", "templates/schools_levy_plan.xlsx",
             "templates/growth_tracker.xlsx", "templates/role_map.xlsx")
STORE, WORKBOOK, MOT_REPORT = "returns.sqlite", "consolidated.xlsx", "mot_report.docx"
# The returns the demo writes, by glob: an earlier run's are replaced, never imported beside the new ones.
RETURN_PATTERNS = ("returns/self_assessment_*.xlsx", "returns/external_assessment_*.xlsx", "returns/levy_plan_*.xlsx",
                   "returns/tracker_*.xlsx", "returns/role_map_*.xlsx")
LINE_WIDTH = 100  # a longer line is split, its figures indented beneath
EXAMPLE = "hertfordshire"
EXAMPLE_REGION = "East of England"
ILLUSTRATIVE = "Illustrative figure made up for the demonstration, not from the strategy"


@dataclass
class DemoResult:
    folder: Path
    templates: list[Path]
    returns: list[Path]
    report: ImportReport
    mot_report: Path


def run_demo(folder: str | Path = DEFAULT_FOLDER, *, councils: int = 6, echo: Callable[[str], None] = print,
             force: bool = False, progress: Callable[[str], ProgressCallback | None] | None = None) -> DemoResult:
    """Run the demo into ``folder`` and describe each step through ``echo``.

    Every council sends a self-assessment; the first is also assessed by the
    LGA; the first half send a levy plan and a tracker, the first third (at
    least one) a role map.  ``progress(label)``, when given, returns a
    callback for (done, total) of a step (the command line shows a progress
    bar on a terminal).

    Raises:
        OutputError: ``folder`` holds files and ``force`` is False, or is a file.
    """
    folder = prepare_output_folder(folder, force=force)
    if force:
        _remove_earlier_run(folder)
    returns_dir = folder / "returns"
    templates = [
        new_self_assessment(folder / TEMPLATES[0]),
        new_levy_plan(folder / TEMPLATES[1], tax_year="2026-27"),
        new_tracker(folder / TEMPLATES[2]),
        new_role_map(folder / TEMPLATES[3]),
    ]
    echo(f"Blank templates for council officers, in {folder / 'templates'}:")
    echo("  " + ", ".join(path.name for path in templates))

    # (writer, file name, options) for each return: self-assessments, the LGA's own (external)
    # assessment of the first council for the MOT comparison, levy plans and trackers from half
    # the councils, the example strategy's tracker, and role maps from a third.
    half, third = (councils + 1) // 2, max(1, councils // 3)
    planned: list[tuple[Callable[..., Path], str, dict]] = [
        (sample_self_assessment, f"self_assessment_{i + 1:02d}.xlsx", {"seed": i}) for i in range(councils)]
    planned.append((sample_lga_assessment, "external_assessment_01.xlsx", {"seed": 0}))
    for i in range(half):
        name, _, region = council(i)
        planned.append((sample_levy_plan, f"levy_plan_{i + 1:02d}.xlsx", {"org_name": name, "region": region,
                                                                          "seed": i}))
    planned += [(sample_tracker, f"tracker_{i + 1:02d}.xlsx", {"seed": i}) for i in range(half)]
    planned.append((example_tracker, f"tracker_{EXAMPLE}.xlsx", {}))
    planned += [(sample_role_map, f"role_map_{i + 1:02d}.xlsx", {"seed": i}) for i in range(third)]
    echo(f"\nWriting {len(planned)} filled returns from {councils} fictional councils and the {EXAMPLE.title()} "
         "example ...")
    step = progress("Writing returns") if progress else None
    returns = []
    for done, (write, name, options) in enumerate(planned, start=1):
        returns.append(write(returns_dir / name, **options))
        if step:
            step(done, len(planned))

    echo("Read back and recomputed:")
    for path in returns:
        echo(_describe(read_workbook(path)))

    report = import_returns(returns, db=folder / STORE, out=folder / WORKBOOK,
                            progress=progress("Importing") if progress else None)
    echo(f"\nImported: {report.summary()}")
    echo(f"Store: {report.store_path}")
    echo(f"Consolidated workbook: {report.workbook_path}")
    assessed = council(0)[0]
    mot = write_mot_report(assessed, db=report.store_path, out=folder / MOT_REPORT, force=True)
    echo(f"\nApprenticeship MOT report for {assessed}, from the store: {mot}")
    return DemoResult(folder, templates, returns, report, mot)


def example_tracker(path: str | Path) -> Path:
    """The example strategy's tracker with its year of illustrative actuals, as at the last of them.

    Example:
        >>> import tempfile, pathlib
        >>> from lga_xl.readers.tracker import read_tracker
        >>> tracker = read_tracker(example_tracker(pathlib.Path(tempfile.mkdtemp()) / "herts.xlsx"))
        >>> tracker.reporting_date, len(tracker.actuals), tracker.has_errors
        (datetime.date(2023, 7, 31), 36, False)
    """
    strategy = load_example(EXAMPLE)
    actuals = [replace(actual, note=actual.note or ILLUSTRATIVE) for actual in strategy.actuals]
    reporting_date: dt.date = max(actual.on for actual in actuals)
    return new_tracker(path, example=EXAMPLE, region=EXAMPLE_REGION, actuals=actuals, reporting_date=reporting_date)


def _remove_earlier_run(folder: Path) -> None:
    """Delete the files an earlier demo wrote in ``folder``, and only those."""
    for pattern in (*TEMPLATES, *RETURN_PATTERNS, STORE, *(f"{STORE}{s}" for s in ("-journal", "-wal", "-shm")),
                    WORKBOOK, MOT_REPORT):
        for path in folder.glob(pattern):
            if path.is_file():
                path.unlink()


def _describe(result) -> str:
    """A return's one-line description; a long one split after what it is, its figures wrapped beneath."""
    line = kind(result.kind).describe(result)[0]
    what, colon, figures = line.partition(": ")
    if len(line) + 2 <= LINE_WIDTH or not colon:
        return f"  {line}"
    return f"  {what}:\n" + textwrap.fill(figures, LINE_WIDTH, initial_indent="    ", subsequent_indent="    ",
                                          break_on_hyphens=False)
