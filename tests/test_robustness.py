"""Nothing lost, nothing cryptic: each finding of the robustness review, as the command that showed it.

Nothing the user did not ask to replace is overwritten; text is UTF-8 whatever the console; files and
folders are treated alike; an unreadable file is an issue of that file; messages name what they are about
and quote what was typed; and the documented commands run as written from a fresh copy of the repository.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import click
import openpyxl
import pytest
from click.testing import CliRunner

from lga_xl.bulk import import_returns
from lga_xl.cli import main
from lga_xl.demo import run_demo
from lga_xl.kinds import kind
from lga_xl.readers import read_workbook
from lga_xl.readers.levy_plan import read_levy_plan
from lga_xl.samples import sample_self_assessment
from lga_xl.store import ReturnStore
from lga_xl.writers.levy_plan import SchoolEntry, StartEntry, new_levy_plan, sample_levy_plan
from tests.support.corpus import BAD_FILES, build_corpus

REPO = Path(__file__).resolve().parents[1]
LGA_XL = [sys.executable, "-m", "lga_xl.cli"]
SELF_ASSESSMENT = kind("self-assessment").current
LEVY_PLAN = kind("levy-plan").current
WELSH_NAME = "Cyngor Sir Ceredigion \u2014 \u0174\u0177.xlsx"  # an em dash, and W and y with circumflexes


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def run_process(*args: object, cwd: Path = REPO, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([*LGA_XL, *map(str, args)], capture_output=True, cwd=cwd, timeout=600,
                          env={**os.environ, **env})


def returns_folder(folder: Path, count: int = 2) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for seed in range(count):
        sample_self_assessment(folder / f"council_{seed}.xlsx", seed=seed)
    return folder


def one_error_line(result) -> str:
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    return lines[0]


def set_named(path: Path, name: str, value: object, contract=SELF_ASSESSMENT) -> Path:
    wb = openpyxl.load_workbook(path)
    sheet, cell = contract.address(name)
    wb[sheet][cell] = value
    wb.save(path)
    return path


def set_statuses(path: Path, values: list[object]) -> Path:
    wb = openpyxl.load_workbook(path)
    table = SELF_ASSESSMENT.table("Elements")
    for offset, value in enumerate(values):
        wb[table.sheet][table.cell("status", table.first_row + offset)] = value
    wb.save(path)
    return path


# --- Nothing lost or overwritten ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["same.sqlite", "same.xlsx"])
def test_an_import_whose_consolidated_workbook_is_the_store_is_refused_and_the_store_kept(tmp_path, name):
    returns = returns_folder(tmp_path / "returns")
    store = tmp_path / name
    assert run("import", returns, "--db", store, "--no-workbook").exit_code == 0
    before = store.read_bytes()
    result = run("import", returns, "--db", store, "--out", store, "--force")
    assert result.exit_code == 2
    assert str(store) in one_error_line(result)
    assert store.read_bytes() == before
    with ReturnStore(store) as kept:
        assert kept.table_counts()["returns"] == 2


def test_an_output_in_the_returns_folder_never_replaces_a_councils_return(tmp_path):
    returns = returns_folder(tmp_path / "returns")
    council = returns / "council_0.xlsx"
    before = council.read_bytes()
    for force in ((), ("--force",)):
        result = run("import", returns, "--db", tmp_path / "r.sqlite", "--out", council, *force)
        assert result.exit_code == 2 and "input" in one_error_line(result)
        assert council.read_bytes() == before
    assert not (tmp_path / "r.sqlite").exists()  # refused before the store was touched


def test_new_does_not_replace_a_filled_return_unless_forced(tmp_path):
    filled = sample_self_assessment(tmp_path / "filled.xlsx", seed=3)
    before = filled.read_bytes()
    result = run("new", "self-assessment", "-o", filled)
    assert result.exit_code == 2 and "--force" in one_error_line(result)
    assert filled.read_bytes() == before
    assert run("new", "self-assessment", "-o", filled, "--force").exit_code == 0
    assert all(answer.status is None for answer in read_workbook(filled).elements)


def test_a_second_import_into_the_same_folder_does_not_read_back_its_own_outputs(tmp_path):
    r2 = returns_folder(tmp_path / "r2")
    args = ("import", r2, "--db", tmp_path / "r.sqlite", "--out", r2 / "consolidated.xlsx", "--csv", r2 / "csv")
    first = run(*args)
    assert first.exit_code == 0, first.output
    again = run(*args)
    assert again.exit_code == 2 and "already exists" in one_error_line(again)
    forced = run(*args, "--force")
    assert forced.exit_code == 0, forced.output
    assert "2 files read" in forced.output and "0 returns added, 2 already in the store, 0 rejected, 0 files skipped" \
        in forced.output
    assert "consolidated.xlsx" not in forced.stdout.replace(f"Consolidated workbook: {r2 / 'consolidated.xlsx'}", "")


@pytest.mark.parametrize("command", [
    ("new", "self-assessment"),  # a filled copy of the built template (lga_xl.writers.fill)
    ("new", "role-map", "--roles", "examples/roles.csv"),  # a workbook built and saved by openpyxl
])
def test_a_write_that_fails_half_way_leaves_the_old_file_and_no_partial_one(command, tmp_path, monkeypatch):
    out = sample_self_assessment(tmp_path / "plan.xlsx", seed=1)
    before = out.read_bytes()
    write_bytes = Path.write_bytes

    def full_disk_save(self, filename):
        write_bytes(Path(filename), b"half a workbook")
        raise OSError(28, "No space left on device")

    def full_disk_write(self, data):
        write_bytes(self, data[:100])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(openpyxl.Workbook, "save", full_disk_save)
    monkeypatch.setattr(Path, "write_bytes", full_disk_write)
    result = run(*[REPO / part if part.startswith("examples/") else part for part in command], "-o", out, "--force")
    assert result.exit_code == 2 and "No space left on device" in one_error_line(result)
    assert out.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["plan.xlsx"]


# --- Windows: text in any encoding, any console --------------------------------------------------------------


def test_read_json_of_a_welsh_named_file_is_utf8_under_a_cp1252_console(tmp_path):
    path = sample_self_assessment(tmp_path / WELSH_NAME, seed=4)
    result = run_process("read", "--json", path, PYTHONIOENCODING="cp1252")
    assert result.returncode == 0 and result.stderr == b""
    assert json.loads(result.stdout.decode("utf-8"))["file"] == str(path)


def schools_plan(tmp_path: Path, data: bytes) -> list[SchoolEntry]:
    csv_path = tmp_path / "schools.csv"
    csv_path.write_bytes(data)
    result = run("new", "levy-plan", "--schools", csv_path, "-o", tmp_path / "plan.xlsx")
    assert result.exit_code == 0, result.output
    return [(s.urn, s.name, s.type, s.pay_bill, s.headcount) for s in read_levy_plan(tmp_path / "plan.xlsx").schools]


def test_a_schools_csv_saved_by_excel_as_csv_comma_delimited_in_windows_1252_is_read(tmp_path):
    text = "URN,School,Type,PayBill,Headcount\r\n100001,Ysgol Gymraeg Aberystwyth,Community,\"£1,250,000\",42\r\n" \
           "100002,St Mary\u2019s Caf\u00e9 School,Voluntary controlled,980000,30\r\n"
    assert schools_plan(tmp_path, text.encode("cp1252")) == [
        ("100001", "Ysgol Gymraeg Aberystwyth", "Community school", Decimal("1250000"), 42),
        ("100002", "St Mary\u2019s Caf\u00e9 School", "Voluntary controlled school", Decimal("980000"), 30)]


def test_a_semicolon_separated_schools_csv_is_read(tmp_path):
    text = "URN;School;Type;PayBill;Headcount\n100001;Ash Primary;Community;1250000,50;42\n"
    assert schools_plan(tmp_path, text.encode("utf-8-sig")) == [
        ("100001", "Ash Primary", "Community school", Decimal("1250000.50"), 42)]


def test_school_name_school_type_head_count_and_pay_bill_in_pounds_headers_are_recognised(tmp_path):
    text = "URN,School Name,School type,Head count,Pay Bill (£)\n100001,Ash Primary,Community,42,1250000\n"
    assert schools_plan(tmp_path, text.encode("utf-8")) == [
        ("100001", "Ash Primary", "Community school", Decimal("1250000"), 42)]


def test_a_schools_csv_missing_a_column_names_the_spellings_accepted(tmp_path):
    csv_path = tmp_path / "schools.csv"
    csv_path.write_text("URN,Title,Type\n100001,Ash,Community\n", encoding="utf-8")
    result = run("new", "levy-plan", "--schools", csv_path, "-o", tmp_path / "plan.xlsx")
    assert result.exit_code == 2
    assert "missing column School (accepted: School, School name, Name, Establishment name)" in result.stderr
    assert not (tmp_path / "plan.xlsx").exists()


def test_new_writes_one_workbook_per_council_of_a_csv_and_names_a_bad_line(tmp_path):
    councils = tmp_path / "councils.csv"
    councils.write_bytes("Council;Region;Type\r\nYnys M\u00f4n Council;Wales;Unitary authority\r\n"
                         "Exampleshire County Council;East;county council\r\n".encode("cp1252"))
    result = run("new", "self-assessment", "--councils", councils, "-o", tmp_path / "to-send")
    assert result.exit_code == 2
    assert "line 2: region 'Wales' is not one of the nine English regions" in result.stderr
    assert not (tmp_path / "to-send").exists()
    councils.write_bytes("Council;Region;Type\r\nExampleshire County Council;East;county council\r\n"
                         "Brighton & Hove: pilot;South East;\r\n".encode("cp1252"))  # no type: left blank
    result = run("new", "levy-plan", "--councils", councils, "-o", tmp_path / "to-send")
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (tmp_path / "to-send").iterdir())
    assert written == ["Brighton and Hove pilot.xlsx", "Exampleshire County Council.xlsx"]
    plan = read_levy_plan(tmp_path / "to-send" / "Exampleshire County Council.xlsx")
    assert (plan.organisation, plan.region) == ("Exampleshire County Council", "East of England")
    again = run("new", "levy-plan", "--councils", councils, "-o", tmp_path / "to-send")
    assert again.exit_code == 2 and "--force" in one_error_line(again)
    assert run("new", "levy-plan", "--councils", councils, "--org", "X", "-o", tmp_path / "x").exit_code == 2


# --- Commands: files and folders alike, an unreadable file an issue of that file ------------------------------


@pytest.mark.parametrize("command", ["validate", "read"])
def test_validate_and_read_take_a_folder_as_import_does(tmp_path, command):
    returns = returns_folder(tmp_path / "returns")
    (returns / "notes.txt").write_text("not a return")
    result = run(command, returns)
    assert result.exit_code == 0, result.output
    assert "file-not-found" not in result.output
    for name in ("council_0.xlsx", "council_1.xlsx"):
        assert str(returns / name) in result.output
    assert f"{returns / 'notes.txt'}: skipped" in result.output


def test_a_file_that_cannot_be_opened_among_several_is_an_issue_of_that_file_in_validate_and_import(tmp_path,
                                                                                                  monkeypatch):
    returns = returns_folder(tmp_path / "returns")
    locked = sample_self_assessment(returns / "locked.xlsx", seed=9)
    real_open = Path.open

    def open_locked(self, *args, **kwargs):
        if self.name == "locked.xlsx":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", open_locked)  # the forked reader processes inherit it
    result = run("validate", returns)
    assert result.exit_code == 1
    assert f"{locked}: cannot be read" in result.output and "[cannot-open]" in result.output
    assert f"{returns / 'council_0.xlsx'}: OK" in result.output and f"{returns / 'council_1.xlsx'}: OK" in result.output
    result = run("import", returns, "--db", tmp_path / "r.sqlite", "--no-workbook")
    assert result.exit_code == 1 and "2 returns added" in result.output and "[cannot-open]" in result.output


def test_codes_piped_into_head_ends_quietly(tmp_path):
    result = subprocess.run(f"set -o pipefail; {' '.join(LGA_XL)} codes | head -2", shell=True, executable="/bin/bash",
                            capture_output=True, cwd=REPO, timeout=120)
    assert result.returncode == 0 and result.stderr == b""
    assert len(result.stdout.splitlines()) == 2


def test_the_import_summary_says_what_was_added_and_what_was_already_in_the_store(tmp_path):
    returns = returns_folder(tmp_path / "returns", count=3)
    first = run("import", returns, "--db", tmp_path / "r.sqlite", "--no-workbook")
    assert "3 files read" in first.output and "3 returns added, 0 already in the store" in first.output
    again = run("import", returns, "--db", tmp_path / "r.sqlite", "--no-workbook")
    assert "0 returns added, 3 already in the store" in again.output


def test_one_file_is_one_file_in_the_summary(tmp_path):
    one = sample_self_assessment(tmp_path / "one.xlsx", seed=1)
    result = run("import", one, "--db", tmp_path / "r.sqlite", "--no-workbook")
    assert "1 file read in" in result.output and "1 return added" in result.output and "1 files" not in result.output


@pytest.mark.parametrize("typed", ["2026-27", "2026/27", "2026-2027", "2026\u201327", "2026 to 2027"])
def test_a_tax_year_is_written_as_2026_27_however_it_is_typed(tmp_path, typed):
    out = tmp_path / "plan.xlsx"
    result = run("new", "levy-plan", "--tax-year", typed, "-o", out)
    assert result.exit_code == 0, result.output
    sheet, cell = LEVY_PLAN.address("TaxYear")
    assert openpyxl.load_workbook(out)[sheet][cell].value == "2026-27"
    assert not any(issue.code == "bad-tax-year" for issue in read_levy_plan(out).issues)


@pytest.mark.parametrize("name", ["plan.xls", "plan.csv", "plan"])
def test_an_output_name_excel_will_not_open_is_refused_with_the_name_to_use(tmp_path, name):
    result = run("new", "levy-plan", "-o", tmp_path / name)
    assert result.exit_code == 2 and "plan.xlsx" in one_error_line(result)
    assert list(tmp_path.iterdir()) == []


def test_import_returns_takes_one_folder_as_a_string(tmp_path):
    returns = returns_folder(tmp_path / "returns")
    report = import_returns(str(returns), db=tmp_path / "r.sqlite")
    assert report.counts["imported"] == 2 and report.exit_code == 0


# --- Messages: name what they are about, quote what was typed, never Python's words ---------------------------


def test_a_status_typed_as_1_is_quoted_as_typed(tmp_path):
    path = set_statuses(sample_self_assessment(tmp_path / "a.xlsx", seed=1), [1])
    (issue,) = [i for i in read_workbook(path).issues if i.code == "unknown-status"]
    assert issue.message.startswith("LC-D1: 1 is not a status") and "1.0" not in issue.message


def test_the_unanswered_warning_lists_blank_statuses_not_wrong_ones(tmp_path):
    path = set_statuses(sample_self_assessment(tmp_path / "a.xlsx", seed=1), ["Yes", None])
    issues = read_workbook(path).issues
    (unanswered,) = [i for i in issues if i.code == "unanswered"]
    assert "(LC-D2)" in unanswered.message and "LC-D1" not in unanswered.message
    assert any(i.code == "unknown-status" and "LC-D1: 'Yes'" in i.message for i in issues)


def test_incomplete_school_and_start_rows_name_what_they_are_about(tmp_path):
    plan = new_levy_plan(tmp_path / "plan.xlsx", schools=[SchoolEntry(100001, "Ash Primary", "Community", None, 4)],
                         starts=[StartEntry("ST0072", __import__("datetime").date(2026, 9, 1), 12, None, 100001)])
    messages = [i.message for i in read_levy_plan(plan).issues if i.code == "incomplete-row"]
    assert "Ash Primary: no Pay bill" in messages
    assert "ST0072 for URN 100001 from 01/09/2026: no Price" in messages


def test_a_file_that_is_not_a_zip_is_explained_in_plain_words(tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 cut short")
    result = run("validate", broken)
    assert result.exit_code == 1 and "[corrupt-file]" in result.output and "cut short or garbled" in result.output
    assert "zip file" not in result.output.lower().replace("zip package", "")


def test_yorkshire_and_humber_is_the_region_with_a_warning_in_a_return_and_a_note_on_the_command_line(tmp_path):
    path = set_named(sample_self_assessment(tmp_path / "a.xlsx", seed=1), "Region", "Yorkshire and Humber")
    result = read_workbook(path)
    assert result.region == "Yorkshire and the Humber" and not result.has_errors
    assert [i.code for i in result.issues if i.name == "Region"] == ["value-normalised"]
    made = run("new", "self-assessment", "--region", "yorkshire & humber", "-o", tmp_path / "b.xlsx")
    assert made.exit_code == 0 and "read as 'Yorkshire and the Humber'" in made.stderr
    assert read_workbook(tmp_path / "b.xlsx").region == "Yorkshire and the Humber"


def all_commands(group: click.Group = main, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    found = [(path, group)]
    for name, command in group.commands.items():
        found += all_commands(command, (*path, name)) if isinstance(command, click.Group) else \
            [((*path, name), command)]
    return found


def test_help_gives_the_exit_codes_describes_every_option_and_writes_choices_as_the_readme_does():
    for path, command in all_commands():
        result = run(*path, "--help")
        assert result.exit_code == 0 and "Exit codes: 0" in result.output, path
        for option in command.params:
            if isinstance(option, click.Option) and option.name not in ("help", "version"):
                assert option.help, (path, option.name)
    help_text = " ".join(run("new", "self-assessment", "--help").output.split())
    assert "Yorkshire and the Humber" in help_text and "County council" in help_text and "External" in help_text
    assert "self-assessment" in help_text.lower()
    assert "--councils N How many made-up councils" in " ".join(run("demo", "--help").output.split())


@pytest.mark.parametrize("args", [["validate"], ["import", "x", "--jobs", "0"], ["new", "levy-plan", "--tax-year",
                                                                                   "2026-28", "-o", "p.xlsx"],
                                  ["frobnicate"], ["new", "self-assessment", "--region", "Atlantis", "-o", "a.xlsx"]])
def test_a_usage_error_is_one_line(args):
    result = run(*args)
    assert result.exit_code == 2
    one_error_line(result)
    assert "Traceback" not in result.output and "Usage:" not in result.output


def test_the_demo_shows_progress_and_refuses_a_used_folder_unless_forced(tmp_path):
    steps: dict[str, list[tuple[int, int]]] = {}
    run_demo(tmp_path / "demo", councils=2, echo=lambda line: None,
             progress=lambda label: lambda done, total: steps.setdefault(label, []).append((done, total)))
    # Two self-assessments, the LGA's assessment, a levy plan, a tracker, the example tracker, a role map.
    assert steps["Writing returns"][-1] == (7, 7) and steps["Importing"][-1] == (7, 7)
    result = run("demo", "--out", tmp_path / "demo", "--councils", "1")
    assert result.exit_code == 2 and "--force" in one_error_line(result)
    (tmp_path / "demo" / "returns" / "my notes.xlsx").write_bytes(b"kept, not imported")
    result = run("demo", "--out", tmp_path / "demo", "--councils", "1", "--force")
    assert result.exit_code == 0, result.output
    with ReturnStore(tmp_path / "demo" / "returns.sqlite") as store:
        _, rows = store.query("SELECT file_name FROM returns ORDER BY file_name")
        assert [row[0] for row in rows] == ["external_assessment_01.xlsx", "levy_plan_01.xlsx", "role_map_01.xlsx",
                                            "self_assessment_01.xlsx", "tracker_01.xlsx", "tracker_hertfordshire.xlsx"]
    assert (tmp_path / "demo" / "returns" / "my notes.xlsx").read_bytes() == b"kept, not imported"


# --- JSON: numbers for money, a result per file -------------------------------------------------------------


def test_read_json_writes_money_as_numbers_to_the_penny(tmp_path):
    path = sample_levy_plan(tmp_path / "plan.xlsx", seed=2)
    printed = json.loads(run("read", "--json", path).stdout)
    assert printed == read_levy_plan(path).model_dump(mode="json")
    money = [printed[key] for key in ("total_pay_bill", "annual_levy", "headroom_statutory", "funds_in")]
    money += [school["levy_share"] for school in printed["schools"]]
    assert all(isinstance(value, (int, float)) for value in money)
    assert all(Decimal(str(value)) == Decimal(str(value)).quantize(Decimal("0.01")) for value in money)


def test_validate_json_prints_a_result_for_a_clean_file(tmp_path):
    clean = sample_self_assessment(tmp_path / "clean.xlsx", seed=1)
    result = run("validate", "--json", clean)
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"file": str(clean), "readable": True, "kind": "self-assessment", "issues": []}


def test_read_json_of_an_unreadable_file_is_a_result_with_its_issues(tmp_path):
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    result = run("read", "--json", empty)
    assert result.exit_code == 1
    printed = json.loads(result.stdout)
    assert printed["file"] == str(empty) and printed["readable"] is False
    assert [issue["code"] for issue in printed["issues"]] == ["empty-file"]


# --- Every command, every bad file, a cp1252 console: UTF-8 out, no traceback -----------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus") / "returns \u0174\u0177"
    build_corpus(folder, good=3)
    shutil.copy(folder / "good" / "council_000.xlsx", folder / WELSH_NAME)
    return folder


def test_under_a_cp1252_console_every_command_prints_utf8_and_no_traceback_on_any_bad_file(corpus, tmp_path):
    bad = sorted((corpus / "bad").iterdir())
    assert {p.name for p in bad} == set(BAD_FILES)
    commands = [
        ("validate", corpus), ("validate", "--json", corpus), ("read", corpus), ("read", "--json", *bad),
        ("import", corpus, "--db", tmp_path / "r.sqlite", "--out", tmp_path / "c.xlsx", "--csv", tmp_path / "csv"),
        ("new", "self-assessment", "--org", "Cyngor Sir Ceredigion \u2014 \u0174\u0177", "-o", tmp_path / WELSH_NAME),
        ("codes",), ("--help",), ("validate", corpus / "missing"),
    ]
    # The commands touch different files: they run side by side, each in its own process as a user's would.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        results = list(pool.map(lambda args: run_process(*args, PYTHONIOENCODING="cp1252"), commands))
    for args, result in zip(commands, results):
        assert result.returncode in (0, 1, 2), args
        assert b"Traceback" not in result.stdout + result.stderr, args
        result.stdout.decode("utf-8")
        result.stderr.decode("utf-8")
        if args[0] in ("validate", "read"):
            assert str(bad[0]).encode("utf-8") in result.stdout or args[-1] == corpus / "missing", args


# --- The documented commands run as written from a fresh copy of the repository --------------------------------

BLOCKS = re.compile(r"<!-- runs-as-written -->\s*```(sh|python)\n(.*?)```", re.S)


def documented_blocks(document: Path) -> list[tuple[str, str]]:
    """The fenced blocks marked to run as written (``<!-- runs-as-written -->`` above them), in order."""
    return BLOCKS.findall(document.read_text(encoding="utf-8"))


@pytest.fixture
def fresh_copy(tmp_path) -> Path:
    tracked = subprocess.run(["git", "ls-files", "-z"], capture_output=True, cwd=REPO, check=True).stdout
    copy = tmp_path / "lga_xl-clone"
    for name in filter(None, tracked.decode("utf-8").split("\0")):
        if (REPO / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, copy / name)
    return copy


@pytest.mark.parametrize("document", ["docs/command-line.md", "README.md"])
def test_the_documented_commands_and_python_run_as_written_from_a_fresh_copy(document, fresh_copy):
    blocks = documented_blocks(fresh_copy / document)
    if document == "README.md" and not blocks:
        pytest.skip("README.md has no blocks marked to run yet (the text to add is in docs/command-line.md)")
    assert any(language == "sh" for language, _ in blocks) and any(language == "python" for language, _ in blocks)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    for language, block in blocks:
        if language == "sh":
            for line in block.splitlines():
                command = line.split(" #")[0].strip()
                if not command.startswith("lga-xl "):
                    continue
                result = subprocess.run(command, shell=True, cwd=fresh_copy, capture_output=True, env=env,
                                        timeout=600, executable="/bin/bash")
                assert result.returncode == 0, (command, result.stdout[-2000:], result.stderr[-2000:])
        else:
            result = subprocess.run([sys.executable, "-c", block], cwd=fresh_copy, capture_output=True, env=env,
                                    timeout=600)
            assert result.returncode == 0, (block, result.stderr[-3000:])
