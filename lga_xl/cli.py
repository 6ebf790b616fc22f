"""The ``lga-xl`` command: a thin layer over the library, one call per command.

Exit codes, every command: 0 success; 1 a file has errors or cannot be read
(``validate``, ``read``) or was rejected (``import``: the good ones are still
imported); 2 the command was used wrongly (an unknown option, a path that does
not exist, an output that would replace a file without ``--force``, an input
CSV that cannot be used).  A file that cannot be read is an issue of that file,
never a usage error: the other files are still checked.

Output is UTF-8 whatever the console's encoding, errors are one line each and
never a traceback, and output cut short by a pipe (``lga-xl codes | head``)
ends quietly.  Nothing is overwritten unless asked: an output that exists
needs ``--force``, and one that is an input or the store is refused even then
(:mod:`lga_xl.outputs`).
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from . import __version__
from .issues import Issue
from .outputs import FORCE_OPTION, OutputError, check_output
from .reference import ASSESSMENT_TYPES, ORG_TYPES, REGIONS, match_region
from .store import StoreError
from .text import loose_choice
from .usertext import UserTextError

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # as a shell reports Ctrl+C

EXIT_CODES = ("Exit codes: 0 no errors; 1 a file has errors or cannot be read (import: some files rejected, "
              "the good ones imported); 2 the command was used wrongly.")
_CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


# Output: UTF-8 always, one line per error, quiet when the reader of a pipe goes away.


class _Output:
    """Where the command writes; stdout stops quietly when the pipe it feeds is closed."""

    stdout_closed = False

    @classmethod
    def say(cls, text: str = "") -> None:
        if cls.stdout_closed:
            return
        try:
            click.echo(text)
        except BrokenPipeError:
            cls.close_stdout()

    @classmethod
    def close_stdout(cls) -> None:
        """Send the rest of stdout nowhere, so that exiting does not complain about the closed pipe."""
        cls.stdout_closed = True
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):  # no file descriptor (a test runner's stream)
            pass


_say = _Output.say


def _note(text: str) -> None:
    """A line for the person at the terminal (stderr), not for a script reading stdout."""
    try:
        click.echo(text, err=True)
    except BrokenPipeError:
        pass


def _utf8_output() -> None:
    """Write UTF-8 whatever the console's code page (Windows: cp1252, or PYTHONIOENCODING)."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").replace("_", "-").lower()
        if encoding not in ("utf-8", "utf8") and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")


class _Commands(click.Group):
    """Every command: one-line errors with exit code 2, never a traceback; UTF-8 output."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        _utf8_output()
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            where = f" (see {exc.ctx.command_path} --help)" if exc.ctx is not None else ""
            _note(f"Error: {_one_line(exc.format_message())}{where}")
            sys.exit(EXIT_USAGE)
        except click.ClickException as exc:
            _note(f"Error: {exc.format_message()}")
            sys.exit(exc.exit_code)
        except (OutputError, UserTextError, StoreError, sqlite3.Error) as exc:
            _note(f"Error: {exc}")
            sys.exit(EXIT_USAGE)
        except BrokenPipeError:
            _Output.close_stdout()
            sys.exit(EXIT_OK)
        except OSError as exc:  # a file or folder that cannot be written or read
            where = f"{exc.filename}: " if exc.filename else ""
            _note(f"Error: {where}{exc.strerror or exc}")
            sys.exit(EXIT_USAGE)
        except (click.Abort, KeyboardInterrupt):
            _note("Interrupted.")
            sys.exit(EXIT_INTERRUPTED)
        sys.exit(result if isinstance(result, int) else EXIT_OK)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _example_names() -> list[str]:
    from .targets import example_names

    return example_names()


# Options shared by the commands.


class _Region(click.ParamType):
    """One of the nine English regions, matched loosely (``Yorkshire & Humber``), with a note when loose."""

    name = "region"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        region = match_region(value)
        if region is None:
            self.fail(f"{value!r} is not one of the nine English regions: {', '.join(REGIONS)}", param, ctx)
        if region != value:
            _note(f"Note: region {value!r} read as {region!r}")
        return region


class _OneOf(click.ParamType):
    """One of ``choices``, forgiving case, spaces, hyphens and underscores; shown as written."""

    name = "choice"

    def __init__(self, choices: Sequence[str]) -> None:
        self.choices = tuple(choices)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        choice = loose_choice(value, self.choices)
        if choice is None:
            self.fail(f"{value!r} is not one of: {', '.join(self.choices)}", param, ctx)
        return choice


def _output_option(what: str) -> Callable:
    return click.option("-o", "--output", type=click.Path(path_type=Path), required=True, metavar="FILE.xlsx",
                        help=f"Where to write {what} (a name ending in .xlsx); with --councils, the folder for "
                             "one workbook per council.")


def _councils_option() -> Callable:
    return click.option("--councils", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.csv",
                        help="A CSV of councils (Organisation, Region, Type): one workbook each, named after the "
                             "council, in the -o folder (lga-xl send-out adds a deadline, a contact and last year's "
                             "answers). Example: examples/councils.csv.")


def _workbooks_to_write(output: Path, councils: Path | None, force: bool, inputs: Sequence[Path],
                        org_name: str | None) -> list[tuple[Any, Path]]:
    """(council, where to write its workbook) for each workbook asked for, every output checked first.

    Without ``councils``, one workbook (council None) at ``output``.
    """
    if councils is None:
        return [(None, check_output(output, force=force, inputs=inputs))]
    from .outputs import unique_names
    from .sendout import read_councils, safe_file_stem

    if org_name is not None:
        raise click.UsageError("--org and --councils cannot be used together: the names come from the CSV")
    try:
        listed = read_councils(councils)
    except UserTextError as exc:
        raise _InputError("--councils", exc) from None
    if output.suffix.lower() == ".xlsx" or output.is_file():
        raise click.BadParameter(f"{output}: with --councils, -o names a folder (one workbook per council)",
                                 param_hint="-o")
    output.mkdir(parents=True, exist_ok=True)
    names = unique_names((safe_file_stem(council.organisation), ".xlsx") for council in listed)
    return [(council, check_output(output / name, force=force, inputs=[*inputs, councils]))
            for council, name in zip(listed, names)]


def _force_option(what: str) -> Callable:
    return click.option(FORCE_OPTION, "force", is_flag=True, help=f"Replace {what} if it exists (never an input "
                        "or the store).")


def _region_option(what: str) -> Callable:
    return click.option("--region", type=_Region(), metavar="REGION",
                        help=f"{what}: one of the nine English regions, {', '.join(REGIONS)} (loose spellings such "
                             "as 'Yorkshire & Humber' are read as the region).")


def _jobs_option() -> Callable:
    return click.option("--jobs", type=click.IntRange(min=1), metavar="N",
                        help="Reader processes (default: one per CPU). Every file is read in one, so that no file "
                             "can stop the command.")


def _paths_argument() -> Callable:
    return click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path),
                          metavar="FILES_OR_FOLDERS...")


@click.group(cls=_Commands, context_settings=_CONTEXT, epilog=EXIT_CODES)
@click.version_option(__version__, prog_name="lga-xl")
def main() -> None:
    """Apprenticeship self-assessments and levy plans in Excel workbooks: make them, check the returns,
    import them into a store and one consolidated workbook."""


# lga-xl new: one command per kind of workbook.


@main.group(context_settings=_CONTEXT, epilog=EXIT_CODES)
def new() -> None:
    """Generate a workbook for a council officer to fill in."""


@new.command("self-assessment", context_settings=_CONTEXT, epilog=EXIT_CODES)
@click.option("--org", "org_name", metavar="NAME", help="The organisation's name, put on the cover.")
@_region_option("The organisation's region")
@click.option("--org-type", type=_OneOf(ORG_TYPES), metavar="TYPE",
              help=f"The organisation's type: {', '.join(ORG_TYPES)}.")
@click.option("--assessment-type", type=_OneOf(ASSESSMENT_TYPES), default="Self", show_default=True, metavar="TYPE",
              help="Self (the council's own assessment) or External (the LGA's assessment of the council).")
@_councils_option()
@_output_option("the self-assessment workbook")
@_force_option("the output file")
def new_self_assessment_command(org_name: str | None, region: str | None, org_type: str | None,
                                assessment_type: str, councils: Path | None, output: Path, force: bool) -> None:
    """A Maturity Model self-assessment workbook (or one per council of a CSV)."""
    from .blanks import new_workbook

    for council, path in _workbooks_to_write(output, councils, force, [], org_name):
        new_workbook("self-assessment", path, org_name=council.organisation if council else org_name,
                     region=council.region if council else region,
                     org_type=council.type if council and council.type else org_type,
                     assessment_type=assessment_type)
        _say(f"Wrote {path}")


def _tax_year_option(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """A tax year typed 2026-27, 2026/27, 2026-2027 or 2026–27, written the one way: 2026-27."""
    from .contracts.levy_plan import plan_start_of
    from .levy import normalise_tax_year

    try:
        tax_year = normalise_tax_year(value)
        plan_start_of(tax_year)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    return tax_year


@new.command("levy-plan", context_settings=_CONTEXT, epilog=EXIT_CODES)
@click.option("--org", "org_name", metavar="NAME", help="The council's name, put on the plan.")
@_region_option("The council's region")
@click.option("--tax-year", default="2026-27", show_default=True, callback=_tax_year_option, metavar="YEAR",
              help="The plan's tax year, from 2018-19: 2026-27, 2026/27, 2026-2027 or 2026 to 2027 (written as "
                   "2026-27). A new year needs a new workbook.")
@click.option("--schools", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.csv",
              help="A CSV of the council's schools to pre-fill: URN, School, Type and optionally PayBill and "
                   "Headcount (other usual headers too, such as 'School Name' or 'Pay Bill (£)'); saved by Excel as "
                   "CSV UTF-8 or CSV (Comma delimited), commas or semicolons. Example: examples/schools.csv.")
@click.option("--standards", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Your export of the Skills England standards list (JSON, or a CSV with reference, title, level "
                   "and max funding); without it, a small illustrative sample.")
@click.option("--roles", "role_map", type=click.Path(dir_okay=False, path_type=Path), metavar="MAP.xlsx",
              help="A role map (lga-xl new role-map): a planned start for each vacancy in each role with a "
                   "standard, for you to date.")
@_councils_option()
@_output_option("the levy plan workbook")
@_force_option("the output file")
def new_levy_plan_command(org_name: str | None, region: str | None, tax_year: str, schools: Path | None,
                          standards: Path | None, role_map: Path | None, councils: Path | None, output: Path,
                          force: bool) -> None:
    """A schools apprenticeship levy plan workbook (or one per council of a CSV)."""
    from .blanks import new_workbook
    from .schools import load_schools_csv
    from .standards import StandardsError, load_standards

    targets = _workbooks_to_write(output, councils, force,
                                  [p for p in (schools, standards, role_map) if p is not None], org_name)
    try:
        standard_list = None if standards is None else load_standards(standards)
    except StandardsError as exc:
        raise _InputError("--standards", exc) from None
    try:
        school_list = () if schools is None else load_schools_csv(schools)
    except UserTextError as exc:
        raise _InputError("--schools", exc) from None
    source = None if standards is None else standards.name
    starts, standard_list, source = _role_map_starts(role_map, standard_list, source)
    # Planned starts are written by the writer; without them the plan is a filled copy of its built template.
    extra = {"starts": starts} if starts else {}
    for council, path in targets:
        new_workbook("levy-plan", path, org_name=council.organisation if council else org_name,
                     region=council.region if council else region, tax_year=tax_year,
                     schools=school_list, standards=standard_list, standards_source=source, **extra)
        _say(f"Wrote {path}")


def _role_map_starts(role_map: Path | None, standards: list[Any] | None,
                     source: str | None) -> tuple[tuple[Any, ...], list[Any] | None, str | None]:
    """(planned starts, standards, their source) for a levy plan, pre-filled from a role map when given.

    Without ``--standards`` the plan takes the map's own standards list (those approved for delivery).
    """
    if role_map is None:
        return (), standards, source
    from .issues import WorkbookError
    from .readers import read_workbook
    from .writers.role_map import planned_starts_from_role_map, standards_of

    try:
        mapped = read_workbook(role_map, expected="role-map")
    except WorkbookError as err:
        raise _CommandError(f"--roles: {err}") from None
    if mapped.has_errors:
        _note(f"Warning: {role_map} has errors (lga-xl validate lists them); its roles are used as read")
    prefilled = planned_starts_from_role_map(mapped, standards)
    for skipped in prefilled.skipped:
        _note(f"Not pre-filled: {skipped}")
    _note(f"Pre-filled {len(prefilled.starts)} planned start(s), one for each vacancy, from {prefilled.roles} "
          f"role(s) with a standard in {role_map.name}: give each a start date on the Starts sheet")
    if standards is None:
        standards = [standard for standard in standards_of(mapped) if standard.approved]
        source = f"the standards list of {role_map.name}: {mapped.standards_source}"
    return prefilled.starts, standards, source


@new.command("role-map", context_settings=_CONTEXT, epilog=EXIT_CODES)
@click.option("--org", "org_name", metavar="NAME", help="The council's name, put on the map.")
@_region_option("The council's region")
@click.option("--roles", "roles_csv", type=click.Path(dir_okay=False, path_type=Path), required=True,
              metavar="FILE.csv",
              help="A CSV of the council's job roles: Job title, Service, Grade, Headcount, Vacancies (any case and "
                   "order; only Job title is required). Example: examples/roles.csv.")
@click.option("--standards", "standards_file", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Your export of the Skills England standards list (JSON or CSV); without it, an illustrative "
                   "sample.")
@_output_option("the role map workbook")
@_force_option("the output file")
def new_role_map_command(org_name: str | None, region: str | None, roles_csv: Path, standards_file: Path | None,
                         output: Path, force: bool) -> None:
    """A map of the council's job roles to apprenticeship standards, with suggestions to confirm."""
    from .outputs import atomic_write
    from .standards import StandardsError, load_standards
    from .writers.role_map import load_roles_csv, new_role_map

    out = check_output(output, force=force, inputs=[path for path in (roles_csv, standards_file) if path])
    try:
        roles = load_roles_csv(roles_csv)
    except UserTextError as exc:
        raise _InputError("--roles", exc) from None
    try:
        standards = None if standards_file is None else load_standards(standards_file, include_inactive=True)
    except StandardsError as exc:
        raise _InputError("--standards", exc) from None
    if roles.missing:
        _note(f"Note: {roles_csv.name} has no {' or '.join(roles.missing)} column; left blank")
    with atomic_write(out) as partial:
        new_role_map(partial, org_name=org_name, region=region, roles=roles.roles, standards=standards,
                     standards_source=standards_file.name if standards_file else None)
    _say(f"Wrote {out}: {len(roles.roles)} job roles, each with up to three suggested standards"
         + ("" if standards_file else " from the illustrative sample standards list (not for planning)"))


@new.command("tracker", context_settings=_CONTEXT, epilog=EXIT_CODES)
@click.option("--org", "org_name", metavar="NAME", help="The council's or partnership's name, put on the tracker.")
@_region_option("The council's region")
@click.option("--example", type=_OneOf(tuple(_example_names())), metavar="NAME",
              help=f"Pre-load an example strategy's targets, objectives and actions, word for word: "
                   f"{', '.join(_example_names())}.")
@_output_option("the tracker workbook")
@_force_option("the output file")
def new_tracker_command(org_name: str | None, region: str | None, example: str | None, output: Path,
                        force: bool) -> None:
    """A growth-strategy tracker: targets, actuals, action plan, public sector figures."""
    from .blanks import new_workbook

    out = check_output(output, force=force)
    new_workbook("tracker", out, org_name=org_name, region=region, example=example)
    _say(f"Wrote {out}")


@main.group("standards", context_settings=_CONTEXT, epilog=EXIT_CODES)
def standards_group() -> None:
    """Exports of the Skills England standards list."""


@standards_group.command("diff", context_settings=_CONTEXT, epilog=EXIT_CODES)
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
        raise _CommandError(str(exc)) from None
    _say(diff.to_json() if as_json else "\n".join(diff.lines()))


@main.group("role-map", context_settings=_CONTEXT, epilog=EXIT_CODES)
def role_map_group() -> None:
    """Keep a role map up to date."""


@role_map_group.command("refresh", context_settings=_CONTEXT, epilog=EXIT_CODES)
@click.argument("role_map", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--standards", "standards_file", type=click.Path(dir_okay=False, path_type=Path), required=True,
              metavar="FILE", help="The newer export of the Skills England standards list (JSON or CSV).")
@_output_option("the refreshed map (never over the map refreshed)")
@_force_option("the output file")
def refresh_role_map_command(role_map: Path, standards_file: Path, output: Path, force: bool) -> None:
    """The same roles on a newer standards list: choices kept, and each role whose standard changed flagged."""
    from .issues import WorkbookError
    from .outputs import atomic_write
    from .standards import StandardsError, load_standards
    from .writers.role_map import refresh_role_map

    out = check_output(output, force=force, inputs=[role_map, standards_file])
    try:
        standards = load_standards(standards_file, include_inactive=True)
    except StandardsError as exc:
        raise _InputError("--standards", exc) from None
    try:
        with atomic_write(out) as partial:
            report = refresh_role_map(role_map, standards, partial, standards_source=standards_file.name)
    except WorkbookError as err:
        raise _CommandError(str(err)) from None
    _say("\n".join(report.lines()))
    _say(f"Wrote {out}")


class _CommandError(click.ClickException):
    """A file or store the command cannot use, said in one line (exit code 2)."""

    exit_code = EXIT_USAGE


class _InputError(click.ClickException):
    """An input file that cannot be used, with its bad rows one a line (exit code 2)."""

    exit_code = EXIT_USAGE

    def __init__(self, option: str, error: Exception) -> None:
        super().__init__(f"{option}: {error}")


# lga-xl validate and read: files or folders, each file read in a worker process.


def _files(paths: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """The workbooks to read under ``paths`` and the other files found in folders (as ``lga-xl import`` does)."""
    from .bulk import find_files

    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        raise click.BadParameter(f"no such file or folder: {', '.join(missing)}", param_hint="FILES_OR_FOLDERS")
    return find_files(paths)


def _skipped_issue(path: Path) -> Issue:
    from .bulk import skip_reason

    return Issue.make("skipped-file", f"{skip_reason(path)}; it was not read", file=str(path))


@main.command(context_settings=_CONTEXT, epilog=EXIT_CODES)
@_paths_argument()
@click.option("--json", "as_json", is_flag=True,
              help="One JSON object per file, one a line: file, readable, kind and issues (each with severity, code, "
                   "message, sheet, cell, table, column, row and name).")
@_jobs_option()
def validate(paths: tuple[Path, ...], as_json: bool, jobs: int | None) -> None:
    """Check returned workbooks and print every issue with its file, sheet and cell.

    Folders are searched for workbooks as `lga-xl import` searches them; other files found are listed as
    skipped.
    """
    from .bulk import read_files

    to_read, skipped = _files(paths)
    worst = EXIT_OK
    for path, outcome in zip(to_read, read_files(to_read, jobs=jobs)):
        readable = not isinstance(outcome, Issue)
        issues = outcome.issues if readable else [outcome]
        if not readable or any(issue.severity == "error" for issue in issues):
            worst = EXIT_ERRORS
        _report_file(path, readable, getattr(outcome, "kind", None), issues, as_json)
    for path in skipped:
        _report_file(path, False, None, [_skipped_issue(path)], as_json)
    if not to_read:
        _note(f"No workbooks found in {', '.join(map(str, paths))}")
    sys.exit(worst)


@main.command(context_settings=_CONTEXT, epilog=EXIT_CODES)
@_paths_argument()
@click.option("--json", "as_json", is_flag=True,
              help="The whole result as JSON, money as numbers to the penny: one object for one file, a list of "
                   "them for several files or a folder. A file that cannot be read is {file, readable: false, "
                   "issues}.")
@_jobs_option()
def read(paths: tuple[Path, ...], as_json: bool, jobs: int | None) -> None:
    """Read workbooks, recompute their results and show them."""
    from .bulk import read_files

    to_read, skipped = _files(paths)
    worst = EXIT_OK
    documents = []
    for number, (path, outcome) in enumerate(zip(to_read, read_files(to_read, jobs=jobs))):
        if isinstance(outcome, Issue):
            worst = EXIT_ERRORS
            documents.append(_unreadable_json(path, [outcome]))
            if not as_json:
                _report_file(path, False, None, [outcome], False)
            continue
        if outcome.has_errors:
            worst = EXIT_ERRORS
        documents.append(outcome.model_dump(mode="json"))
        if not as_json:
            _say(("\n" if number else "") + _describe(outcome))
            _report_file(path, True, outcome.kind, outcome.issues, False)
    for path in skipped:
        documents.append(_unreadable_json(path, [_skipped_issue(path)]))
        if not as_json:
            _report_file(path, False, None, [_skipped_issue(path)], False)
    if as_json:
        one_file = len(paths) == 1 and paths[0].is_file()
        _say(json.dumps(documents[0] if one_file else documents, indent=2, ensure_ascii=False))
    sys.exit(worst)


def _unreadable_json(path: Path, issues: list[Issue]) -> dict[str, Any]:
    return {"file": str(path), "readable": False, "issues": [issue.model_dump(mode="json") for issue in issues]}


def _report_file(path: Path, readable: bool, kind: str | None, issues: list[Issue], as_json: bool) -> None:
    if as_json:
        _say(json.dumps({"file": str(path), "readable": readable, "kind": kind,
                         "issues": [issue.model_dump(mode="json") for issue in issues]}, ensure_ascii=False))
        return
    if not readable:
        skipped = all(issue.code == "skipped-file" for issue in issues)
        _say(f"{path}: {'skipped' if skipped else 'cannot be read'}")
    elif not issues:
        _say(f"{path}: OK")
        return
    else:
        errors = sum(1 for i in issues if i.severity == "error")
        _say(f"{path}: {errors} error{'' if errors == 1 else 's'}, {len(issues) - errors} "
             f"warning{'' if len(issues) - errors == 1 else 's'}")
    for issue in issues:
        place = f"{issue.sheet}!{issue.cell}" if issue.sheet and issue.cell else (issue.sheet or "")
        _say(f"  {issue.severity:7} {place:16} [{issue.code}] {issue.message}")


def _describe(result: Any) -> str:
    from .kinds import kind

    return "\n".join(kind(result.kind).describe(result))


# lga-xl import.


@main.command("import", context_settings=_CONTEXT, epilog=EXIT_CODES)
@_paths_argument()
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=Path("returns.sqlite"),
              show_default=True, metavar="FILE",
              help="The SQLite store the returns are added to (created if missing; never replaced).")
@click.option("--out", type=click.Path(path_type=Path), default=Path("consolidated.xlsx"), show_default=True,
              metavar="FILE.xlsx", help="Where to write the consolidated workbook.")
@click.option("--no-workbook", is_flag=True, help="Only update the store.")
@click.option("--csv", "csv_folder", type=click.Path(file_okay=False, path_type=Path), metavar="FOLDER",
              help="Also write every consolidated table as a CSV file into this folder (new or empty, or --force).")
@_jobs_option()
@_force_option("the consolidated workbook, and CSV files in a folder that is not empty,")
def import_command(paths: tuple[Path, ...], db: Path, out: Path, no_workbook: bool, csv_folder: Path | None,
                   jobs: int | None, force: bool) -> None:
    """Import returned workbooks (files or folders) into the store and consolidate them.

    Folders are searched for .xlsx, .xlsm and .xls files; other files, and the command's own outputs, are
    left out. A file that cannot be read is stored as a rejected return with the issue that explains it.
    """
    from .bulk import check_outputs, find_files, import_returns, own_outputs
    from .outputs import prepare_output_folder

    _files(paths)
    # A consolidated workbook at --out is never read back, even when this run writes none.
    to_read, _ = find_files(paths, exclude=own_outputs(db=db, out=out, csv=csv_folder))
    check_outputs(to_read, db=db, out=None if no_workbook else out, force=force)
    if csv_folder is not None:
        prepare_output_folder(csv_folder, force=force, inputs=paths)
    report = import_returns(paths, db=db, out=None if no_workbook else out, csv=csv_folder, jobs=jobs,
                            progress=_progress("Reading returns"),
                            exclude=own_outputs(db=db, out=out, csv=None) if no_workbook else ())
    for outcome in report.files:
        if outcome.outcome in ("rejected", "skipped"):
            _say(f"{outcome.outcome:8} {outcome.path}: {outcome.reason}")
    _say(report.summary())
    _say(f"Store: {report.store_path}")
    if report.workbook_path:
        _say(f"Consolidated workbook: {report.workbook_path}")
    if csv_folder is not None:
        _say(f"CSV files: {len(report.csv_paths)} in {csv_folder}")
    sys.exit(report.exit_code)


def _progress(label: str) -> Callable[[int, int], None] | None:
    """A progress bar on a terminal (stderr); nothing otherwise (the summary line follows)."""
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
            bar = None

    return update


# lga-xl demo and codes.


@main.command("mot", context_settings=_CONTEXT, epilog=EXIT_CODES)
@click.argument("organisation", required=False)
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=Path("returns.sqlite"),
              show_default=True, metavar="FILE", help="The store to read (made by lga-xl import).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="REPORT",
              help="The report: .docx (Word), or .xlsx for the same figures as a workbook.")
@click.option("--survey", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="The apprentice survey: its Microsoft Forms export (CSV or .xlsx). Example: "
                   "examples/mot_survey_export.csv.")
@click.option("--all", "every", is_flag=True, help="A report for every council with a self-assessment.")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), metavar="FOLDER",
              help="With --all: the folder to write to.")
@click.option("--format", "fmt", type=_OneOf(("docx", "xlsx")), default="docx", show_default=True, metavar="FORMAT",
              help="With --all: docx (Word reports) or xlsx (workbooks).")
@click.option("--prepared-by", metavar="NAME", help="Who prepared the report, for its cover.")
@_force_option("an existing report (with --all: write into a folder with files)")
@click.option("--jobs", type=click.IntRange(min=1), metavar="N",
              help="With --all: writer processes (default: one per CPU).")
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
                _say(f"failed   {council}: {why}")
            _say(run.summary())
            sys.exit(run.exit_code)
        path = write_mot_report(organisation, db=db, out=output, survey=survey, force=force, prepared_by=prepared_by)
    except (SurveyError, MotStoreError) as exc:
        raise _CommandError(str(exc)) from None
    _say(f"Wrote {path}")


@main.command(context_settings=_CONTEXT, epilog=EXIT_CODES)
@click.option("--out", "folder", type=click.Path(file_okay=False, path_type=Path), default=Path("lga-xl-demo"),
              show_default=True, metavar="FOLDER",
              help="Folder for the demo's templates, returns, store and consolidated workbook (new or empty, or "
                   "--force).")
@click.option("--councils", type=click.IntRange(min=1, max=200), default=6, show_default=True, metavar="N",
              help="How many made-up councils return a self-assessment (1 to 200); half as many return a levy plan.")
@_force_option("the demo's own files from an earlier run in the folder (other files are left alone, and not "
               "imported)")
def demo(folder: Path, councils: int, force: bool) -> None:
    """Run the whole job on made-up councils: templates, returns, checks, import."""
    from .demo import run_demo

    run_demo(folder, councils=councils, echo=_say, force=force, progress=_progress)


@main.command("codes", context_settings=_CONTEXT, epilog=EXIT_CODES)
def codes() -> None:
    """List every issue code with its severity and meaning."""
    from .issues import ISSUE_CODES

    for code in ISSUE_CODES.values():
        _say(f"{code.code:32} {code.severity:8} {code.meaning}")


# The adviser's year: send-out, upgrade, feedback, history (lga_xl.sendout, .upgrade, .feedback, .history).

def _sent_kinds() -> tuple[str, ...]:
    from .kinds import KINDS

    return tuple(name for name, workbook_kind in KINDS.items() if workbook_kind.carry_path)


@main.command("send-out", context_settings=_CONTEXT, epilog=EXIT_CODES)
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
@click.option("--standards", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Levy plans: your export of the Skills England standards list; an illustrative sample if omitted.")
@click.option("--force", is_flag=True, help="Write into a folder that holds files, replacing files of the same name.")
def send_out_command(kind_name: str, councils: Path, out_dir: Path, db: Path | None, deadline: str | None,
                     contact: str | None, tax_year: str | None, standards, force: bool) -> None:
    """One personalised workbook per council, last year's answers carried forward with --db.

    \b
    lga-xl send-out self-assessment --councils councils.csv --out-dir 2026 --db returns.sqlite \\
        --deadline 30/10/2026 --contact "Sam Adviser, sam.adviser@local.gov.uk"
    """
    from .sendout import SendOutError, send_out
    from .standards import StandardsError, load_standards

    try:
        standard_list = None if standards is None else load_standards(standards)
    except StandardsError as exc:
        raise _InputError("--standards", exc) from None
    source = None if standards is None else standards.name
    try:
        report = send_out(kind_name, councils, out_dir, db=db, deadline=deadline, contact=contact, tax_year=tax_year,
                          standards=standard_list, standards_source=source, force=force,
                          progress=_progress("Writing workbooks"))
    except SendOutError as exc:
        raise _CommandError(str(exc)) from None
    for sent in report.sent:
        for note in sent.notes:
            _say(f"{sent.council.organisation}: {note}")
    _say(report.summary())


@main.command("upgrade", context_settings=_CONTEXT, epilog=EXIT_CODES)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for the upgraded copies (same file names; refused if it holds files, without --force).")
@click.option("--force", is_flag=True, help="Write into a folder that holds files, replacing files of the same name.")
def upgrade_command(files: tuple[Path, ...], out_dir: Path, force: bool) -> None:
    """Returns made on an older template, as the current template with the same answers (to send out again)."""
    from .upgrade import upgrade_workbooks

    report = upgrade_workbooks(files, out_dir, force=force)
    for item in report.upgraded:
        _say("\n".join(item.lines()))
    _say(report.summary())
    sys.exit(report.exit_code)


@main.command("feedback", context_settings=_CONTEXT, epilog=EXIT_CODES)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for the annotated copies (same file names; refused if it holds files, without --force).")
@click.option("--force", is_flag=True, help="Write into a folder that holds files, replacing files of the same name.")
def feedback_command(files: tuple[Path, ...], out_dir: Path, force: bool) -> None:
    """A copy of each return with its problems written in: an Issues sheet first, each problem cell shaded and
    commented. The returns themselves are not changed."""
    from .feedback import write_feedback

    report = write_feedback(files, out_dir, force=force)
    for item in report.annotated:
        _say(item.line())
    _say(report.summary())
    sys.exit(report.exit_code)


@main.command("history", context_settings=_CONTEXT, epilog=EXIT_CODES)
@click.argument("organisation")
@click.option("--db", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=Path("returns.sqlite"),
              show_default=True, help="The store to read (made by lga-xl import).")
@click.option("--json", "as_json", is_flag=True, help="Print the history as JSON.")
def history_command(organisation: str, db: Path, as_json: bool) -> None:
    """A council's returns over time: each self-assessment's rating per strand, side by side."""
    from .history import HistoryError, council_history

    try:
        history = council_history(organisation, db)
    except HistoryError as exc:
        raise _CommandError(str(exc)) from None
    _say(history.to_json() if as_json else "\n".join(history.lines()))


# The Schools Toolkit (docs/schools-toolkit.md).


@new.command("school-request", context_settings=_CONTEXT, epilog=EXIT_CODES)
@click.option("--plan", "plan", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The council's levy plan (lga-xl new levy-plan), with the school on its Schools sheet.")
@click.option("--urn", required=True, help="The school's URN.")
@click.option("--contact", help="Whom the school sends the request to: name, email, telephone.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the .xlsx file.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists (never the plan).")
def new_school_request_command(plan: Path, urn: str, contact: str | None, output: Path, force: bool) -> None:
    """A school's request for apprentices, pre-filled from the levy plan: the school lists what it wants."""
    from .schools_toolkit import ToolkitError, school_request_from_plan

    try:
        out = check_output(output, force=force, inputs=[plan])
        path = school_request_from_plan(plan, urn, out, contact=contact)
    except (OutputError, ToolkitError) as exc:
        raise _CommandError(str(exc)) from None
    click.echo(f"Wrote {path}: the request of URN {urn}, for the school to fill in and send back")


@main.group("schools", context_settings=_CONTEXT, epilog=EXIT_CODES)
def schools_group() -> None:
    """The Schools Toolkit: statements, requests and handouts for the council's maintained schools."""


@schools_group.command("statements", context_settings=_CONTEXT, epilog=EXIT_CODES)
@click.argument("plan", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="The folder to write into (new or empty, unless --force).")
@click.option("--contact", help="Whom schools contact: name, email, telephone (default: the council's "
                                "apprenticeships team).")
@click.option("--pdf", is_flag=True, help="Also print each page to PDF (needs LibreOffice).")
@click.option("--others", is_flag=False, flag_value="", default=None, metavar="[CSV]",
              help="Also a page on levy transfers for each school outside the council's levy: those on the plan, "
                   "and those of a CSV (URN, School, Type) if given.")
@click.option("--requests", "with_requests", is_flag=True, help="Also each school's request workbook.")
@click.option("--force", is_flag=True, help="Write into a folder that has files (files of the same name are replaced).")
def schools_statements_command(plan: Path, out_dir: Path, contact: str | None, pdf: bool, others: str | None,
                               with_requests: bool, force: bool) -> None:
    """One page per school in the council's levy: its share of the levy, its planned starts, how to ask for more.

    \b
    lga-xl schools statements plan.xlsx --out-dir statements --contact "Sam Patel, apprenticeships@example.gov.uk"
    lga-xl schools statements plan.xlsx --out-dir statements --requests --pdf --others other-schools.csv
    """
    from .schools_toolkit import ToolkitError, write_school_statements
    from .writers.levy_plan import SchoolsCsvError, load_schools_csv

    try:
        other_schools = load_schools_csv(Path(others)) if others else ()
    except SchoolsCsvError as exc:
        raise _InputError("--others", exc) from None
    try:
        run = write_school_statements(plan, out_dir, contact=contact, others=others is not None,
                                     other_schools=other_schools, requests=with_requests, pdf=pdf, force=force)
    except (OutputError, ToolkitError) as exc:
        raise _CommandError(str(exc)) from None
    for note in run.notes:
        click.echo(f"Note: {note}", err=True)
    click.echo(run.summary())
    if run.pdf_error:
        click.echo(f"Warning: no PDFs: {run.pdf_error}", err=True)
        sys.exit(EXIT_ERRORS)


@schools_group.command("merge", context_settings=_CONTEXT, epilog=EXIT_CODES)
@click.argument("plan", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("requests", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The new plan (never the plan or a request).")
@click.option("--force", is_flag=True, help="Replace the output file if it exists (never an input).")
def schools_merge_command(plan: Path, requests: tuple[Path, ...], output: Path, force: bool) -> None:
    """Schools' requests as planned starts in a new copy of the levy plan; each one left out is listed.

    Exit codes: 0 every request added; 1 some left out (duplicates, unknown schools, errors); 2 the plan cannot be
    read or the command was used wrongly.
    """
    from .schools_toolkit import ToolkitError, merge_school_requests

    try:
        report = merge_school_requests(plan, requests, output, force=force)
    except (OutputError, ToolkitError) as exc:
        raise _CommandError(str(exc)) from None
    for line in report.lines():
        click.echo(f"not added  {line}")
    click.echo(report.summary())
    sys.exit(report.exit_code if report.out else EXIT_ERRORS)


@schools_group.command("handout", context_settings=_CONTEXT, epilog=EXIT_CODES)
@click.argument("plan", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the .docx file.")
@click.option("--for", "audience", type=click.Choice(["head-teachers", "staff"]), default="head-teachers",
              show_default=True, help="A guide for head teachers, or a leaflet for school staff.")
@click.option("--contact", help="Whom to contact: name, email, telephone.")
@click.option("--pdf", is_flag=True, help="Also print it to PDF (needs LibreOffice).")
@click.option("--force", is_flag=True, help="Replace the output file if it exists (never the plan).")
def schools_handout_command(plan: Path, output: Path, audience: str, contact: str | None, pdf: bool,
                            force: bool) -> None:
    """A handout with the council's own figures and contact."""
    from .schools_toolkit import ToolkitError, write_schools_handout
    from .tools.render import RenderError

    try:
        path = write_schools_handout(plan, output, audience=audience, contact=contact, force=force)
    except (OutputError, ToolkitError) as exc:
        raise _CommandError(str(exc)) from None
    click.echo(f"Wrote {path}")
    if pdf:
        from .schools_toolkit.documents import convert_to_pdfs

        try:
            click.echo(f"Wrote {convert_to_pdfs([path])[0]}")
        except RenderError as exc:
            click.echo(f"Warning: no PDF: {exc}", err=True)
            sys.exit(EXIT_ERRORS)


if __name__ == "__main__":  # pragma: no cover
    main()
