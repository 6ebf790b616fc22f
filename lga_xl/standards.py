"""Apprenticeship standards: reference, title, level and funding band maximum.

The public list is Skills England's ``apprenticeshipstandards`` API (domain.md
section 3), which no machine running lga_xl can be assumed to reach.  So the
library loads a file the user exported:

* the API's JSON: a list of standards, or an object holding one under
  ``apprenticeships`` or ``standards``; each standard has ``referenceNumber``
  (``ST0072``), ``title``, ``level``, ``maxFunding`` (``proposedMaxFunding``
  in the newer export), ``typicalDuration`` (``proposedTypicalDuration``),
  ``version`` and ``status``.  Only standards approved for delivery are kept,
  and of several versions of one standard the latest;
* or a CSV with the columns reference, title, level and max funding (any
  case and spacing; ``referenceNumber``/``maxFunding`` spellings too), and
  optionally typical duration months.  Lines starting with ``#`` before the
  header are comments.

and ships a small illustrative sample, :func:`sample_standards`, for demos
and tests.  Bad files raise :class:`StandardsError` naming the file and the
line (CSV, JSON syntax) or item (JSON content) at fault.

Example:
    >>> standard = {s.reference: s for s in sample_standards()}["ST0072"]
    >>> standard.title, standard.level, standard.max_funding
    ('Customer service practitioner', 2, Decimal('3500'))
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["APPROVED_FOR_DELIVERY", "Standard", "StandardsError", "load_standards", "sample_standards"]

APPROVED_FOR_DELIVERY = "Approved for delivery"
SAMPLE_FILE = "standards_sample.csv"

_REFERENCE = re.compile(r"^[A-Z]{2}\d{4}$")  # ST0072; foundation apprenticeships are FA0001
_CSV_COLUMNS = {
    # wanted field -> accepted header spellings, squashed (lower case, no spaces, _ or -)
    "reference": ("reference", "referencenumber", "ref", "standardreference", "standard"),
    "title": ("title", "name", "standardname", "standardtitle"),
    "level": ("level",),
    "max_funding": ("maxfunding", "maximumfunding", "fundingbandmaximum", "bandmax", "fundingband", "maxfundinggbp"),
    "typical_duration_months": ("typicaldurationmonths", "typicalduration", "duration", "durationmonths"),
}
_REQUIRED_CSV_COLUMNS = ("reference", "title", "level", "max_funding")
_MAX_ERRORS_SHOWN = 20


class StandardsError(ValueError):
    """A standards file that cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class Standard:
    """One apprenticeship standard as the levy plan needs it.

    Attributes:
        reference: Skills England reference, upper case (``ST0072``).
        title: the standard's title.
        level: 2 to 7.
        max_funding: funding band maximum in GBP: the most levy funds can pay
            for one apprenticeship on it (domain.md section 2, price cap).
        typical_duration_months: typical duration, when the source gives it.
        version: the version kept, when the source gives it.
    """

    reference: str
    title: str
    level: int
    max_funding: Decimal
    typical_duration_months: int | None = None
    version: str | None = None


def read_user_text(path: Path, error: type[Exception], save_as: str) -> str:
    """A text file a user supplied, or ``error`` with a message naming it.

    ``save_as`` says how to save it properly when it is not text.
    """
    try:
        return path.read_text(encoding="utf-8-sig")  # Excel's "CSV UTF-8" starts with a BOM
    except FileNotFoundError:
        raise error(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise error(f"{path}: not a text file ({save_as})") from None
    except OSError as exc:
        raise error(f"{path}: cannot be read ({exc.strerror or exc})") from None


def load_standards(path: str | Path) -> list[Standard]:
    """Standards from a user's export: Skills England JSON or a CSV.

    The format is taken from the content (JSON starts with ``[`` or ``{``),
    so a misnamed file still loads.

    Returns:
        The standards sorted by reference.

    Raises:
        StandardsError: the file is missing, empty, not JSON or CSV, or has a
            bad entry; the message names the line or item.

    Example:
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "standards.csv"
        >>> _ = path.write_text("Reference,Title,Level,Max funding\\nST0070,Business administrator,3,5000\\n")
        >>> [s.reference for s in load_standards(path)]
        ['ST0070']
    """
    path = Path(path)
    text = read_user_text(path, StandardsError, "save the standards list as CSV UTF-8 or JSON")
    if not text.strip():
        raise StandardsError(f"{path}: the file is empty")
    if text.lstrip()[0] in "[{":
        return _from_json(text, path.name)
    return _from_csv(text, path.name)


def sample_standards() -> list[Standard]:
    """The small illustrative sample shipped with lga_xl, for demos and tests.

    Real references and titles; the band maxima other than ST0072's are
    illustrative (see the header of ``lga_xl/data/standards_sample.csv``).

    Example:
        >>> len(sample_standards()) >= 20
        True
    """
    text = (resources.files("lga_xl") / "data" / SAMPLE_FILE).read_text(encoding="utf-8")
    return _from_csv(text, SAMPLE_FILE)


# Private API.


def _from_json(text: str, source: str) -> list[Standard]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise StandardsError(f"{source} line {exc.lineno}: not valid JSON ({exc.msg})") from None
    items = _json_items(data, source)
    latest: dict[str, tuple[tuple[int, ...], Standard]] = {}
    errors = []
    for index, item in enumerate(items, start=1):
        if not isinstance(item, Mapping):
            errors.append(f"item {index}: expected an object with referenceNumber, title, level and maxFunding")
            continue
        status = item.get("status")
        if isinstance(status, str) and status.strip().casefold() != APPROVED_FOR_DELIVERY.casefold():
            continue  # retired, withdrawn or in development: no new starts can be planned on it
        fields = {
            "reference": item.get("referenceNumber"),
            "title": item.get("title"),
            "level": item.get("level"),
            "max_funding": _first_present(item, "maxFunding", "proposedMaxFunding"),
            "typical_duration_months": _first_present(item, "typicalDuration", "proposedTypicalDuration"),
        }
        version = _first_present(item, "version", "versionNumber")
        try:
            standard = _standard(fields, None if version is None else str(version))
        except ValueError as exc:
            reference = item.get("referenceNumber")
            errors.append(f"item {index}{f' ({reference})' if isinstance(reference, str) else ''}: {exc}")
            continue
        order = _version_order(standard.version)
        kept = latest.get(standard.reference)
        if kept is None or order > kept[0]:
            latest[standard.reference] = (order, standard)
    _raise_if_any(errors, source)
    if not latest:
        raise StandardsError(f"{source}: no standard approved for delivery was found in the file")
    return [latest[reference][1] for reference in sorted(latest)]


def _json_items(data: Any, source: str) -> list[Any]:
    if isinstance(data, list):
        return data
    if isinstance(data, Mapping):
        for key in ("apprenticeships", "standards"):
            if isinstance(data.get(key), list):
                return data[key]
    raise StandardsError(
        f"{source}: expected a list of standards (or an object with an 'apprenticeships' or 'standards' list)"
    )


def _from_csv(text: str, source: str) -> list[Standard]:
    lines = text.splitlines(keepends=True)
    first = 0
    while first < len(lines) and (not lines[first].strip() or lines[first].lstrip().startswith("#")):
        first += 1
    if first == len(lines):
        raise StandardsError(f"{source}: no header line")
    reader = csv.reader(io.StringIO("".join(lines[first:])))
    header = next(reader)
    columns = _csv_columns(header, source, header_line=first + 1)
    seen: dict[str, int] = {}
    standards = []
    errors = []
    for offset, row in enumerate(reader):
        line = first + 2 + offset
        if not any(cell.strip() for cell in row):
            continue
        fields = {name: (row[index] if index < len(row) else "") for name, index in columns.items()}
        try:
            standard = _standard(fields, None)
        except ValueError as exc:
            errors.append(f"line {line}: {exc}")
            continue
        if standard.reference in seen:
            first = seen[standard.reference]
            errors.append(f"line {line}: {standard.reference} is listed twice (first on line {first})")
            continue
        seen[standard.reference] = line
        standards.append(standard)
    _raise_if_any(errors, source)
    if not standards:
        raise StandardsError(f"{source}: the file has a header but no standards")
    return sorted(standards, key=lambda s: s.reference)


def _csv_columns(header: list[str], source: str, header_line: int) -> dict[str, int]:
    squashed = [re.sub(r"[\s_()£-]+", "", cell.lower()) for cell in header]
    columns = {}
    for name, spellings in _CSV_COLUMNS.items():
        for index, cell in enumerate(squashed):
            if cell in spellings:
                columns[name] = index
                break
    missing = [name.replace("_", " ") for name in _REQUIRED_CSV_COLUMNS if name not in columns]
    if missing:
        raise StandardsError(
            f"{source} line {header_line}: the header needs the columns reference, title, level and max funding; "
            f"missing {', '.join(missing)} (header read: {', '.join(header)})"
        )
    return columns


def _standard(fields: Mapping[str, Any], version: str | None) -> Standard:
    """A Standard from raw values; ValueError with a short reason otherwise."""
    reference = _text(fields.get("reference")).upper()
    if not reference:
        raise ValueError("the reference is blank")
    if not _REFERENCE.match(reference):
        raise ValueError(f"reference {reference!r} is not like ST0072")
    title = _text(fields.get("title"))
    if not title:
        raise ValueError(f"{reference} has no title")
    level = _whole(fields.get("level"), f"{reference} level")
    if not 1 <= level <= 8:
        raise ValueError(f"{reference} level {level} is not between 1 and 8")
    max_funding = _amount(fields.get("max_funding"), f"{reference} max funding")
    duration_value = fields.get("typical_duration_months")
    duration = None if _text(duration_value) == "" else _whole(duration_value, f"{reference} typical duration")
    return Standard(reference, title, level, max_funding, duration, version)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _amount(value: Any, what: str) -> Decimal:
    text = re.sub(r"[£,\s]", "", _text(value))
    if not text:
        raise ValueError(f"{what} is blank")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{what} {_text(value)!r} is not a number") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"{what} {_text(value)!r} is not an amount of 0 or more")
    return amount


def _whole(value: Any, what: str) -> int:
    if isinstance(value, bool):
        raise ValueError(f"{what} {value!r} is not a whole number")
    number = _amount(value, what)
    if number != number.to_integral_value():
        raise ValueError(f"{what} {_text(value)!r} is not a whole number")
    return int(number)


def _first_present(item: Mapping[str, Any], *keys: str) -> Any:
    for key in keys:
        if item.get(key) not in (None, ""):
            return item[key]
    return None


def _version_order(version: str | None) -> tuple[int, ...]:
    """'1.10' sorts after '1.9'; a missing or odd version sorts first."""
    if version is None or not re.fullmatch(r"\d+(\.\d+)*", version.strip()):
        return ()
    return tuple(int(part) for part in version.strip().split("."))


def _raise_if_any(errors: Iterable[str], source: str) -> None:
    errors = list(errors)
    if not errors:
        return
    shown = errors[:_MAX_ERRORS_SHOWN]
    more = f"\n  ... and {len(errors) - len(shown)} more" if len(errors) > len(shown) else ""
    raise StandardsError(f"{source}: {len(errors)} bad entr{'y' if len(errors) == 1 else 'ies'}:\n  "
                         + "\n  ".join(shown) + more)
