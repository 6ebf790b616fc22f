"""Pictures of a workbook's printed pages: headless LibreOffice to PDF, then ``pdftoppm`` to PNG.

Look at what a writer made before calling it done::

    python -m lga_xl.tools.render plan.xlsx [more.xlsx ...] [--out DIR] [--dpi N] [--force]

Each page becomes ``<file>-<sheet>-<page>.png`` (the sheet read from the
page footer the house style prints; ``<file>-page-<n>.png`` for a page
without one), beside ``<file>.pdf``, in ``DIR`` (default: a ``<file>-pages``
folder next to the workbook). Existing files are never overwritten without
``--force``. Needs LibreOffice (``soffice``) and poppler (``pdftoppm``,
``pdftotext``).

The PDF helpers (:func:`pdf_pages_by_sheet`, :func:`one_page_wide_problems`)
let tests check how a workbook prints.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.cell import range_to_tuple

__all__ = [
    "RenderError",
    "convert_to_pdf",
    "main",
    "one_page_wide_problems",
    "page_texts",
    "pdf_pages_by_sheet",
    "render",
    "sheet_of_each_page",
]

# LibreOffice trusts the cached values in a file unless told to recalculate on load; openpyxl
# writes formulas without values, so a fresh profile that always recalculates is used per run.
RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">\
<value>0</value></prop></item>
</oor:items>
"""
DEFAULT_DPI = 100
_FOOTER_PAGE = re.compile(r"Page (\d+) of (\d+)\s*$")


class RenderError(Exception):
    """A workbook could not be rendered; the message is one line saying why and what to do."""


# Public API.


def render(path: str | Path, out_dir: str | Path | None = None, *, dpi: int = DEFAULT_DPI,
           force: bool = False) -> list[Path]:
    """PNG pictures of every printed page of the workbook at ``path``, in order; returns their paths.

    The PDF LibreOffice printed is kept beside them as ``<file>.pdf``.

    Raises:
        RenderError: a tool is missing, the file is missing or cannot be
            converted, or an output exists and ``force`` is not set.
    """
    path = Path(path)
    out = Path(out_dir) if out_dir is not None else path.with_name(f"{path.stem}-pages")
    _require("pdftoppm", "poppler-utils")
    _require("pdftotext", "poppler-utils")
    if not path.is_file():
        raise RenderError(f"{path}: no such file")
    if path.suffix.lower() in (".xlsx", ".xlsm") and not zipfile.is_zipfile(path):
        raise RenderError(f"{path}: not an Excel workbook (an .xlsx file is a zip package; this is not)")
    with tempfile.TemporaryDirectory(prefix="lga-xl-render-") as scratch:
        work = Path(scratch)
        pdf = convert_to_pdf([path], work / "pdf")[path]
        try:
            subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(work / "page")],
                           check=True, capture_output=True, timeout=600)
            names = _page_names(path.stem, sheet_of_each_page(pdf, _sheet_names(path)))
        except subprocess.CalledProcessError as error:
            message = error.stderr.decode("utf-8", "replace").strip().splitlines()[:1]
            raise RenderError(f"{path}: {error.cmd[0]} failed on the PDF: {' '.join(message)}") from None
        pages = sorted(work.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        if len(names) != len(pages):
            raise RenderError(f"{path}: pdftoppm wrote {len(pages)} pictures for {len(names)} pages")
        targets = [out / name for name in names]
        kept_pdf = out / f"{path.stem}.pdf"
        if not force:
            for target in [kept_pdf, *targets]:
                if target.exists():
                    raise RenderError(f"{target} exists; use --force to overwrite it")
        out.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pdf, kept_pdf)
        for page, target in zip(pages, targets):
            shutil.copyfile(page, target)
    return targets


def convert_to_pdf(paths: Sequence[Path], out_dir: Path, *, timeout: float = 600) -> dict[Path, Path]:
    """Print each workbook to PDF with headless LibreOffice (recalculating it first); input -> PDF.

    Raises:
        RenderError: LibreOffice is missing, timed out, or wrote no PDF for a file.
    """
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise RenderError("LibreOffice (soffice) is not installed: install libreoffice-calc-nogui")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lga-xl-lo-") as scratch:
        profile, inbox = Path(scratch) / "profile", Path(scratch) / "in"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(RECALC_ALWAYS)
        inbox.mkdir()
        # LibreOffice names each PDF after its input: numbered copies keep equal names apart.
        copies = {path: Path(shutil.copyfile(path, inbox / f"{i}-{path.name}")) for i, path in enumerate(paths)}
        try:
            subprocess.run(
                [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--nologo",
                 "--nodefault", "--convert-to", "pdf", "--outdir", str(out_dir), *map(str, copies.values())],
                check=False, capture_output=True, timeout=timeout, env={**os.environ, "HOME": str(profile)},
            )
        except subprocess.TimeoutExpired:
            raise RenderError(f"LibreOffice took more than {timeout:.0f} s to convert {len(paths)} file(s)") from None
    results = {}
    for path, copy in copies.items():
        pdf = out_dir / f"{copy.stem}.pdf"
        if not pdf.exists():  # soffice exits 0 even when a file fails to load
            raise RenderError(f"{path}: LibreOffice could not convert it (is it a workbook?)")
        results[path] = pdf
    return results


def page_texts(pdf: str | Path) -> list[str]:
    """The text of each page of ``pdf`` as laid out on the page (``pdftotext -layout``)."""
    _require("pdftotext", "poppler-utils")
    result = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, timeout=300)
    pages = result.stdout.decode("utf-8", "replace").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def sheet_of_each_page(pdf: str | Path, sheet_names: Sequence[str] = ()) -> list[str | None]:
    """The sheet each page printed, read from the house footer ("title   Sheet   Page n of m").

    With ``sheet_names`` the footer is matched against them (longest first);
    otherwise the sheet is the footer's middle part. None for a page without
    the footer.
    """
    sheets: list[str | None] = []
    for text in page_texts(pdf):
        # The footer's line, wherever pdftotext puts it (a chart's legend may come after it).
        footers = [line for line in text.splitlines() if _FOOTER_PAGE.search(line)]
        if not footers:
            sheets.append(None)
            continue
        footer = footers[-1]
        match = _FOOTER_PAGE.search(footer)
        rest = footer[: match.start()].strip()
        named = [name for name in sorted(sheet_names, key=len, reverse=True) if rest.endswith(name)]
        if named:
            sheets.append(named[0])
        else:
            parts = re.split(r"\s{2,}", rest)
            sheets.append(parts[-1] if len(parts) > 1 else None)
    return sheets


def pdf_pages_by_sheet(pdf: str | Path, sheet_names: Sequence[str] = ()) -> dict[str, int]:
    """How many pages each sheet printed, in the order they print (pages without the footer left out).

    Example (with LibreOffice):
        ``pdf_pages_by_sheet("plan.pdf")`` gives ``{"Instructions": 2, "Plan": 1, ...}``.
    """
    counts = Counter(sheet for sheet in sheet_of_each_page(pdf, sheet_names) if sheet is not None)
    return dict(counts)


def one_page_wide_problems(workbook: str | Path, pdf: str | Path) -> list[str]:
    """Sheets of ``workbook`` that are not set, or did not print, one page wide in ``pdf``; [] when all are.

    Set: the sheet fits to one page wide (fitToPage, fitToWidth 1).
    Printed: the texts at both ends of the widest text row of the print area
    (usually the table's header) are on the same page; a sheet split across
    pages side by side prints its right-hand columns on later pages.
    """
    wb = load_workbook(workbook)
    pages_of: dict[str, list[str]] = {}
    for sheet, text in zip(sheet_of_each_page(pdf, wb.sheetnames), page_texts(pdf)):
        if sheet is not None:  # the footer's words ("Page 16 of 18") are left out: they are not the sheet's
            body = "\n".join(line for line in text.splitlines() if not _FOOTER_PAGE.search(line))
            pages_of.setdefault(sheet, []).append(_words(body))
    problems = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        fit = ws.sheet_properties.pageSetUpPr
        if not (fit is not None and fit.fitToPage and ws.page_setup.fitToWidth in (None, 1)):  # absent is 1
            problems.append(f"{ws.title}: not set to fit one page wide (fitToPage with fitToWidth 1)")
        ends = _widest_text_row(ws)
        if ends is None or ws.title not in pages_of:
            continue
        left, right = (_words(text) for text in ends)
        if not any(set(left) <= set(page) and set(right) <= set(page) for page in pages_of[ws.title]):
            problems.append(f"{ws.title}: {ends[0]!r} and {ends[1]!r} (the ends of one row) "
                            "did not print on the same page")
    return problems


# Private API.


def _require(tool: str, package: str) -> None:
    if shutil.which(tool) is None:
        raise RenderError(f"{tool} is not installed: install {package}")


def _sheet_names(path: Path) -> list[str]:
    try:
        return load_workbook(path, read_only=True).sheetnames
    except Exception:  # openpyxl cannot read it, LibreOffice could: the footer's middle part will do
        return []


def _page_names(stem: str, sheets: Sequence[str | None]) -> list[str]:
    names, seen = [], Counter()
    for number, sheet in enumerate(sheets, start=1):
        if sheet is None:
            names.append(f"{stem}-page-{number}.png")
            continue
        seen[sheet] += 1
        slug = re.sub(r"[^A-Za-z0-9]+", "-", sheet).strip("-") or "sheet"
        names.append(f"{stem}-{slug}-{seen[sheet]}.png")
    return names


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _widest_text_row(ws) -> tuple[str, str] | None:
    """The texts in the first and last columns of the first print-area row holding text in both."""
    if ws.print_area:
        _, (min_col, min_row, max_col, max_row) = range_to_tuple(ws.print_area.split(",")[0])
    else:
        min_col, min_row, max_col, max_row = 1, 1, ws.max_column, ws.max_row
    for row in ws.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col):
        first, last = row[0], row[-1]
        if all(isinstance(c.value, str) and c.data_type == "s" and _words(c.value) for c in (first, last)):
            return first.value, last.value
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """The command line; returns the exit code (0 done, 1 a file failed, 2 a tool or usage problem)."""
    parser = argparse.ArgumentParser(prog="python -m lga_xl.tools.render",
                                     description="PNG pictures of every printed page of each workbook.")
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--out", type=Path, help="folder for the pictures (default: <file>-pages beside each file)")
    parser.add_argument("--dpi", type=int, default=DEFAULT_DPI, help=f"resolution (default {DEFAULT_DPI})")
    parser.add_argument("--force", action="store_true", help="overwrite pictures that exist")
    args = parser.parse_args(argv)
    if args.dpi < 20 or args.dpi > 600:
        parser.error("--dpi must be from 20 to 600")
    worst = 0
    for path in args.files:
        try:
            pictures = render(path, args.out, dpi=args.dpi, force=args.force)
        except RenderError as error:
            print(f"render: {error}", file=sys.stderr)
            missing_tool = "is not installed" in str(error)
            worst = max(worst, 2 if missing_tool else 1)
            if missing_tool:
                break
            continue
        folder = pictures[0].parent if pictures else Path(".")
        by_sheet = pdf_pages_by_sheet(folder / f"{path.stem}.pdf", _sheet_names(path))
        summary = ", ".join(f"{sheet} {count}" for sheet, count in by_sheet.items())
        print(f"{path}: {len(pictures)} page(s) ({summary}) in {folder}")
    return worst


if __name__ == "__main__":
    sys.exit(main())
