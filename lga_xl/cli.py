"""The ``lga-xl`` command: a thin layer over the library, one call per command.

Exit codes: 0 success; 1 some file has errors (validate) or was rejected
(import); 2 a file cannot be read, or the command was used wrongly.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .issues import Issue, WorkbookError
from .reference import ASSESSMENT_TYPES, ORG_TYPES, REGIONS

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lga-xl")
def main() -> None:
    """Apprenticeship self-assessments and levy plans in Excel workbooks."""


@main.group()
def new() -> None:
    """Generate a workbook for a council officer to fill in."""


@new.command("self-assessment")
@click.option("--org", "org_name", help="Organisation name to put on the cover.")
@click.option("--region", type=click.Choice(REGIONS, case_sensitive=False), help="One of the nine English regions.")
@click.option("--org-type", type=click.Choice(ORG_TYPES, case_sensitive=False))
@click.option("--assessment-type", type=click.Choice(ASSESSMENT_TYPES, case_sensitive=False), default="Self",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the .xlsx file.")
def new_self_assessment_command(org_name, region, org_type, assessment_type, output: Path) -> None:
    """A Maturity Model self-assessment workbook."""
    from .writers.self_assessment import new_self_assessment

    path = new_self_assessment(output, org_name=org_name, region=region, org_type=org_type,
                               assessment_type=assessment_type)
    click.echo(f"Wrote {path}")


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the issues as JSON lines.")
def validate(files: tuple[Path, ...], as_json: bool) -> None:
    """Check returned workbooks and print every issue with its cell."""
    from .readers import read_workbook

    worst = EXIT_OK
    for path in files:
        try:
            issues = read_workbook(path).issues
        except WorkbookError as err:
            issues, worst = [err.issue], EXIT_UNREADABLE
        if any(i.severity == "error" for i in issues):
            worst = max(worst, EXIT_ERRORS)
        _print_issues(path, issues, as_json)
    sys.exit(worst)


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the whole result as JSON.")
def read(file: Path, as_json: bool) -> None:
    """Read one workbook, recompute its results and show them."""
    from .readers import read_workbook

    try:
        result = read_workbook(file)
    except WorkbookError as err:
        _print_issues(file, [err.issue], as_json)
        sys.exit(EXIT_UNREADABLE)
    if as_json:
        click.echo(json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False))
    else:
        click.echo(_describe(result))
        _print_issues(file, result.issues, False)
    sys.exit(EXIT_ERRORS if result.has_errors else EXIT_OK)


@main.command("codes")
def codes() -> None:
    """List every issue code with its severity and meaning."""
    from .issues import ISSUE_CODES

    for code in ISSUE_CODES.values():
        click.echo(f"{code.code:32} {code.severity:8} {code.meaning}")


def _print_issues(path: Path, issues: list[Issue], as_json: bool) -> None:
    if as_json:
        for issue in issues:
            click.echo(issue.model_dump_json())
        return
    if not issues:
        click.echo(f"{path}: OK")
        return
    errors = sum(1 for i in issues if i.severity == "error")
    click.echo(f"{path}: {errors} error(s), {len(issues) - errors} warning(s)")
    for issue in issues:
        place = f"{issue.sheet}!{issue.cell}" if issue.sheet and issue.cell else (issue.sheet or "")
        click.echo(f"  {issue.severity:7} {place:16} [{issue.code}] {issue.message}")


def _describe(result) -> str:
    if result.kind == "self-assessment":
        lines = [f"{result.organisation or '(no name)'} ({result.region or 'no region'}), "
                 f"{result.assessment_type or '?'} assessment, overall score {result.overall_score:.2f}"]
        for strand in result.strands:
            target = f"target {strand.target}" if strand.target else "no target"
            lines.append(f"  {strand.strand:45} {strand.current:13} {strand.score:.1f}  {target}")
        return "\n".join(lines)
    raise NotImplementedError(result.kind)


if __name__ == "__main__":  # pragma: no cover
    main()
