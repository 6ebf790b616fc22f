"""Reading returned workbooks of any lga_xl kind.

Example:
    >>> import tempfile, pathlib
    >>> from lga_xl.writers.self_assessment import new_self_assessment
    >>> path = new_self_assessment(pathlib.Path(tempfile.mkdtemp()) / "sa.xlsx", org_name="Exampleshire")
    >>> read_workbook(path).kind
    'self-assessment'
"""

from __future__ import annotations

from pathlib import Path

from ..issues import Issue, WorkbookError
from ..models import LevyPlan, SelfAssessment
from .levy_plan import read_levy_plan, read_levy_plan_package
from .package import open_package
from .self_assessment import read_self_assessment, read_self_assessment_package

__all__ = ["read_workbook", "read_self_assessment", "read_levy_plan", "validate"]

Result = SelfAssessment | LevyPlan


def read_workbook(path: str | Path, *, display: str | None = None) -> Result:
    """Read any lga_xl workbook, recognising its kind from the file itself.

    Raises :class:`~lga_xl.issues.WorkbookError` when the file cannot be read.
    """
    with open_package(path, display) as pkg:
        kind = pkg.meta.get("kind")
        reader = _READERS.get(kind, read_self_assessment_package)  # unknown kinds get its clear refusal
        return reader(pkg)


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


_READERS = {"self-assessment": read_self_assessment_package, "levy-plan": read_levy_plan_package}
