"""``lga-xl demo``: the whole job on built-in, made-up data.

Writes the blank templates, a round of filled returns from fictional
councils (self-assessments, one LGA external assessment, schools levy
plans, growth-strategy trackers and role maps, and the Hertfordshire
example strategy filled in with a year of illustrative figures), reads each
back as an adviser would, then imports them all into a SQLite store and a
consolidated workbook, and writes the Apprenticeship MOT report of the
council the LGA assessed.

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

from .bulk import ImportReport, import_returns
from .kinds import kind
from .mot.reports import write_mot_report
from .readers import read_workbook
from .samples import council, sample_lga_assessment, sample_role_map, sample_self_assessment, sample_tracker
from .targets import load_example
from .writers.levy_plan import new_levy_plan, sample_levy_plan
from .writers.role_map import new_role_map
from .writers.self_assessment import new_self_assessment
from .writers.tracker import new_tracker

DEFAULT_FOLDER = Path("lga-xl-demo")
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


def run_demo(folder: str | Path = DEFAULT_FOLDER, *, councils: int = 6,
             echo: Callable[[str], None] = print) -> DemoResult:
    """Run the demo into ``folder`` and describe each step through ``echo``.

    Every council sends a self-assessment; the first is also assessed by the
    LGA; the first half send a levy plan and a tracker, the first third (at
    least one) a role map.
    """
    folder = Path(folder)
    returns_dir, templates_dir = folder / "returns", folder / "templates"
    templates = [
        new_self_assessment(templates_dir / "self_assessment.xlsx"),
        new_levy_plan(templates_dir / "schools_levy_plan.xlsx", tax_year="2026-27"),
        new_tracker(templates_dir / "growth_tracker.xlsx"),
        new_role_map(templates_dir / "role_map.xlsx"),
    ]
    echo(f"Blank templates for council officers, in {templates_dir}:")
    echo("  " + ", ".join(path.name for path in templates))

    half, third = (councils + 1) // 2, max(1, councils // 3)
    returns = [sample_self_assessment(returns_dir / f"self_assessment_{i + 1:02d}.xlsx", seed=i)
               for i in range(councils)]
    # The LGA's own (external) assessment of the first council, for the MOT comparison.
    returns.append(sample_lga_assessment(returns_dir / "external_assessment_01.xlsx", seed=0))
    for i in range(half):
        name, _, region = council(i)
        returns.append(sample_levy_plan(returns_dir / f"levy_plan_{i + 1:02d}.xlsx", org_name=name, region=region,
                                        seed=i))
    returns += [sample_tracker(returns_dir / f"tracker_{i + 1:02d}.xlsx", seed=i) for i in range(half)]
    returns.append(example_tracker(returns_dir / f"tracker_{EXAMPLE}.xlsx"))
    returns += [sample_role_map(returns_dir / f"role_map_{i + 1:02d}.xlsx", seed=i) for i in range(third)]

    echo(f"\nFilled returns from {councils} fictional councils and the {EXAMPLE.title()} example, read back and "
         "recomputed:")
    for path in returns:
        echo(_describe(read_workbook(path)))

    report = import_returns([returns_dir], db=folder / "returns.sqlite", out=folder / "consolidated.xlsx")
    echo(f"\nImported: {report.summary()}")
    echo(f"Store: {report.store_path}")
    echo(f"Consolidated workbook: {report.workbook_path}")

    assessed = council(0)[0]
    mot = write_mot_report(assessed, db=report.store_path, out=folder / "mot_report.docx", force=True)
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


def _describe(result) -> str:
    """A return's one-line description; a long one split after what it is, its figures wrapped beneath."""
    line = kind(result.kind).describe(result)[0]
    what, colon, figures = line.partition(": ")
    if len(line) + 2 <= LINE_WIDTH or not colon:
        return f"  {line}"
    return f"  {what}:\n" + textwrap.fill(figures, LINE_WIDTH, initial_indent="    ", subsequent_indent="    ",
                                          break_on_hyphens=False)
