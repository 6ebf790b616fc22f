"""Reading what LibreOffice printed: fonts, colours and words of a PDF's pages (poppler's tools).

Pages are rasterised to PPM (a header and raw RGB bytes), which the
standard library reads, so no imaging package is needed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path


def poppler_missing() -> str | None:
    """The first poppler tool these helpers need that is not installed, or None."""
    return next((tool for tool in ("pdftoppm", "pdftotext", "pdffonts") if shutil.which(tool) is None), None)


def pdf_fonts(pdf: Path) -> set[str]:
    """Names of the fonts the PDF uses, without the subset prefix (``LiberationSans-Bold``)."""
    lines = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout.splitlines()
    return {re.sub(r"^[A-Z]{6}\+", "", line.split()[0]) for line in lines[2:] if line.strip()}


def page_words(pdf: Path, page: int) -> list[str]:
    """The words printed on ``page`` (1-based)."""
    text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    return text.split()


@dataclass
class Picture:
    """One rendered page: its size and colours."""

    width: int
    height: int
    pixels: bytes  # RGB, row by row

    def colours(self) -> Counter[str]:
        """How many pixels have each colour, as hex RGB (``FFF7BF``)."""
        data = self.pixels
        return Counter(data[i:i + 3].hex().upper() for i in range(0, len(data), 3))

    def share_near(self, colour: str, tolerance: int = 6) -> float:
        """The share of the page's pixels within ``tolerance`` of ``colour`` on each channel."""
        target = bytes.fromhex(colour)
        near = sum(count for hexa, count in self.colours().items()
                   if all(abs(a - b) <= tolerance for a, b in zip(bytes.fromhex(hexa), target)))
        return near / (self.width * self.height)


def render_page(pdf: Path, page: int, dpi: int = 40) -> Picture:
    """Rasterise one page (1-based) of ``pdf``."""
    ppm = subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), str(pdf)], check=True,
                         capture_output=True).stdout
    match = re.match(rb"P6\s+(\d+)\s+(\d+)\s+(\d+)\s", ppm)
    if match is None:
        raise ValueError(f"pdftoppm did not write a PPM for page {page} of {pdf}")
    width, height = int(match[1]), int(match[2])
    return Picture(width, height, ppm[match.end():match.end() + width * height * 3])
