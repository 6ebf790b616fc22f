"""``lga-xl demo``: the whole job on built-in, made-up data.

Writes the blank templates, a round of filled returns from fictional
councils (self-assessments, one LGA external assessment, schools levy
plans), reads each back as an adviser would, then imports them all into a
SQLite store and a consolidated workbook, and writes the Apprenticeship MOT
report of the council the LGA assessed.

Example:
    >>> import tempfile, pathlib
    >>> result = run_demo(pathlib.Path(tempfile.mkdtemp()), councils=2, echo=lambda line: None)
    >>> result.report.counts["imported"], result.mot_report.name
    (4, 'mot_report.docx')
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .bulk import ImportReport, import_returns
from .kinds import kind
from .mot.reports import write_mot_report
from .readers import read_workbook
from .samples import council, sample_lga_assessment, sample_self_assessment
from .writers.levy_plan import new_levy_plan, sample_levy_plan
from .writers.self_assessment import new_self_assessment

DEFAULT_FOLDER = Path("lga-xl-demo")


@dataclass
class DemoResult:
    folder: Path
    templates: list[Path]
    returns: list[Path]
    report: ImportReport
    mot_report: Path


def run_demo(folder: str | Path = DEFAULT_FOLDER, *, councils: int = 6,
             echo: Callable[[str], None] = print) -> DemoResult:
    """Run the demo into ``folder`` and describe each step through ``echo``."""
    folder = Path(folder)
    returns_dir = folder / "returns"
    templates = [
        new_self_assessment(folder / "templates" / "self_assessment.xlsx"),
        new_levy_plan(folder / "templates" / "schools_levy_plan.xlsx", tax_year="2026-27"),
    ]
    echo(f"Blank templates for council officers: {', '.join(str(p) for p in templates)}")

    returns = [sample_self_assessment(returns_dir / f"self_assessment_{i + 1:02d}.xlsx", seed=i)
               for i in range(councils)]
    # The LGA's own (external) assessment of the first council, for the MOT comparison.
    returns.append(sample_lga_assessment(returns_dir / "external_assessment_01.xlsx", seed=0))
    for i in range((councils + 1) // 2):
        name, _, region = council(i)
        returns.append(sample_levy_plan(returns_dir / f"levy_plan_{i + 1:02d}.xlsx", org_name=name, region=region,
                                        seed=i))

    echo(f"\nFilled returns from {councils} fictional councils, read back and recomputed.")
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


def _describe(result) -> str:
    return "  " + kind(result.kind).describe(result)[0]
