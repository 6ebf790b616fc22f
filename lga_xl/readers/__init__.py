"""Reading returned workbooks of any lga_xl kind, through the kind registry.

Every file gives a result or a :class:`~lga_xl.issues.WorkbookError` whose
issue says why it cannot be read: whatever a damaged file makes the reading
library raise (a Rust panic included) is turned into that issue here
(:func:`~lga_xl.readers.package.contained`), never let through.

Example:
    >>> import tempfile, pathlib
    >>> from lga_xl import new_self_assessment
    >>> path = new_self_assessment(pathlib.Path(tempfile.mkdtemp()) / "sa.xlsx", org_name="Exampleshire")
    >>> read_workbook(path).kind
    'self-assessment'
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..answers import unchanged_since_sent
from ..contract import META_SHEET
from ..issues import Issue, WorkbookError
from ..kinds import KINDS, UnknownKind, kind
from .package import Package, contained, open_package

__all__ = ["read_package", "read_workbook", "validate"]


def read_workbook(path: str | Path, *, display: str | None = None, expected: str | None = None) -> Any:
    """Read any lga_xl workbook, recognising its kind from the file itself.

    ``expected`` names the kind the caller wants (``wrong-kind`` otherwise).
    Raises :class:`~lga_xl.issues.WorkbookError` when the file cannot be read,
    and nothing else (but KeyboardInterrupt).
    """
    with contained(display or str(path)), open_package(path, display) as pkg:
        return read_package(pkg, expected)


def read_package(pkg: Package, expected: str | None = None) -> Any:
    """Read an opened package with the reader of the kind its hidden sheet names."""
    with contained(pkg.display):
        name = pkg.kind
        try:
            workbook_kind = kind(name)
        except UnknownKind:
            raise WorkbookError(pkg.issue(
                "unknown-kind", f"this is an lga_xl workbook of kind {name!r}, which this release does not know "
                f"({', '.join(KINDS)}); it may come from a newer lga_xl", META_SHEET)) from None
        if expected is not None and name != expected:
            raise WorkbookError(pkg.issue("wrong-kind", f"this is an lga_xl {name} workbook, not a {expected}"))
        version = pkg.require_version(workbook_kind.versions)
        pkg.contract = workbook_kind.contracts[version]
        result = workbook_kind.reader(pkg, pkg.contract)
        # A workbook sent out with answers carried forward, and sent back without a change.
        unchanged = unchanged_since_sent(pkg.meta, result.input_hash)
        if unchanged:
            result.issues.append(pkg.issue("unchanged-since-sent", unchanged))
        return result


def validate(path: str | Path, *, display: str | None = None) -> list[Issue]:
    """All issues of one file; a file that cannot be read gives its one issue.

    Example:
        >>> import tempfile, pathlib
        >>> bad = pathlib.Path(tempfile.mkdtemp()) / "empty.xlsx"
        >>> _ = bad.write_bytes(b"")
        >>> [issue.code for issue in validate(bad)]
        ['empty-file']
    """
    try:
        return read_workbook(path, display=display).issues
    except WorkbookError as err:
        return [err.issue]
