"""Each return sent back with its problems written in, where the council sees them in Excel.

``lga-xl feedback FILE... --out-dir DIR`` writes a copy of each return with
an **Issues** sheet first (:mod:`lga_xl.issue_sheet`: severity, code,
message, and a link to the cell), and every cell a problem is at shaded
(red for an error, orange for a warning, the house colours) with a comment
that says what is wrong.  The copy is made by editing the package's parts:
the new sheet, comments and their VML drawings, relationships and content
types are added, and the problem cells' styles are copies of their own with
the shading, so their number format, borders and protection stay as they
were.  Nothing else changes: the council's answers, the template's formulas,
tables, validations and charts are the file's own bytes (openpyxl is never
used to load and re-save a return: it drops what it does not know), and the
original file is only read.

Example:
    >>> import tempfile, pathlib
    >>> from lga_xl import new_self_assessment
    >>> from lga_xl.readers import read_workbook
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> sent = new_self_assessment(folder / "return.xlsx", org_name="Exampleshire", region="London",
    ...                            answers={"LC-D1": "Yes"})
    >>> report = write_feedback([sent], folder / "feedback")
    >>> copy = report.annotated[0].path
    >>> import openpyxl
    >>> wb = openpyxl.load_workbook(copy)
    >>> wb.sheetnames[0], wb["Assessment"]["E5"].comment.text.splitlines()[0]
    ('Issues', "Error: LC-D1: 'Yes' is not a status; use Achieved, In progress, Not started or Not applicable")
"""

from __future__ import annotations

import io
import posixpath
import re
import time
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from . import a1
from .issue_sheet import COLUMNS, MESSAGE_COLUMN, SHEET, WIDTHS, Link, issue_rows
from .issues import Issue
from .outputs import atomic_write, check_output, prepare_output_folder, unique_names
from .readers import validate
from .writers import style
from .writers.fill import _sheet_parts, cell_xml

AUTHOR = "lga_xl"
# Shading of a problem cell by severity: the house's "needs attention" and "a row to check" colours.
SHADES = {"error": "F4CDC6", "warning": "FCD6C3"}
LINK_COLOUR = "1D70B8"
# Issues of a file that is not a workbook lga_xl can open: there is nothing to annotate.
UNREADABLE = frozenset({"file-not-found", "cannot-open", "empty-file", "not-xlsx", "legacy-xls", "encrypted",
                        "corrupt-file", "too-large"})

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES = {
    "worksheet": f"{_REL}/worksheet",
    "comments": f"{_REL}/comments",
    "vml": f"{_REL}/vmlDrawing",
}
_CONTENT_TYPES = {
    "worksheet": "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
    "comments": "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml",
    "vml": "application/vnd.openxmlformats-officedocument.vmlDrawing",
}
# What follows legacyDrawing in a worksheet (ECMA-376 CT_Worksheet): it goes before the first of these.
_AFTER_LEGACY_DRAWING = ("legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems",
                         "tableParts", "extLst")


class FeedbackError(ValueError):
    """A workbook whose package cannot be annotated (its parts are not as an .xlsx has them)."""


@dataclass(frozen=True)
class Annotated:
    """One return's annotated copy, or why there is none."""

    source: Path
    path: Path | None = None
    errors: int = 0
    warnings: int = 0
    problem: str | None = None

    def line(self) -> str:
        if self.path is None:
            return f"{self.source}: no copy: {self.problem}"
        return f"{self.source}: {self.errors} error(s), {self.warnings} warning(s) written into {self.path}"


@dataclass
class FeedbackReport:
    """The result of :func:`write_feedback`."""

    folder: Path
    annotated: list[Annotated] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        """0: every file annotated; 2: a file could not be."""
        return 2 if any(item.path is None for item in self.annotated) else 0

    def summary(self) -> str:
        done = sum(1 for item in self.annotated if item.path is not None)
        return f"{done} of {len(self.annotated)} returns annotated into {self.folder} in {self.seconds:.1f} s"


def write_feedback(paths: Iterable[str | Path], out_dir: str | Path, *, force: bool = False) -> FeedbackReport:
    """An annotated copy of each return in ``out_dir``, under the return's own file name.

    Raises:
        OutputError: the folder holds files (without ``force``), or a copy would replace an input.
    """
    started = time.perf_counter()
    sources = [Path(path) for path in paths]
    folder = prepare_output_folder(out_dir, force=force, inputs=sources)
    report = FeedbackReport(folder)
    for source, name in zip(sources, unique_names((source.stem, source.suffix) for source in sources)):
        issues = validate(source)
        errors = sum(1 for issue in issues if issue.severity == "error")
        if any(issue.code in UNREADABLE for issue in issues):
            report.annotated.append(Annotated(source, problem=issues[0].message))
            continue
        try:
            out = check_output(folder / name, force=force, inputs=sources)
            annotate_workbook(source, out, issues)
        except FeedbackError as exc:
            report.annotated.append(Annotated(source, problem=str(exc)))
            continue
        report.annotated.append(Annotated(source, out, errors, len(issues) - errors))
    report.seconds = time.perf_counter() - started
    return report


def annotate_workbook(source: str | Path, out: str | Path, issues: Sequence[Issue]) -> Path:
    """Write a copy of ``source`` with ``issues`` written in: the Issues sheet first, problem cells shaded and
    commented.  ``source`` is only read.

    Raises:
        FeedbackError: the package lacks a part every workbook has.
    """
    data = Path(source).read_bytes()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            parts = {info.filename: archive.read(info.filename) for info in infos}
    except (zipfile.BadZipFile, OSError) as exc:
        raise FeedbackError(f"the file is not a workbook that can be annotated ({exc})") from None
    for needed in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/styles.xml"):
        if needed not in parts:
            raise FeedbackError(f"the workbook has no {needed}, so it cannot be annotated")
    _Annotator(parts).annotate(issues)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        kept = {info.filename for info in infos}
        for info in infos:
            archive.writestr(info, parts[info.filename])  # each part as the file had it, its compression too
        for name, part in parts.items():
            if name not in kept:
                archive.writestr(name, part)
    out = Path(out)
    with atomic_write(out) as partial:
        partial.write_bytes(buffer.getvalue())
    return out


# Private API.


class _Annotator:
    """Edits of one package's parts (in place, in ``parts``)."""

    def __init__(self, parts: dict[str, bytes]):
        self.parts = parts
        self.sheet_parts = _sheet_parts(parts)
        self.styles = _Styles(parts["xl/styles.xml"])

    def annotate(self, issues: Sequence[Issue]) -> None:
        at_cells: dict[tuple[str, str], list[Issue]] = {}
        for issue in issues:
            if issue.sheet in self.sheet_parts and issue.cell and a1.is_ref(issue.cell):
                at_cells.setdefault((issue.sheet, issue.cell.split(":")[0].replace("$", "")), []).append(issue)
        by_sheet: dict[str, dict[str, list[Issue]]] = {}
        for (sheet, cell), found in at_cells.items():
            by_sheet.setdefault(sheet, {})[cell] = found
        for sheet, found in by_sheet.items():
            self._mark(sheet, found)
        self._issues_sheet(issues)
        self.parts["xl/styles.xml"] = self.styles.xml()

    # The problem cells.

    def _mark(self, sheet: str, found: Mapping[str, list[Issue]]) -> None:
        part = self.sheet_parts[sheet]
        xml = self.parts[part]
        for cell, issues in found.items():
            severity = "error" if any(issue.severity == "error" for issue in issues) else "warning"
            xml = _restyle(xml, cell, partial(self.styles.shaded, severity=severity))
        self.parts[part] = xml
        self._comments(part, {cell: _comment_text(issues) for cell, issues in found.items()})

    def _comments(self, part: str, texts: Mapping[str, str]) -> None:
        """Comments on the cells of one sheet: a comments part and its VML drawing, added or extended."""
        rels_name = _rels_of(part)
        rels = self.parts.get(rels_name, _empty_rels())
        existing = {rel_type: target for rel_type, target in _relationships(rels)}
        folder = posixpath.dirname(part)
        if _TYPES["comments"] in existing and _TYPES["vml"] in existing:
            comments_part = _part_at(folder, existing[_TYPES["comments"]])
            vml_part = _part_at(folder, existing[_TYPES["vml"]])
            self.parts[comments_part], added = _extend_comments(self.parts[comments_part], texts)
            self.parts[vml_part] = _extend_vml(self.parts[vml_part], added)
            return
        number = 1 + max((int(m.group(1)) for name in self.parts
                          if (m := re.fullmatch(r"xl/comments(\d+)\.xml", name))), default=0)
        comments_part, vml_part = f"xl/comments{number}.xml", f"xl/drawings/lgaxlVmlDrawing{number}.vml"
        self.parts[comments_part] = _comments_xml(texts)
        self.parts[vml_part] = _vml_xml(list(texts), self._vml_block())
        rels, _ = _add_relationship(rels, _TYPES["comments"], posixpath.relpath(comments_part, folder))
        rels, vml_id = _add_relationship(rels, _TYPES["vml"], posixpath.relpath(vml_part, folder))
        self.parts[rels_name] = rels
        self.parts[part] = _with_legacy_drawing(self.parts[part], vml_id)
        self._content_type(comments_part, "comments")
        self._content_type(vml_part, "vml")

    def _vml_block(self) -> int:
        """A block of VML shape ids no other drawing of the package uses (Excel numbers shapes 1024 a block)."""
        used = [int(number) for name, data in self.parts.items() if name.endswith(".vml")
                for number in re.findall(rb'<o:idmap[^>]*data="(\d+)', data)]
        return max(used, default=0) + 1

    # The Issues sheet.

    def _issues_sheet(self, issues: Sequence[Issue]) -> None:
        name = _free_name(SHEET, self.sheet_parts)
        number = 1 + max((int(m.group(1)) for part in self.parts
                          if (m := re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", part))), default=0)
        part = f"xl/worksheets/sheet{number}.xml"
        self.parts[part] = self._issues_xml(issues)
        rels, rel_id = _add_relationship(self.parts["xl/_rels/workbook.xml.rels"], _TYPES["worksheet"],
                                         posixpath.relpath(part, "xl"))
        self.parts["xl/_rels/workbook.xml.rels"] = rels
        self.parts["xl/workbook.xml"] = _first_sheet(self.parts["xl/workbook.xml"], name, rel_id)
        for other in self.sheet_parts.values():  # one selected sheet: two would be grouped
            self.parts[other] = re.sub(rb'(<(?:\w+:)?sheetView\b[^>]*?)\stabSelected="(?:1|true)"', rb"\1",
                                       self.parts[other], count=1)
        self._content_type(part, "worksheet")

    def _issues_xml(self, issues: Sequence[Issue]) -> bytes:
        header, body, message, link = (self.styles.header(), self.styles.body(), self.styles.wrapped(),
                                       self.styles.link())
        rows = [f'<row r="1">{"".join(_xml_cell(1, i, text, header) for i, text in enumerate(COLUMNS))}</row>']
        links = []
        for r, row in enumerate(issue_rows(issues), start=2):
            links += [f'<hyperlink ref="{a1.cell(r, i)}" location={quoteattr(value.location)} '
                      f'display={quoteattr(value.text)}/>' for i, value in enumerate(row) if isinstance(value, Link)]
            cells = "".join(_xml_cell(r, i, value, link if isinstance(value, Link) else
                                      message if i == MESSAGE_COLUMN else body) for i, value in enumerate(row))
            # A wrapped message needs its height: LibreOffice, and Excel opening a file, do not size rows.
            lines = style.wrapped_lines(str(row[MESSAGE_COLUMN]), WIDTHS[MESSAGE_COLUMN])
            height = f' ht="{lines * style.line_height()}" customHeight="1"' if lines > 1 else ""
            rows.append(f'<row r="{r}"{height}>{cells}</row>')
        columns = "".join(f'<col min="{i}" max="{i}" width="{style._stored_width(width)}" customWidth="1"/>'
                          for i, width in enumerate(WIDTHS, start=1))
        last = a1.cell(len(rows), len(COLUMNS) - 1)
        hyperlinks = f"<hyperlinks>{''.join(links)}</hyperlinks>" if links else ""
        return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}" '
                f'xmlns:r="{_REL}"><sheetPr><tabColor rgb="FF{SHADES["error"]}"/><pageSetUpPr fitToPage="1"/></sheetPr>'
                f'<dimension ref="A1:{last}"/><sheetViews><sheetView tabSelected="1" workbookViewId="0">'
                '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
                f'<sheetFormatPr defaultRowHeight="12.75"/><cols>{columns}</cols><sheetData>{"".join(rows)}'
                f"</sheetData>{hyperlinks}"
                '<pageMargins left="0.4" right="0.4" top="0.5" bottom="0.65" header="0.25" footer="0.25"/>'
                # One page wide on A4 (fitToWidth counts only with the sheet's fitToPage), the link column included.
                '<pageSetup orientation="landscape" paperSize="9" fitToHeight="0" fitToWidth="1"/></worksheet>'
                ).encode()

    def _content_type(self, part: str, kind: str) -> None:
        types = self.parts["[Content_Types].xml"]
        extension = part.rsplit(".", 1)[-1]
        if kind == "vml":
            if re.search(rb'<Default\b[^>]*Extension="' + extension.encode() + rb'"', types, re.I):
                return
            entry = f'<Default Extension="{extension}" ContentType="{_CONTENT_TYPES[kind]}"/>'
        else:
            entry = f'<Override PartName="/{part}" ContentType="{_CONTENT_TYPES[kind]}"/>'
        self.parts["[Content_Types].xml"] = types.replace(b"</Types>", entry.encode() + b"</Types>")


class _Styles:
    """Cell formats added to a package's styles part: shaded copies of cells' own, and the Issues sheet's."""

    def __init__(self, xml: bytes):
        self._xml = xml
        self._fonts: list[bytes] = []
        self._fills: list[bytes] = []
        self._xfs: list[bytes] = []
        self._made: dict[tuple, int] = {}
        self.font_count = _count(xml, b"fonts")
        self.fill_count = _count(xml, b"fills")
        self.xfs = _elements(_section(xml, b"cellXfs"), b"xf")
        first_font = _elements(_section(xml, b"fonts"), b"font")
        font = first_font[0] if first_font else b""
        self._font_name = _attribute(font, b"name") or "Arial"
        self._font_size = _attribute(font, b"sz") or "10"

    def shaded(self, style: int, severity: str) -> int:
        fill = self._fill(SHADES[severity])
        return self._xf(("shaded", style, severity), _with_attributes(
            self.xfs[style] if style < len(self.xfs) else b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>',
            {b"fillId": str(fill).encode(), b"applyFill": b"1"}))

    def header(self) -> int:
        font = self._font(b"<b/>", None)
        return self._xf(("header",), f'<xf numFmtId="0" fontId="{font}" fillId="0" borderId="0" xfId="0" '
                                     'applyFont="1"/>'.encode())

    def body(self) -> int:
        return self._xf(("body",), b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" '
                                   b'applyAlignment="1"><alignment vertical="top"/></xf>')

    def wrapped(self) -> int:
        return self._xf(("wrapped",), b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" '
                                      b'applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>')

    def link(self) -> int:
        font = self._font(b"<u/>", LINK_COLOUR)
        return self._xf(("link",), f'<xf numFmtId="0" fontId="{font}" fillId="0" borderId="0" xfId="0" '
                                   'applyFont="1" applyAlignment="1"><alignment vertical="top"/></xf>'.encode())

    def xml(self) -> bytes:
        xml = self._xml
        xml = _append(xml, b"fonts", self._fonts)
        xml = _append(xml, b"fills", self._fills)
        return _append(xml, b"cellXfs", self._xfs)

    def _font(self, flag: bytes, colour: str | None) -> int:
        key = ("font", flag, colour)
        if key not in self._made:
            shown = f'<color rgb="FF{colour}"/>'.encode() if colour else b""
            self._fonts.append(b"<font>" + flag + f'<sz val="{self._font_size}"/>'.encode() + shown +
                               f'<name val="{self._font_name}"/>'.encode() + b"</font>")
            self._made[key] = self.font_count + len(self._fonts) - 1
        return self._made[key]

    def _fill(self, colour: str) -> int:
        key = ("fill", colour)
        if key not in self._made:
            self._fills.append(f'<fill><patternFill patternType="solid"><fgColor rgb="FF{colour}"/>'
                               '<bgColor indexed="64"/></patternFill></fill>'.encode())
            self._made[key] = self.fill_count + len(self._fills) - 1
        return self._made[key]

    def _xf(self, key: tuple, xml: bytes) -> int:
        if key not in self._made:
            self._xfs.append(xml)
            self._made[key] = len(self.xfs) + len(self._xfs) - 1
        return self._made[key]


def _comment_text(issues: Sequence[Issue]) -> str:
    return "\n".join(f"{issue.severity.capitalize()}: {issue.message}" for issue in issues)


def _xml_cell(row: int, column: int, value: str | Link, style_index: int) -> str:
    """A cell of the Issues sheet: text (a link shows its cell; the sheet's hyperlinks make it go there)."""
    text = value.text if isinstance(value, Link) else value
    return cell_xml(a1.cell(row, column), text or None, str(style_index).encode()).decode()


def _restyle(xml: bytes, cell: str, style_of: Callable[[int], int]) -> bytes:
    """The sheet with one cell's style replaced by ``style_of(its style)``; unchanged if it has no element."""
    match = re.search(rb'<(?:\w+:)?c r="' + cell.encode() + rb'"(?=[\s/>])[^>]*?(/?)>', xml)
    if match is None:
        return xml
    tag = match.group(0)
    found = re.search(rb'\ss="(\d+)"', tag)
    index = style_of(int(found.group(1)) if found else 0)
    if found:
        new = tag[:found.start()] + f' s="{index}"'.encode() + tag[found.end():]
    else:
        new = tag.replace(b'"' + cell.encode() + b'"', b'"' + cell.encode() + f'" s="{index}"'.encode(), 1)
    return xml[:match.start()] + new + xml[match.end():]


def _section(xml: bytes, tag: bytes) -> bytes:
    match = re.search(rb"<(?:\w+:)?" + tag + rb"\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?" + tag + rb">)", xml, re.S)
    return (match.group(1) or b"") if match else b""


def _elements(section: bytes, tag: bytes) -> list[bytes]:
    return [m.group(0) for m in re.finditer(
        rb"<(?:\w+:)?" + tag + rb"\b[^>]*?(?:/>|>.*?</(?:\w+:)?" + tag + rb">)", section, re.S)]


def _count(xml: bytes, tag: bytes) -> int:
    return len(_elements(_section(xml, tag), tag[:-1] if tag != b"cellXfs" else b"xf"))


def _append(xml: bytes, tag: bytes, added: list[bytes]) -> bytes:
    """``added`` elements at the end of section ``tag``, its count attribute updated."""
    if not added:
        return xml
    child = b"xf" if tag == b"cellXfs" else tag[:-1]
    match = re.search(rb"<((?:\w+:)?)" + tag + rb"\b([^>]*?)(/?)>", xml)
    if match is None:
        raise FeedbackError(f"the styles part has no {tag.decode()}")
    prefix = match.group(1)
    total = len(_elements(_section(xml, tag), child)) + len(added)
    attributes = re.sub(rb'\scount="\d+"', b"", match.group(2)) + f' count="{total}"'.encode()
    body = b"".join(_prefixed(element, prefix) for element in added)
    if match.group(3):  # an empty section written as <fonts/>
        return xml[:match.start()] + b"<" + prefix + tag + attributes + b">" + body + b"</" + prefix + tag + b">" + \
            xml[match.end():]
    end = xml.index(b"</" + prefix + tag + b">", match.end())
    return xml[:match.start()] + b"<" + prefix + tag + attributes + b">" + xml[match.end():end] + body + xml[end:]


def _prefixed(element: bytes, prefix: bytes) -> bytes:
    """An element written with the main namespace's prefix, when the part uses one."""
    return re.sub(rb"<(/?)(?=[a-zA-Z])", rb"<\1" + prefix, element) if prefix else element


def _attribute(element: bytes, tag: bytes) -> str | None:
    match = re.search(rb"<(?:\w+:)?" + tag + rb'\b[^>]*\sval="([^"]*)"', element)
    return match.group(1).decode() if match else None


def _with_attributes(element: bytes, attributes: Mapping[bytes, bytes]) -> bytes:
    head_end = re.search(rb"/?>", element).start()
    head, rest = element[:head_end], element[head_end:]
    for name, value in attributes.items():
        if re.search(rb"\s" + name + rb'="', head):
            head = re.sub(rb"(\s" + name + rb'=")[^"]*"', rb"\g<1>" + value + rb'"', head)
        else:
            head += b" " + name + b'="' + value + b'"'
    return head + rest


def _part_at(folder: str, target: str) -> str:
    """The part a relationship's target names, relative to the folder of its source, or absolute."""
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))


def _rels_of(part: str) -> str:
    folder, name = posixpath.split(part)
    return f"{folder}/_rels/{name}.rels"


def _empty_rels() -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PACKAGE_REL}">'
            "</Relationships>").encode()


def _relationships(rels: bytes) -> list[tuple[str, str]]:
    return [(_attr(tag, "Type"), _attr(tag, "Target")) for tag in re.findall(rb"<(?:\w+:)?Relationship\b[^>]*>", rels)]


def _attr(tag: bytes, name: str) -> str:
    match = re.search(rb"\s" + name.encode() + rb'="([^"]*)"', tag)
    return match.group(1).decode() if match else ""


def _add_relationship(rels: bytes, rel_type: str, target: str) -> tuple[bytes, str]:
    ids = {_attr(tag, "Id") for tag in re.findall(rb"<(?:\w+:)?Relationship\b[^>]*>", rels)}
    number = 1
    while f"rId{number}" in ids:
        number += 1
    rel_id = f"rId{number}"
    entry = f'<Relationship Id="{rel_id}" Type="{rel_type}" Target={quoteattr(target)}/>'.encode()
    match = re.search(rb"</(?:\w+:)?Relationships>", rels)
    if match is None:  # <Relationships .../>: no relationships yet
        rels = re.sub(rb"<((?:\w+:)?Relationships\b[^>]*?)\s*/>", rb"<\1></Relationships>", rels)
        match = re.search(rb"</(?:\w+:)?Relationships>", rels)
    return rels[:match.start()] + entry + rels[match.start():], rel_id


def _with_legacy_drawing(sheet: bytes, rel_id: str) -> bytes:
    prefix = re.match(rb"(?:<\?xml[^>]*>\s*)?<((?:\w+:)?)worksheet\b", sheet)
    tag = (b"<" + (prefix.group(1) if prefix else b"") + b'legacyDrawing xmlns:r="' + _REL.encode() +
           b'" r:id="' + rel_id.encode() + b'"/>')
    later = [m.start() for name in _AFTER_LEGACY_DRAWING
             if (m := re.search(rb"<(?:\w+:)?" + name.encode() + rb"\b", sheet))]
    at = min(later) if later else re.search(rb"</(?:\w+:)?worksheet>", sheet).start()
    return sheet[:at] + tag + sheet[at:]


def _first_sheet(workbook: bytes, name: str, rel_id: str) -> bytes:
    """The workbook with sheet ``name`` first, opened on: local names and the active tab moved along by one."""
    prefix = re.search(rb"<((?:\w+:)?)sheets\b", workbook)
    if prefix is None:
        raise FeedbackError("the workbook lists no sheets")
    ids = [int(i) for i in re.findall(rb'<(?:\w+:)?sheet\b[^>]*\ssheetId="(\d+)"', workbook)]
    # The relationships prefix is declared on the element: files declare it on the root or on each sheet.
    sheet = (b"<" + prefix.group(1) + b"sheet name=" + quoteattr(name).encode() +
             f' sheetId="{max(ids, default=0) + 1}" xmlns:r="{_REL}" r:id="{rel_id}"/>'.encode())
    opening = re.search(rb"<(?:\w+:)?sheets\b[^>]*>", workbook)
    workbook = workbook[:opening.end()] + sheet + workbook[opening.end():]
    workbook = re.sub(rb'(\slocalSheetId=")(\d+)"', lambda m: m.group(1) + str(int(m.group(2)) + 1).encode() + b'"',
                      workbook)
    for attribute in (b"activeTab", b"firstSheet"):
        workbook = re.sub(rb'(<(?:\w+:)?workbookView\b[^>]*?)\s' + attribute + rb'="\d+"', rb"\1", workbook)
    return workbook


def _free_name(wanted: str, taken: Iterable[str]) -> str:
    """``wanted``, or ``wanted (2)``... when a sheet of that name exists (Excel compares names ignoring case)."""
    names = {name.casefold() for name in taken}
    name, number = wanted, 1
    while name.casefold() in names:
        number += 1
        name = f"{wanted} ({number})"
    return name


def _comments_xml(texts: Mapping[str, str]) -> bytes:
    comments = "".join(_comment(cell, text, 0) for cell, text in texts.items())
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<comments xmlns="{_MAIN}"><authors>'
            f"<author>{AUTHOR}</author></authors><commentList>{comments}</commentList></comments>").encode()


def _comment(cell: str, text: str, author: int) -> str:
    return (f'<comment ref="{cell}" authorId="{author}"><text><t xml:space="preserve">{escape(text)}</t></text>'
            "</comment>")


def _extend_comments(xml: bytes, texts: Mapping[str, str]) -> tuple[bytes, list[str]]:
    """Comments added to an existing comments part; returns the cells that had none (they need a shape).

    A cell that already has a comment keeps it, with the problem written above it.
    """
    prefix = re.search(rb"<((?:\w+:)?)comments\b", xml).group(1)
    authors = len(re.findall(rb"<(?:\w+:)?author\b[^>]*>", xml))
    present = {ref.decode() for ref in re.findall(rb'<(?:\w+:)?comment\b[^>]*\sref="([^"]+)"', xml)}
    for cell in present & set(texts):
        xml = _prepend_to_comment(xml, cell, texts[cell] + "\n\n", prefix)
    added = [cell for cell in texts if cell not in present]
    if not added:
        return xml, []
    xml = re.sub(rb"(</(?:\w+:)?authors>)", _prefixed(f"<author>{AUTHOR}</author>".encode(), prefix) + rb"\1", xml,
                 count=1)
    body = b"".join(_prefixed(_comment(cell, texts[cell], authors).encode(), prefix) for cell in added)
    end = re.search(rb"</(?:\w+:)?commentList>", xml)
    return xml[:end.start()] + body + xml[end.start():], added


def _prepend_to_comment(xml: bytes, cell: str, text: str, prefix: bytes) -> bytes:
    """``text`` as the first run of the comment on ``cell`` (a comment of plain text becomes runs)."""
    comment = re.search(rb'<(?:\w+:)?comment\b[^>]*\sref="' + cell.encode() + rb'".*?</(?:\w+:)?comment>', xml,
                        re.S)
    body = re.search(rb"(<(?:\w+:)?text\b[^>]*>)(.*?)(</(?:\w+:)?text>)", comment.group(0), re.S)
    if body is None:
        return xml
    inner = body.group(2)
    if re.match(rb"\s*<(?:\w+:)?t\b", inner):  # plain text: runs, so that ours can come first
        inner = _prefixed(b"<r>", prefix) + inner + _prefixed(b"</r>", prefix)
    ours = _prefixed(f'<r><t xml:space="preserve">{escape(text)}</t></r>'.encode(), prefix)
    new = comment.group(0)[:body.start()] + body.group(1) + ours + inner + body.group(3) + \
        comment.group(0)[body.end():]
    return xml[:comment.start()] + new + xml[comment.end():]


def _shape(cell: str, shape_id: int) -> str:
    row, column, _, _ = a1.parse_ref(cell)
    anchor = f"{column + 1}, 15, {max(row - 1, 0)}, 2, {column + 4}, 15, {max(row - 1, 0) + 5}, 16"
    return (f'<v:shape id="_x0000_s{shape_id}" type="#_x0000_t202" style="position:absolute;margin-left:60pt;'
            'margin-top:1.5pt;width:220pt;height:80pt;z-index:1;visibility:hidden" fillcolor="#ffffe1" '
            'o:insetmode="auto"><v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/>'
            '<v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto">'
            '<div style="text-align:left"></div></v:textbox><x:ClientData ObjectType="Note"><x:MoveWithCells/>'
            f"<x:SizeWithCells/><x:Anchor>{anchor}</x:Anchor><x:AutoFill>False</x:AutoFill>"
            f"<x:Row>{row}</x:Row><x:Column>{column}</x:Column></x:ClientData></v:shape>")


def _vml_xml(cells: Sequence[str], block: int) -> bytes:
    shapes = "".join(_shape(cell, block * 1024 + index) for index, cell in enumerate(cells, start=1))
    return ('<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
            'xmlns:x="urn:schemas-microsoft-com:office:excel">'
            f'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{block}"/></o:shapelayout>'
            '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">'
            '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
            f"{shapes}</xml>").encode()


def _extend_vml(xml: bytes, cells: Sequence[str]) -> bytes:
    """Note shapes for ``cells`` added to an existing VML drawing, with ids after its own."""
    if not cells:
        return xml
    block = re.search(rb'<o:idmap[^>]*data="(\d+)', xml)
    used = [int(n) for n in re.findall(rb'id="_x0000_s(\d+)"', xml)]
    first = max(used, default=(int(block.group(1)) if block else 1) * 1024) + 1
    shapes = "".join(_shape(cell, first + index) for index, cell in enumerate(cells)).encode()
    end = xml.rindex(b"</xml>")
    return xml[:end] + shapes + xml[end:]
