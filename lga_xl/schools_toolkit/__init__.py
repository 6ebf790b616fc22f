"""The Schools Toolkit: the council's levy plan, taken to its maintained schools and back.

The council is the levy employer for the staff of its community, voluntary
controlled, community special and maintained nursery schools and pupil
referral units.  From its levy plan the toolkit writes each school's
statement (:func:`write_school_statements`), each school's request for apprentices
(:func:`school_request_from_plan`, a workbook of kind ``school-request``),
and handouts with the council's figures (:func:`write_schools_handout`); the
returned requests become planned starts in a new copy of the plan
(:func:`merge_school_requests`).  ``docs/schools-toolkit.md`` describes it all;
``lga-xl schools`` and ``lga-xl new school-request`` run it.
"""

from __future__ import annotations

from .handouts import AUDIENCES, write_schools_handout
from .merge import MergedStart, MergeReport, NotMerged, merge_school_requests
from .plan import SchoolsPlan, ToolkitError, load_plan
from .requests import school_request_from_plan, write_school_requests
from .statements import (
    SchoolStatement,
    StatementsRun,
    TransferPage,
    school_statements,
    transfer_pages,
    write_school_statements,
    write_statement_docx,
    write_transfer_docx,
)

__all__ = [
    "AUDIENCES", "MergeReport", "MergedStart", "NotMerged", "SchoolStatement", "SchoolsPlan", "StatementsRun",
    "ToolkitError", "TransferPage", "load_plan", "merge_school_requests", "school_request_from_plan",
    "school_statements", "transfer_pages", "write_school_requests", "write_school_statements",
    "write_schools_handout", "write_statement_docx", "write_transfer_docx",
]
