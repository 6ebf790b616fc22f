"""Reading the text files users hand to lga_xl: CSV lists and JSON exports.

People make these files in Excel, so they arrive however Excel saved them:
"CSV UTF-8" (UTF-8 with a byte order mark), "CSV (Comma delimited)" (Windows-1252
on an English Windows), semicolon-separated (Excel in locales whose decimal mark
is a comma), "Unicode Text" (UTF-16, tab-separated), with Windows line endings,
blank rows and headers spelt the way the person likes ("Pay Bill (£)"). This
module reads all of them, and when it cannot, says why in one line that names the
file and line, never in Python's wording.

Pure (standard library only).

Example:
    >>> table = parse_user_csv(decode_user_bytes(b"URN;School Name;Type\\r\\n100001;Ash;Community\\r\\n",
    ...                                          "schools.csv"), SCHOOLS_CSV_FIELDS)
    >>> table.delimiter, table.encoding, table.rows[0].line, table.rows[0]["name"]
    (';', 'utf-8', 2, 'Ash')
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

__all__ = [
    "SCHOOLS_CSV_FIELDS",
    "STANDARDS_CSV_FIELDS",
    "DecodedText",
    "Field",
    "UserJson",
    "UserRow",
    "UserRowsError",
    "UserTable",
    "UserTextError",
    "decode_user_bytes",
    "fold_header",
    "json_error",
    "match_header",
    "money_text",
    "parse_user_csv",
    "read_json_or_csv",
    "read_user_csv",
    "read_user_file",
]

T = TypeVar("T")

SAVE_AS_CSV = "in Excel use File > Save As > CSV UTF-8"
DELIMITERS = (",", ";", "\t")  # in order of preference when a header line has as many of each
MAX_ROW_ERRORS_SHOWN = 20
_MAX_HEADER_CELLS_SHOWN = 12

# Encodings, in the order tried, as Python names them.
UTF8, UTF8_BOM, UTF16, WINDOWS_1252 = "utf-8", "utf-8-sig", "utf-16", "cp1252"
_ENCODING_NAMES = {
    UTF8: "UTF-8",
    UTF8_BOM: "UTF-8 (Excel's CSV UTF-8)",
    UTF16: "UTF-16 (Excel's Unicode Text)",
    WINDOWS_1252: "Windows-1252 (Excel's CSV (Comma delimited))",
}


class UserTextError(ValueError):
    """A user's file that cannot be used, in one line naming the file (and line).

    Attributes:
        source: the file as the user named it.
        line: the line at fault (1 is the first line), or None for the whole file.
        reason: the message without the file and line.

    Example:
        >>> str(UserTextError("schools.csv", "missing column Type", line=1))
        'schools.csv line 1: missing column Type'
    """

    def __init__(self, source: str, reason: str, line: int | None = None) -> None:
        self.source, self.reason, self.line = source, reason, line
        super().__init__(f"{source}{'' if line is None else f' line {line}'}: {reason}")


class UserRowsError(UserTextError):
    """Several bad rows: ``errors`` holds one :class:`UserTextError` per row.

    The message is a count line then one line per bad row (the first 20);
    ``line`` is the first bad row's line.
    """

    def __init__(self, source: str, errors: Sequence[UserTextError]) -> None:
        self.errors = list(errors)
        shown = [f"line {error.line}: {error.reason}" for error in self.errors[:MAX_ROW_ERRORS_SHOWN]]
        if len(self.errors) > len(shown):
            shown.append(f"... and {len(self.errors) - len(shown)} more")
        count = f"{len(self.errors)} bad row{'' if len(self.errors) == 1 else 's'}"
        super().__init__(source, count + "".join(f"\n  {line}" for line in shown), line=None)
        self.line = self.errors[0].line if self.errors else None


# Public API: decoding.


@dataclass(frozen=True)
class DecodedText:
    """A user's file as text.

    Attributes:
        source: the file as the user named it (used in messages).
        text: the content, byte order mark removed, line endings as in the file.
        encoding: the Python name of the encoding it was read with: ``utf-8``,
            ``utf-8-sig`` (UTF-8 with a byte order mark), ``utf-16`` or
            ``cp1252`` (Windows-1252, tried only when the file is not UTF-8).
    """

    source: str
    text: str
    encoding: str

    @property
    def encoding_name(self) -> str:
        """The encoding as a person would recognise it, such as "Windows-1252 (Excel's CSV (Comma delimited))"."""
        return _ENCODING_NAMES[self.encoding]


def decode_user_bytes(data: bytes, source: str, *, save_as: str = SAVE_AS_CSV) -> DecodedText:
    """A file's bytes as text: UTF-8 (with or without a BOM), UTF-16 with a BOM, else Windows-1252.

    Raises:
        UserTextError: the bytes are a workbook or other binary file, or not
            text in any of those encodings; ``save_as`` says how to fix it.

    Example:
        >>> decode_user_bytes("Pay bill (£)".encode("cp1252"), "schools.csv").encoding
        'cp1252'
        >>> try:
        ...     decode_user_bytes(b"PK\\x03\\x04...", "schools.csv")
        ... except UserTextError as exc:
        ...     print(exc.reason)
        this is an Excel workbook, not a text file; in Excel use File > Save As > CSV UTF-8
    """
    if data.startswith(b"PK\x03\x04"):
        raise UserTextError(source, f"this is an Excel workbook, not a text file; {save_as}")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UserTextError(source, f"this is an old Excel .xls file (or another Office file), not a text file; "
                                    f"{save_as}")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return DecodedText(source, data.decode(UTF16), UTF16)  # the codec drops the BOM
        except UnicodeDecodeError:
            raise UserTextError(source, f"the file says it is UTF-16 text but is not; {save_as}") from None
    if b"\x00" in data:
        raise UserTextError(source, f"not a text file (it holds binary data); {save_as}")
    # A BOM says UTF-8: falling back to Windows-1252 would only turn it into "ï»¿" before the first header.
    encodings = (UTF8_BOM,) if data.startswith(b"\xef\xbb\xbf") else (UTF8, WINDOWS_1252)
    for encoding in encodings:
        try:
            return DecodedText(source, data.decode(encoding), encoding)
        except UnicodeDecodeError:
            continue
    raise UserTextError(source, f"not text in {' or '.join(_ENCODING_NAMES[e].split()[0] for e in encodings)}; "
                                f"{save_as}")


def read_user_file(path: str | Path, *, save_as: str = SAVE_AS_CSV) -> DecodedText:
    """A user's text file, decoded as :func:`decode_user_bytes` does.

    Raises:
        UserTextError: the file is missing, a folder, cannot be read (on
            Windows, often because Excel has it open), or is not text.
    """
    source = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise UserTextError(source, "no such file") from None
    except IsADirectoryError:
        raise UserTextError(source, "is a folder, not a file") from None
    except PermissionError:
        raise UserTextError(source, "cannot be read: permission denied (if it is open in Excel, close it)") from None
    except OSError as exc:
        raise UserTextError(source, f"cannot be read ({exc.strerror or exc})") from None
    return decode_user_bytes(data, source, save_as=save_as)


# Public API: header matching.


@dataclass(frozen=True)
class Field:
    """A column a CSV must (or may) have.

    Attributes:
        name: the key rows use (``pay_bill``).
        spellings: the accepted headers as a person would write them, the
            first being the name messages use ("PayBill"). Each is compared
            after :func:`fold_header`, so "Pay Bill (£)", "pay_bill" and
            "Pay bill GBP" are all "PayBill"; list only real alternatives.
        required: whether a file without the column is refused.
    """

    name: str
    spellings: tuple[str, ...]
    required: bool = True

    @property
    def label(self) -> str:
        return self.spellings[0]


SCHOOLS_CSV_FIELDS = (
    # Get Information About Schools (GIAS) downloads name the columns URN, EstablishmentName
    # and TypeOfEstablishment (name), and are Windows-1252: they load as they are.
    Field("urn", ("URN", "Unique reference number", "School URN")),
    Field("name", ("School", "School name", "Name", "Establishment name")),
    Field("type", ("Type", "School type", "Establishment type", "Type of establishment",
                   "TypeOfEstablishment (name)")),
    Field("pay_bill", ("PayBill", "Annual pay bill", "Total pay bill", "School pay bill"), required=False),
    Field("headcount", ("Headcount", "Staff", "Staff headcount", "Number of staff", "Staff count", "Employees"),
          required=False),
)

STANDARDS_CSV_FIELDS = (
    Field("reference", ("Reference", "Reference number", "Ref", "Standard reference", "Standard")),
    Field("title", ("Title", "Name", "Standard name", "Standard title")),
    Field("level", ("Level",)),
    Field("max_funding", ("Max funding", "Maximum funding", "Funding band maximum", "Band max", "Funding band")),
    Field("typical_duration_months", ("Typical duration", "Duration"), required=False),
)

# Words a header may end with that name a unit, not the column ("Pay bill in pounds").
_UNIT_WORDS = ("gbp", "pounds", "sterling", "months", "mths", "in")


def fold_header(text: str, *, keep_brackets: bool = False) -> str:
    """A header reduced to what identifies it: letters and digits, lower case,
    without currency signs, a trailing unit (``GBP``, ``in pounds``, ``months``,
    ``in £``) or, unless ``keep_brackets``, anything in brackets.

    Example:
        >>> {fold_header(h) for h in ("Pay Bill (£)", "PayBill", "pay_bill", "Pay bill GBP", "Pay bill in £")}
        {'paybill'}
        >>> fold_header("TypeOfEstablishment (name)"), fold_header("TypeOfEstablishment (name)", keep_brackets=True)
        ('typeofestablishment', 'typeofestablishmentname')
        >>> fold_header("Staff (FTE)")
        'stafffte'
    """
    text = text.casefold()
    if not keep_brackets:
        # "(FTE)" stays: full-time equivalents are not a headcount, so "Staff (FTE)" must not match "Staff"
        text = re.sub(r"\([^)]*\)|\[[^]]*\]",
                      lambda m: " fte " if {"fte", "equivalent"} & set(re.findall(r"\w+", m[0])) else " ", text)
    words = re.findall(r"[^\W_]+", text)  # letters and digits; £, $, €, punctuation and spaces drop out
    while words and words[-1] in _UNIT_WORDS:
        words.pop()
    return "".join(words)


def match_header(header: Sequence[str], fields: Sequence[Field], *, source: str, line: int = 1) -> dict[str, int]:
    """Which column holds each field: ``{field name: column index}``.

    A header matches a field when its :func:`fold_header` equals a spelling's,
    first comparing with bracketed text kept (so "TypeOfEstablishment (name)"
    beats "TypeOfEstablishment (code)"), then without. A column serves one field.

    Raises:
        UserTextError: at ``line``: required fields missing (each with its
            accepted spellings, and the header as found), or two columns that
            both match one field.

    Example:
        >>> match_header(["School Name", "URN", "School type", "Head count", "Pay Bill (£)"], SCHOOLS_CSV_FIELDS,
        ...              source="schools.csv")
        {'urn': 1, 'name': 0, 'type': 2, 'pay_bill': 4, 'headcount': 3}
    """
    cells = [cell.strip() for cell in header]
    claimed: set[int] = set()
    columns: dict[str, int] = {}
    for wanted in fields:
        for keep in (True, False):
            spellings = {fold_header(s, keep_brackets=keep) for s in wanted.spellings}
            found = [i for i, cell in enumerate(cells)
                     if i not in claimed and cell and fold_header(cell, keep_brackets=keep) in spellings]
            if len(found) > 1:
                names = ", ".join(repr(cells[i]) for i in found)
                raise UserTextError(source, f"columns {names} could each be {wanted.label}; rename or remove "
                                            "all but one", line=line)
            if found:
                columns[wanted.name] = found[0]
                claimed.add(found[0])
                break
    missing = [wanted for wanted in fields if wanted.required and wanted.name not in columns]
    if missing:
        needs = "; ".join(f"{w.label} (accepted: {', '.join(w.spellings)})" for w in missing)
        shown = [cell or "(blank)" for cell in cells[:_MAX_HEADER_CELLS_SHOWN]]
        more = f" and {len(cells) - len(shown)} more" if len(cells) > len(shown) else ""
        raise UserTextError(source, f"missing column{'s' if len(missing) > 1 else ''} {needs}; found: "
                                    f"{', '.join(shown)}{more}", line=line)
    return columns


# Public API: CSV tables.


@dataclass(frozen=True)
class UserRow:
    """One data row of a user's CSV.

    Attributes:
        line: the line of the file the row starts on (the header is usually line 1).
        values: each wanted field's cell, trimmed; '' when blank, when the row
            is short, or when an optional column is absent.
        extra: the non-blank cells beyond the header's last column (a sign of
            an unquoted comma, as in 1,250).
    """

    line: int
    values: Mapping[str, str]
    extra: tuple[str, ...] = ()

    def __getitem__(self, name: str) -> str:
        return self.values[name]


@dataclass(frozen=True)
class UserTable:
    """A user's CSV, read and matched to the fields asked for.

    Attributes:
        source: the file as the user named it.
        encoding: as in :class:`DecodedText`.
        delimiter: ``,``, ``;`` or a tab.
        header_line: the header's line (after any comment lines and Excel's ``sep=`` line).
        header: the header's cells as found.
        columns: ``{field name: column index}`` for the fields present.
        rows: the data rows, blank ones left out.
    """

    source: str
    encoding: str
    delimiter: str
    header_line: int
    header: tuple[str, ...]
    columns: Mapping[str, int]
    rows: tuple[UserRow, ...] = field(default_factory=tuple)

    @property
    def decimal_comma(self) -> bool:
        """Whether numbers use a decimal comma: Excel separates with semicolons exactly where they do."""
        return self.delimiter == ";"

    def number(self, text: str) -> str:
        """A number cell as a point-decimal text: ``1.250.000,50`` is ``1250000.50`` in a semicolon file.

        Example:
            >>> table = UserTable("s.csv", "utf-8", ";", 1, ("PayBill",), {"pay_bill": 0})
            >>> table.number("£1.250.000,50"), table.number("980000")
            ('£1250000.50', '980000')
        """
        return text.replace(".", "").replace(",", ".") if self.decimal_comma and "," in text else text

    def parse_rows(self, parse: Callable[[UserRow], T]) -> list[T]:
        """``parse`` applied to every row, or every bad row reported at once.

        ``parse`` raises ValueError with a short reason for a bad row; a row
        with cells beyond the header is bad before ``parse`` sees it.

        Raises:
            UserRowsError: one error per bad row, each with its line.

        Example:
            >>> def urn(row):
            ...     if not row["urn"].isdigit():
            ...         raise ValueError(f"URN {row['urn']!r} is not a number like 100001")
            ...     return int(row["urn"])
            >>> text = "URN,School,Type\\n1,A,x\\nB,C,y\\n4,D,z,5\\n"
            >>> parse_user_csv(DecodedText("s.csv", text, "utf-8"), SCHOOLS_CSV_FIELDS).parse_rows(urn)
            Traceback (most recent call last):
            ...
            lga_xl.usertext.UserRowsError: s.csv: 2 bad rows
              line 3: URN 'B' is not a number like 100001
              line 4: 4 values but the header has 3 columns (is there a comma inside a value? quote that value)
        """
        results, errors = [], []
        for row in self.rows:
            try:
                if row.extra:
                    raise ValueError(
                        f"{len(self.header) + len(row.extra)} values but the header has {len(self.header)} "
                        f"columns (is there a comma inside a value? quote that value)")
                results.append(parse(row))
            except ValueError as exc:
                errors.append(UserTextError(self.source, str(exc), line=row.line))
        if errors:
            raise UserRowsError(self.source, errors)
        return results


def parse_user_csv(decoded: DecodedText, fields: Sequence[Field]) -> UserTable:
    """A decoded CSV as a :class:`UserTable` of the ``fields`` asked for.

    Lines that start with ``#`` before the header are comments, and a first
    line ``sep=;`` (which Excel writes and reads) names the delimiter;
    otherwise the delimiter is the one of ``,``, ``;`` and tab found most
    often outside quotes in the header line.

    Raises:
        UserTextError: the file is empty, the header lacks a field, or the CSV
            is malformed (a quote never closed), with the line.

    Example:
        >>> text = "sep=;\\n\\nURN;School;Type;PayBill\\n\\n100001;\\"Ash; Oak\\";Community;\\"1,250\\"\\n;;;\\n"
        >>> table = parse_user_csv(DecodedText("schools.csv", text, "utf-8"), SCHOOLS_CSV_FIELDS)
        >>> table.header_line, [(row.line, dict(row.values)) for row in table.rows]
        (3, [(5, {'urn': '100001', 'name': 'Ash; Oak', 'type': 'Community', 'pay_bill': '1,250', 'headcount': ''})])
    """
    source, text = decoded.source, decoded.text
    lines = _split_lines(text)
    first, delimiter = 0, None
    sep = re.fullmatch(r"\s*sep=(.)\s*", lines[0]) if lines else None
    if sep and sep.group(1) in DELIMITERS:
        first, delimiter = 1, sep.group(1)
    while first < len(lines) and (not lines[first].strip() or lines[first].lstrip().startswith("#")):
        first += 1
    if first == len(lines):
        raise UserTextError(source, "the file is empty; its first line must name the columns "
                                    f"{', '.join(f.label for f in fields if f.required)}")
    body = "".join(lines[first:])
    delimiter = delimiter or _header_delimiter(body)
    records = _records(body, delimiter, source, offset=first)
    header_line, header = next(records)
    columns = match_header(header, fields, source=source, line=header_line)
    rows = []
    for line, cells in records:
        if not any(cell.strip() for cell in cells):
            continue  # a blank line, or Excel's ",,,," for an empty row
        values = {}
        for wanted in fields:
            index = columns.get(wanted.name)
            values[wanted.name] = cells[index].strip() if index is not None and index < len(cells) else ""
        extra = tuple(cell for cell in cells[len(header):] if cell.strip())
        rows.append(UserRow(line, values, extra))
    return UserTable(source, decoded.encoding, delimiter, header_line, tuple(header), columns, tuple(rows))


def read_user_csv(path: str | Path, fields: Sequence[Field], *, save_as: str = SAVE_AS_CSV) -> UserTable:
    """A user's CSV file, read with :func:`read_user_file` and :func:`parse_user_csv`.

    Example:
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "schools.csv"
        >>> _ = path.write_bytes("URN,Name,Type,Pay bill (£)\\r\\n100001,Ash,Community,£1,250\\r\\n".encode("cp1252"))
        >>> table = read_user_csv(path, SCHOOLS_CSV_FIELDS)
        >>> table.encoding, table.rows[0].values["pay_bill"], table.rows[0].extra
        ('cp1252', '£1', ('250',))
    """
    return parse_user_csv(read_user_file(path, save_as=save_as), fields)


# Public API: JSON or CSV.


@dataclass(frozen=True)
class UserJson:
    """A user's JSON file: ``data`` as ``json.loads`` gives it."""

    source: str
    encoding: str
    data: Any


def read_json_or_csv(path: str | Path, fields: Sequence[Field], *,
                     save_as: str = "save it as CSV UTF-8 or JSON") -> UserJson | UserTable:
    """A user's file that may be JSON or CSV, told apart by its content.

    JSON starts with ``[`` or ``{``, so a misnamed file still loads.

    Raises:
        UserTextError: as :func:`read_user_csv`, or JSON that is not valid,
            with its line and what seems wrong.

    Example:
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "standards.json"
        >>> _ = path.write_text('[{"referenceNumber": "ST0072"},\\n {"title": Engineer}]')
        >>> try:
        ...     read_json_or_csv(path, STANDARDS_CSV_FIELDS)
        ... except UserTextError as exc:
        ...     print(exc.line, exc.reason)
        2 not valid JSON at character 12: a value is missing or misspelt (text needs double quotes)
    """
    decoded = read_user_file(path, save_as=save_as)
    if not decoded.text.lstrip().startswith(("[", "{")):
        return parse_user_csv(decoded, fields)
    try:
        data = json.loads(decoded.text)
    except json.JSONDecodeError as exc:
        raise UserTextError(decoded.source, json_error(exc), line=exc.lineno) from None
    return UserJson(decoded.source, decoded.encoding, data)


def json_error(exc: json.JSONDecodeError) -> str:
    """What is wrong with a user's JSON, in plain words, without the line (the caller names it).

    Example:
        >>> try:
        ...     json.loads('[{"title": "A"}, ]')
        ... except json.JSONDecodeError as exc:
        ...     print(json_error(exc))
        not valid JSON at character 18: a value is missing or misspelt (text needs double quotes)
    """
    reason = next((plain for python, plain in _JSON_REASONS if exc.msg.startswith(python)), "")
    return f"not valid JSON at character {exc.colno}{f': {reason}' if reason else ''}"


# Python's JSON messages, in plain words.
_JSON_REASONS = (
    ("Expecting value", "a value is missing or misspelt (text needs double quotes)"),
    ("Expecting ',' delimiter", "a comma is missing"),
    ("Expecting ':' delimiter", "a colon is missing"),
    ("Expecting property name enclosed in double quotes",
     "a name is not in double quotes, or a comma is left before a closing bracket"),
    ("Unterminated string", "a text in double quotes is never closed"),
    ("Invalid control character", "a line break or tab inside double quotes"),
    ("Extra data", "there is more after the end of the JSON"),
)


# Public API: cell values.


def money_text(text: str, what: str) -> Decimal | None:
    """An amount typed in a CSV cell (``£1,250.00``, `` 1 250 ``); None when blank.

    Raises ValueError naming ``what`` for text that is not an amount of 0 or more.

    LEAD: replace with lga_xl.cells' money parser when it exists; until then
    this reuses the standards list's, so both read amounts alike.  (Imported
    here, not at the top, so that standards.py may import this module.)

    Example:
        >>> money_text("£1,250.00", "PayBill"), money_text(" 1 250 ", "PayBill"), money_text(" ", "PayBill")
        (Decimal('1250.00'), Decimal('1250'), None)
    """
    from .standards import _amount

    return _amount(text, what) if text.strip() else None


# Private API.


def _split_lines(text: str) -> list[str]:
    """Lines with their endings, split at \\r\\n, \\r or \\n only (as csv does)."""
    return re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)


def _header_delimiter(body: str) -> str:
    """The delimiter found most often outside quotes in the first record of ``body``."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in body:
        if char == '"':
            quoted = not quoted  # a doubled quote "" toggles twice: no change
        elif not quoted and char in "\r\n":
            break
        elif not quoted and char in counts:
            counts[char] += 1
    return max(DELIMITERS, key=lambda d: counts[d])  # max keeps the first of equals: comma


def _records(body: str, delimiter: str, source: str, offset: int) -> Iterator[tuple[int, list[str]]]:
    """``(line, cells)`` for each record of ``body``, which starts on line ``offset + 1``."""
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter, strict=True)
    line = offset + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "end of data" in str(exc):
                reason = 'a quote (") opened on this line is never closed'
            else:
                reason = ('a value in quotes is followed by more text; quote the whole value and double any quote '
                          'inside it ("")')
            raise UserTextError(source, reason, line=line) from None
        yield line, cells
        line = offset + reader.line_num + 1
