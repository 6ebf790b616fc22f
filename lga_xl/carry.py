"""Answers carried from one workbook to another: read from a return or the store, written into a template.

The adviser's year moves a council's answers three ways: from last year's
return in the store into this year's workbook (:mod:`lga_xl.sendout`), from
a return on an older template into the current one (:mod:`lga_xl.upgrade`),
and both go through here.  :func:`read_answers` takes what was typed into a
workbook's input cells by its contract; a kind's :class:`Carrier` (named by
its registry entry, :attr:`lga_xl.kinds.Kind.carrier`) takes a stored return
and says what template the answers need; :func:`answer_cells` lays answers
out in a built template's cells, by the current contract, for
:class:`~lga_xl.writers.fill.Template` to write.  Rows of a table whose rows
the template writes (a self-assessment's elements and strands) are matched
by their key (the element ID, the strand), so a moved table or another row
order carries the same.

Example:
    >>> import tempfile, pathlib
    >>> from lga_xl import new_self_assessment
    >>> from lga_xl.blanks import template
    >>> from lga_xl.readers.package import open_package
    >>> from lga_xl.kinds import kind
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> old = new_self_assessment(folder / "old.xlsx", org_name="Exampleshire", answers={"LC-D1": "Achieved"})
    >>> contract = kind("self-assessment").current
    >>> with open_package(old) as pkg:
    ...     answers = read_answers(pkg, contract)
    >>> answers.tables["Elements"]
    [{'id': 'LC-D1', 'status': 'Achieved'}]
    >>> blank = template("self-assessment")
    >>> answer_cells(answers, contract, blank)[("Assessment", "E5")]
    'Achieved'
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree

from . import a1, cells, levy
from .answers import Answers, Row
from .contract import Contract, Table
from .issues import WorkbookError
from .readers.package import Package
from .store import ReturnStore
from .writers.fill import Template, Value

SPARE_ROWS = 10  # blank rows a resized table keeps below the rows carried into it


class CarryError(ValueError):
    """Answers that do not fit the template they are written into."""


# Public API: answers from a workbook.


def read_answers(pkg: Package, contract: Contract) -> Answers:
    """What was typed into an opened workbook's input cells, by ``contract`` (its template version's).

    Also the fixed cells that identify it (a levy plan's tax year) and the key
    column of each table whose rows the template writes.  A named cell,
    table or column the file has lost is noted, not raised.
    """
    names: dict[str, Any] = {}
    notes: list[str] = []
    for named in contract.names():
        if named.role == "input" or (named.role == "fixed" and named.in_hash):
            found = pkg.name_value(named.name)
            if found is None:
                notes.append(f"{named.label}: its named cell {named.name} was deleted, so it was not carried")
            elif not cells.is_blank(found.value):
                names[named.name] = found.value
    tables: dict[str, list[Row]] = {}
    for table in contract.tables:
        inputs = [column for column in table.columns if column.role == "input"]
        if not inputs:
            continue
        try:
            data = pkg.table(table.name)
        except WorkbookError:
            notes.append(f"The {table.name} table was renamed or deleted, so none of its rows were carried")
            continue
        keys = key_columns(table)
        positions = {column.key: data.column_index(column.header) for column in (*keys, *inputs)}
        notes += [f"The {table.name} table has no {column.header} column (renamed or deleted?), so it was not "
                  "carried" for column in (*keys, *inputs) if positions[column.key] is None]
        rows = []
        for values in data.rows:
            row = {key: values[index] for key, index in positions.items()
                   if index is not None and index < len(values) and not cells.is_blank(values[index])}
            if any(column.key in row for column in inputs):
                if keys and any(column.key not in row for column in keys):
                    notes.append(f"A row of the {table.name} table has no {keys[0].header}, so it was not carried")
                    continue
                rows.append(row)
        if rows:
            tables[table.name] = rows
    return Answers(contract.kind, contract.version, names, tables, notes)


def key_columns(table: Table) -> list[Any]:
    """The columns that say which row is which in a table whose rows the template writes (fixed and hashed)."""
    return [column for column in table.columns if column.role == "fixed" and column.in_hash]


# Public API: answers into a template.


def answer_cells(answers: Answers, contract: Contract, template: Template) -> dict[tuple[str, str], Value]:
    """``(sheet, cell) -> value`` of the answers' input cells in ``template`` (made for ``contract``).

    Answers with no place in the template are noted in ``answers.notes``.

    Raises:
        CarryError: a table has more rows than the template's (build it with more: :meth:`Carrier.rows`).
    """
    values: dict[tuple[str, str], Value] = {}
    for name, value in answers.names.items():
        try:
            named = contract.name(name)
        except KeyError:
            answers.notes.append(f"{name}: the current template has no such cell, so {cells.shown(value)} was not "
                                 "carried")
            continue
        if named.role == "input":
            values[contract.address(name)] = value
    for table_name, rows in answers.tables.items():
        try:
            table = contract.table(table_name)
        except KeyError:
            answers.notes.append(f"The current template has no {table_name} table, so its {len(rows)} row(s) were "
                                 "not carried")
            continue
        for row, r in zip(rows, _rows_for(answers, table, rows, template)):
            if r is None:
                continue
            for key in table.keys("input"):  # every input of the row: a blank carried is a blank written
                values[(table.sheet, table.cell(key, r))] = row.get(key)
    return values


def table_rows(template: Template, table_name: str) -> int:
    """How many data rows an Excel table of a built template has.

    Example:
        >>> from lga_xl.blanks import template
        >>> table_rows(template("levy-plan"), "Schools")
        60
    """
    refs = _table_refs(template)
    if table_name not in refs:
        raise CarryError(f"the template has no table {table_name}")
    first_row, _, last_row, _ = a1.parse_ref(refs[table_name])
    return last_row - first_row


def cell_texts(template: Template, sheet: str, refs: list[str]) -> list[str | None]:
    """The text each of ``refs`` holds in a built template (None for a blank or a number)."""
    strings = _shared_strings(template)
    xml_cells = template._sheet(sheet)
    found = []
    for ref in refs:
        row, column, _, _ = a1.parse_ref(ref)
        span = xml_cells.cells.get((row + 1, column))
        found.append(None if span is None else _text_of(xml_cells.xml[span[0]:span[1]], strings))
    return found


def meta_cells(template: Template, meta: Mapping[str, str]) -> dict[tuple[str, str], Value]:
    """Cells adding ``meta`` (key -> value) below the rows of the hidden lga_xl sheet of ``template``."""
    from .contract import META_SHEET

    last = max((row for row, _ in template._sheet(META_SHEET).cells), default=0)
    values: dict[tuple[str, str], Value] = {}
    for offset, (key, value) in enumerate(meta.items(), start=1):
        values[(META_SHEET, f"A{last + offset}")] = key
        values[(META_SHEET, f"B{last + offset}")] = value
    return values


# Public API: each kind's carrier.


@dataclass(frozen=True)
class Carrier:
    """How one kind's answers are carried.

    ``from_store(store, return_id, version, context)``: a stored return's
    answers, in the terms of its template version (``context`` holds what the
    new workbook is for, such as its ``tax_year``).  ``template_options(answers,
    meta)``: what a template must be built with to hold an old return's
    answers (its tax year, its standards list; ``meta`` is the old file's
    hidden sheet).  ``resizable``: the tables the writer can make longer (its
    ``rows`` option).  ``options_tables``: tables that are template options,
    not cells (a levy plan's standards).  ``describe(answers)``: what was
    carried, in a few words.  ``layout(answers)``: writer options that lay
    the workbook out for the answers (a levy plan's columns are sized to its
    schools' names, a tracker's charts and their captions drawn for its
    targets); such a workbook's template is built for it.
    """

    from_store: Callable[[ReturnStore, int, str, Mapping[str, Any]], Answers]
    template_options: Callable[[Answers, Mapping[str, str]], dict[str, Any]]
    describe: Callable[[Answers], str]
    resizable: frozenset[str] = frozenset()
    options_tables: frozenset[str] = field(default_factory=frozenset)
    layout: Callable[[Answers], dict[str, Any]] = field(default=lambda answers: {})

    def rows(self, answers: Answers, contract: Contract) -> dict[str, int]:
        """The ``rows`` option a template needs to hold the answers' tables (empty when the default fits).

        Example:
            >>> from lga_xl.kinds import kind
            >>> many = Answers("levy-plan", "2.0", {}, {"Schools": [{"urn": n} for n in range(70)]})
            >>> LEVY_PLAN.rows(many, kind("levy-plan").current)
            {'Schools': 80}
        """
        return {name: len(rows) + SPARE_ROWS for name, rows in answers.tables.items()
                if name in self.resizable and len(rows) > contract.table(name).rows}

    def fillable(self, answers: Answers) -> Answers:
        """The answers without the tables that are template options."""
        return answers.moved(answers.version, tables={name: rows for name, rows in answers.tables.items()
                                                      if name not in self.options_tables})


# The self-assessment.


def _self_assessment_from_store(store: ReturnStore, return_id: int, version: str,
                                context: Mapping[str, Any]) -> Answers:
    elements = [_present(id=element_id, status=status, evidence=evidence) for element_id, status, evidence in _rows(
        store, "SELECT element_id, status, evidence FROM element_statuses WHERE return_id = ? ORDER BY position",
        return_id)]
    targets = [_present(strand=strand, target=target) for strand, target in _rows(
        store, "SELECT strand, target FROM strand_ratings WHERE return_id = ? ORDER BY position", return_id)]
    # A row with no answer but its key carries nothing.
    tables = {"Elements": [row for row in elements if len(row) > 1],
              "Ratings": [row for row in targets if len(row) > 1]}
    return Answers("self-assessment", version, {}, {name: rows for name, rows in tables.items() if rows})


def _self_assessment_options(answers: Answers, meta: Mapping[str, str]) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if cells.text(answers.names.get("AssessmentType")) == "External":  # its own titles and footers
        options["assessment_type"] = "External"
    if meta.get("model_edition"):
        options["edition"] = meta["model_edition"]
    return options


def _describe_self_assessment(answers: Answers) -> str:
    elements = answers.tables.get("Elements", [])
    targets = [row for row in answers.tables.get("Ratings", []) if "target" in row]
    return (f"{sum('status' in row for row in elements)} statuses, {sum('evidence' in row for row in elements)} "
            f"evidence notes, {len(targets)} targets")


SELF_ASSESSMENT = Carrier(_self_assessment_from_store, _self_assessment_options, _describe_self_assessment)


# The levy plan.

# The plan's own figures a new year's plan starts from (the opening balance and commitments are the year's).
_LEVY_FIGURES = {"TotalPayBill": "total_pay_bill", "EnglishPercent": "english_percent", "Headcount": "headcount",
                 "LevyAllowance": "levy_allowance", "PayBillGrowth": "pay_bill_growth"}
_PERCENT_FIGURES = {"EnglishPercent", "PayBillGrowth"}  # the store keeps them as percentages (95 for 95%)


def _levy_plan_from_store(store: ReturnStore, return_id: int, version: str, context: Mapping[str, Any]) -> Answers:
    wanted_columns = ("tax_year", "funds_in", "previous_year_funds", *_LEVY_FIGURES.values())
    columns, rows = store.query(f"SELECT {', '.join(wanted_columns)} FROM levy_plans WHERE return_id = ?",
                                (return_id,))
    plan = dict(zip(columns, next(iter(rows))))
    names: dict[str, Any] = {}
    for name, column in _LEVY_FIGURES.items():
        value = plan.get(column)
        if value is None or (version == "1.0" and name in ("LevyAllowance", "PayBillGrowth")):
            continue  # 1.0 asked for neither: the new template's own defaults stand
        # Template 2.0 holds a percentage as a fraction; 1.0 as a number from 0 to 100.
        names[name] = _decimal(value) / 100 if name in _PERCENT_FIGURES and version != "1.0" else _decimal(value)
    notes = []
    wanted = context.get("tax_year")
    if wanted and plan["tax_year"] == wanted:
        previous = plan["previous_year_funds"]
    elif wanted and plan["tax_year"] == _tax_year_before(wanted):
        previous = plan["funds_in"]  # last year's plan's funds entering are this year's funds of last year
    else:
        previous = None
        notes.append(f"Funds that entered last tax year: the plan carried forward is for {plan['tax_year']}, not the "
                     f"year before {wanted}, so they were not carried")
    if previous is not None:
        names["PreviousYearFunds"] = _decimal(previous)
    schools = [_present(urn=urn, name=name, type=type_, pay_bill=pay_bill, headcount=headcount)
               for urn, name, type_, pay_bill, headcount in _rows(
                   store, "SELECT urn, name, type, pay_bill, headcount FROM schools WHERE return_id = ? "
                          "ORDER BY position", return_id)]
    tables = {"Schools": [row for row in schools if row]} if any(schools) else {}
    return Answers("levy-plan", version, names, tables, notes)


def _levy_plan_options(answers: Answers, meta: Mapping[str, str]) -> dict[str, Any]:
    from .standards import APPROVED_FOR_DELIVERY, Standard

    options: dict[str, Any] = {}
    if cells.text(answers.names.get("TaxYear")):
        options["tax_year"] = levy.normalise_tax_year(cells.text(answers.names["TaxYear"]))
    standards = []
    for row in answers.tables.get("Standards", []):
        reference, title = cells.text(row.get("reference")), cells.text(row.get("title"))
        try:
            level = cells.whole(row.get("level"))
            band = cells.number(row.get("max_funding"), minimum=0)
            duration = cells.whole(row.get("typical_duration_months"))
            first, last = cells.date(row.get("earliest_start")), cells.date(row.get("latest_start"))
        except cells.CellValueError as err:
            answers.notes.append(f"Standards: {reference or 'a standard'} was not carried ({err})")
            continue
        if not (reference and title and level and band):
            continue
        standards.append(Standard(reference.upper(), title, level.value, band.value,
                                  duration.value if duration else None,
                                  status=cells.text(row.get("status")) or APPROVED_FOR_DELIVERY,
                                  earliest_start_date=first.value if first else None,
                                  latest_start_date=last.value if last else None))
    if standards:
        options["standards"] = standards
        options["standards_source"] = meta.get("standards_source") or "the standards list of the earlier plan"
    return options


def _describe_levy_plan(answers: Answers) -> str:
    figures = [label for name, label in (("TotalPayBill", "pay bill"), ("EnglishPercent", "English percentage"),
                                         ("Headcount", "headcount"), ("PreviousYearFunds", "last year's funds"))
               if name in answers.names]
    schools = len(answers.tables.get("Schools", []))
    return ", ".join([*figures, f"{schools} schools"])


def _levy_plan_layout(answers: Answers) -> dict[str, Any]:
    from .writers.levy_plan import SchoolEntry

    schools = answers.tables.get("Schools", [])
    return {"schools": tuple(SchoolEntry(row.get("urn", ""), row.get("name"), row.get("type", ""), row.get("pay_bill"),
                                         row.get("headcount")) for row in schools)} if schools else {}


LEVY_PLAN = Carrier(_levy_plan_from_store, _levy_plan_options, _describe_levy_plan,
                    resizable=frozenset({"Schools", "PlannedStarts", "Transfers"}),
                    options_tables=frozenset({"Standards", "FundingBands"}), layout=_levy_plan_layout)


# The growth-strategy tracker.

_TRACKER_TABLES = {  # table -> (store table, its columns as the contract's keys)
    "Targets": ("tracker_targets", ("id", "measure", "unit", "direction", "baseline_date", "baseline", "target_date",
                                    "target", "amber_within", "note")),
    "Actuals": ("tracker_actuals", ("target_id", "date", "value", "source", "note")),
    "Actions": ("tracker_actions", ("number", "objective", "measure", "action", "accountable", "timescale", "due",
                                    "status", "update", "strand")),
    "PublicSector": ("tracker_public_sector", ("year", "headcount_start", "headcount_end", "starts_council",
                                               "starts_schools", "apprentices_end")),
}
_TRACKER_DATES = {"baseline_date", "target_date", "date", "due"}


def _tracker_from_store(store: ReturnStore, return_id: int, version: str, context: Mapping[str, Any]) -> Answers:
    from .store import quoted

    tables = {}
    for table, (store_table, keys) in _TRACKER_TABLES.items():
        rows = [_present(**{key: dt.date.fromisoformat(value) if key in _TRACKER_DATES and value else value
                            for key, value in zip(keys, values)})
                for values in _rows(store, f"SELECT {', '.join(map(quoted, keys))} FROM {store_table} "
                                           "WHERE return_id = ? ORDER BY position", return_id)]
        if rows := [row for row in rows if row]:
            tables[table] = rows
    names = {}
    strategy = next(iter(_rows(store, "SELECT strategy FROM trackers WHERE return_id = ?", return_id)), (None,))[0]
    if strategy:
        names["StrategyName"] = strategy
    notes = ["Objectives: the store does not keep them; copy them from your last tracker"] \
        if "Actions" in tables else []
    return Answers("tracker", version, names, tables, notes)


def _tracker_options(answers: Answers, meta: Mapping[str, str]) -> dict[str, Any]:
    return {}


def _describe_tracker(answers: Answers) -> str:
    counts = [(len(answers.tables.get(table, [])), what) for table, what in (
        ("Targets", "targets"), ("Actuals", "actuals"), ("Actions", "actions"), ("PublicSector", "reporting years"))]
    return ", ".join(f"{count} {what}" for count, what in counts)


def _tracker_layout(answers: Answers) -> dict[str, Any]:
    from . import targets as rules

    def target(row: Row) -> rules.Target:
        figures = {key: _decimal(row[key]) for key in ("baseline", "target", "amber_within")
                   if isinstance(row.get(key), (int, float, Decimal))}
        dates = {key: row[key] for key in ("baseline_date", "target_date") if isinstance(row.get(key), dt.date)}
        return rules.Target(cells.text(row.get("id")) or "", cells.text(row.get("measure")) or "",
                            cells.text(row.get("unit")) or rules.NUMBER, note=cells.text(row.get("note")) or "",
                            **figures, **dates)

    targets = answers.tables.get("Targets", [])
    return {"targets": tuple(map(target, targets))} if targets else {}


TRACKER = Carrier(_tracker_from_store, _tracker_options, _describe_tracker,
                  resizable=frozenset({"Targets", "Actuals", "Actions", "PublicSector"}), layout=_tracker_layout)


# Private API.

_TABLE_TAG = re.compile(rb"<table\b[^>]*>")
_ATTRIBUTE = {name: re.compile(rb'\s' + name + rb'="([^"]*)"') for name in (b"name", b"displayName", b"ref")}
_VALUE = re.compile(rb"<v>([^<]*)</v>")
_INLINE = re.compile(rb"<t(?:\s[^>]*)?>([^<]*)</t>")
_TYPE = re.compile(rb'\st="([^"]+)"')
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _rows_for(answers: Answers, table: Table, rows: list[Row], template: Template) -> list[int | None]:
    """The worksheet row of each answer row: by key in a keyed table, in order otherwise."""
    capacity = table_rows(template, table.name)
    keys = key_columns(table)
    if not keys:
        if len(rows) > capacity:
            raise CarryError(f"the template's {table.name} table has {capacity} rows, not the {len(rows)} carried")
        return list(range(table.first_row, table.first_row + len(rows)))
    key = keys[0]
    row_of = _keyed_rows(template, table, key.key, capacity)
    placed = []
    for row in rows:
        r = row_of.get(_key(row.get(key.key)))
        if r is None:
            answers.notes.append(f"{table.name}: the current template has no row {cells.text(row.get(key.key))!r}, "
                                 "so its answers were not carried")
        placed.append(r)
    return placed


def _keyed_rows(template: Template, table: Table, key: str, capacity: int) -> dict[str, int]:
    """Key -> worksheet row of a keyed table of a template, read from its cells once."""
    cache = template.__dict__.setdefault("_keyed_rows", {})
    if table.name not in cache:
        shown = cell_texts(template, table.sheet,
                           [table.cell(key, r) for r in range(table.first_row, table.first_row + capacity)])
        cache[table.name] = {_key(text): table.first_row + index for index, text in enumerate(shown) if text}
    return cache[table.name]


def _key(value: Any) -> str:
    return (cells.text(value) or "").casefold()


def _table_refs(template: Template) -> dict[str, str]:
    if "_table_refs" not in template.__dict__:
        refs = {}
        for name, data in template.parts.items():
            if name.startswith("xl/tables/") and name.endswith(".xml"):
                tag = _TABLE_TAG.search(data)
                if tag:
                    found = {key: match.group(1).decode() for key, pattern in _ATTRIBUTE.items()
                             if (match := pattern.search(tag.group(0)))}
                    refs[found.get(b"displayName") or found.get(b"name", "")] = found.get(b"ref", "")
        template.__dict__["_table_refs"] = refs
    return template.__dict__["_table_refs"]


def _shared_strings(template: Template) -> list[str]:
    if "_strings" not in template.__dict__:
        data = template.parts.get("xl/sharedStrings.xml")
        root = ElementTree.fromstring(data) if data else None
        template.__dict__["_strings"] = [] if root is None else [
            "".join(t.text or "" for t in item.iter(f"{_NS}t")) for item in root.iter(f"{_NS}si")]
    return template.__dict__["_strings"]


def _text_of(cell_xml: bytes, strings: list[str]) -> str | None:
    from xml.sax.saxutils import unescape

    kind = _TYPE.search(cell_xml.split(b">", 1)[0])
    kind = kind.group(1) if kind else b"n"
    if kind == b"s":
        value = _VALUE.search(cell_xml)
        return strings[int(value.group(1))] if value else None
    if kind == b"inlineStr":
        return unescape("".join(part.decode() for part in _INLINE.findall(cell_xml)))
    if kind == b"str":
        value = _VALUE.search(cell_xml)
        return unescape(value.group(1).decode()) if value else None
    return None


def _present(**values: Any) -> Row:
    """The non-blank values of a row."""
    return {key: value for key, value in values.items() if not cells.is_blank(value)}


def _rows(store: ReturnStore, sql: str, *params: Any) -> list[tuple]:
    return list(store.query(sql, params)[1])


def _decimal(value: Any) -> Decimal:
    """A number the store keeps as REAL, as the figure typed (to the penny)."""
    return Decimal(repr(value)).normalize() if isinstance(value, float) else Decimal(value)


def _tax_year_before(tax_year: str) -> str:
    first = int(tax_year[:4]) - 1
    return f"{first}-{(first + 1) % 100:02d}"
