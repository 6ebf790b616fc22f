"""The package's public names resolve, and the pure modules load without the heavy ones."""

import subprocess
import sys

import lga_xl


def test_every_public_name_resolves():
    for name in lga_xl.__all__:
        assert getattr(lga_xl, name) is not None, name


def test_rating_and_levy_import_nothing_from_excel_or_files():
    code = ("import sys, lga_xl.rating, lga_xl.levy, lga_xl.maturity; "
            "print(sorted(m for m in ('openpyxl', 'python_calamine', 'pandas', 'xlsxwriter', 'xlwings', 'sqlite3') "
            "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
