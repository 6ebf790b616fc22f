"""Shared fixtures: a LibreOffice recalculation service for the session."""

from __future__ import annotations

import os

# As lga_xl does: openpyxl's XML must not depend on whether lxml is installed (test modules
# import openpyxl before lga_xl, so the default lga_xl sets would come too late).
os.environ.setdefault("OPENPYXL_LXML", "False")
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from tests.support.libreoffice import recalculate, soffice

REQUIRE_LIBREOFFICE = os.environ.get("LGA_XL_REQUIRE_LIBREOFFICE") == "1"


@pytest.fixture(scope="session")
def libreoffice(tmp_path_factory) -> Callable[[Sequence[Path]], dict[Path, Path]]:
    """``libreoffice(paths) -> {path: recalculated copy}``.

    Skips when soffice is missing, unless LGA_XL_REQUIRE_LIBREOFFICE=1 (as in
    CI), where a missing LibreOffice fails the test instead.
    """
    if soffice() is None:
        message = "LibreOffice (soffice) is not installed"
        if REQUIRE_LIBREOFFICE:
            pytest.fail(message + " but LGA_XL_REQUIRE_LIBREOFFICE=1")
        pytest.skip(message)

    def run(paths: Sequence[Path]) -> dict[Path, Path]:
        return recalculate(list(paths), tmp_path_factory.mktemp("libreoffice"))

    return run
