"""The LGA Apprenticeship MOT: one council's report, as Word (.docx) and Excel (.xlsx).

Build a :class:`~lga_xl.mot.model.MotReport` (the council's latest
self-assessment is all that is required), then write it with
:func:`write_mot_docx` or :func:`write_mot_xlsx`; or let
:func:`write_mot_report` (one council) and :func:`write_mot_reports` (every
council) gather it from the returns store.  See ``docs/mot.md``.

The names are imported lazily so that the pure modules (model, peers,
priorities, findings, support) load without python-docx, matplotlib or XlsxWriter.

Example:
    >>> from lga_xl import mot
    >>> mot.MIN_COUNCILS
    3
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "Assessment": "model",
    "Benchmark": "model",
    "Benchmarks": "model",
    "Council": "model",
    "LevyFigures": "model",
    "MIN_COUNCILS": "model",
    "MotReport": "model",
    "StartsFigures": "model",
    "StrandRating": "model",
    "SurveyResults": "model",
    "peer_benchmark": "model",
    "PeerCouncil": "peers",
    "build_benchmarks": "peers",
    "SurveyError": "survey",
    "load_question_set": "survey",
    "read_survey": "survey",
    "improvement_priorities": "priorities",
    "summary_findings": "findings",
    "support_for": "support",
    "sample_report": "sample",
    "write_mot_docx": "report_docx",
    "write_mot_xlsx": "report_xlsx",
    "MotInputs": "from_store",
    "MotStoreError": "from_store",
    "UnknownOrganisation": "from_store",
    "load_mot_report": "from_store",
    "MotRun": "reports",
    "write_mot_report": "reports",
    "write_mot_reports": "reports",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'lga_xl.mot' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{module}", __name__), name)
