"""The adviser's send-out: one personalised workbook per council, last year's answers carried forward.

``lga-xl send-out KIND --councils councils.csv --out-dir DIR`` reads the
list of councils (Organisation, Region, Type, and optionally Contact name and
Email, in any order and case, as Excel saves a CSV), and writes each council
a workbook of its own: its name, region and type on the cover, with whom it
is for, the deadline and whom to send it back to.  With ``--db``, each
council's latest return of that kind in the store (for a self-assessment,
its latest Self assessment) is carried forward into it: statuses, evidence
and targets; a levy plan's schools, pay bill and figures, and the funds that
entered in last year's plan as this year's PreviousYearFunds; a tracker's
targets, actuals and actions.  The cover then says "Carried forward from
your return of DATE: check and update", and the hidden lga_xl sheet keeps
the input hash of what was sent, so that a return sent back unchanged is
recognised on import (``unchanged-since-sent``).  A manifest (CSV) lists
each council, its file and what was carried.

The kind's template is built once (:mod:`lga_xl.blanks`) and each council's
copy is that template with its cells filled in
(:class:`~lga_xl.writers.fill.Template`): hundreds of workbooks in seconds.

Example:
    >>> import tempfile, pathlib
    >>> from lga_xl.readers import read_workbook
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "councils.csv").write_text("Organisation,Region,Type\\nKing's Lynn & West Norfolk,east,District")
    >>> report = send_out("self-assessment", folder / "councils.csv", folder / "out", deadline="30/10/2026")
    >>> [sent.path.name for sent in report.sent]
    ['Kings Lynn and West Norfolk - self-assessment.xlsx']
    >>> result = read_workbook(report.sent[0].path)
    >>> result.organisation, result.region, result.org_type
    ("King's Lynn & West Norfolk", 'East of England', 'District council')
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import time
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import a1, cells, levy
from .answers import CARRIED_FROM, SENT_HASH, Answers, carried_when, migrate
from .blanks import template
from .carry import CarryError, answer_cells, meta_cells
from .contract import META_SHEET, SEND_OUT_HEADING, SEND_OUT_NAMES, Contract
from .kinds import KINDS, Kind, kind
from .outputs import atomic_write, check_output, prepare_output_folder, unique_names
from .readers.package import open_package
from .reference import ORG_TYPES, match_region
from .text import squash
from .usertext import Field, UserRow, read_user_csv
from .writers.csv_export import safe_text
from .writers.fill import Value, package_bytes

COUNCILS_CSV_FIELDS = (
    Field("organisation", ("Organisation", "Organisation name", "Organization", "Council", "Council name",
                           "Authority", "Local authority")),
    Field("region", ("Region",)),
    Field("type", ("Type", "Organisation type", "Council type", "Authority type")),
    Field("contact", ("Contact name", "Contact", "Name of contact"), required=False),
    Field("email", ("Email", "E-mail", "Email address", "Contact email"), required=False),
)
MANIFEST = "manifest.csv"
MANIFEST_COLUMNS = ("organisation", "region", "type", "contact", "email", "file", "carried_from", "carried", "notes")
SENT_KINDS = tuple(name for name, workbook_kind in KINDS.items() if workbook_kind.carry_path)
# Names Windows refuses for a file, whatever its extension (Microsoft, "Naming Files, Paths, and Namespaces").
WINDOWS_RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)),
                              *(f"LPT{n}" for n in range(1, 10))})
MAX_STEM = 80  # characters of a council's name in its file name: paths stay well inside Windows' 260
# Letters that have no accent to drop, as ASCII writes them.
_ASCII_LETTERS = str.maketrans({"Œ": "OE", "œ": "oe", "Æ": "AE", "æ": "ae", "ß": "ss", "Ø": "O", "ø": "o",
                                "Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Þ": "Th", "þ": "th", "’": "'"})

ProgressCallback = Callable[[int, int], None]


class SendOutError(ValueError):
    """A send-out that cannot be made (a kind not sent out, a bad option); the message says why."""


@dataclass(frozen=True)
class Council:
    """A council to send a workbook to, as its row of the councils CSV says."""

    organisation: str
    region: str
    type: str | None = None
    contact: str | None = None
    email: str | None = None

    @property
    def key(self) -> str:
        """The organisation as the store identifies it (case and spaces ignored)."""
        return org_key(self.organisation)

    @property
    def prepared_for(self) -> str:
        """Who the workbook is for: the contact and email, or the organisation."""
        email = f" ({self.email})" if self.email else ""
        return f"{self.contact}{email}" if self.contact else f"{self.organisation}{email}"


@dataclass(frozen=True)
class Sent:
    """One council's workbook: where it is and what was carried forward into it."""

    council: Council
    path: Path
    carried_from: str | None = None  # the date of the return carried forward, or its tax year
    carried: str = ""  # what was carried, in a few words
    notes: tuple[str, ...] = ()  # what could not be carried


@dataclass
class SendOutReport:
    """The result of :func:`send_out`."""

    kind: str
    folder: Path
    manifest: Path
    sent: list[Sent] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        carried = sum(1 for s in self.sent if s.carried_from)
        return (f"{len(self.sent)} {self.kind} workbooks written to {self.folder} in {self.seconds:.1f} s: "
                f"{carried} with answers carried forward, {len(self.sent) - carried} blank; manifest {self.manifest}")


# Public API.


def read_councils(path: str | Path) -> list[Council]:
    """The councils of a CSV: Organisation, Region and Type, optionally Contact name and Email.

    Headers in any order and case; a region typed loosely (``east``,
    ``Yorkshire & Humber``) is read as the English region it names; a type as
    one of the organisation types (``County`` is a County council).

    Raises:
        UserTextError: the file cannot be read, lacks a column, or has bad rows
            (every bad row, each with its line: no organisation, a region that
            is not an English region, an unknown type, a council listed twice).
    """
    table = read_user_csv(path, COUNCILS_CSV_FIELDS)
    seen: dict[str, int] = {}

    def council(row: UserRow) -> Council:
        name = " ".join(row["organisation"].split())
        if not name:
            raise ValueError("no organisation name")
        if org_key(name) in seen:
            raise ValueError(f"{name!r} is listed twice (also on line {seen[org_key(name)]})")
        seen[org_key(name)] = row.line
        region = match_region(row["region"])
        if region is None:
            raise ValueError(f"region {row['region']!r} is not one of the nine English regions" if row["region"]
                             else f"{name} has no region")
        org_type = None
        if row["type"]:
            org_type = match_org_type(row["type"])
            if org_type is None:
                raise ValueError(f"type {row['type']!r} is not one of: {', '.join(ORG_TYPES)}")
        return Council(name, region, org_type, row.values.get("contact") or None, row.values.get("email") or None)

    return table.parse_rows(council)


def match_org_type(text: str) -> str | None:
    """The organisation type ``text`` names: case, spaces and a missing "council" or "authority" forgiven.

    Example:
        >>> match_org_type("county"), match_org_type("London Borough"), match_org_type("Parish")
        ('County council', 'London borough council', None)
    """
    wanted = squash(text)
    return next((org_type for org_type in ORG_TYPES
                 for spelling in (wanted, wanted + "council", wanted + "authority") if squash(org_type) == spelling),
                None)


def safe_file_stem(name: str) -> str:
    """A council's name as the start of a file name any system accepts.

    Accents are dropped (Œ is OE), ``&`` is "and", apostrophes go, and every character
    Windows refuses (``< > : " / \\ | ? *`` and control characters) or that is
    not a plain letter, digit or simple punctuation becomes a space; no
    trailing dot or space, no reserved name (CON, PRN, AUX, NUL, COM1...),
    at most 80 characters.

    Example:
        >>> safe_file_stem("King's Lynn & West Norfolk"), safe_file_stem("Brighton / Hove")
        ('Kings Lynn and West Norfolk', 'Brighton Hove')
        >>> safe_file_stem("Ynys Môn: <CON>"), safe_file_stem("con."), safe_file_stem("???")
        ('Ynys Mon CON', 'con_', 'council')
    """
    text = unicodedata.normalize("NFKD", name.translate(_ASCII_LETTERS)).encode("ascii", "ignore").decode()
    text = re.sub(r"['`]", "", text.replace("&", " and "))
    text = re.sub(r"[^A-Za-z0-9 .,()_+-]+", " ", text)
    text = re.sub(r"\s+", " ", text).strip(" .")[:MAX_STEM].rstrip(" .")
    if not text:
        return "council"
    head, dot, rest = text.partition(".")
    if head.strip().upper() in WINDOWS_RESERVED:  # NUL and NUL.txt alike
        text = f"{head.rstrip()}_{dot}{rest}"
    return text


def send_out(
    kind_name: str,
    councils: str | Path | Sequence[Council],
    out_dir: str | Path,
    *,
    db: str | Path | None = None,
    deadline: dt.date | str | None = None,
    contact: str | None = None,
    tax_year: str | None = None,
    standards: Sequence[Any] | None = None,
    standards_source: str | None = None,
    force: bool = False,
    progress: ProgressCallback | None = None,
) -> SendOutReport:
    """Write a personalised workbook of ``kind_name`` for each council into ``out_dir``, and a manifest.

    Args:
        kind_name: ``self-assessment``, ``levy-plan`` or ``tracker``.
        councils: the councils CSV (see :func:`read_councils`), or the councils.
        out_dir: the folder to write into; created if missing, and refused if
            it holds files unless ``force`` (files of the same name are then replaced).
        db: a returns store: each council's latest return of the kind is carried forward.
        deadline: the date to return it by (a date, or typed like 30/10/2026).
        contact: whom to send it back to and ask, as the cover shows it.
        tax_year: a levy plan's tax year, typed loosely (2026/27); the writer's default if None.
        standards, standards_source: a levy plan's standards list; the illustrative sample if None.
        progress: called with (workbooks written, workbooks to write).

    Raises:
        SendOutError: a kind that is not sent out, or an option it does not take.
        UserTextError: a councils CSV that cannot be used.
        OutputError: the folder or a file in it must not be written.
        StoreError: ``db`` is not a store.
    """
    started = time.perf_counter()
    workbook_kind = _sent_kind(kind_name)
    options = _run_options(kind_name, tax_year, standards, standards_source)
    due = _deadline(deadline)
    given = read_councils(councils) if isinstance(councils, (str, Path)) else list(councils)
    inputs = [Path(councils)] if isinstance(councils, (str, Path)) else []
    folder = prepare_output_folder(out_dir, force=force, inputs=inputs)
    manifest = check_output(folder / MANIFEST, force=True, inputs=inputs, store=db, allowed_suffixes=(".csv",))
    carried = _carried(workbook_kind, db, {c.key for c in given}, options) if db is not None else {}
    contract = workbook_kind.current
    report = SendOutReport(kind_name, folder, manifest)
    for done, (council, path) in enumerate(zip(given, _file_names(given, kind_name, folder)), start=1):
        path = check_output(path, force=force, inputs=inputs, store=db)
        report.sent.append(_write(workbook_kind, contract, council, path, carried.get(council.key), options,
                                  due, contact))
        if progress:
            progress(done, len(given))
    _write_manifest(manifest, report.sent, db is not None)
    report.seconds = time.perf_counter() - started
    return report


def org_key(name: str | None) -> str:
    """An organisation's name as the store identifies it: case and runs of spaces ignored."""
    from .bulk import _org_key

    return _org_key(name)


# Private API.


@dataclass(frozen=True)
class _Carried:
    """A council's latest return, its answers in the current template's terms."""

    answers: Answers
    carried_from: str
    describe: str


def _sent_kind(kind_name: str) -> Kind:
    workbook_kind = kind(kind_name)
    if kind_name not in SENT_KINDS:
        raise SendOutError(f"{kind_name} workbooks are not sent out; send out one of {', '.join(SENT_KINDS)}")
    return workbook_kind


def _run_options(kind_name: str, tax_year: str | None, standards: Sequence[Any] | None,
                 standards_source: str | None) -> dict[str, Any]:
    if kind_name != "levy-plan":
        if tax_year or standards:
            raise SendOutError(f"a tax year and standards list are for levy plans, not {kind_name} workbooks")
        return {}
    options: dict[str, Any] = {}
    if tax_year:
        try:
            options["tax_year"] = levy.normalise_tax_year(tax_year)
            from .contracts.levy_plan import plan_start_of

            plan_start_of(options["tax_year"])
        except ValueError as exc:
            raise SendOutError(str(exc)) from None
    if standards is not None:
        options["standards"] = list(standards)
        options["standards_source"] = standards_source
    return options


def _deadline(deadline: dt.date | str | None) -> dt.date | None:
    if deadline is None or isinstance(deadline, dt.date):
        return deadline
    try:
        read = cells.date(deadline)
    except cells.CellValueError as exc:
        raise SendOutError(f"deadline {exc}") from None
    return None if read is None else read.value


def _file_names(councils: Sequence[Council], kind_name: str, folder: Path) -> list[Path]:
    """Each council's file, unique even where names differ only in case or characters dropped."""
    names = unique_names((safe_file_stem(council.organisation), f" - {kind_name}.xlsx") for council in councils)
    return [folder / name for name in names]


def _carried(workbook_kind: Kind, db: str | Path, wanted: set[str],
             options: Mapping[str, Any]) -> dict[str, _Carried]:
    """Each council's latest return of the kind in the store, as answers for the current template."""
    from .store import ReturnStore

    carrier = workbook_kind.carrier
    context = {"tax_year": options.get("tax_year") or _writer_default(workbook_kind, "tax_year")}
    found: dict[str, _Carried] = {}
    with ReturnStore(db) as store:
        _, rows = store.query(
            "SELECT id, org_key, template_version, assessment_date, tax_year, substr(imported_at, 1, 10) "
            "FROM latest_returns WHERE kind = ? AND (kind <> 'self-assessment' OR assessment_type = 'Self')",
            (workbook_kind.name,))
        for return_id, key, version, assessment_date, return_tax_year, imported in list(rows):
            if key not in wanted:
                continue
            answers = carrier.from_store(store, return_id, version, context)
            answers = carrier.fillable(migrate(answers, workbook_kind.migrations, workbook_kind.current.version))
            found[key] = _Carried(answers, assessment_date or return_tax_year or imported, carrier.describe(answers))
    return found


def _writer_default(workbook_kind: Kind, option: str) -> Any:
    import inspect

    parameter = inspect.signature(workbook_kind.writer).parameters.get(option)
    return None if parameter is None else parameter.default


def _write(workbook_kind: Kind, contract: Contract, council: Council, path: Path, carried: _Carried | None,
           options: Mapping[str, Any], due: dt.date | None, contact: str | None) -> Sent:
    answers = None if carried is None else carried.answers.moved(carried.answers.version)  # notes of its own
    shaped = dict(options)
    if answers is not None:
        shaped.update(workbook_kind.carrier.layout(answers))
        if rows := workbook_kind.carrier.rows(answers, contract):
            shaped["rows"] = rows
    built = template(workbook_kind.name, **shaped)
    values = _cover_cells(contract, council)
    if answers is not None:
        try:
            values.update(answer_cells(answers, contract, built))
        except CarryError as exc:
            answers.notes.append(f"Not carried: {exc}")
    values.update(_send_out_cells(contract, council, due, contact, carried))
    if carried is None:
        built.fill(path, values)
        return Sent(council, path)
    # Hash what the reader will read when it comes back: from a quick stored copy, then the copy to keep.
    values.update(meta_cells(built, {CARRIED_FROM: carried.carried_from}))
    parts = built.filled_parts(values)
    with atomic_write(path) as partial:
        partial.write_bytes(package_bytes(parts, compress=False))
    with open_package(path) as pkg:
        sent_hash = pkg.input_hash(contract)
    sent_meta = meta_cells(built, {CARRIED_FROM: carried.carried_from, SENT_HASH: sent_hash})
    meta_part = built.sheet_parts[META_SHEET]
    parts[meta_part] = built.filled_parts(sent_meta)[meta_part]  # only the hidden sheet differs
    with atomic_write(path) as partial:
        partial.write_bytes(package_bytes(parts))
    return Sent(council, path, carried.carried_from, carried.describe, tuple(answers.notes))


def _cover_cells(contract: Contract, council: Council) -> dict[tuple[str, str], Value]:
    present = {named.name for named in contract.names()}
    cover = {"OrgName": council.organisation, "Region": council.region, "OrgType": council.type}
    return {contract.address(name): value for name, value in cover.items() if name in present and value is not None}


def _send_out_cells(contract: Contract, council: Council, due: dt.date | None, contact: str | None,
                    carried: _Carried | None) -> dict[tuple[str, str], Value]:
    """The cover's send-out cells: each label with its value, and the heading above them."""
    shown = {
        "PreparedFor": council.prepared_for,
        "ReturnBy": due,
        "ReturnTo": contact,
        "CarriedForward": None if carried is None else
        f"From your return{carried_when(carried.carried_from)}: check and update every answer before you send it "
        "back.",
    }
    block = contract.block_of(SEND_OUT_NAMES[0])
    values: dict[tuple[str, str], Value] = {
        (block.sheet, a1.cell(block.first_row - 1, block.label_column)): SEND_OUT_HEADING}
    for named in block.names:
        if shown[named.name] is not None:
            values[(block.sheet, a1.cell(block.row(named.name), block.label_column))] = named.label
            values[contract.address(named.name)] = shown[named.name]
    return values


def _write_manifest(path: Path, sent: Sequence[Sent], from_store: bool) -> None:
    from .outputs import atomic_write

    with atomic_write(path) as partial, partial.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(MANIFEST_COLUMNS)
        for item in sent:
            carried = item.carried or ("nothing: no earlier return in the store" if from_store else "")
            council = item.council
            writer.writerow([safe_text(value or "") for value in (
                council.organisation, council.region, council.type, council.contact, council.email, item.path.name,
                item.carried_from, carried, "; ".join(item.notes))])

