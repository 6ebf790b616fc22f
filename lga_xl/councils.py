"""A list of councils to make workbooks for: a CSV as the adviser saved it.

``lga-xl new self-assessment --councils councils.csv -o FOLDER`` (and ``new
levy-plan``) writes one pre-filled workbook per council, named after it.  The
CSV is read as :mod:`lga_xl.usertext` reads every user's CSV (UTF-8 or
Windows-1252, commas or semicolons, headers spelt loosely); regions are
matched as :func:`lga_xl.reference.match_region` matches them.

Pure (standard library only).

Example:
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "councils.csv"
    >>> _ = path.write_text("Council;Region;Type\\nExampleshire County Council;East;county council\\n")
    >>> load_councils_csv(path)
    [Council(name='Exampleshire County Council', region='East of England', org_type='County council')]
    >>> file_name(Council("Brighton & Hove City Council: pilot?", None, None))
    'Brighton & Hove City Council pilot.xlsx'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .reference import ORG_TYPES, REGIONS, match_region
from .text import loose_choice
from .usertext import Field, UserRow, read_user_csv

__all__ = ["COUNCILS_CSV_FIELDS", "Council", "file_name", "load_councils_csv"]

COUNCILS_CSV_FIELDS = (
    Field("name", ("Organisation", "Council", "Organisation name", "Council name", "Name", "Authority")),
    Field("region", ("Region",), required=False),
    Field("org_type", ("Organisation type", "Type", "Council type", "Authority type"), required=False),
)
_NOT_IN_FILE_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f]')  # what Windows refuses in a file name


@dataclass(frozen=True)
class Council:
    """A council to make a workbook for: its name, region and organisation type (None when not given)."""

    name: str
    region: str | None
    org_type: str | None


def load_councils_csv(path: str | Path) -> list[Council]:
    """The councils of a CSV with the columns Organisation and optionally Region and Organisation type.

    Raises:
        lga_xl.usertext.UserTextError: a missing or unreadable file, a missing
            column, or bad rows (a blank name, a region that is not one of the
            nine, a name listed twice), each with its line.
    """
    table = read_user_csv(path, COUNCILS_CSV_FIELDS)
    first_line: dict[str, int] = {}

    def council(row: UserRow) -> Council:
        name = " ".join(row["name"].split())
        if not name:
            raise ValueError("the council's name is blank")
        if name.casefold() in first_line:
            raise ValueError(f"{name} is listed twice (first on line {first_line[name.casefold()]})")
        first_line[name.casefold()] = row.line
        region = match_region(row["region"]) if row["region"] else None
        if row["region"] and region is None:
            raise ValueError(f"{name}: region {row['region']!r} is not one of: {', '.join(REGIONS)}")
        org_type = loose_choice(row["org_type"], ORG_TYPES) if row["org_type"] else None
        if row["org_type"] and org_type is None:
            raise ValueError(f"{name}: type {row['org_type']!r} is not one of: {', '.join(ORG_TYPES)}")
        return Council(name, region, org_type)

    return table.parse_rows(council)


def file_name(council: Council) -> str:
    """The workbook's file name: the council's name, without what Windows refuses in a name, then .xlsx."""
    return " ".join(_NOT_IN_FILE_NAMES.sub(" ", council.name).split()).strip(". ") + ".xlsx"
