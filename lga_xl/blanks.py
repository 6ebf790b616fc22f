"""Blank templates of each kind, built once and copied with values put in, never rebuilt per workbook.

Building a workbook with openpyxl takes a fifth of a second or more; a copy
of a built one with values written into its cells (:class:`~lga_xl.writers.fill.Template`)
takes a few milliseconds.  :func:`template` gives the built template of a
kind for the options that shape the workbook (a self-assessment's assessment
type, a levy plan's tax year and standards list, the rows of its tables),
built once per process and per options; with the writer's default options it
is the blank shipped with lga_xl (``lga_xl/data/blank-<kind>.xlsx``, the same
workbook the writer makes, kept so by the tests), so even the first workbook
of a process costs no build.  :func:`new_workbook` is ``lga-xl new`` on that
path: the cover options are filled into a copy of the template, and the
result reads, looks and calculates as the writer's own.

Regenerate the shipped blanks (and the public ones in ``workbooks/``) after
changing a writer: ``python -m lga_xl.blanks --workbooks workbooks``.

Example:
    >>> import tempfile, pathlib
    >>> from lga_xl.readers import read_workbook
    >>> path = new_workbook("self-assessment", pathlib.Path(tempfile.mkdtemp()) / "sa.xlsx",
    ...                     org_name="Exampleshire", region="London")
    >>> result = read_workbook(path)
    >>> result.organisation, result.region
    ('Exampleshire', 'London')
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from .kinds import kind
from .writers.fill import Template, Value

# The writer options that only put a value in a named cell of the cover, by kind: a copy of the template
# is filled with them.
COVER_OPTIONS: dict[str, dict[str, str]] = {
    "self-assessment": {"org_name": "OrgName", "region": "Region", "org_type": "OrgType",
                        "assessor": "AssessorName", "assessment_date": "AssessmentDate"},
    "levy-plan": {"org_name": "OrgName", "region": "Region"},
    "tracker": {"org_name": "OrgName", "region": "Region", "strategy": "StrategyName",
                "reporting_date": "ReportingDate"},
}
# The writer options that shape the workbook, with the writer's defaults (the tests hold them to the writers'
# signatures), by kind: each set of values has a template of its own.  Any other option (answers, schools,
# planned starts) is written by the writer itself.
SHAPING_OPTIONS: dict[str, dict[str, Any]] = {
    "self-assessment": {"assessment_type": "Self", "edition": "lga-2017"},
    "levy-plan": {"tax_year": "2026-27", "standards": None, "standards_source": None, "rows": None, "schools": ()},
    "tracker": {"example": None, "rows": None, "targets": ()},
}
# The public blank templates in the repository's workbooks/ folder, by kind.
PUBLIC_NAMES = {"self-assessment": "self_assessment.xlsx", "levy-plan": "schools_levy_plan.xlsx",
                "tracker": "growth_tracker.xlsx"}


def shipped_blank(kind_name: str) -> Path:
    """Where the blank template of a kind is shipped (it may not exist for a kind that is not sent out)."""
    return Path(str(resources.files("lga_xl") / "data" / f"blank-{kind_name}.xlsx"))


def structure_options(kind_name: str, options: Mapping[str, Any]) -> dict[str, Any]:
    """The options that shape the workbook, without those equal to the writer's defaults.

    Example:
        >>> structure_options("self-assessment", {"assessment_type": "Self", "org_name": "Exampleshire"})
        {}
        >>> structure_options("levy-plan", {"tax_year": "2027-28"})
        {'tax_year': '2027-28'}
    """
    defaults = SHAPING_OPTIONS.get(kind_name, {})
    return {name: value for name, value in options.items() if name in defaults and not _same(defaults[name], value)}


def template(kind_name: str, **options: Any) -> Template:
    """The built template of a kind for these shaping options: built once per process and per options.

    Options that cannot be compared (a list of schools) are not cached: the
    template is built each time.  The writer's defaults give the shipped
    blank.
    """
    options = structure_options(kind_name, options)
    key = (kind_name, *sorted((name, _hashable(value)) for name, value in options.items()))
    try:
        found = _TEMPLATES.get(key)
    except TypeError:  # an option that cannot be a key
        return build_template(kind_name, **options)
    if found is None:
        shipped = shipped_blank(kind_name)
        found = Template.from_path(shipped) if not options and shipped.is_file() else \
            build_template(kind_name, **options)
        while len(_TEMPLATES) >= _TEMPLATES_KEPT:
            del _TEMPLATES[next(iter(_TEMPLATES))]
        _TEMPLATES[key] = found
    return found


def build_template(kind_name: str, **options: Any) -> Template:
    """A template built now by the kind's writer (``options`` as the writer takes them)."""
    with tempfile.TemporaryDirectory(prefix="lga-xl-template-") as folder:
        path = kind(kind_name).writer(Path(folder) / "template.xlsx", **options)
        return Template.from_path(path)


def new_workbook(kind_name: str, path: str | Path, **options: Any) -> Path:
    """``lga-xl new``: the kind's workbook with these writer options, as a filled copy of its template.

    Options other than the cover's and the shaping ones (answers, schools,
    starts) go to the writer itself, which is what the copy stands in for.
    """
    cover = COVER_OPTIONS.get(kind_name, {})
    shaping = {name: value for name, value in options.items() if name not in cover}
    if any(name not in SHAPING_OPTIONS.get(kind_name, ()) for name in shaping):
        return kind(kind_name).writer(path, **options)
    contract = kind(kind_name).current
    values: dict[tuple[str, str], Value] = {contract.address(cover[name]): value
                                            for name, value in options.items() if name in cover and value is not None}
    return template(kind_name, **shaping).fill(path, values)


def regenerate(workbooks: Path | None = None, kinds: Sequence[str] = tuple(COVER_OPTIONS)) -> list[Path]:
    """Rebuild the shipped blanks with the writers (and the public ones into ``workbooks``); returns the paths."""
    written = []
    for kind_name in kinds:
        shipped = kind(kind_name).writer(shipped_blank(kind_name))
        written.append(shipped)
        if workbooks is not None and kind_name in PUBLIC_NAMES:
            written.append(Path(shutil.copyfile(shipped, Path(workbooks) / PUBLIC_NAMES[kind_name])))
    _TEMPLATES.clear()
    return written


# Private API.

_TEMPLATES: dict[tuple, Template] = {}
_TEMPLATES_KEPT = 16  # a run uses one or two; a long session with many tax years keeps the latest


def _hashable(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, dict):
        return tuple(sorted(value.items()))
    return value


def _same(default: Any, value: Any) -> bool:
    try:
        return bool(default == value)
    except Exception:  # noqa: BLE001 (a value that cannot be compared is not the default)
        return False


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m lga_xl.blanks", description=regenerate.__doc__)
    parser.add_argument("--workbooks", type=Path, help="also write the public blank templates into this folder")
    for path in regenerate(parser.parse_args(argv).workbooks):
        print(f"Wrote {path}")


if __name__ == "__main__":  # pragma: no cover
    main()
