"""Static checks for the checklist in docs/excel-compatibility.md and the house style (docs/house-style.md).

No Excel runs in the tests, so the things that make Excel repair or
mishandle a workbook, and the things that make it read or print badly, are
checked by reading the package's XML parts:

    problems = check_xlsx(path, input_sheets=("Cover", "Assessment"), house_style=True, kinds={"Plan!B10": "money"})
    assert problems == []

Each problem is one readable line naming the part and the thing, e.g.
``xl/tables/table1.xml: header cell Assessment!E4 'Statu' != column name 'Status'``.
``cell_errors`` covers item 7 on a workbook LibreOffice has recalculated.

Two groups of rules: the compatibility rules (what makes Excel repair a
file or show ``#NAME?``) and, with ``house_style=True``, the house
style's (every font named; every validation with a prompt and a stop alert;
every visible sheet set to print A4 one page wide with a print area, an
orientation, a footer and its table's header repeated; no filter buttons on
protected sheets; straight lines; chart data cached; plain-English table
headings; only the house number formats, £ on money and % on percentages;
no number stored as text).  ``kinds`` maps cell ranges (``Sheet!A5:A9``) to
the value kind their contract gives them (money, percent, text, ...).

ElementTree is fine here: this is test code reading our own output.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from openpyxl.styles.numbers import BUILTIN_FORMATS
from openpyxl.utils.cell import column_index_from_string, get_column_letter, range_boundaries

from lga_xl.writers import style

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CHART = "http://schemas.openxmlformats.org/drawingml/2006/chart"
NS = {"m": MAIN, "pr": PKG_REL, "c": CHART}
R_ID = f"{{{DOC_REL}}}id"

ALLOWED_FUNCTIONS = frozenset({
    # The list in docs/excel-compatibility.md.
    "IF", "IFERROR", "AND", "OR", "NOT", "COUNTIF", "COUNTIFS", "SUMIF", "SUMIFS", "SUMPRODUCT",
    "COUNTA", "COUNTBLANK", "INDEX", "MATCH", "VLOOKUP", "CHOOSE", "MIN", "MAX", "ROUND", "ROUNDUP",
    "EDATE", "EOMONTH", "DATE", "YEAR", "MONTH", "TEXT",
    # Basics that Excel 2010 and LibreOffice 7.4 both have.
    "SUM", "ABS", "ISNUMBER", "ISBLANK", "ROUNDDOWN", "DAY", "COUNT", "AVERAGE",
    # Text that Excel 2010 and LibreOffice 7.4 read alike: a dropdown's reference, a number typed as text.
    "LEFT", "FIND", "TRIM", "SUBSTITUTE", "VALUE",
})
# Named separately so the message can say why: these give #NAME? in Excel 2010 and LibreOffice 7.4.
POST_2010_FUNCTIONS = frozenset({
    "XLOOKUP", "LET", "LAMBDA", "FILTER", "SORT", "SORTBY", "UNIQUE", "TEXTJOIN", "IFS", "SWITCH",
    "MAXIFS", "MINIFS", "CONCAT", "SEQUENCE", "XMATCH",
})
FUTURE_PREFIX = re.compile(r"(_xlfn\.|_xlws\.)+", re.IGNORECASE)

MAX_SHEET_NAME = 31
SHEET_NAME_FORBIDDEN = set("[]:*?/\\")
MAX_CELL_TEXT = 32_767
MAX_FORMULA = 8_192
MAX_INLINE_LIST = 255
MAX_COLUMN = column_index_from_string("XFD")
MAX_ROW = 1_048_576
RECALC_ERRORS = frozenset({"#NAME?", "#REF!", "#VALUE!"})

NAME_SYNTAX = re.compile(r"(?:[^\W\d]|\\)[\w.]*\Z")  # [^\W\d] is a letter or "_"
A1_REFERENCE = re.compile(r"([A-Za-z]{1,3})(\d+)\Z")
R1C1_REFERENCE = re.compile(r"(?:R\d*)?(?:C\d*)?\Z", re.IGNORECASE)

# One left-to-right pass so a quote inside a string cannot start a sheet name and vice versa.
STRING_LITERAL = r'"(?:[^"]|"")*"'
QUOTED_SHEET = r"'(?:[^']|'')*'"
BRACKETS = r"\[(?:[^\[\]]|\[[^\[\]]*\])*\]"  # structured refs nest one level: T[[#This Row],[Col]]
QUOTED = re.compile(f"{STRING_LITERAL}|{QUOTED_SHEET}")
QUOTED_OR_BRACKETED = re.compile(f"{STRING_LITERAL}|{QUOTED_SHEET}|{BRACKETS}")
FUNCTION_CALL = re.compile(r"(?<![\w.])([A-Za-z_][\w.]*)\(")


# The number formats of the house style; anything else is a format of its own (a fourth percentage style...).
HOUSE_FORMATS = frozenset({"General", "@", style.MONEY, style.MONEY_WHOLE, style.PERCENT, style.DATE, style.MONTH,
                           style.COUNT, style.SCORE, style.RATIO})
# Text that is a number to a reader: 12, 1,250, -3.5, £1,234.50, 25%.
NUMBER_AS_TEXT = re.compile(r"\s*[-+]?£?\s*(\d{1,3}(,\d{3})+|\d+)(\.\d+)?\s*%?\s*\Z")


def check_xlsx(path: str | Path, input_sheets: Iterable[str] = (), *, kinds: dict[str, str] | None = None,
               house_style: bool = False) -> list[str]:
    """Every checklist violation in the workbook at ``path``; [] when clean.

    ``input_sheets`` names the sheets an officer types into: when protected
    and visible they must have at least one unlocked cell.  With
    ``house_style`` the house style's rules are checked too, and ``kinds``
    maps ranges to value kinds (money cells need a £ format, percentages a
    % format, and text there may look like a number: a URN).
    """
    book, problems = _open(path)
    if book is None:
        return problems
    with book.zip:
        for check in (_sheet_names, _cell_texts, _tables, _names, _formulas, _validations, _charts):
            problems += check(book)
        problems += _protection(book, frozenset(input_sheets))
        if house_style:
            for check in (_fonts, _prompts, _printing, _filters, _lines_and_caches, _headings):
                problems += check(book)
            problems += _number_formats(book, _ranges(kinds or {}))
    return problems


def cell_errors(path: str | Path) -> list[str]:
    """Cells whose cached value is #NAME?, #REF! or #VALUE!, as ``Sheet!A1: #NAME?``.

    Only meaningful on a workbook a spreadsheet engine has recalculated.
    """
    book, problems = _open(path)
    if book is None:
        return problems
    with book.zip:
        return [
            f"{sheet.name}!{cell.get('r')}: {value}"
            for sheet in book.worksheets
            for cell in sheet.cells
            if (value := _cached_value(book, cell)) in RECALC_ERRORS
        ]


# --- the package ------------------------------------------------------------------------------


@dataclass
class _Sheet:
    name: str
    state: str
    part: str
    root: ET.Element
    rels: dict[str, str]

    @cached_property
    def cells(self) -> list[ET.Element]:
        return self.root.findall("m:sheetData/m:row/m:c", NS)

    @cached_property
    def cell_by_ref(self) -> dict[str, ET.Element]:
        return {cell.get("r"): cell for cell in self.cells}

    @property
    def visible(self) -> bool:
        return self.state == "visible"


@dataclass
class _Table:
    part: str
    sheet: _Sheet
    root: ET.Element

    @property
    def name(self) -> str:
        return self.root.get("displayName", "")

    @property
    def ref(self) -> str:
        return self.root.get("ref", "")

    @property
    def column_names(self) -> list[str]:
        return [column.get("name", "") for column in self.root.findall("m:tableColumns/m:tableColumn", NS)]


@dataclass
class _Book:
    zip: zipfile.ZipFile
    workbook_part: str
    workbook: ET.Element
    worksheets: list[_Sheet] = field(default_factory=list)
    shared_strings_part: str = ""
    shared_strings: list[str] = field(default_factory=list)
    unlocked_styles: frozenset[int] = frozenset()
    styles_part: str = ""
    styles: ET.Element | None = None

    @cached_property
    def number_formats(self) -> list[str]:
        """The number format of each cell style (cellXfs), by index."""
        if self.styles is None:
            return []
        custom = {int(f.get("numFmtId")): f.get("formatCode", "") for f in self.styles.findall("m:numFmts/m:numFmt", NS)}
        return [custom.get(int(xf.get("numFmtId", "0")), BUILTIN_FORMATS.get(int(xf.get("numFmtId", "0")), "?"))
                for xf in self.styles.findall("m:cellXfs/m:xf", NS)]

    def sheet_index(self, sheet: _Sheet) -> int:
        """The sheet's position among all sheets (a defined name's localSheetId)."""
        return self.sheet_names.index(sheet.name)

    def builtin_name(self, name: str, sheet: _Sheet) -> str | None:
        """The text of a sheet's built-in defined name (``Print_Area``, ``Print_Titles``), or None."""
        local = str(self.sheet_index(sheet))
        for element in self.defined_names:
            if element.get("name") == f"_xlnm.{name}" and element.get("localSheetId") == local:
                return element.text or ""
        return None

    @property
    def sheet_names(self) -> list[str]:
        # Chart sheets count too: they share the names' rules.
        return [sheet.get("name", "") for sheet in self.workbook.findall("m:sheets/m:sheet", NS)]

    @property
    def defined_names(self) -> list[ET.Element]:
        return self.workbook.findall("m:definedNames/m:definedName", NS)

    @cached_property
    def tables(self) -> list[_Table]:
        tables = []
        for sheet in self.worksheets:
            for part_ref in sheet.root.findall("m:tableParts/m:tablePart", NS):
                part = sheet.rels[part_ref.get(R_ID)]
                tables.append(_Table(part, sheet, _parse(self.zip, part)))
        return tables


def _open(path: str | Path) -> tuple[_Book | None, list[str]]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        return None, [f"{path}: not a valid zip file ({error})"]
    if "[Content_Types].xml" not in archive.namelist():
        archive.close()
        return None, [f"{path}: no [Content_Types].xml part"]
    return _load(archive), []


def _load(archive: zipfile.ZipFile) -> _Book:
    workbook_part = _relationships(archive, "")[_only_of_type(archive, "", "officeDocument")]
    workbook = _parse(archive, workbook_part)
    book = _Book(archive, workbook_part, workbook)
    workbook_rels = _relationships(archive, workbook_part)
    worksheet_rids = set(_rids_of_type(archive, workbook_part, "worksheet"))
    for sheet in workbook.findall("m:sheets/m:sheet", NS):
        rid = sheet.get(R_ID)
        if rid in worksheet_rids:
            part = workbook_rels[rid]
            book.worksheets.append(
                _Sheet(sheet.get("name", ""), sheet.get("state", "visible"), part, _parse(archive, part),
                       _relationships(archive, part))
            )
    for rid in _rids_of_type(archive, workbook_part, "sharedStrings"):
        book.shared_strings_part = workbook_rels[rid]
        strings = _parse(archive, book.shared_strings_part)
        book.shared_strings = [_text_of(item) for item in strings.findall("m:si", NS)]
    for rid in _rids_of_type(archive, workbook_part, "styles"):
        book.styles_part = workbook_rels[rid]
        book.styles = _parse(archive, book.styles_part)
        book.unlocked_styles = _unlocked_styles(book.styles)
    return book


def _parse(archive: zipfile.ZipFile, part: str) -> ET.Element:
    return ET.fromstring(archive.read(part))


def _rels_part(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _relationship_elements(archive: zipfile.ZipFile, part: str) -> list[ET.Element]:
    rels = _rels_part(part)
    if rels not in archive.namelist():
        return []
    return [rel for rel in _parse(archive, rels).findall("pr:Relationship", NS) if rel.get("TargetMode") != "External"]


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, str]:
    """rId -> target part name; openpyxl writes absolute targets, XlsxWriter relative ones."""
    folder = posixpath.dirname(part)
    resolved = {}
    for rel in _relationship_elements(archive, part):
        target = rel.get("Target", "")
        joined = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        resolved[rel.get("Id")] = posixpath.normpath(joined)
    return resolved


def _rids_of_type(archive: zipfile.ZipFile, part: str, kind: str) -> list[str]:
    return [rel.get("Id") for rel in _relationship_elements(archive, part) if rel.get("Type", "").endswith("/" + kind)]


def _only_of_type(archive: zipfile.ZipFile, part: str, kind: str) -> str:
    (rid,) = _rids_of_type(archive, part, kind)
    return rid


def _text_of(string_item: ET.Element) -> str:
    """Text of an <si> or <is>: one <t>, or rich-text runs <r><t> (phonetic <rPh> hints are not text)."""
    runs = string_item.findall("m:t", NS) + string_item.findall("m:r/m:t", NS)
    return "".join(t.text or "" for t in runs)


def _unlocked_styles(styles: ET.Element) -> frozenset[int]:
    return frozenset(
        index
        for index, xf in enumerate(styles.findall("m:cellXfs/m:xf", NS))
        if (protection := xf.find("m:protection", NS)) is not None and _is_false(protection.get("locked"))
    )


def _is_true(value: str | None) -> bool:
    return value in ("1", "true")


def _is_false(value: str | None) -> bool:
    return value in ("0", "false")


def _cell_string(book: _Book, cell: ET.Element) -> str | None:
    """The cell's text if it holds a text constant (shared or inline string), else None."""
    kind = cell.get("t")
    if kind == "inlineStr":
        inline = cell.find("m:is", NS)
        return "" if inline is None else _text_of(inline)
    if kind == "s":
        value = cell.findtext("m:v", default="", namespaces=NS)
        return book.shared_strings[int(value)] if value.isdigit() and int(value) < len(book.shared_strings) else None
    return None


def _cached_value(book: _Book, cell: ET.Element) -> str | None:
    text = _cell_string(book, cell)
    return text if text is not None else cell.findtext("m:v", namespaces=NS)


def _bounds(ref: str) -> tuple[int, int, int, int] | None:
    """(min_col, min_row, max_col, max_row), or None for a reference that is not a cell range."""
    try:
        bounds = range_boundaries(ref)
    except (ValueError, TypeError):
        return None
    return None if None in bounds else bounds


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


# --- general: sheet names, cell text ----------------------------------------------------------


def _sheet_names(book: _Book) -> list[str]:
    problems = []
    for name in book.sheet_names:
        if not 1 <= len(name) <= MAX_SHEET_NAME:
            problems.append(f"{book.workbook_part}: sheet name {name!r} has {len(name)} characters "
                            f"(1 to {MAX_SHEET_NAME})")
        if bad := sorted(SHEET_NAME_FORBIDDEN & set(name)):
            problems.append(f"{book.workbook_part}: sheet name {name!r} contains {''.join(bad)!r}")
    return problems


def _cell_texts(book: _Book) -> list[str]:
    problems = [
        f"{book.shared_strings_part}: string #{index} has {len(text)} characters (limit {MAX_CELL_TEXT:,})"
        for index, text in enumerate(book.shared_strings)
        if len(text) > MAX_CELL_TEXT
    ]
    for sheet in book.worksheets:
        for cell in sheet.cells:
            if cell.get("t") == "inlineStr" and len(text := _cell_string(book, cell)) > MAX_CELL_TEXT:
                problems.append(f"{sheet.part}: cell {sheet.name}!{cell.get('r')} has {len(text)} characters "
                                f"(limit {MAX_CELL_TEXT:,})")
    return problems


# --- 1. tables --------------------------------------------------------------------------------


def _tables(book: _Book) -> list[str]:
    problems = []
    for index, table in enumerate(book.tables):
        problems += _table_shape(table)
        problems += _table_header(book, table)
        problems += _table_overlaps(table, book.tables[index + 1:])
    return problems


def _table_shape(table: _Table) -> list[str]:
    where = f"{table.part}: table {table.name!r}"
    bounds = _bounds(table.ref)
    if bounds is None:
        return [f"{where} has an invalid ref {table.ref!r}"]
    problems = []
    min_col, min_row, max_col, max_row = bounds
    if max_row - min_row + 1 < 2:
        problems.append(f"{where} ref {table.ref} has no data row")
    if int(table.root.get("totalsRowCount", "0")) > 0:
        problems.append(f"{where} has a totals row (put totals below the table)")
    if table.root.get("headerRowCount", "1") == "0":
        problems.append(f"{where} has no header row")
    if len(table.column_names) != max_col - min_col + 1:
        problems.append(f"{where} has {len(table.column_names)} columns but ref {table.ref} spans "
                        f"{max_col - min_col + 1}")
    seen: dict[str, str] = {}
    for name in table.column_names:
        if name.lower() in seen:
            problems.append(f"{where} column names {seen[name.lower()]!r} and {name!r} clash ignoring case")
        seen.setdefault(name.lower(), name)
    return problems


def _table_header(book: _Book, table: _Table) -> list[str]:
    bounds = _bounds(table.ref)
    if bounds is None or table.root.get("headerRowCount", "1") == "0":
        return []
    min_col, min_row, max_col, _ = bounds
    problems = []
    for col, name in zip(range(min_col, max_col + 1), table.column_names):
        ref = f"{get_column_letter(col)}{min_row}"
        cell = table.sheet.cell_by_ref.get(ref)
        text = None if cell is None else _cell_string(book, cell)
        where = f"{table.part}: header cell {table.sheet.name}!{ref}"
        if not text:
            problems.append(f"{where} is not a non-empty text (column name {name!r})")
        elif text != name:
            problems.append(f"{where} {text!r} != column name {name!r}")
    return problems


def _table_overlaps(table: _Table, later: list[_Table]) -> list[str]:
    """Overlaps with merged cells, and with the tables listed after this one (so each pair is reported once)."""
    bounds = _bounds(table.ref)
    if bounds is None:
        return []
    problems = []
    for other in later:
        if other.sheet is table.sheet and (other_bounds := _bounds(other.ref)) and _overlap(bounds, other_bounds):
            problems.append(f"{table.part}: table {table.name!r} ({table.ref}) overlaps table {other.name!r} "
                            f"({other.ref}) on {table.sheet.name}")
    for merged in table.sheet.root.findall("m:mergeCells/m:mergeCell", NS):
        if (merged_bounds := _bounds(merged.get("ref", ""))) and _overlap(bounds, merged_bounds):
            problems.append(f"{table.part}: table {table.name!r} ({table.ref}) overlaps merged cells "
                            f"{table.sheet.name}!{merged.get('ref')}")
    return problems


# --- 2. names ---------------------------------------------------------------------------------


@dataclass
class _Name:
    part: str
    kind: str
    name: str
    scope: str  # "table", or a defined name's localSheetId ("workbook" when global)

    def __str__(self) -> str:
        return f"{self.kind} {self.name!r}"


def _names(book: _Book) -> list[str]:
    named = [_Name(table.part, "table name", table.name, "table") for table in book.tables]
    named += [
        _Name(book.workbook_part, "defined name", element.get("name", ""), element.get("localSheetId", "workbook"))
        for element in book.defined_names
        if not element.get("name", "").lower().startswith("_xlnm.")  # built-ins such as _xlnm.Print_Area
    ]
    problems = [f"{entry.part}: {entry} {reason}" for entry in named if (reason := _name_problem(entry.name))]
    problems += _name_clashes(named)
    return problems


def _name_problem(name: str) -> str | None:
    if not NAME_SYNTAX.match(name):
        return "must start with a letter, '_' or '\\' and continue with letters, digits, '_' or '.'"
    if name.upper() in ("TRUE", "FALSE"):
        return "is a boolean"
    if _is_a1_reference(name):
        return "is an A1 cell reference"
    if R1C1_REFERENCE.match(name):
        return "is an R1C1 cell reference"
    return None


def _is_a1_reference(name: str) -> bool:
    match = A1_REFERENCE.match(name)
    return bool(match) and column_index_from_string(match[1].upper()) <= MAX_COLUMN and 1 <= int(match[2]) <= MAX_ROW


def _name_clashes(named: list[_Name]) -> list[str]:
    """A table name clashes with any other name; defined names only within one scope."""
    problems = []
    for i, first in enumerate(named):
        for second in named[i + 1:]:
            same_scope = first.scope == second.scope or "table" in (first.scope, second.scope)
            if same_scope and first.name.lower() == second.name.lower():
                problems.append(f"{first.part}: {first} clashes (ignoring case) with {second}")
    return problems


# --- 3. formulas ------------------------------------------------------------------------------


@dataclass
class _Formula:
    where: str
    text: str


def _all_formulas(book: _Book) -> Iterator[_Formula]:
    for element in book.defined_names:
        yield _Formula(f"{book.workbook_part}: defined name {element.get('name')!r}", element.text or "")
    for sheet in book.worksheets:
        for cell in sheet.cells:
            formula = cell.find("m:f", NS)
            if formula is not None and formula.text:  # shared-formula followers have no text
                yield _Formula(f"{sheet.part}: {sheet.name}!{cell.get('r')}", formula.text)
        for validation in sheet.root.findall("m:dataValidations/m:dataValidation", NS):
            for tag in ("formula1", "formula2"):
                if (text := validation.findtext(f"m:{tag}", namespaces=NS)) is not None:
                    yield _Formula(f"{sheet.part}: data validation {sheet.name}!{validation.get('sqref')} {tag}", text)
        for formatting in sheet.root.findall("m:conditionalFormatting", NS):
            for formula in formatting.findall("m:cfRule/m:formula", NS):
                yield _Formula(f"{sheet.part}: conditional format {sheet.name}!{formatting.get('sqref')}",
                               formula.text or "")


def _formulas(book: _Book) -> list[str]:
    return [
        f"{formula.where}: {problem}" for formula in _all_formulas(book) for problem in _formula_problems(formula.text)
    ]


def _formula_problems(text: str) -> list[str]:
    problems = []
    if len(text) > MAX_FORMULA:
        problems.append(f"formula has {len(text)} characters (limit {MAX_FORMULA:,})")
    if text.lstrip().startswith("="):
        problems.append("formula is stored with a leading '=' (Excel reads it as corrupt)")
    if "@" in QUOTED.sub("", text):
        problems.append(f"formula uses '@' (write Table[[#This Row],[Col]]): {text}")
    for name in _functions_called(text):
        if FUTURE_PREFIX.match(name) or name.upper() in POST_2010_FUNCTIONS:
            problems.append(f"post-2010 function {name} (#NAME? in Excel 2010 and LibreOffice 7.4)")
        elif name.upper() not in ALLOWED_FUNCTIONS:
            problems.append(f"function {name} is not in ALLOWED_FUNCTIONS")
    return problems


def _functions_called(text: str) -> list[str]:
    """Names written as NAME( outside string literals, quoted sheet names and structured refs."""
    return FUNCTION_CALL.findall(QUOTED_OR_BRACKETED.sub("", text))


# --- 4. data validation -----------------------------------------------------------------------


def _validations(book: _Book) -> list[str]:
    problems = []
    for sheet in book.worksheets:
        for validation in sheet.root.findall("m:dataValidations/m:dataValidation", NS):
            where = f"{sheet.part}: data validation {sheet.name}!{validation.get('sqref') or '(no cells)'}"
            problems += [f"{where} {problem}" for problem in _validation_problems(validation)]
    return problems


def _validation_problems(validation: ET.Element) -> list[str]:
    problems = []
    if not (validation.get("sqref") or "").strip():
        problems.append("applies to no cells (Excel calls the file corrupt)")
    kind = validation.get("type", "none")
    # A "none" validation only shows a prompt: there is nothing to reject.
    if kind != "none":
        if not _is_true(validation.get("showErrorMessage")):
            problems.append("has showErrorMessage off, so any typed value is accepted")
        if not validation.get("errorTitle") or not validation.get("error"):
            problems.append("needs an errorTitle and an error message")
    if _is_true(validation.get("showDropDown")):
        problems.append("has showDropDown=1, which HIDES the dropdown arrow")
    if kind == "list":
        problems += _list_source_problems(validation.findtext("m:formula1", default="", namespaces=NS))
    return problems


def _list_source_problems(formula: str) -> list[str]:
    if formula.startswith('"'):
        inner = formula[1:-1] if formula.endswith('"') else formula[1:]
        if len(inner) > MAX_INLINE_LIST:
            return [f"inline list has {len(inner)} characters (limit {MAX_INLINE_LIST}; use a named range)"]
        return []
    if "!" in QUOTED.sub("", formula):
        return [f"list {formula!r} refers to another sheet directly (go through a defined name)"]
    return []


# --- 5. charts --------------------------------------------------------------------------------

CHART_PART = re.compile(r"xl/charts/chart\d+\.xml\Z")
AXES = ("catAx", "valAx", "dateAx", "serAx")


def _charts(book: _Book) -> list[str]:
    problems = []
    for part in sorted(name for name in book.zip.namelist() if CHART_PART.match(name)):
        chart = _parse(book.zip, part)
        for kind in AXES:
            for axis in chart.iter(f"{{{CHART}}}{kind}"):
                delete = axis.find("c:delete", NS)
                # CT_Boolean's val defaults to true, so a bare <c:delete/> deletes the axis too.
                if delete is None or not _is_false(delete.get("val", "true")):
                    axis_id = axis.find("c:axId", NS).get("val")
                    problems.append(f"{part}: c:{kind} (axId {axis_id}) lacks <c:delete val=\"0\"/>; "
                                    "recent Excel draws no axis")
    return problems


# --- 6. protection ----------------------------------------------------------------------------


def _protection(book: _Book, input_sheets: frozenset[str]) -> list[str]:
    problems = [
        f"{book.workbook_part}: input sheet {name!r} does not exist"
        for name in sorted(input_sheets - {sheet.name for sheet in book.worksheets})
    ]
    for sheet in book.worksheets:
        protection = sheet.root.find("m:sheetProtection", NS)
        if protection is None or not _is_true(protection.get("sheet")):
            continue
        if sheet.root.find("m:drawing", NS) is not None and not _is_true(protection.get("objects")):
            problems.append(f"{sheet.part}: protected sheet {sheet.name!r} has a drawing but objects is not set, "
                            "so its charts and pictures can be moved and deleted")
        if sheet.name in input_sheets and sheet.visible and not _has_unlocked_cell(book, sheet):
            problems.append(f"{sheet.part}: protected input sheet {sheet.name!r} has no unlocked cell")
    return problems


def _has_unlocked_cell(book: _Book, sheet: _Sheet) -> bool:
    return any(int(cell.get("s", "0")) in book.unlocked_styles for cell in sheet.cells)


# --- 7. the house style: fonts, prompts, printing, filters, charts, headings, numbers --------------


def _fonts(book: _Book) -> list[str]:
    """Every font names its family: without one, LibreOffice falls back to a serif font."""
    if book.styles is None:
        return []
    return [f"{book.styles_part}: font #{index} has no name (it would print in a fallback serif font)"
            for index, font in enumerate(book.styles.findall("m:fonts/m:font", NS))
            if not (font.find("m:name", NS) is not None and font.find("m:name", NS).get("val"))]


def _prompts(book: _Book) -> list[str]:
    """Every validated cell says what to type when selected, and a wrong value is stopped, not warned about."""
    problems = []
    for sheet in book.worksheets:
        for validation in sheet.root.findall("m:dataValidations/m:dataValidation", NS):
            where = f"{sheet.part}: data validation {sheet.name}!{validation.get('sqref')}"
            if not _is_true(validation.get("showInputMessage")) or not validation.get("prompt"):
                problems.append(f"{where} has no input prompt saying what to type")
            if validation.get("type", "none") != "none" and validation.get("errorStyle", "stop") != "stop":
                problems.append(f"{where} has a {validation.get('errorStyle')!r} alert, not a stop alert")
    return problems


def _printing(book: _Book) -> list[str]:
    """Every visible sheet prints on A4, one page wide, with a print area, an orientation and a footer."""
    problems = []
    for sheet in book.worksheets:
        if not sheet.visible:
            continue
        where = f"{sheet.part}: sheet {sheet.name!r}"
        fit = sheet.root.find("m:sheetPr/m:pageSetUpPr", NS)
        setup = sheet.root.find("m:pageSetup", NS)
        if fit is None or not _is_true(fit.get("fitToPage")) or setup is None or \
                setup.get("fitToWidth", "1") != "1" or setup.get("fitToHeight", "1") != "0":
            problems.append(f"{where} is not set to fit one page wide (fitToPage, fitToWidth 1, fitToHeight 0)")
        if setup is None or setup.get("paperSize") != "9" or setup.get("orientation") not in ("portrait", "landscape"):
            problems.append(f"{where} is not set to A4 (paperSize 9) with an orientation")
        if not book.builtin_name("Print_Area", sheet):
            problems.append(f"{where} has no print area")
        footer = sheet.root.findtext("m:headerFooter/m:oddFooter", default="", namespaces=NS)
        if "&P" not in footer or "&N" not in footer:
            problems.append(f"{where} has no footer with the page number (Page &P of &N)")
        problems += _repeated_header(book, sheet, where)
    return problems


def _repeated_header(book: _Book, sheet: _Sheet, where: str) -> list[str]:
    """A sheet with one table prints the table's header row at the top of every page."""
    tables = [table for table in book.tables if table.sheet is sheet]
    if len(tables) != 1 or (bounds := _bounds(tables[0].ref)) is None:
        return []
    header_row = bounds[1]
    titles = book.builtin_name("Print_Titles", sheet) or ""
    rows = [(int(a), int(b)) for a, b in re.findall(r"\$(\d+):\$(\d+)", titles)]
    if not any(first <= header_row <= last for first, last in rows):
        return [f"{where} does not repeat its table's header row {header_row} on every printed page"]
    return []


def _filters(book: _Book) -> list[str]:
    """Filter buttons do nothing on a protected sheet: its tables have none."""
    return [f"{table.part}: table {table.name!r} on protected sheet {table.sheet.name!r} has filter buttons"
            for table in book.tables
            if table.root.find("m:autoFilter", NS) is not None
            and (protection := table.sheet.root.find("m:sheetProtection", NS)) is not None
            and _is_true(protection.get("sheet"))]


def _lines_and_caches(book: _Book) -> list[str]:
    """Line series are straight (smooth 0), and every series carries its data for previews."""
    problems = []
    for part in sorted(name for name in book.zip.namelist() if CHART_PART.match(name)):
        chart = _parse(book.zip, part)
        for kind in ("lineChart", "line3DChart", "scatterChart"):
            for plot in chart.iter(f"{{{CHART}}}{kind}"):
                for number, series in enumerate(plot.findall("c:ser", NS)):
                    smooth = series.find("c:smooth", NS)
                    if smooth is None or not _is_false(smooth.get("val", "true")):
                        problems.append(f"{part}: series {number + 1} of the {kind} lacks <c:smooth val=\"0\"/>; "
                                        "readers may draw a curve with values between the points")
        for reference, cache in (("numRef", "numCache"), ("strRef", "strCache")):
            for ref in chart.iter(f"{{{CHART}}}{reference}"):
                if ref.find(f"c:{cache}", NS) is None:
                    problems.append(f"{part}: {ref.findtext('c:f', namespaces=NS)} has no {cache}, so previews "
                                    "show an empty chart")
    return problems


def _headings(book: _Book) -> list[str]:
    """Table headings are plain English, not run-together code names."""
    return [f"{table.part}: table {table.name!r}: {problem}"
            for table in book.tables if table.sheet.visible
            for problem in style.heading_problems(table.column_names)]


@dataclass(frozen=True)
class _Range:
    sheet: str
    bounds: tuple[int, int, int, int]
    kind: str

    def holds(self, sheet: str, col: int, row: int) -> bool:
        min_col, min_row, max_col, max_row = self.bounds
        return sheet == self.sheet and min_col <= col <= max_col and min_row <= row <= max_row


def _ranges(kinds: dict[str, str]) -> list[_Range]:
    ranges = []
    for address, kind in kinds.items():
        sheet, _, cells = address.rpartition("!")
        bounds = _bounds(cells if ":" in cells else f"{cells}:{cells}")
        if bounds is None:
            raise ValueError(f"not a range: {address!r}")
        ranges.append(_Range(sheet.strip("'"), bounds, kind))
    return ranges


def _number_formats(book: _Book, ranges: list[_Range]) -> list[str]:
    """Only the house's number formats; £ on money, % on percentages; no number stored as text."""
    formats = book.number_formats
    problems: dict[str, str] = {}  # one line per sheet and problem, however many cells share it
    for sheet in book.worksheets:
        if not sheet.visible:
            continue
        for cell in sheet.cells:
            ref = cell.get("r", "")
            col_letters, row_digits = re.match(r"([A-Z]+)(\d+)", ref).groups()
            col, row = column_index_from_string(col_letters), int(row_digits)
            index = int(cell.get("s", "0"))
            code = formats[index] if index < len(formats) else "General"
            kind = next((r.kind for r in ranges if r.holds(sheet.name, col, row)), "")
            where = f"{sheet.part}: {sheet.name}!{ref}"
            if code not in HOUSE_FORMATS:
                problems.setdefault(f"{sheet.name} format {code}", f"{where} (and maybe more) has the number format "
                                    f"{code!r}, not one of the house formats")
            if kind == "money" and "£" not in code:
                problems.setdefault(f"{sheet.name} money {code}", f"{where} holds money but shows {code!r}, not £")
            if kind == "percent" and "%" not in code:
                problems.setdefault(f"{sheet.name} percent {code}", f"{where} holds a percentage but shows {code!r}")
            text = _cell_string(book, cell)
            if text and kind != "text" and NUMBER_AS_TEXT.match(text):
                problems.setdefault(f"{sheet.name} text {col_letters}", f"{where} holds the number {text!r} as text")
    return list(problems.values())
