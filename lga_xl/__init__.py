"""lga_xl: apprenticeship self-assessments and levy plans in Excel workbooks.

The public API is imported lazily so that the pure modules (``rating``,
``levy``) and the Excel functions (``udfs``) load without openpyxl or
python-calamine, as xlwings Lite requires.

Example:
    >>> import lga_xl
    >>> lga_xl.rate_statuses(["Developing"] * 2, ["Achieved", "Achieved"]).label
    'Developing'
"""

from __future__ import annotations

import importlib
import os

# openpyxl writes different (equivalent) XML when lxml is importable, and lxml
# arrives with python-docx: without this, the same workbook would come out with
# other bytes on another machine.  Set before any lga_xl module imports openpyxl.
os.environ.setdefault("OPENPYXL_LXML", "False")

__version__ = "0.2.0"

_EXPORTS = {
    "Issue": "issues",
    "WorkbookError": "issues",
    "rate": "rating",
    "rate_statuses": "rating",
    "load_edition": "maturity",
    "new_self_assessment": "writers.self_assessment",
    "read_self_assessment": "readers.self_assessment",
    "new_levy_plan": "writers.levy_plan",
    "read_levy_plan": "readers.levy_plan",
    "new_role_map": "writers.role_map",
    "read_role_map": "readers.role_map",
    "refresh_role_map": "writers.role_map",
    "load_roles_csv": "writers.role_map",
    "planned_starts_from_role_map": "writers.role_map",
    "diff_standards": "standards_diff",
    "new_tracker": "writers.tracker",
    "read_tracker": "readers.tracker",
    "read_workbook": "readers",
    "validate": "readers",
    "import_returns": "bulk",
    "write_consolidated": "writers.consolidated",
    "run_demo": "demo",
    "load_mot_report": "mot.from_store",
    "write_mot_report": "mot.reports",
    "write_mot_reports": "mot.reports",
    "new_school_request": "writers.school_request",
    "read_school_request": "readers.school_request",
    "school_request_from_plan": "schools_toolkit",
    "write_school_requests": "schools_toolkit",
    "write_school_statements": "schools_toolkit",
    "merge_school_requests": "schools_toolkit",
    "write_schools_handout": "schools_toolkit",
    "new_workbook": "blanks",
    "send_out": "sendout",
    "read_councils": "sendout",
    "upgrade_workbooks": "upgrade",
    "write_feedback": "feedback",
    "council_history": "history",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'lga_xl' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{module}", __name__), name)
