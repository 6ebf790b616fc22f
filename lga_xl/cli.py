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
from .targets import example_names

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2


class _Commands(click.Group):
    """Every command: a file that cannot be written or read is an error message, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except OSError as exc:
            where = f" {exc.filename}" if exc.filename else ""
            click.echo(f"Error:{where}: {exc.strerror or exc}", err=True)
            ctx.exit(EXIT_UNREADABLE)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
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


def _tax_year_option(ctx, param, value: str) -> str:
    from .contracts.levy_plan import plan_start_of

    try:
        plan_start_of(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    return value


def _schools_option(ctx, param, value: Path | None):
    from .writers.levy_plan import SchoolsCsvError, load_schools_csv

    try:
        return () if value is None else load_schools_csv(value)
    except SchoolsCsvError as exc:
        raise click.BadParameter(str(exc)) from None


def _standards_option(ctx, param, value: Path | None):
    """(where the standards came from, the standards); (None, None) for the shipped sample."""
    from .standards import StandardsError, load_standards

    try:
        return (None, None) if value is None else (value.name, load_standards(value))
    except StandardsError as exc:
        raise click.BadParameter(str(exc)) from None


@new.command("levy-plan")
@click.option("--org", "org_name", help="Council name to put on the plan.")
@click.option("--region", type=click.Choice(REGIONS, case_sensitive=False), help="One of the nine English regions.")
@click.option("--tax-year", default="2026-27", show_default=True, callback=_tax_year_option,
              help="The plan's tax year, like 2026-27 (from 2018-19). A new year needs a new workbook.")
@click.option("--schools", "schools", type=click.Path(dir_okay=False, path_type=Path), callback=_schools_option,
              help="CSV of schools to pre-fill: columns URN, School, Type, PayBill, Headcount.")
@click.option("--standards", "standards", type=click.Path(dir_okay=False, path_type=Path),
              callback=_standards_option,
              help="Your export of the Skills England standards list (JSON or CSV); an illustrative sample if omitted.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the .xlsx file.")
def new_levy_plan_command(org_name, region, tax_year, schools, standards, output: Path) -> None:
    """A schools apprenticeship levy plan workbook."""
    from .writers.levy_plan import new_levy_plan

    source, standard_list = standards
    path = new_levy_plan(output, org_name=org_name, region=region, tax_year=tax_year, schools=schools,
                         standards=standard_list, standards_source=source)
    click.echo(f"Wrote {path}")


@new.command("tracker")
@click.option("--org", "org_name", help="Council or partnership name to put on the tracker.")
@click.option("--region", type=click.Choice(REGIONS, case_sensitive=False), help="One of the nine English regions.")
@click.option("--example", type=click.Choice(example_names()),
              help="Pre-load an example strategy's targets, objectives and actions, word for word.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the .xlsx file.")
def new_tracker_command(org_name, region, example, output: Path) -> None:
    """A growth-strategy tracker: targets, actuals, action plan, public sector figures."""
    from .writers.tracker import new_tracker

    path = new_tracker(output, org_name=org_name, region=region, example=example)
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


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=Path("returns.sqlite"),
              show_default=True, help="The SQLite store to add the returns to (created if missing).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("consolidated.xlsx"),
              show_default=True, help="Where to write the consolidated workbook.")
@click.option("--no-workbook", is_flag=True, help="Only update the store.")
@click.option("--csv", "csv_folder", type=click.Path(file_okay=False, path_type=Path),
              help="Also write every consolidated table as a CSV file into this folder.")
@click.option("--jobs", type=click.IntRange(min=1), help="Reader processes (default: one per CPU).")
def import_command(paths, db: Path, out: Path, no_workbook: bool, csv_folder: Path | None, jobs: int | None) -> None:
    """Import returned workbooks (files or folders) into the store and consolidate them."""
    import sqlite3

    from .bulk import import_returns
    from .store import StoreError

    try:
        report = import_returns(paths, db=db, out=None if no_workbook else out, jobs=jobs, progress=_progress())
    except (sqlite3.Error, StoreError) as exc:  # the store cannot be opened or is of a newer version
        click.echo(f"Error: {exc}", err=True)
        sys.exit(EXIT_UNREADABLE)
    for outcome in report.files:
        if outcome.outcome in ("rejected", "skipped"):
            click.echo(f"{outcome.outcome:8} {outcome.path}: {outcome.reason}")
    click.echo(report.summary())
    click.echo(f"Store: {report.store_path}")
    if report.workbook_path:
        click.echo(f"Consolidated workbook: {report.workbook_path}")
    if csv_folder:
        from .writers.csv_export import write_csv

        click.echo(f"CSV files: {len(write_csv(csv_folder, db))} in {csv_folder}")
    sys.exit(report.exit_code)


def _progress():
    """A progress bar on a terminal; nothing otherwise (the summary line follows)."""
    if not sys.stderr.isatty():
        return None
    bar = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label="Reading returns", file=sys.stderr)
            bar.__enter__()
        bar.update(1)
        if done == total:
            bar.__exit__(None, None, None)

    return update


@main.command()
@click.option("--out", "folder", type=click.Path(file_okay=False, path_type=Path), default=Path("lga-xl-demo"),
              show_default=True, help="Folder for the demo's workbooks, store and consolidated workbook.")
@click.option("--councils", type=click.IntRange(min=1, max=200), default=6, show_default=True)
def demo(folder: Path, councils: int) -> None:
    """Run the whole job on made-up councils: templates, returns, checks, import."""
    from .demo import run_demo

    run_demo(folder, councils=councils, echo=click.echo)


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
    from .kinds import kind

    return "\n".join(kind(result.kind).describe(result))


if __name__ == "__main__":  # pragma: no cover
    main()
