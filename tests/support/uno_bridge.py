"""Drive one headless LibreOffice over UNO: requests sent one per line on stdin.

Run by a Python that can ``import uno`` (Debian's python3 with python3-uno, or LibreOffice's
own ``program/python``), never by the test environment's Python, which cannot load pyuno.
Starting LibreOffice costs a second or more; kept running, each file costs only its load,
recalculation and export.  tests/support/libreoffice.py starts and talks to it.

Usage: python3 uno_bridge.py SOFFICE PROFILE_DIR PIPE_NAME
Each stdin line is JSON, one of:

- {"source": path, "target": path, "filter": export filter name}: load, recalculate in full,
  export;
- {"base": path, "holding": name, "name": name, "set": [[sheet, cell, kind, value], ...],
  "read": {sheet: [first row, first column, last row, last column]}}: set these cells of the
  base workbook (loaded once and kept open: kind "number", "text", "formula", or "empty" to
  clear the cell; or kind "values" for a range such as "B5:B40", its value the rows of the
  range, each a list of numbers and texts, "" clearing a cell), which turn the workbook it holds ("holding": the base's path as loaded, or
  the "name" of the request before) into the workbook "name"; recalculate it in full and answer
  the values in the boxes to read (counted from 0).  Loading and saving a workbook cost
  LibreOffice ten to a hundred times its recalculation, so workbooks that differ from one
  another only in their typed values are recalculated on one loaded copy.  When it holds
  another workbook than "holding" (it was loaded afresh after a crash), it answers
  {"ok": false, "holding": what it holds} and sets nothing.

Each stdout line answers one request: {"ok": true} (with "sheets" for a recalculation:
{name: {"rows": the box's values, row by row, "errors": {"row,column": "#N/A"}}}), or
{"ok": false, "error": "one line"}.
Every workbook is recalculated in full (LibreOffice would otherwise trust the values cached
in it, and openpyxl writes formulas without any).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException
from com.sun.star.sheet.FormulaResult import ERROR

CONNECT_SECONDS = 120
KEPT_OPEN = 4  # base workbooks kept loaded (a test module uses one to a few)
CONTENTS = 1 | 2 | 4 | 16  # com.sun.star.sheet.CellFlags VALUE, DATETIME, STRING, FORMULA: clear a cell, keep its format


def prop(name: str, value: object) -> PropertyValue:
    item = PropertyValue()
    item.Name, item.Value = name, value
    return item


class Office:
    def __init__(self, soffice: str, profile: str, pipe: str) -> None:
        self.command = [soffice, f"-env:UserInstallation={uno.systemPathToFileUrl(profile)}", "--headless",
                        "--norestore", "--nologo", "--nodefault", "--nolockcheck"]
        self.profile, self.pipe = profile, pipe
        self.starts = 0  # each start listens on a pipe of its own: UNO keeps a bridge to a dead one
        self.process: subprocess.Popen | None = None
        self.desktop = None
        self.bases: dict[str, Base] = {}

    def start(self) -> None:
        self.starts += 1
        pipe = f"{self.pipe}-{self.starts}"
        self.process = subprocess.Popen([*self.command, f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, env={"HOME": self.profile, "PATH": "/usr/bin:/bin"})
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + CONNECT_SECONDS
        while True:
            try:
                context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except NoConnectException:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("LibreOffice did not start") from None
                time.sleep(0.05)
        self.desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        self.bases = {}

    def convert(self, source: str, target: str, export_filter: str) -> None:
        document = self.load(source)
        try:
            if hasattr(document, "calculateAll"):  # a spreadsheet (Writer documents have no formulas to redo)
                document.calculateAll()
            document.storeToURL(uno.systemPathToFileUrl(target), (prop("FilterName", export_filter),))
        finally:
            document.close(True)

    def load(self, source: str, *, editable: bool = False) -> object:
        # A read-only document takes new values but ignores a cell cleared: a base is opened editable.
        document = self.desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0,
                                                     (prop("Hidden", True), prop("ReadOnly", not editable)))
        if document is None:
            raise RuntimeError("LibreOffice could not open it")
        return document

    def calculate(self, base: str, holding: str, name: str, changes: list, boxes: dict) -> dict:
        if base not in self.bases:
            if len(self.bases) >= KEPT_OPEN:
                self.bases.pop(next(iter(self.bases))).document.close(True)
            self.bases[base] = Base(self.load(base, editable=True), holding=base)
        kept = self.bases[base]
        if kept.holding != holding:  # loaded afresh (after a crash): the changes were worked out for other cells
            return {"ok": False, "error": f"it holds {kept.holding}, not {holding}", "holding": kept.holding}
        try:
            kept.put(changes)
            kept.holding = name
            kept.document.calculateAll()
            return {"ok": True, "sheets": kept.values(boxes)}
        except Exception:
            del self.bases[base]  # its cells are no longer what the client was told: load it afresh next time
            kept.document.close(True)
            raise

    def alive(self) -> bool:
        if self.process is None or self.process.poll() is not None:
            return False
        try:
            self.desktop.getComponents()  # the process can outlive LibreOffice itself (its launcher)
            return True
        except Exception:  # noqa: BLE001 - any failure to answer is a LibreOffice gone
            self.process.kill()
            self.process.wait()
            return False

    def stop(self) -> None:
        if self.alive():
            try:
                self.desktop.terminate()
                self.process.wait(timeout=30)
            except Exception:  # noqa: BLE001 - it is going away either way
                self.process.kill()


class Base:
    """A workbook kept loaded, whose cells are set and read for many workbooks like it."""

    def __init__(self, document: object, holding: str) -> None:
        self.document = document
        document.UndoManager.lock()  # nothing is undone here, and an edit kept for undo costs a third more
        self.holding = holding  # the workbook whose typed cells it holds
        self.sheets = {sheet.Name: sheet for sheet in document.Sheets}
        for sheet in self.sheets.values():  # a range's values are refused where a cell is locked (one cell's are not)
            if sheet.isProtected():
                sheet.unprotect("")  # the templates are protected without a password; protection decides no value
        self.cells: dict[tuple[str, str], object] = {}  # each a UNO proxy: fetched once, reused

    def put(self, changes: list) -> None:
        for sheet, ref, kind, value in changes:
            cell = self.cells.get((sheet, ref))
            if cell is None:
                cell = self.cells[sheet, ref] = self.sheets[sheet].getCellRangeByName(ref)
            if kind == "values":  # numbers and texts (as typed text, never read as a number), "" cleared
                cell.setDataArray(tuple(tuple(row) for row in value))
            elif kind == "number":
                cell.setValue(value)
            elif kind == "text":
                cell.setString(value)
            elif kind == "formula":
                cell.setFormula(value)
            else:
                cell.clearContents(CONTENTS)

    def values(self, boxes: dict) -> dict:
        """Each sheet's values in its box [first row, first column, last row, last column] (from 0)."""
        sheets = {}
        for name, (top, left, bottom, right) in boxes.items():
            sheet = self.sheets[name]
            box = sheet.getCellRangeByPosition(left, top, right, bottom)
            errors = {}
            for address in box.queryFormulaCells(ERROR).RangeAddresses:
                for row in range(address.StartRow, address.EndRow + 1):
                    for column in range(address.StartColumn, address.EndColumn + 1):
                        errors[f"{row},{column}"] = sheet.getCellByPosition(column, row).String
            sheets[name] = {"rows": box.DataArray, "errors": errors}
        return sheets


def main(soffice: str, profile: str, pipe: str) -> None:
    office = Office(soffice, profile, pipe)
    office.start()
    try:
        for line in sys.stdin:
            request = json.loads(line)
            try:
                if not office.alive():  # a file that crashed LibreOffice costs that file alone
                    office.start()
                if "base" in request:
                    answer = office.calculate(request["base"], request["holding"], request["name"], request["set"],
                                              request["read"])
                else:
                    office.convert(request["source"], request["target"], request["filter"])
                    answer = {"ok": True}
            except Exception as error:  # noqa: BLE001 - reported for the file, the bridge goes on
                answer = {"ok": False, "error": " ".join(str(error).split()) or type(error).__name__}
            print(json.dumps(answer), flush=True)
    finally:
        office.stop()


if __name__ == "__main__":
    main(*sys.argv[1:4])
