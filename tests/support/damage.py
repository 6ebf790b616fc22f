"""Valid returns damaged part by part, and a reader that survives whatever they do.

A return is an xlsx package: a zip of XML parts.  :func:`damage` takes one
part and damages it one way, as real files get damaged (a sync client that
stops half way, an editor that drops an element, a tool that writes a
reference wrong, a disk that flips a few bytes):

* ``drop-element``: one element removed (a row, a cell, a table column, a sheet);
* ``change-number``: one number changed (a count, an index, a row number, a value);
* ``truncate-part``: the part cut short;
* ``delete-part``: the part removed from the package;
* ``widen-reference``: a cell reference widened, reversed or taken outside the grid
  (a table's ``ref``, a sheet's dimension, a defined name, a merge, a selection);
* ``flip-cell-type``: a cell's type changed (text to number, a shared-string index
  past the end, a boolean holding text);
* ``garble-bytes``: a few bytes overwritten.

:func:`read_outcomes` reads files in a child process with a time limit per
file, so that a file that kills the process or hangs is seen as such instead
of ending the test run; ``python -m tests.support.damage worker`` is that child.

Example:
    >>> import random
    >>> data = b'<worksheet><dimension ref="A1:F9"/><sheetData/></worksheet>'
    >>> widen_reference("xl/worksheets/sheet1.xml", data, random.Random(1)) != data
    True
"""

from __future__ import annotations

import io
import json
import os
import queue
import random
import re
import subprocess
import sys
import threading
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# Sizes and numbers that break readers: the grid's edges and past them, integer widths, floats, nonsense.
_NUMBERS = ("0", "-1", "1048576", "1048577", "16384", "16385", "2147483647", "2147483648", "4294967296",
            "18446744073709551616", "99999999999999999999999", "1e308", "-1e308", "0.5", "NaN", "inf", "", "x")
# References past the grid, reversed, whole-sheet, or not references at all.
_REFERENCES = ("A1:XFD1048576", "A1:A1048576", "A1:XFD1", "XFD1048576", "A0", "A0:B2", "XFE1", "A1:XFE2",
               "A1:ZZZZ99999999", "Z99:A1", "B2:A1", "A1048577", "A1:B2:C3", "", "$", "A", "1", "A1:")
_CELL_TYPES = ("s", "n", "b", "e", "str", "inlineStr", "d", "x", "")
_TAG = re.compile(rb"<([A-Za-z_][\w:.-]*)\b[^<>]*?(/?)>")
_NUMBER = re.compile(rb"(?<![\w.#])-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w.])")
_REF = re.compile(rb"(?<![A-Za-z])\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?(?![\w(])")
_CELL = re.compile(rb"<c\b[^<>]*?/?>")
_TYPE_ATTR = re.compile(rb'\st="[^"]*"')


@dataclass(frozen=True)
class Damage:
    """What was done to a return: which part, how, and the detail (for a failure's report)."""

    part: str
    mutation: str
    detail: str

    def describe(self) -> str:
        return f"{self.part}: {self.mutation} ({self.detail})"


# Public API: damaging one part.


def drop_element(part: str, data: bytes, rng: random.Random) -> bytes:
    """One element (never the root) removed, with its content."""
    tags = [m for m in _TAG.finditer(data) if not m.group(0).startswith(b"<?")][1:]
    if not tags:
        return truncate_part(part, data, rng)
    tag = rng.choice(tags)
    if tag.group(2):
        return data[:tag.start()] + data[tag.end():]
    end = data.find(b"</" + tag.group(1) + b">", tag.end())
    if end < 0:
        return data[:tag.start()] + data[tag.end():]
    return data[:tag.start()] + data[end + len(tag.group(1)) + 3:]


def change_number(part: str, data: bytes, rng: random.Random) -> bytes:
    """One number (an attribute or a value) replaced by an edge case or its neighbour."""
    numbers = list(_NUMBER.finditer(data))
    if not numbers:
        return garble_bytes(part, data, rng)
    number = rng.choice(numbers)
    if rng.random() < 0.3:
        try:
            replacement = str(int(number.group(0)) + rng.choice((-1, 1))).encode()
        except ValueError:
            replacement = b"0"
    else:
        replacement = rng.choice(_NUMBERS).encode()
    return data[:number.start()] + replacement + data[number.end():]


def truncate_part(part: str, data: bytes, rng: random.Random) -> bytes:
    """The part cut short somewhere."""
    return data[:rng.randrange(len(data))] if data else data


def widen_reference(part: str, data: bytes, rng: random.Random) -> bytes:
    """One cell reference replaced: widened to the whole sheet, reversed, outside the grid or not a reference."""
    refs = list(_REF.finditer(data))
    if not refs:
        return change_number(part, data, rng)
    ref = rng.choice(refs)
    text = ref.group(0)
    if b":" in text and rng.random() < 0.25:
        first, last = text.split(b":")
        replacement = last + b":" + first  # reversed
    elif rng.random() < 0.25:
        first = text.split(b":")[0]
        replacement = first + b":" + rng.choice((b"XFD1048576", b"ZZ999999", b"F100000", b"AAA87"))
    else:
        replacement = rng.choice(_REFERENCES).encode()
    return data[:ref.start()] + replacement + data[ref.end():]


def flip_cell_type(part: str, data: bytes, rng: random.Random) -> bytes:
    """One cell's type changed, or its shared-string index sent past the end."""
    cells = list(_CELL.finditer(data))
    if not cells:
        return drop_element(part, data, rng)
    cell = rng.choice(cells)
    tag = cell.group(0)
    if b't="s"' in tag and rng.random() < 0.3:
        value = re.compile(rb"<v>\d+</v>").search(data, cell.end())
        if value:
            return data[:value.start()] + b"<v>" + rng.choice((b"999999", b"4294967296", b"-1")) + b"</v>" + \
                data[value.end():]
    new_type = rng.choice(_CELL_TYPES).encode()
    attribute = b' t="' + new_type + b'"' if new_type else b""
    if _TYPE_ATTR.search(tag):
        flipped = _TYPE_ATTR.sub(attribute, tag, count=1)
    else:
        flipped = tag[:2] + attribute + tag[2:]
    return data[:cell.start()] + flipped + data[cell.end():]


def garble_bytes(part: str, data: bytes, rng: random.Random) -> bytes:
    """One to eight bytes overwritten with random ones."""
    if not data:
        return data
    garbled = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        garbled[rng.randrange(len(garbled))] = rng.randrange(256)
    return bytes(garbled)


MUTATIONS: dict[str, Callable[[str, bytes, random.Random], bytes]] = {
    "drop-element": drop_element,
    "change-number": change_number,
    "truncate-part": truncate_part,
    "delete-part": lambda part, data, rng: data,  # handled by damage(): the part is left out
    "widen-reference": widen_reference,
    "flip-cell-type": flip_cell_type,
    "garble-bytes": garble_bytes,
}


def damage(package: bytes, rng: random.Random, mutation: str | None = None,
           part: str | None = None) -> tuple[bytes, Damage]:
    """A copy of an xlsx ``package`` with one part damaged one way (both chosen by ``rng`` unless given)."""
    with zipfile.ZipFile(io.BytesIO(package)) as source:
        infos = source.infolist()
        parts = {info.filename: source.read(info) for info in infos}
    part = part or rng.choice(sorted(parts))
    mutation = mutation or rng.choice(sorted(MUTATIONS))
    original = parts[part]
    if mutation != "delete-part":
        parts[part] = MUTATIONS[mutation](part, original, rng)
    detail = _difference(original, parts.get(part, b"")) if mutation != "delete-part" else "removed"
    out = io.BytesIO()
    # Level 1: the damage is in a part's bytes, not in how hard the package is compressed, and a sample writes
    # hundreds of packages.
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for info in infos:
            if mutation == "delete-part" and info.filename == part:
                continue
            target.writestr(info.filename, parts[info.filename])
    return out.getvalue(), Damage(part, mutation, detail)


def with_shared_strings(package: bytes) -> bytes:
    """The same workbook with its text in a shared-strings part, as Excel and LibreOffice save it.

    lga_xl writes text inline; returns that come back have been saved by a
    spreadsheet program, so both layouts are damaged and read.
    """
    strings: dict[bytes, int] = {}

    def shared(match: re.Match[bytes]) -> bytes:
        index = strings.setdefault(match.group(3), len(strings))
        return match.group(1) + b' t="s"' + match.group(2) + b"><v>" + str(index).encode() + b"</v></c>"

    inline = re.compile(rb'(<c\b[^<>]*?) t="inlineStr"([^<>]*)><is><t(?:\s[^>]*)?>(.*?)</t></is></c>', re.S)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        parts = {info.filename: source.read(info) for info in source.infolist()}
        for name, data in parts.items():
            if name.startswith("xl/worksheets/sheet"):
                parts[name] = inline.sub(shared, data)
        items = b"".join(b"<si><t xml:space=\"preserve\">" + text + b"</t></si>" for text in strings)
        count = str(len(strings)).encode()
        parts["xl/sharedStrings.xml"] = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                                         b'count="' + count + b'" uniqueCount="' + count + b'">' + items + b"</sst>")
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                         b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
        parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
            b"</Relationships>", b'<Relationship Id="rIdShared" Type="http://schemas.openxmlformats.org/'
                                 b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                                 b"</Relationships>")
        for name, data in parts.items():
            target.writestr(name, data)
    return out.getvalue()


def base_returns(folder: Path) -> list[Path]:
    """A valid sample return of every kind lga_xl knows, as written and as a spreadsheet program saves it."""
    from lga_xl.kinds import KINDS

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, kind in KINDS.items():
        written = kind.sample(folder / f"{name}.xlsx", seed=1)
        saved = folder / f"{name}-shared-strings.xlsx"
        saved.write_bytes(with_shared_strings(written.read_bytes()))
        paths += [written, saved]
    return paths


def damaged_returns(bases: Sequence[Path], folder: Path, count: int, seed: int) -> Iterator[tuple[Path, Damage]]:
    """``count`` damaged copies of the ``bases``, written into ``folder``, reproducibly from ``seed``.

    Every base meets every way of damage in turn (base, then mutation); the
    part damaged and how exactly are drawn from ``seed`` and the number.
    """
    folder.mkdir(parents=True, exist_ok=True)
    packages = [base.read_bytes() for base in bases]
    mutations = sorted(MUTATIONS)
    for number in range(count):
        rng = random.Random(seed * 1_000_003 + number)
        index = number % len(bases)
        data, what = damage(packages[index], rng, mutations[number // len(bases) % len(mutations)])
        path = folder / f"{number:05d}-{bases[index].stem}.xlsx"
        path.write_bytes(data)
        yield path, what


# Public API: reading in a child process.


@dataclass(frozen=True)
class Outcome:
    """How reading one file ended.

    ``status``: ``result`` (read, with its issues), ``workbook-error`` (refused
    with an issue), ``escape`` (any other exception: a bug), ``died`` (the
    process ended) or ``timeout``.  ``detail``: the issue code, or the
    exception or exit status.
    """

    status: str
    detail: str

    @property
    def acceptable(self) -> bool:
        return self.status in ("result", "workbook-error")


def read_outcomes(paths: Sequence[Path], *, timeout: float = 60.0, memory_limit_mb: int = 4096) -> dict[Path, Outcome]:
    """Read each file with ``lga_xl.read_workbook`` in a child process, ``timeout`` seconds per file.

    A file that kills the child (or takes too long) is recorded as such, and
    a new child reads the rest.  The child's memory is capped (POSIX), so a
    file that makes the reader allocate without bound fails fast instead of
    taking the machine's memory.
    """
    outcomes: dict[Path, Outcome] = {}
    pending = list(paths)
    while pending:
        child = subprocess.Popen([sys.executable, "-m", "tests.support.damage", "worker", str(memory_limit_mb)],
                                 cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                 text=True, encoding="utf-8")
        lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=_pump, args=(child.stdout, lines), daemon=True).start()
        try:
            for path in list(pending):
                child.stdin.write(f"{path}\n")
                child.stdin.flush()
                line = _next_line(lines, timeout)
                if line is None:  # ended or stuck on this file
                    stuck = child.poll() is None
                    child.kill()
                    child.wait()
                    outcomes[path] = Outcome("timeout", f"over {timeout:.0f} s") if stuck else \
                        Outcome("died", f"exit status {child.returncode}")
                    pending.remove(path)
                    break
                status, detail = json.loads(line)
                outcomes[path] = Outcome(status, detail)
                pending.remove(path)
        except BrokenPipeError:  # the child ended between two files
            pass
        finally:
            if child.poll() is None:
                child.stdin.close()
                child.wait()
    return outcomes


def _pump(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


def _next_line(lines: queue.Queue, timeout: float) -> str | None:
    try:
        return lines.get(timeout=timeout)
    except queue.Empty:
        return None


def _worker(memory_limit_mb: int) -> None:
    """Read the files named on stdin, one JSON line per file: [status, detail]."""
    if os.name == "posix":
        import resource

        limit = memory_limit_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from lga_xl.issues import WorkbookError
    from lga_xl.readers import read_workbook

    for line in sys.stdin:
        path = line.rstrip("\n")
        try:
            result = read_workbook(path)
            outcome = ["result", ",".join(sorted({issue.code for issue in result.issues}))]
        except WorkbookError as err:
            outcome = ["workbook-error", err.issue.code]
        except BaseException as exc:  # noqa: B036 - what escapes is what this harness is for
            if isinstance(exc, KeyboardInterrupt):
                raise
            outcome = ["escape", f"{type(exc).__name__}: {str(exc)[:300]}"]
        print(json.dumps(outcome), flush=True)


def _difference(before: bytes, after: bytes) -> str:
    """Where two versions of a part differ, shortly."""
    start = next((i for i, (a, b) in enumerate(zip(before, after)) if a != b), min(len(before), len(after)))
    if len(after) < len(before) and after == before[:len(after)]:
        return f"cut at byte {len(after)} of {len(before)}"
    return f"at byte {start}: {before[start:start + 40]!r} -> {after[start:start + 40]!r}"


def summarise(outcomes: Iterable[Outcome]) -> dict[str, int]:
    """How many files ended each way."""
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    return counts


if __name__ == "__main__":  # pragma: no cover - the child process of read_outcomes
    if sys.argv[1:2] == ["worker"]:
        _worker(int(sys.argv[2]))
