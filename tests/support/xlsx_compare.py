"""Compare two xlsx files part by part, ignoring what changes between runs.

The habit comes from XlsxWriter's comparison tests: a known-good file is kept
in the repository and every regeneration must match it.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

# Timestamps openpyxl writes at save time.
_VOLATILE = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")


def xlsx_differences(expected: Path, actual: Path) -> list[str]:
    """Names of the parts that differ (or exist in only one file)."""
    with zipfile.ZipFile(expected) as a, zipfile.ZipFile(actual) as b:
        names_a, names_b = set(a.namelist()), set(b.namelist())
        problems = [f"only in {expected.name}: {n}" for n in sorted(names_a - names_b)]
        problems += [f"only in {actual.name}: {n}" for n in sorted(names_b - names_a)]
        for name in sorted(names_a & names_b):
            if _VOLATILE.sub(b"", a.read(name)) != _VOLATILE.sub(b"", b.read(name)):
                problems.append(f"differs: {name}")
    return problems
