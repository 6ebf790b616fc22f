"""Damaged returns: every file gives a result or an issue, never a traceback or a dead process.

Valid returns of every kind (each kind's sample return, as lga_xl writes it
and as a spreadsheet program saves it, with shared strings) are damaged part
by part (tests/support/damage.py) and read back in a child process with a
time limit per file.  ``benchmarks/damaged_returns.py`` runs the same on
thousands; this is a deterministic sample.  tests/data/damaged/ keeps
returns that once escaped or killed the reader (cases.json says how).
"""

from __future__ import annotations

import json
import os
import sqlite3
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import python_calamine

from lga_xl.issues import WorkbookError
from lga_xl.kinds import KINDS
from lga_xl.readers import read_workbook
from lga_xl.readers.package import Package
from tests.support.damage import MUTATIONS, Outcome, base_returns, damaged_returns, read_outcomes

REPO = Path(__file__).resolve().parents[1]
DAMAGED = REPO / "tests" / "data" / "damaged"
CASES = json.loads((DAMAGED / "cases.json").read_text(encoding="utf-8"))
LGA_XL = [sys.executable, "-m", "lga_xl.cli"]
PER_BASE_AND_MUTATION = 4
SECONDS_PER_FILE = 60  # a limit for a stuck reader, not a speed test: reading one takes milliseconds


@pytest.fixture(scope="module")
def bases(tmp_path_factory) -> list[Path]:
    return base_returns(tmp_path_factory.mktemp("bases"))


@pytest.fixture(scope="module")
def damaged(bases, tmp_path_factory) -> dict[Path, object]:
    count = len(bases) * len(MUTATIONS) * PER_BASE_AND_MUTATION
    return dict(damaged_returns(bases, tmp_path_factory.mktemp("damaged"), count, seed=2026))


def run(*args: object, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([*LGA_XL, *map(str, args)], capture_output=True, cwd=REPO, timeout=600,
                          env={**os.environ, **env})


def test_the_sample_damages_every_kind_every_way(bases, damaged):
    assert {path.stem.split("-", 1)[1] for path in damaged} == {base.stem for base in bases}
    assert {what.mutation for what in damaged.values()} == set(MUTATIONS)
    assert {base.stem for base in bases} >= set(KINDS)


def test_every_damaged_return_reads_to_a_result_or_an_issue_of_its_file(damaged):
    outcomes = read_outcomes(list(damaged), timeout=SECONDS_PER_FILE)
    failures = {path.name: (outcome, damaged[path].describe()) for path, outcome in outcomes.items()
                if not outcome.acceptable or outcome.detail == "internal-error"}
    assert failures == {}
    # The damage is real: a good share of the files are refused, and those that are read still say what is odd.
    refused = sum(1 for outcome in outcomes.values() if outcome.status == "workbook-error")
    assert len(damaged) * 0.2 < refused < len(damaged)


@pytest.fixture(scope="module")
def kept_outcomes() -> dict[Path, Outcome]:
    """How each kept return reads in a child process: one run of read_outcomes for them all (a file that kills
    the child still costs that file alone), as starting a child per file costs more than the reading."""
    return read_outcomes([DAMAGED / name for name in sorted(CASES)], timeout=SECONDS_PER_FILE)


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_return_that_once_escaped_or_killed_the_reader_is_an_issue_naming_its_part(name, kept_outcomes):
    case = CASES[name]
    outcome = kept_outcomes[DAMAGED / name]
    assert outcome == Outcome("workbook-error", case["code"]), case["before"]
    with pytest.raises(WorkbookError) as caught:
        read_workbook(DAMAGED / name)
    assert case["part"] in caught.value.issue.message or caught.value.issue.code == "too-large"


def test_a_panic_in_the_reading_library_is_an_issue_not_an_escape(monkeypatch):
    # calamine really panics on a reversed table range: a PanicException, which derives from BaseException.
    # lga_xl no longer asks calamine for tables, so the panic is caught here and raised where lga_xl reads a
    # sheet, as a damaged sheet could make calamine do.
    path = DAMAGED / "table_ref_reversed.xlsx"
    try:
        python_calamine.CalamineWorkbook.from_path(str(path), load_tables=True).get_table_by_name("Elements")
    except BaseException as exc:  # noqa: B036 - the panic itself
        panic = exc
    assert not isinstance(panic, Exception)

    class Panicking:
        def __init__(self, book):
            self._book = book

        def __getattr__(self, name):
            return getattr(self._book, name)

        def get_sheet_by_name(self, name):
            raise panic

    opened = Package.__init__

    def open_panicking(self, *args, **kwargs):
        opened(self, *args, **kwargs)
        self._book = Panicking(self._book)

    monkeypatch.setattr(Package, "__init__", open_panicking)
    with pytest.raises(WorkbookError) as caught:
        read_workbook(DAMAGED / "table_ref_reversed.xlsx")
    issue = caught.value.issue
    assert issue.code == "corrupt-file" and "xl/worksheets/" in issue.message
    assert "PanicException" in issue.message  # the library's words, kept for a bug report


@pytest.mark.parametrize("command", ["validate", "read"])
def test_validate_and_read_of_damaged_returns_print_a_result_per_file_in_utf8_never_a_traceback(command, damaged):
    files = sorted(DAMAGED.glob("*.xlsx")) + sorted(damaged)[:40]
    result = run(command, "--json", *files, PYTHONIOENCODING="cp1252")
    assert result.returncode == 1, result.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in result.stderr and result.stderr == b""
    text = result.stdout.decode("utf-8")  # valid UTF-8 whatever the console's encoding
    documents = [json.loads(line) for line in text.splitlines()] if command == "validate" else json.loads(text)
    assert [document["file"] for document in documents] == [str(path) for path in files]
    assert {CASES[Path(d["file"]).name]["code"] for d in documents if Path(d["file"]).parent == DAMAGED} == \
        {issue["code"] for d in documents if Path(d["file"]).parent == DAMAGED for issue in d["issues"]}


@pytest.mark.parametrize("name", ["table_ref_whole_sheet.xlsx", "table_ref_reversed.xlsx", "shared_strings_count.xlsx",
                                  "cells_without_address.xlsx", "sheet_part_deleted.xlsx", "invalid_utf8.xlsx"])
def test_an_import_of_three_files_one_damaged_imports_the_other_two(name, bases, tmp_path):
    folder = tmp_path / "returns"
    folder.mkdir()
    good = [bases[0], bases[-1]]  # a self-assessment and a levy plan (the other bases are the same returns)
    for base in good:
        (folder / base.name).write_bytes(base.read_bytes())
    (folder / name).write_bytes((DAMAGED / name).read_bytes())
    result = run("import", folder, "--db", tmp_path / "r.sqlite", "--out", tmp_path / "c.xlsx")
    output = result.stdout.decode("utf-8")
    assert result.returncode == 1, output + result.stderr.decode("utf-8", "replace")
    assert "2 returns added" in output and "1 rejected" in output and f"rejected {folder / name}" in output
    with sqlite3.connect(tmp_path / "r.sqlite") as db:
        rows = db.execute("SELECT file_name, status FROM returns ORDER BY file_name").fetchall()
    assert sorted(rows) == sorted([(good[0].name, "imported"), (good[1].name, "imported"), (name, "rejected")])


def test_a_reader_that_dies_on_a_file_costs_that_file_alone(bases, tmp_path):
    # A file that kills the reading process outright (as calamine did before its sizes were checked): the
    # reader is made to abort on any file named *crash*, in the command's process and its workers alike.
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        "import os\n"
        "import lga_xl.readers as readers\n"
        "real = readers.open_package\n"
        "def open_package(path, display=None):\n"
        "    if 'crash' in str(path):\n"
        "        os.abort()\n"
        "    return real(path, display)\n"
        "readers.open_package = open_package\n", encoding="utf-8")
    folder = tmp_path / "returns"
    folder.mkdir()
    for name, base in (("a.xlsx", bases[0]), ("crash.xlsx", bases[0]), ("z.xlsx", bases[2])):
        (folder / name).write_bytes(base.read_bytes())
    env = {"PYTHONPATH": os.pathsep.join([str(hook), str(REPO)])}
    result = run("validate", "--json", folder, **env)
    assert result.returncode == 1
    documents = {Path(d["file"]).name: d for d in map(json.loads, result.stdout.decode("utf-8").splitlines())}
    assert documents["a.xlsx"]["readable"] and documents["z.xlsx"]["readable"]
    assert [issue["code"] for issue in documents["crash.xlsx"]["issues"]] == ["internal-error"]
    result = run("import", folder, "--db", tmp_path / "r.sqlite", "--no-workbook", **env)
    output = result.stdout.decode("utf-8")
    assert result.returncode == 1 and "2 returns added" in output and "1 rejected" in output
    assert "internal-error" in output and "crash.xlsx" in output


def stored_span(package: Path, part: str) -> tuple[int, int]:
    """Where a part's stored (compressed) bytes lie in the file: (first byte, length)."""
    with zipfile.ZipFile(package) as archive:
        info = archive.getinfo(part)
    data = package.read_bytes()
    name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26:info.header_offset + 30])
    return info.header_offset + 30 + name_length + extra_length, info.compress_size


@pytest.mark.parametrize("part", ["xl/tables/table1.xml", "xl/workbook.xml"])
def test_a_part_damaged_in_a_copy_of_a_return_already_read_is_read_afresh_and_blamed(part, bases, tmp_path):
    """What is parsed from a template's parts is kept by their stored bytes and checksum: a copy whose
    part was garbled inside the zip (its directory unchanged) must not be read from what was kept."""
    good = next(base for base in bases if base.stem == "self-assessment")
    assert read_workbook(good).kind == "self-assessment"  # its parts are now kept
    first, length = stored_span(good, part)
    data = bytearray(good.read_bytes())
    data[first + length // 2] ^= 0xFF
    damaged = tmp_path / "garbled.xlsx"
    damaged.write_bytes(bytes(data))
    with pytest.raises(WorkbookError) as caught:
        read_workbook(damaged)
    assert caught.value.issue.code == "corrupt-file"
    assert part in caught.value.issue.message
