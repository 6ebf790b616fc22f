"""``lga-xl demo``: the whole job on built-in, made-up data.

Writes the blank templates, a round of filled returns from fictional
councils (self-assessments, one LGA external assessment, schools levy
plans), reads each back as an adviser would, then imports them all into a
SQLite store and a consolidated workbook, and writes the Apprenticeship MOT
report of the council the LGA assessed.

The demo writes into a new or empty folder.  With ``force`` it writes into a
folder that is not empty: its own files from an earlier run (the names it
writes) are replaced, the store is started afresh, and anything else is left
alone and not imported, so that a second run shows the same figures as the
first.

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

from .bulk import ImportReport, ProgressCallback, import_returns
from .kinds import kind
from .mot.reports import write_mot_report
from .outputs import prepare_output_folder
from .readers import read_workbook
from .samples import council, sample_lga_assessment, sample_self_assessment
from .writers.levy_plan import new_levy_plan, sample_levy_plan
from .writers.self_assessment import new_self_assessment

DEFAULT_FOLDER = Path("lga-xl-demo")
TEMPLATES = ("templates/self_assessment.xlsx", "templates/schools_levy_plan.xlsx")
STORE, WORKBOOK, MOT_REPORT = "returns.sqlite", "consolidated.xlsx", "mot_report.docx"
# The returns the demo writes, by glob: an earlier run's are replaced, never imported beside the new ones.
RETURN_PATTERNS = ("returns/self_assessment_*.xlsx", "returns/external_assessment_*.xlsx", "returns/levy_plan_*.xlsx")


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

    ``progress(label)``, when given, returns a callback for (done, total) of
    a step (the command line shows a progress bar on a terminal).

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
    ]
    echo(f"Blank templates for council officers: {', '.join(str(p) for p in templates)}")

    # (writer, file name, options) for each return: self-assessments, the LGA's own (external)
    # assessment of the first council for the MOT comparison, and levy plans from half the councils.
    planned: list[tuple[Callable[..., Path], str, dict]] = [
        (sample_self_assessment, f"self_assessment_{i + 1:02d}.xlsx", {"seed": i}) for i in range(councils)]
    planned.append((sample_lga_assessment, "external_assessment_01.xlsx", {"seed": 0}))
    for i in range((councils + 1) // 2):
        name, _, region = council(i)
        planned.append((sample_levy_plan, f"levy_plan_{i + 1:02d}.xlsx", {"org_name": name, "region": region,
                                                                          "seed": i}))
    echo(f"\nWriting {len(planned)} filled returns from {councils} fictional councils ...")
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


def _remove_earlier_run(folder: Path) -> None:
    """Delete the files an earlier demo wrote in ``folder``, and only those."""
    for pattern in (*TEMPLATES, *RETURN_PATTERNS, STORE, *(f"{STORE}{s}" for s in ("-journal", "-wal", "-shm")),
                    WORKBOOK, MOT_REPORT):
        for path in folder.glob(pattern):
            if path.is_file():
                path.unlink()


def _describe(result) -> str:
    return "  " + kind(result.kind).describe(result)[0]
