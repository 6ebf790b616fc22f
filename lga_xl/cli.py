"""The ``lga-xl`` command: a thin layer over the library, one call per command.

Exit codes: 0 success; 1 some file has errors (validate) or was rejected
(import); 2 a file cannot be read, or the command was used wrongly.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from . import __version__
from .issues import Issue, WorkbookError
from .reference import ASSESSMENT_TYPES, ORG_TYPES, REGIONS
from .targets import example_names

if TYPE_CHECKING:
    from .standards import Standard
    from .writers.levy_plan import StartEntry

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
@click.option("--roles", "role_map", type=click.Path(dir_okay=False, path_type=Path),
              help="A role map (lga-xl new role-map): a planned start for each vacancy in each role with a "
                   "standard, for you to date.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the .xlsx file.")
def new_levy_plan_command(org_name, region, tax_year, schools, standards, role_map, output: Path) -> None:
    """A schools apprenticeship levy plan workbook."""
    from .writers.levy_plan import new_levy_plan

    source, standard_list = standards
    starts, standard_list, source = _role_map_starts(role_map, standard_list, source)
    path = new_levy_plan(output, org_name=org_name, region=region, tax_year=tax_year, schools=schools,
                         starts=starts, standards=standard_list, standards_source=source)
    click.echo(f"Wrote {path}")


def _role_map_starts(role_map: Path | None, standards: list[Standard] | None,
                     source: str | None) -> tuple[tuple[StartEntry, ...], list[Standard] | None, str | None]:
    """(planned starts, standards, their source) for a levy plan, pre-filled from a role map when given.

    Without ``--standards`` the plan takes the map's own standards list (those approved for delivery).
    """
    if role_map is None:
        return (), standards, source
    from .readers import read_workbook
    from .writers.role_map import planned_starts_from_role_map, standards_of

    try:
        mapped = read_workbook(role_map, expected="role-map")
    except WorkbookError as err:
        _print_issues(role_map, [err.issue], False)
        sys.exit(EXIT_UNREADABLE)
    if mapped.has_errors:
        click.echo(f"Warning: {role_map} has errors (lga-xl validate lists them); its roles are used as read",
                   err=True)
    prefilled = planned_starts_from_role_map(mapped, standards)
    for skipped in prefilled.skipped:
        click.echo(f"Not pre-filled: {skipped}", err=True)
    click.echo(f"Pre-filled {len(prefilled.starts)} planned start(s), one for each vacancy, from {prefilled.roles} "
               f"role(s) with a standard in {role_map.name}: give each a start date on the Starts sheet")
    if standards is None:
        standards = [standard for standard in standards_of(mapped) if standard.approved]
        source = f"the standards list of {role_map.name}: {mapped.standards_source}"
    return prefilled.starts, standards, source


@new.command("role-map")
@click.option("--org", "org_name", help="Council name to put on the map.")
@click.option("--region", type=click.Choice(REGIONS, case_sensitive=False), help="One of the nine English regions.")
@click.option("--roles", "roles_csv", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="CSV of the council's job roles: Job title, Service, Grade, Headcount, Vacancies (any case and "
                   "order; only Job title is required).")
@click.option("--standards", "standards_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Your export of the Skills England standards list (JSON or CSV); an illustrative sample if omitted.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the .xlsx file.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists (never an input).")
def new_role_map_command(org_name: str | None, region: str | None, roles_csv: Path, standards_file: Path | None,
                         output: Path, force: bool) -> None:
    """A map of the council's job roles to apprenticeship standards, with suggestions to confirm."""
    from .outputs import OutputError, atomic_write, check_output
    from .standards import StandardsError, load_standards
    from .usertext import UserTextError
    from .writers.role_map import load_roles_csv, new_role_map

    try:
        out = check_output(output, force=force, inputs=[path for path in (roles_csv, standards_file) if path])
        roles = load_roles_csv(roles_csv)
        standards = None if standards_file is None else load_standards(standards_file, include_inactive=True)
    except (OutputError, UserTextError, StandardsError) as exc:
        _error(str(exc))
    if roles.missing:
        click.echo(f"Note: {roles_csv.name} has no {' or '.join(roles.missing)} column; left blank", err=True)
    with atomic_write(out) as partial:
        new_role_map(partial, org_name=org_name, region=region, roles=roles.roles, standards=standards,
                     standards_source=standards_file.name if standards_file else None)
    click.echo(f"Wrote {out}: {len(roles.roles)} job roles, each with up to three suggested standards"
               + ("" if standards_file else " from the illustrative sample standards list (not for planning)"))


@main.group("standards")
def standards_group() -> None:
    """Exports of the Skills England standards list."""


@standards_group.command("diff")
@click.argument("old", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON.")
def standards_diff_command(old: Path, new: Path, as_json: bool) -> None:
    """What changed from one export to the next: added, retired or withdrawn, re-banded, re-levelled, new versions."""
    from .standards import StandardsError, load_standards
    from .standards_diff import diff_standards

    try:
        diff = diff_standards(load_standards(old, include_inactive=True), load_standards(new, include_inactive=True))
    except (StandardsError, ValueError) as exc:
        _error(str(exc))
    click.echo(diff.to_json() if as_json else "\n".join(diff.lines()))


@main.group("role-map")
def role_map_group() -> None:
    """Keep a role map up to date."""


@role_map_group.command("refresh")
@click.argument("role_map", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--standards", "standards_file", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The newer export of the Skills England standards list (JSON or CSV).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the refreshed map (never over the map refreshed).")
@click.option("--force", is_flag=True, help="Replace the output file if it exists (never an input).")
def refresh_role_map_command(role_map: Path, standards_file: Path, output: Path, force: bool) -> None:
    """The same roles on a newer standards list: choices kept, and each role whose standard changed flagged."""
    from .outputs import OutputError, atomic_write, check_output
    from .standards import StandardsError, load_standards
    from .writers.role_map import refresh_role_map

    try:
        out = check_output(output, force=force, inputs=[role_map, standards_file])
        standards = load_standards(standards_file, include_inactive=True)
        with atomic_write(out) as partial:
            report = refresh_role_map(role_map, standards, partial, standards_source=standards_file.name)
    except WorkbookError as err:
        _print_issues(role_map, [err.issue], False)
        sys.exit(EXIT_UNREADABLE)
    except (OutputError, StandardsError) as exc:
        _error(str(exc))
    click.echo("\n".join(report.lines()))
    click.echo(f"Wrote {out}")
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


def _progress(label: str = "Reading returns"):
    """A progress bar on a terminal; nothing otherwise (the summary line follows)."""
    if not sys.stderr.isatty():
        return None
    bar = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label=label, file=sys.stderr)
            bar.__enter__()
        bar.update(1)
        if done == total:
            bar.__exit__(None, None, None)

    return update


@main.command("mot")
@click.argument("organisation", required=False)
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=Path("returns.sqlite"),
              show_default=True, help="The store to read (made by lga-xl import).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="The report: .docx (Word), or .xlsx for the same figures as a workbook.")
@click.option("--survey", type=click.Path(dir_okay=False, path_type=Path),
              help="The apprentice survey: its Microsoft Forms export (CSV or .xlsx).")
@click.option("--all", "every", is_flag=True, help="A report for every council with a self-assessment.")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), help="With --all: the folder to write to.")
@click.option("--format", "fmt", type=click.Choice(["docx", "xlsx"]), default="docx", show_default=True,
              help="With --all: Word reports or workbooks.")
@click.option("--prepared-by", help="Who prepared the report, for its cover.")
@click.option("--force", is_flag=True, help="Replace an existing report (with --all: write into a folder with files).")
@click.option("--jobs", type=click.IntRange(min=1), help="With --all: writer processes (default: one per CPU).")
def mot_command(organisation: str | None, db: Path, output: Path | None, survey: Path | None, every: bool,
                out_dir: Path | None, fmt: str, prepared_by: str | None, force: bool, jobs: int | None) -> None:
    """The Apprenticeship MOT of a council, from the store: its report as Word or as a workbook.

    \b
    lga-xl mot "Exampleshire County Council" --db returns.sqlite -o exampleshire-mot.docx
    lga-xl mot --all --db returns.sqlite --out-dir mot-reports
    """
    from .mot.from_store import MotStoreError
    from .mot.reports import write_mot_report, write_mot_reports
    from .mot.survey import SurveyError
    from .outputs import OutputError

    if every == bool(organisation):
        raise click.UsageError("name one organisation, or give --all for every council")
    if every and (output or survey or not out_dir):
        raise click.UsageError("--all writes one report per council into --out-dir (not -o), without --survey")
    if organisation and (out_dir or not output):
        raise click.UsageError("give the report's file with -o REPORT.docx (or .xlsx); --out-dir is for --all")
    try:
        if every:
            run = write_mot_reports(db=db, out_dir=out_dir, fmt=fmt, force=force, jobs=jobs,
                                    progress=_progress("Writing MOT reports"), prepared_by=prepared_by)
            for council, why in run.failed:
                click.echo(f"failed   {council}: {why}")
            click.echo(run.summary())
            sys.exit(run.exit_code)
        path = write_mot_report(organisation, db=db, out=output, survey=survey, force=force, prepared_by=prepared_by)
    except (OutputError, SurveyError, MotStoreError) as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(EXIT_UNREADABLE)
    click.echo(f"Wrote {path}")


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


# The adviser's year: send-out, upgrade, feedback, history (lga_xl.sendout, .upgrade, .feedback, .history).

def _sent_kinds() -> tuple[str, ...]:
    from .kinds import KINDS

    return tuple(name for name, workbook_kind in KINDS.items() if workbook_kind.carry_path)


@main.command("send-out")
@click.argument("kind_name", metavar="KIND", type=click.Choice(_sent_kinds()))
@click.option("--councils", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="CSV of councils: Organisation, Region, Type; optionally Contact name and Email (any order).")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for the workbooks and manifest.csv (created; refused if it holds files, without --force).")
@click.option("--db", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A store (lga-xl import): each council's latest return of KIND is carried forward.")
@click.option("--deadline", help="The date to return it by, such as 30/10/2026, shown on the cover.")
@click.option("--contact", help="Whom to send it back to and ask, shown on the cover.")
@click.option("--tax-year", help="Levy plans: the plan's tax year, such as 2026-27 (default 2026-27).")
@click.option("--standards", "standards", type=click.Path(dir_okay=False, path_type=Path),
              callback=_standards_option,
              help="Levy plans: your export of the Skills England standards list; an illustrative sample if omitted.")
@click.option("--force", is_flag=True, help="Write into a folder that holds files, replacing files of the same name.")
def send_out_command(kind_name: str, councils: Path, out_dir: Path, db: Path | None, deadline: str | None,
                     contact: str | None, tax_year: str | None, standards, force: bool) -> None:
    """One personalised workbook per council, last year's answers carried forward with --db.

    \b
    lga-xl send-out self-assessment --councils councils.csv --out-dir 2026 --db returns.sqlite \\
        --deadline 30/10/2026 --contact "Sam Adviser, sam.adviser@local.gov.uk"
    """
    from .outputs import OutputError
    from .sendout import SendOutError, send_out
    from .store import StoreError
    from .usertext import UserTextError

    source, standard_list = standards
    try:
        report = send_out(kind_name, councils, out_dir, db=db, deadline=deadline, contact=contact, tax_year=tax_year,
                          standards=standard_list, standards_source=source, force=force,
                          progress=_progress("Writing workbooks"))
    except (SendOutError, UserTextError, OutputError, StoreError) as exc:
        _error(str(exc))
    for sent in report.sent:
        for note in sent.notes:
            click.echo(f"{sent.council.organisation}: {note}")
    click.echo(report.summary())


@main.command("upgrade")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for the upgraded copies (same file names; refused if it holds files, without --force).")
@click.option("--force", is_flag=True, help="Write into a folder that holds files, replacing files of the same name.")
def upgrade_command(files: tuple[Path, ...], out_dir: Path, force: bool) -> None:
    """Returns made on an older template, as the current template with the same answers (to send out again)."""
    from .outputs import OutputError
    from .upgrade import upgrade_workbooks

    try:
        report = upgrade_workbooks(files, out_dir, force=force)
    except OutputError as exc:
        _error(str(exc))
    for item in report.upgraded:
        click.echo("\n".join(item.lines()))
    click.echo(report.summary())
    sys.exit(report.exit_code)


@main.command("feedback")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for the annotated copies (same file names; refused if it holds files, without --force).")
@click.option("--force", is_flag=True, help="Write into a folder that holds files, replacing files of the same name.")
def feedback_command(files: tuple[Path, ...], out_dir: Path, force: bool) -> None:
    """A copy of each return with its problems written in: an Issues sheet first, each problem cell shaded and
    commented. The returns themselves are not changed."""
    from .feedback import write_feedback
    from .outputs import OutputError

    try:
        report = write_feedback(files, out_dir, force=force)
    except OutputError as exc:
        _error(str(exc))
    for item in report.annotated:
        click.echo(item.line())
    click.echo(report.summary())
    sys.exit(report.exit_code)


@main.command("history")
@click.argument("organisation")
@click.option("--db", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=Path("returns.sqlite"),
              show_default=True, help="The store to read (made by lga-xl import).")
@click.option("--json", "as_json", is_flag=True, help="Print the history as JSON.")
def history_command(organisation: str, db: Path, as_json: bool) -> None:
    """A council's returns over time: each self-assessment's rating per strand, side by side."""
    from .history import HistoryError, council_history
    from .store import StoreError

    try:
        history = council_history(organisation, db)
    except (HistoryError, StoreError) as exc:
        _error(str(exc))
    click.echo(history.to_json() if as_json else "\n".join(history.lines()))


def _error(message: str) -> NoReturn:
    """A one-line error, and the exit code for a file that cannot be used or a command used wrongly."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(EXIT_UNREADABLE)


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
