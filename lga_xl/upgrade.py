"""Returns made on an older template, upgraded to the current one to send back out.

``lga-xl upgrade FILE... --out-dir DIR`` reads what was typed into each
return's input cells by the contract of its own template version
(:func:`lga_xl.carry.read_answers`), moves those answers to the current
version through the migrations declared beside the kind's contracts
(:attr:`lga_xl.kinds.Kind.migrations`: a 1.0 levy plan's English percentage
of 95 becomes 95% in 2.0's percentage cell), and writes them into a fresh
copy of the current template.  The council's file is never re-saved, so
nothing the older template got wrong, and nothing a council typed over a
formula, comes along: the report names what was not carried.  The import
reads older versions directly; this is for sending them out again.

Example:
    >>> import pathlib, tempfile, lga_xl
    >>> release = pathlib.Path(lga_xl.__file__).parents[1] / "tests" / "data" / "release-0.1.0"  # made by 0.1.0
    >>> report = upgrade_workbooks([release / "self_assessment.xlsx"], pathlib.Path(tempfile.mkdtemp()) / "up")
    >>> [(item.source.name, item.from_version, item.to_version) for item in report.upgraded]
    [('self_assessment.xlsx', '1.0', '2.0')]
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .answers import UPGRADED_FROM, migrate
from .blanks import template
from .carry import CarryError, answer_cells, meta_cells, read_answers
from .issues import WorkbookError
from .kinds import UnknownKind, kind
from .outputs import check_output, prepare_output_folder, unique_names
from .readers import read_package
from .readers.package import open_package


@dataclass(frozen=True)
class Upgraded:
    """One file of an upgrade: where its upgraded copy is, or why there is none."""

    source: Path
    path: Path | None = None
    kind: str | None = None
    from_version: str | None = None
    to_version: str | None = None
    not_carried: tuple[str, ...] = ()  # what could not be carried, each a sentence
    problem: str | None = None  # why it was not upgraded (unreadable, already current)

    def lines(self) -> list[str]:
        """What happened, as ``lga-xl upgrade`` prints it."""
        if self.path is None:
            return [f"{self.source}: not upgraded: {self.problem}"]
        return [f"{self.source}: {self.kind} template {self.from_version} -> {self.to_version}: {self.path}",
                *(f"  not carried: {note}" for note in self.not_carried)]


@dataclass
class UpgradeReport:
    """The result of :func:`upgrade_workbooks`."""

    folder: Path
    upgraded: list[Upgraded] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        """0 when every file was upgraded or already current, 2 when one could not be read."""
        return 2 if any(item.path is None and not _current(item) for item in self.upgraded) else 0

    def summary(self) -> str:
        done = sum(1 for item in self.upgraded if item.path is not None)
        return f"{done} of {len(self.upgraded)} files upgraded into {self.folder} in {self.seconds:.1f} s"


def upgrade_workbooks(paths: Iterable[str | Path], out_dir: str | Path, *, force: bool = False) -> UpgradeReport:
    """Upgrade each return to its kind's current template, into ``out_dir`` (same file names).

    Raises:
        OutputError: the folder holds files (without ``force``), or a copy would replace an input.
    """
    started = time.perf_counter()
    sources = [Path(path) for path in paths]
    folder = prepare_output_folder(out_dir, force=force, inputs=sources)
    report = UpgradeReport(folder)
    for source, name in zip(sources, unique_names((source.stem, source.suffix) for source in sources)):
        report.upgraded.append(upgrade_workbook(source, folder / name, force=force, inputs=sources))
    report.seconds = time.perf_counter() - started
    return report


def upgrade_workbook(source: str | Path, out: str | Path, *, force: bool = False,
                     inputs: Sequence[Path] = ()) -> Upgraded:
    """Upgrade one return into ``out``; a file that cannot be upgraded says why (nothing is written)."""
    source = Path(source)
    try:
        with open_package(source) as pkg:
            workbook_kind = kind(pkg.kind)
            version = pkg.require_version(workbook_kind.versions)
            current = workbook_kind.current
            if version == current.version:
                return Upgraded(source, kind=workbook_kind.name, from_version=version,
                                problem=f"already on the current {workbook_kind.name} template ({version})")
            carrier = workbook_kind.carrier
            if carrier is None:
                return Upgraded(source, kind=workbook_kind.name, from_version=version,
                                problem=f"{workbook_kind.name} workbooks are not upgraded")
            answers = read_answers(pkg, workbook_kind.contracts[version])
            meta = dict(pkg.meta)
            typed_over = [issue for issue in read_package(pkg).issues if issue.code == "cached-value-mismatch"]
    except UnknownKind:
        return Upgraded(source, problem="a kind of workbook this release does not know")
    except WorkbookError as err:
        return Upgraded(source, problem=err.issue.message)
    migrated = migrate(answers, workbook_kind.migrations, current.version)
    fillable = carrier.fillable(migrated)
    options = {**carrier.template_options(migrated, meta), **carrier.layout(fillable)}
    if rows := carrier.rows(migrated, current):
        options["rows"] = rows
    built = template(workbook_kind.name, **options)
    try:
        values = answer_cells(fillable, current, built)
    except CarryError as exc:
        return Upgraded(source, kind=workbook_kind.name, from_version=version, problem=str(exc))
    values.update(meta_cells(built, {UPGRADED_FROM: version}))
    path = built.fill(check_output(out, force=force, inputs=inputs), values)
    not_carried = [*migrated.notes, *fillable.notes,
                   *(f"{issue.sheet}!{issue.cell}: {issue.message}; the upgraded workbook has the formula again"
                     for issue in typed_over)]
    return Upgraded(source, path, workbook_kind.name, version, current.version, tuple(dict.fromkeys(not_carried)))


def _current(item: Upgraded) -> bool:
    return bool(item.problem and item.problem.startswith("already on the current"))
