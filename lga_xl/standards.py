"""Apprenticeship standards: reference, title, level, status and funding bands.

The public list is Skills England's apprenticeship standards data, which no
machine running lga_xl can be assumed to reach.  So the library loads a file
the user exported (docs/standards.md describes the formats):

* the JSON export: a list of standards, or an object holding one under
  ``apprenticeships`` or ``standards``.  Each standard has ``referenceNumber``
  (``ST0072``; ``ifateReferenceNumber`` in the Find apprenticeship training
  export), ``title``, ``level``, ``status``, ``version``, ``maxFunding``
  (``proposedMaxFunding`` in the newer export), ``typicalDuration``,
  ``route``, ``typicalJobTitles`` and ``keywords`` (lists, or text separated
  by ``|`` as the Find apprenticeship training API gives them),
  ``earliestStartDate`` and ``latestStartDate``, and dated funding bands in
  ``apprenticeshipFunding`` (``maxEmployerLevyCap``, ``effectiveFrom``,
  ``effectiveTo``), field names as in SkillsFundingAgency das-courses-api
  (``Domain/ImportTypes/SkillsEngland/Apprenticeship.cs``,
  ``Api/ApiResponses/ApprenticeshipFundingResponse.cs``);
* or a CSV with the columns reference, title, level and max funding (any
  case and spacing; ``referenceNumber``/``maxFunding`` spellings too), and
  optionally typical duration months, status, route, typical job titles and
  keywords (separated by ``|`` or ``;``), effective from and effective to (one
  row per funding band), earliest and latest start date.  Lines starting with
  ``#`` before the header are comments.

Of several versions of one standard the latest is kept.  By default only
standards approved for delivery are loaded, as a plan can only start those;
``include_inactive=True`` keeps every status, for comparing two exports.

lga_xl ships a small illustrative sample for demos and tests,
:func:`sample_standards`, and a larger illustrative export of standards that
councils use, :func:`sample_export`.  Bad files raise :class:`StandardsError`
naming the file and the line (CSV, JSON syntax) or item (JSON content).

Example:
    >>> standard = {s.reference: s for s in sample_standards()}["ST0072"]
    >>> standard.title, standard.level, standard.max_funding
    ('Customer service practitioner', 2, Decimal('3500'))
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

from . import cells
from .text import loose_choice
from .usertext import DecodedText, Field, UserTextError, json_error, parse_user_csv, read_user_file

__all__ = [
    "APPROVED_FOR_DELIVERY", "IN_DEVELOPMENT", "PROPOSAL_IN_DEVELOPMENT", "RETIRED", "STATUSES", "WITHDRAWN",
    "FundingBand", "Standard", "StandardsError", "load_standards", "sample_export", "sample_export_as_at",
    "sample_standards", "standard_from_fields", "version_order",
]

APPROVED_FOR_DELIVERY = "Approved for delivery"
IN_DEVELOPMENT = "In development"
PROPOSAL_IN_DEVELOPMENT = "Proposal in development"
RETIRED = "Retired"
WITHDRAWN = "Withdrawn"
STATUSES = (APPROVED_FOR_DELIVERY, IN_DEVELOPMENT, PROPOSAL_IN_DEVELOPMENT, RETIRED, WITHDRAWN)
SAMPLE_FILE = "standards_sample.csv"
SAMPLE_EXPORT_FILE = "standards_sample.json"

_REFERENCE = re.compile(r"^[A-Z]{2}\d{4}$")  # ST0072; foundation apprenticeships are FA0001
# The CSV's columns: each field with the headers accepted for it, matched loosely (case, spaces,
# underscores, a unit in brackets: "Max funding (GBP)"); lga_xl.usertext reads the file.
CSV_FIELDS = (
    Field("reference", ("Reference", "Reference number", "Ref", "Standard reference", "Standard")),
    Field("title", ("Title", "Name", "Standard name", "Standard title")),
    Field("level", ("Level",)),
    Field("max_funding", ("Max funding", "Maximum funding", "Funding band maximum", "Band max", "Funding band",
                          "Max employer levy cap")),
    Field("typical_duration_months", ("Typical duration", "Duration"), required=False),
    Field("status", ("Status",), required=False),
    Field("route", ("Route", "Occupational route"), required=False),
    Field("typical_job_titles", ("Typical job titles", "Job titles", "Typical job title"), required=False),
    Field("keywords", ("Keywords", "Keyword"), required=False),
    Field("effective_from", ("Effective from", "Band effective from", "Funding effective from"), required=False),
    Field("effective_to", ("Effective to", "Band effective to", "Funding effective to"), required=False),
    Field("earliest_start_date", ("Earliest start date", "Earliest start"), required=False),
    Field("latest_start_date", ("Latest start date", "Latest start", "Last start date", "Last date starts"),
          required=False),
)
_NUMBER_FIELDS = ("level", "max_funding", "typical_duration_months")
_SAVE_AS = "save the standards list as CSV UTF-8 or JSON"
_LIST_SEPARATORS = re.compile(r"[|;]")  # the Find apprenticeship training API joins lists with "|"
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]*(?:Z|[+-]\d{2}:?\d{2})?)?$")
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")  # what Excel writes when it saves a UK CSV
_MAX_ERRORS_SHOWN = 20


class StandardsError(ValueError):
    """A standards file that cannot be used; the message names the file and line."""


class FundingBand(NamedTuple):
    """One dated funding band: in force from ``effective_from`` to ``effective_to`` (inclusive)."""

    effective_from: dt.date
    effective_to: dt.date | None
    max_funding: Decimal

    def covers(self, day: dt.date) -> bool:
        """Whether the band is in force on ``day``."""
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


@dataclass(frozen=True)
class Standard:
    """One apprenticeship standard as the levy plan and role matching need it.

    Two standards are equal when the facts a plan depends on are equal; the
    words used for matching job roles (route, typical job titles, keywords)
    are descriptive and left out of the comparison.

    Attributes:
        reference: Skills England reference, upper case (``ST0072``).
        title: the standard's title.
        level: 2 to 7.
        max_funding: funding band maximum in GBP: the most levy funds can pay
            for one apprenticeship on it (the price cap, GOV.UK "Apprenticeship
            funding bands").  With dated bands, the band of the latest
            ``effectiveFrom`` unless the file gives it.
        typical_duration_months: typical duration, when the source gives it.
        version: the version kept, when the source gives it.
        status: one of :data:`STATUSES` (other text is kept as written); a
            CSV without a status column lists standards approved for delivery.
        route: the occupational route, such as ``Care services``.
        typical_job_titles: job titles the standard names for the occupation.
        keywords: Skills England's search keywords for the standard.
        earliest_start_date: the first day a start may be made on this
            version, when the source gives it.
        latest_start_date: the last day a start may be made on this version
            (inclusive), when the source gives it.
        funding_bands: dated bands, oldest first; empty when the source gives
            only ``max_funding``.
    """

    reference: str
    title: str
    level: int
    max_funding: Decimal
    typical_duration_months: int | None = None
    version: str | None = None
    status: str = APPROVED_FOR_DELIVERY
    route: str | None = field(default=None, compare=False)
    typical_job_titles: tuple[str, ...] = field(default=(), compare=False)
    keywords: tuple[str, ...] = field(default=(), compare=False)
    earliest_start_date: dt.date | None = None
    latest_start_date: dt.date | None = None
    funding_bands: tuple[FundingBand, ...] = ()

    @property
    def approved(self) -> bool:
        """Whether the standard is approved for delivery."""
        return self.status == APPROVED_FOR_DELIVERY

    @property
    def retired_or_withdrawn(self) -> bool:
        """Whether the standard is retired or withdrawn: it can never be suggested or started."""
        return self.status in (RETIRED, WITHDRAWN)

    def band_on(self, day: dt.date) -> Decimal:
        """The funding band maximum in force for a start on ``day``.

        The band whose ``effective_from`` to ``effective_to`` (both inclusive)
        covers the day; ``max_funding`` when the standard has no dated bands.

        Raises:
            ValueError: dated bands exist but none covers ``day``.

        Example:
            >>> bands = (FundingBand(dt.date(2018, 8, 1), dt.date(2025, 7, 31), Decimal("4500")),
            ...          FundingBand(dt.date(2025, 8, 1), None, Decimal("5000")))
            >>> leader = Standard("ST0384", "Team leader", 3, Decimal("5000"), funding_bands=bands)
            >>> leader.band_on(dt.date(2025, 7, 31)), leader.band_on(dt.date(2025, 8, 1))
            (Decimal('4500'), Decimal('5000'))
        """
        day = _day(day)
        if not self.funding_bands:
            return self.max_funding
        for band in self.funding_bands:
            if band.covers(day):
                return band.max_funding
        raise ValueError(f"{self.reference} has no funding band in force on {day:%d/%m/%Y}")

    def available_on(self, day: dt.date) -> bool:
        """Whether a start can be made on ``day``.

        Only a standard approved for delivery can be started, from its
        earliest start date to its latest start date (inclusive), on a day a
        funding band covers.  Retired, withdrawn and in-development standards
        never can.

        Example:
            >>> closing = Standard("ST0072", "Customer service practitioner", 2, Decimal("4000"),
            ...                    latest_start_date=dt.date(2026, 7, 31))
            >>> closing.available_on(dt.date(2026, 7, 31)), closing.available_on(dt.date(2026, 8, 1))
            (True, False)
        """
        day = _day(day)
        if not self.approved:
            return False
        if self.earliest_start_date is not None and day < self.earliest_start_date:
            return False
        if self.latest_start_date is not None and day > self.latest_start_date:
            return False
        return not self.funding_bands or any(band.covers(day) for band in self.funding_bands)


# Public API: loading.


def load_standards(path: str | Path, *, include_inactive: bool = False) -> list[Standard]:
    """Standards from a user's export: Skills England JSON or a CSV.

    The format is taken from the content (JSON starts with ``[`` or ``{``),
    so a misnamed file still loads.

    Args:
        path: the file.
        include_inactive: keep standards of every status (in development,
            retired, withdrawn), not only those approved for delivery, so that
            two exports can be compared and a retired standard named on a
            start recognised.  Of several versions of one standard, the latest
            approved for delivery is kept when there is one, else the latest.

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
    try:
        decoded = read_user_file(path, save_as=_SAVE_AS)  # UTF-8 with or without a BOM, UTF-16 or Windows-1252
    except UserTextError as exc:
        raise StandardsError(str(exc)) from None
    if not decoded.text.strip():
        raise StandardsError(f"{decoded.source}: the file is empty")
    if decoded.text.lstrip()[0] in "[{":
        return _from_json(decoded.text, Path(path).name, include_inactive)
    return _from_csv(decoded, include_inactive)


def sample_standards() -> list[Standard]:
    """The small illustrative sample shipped with lga_xl, for demos and tests.

    Real references and titles; the band maxima other than ST0072's are
    illustrative (see the header of ``lga_xl/data/standards_sample.csv``).

    Example:
        >>> len(sample_standards()) >= 20
        True
    """
    text = (resources.files("lga_xl") / "data" / SAMPLE_FILE).read_text(encoding="utf-8")
    return _from_csv(DecodedText(SAMPLE_FILE, text, "utf-8"), include_inactive=False)


def sample_export(*, include_inactive: bool = False) -> list[Standard]:
    """The illustrative export shipped with lga_xl: standards councils use, in the JSON export's shape.

    References, titles, levels, statuses and typical job titles are Skills
    England's; its top-level ``sample``, ``figuresAsAt`` and ``source`` fields
    say what is illustrative and how old the figures are (docs/standards.md).

    Example:
        >>> adult_care = {s.reference: s for s in sample_export()}["ST0005"]
        >>> adult_care.title, adult_care.level, "Care worker" in adult_care.typical_job_titles
        ('Adult care worker', 2, True)
    """
    text = (resources.files("lga_xl") / "data" / SAMPLE_EXPORT_FILE).read_text(encoding="utf-8")
    return _from_json(text, SAMPLE_EXPORT_FILE, include_inactive)


def sample_export_as_at() -> dt.date:
    """The day the figures of the illustrative export (:func:`sample_export`) come from: its ``figuresAsAt``.

    Example:
        >>> sample_export_as_at()
        datetime.date(2026, 7, 2)
    """
    text = (resources.files("lga_xl") / "data" / SAMPLE_EXPORT_FILE).read_text(encoding="utf-8")
    return dt.date.fromisoformat(json.loads(text)["figuresAsAt"])


def standard_from_fields(fields: Mapping[str, Any], *, version: str | None = None,
                         require_funding: bool = True) -> Standard:
    """One standard from a row of values named as the CSV's columns, read as the CSV loader reads them.

    ``fields`` may hold reference, title, level, max_funding, status,
    typical_duration_months, route, typical_job_titles and keywords (lists, or
    text separated by ``|`` or ``;``), earliest_start_date and
    latest_start_date.  Without ``require_funding`` a blank max funding is 0:
    a table that is only for matching job titles need not carry bands.

    Raises:
        ValueError: a short reason naming the standard (``reference 'X1' is not like ST0072``).

    Example:
        >>> care = standard_from_fields({"reference": "st0005", "title": "Adult care worker", "level": "2",
        ...                              "typical_job_titles": "Care worker; Care assistant"}, require_funding=False)
        >>> care.reference, care.level, care.max_funding, care.typical_job_titles
        ('ST0005', 2, Decimal('0'), ('Care worker', 'Care assistant'))
    """
    if not require_funding and _text(fields.get("max_funding")) == "":
        fields = {**fields, "max_funding": 0}
    return _standard(fields, version, _status(fields.get("status")))


def version_order(version: str | None) -> tuple[int, ...]:
    """A sort key for versions: '1.10' after '1.9'; a missing or odd version first.

    Example:
        >>> sorted(["1.10", "1.9", "2.0", None], key=version_order)
        [None, '1.9', '1.10', '2.0']
    """
    if version is None or not re.fullmatch(r"\d+(\.\d+)*", version.strip()):
        return ()
    return tuple(int(part) for part in version.strip().split("."))


# Private API.


def _from_json(text: str, source: str, include_inactive: bool) -> list[Standard]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise StandardsError(f"{source} line {exc.lineno}: {json_error(exc)}") from None
    items = _json_items(data, source)
    chosen: dict[str, tuple[tuple[bool, tuple[int, ...]], Standard]] = {}
    errors = []
    for index, item in enumerate(items, start=1):
        if not isinstance(item, Mapping):
            errors.append(f"item {index}: expected an object with referenceNumber, title, level and maxFunding")
            continue
        status = _status(item.get("status"))
        if not include_inactive and status != APPROVED_FOR_DELIVERY:
            continue  # in development, retired or withdrawn: no new starts can be planned on it
        reference = _first_present(item, "referenceNumber", "ifateReferenceNumber")
        try:
            standard = _json_standard(item, status)
        except ValueError as exc:
            errors.append(f"item {index}{f' ({reference})' if isinstance(reference, str) else ''}: {exc}")
            continue
        # The latest version approved for delivery wins; a standard with none keeps its latest version.
        rank = (standard.approved, version_order(standard.version))
        kept = chosen.get(standard.reference)
        if kept is None or rank > kept[0]:
            chosen[standard.reference] = (rank, standard)
    _raise_if_any(errors, source)
    if not chosen:
        raise StandardsError(f"{source}: no standard approved for delivery was found in the file")
    return [chosen[reference][1] for reference in sorted(chosen)]


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


def _json_standard(item: Mapping[str, Any], status: str) -> Standard:
    """A Standard from one export item; ValueError with a short reason otherwise."""
    # The Find apprenticeship training export nests version details and standard dates.
    detail = item.get("versionDetail") if isinstance(item.get("versionDetail"), Mapping) else {}
    dates = item.get("standardDates") if isinstance(item.get("standardDates"), Mapping) else {}
    reference = _text(_first_present(item, "referenceNumber", "ifateReferenceNumber")).upper()
    bands = _json_bands(item.get("apprenticeshipFunding"), reference or "the standard")
    max_funding = _first_of((item, "maxFunding", "proposedMaxFunding"), (detail, "maxFunding"))
    if max_funding is None and bands:
        max_funding = bands[-1].max_funding
    fields = {
        "reference": reference,
        "title": item.get("title"),
        "level": item.get("level"),
        "max_funding": max_funding,
        "typical_duration_months": _first_of((item, "typicalDuration", "proposedTypicalDuration"),
                                             (detail, "typicalDuration")),
        "typical_job_titles": item.get("typicalJobTitles"),
        "keywords": item.get("keywords"),
        "route": item.get("route"),
        "earliest_start_date": _first_of((item, "earliestStartDate"), (detail, "earliestStartDate")),
        "latest_start_date": _first_of((item, "latestStartDate"), (detail, "latestStartDate"),
                                       (dates, "lastDateStarts")),
    }
    version = _first_present(item, "version", "versionNumber")
    return _standard(fields, None if version is None else str(version), status, bands)


def _json_bands(value: Any, reference: str) -> tuple[FundingBand, ...]:
    if value in (None, ""):
        return ()
    if not isinstance(value, list):
        raise ValueError(f"{reference} apprenticeshipFunding is not a list of funding bands")
    bands = []
    for number, entry in enumerate(value, start=1):
        what = f"{reference} funding band {number}"
        if not isinstance(entry, Mapping):
            raise ValueError(f"{what} is not an object with maxEmployerLevyCap and effectiveFrom")
        start = _file_date(entry.get("effectiveFrom"), f"{what} effectiveFrom")
        if start is None:
            raise ValueError(f"{what} has no effectiveFrom")
        end = _file_date(entry.get("effectiveTo"), f"{what} effectiveTo")
        bands.append(_band(start, end, _amount(entry.get("maxEmployerLevyCap"), f"{what} maxEmployerLevyCap"), what))
    return _checked_bands(bands, reference)


def _band(start: dt.date, end: dt.date | None, amount: Decimal, what: str) -> FundingBand:
    if end is not None and end < start:
        raise ValueError(f"{what} ends ({end:%d/%m/%Y}) before it starts ({start:%d/%m/%Y})")
    return FundingBand(start, end, amount)


def _checked_bands(bands: Iterable[FundingBand], reference: str) -> tuple[FundingBand, ...]:
    ordered = tuple(sorted(bands, key=lambda band: band.effective_from))
    for earlier, later in zip(ordered, ordered[1:]):
        if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
            raise ValueError(f"{reference} funding bands from {earlier.effective_from:%d/%m/%Y} and "
                             f"{later.effective_from:%d/%m/%Y} overlap")
    return ordered


def _from_csv(decoded: DecodedText, include_inactive: bool) -> list[Standard]:
    source = Path(decoded.source).name
    try:
        table = parse_user_csv(decoded, CSV_FIELDS)  # comma, semicolon or tab; # comment lines before the header
    except UserTextError as exc:
        raise StandardsError(f"{source}{'' if exc.line is None else f' line {exc.line}'}: {exc.reason}") from None
    rows: dict[str, list[tuple[int, dict[str, str]]]] = {}
    errors = []
    any_rows = bool(table.rows)
    for row in table.rows:
        line, fields = row.line, dict(row.values)
        for name in _NUMBER_FIELDS:  # 5000,00 in a semicolon-separated file is 5000.00
            fields[name] = table.number(fields[name])
        if not include_inactive and _status(fields.get("status")) != APPROVED_FOR_DELIVERY:
            continue  # in development, retired or withdrawn: no new starts can be planned on it
        reference = _text(fields["reference"]).upper() or f"line {line}"
        earlier = rows.get(reference, [])
        # A standard may take one row per dated funding band; any other repeat is a mistake.
        if earlier and not (_text(fields.get("effective_from")) and _text(earlier[0][1].get("effective_from"))):
            errors.append(f"line {line}: {reference} is listed twice (first on line {earlier[0][0]})")
            continue
        rows.setdefault(reference, []).append((line, fields))
    standards = []
    for reference_rows in rows.values():
        try:
            standards.append(_csv_standard(reference_rows))
        except ValueError as exc:
            errors.append(str(exc))
    _raise_if_any(sorted(errors, key=_line_number), source)
    if not standards:
        raise StandardsError(f"{source}: no standard approved for delivery was found in the file" if any_rows
                             else f"{source}: the file has a header but no standards")
    return sorted(standards, key=lambda s: s.reference)


def _csv_standard(rows: list[tuple[int, dict[str, str]]]) -> Standard:
    """One standard from its CSV rows (several when it has dated bands); ValueError naming the line."""
    bands = []
    for line, fields in rows:
        reference = _text(fields.get("reference")).upper() or "the standard"
        try:
            start = _file_date(fields.get("effective_from"), f"{reference} effective from")
            end = _file_date(fields.get("effective_to"), f"{reference} effective to")
            if end is not None and start is None:
                raise ValueError(f"{reference} has an effective to date but no effective from date")
            if start is not None:
                amount = _amount(fields.get("max_funding"), f"{reference} max funding")
                bands.append((line, _band(start, end, amount, f"{reference} funding band")))
        except ValueError as exc:
            raise ValueError(f"line {line}: {exc}") from None
    # The row of the band in force last describes the standard; the others must agree with it.
    line, fields = max(rows, key=lambda row: _band_start(row, bands))
    status = _status(fields.get("status"))
    try:
        checked = _checked_bands((band for _, band in bands), _text(fields.get("reference")).upper())
        standard = _standard(fields, None, status, checked)
    except ValueError as exc:
        raise ValueError(f"line {line}: {exc}") from None
    for other_line, other in rows:
        for name, what in (("title", "title"), ("level", "level")):
            if _text(other.get(name)) != _text(fields.get(name)):
                raise ValueError(f"line {other_line}: {standard.reference} {what} {_text(other.get(name))!r} "
                                 f"differs from line {line} ({_text(fields.get(name))!r})")
    return standard


def _band_start(row: tuple[int, dict[str, str]], bands: list[tuple[int, FundingBand]]) -> tuple[dt.date, int]:
    starts = {line: band.effective_from for line, band in bands}
    return starts.get(row[0], dt.date.min), row[0]


def _standard(
    fields: Mapping[str, Any], version: str | None, status: str = APPROVED_FOR_DELIVERY,
    bands: tuple[FundingBand, ...] = (),
) -> Standard:
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
    if status != APPROVED_FOR_DELIVERY and _text(fields.get("max_funding")) == "":
        max_funding = Decimal(0)  # no start can be made on it, so it may have no band yet
    else:
        max_funding = _amount(fields.get("max_funding"), f"{reference} max funding")
    duration_value = fields.get("typical_duration_months")
    duration = None if _text(duration_value) == "" else _whole(duration_value, f"{reference} typical duration")
    earliest = _file_date(fields.get("earliest_start_date"), f"{reference} earliest start date")
    latest = _file_date(fields.get("latest_start_date"), f"{reference} latest start date")
    if earliest is not None and latest is not None and latest < earliest:
        raise ValueError(f"{reference} latest start date {latest:%d/%m/%Y} is before its earliest "
                         f"start date {earliest:%d/%m/%Y}")
    return Standard(
        reference, title, level, max_funding, duration, version, status,
        route=_text(fields.get("route")) or None,
        typical_job_titles=_text_list(fields.get("typical_job_titles"), f"{reference} typical job titles"),
        keywords=_text_list(fields.get("keywords"), f"{reference} keywords"),
        earliest_start_date=earliest, latest_start_date=latest, funding_bands=bands,
    )


def _status(value: Any) -> str:
    """A status in its standard spelling when it is one of STATUSES; other text as written."""
    text = _text(value)
    return loose_choice(text, STATUSES) or text if text else APPROVED_FOR_DELIVERY


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _text_list(value: Any, what: str) -> tuple[str, ...]:
    """A list of phrases from a JSON list, or text separated by | or ; (duplicates dropped, order kept)."""
    if value is None:
        return ()
    if isinstance(value, str):
        parts = _LIST_SEPARATORS.split(value)
    elif isinstance(value, list) and all(isinstance(part, str) for part in value):
        parts = value
    else:
        raise ValueError(f"{what} are not a list of text")
    phrases = (" ".join(part.split()) for part in parts)
    return tuple(dict.fromkeys(phrase for phrase in phrases if phrase))


def _file_date(value: Any, what: str) -> dt.date | None:
    """A date written as 2026-08-01 (with or without a time) or 01/08/2026; None when blank."""
    text = _text(value)
    if not text:
        return None
    match = _ISO_DATE.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
    else:
        match = _UK_DATE.match(text)
        if not match:
            raise ValueError(f"{what} {text!r} is not a date like 2026-08-01 or 01/08/2026")
        day, month, year = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"{what} {text!r} is not a real date") from None


def _day(value: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):  # a datetime would not compare with the bands' dates
        return value.date()
    if not isinstance(value, dt.date):
        raise TypeError(f"expected a date, not {type(value).__name__}")
    return value


def _amount(value: Any, what: str) -> Decimal:
    try:
        read = cells.number(value, minimum=0)
    except cells.CellValueError as err:
        problem = "is not an amount of 0 or more" if err.code == "negative-amount" else "is not a number"
        raise ValueError(f"{what} {_text(value)!r} {problem}") from None
    if read is None:
        raise ValueError(f"{what} is blank")
    return read.value


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


def _first_of(*places: tuple[Any, ...]) -> Any:
    """The first value present in ``(mapping, key, key...)`` places, searched in order."""
    for mapping, *keys in places:
        value = _first_present(mapping, *keys)
        if value is not None:
            return value
    return None


def _line_number(error: str) -> int:
    match = re.match(r"line (\d+):", error)
    return int(match.group(1)) if match else 0


def _raise_if_any(errors: Iterable[str], source: str) -> None:
    errors = list(errors)
    if not errors:
        return
    shown = errors[:_MAX_ERRORS_SHOWN]
    more = f"\n  ... and {len(errors) - len(shown)} more" if len(errors) > len(shown) else ""
    raise StandardsError(f"{source}: {len(errors)} bad entr{'y' if len(errors) == 1 else 'ies'}:\n  "
                         + "\n  ".join(shown) + more)
