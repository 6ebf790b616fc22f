"""Recalculate workbooks in headless LibreOffice (see docs/excel-compatibility.md).

LibreOffice trusts cached values unless told to always recalculate, so each
run gets its own profile with OOXMLRecalcMode=0 ("always").  One start costs
about a second, then ~0.1 s a file, so convert many files in one call.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from lga_xl.tools.render import RECALC_ALWAYS  # the one profile setting, shared with the render tool


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def recalculate(paths: Sequence[Path], outdir: Path, timeout: float = 900) -> dict[Path, Path]:
    """Open, recalculate and re-save ``paths`` as xlsx in ``outdir``.

    Returns input path -> output path.  Raises RuntimeError naming any file
    LibreOffice failed to write (it exits 0 even when a file fails to load).
    """
    exe = soffice()
    if exe is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    outdir.mkdir(parents=True, exist_ok=True)
    names = [p.name for p in paths]
    if len(set(names)) != len(names):
        raise ValueError("file names must be unique: LibreOffice writes outputs by name")
    results: dict[Path, Path] = {}
    with tempfile.TemporaryDirectory(prefix="lga-xl-lo-") as profile:
        (Path(profile) / "user").mkdir()
        (Path(profile) / "user" / "registrymodifications.xcu").write_text(RECALC_ALWAYS)
        # Batches keep the command line short; one profile, started once per batch.
        for start in range(0, len(paths), 200):
            batch = list(paths[start : start + 200])
            subprocess.run(
                [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--nologo",
                 "--nodefault", "--convert-to", "xlsx", "--outdir", str(outdir), *map(str, batch)],
                check=False, capture_output=True, timeout=timeout, env={**os.environ, "HOME": profile},
            )
            for path in batch:
                out = outdir / (path.stem + ".xlsx")
                if not out.exists():
                    raise RuntimeError(f"LibreOffice did not convert {path}")
                results[path] = out
    return results


PENNY = Decimal("0.01")


def recalculated_value(value: object) -> object:
    """A cell LibreOffice recalculated, as a reader's model holds it: blank None, whole numbers int, money to the penny."""
    if value in (None, ""):
        return None
    if isinstance(value, float):
        return int(value) if value.is_integer() else Decimal(str(value)).quantize(PENNY)
    return value


def model_value(value: object) -> object:
    """A model's value as :func:`recalculated_value` gives the cell."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else value.quantize(PENNY)
    return None if value == "" else value
