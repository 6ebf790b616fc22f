"""Recalculate workbooks in headless LibreOffice (see docs/excel-compatibility.md).

LibreOffice trusts cached values unless told to recalculate, so every file is recalculated
in full before it is saved.  Starting LibreOffice costs a second or more, so a test session
keeps one running per worker (:class:`LibreOffice`, driven over UNO by uno_bridge.py) when a
Python with pyuno is installed (Debian: python3-uno); otherwise each call starts one and
converts its files in batches from the command line.
"""

from __future__ import annotations

import json
import os
import selectors
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from lga_xl.tools.render import RECALC_ALWAYS  # the one profile setting, shared with the render tool

BRIDGE = Path(__file__).with_name("uno_bridge.py")
XLSX, CALC_PDF, WRITER_PDF = "Calc Office Open XML", "calc_pdf_Export", "writer_pdf_Export"


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def uno_python() -> str | None:
    """A Python that can drive LibreOffice over UNO: $LGA_XL_UNO_PYTHON, LibreOffice's own, or the system's."""
    exe = soffice()
    candidates = [os.environ.get("LGA_XL_UNO_PYTHON"), "/usr/bin/python3"]
    if exe:
        candidates.insert(1, str(Path(os.path.realpath(exe)).with_name("python")))
    for candidate in filter(None, candidates):
        if Path(candidate).is_file() and subprocess.run([candidate, "-c", "import uno"], capture_output=True,
                                                        check=False).returncode == 0:
            return candidate
    return None


class OutOfStep(Exception):
    """The workbook kept loaded holds other typed cells than a request was worked out for: it was loaded afresh."""


class LibreOffice:
    """One headless LibreOffice kept running for many files (``with LibreOffice() as office:``).

    :meth:`convert` loads a file, recalculates it in full and exports it to the file asked for;
    :meth:`calculate` recalculates a workbook kept loaded with some of its cells changed
    (tests/support/calculated.py). A file LibreOffice cannot open, or that crashes it, raises
    RuntimeError naming it; after a crash the next file starts a fresh LibreOffice.
    """

    def __init__(self, python: str, timeout: float = 300) -> None:
        self.timeout = timeout
        self._scratch = tempfile.TemporaryDirectory(prefix="lga-xl-uno-")
        self.profile = self._scratch.name  # in the command line of its soffice process
        profile = Path(self.profile)
        _new_profile(profile, recalculate_on_load=False)  # the bridge recalculates every file once, in full
        self._bridge = subprocess.Popen([python, str(BRIDGE), soffice() or "soffice", str(profile),
                                         f"lga-xl-{uuid.uuid4().hex}"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self._bases: dict[Path, Path] = {}
        self._answers = selectors.DefaultSelector()
        self._answers.register(self._bridge.stdout, selectors.EVENT_READ)

    def convert(self, source: Path, target: Path, export_filter: str = XLSX) -> Path:
        request = {"source": str(source.resolve()), "target": str(target.resolve()), "filter": export_filter}
        self._ask(request, f"convert {source}")
        if not target.exists():
            raise RuntimeError(f"LibreOffice did not convert {source}: no file written")
        return target

    def calculate(self, base: Path, holding: Path, name: Path, changes: list[list[object]],
                  boxes: dict[str, list[int]]) -> dict:
        """The values in ``boxes`` of the workbook ``base`` kept loaded, made the workbook ``name`` by
        ``changes`` to the cells of the workbook it holds, ``holding`` (see uno_bridge.py).

        Raises OutOfStep when it holds another workbook (it was loaded afresh after a crash)."""
        kept = self._bases.get(base)
        if kept is None:  # LibreOffice edits a copy of its own, and leaves its lock file beside that
            kept = self._bases[base] = Path(self._scratch.name) / f"base-{len(self._bases)}{base.suffix}"
            shutil.copyfile(base, kept)
        label = {base: str(kept)}  # the base is known by its copy's name, as the bridge loads it
        request = {"base": str(kept), "holding": label.get(holding, str(holding)), "name": label.get(name, str(name)),
                   "set": changes, "read": boxes}
        answer = self._ask(request, f"recalculate {name}", out_of_step=True)
        if "holding" in answer:
            raise OutOfStep(f"LibreOffice holds {answer['holding']}, not {holding}")
        return answer["sheets"]

    def _ask(self, request: dict, doing: str, *, out_of_step: bool = False) -> dict:
        self._bridge.stdin.write(json.dumps(request) + "\n")
        self._bridge.stdin.flush()
        if not self._answers.select(self.timeout):
            self.close()
            raise RuntimeError(f"LibreOffice took more than {self.timeout:.0f} s to {doing}")
        line = self._bridge.stdout.readline()
        if not line:
            raise RuntimeError(f"LibreOffice stopped while asked to {doing}")
        answer = json.loads(line)
        if not answer["ok"] and not (out_of_step and "holding" in answer):
            raise RuntimeError(f"LibreOffice did not {doing}: {answer.get('error')}")
        return answer

    def close(self) -> None:
        if self._bridge.poll() is None:
            self._bridge.stdin.close()
            try:
                self._bridge.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self._bridge.kill()
        self._bridge.stdout.close()
        self._scratch.cleanup()

    def __enter__(self) -> LibreOffice:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def recalculate(paths: Sequence[Path], outdir: Path, office: LibreOffice | None = None,
                timeout: float = 900) -> dict[Path, Path]:
    """Open, recalculate and re-save ``paths`` as xlsx in ``outdir`` (by ``office`` when given).

    Returns input path -> output path.  Raises RuntimeError naming any file
    LibreOffice failed to write (it exits 0 even when a file fails to load).
    """
    outdir.mkdir(parents=True, exist_ok=True)
    names = [p.name for p in paths]
    if len(set(names)) != len(names):
        raise ValueError("file names must be unique: outputs are named after their inputs")
    if office is not None:
        return {path: office.convert(path, outdir / (path.stem + ".xlsx")) for path in paths}
    exe = soffice()
    if exe is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    results: dict[Path, Path] = {}
    with tempfile.TemporaryDirectory(prefix="lga-xl-lo-") as profile:
        _new_profile(Path(profile), recalculate_on_load=True)
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


def _new_profile(folder: Path, *, recalculate_on_load: bool) -> None:
    """A LibreOffice profile in ``folder`` whose one setting says whether loading a file recalculates its
    formulas (OOXMLRecalcMode 0, always) or keeps the values cached in it (1, never)."""
    (folder / "user").mkdir()
    setting = RECALC_ALWAYS if recalculate_on_load else RECALC_ALWAYS.replace("<value>0<", "<value>1<")
    (folder / "user" / "registrymodifications.xcu").write_text(setting)


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
