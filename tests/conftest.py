"""Shared fixtures: a LibreOffice recalculation service for the session."""

from __future__ import annotations

import os

# As lga_xl does: openpyxl's XML must not depend on whether lxml is installed (test modules
# import openpyxl before lga_xl, so the default lga_xl sets would come too late).
os.environ.setdefault("OPENPYXL_LXML", "False")
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from lga_xl.tools.render import convert_to_pdf
from tests.support.calculated import calculate
from tests.support.libreoffice import CALC_PDF, WRITER_PDF, LibreOffice, recalculate, soffice, uno_python

REQUIRE_LIBREOFFICE = os.environ.get("LGA_XL_REQUIRE_LIBREOFFICE") == "1"
# Run by a Python with pyuno, never imported by the tests (--doctest-modules would try).
collect_ignore = ["support/uno_bridge.py"]


class Recalculation:
    """LibreOffice's recalculation of workbooks, for the tests: two ways, the same values.

    ``libreoffice(paths)`` gives each workbook as LibreOffice saves it, recalculated in full (for
    tests of what a spreadsheet's save does to a return); ``libreoffice.values(paths)`` gives
    each workbook as written with LibreOffice's value of every formula put in, made without
    LibreOffice loading and saving each one (:mod:`tests.support.calculated`): for the tests
    that compare hundreds of workbooks' figures with Python.  Both return {path: copy}.
    ``libreoffice.pdf(paths, outdir)`` prints them.
    """

    def __init__(self, folders: pytest.TempPathFactory, office: LibreOffice | None) -> None:
        self._folders, self._office = folders, office

    def __call__(self, paths: Sequence[Path]) -> dict[Path, Path]:
        return recalculate(list(paths), self._folders.mktemp("libreoffice"), self._office)

    def values(self, paths: Sequence[Path]) -> dict[Path, Path]:
        if self._office is None:  # no UNO: the command line saves them, with the same values
            return self(paths)
        return calculate(list(paths), self._folders.mktemp("calculated"), self._office)

    def pdf(self, paths: Sequence[Path], outdir: Path) -> dict[Path, Path]:
        """Workbooks (recalculated) and Word documents printed to PDF in ``outdir``, as ``lga_xl.tools.render``
        prints them, without starting a LibreOffice for the call."""
        if self._office is None:
            return convert_to_pdf(list(paths), outdir)
        outdir.mkdir(parents=True, exist_ok=True)
        return {path: self._office.convert(path, outdir / f"{i}-{path.stem}.pdf",
                                           WRITER_PDF if path.suffix == ".docx" else CALC_PDF)
                for i, path in enumerate(paths)}


@pytest.fixture(scope="session")
def libreoffice(tmp_path_factory) -> Iterator[Recalculation]:
    """LibreOffice's recalculation of workbooks (:class:`Recalculation`), by one LibreOffice kept
    running for the session.

    Skips when soffice is missing, unless LGA_XL_REQUIRE_LIBREOFFICE=1 (as in
    CI), where a missing LibreOffice fails the test instead.  Without a Python
    that can drive it over UNO, each call starts LibreOffice from the command line.
    """
    if soffice() is None:
        message = "LibreOffice (soffice) is not installed"
        if REQUIRE_LIBREOFFICE:
            pytest.fail(message + " but LGA_XL_REQUIRE_LIBREOFFICE=1")
        pytest.skip(message)
    python = uno_python()
    office = LibreOffice(python) if python else None
    yield Recalculation(tmp_path_factory, office)
    if office is not None:
        office.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Modules that use LibreOffice first: they are the longest, and started last they leave
    one test worker busy long after the others have finished."""
    uses_libreoffice = {item.path for item in items
                        if item.get_closest_marker("libreoffice") or "libreoffice" in getattr(item, "fixturenames", ())}
    items.sort(key=lambda item: item.path not in uses_libreoffice)
