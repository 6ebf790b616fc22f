"""The consolidated tables as CSV files, safe to open in Excel.

A cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage
return) is a formula to Excel when it opens a CSV, so text taken from a
returned file gets a leading apostrophe: an organisation called
``=HYPERLINK(...)`` stays text.  Numbers are written as numbers.

Example:
    >>> safe_text("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> safe_text("-5 schools"), safe_text("Exampleshire")
    ("'-5 schools", 'Exampleshire')
"""

from __future__ import annotations

import csv
from pathlib import Path

from ..consolidated_data import load_sections
from ..outputs import atomic_write

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """Text that Excel will not run as a formula when it opens the CSV."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def write_csv(folder: str | Path, db: str | Path) -> list[Path]:
    """One CSV per consolidated table of the store at ``db``; returns the paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for section in load_sections(db):
        path = folder / f"{section.name}.csv"
        with atomic_write(path) as partial, partial.open("w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle)  # the BOM (utf-8-sig) makes Excel read the file as UTF-8
            writer.writerow(section.columns)
            writer.writerows([safe_text(v) if isinstance(v, str) else v for v in row] for row in section.rows)
        written.append(path)
    return written
